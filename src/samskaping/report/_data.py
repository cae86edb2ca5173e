"""The facts of a report as typed values: the stable, versioned JSON shape for services.

:func:`report_data` gathers everything the report shows from a document: the summary,
the phase timeline with gate decisions, deliverables, budget, sub-projects and the
validation findings, plus the results of the scoring and payout functions. The JSON
of ``samskaping report --format json`` is exactly this value, unstructured; its JSON
Schema is :func:`report_schema`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, Final, TypeVar

import attrs

from samskaping._errors import SamskapingError
from samskaping._money import MAX_AMOUNT, Money
from samskaping.io import json_schema
from samskaping.l10n import DEFAULT_LANG, Lang, LocalText
from samskaping.model import (
    Basis,
    DeliverableKind,
    DeliverableStatus,
    Document,
    GateOutcome,
    InvolvementMethod,
    ParticipationLevel,
    PaymentType,
    PayoutScheme,
    Programme,
    Project,
    ProjectKind,
    ProjectStatus,
    Realiser,
    basis_of,
    iter_projects,
)
from samskaping.payouts import policy_terms, pot_status
from samskaping.profile import Profile
from samskaping.scoring import (
    AssessmentReport,
    GoalsReport,
    Reason,
    RiskReport,
    UtenforReport,
    assessment_report,
    default_as_of,
    goals_report,
    risk_report,
    to_json,
    utenfor_report,
)
from samskaping.validation import validate

__all__ = [
    "SCHEMA_VERSION",
    "BudgetFacts",
    "DeliverableFacts",
    "FindingFacts",
    "GateFacts",
    "PhaseFacts",
    "ProjectFacts",
    "ReportData",
    "SchemeFacts",
    "Summary",
    "Unavailable",
    "report_data",
    "report_json",
    "report_schema",
]

#: The version of the report's JSON shape; it changes only when the shape does.
SCHEMA_VERSION: Final = 1


@attrs.frozen(kw_only=True)
class Summary:
    """Who, what and when: the project summary."""

    id: str
    name: str
    kind: ProjectKind
    owner_org: str | None
    description: str | None
    start: datetime.date | None
    end: datetime.date | None
    status: ProjectStatus
    end_reason: str | None
    phase_model: str | None
    phase_model_name: str | None
    funding: Money | None
    funding_approximate: bool
    citizens_reached: int | None
    actors: int
    deliverables: int
    risks: int
    goals: int
    benefits: int
    meeting_places: int
    involvement_activities: int
    projects: int


@attrs.frozen(kw_only=True)
class GateFacts:
    """The decision at the gate that closes a phase."""

    gate: str
    outcome: GateOutcome
    passed: bool
    date: datetime.date | None
    decided_by: str | None
    documents: tuple[str, ...]
    basis: Basis = Basis.SOURCE


@attrs.frozen(kw_only=True)
class PhaseFacts:
    """A phase as it ran, with its name in the phase model and its gate decision."""

    key: str
    name: str
    start: datetime.date | None
    end: datetime.date | None
    subphases: tuple[PhaseFacts, ...]
    gate: GateFacts | None


@attrs.frozen(kw_only=True)
class BudgetFacts:
    """The money: frame, transfers, spending and what is left (*kostnadsramme*, *forbruk*)."""

    frame: Money
    allocated: Money | None
    transferred: Money
    spent: Money | None
    remaining: Money | None
    spent_percent: Decimal | None
    remainder_stated: Money | None
    returned_to: str | None
    costs_by_year: tuple[tuple[int, Money], ...]
    note: str | None


@attrs.frozen(kw_only=True)
class DeliverableFacts:
    """A deliverable (*leveranse*) and who took it over."""

    id: str
    title: str
    phase: str
    kind: DeliverableKind
    status: DeliverableStatus
    continued_by: str | None
    until: datetime.date | None
    discard_reason: str | None


@attrs.frozen(kw_only=True)
class ParameterFacts:
    """A policy parameter in force: its label, its value as written, and the amount if money."""

    name: str
    label: LocalText | None
    text: str
    amount: Money | None
    source: str | None
    basis: Basis = Basis.SOURCE


@attrs.frozen(kw_only=True)
class BandFacts:
    """An approval band: the amounts it covers and who approves (a code of ``ApproverBody``).

    ``basis`` is ``design`` for a band the source does not state (``source`` is then
    ``None``: a band is never credited with its schedule's source).
    """

    lower: Money
    upper: Money | None
    upper_inclusive: bool
    approvers: str
    people: int
    source: str | None = None
    basis: Basis = Basis.SOURCE


@attrs.frozen(kw_only=True)
class TermsFacts:
    """A policy's terms on a date: its parameters and approval bands."""

    policy: str
    name: str
    as_of: datetime.date
    parameters: tuple[ParameterFacts, ...]
    bands: tuple[BandFacts, ...]


@attrs.frozen(kw_only=True)
class SchemeFacts:
    """A payout scheme: its policy's terms when it started, and how much of its pot is used."""

    project_id: str
    project_name: str
    id: str
    name: str | None
    payment_type: PaymentType
    policy: str | None
    households: int | None
    persons: int | None
    children: int | None
    pot_total: Money | None
    used: Money | None
    used_percent: Decimal | None
    available: Money | None
    pot_status: str | None
    terms: TermsFacts | None
    monthly_total: Money | None


@attrs.frozen(kw_only=True)
class ProjectFacts:
    """One project of a programme, in a line."""

    id: str
    name: str
    status: ProjectStatus
    start: datetime.date | None
    end: datetime.date | None
    frame: Money | None
    payment_types: tuple[PaymentType, ...]
    end_reason: str | None


@attrs.frozen(kw_only=True)
class FindingFacts:
    """A validation finding, in the shape of ``samskaping validate --format json``."""

    code: str
    severity: str
    path: str
    message: str


@attrs.frozen(kw_only=True)
class ActivityFacts:
    """An involvement activity: its method, IAP2 level and the basis of that level."""

    title: str
    method: InvolvementMethod
    participants: int | None
    proposals: int | None
    level: ParticipationLevel | None
    level_basis: Basis
    source: str | None


@attrs.frozen(kw_only=True)
class ProposalFacts:
    """A proposal from citizens, and who can realise it."""

    text: str
    theme: str | None
    realiser: Realiser | None
    source: str | None


@attrs.frozen(kw_only=True)
class TallyFacts:
    """How many proposals (or what share) each kind of realiser can realise."""

    realiser: Realiser
    count: int | None
    share_percent: Decimal | None
    source: str | None


@attrs.frozen(kw_only=True)
class ScenarioFacts:
    """A future scenario an evaluation drew up; ``preferred`` marks the preferred one."""

    number: int
    title: str
    preferred: bool
    source: str | None


@attrs.frozen(kw_only=True)
class ScenarioFactorFacts:
    """A factor assumed to shape the scenarios, with the forces it names as printed."""

    name: str
    forces: str | None
    source: str | None


@attrs.frozen(kw_only=True)
class InvolvementFacts:
    """What co-creation is about: activities, proposals, tallies, lessons and scenarios."""

    activities: tuple[ActivityFacts, ...] = ()
    proposals: tuple[ProposalFacts, ...] = ()
    tallies: tuple[TallyFacts, ...] = ()
    lessons: tuple[str, ...] = ()
    #: The year the future scenarios look towards (``None``: no scenarios recorded).
    scenario_horizon: int | None = None
    scenarios: tuple[ScenarioFacts, ...] = ()
    scenario_factors: tuple[ScenarioFactorFacts, ...] = ()


def _involvement(document: Project | Programme) -> InvolvementFacts:
    scenarios = document.assessments.scenarios
    return InvolvementFacts(
        activities=tuple(
            ActivityFacts(
                title=a.title or a.id,
                method=a.method,
                participants=a.participants,
                proposals=a.proposals_count,
                level=a.participation_level,
                level_basis=basis_of(a.source, a.participation_level_basis),
                source=a.source,
            )
            for a in document.involvement_activities
        ),
        proposals=tuple(
            ProposalFacts(text=p.text, theme=p.theme, realiser=p.realiser, source=p.source)
            for p in document.proposals
        ),
        tallies=tuple(
            TallyFacts(
                realiser=t.realiser, count=t.count, share_percent=t.share_percent, source=t.source
            )
            for t in document.proposal_tallies
        ),
        lessons=document.lessons,
        scenario_horizon=scenarios.horizon if scenarios else None,
        scenarios=tuple(
            ScenarioFacts(number=s.number, title=s.title, preferred=s.preferred, source=s.source)
            for s in (scenarios.scenarios if scenarios else ())
        ),
        scenario_factors=tuple(
            ScenarioFactorFacts(name=f.name, forces=f.forces, source=f.source)
            for f in (scenarios.factors if scenarios else ())
        ),
    )


@attrs.frozen(kw_only=True)
class Unavailable:
    """A section that could not be computed because of the document's own errors.

    ``unavailable`` is always true (it marks the section in JSON); ``codes`` are the codes
    of the error findings (listed in the report's findings) that stop it. The report says
    so in that section instead of showing it empty.
    """

    unavailable: bool
    codes: tuple[str, ...]


_T = TypeVar("_T")

#: The areas of the finding codes that can stop each computed section.
_SECTION_AREAS: Final = {
    "goals": frozenset({"goal", "feedback", "survey", "participation", "benefit", "money"}),
    "risks": frozenset({"risk", "money"}),
    "utenfor": frozenset({"utenfor", "money"}),
    "assessments": frozenset({"survey", "participation", "assessment", "feedback"}),
}


def _section(
    key: str, compute: Callable[[], _T], findings: tuple[FindingFacts, ...]
) -> _T | Unavailable:
    """The section ``compute`` gives, or :class:`Unavailable` with the errors that stop it."""
    try:
        return compute()
    except SamskapingError:
        errors = sorted({f.code for f in findings if f.severity == "error"})
        areas = _SECTION_AREAS.get(key, frozenset())
        codes = tuple(c for c in errors if c.split(".")[0] in areas) or tuple(errors)
        return Unavailable(unavailable=True, codes=codes)


@attrs.frozen(kw_only=True)
class ReportData:
    """Everything a report shows, as data (``schema_version`` names the shape)."""

    schema_version: int
    lang: Lang
    as_of: datetime.date
    #: True when no date was given and the document has none of its own (no end of its
    #: period, and it is not stated to be running): the report then says *undated*,
    #: never today's date; ``as_of`` is still the date its figures are worked out for.
    undated: bool
    summary: Summary
    phases: tuple[PhaseFacts, ...]
    deliverables: tuple[DeliverableFacts, ...]
    goals: GoalsReport | Unavailable
    risks: RiskReport | Unavailable
    budget: BudgetFacts | None
    payouts: tuple[SchemeFacts, ...]
    utenfor: UtenforReport | Unavailable
    assessments: AssessmentReport | Unavailable
    projects: tuple[ProjectFacts, ...]
    findings: tuple[FindingFacts, ...]
    involvement: InvolvementFacts = InvolvementFacts()

    def _repr_html_(self) -> str:
        """The whole report, for notebooks."""
        from samskaping.report._compose import compose  # noqa: PLC0415  (it imports this module)
        from samskaping.report._render import render_html  # noqa: PLC0415  (it imports this module)

        return render_html(compose(self))


def _phase_name(document: Project | Programme, key: str, lang: Lang, profile: Profile) -> str:
    name = document.phase_model
    if name is not None and name in profile.phase_models:
        model = profile.phase_models[name]
        index = model.phase_index(key)
        if index is not None:
            return model.phases[index].name(lang)
    return key


def _model_name(document: Project | Programme, lang: Lang, profile: Profile) -> str | None:
    name = document.phase_model
    if name is not None and name in profile.phase_models:
        return profile.phase_models[name].name(lang)
    return document.phase_model


def _summary(document: Project | Programme, lang: Lang, profile: Profile) -> Summary:
    period = document.period
    return Summary(
        id=document.id,
        name=document.name,
        kind=ProjectKind(document.kind),
        owner_org=document.owner_org,
        description=document.description,
        start=period.start if period else None,
        end=period.end if period else None,
        status=document.status,
        end_reason=document.end_reason,
        phase_model=document.phase_model,
        phase_model_name=_model_name(document, lang, profile),
        funding=document.funding if isinstance(document, Programme) else None,
        funding_approximate=isinstance(document, Programme) and document.funding_approximate,
        citizens_reached=document.citizens_reached,
        actors=len(document.actors),
        deliverables=len(document.deliverables),
        risks=len(document.risks),
        goals=len(document.goals),
        benefits=len(document.benefits),
        meeting_places=len(document.meeting_places),
        involvement_activities=len(document.involvement_activities),
        projects=len(document.projects) if isinstance(document, Programme) else 0,
    )


def _phases(document: Project | Programme, lang: Lang, profile: Profile) -> tuple[PhaseFacts, ...]:
    out = []
    for phase in document.phases:
        decision = phase.gate_decision
        gate = None
        if decision is not None:
            gate = GateFacts(
                gate=decision.gate,
                outcome=decision.outcome,
                passed=decision.outcome in {GateOutcome.GO, GateOutcome.GO_WITH_CHANGES},
                date=decision.date,
                decided_by=decision.decided_by,
                documents=decision.documents,
                basis=Basis.ASSUMED if decision.assumed else basis_of(decision.source),
            )
        subphases = tuple(
            PhaseFacts(
                key=s.key, name=s.name or s.key, start=s.start, end=s.end, subphases=(), gate=None
            )
            for s in phase.subphases
        )
        out.append(
            PhaseFacts(
                key=phase.key,
                name=phase.name or _phase_name(document, phase.key, lang, profile),
                start=phase.start,
                end=phase.end,
                subphases=subphases,
                gate=gate,
            )
        )
    return tuple(out)


def _safe_sum(amounts: Iterable[Money]) -> Money | None:
    """The sum, or ``None`` (shown as unknown) past the limit for amounts: ``validate`` says why."""
    total = sum((m.amount for m in amounts), start=Decimal(0))
    return None if total.copy_abs() > MAX_AMOUNT else Money(total)


def _budget(document: Project | Programme) -> BudgetFacts | None:
    budget = document.budget
    if budget is None:
        return None
    spent = _safe_sum(c.amount for c in budget.costs) if budget.costs else None
    by_year: dict[int, Money] = {}
    for cost in budget.costs:
        year = _safe_sum((by_year.get(cost.year, Money.zero()), cost.amount))
        if year is not None:
            by_year[cost.year] = year
    share = None
    if spent is not None and budget.frame.amount > 0:
        share = (spent.amount / budget.frame.amount * 100).quantize(Decimal("0.1"))
    return BudgetFacts(
        frame=budget.frame,
        allocated=_safe_sum(a.amount for a in budget.allocations) if budget.allocations else None,
        transferred=_safe_sum(t.amount for t in budget.transfers) or Money.zero(),
        spent=spent,
        remaining=budget.frame - spent if spent is not None else None,
        spent_percent=share,
        remainder_stated=budget.remainder.amount if budget.remainder else None,
        returned_to=budget.remainder.returned_to if budget.remainder else None,
        costs_by_year=tuple(sorted(by_year.items())),
        note=budget.note,
    )


def _scheme(
    owner: Project | Programme, scheme: PayoutScheme, as_of: datetime.date, profile: Profile
) -> SchemeFacts:

    pot = scheme.pot
    used = scheme.paid_total
    if used is None and pot is not None and (pot.commitments or pot.disbursements):
        used = _safe_sum(e.amount for e in (*pot.commitments, *pot.disbursements))
    share = None
    if pot is not None and used is not None and pot.total.amount > 0:
        share = (used.amount / pot.total.amount * 100).quantize(Decimal("0.1"))
    terms = None
    monthly = None
    if scheme.policy is not None and scheme.policy in profile.policies:
        # The terms in force on the report's date, kept inside the pot's window.
        day = as_of
        if pot is not None and pot.valid_to is not None and day >= pot.valid_to:
            day = pot.valid_to - datetime.timedelta(days=1)
        if pot is not None and pot.valid_from is not None and day < pot.valid_from:
            day = pot.valid_from
        in_force = policy_terms(profile.policies[scheme.policy], day)
        terms = TermsFacts(
            policy=in_force.policy,
            name=in_force.name,
            as_of=in_force.as_of,
            parameters=tuple(
                ParameterFacts(
                    name=p.name,
                    label=p.label,
                    text=p.text,
                    amount=p.amount,
                    source=p.source,
                    basis=p.basis,
                )
                for p in in_force.parameters
            ),
            bands=tuple(
                BandFacts(
                    lower=b.lower,
                    upper=b.upper,
                    upper_inclusive=b.upper_inclusive,
                    approvers=b.approvers.value,
                    people=b.people,
                    source=b.source,
                    basis=b.provenance,
                )
                for b in in_force.bands
            ),
        )
        if scheme.payment_type is PaymentType.UNCONDITIONAL and scheme.children is not None:
            rates = [p.amount for p in terms.parameters if p.name == "rate_per_child" and p.amount]
            monthly = rates[0] * scheme.children if rates else None
    return SchemeFacts(
        project_id=owner.id,
        project_name=owner.name,
        id=scheme.id,
        name=scheme.name,
        payment_type=scheme.payment_type,
        policy=scheme.policy,
        households=scheme.households,
        persons=scheme.persons,
        children=scheme.children,
        pot_total=pot.total if pot is not None else None,
        used=used,
        used_percent=share,
        available=pot.total - used if pot is not None and used is not None else None,
        pot_status=pot_status(pot, as_of, scheme.payment_type).value if pot is not None else None,
        terms=terms,
        monthly_total=monthly,
    )


def _schemes(document: Document, as_of: datetime.date, profile: Profile) -> tuple[SchemeFacts, ...]:

    return tuple(
        _scheme(owner, scheme, as_of, profile)
        for _, owner in iter_projects(document)
        for scheme in owner.payout_schemes
    )


def _projects(document: Project | Programme) -> tuple[ProjectFacts, ...]:
    if not isinstance(document, Programme):
        return ()
    return tuple(
        ProjectFacts(
            id=p.id,
            name=p.name,
            status=p.status,
            start=p.period.start if p.period else None,
            end=p.end_date or (p.period.end if p.period else None),
            frame=p.budget.frame if p.budget else None,
            payment_types=p.payment_types,
            end_reason=p.end_reason,
        )
        for p in document.projects
    )


def report_data(
    document: Document,
    *,
    lang: Lang = DEFAULT_LANG,
    as_of: datetime.date | None = None,
    profile: Profile | None = None,
) -> ReportData:
    """Gather the facts of a report on ``document`` (see the module docs).

    ``as_of`` is the date the report is made for: by default the end of the project's
    period, else today. ``profile`` is the municipality's: its phase models, scales,
    thresholds, instruments, cost profiles, policies and rule sets (the built-in one by
    default). The findings are those :func:`~samskaping.validation.validate` gives under
    the same profile.
    """
    profile = profile or Profile.default()
    findings = tuple(
        FindingFacts(code=f.code, severity=f.severity.value, path=f.path, message=f.message)
        for f in validate(document, lang=lang, profile=profile)
    )

    day = as_of or default_as_of(document)
    undated = as_of is None and _undated(document)
    return ReportData(
        schema_version=SCHEMA_VERSION,
        lang=lang,
        as_of=day,
        undated=undated,
        summary=_summary(document, lang, profile),
        phases=_phases(document, lang, profile),
        deliverables=tuple(
            DeliverableFacts(
                id=d.id,
                title=d.title,
                phase=d.phase,
                kind=d.kind,
                status=d.status,
                continued_by=d.continued_by.unit if d.continued_by else None,
                until=d.continued_by.until if d.continued_by else None,
                discard_reason=d.discard_reason,
            )
            for d in document.deliverables
        ),
        goals=_section(
            "goals",
            lambda: goals_report(
                document, as_of=day, settings=profile.goals, viability=profile.meeting_places
            ),
            findings,
        ),
        risks=_section("risks", lambda: risk_report(document, config=profile.risk), findings),
        budget=_budget(document),
        payouts=_schemes(document, day, profile),
        utenfor=_section(
            "utenfor", lambda: utenfor_report(document, profiles=profile.cost_profiles), findings
        ),
        assessments=_section(
            "assessments",
            lambda: assessment_report(
                document, data=profile.assessments, instruments=profile.survey_instruments
            ),
            findings,
        ),
        projects=_projects(document),
        involvement=_involvement(document),
        findings=findings,
    )


def _undated(document: Document) -> bool:
    """Whether ``document`` has no date of its own: no end, and not stated to be running."""
    if document.period is not None and document.period.end is not None:
        return False
    return document.status is not ProjectStatus.ACTIVE


def report_schema() -> dict[str, Any]:
    """The JSON Schema of the report's JSON shape.

    Reasons are written with their text in the report's language, and localised
    labels as plain text, exactly as :func:`samskaping.scoring.to_json` writes them.
    """
    reason = {
        "type": "object",
        "properties": {
            "code": {"type": "string"},
            "severity": {"enum": ["error", "warning", "info"]},
            "params": {"type": "object", "additionalProperties": {"type": "string"}},
            "text": {"type": "string"},
        },
        "required": ["code", "severity", "params", "text"],
        "additionalProperties": False,
    }
    return json_schema(
        ReportData,
        title="samskaping report",
        schema_id=f"https://samskaping.example/schema/report-{SCHEMA_VERSION}.json",
        overrides={Reason: reason, LocalText: {"type": "string"}},
    )


def report_json(data: ReportData) -> dict[str, Any]:
    """The report's facts as JSON data (reasons with their text in the report's language)."""
    return to_json(data, data.lang, versioned=False)
