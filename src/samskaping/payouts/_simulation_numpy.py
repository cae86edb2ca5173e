"""The vectorised decision over a chunk of households (numpy; see ``_simulation``)."""

from __future__ import annotations

import datetime
import weakref
from decimal import Decimal
from typing import Any, Final

import numpy as np

from samskaping.model import PaymentType
from samskaping.payouts._compiled import CompiledPolicy, CompiledRule
from samskaping.payouts._expr_ast import ValueType
from samskaping.payouts._expr_vector import Array, Column, VectorEnv, VFunction, full, vcompile
from samskaping.payouts._tally import reason_keys

__all__ = ["arrays", "decide_arrays", "decide_vector", "reason_keys"]

_GRANTED, _PARTIAL, _REJECTED, _REFERRED, _UNDEFINED = range(5)
_PLANS: Final[weakref.WeakKeyDictionary[CompiledPolicy, dict[str, VFunction]]] = (
    weakref.WeakKeyDictionary()
)
_INTS: Final = frozenset({ValueType.INT, ValueType.MONEY})


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


class _Outcome:
    """Outcome codes for a chunk; each row is settled once, by the first step that decides it."""

    def __init__(self, size: int, keys: tuple[str, ...]) -> None:
        self.codes = np.zeros(size, dtype=np.int8)
        self.reasons = np.zeros(size, dtype=np.int16)
        self.decided = np.zeros(size, dtype=np.bool_)
        self.index = {key: i for i, key in enumerate(keys)}

    def settle(self, rows: Array | None, code: int, reason: str) -> None:
        if rows is None:
            return
        fresh = rows & ~self.decided
        self.codes[fresh] = code
        if reason:
            self.reasons[fresh] = self.index[reason]
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
    outcome.settle(np.ones(size, dtype=np.bool_), _GRANTED, "")
    codes = outcome.codes
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
