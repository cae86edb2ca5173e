"""Shortcuts on the simulation path give exactly what the general path gives.

Shortcuts found by profiling the payout benchmarks (benchmarks/bench_engines.py and
bench_population.py): population columns of plain Python values skip cell-by-cell
conversion, an amount times a decimal literal is computed in whole numbers on the numpy
path, and a simulation's counts and summaries are built with C-level passes. On the
numpy path, columns of plain ints and bools are checked a whole column at once and
left to the cell-by-cell path at the first doubt, so both refuse the same cells.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from samskaping import InvalidInputError, Money
from samskaping.payouts import ValueType, loads_policy, read_population, simulate
from samskaping.payouts._expr_check import check_expression
from samskaping.payouts._expr_compile import Context, compile_expression
from samskaping.payouts._expr_ops import Undefined
from samskaping.payouts._expr_parse import parse_expression
from samskaping.payouts._expr_vector import VectorEnv, vcompile
from samskaping.payouts._population import Population
from samskaping.payouts._simulation import STATUSES, SimulationResult, TypeSummary, _median, _result
from samskaping.payouts._simulation_numpy import arrays, column_array

V = ValueType
DAY = datetime.date(2024, 6, 1)
AMOUNT = (
    "if household.attainment >= 50 and household.done then household.budget * 0.20"
    " else if household.attainment >= 40 then household.budget * 0.10 else 0 kr"
)
OUTCOME = loads_policy(
    """
schema_version = 1
id = "outcome"
name = "Outcome rule"
payment_type = "unconditional"
amount = "AMOUNT"

[[inputs]]
name = "household.budget"
type = "money"

[[inputs]]
name = "household.attainment"
type = "int"

[[inputs]]
name = "household.done"
type = "bool"

[[parameters]]
name = "rate"
type = "money"
values = [{ valid_from = 2020-01-01, value = 0 }]

[unconditional]
rate = "rate"
start = 2020-01-01
""".replace("AMOUNT", AMOUNT),
    "toml",
)
SCOPE = {"household.budget": V.MONEY}

rows = st.lists(
    st.tuples(
        st.integers(min_value=-(10**15), max_value=10**15),
        st.integers(min_value=0, max_value=100),
        st.booleans(),
    ),
    min_size=1,
    max_size=30,
)


def columns_of(records, *, as_text: bool) -> dict[str, list]:
    """The records as population columns, as plain values or as text cells."""
    convert = str if as_text else (lambda v: v)
    return {
        "budget": [convert(b) for b, _, _ in records],
        "attainment": [convert(a) for _, a, _ in records],
        "done": [str(d).lower() if as_text else d for _, _, d in records],
    }


class TestAlreadyTypedColumns:
    """Columns of plain ints and bools are read as the cell-by-cell path reads them."""

    @given(rows)
    @settings(max_examples=100)
    def test_same_as_text_cells(self, records):
        """Property: plain values and the same values as text simulate identically."""
        plain = simulate(OUTCOME, columns_of(records, as_text=False), DAY, engine="python")
        text = simulate(OUTCOME, columns_of(records, as_text=True), DAY, engine="python")
        assert text == plain

    @given(rows)
    @settings(max_examples=50)
    def test_numpy_arrays_same_as_text_cells(self, records):
        """Property: numpy arrays (int64 amounts and counts, bools) simulate as text does."""
        plain = columns_of(records, as_text=False)
        arrays = {name: np.array(values) for name, values in plain.items()}
        from_arrays = simulate(OUTCOME, arrays, DAY, engine="python")
        text = simulate(OUTCOME, columns_of(records, as_text=True), DAY, engine="python")
        assert text == from_arrays

    def test_whole_kroner_become_ore(self):
        """An amount column of ints is whole kroner: 1 600 becomes 160 000 øre."""
        population = read_population({"budget": [1600, 0]})
        assert (160_000, 0) == population.column("household.budget", V.MONEY, None)

    def test_amount_out_of_range_still_refused(self):
        """An int beyond the largest amount is refused as before, not turned into øre."""
        population = read_population({"budget": [10**16]})
        with pytest.raises(InvalidInputError):
            population.column("household.budget", V.MONEY, None)

    def test_bools_in_int_column_still_refused(self):
        """``True`` in a whole-number column is refused as before."""
        population = read_population({"attainment": [1, True]})
        with pytest.raises(InvalidInputError):
            population.column("household.attainment", V.INT, None)

    def test_missing_cells_take_the_default(self):
        """A ``None`` cell still takes the default on the cell-by-cell path."""
        population = read_population({"attainment": [3, None]})
        assert (3, 7) == population.column("household.attainment", V.INT, 7)


def literals() -> st.SearchStrategy[str]:
    """Decimal literals with 1-6 places, as the expression language writes them."""
    return st.builds(
        lambda whole, places, digits: f"{whole}.{str(digits).zfill(places)[:places]}",
        st.integers(min_value=0, max_value=10**6),
        st.integers(min_value=1, max_value=6),
        st.integers(min_value=0, max_value=999_999),
    )


class TestMoneyTimesLiteral:
    """``amount * 0.20`` on the numpy path equals the scalar path, row by row."""

    @given(
        literals(),
        st.booleans(),
        st.lists(st.integers(min_value=-(10**17), max_value=10**17), min_size=1, max_size=20),
    )
    @settings(max_examples=200)
    def test_vector_equals_scalar(self, literal, negative, amounts):
        """Property: values and undefined rows agree, for large and small amounts."""
        self.check_against_scalar(f"household.budget * {'-' if negative else ''}{literal}", amounts)

    @given(
        literals(),
        st.lists(
            st.one_of(
                st.integers(min_value=0, max_value=10**7),
                st.integers(min_value=0, max_value=10**17),
            ),
            min_size=1,
            max_size=20,
        ),
    )
    @settings(max_examples=200)
    def test_amounts_of_at_least_zero(self, literal, amounts):
        """Property: the shortcut for amounts of at least 0 agrees with the scalar path."""
        self.check_against_scalar(f"household.budget * {literal}", amounts)

    @staticmethod
    def check_against_scalar(text, amounts):
        """The expression over ``amounts`` on both paths: the same values and undefined rows."""
        tree = check_expression(parse_expression(text), SCOPE)
        scalar = compile_expression(tree)
        expected = []
        for ore in amounts:
            try:
                expected.append(scalar(Context({"household.budget": ore})))
            except Undefined:
                expected.append(None)
        env = VectorEnv(len(amounts), {"household.budget": (np.array(amounts), None)})
        values, mask = vcompile(tree)(env)
        actual = [
            None if mask is not None and mask[i] else int(values[i]) for i in range(len(amounts))
        ]
        assert expected == actual

    def test_rounds_half_away_from_zero(self):
        """0,05 kr × 0,5 is 0,03 kr and -0,05 kr × 0,5 is -0,03 kr, as Money rounds."""
        tree = check_expression(parse_expression("household.budget * 0.5"), SCOPE)
        env = VectorEnv(2, {"household.budget": (np.array([5, -5]), None)})
        values, _ = vcompile(tree)(env)
        assert [3, -3] == values.tolist()

    def test_outcome_rule_numpy_equals_python(self):
        """The benchmark's outcome rule gives the same simulation on both paths."""
        records = [
            (b, a, d)
            for b in (10_000, 12_345, 999_999)
            for a in (39, 40, 50)
            for d in (True, False)
        ]
        columns = columns_of(records, as_text=False)
        numpy_result = simulate(OUTCOME, columns, DAY, engine="numpy")
        python_result = simulate(OUTCOME, columns, DAY, engine="python")
        assert python_result == numpy_result
        assert Decimal("2469.00") in {a.amount for a in numpy_result.amounts}


def reference_result(policy, population, codes, amounts):
    """The simulation result as the first version of ``_result`` built it, row by row."""
    paid = {0, 1}
    groups: dict[str, list[int]] = {}
    for row, kind in enumerate(population.types()):
        groups.setdefault(kind, []).append(row)

    def count(selected):
        counts = [0] * len(STATUSES)
        for code in selected:
            counts[code] += 1
        return tuple((name, counts[i]) for i, name in enumerate(STATUSES) if counts[i])

    summaries = []
    for kind in sorted(groups):
        rows = groups[kind]
        reached = [amounts[r] for r in rows if codes[r] in paid]
        summaries.append(
            TypeSummary(
                type=kind,
                households=len(rows),
                reached=len(reached),
                total=Money.from_ore(sum(amounts[r] for r in rows)),
                minimum=Money.from_ore(min(reached)) if reached else None,
                median=Money.from_ore(_median(reached)) if reached else None,
                maximum=Money.from_ore(max(reached)) if reached else None,
                statuses=count(codes[r] for r in rows),
            )
        )
    return SimulationResult(
        policy_id=policy.id,
        as_of=DAY,
        households=population.size,
        reached=sum(1 for c in codes if c in paid),
        total=Money.from_ore(sum(amounts)),
        statuses=count(codes),
        by_type=tuple(summaries),
        status_codes=tuple(STATUSES[c] for c in codes),
        amounts_ore=tuple(amounts),
        pot_total=None if policy.pot is None else policy.pot.total,
    )


class TestResultSummaries:
    """Counting outcomes by type with list.count and compress gives the row-by-row result."""

    @given(
        st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=len(STATUSES) - 1),
                st.integers(min_value=0, max_value=10**9),
                st.sampled_from(["single_parent", "couple", "", "other"]),
            ),
            max_size=40,
        ),
        st.booleans(),
    )
    @settings(max_examples=150)
    def test_same_as_row_by_row(self, rows, one_type):
        """Property: totals, reach, statuses and per-type summaries agree, one type or many."""
        codes = [code for code, _, _ in rows]
        amounts = [amount for _, amount, _ in rows]
        types = ["couple" if one_type else kind for _, _, kind in rows]
        population = read_population({"type": types})
        expected = reference_result(OUTCOME, population, codes, amounts)
        actual = _result(OUTCOME, DAY, population, codes, amounts, engine="python")
        assert expected == actual


#: Cells a population column may hold: plain values of every type, and values past limits.
cells = st.one_of(
    st.integers(min_value=-(10**3), max_value=10**3),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([10**15, 10**15 + 1, -(10**15), 2**63 - 1, 2**63]),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 2.0, -1.0, "7", " 8 ", "", "x", None]),
)
#: Whole-number columns as numpy arrays of several integer types.
int_arrays = st.sampled_from([np.int8, np.int32, np.int64, np.uint32, np.uint64]).flatmap(
    lambda dtype: hnp.arrays(dtype, st.integers(min_value=0, max_value=8))
)
#: Inputs of each type, with and without field rules (``children``: 0 to 100, ...).
KINDS = [
    ("household.attainment", V.INT),
    ("household.children", V.INT),
    ("household.previous_requests", V.INT),
    ("household.budget", V.MONEY),
    ("household.received", V.MONEY),
    ("request.amount", V.MONEY),
    ("household.done", V.BOOL),
    ("household.disadvantaged", V.BOOL),
]


def cell_by_cell(column, name, kind):
    """The column as the cell-by-cell path gives it (as numpy), or the error it raises."""
    scope = SimpleNamespace(scope={name: kind})
    population = Population(size=len(column), columns={name: column})
    try:
        values = population.column(name, kind, None)
    except InvalidInputError as exc:
        return exc
    return arrays(scope, {name: values})[name]


class TestWholeColumnChecks:
    """A column checked at once with numpy passes exactly what the cell-by-cell path passes."""

    @given(st.lists(cells, max_size=8), st.sampled_from(KINDS))
    @settings(max_examples=300, deadline=None)
    def test_refuses_what_cells_refuse(self, column, named):
        """Property: the fast column is the cell-by-cell column, or it leaves the column to it."""
        name, kind = named
        fast = column_array(column, kind, name)
        slow = cell_by_cell(column, name, kind)
        if fast is not None:
            assert not isinstance(slow, Exception)
            values, mask = slow
            assert mask is None
            assert values.dtype == fast.dtype
            assert values.tolist() == fast.tolist()

    @given(
        st.one_of(int_arrays, st.lists(st.booleans(), max_size=8).map(np.array)),
        st.sampled_from(KINDS),
    )
    @settings(max_examples=200, deadline=None)
    def test_numpy_arrays_as_their_cells(self, column, named):
        """Property: a numpy array of integers or bools is read as its cells would be."""
        name, kind = named
        fast = column_array(column, kind, name)
        slow = cell_by_cell(column, name, kind)
        if fast is None:
            return
        assert not isinstance(slow, Exception)
        assert slow[0].dtype == fast.dtype
        assert slow[0].tolist() == fast.tolist()

    def test_plain_columns_take_the_fast_path(self):
        """Lists of ints and bools, and integer arrays, are read without the cell-by-cell path."""
        taken = [
            column_array([1, 2], V.INT, "household.attainment"),
            column_array([1600], V.MONEY, "household.budget"),
            column_array([True, False], V.BOOL, "household.done"),
            column_array(np.array([3], dtype=np.int32), V.INT, "household.children"),
        ]
        assert [[1, 2], [160_000], [True, False], [3]] == [a.tolist() for a in taken]

    @given(
        st.lists(st.tuples(cells, cells, cells), min_size=1, max_size=6),
        st.sampled_from(["budget", "attainment", "done"]),
    )
    @settings(max_examples=150, deadline=None)
    def test_engines_refuse_the_same_cell(self, rows, plain_column):
        """Property: both engines refuse the same row and column, or give the same result."""
        records = [(b, a, d) for b, a, d in rows]
        columns = {
            "budget": [b for b, _, _ in records],
            "attainment": [a for _, a, _ in records],
            "done": [d for _, _, d in records],
        }
        typical = {"budget": 1000, "attainment": 50, "done": True}[plain_column]
        columns[plain_column] = [typical] * len(records)  # one column always plain
        outcomes = []
        for engine in ("python", "numpy"):
            try:
                outcomes.append(simulate(OUTCOME, columns, DAY, engine=engine))
            except InvalidInputError as exc:
                outcomes.append(
                    (type(exc), getattr(exc, "row", None), getattr(exc, "column", None))
                )
        assert outcomes[0] == outcomes[1]

    @given(rows, st.booleans(), st.booleans())
    @settings(max_examples=60, deadline=None)
    def test_rows_and_summaries_same_on_both_engines(self, records, typed, as_arrays):
        """Property: rows, reasons, summaries and histograms agree between the engines."""
        columns = columns_of(records, as_text=False)
        if typed:
            columns["type"] = [["a", "b", "c"][b % 3] for b, _, _ in records]
        if as_arrays:
            columns = {name: np.array(values) for name, values in columns.items()}
        python = simulate(OUTCOME, columns, DAY, engine="python")
        vector = simulate(OUTCOME, columns, DAY, engine="numpy")
        assert python.to_records() == vector.to_records()
        assert python.reasons == vector.reasons
        assert python.by_type == vector.by_type
        assert [t.reasons for t in python.by_type] == [t.reasons for t in vector.by_type]
        histograms = [
            {kind: part.amounts for kind, part in r.tally.by_type.items()} for r in (python, vector)
        ]
        assert histograms[0] == histograms[1]
