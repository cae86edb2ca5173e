"""Tokenizer and recursive-descent parser of the rule expression language.

The grammar, loosest binding first::

    expr       := "if" expr "then" expr "else" expr | or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := sum [("==" | "!=" | "<" | "<=" | ">" | ">=") sum]
                | sum ["not"] "in" sum
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/") unary)*
    unary      := "-" unary | primary
    primary    := NUMBER ["kr"] | STRING | "true" | "false" | NAME
                | FUNC "(" expr ("," expr)* ")" | "(" expr ")" | "[" expr ("," expr)* "]"

Comparisons do not chain (``a < b < c`` is an error: write ``a < b and b < c``).
Nothing here evaluates text: the parser only builds a tree. Limits on length,
nesting, size and numbers keep hostile input from exhausting memory or the stack.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Final, Literal, cast

import attrs

from samskaping.payouts._expr_ast import (
    COMPARISONS,
    FUNCTIONS,
    KEYWORDS,
    Binary,
    BinaryOp,
    Bool,
    Call,
    Cond,
    InOp,
    ListLit,
    MoneyLit,
    Name,
    Node,
    Number,
    Text,
    Unary,
    node_count,
    node_depth,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_LITERAL",
    "MAX_LITERAL_PLACES",
    "MAX_NODES",
    "MAX_SOURCE",
    "ExpressionError",
    "parse_expression",
]

#: The longest expression text accepted, in characters.
MAX_SOURCE: Final = 1000
#: The most nodes one expression may have.
MAX_NODES: Final = 200
#: The deepest nesting of one expression's tree.
MAX_DEPTH: Final = 32
#: The largest absolute value of a number literal (the library's largest amount).
MAX_LITERAL: Final = Decimal(10) ** 15
#: The most decimals a number literal may have (two for an amount in kr).
MAX_LITERAL_PLACES: Final = 6
_MAX_DIGITS: Final = 24


class ExpressionError(Exception):
    """An expression could not be parsed or type-checked.

    Attributes:
        message: What is wrong, in English.
        pos: The position (from 0) in the text where the problem is.
    """

    def __init__(self, message: str, pos: int = 0) -> None:
        self.message = message
        self.pos = pos
        super().__init__(message, pos)

    def __str__(self) -> str:
        return f"{self.message} (at character {self.pos + 1})"


@attrs.frozen
class _Token:
    kind: Literal["num", "str", "name", "op", "end"]
    text: str
    pos: int


_TOKEN: Final = re.compile(
    r"""
    (?P<space>[ \t\r\n]+)
  | (?P<num>[0-9][0-9_]*(?:\.[0-9]+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
  | (?P<op>==|!=|<=|>=|[-+*/()<>\[\],])
  | (?P<str>"(?:[^"\\\x00-\x1f]|\\["\\])*"|'(?:[^'\\\x00-\x1f]|\\['\\])*')
    """,
    re.VERBOSE,
)
_HINTS: Final = {
    "=": "use '==' to compare",
    "&": "use 'and'",
    "|": "use 'or'",
    "!": "use 'not' or '!='",
    "%": "'%' is not an operator; write a decimal such as 0.2",
}


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            char = text[pos]
            hint = _HINTS.get(char)
            if char in "\"'":
                raise ExpressionError("unterminated or invalid text literal", pos)
            shown = repr(char) if char.isprintable() else f"U+{ord(char):04X}"
            raise ExpressionError(
                f"unexpected character {shown}" + (f"; {hint}" if hint else ""), pos
            )
        kind = match.lastgroup
        if kind != "space":
            tokens.append(
                _Token(cast("Literal['num', 'str', 'name', 'op']", kind), match.group(), pos)
            )
        pos = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


def _unquote(text: str) -> str:
    body = text[1:-1]
    return re.sub(r"\\(.)", r"\1", body)


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.index = 0
        self.depth = 0

    # --- token helpers ---

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def _is(self, text: str) -> bool:
        token = self.current
        return token.kind in {"op", "name"} and token.text == text

    def _advance(self) -> _Token:
        token = self.current
        self.index += 1
        return token

    def _expect(self, text: str) -> _Token:
        if not self._is(text):
            raise ExpressionError(f"expected '{text}', found {self._describe()}", self.current.pos)
        return self._advance()

    def _describe(self) -> str:
        token = self.current
        if token.kind == "end":
            return "the end of the expression"
        return repr(token.text[:20])

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(
                f"the expression is nested too deeply (more than {MAX_DEPTH} levels)",
                self.current.pos,
            )

    def _leave(self) -> None:
        self.depth -= 1

    # --- grammar ---

    def parse(self) -> Node:
        node = self.expr()
        if self.current.kind != "end":
            token = self.current
            raise ExpressionError(
                f"unexpected {self._describe()} after a complete expression", token.pos
            )
        return node

    def expr(self) -> Node:
        self._enter()
        try:
            if self._is("if"):
                start = self._advance().pos
                test = self.expr()
                self._expect("then")
                then = self.expr()
                self._expect("else")
                otherwise = self.expr()
                return Cond(test=test, then=then, otherwise=otherwise, pos=start)
            return self.or_()
        finally:
            self._leave()

    def or_(self) -> Node:
        node = self.and_()
        while self._is("or"):
            pos = self._advance().pos
            node = Binary(op="or", left=node, right=self.and_(), pos=pos)
        return node

    def and_(self) -> Node:
        node = self.not_()
        while self._is("and"):
            pos = self._advance().pos
            node = Binary(op="and", left=node, right=self.not_(), pos=pos)
        return node

    def not_(self) -> Node:
        if self._is("not"):
            pos = self._advance().pos
            self._enter()
            try:
                return Unary(op="not", operand=self.not_(), pos=pos)
            finally:
                self._leave()
        return self.comparison()

    def comparison(self) -> Node:
        left = self.sum_()
        token = self.current
        if token.kind == "op" and token.text in COMPARISONS:
            self._advance()
            node: Node = Binary(
                op=cast("BinaryOp", token.text), left=left, right=self.sum_(), pos=token.pos
            )
        elif self._is("in") or (self._is("not") and self._peek_is("in")):
            negated = self._is("not")
            if negated:
                self._advance()
            self._advance()
            node = InOp(item=left, container=self.sum_(), negated=negated, pos=token.pos)
        else:
            return left
        after = self.current
        if (after.kind == "op" and after.text in COMPARISONS) or self._is("in"):
            raise ExpressionError("comparisons do not chain; join them with 'and'", after.pos)
        return node

    def _peek_is(self, text: str) -> bool:
        following = self.tokens[self.index + 1]
        return following.kind == "name" and following.text == text

    def sum_(self) -> Node:
        node = self.product()
        while self.current.kind == "op" and self.current.text in {"+", "-"}:
            token = self._advance()
            node = Binary(
                op=cast("BinaryOp", token.text), left=node, right=self.product(), pos=token.pos
            )
        return node

    def product(self) -> Node:
        node = self.unary()
        while self.current.kind == "op" and self.current.text in {"*", "/"}:
            token = self._advance()
            node = Binary(
                op=cast("BinaryOp", token.text), left=node, right=self.unary(), pos=token.pos
            )
        return node

    def unary(self) -> Node:
        if self.current.kind == "op" and self.current.text == "-":
            pos = self._advance().pos
            self._enter()
            try:
                return Unary(op="-", operand=self.unary(), pos=pos)
            finally:
                self._leave()
        return self.primary()

    def primary(self) -> Node:
        token = self.current
        if token.kind == "num":
            self._advance()
            return self._number(token)
        if token.kind == "str":
            self._advance()
            return Text(value=_unquote(token.text), pos=token.pos)
        if token.kind == "op" and token.text == "(":
            self._advance()
            node = self.expr()
            self._expect(")")
            return node
        if token.kind == "op" and token.text == "[":
            self._advance()
            items = self._sequence("]")
            if not items:
                raise ExpressionError("a list needs at least one item", token.pos)
            return ListLit(items=items, pos=token.pos)
        if token.kind == "name":
            return self._name(token)
        if token.kind == "end":
            raise ExpressionError("the expression ends too early", token.pos)
        raise ExpressionError(f"unexpected {self._describe()}", token.pos)

    def _name(self, token: _Token) -> Node:
        self._advance()
        text = token.text
        if text in {"true", "false"}:
            return Bool(value=text == "true", pos=token.pos)
        if text in FUNCTIONS and self._is("("):
            self._advance()
            args = self._sequence(")")
            return Call(func=cast("Literal['min', 'max', 'abs']", text), args=args, pos=token.pos)
        if self._is("("):
            raise ExpressionError(
                f"unknown function {text!r}; the functions are abs, max and min", token.pos
            )
        if text in KEYWORDS:
            raise ExpressionError(f"unexpected keyword {text!r}", token.pos)
        for part in text.split("."):
            if part in KEYWORDS:
                raise ExpressionError(f"the keyword {part!r} cannot be part of a name", token.pos)
        return Name(path=text, pos=token.pos)

    def _sequence(self, closing: str) -> tuple[Node, ...]:
        items: list[Node] = []
        if self._is(closing):
            self._advance()
            return ()
        while True:
            items.append(self.expr())
            if self._is(","):
                self._advance()
                continue
            self._expect(closing)
            return tuple(items)

    def _number(self, token: _Token) -> Node:
        text = token.text.replace("_", "")
        if len(text) > _MAX_DIGITS:
            raise ExpressionError(f"the number has more than {_MAX_DIGITS} digits", token.pos)
        try:
            value = Decimal(text)
        except InvalidOperation:  # pragma: no cover  (the pattern admits only digits)
            raise ExpressionError("not a number", token.pos) from None
        if abs(value) > MAX_LITERAL:
            raise ExpressionError(
                f"the number is larger than {MAX_LITERAL:,} in absolute value", token.pos
            )
        exponent = value.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and "." in text else 0
        if self._is("kr"):
            self._advance()
            if places > 2:  # noqa: PLR2004  (whole øre)
                raise ExpressionError("an amount in kr has at most two decimals (øre)", token.pos)
            return MoneyLit(ore=int(value.scaleb(2)), pos=token.pos)
        if places > MAX_LITERAL_PLACES:
            raise ExpressionError(f"a number has at most {MAX_LITERAL_PLACES} decimals", token.pos)
        if "." in text:
            return Number(value=value, pos=token.pos)
        return Number(value=int(text), pos=token.pos)


def parse_expression(text: str) -> Node:
    """Parse expression text into a syntax tree (not yet type-checked).

    >>> parse_expression("household.children >= 1")
    Binary(op='>=', left=Name(path='household.children'), right=Number(value=1))

    Raises:
        ExpressionError: If the text is empty, too long, nested too deeply, too large,
            or not a well-formed expression.
    """
    if not isinstance(text, str):
        raise ExpressionError("expected the expression as text")
    if len(text) > MAX_SOURCE:
        raise ExpressionError(
            f"the expression has {len(text):,} characters; the limit is {MAX_SOURCE:,}"
        )
    if not text.strip():
        raise ExpressionError("the expression is empty")
    node = _Parser(text).parse()
    if node_count(node) > MAX_NODES:
        raise ExpressionError(f"the expression has more than {MAX_NODES} parts")
    if node_depth(node) > MAX_DEPTH:
        raise ExpressionError(f"the expression is nested too deeply (more than {MAX_DEPTH} levels)")
    return node
