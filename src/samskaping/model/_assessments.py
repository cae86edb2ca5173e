"""Assessments recorded with a project: inputs for the scoring functions.

The scoring functions in :mod:`samskaping.scoring` read these values; the values
themselves belong to the document, so they live in the model. Everything here is
optional: a project records only the assessments it made.

- the idea diamond (*idédiamanten*, 002:3266-3336);
- the 20 considerations (*hensyn*) of co-creation (002 table 18, 002:3338-3362);
- rankings of KS's 18 keys (*nøkler*) to good involvement (003:21-39, 003:95-101);
- the six conditions of systems change touched (002:3062-3100);
- the participation level of activities on the IAP2 spectrum and Arnstein's ladder;
- Torfing's test of what is *not* co-creation (004:15-19);
- utenfor-regnskapet cases (the inputs of 002 tables 13 and 14, 002:2975-3027);
- staff-survey rounds (002:4432-4713), as answers or as the means a report printed.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from enum import StrEnum, unique
from typing import Any, Final

import attrs

from samskaping._errors import InvalidInputError
from samskaping._money import Money
from samskaping.model._enums import ParticipationLevel
from samskaping.model._fields import (
    at_least,
    between,
    identifier,
    non_negative_money,
    optional_identifier,
)

__all__ = [
    "ArnsteinRung",
    "Assessments",
    "ConsiderationAnswer",
    "ConsiderationResponse",
    "GovernmentLevel",
    "IdeaDiamond",
    "KeysRanking",
    "ParticipationRating",
    "ReportedMean",
    "Scenario",
    "ScenarioFactor",
    "ScenarioSet",
    "SurveyAnswer",
    "SurveyResponse",
    "SurveyRound",
    "SystemsChangeAssessment",
    "SystemsCondition",
    "TorfingTest",
    "UtenforCase",
    "UtenforDomain",
    "UtenforReported",
    "UtenforTargetGroup",
]

#: The number of considerations (*hensyn*) in 002 table 18.
CONSIDERATION_COUNT: Final = 20
#: The number of KS keys (*nøkler*) (003:18).
KS_KEY_COUNT: Final = 18
#: At most this many keys in one ranking: the participants ranked a top 5 (003:45-48).
KS_TOP: Final = 5

#: A diamond score is a whole number from 1; its scale (1-5 built in) is the assessment data's.
_DIAMOND_LEVEL = at_least(1)
_RATE = between(0, 1)
_YEAR = between(1900, 2200)


@unique
class ConsiderationResponse(StrEnum):
    """An answer to one consideration: *nei*, *tja* or *ja* (002:3340).

    The source's middle column is *tja* (a colloquial "maybe, sort of").
    """

    NO = "no"
    MAYBE = "maybe"
    YES = "yes"


@unique
class SystemsCondition(StrEnum):
    """The six conditions of systems change (Kania 2018, 002:3062-3078)."""

    POLICIES = "policies"
    PRACTICES = "practices"
    RESOURCE_FLOWS = "resource_flows"
    RELATIONSHIPS = "relationships"
    POWER_DYNAMICS = "power_dynamics"
    MENTAL_MODELS = "mental_models"


@unique
class ArnsteinRung(StrEnum):
    """The eight rungs of Arnstein's ladder of citizen participation (1969), lowest first."""

    MANIPULATION = "manipulation"
    THERAPY = "therapy"
    INFORMING = "informing"
    CONSULTATION = "consultation"
    PLACATION = "placation"
    PARTNERSHIP = "partnership"
    DELEGATED_POWER = "delegated_power"
    CITIZEN_CONTROL = "citizen_control"


@unique
class UtenforTargetGroup(StrEnum):
    """The seven KS target groups of utenfor-regnskapet (002:1138-1146)."""

    UPPER_SECONDARY_DROPOUT = "upper_secondary_dropout"
    LOW_INCOME_IMMIGRANT_PARENTS = "low_income_immigrant_parents"
    LOW_INCOME_BENEFIT_PARENTS = "low_income_benefit_parents"
    PARENTS_MENTAL_ILLNESS_OR_SUBSTANCE = "parents_mental_illness_or_substance"
    CHILD_WELFARE_SUPPORT = "child_welfare_support"
    DEPRESSION_OR_ANXIETY = "depression_or_anxiety"
    BEHAVIOURAL_DISORDERS = "behavioural_disorders"


@unique
class UtenforDomain(StrEnum):
    """The cost domains of utenfor-regnskapet (002:1134)."""

    CORRECTIONS = "corrections"
    TAX = "tax"
    EDUCATION = "education"
    TRANSFERS = "transfers"
    MUNICIPAL_HEALTH_CARE = "municipal_health_care"
    SPECIALIST_HEALTH = "specialist_health"
    CHILD_WELFARE = "child_welfare"


@unique
class GovernmentLevel(StrEnum):
    """The three levels of public finances (002:3041-3043)."""

    MUNICIPAL = "municipal"
    COUNTY = "county"
    STATE = "state"


# --- idea diamond, considerations, keys, systems change -----------------------------------


@attrs.frozen(kw_only=True)
class IdeaDiamond:
    """One scoring of the idea diamond (*idédiamanten*, Bentzen 2019; 002:3275-3285).

    Each dimension is scored on the diamond's scale (1-5 in the built-in data; a
    profile's ``assessments/idea_diamond.toml`` may set another; scoring and validation
    check it):
    strategic anchoring (*strategisk forankring*), local anchoring (*lokal
    forankring*), reflection (*refleksjon*, "talk") and experimentation
    (*eksperimentering*, "walk"). ``label`` says when it was scored, e.g. ``start``.
    """

    label: str | None = None
    date: datetime.date | None = None
    strategic_anchoring: int = attrs.field(validator=_DIAMOND_LEVEL)
    local_anchoring: int = attrs.field(validator=_DIAMOND_LEVEL)
    reflection: int = attrs.field(validator=_DIAMOND_LEVEL)
    experimentation: int = attrs.field(validator=_DIAMOND_LEVEL)
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class ConsiderationAnswer:
    """The answer to one of the 20 considerations (*hensyn*) of 002 table 18.

    ``number`` is the consideration's number, 1-20, in the order of the table.
    """

    number: int = attrs.field(validator=between(1, CONSIDERATION_COUNT))
    answer: ConsiderationResponse
    source: str | None = None
    note: str | None = None


def _check_keys(_instance: object, attribute: attrs.Attribute[Any], value: tuple[int, ...]) -> None:
    if not value:
        raise InvalidInputError("expected at least one key", what=attribute.name)
    if len(value) > KS_TOP:
        raise InvalidInputError(
            f"expected at most {KS_TOP} keys (a top {KS_TOP}), got {len(value)}",
            what=attribute.name,
        )
    for key in value:
        if not 1 <= key <= KS_KEY_COUNT:
            raise InvalidInputError(
                f"expected key numbers from 1 to {KS_KEY_COUNT}, got {key}", what=attribute.name
            )
    if len(set(value)) != len(value):
        raise InvalidInputError("a key appears twice in one ranking", what=attribute.name)


@attrs.frozen(kw_only=True)
class KeysRanking:
    """A group's top-5 of KS's 18 keys (*nøkler*) to good involvement (003:45-48).

    ``keys`` are key numbers (1-18). When ``ordered`` is true the first key is the
    group's first choice; otherwise the keys are a set ranked highest together, as
    in the KS seminar, whose top 5 (keys 1, 2, 3, 4, 9) has no order (003:95-101).
    """

    group: str | None = None
    keys: tuple[int, ...] = attrs.field(validator=_check_keys)
    ordered: bool = False
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class SystemsChangeAssessment:
    """Which of the six conditions of systems change a project touched (002:3062-3100)."""

    touched: tuple[SystemsCondition, ...] = ()
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class ParticipationRating:
    """The participation level of one involvement activity.

    ``activity`` is the id of an involvement activity of the project; ``iap2`` is
    its level on the IAP2 spectrum, ``arnstein`` its rung on Arnstein's ladder.
    """

    activity: str = attrs.field(validator=identifier)
    iap2: ParticipationLevel | None = None
    arnstein: ArnsteinRung | None = None
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class TorfingTest:
    """Torfing's test of what is *not* co-creation (004:15-19).

    Each field answers one question about the municipality; ``None`` means not
    assessed. It is not co-creation when the municipality:

    - ``nearly_finished_solutions``: sends nearly finished solutions to consultation
      (*sender nesten ferdige løsninger på høring*);
    - ``preprogrammed_process``: involves citizens in pre-programmed processes
      (*involverer innbyggerne i forprogrammerte prosesser*);
    - ``offloading_to_save_money``: moves tasks from the public to private actors to
      save money (*flytter oppgaver fra det offentlige til private aktører for å spare*).
    """

    nearly_finished_solutions: bool | None = None
    preprogrammed_process: bool | None = None
    offloading_to_save_money: bool | None = None
    source: str | None = None
    note: str | None = None


# --- utenfor-regnskapet --------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class UtenforReported:
    """The results a report printed for an utenfor-regnskapet case (002 tables 13-15).

    Kept next to the inputs so a reader can compare, and so the consistency check
    can test ``helped_per_year`` against participants × (p1 − p0).
    ``never_breaks_even`` is true where the report says *aldri* (never).
    """

    helped_per_year: Decimal | None = attrs.field(default=None, validator=between(0, 10**9))
    net_gain_per_participant_year: Money | None = None
    break_even_year: int | None = attrs.field(default=None, validator=_YEAR)
    never_breaks_even: bool | None = None
    profitable: bool | None = None
    municipal_positive: bool | None = None
    county_positive: bool | None = None
    state_positive: bool | None = None
    top_domain: UtenforDomain | None = None
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class UtenforCase:
    """The inputs of one utenfor-regnskapet case (DOMAIN §8; 002 tables 13 and 14).

    Success rates are fractions from 0 to 1: ``success_without`` is p0 (*suksessrate
    uten tiltak*) and ``success_with`` p1 (*suksessrate med tiltak*).
    ``participants_per_year`` is N (*antall per år*); ``years_running`` the years the
    measure runs (*år for tiltak*); ``years_per_participant`` how long each
    participant takes part (*år per deltaker*); ``investment_per_year`` the
    municipality's investment each running year. ``cost_profile`` names the cost
    profile to calculate with; the source prints none (002:2994).
    """

    id: str = attrs.field(validator=identifier)
    name: str
    project: str | None = attrs.field(default=None, validator=optional_identifier)
    target_group: UtenforTargetGroup
    measure_type: str | None = None
    age_from: int = attrs.field(validator=between(0, 120))
    age_to: int = attrs.field(validator=between(0, 120))
    success_without: Decimal = attrs.field(validator=_RATE)
    success_with: Decimal = attrs.field(validator=_RATE)
    start_year: int = attrs.field(validator=_YEAR)
    years_running: int = attrs.field(validator=between(1, 100))
    years_per_participant: int = attrs.field(default=1, validator=between(1, 100))
    participants_per_year: int = attrs.field(validator=between(0, 10**9))
    investment_per_year: Money = attrs.field(validator=non_negative_money)
    horizon_years: int = attrs.field(default=40, validator=between(1, 200))
    cost_profile: str | None = None
    reported: UtenforReported | None = None
    source: str | None = None
    note: str | None = None

    @age_to.validator
    def _check_ages(self, attribute: attrs.Attribute[int], value: int) -> None:
        if value < self.age_from:
            raise InvalidInputError(
                f"expected age_to of at least age_from ({self.age_from}), got {value}",
                what=attribute.name,
            )


# --- surveys -------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SurveyAnswer:
    """One respondent's answer to one survey item: the code of the chosen option."""

    item: str = attrs.field(validator=identifier)
    value: int


@attrs.frozen(kw_only=True)
class SurveyResponse:
    """One respondent's answers. ``role`` is the respondent's role code, if known."""

    respondent: str | None = attrs.field(default=None, validator=optional_identifier)
    role: str | None = attrs.field(default=None, validator=optional_identifier)
    answers: tuple[SurveyAnswer, ...] = ()


@attrs.frozen(kw_only=True)
class ReportedMean:
    """A mean a report printed for an item, when the answers themselves are not given.

    Example: "this way of distributing money gives better goal attainment", 4.4 in
    2022 and 3.6 in 2023 (002:2040).
    """

    item: str = attrs.field(validator=identifier)
    mean: Decimal = attrs.field(validator=between(-1000, 1000))
    role: str | None = attrs.field(default=None, validator=optional_identifier)
    n: int | None = attrs.field(default=None, validator=at_least(0))
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class SurveyRound:
    """One round of a survey (*spørreundersøkelse*), e.g. the staff survey of 2023.

    ``instrument`` names the questionnaire (see
    :func:`samskaping.scoring.survey_instrument`); ``responses`` hold individual
    answers and ``reported_means`` the means a report printed instead.
    """

    id: str = attrs.field(validator=identifier)
    instrument: str = attrs.field(validator=identifier)
    year: int = attrs.field(validator=_YEAR)
    invited: int | None = attrs.field(default=None, validator=at_least(0))
    respondents: int | None = attrs.field(default=None, validator=at_least(0))
    responses: tuple[SurveyResponse, ...] = ()
    reported_means: tuple[ReportedMean, ...] = ()
    source: str | None = None
    note: str | None = None


# --- future scenarios ---------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Scenario:
    """One future scenario (*fremtidsscenario*) an evaluation drew up (002:3185-3264).

    ``preferred`` marks the scenario the report names as the preferred future
    (*det foretrukne fremtidsbildet*, 002:3264).
    """

    number: int = attrs.field(validator=at_least(1))
    title: str
    description: str | None = None
    preferred: bool = False
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class ScenarioFactor:
    """A factor assumed to shape future scenarios, with the forces it names (table 17).

    Example: *Demografiske*, «Innvandring (flyktninger, arbeidsinnv.) Fødselsrater …»
    (002:3205). ``forces`` is the source's text as printed.
    """

    name: str
    forces: str | None = None
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class ScenarioSet:
    """Future scenarios towards a horizon year, and the factors assumed to shape them.

    Innbyggernes modell has four scenarios to 2040 (002:3185-3192) and seven assumed
    influencing factors (*tenkte påvirkningsfaktorer*, table 17, 002:3202-3210).
    """

    horizon: int = attrs.field(validator=_YEAR)
    scenarios: tuple[Scenario, ...] = ()
    factors: tuple[ScenarioFactor, ...] = ()
    source: str | None = None
    note: str | None = None


# --- the holder ----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Assessments:
    """Assessments recorded for a project or programme (all optional)."""

    idea_diamonds: tuple[IdeaDiamond, ...] = ()
    considerations: tuple[ConsiderationAnswer, ...] = ()
    ks_keys: tuple[KeysRanking, ...] = ()
    systems_change: SystemsChangeAssessment | None = None
    participation: tuple[ParticipationRating, ...] = ()
    torfing: TorfingTest | None = None
    utenfor: tuple[UtenforCase, ...] = ()
    surveys: tuple[SurveyRound, ...] = ()
    scenarios: ScenarioSet | None = None
