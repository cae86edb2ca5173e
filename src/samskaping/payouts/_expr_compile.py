"""Compile a checked expression tree into nested Python closures.

No text is ever evaluated: each node becomes a small function of an evaluation
context, built once when the policy is loaded. Sub-trees made only of literals are
folded into constants.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

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
from samskaping.payouts._expr_ops import Undefined

__all__ = ["Compiled", "Context", "compile_expression"]


class Context:
    """The values one evaluation reads: inputs, parameters and derived values.

    ``env`` maps every available name to its run-time value; ``errors`` maps a name
    whose value could not be had (a parameter not in force, a derived value that was
    undefined) to the reason, raised when the name is read.
    """

    __slots__ = ("env", "errors")

    def __init__(self, env: dict[str, Any], errors: dict[str, Undefined] | None = None) -> None:
        self.env = env
        self.errors: dict[str, Undefined] = {} if errors is None else errors


Compiled = Callable[[Context], Any]

_COMPARE: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _arithmetic(node: Binary) -> Callable[[Any, Any], Any]:
    left, right, result = node.left.type, node.right.type, node.type
    if node.op in {"+", "-"}:
        plus = node.op == "+"
        if result is ValueType.INT:
            return ops.add_int if plus else ops.sub_int
        if result is ValueType.DECIMAL:
            return ops.add_decimal if plus else ops.sub_decimal
        return ops.add_ore if plus else ops.sub_ore
    if node.op == "*":
        if result is ValueType.MONEY:
            return ops.mul_ore_int if right is ValueType.INT else ops.mul_money_decimal
        return ops.mul_int if result is ValueType.INT else ops.mul_decimal
    # division
    if left is ValueType.MONEY and right is ValueType.MONEY:
        return ops.div_money_money
    if left is ValueType.MONEY:
        return ops.div_money_int if right is ValueType.INT else ops.div_money_decimal
    return ops.div_decimal


def constant_value(node: Node) -> Any:
    """The run-time value of a literal node."""
    if isinstance(node, Number | Text | Bool):
        return node.value
    if isinstance(node, MoneyLit):
        return node.ore
    if isinstance(node, ListLit):
        return frozenset(constant_value(item) for item in node.items)
    raise TypeError(node)  # pragma: no cover


_Result = tuple[Compiled, bool, Any]


def _compile(node: Node) -> _Result:
    """Return (function, whether it is a constant, the constant)."""
    if isinstance(node, Number | Text | Bool | MoneyLit | ListLit):
        value = constant_value(node)
        return (lambda _c: value), True, value
    if isinstance(node, Name):
        return _name(node.path), False, None
    if isinstance(node, Convert):
        inner, const, value = _compile(node.operand)
        if const:
            folded = Decimal(value)
            return (lambda _c: folded), True, folded
        return (lambda c: Decimal(inner(c))), False, None
    if isinstance(node, Unary):
        parts = [_compile(node.operand)]
        return _fold(_unary(node, parts[0][0]), parts)
    if isinstance(node, Binary):
        parts = [_compile(node.left), _compile(node.right)]
        return _fold(_binary(node, parts[0], parts[1]), parts)
    if isinstance(node, InOp):
        parts = [_compile(node.item), _compile(node.container)]
        return _fold(_in(node, parts[0][0], parts[1][0]), parts)
    if isinstance(node, Call):
        parts = [_compile(arg) for arg in node.args]
        return _fold(_call(node, [p[0] for p in parts]), parts)
    if isinstance(node, Cond):
        parts = [_compile(node.test), _compile(node.then), _compile(node.otherwise)]
        return _fold(_cond(parts[0][0], parts[1][0], parts[2][0]), parts)
    raise TypeError(node)  # pragma: no cover


def _fold(function: Compiled, parts: list[_Result]) -> _Result:
    """Fold a node whose operands are all constants into a constant."""
    if all(const for _, const, _ in parts):
        try:
            value = function(Context({}))
        except Undefined:
            return function, False, None
        return (lambda _c: value), True, value
    return function, False, None


def _name(path: str) -> Compiled:
    def read(c: Context) -> Any:
        try:
            return c.env[path]
        except KeyError:
            raise c.errors.get(path) or Undefined("missing_input", path) from None

    return read


def _unary(node: Unary, operand: Compiled) -> Compiled:
    if node.op == "not":
        return lambda c: not operand(c)
    return lambda c: -operand(c)


def _binary(node: Binary, left_part: _Result, right_part: _Result) -> Compiled:
    left = left_part[0]
    right, right_const, right_value = right_part
    op = node.op
    if op == "and":
        return lambda c: left(c) and right(c)
    if op == "or":
        return lambda c: left(c) or right(c)
    if op in _COMPARE:
        compare = _COMPARE[op]
        if right_const:
            k = right_value
            if op == ">=":
                return lambda c: left(c) >= k
            if op == "<":
                return lambda c: left(c) < k
            if op == "==":
                return lambda c: left(c) == k
            return lambda c: compare(left(c), k)
        return lambda c: compare(left(c), right(c))
    function = _arithmetic(node)
    if right_const:
        k = right_value
        return lambda c: function(left(c), k)
    return lambda c: function(left(c), right(c))


def _in(node: InOp, item: Compiled, container: Compiled) -> Compiled:
    if node.negated:
        return lambda c: item(c) not in container(c)
    return lambda c: item(c) in container(c)


def _call(node: Call, args: list[Compiled]) -> Compiled:
    if node.func == "abs":
        (only,) = args
        return lambda c: abs(only(c))
    pick = min if node.func == "min" else max
    if len(args) == 1:
        return args[0]
    if len(args) == 2:  # noqa: PLR2004
        a, b = args
        return lambda c: pick(a(c), b(c))
    return lambda c: pick([f(c) for f in args])


def _cond(test: Compiled, then: Compiled, otherwise: Compiled) -> Compiled:
    return lambda c: then(c) if test(c) else otherwise(c)


def compile_expression(node: Node) -> Compiled:
    """Compile a checked tree into a function of a :class:`Context`.

    The function raises :class:`~samskaping.payouts._expr_ops.Undefined` when a value
    cannot be computed (see :mod:`samskaping.payouts._expr_ops`).
    """
    return _compile(node)[0]
