"""The vectorised decision over a chunk of households (numpy; see ``_simulation``)."""

from __future__ import annotations

import datetime
import weakref
from collections.abc import Iterator, Mapping
from decimal import Decimal
from operator import countOf
from typing import Any, Final

import numpy as np

from samskaping._money import MAX_AMOUNT
from samskaping.model import PaymentType
from samskaping.payouts._compiled import CompiledPolicy, CompiledRule
from samskaping.payouts._expr_ast import ValueType
from samskaping.payouts._expr_ops import LIMIT_INT
from samskaping.payouts._expr_vector import Array, Column, VectorEnv, VFunction, full, vcompile
from samskaping.payouts._population import FIELD_RULES
from samskaping.payouts._request import STANDARD_INPUTS
from samskaping.payouts._tally import reason_keys

__all__ = [
    "ArrayColumns",
    "arrays",
    "column_array",
    "decide_arrays",
    "decide_vector",
    "reason_keys",
    "spread",
    "text_column",
]

_GRANTED, _PARTIAL, _REJECTED, _REFERRED, _UNDEFINED = range(5)
_PLANS: Final[weakref.WeakKeyDictionary[CompiledPolicy, dict[str, VFunction]]] = (
    weakref.WeakKeyDictionary()
)
_INTS: Final = frozenset({ValueType.INT, ValueType.MONEY})
_MAX_WHOLE_KRONER: Final = int(MAX_AMOUNT)


def _functions(compiled: CompiledPolicy) -> dict[str, VFunction]:
    plan = _PLANS.get(compiled)
    if plan is None:
        rules: list[tuple[str, CompiledRule]] = [
            *((f"derived:{r.name}", r) for r in compiled.derived),
            *((f"eligibility:{r.name}", r) for r in compiled.eligibility),
            *((f"referral:{r.name}", r) for r in compiled.referrals),
            *((f"cap:{r.name}", r) for r in compiled.caps),
            ("amount", compiled.amount),
        ]
        plan = {key: vcompile(rule.tree) for key, rule in rules}
        _PLANS[compiled] = plan
    return plan


def _array(values: tuple[Any, ...], kind: ValueType) -> Column:
    if kind in _INTS | {ValueType.BOOL} and None not in values:  # no missing cell
        return np.array(values, dtype=np.bool_ if kind is ValueType.BOOL else np.int64), None
    missing = [v is None for v in values]
    mask = np.array(missing, dtype=np.bool_) if any(missing) else None
    if kind in _INTS:
        return np.array([0 if v is None else v for v in values], dtype=np.int64), mask
    if kind is ValueType.BOOL:
        return np.array([False if v is None else v for v in values], dtype=np.bool_), mask
    out = np.empty(len(values), dtype=object)
    filler: Any = "" if kind is ValueType.STR else 0
    out[:] = [filler if v is None else v for v in values]
    return out, mask


def column_array(raw: Any, kind: ValueType, name: str) -> Array | None:
    """A population column straight into numpy, checked a whole column at once.

    The fast path of :meth:`Population.column` followed by :func:`arrays`, giving the
    same array; ``None`` where the column must take the cell-by-cell path (any cell
    that is not already the plain value ``kind`` needs, a value past a limit or a
    field rule). That path then converts it or refuses the first bad cell, naming its
    row and column, so this shortcut never accepts what the cell-by-cell path refuses.

    - bool: Python ``bool`` cells, or a numpy bool array;
    - whole numbers: Python ``int`` cells (not ``bool``) or a numpy integer array,
      within the limit; amounts are whole kroner, turned into øre;
    - a standard input also within its field rule (``children`` 0 to 100, ...).
    """
    if kind is ValueType.BOOL:
        return _bool_array(raw)
    if kind not in _INTS:
        return None
    values = _int_array(raw)
    if values is None or not len(values):
        return values
    least, most = int(values.min()), int(values.max())
    limit = LIMIT_INT if kind is ValueType.INT else _MAX_WHOLE_KRONER
    if least < -limit or most > limit:
        return None
    if kind is ValueType.MONEY:
        values *= 100  # our own copy; at most 10**17 øre, so no overflow
        least, most = least * 100, most * 100
    rule = FIELD_RULES.get(name)
    if rule is not None and STANDARD_INPUTS.get(name) is kind:
        low, high, _ = rule
        if least < low or most > high:
            return None
    return values


def _bool_array(raw: Any) -> Array | None:
    if isinstance(raw, np.ndarray):
        return raw.astype(np.bool_) if raw.dtype.kind == "b" and raw.ndim == 1 else None
    if not _all_of_type(raw, bool):
        return None
    return np.fromiter(raw, dtype=np.bool_, count=len(raw))


def _all_of_type(raw: Any, kind: type) -> bool:
    """Whether every cell is exactly of type ``kind`` (a first look, then one C-level pass)."""
    first = next(iter(raw), None)
    if first is not None and type(first) is not kind:
        return False
    return countOf(map(type, raw), kind) == len(raw)


def _int_array(raw: Any) -> Array | None:
    """Whole numbers as int64, a copy; ``None`` unless every cell is a whole number."""
    if isinstance(raw, np.ndarray):
        if raw.dtype.kind not in "iu" or raw.ndim != 1:
            return None
        if raw.dtype.kind == "u" and len(raw) and int(raw.max()) > LIMIT_INT:
            return None  # would not fit int64; refused on the cell-by-cell path
        return raw.astype(np.int64)
    if not _all_of_type(raw, int):
        return None  # bools, floats, text, missing cells: cell by cell
    try:
        return np.fromiter(raw, dtype=np.int64, count=len(raw))
    except OverflowError:  # a cell past int64: refused on the cell-by-cell path
        return None


class ArrayColumns(Mapping[str, tuple[Any, ...]]):
    """Input columns kept as numpy arrays; each becomes a tuple of Python values when read.

    The per-household inputs of a simulation result: most results are summed, not
    listed, so the tuples are built only for ``to_pandas``, ``to_records`` and merging.
    """

    def __init__(self, columns: Mapping[str, Array | tuple[Any, ...]]) -> None:
        self._columns = dict(columns)

    def __getitem__(self, name: str) -> tuple[Any, ...]:
        values = self._columns[name]
        if isinstance(values, np.ndarray):
            values = self._columns[name] = tuple(values.tolist())
        return values

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)


def spread(paid: Array) -> tuple[int | None, int | None, int | None]:
    """The least, the median and the largest of the amounts paid (``None`` if none was).

    As :func:`~samskaping.payouts._tally.median` gives it: a median between two amounts
    is rounded up to the øre. A partial sort of a copy, in O(n).
    """
    count = len(paid)
    if not count:
        return None, None, None
    lower, upper = (count - 1) // 2, count // 2  # the middle ranks, counted from 0
    ordered = paid.copy()
    ordered.partition(sorted({0, lower, upper, count - 1}))
    middle = -(-(int(ordered[lower]) + int(ordered[upper])) // 2)
    return int(ordered[0]), middle, int(ordered[count - 1])


def text_column(names: tuple[str, ...], codes: Array) -> tuple[str, ...]:
    """The names ``codes`` index, as a tuple (the same ``str`` objects, no copies)."""
    return tuple(np.array(names, dtype=object).take(codes).tolist())


class _Outcome:
    """Outcome codes for a chunk; each row is settled once, by the first step that decides it.

    A row no step settles is granted in full: code 0 (granted), reason 0 (none).
    """

    def __init__(self, size: int, keys: tuple[str, ...]) -> None:
        self.codes = np.zeros(size, dtype=np.int8)  # _GRANTED
        self.reasons = np.zeros(size, dtype=np.int16)  # no reason
        self.decided = np.zeros(size, dtype=np.bool_)
        self.index = {key: i for i, key in enumerate(keys)}

    def settle(self, rows: Array | None, code: int, reason: str) -> None:
        if rows is None or not rows.any():
            return
        fresh = rows & ~self.decided
        np.copyto(self.codes, code, where=fresh)
        if reason:
            np.copyto(self.reasons, self.index[reason], where=fresh)
        self.decided |= fresh

    def rule(
        self, column: Column, code_if_true: int | None, code_if_false: int | None, reason: str
    ) -> None:
        values, mask = column
        self.settle(mask, _UNDEFINED, "undefined")
        if code_if_true is not None:
            self.settle(values, code_if_true, reason)
        if code_if_false is not None:
            self.settle(~values, code_if_false, reason)


def arrays(
    compiled: CompiledPolicy, columns: dict[str, tuple[Any, ...] | None]
) -> dict[str, Column | None]:
    """The input columns as numpy columns, built once and reused for many dates and reforms."""
    return {
        name: None if values is None else _array(values, compiled.scope[name])
        for name, values in columns.items()
    }


def _environment(
    compiled: CompiledPolicy,
    columns: dict[str, Column | None],
    as_of: datetime.date,
    size: int,
) -> VectorEnv:
    snapshot = compiled.params_at(as_of)
    env: dict[str, Column] = {}
    everywhere = np.ones(size, dtype=np.bool_)
    for name, kind in compiled.scope.items():
        if not name.startswith("params."):
            continue
        if name in snapshot.env:
            env[name] = (_param_column(snapshot.env[name], kind, size), None)
        elif kind in {ValueType.STR_LIST, ValueType.INT_LIST}:
            env[name] = (frozenset(), everywhere)
        else:
            env[name] = (full(size, _blank(kind), kind), everywhere)
    for name, values in columns.items():
        kind = compiled.scope[name]
        if values is None:
            env[name] = (full(size, _blank(kind), kind), everywhere)
        else:
            env[name] = values
    return VectorEnv(size, env)


def decide_vector(
    compiled: CompiledPolicy,
    columns: dict[str, tuple[Any, ...] | None],
    as_of: datetime.date,
    size: int,
) -> tuple[list[int], list[int], list[int]]:
    """Each household's outcome code, amount in øre and reason index, for one chunk."""
    codes, amounts, reasons = decide_arrays(compiled, arrays(compiled, columns), as_of, size)
    return codes.tolist(), amounts.tolist(), reasons.tolist()


def decide_arrays(
    compiled: CompiledPolicy,
    columns: dict[str, Column | None],
    as_of: datetime.date,
    size: int,
) -> tuple[Array, Array, Array]:
    """Each household's outcome code, amount in øre and reason index, as numpy arrays."""
    functions = _functions(compiled)
    env = _environment(compiled, columns, as_of, size)
    for rule in compiled.derived:
        env.columns[rule.name] = functions[f"derived:{rule.name}"](env)
    outcome = _Outcome(size, reason_keys(compiled))
    if compiled.purposes:
        purposes, missing = env.columns["request.purpose"]
        known = np.frompyfunc(lambda v: v in compiled.purposes, 1, 1)(purposes).astype(np.bool_)
        if missing is not None:
            known &= ~missing
        outcome.settle(~known, _REJECTED, "purpose")
    for rule in compiled.eligibility:
        outcome.rule(
            functions[f"eligibility:{rule.name}"](env), None, _REJECTED, f"eligibility:{rule.name}"
        )
    for rule in compiled.referrals:
        outcome.rule(
            functions[f"referral:{rule.name}"](env), _REFERRED, None, f"referral:{rule.name}"
        )
    values, mask = functions["amount"](env)
    outcome.settle(mask, _UNDEFINED, "undefined")
    due = np.maximum(values, 0)
    if compiled.policy.payment_type is PaymentType.CONDITIONAL:
        requested = env.columns["request.amount"][0]
        due = np.minimum(due, requested)
        base = requested
    else:
        base = due
    granted = due
    for rule in compiled.caps:
        limit, mask = functions[f"cap:{rule.name}"](env)
        outcome.settle(mask, _UNDEFINED, "undefined")
        granted = np.minimum(granted, np.maximum(limit, 0))
    outcome.settle(granted == 0, _REJECTED, "nothing_due")
    if compiled.policy.partial_grants:
        outcome.settle(granted < base, _PARTIAL, "capped")
    else:
        outcome.settle(granted < base, _REJECTED, "no_partial_grants")
    codes = outcome.codes  # the rows left are granted in full (code 0, no reason)
    paid = (codes == _GRANTED) | (codes == _PARTIAL)
    return codes, np.where(paid, granted, 0).astype(np.int64), outcome.reasons


def _blank(kind: ValueType) -> Any:
    if kind in _INTS:
        return 0
    if kind is ValueType.BOOL:
        return False
    if kind is ValueType.DECIMAL:
        return Decimal(0)
    return ""


def _param_column(value: Any, kind: ValueType, size: int) -> Any:
    if kind in {ValueType.STR_LIST, ValueType.INT_LIST}:
        return value
    return full(size, value, kind)
