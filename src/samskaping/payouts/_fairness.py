"""Fairness over a set of decisions (002 §8.3), and outcome payments.

The source names dilemmas rather than a list of principles (002:1574, 002:1938-1966);
the five checks here are the library's synthesis (DOMAIN §6), each with a measure:

- **equal treatment** (*likebehandling*, 002:1966, 002:2899): decisions with equal
  inputs under the same policy should have equal outcomes. Measure: the share of
  decisions whose equal-input group agrees; each disagreeing group is a finding.
- **need proportionality** (002:505, 002:1713, 002:3519): more need, more money.
  Need is the need weight times the household size (adults plus children). Measure:
  among granted pairs whose need differs, the share where the needier got at least
  as much.
- **reach** (002:1940, 002:1964): the share of eligible households never served.
- **child first** (002:1585, 002:1845): the share of the money granted to requests
  for children's needs, and each case where a child's request went without money for
  lack of funds while a request not for children was paid.
- **predictability** (002:1791, 002:1813, 002:1856): the mean coefficient of
  variation of each household's monthly amounts (0 is fully predictable).

Thresholds for "needs attention" are design defaults and can be changed.

Outcome payments (the effect contracts that became allocation letters,
002:2375-2379) pay ``min(price per unit × units achieved, cap)``; the formula is the
library's design, not the source's (it gives none).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from decimal import Decimal
from enum import StrEnum, unique
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final

import attrs

from samskaping._errors import InvalidInputError
from samskaping._money import Money, sum_money
from samskaping._records import Records, plain
from samskaping.io import register_result_hooks, result_json
from samskaping.l10n import Lang
from samskaping.model import at_least, identifier, non_negative_money
from samskaping.payouts._decision import (
    Decision,
    DecisionStatus,
    json_value,
)

if TYPE_CHECKING:
    from cattrs import Converter

__all__ = [
    "FAIRNESS_SCHEMA_VERSION",
    "FairnessPrinciple",
    "FairnessReport",
    "OutcomeContract",
    "OutcomePayment",
    "PrincipleResult",
    "fairness_report",
    "outcome_payment",
]

#: The version of the JSON shape of a fairness report.
FAIRNESS_SCHEMA_VERSION: Final = 1
_PAID: Final = frozenset({DecisionStatus.GRANTED, DecisionStatus.PARTIAL})
_NO_MONEY_CODES: Final = frozenset({"pot_emptied", "pot_limited", "partial_not_allowed"})


@unique
class FairnessPrinciple(StrEnum):
    """The five fairness checks (DOMAIN §6, from 002 §8.3)."""

    EQUAL_TREATMENT = "equal_treatment"
    NEED_PROPORTIONALITY = "need_proportionality"
    REACH = "reach"
    CHILD_FIRST = "child_first"
    PREDICTABILITY = "predictability"


@attrs.frozen(kw_only=True)
class PrincipleResult:
    """One principle's measure, whether it needs attention, and the findings behind it.

    Attributes:
        value: The measure (a share from 0 to 1, or a coefficient of variation);
            ``None`` when the decisions give nothing to measure.
        attention: Whether the measure passes the threshold that calls for attention.
        findings: Request ids (never household references) behind the measure.
    """

    principle: FairnessPrinciple
    value: Fraction | None
    attention: bool
    findings: tuple[str, ...] = ()
    detail: tuple[tuple[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data."""
        return result_json(self)  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True)
class FairnessReport(Records):
    """The five fairness checks over a set of decisions."""

    decisions: int
    results: tuple[PrincipleResult, ...]

    def result(self, principle: FairnessPrinciple) -> PrincipleResult:
        """The result for one principle."""
        return next(r for r in self.results if r.principle is principle)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data with ``"schema_version": 1``."""
        return result_json(self)  # type: ignore[no-any-return]

    def to_records(self) -> list[dict[str, object]]:
        """One row per fairness principle."""
        return [
            {
                "principle": plain(result.principle),
                "value": plain(result.value),
                "attention": result.attention,
                "findings": plain(result.findings),
            }
            for result in self.results
        ]


def _inputs(decision: Decision) -> dict[str, Any]:
    return dict(decision.inputs)


def _equal_treatment(decisions: Sequence[Decision]) -> PrincipleResult:
    groups: dict[tuple[Any, ...], list[Decision]] = {}
    for decision in decisions:
        key = (
            decision.policy_id,
            decision.requested.amount,
            tuple(sorted(decision.inputs, key=lambda i: i[0])),
        )
        groups.setdefault(key, []).append(decision)
    findings: list[str] = []
    consistent = 0
    for members in groups.values():
        outcomes = {(d.status, d.amount) for d in members}
        if len(outcomes) == 1:
            consistent += len(members)
        else:
            findings.extend(d.request_id for d in members)
    value = Fraction(consistent, len(decisions)) if decisions else None
    return PrincipleResult(
        principle=FairnessPrinciple.EQUAL_TREATMENT,
        value=value,
        attention=bool(findings),
        findings=tuple(findings),
    )


def _need(decision: Decision) -> Fraction | None:
    inputs = _inputs(decision)
    weight = inputs.get("household.need_weight")
    children = inputs.get("household.children")
    adults = inputs.get("household.adults")
    if (
        not isinstance(weight, Decimal)
        or not isinstance(children, int)
        or not isinstance(adults, int)
    ):
        return None
    return Fraction(weight) * (children + adults)


def _need_proportionality(decisions: Sequence[Decision], minimum: Fraction) -> PrincipleResult:
    paid = [(d, _need(d)) for d in decisions if d.status in _PAID]
    measured = [(d, n) for d, n in paid if n is not None]
    agree = 0
    compared = 0
    findings: list[str] = []
    for (a, need_a), (b, need_b) in itertools.combinations(measured, 2):
        if need_a == need_b:
            continue
        compared += 1
        needier, other = (a, b) if need_a > need_b else (b, a)
        if needier.amount >= other.amount:
            agree += 1
        else:
            findings.append(needier.request_id)
    value = Fraction(agree, compared) if compared else None
    return PrincipleResult(
        principle=FairnessPrinciple.NEED_PROPORTIONALITY,
        value=value,
        attention=value is not None and value < minimum,
        findings=tuple(dict.fromkeys(findings)),
        detail=(("pairs", compared),),
    )


def _reach(decisions: Sequence[Decision], eligible: Sequence[str] | None) -> PrincipleResult:
    if eligible is None:
        return PrincipleResult(principle=FairnessPrinciple.REACH, value=None, attention=False)
    served = {d.household_ref for d in decisions if d.status in _PAID}
    group = set(eligible)
    never = len(group - served)
    value = Fraction(never, len(group)) if group else None
    return PrincipleResult(
        principle=FairnessPrinciple.REACH,
        value=value,
        attention=bool(never),
        detail=(("eligible", len(group)), ("never_served", never)),
    )


def _child_first(decisions: Sequence[Decision], minimum: Fraction) -> PrincipleResult:
    paid = [d for d in decisions if d.status in _PAID]
    total = sum_money(d.amount for d in paid)
    children = sum_money(d.amount for d in paid if _inputs(d).get("request.for_children") is True)
    unpaid_children = [
        d
        for d in decisions
        if _inputs(d).get("request.for_children") is True
        and d.status is DecisionStatus.REJECTED
        and any(r.code in _NO_MONEY_CODES for r in d.reasons)
    ]
    paid_others = any(_inputs(d).get("request.for_children") is not True for d in paid)
    findings = tuple(d.request_id for d in unpaid_children) if paid_others else ()
    value = Fraction(children.ore, total.ore) if total.ore else None
    return PrincipleResult(
        principle=FairnessPrinciple.CHILD_FIRST,
        value=value,
        attention=bool(findings) or (value is not None and value < minimum),
        findings=findings,
        detail=(("granted", total), ("granted_for_children", children)),
    )


def _predictability(decisions: Sequence[Decision], maximum: Fraction) -> PrincipleResult:
    months: dict[str, dict[tuple[int, int], int]] = {}
    for d in decisions:
        per = months.setdefault(d.household_ref, {})
        key = (d.as_of.year, d.as_of.month)
        per[key] = per.get(key, 0) + (d.amount.ore if d.status in _PAID else 0)
    variations: list[Fraction] = []
    for per in months.values():
        if len(per) < 2:  # noqa: PLR2004  (a variation needs two months)
            continue
        first, last = min(per), max(per)
        span = (last[0] - first[0]) * 12 + last[1] - first[1] + 1
        series = [
            per.get(((first[1] - 1 + i) // 12 + first[0], (first[1] - 1 + i) % 12 + 1), 0)
            for i in range(span)
        ]
        mean = Fraction(sum(series), len(series))
        if not mean:
            continue
        variance = sum(((Fraction(x) - mean) ** 2 for x in series), Fraction(0)) / len(series)
        variations.append(_sqrt(variance) / mean)
    value = sum(variations, Fraction(0)) / len(variations) if variations else None
    return PrincipleResult(
        principle=FairnessPrinciple.PREDICTABILITY,
        value=value,
        attention=value is not None and value > maximum,
        detail=(("households_measured", len(variations)),),
    )


def _sqrt(value: Fraction) -> Fraction:
    """A square root, exact to 12 decimals (for a coefficient of variation)."""
    root = Decimal(value.numerator).sqrt() / Decimal(value.denominator).sqrt()
    return Fraction(root.quantize(Decimal("1e-12")))


def fairness_report(
    decisions: Iterable[Decision],
    *,
    eligible: Iterable[str] | None = None,
    min_need_agreement: Fraction = Fraction(2, 3),
    min_child_share: Fraction = Fraction(0),
    max_variation: Fraction = Fraction(1, 4),
) -> FairnessReport:
    """Check a set of decisions against the five fairness principles.

    Args:
        decisions: The decisions (of one or more policies).
        eligible: References of every household that could have been served; without
            it, reach is not measured.
        min_need_agreement: Below this share, need proportionality needs attention.
        min_child_share: Below this share of money for children, child first needs
            attention (default 0: only cases of children going without count).
        max_variation: Above this mean coefficient of variation of monthly amounts,
            predictability needs attention.
    """
    items = list(decisions)
    return FairnessReport(
        decisions=len(items),
        results=(
            _equal_treatment(items),
            _need_proportionality(items, min_need_agreement),
            _reach(items, None if eligible is None else list(eligible)),
            _child_first(items, min_child_share),
            _predictability(items, max_variation),
        ),
    )


@attrs.frozen(kw_only=True)
class OutcomeContract:
    """An outcome payment: a price per unit achieved, up to a cap, with a target.

    Attributes:
        minimum_units: Below this many units nothing is paid (default 0).
        target_units: The units the contract aims at; reported, never paid beyond cap.
    """

    id: str = attrs.field(validator=identifier)
    price_per_unit: Money = attrs.field(validator=non_negative_money)
    cap: Money = attrs.field(validator=non_negative_money)
    target_units: int | None = attrs.field(default=None, validator=at_least(0))
    minimum_units: int = attrs.field(default=0, validator=at_least(0))
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class OutcomePayment:
    """What an outcome contract pays for the units achieved."""

    contract_id: str
    units: int
    amount: Money
    capped: bool
    below_minimum: bool
    target_met: bool | None
    attainment: Fraction | None

    def to_dict(self) -> dict[str, Any]:
        """The payment as JSON-ready data."""
        return result_json(self)  # type: ignore[no-any-return]


def outcome_payment(contract: OutcomeContract, units: int) -> OutcomePayment:
    """``min(price per unit × units, cap)``, or nothing below the minimum units.

    >>> c = OutcomeContract(id="c", price_per_unit=Money(1000), cap=Money(5000), target_units=4)
    >>> outcome_payment(c, 7).amount
    Money('5000.00')

    Raises:
        InvalidInputError: If ``units`` is negative.
    """
    count: object = units
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise InvalidInputError("units must be a whole number of at least 0", what="units")
    below = units < contract.minimum_units
    gross = contract.price_per_unit * units
    amount = Money(0) if below else min(gross, contract.cap)
    target = contract.target_units
    return OutcomePayment(
        contract_id=contract.id,
        units=units,
        amount=amount,
        capped=not below and gross > contract.cap,
        below_minimum=below,
        target_met=None if target is None else units >= target,
        attainment=None if not target else Fraction(units, target),
    )


def _ratio(value: Fraction | None) -> str | None:
    return None if value is None else f"{float(value):.4f}"


@register_result_hooks
def _install_json_hooks(converter: Converter, lang: Lang | None, reveal: bool) -> None:  # noqa: FBT001
    del lang, reveal

    def result(value: PrincipleResult) -> dict[str, Any]:
        return {
            "principle": value.principle.value,
            "value": _ratio(value.value),
            "attention": value.attention,
            "findings": list(value.findings),
            "detail": {k: json_value(v) for k, v in value.detail},
        }

    def report(value: FairnessReport) -> dict[str, Any]:
        return {
            "schema_version": FAIRNESS_SCHEMA_VERSION,
            "kind": "fairness_report",
            "decisions": value.decisions,
            "results": [result(r) for r in value.results],
        }

    def payment(value: OutcomePayment) -> dict[str, Any]:
        return {
            "contract": value.contract_id,
            "units": value.units,
            "amount": str(value.amount.amount),
            "capped": value.capped,
            "below_minimum": value.below_minimum,
            "target_met": value.target_met,
            "attainment": _ratio(value.attainment),
        }

    converter.register_unstructure_hook(PrincipleResult, result)
    converter.register_unstructure_hook(FairnessReport, report)
    converter.register_unstructure_hook(OutcomePayment, payment)
