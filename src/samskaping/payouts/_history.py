"""What a decision reads of a pot's earlier entries: one small protocol, two stores.

A decision needs three facts about the entries already in a pot: how much is used
(committed or paid out), what a household has received and how many grants it has
had, and whether a request id was decided before. :class:`PotHistory` names them.
In memory, :func:`history_of` keeps a persistent index *beside* each pot (the
document format of :class:`~samskaping.model.Pot` is unchanged), so a decision costs
the same on a pot with ten thousand entries as on an empty one; the decision ledger
(:mod:`samskaping.ledger`) answers the same questions from indexed tables.
"""

from __future__ import annotations

import weakref
from typing import Any, Final, Protocol

from samskaping.model import Pot, PotEntry

__all__ = ["PotHistory", "history_of"]

_SLOT_BITS: Final = 5
_SLOT_MASK: Final = 31


class PotHistory(Protocol):
    """What the engine reads of a pot's earlier entries (amounts in integer øre)."""

    def used(self) -> int:
        """Øre committed or paid out from the pot."""
        ...

    def household(self, ref: str | None) -> tuple[int, int]:
        """What the household has received (øre) and how many grants it has had."""
        ...

    def decided(self, request_id: str) -> bool:
        """Whether the pot already has an entry for ``request_id``."""
        ...


class _Bucket(dict[Any, Any]):
    """Keys whose hashes are equal in every bit (practically never more than one)."""


def _assoc(node: dict[int, Any], shift: int, digest: int, key: Any, value: Any) -> dict[int, Any]:
    """A copy of a trie node with ``key`` set: only the path to the key is copied."""
    new = dict(node)
    slot = (digest >> shift) & _SLOT_MASK
    child = node.get(slot)
    if child is None:
        new[slot] = (key, value)
    elif type(child) is dict:
        new[slot] = _assoc(child, shift + _SLOT_BITS, digest, key, value)
    elif type(child) is tuple:
        if child[0] == key:
            new[slot] = (key, value)
        else:
            other = hash(child[0])
            if other == digest:
                new[slot] = _Bucket({child[0]: child[1], key: value})
            else:
                below = _assoc({}, shift + _SLOT_BITS, other, child[0], child[1])
                new[slot] = _assoc(below, shift + _SLOT_BITS, digest, key, value)
    else:
        first = next(iter(child))
        if hash(first) == digest:
            bucket = _Bucket(child)
            bucket[key] = value
            new[slot] = bucket
        else:
            below = {(hash(first) >> (shift + _SLOT_BITS)) & _SLOT_MASK: child}
            new[slot] = _assoc(below, shift + _SLOT_BITS, digest, key, value)
    return new


def _lookup(root: dict[int, Any], key: Any, default: Any) -> Any:
    digest = hash(key)
    shift = 0
    node = root
    while True:
        child = node.get((digest >> shift) & _SLOT_MASK)
        if child is None:
            return default
        kind = type(child)
        if kind is dict:
            node = child
            shift += _SLOT_BITS
            continue
        if kind is tuple:
            return child[1] if child[0] == key else default
        return child.get(key, default)


class PersistentIndex:
    """A :class:`PotHistory` of a pot's entries that is never changed in place.

    Adding an entry gives a new index and copies only a short path of a hash trie,
    so a pot and the pot after a grant share nearly all of their index.
    """

    __slots__ = ("_households", "_ids", "_used")

    def __init__(
        self,
        used: int = 0,
        households: dict[int, Any] | None = None,
        ids: dict[int, Any] | None = None,
    ) -> None:
        self._used = used
        self._households: dict[int, Any] = households or {}
        self._ids: dict[int, Any] = ids or {}

    @classmethod
    def of(cls, pot: Pot) -> PersistentIndex:
        """The index of every commitment and disbursement of ``pot``."""
        totals: dict[str | None, tuple[int, int]] = {}
        used = 0
        ids: dict[int, Any] = {}
        for entry in (*pot.commitments, *pot.disbursements):
            ore = entry.amount.ore
            used += ore
            received, count = totals.get(entry.reference, (0, 0))
            totals[entry.reference] = (received + ore, count + 1)
            ids = _assoc(ids, 0, hash(entry.id), entry.id, 1)
        households: dict[int, Any] = {}
        for ref, value in totals.items():
            households = _assoc(households, 0, hash(ref), ref, value)
        return cls(used, households, ids)

    def plus(self, entry: PotEntry) -> PersistentIndex:
        """The index with one more entry."""
        ore = entry.amount.ore
        ref = entry.reference
        received, count = _lookup(self._households, ref, (0, 0))
        return PersistentIndex(
            self._used + ore,
            _assoc(self._households, 0, hash(ref), ref, (received + ore, count + 1)),
            _assoc(self._ids, 0, hash(entry.id), entry.id, 1),
        )

    def used(self) -> int:
        """Øre committed or paid out from the pot."""
        return self._used

    def household(self, ref: str | None) -> tuple[int, int]:
        """What the household has received (øre) and how many grants it has had."""
        found: tuple[int, int] = _lookup(self._households, ref, (0, 0))
        return found

    def decided(self, request_id: str) -> bool:
        """Whether the pot already has an entry for ``request_id``."""
        return bool(_lookup(self._ids, request_id, 0))


# The index kept beside each pot, keyed by the pot's identity and dropped with it.
# A pure memo: it never changes what a decision is, only how fast it is made.
_BESIDE: dict[int, PersistentIndex] = {}


def _forget(key: int) -> None:
    _BESIDE.pop(key, None)


def _keep(pot: Pot, index: PersistentIndex) -> None:
    key = id(pot)
    if key not in _BESIDE:
        weakref.finalize(pot, _forget, key)
    _BESIDE[key] = index


def history_of(pot: Pot) -> PersistentIndex:
    """The history of ``pot`` (built once, then kept beside the pot while it lives).

    >>> from samskaping import Money
    >>> history_of(Pot(id="p", total=Money(100))).used()
    0
    """
    index = _BESIDE.get(id(pot))
    if index is None:
        index = PersistentIndex.of(pot)
        _keep(pot, index)
    return index


def extend_history(before: Pot, after: Pot, entry: PotEntry) -> None:
    """Keep the index of ``after``: the index of ``before`` with ``entry`` added."""
    index = _BESIDE.get(id(before))
    if index is not None:
        _keep(after, index.plus(entry))
