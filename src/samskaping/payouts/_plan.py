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
from bisect import bisect_left, bisect_right
from fractions import Fraction
from itertools import accumulate
from typing import TYPE_CHECKING, Any, Final

import attrs

from samskaping._errors import InvalidInputError
from samskaping._money import Money, sum_money
from samskaping._records import Records, plain
from samskaping.io import register_result_hooks, result_json
from samskaping.l10n import Lang
from samskaping.model import PaymentType, identifier, not_before
from samskaping.payouts._compiled import compile_policy
from samskaping.payouts._policy import CohortKind, Policy, Proration
from samskaping.payouts._request import HIDDEN, household_ref

if TYPE_CHECKING:
    from cattrs import Converter

__all__ = [
    "MAX_CHILDREN",
    "MAX_COHORT_CHILDREN",
    "MAX_HOUSEHOLD_PERIODS",
    "MAX_MEMBERS",
    "MAX_PERIODS",
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
#: The most households one cohort may have.
MAX_MEMBERS: Final = 100_000
#: The most children one cohort household may have (children are counted one by one,
#: with their own dates, so the limit is far above any family).
MAX_CHILDREN: Final = 100_000
#: The most children one cohort may have, over all its households.
MAX_COHORT_CHILDREN: Final = 1_000_000
#: The most household periods (households × payment dates) one plan may have.
MAX_HOUSEHOLD_PERIODS: Final = 2_000_000


def _hidden(_value: object) -> str:
    return repr(HIDDEN)


def _at_most_children(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if len(value) > MAX_CHILDREN:
        raise InvalidInputError(
            f"a cohort household has at most {MAX_CHILDREN:,} children", what=attribute.name
        )


def _distinct_members(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Each household is in a cohort once, so that a plan pays it once a period."""
    if len(value) > MAX_MEMBERS:
        raise InvalidInputError(
            f"a cohort has at most {MAX_MEMBERS:,} households", what=attribute.name
        )
    if sum(len(member.children) for member in value) > MAX_COHORT_CHILDREN:
        raise InvalidInputError(
            f"a cohort has at most {MAX_COHORT_CHILDREN:,} children", what=attribute.name
        )
    first: dict[str, int] = {}
    for position, member in enumerate(value):
        earlier = first.setdefault(member.ref, position)
        if earlier != position:
            raise InvalidInputError(
                f"members[{position}] is the same household as members[{earlier}] "
                "(a household is in a cohort once; the reference is not shown)",
                what=attribute.name,
            )


@attrs.frozen(kw_only=True)
class Child:
    """A child in a cohort household.

    Attributes:
        present_from: Born or moved in on this day (``None``: present from the start).
        present_until: The first day the child no longer lives there (``None``: stays).
    """

    present_from: datetime.date | None = None
    present_until: datetime.date | None = attrs.field(
        default=None, validator=not_before("present_from")
    )


@attrs.frozen(kw_only=True)
class CohortMember:
    """A household in a cohort (personal data: its ``ref`` is never printed)."""

    ref: str = attrs.field(validator=household_ref, repr=_hidden)
    joined: datetime.date | None = None
    left: datetime.date | None = attrs.field(default=None, validator=not_before("joined"))
    children: tuple[Child, ...] = attrs.field(default=(), validator=_at_most_children)


@attrs.frozen(kw_only=True)
class Cohort:
    """The households of an unconditional scheme (*kohort*), e.g. the ten families (002:488)."""

    id: str = attrs.field(validator=identifier)
    members: tuple[CohortMember, ...] = attrs.field(validator=_distinct_members)
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
        return result_json(self, reveal_identifiers=reveal_identifiers)  # type: ignore[no-any-return]

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
    if len(cohort.members) * len(periods) > MAX_HOUSEHOLD_PERIODS:
        raise InvalidInputError(
            f"a plan has at most {MAX_HOUSEHOLD_PERIODS:,} household periods "
            f"(households × payment dates); this one would have "
            f"{len(cohort.members) * len(periods):,}",
            what="cohort",
        )
    # Each period's segments and their rates, worked out once for every household.
    timetable = [
        (
            period,
            (period[1] - period[0]).days,
            [
                (seg_start, seg_end, compiled.params_at(seg_start).env.get(rate_key))
                for seg_start, seg_end in _segments(period, boundaries)
            ],
        )
        for period in periods
    ]
    payments: list[PlannedPayment] = []
    excluded: list[Excluded] = []
    for member in cohort.members:
        joined = member.joined
        if terms.cohort is CohortKind.FIXED and joined is not None and joined > first:
            excluded.append(Excluded(household_ref=member.ref, reason="cohort_fixed"))
            continue
        presence = _Presence(member)
        paid = False
        for period, days, segments in timetable:
            if terms.proration is Proration.BY_DAY:
                counted = Fraction(
                    presence.days_before(period[1]) - presence.days_before(period[0]), days
                )
                total = (
                    Fraction(
                        sum(
                            rate * (presence.days_before(seg_end) - presence.days_before(seg_start))
                            for seg_start, seg_end, rate in segments
                            if rate is not None
                        )
                    )
                    / days
                )
            else:
                present = (
                    presence.on(period[0])
                    if terms.proration is Proration.BY_MONTH
                    else presence.during(period[0], period[1])
                )
                counted = Fraction(present)
                total = (
                    Fraction(
                        sum(
                            rate * present * (seg_end - seg_start).days
                            for seg_start, seg_end, rate in segments
                            if rate is not None
                        )
                    )
                    / days
                )
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


_BEFORE_ALL: Final = 0
_AFTER_ALL: Final = datetime.date.max.toordinal() + 1


class _Presence:
    """When a household's children live there, as sorted day numbers, for counting fast.

    Each child is present on ``[start, end)``: its own dates within the household's
    stay. Sums over all children come from prefix sums over the sorted starts and ends,
    so a period costs the same however many children there are (a logarithm).
    """

    __slots__ = ("end_sums", "ends", "start_sums", "starts")

    def __init__(self, member: CohortMember) -> None:
        joined = _BEFORE_ALL if member.joined is None else member.joined.toordinal()
        left = _AFTER_ALL if member.left is None else member.left.toordinal()
        spans: dict[tuple[datetime.date | None, datetime.date | None], int] = {}
        for child in member.children:  # children with the same dates are counted together
            key = (child.present_from, child.present_until)
            spans[key] = spans.get(key, 0) + 1
        starts: list[int] = []
        ends: list[int] = []
        for (low, high), count in spans.items():
            begin = joined if low is None else max(low.toordinal(), joined)
            end = left if high is None else min(high.toordinal(), left)
            if end > begin:  # a child present on no day counts nowhere
                starts.extend((begin,) * count)
                ends.extend((end,) * count)
        starts.sort()
        ends.sort()
        self.starts = starts
        self.ends = ends
        self.start_sums = list(accumulate(starts, initial=0))
        self.end_sums = list(accumulate(ends, initial=0))

    def days_before(self, day: datetime.date) -> int:
        """The children's days of presence before ``day``, added up."""
        x = day.toordinal()
        begun = bisect_left(self.starts, x)
        ended = bisect_left(self.ends, x)
        return (begun * x - self.start_sums[begun]) - (ended * x - self.end_sums[ended])

    def on(self, day: datetime.date) -> int:
        """How many children are present on ``day``."""
        x = day.toordinal()
        return bisect_right(self.starts, x) - bisect_right(self.ends, x)

    def during(self, start: datetime.date, end: datetime.date) -> int:
        """How many children are present on at least one day of ``[start, end)``."""
        return bisect_left(self.starts, end.toordinal()) - bisect_right(
            self.ends, start.toordinal()
        )


@register_result_hooks
def _install_json_hooks(converter: Converter, lang: Lang | None, reveal: bool) -> None:  # noqa: FBT001
    del lang

    def plan(value: PaymentPlan) -> dict[str, Any]:
        index: dict[str, int] = {}
        for payment in value.payments:
            index.setdefault(payment.household_ref, len(index) + 1)
        for item in value.excluded:
            index.setdefault(item.household_ref, len(index) + 1)

        def who(ref: str) -> dict[str, Any]:
            out: dict[str, Any] = {"household_index": index[ref]}
            if reveal:
                out["household"] = ref
            return out

        return {
            "schema_version": PLAN_SCHEMA_VERSION,
            "kind": "payment_plan",
            "policy": value.policy_id,
            "cohort": value.cohort_id,
            "start": value.start.isoformat(),
            "end": value.end.isoformat(),
            "proration": value.proration.value,
            "cohort_kind": value.cohort_kind.value,
            "total": str(value.total.amount),
            "by_date": [
                {"date": d.isoformat(), "amount": str(a.amount)} for d, a in value.by_date()
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
                for p in value.payments
            ],
            "excluded": [{**who(e.household_ref), "reason": e.reason} for e in value.excluded],
        }

    converter.register_unstructure_hook(PaymentPlan, plan)
