"""Payout schemes and pots as they appear in a project document (DOMAIN §6).

The rules that decide payouts live in :mod:`samskaping.payouts`; a document only
names the policy a scheme follows and records its pot.
"""

from __future__ import annotations

import datetime
import itertools
import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, cast, overload

import attrs

from samskaping._errors import InvalidInputError
from samskaping._money import MAX_AMOUNT, Money, sum_money
from samskaping.model._enums import PaymentType
from samskaping.model._fields import at_least, identifier, non_negative_money, not_before

__all__ = ["PayoutScheme", "Pot", "PotEntry"]


def _hidden(value: object) -> str:
    return "None" if value is None else "'[hidden]'"


@attrs.frozen(kw_only=True)
class PotEntry:
    """A commitment or a disbursement against a pot.

    ``reference`` names the household or group the money is for. It is personal data,
    so it is left out of the ``repr``.
    """

    id: str = attrs.field(validator=identifier)
    amount: Money = attrs.field(validator=non_negative_money)
    date: datetime.date
    payment_type: PaymentType
    reference: str | None = attrs.field(default=None, repr=_hidden)
    note: str | None = None


_GROW = threading.Lock()


class _Entries:
    """A pot's entries after grants: reads as the tuple it equals, built without copying.

    ``Pot.commitments`` is a tuple in a document. A grant appends one entry; copying
    the tuple each time made a decision's cost grow with the pot. This keeps the
    entries before the first grant as they were (``base``) and appends grants to a
    list shared by the pots of one chain of grants (each pot sees the first ``size``
    items of it, which never change). Only a pot that is the newest of its chain
    appends in place; appending to an older pot copies its own part of the list.

    It compares, hashes and prints as the tuple it equals, iterates, indexes, slices
    (to a tuple) and concatenates like one, and pickles as a plain tuple.
    """

    __slots__ = ("_base", "_size", "_tail")

    def __init__(self, base: tuple[PotEntry, ...], tail: list[PotEntry], size: int) -> None:
        self._base = base
        self._tail = tail
        self._size = size

    def __len__(self) -> int:
        return len(self._base) + self._size

    def __iter__(self) -> Iterator[PotEntry]:
        yield from self._base
        yield from itertools.islice(self._tail, self._size)

    @overload
    def __getitem__(self, index: int) -> PotEntry: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[PotEntry, ...]: ...
    def __getitem__(self, index: int | slice) -> PotEntry | tuple[PotEntry, ...]:
        if isinstance(index, slice):
            return tuple(self)[index]
        count = len(self)
        position = index.__index__()
        if position < 0:
            position += count
        if not 0 <= position < count:
            raise IndexError("tuple index out of range")
        base = len(self._base)
        return self._base[position] if position < base else self._tail[position - base]

    def __contains__(self, value: object) -> bool:
        return any(item is value or item == value for item in self)

    def index(self, value: object) -> int:
        """The position of the first entry equal to ``value``."""
        return tuple(self).index(value)

    def count(self, value: object) -> int:
        """How many entries equal ``value``."""
        return tuple(self).count(value)

    def __add__(self, other: object) -> Any:
        if isinstance(other, _Entries):
            other = tuple(other)
        if not isinstance(other, tuple):
            return NotImplemented
        if not other:
            return self
        with _GROW:
            if len(self._tail) == self._size:
                self._tail.extend(other)
                return _Entries(self._base, self._tail, self._size + len(other))
        tail = [*itertools.islice(self._tail, self._size), *other]
        return _Entries(self._base, tail, len(tail))

    def __radd__(self, other: object) -> Any:
        if not isinstance(other, tuple):
            return NotImplemented
        return other + tuple(self)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Entries | tuple):
            return len(self) == len(other) and tuple(self) == tuple(other)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __bool__(self) -> bool:
        return len(self) > 0

    def __repr__(self) -> str:
        return repr(tuple(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (tuple, (tuple(self),))


def appended(entries: tuple[PotEntry, ...], entry: PotEntry) -> tuple[PotEntry, ...]:
    """``entries`` with ``entry`` at the end, without copying the entries before it.

    The result equals ``entries + (entry,)`` and reads as that tuple (see ``_Entries``).
    """
    found: object = entries
    if isinstance(found, _Entries):
        return cast("tuple[PotEntry, ...]", found + (entry,))  # noqa: RUF005  (no copy)
    return cast("tuple[PotEntry, ...]", _Entries(entries, [entry], 1))


@attrs.frozen(kw_only=True)
class Pot:
    """A flexible but limited pot of money (*pott*, *frie midler*, 002:1984).

    A pot has a total, a validity window and the payout types it allows.
    Commitments plus disbursements never exceed the total: the operations in
    :mod:`samskaping.payouts` keep it so, and a document that breaks it is reported.

    The window is half-open: ``valid_from`` is the first day money can be committed
    and ``valid_to`` the first day it no longer can (``None``: no limit).
    An empty ``allowed_types`` allows every payout type.
    """

    id: str = attrs.field(validator=identifier)
    name: str | None = None
    total: Money = attrs.field(validator=non_negative_money)
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = attrs.field(default=None, validator=not_before("valid_from"))
    allowed_types: tuple[PaymentType, ...] = ()
    commitments: tuple[PotEntry, ...] = ()
    disbursements: tuple[PotEntry, ...] = ()
    source: str | None = None
    note: str | None = None

    @property
    def committed(self) -> Money:
        """The sum of the commitments (*forpliktet*).

        Raises:
            InvalidInputError: If the commitments add up to more than the largest
                amount (a broken document); the error names the pot.
        """
        return self._sum(self.commitments, "commitments")

    @property
    def disbursed(self) -> Money:
        """The sum of the disbursements (*utbetalt*).

        Raises:
            InvalidInputError: If the disbursements add up to more than the largest amount.
        """
        return self._sum(self.disbursements, "disbursements")

    @property
    def available(self) -> Money:
        """What is left: the total less commitments and disbursements.

        It is never below 0 kr in a pot kept by the payout operations.

        Raises:
            InvalidInputError: If the entries add up to more than the largest amount.
        """
        used = sum(e.amount.amount for e in (*self.commitments, *self.disbursements))
        if used > MAX_AMOUNT:
            raise self._too_much("commitments")
        return Money(self.total.amount - used)

    def _sum(self, entries: tuple[PotEntry, ...], what: str) -> Money:
        total = sum((e.amount.amount for e in entries), Decimal(0))
        if total > MAX_AMOUNT:
            raise self._too_much(what)
        return sum_money(e.amount for e in entries)

    def _too_much(self, what: str) -> InvalidInputError:
        return InvalidInputError(
            f"pot {self.id!r}: its {what} add up to more than the largest amount "
            f"({MAX_AMOUNT:,} NOK)",
            what=what,
        )


@attrs.frozen(kw_only=True)
class PayoutScheme:
    """A payout scheme a project runs: its type, the policy it follows and its pot.

    ``policy`` names a built-in policy (see ``samskaping payout policies``).
    """

    id: str = attrs.field(validator=identifier)
    name: str | None = None
    payment_type: PaymentType
    policy: str | None = None
    pot: Pot | None = None
    households: int | None = attrs.field(default=None, validator=at_least(0))
    persons: int | None = attrs.field(default=None, validator=at_least(0))
    children: int | None = attrs.field(default=None, validator=at_least(0))
    paid_total: Money | None = attrs.field(default=None, validator=non_negative_money)
    description: str | None = None
    source: str | None = None
    note: str | None = None
