"""Codes used by the entities.

Values are stable lowercase codes that appear in documents; their labels in nb, nn
and en live in the catalogue (``data/labels/model.toml``).
"""

from __future__ import annotations

from enum import StrEnum, unique

__all__ = [
    "ActorKind",
    "AttainmentLevel",
    "Basis",
    "BenefitType",
    "Beneficiary",
    "ChecklistAnswer",
    "CoCreationRole",
    "CostCategory",
    "DeliverableKind",
    "DeliverableStatus",
    "Direction",
    "FeedbackKind",
    "GateOutcome",
    "GoalLevel",
    "Horizon",
    "IndicatorUnit",
    "InvolvementMethod",
    "MeetingPlaceKind",
    "MeetingPlaceStatus",
    "ParticipationLevel",
    "PaymentType",
    "ProjectKind",
    "ProjectStatus",
    "Realiser",
    "RiskKind",
    "RiskProximity",
    "RiskStatus",
    "RiskStrategy",
    "Role",
    "Sector",
    "Severity",
    "StartPoint",
    "basis_of",
]


@unique
class ProjectKind(StrEnum):
    """Whether a document describes a single project or a programme of projects."""

    PROJECT = "project"
    PROGRAMME = "programme"


@unique
class ProjectStatus(StrEnum):
    """Where a project stands: running, ended early, completed, or not stated (DOMAIN §2).

    ``unknown`` is the default: a document that does not say is never taken to be running.
    """

    ACTIVE = "active"
    ENDED = "ended"
    COMPLETED = "completed"
    UNKNOWN = "unknown"


@unique
class StartPoint(StrEnum):
    """Where co-creation starts: a universal arena or a target group (002 table 1)."""

    UNIVERSAL = "universal"
    TARGET_GROUP = "target_group"


@unique
class GateOutcome(StrEnum):
    """The decision at a gate (*beslutningspunkt*)."""

    GO = "go"
    GO_WITH_CHANGES = "go_with_changes"
    HOLD = "hold"
    STOP = "stop"


@unique
class ChecklistAnswer(StrEnum):
    """An answer to one question of a gate checklist."""

    OPEN = "open"
    DONE = "done"
    NOT_RELEVANT = "not_relevant"


@unique
class DeliverableKind(StrEnum):
    """What a deliverable (*leveranse*) is (000:121-126)."""

    WORKING_MODEL = "working_model"
    PROPOSAL = "proposal"
    REPORT = "report"


@unique
class DeliverableStatus(StrEnum):
    """A deliverable's lifecycle.

    Working models go planned → testing → evaluated → continued | discarded; proposals
    and reports go planned → delivered.
    """

    PLANNED = "planned"
    TESTING = "testing"
    EVALUATED = "evaluated"
    CONTINUED = "continued"
    DISCARDED = "discarded"
    DELIVERED = "delivered"


@unique
class Role(StrEnum):
    """Governance roles (DOMAIN §5), plus the roles people take in co-creation."""

    TOP_MANAGEMENT = "top_management"
    PROJECT_OWNER = "project_owner"
    STEERING_GROUP = "steering_group"
    PROJECT_MANAGER = "project_manager"
    SUBPROJECT_LEAD = "subproject_lead"
    BENEFIT_RESPONSIBLE = "benefit_responsible"
    BENEFIT_OWNER = "benefit_owner"
    REFERENCE_GROUP = "reference_group"
    PROJECT_GROUP = "project_group"
    JURY = "jury"
    POLITICIANS = "politicians"
    CHIEF_EXECUTIVE = "chief_executive"
    PARTNER = "partner"
    PARTICIPANT = "participant"
    RESEARCHER = "researcher"


@unique
class CoCreationRole(StrEnum):
    """Sub-roles in co-creation by actor type (002 ch. 10, tables 6-11)."""

    # citizens
    RECIPIENT = "recipient"
    PARTICIPANT_DEVELOPER = "participant_developer"
    QUALITY_ASSURER = "quality_assurer"
    BRIDGE_BUILDER = "bridge_builder"
    EXPERIENCE_CONSULTANT = "experience_consultant"
    FRONT_RUNNER = "front_runner"
    CITIZEN_LEADER = "citizen_leader"
    # project leaders
    SCOUT = "scout"
    FACILITATOR = "facilitator"
    SYSTEM_CHANGER = "system_changer"
    SYSTEM_DEMONSTRATOR = "system_demonstrator"  # «System-demonstratører», table 7 (002:2662)
    # employees
    INITIATOR = "initiator"
    PARTNER = "partner"
    RISK_TAKER = "risk_taker"
    CULTURE_BUILDER = "culture_builder"
    # partners
    SUPPLIER = "supplier"
    # line leaders
    SCEPTICAL_OPPONENT = "sceptical_opponent"
    # «Ansvarlig vokter og beslutningstaker», table 10 (002:2718)
    RESPONSIBLE_GUARDIAN = "responsible_guardian"
    # politicians
    CONTROLLER = "controller"
    SCEPTICAL_OBSERVER = "sceptical_observer"
    PASSIVE = "passive"


@unique
class Sector(StrEnum):
    """The sector an actor belongs to."""

    MUNICIPAL = "municipal"
    STATE = "state"
    COUNTY = "county"
    VOLUNTARY = "voluntary"
    PRIVATE = "private"
    CITIZEN_ORG = "citizen_org"
    CITIZEN = "citizen"
    RESEARCH = "research"


@unique
class ActorKind(StrEnum):
    """Whether an actor is a person, an organisation or a group of people."""

    PERSON = "person"
    ORGANISATION = "organisation"
    GROUP = "group"


@unique
class RiskKind(StrEnum):
    """A risk is a threat (negative) or an opportunity (positive)."""

    THREAT = "threat"
    OPPORTUNITY = "opportunity"


@unique
class RiskStrategy(StrEnum):
    """The response chosen for a risk (threats and opportunities)."""

    AVOID = "avoid"
    REDUCE = "reduce"
    TRANSFER = "transfer"
    ACCEPT = "accept"
    ESCALATE = "escalate"
    EXPLOIT = "exploit"
    SHARE = "share"
    ENHANCE = "enhance"


@unique
class RiskStatus(StrEnum):
    """Where a risk stands in the register."""

    OPEN = "open"
    MONITORED = "monitored"
    OCCURRED = "occurred"
    CLOSED = "closed"


@unique
class RiskProximity(StrEnum):
    """How soon a risk could occur."""

    IMMINENT = "imminent"
    WITHIN_PHASE = "within_phase"
    WITHIN_PROJECT = "within_project"
    BEYOND_PROJECT = "beyond_project"


@unique
class IndicatorUnit(StrEnum):
    """The unit an indicator is measured in."""

    COUNT = "count"
    NOK = "nok"
    PERCENT = "percent"
    HOURS = "hours"
    SCORE = "score"


@unique
class Direction(StrEnum):
    """Which way an indicator improves."""

    INCREASE = "increase"
    DECREASE = "decrease"


@unique
class GoalLevel(StrEnum):
    """The level of a goal in the goal hierarchy (*samfunnsmål, effektmål, resultatmål*)."""

    SOCIETAL = "societal"
    EFFECT = "effect"
    RESULT = "result"


@unique
class AttainmentLevel(StrEnum):
    """Goal attainment (*måloppnåelse*) on Stovner's scale (000:94)."""

    LOW = "lav"
    MEDIUM = "middels"
    HIGH = "hoy"


@unique
class Beneficiary(StrEnum):
    """Who gains from a benefit (000:145, 000:192)."""

    CITIZENS = "citizens"
    ORGANISATION = "organisation"


@unique
class BenefitType(StrEnum):
    """What kind of benefit (*gevinst*) it is."""

    DIRECT = "direct"
    INDIRECT = "indirect"
    QUALITATIVE = "qualitative"


@unique
class Horizon(StrEnum):
    """Short or long term (000:152, 000:213)."""

    SHORT_TERM = "short_term"
    LONG_TERM = "long_term"


@unique
class CostCategory(StrEnum):
    """What project money was spent on."""

    STAFF_POSITION = "staff_position"
    HONORARIA = "honoraria"
    ACTIVITIES = "activities"
    PAYOUTS = "payouts"
    EQUIPMENT = "equipment"
    PREMISES = "premises"
    COMMUNICATION = "communication"
    OTHER = "other"


@unique
class PaymentType(StrEnum):
    """The three payout types of Innbyggernes modell (002 table 2)."""

    CONDITIONAL = "conditional"
    UNCONDITIONAL = "unconditional"
    COLLECTIVE = "collective"


@unique
class MeetingPlaceKind(StrEnum):
    """A meeting place (*møteplass*) is a single event, a series or a drop-in (000:111)."""

    EVENT = "event"
    SERIES = "series"
    DROP_IN = "drop_in"
    DIGITAL = "digital"


@unique
class MeetingPlaceStatus(StrEnum):
    """Whether a meeting place was kept or closed after the trial (000:500-512)."""

    TRIAL = "trial"
    KEPT = "kept"
    CLOSED = "closed"


@unique
class FeedbackKind(StrEnum):
    """How feedback was given."""

    RATING = "rating"
    YES_NO = "yes_no"
    FREE_TEXT = "free_text"


@unique
class InvolvementMethod(StrEnum):
    """Methods of citizen involvement (DOMAIN §9)."""

    INTERVIEW = "interview"
    WORKING_GROUP = "working_group"
    WORKSHOP = "workshop"
    FEEDBACK_FORM = "feedback_form"
    QR_CODE = "qr_code"
    IDEA_BOX = "idea_box"
    SOCIAL_MEDIA_GROUP = "social_media_group"
    BARNETRAKK = "barnetrakk"
    GJESTEBUD = "gjestebud"
    OPEN_LOCAL_CENTRE = "open_local_centre"
    FOCUS_GROUP = "focus_group"
    UNIT_LEADER_MEETING = "unit_leader_meeting"
    ROAD_MAP_WORKSHOP = "road_map_workshop"
    POLITICAL_COMMITTEE = "political_committee"
    BIKVA = "bikva"
    SURVEY = "survey"
    MEETING_PLACE = "meeting_place"
    OTHER = "other"


@unique
class ParticipationLevel(StrEnum):
    """The IAP2 spectrum of public participation."""

    INFORM = "inform"
    CONSULT = "consult"
    INVOLVE = "involve"
    COLLABORATE = "collaborate"
    EMPOWER = "empower"


@unique
class Realiser(StrEnum):
    """Who can realise a proposal (Asker's road map, 004)."""

    MUNICIPALITY_ONLY = "municipality_only"
    CITIZENS_ONLY = "citizens_only"
    COLLABORATION = "collaboration"


@unique
class Severity(StrEnum):
    """How serious a validation finding is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@unique
class Basis(StrEnum):
    """Where a value shown to a reader comes from: its provenance.

    ``source``: printed in a source report, cited with its line. ``computed``: worked
    out by the library from other values. ``assumed``: inferred where the source is
    silent (e.g. a gate decision taken because the next phase ran). ``design``: a
    default or choice of this library, not in any source. Every output marks values
    that are not from a source.
    """

    SOURCE = "source"
    COMPUTED = "computed"
    ASSUMED = "assumed"
    DESIGN = "design"


def basis_of(source: str | None, basis: Basis | None = None) -> Basis:
    """The basis of a value: the one stated, else ``source`` if it cites one, else ``design``.

    >>> basis_of("002:1711"), basis_of(None), basis_of("002:505", Basis.DESIGN)
    (<Basis.SOURCE: 'source'>, <Basis.DESIGN: 'design'>, <Basis.DESIGN: 'design'>)
    """
    if basis is not None:
        return basis
    return Basis.SOURCE if source else Basis.DESIGN
