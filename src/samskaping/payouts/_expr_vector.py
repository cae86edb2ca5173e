"""The vectorised path: a checked expression tree evaluated over numpy columns.

Imported only when a simulation asks for it (numpy is an optional extra). It gives
exactly the results of the scalar path (:mod:`samskaping.payouts._expr_compile`):

- whole numbers and amounts (in øre) are ``int64`` columns, checked against the same
  limits *before* they could overflow;
- decimals and texts are object columns, computed element by element with the very
  functions the scalar path uses (:mod:`samskaping.payouts._expr_ops`);
- every result carries a mask of the rows where it is undefined; ``and``, ``or`` and
  ``if`` mask the way the scalar path's short-circuits evaluate, so a row is
  undefined here exactly when the scalar path raises for it.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from samskaping.payouts import _expr_ops as ops
from samskaping.payouts._expr_ast import (
    Binary,
    Bool,
    Call,
    Cond,
    Convert,
    InOp,
    ListLit,
    MoneyLit,
    Name,
    Node,
    Number,
    Text,
    Unary,
    ValueType,
)
from samskaping.payouts._expr_compile import constant_value
from samskaping.payouts._expr_ops import Undefined

__all__ = ["Column", "VectorEnv", "vcompile"]

Array = npt.NDArray[Any]
Mask = npt.NDArray[np.bool_] | None
#: Values (an array, or a set for a list) and the mask of undefined rows.
Column = tuple[Any, Mask]

_SENTINEL: Final = object()
_INT_KINDS: Final = frozenset({ValueType.INT, ValueType.MONEY})
_COMPARE: Final[dict[str, Callable[[Any, Any], Any]]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


class VectorEnv:
    """The columns one vectorised evaluation reads, by name, for ``size`` rows."""

    __slots__ = ("columns", "size")

    def __init__(self, size: int, columns: dict[str, Column]) -> None:
        self.size = size
        self.columns = columns


VFunction = Callable[[VectorEnv], Column]


def _zero(kind: ValueType | None) -> Any:
    if kind in _INT_KINDS:
        return 0
    if kind is ValueType.BOOL:
        return False
    if kind is ValueType.DECIMAL:
        return Decimal(0)
    return ""


def _either(a: Mask, b: Mask) -> Mask:
    if a is None:
        return b
    if b is None:
        return a
    return a | b


def _settle(values: Array, mask: Mask, kind: ValueType | None) -> Column:
    """Put a harmless value in undefined rows, so later steps cannot overflow there."""
    if mask is None or not mask.any():
        return values, None
    values = values.copy()
    values[mask] = _zero(kind)
    return values, mask


def full(size: int, value: Any, kind: ValueType | None) -> Array:
    """A column of one value."""
    if kind in _INT_KINDS:
        return np.full(size, value, dtype=np.int64)
    if kind is ValueType.BOOL:
        return np.full(size, value, dtype=np.bool_)
    out = np.empty(size, dtype=object)
    out.fill(value)  # the same object in every row, as ``[value] * size`` gives
    return out


def _safe(function: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        try:
            return function(*args)
        except Undefined:
            return _SENTINEL

    return call


_IS_SENTINEL: Final = np.frompyfunc(lambda v: v is _SENTINEL, 1, 1)


def _lift(
    function: Callable[..., Any], arity: int, kind: ValueType | None
) -> Callable[..., Column]:
    """Apply a scalar function to object columns, element by element."""
    ufunc = np.frompyfunc(_safe(function), arity, 1)

    def apply(*arrays: Array) -> Column:
        result = ufunc(*(a if a.dtype == object else a.astype(object) for a in arrays))
        if not isinstance(result, np.ndarray):  # pragma: no cover  (zero-size input)
            result = np.asarray([result], dtype=object)
        mask = _IS_SENTINEL(result).astype(np.bool_) if result.size else np.zeros(0, dtype=np.bool_)
        if mask.any():
            result[mask] = _zero(kind)
        if kind in _INT_KINDS:
            result = result.astype(np.int64)
        return result, (mask if mask.any() else None)

    return apply


def _checked_product(a: Array, b: Array, limit: int) -> Column:
    """``a * b`` for int64 columns, undefined where ``|a * b|`` would exceed ``limit``."""
    size_b = np.abs(b)
    over = (size_b != 0) & (np.abs(a) > limit // np.where(size_b == 0, 1, size_b))
    if over.any():
        a = np.where(over, 0, a)
        return a * b, over
    return a * b, None


def _bounded(values: Array, limit: int) -> Column:
    over = np.abs(values) > limit
    return values, (over if over.any() else None)


def _div_money_int(a: Array, b: Array) -> Column:
    zero = b == 0
    divisor = np.where(zero, 1, b)
    quotient, remainder = np.divmod(np.abs(a), np.abs(divisor))
    quotient = quotient + (2 * remainder >= np.abs(divisor))
    negative = (a < 0) != (divisor < 0)
    return np.where(negative, -quotient, quotient), (zero if zero.any() else None)


#: Products of at most this size are exact in int64 (and in the scalar path's context).
_EXACT_PRODUCT: Final = 2**62
#: The largest divisor for which ``product + divisor / 2`` still fits int64.
_HALF_UP_SCALE: Final = 10**18


def _money_times_constant(
    factor: Decimal, fallback: Callable[[Array, Array], Column]
) -> Callable[[Array, Array], Column]:
    """An amount column times a decimal literal, in whole numbers where that is exact.

    ``ore * factor`` is ``ore * m / 10**k`` for the literal's digits ``m`` and places
    ``k``; rounded half away from zero as :func:`~samskaping.payouts._expr_ops.mul_money_decimal`
    rounds. While ``|ore * m|`` stays below 2**62 both paths compute it exactly (19
    digits, within the scalar context's 34), so they agree; a column with a larger
    product takes the element-by-element ``fallback``.
    """
    sign, digits, exponent = factor.as_tuple()
    assert isinstance(exponent, int)  # noqa: S101  (literals are finite)
    mantissa = int("".join(map(str, digits))) * (-1 if sign else 1)
    if exponent > 0:
        mantissa *= 10**exponent
    scale = 10 ** -min(exponent, 0)
    if abs(mantissa) >= _EXACT_PRODUCT:
        return fallback

    def apply(a: Array, b: Array) -> Column:
        if mantissa > 0 and 1 < scale <= _HALF_UP_SCALE and a.size and a.dtype == np.int64:
            least, most = int(a.min()), int(a.max())
            if least >= 0 and most <= _EXACT_PRODUCT // mantissa:
                return _nonnegative_times(a, mantissa, scale, most)
        if mantissa and a.size and int(np.abs(a).max()) > _EXACT_PRODUCT // abs(mantissa):
            return fallback(a, b)
        product = a.astype(np.int64) * mantissa
        if scale != 1:
            quotient, remainder = np.divmod(np.abs(product), scale)
            quotient = quotient + (2 * remainder >= scale)
            product = np.where(product < 0, -quotient, quotient)
        return _bounded(product, ops.LIMIT_ORE)

    return apply


def _nonnegative_times(a: Array, mantissa: int, scale: int, most: int) -> Column:
    """``a * mantissa / scale`` rounded half up, for ``a`` of at least 0 (the usual amounts).

    The same value as the general path in fewer passes: with ``p = a * mantissa`` at
    least 0 and ``scale`` a power of ten from 10 (so even), ``(p + scale / 2) // scale``
    is ``p // scale`` plus one where the remainder is at least half of ``scale``. ``p``
    is at most 2**62 and ``scale`` at most 10**18 (checked by the caller), so adding
    ``scale / 2`` cannot overflow.
    No row passes the limit if the largest cannot.
    """
    product = a * mantissa
    product += scale // 2
    product //= scale
    if (most * mantissa + scale // 2) // scale <= ops.LIMIT_ORE:
        return product, None
    return _bounded(product, ops.LIMIT_ORE)


def _arithmetic(node: Binary) -> Callable[[Array, Array], Column]:
    left, right, result = node.left.type, node.right.type, node.type
    if node.op in {"+", "-"}:
        combine = np.add if node.op == "+" else np.subtract
        if result is ValueType.DECIMAL:
            scalar = ops.add_decimal if node.op == "+" else ops.sub_decimal
            return _lift(scalar, 2, result)
        limit = ops.LIMIT_INT if result is ValueType.INT else ops.LIMIT_ORE
        return lambda a, b: _bounded(combine(a, b), limit)
    if node.op == "*":
        if result is ValueType.INT:
            return lambda a, b: _checked_product(a, b, ops.LIMIT_INT)
        if result is ValueType.MONEY and right is ValueType.INT:
            return lambda a, b: _checked_product(a, b, ops.LIMIT_ORE)
        if result is ValueType.MONEY:
            return _lift(ops.mul_money_decimal, 2, result)
        return _lift(ops.mul_decimal, 2, result)
    if left is ValueType.MONEY and right is ValueType.MONEY:
        return _lift(ops.div_money_money, 2, result)
    if left is ValueType.MONEY and right is ValueType.INT:
        return _div_money_int
    if left is ValueType.MONEY:
        return _lift(ops.div_money_decimal, 2, result)
    return _lift(ops.div_decimal, 2, result)


def vcompile(node: Node) -> VFunction:
    """Compile a checked tree into a function of a :class:`VectorEnv`."""
    kind = node.type
    if isinstance(node, Number | Text | Bool | MoneyLit):
        value = constant_value(node)
        return lambda env: (full(env.size, value, kind), None)
    if isinstance(node, ListLit):
        container = constant_value(node)
        return lambda _env: (container, None)
    if isinstance(node, Name):
        path = node.path
        return lambda env: env.columns[path]
    if isinstance(node, Convert):
        inner = vcompile(node.operand)
        to_decimal = _lift(Decimal, 1, ValueType.DECIMAL)

        def convert(env: VectorEnv) -> Column:
            values, mask = inner(env)
            out, _ = to_decimal(values)
            return out, mask

        return convert
    if isinstance(node, Unary):
        return _unary(node)
    if isinstance(node, Binary):
        if node.op in {"and", "or"}:
            return _logical(node)
        if node.op in _COMPARE:
            return _compare(node)
        return _binary(node)
    if isinstance(node, InOp):
        return _in(node)
    if isinstance(node, Call):
        return _call(node)
    if isinstance(node, Cond):
        return _cond(node)
    raise TypeError(node)  # pragma: no cover


def _unary(node: Unary) -> VFunction:
    inner = vcompile(node.operand)
    if node.op == "not":

        def negate_bool(env: VectorEnv) -> Column:
            values, mask = inner(env)
            return ~values, mask

        return negate_bool
    if node.type is ValueType.DECIMAL:
        negate = _lift(operator.neg, 1, ValueType.DECIMAL)

        def neg_decimal(env: VectorEnv) -> Column:
            values, mask = inner(env)
            out, _ = negate(values)
            return out, mask

        return neg_decimal

    def negate_int(env: VectorEnv) -> Column:
        values, mask = inner(env)
        return -values, mask

    return negate_int


def _logical(node: Binary) -> VFunction:
    left = vcompile(node.left)
    right = vcompile(node.right)
    is_and = node.op == "and"

    def evaluate(env: VectorEnv) -> Column:
        a, a_mask = left(env)
        b, b_mask = right(env)
        # The right side matters only where the left does not decide alone.
        needs_right = a if is_and else ~a
        if a_mask is not None:
            needs_right = needs_right & ~a_mask
        mask = _either(a_mask, None if b_mask is None else (needs_right & b_mask))
        values = (a & b) if is_and else (a | b)
        return _settle(values, mask, ValueType.BOOL)

    return evaluate


def _compare(node: Binary) -> VFunction:
    left = vcompile(node.left)
    right = vcompile(node.right)
    compare = _COMPARE[node.op]

    def evaluate(env: VectorEnv) -> Column:
        a, a_mask = left(env)
        b, b_mask = right(env)
        values = np.asarray(compare(a, b), dtype=np.bool_)
        return _settle(values, _either(a_mask, b_mask), ValueType.BOOL)

    return evaluate


def _binary(node: Binary) -> VFunction:
    left = vcompile(node.left)
    right = vcompile(node.right)
    function = _arithmetic(node)
    if (
        node.op == "*"
        and node.type is ValueType.MONEY
        and isinstance(node.right, Number)
        and node.right.type is ValueType.DECIMAL
    ):
        function = _money_times_constant(constant_value(node.right), function)
    kind = node.type

    def evaluate(env: VectorEnv) -> Column:
        a, a_mask = left(env)
        b, b_mask = right(env)
        values, mask = function(a, b)
        return _settle(values, _either(_either(a_mask, b_mask), mask), kind)

    return evaluate


def _in(node: InOp) -> VFunction:
    item = vcompile(node.item)
    container = vcompile(node.container)
    negated = node.negated

    def evaluate(env: VectorEnv) -> Column:
        values, item_mask = item(env)
        members, container_mask = container(env)
        mask = _either(item_mask, container_mask)
        if values.dtype == object:
            found = np.frompyfunc(lambda v: v in members, 1, 1)(values).astype(np.bool_)
        else:
            found = np.isin(values, np.fromiter(members, dtype=np.int64, count=len(members)))
        return _settle(~found if negated else found, mask, ValueType.BOOL)

    return evaluate


def _call(node: Call) -> VFunction:
    args = [vcompile(arg) for arg in node.args]
    kind = node.type
    if node.func == "abs":
        (only,) = args
        absolute = _lift(abs, 1, kind) if kind is ValueType.DECIMAL else None

        def evaluate_abs(env: VectorEnv) -> Column:
            values, mask = only(env)
            return (np.abs(values) if absolute is None else absolute(values)[0]), mask

        return evaluate_abs
    pick = min if node.func == "min" else max
    native = np.minimum if node.func == "min" else np.maximum
    lifted = _lift(pick, 2, kind)

    def evaluate(env: VectorEnv) -> Column:
        columns = [arg(env) for arg in args]
        values, mask = columns[0]
        for other, other_mask in columns[1:]:
            values = (
                lifted(values, other)[0] if kind is ValueType.DECIMAL else native(values, other)
            )
            mask = _either(mask, other_mask)
        return _settle(values, mask, kind)

    return evaluate


def _cond(node: Cond) -> VFunction:
    test = vcompile(node.test)
    then = vcompile(node.then)
    otherwise = vcompile(node.otherwise)
    kind = node.type

    def evaluate(env: VectorEnv) -> Column:
        t, t_mask = test(env)
        a, a_mask = then(env)
        b, b_mask = otherwise(env)
        defined = ~t_mask if t_mask is not None else np.ones(env.size, dtype=np.bool_)
        mask = t_mask
        if a_mask is not None:
            mask = _either(mask, defined & t & a_mask)
        if b_mask is not None:
            mask = _either(mask, defined & ~t & b_mask)
        values: Array = np.asarray(np.where(t, a, b))
        if kind not in _INT_KINDS and kind is not ValueType.BOOL:
            values = values.astype(object)
        return _settle(values, mask, kind)

    return evaluate
