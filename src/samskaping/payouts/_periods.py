"""Multi-period simulation: a policy applied month by month while its pot runs down.

Each month, parameters are taken as of the month's date (so effective-dated values
change on their dates), the households in the cohort that month are decided, and the
pot pays them in population order until it cannot pay the next one: that household and
every later one due something that month are deferred (not paid that month; they are
decided again the next month). The pot never goes below 0 kr.

Cohorts join and leave through two optional population columns: ``joined`` (the first
day a household is in the cohort) and ``left`` (the first day it no longer is), ISO
dates; an empty cell means always (``joined``) or never (``left``).
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence
from typing import Any

import attrs

from samskaping._errors import InvalidInputError
from samskaping._money import Money
from samskaping._records import Records
from samskaping.payouts._dask import load_dask
from samskaping.payouts._policy import Policy
from samskaping.payouts._population import Population, read_population
from samskaping.payouts._simulation import STATUSES, Engine, simulate

__all__ = ["MonthResult", "PeriodResult", "simulate_periods"]

_PAID: frozenset[str] = frozenset(STATUSES[:2])
#: The most months one run may have.
MAX_MONTHS = 1200


@attrs.frozen(kw_only=True)
class MonthResult:
    """One month of a multi-period run.

    Attributes:
        month: The month's date (parameters are taken as of it).
        households: How many households were in the cohort that month.
        due: What the policy gave them, before the pot.
        paid: What the pot paid.
        reached: How many households were paid.
        deferred: How many were due something the pot could not pay.
        balance: The pot's balance after the month (``None``: no pot limit).
    """

    month: datetime.date
    households: int
    due: Money
    paid: Money
    reached: int
    deferred: int
    balance: Money | None


@attrs.frozen(kw_only=True)
class PeriodResult(Records):
    """A month-by-month run: cost per month, when the pot emptied and who was deferred.

    Attributes:
        deferred_positions: For each month with deferrals, the positions (from 0, in
            population order) of the households deferred.
    """

    policy_id: str
    start: datetime.date
    pot_start: Money | None
    months: tuple[MonthResult, ...]
    deferred_positions: tuple[tuple[datetime.date, tuple[int, ...]], ...] = attrs.field(repr=False)

    @property
    def total(self) -> Money:
        """Everything paid over the period (the sum of the months)."""
        return Money.from_ore(sum(m.paid.ore for m in self.months))

    @property
    def exhausted_in(self) -> datetime.date | None:
        """The first month the pot could not pay every household due (``None``: never)."""
        return next((m.month for m in self.months if m.deferred), None)

    def to_records(self) -> list[dict[str, object]]:
        """One row per month; money as whole øre (``*_ore``)."""
        return [
            {
                "month": m.month,
                "households": m.households,
                "reached": m.reached,
                "deferred": m.deferred,
                "due_ore": m.due.ore,
                "paid_ore": m.paid.ore,
                "balance_ore": None if m.balance is None else m.balance.ore,
            }
            for m in self.months
        ]


def _dates(population: Population, name: str) -> list[datetime.date | None] | None:
    raw = population.columns.get(f"household.{name}")
    if raw is None:
        return None
    out: list[datetime.date | None] = []
    for row, value in enumerate(raw):
        item = value.item() if hasattr(value, "item") and not isinstance(value, str) else value
        if item is None or (isinstance(item, str) and not item.strip()) or item != item:  # noqa: PLR0124  (NaN)
            out.append(None)
        elif isinstance(item, datetime.datetime):
            out.append(item.date())
        elif isinstance(item, datetime.date):
            out.append(item)
        else:
            try:
                out.append(datetime.date.fromisoformat(str(item).strip()))
            except ValueError:
                raise InvalidInputError(
                    f"column {name!r}, row {row + 1}: expected a date (YYYY-MM-DD)", what=name
                ) from None
    return out


def _active(
    joined: Sequence[datetime.date | None] | None,
    left: Sequence[datetime.date | None] | None,
    day: datetime.date,
    size: int,
) -> list[bool]:
    flags = [True] * size
    if joined is not None:
        flags = [f and (j is None or j <= day) for f, j in zip(flags, joined, strict=True)]
    if left is not None:
        flags = [f and (le is None or day < le) for f, le in zip(flags, left, strict=True)]
    return flags


def _dues(
    policy: Policy,
    people: Population,
    days: Sequence[datetime.date],
    engine: Engine,
    checks: tuple[bool, tuple[str, ...]],
) -> list[tuple[list[int], list[bool]]]:
    """For each month, each household's due amount in øre and whether it is in the cohort."""
    joined, left = _dates(people, "joined"), _dates(people, "left")
    strict, passthrough = checks
    allowed = (*passthrough, "joined", "left")
    out = []
    for day in days:
        result = simulate(policy, people, day, engine=engine, strict=strict, passthrough=allowed)
        active = _active(joined, left, day, people.size)
        due = [
            amount if flag and status in _PAID else 0
            for amount, status, flag in zip(
                result.amounts_ore, result.status_codes, active, strict=True
            )
        ]
        out.append((due, active))
    return out


def _dask_dues(
    policy: Policy,
    frame: Any,
    days: Sequence[datetime.date],
    engine: Engine,
    checks: tuple[bool, tuple[str, ...]],
) -> list[tuple[list[int], list[bool]]]:
    dask = load_dask()
    tasks = [
        dask.delayed(_part_dues, pure=True)(part, policy, list(days), engine, checks)
        for part in frame.to_delayed()
    ]
    parts = dask.compute(*tasks)
    months = []
    for index in range(len(days)):
        due: list[int] = []
        active: list[bool] = []
        for part in parts:
            due.extend(part[index][0])
            active.extend(part[index][1])
        months.append((due, active))
    return months


def _part_dues(
    frame: Any,
    policy: Policy,
    days: list[datetime.date],
    engine: Engine,
    checks: tuple[bool, tuple[str, ...]],
) -> list[tuple[list[int], list[bool]]]:
    return _dues(policy, read_population(frame), days, engine, checks)


def simulate_periods(
    policy: Policy,
    population: Any,
    start: datetime.date,
    months: int,
    *,
    pot: Money | None = None,
    unlimited: bool = False,
    engine: Engine = "auto",
    strict: bool = True,
    passthrough: Collection[str] = (),
) -> PeriodResult:
    """Simulate ``months`` months from ``start`` while the pot runs down.

    Args:
        policy: A conditional or unconditional policy.
        population: Anything :func:`simulate` accepts, with optional ``joined`` and
            ``left`` date columns; a Dask DataFrame is decided per partition.
        start: The first month's date; later months fall on the same day of month.
        months: How many months.
        pot: The money available at the start (default: what is left of the
            policy's own pot).
        unlimited: Run without a pot limit.
        engine: As for :func:`simulate`.
        strict: Refuse columns the policy does not read (``joined`` and ``left``
            are always allowed), as :func:`simulate` does.
        passthrough: Columns kept without being read.

    Raises:
        InvalidInputError: If ``months`` is out of range, there is no pot, or the
            population is malformed.
    """
    if not 1 <= months <= MAX_MONTHS:
        raise InvalidInputError(f"months must be 1 to {MAX_MONTHS}", what="months")
    balance: int | None
    if unlimited:
        balance = None
    elif pot is not None:
        balance = pot.ore
    elif policy.pot is not None:
        balance = policy.pot.available.ore
    else:
        raise InvalidInputError("the policy has no pot: give pot= or unlimited=True", what="pot")
    if balance is not None and balance < 0:
        raise InvalidInputError("the pot cannot be below 0 kr", what="pot")
    from dateutil.relativedelta import relativedelta  # noqa: PLC0415  (keeps the import light)

    days = [start + relativedelta(months=k) for k in range(months)]
    if type(population).__module__.startswith("dask"):
        dues = _dask_dues(policy, population, days, engine, (strict, tuple(passthrough)))
    else:
        dues = _dues(
            policy, read_population(population), days, engine, (strict, tuple(passthrough))
        )
    start_balance = balance
    results = []
    deferred_positions = []
    for day, (due, active) in zip(days, dues, strict=True):
        paid = 0
        reached = 0
        deferred: list[int] = []
        for position, amount in enumerate(due):
            if not amount:
                continue
            if deferred or (balance is not None and paid + amount > balance):
                deferred.append(position)
                continue
            paid += amount
            reached += 1
        if balance is not None:
            balance -= paid
        if deferred:
            deferred_positions.append((day, tuple(deferred)))
        results.append(
            MonthResult(
                month=day,
                households=sum(active),
                due=Money.from_ore(sum(due)),
                paid=Money.from_ore(paid),
                reached=reached,
                deferred=len(deferred),
                balance=None if balance is None else Money.from_ore(balance),
            )
        )
    return PeriodResult(
        policy_id=policy.id,
        start=start,
        pot_start=None if start_balance is None else Money.from_ore(start_balance),
        months=tuple(results),
        deferred_positions=tuple(deferred_positions),
    )
