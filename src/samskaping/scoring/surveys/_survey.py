"""Survey scoring: Likert items, dimensions, reverse-scored items, roles and deltas.

DOMAIN §4. The staff survey of Innbyggernes modell (002:4432-4713) ships as data
(``data/instruments/staff_2023.toml``): a Likert scale 1 *i svært liten grad* … 5
*i svært stor grad*, plus 6 *vet ikke* (don't know), which this library leaves out of
every mean; items grouped in dimensions; the "problems and dilemmas" items
reverse-scored, because a fall there is a positive development (002:1954).

A survey round records either the answers (:class:`~samskaping.model.SurveyResponse`)
or the means a report printed (:class:`~samskaping.model.ReportedMean`, e.g. 4.4 → 3.6,
002:2040). An item's mean comes from the answers when there are any, else from the
reported mean. A dimension's mean is the mean of its items' means, each turned the
positive way (reverse-scored items as min + max − mean) [design].
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Literal

import attrs

from samskaping._errors import DocumentError, InvalidInputError, Problem, UnknownNameError
from samskaping.io import format_of, parse, read_text, structure
from samskaping.model import Severity, SurveyResponse, SurveyRound, identifier
from samskaping.scoring._common import LocalText, Reason, load_data_file, quantize, reason

__all__ = [
    "DimensionDelta",
    "DimensionScore",
    "ItemDelta",
    "ItemScore",
    "LikertScale",
    "RoleChange",
    "RoleScore",
    "ScaleOption",
    "SurveyChange",
    "SurveyDimension",
    "SurveyInstrument",
    "SurveyItem",
    "SurveyRole",
    "SurveyScore",
    "load_survey_instrument",
    "read_survey_instrument",
    "reverse_score",
    "score_survey",
    "survey_deltas",
    "survey_instrument",
    "survey_instruments",
]

#: The built-in instruments, by name.
_BUILTIN = ("staff_2023",)


@attrs.frozen(kw_only=True)
class ScaleOption:
    """An answer option: its code and its label."""

    value: int
    label: LocalText


@attrs.frozen(kw_only=True)
class LikertScale:
    """A Likert scale from ``min`` to ``max``, with an optional "don't know" code."""

    min: int = 1
    max: int = 5
    dont_know: int | None = None
    options: tuple[ScaleOption, ...] = ()
    source: str | None = None
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.min >= self.max:
            message = f"a Likert scale needs min below max, got {self.min}-{self.max}"
            raise InvalidInputError(f"{message} (the scale is empty)", what="max")
        if self.dont_know is not None and self.min <= self.dont_know <= self.max:
            raise InvalidInputError(
                "the 'don't know' code must lie outside min-max", what="dont_know"
            )


@attrs.frozen(kw_only=True)
class SurveyRole:
    """A respondent role of the instrument, with the answer code that selects it."""

    code: str = attrs.field(validator=identifier)
    value: int | None = None
    label: LocalText
    source: str | None = None


@attrs.frozen(kw_only=True)
class SurveyDimension:
    """A group of Likert items (a battery). ``roles`` limits who is asked (empty: everyone)."""

    code: str = attrs.field(validator=identifier)
    label: LocalText
    stem: LocalText | None = None
    roles: tuple[str, ...] = ()
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class SurveyItem:
    """A question. ``kind`` is ``likert`` (scored), ``choice`` (coded options) or ``open``.

    ``id`` is this library's code: the source has none (002:4432-4713).
    ``truncated`` marks items cut off in the source.
    """

    id: str = attrs.field(validator=identifier)
    kind: Literal["likert", "choice", "open"]
    dimension: str | None = None
    section: str | None = None
    text: LocalText
    reverse: bool = False
    truncated: bool = False
    options: tuple[ScaleOption, ...] = ()
    routing: str | None = None
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class SurveyInstrument:
    """A questionnaire (*spørreskjema*): its scale, roles, dimensions and items."""

    name: str = attrs.field(validator=identifier)
    year: int | None = None
    title: LocalText
    scale: LikertScale
    roles: tuple[SurveyRole, ...] = ()
    dimensions: tuple[SurveyDimension, ...] = ()
    items: tuple[SurveyItem, ...] = ()
    source: str | None = None
    note: str | None = None

    def item(self, item_id: str) -> SurveyItem:
        """The item with id ``item_id``.

        Raises:
            UnknownNameError: If there is none.
        """
        for item in self.items:
            if item.id == item_id:
                return item
        raise UnknownNameError("survey item", item_id, (i.id for i in self.items))

    def likert_items(self, dimension: str | None = None) -> tuple[SurveyItem, ...]:
        """The Likert items, optionally of one dimension, in instrument order.

        >>> [i.id for i in survey_instrument().likert_items("B")]
        ['B1', 'B2', 'B3']
        """
        return tuple(
            i
            for i in self.items
            if i.kind == "likert" and (dimension is None or i.dimension == dimension)
        )


def _check_instrument(instrument: SurveyInstrument, source: str | None) -> SurveyInstrument:
    problems: list[Problem] = []
    dimensions = {d.code for d in instrument.dimensions}
    roles = {r.code for r in instrument.roles}
    seen: set[str] = set()
    for index, item in enumerate(instrument.items):
        if item.id in seen:
            problems.append(Problem(path=f"$.items[{index}].id", message="the id is used twice"))
        seen.add(item.id)
        if item.kind == "likert" and item.dimension not in dimensions:
            problems.append(
                Problem(
                    path=f"$.items[{index}].dimension",
                    message=f"unknown dimension {item.dimension!r}",
                )
            )
        if item.kind == "choice" and not item.options:
            problems.append(
                Problem(path=f"$.items[{index}].options", message="a choice item needs options")
            )
    for index, dimension in enumerate(instrument.dimensions):
        problems.extend(
            Problem(path=f"$.dimensions[{index}].roles", message=f"unknown role {role!r}")
            for role in dimension.roles
            if role not in roles
        )
    if problems:
        raise DocumentError(problems, source=source)
    return instrument


def survey_instruments() -> tuple[str, ...]:
    """The names of the built-in instruments.

    >>> survey_instruments()
    ('staff_2023',)
    """
    return _BUILTIN


@cache
def survey_instrument(name: str = "staff_2023") -> SurveyInstrument:
    """A built-in instrument by name: the 2023 staff survey of 002 (Vedlegg 4) by default.

    >>> s = survey_instrument()
    >>> (s.scale.min, s.scale.max, s.scale.dont_know, len(s.likert_items()))
    (1, 5, 6, 26)

    Raises:
        UnknownNameError: If there is no such instrument.
    """
    if name not in _BUILTIN:
        raise UnknownNameError("survey instrument", name, _BUILTIN)
    return _check_instrument(
        load_data_file(SurveyInstrument, "instruments", f"{name}.toml"), f"{name}.toml"
    )


def read_survey_instrument(
    text: str, format: Literal["json", "toml"] = "toml", *, source: str | None = None
) -> SurveyInstrument:
    """Read an instrument of your own from TOML or JSON text, in the built-in file's shape.

    >>> own = read_survey_instrument('''
    ... name = "citizens"
    ... title = { nb = "Innbyggere", nn = "Innbyggjarar", en = "Citizens" }
    ... scale = { min = 1, max = 5 }
    ... [[dimensions]]
    ... code = "trust"
    ... label = { nb = "Tillit", nn = "Tillit", en = "Trust" }
    ... [[items]]
    ... id = "T1"
    ... kind = "likert"
    ... dimension = "trust"
    ... text = { nb = "Jeg stoler på kommunen", nn = "Eg stolar på kommunen", en = "I trust it" }
    ... ''')
    >>> [i.id for i in own.likert_items("trust")]
    ['T1']

    Raises:
        DocumentError: If the text is malformed or refers to unknown dimensions or roles.
    """
    instrument: SurveyInstrument = structure(
        parse(text, format, source=source), SurveyInstrument, source=source
    )
    return _check_instrument(instrument, source)


def load_survey_instrument(path: str | Path) -> SurveyInstrument:
    """Read an instrument file (``.toml`` or ``.json``); see :func:`read_survey_instrument`.

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "mine.json"
    >>> _ = path.write_text('{"name": "mine", "title": {"nb": "M", "nn": "M", "en": "M"},'
    ...                     ' "scale": {"min": 1, "max": 7}}', encoding="utf-8")
    >>> load_survey_instrument(path).scale.max
    7

    Raises:
        DocumentError: If the file cannot be read or is malformed.
    """
    file = Path(path)
    format = format_of(file, "toml")
    return read_survey_instrument(read_text(file), format, source=file.name)


def reverse_score(value: Decimal | int, scale: LikertScale) -> Decimal:
    """Turn a value (or a mean) on ``scale`` the other way: min + max − value.

    >>> reverse_score(2, survey_instrument().scale)
    Decimal('4')

    Raises:
        InvalidInputError: If the value lies outside the scale.
    """
    if not scale.min <= value <= scale.max:
        raise InvalidInputError(
            f"value {value} is outside the scale {scale.min}-{scale.max}", what="value"
        )
    return Decimal(scale.min + scale.max) - Decimal(value)


# --- scoring a round -----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ItemScore:
    """One Likert item's mean. ``oriented_mean`` is turned the positive way.

    ``basis`` is ``answers`` (from responses), ``reported`` (a printed mean) or
    ``none``. ``n`` counts the answers in the mean; ``dont_know`` the "vet ikke".
    """

    item: str
    dimension: str
    reverse: bool
    basis: str
    n: int | None
    dont_know: int
    mean: Decimal | None
    oriented_mean: Decimal | None


@attrs.frozen(kw_only=True)
class DimensionScore:
    """A dimension's mean: the mean of its items' oriented means (2 decimals).

    ``items`` counts the items that have a mean, of the dimension's ``total_items``.
    """

    dimension: str
    label: LocalText
    items: int
    total_items: int
    mean: Decimal | None


@attrs.frozen(kw_only=True)
class RoleScore:
    """The item and dimension means of the respondents with one role."""

    role: str
    respondents: int
    items: tuple[ItemScore, ...]
    dimensions: tuple[DimensionScore, ...]


@attrs.frozen(kw_only=True)
class SurveyScore:
    """The scores of one survey round."""

    id: str
    instrument: str
    year: int
    respondents: int
    invited: int | None
    response_percent: Decimal | None
    items: tuple[ItemScore, ...]
    dimensions: tuple[DimensionScore, ...]
    by_role: tuple[RoleScore, ...]
    reasons: tuple[Reason, ...]


def _answer_problem(item: SurveyItem, value: int, scale: LikertScale) -> str | None:
    if item.kind == "open":
        return "an open item has no coded answer"
    if item.kind == "choice":
        if value not in {o.value for o in item.options}:
            return f"{value} is not an option of {item.id}"
        return None
    if scale.min <= value <= scale.max or value == scale.dont_know:
        return None
    allowed = f"{scale.min}-{scale.max}"
    if scale.dont_know is not None:
        allowed += f" or {scale.dont_know}"
    return f"answer {value} is outside the scale ({allowed})"


def _response_problems(
    response: SurveyResponse, instrument: SurveyInstrument, where: str
) -> list[Problem]:
    problems: list[Problem] = []
    roles = {r.code for r in instrument.roles}
    if response.role is not None and roles and response.role not in roles:
        message = f"unknown role; known: {', '.join(sorted(roles))}"
        problems.append(Problem(path=f"{where}.role", message=message))
    known = {i.id: i for i in instrument.items}
    seen: set[str] = set()
    for a, answer in enumerate(response.answers):
        at = f"{where}.answers[{a}]"
        item = known.get(answer.item)
        if item is None:
            problems.append(Problem(path=f"{at}.item", message=f"unknown item {answer.item!r}"))
            continue
        if answer.item in seen:
            problems.append(Problem(path=f"{at}.item", message="the item is answered twice"))
        seen.add(answer.item)
        wrong = _answer_problem(item, answer.value, instrument.scale)
        if wrong is not None:
            where_wrong = f"{at}.item" if item.kind == "open" else f"{at}.value"
            problems.append(Problem(path=where_wrong, message=wrong))
    return problems


def _check_round(survey: SurveyRound, instrument: SurveyInstrument, path: str) -> list[Problem]:
    problems: list[Problem] = []
    scale = instrument.scale
    roles = {r.code for r in instrument.roles}
    likert = {i.id for i in instrument.likert_items()}
    if survey.instrument != instrument.name:
        message = f"the round names {survey.instrument!r} but is scored with {instrument.name!r}"
        problems.append(Problem(path=f"{path}.instrument", message=message))
    for r, response in enumerate(survey.responses):
        problems.extend(_response_problems(response, instrument, f"{path}.responses[{r}]"))
    for m, mean in enumerate(survey.reported_means):
        at = f"{path}.reported_means[{m}]"
        if mean.item not in likert:
            message = f"unknown Likert item {mean.item!r}"
            problems.append(Problem(path=f"{at}.item", message=message))
        if not scale.min <= mean.mean <= scale.max:
            message = f"mean {mean.mean} is outside the scale {scale.min}-{scale.max}"
            problems.append(Problem(path=f"{at}.mean", message=message))
        if mean.role is not None and roles and mean.role not in roles:
            problems.append(Problem(path=f"{at}.role", message="unknown role"))
    return problems


def _item_scores(
    instrument: SurveyInstrument,
    responses: Sequence[SurveyResponse],
    reported: dict[str, Decimal],
) -> tuple[ItemScore, ...]:
    scale = instrument.scale
    scores: list[ItemScore] = []
    for item in instrument.likert_items():
        values = [a.value for r in responses for a in r.answers if a.item == item.id]
        valid = [v for v in values if scale.min <= v <= scale.max]
        dont_know = sum(1 for v in values if v == scale.dont_know)
        mean: Decimal | None
        if valid:
            basis, n, mean = "answers", len(valid), quantize(Decimal(sum(valid)) / len(valid), 2)
        elif item.id in reported:
            basis, n, mean = "reported", None, reported[item.id]
        else:
            basis, n, mean = "none", 0, None
        oriented = reverse_score(mean, scale) if mean is not None and item.reverse else mean
        scores.append(
            ItemScore(
                item=item.id,
                dimension=item.dimension or "",
                reverse=item.reverse,
                basis=basis,
                n=n,
                dont_know=dont_know,
                mean=mean,
                oriented_mean=oriented,
            )
        )
    return tuple(scores)


def _dimension_scores(
    instrument: SurveyInstrument, items: Iterable[ItemScore]
) -> tuple[DimensionScore, ...]:
    by_dimension: dict[str, list[Decimal]] = {}
    for score in items:
        if score.oriented_mean is not None:
            by_dimension.setdefault(score.dimension, []).append(score.oriented_mean)
    return tuple(
        DimensionScore(
            dimension=d.code,
            label=d.label,
            items=len(by_dimension.get(d.code, [])),
            total_items=len(instrument.likert_items(d.code)),
            mean=quantize(sum(by_dimension[d.code], Decimal(0)) / len(by_dimension[d.code]), 2)
            if by_dimension.get(d.code)
            else None,
        )
        for d in instrument.dimensions
    )


def score_survey(
    survey: SurveyRound, instrument: SurveyInstrument | None = None, *, path: str = "$"
) -> SurveyScore:
    """Score a survey round: item means, dimension means and means per respondent role.

    Answers of 6 (*vet ikke*) are counted but left out of the means.

    >>> from samskaping.model import SurveyAnswer, SurveyResponse, SurveyRound
    >>> rs = (SurveyResponse(role="employee", answers=(SurveyAnswer(item="B1", value=2),
    ...                                                  SurveyAnswer(item="C5", value=6))),
    ...       SurveyResponse(role="employee", answers=(SurveyAnswer(item="B1", value=3),
    ...                                                  SurveyAnswer(item="C5", value=4))))
    >>> s = score_survey(SurveyRound(id="r", instrument="staff_2023", year=2023, responses=rs))
    >>> b1 = next(i for i in s.items if i.item == "B1")
    >>> (b1.mean, b1.oriented_mean)
    (Decimal('2.50'), Decimal('3.50'))
    >>> c5 = next(i for i in s.items if i.item == "C5")
    >>> (c5.n, c5.dont_know, c5.mean)
    (1, 1, Decimal('4.00'))

    Raises:
        UnknownNameError: If the round names an instrument that is not built in and
            none is given.
        DocumentError: With the path of every answer outside the scale, unknown
            item or role, and reported mean outside the scale.
    """
    instrument = instrument or survey_instrument(survey.instrument)
    problems = _check_round(survey, instrument, path)
    if problems:
        raise DocumentError(problems)
    reported = {m.item: m.mean for m in survey.reported_means if m.role is None}
    items = _item_scores(instrument, survey.responses, reported)
    roles: list[RoleScore] = []
    role_codes = [r.code for r in instrument.roles]
    present = {r.role for r in survey.responses if r.role is not None} | {
        m.role for m in survey.reported_means if m.role is not None
    }
    for role in [*role_codes, *sorted(present - set(role_codes))]:
        if role not in present:
            continue
        chosen = [r for r in survey.responses if r.role == role]
        role_reported = {m.item: m.mean for m in survey.reported_means if m.role == role}
        role_items = _item_scores(instrument, chosen, role_reported)
        roles.append(
            RoleScore(
                role=role,
                respondents=len(chosen),
                items=role_items,
                dimensions=_dimension_scores(instrument, role_items),
            )
        )
    respondents = len(survey.responses) or (survey.respondents or 0)
    response_percent = (
        quantize(Decimal(respondents) / survey.invited * 100, 1)
        if survey.invited and respondents
        else None
    )
    reasons: list[Reason] = [reason("survey.respondents", year=survey.year, count=respondents)]
    if response_percent is not None and survey.invited:
        reasons.append(
            reason("survey.response_rate", invited=survey.invited, share_percent=response_percent)
        )
    dont_know = sum(i.dont_know for i in items)
    if dont_know:
        reasons.append(reason("survey.dont_know_excluded", count=dont_know))
    if any(i.basis == "reported" for i in items):
        reasons.append(reason("survey.reported_means", Severity.INFO))
    return SurveyScore(
        id=survey.id,
        instrument=instrument.name,
        year=survey.year,
        respondents=respondents,
        invited=survey.invited,
        response_percent=response_percent,
        items=items,
        dimensions=_dimension_scores(instrument, items),
        by_role=tuple(roles),
        reasons=tuple(reasons),
    )


# --- year over year ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ItemDelta:
    """An item's mean in two rounds and the change.

    ``improved`` reads the change the positive way: for a reverse-scored item a fall
    is an improvement (002:1954). It is ``None`` when there is no change to read.
    """

    item: str
    dimension: str
    before: Decimal | None
    after: Decimal | None
    change: Decimal | None
    improved: bool | None


@attrs.frozen(kw_only=True)
class DimensionDelta:
    """A dimension's mean in two rounds and the change (both turned the positive way)."""

    dimension: str
    before: Decimal | None
    after: Decimal | None
    change: Decimal | None


@attrs.frozen(kw_only=True)
class RoleChange:
    """The change of the items answered by one respondent role."""

    role: str
    items: tuple[ItemDelta, ...]


@attrs.frozen(kw_only=True)
class SurveyChange:
    """The change from one round to the next, overall and per respondent role."""

    before_year: int
    after_year: int
    items: tuple[ItemDelta, ...]
    dimensions: tuple[DimensionDelta, ...]
    by_role: tuple[RoleChange, ...]
    reasons: tuple[Reason, ...]


def _item_deltas(old: Sequence[ItemScore], new: Sequence[ItemScore]) -> tuple[ItemDelta, ...]:
    items: list[ItemDelta] = []
    for o, n in zip(old, new, strict=True):
        change = n.mean - o.mean if n.mean is not None and o.mean is not None else None
        improved: bool | None = None
        if change is not None and change != 0:
            improved = (change < 0) if o.reverse else (change > 0)
        if o.mean is not None or n.mean is not None:
            delta = ItemDelta(
                item=o.item,
                dimension=o.dimension,
                before=o.mean,
                after=n.mean,
                change=change,
                improved=improved,
            )
            items.append(delta)
    return tuple(items)


def survey_deltas(
    before: SurveyRound, after: SurveyRound, instrument: SurveyInstrument | None = None
) -> SurveyChange:
    """The year-over-year change of every item and dimension with a mean in both rounds.

    >>> from samskaping.model import ReportedMean, SurveyRound
    >>> r22 = SurveyRound(id="s22", instrument="staff_2023", year=2022,
    ...                   reported_means=(ReportedMean(item="C5", mean=Decimal("4.4")),))
    >>> r23 = SurveyRound(id="s23", instrument="staff_2023", year=2023,
    ...                   reported_means=(ReportedMean(item="C5", mean=Decimal("3.6")),))
    >>> d = next(i for i in survey_deltas(r22, r23).items if i.item == "C5")
    >>> (d.before, d.after, d.change, d.improved)
    (Decimal('4.4'), Decimal('3.6'), Decimal('-0.8'), False)

    Raises:
        DocumentError: If either round is malformed (see :func:`score_survey`).
    """
    instrument = instrument or survey_instrument(after.instrument)
    old = score_survey(before, instrument, path="$.before")
    new = score_survey(after, instrument, path="$.after")
    items = _item_deltas(old.items, new.items)
    new_roles = {r.role: r for r in new.by_role}
    by_role = tuple(
        RoleChange(role=r.role, items=_item_deltas(r.items, new_roles[r.role].items))
        for r in old.by_role
        if r.role in new_roles
    )
    dimensions = tuple(
        DimensionDelta(
            dimension=o.dimension,
            before=o.mean,
            after=n.mean,
            change=n.mean - o.mean if n.mean is not None and o.mean is not None else None,
        )
        for o, n in zip(old.dimensions, new.dimensions, strict=True)
        if o.mean is not None or n.mean is not None
    )
    reasons = [
        reason(
            "survey.change",
            before_year=before.year,
            after_year=after.year,
            improved=sum(1 for i in items if i.improved is True),
            worse=sum(1 for i in items if i.improved is False),
        )
    ]
    return SurveyChange(
        before_year=before.year,
        after_year=after.year,
        items=items,
        dimensions=dimensions,
        by_role=by_role,
        reasons=tuple(reasons),
    )
