"""One result per area for a whole project: risk, goals, utenfor-regnskapet, assessments.

These are what ``samskaping score risk|goals|utenfor|assessment`` prints, and what a
report or a service embeds. Each takes a project or programme (its own figures, not
its sub-projects'; walk those with :func:`samskaping.model.iter_projects`) and the
JSON path of that project, so errors point into the document.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Mapping, Sequence
from decimal import Decimal

import attrs

from samskaping._errors import UnknownNameError
from samskaping._records import Records, plain
from samskaping.l10n import today_in_oslo
from samskaping.model import Programme, Project, Severity, SurveyRound
from samskaping.scoring._common import Reason, reason
from samskaping.scoring.assessments import (
    AssessmentData,
    ConsiderationsScore,
    DiamondChange,
    DiamondScore,
    KeysTally,
    ParticipationProfile,
    SystemsChangeCoverage,
    TorfingResult,
    compare_idea_diamonds,
    participation_profile,
    score_considerations,
    score_idea_diamond,
    systems_change_coverage,
    tally_ks_keys,
    torfing_test,
)
from samskaping.scoring.goals import (
    AttainmentThresholds,
    BenefitsRealisation,
    GasResult,
    GoalSettings,
    ProjectAttainment,
    benefits_realisation,
    gas_from_goals,
    project_attainment,
)
from samskaping.scoring.meeting_places import (
    MeetingPlaceMetrics,
    ViabilityThreshold,
    meeting_places_metrics,
)
from samskaping.scoring.risk import (
    HeatMap,
    RiskConfig,
    RiskMatrix,
    RiskProfile,
    RiskScore,
    heat_map,
    risk_matrix,
    risk_profile,
    score_risks,
)
from samskaping.scoring.surveys import (
    SurveyChange,
    SurveyInstrument,
    SurveyScore,
    score_survey,
    survey_deltas,
)
from samskaping.scoring.utenfor import (
    DEFAULT_TOLERANCE,
    ConsistencyReport,
    CostProfile,
    UtenforResult,
    check_consistency,
    cost_profile,
    utenfor_result,
)

__all__ = [
    "AssessmentReport",
    "GoalsReport",
    "RiskReport",
    "UtenforReport",
    "assessment_report",
    "default_as_of",
    "goals_report",
    "risk_report",
    "utenfor_report",
]


@attrs.frozen(kw_only=True)
class RiskReport(Records):
    """A project's risk register scored: each risk, the profile and two heat maps."""

    path: str
    id: str
    name: str
    scale: str
    rule: str
    risks: tuple[RiskScore, ...]
    profile: RiskProfile
    heat_map: HeatMap
    residual_heat_map: HeatMap

    def to_records(self) -> list[dict[str, object]]:
        """One row per risk, scored before and after mitigation."""
        return [
            {
                "id": score.id,
                "title": score.title,
                "kind": plain(score.kind),
                "status": plain(score.status),
                "probability": score.initial.probability if score.initial else None,
                "consequence": score.initial.consequence if score.initial else None,
                "band": score.band,
                "residual_band": score.residual.band if score.residual else None,
                "basis": plain(score.basis),
            }
            for score in self.risks
        ]


def risk_report(
    project: Project | Programme,
    matrix: RiskMatrix | None = None,
    *,
    top: int = 5,
    path: str = "$",
    config: RiskConfig | None = None,
) -> RiskReport:
    """Score a project's risks: the project's ``risk_scale`` unless a matrix is given.

    The scale is looked up in ``config`` (a profile's ``risk``), the built-in scales
    by default.

    >>> from samskaping.model import Project, Risk
    >>> graded = Risk(id="r1", title="t", assessed_band="høy")
    >>> r = risk_report(Project(id="p", name="P", risks=(graded,)))
    >>> [(c.band, c.count) for c in r.profile.counts]
    [('lav', 0), ('moderat', 0), ('alvorlig', 1)]

    Raises:
        UnknownNameError: If the project names a risk scale that is not known.
        DocumentError: If a risk has a level outside the scale or an unknown grade.
    """
    matrix = matrix or risk_matrix(project.risk_scale, config=config)
    where = f"{path}.risks"
    return RiskReport(
        path=path,
        id=project.id,
        name=project.name,
        scale=matrix.scale.name,
        rule=matrix.rule.name,
        risks=score_risks(project.risks, matrix, path=where),
        profile=risk_profile(project.risks, matrix, top=top, path=where),
        heat_map=heat_map(project.risks, matrix),
        residual_heat_map=heat_map(project.risks, matrix, residual=True),
    )


def default_as_of(project: Project | Programme) -> datetime.date:
    """The date a project is scored as of by default: the end of its period, else today in Oslo.

    >>> import datetime
    >>> from samskaping.model import Period, Project
    >>> default_as_of(Project(id="p", name="P", period=Period(start=datetime.date(2021, 3, 1),
    ...                                                       end=datetime.date(2024, 6, 30))))
    datetime.date(2024, 6, 30)
    """
    if project.period is not None and project.period.end is not None:
        return project.period.end
    return today_in_oslo()


@attrs.frozen(kw_only=True)
class GoalsReport(Records):
    """A project's goal attainment, GAS, benefits and meeting places."""

    path: str
    id: str
    name: str
    as_of: datetime.date
    attainment: ProjectAttainment
    gas: GasResult | None
    benefits: BenefitsRealisation
    meeting_places: tuple[MeetingPlaceMetrics, ...]

    def to_records(self) -> list[dict[str, object]]:
        """One row per goal: its attainment, level, recorded level and GAS score."""
        return [
            {
                "id": goal.id,
                "title": goal.title,
                "weight": goal.weight,
                "percent": goal.percent,
                "level": plain(goal.level) if goal.level else None,
                "assessed": plain(goal.assessed) if goal.assessed else None,
                "gas_score": goal.gas_score,
            }
            for goal in self.attainment.goals
        ]


def goals_report(
    project: Project | Programme,
    *,
    as_of: datetime.date | None = None,
    thresholds: AttainmentThresholds | None = None,
    viability: ViabilityThreshold | None = None,
    path: str = "$",
    settings: GoalSettings | None = None,
) -> GoalsReport:
    """Goal attainment with reasons, GAS, benefits realisation and meeting-place metrics.

    ``settings`` (a profile's ``goals``) give the thresholds, GAS and benefit settings;
    ``thresholds`` replaces its attainment thresholds. The built-in settings by default.

    >>> from samskaping.model import Project
    >>> g = goals_report(Project(id="p", name="P"), as_of=datetime.date(2024, 6, 30))
    >>> (g.attainment.level, g.gas, g.meeting_places)
    (None, None, ())

    Raises:
        DocumentError: If a meeting place has a rating outside its scale.
    """
    as_of = as_of or default_as_of(project)
    return GoalsReport(
        path=path,
        id=project.id,
        name=project.name,
        as_of=as_of,
        attainment=project_attainment(
            project,
            as_of=as_of,
            thresholds=thresholds or (settings.attainment if settings else None),
        ),
        gas=gas_from_goals(project.goals, rho=settings.gas.rho if settings else None),
        benefits=benefits_realisation(
            project, as_of, settings=settings.benefits if settings else None
        ),
        meeting_places=meeting_places_metrics(
            project.meeting_places, viability, path=f"{path}.meeting_places"
        ),
    )


@attrs.frozen(kw_only=True)
class UtenforReport:
    """A project's utenfor-regnskapet cases: the consistency check and each calculation.

    ``results`` holds the cases that could be calculated: those naming a cost profile,
    or all when a profile is given.
    """

    path: str
    id: str
    name: str
    discount_rate: Decimal
    consistency: ConsistencyReport
    results: tuple[UtenforResult, ...]
    reasons: tuple[Reason, ...]


def utenfor_report(
    project: Project | Programme,
    profile: CostProfile | None = None,
    *,
    discount_rate: Decimal = Decimal(0),
    tolerance: Decimal = DEFAULT_TOLERANCE,
    path: str = "$",
    profiles: Mapping[str, CostProfile] | None = None,
) -> UtenforReport:
    """Check and calculate a project's utenfor-regnskapet cases (DOMAIN §8).

    A case's cost profile is looked up in ``profiles`` (a profile's ``cost_profiles``),
    the shipped ones by default.

    >>> from samskaping.model import Project
    >>> r = utenfor_report(Project(id="p", name="P"))
    >>> (r.results, [x.code for x in r.reasons])
    ((), ['utenfor.no_cases'])

    Raises:
        UnknownNameError: If a case names a cost profile that is not known.
        InvalidInputError: If the discount rate or the tolerance is out of range.
    """
    cases = project.assessments.utenfor
    reasons: list[Reason] = []
    results: list[UtenforResult] = []
    for case in cases:
        chosen = profile or _cost_profile(case.cost_profile, profiles)
        if chosen is not None:
            results.append(utenfor_result(case, chosen, discount_rate=discount_rate))
    if not cases:
        reasons.append(reason("utenfor.no_cases"))
    elif len(results) < len(cases):
        reasons.append(
            reason("utenfor.no_profile", Severity.WARNING, count=len(cases) - len(results))
        )
    return UtenforReport(
        path=path,
        id=project.id,
        name=project.name,
        discount_rate=discount_rate,
        consistency=check_consistency(cases, tolerance=tolerance),
        results=tuple(results),
        reasons=tuple(reasons),
    )


@attrs.frozen(kw_only=True)
class AssessmentReport:
    """Every co-creation assessment a project recorded, scored."""

    path: str
    id: str
    name: str
    idea_diamonds: tuple[DiamondScore, ...]
    idea_diamond_change: DiamondChange | None
    considerations: ConsiderationsScore | None
    ks_keys: KeysTally | None
    systems_change: SystemsChangeCoverage | None
    participation: ParticipationProfile
    torfing: TorfingResult | None
    surveys: tuple[SurveyScore, ...]
    survey_changes: tuple[SurveyChange, ...]


def _changes(
    rounds: Sequence[SurveyRound], instruments: Mapping[str, SurveyInstrument] | None
) -> tuple[SurveyChange, ...]:
    by_instrument: dict[str, list[SurveyRound]] = {}
    for survey in rounds:
        by_instrument.setdefault(survey.instrument, []).append(survey)
    changes: list[SurveyChange] = []
    for group in by_instrument.values():
        ordered = sorted(group, key=lambda s: s.year)
        changes.extend(
            survey_deltas(a, b, _instrument(b.instrument, instruments))
            for a, b in itertools.pairwise(ordered)
        )
    return tuple(changes)


def _cost_profile(
    name: str | None, profiles: Mapping[str, CostProfile] | None
) -> CostProfile | None:
    if name is None:
        return None
    if profiles is None:
        return cost_profile(name)
    if name not in profiles:
        raise UnknownNameError("cost profile", name, tuple(profiles))
    return profiles[name]


def assessment_report(
    project: Project | Programme,
    *,
    path: str = "$",
    data: AssessmentData | None = None,
    instruments: Mapping[str, SurveyInstrument] | None = None,
) -> AssessmentReport:
    """Score every co-creation assessment a project recorded.

    ``data`` (a profile's ``assessments``) and ``instruments`` (its
    ``survey_instruments``) are the built-in ones by default.

    That is its idea diamonds, considerations, KS keys, systems change, participation,
    Torfing's test and surveys.

    >>> from samskaping.model import Project
    >>> a = assessment_report(Project(id="p", name="P"))
    >>> (a.idea_diamonds, a.considerations, a.torfing)
    ((), None, None)

    Raises:
        DocumentError: If an answer is out of range or refers to something unknown.
    """
    recorded = project.assessments
    diamonds = tuple(
        score_idea_diamond(d, data=data, path=f"{path}.assessments.idea_diamonds[{i}]")
        for i, d in enumerate(recorded.idea_diamonds)
    )
    change = (
        compare_idea_diamonds(recorded.idea_diamonds[0], recorded.idea_diamonds[-1], data=data)
        if len(recorded.idea_diamonds) > 1
        else None
    )
    surveys = tuple(
        score_survey(
            s, _instrument(s.instrument, instruments), path=f"{path}.assessments.surveys[{i}]"
        )
        for i, s in enumerate(recorded.surveys)
    )
    return AssessmentReport(
        path=path,
        id=project.id,
        name=project.name,
        idea_diamonds=diamonds,
        idea_diamond_change=change,
        considerations=score_considerations(
            recorded.considerations, path=f"{path}.assessments.considerations", data=data
        )
        if recorded.considerations
        else None,
        ks_keys=tally_ks_keys(recorded.ks_keys, data=data) if recorded.ks_keys else None,
        systems_change=systems_change_coverage(recorded.systems_change, data=data)
        if recorded.systems_change
        else None,
        participation=participation_profile(project, path=path, data=data),
        torfing=torfing_test(recorded.torfing, data=data) if recorded.torfing else None,
        surveys=surveys,
        survey_changes=_changes(recorded.surveys, instruments),
    )


def _instrument(
    name: str, instruments: Mapping[str, SurveyInstrument] | None
) -> SurveyInstrument | None:
    """The named instrument of ``instruments``; ``None`` leaves the lookup to ``score_survey``."""
    if instruments is None:
        return None
    if name not in instruments:
        raise UnknownNameError("survey instrument", name, tuple(instruments))
    return instruments[name]
