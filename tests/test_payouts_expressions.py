"""The rule expression language: tokenizer, parser, type checker, closures, vectors."""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samskaping.payouts import ValueType
from samskaping.payouts._expr_ast import (
    Binary,
    MoneyLit,
    Name,
    Number,
    children,
    node_count,
    to_source,
)
from samskaping.payouts._expr_check import check_expression
from samskaping.payouts._expr_compile import Context, compile_expression
from samskaping.payouts._expr_ops import Undefined
from samskaping.payouts._expr_parse import (
    MAX_DEPTH,
    MAX_NODES,
    MAX_SOURCE,
    ExpressionError,
    parse_expression,
)
from samskaping.payouts._expr_vector import Column, VectorEnv, full, vcompile
from strategies import EXPR_PARAMS, EXPR_SCOPE, expr_envs, typed_trees

V = ValueType
SCOPE = EXPR_SCOPE
ENV = {
    "household.children": 4,
    "household.adults": 2,
    "household.disadvantaged": True,
    "household.need_weight": Decimal("1.5"),
    "household.type": "a",
    "request.amount": 1_000_000,
    **EXPR_PARAMS,
}


def run(text: str, env: dict[str, Any] | None = None) -> Any:
    """Parse, check and evaluate an expression with the standard test values."""
    tree = check_expression(parse_expression(text), SCOPE)
    return compile_expression(tree)(Context(dict(ENV if env is None else env)))


def error_of(text: str) -> str:
    """The message of the error parsing and checking ``text`` raises."""
    with pytest.raises(ExpressionError) as info:
        check_expression(parse_expression(text), SCOPE)
    return info.value.message


class TestParse:
    """Text becomes a tree; the tree renders back to equal text."""

    def test_and_binds_tighter_than_or(self) -> None:
        """``a or b and c`` groups as ``a or (b and c)``."""
        tree = parse_expression("true or false and false")
        assert isinstance(tree, Binary)
        assert isinstance(tree.right, Binary)
        expected = "or"
        assert expected == tree.op
        assert "and" == tree.right.op

    def test_product_binds_tighter_than_sum(self) -> None:
        """``1 + 2 * 3`` evaluates to 7."""
        assert 7 == run("1 + 2 * 3")

    def test_rendering_drops_needless_brackets(self) -> None:
        """Brackets that change nothing are not rendered."""
        expected = "household.children >= 1 and not household.disadvantaged"
        assert expected == to_source(
            parse_expression("((household.children)>=1) and (not household.disadvantaged)")
        )

    def test_rendering_keeps_needed_brackets(self) -> None:
        """Brackets that change the grouping are kept."""
        expected = "(1 + 2) * 3"
        assert expected == to_source(parse_expression("(1+2)*3"))

    def test_amount_literal(self) -> None:
        """``10000 kr`` is an amount of one million øre."""
        tree = parse_expression("10000 kr")
        assert isinstance(tree, MoneyLit)
        assert 1_000_000 == tree.ore

    def test_expression_may_span_lines(self) -> None:
        """Newlines are whitespace, so long rules can be wrapped in TOML."""
        assert parse_expression("household.children >= 1\n and household.disadvantaged") is not None

    @given(st.sampled_from([V.BOOL, V.INT, V.DECIMAL, V.MONEY, V.STR]).flatmap(typed_trees))
    @settings(max_examples=150)
    def test_rendered_tree_parses_back_equal(self, tree: Any) -> None:
        """Property: every tree renders to text that parses to an equal tree."""
        assert tree == parse_expression(to_source(tree))


class TestParseErrors:
    """Malformed or hostile text gives a clear ExpressionError, never a crash."""

    @pytest.mark.parametrize(
        ("text", "fragment"),
        [
            ("", "empty"),
            ("   ", "empty"),
            ("household.children =", "use '=='"),
            ("a && b", "use 'and'"),
            ("1 < 2 < 3", "do not chain"),
            ("foo(1)", "unknown function"),
            ("min(1,", "ends too early"),
            ('"unterminated', "text literal"),
            ("[]", "at least one item"),
            ("1 2", "after a complete expression"),
            ("household.if", "keyword"),
            ("12.345 kr", "two decimals"),
            ("1.1234567", "at most 6 decimals"),
            ("1" * 30, "digits"),
            ("9" * 17, "larger than"),
            ("x \x00", "U+0000"),
        ],
    )
    def test_message(self, text: str, fragment: str) -> None:
        """Each malformed text names what is wrong."""
        with pytest.raises(ExpressionError) as info:
            parse_expression(text)
        assert fragment in info.value.message

    def test_too_long(self) -> None:
        """Text over the length limit is refused before it is read."""
        with pytest.raises(ExpressionError, match="limit"):
            parse_expression("1+" * MAX_SOURCE + "1")

    def test_deep_brackets(self) -> None:
        """Deep nesting is refused at the depth limit, not by a RecursionError."""
        text = "(" * (MAX_DEPTH + 5) + "1" + ")" * (MAX_DEPTH + 5)
        with pytest.raises(ExpressionError, match="nested too deeply"):
            parse_expression(text)

    def test_deep_negations(self) -> None:
        """A long chain of 'not' is refused at the depth limit."""
        with pytest.raises(ExpressionError, match="nested too deeply"):
            parse_expression("not " * 100 + "true")

    def test_too_many_nodes(self) -> None:
        """An expression with more parts than the limit is refused."""
        text = " + ".join(["1"] * (MAX_NODES // 2 + 5))
        with pytest.raises(ExpressionError, match="parts"):
            parse_expression(text)

    def test_error_position(self) -> None:
        """The error points at the character where the problem is."""
        with pytest.raises(ExpressionError) as info:
            parse_expression("1 + $")
        assert 4 == info.value.pos


class TestCheck:
    """The type checker resolves names and types every node."""

    def test_unknown_name_suggests(self) -> None:
        """An unknown name is an error that suggests the closest known name."""
        expected = "unknown name 'household.childrn'; did you mean 'household.children'?"
        assert expected == error_of("household.childrn > 1")

    def test_number_next_to_amount_is_an_amount(self) -> None:
        """``request.amount >= 10000`` compares with 10 000 kr."""
        tree = check_expression(parse_expression("request.amount >= 10000"), SCOPE)
        assert isinstance(tree, Binary)
        assert isinstance(tree.right, MoneyLit)
        assert 1_000_000 == tree.right.ore

    def test_money_times_money(self) -> None:
        """An amount times an amount is a type error."""
        assert "multiplied by an amount" in error_of("request.amount * params.rate")

    def test_money_plus_whole_number_name(self) -> None:
        """An amount plus a whole-number input is a type error with a hint."""
        assert "write amounts with 'kr'" in error_of("request.amount + household.children")

    def test_not_needs_bool(self) -> None:
        """``not`` of a number is a type error."""
        assert "needs bool" in error_of("not household.children")

    def test_mixed_if_branches(self) -> None:
        """The branches of ``if`` must have one type."""
        assert "cannot mix" in error_of('if true then 1 else "a"')

    def test_order_of_text(self) -> None:
        """Texts can be compared for equality but not ordered."""
        assert "needs numbers" in error_of('household.type < "b"')

    def test_in_needs_list(self) -> None:
        """``in`` needs a list on the right."""
        assert "needs a list" in error_of('household.type in "abc"')

    def test_expected_type(self) -> None:
        """A rule that must give bool but gives an amount is an error."""
        with pytest.raises(ExpressionError, match="must give bool"):
            check_expression(parse_expression("request.amount"), SCOPE, expected=V.BOOL)

    def test_int_accepted_as_decimal(self) -> None:
        """An int expression is accepted where a decimal is expected."""
        tree = check_expression(parse_expression("household.children"), SCOPE, expected=V.DECIMAL)
        assert V.DECIMAL is tree.type

    def test_every_node_typed(self) -> None:
        """Every node of a checked tree has a type."""
        tree = check_expression(
            parse_expression("min(request.amount, 500) * household.children"), SCOPE
        )
        stack = [tree]
        untyped = []
        while stack:
            node = stack.pop()
            if node.type is None:
                untyped.append(node)
            stack.extend(children(node))
        assert [] == untyped

    @given(
        st.sampled_from([V.BOOL, V.INT, V.DECIMAL, V.MONEY, V.STR]).flatmap(
            lambda k: st.tuples(st.just(k), typed_trees(k))
        )
    )
    @settings(max_examples=100)
    def test_generated_trees_check(self, pair: tuple[ValueType, Any]) -> None:
        """Property: trees built to a type check to that type."""
        kind, tree = pair
        assert kind is check_expression(tree, SCOPE).type


class TestEvaluate:
    """Compiled closures compute exactly, in whole øre."""

    def test_money_times_count(self) -> None:
        """1 600 kr times 4 children is 6 400 kr (in øre)."""
        assert 640_000 == run("params.rate * household.children")

    def test_money_times_decimal_rounds_half_up(self) -> None:
        """0,05 kr times 0,5 rounds half away from zero to 0,03 kr."""
        assert 3 == run("0.05 kr * params.factor")

    def test_money_divided_rounds_half_up(self) -> None:
        """1 kr divided by 8 is 0,125 kr, rounded to 0,13 kr."""
        assert 13 == run("1 kr / 8")

    def test_negative_division_rounds_away_from_zero(self) -> None:
        """-1 kr divided by 8 is -0,13 kr."""
        assert -13 == run("-1 kr / 8")

    def test_int_division_is_decimal(self) -> None:
        """Whole numbers divide into an exact decimal."""
        assert Decimal("2.5") == run("5 / 2")

    def test_division_by_zero_is_undefined(self) -> None:
        """Dividing by zero raises Undefined, not ZeroDivisionError."""
        with pytest.raises(Undefined) as info:
            run("request.amount / (household.children - 4)")
        assert "division_by_zero" == info.value.why

    def test_out_of_range_is_undefined(self) -> None:
        """A product beyond 10^15 is undefined, not a huge number."""
        with pytest.raises(Undefined) as info:
            run("1000000000000000 * 1000")
        assert "out_of_range" == info.value.why

    def test_and_short_circuits(self) -> None:
        """``false and x`` does not evaluate ``x`` (no division by zero)."""
        assert False is run("household.children == 0 and 1 / (household.children - 4) > 0")

    def test_in_list(self) -> None:
        """``in`` finds a text in a parameter list."""
        assert True is run("household.type in params.kinds")

    def test_missing_input(self) -> None:
        """Reading an input the context lacks raises Undefined naming it."""
        with pytest.raises(Undefined) as info:
            run("household.children > 1", env={})
        assert "missing_input" == info.value.why
        assert "household.children" == info.value.name

    @given(
        st.sampled_from([V.BOOL, V.INT, V.DECIMAL, V.MONEY, V.STR]).flatmap(typed_trees), expr_envs
    )
    @settings(max_examples=150)
    def test_only_undefined_escapes(self, tree: Any, env: dict[str, Any]) -> None:
        """Property: evaluation gives a value or raises Undefined, nothing else."""
        function = compile_expression(check_expression(tree, SCOPE))
        with contextlib.suppress(Undefined):
            function(Context({**env, **EXPR_PARAMS}))


class TestVector:
    """The numpy path gives exactly the scalar path's values and undefined rows."""

    @given(
        st.sampled_from([V.BOOL, V.INT, V.DECIMAL, V.MONEY, V.STR]).flatmap(typed_trees),
        st.lists(expr_envs, min_size=1, max_size=12),
    )
    @settings(max_examples=150)
    def test_vector_equals_scalar(self, tree: Any, rows: list[Any]) -> None:
        """Property: row by row, values and undefined rows agree."""
        checked = check_expression(tree, SCOPE)
        scalar = compile_expression(checked)
        expected = []
        for row in rows:
            try:
                expected.append(("ok", scalar(Context({**row, **EXPR_PARAMS}))))
            except Undefined:
                expected.append(("undefined", None))
        columns: dict[str, Column] = {}
        for name, kind in SCOPE.items():
            if name in EXPR_PARAMS:
                value = EXPR_PARAMS[name]
                columns[name] = (
                    value if isinstance(value, frozenset) else full(len(rows), value, kind),
                    None,
                )
            else:
                values = [row[name] for row in rows]
                dtype = (
                    np.int64
                    if kind in {V.INT, V.MONEY}
                    else (np.bool_ if kind is V.BOOL else object)
                )
                array = (
                    np.empty(len(rows), dtype=object)
                    if dtype is object
                    else np.array(values, dtype=dtype)
                )
                if dtype is object:
                    array[:] = values
                columns[name] = (array, None)
        values, mask = vcompile(checked)(VectorEnv(len(rows), columns))
        actual = []
        for i in range(len(rows)):
            if mask is not None and mask[i]:
                actual.append(("undefined", None))
            else:
                value = values[i]
                actual.append(("ok", value.item() if hasattr(value, "item") else value))
        assert expected == actual


def test_node_count_counts_every_node() -> None:
    """``node_count`` counts leaves and operators."""
    assert 3 == node_count(parse_expression("a + b"))


def test_name_and_number_nodes_compare_by_value() -> None:
    """Positions do not take part in equality."""
    assert Name(path="a", pos=1) == Name(path="a", pos=9)
    assert Number(value=1, pos=0) == Number(value=1, pos=5)


def test_if_cannot_choose_lists() -> None:
    """``if`` cannot choose between lists (the vectorised path could not follow it)."""
    assert "cannot choose between lists" in error_of(
        'household.type in (if true then ["a"] else ["b"])'
    )
