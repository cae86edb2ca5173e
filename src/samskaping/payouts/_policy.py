"""Payout policies (*utbetalingsregelverk*) as data: the classes a policy file is read into.

A policy is a TOML or JSON document. It names its payout type and its pot, declares
the inputs its rules read, and holds effective-dated parameters, derived values,
eligibility rules, referrals, caps, flags, a purposes catalogue and approval bands.
Rules are expressions in a small language (see ``docs/payouts.md``), parsed and
type-checked when the policy is loaded (:mod:`samskaping.payouts._load`).

Validity intervals are half-open everywhere: ``valid_from`` is the first day a value
applies and ``valid_to`` the first day it no longer does (``None``: open-ended).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from enum import StrEnum, unique
from typing import Any, Final, Literal

import attrs

from samskaping._money import Money
from samskaping.l10n import LocalText
from samskaping.model import (
    Basis,
    PaymentType,
    Pot,
    at_least,
    basis_of,
    identifier,
    non_negative_money,
)
from samskaping.payouts._expr_ast import ValueType

__all__ = [
    "POLICY_SCHEMA_VERSION",
    "ApprovalBand",
    "ApproverBody",
    "AssetOwner",
    "BandSchedule",
    "Cap",
    "CohortKind",
    "CollectiveRule",
    "CollectiveTerms",
    "DecisionBody",
    "Derived",
    "FlagRule",
    "Gatekeeper",
    "InputDecl",
    "Parameter",
    "ParameterValue",
    "Policy",
    "Proration",
    "Purpose",
    "Referral",
    "Rule",
    "UnconditionalTerms",
]

#: The version of the policy file format.
POLICY_SCHEMA_VERSION: Final = 1


@unique
class ApproverBody(StrEnum):
    """Who must approve a payout in an approval band (002:1709-1711)."""

    WORKER = "worker"
    WORKER_AND_COLLEAGUE = "worker_and_colleague"
    PROJECT_GROUP = "project_group"
    INTERDISCIPLINARY_TEAM = "interdisciplinary_team"
    STEERING_GROUP = "steering_group"


@unique
class Proration(StrEnum):
    """How a child born or leaving during a payment period is counted.

    - ``none``: no proration; a child present on any day of the period counts in full.
    - ``by_month``: whole periods; a child counts for a period if present on its first
      day (so a child born mid-period counts from the next period, and a child who
      leaves mid-period counts for that whole period).
    - ``by_day``: a child counts for the share of the period's days it is present.
    """

    NONE = "none"
    BY_MONTH = "by_month"
    BY_DAY = "by_day"


@unique
class CohortKind(StrEnum):
    """Whether households may join an unconditional scheme after it starts (002:488)."""

    FIXED = "fixed"
    OPEN = "open"


@unique
class CollectiveRule(StrEnum):
    """How a group decides what to fund in participatory budgeting (*deltakende budsjettering*).

    - ``greedy_by_votes``: most votes first, each proposal funded if it still fits the
      budget (Consul's rule).
    - ``threshold``: as greedy, but a ballot only counts if it spends at least a share
      of the budget and picks at least a minimum number of projects (Decidim's rules).
    - ``consensus``: the group or the project group records what it agreed on
      (002:1874, 002:1900).
    """

    GREEDY_BY_VOTES = "greedy_by_votes"
    THRESHOLD = "threshold"
    CONSENSUS = "consensus"


@unique
class DecisionBody(StrEnum):
    """Who takes a collective decision (002:1874, 002:1900)."""

    CITIZEN_GROUP = "citizen_group"
    PROJECT_GROUP = "project_group"


@unique
class AssetOwner(StrEnum):
    """Who owns what a collective payout buys (002:1908)."""

    MUNICIPALITY = "municipality"
    CITIZENS = "citizens"
    CITIZEN_ORGANISATION = "citizen_organisation"
    NONE = "none"


def _positive_int(_instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    at_least(1)(_instance, attribute, value)


@attrs.frozen(kw_only=True)
class InputDecl:
    """An input the policy's rules read beyond the standard ones, e.g. ``household.in_cohort``.

    The name starts with ``household.`` or ``request.``; the value comes from the
    request's ``attributes``. Without a ``default``, a request that lacks the input is
    not decided (its decision says which input is missing).

    An input declared ``personal`` (a national identity number, a name, an address)
    is personal data (*personopplysning*): its value, and every derived value computed
    from it, is hidden in traces, rendered decisions and errors unless the caller asks
    for identifiers (``reveal_identifiers=True``), as household references are.
    """

    name: str
    type: ValueType
    default: Any = None
    personal: bool = False
    description: str | None = None
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class ParameterValue:
    """One value of a parameter, valid in ``[valid_from, valid_to)``.

    Exactly one of ``value`` (a literal of the parameter's type) and ``expr`` (an
    expression over other parameters) is given. ``basis`` says where the value comes
    from when its ``source`` alone would mislead: a figure printed in the source but
    used as a rule the source does not state is ``design``.
    """

    valid_from: datetime.date
    valid_to: datetime.date | None = None
    value: Any = None
    expr: str | None = None
    source: str | None = None
    note: str | None = None
    basis: Basis | None = None

    @property
    def provenance(self) -> Basis:
        """The value's basis: stated, else from its source, else a design default."""
        return basis_of(self.source, self.basis)


@attrs.frozen(kw_only=True)
class Parameter:
    """An effective-dated parameter (a rate, a cap, a threshold), read as ``params.<name>``."""

    name: str = attrs.field(validator=identifier)
    type: ValueType
    values: tuple[ParameterValue, ...]
    label: LocalText | None = None
    description: str | None = None
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Derived:
    """A value computed from inputs and parameters, read by its bare name."""

    name: str = attrs.field(validator=identifier)
    type: ValueType
    expr: str
    description: str | None = None
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class _ExprRule:
    """A named rule: an expression in the policy's language, with its label and source."""

    id: str = attrs.field(validator=identifier)
    expr: str
    description: str | None = None
    label: LocalText | None = None
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Rule(_ExprRule):
    """An eligibility rule: a request is rejected if its expression is false."""


@attrs.frozen(kw_only=True)
class Referral(_ExprRule):
    """A rule that refers a request to an ordinary scheme (e.g. NAV) when it is true."""

    scheme: str


@attrs.frozen(kw_only=True)
class Cap(_ExprRule):
    """An upper limit on the amount granted, an amount expression."""


@attrs.frozen(kw_only=True)
class FlagRule(_ExprRule):
    """A flag (*merknad*) raised when its expression is true; it never blocks a payout."""


@attrs.frozen(kw_only=True)
class Purpose:
    """One purpose in the catalogue of a conditional policy (002 table 5).

    Attributes:
        code: The code requests use, e.g. ``furniture``.
        category: One of the three investment categories (002:1656-1658), if given.
        needs_clarification: The purpose must be cleared with project staff first
            (holiday, 002:1701); flagged, not blocked.
        running_cost: Buying it brings running costs (a car, a house; 002:1525).
        ordinary_scheme: Ordinary schemes (NAV, child welfare) may already cover it
            (002:1715, 002:1980).
        for_children: It meets children's needs (002:1585).
        label: Its text, if the label catalogue has none (``payouts.purpose.<code>``).
    """

    code: str = attrs.field(validator=identifier)
    category: str | None = None
    needs_clarification: bool = False
    running_cost: bool = False
    ordinary_scheme: bool = False
    for_children: bool = False
    label: LocalText | None = None
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class ApprovalBand:
    """An amount band and who must approve a payout in it (002:1711).

    The band covers the amounts between ``lower`` and ``upper``; whether each edge
    belongs to the band is stated, so every amount falls in exactly one band.
    ``upper = None`` means no upper limit. A band with no ``source`` is a design
    default (``basis``), never attributed to its schedule's source.
    """

    id: str = attrs.field(validator=identifier)
    lower: Money = attrs.field(validator=non_negative_money)
    lower_inclusive: bool = True
    upper: Money | None = attrs.field(default=None, validator=non_negative_money)
    upper_inclusive: bool = False
    approvers: ApproverBody
    people: int = attrs.field(default=1, validator=_positive_int)
    description: str | None = None
    source: str | None = None
    note: str | None = None
    basis: Basis | None = None

    @property
    def provenance(self) -> Basis:
        """The band's basis: stated, else from its source, else a design default."""
        return basis_of(self.source, self.basis)

    def contains(self, amount: Money) -> bool:
        """Whether ``amount`` falls in this band."""
        value = amount.amount
        low = self.lower.amount
        if value < low or (value == low and not self.lower_inclusive):
            return False
        if self.upper is None:
            return True
        high = self.upper.amount
        return value < high or (value == high and self.upper_inclusive)


@attrs.frozen(kw_only=True)
class BandSchedule:
    """The approval bands valid in ``[valid_from, valid_to)``."""

    valid_from: datetime.date
    valid_to: datetime.date | None = None
    bands: tuple[ApprovalBand, ...]
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class UnconditionalTerms:
    """The terms of an unconditional payout (*ubetinget utbetaling*): a monthly plan.

    Attributes:
        rate: The name of the money parameter that is the rate per child per period.
        rrule: The RFC 5545 recurrence of payment dates from ``start`` (monthly).
        start: The first payment date.
        end: The first day after the scheme, if the source gives it.
        planned_months: How many monthly payments are planned, if no ``end``.
        cohort: Whether the cohort is fixed when the scheme starts, or open.
        proration: How children born or leaving mid-period are counted.
    """

    rate: str = attrs.field(validator=identifier)
    rrule: str = "FREQ=MONTHLY"
    start: datetime.date
    end: datetime.date | None = None
    planned_months: int | None = attrs.field(default=None, validator=at_least(1))
    cohort: CohortKind = CohortKind.FIXED
    proration: Proration = Proration.NONE
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Gatekeeper:
    """An actor outside the project who decides a condition (002:1910), e.g. the police."""

    id: str = attrs.field(validator=identifier)
    name: str
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class CollectiveTerms:
    """The terms of a collective payout (*kollektiv utbetaling*, participatory budgeting).

    Attributes:
        rule: How proposals are chosen.
        decision_body: Who decides (the citizen group or the project group).
        threshold_percent: For ``threshold``: the share of the budget a ballot must
            spend to count (Decidim's vote threshold).
        min_projects: For ``threshold``: the fewest projects a ballot must pick.
        max_projects: The most projects a ballot may pick, if limited.
        asset_owner: Who owns what is bought, unless a proposal says otherwise.
        gatekeepers: External actors whose conditions decide individual outcomes.
    """

    rule: CollectiveRule
    decision_body: DecisionBody
    threshold_percent: Decimal | None = None
    min_projects: int | None = attrs.field(default=None, validator=at_least(0))
    max_projects: int | None = attrs.field(default=None, validator=at_least(1))
    asset_owner: AssetOwner = AssetOwner.NONE
    gatekeepers: tuple[Gatekeeper, ...] = ()
    source: str | None = None
    note: str | None = None


# A policy's hash is kept: the engine looks its compiled form up by the policy's value.
@attrs.frozen(kw_only=True, cache_hash=True)
class Policy:
    """A payout policy: the rules one scheme follows (DOMAIN §6).

    Build one with :func:`~samskaping.payouts.load_policy` (a built-in name or a
    file) or :func:`~samskaping.payouts.loads_policy`; both check everything the
    engine relies on. A policy is a value: equal policies decide equally.

    Attributes:
        amount: The amount expression. By default the requested amount
            (``request.amount``) for conditional policies and rate times children for
            unconditional ones.
        partial_grants: Whether a request may be granted in part when a cap or the
            pot is below it; if not, it is rejected (or deferred in an allocation).
        repeat_request_after: How many earlier entries for the same household in the
            pot raise the repeat-request flag (002:1942, 002:1964).
    """

    schema_version: Literal[1] = 1
    id: str = attrs.field(validator=identifier)
    name: str
    payment_type: PaymentType
    version: str | None = None
    description: str | None = None
    pot: Pot | None = None
    inputs: tuple[InputDecl, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    derived: tuple[Derived, ...] = ()
    purposes: tuple[Purpose, ...] = ()
    eligibility: tuple[Rule, ...] = ()
    referrals: tuple[Referral, ...] = ()
    amount: str | None = None
    caps: tuple[Cap, ...] = ()
    flags: tuple[FlagRule, ...] = ()
    approval_bands: tuple[BandSchedule, ...] = ()
    partial_grants: bool = True
    repeat_request_after: int = attrs.field(default=1, validator=at_least(1))
    unconditional: UnconditionalTerms | None = None
    collective: CollectiveTerms | None = None
    source: str | None = None
    note: str | None = None
