"""The population path keeps the field rules of households and requests, on every input path."""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest

from samskaping import InvalidInputError, Money, SamskapingError
from samskaping.payouts import (
    PopulationError,
    UnreadColumnsWarning,
    builtin_policy,
    compare,
    read_population,
    simulate,
)

DAY = datetime.date(2022, 3, 1)
AUGUST = datetime.date(2022, 8, 1)
FLY = builtin_policy("flyktningfamilien")
FRITID = builtin_policy("fritid_for_alle")
ENGINES = ("python", "numpy")


def _fritid(**changes: list[Any]) -> dict[str, list[Any]]:
    """Two households under Fritid for alle, with some columns changed."""
    columns: dict[str, list[Any]] = {
        "children": [2, 2],
        "long_term_social_assistance": [True, True],
        "request.amount": [10_000, 10_000],
        "request.purpose": ["leisure_activities", "leisure_activities"],
        "received": [0, 0],
    }
    columns.update(changes)
    return columns


def _forms(columns: dict[str, list[Any]], tmp_path: Path) -> list[Any]:
    """The same population as a mapping, a CSV file, a pandas and a pyarrow table."""
    csv = tmp_path / "population.csv"
    header = ",".join(columns)
    rows = [
        ",".join(str(c[i]) for c in columns.values())
        for i in range(len(next(iter(columns.values()))))
    ]
    csv.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return [columns, csv, pd.DataFrame(columns), pa.table(columns)]


class TestFieldRules:
    """A cell outside the rules of its input is refused with its row and column."""

    @pytest.mark.parametrize("engine", ENGINES)
    def test_negative_amount_refused_on_every_path(self, engine: str, tmp_path: Path) -> None:
        """A negative request.amount is refused (was granted, making the total negative)."""
        for source in _forms(_fritid(**{"request.amount": [10_000, -5_000]}), tmp_path):
            with pytest.raises(PopulationError, match=r"row 2, column 'request.amount'"):
                simulate(FRITID, source, AUGUST, engine=engine)  # type: ignore[arg-type]

    @pytest.mark.parametrize("engine", ENGINES)
    def test_negative_received_refused(self, engine: str, tmp_path: Path) -> None:
        """A negative received amount is refused (it lifted the per-household cap)."""
        for source in _forms(_fritid(received=[0, -400_000]), tmp_path):
            with pytest.raises(PopulationError, match=r"row 2, column 'household.received'"):
                simulate(FRITID, source, AUGUST, engine=engine)  # type: ignore[arg-type]

    @pytest.mark.parametrize("engine", ENGINES)
    def test_negative_children_refused(self, engine: str, tmp_path: Path) -> None:
        """Negative children are refused, not silently accepted."""
        columns = {"children": [3, -2], "in_cohort": [True, True]}
        for source in _forms(columns, tmp_path):
            with pytest.raises(PopulationError, match=r"row 2, column 'household.children'"):
                simulate(FLY, source, DAY, engine=engine)  # type: ignore[arg-type]

    def test_fractional_children_refused(self) -> None:
        """A fractional count of children is refused."""
        with pytest.raises(PopulationError, match=r"whole number"):
            simulate(FLY, {"children": [1, 1.5], "in_cohort": [True, True]}, DAY)

    def test_too_many_children_refused(self) -> None:
        """More children than a Household may have is refused, as Household refuses it."""
        with pytest.raises(PopulationError, match=r"from 0 to 100"):
            simulate(FLY, {"children": [101], "in_cohort": [True]}, DAY)

    @pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
    def test_nan_and_infinity_refused(self, bad: float) -> None:
        """NaN and infinity in a mapping are refused, not read as missing."""
        with pytest.raises(PopulationError, match=r"NaN"):
            simulate(FLY, {"children": [1, bad], "in_cohort": [True, True]}, DAY)

    def test_need_weight_nan_text_refused(self) -> None:
        """A need weight of 'NaN' in a CSV cell is refused."""
        with pytest.raises(PopulationError, match=r"column 'household.need_weight'"):
            read_population({"need_weight": ["1", "NaN"]})

    def test_negative_need_weight_refused(self) -> None:
        """A negative need weight is refused, as Household refuses it."""
        with pytest.raises(PopulationError, match=r"row 1"):
            read_population({"need_weight": ["-1"]})

    def test_read_population_checks_standard_columns(self) -> None:
        """read_population refuses a bad standard cell at once, before any simulation."""
        with pytest.raises(PopulationError) as info:
            read_population({"request.amount": ["100", "-1"]})
        assert 2 == info.value.row
        assert "request.amount" == info.value.column

    def test_error_is_in_the_hierarchy(self) -> None:
        """PopulationError is an InvalidInputError and a SamskapingError and a ValueError."""
        assert issubclass(PopulationError, InvalidInputError)
        assert issubclass(PopulationError, SamskapingError)
        assert issubclass(PopulationError, ValueError)

    def test_error_hides_the_value(self) -> None:
        """The error names the cell, never its content."""
        with pytest.raises(PopulationError) as info:
            simulate(FLY, {"children": ["01017012345"], "in_cohort": [True]}, DAY)
        assert "01017012345" not in str(info.value)

    def test_pandas_missing_is_an_empty_cell(self) -> None:
        """In a pandas table NaN is a missing value, which takes the default."""
        frame = pd.DataFrame({"children": [4, None], "in_cohort": [True, True]})
        assert Money(6400) == simulate(FLY, frame, DAY).total

    def test_sum_past_the_money_limit(self) -> None:
        """A total past the largest amount is a clean error, never an overflow."""
        columns = {"request.amount": ["900000000000000"] * 20}
        for engine in ENGINES:
            with pytest.raises(InvalidInputError, match=r"largest amount"):
                simulate(_uncapped(), columns, AUGUST, engine=engine)  # type: ignore[arg-type]

    def test_persons_join_checks_the_counts(self) -> None:
        """Children counted from a persons table obey the same limit."""
        persons = {"household": ["a"] * 101, "role": ["child"] * 101}
        with pytest.raises(PopulationError, match=r"household.children"):
            simulate(FLY, {"id": ["a"], "in_cohort": [True]}, DAY, persons=persons)


def _uncapped() -> Any:
    from samskaping.payouts import loads_policy

    return loads_policy(
        """
id = "uncapped"
name = "Uncapped"
version = "1"
payment_type = "conditional"
amount = "request.amount"
""",
        "toml",
    )


class TestColumns:
    """Columns the policy does not read are refused, or kept by name."""

    def test_unread_column_refused_with_suggestion(self) -> None:
        """'amount' for 'request.amount' is an error that suggests the input (was: all rejected)."""
        columns = _fritid()
        columns["amount"] = columns.pop("request.amount")
        with pytest.raises(PopulationError, match=r"did you mean 'request.amount'") as info:
            simulate(FRITID, columns, AUGUST)
        assert "amount" == info.value.column
        assert "request.amount" == info.value.suggestion

    def test_misspelt_input_suggested(self) -> None:
        """A misspelt declared input suggests the input the policy reads."""
        with pytest.raises(PopulationError, match=r"did you mean 'household.in_cohort'"):
            simulate(FLY, {"children": [1], "in_cohrot": [True]}, DAY)

    def test_not_strict_warns(self) -> None:
        """strict=False lets an unread column through with a warning."""
        columns = {"children": [1], "in_cohort": [True], "region": ["Heimdal"]}
        with pytest.warns(UnreadColumnsWarning, match=r"region"):
            result = simulate(FLY, columns, DAY, strict=False)
        assert Money(1600) == result.total

    def test_passthrough_keeps_a_column(self) -> None:
        """A column named in passthrough is allowed without being read."""
        columns = {"children": [1], "in_cohort": [True], "region": ["Heimdal"]}
        assert Money(1600) == simulate(FLY, columns, DAY, passthrough=("region",)).total

    def test_passthrough_with_prefix(self) -> None:
        """A passthrough name may carry the household prefix."""
        columns = {"children": [1], "in_cohort": [True], "region": ["Heimdal"]}
        assert Money(1600) == simulate(FLY, columns, DAY, passthrough={"household.region"}).total

    def test_passthrough_cells_not_checked(self) -> None:
        """A passed-through column is not read, so its cells are not checked."""
        columns = {"children": [1], "in_cohort": [True], "note": [float("nan")]}
        assert Money(1600) == simulate(FLY, columns, DAY, passthrough=["note"]).total

    def test_passthrough_one_string_refused(self) -> None:
        """A single string is not a collection of names (it would be its letters)."""
        with pytest.raises(InvalidInputError, match=r"collection of column names"):
            simulate(FLY, {"children": [1], "in_cohort": [True]}, DAY, passthrough="region")

    def test_id_and_type_always_allowed(self) -> None:
        """The id and type columns need no passthrough."""
        columns = {"id": ["a"], "type": ["couple"], "children": [1], "in_cohort": [True]}
        assert Money(1600) == simulate(FLY, columns, DAY).total

    def test_compare_allows_what_any_policy_reads(self) -> None:
        """In a comparison a column read by one of the policies is allowed."""
        columns = _fritid(in_cohort=[True, True])
        comparison = compare([FLY, FRITID], columns, AUGUST)
        assert 2 == len(comparison.results)

    def test_compare_refuses_what_no_policy_reads(self) -> None:
        """In a comparison a column no policy reads is refused."""
        columns = _fritid(in_cohort=[True, True], regoin=["x", "y"])
        with pytest.raises(PopulationError, match=r"regoin"):
            compare([FLY, FRITID], columns, AUGUST)

    def test_long_column_name_cut(self) -> None:
        """A very long unknown column name is cut in the message."""
        columns = {"children": [1], "in_cohort": [True], "x" * 100_000: [1]}
        with pytest.raises(PopulationError) as info:
            simulate(FLY, columns, DAY)
        assert len(str(info.value)) < 400

    def test_cli_passthrough(self, tmp_path: Path) -> None:
        """The command line refuses an unread column (exit 2) and keeps one with --passthrough."""
        path = tmp_path / "p.csv"
        path.write_text("children,in_cohort,region\n2,true,Heimdal\n", encoding="utf-8")
        base = [sys.executable, "-m", "samskaping", "payout", "simulate", "--policy"]
        args = [*base, "flyktningfamilien", "--population", str(path), "--as-of", "2022-03-01"]
        refused = subprocess.run(args, capture_output=True, text=True, check=False)  # noqa: S603
        kept = subprocess.run(  # noqa: S603
            [*args, "--passthrough", "region"], capture_output=True, text=True, check=False
        )
        assert 2 == refused.returncode
        assert 0 == kept.returncode


def test_as_of_must_be_a_date() -> None:
    """A text as_of is a clean error, not a TypeError deep in the engine."""
    with pytest.raises(InvalidInputError, match="expected a date"):
        simulate(FLY, {"children": [1], "in_cohort": [True]}, "2022-03-01")  # type: ignore[arg-type]


def test_underscore_number_refused() -> None:
    """'1_0' is not read as 10 (Python's int and Decimal would)."""
    with pytest.raises(PopulationError, match="without '_'"):
        simulate(FLY, {"children": ["1_0"], "in_cohort": [True]}, DAY)
