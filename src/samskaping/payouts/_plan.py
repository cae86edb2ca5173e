"""Payment plans for unconditional payouts (*utbetalingsplan*, 002:1819).

A plan pays each household of a cohort a rate per child per period, on dates from an
RFC 5545 recurrence (monthly, with dateutil's ``rrule``), e.g. 1 600 NOK per child
per month from 2022-02-01 (002:492, 002:494, 002:1791).

Rules, in one place:

- Period *k* runs from payment date *k* up to (not including) payment date *k + 1*
  (the last up to the plan's end); the payment is made on the first day of its period.
- A rate change takes effect exactly on its date: within a period the rate is
  weighted by the days each rate is in force.
- A child counts under the policy's proration (see
  :class:`~samskaping.payouts.Proration`): ``none`` a full period if present on any
  day of it, ``by_month`` a full period if present on its first day, ``by_day`` the
  share of its days.
- A fixed cohort admits only households that joined by the plan's start (002:488); an
  open cohort admits households from the day they join.
- Each household's payment for a period is summed exactly and rounded once to the øre
  (halves away from zero). Periods with nothing to pay are left out.
"""

from __future__ import annotations

import datetime
from fractions import Fraction
from typing import Any, Final

import attrs

from samskaping._errors import InvalidInputError
from samskaping._money import Money, sum_money
from samskaping._records import Records, plain
from samskaping.model import PaymentType
from samskaping.model._fields import identifier
from samskaping.payouts._compiled import compile_policy
from samskaping.payouts._policy import CohortKind, Policy, Proration
from samskaping.payouts._request import HIDDEN, household_ref

__all__ = [
    "PLAN_SCHEMA_VERSION",
    "Child",
    "Cohort",
    "CohortMember",
    "Excluded",
    "PaymentPlan",
    "PlannedPayment",
    "payment_plan",
]

#: The version of the JSON shape of a payment plan.
PLAN_SCHEMA_VERSION: Final = 1
#: The most payment periods one plan may have (100 years of months).
MAX_PERIODS: Final = 1200


def _hidden(_value: object) -> str:
    return repr(HIDDEN)


@attrs.frozen(kw_only=True)
class Child:
    """A child in a cohort household.

    Attributes:
        present_from: Born or moved in on this day (``None``: present from the start).
        present_until: The first day the child no longer lives there (``None``: stays).
    """

    present_from: datetime.date | None = None
    present_until: datetime.date | None = None


@attrs.frozen(kw_only=True)
class CohortMember:
    """A household in a cohort (personal data: its ``ref`` is never printed)."""

    ref: str = attrs.field(validator=household_ref, repr=_hidden)
    joined: datetime.date | None = None
    left: datetime.date | None = None
    children: tuple[Child, ...] = ()


@attrs.frozen(kw_only=True)
class Cohort:
    """The households of an unconditional scheme (*kohort*), e.g. the ten families (002:488)."""

    id: str = attrs.field(validator=identifier)
    members: tuple[CohortMember, ...]
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class PlannedPayment:
    """One household's payment for one period.

    Attributes:
        date: The payment date, the first day of the period.
        period_end: The first day after the period.
        children: The children counted (a fraction under ``by_day`` proration).
        amount: The amount, rounded to the øre.
    """

    date: datetime.date
    period_end: datetime.date
    household_ref: str = attrs.field(repr=_hidden)
    children: Fraction
    amount: Money


@attrs.frozen(kw_only=True)
class Excluded:
    """A cohort household the plan pays nothing, and why (a reason code)."""

    household_ref: str = attrs.field(repr=_hidden)
    reason: str


@attrs.frozen(kw_only=True)
class PaymentPlan(Records):
    """A monthly payment plan for a cohort under an unconditional policy."""

    policy_id: str
    cohort_id: str
    start: datetime.date
    end: datetime.date
    proration: Proration
    cohort_kind: CohortKind
    payments: tuple[PlannedPayment, ...]
    excluded: tuple[Excluded, ...] = ()

    @property
    def total(self) -> Money:
        """The sum of every payment."""
        return sum_money(p.amount for p in self.payments)

    def by_date(self) -> tuple[tuple[datetime.date, Money], ...]:
        """The total paid on each payment date, in date order."""
        totals: dict[datetime.date, Money] = {}
        for payment in self.payments:
            totals[payment.date] = totals.get(payment.date, Money(0)) + payment.amount
        return tuple(sorted(totals.items()))

    def to_dict(self, *, reveal_identifiers: bool = False) -> dict[str, Any]:
        """The plan as JSON-ready data with ``"schema_version": 1``.

        Households are numbered in cohort order (``household_index``); their references
        appear only with ``reveal_identifiers=True``.
        """
        index: dict[str, int] = {}
        for payment in self.payments:
            index.setdefault(payment.household_ref, len(index) + 1)
        for item in self.excluded:
            index.setdefault(item.household_ref, len(index) + 1)

        def who(ref: str) -> dict[str, Any]:
            out: dict[str, Any] = {"household_index": index[ref]}
            if reveal_identifiers:
                out["household"] = ref
            return out

        return {
            "schema_version": PLAN_SCHEMA_VERSION,
            "kind": "payment_plan",
            "policy": self.policy_id,
            "cohort": self.cohort_id,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "proration": self.proration.value,
            "cohort_kind": self.cohort_kind.value,
            "total": str(self.total.amount),
            "by_date": [
                {"date": d.isoformat(), "amount": str(a.amount)} for d, a in self.by_date()
            ],
            "payments": [
                {
                    **who(p.household_ref),
                    "date": p.date.isoformat(),
                    "period_end": p.period_end.isoformat(),
                    "children": str(p.children.numerator)
                    if p.children.denominator == 1
                    else f"{p.children.numerator}/{p.children.denominator}",
                    "amount": str(p.amount.amount),
                }
                for p in self.payments
            ],
            "excluded": [{**who(e.household_ref), "reason": e.reason} for e in self.excluded],
        }

    def to_records(self, *, reveal_identifiers: bool = False) -> list[dict[str, object]]:
        """One row per payment; households are numbered unless identifiers are asked for."""
        numbers: dict[str, int] = {}
        rows: list[dict[str, object]] = []
        for payment in self.payments:
            number = numbers.setdefault(payment.household_ref, len(numbers) + 1)
            rows.append(
                {
                    "household": payment.household_ref if reveal_identifiers else number,
                    "date": payment.date,
                    "period_end": payment.period_end,
                    "children": plain(payment.children),
                    "amount": plain(payment.amount),
                }
            )
        return rows


def _payment_dates(rule: str, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    from dateutil.rrule import rrule, rrulestr  # noqa: PLC0415  (lazy import)

    dtstart = datetime.datetime.combine(start, datetime.time())
    parsed = rrulestr(rule, dtstart=dtstart)
    if not isinstance(parsed, rrule):  # pragma: no cover  (a single RRULE value, never a set)
        raise InvalidInputError("expected one recurrence rule", what="rrule")
    stop = datetime.datetime.combine(end, datetime.time())
    dates: list[datetime.date] = []
    for moment in parsed:
        if moment >= stop:
            break
        dates.append(moment.date())
        if len(dates) > MAX_PERIODS:
            raise InvalidInputError(f"a plan has at most {MAX_PERIODS} payment periods", what="end")
    return dates


def _overlap(
    a: tuple[datetime.date, datetime.date], b: tuple[datetime.date | None, datetime.date | None]
) -> int:
    low = a[0] if b[0] is None else max(a[0], b[0])
    high = a[1] if b[1] is None else min(a[1], b[1])
    return max((high - low).days, 0)


def _contains(span: tuple[datetime.date | None, datetime.date | None], day: datetime.date) -> bool:
    return (span[0] is None or span[0] <= day) and (span[1] is None or day < span[1])


def _intersect(
    a: tuple[datetime.date | None, datetime.date | None],
    b: tuple[datetime.date | None, datetime.date | None],
) -> tuple[datetime.date | None, datetime.date | None]:
    low = b[0] if a[0] is None else a[0] if b[0] is None else max(a[0], b[0])
    high = b[1] if a[1] is None else a[1] if b[1] is None else min(a[1], b[1])
    return low, high


def _round_half_up(value: Fraction) -> int:
    whole, rest = divmod(abs(value.numerator), value.denominator)
    if 2 * rest >= value.denominator:
        whole += 1
    return whole if value >= 0 else -whole


def payment_plan(
    policy: Policy,
    cohort: Cohort,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    months: int | None = None,
) -> PaymentPlan:
    """The payment plan of an unconditional policy for a cohort.

    Args:
        policy: An unconditional policy.
        cohort: The households and their children.
        start: The first payment date (default: the policy's ``start``).
        end: The first day after the plan (default: the policy's ``end``, else
            ``months`` or the policy's ``planned_months`` after ``start``).
        months: The number of monthly periods, instead of ``end``.

    Raises:
        InvalidInputError: If the policy is not unconditional, or no end can be found.
    """
    compiled = compile_policy(policy)
    terms = policy.unconditional
    if policy.payment_type is not PaymentType.UNCONDITIONAL or terms is None:
        raise InvalidInputError(f"{policy.id!r} is not an unconditional policy", what="policy")
    first = start or terms.start
    last = _plan_end(first, end, months, terms.end, terms.planned_months)
    dates = _payment_dates(terms.rrule, first, last)
    periods = [(d, dates[i + 1] if i + 1 < len(dates) else last) for i, d in enumerate(dates)]
    rate_key = f"params.{terms.rate}"
    boundaries = sorted(
        {v.valid_from for v in _rate_values(policy, terms.rate)}
        | {v.valid_to for v in _rate_values(policy, terms.rate) if v.valid_to is not None}
    )
    payments: list[PlannedPayment] = []
    excluded: list[Excluded] = []
    for member in cohort.members:
        joined = member.joined
        if terms.cohort is CohortKind.FIXED and joined is not None and joined > first:
            excluded.append(Excluded(household_ref=member.ref, reason="cohort_fixed"))
            continue
        stay = (joined, member.left)
        paid = False
        for period in periods:
            segments = _segments(period, boundaries)
            days = (period[1] - period[0]).days
            total = Fraction(0)
            counted = Fraction(0)
            for child in member.children:
                presence = _intersect((child.present_from, child.present_until), stay)
                weight = _weights(terms.proration, period, presence, days)
                if weight is None:
                    continue
                counted += weight[0]
                for seg_start, seg_end in segments:
                    rate = compiled.params_at(seg_start).env.get(rate_key)
                    if rate is None:
                        continue
                    share = weight[1](seg_start, seg_end)
                    total += Fraction(rate) * share / days
            ore = _round_half_up(total)
            if ore > 0:
                paid = True
                payments.append(
                    PlannedPayment(
                        date=period[0],
                        period_end=period[1],
                        household_ref=member.ref,
                        children=counted,
                        amount=Money.from_ore(ore),
                    )
                )
        if not paid:
            excluded.append(Excluded(household_ref=member.ref, reason="nothing_to_pay"))
    return PaymentPlan(
        policy_id=policy.id,
        cohort_id=cohort.id,
        start=first,
        end=last,
        proration=terms.proration,
        cohort_kind=terms.cohort,
        payments=tuple(payments),
        excluded=tuple(excluded),
    )


def _plan_end(
    first: datetime.date,
    end: datetime.date | None,
    months: int | None,
    policy_end: datetime.date | None,
    planned: int | None,
) -> datetime.date:
    if end is not None and months is not None:
        raise InvalidInputError("give either end or months, not both", what="months")
    if months is not None:
        if months < 1 or months > MAX_PERIODS:
            raise InvalidInputError(f"months must be from 1 to {MAX_PERIODS}", what="months")
        end = _months_after(first, months)
    last = end or policy_end or (_months_after(first, planned) if planned else None)
    if last is None:
        raise InvalidInputError("the policy gives no end: pass end= or months=", what="end")
    if last <= first:
        raise InvalidInputError("the plan must end after it starts", what="end")
    return last


def _months_after(first: datetime.date, months: int) -> datetime.date:
    """``months`` months after ``first``; a plan never runs past the year 9999."""
    from dateutil.relativedelta import relativedelta  # noqa: PLC0415  (lazy import)

    try:
        return first + relativedelta(months=months)
    except (ValueError, OverflowError):
        raise InvalidInputError(
            f"a plan of {months} months from {first.isoformat()} would end after the year 9999",
            what="months",
        ) from None


def _rate_values(policy: Policy, rate: str) -> tuple[Any, ...]:
    for parameter in policy.parameters:
        if parameter.name == rate:
            return parameter.values
    return ()  # pragma: no cover  (a checked policy has its rate parameter)


def _segments(
    period: tuple[datetime.date, datetime.date], boundaries: list[datetime.date]
) -> list[tuple[datetime.date, datetime.date]]:
    """Split a period at every date where a rate value starts or ends."""
    cuts = [period[0], *(b for b in boundaries if period[0] < b < period[1]), period[1]]
    return [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1)]


_Weight = tuple[Fraction, Any]


def _weights(
    proration: Proration,
    period: tuple[datetime.date, datetime.date],
    presence: tuple[datetime.date | None, datetime.date | None],
    days: int,
) -> _Weight | None:
    """How a child counts in a period: (children counted, days of a segment it counts)."""
    present_days = _overlap(period, presence)
    if proration is Proration.BY_DAY:
        if not present_days:
            return None
        return Fraction(present_days, days), lambda a, b: _overlap((a, b), presence)
    if proration is Proration.BY_MONTH:
        if not _contains(presence, period[0]):
            return None
        return Fraction(1), _whole_segment
    if not present_days:
        return None
    return Fraction(1), _whole_segment


def _whole_segment(start: datetime.date, end: datetime.date) -> int:
    return (end - start).days
