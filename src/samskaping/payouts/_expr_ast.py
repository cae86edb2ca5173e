"""The typed syntax tree of the rule expression language (*regeluttrykk*).

Every node is a frozen attrs value. ``pos`` (the column where the node starts, from
0) and ``type`` (filled in by the type checker) do not take part in equality, so a
tree parsed from text equals the tree parsed from its :func:`to_source` rendering.

The checker also inserts :class:`Convert` nodes where an ``int`` is used as a
``decimal``, so that every arithmetic node of a checked tree has operands whose types
are fixed by its operator.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum, unique
from typing import Final, Literal

import attrs

__all__ = [
    "BINARY_OPS",
    "COMPARISONS",
    "FUNCTIONS",
    "KEYWORDS",
    "Binary",
    "Bool",
    "Call",
    "Cond",
    "Convert",
    "InOp",
    "ListLit",
    "MoneyLit",
    "Name",
    "Node",
    "Number",
    "Text",
    "Unary",
    "ValueType",
    "children",
    "node_count",
    "node_depth",
    "to_source",
]


@unique
class ValueType(StrEnum):
    """The type of a value in a rule expression (and of an input or parameter)."""

    BOOL = "bool"
    INT = "int"
    DECIMAL = "decimal"
    MONEY = "money"
    STR = "str"
    STR_LIST = "str_list"
    INT_LIST = "int_list"


#: Numeric types, ordered so that mixing int and decimal gives decimal.
NUMERIC: Final = frozenset({ValueType.INT, ValueType.DECIMAL})
#: Types that can be ordered with ``<``.
ORDERED: Final = frozenset({ValueType.INT, ValueType.DECIMAL, ValueType.MONEY})

BinaryOp = Literal["+", "-", "*", "/", "and", "or", "==", "!=", "<", "<=", ">", ">="]
BINARY_OPS: Final[tuple[str, ...]] = (
    "+",
    "-",
    "*",
    "/",
    "and",
    "or",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
)
COMPARISONS: Final = frozenset({"==", "!=", "<", "<=", ">", ">="})
FUNCTIONS: Final = frozenset({"min", "max", "abs"})
KEYWORDS: Final = frozenset({"and", "or", "not", "in", "if", "then", "else", "true", "false", "kr"})

_POS = attrs.field(default=0, eq=False, repr=False)
_TYPE = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(kw_only=True)
class Number:
    """A number literal: an ``int`` without a decimal point, else a ``decimal``."""

    value: int | Decimal
    pos: int = _POS
    type: ValueType | None = _TYPE


@attrs.frozen(kw_only=True)
class MoneyLit:
    """An amount literal such as ``10000 kr``, held in øre."""

    ore: int
    pos: int = _POS
    type: ValueType | None = _TYPE


@attrs.frozen(kw_only=True)
class Text:
    """A text literal in quotes."""

    value: str
    pos: int = _POS
    type: ValueType | None = _TYPE


@attrs.frozen(kw_only=True)
class Bool:
    """``true`` or ``false``."""

    value: bool
    pos: int = _POS
    type: ValueType | None = _TYPE


@attrs.frozen(kw_only=True)
class ListLit:
    """A list literal such as ``["holiday", "travel_home"]``."""

    items: tuple[Node, ...]
    pos: int = _POS
    type: ValueType | None = _TYPE


@attrs.frozen(kw_only=True)
class Name:
    """A name: an input, a parameter or a derived value.

    Inputs are ``household.<name>`` or ``request.<name>``, parameters ``params.<name>``,
    derived values a bare name.
    """

    path: str
    pos: int = _POS
    type: ValueType | None = _TYPE


@attrs.frozen(kw_only=True)
class Unary:
    """``-x`` or ``not x``."""

    op: Literal["-", "not"]
    operand: Node
    pos: int = _POS
    type: ValueType | None = _TYPE


@attrs.frozen(kw_only=True)
class Binary:
    """An arithmetic, logical or comparison operation."""

    op: BinaryOp
    left: Node
    right: Node
    pos: int = _POS
    type: ValueType | None = _TYPE


@attrs.frozen(kw_only=True)
class InOp:
    """``x in [..]`` or ``x not in params.list``."""

    item: Node
    container: Node
    negated: bool = False
    pos: int = _POS
    type: ValueType | None = _TYPE


@attrs.frozen(kw_only=True)
class Call:
    """A call of a built-in function: ``min``, ``max`` or ``abs``."""

    func: Literal["min", "max", "abs"]
    args: tuple[Node, ...]
    pos: int = _POS
    type: ValueType | None = _TYPE


@attrs.frozen(kw_only=True)
class Cond:
    """``if test then a else b``."""

    test: Node
    then: Node
    otherwise: Node
    pos: int = _POS
    type: ValueType | None = _TYPE


@attrs.frozen(kw_only=True)
class Convert:
    """An ``int`` used as a ``decimal`` (inserted by the type checker, never parsed)."""

    operand: Node
    pos: int = _POS
    type: ValueType | None = _TYPE


Node = (
    Number | MoneyLit | Text | Bool | ListLit | Name | Unary | Binary | InOp | Call | Cond | Convert
)


def children(node: Node) -> tuple[Node, ...]:
    """The direct sub-expressions of ``node``."""
    if isinstance(node, ListLit):
        return node.items
    if isinstance(node, Unary | Convert):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, InOp):
        return (node.item, node.container)
    if isinstance(node, Call):
        return node.args
    if isinstance(node, Cond):
        return (node.test, node.then, node.otherwise)
    return ()


def node_count(node: Node) -> int:
    """How many nodes the tree has."""
    count = 0
    stack = [node]
    while stack:
        current = stack.pop()
        count += 1
        stack.extend(children(current))
    return count


def node_depth(node: Node) -> int:
    """The length of the longest path from the root to a leaf (a leaf has depth 1)."""
    deepest = 0
    stack = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children(current))
    return deepest


def names(node: Node) -> frozenset[str]:
    """Every name the expression refers to."""
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Name):
            found.add(current.path)
        stack.extend(children(current))
    return frozenset(found)


# --- rendering back to text -----------------------------------------------------------

_PRECEDENCE: Final = {
    "or": 1,
    "and": 2,
    "not": 3,
    "==": 4,
    "!=": 4,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "in": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "neg": 7,
}
_ATOM: Final = 8


def _precedence(node: Node) -> int:
    if isinstance(node, Convert):
        return _precedence(node.operand)
    if isinstance(node, Cond):
        return 0
    if isinstance(node, Binary):
        return _PRECEDENCE[node.op]
    if isinstance(node, InOp):
        return _PRECEDENCE["in"]
    if isinstance(node, Unary):
        return _PRECEDENCE["not"] if node.op == "not" else _PRECEDENCE["neg"]
    return _ATOM


def _wrap(node: Node, minimum: int) -> str:
    text = to_source(node)
    return f"({text})" if _precedence(node) < minimum else text


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _money_text(ore: int) -> str:
    sign = "-" if ore < 0 else ""
    whole, cents = divmod(abs(ore), 100)
    return f"{sign}{whole}.{cents:02d} kr" if cents else f"{sign}{whole} kr"


def to_source(node: Node) -> str:  # noqa: PLR0911  (one branch per node kind)
    """Render a tree as expression text that parses back to an equal tree.

    >>> from samskaping.payouts._expr_parse import parse_expression
    >>> to_source(parse_expression("(household.children>=1)and not(x)"))
    'household.children >= 1 and not x'
    """
    if isinstance(node, Number):
        return str(node.value)
    if isinstance(node, MoneyLit):
        return _money_text(node.ore)
    if isinstance(node, Text):
        return _quote(node.value)
    if isinstance(node, Bool):
        return "true" if node.value else "false"
    if isinstance(node, Name):
        return node.path
    if isinstance(node, Convert):
        return to_source(node.operand)
    if isinstance(node, ListLit):
        return "[" + ", ".join(to_source(item) for item in node.items) + "]"
    if isinstance(node, Call):
        return f"{node.func}(" + ", ".join(to_source(arg) for arg in node.args) + ")"
    if isinstance(node, Cond):
        test, then, otherwise = (to_source(n) for n in (node.test, node.then, node.otherwise))
        return f"if {test} then {then} else {otherwise}"
    if isinstance(node, Unary):
        if node.op == "not":
            return "not " + _wrap(node.operand, _PRECEDENCE["not"])
        # A unary operand that is itself unary is bracketed: "-(-x)", never "--x".
        inner = to_source(node.operand)
        if _precedence(node.operand) < _ATOM:
            inner = f"({inner})"
        return "-" + inner
    if isinstance(node, InOp):
        level = _PRECEDENCE["in"]
        keyword = "not in" if node.negated else "in"
        return f"{_wrap(node.item, level + 1)} {keyword} {_wrap(node.container, level + 1)}"
    level = _PRECEDENCE[node.op]
    if node.op in COMPARISONS:
        # Comparisons do not chain: both sides bind tighter.
        return f"{_wrap(node.left, level + 1)} {node.op} {_wrap(node.right, level + 1)}"
    # Left-associative: the right side needs brackets at the same level.
    return f"{_wrap(node.left, level)} {node.op} {_wrap(node.right, level + 1)}"
