"""Exact, mergeable summaries of simulated households: counts, totals and amount histograms.

A :class:`Tally` holds, per household type, how many households got each status and
each reason, the total in øre and how many households were given each amount (a
histogram of whole øre). Two tallies add up exactly, in any order, so a population cut
into parts (Dask partitions, months, machines) gives the same summary, medians and
quantiles included, as the whole: money is only ever summed as Python integers.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from itertools import accumulate
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from samskaping.payouts._compiled import CompiledPolicy

__all__ = [
    "QUANTILES",
    "Tally",
    "TypeTally",
    "median",
    "quantile",
    "ranks",
    "reason_keys",
    "tally_arrays",
    "tally_rows",
]

#: The quantiles a sweep reports (nearest rank, so each is an amount some household got).
QUANTILES: Final = (Fraction(1, 10), Fraction(1, 4), Fraction(3, 4), Fraction(9, 10))
_STATUS_COUNT: Final = 5
_PAID_BELOW: Final = 2  # status codes 0 (granted) and 1 (partial) are paid
_INT64_SAFE: Final = 2**62


def reason_keys(compiled: CompiledPolicy) -> tuple[str, ...]:
    """The reason codes a simulation of a policy can give, by index (0: no reason).

    ``purpose`` (not in the catalogue), ``eligibility:<rule>`` (that rule was false),
    ``referral:<rule>`` (that referral was true), ``undefined`` (a value could not be
    computed), ``nothing_due`` (the amount is 0), ``capped`` (less than asked, granted in
    part) and ``no_partial_grants`` (less than asked, and the policy grants nothing in
    part).
    """
    return (
        "",
        "purpose",
        *(f"eligibility:{r.name}" for r in compiled.eligibility),
        *(f"referral:{r.name}" for r in compiled.referrals),
        "undefined",
        "nothing_due",
        "capped",
        "no_partial_grants",
    )


class TypeTally:
    """The tally of one household type (mutable while it is built, then only merged).

    A tally made from numpy arrays keeps the amounts paid as an array (:attr:`paid`) and
    builds their histogram (:attr:`amounts`) only when it is asked for: a simulation's
    summary needs only the least, the median and the largest amount.
    """

    __slots__ = ("_amounts", "_paid", "reasons", "statuses", "total")

    def __init__(self) -> None:
        self.statuses: list[int] = [0] * _STATUS_COUNT
        self.reasons: Counter[str] = Counter()
        self.total = 0
        self._amounts: Counter[int] | None = Counter()
        self._paid: Any = None

    @property
    def amounts(self) -> Counter[int]:
        """How many households were given each amount in øre (a histogram)."""
        if self._amounts is None:
            import numpy as np  # noqa: PLC0415  (only a tally made from numpy arrays gets here)

            values, counts = np.unique(self._paid, return_counts=True)
            self._amounts = Counter(dict(zip(values.tolist(), counts.tolist(), strict=True)))
            self._paid = None
        return self._amounts

    @amounts.setter
    def amounts(self, histogram: Counter[int]) -> None:
        self._amounts = histogram
        self._paid = None

    def paid_from_array(self, paid: Any) -> None:
        """Set the amounts paid from a numpy array of øre (the histogram is built on use)."""
        self._amounts = None
        self._paid = paid

    @property
    def paid(self) -> Any:
        """The amounts paid as a numpy array while the histogram is not built, else ``None``."""
        return self._paid if self._amounts is None else None

    def add(self, other: TypeTally) -> None:
        """Add ``other`` into this tally."""
        self.statuses = [a + b for a, b in zip(self.statuses, other.statuses, strict=True)]
        self.reasons.update(other.reasons)
        self.total += other.total
        self.amounts.update(other.amounts)

    @property
    def households(self) -> int:
        """How many households were tallied."""
        return sum(self.statuses)

    @property
    def reached(self) -> int:
        """How many were given an amount."""
        return self.statuses[0] + self.statuses[1]

    def __getstate__(self) -> tuple[Any, ...]:
        return (self.statuses, dict(self.reasons), self.total, dict(self.amounts))

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.statuses = list(state[0])
        self.reasons = Counter(state[1])
        self.total = state[2]
        self.amounts = Counter(state[3])


class Tally:
    """Per-type tallies that merge exactly (see the module docs)."""

    __slots__ = ("by_type",)

    def __init__(self, by_type: Mapping[str, TypeTally] | None = None) -> None:
        self.by_type: dict[str, TypeTally] = dict(by_type or {})

    def merged(self, other: Tally) -> Tally:
        """A new tally: this one and ``other`` added up."""
        out = Tally()
        for source in (self, other):
            for kind, part in source.by_type.items():
                out.by_type.setdefault(kind, TypeTally()).add(part)
        return out

    @classmethod
    def merge_all(cls, parts: Iterable[Tally]) -> Tally:
        """All ``parts`` added up (an empty tally if there are none)."""
        out = cls()
        for part in parts:
            for kind, one in part.by_type.items():
                out.by_type.setdefault(kind, TypeTally()).add(one)
        return out

    def overall(self) -> TypeTally:
        """Every type added together (the one type itself if there is one: do not change it)."""
        if len(self.by_type) == 1:
            return next(iter(self.by_type.values()))
        out = TypeTally()
        for part in self.by_type.values():
            out.add(part)
        return out

    def __getstate__(self) -> dict[str, TypeTally]:
        return self.by_type

    def __setstate__(self, state: dict[str, TypeTally]) -> None:
        self.by_type = state


def ranks(histogram: Mapping[int, int]) -> tuple[list[int], list[int]]:
    """The amounts of a histogram in order, and how many households have at most each."""
    values = sorted(histogram)
    return values, list(accumulate(map(histogram.__getitem__, values)))


def _at_rank(ranked: tuple[list[int], list[int]], rank: int) -> int:
    values, cumulative = ranked
    return values[bisect_left(cumulative, rank)]


def quantile(
    histogram: Mapping[int, int],
    share: Fraction,
    ranked: tuple[list[int], list[int]] | None = None,
) -> int | None:
    """The nearest-rank quantile of a histogram: the amount at rank ``ceil(share × n)``."""
    ranked = ranked or ranks(histogram)
    if not ranked[0]:
        return None
    count = ranked[1][-1]
    rank = max(1, -(-share.numerator * count // share.denominator))
    return _at_rank(ranked, rank)


def median(
    histogram: Mapping[int, int], ranked: tuple[list[int], list[int]] | None = None
) -> int | None:
    """The median of a histogram; between two amounts it is rounded up to the øre."""
    ranked = ranked or ranks(histogram)
    if not ranked[0]:
        return None
    count = ranked[1][-1]
    lower = _at_rank(ranked, (count + 1) // 2)
    if count % 2:
        return lower
    upper = _at_rank(ranked, count // 2 + 1)
    return -(-(lower + upper) // 2)


def tally_rows(
    codes: Sequence[int],
    amounts: Sequence[int],
    reasons: Sequence[str],
    types: Sequence[str],
) -> Tally:
    """The tally of households given as plain Python sequences, in input order."""
    tally = Tally()
    by_type = tally.by_type
    for code, amount, reason, kind in zip(codes, amounts, reasons, types, strict=True):
        part = by_type.get(kind)
        if part is None:
            part = by_type[kind] = TypeTally()
        part.statuses[code] += 1
        if reason:
            part.reasons[reason] += 1
        part.total += amount
        if code < _PAID_BELOW:
            part.amounts[amount] += 1
    return tally


def tally_arrays(  # noqa: PLR0917  (the columns of one decision, in order)
    codes: Any,
    amounts: Any,
    reasons: Any,
    keys: Sequence[str],
    type_names: Sequence[str],
    type_index: Any,
) -> Tally:
    """The tally of households given as numpy arrays (types as indexes into ``type_names``)."""
    import numpy as np  # noqa: PLC0415  (numpy is optional; callers have it)

    tally = Tally()
    groups: list[tuple[str, Any]]
    if len(type_names) == 1:
        groups = [(type_names[0], None)]
    else:
        groups = [(name, type_index == i) for i, name in enumerate(type_names)]
    for name, rows in groups:
        c, a, r = (
            (codes, amounts, reasons)
            if rows is None
            else (
                codes[rows],
                amounts[rows],
                reasons[rows],
            )
        )
        if not len(c):
            continue
        part = TypeTally()
        part.statuses = np.bincount(c, minlength=_STATUS_COUNT).tolist()
        for index, count in enumerate(np.bincount(r, minlength=len(keys)).tolist()):
            if index and count:
                part.reasons[keys[index]] = count
        part.paid_from_array(a[c < _PAID_BELOW])  # a copy: the histogram is built on use
        if len(a) and int(np.abs(a).max()) * len(a) < _INT64_SAFE:
            part.total = int(a.sum())  # cannot overflow int64: exact
        else:
            part.total = sum(map(int, a.tolist()))
        tally.by_type[name] = part
    return tally
