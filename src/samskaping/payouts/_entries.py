"""A pot's entries after grants, kept without copying them on each grant.

``Pot.commitments`` is a tuple in a document. :func:`evaluate` appends one entry per
grant; copying the tuple each time made a decision's cost grow with the pot. The pot it
returns holds an ``_Entries`` instead, which reads as the tuple it equals.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from typing import Any, cast, overload

from samskaping.model import PotEntry

__all__ = ["appended"]

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
