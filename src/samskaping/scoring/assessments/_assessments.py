"""Co-creation assessments: idea diamond, considerations, KS keys, systems change, participation.

DOMAIN §5 and §9. Each assessment is data (``data/assessments/*.toml``, every item
with nb/nn/en labels and a source line) plus a small function over the inputs a
project records (:class:`samskaping.model.Assessments`):

- the idea diamond (*idédiamanten*): area and balance (Trondheim 3, 3, 2, 2 → 4, 4, 4, 5,
  002:3285-3324);
- the 20 considerations (*hensyn*): yes / maybe (*tja*) / no (Trondheim: 11 yes and 9
  maybe, 002 table 18);
- KS's 18 keys with a top-5 tally (the seminar's 1, 2, 3, 4, 9 has no order, 003:95-101);
- the six conditions of systems change, warning when only one is touched (002:3100);
- participation levels on the IAP2 spectrum and Arnstein's ladder;
- Torfing's test of what is not co-creation (004:15-19).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum, unique
from functools import cache

import attrs

from samskaping._errors import DocumentError, InvalidInputError, Problem
from samskaping.model import (
    ArnsteinRung,
    ConsiderationAnswer,
    ConsiderationResponse,
    IdeaDiamond,
    KeysRanking,
    ParticipationLevel,
    Programme,
    Project,
    Severity,
    SystemsChangeAssessment,
    SystemsCondition,
    TorfingTest,
)
from samskaping.scoring._common import LocalText, Reason, load_data_file, quantize, reason

__all__ = [
    "ActivityParticipation",
    "AssessmentData",
    "ChangeLevel",
    "ConsiderationsScore",
    "DiamondChange",
    "DiamondScore",
    "DimensionChange",
    "KeyTally",
    "KeysTally",
    "ParticipationProfile",
    "SystemsChangeCoverage",
    "ThemeCount",
    "TorfingOutcome",
    "TorfingResult",
    "arnstein_for_iap2",
    "assessment_data",
    "compare_idea_diamonds",
    "participation_profile",
    "score_considerations",
    "score_idea_diamond",
    "systems_change_coverage",
    "tally_ks_keys",
    "torfing_test",
]

_HUNDRED = Decimal(100)


# --- the data files ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class DiamondDimension:
    """One dimension of the idea diamond, with its question."""

    code: str
    label: LocalText
    question: LocalText
    source: str | None = None


@attrs.frozen(kw_only=True)
class IdeaDiamondData:
    """The idea diamond's dimensions and scale."""

    source: str | None = None
    scale_min: int = 1
    scale_max: int = 5
    dimensions: tuple[DiamondDimension, ...] = ()


@attrs.frozen(kw_only=True)
class Theme:
    """A theme of the considerations (a section of 002 chapter 4)."""

    code: str
    label: LocalText
    source: str | None = None


@attrs.frozen(kw_only=True)
class Consideration:
    """One of the 20 considerations (*hensyn*)."""

    number: int
    theme: str
    label: LocalText
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class ConsiderationsData:
    """The 20 considerations and their themes."""

    source: str | None = None
    note: str | None = None
    themes: tuple[Theme, ...] = ()
    items: tuple[Consideration, ...] = ()


@attrs.frozen(kw_only=True)
class KsKey:
    """One of KS's 18 keys (*nøkler*); ``source_text`` holds the Danish original of 16-18."""

    number: int
    label: LocalText
    source: str | None = None
    source_text: str | None = None


@attrs.frozen(kw_only=True)
class KsListItem:
    """A supplementary key or an implementation action from the KS seminar (003:51-93).

    The source lists them without numbers; ``number`` is the place in its list.
    """

    number: int
    label: LocalText
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class KsKeysData:
    """The 18 keys, the participants' top 5, the supplementary keys and the actions.

    ``supplementary`` are the seminar's *supplerende nøkler* (003:53-71); ``actions``
    its *tiltak for iverksetting i egen kommune* (003:75-93).
    """

    source: str | None = None
    top5: KeysRanking
    keys: tuple[KsKey, ...] = ()
    supplementary: tuple[KsListItem, ...] = ()
    actions: tuple[KsListItem, ...] = ()


@attrs.frozen(kw_only=True)
class ChangeLevelInfo:
    """A level of systems change: structural, relational or transformative."""

    code: str
    label: LocalText
    source: str | None = None


@attrs.frozen(kw_only=True)
class ConditionInfo:
    """One of the six conditions of systems change."""

    code: SystemsCondition
    level: str
    label: LocalText
    description: LocalText
    source: str | None = None


@attrs.frozen(kw_only=True)
class SystemsChangeData:
    """The six conditions and their three levels."""

    source: str | None = None
    levels: tuple[ChangeLevelInfo, ...] = ()
    conditions: tuple[ConditionInfo, ...] = ()


@attrs.frozen(kw_only=True)
class Iap2Level:
    """A level of the IAP2 spectrum, with the Arnstein rungs it roughly matches [design]."""

    code: ParticipationLevel
    rank: int
    label: LocalText
    description: LocalText
    arnstein: tuple[ArnsteinRung, ...] = ()


@attrs.frozen(kw_only=True)
class ArnsteinGroupInfo:
    """A group of Arnstein's rungs: non-participation, tokenism, citizen power."""

    code: str
    label: LocalText


@attrs.frozen(kw_only=True)
class ArnsteinRungInfo:
    """A rung of Arnstein's ladder."""

    code: ArnsteinRung
    rank: int
    group: str
    label: LocalText


@attrs.frozen(kw_only=True)
class ParticipationData:
    """The IAP2 spectrum and Arnstein's ladder."""

    source: str | None = None
    iap2: tuple[Iap2Level, ...] = ()
    arnstein_groups: tuple[ArnsteinGroupInfo, ...] = ()
    arnstein: tuple[ArnsteinRungInfo, ...] = ()


@attrs.frozen(kw_only=True)
class TorfingCriterion:
    """One sign that a process is not co-creation."""

    code: str
    label: LocalText
    source: str | None = None


@attrs.frozen(kw_only=True)
class TorfingStep:
    """One of the four steps to think through."""

    number: int
    label: LocalText
    source: str | None = None


@attrs.frozen(kw_only=True)
class TorfingData:
    """Torfing's definition, the three signs of non-co-creation and four steps."""

    source: str | None = None
    definition: LocalText
    definition_source: str | None = None
    criteria: tuple[TorfingCriterion, ...] = ()
    steps: tuple[TorfingStep, ...] = ()


@attrs.frozen(kw_only=True)
class AssessmentData:
    """Every assessment's data, from ``data/assessments``."""

    idea_diamond: IdeaDiamondData
    considerations: ConsiderationsData
    ks_keys: KsKeysData
    systems_change: SystemsChangeData
    participation: ParticipationData
    torfing: TorfingData


@cache
def assessment_data() -> AssessmentData:
    """The built-in assessment data, read once.

    >>> d = assessment_data()
    >>> (len(d.considerations.items), len(d.ks_keys.keys), d.ks_keys.top5.keys)
    (20, 18, (1, 2, 3, 4, 9))
    """
    return AssessmentData(
        idea_diamond=load_data_file(IdeaDiamondData, "assessments", "idea_diamond.toml"),
        considerations=load_data_file(ConsiderationsData, "assessments", "considerations.toml"),
        ks_keys=load_data_file(KsKeysData, "assessments", "ks_keys.toml"),
        systems_change=load_data_file(SystemsChangeData, "assessments", "systems_change.toml"),
        participation=load_data_file(ParticipationData, "assessments", "participation.toml"),
        torfing=load_data_file(TorfingData, "assessments", "torfing.toml"),
    )


# --- idea diamond --------------------------------------------------------------------------

_DIMENSIONS = ("strategic_anchoring", "local_anchoring", "reflection", "experimentation")


@attrs.frozen(kw_only=True)
class DiamondScore:
    """The idea diamond's shape: its four scores, area and balance.

    ``area`` is ½ (S + L)(R + E), strategic (S) and local (L) anchoring on one axis,
    reflection (R) and experimentation (E) on the other; ``area_percent`` is the area
    of the largest diamond (all fives: 50). ``balance`` is the lowest score divided by
    the highest (1 is perfectly balanced) [design]. ``weakest`` lists the dimensions
    with the lowest score.
    """

    label: str | None
    strategic_anchoring: int
    local_anchoring: int
    reflection: int
    experimentation: int
    area: Decimal
    area_percent: Decimal
    balance: Decimal
    weakest: tuple[str, ...]
    reasons: tuple[Reason, ...]


def _scores(diamond: IdeaDiamond) -> dict[str, int]:
    return {name: getattr(diamond, name) for name in _DIMENSIONS}


def score_idea_diamond(
    diamond: IdeaDiamond, *, data: AssessmentData | None = None, path: str = "$"
) -> DiamondScore:
    """Area and balance of an idea diamond (Bentzen 2019; 002:3275).

    >>> from samskaping.model import IdeaDiamond
    >>> start = score_idea_diamond(IdeaDiamond(strategic_anchoring=3, local_anchoring=3,
    ...                                        reflection=2, experimentation=2))
    >>> (start.area, start.area_percent, start.balance, start.weakest)
    (Decimal('12'), Decimal('24.00'), Decimal('0.67'), ('reflection', 'experimentation'))

    Raises:
        DocumentError: If a score lies outside the scale of the data (1-5 built in).
    """
    scores = _scores(diamond)
    shape = (data or assessment_data()).idea_diamond
    outside = [
        Problem(
            path=f"{path}.{name}",
            message=f"expected {shape.scale_min}-{shape.scale_max}, got {value}",
        )
        for name, value in scores.items()
        if not shape.scale_min <= value <= shape.scale_max
    ]
    if outside:
        raise DocumentError(outside)
    area = (
        Decimal(
            (scores["strategic_anchoring"] + scores["local_anchoring"])
            * (scores["reflection"] + scores["experimentation"])
        )
        / 2
    )
    largest = Decimal((2 * shape.scale_max) * (2 * shape.scale_max)) / 2
    lowest = min(scores.values())
    balance = quantize(Decimal(lowest) / max(scores.values()), 2)
    weakest = tuple(name for name in _DIMENSIONS if scores[name] == lowest)
    labels = {d.code: d.label for d in shape.dimensions}
    reasons = [
        reason(
            "assessments.diamond_area",
            area=area,
            area_percent=quantize(area / largest * _HUNDRED, 2),
        ),
        reason("assessments.diamond_balance", balance=balance),
        *(
            reason("assessments.diamond_weakest", dimension=labels[name], score=lowest)
            for name in weakest
        ),
    ]
    return DiamondScore(
        label=diamond.label,
        strategic_anchoring=scores["strategic_anchoring"],
        local_anchoring=scores["local_anchoring"],
        reflection=scores["reflection"],
        experimentation=scores["experimentation"],
        area=area,
        area_percent=quantize(area / largest * _HUNDRED, 2),
        balance=balance,
        weakest=weakest,
        reasons=tuple(reasons),
    )


@attrs.frozen(kw_only=True)
class DimensionChange:
    """One dimension's score before and after, and the change."""

    dimension: str
    before: int
    after: int
    change: int


@attrs.frozen(kw_only=True)
class DiamondChange:
    """How the diamond changed: per dimension, the largest growth, and the areas."""

    before: DiamondScore
    after: DiamondScore
    changes: tuple[DimensionChange, ...]
    largest_growth: tuple[str, ...]
    reasons: tuple[Reason, ...]


def compare_idea_diamonds(
    before: IdeaDiamond, after: IdeaDiamond, *, data: AssessmentData | None = None
) -> DiamondChange:
    """Compare two scorings of the idea diamond (e.g. start and end of a project).

    >>> from samskaping.model import IdeaDiamond
    >>> start = IdeaDiamond(strategic_anchoring=3, local_anchoring=3, reflection=2,
    ...                     experimentation=2)
    >>> end = IdeaDiamond(strategic_anchoring=4, local_anchoring=4, reflection=4, experimentation=5)
    >>> c = compare_idea_diamonds(start, end)
    >>> ([d.change for d in c.changes], c.largest_growth, c.after.area)
    ([1, 1, 2, 3], ('experimentation',), Decimal('36'))
    """
    old, new = _scores(before), _scores(after)
    changes = tuple(
        DimensionChange(
            dimension=name, before=old[name], after=new[name], change=new[name] - old[name]
        )
        for name in _DIMENSIONS
    )
    most = max(c.change for c in changes)
    largest = tuple(c.dimension for c in changes if c.change == most) if most > 0 else ()
    data = data or assessment_data()
    labels = {d.code: d.label for d in data.idea_diamond.dimensions}
    reasons = [
        reason(
            "assessments.diamond_change",
            dimension=labels[c.dimension],
            before=c.before,
            after=c.after,
        )
        for c in changes
    ]
    reasons.extend(
        reason("assessments.diamond_largest", dimension=labels[name], change=most)
        for name in largest
    )
    return DiamondChange(
        before=score_idea_diamond(before, data=data),
        after=score_idea_diamond(after, data=data),
        changes=changes,
        largest_growth=largest,
        reasons=tuple(reasons),
    )


# --- the 20 considerations -----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ThemeCount:
    """Answers within one theme."""

    theme: str
    label: LocalText
    yes: int
    maybe: int
    no: int


@attrs.frozen(kw_only=True)
class ConsiderationsScore:
    """The answers to the 20 considerations, counted.

    ``index_percent`` gives yes 1, maybe ½ and no 0, over the answered items [design].
    """

    yes: tuple[int, ...]
    maybe: tuple[int, ...]
    no: tuple[int, ...]
    unanswered: tuple[int, ...]
    index_percent: Decimal | None
    themes: tuple[ThemeCount, ...]
    reasons: tuple[Reason, ...]


def score_considerations(
    answers: Sequence[ConsiderationAnswer],
    *,
    path: str = "$.assessments.considerations",
    data: AssessmentData | None = None,
) -> ConsiderationsScore:
    """Count the answers to the 20 considerations (002 table 18).

    >>> from samskaping.model import ConsiderationAnswer, ConsiderationResponse
    >>> yes = {1, 2, 3, 4, 5, 7, 8, 13, 14, 15, 16}
    >>> answer = {True: ConsiderationResponse.YES, False: ConsiderationResponse.MAYBE}
    >>> s = score_considerations([ConsiderationAnswer(number=n, answer=answer[n in yes])
    ...                           for n in range(1, 21)])
    >>> (len(s.yes), len(s.maybe), len(s.no), s.index_percent)
    (11, 9, 0, Decimal('77.50'))

    Raises:
        DocumentError: If a consideration is answered twice (with the path).
    """
    problems: list[Problem] = []
    by_number: dict[int, ConsiderationResponse] = {}
    for index, answer in enumerate(answers):
        if answer.number in by_number:
            problems.append(
                Problem(
                    path=f"{path}[{index}].number",
                    message=f"consideration {answer.number} is answered twice",
                )
            )
        by_number[answer.number] = answer.answer
    if problems:
        raise DocumentError(problems)
    items = (data or assessment_data()).considerations

    def numbers(response: ConsiderationResponse) -> tuple[int, ...]:
        return tuple(sorted(n for n, a in by_number.items() if a == response))

    yes, maybe, no = (
        numbers(ConsiderationResponse.YES),
        numbers(ConsiderationResponse.MAYBE),
        numbers(ConsiderationResponse.NO),
    )
    unanswered = tuple(item.number for item in items.items if item.number not in by_number)
    answered = len(by_number)
    points = Decimal(len(yes)) + Decimal(len(maybe)) / 2
    index_percent = quantize(points / answered * _HUNDRED, 2) if answered else None
    theme_of = {item.number: item.theme for item in items.items}
    themes = tuple(
        ThemeCount(
            theme=theme.code,
            label=theme.label,
            yes=sum(1 for n in yes if theme_of[n] == theme.code),
            maybe=sum(1 for n in maybe if theme_of[n] == theme.code),
            no=sum(1 for n in no if theme_of[n] == theme.code),
        )
        for theme in items.themes
    )
    reasons = [reason("assessments.considerations", yes=len(yes), maybe=len(maybe), no=len(no))]
    if unanswered:
        reasons.append(
            reason("assessments.considerations_unanswered", Severity.WARNING, count=len(unanswered))
        )
    return ConsiderationsScore(
        yes=yes,
        maybe=maybe,
        no=no,
        unanswered=unanswered,
        index_percent=index_percent,
        themes=themes,
        reasons=tuple(reasons),
    )


# --- KS keys -------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class KeyTally:
    """One key's tally: how many rankings name it, and its points.

    A first place in an ordered ranking gives 5 points, down to 1 for a fifth; each
    mention in an unordered ranking gives 1.
    """

    key: int
    label: LocalText
    mentions: int
    points: int


@attrs.frozen(kw_only=True)
class KeysTally:
    """The tally of several groups' top 5 of the KS keys.

    ``top`` are the five keys with the most points (then mentions, then key number).
    ``order_known`` is false when any ranking gives no order within its five, as the
    KS seminar's does: then the order of ``top`` says nothing about rank.
    """

    rankings: int
    keys: tuple[KeyTally, ...]
    top: tuple[int, ...]
    order_known: bool
    reasons: tuple[Reason, ...]


def tally_ks_keys(
    rankings: Sequence[KeysRanking] | None = None, *, data: AssessmentData | None = None
) -> KeysTally:
    """Tally top-5 rankings of KS's 18 keys; with none given, the seminar's own top 5.

    >>> t = tally_ks_keys()
    >>> (t.top, t.order_known)
    ((1, 2, 3, 4, 9), False)
    >>> from samskaping.model import KeysRanking
    >>> groups = [KeysRanking(keys=(9, 1, 2), ordered=True), KeysRanking(keys=(1, 3), ordered=True)]
    >>> tally_ks_keys(groups).top
    (1, 9, 3, 2)
    """
    keys = (data or assessment_data()).ks_keys
    chosen = list(rankings) if rankings is not None else [keys.top5]
    mentions = dict.fromkeys(range(1, 19), 0)
    points = dict.fromkeys(range(1, 19), 0)
    for ranking in chosen:
        for position, key in enumerate(ranking.keys):
            mentions[key] += 1
            points[key] += (5 - position) if ranking.ordered else 1
    labels = {k.number: k.label for k in keys.keys}
    tallies = tuple(
        KeyTally(key=key, label=labels[key], mentions=mentions[key], points=points[key])
        for key in range(1, 19)
    )
    ranked = sorted(
        (t for t in tallies if t.mentions), key=lambda t: (-t.points, -t.mentions, t.key)
    )
    top = tuple(t.key for t in ranked[:5])
    order_known = bool(chosen) and all(r.ordered for r in chosen)
    reasons = [reason("assessments.ks_top", count=len(chosen), keys=", ".join(map(str, top)))]
    if not order_known:
        reasons.append(reason("assessments.ks_no_order"))
    return KeysTally(
        rankings=len(chosen), keys=tallies, top=top, order_known=order_known, reasons=tuple(reasons)
    )


# --- systems change ------------------------------------------------------------------------


@unique
class ChangeLevel(StrEnum):
    """The three levels of systems change (002:3064-3078)."""

    STRUCTURAL = "structural"
    RELATIONAL = "relational"
    TRANSFORMATIVE = "transformative"


@attrs.frozen(kw_only=True)
class SystemsChangeCoverage:
    """Which of the six conditions, and which of the three levels, are touched."""

    touched: tuple[SystemsCondition, ...]
    untouched: tuple[SystemsCondition, ...]
    levels_touched: tuple[ChangeLevel, ...]
    reasons: tuple[Reason, ...]


def systems_change_coverage(
    assessment: SystemsChangeAssessment, *, data: AssessmentData | None = None
) -> SystemsChangeCoverage:
    """Report the conditions of systems change touched; touching only one is a warning (002:3100).

    >>> from samskaping.model import SystemsChangeAssessment, SystemsCondition
    >>> c = systems_change_coverage(SystemsChangeAssessment(touched=(SystemsCondition.PRACTICES,)))
    >>> [(r.code, r.severity.value) for r in c.reasons]
    [('assessments.systems_single', 'warning')]
    """
    conditions = (data or assessment_data()).systems_change
    level_of = {c.code: ChangeLevel(c.level) for c in conditions.conditions}
    touched = tuple(c for c in SystemsCondition if c in set(assessment.touched))
    levels = tuple(level for level in ChangeLevel if any(level_of[c] == level for c in touched))
    reasons: list[Reason] = []
    if not touched:
        reasons.append(reason("assessments.systems_none", Severity.WARNING))
    elif len(touched) == 1:
        reasons.append(reason("assessments.systems_single", Severity.WARNING))
    else:
        reasons.append(
            reason("assessments.systems_touched", count=len(touched), levels=len(levels))
        )
        if len(levels) == 1:
            reasons.append(reason("assessments.systems_one_level", level=levels[0]))
    return SystemsChangeCoverage(
        touched=touched,
        untouched=tuple(c for c in SystemsCondition if c not in touched),
        levels_touched=levels,
        reasons=tuple(reasons),
    )


# --- participation -------------------------------------------------------------------------


def arnstein_for_iap2(level: ParticipationLevel) -> tuple[ArnsteinRung, ...]:
    """The Arnstein rungs an IAP2 level roughly corresponds to [design, approximate].

    >>> [r.value for r in arnstein_for_iap2(ParticipationLevel.EMPOWER)]
    ['delegated_power', 'citizen_control']
    """
    for entry in assessment_data().participation.iap2:
        if entry.code == level:
            return entry.arnstein
    raise InvalidInputError(f"unknown IAP2 level {level!r}", what="level")  # pragma: no cover


@attrs.frozen(kw_only=True)
class ActivityParticipation:
    """One activity's participation level on both scales, and the Arnstein group."""

    activity: str
    iap2: ParticipationLevel | None
    arnstein: ArnsteinRung | None
    arnstein_group: str | None


@attrs.frozen(kw_only=True)
class ParticipationProfile:
    """The participation level of each involvement activity, counted per level."""

    activities: tuple[ActivityParticipation, ...]
    iap2_counts: tuple[tuple[ParticipationLevel, int], ...]
    arnstein_counts: tuple[tuple[ArnsteinRung, int], ...]
    highest_iap2: ParticipationLevel | None
    reasons: tuple[Reason, ...]


def participation_profile(
    project: Project | Programme, *, path: str = "$", data: AssessmentData | None = None
) -> ParticipationProfile:
    """The participation levels of a project's involvement activities.

    An activity's IAP2 level comes from a rating in ``assessments.participation`` or
    else from the activity's own ``participation_level``.

    >>> from samskaping.model import InvolvementActivity, InvolvementMethod, Project
    >>> p = Project(id="p", name="P", involvement_activities=(
    ...     InvolvementActivity(id="gjestebud", method=InvolvementMethod.GJESTEBUD,
    ...                         participation_level=ParticipationLevel.INVOLVE),))
    >>> participation_profile(p).highest_iap2
    <ParticipationLevel.INVOLVE: 'involve'>

    Raises:
        DocumentError: If a rating names an activity the project does not have.
    """
    levels_data = (data or assessment_data()).participation
    activities = {a.id: a for a in project.involvement_activities}
    ratings = {}
    problems: list[Problem] = []
    for index, rating in enumerate(project.assessments.participation):
        if rating.activity not in activities:
            problems.append(
                Problem(
                    path=f"{path}.assessments.participation[{index}].activity",
                    message=f"unknown activity {rating.activity!r}",
                )
            )
        ratings[rating.activity] = rating
    if problems:
        raise DocumentError(problems)
    group_of = {r.code: r.group for r in levels_data.arnstein}
    rows = []
    for activity in project.involvement_activities:
        rated = ratings.get(activity.id)
        iap2 = rated.iap2 if rated is not None and rated.iap2 is not None else None
        iap2 = iap2 or activity.participation_level
        rung = rated.arnstein if rated is not None else None
        rows.append(
            ActivityParticipation(
                activity=activity.id,
                iap2=iap2,
                arnstein=rung,
                arnstein_group=group_of.get(rung) if rung else None,
            )
        )
    iap2_counts = tuple(
        (level, sum(1 for r in rows if r.iap2 == level)) for level in ParticipationLevel
    )
    arnstein_counts = tuple(
        (rung, sum(1 for r in rows if r.arnstein == rung)) for rung in ArnsteinRung
    )
    levels = [r.iap2 for r in rows if r.iap2 is not None]
    order = list(ParticipationLevel)
    highest = max(levels, key=order.index) if levels else None
    reasons: list[Reason] = []
    if highest is not None:
        reasons.append(
            reason("assessments.participation_highest", level=highest, count=len(levels))
        )
    unrated = sum(1 for r in rows if r.iap2 is None)
    if unrated:
        reasons.append(reason("assessments.participation_unrated", count=unrated))
    return ParticipationProfile(
        activities=tuple(rows),
        iap2_counts=iap2_counts,
        arnstein_counts=arnstein_counts,
        highest_iap2=highest,
        reasons=tuple(reasons),
    )


# --- Torfing's test ------------------------------------------------------------------------


@unique
class TorfingOutcome(StrEnum):
    """The outcome of Torfing's test."""

    NOT_CO_CREATION = "not_co_creation"
    PASSES = "passes"
    INCOMPLETE = "incomplete"


@attrs.frozen(kw_only=True)
class TorfingResult:
    """Torfing's test: ``failed`` names the signs of non-co-creation found."""

    outcome: TorfingOutcome
    failed: tuple[str, ...]
    unanswered: tuple[str, ...]
    reasons: tuple[Reason, ...]


def torfing_test(test: TorfingTest, *, data: AssessmentData | None = None) -> TorfingResult:
    """Apply Torfing's test of what is *not* co-creation (004:15-19).

    Any sign found means it is not co-creation; all three answered "no" passes; else
    the test is incomplete.

    >>> from samskaping.model import TorfingTest
    >>> torfing_test(TorfingTest(nearly_finished_solutions=True)).outcome
    <TorfingOutcome.NOT_CO_CREATION: 'not_co_creation'>
    >>> torfing_test(TorfingTest(nearly_finished_solutions=False, preprogrammed_process=False,
    ...                          offloading_to_save_money=False)).outcome
    <TorfingOutcome.PASSES: 'passes'>
    """
    signs = (data or assessment_data()).torfing
    answers = {c.code: getattr(test, c.code) for c in signs.criteria}
    labels = {c.code: c.label for c in signs.criteria}
    failed = tuple(code for code, value in answers.items() if value is True)
    unanswered = tuple(code for code, value in answers.items() if value is None)
    reasons = [
        reason("assessments.torfing_sign", Severity.WARNING, sign=labels[code]) for code in failed
    ]
    if failed:
        outcome = TorfingOutcome.NOT_CO_CREATION
    elif unanswered:
        outcome = TorfingOutcome.INCOMPLETE
        reasons.append(reason("assessments.torfing_incomplete", count=len(unanswered)))
    else:
        outcome = TorfingOutcome.PASSES
        reasons.append(reason("assessments.torfing_passes"))
    return TorfingResult(
        outcome=outcome, failed=failed, unanswered=unanswered, reasons=tuple(reasons)
    )
