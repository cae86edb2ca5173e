"""The entities of a co-creation project (DOMAIN §2).

Every entity is a frozen attrs class with keyword-only fields; change one with
``attrs.evolve``. Collections are tuples. Amounts are :class:`~samskaping.Money`.
Fields named ``source`` hold a reference to the report a figure comes from (for
example ``000:314-319``, file and line); ``note`` holds anything else a reader should
know, including "the source gives no figure".
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

import attrs

from samskaping._money import Money
from samskaping._records import notebook_html
from samskaping.model._assessments import Assessments
from samskaping.model._enums import (
    ActorKind,
    AttainmentLevel,
    Basis,
    Beneficiary,
    BenefitType,
    ChecklistAnswer,
    CoCreationRole,
    CostCategory,
    DeliverableKind,
    DeliverableStatus,
    Direction,
    FeedbackKind,
    GateOutcome,
    GoalLevel,
    Horizon,
    IndicatorUnit,
    InvolvementMethod,
    MeetingPlaceKind,
    MeetingPlaceStatus,
    ParticipationLevel,
    PaymentType,
    ProjectStatus,
    Realiser,
    RiskKind,
    RiskProximity,
    RiskStatus,
    RiskStrategy,
    Role,
    Sector,
    StartPoint,
)
from samskaping.model._fields import (
    at_least,
    between,
    identifier,
    non_negative_money,
    optional_identifier,
)
from samskaping.model._payouts import PayoutScheme

__all__ = [
    "Actor",
    "ActualCost",
    "Allocation",
    "Benefit",
    "Budget",
    "ChecklistItemAnswer",
    "Continuation",
    "Deliverable",
    "Document",
    "Feedback",
    "GateDecision",
    "Goal",
    "Indicator",
    "InvolvementActivity",
    "Measurement",
    "MeetingPlace",
    "Mitigation",
    "ParticipantProfile",
    "Period",
    "Phase",
    "Programme",
    "Project",
    "Proposal",
    "ProposalTally",
    "RatingCount",
    "Remainder",
    "Risk",
    "Schedule",
    "Statement",
    "SubPhase",
    "Transfer",
]

_PERCENT = between(0, 100)


@attrs.frozen(kw_only=True)
class Period:
    """A span of dates; ``end`` is ``None`` while it is still open."""

    start: datetime.date
    end: datetime.date | None = None

    def contains(self, day: datetime.date) -> bool:
        """Whether ``day`` lies in the period (both ends included)."""
        return self.start <= day and (self.end is None or day <= self.end)


@attrs.frozen(kw_only=True)
class Actor:
    """A person, an organisation or a group taking part (*aktør*).

    ``roles`` are governance roles (DOMAIN §5); an actor with the role ``partner`` is a
    co-creation actor (*samskapingsaktør*). ``co_creation_roles`` are the roles the
    actor plays in co-creation (002 tables 6-11). ``has_social_assistance_mandate``
    marks staff who hold the social-assistance mandate, who should not also decide
    payouts (the dual mandate, 002:1739-1741).
    """

    id: str = attrs.field(validator=identifier)
    name: str
    kind: ActorKind = ActorKind.ORGANISATION
    sector: Sector
    roles: tuple[Role, ...] = ()
    co_creation_roles: tuple[CoCreationRole, ...] = ()
    employer: str | None = None
    has_social_assistance_mandate: bool = False
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class ChecklistItemAnswer:
    """The answer to one question of a gate's checklist (*sjekkliste*)."""

    item: str = attrs.field(validator=identifier)
    answer: ChecklistAnswer
    note: str | None = None


@attrs.frozen(kw_only=True)
class GateDecision:
    """The decision at the gate (*beslutningspunkt*) that closes a phase.

    ``documents`` are the document kinds presented, e.g. ``styringsdokument``;
    ``decided_by`` is the id of the actor who took the decision. ``assumed`` marks a
    decision the source does not report but the phase model implies, because the next
    phase demonstrably took place; its documents and decider are then only what the
    source does mention, and validation says it is assumed instead of asking for more.
    """

    gate: str = attrs.field(validator=identifier)
    outcome: GateOutcome
    assumed: bool = False
    date: datetime.date | None = None
    decided_by: str | None = attrs.field(default=None, validator=optional_identifier)
    documents: tuple[str, ...] = ()
    checklist: tuple[ChecklistItemAnswer, ...] = ()
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class SubPhase:
    """A stage inside a phase, such as Stovner's "fase 1" and "fase 2" (000:113)."""

    key: str = attrs.field(validator=identifier)
    name: str | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Phase:
    """A phase as the project ran it (*fase*), keyed by the phase model's phase.

    ``gate_decision`` is the decision at the gate that closes this phase.
    """

    key: str = attrs.field(validator=identifier)
    name: str | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    subphases: tuple[SubPhase, ...] = ()
    gate_decision: GateDecision | None = None
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Continuation:
    """Who took a deliverable over into ordinary operations, and until when (000:393)."""

    unit: str
    until: datetime.date | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Deliverable:
    """A project deliverable (*leveranse*)."""

    id: str = attrs.field(validator=identifier)
    title: str
    phase: str = attrs.field(validator=identifier)
    kind: DeliverableKind
    status: DeliverableStatus = DeliverableStatus.PLANNED
    continued_by: Continuation | None = None
    discard_reason: str | None = None
    description: str | None = None
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Mitigation:
    """A measure (*tiltak*) that reduces a risk."""

    description: str
    owner: str | None = attrs.field(default=None, validator=optional_identifier)
    cost: Money | None = attrs.field(default=None, validator=non_negative_money)
    source: str | None = None


@attrs.frozen(kw_only=True)
class Risk:
    """An uncertainty (*usikkerhet*, *risiko*) in the risk register.

    ``probability`` and ``consequence`` are levels on the project's risk scale (1 is
    the lowest); the residual levels are the assessment after mitigation.
    ``assessed_band`` keeps the grading the source itself gave, e.g. ``alvorlig``.
    ``impact`` is the money at stake if the risk occurs (for expected monetary value).
    """

    id: str = attrs.field(validator=identifier)
    title: str
    description: str | None = None
    category: str | None = None
    kind: RiskKind = RiskKind.THREAT
    probability: int | None = attrs.field(default=None, validator=at_least(1))
    consequence: int | None = attrs.field(default=None, validator=at_least(1))
    residual_probability: int | None = attrs.field(default=None, validator=at_least(1))
    residual_consequence: int | None = attrs.field(default=None, validator=at_least(1))
    assessed_band: str | None = None
    impact: Money | None = attrs.field(default=None, validator=non_negative_money)
    mitigations: tuple[Mitigation, ...] = ()
    owner: str | None = attrs.field(default=None, validator=optional_identifier)
    strategy: RiskStrategy | None = None
    status: RiskStatus = RiskStatus.OPEN
    proximity: RiskProximity | None = None
    identified: datetime.date | None = None
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Measurement:
    """A dated value of an indicator."""

    date: datetime.date
    value: Decimal
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Indicator:
    """Something measured to follow a goal or a benefit (*indikator*).

    ``baseline`` is the start value (*startverdi*, from the *nullpunktsmåling*) and
    ``target`` the wanted value (*ønsket verdi*).
    """

    id: str = attrs.field(validator=identifier)
    name: str
    unit: IndicatorUnit
    baseline: Decimal | None = None
    target: Decimal | None = None
    direction: Direction = Direction.INCREASE
    measurements: tuple[Measurement, ...] = ()
    weight: Decimal = attrs.field(default=Decimal(1), validator=between(0, 1000))
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Goal:
    """A goal (*mål*) with its indicators.

    ``assessed_attainment`` is the attainment the project itself recorded (Stovner:
    ``hoy``, 000:89-94), kept next to what the indicators compute. ``gas_score`` is
    the goal's Goal Attainment Scaling score from -2 to +2, if it was scored.
    """

    id: str = attrs.field(validator=identifier)
    title: str
    level: GoalLevel = GoalLevel.EFFECT
    description: str | None = None
    indicators: tuple[Indicator, ...] = ()
    weight: Decimal = attrs.field(default=Decimal(1), validator=between(0, 1000))
    assessed_attainment: AttainmentLevel | None = None
    assessment_reasons: tuple[str, ...] = ()
    gas_score: int | None = attrs.field(default=None, validator=between(-2, 2))
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Benefit:
    """A benefit (*gevinst*) for citizens or for the organisation.

    ``owner`` is the *gevinsteier* and ``responsible`` the *gevinstansvarlig*, both
    actor ids.
    """

    id: str = attrs.field(validator=identifier)
    title: str
    beneficiary: Beneficiary
    type: BenefitType = BenefitType.QUALITATIVE
    horizon: Horizon = Horizon.SHORT_TERM
    owner: str | None = attrs.field(default=None, validator=optional_identifier)
    responsible: str | None = attrs.field(default=None, validator=optional_identifier)
    indicators: tuple[Indicator, ...] = ()
    realisation_date: datetime.date | None = None
    value: Money | None = attrs.field(default=None, validator=non_negative_money)
    assessed_realised: bool | None = None
    description: str | None = None
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Allocation:
    """The part of the budget frame given to one phase."""

    phase: str = attrs.field(validator=identifier)
    amount: Money = attrs.field(validator=non_negative_money)
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Transfer:
    """Money moved from one phase's allocation to another's (000:224-233)."""

    from_phase: str = attrs.field(validator=identifier)
    to_phase: str = attrs.field(validator=identifier)
    amount: Money = attrs.field(validator=non_negative_money)
    date: datetime.date | None = None
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class ActualCost:
    """Money spent (*regnskap*) in a year, optionally by phase and category."""

    year: int = attrs.field(validator=between(1900, 2200))
    amount: Money = attrs.field(validator=non_negative_money)
    phase: str | None = attrs.field(default=None, validator=optional_identifier)
    category: CostCategory = CostCategory.OTHER
    description: str | None = None
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Remainder:
    """The money left at closure and where it goes (*tilbakeføres*)."""

    amount: Money | None = attrs.field(default=None, validator=non_negative_money)
    returned_to: str | None = None
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Budget:
    """The project's money: frame (*kostnadsramme*), allocations, transfers and costs."""

    frame: Money = attrs.field(validator=non_negative_money)
    funding_source: str | None = None
    allocations: tuple[Allocation, ...] = ()
    transfers: tuple[Transfer, ...] = ()
    costs: tuple[ActualCost, ...] = ()
    remainder: Remainder | None = None
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Schedule:
    """When a recurring meeting place is open, as an RFC 5545 recurrence rule.

    ``rrule`` is the ``RRULE`` value, e.g. ``FREQ=MONTHLY;BYDAY=1WE``; ``start`` is
    the first occurrence (``DTSTART``). ``description`` says it in words.
    """

    rrule: str = attrs.field()
    start: datetime.date
    description: str | None = None

    @rrule.validator
    def _check_rrule(self, _attribute: attrs.Attribute[str], value: str) -> None:
        from samskaping.model._schedule import check_rrule  # noqa: PLC0415  (lazy: dateutil)

        check_rrule(value, self.start)

    def occurrences(
        self, until: datetime.date | None = None, *, limit: int = 10_000
    ) -> tuple[datetime.date, ...]:
        """The dates the rule gives, from ``start`` up to ``until`` (at most ``limit``)."""
        from samskaping.model._schedule import occurrences  # noqa: PLC0415  (lazy: dateutil)

        return occurrences(self, until, limit=limit)


@attrs.frozen(kw_only=True)
class RatingCount:
    """How many answers gave one rating."""

    rating: int = attrs.field(validator=at_least(0))
    count: int = attrs.field(validator=at_least(0))


@attrs.frozen(kw_only=True)
class Feedback:
    """Feedback on a meeting place: ratings (e.g. smileys 1-5), yes/no, or free text."""

    question: str
    kind: FeedbackKind = FeedbackKind.RATING
    scale_min: int = 1
    scale_max: int = 5
    ratings: tuple[RatingCount, ...] = ()
    yes: int | None = attrs.field(default=None, validator=at_least(0))
    no: int | None = attrs.field(default=None, validator=at_least(0))
    comments: tuple[str, ...] = ()
    date: datetime.date | None = None
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class MeetingPlace:
    """A meeting place (*møteplass*): an event, a series, a drop-in or a digital forum.

    ``mean_visits`` is the mean number of visitors per session where the source gives
    only that (Kvinnenettverket's evenings: «et gjennomsnitt på 25 besøkende», 000:367-368).
    """

    id: str = attrs.field(validator=identifier)
    name: str
    kind: MeetingPlaceKind
    location: str | None = None
    schedule: Schedule | None = None
    period: Period | None = None
    opening_days: int | None = attrs.field(default=None, validator=at_least(0))
    visits: int | None = attrs.field(default=None, validator=at_least(0))
    unique_adults: int | None = attrs.field(default=None, validator=at_least(0))
    unique_children: int | None = attrs.field(default=None, validator=at_least(0))
    unique_participants: int | None = attrs.field(default=None, validator=at_least(0))
    mean_visits: Decimal | None = attrs.field(default=None, validator=between(0, 1_000_000))
    partners: tuple[str, ...] = ()
    status: MeetingPlaceStatus = MeetingPlaceStatus.TRIAL
    status_reason: str | None = None
    deliverable: str | None = attrs.field(default=None, validator=optional_identifier)
    feedback: tuple[Feedback, ...] = ()
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Proposal:
    """A proposal (*innspill*, *forslag*) from citizens, and who can realise it."""

    id: str = attrs.field(validator=identifier)
    text: str
    theme: str | None = None
    realiser: Realiser | None = None
    activity: str | None = attrs.field(default=None, validator=optional_identifier)
    source: str | None = None


@attrs.frozen(kw_only=True)
class ProposalTally:
    """A count or share of proposals by who can realise them (Asker's road map, 004)."""

    realiser: Realiser
    count: int | None = attrs.field(default=None, validator=at_least(0))
    share_percent: Decimal | None = attrs.field(default=None, validator=_PERCENT)
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class InvolvementActivity:
    """An activity that involves citizens (*innbyggerinvolvering*, *medvirkning*).

    ``participation_level`` is its level on the IAP2 spectrum; the sources print no such
    levels, so ``participation_level_basis`` says when it is the document's own reading
    (``assumed``) rather than a figure from its source.
    """

    id: str = attrs.field(validator=identifier)
    method: InvolvementMethod
    title: str | None = None
    date: datetime.date | None = None
    period: Period | None = None
    participants: int | None = attrs.field(default=None, validator=at_least(0))
    attendances: int | None = attrs.field(default=None, validator=at_least(0))
    honorarium_per_attendance: Money | None = attrs.field(
        default=None, validator=non_negative_money
    )
    participation_level: ParticipationLevel | None = None
    participation_level_basis: Basis | None = None
    proposals_count: int | None = attrs.field(default=None, validator=at_least(0))
    description: str | None = None
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Statement:
    """A short text a source states, with its line: a principle, a focus area, a factor.

    Stovner's five strategic principles (000:8-12) are statements, for example
    «forebygging fremfor reparasjon».
    """

    text: str
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class ParticipantProfile:
    """Who took part, as the source describes them (000:434-443).

    ``adult_age_from`` and ``adult_age_to`` give the age span of most adult
    participants where the source states one (Stovner: parents aged 20-50, 000:441).
    """

    description: str
    adult_age_from: int | None = attrs.field(default=None, validator=at_least(0))
    adult_age_to: int | None = attrs.field(default=None, validator=at_least(0))
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class _Undertaking:
    """What a project and a programme share (see :class:`Project`)."""

    id: str = attrs.field(validator=identifier)
    name: str
    description: str | None = None
    owner_org: str | None = None
    period: Period | None = None
    phase_model: str | None = None
    phases: tuple[Phase, ...] = ()
    actors: tuple[Actor, ...] = ()
    deliverables: tuple[Deliverable, ...] = ()
    risks: tuple[Risk, ...] = ()
    risk_scale: str | None = None
    goals: tuple[Goal, ...] = ()
    benefits: tuple[Benefit, ...] = ()
    budget: Budget | None = None
    payout_schemes: tuple[PayoutScheme, ...] = ()
    payment_types: tuple[PaymentType, ...] = ()
    meeting_places: tuple[MeetingPlace, ...] = ()
    involvement_activities: tuple[InvolvementActivity, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    proposal_tallies: tuple[ProposalTally, ...] = ()
    citizens_reached: int | None = attrs.field(default=None, validator=at_least(0))
    start_point: StartPoint | None = None
    target_group: str | None = None
    assessments: Assessments = attrs.field(factory=Assessments)
    status: ProjectStatus = ProjectStatus.UNKNOWN
    end_reason: str | None = None
    end_date: datetime.date | None = None
    ended_by: str | None = attrs.field(default=None, validator=optional_identifier)
    lessons: tuple[str, ...] = ()
    principles: tuple[Statement, ...] = ()
    focus_areas: tuple[Statement, ...] = ()
    success_factors: tuple[Statement, ...] = ()
    participant_profile: ParticipantProfile | None = None
    source: str | None = None
    note: str | None = None

    def _repr_html_(self) -> str | None:
        """A compact card for notebooks (once :mod:`samskaping.report` is imported)."""
        return notebook_html(self)


@attrs.frozen(kw_only=True)
class Project(_Undertaking):
    """A co-creation project (*samskapingsprosjekt*) or a sub-project (*delprosjekt*).

    ``phase_model`` names the phase model the project follows (a built-in name such
    as ``prosjektveiviseren``); ``phases`` are the phases as they ran.
    ``end_reason``, ``end_date`` and ``ended_by`` record why and by whom a project
    that did not run its course was ended.
    """

    kind: Literal["project"] = "project"


@attrs.frozen(kw_only=True)
class Programme(_Undertaking):
    """A programme (*program*): a portfolio of projects under one owner and funding.

    It has everything a project has, plus its ``projects`` (the *delprosjekter*) and
    its ``funding`` (Innbyggernes modell: about 38 MNOK of state funding, 002:361).
    ``funding_approximate`` marks a funding the source gives only roughly
    (*nærmere*, *ca.*), so it is never shown as an exact sum.
    """

    kind: Literal["programme"] = "programme"
    funding: Money | None = attrs.field(default=None, validator=non_negative_money)
    funding_approximate: bool = False
    funding_source: str | None = None
    projects: tuple[Project, ...] = ()


#: A document is one project or one programme.
Document = Project | Programme
