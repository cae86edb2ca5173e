"""Population simulation: the pure-Python and numpy paths, inputs, summaries."""

from __future__ import annotations

import datetime
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samskaping import InvalidInputError, Money
from samskaping.model import Pot
from samskaping.payouts import (
    Household,
    Request,
    ValueType,
    builtin_policy,
    check_policy,
    compare,
    evaluate,
    read_population,
    simulate,
)
from strategies import policies

DAY = datetime.date(2022, 3, 1)
FLY = builtin_policy("flyktningfamilien")
PEB = builtin_policy("pa_egne_ben")
#: The column of CSV that Flyktningfamilien does not read, kept for the record.
KEPT = ("adults",)
CSV = """id,type,children,adults,in_cohort
a,single_parent,4,1,true
b,couple,6,2,true
c,couple,2,2,false
d,single_parent,0,1,true
"""


@pytest.fixture
def csv_path(tmp_path: Path) -> Path:
    """A small population as a CSV file."""
    path = tmp_path / "population.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


class TestInputs:
    """Populations come as CSV, mappings of columns, or tables."""

    def test_csv(self, csv_path: Path) -> None:
        """A CSV population gives per-household amounts in input order."""
        result = simulate(FLY, csv_path, DAY, passthrough=KEPT)
        assert (Money(6400), Money(9600), Money(0), Money(0)) == result.amounts

    def test_mapping(self) -> None:
        """A mapping of columns works like a CSV file."""
        result = simulate(FLY, {"children": [4], "in_cohort": [True]}, DAY)
        assert Money(6400) == result.total

    def test_pandas(self, csv_path: Path) -> None:
        """A pandas DataFrame works like a CSV file."""
        frame = pd.read_csv(csv_path, dtype=str)
        assert simulate(FLY, csv_path, DAY, passthrough=KEPT) == simulate(
            FLY, frame, DAY, passthrough=KEPT
        )

    def test_pyarrow(self) -> None:
        """A pyarrow Table works like a CSV file (when pyarrow is installed)."""
        pa = pytest.importorskip("pyarrow")
        table = pa.table({"children": [4, 6], "in_cohort": [True, True]})
        assert Money(16000) == simulate(FLY, table, DAY).total

    def test_numpy_columns(self) -> None:
        """Columns given as numpy arrays give the same result as lists."""
        import numpy as np

        lists = {"children": [4, 0, 2], "in_cohort": [True, True, False]}
        arrays = {name: np.array(values) for name, values in lists.items()}
        assert simulate(FLY, lists, DAY) == simulate(FLY, arrays, DAY)

    def test_persons(self, csv_path: Path) -> None:
        """A persons table replaces the households' counts of children."""
        persons = {"household": ["a", "a", "b"], "role": ["child", "child", "adult"]}
        result = simulate(FLY, csv_path, DAY, persons=persons)
        assert Money(3200) == result.amounts[0]

    def test_missing_column(self) -> None:
        """A declared input without a default and without a column is an error naming it."""
        with pytest.raises(InvalidInputError, match=r"household\.in_cohort"):
            simulate(FLY, {"children": [1]}, DAY)

    def test_float_amounts_refused(self) -> None:
        """Floating-point amounts are refused, naming the column and row."""
        population = {
            "youth_age": [19],
            "in_contact_with_services": [True],
            "request.amount": [12.5],
            "request.purpose": ["holiday"],
        }
        with pytest.raises(InvalidInputError, match=r"row 1, column 'request.amount'"):
            simulate(PEB, population, DAY)

    def test_bad_cell_does_not_echo_value(self) -> None:
        """An error about a cell names its column and row, not its content."""
        with pytest.raises(InvalidInputError) as info:
            simulate(FLY, {"children": ["Ola Nordmann"], "in_cohort": ["true"]}, DAY)
        assert "Nordmann" not in str(info.value)

    def test_collective_refused(self) -> None:
        """A collective policy cannot be simulated over households."""
        with pytest.raises(InvalidInputError):
            simulate(builtin_policy("stodig_start"), {"children": [1]}, DAY)


class TestResults:
    """Totals, reach and distributions by household type."""

    def test_reach_and_total(self, csv_path: Path) -> None:
        """Two of four households are reached, for 16 000 kr."""
        result = simulate(FLY, csv_path, DAY, passthrough=KEPT)
        assert 2 == result.reached
        assert Money(16000) == result.total

    def test_by_type(self, csv_path: Path) -> None:
        """Each household type gets its own summary."""
        summary = {t.type: t for t in simulate(FLY, csv_path, DAY, passthrough=KEPT).by_type}
        single = summary["single_parent"]
        assert 2 == single.households
        assert 1 == single.reached
        assert Money(6400) == single.total
        assert Money(6400) == single.median

    def test_within_pot(self, csv_path: Path) -> None:
        """The result says whether the total fits the policy's own pot."""
        assert simulate(FLY, csv_path, DAY, passthrough=KEPT).within_pot is True

    def test_compare(self, csv_path: Path) -> None:
        """Several policies run side by side on one population."""
        rate = builtin_policy("flyktningfamilien")
        comparison = compare([rate, rate], csv_path, DAY, passthrough=KEPT)
        assert comparison.results[0] == comparison.results[1]

    def test_json_has_no_references(self, csv_path: Path) -> None:
        """The JSON of a simulation holds no household references."""
        data = simulate(FLY, csv_path, DAY, passthrough=KEPT).to_dict(households=True)
        assert 1 == data["schema_version"]
        assert "'a'" not in str(data["household_outcomes"])

    def test_agrees_with_evaluate(self, csv_path: Path) -> None:
        """Each simulated amount equals the single decision for that household."""
        result = simulate(FLY, csv_path, DAY, passthrough=KEPT)
        pot = Pot(id="p", total=Money(10**9))
        rows = [("a", 4, True), ("b", 6, True), ("c", 2, False), ("d", 0, True)]
        singles = tuple(
            evaluate(
                FLY,
                Request(id=r, household=Household(ref=r, children=c, attributes={"in_cohort": k})),
                pot,
                DAY,
            )[0].amount
            for r, c, k in rows
        )
        assert singles == result.amounts


class TestProgress:
    """Progress goes to standard error only on a terminal."""

    def test_silent_when_not_a_terminal(
        self, csv_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without a terminal nothing is written to standard error."""
        simulate(FLY, csv_path, DAY, passthrough=KEPT)
        assert "" == capsys.readouterr().err

    def test_shown_when_asked(self, csv_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """With progress=True the count of households is written to standard error."""
        simulate(FLY, csv_path, DAY, progress=True, passthrough=KEPT)
        assert "4 / 4" in capsys.readouterr().err

    def test_shown_on_terminal(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A large run on a terminal shows progress without being asked."""
        monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
        simulate(
            FLY, {"children": [1] * 100_000, "in_cohort": [True] * 100_000}, DAY, engine="numpy"
        )
        assert "100,000 / 100,000" in capsys.readouterr().err


_rows = st.fixed_dictionaries(
    {
        "household.children": st.integers(0, 8),
        "household.adults": st.integers(0, 3),
        "household.disadvantaged": st.booleans(),
        "household.need_weight": st.decimals(min_value=0, max_value=5, places=2).map(str),
        "household.type": st.sampled_from(["a", "b", ""]),
        "household.flagged": st.sampled_from(["true", "false", ""]),
        "request.amount": st.one_of(st.integers(0, 10**7), st.integers(0, 10**15)).map(
            lambda o: str(Money.from_ore(o).amount)
        ),
        "request.purpose": st.sampled_from(["alpha", "beta", "gamma", "other", ""]),
    }
)


class TestEngines:
    """The pure-Python and vectorised paths give identical results."""

    @given(
        policies(),
        st.lists(_rows, min_size=1, max_size=25),
        st.dates(datetime.date(2019, 6, 1), datetime.date(2031, 1, 1)),
    )
    @settings(max_examples=120)
    def test_scalar_equals_vector(self, policy: Any, rows: list[Any], day: datetime.date) -> None:
        """Property: for any valid policy and population, both paths agree exactly."""
        checked = check_policy(policy)
        columns = {name: [row[name] for row in rows] for name in rows[0]}
        python = simulate(checked, columns, day, engine="python", passthrough=columns)
        vector = simulate(checked, columns, day, engine="numpy", passthrough=columns)
        assert python == vector
        assert "python" == python.engine
        assert "numpy" == vector.engine

    @given(st.lists(st.tuples(st.integers(0, 8), st.booleans()), min_size=1, max_size=40))
    @settings(max_examples=60)
    def test_builtin_unconditional(self, rows: list[Any]) -> None:
        """Property: both paths agree on Flyktningfamilien."""
        columns = {"children": [c for c, _ in rows], "in_cohort": [k for _, k in rows]}
        assert simulate(FLY, columns, DAY, engine="python") == simulate(
            FLY, columns, DAY, engine="numpy"
        )


class TestLazyImports:
    """numpy and pandas are imported only when used."""

    def test_import_does_not_load_numpy(self) -> None:
        """Importing the payout engine loads no numpy, pandas, babel, tomllib or dateutil."""
        code = (
            "import sys, samskaping.payouts; "
            "print(sorted(m for m in ('numpy', 'pandas', 'pyarrow', 'babel', 'tomllib', 'dateutil')"
            " if m in sys.modules))"
        )
        out = subprocess.run(  # noqa: S603  (runs this interpreter on fixed code)
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert "[]" == out.stdout.strip()


def test_read_population_keeps_size() -> None:
    """A read population knows its size and hides its references."""
    population = read_population({"id": ["x", "y"], "children": [1, 2]})
    assert 2 == population.size
    assert "'x'" not in repr(population)


def test_decimal_column() -> None:
    """Decimal cells are read exactly."""
    population = read_population({"need_weight": ["1.25"]})
    assert (Decimal("1.25"),) == population.column(
        "household.need_weight", ValueType.DECIMAL, Decimal(1)
    )
