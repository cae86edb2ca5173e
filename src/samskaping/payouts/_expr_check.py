"""The type checker of the rule expression language.

It runs when a policy is loaded. It resolves every name against the declared schema
of inputs, parameters and derived values, and gives every node its type. Where a
number literal stands next to an amount (``request.amount >= 10000``) it becomes an
amount literal (``10000 kr``); where an ``int`` meets a ``decimal`` it is converted.

Typing rules (``n`` is ``int`` or ``decimal``; mixing them gives ``decimal``):

=====================  ===============================================
``n + n``, ``n - n``   number; ``money ± money`` is money
``n * n``              number; ``money * n`` and ``n * money`` are money
``n / n``              decimal; ``money / n`` is money; ``money / money`` is decimal
comparisons            the same type on both sides (numbers mix)
``and or not``         bool
``x in list``          ``str`` in ``str_list``, ``int`` in ``int_list``
``min max``            numbers or money, at least one argument
``abs``                one number or amount
``if c then a else b`` ``c`` is bool; ``a`` and ``b`` of one type
=====================  ===============================================

Money times money, money plus a number that is not a literal, and every other
combination are type errors. Amounts multiplied or divided by a decimal are rounded
to the øre, halves away from zero.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from decimal import Decimal
from typing import Final

import attrs

from samskaping.payouts._expr_ast import (
    COMPARISONS,
    NUMERIC,
    ORDERED,
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
from samskaping.payouts._expr_parse import ExpressionError

__all__ = ["check_expression"]

_LIST_OF: Final = {ValueType.STR: ValueType.STR_LIST, ValueType.INT: ValueType.INT_LIST}
_ITEM_OF: Final = {v: k for k, v in _LIST_OF.items()}


def _money_literal(node: Node) -> Node | None:
    """``node`` as an amount literal, if it is a number literal with whole øre."""
    if isinstance(node, MoneyLit):
        return attrs.evolve(node, type=ValueType.MONEY)
    if isinstance(node, Number):
        value = Decimal(node.value)
        ore = value.scaleb(2)
        if ore == ore.to_integral_value():
            return MoneyLit(ore=int(ore), pos=node.pos, type=ValueType.MONEY)
        return None
    if isinstance(node, Unary) and node.op == "-":
        inner = _money_literal(node.operand)
        if inner is not None:
            return Unary(op="-", operand=inner, pos=node.pos, type=ValueType.MONEY)
    return None


def _is_literal(node: Node) -> bool:
    if isinstance(node, Unary) and node.op == "-":
        return _is_literal(node.operand)
    return isinstance(node, Number)


class _Checker:
    def __init__(self, scope: Mapping[str, ValueType]) -> None:
        self.scope = scope

    def check(self, node: Node) -> Node:
        if isinstance(node, Number):
            kind = ValueType.INT if isinstance(node.value, int) else ValueType.DECIMAL
            return attrs.evolve(node, type=kind)
        if isinstance(node, MoneyLit):
            return attrs.evolve(node, type=ValueType.MONEY)
        if isinstance(node, Text):
            return attrs.evolve(node, type=ValueType.STR)
        if isinstance(node, Bool):
            return attrs.evolve(node, type=ValueType.BOOL)
        if isinstance(node, Name):
            return self._name(node)
        if isinstance(node, ListLit):
            return self._list(node)
        if isinstance(node, Unary):
            return self._unary(node)
        if isinstance(node, Binary):
            return self._binary(node)
        if isinstance(node, InOp):
            return self._in(node)
        if isinstance(node, Call):
            return self._call(node)
        if isinstance(node, Cond):
            return self._cond(node)
        return self.check(node.operand)  # Convert: only in checked trees

    def _name(self, node: Name) -> Node:
        kind = self.scope.get(node.path)
        if kind is None:
            close = difflib.get_close_matches(node.path, list(self.scope), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ExpressionError(f"unknown name {node.path!r}{hint}", node.pos)
        return attrs.evolve(node, type=kind)

    def _list(self, node: ListLit) -> Node:
        items = tuple(self.check(item) for item in node.items)
        kinds = {item.type for item in items}
        if len(kinds) != 1:
            raise ExpressionError("a list holds items of one type", node.pos)
        (kind,) = kinds
        if kind not in _LIST_OF:
            raise ExpressionError(f"a list holds text or whole numbers, not {kind}", node.pos)
        for item in items:
            if not isinstance(item, Text | Number):
                raise ExpressionError("a list holds literal values only", item.pos)
        return attrs.evolve(node, items=items, type=_LIST_OF[kind])

    def _unary(self, node: Unary) -> Node:
        operand = self.check(node.operand)
        if node.op == "not":
            self._require(operand, ValueType.BOOL, "'not'")
            return attrs.evolve(node, operand=operand, type=ValueType.BOOL)
        if operand.type not in ORDERED:
            raise ExpressionError(f"'-' needs a number or an amount, got {operand.type}", node.pos)
        return attrs.evolve(node, operand=operand, type=operand.type)

    @staticmethod
    def _require(node: Node, kind: ValueType, what: str) -> None:
        if node.type is not kind:
            raise ExpressionError(f"{what} needs {kind}, got {node.type}", node.pos)

    def _numeric_pair(self, left: Node, right: Node) -> tuple[Node, Node, ValueType]:
        """Unify two numbers; ``int`` with ``decimal`` gives two decimals."""
        if left.type is right.type:
            assert left.type is not None  # noqa: S101  (checked nodes have types)
            return left, right, left.type
        return self._to_decimal(left), self._to_decimal(right), ValueType.DECIMAL

    @staticmethod
    def _to_decimal(node: Node) -> Node:
        if node.type is ValueType.INT:
            return Convert(operand=node, pos=node.pos, type=ValueType.DECIMAL)
        return node

    def _with_money(self, left: Node, right: Node) -> tuple[Node, Node] | None:
        """Promote a number literal next to an amount; ``None`` if not possible."""
        if left.type is ValueType.MONEY and right.type is ValueType.MONEY:
            return left, right
        if left.type is ValueType.MONEY and _is_literal(right):
            promoted = _money_literal(right)
            return None if promoted is None else (left, promoted)
        if right.type is ValueType.MONEY and _is_literal(left):
            promoted = _money_literal(left)
            return None if promoted is None else (promoted, right)
        return None

    def _binary(self, node: Binary) -> Node:
        left = self.check(node.left)
        right = self.check(node.right)
        op = node.op
        if op in {"and", "or"}:
            self._require(left, ValueType.BOOL, f"'{op}'")
            self._require(right, ValueType.BOOL, f"'{op}'")
            return attrs.evolve(node, left=left, right=right, type=ValueType.BOOL)
        if op in COMPARISONS:
            return self._compare(node, left, right)
        money = self._with_money(left, right)
        if op in {"+", "-"}:
            if money is not None:
                return attrs.evolve(node, left=money[0], right=money[1], type=ValueType.MONEY)
            if left.type in NUMERIC and right.type in NUMERIC:
                a, b, kind = self._numeric_pair(left, right)
                return attrs.evolve(node, left=a, right=b, type=kind)
            raise self._mismatch(node, left, right)
        if op == "*":
            if left.type is ValueType.MONEY and right.type is ValueType.MONEY:
                raise ExpressionError("an amount cannot be multiplied by an amount", node.pos)
            if left.type is ValueType.MONEY and right.type in NUMERIC:
                return attrs.evolve(node, left=left, right=right, type=ValueType.MONEY)
            if right.type is ValueType.MONEY and left.type in NUMERIC:
                # Keep the amount on the left: n * money is money * n.
                return attrs.evolve(node, left=right, right=left, type=ValueType.MONEY)
            if left.type in NUMERIC and right.type in NUMERIC:
                a, b, kind = self._numeric_pair(left, right)
                return attrs.evolve(node, left=a, right=b, type=kind)
            raise self._mismatch(node, left, right)
        # division
        if left.type is ValueType.MONEY and right.type is ValueType.MONEY:
            return attrs.evolve(node, left=left, right=right, type=ValueType.DECIMAL)
        if left.type is ValueType.MONEY and right.type in NUMERIC:
            return attrs.evolve(node, left=left, right=right, type=ValueType.MONEY)
        if left.type in NUMERIC and right.type in NUMERIC:
            return attrs.evolve(
                node,
                left=self._to_decimal(left),
                right=self._to_decimal(right),
                type=ValueType.DECIMAL,
            )
        raise self._mismatch(node, left, right)

    @staticmethod
    def _mismatch(node: Binary, left: Node, right: Node) -> ExpressionError:
        hint = ""
        if ValueType.MONEY in {left.type, right.type}:
            hint = "; write amounts with 'kr' (e.g. 500 kr) or use an amount parameter"
        return ExpressionError(
            f"'{node.op}' cannot combine {left.type} and {right.type}{hint}", node.pos
        )

    def _compare(self, node: Binary, left: Node, right: Node) -> Node:
        money = self._with_money(left, right)
        if money is not None:
            left, right = money
        elif left.type in NUMERIC and right.type in NUMERIC:
            left, right, _ = self._numeric_pair(left, right)
        elif left.type is not right.type:
            raise self._mismatch(node, left, right)
        if node.op not in {"==", "!="} and left.type not in ORDERED:
            raise ExpressionError(
                f"'{node.op}' needs numbers or amounts, got {left.type}", node.pos
            )
        if left.type in {ValueType.STR_LIST, ValueType.INT_LIST}:
            raise ExpressionError("lists cannot be compared; use 'in'", node.pos)
        return attrs.evolve(node, left=left, right=right, type=ValueType.BOOL)

    def _in(self, node: InOp) -> Node:
        item = self.check(node.item)
        container = self.check(node.container)
        if container.type not in _ITEM_OF:
            raise ExpressionError(
                f"'in' needs a list on the right, got {container.type}", container.pos
            )
        expected = _ITEM_OF[container.type]
        if item.type is not expected:
            raise ExpressionError(
                f"'in' checks {expected} in {container.type}, got {item.type}", node.pos
            )
        return attrs.evolve(node, item=item, container=container, type=ValueType.BOOL)

    def _call(self, node: Call) -> Node:
        args = tuple(self.check(arg) for arg in node.args)
        if node.func == "abs":
            if len(args) != 1:
                raise ExpressionError("abs() takes one argument", node.pos)
            if args[0].type not in ORDERED:
                raise ExpressionError(
                    f"abs() needs a number or an amount, got {args[0].type}", node.pos
                )
            return attrs.evolve(node, args=args, type=args[0].type)
        if not args:
            raise ExpressionError(f"{node.func}() needs at least one argument", node.pos)
        unified, kind = self._unify(args, node, f"{node.func}()")
        if kind not in ORDERED:
            raise ExpressionError(f"{node.func}() needs numbers or amounts, got {kind}", node.pos)
        return attrs.evolve(node, args=unified, type=kind)

    def _unify(
        self, nodes: tuple[Node, ...], at: Node, what: str
    ) -> tuple[tuple[Node, ...], ValueType]:
        kinds = {n.type for n in nodes}
        if ValueType.MONEY in kinds:
            out: list[Node] = []
            for n in nodes:
                if n.type is ValueType.MONEY:
                    out.append(n)
                    continue
                promoted = _money_literal(n) if _is_literal(n) else None
                if promoted is None:
                    raise ExpressionError(f"{what} cannot mix amounts with {n.type}", n.pos)
                out.append(promoted)
            return tuple(out), ValueType.MONEY
        if kinds <= NUMERIC and len(kinds) == 2:  # noqa: PLR2004  (int and decimal)
            return tuple(self._to_decimal(n) for n in nodes), ValueType.DECIMAL
        if len(kinds) != 1:
            names = " and ".join(sorted(str(k) for k in kinds))
            raise ExpressionError(f"{what} cannot mix {names}", at.pos)
        (kind,) = kinds
        assert kind is not None  # noqa: S101  (checked nodes have types)
        return nodes, kind

    def _cond(self, node: Cond) -> Node:
        test = self.check(node.test)
        self._require(test, ValueType.BOOL, "'if'")
        (then, otherwise), kind = self._unify(
            (self.check(node.then), self.check(node.otherwise)), node, "'if ... then ... else'"
        )
        if kind in _ITEM_OF:
            raise ExpressionError(
                "'if' cannot choose between lists; write the test with 'in'", node.pos
            )
        return attrs.evolve(node, test=test, then=then, otherwise=otherwise, type=kind)


def check_expression(
    node: Node, scope: Mapping[str, ValueType], *, expected: ValueType | None = None
) -> Node:
    """Type-check a parsed tree against the names in ``scope``.

    Args:
        node: The tree from :func:`~samskaping.payouts._expr_parse.parse_expression`.
        scope: Every name the expression may use, with its type.
        expected: The type the whole expression must have; an ``int`` is accepted
            where a ``decimal`` is expected, and a number literal where an amount is.

    Returns:
        The tree with every node's type filled in.

    Raises:
        ExpressionError: For an unknown name or a type error, with its position.
    """
    typed = _Checker(scope).check(node)
    if expected is None or typed.type is expected:
        return typed
    if expected is ValueType.DECIMAL and typed.type is ValueType.INT:
        return Convert(operand=typed, pos=typed.pos, type=ValueType.DECIMAL)
    if expected is ValueType.MONEY and _is_literal(typed):
        promoted = _money_literal(typed)
        if promoted is not None:
            return promoted
    raise ExpressionError(f"the expression must give {expected}, but gives {typed.type}", typed.pos)
