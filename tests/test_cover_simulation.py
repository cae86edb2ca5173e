"""Simulation results: merging, the per-household and summary tables, and what is refused."""

from __future__ import annotations

import datetime

import pytest

from samskaping import InvalidInputError
from samskaping.payouts import builtin_policy, merge_results, simulate

FLY = builtin_policy("flyktningfamilien")
DAY = datetime.date(2022, 3, 1)
POPULATION = {"children": [1, 2, 3], "in_cohort": [True, True, False]}


def _result(**options):
    return simulate(FLY, POPULATION, DAY, **options)


class TestMerge:
    """Results for parts of one population merge into the result for the whole."""

    def test_two_halves_make_the_whole(self):
        """The merged total equals the total of the whole population."""
        first = simulate(FLY, {"children": [1], "in_cohort": [True]}, DAY)
        second = simulate(FLY, {"children": [2, 3], "in_cohort": [True, False]}, DAY)
        assert _result().total == merge_results([first, second]).total

    def test_nothing_to_merge(self):
        """Merging no results is refused."""
        with pytest.raises(InvalidInputError, match="no results to merge"):
            merge_results([])

    def test_different_dates_do_not_merge(self):
        """Results for different dates are refused."""
        other = simulate(FLY, POPULATION, datetime.date(2022, 4, 1))
        with pytest.raises(InvalidInputError, match="different policies or dates"):
            merge_results([_result(), other])

    def test_households_are_kept_in_order(self):
        """If each part kept its households, the merged result lists them in order."""
        first = simulate(FLY, {"children": [1], "in_cohort": [True]}, DAY)
        second = simulate(FLY, {"children": [2, 3], "in_cohort": [True, False]}, DAY)
        merged = merge_results([first, second])
        assert [r["amount_ore"] for r in _result().to_records()] == [
            r["amount_ore"] for r in merged.to_records()
        ]


class TestTables:
    """The result as pandas tables."""

    def test_summary_frame_has_a_row_for_all(self):
        """The summary frame starts with the row ``*`` for every household."""
        pytest.importorskip("pandas")
        assert "*" == _result().summary_frame()["type"].iloc[0]

    def test_parquet_holds_one_row_per_household(self, tmp_path):
        """``to_parquet`` writes one row per household."""
        pandas = pytest.importorskip("pandas")
        pytest.importorskip("pyarrow")
        path = tmp_path / "out.parquet"
        _result().to_parquet(path)
        assert 3 == len(pandas.read_parquet(path))

    def test_without_households_there_are_no_rows(self):
        """A result that did not keep households cannot give per-household rows."""
        with pytest.raises(InvalidInputError):
            _result(keep_households=False).to_pandas()

    def test_identifiers_need_an_id_column(self):
        """Revealing identifiers needs a population with an ``id`` column."""
        with pytest.raises(InvalidInputError, match="no 'id' column"):
            _result().to_records(reveal_identifiers=True)


class TestRefused:
    """Options that cannot be right are refused."""

    def test_an_unknown_engine(self):
        """The engine is auto, python or numpy."""
        with pytest.raises(InvalidInputError, match="engine must be"):
            _result(engine="fortran")

    def test_passthrough_takes_column_names(self):
        """``passthrough`` holds column names, not numbers."""
        with pytest.raises(InvalidInputError, match="column names"):
            _result(passthrough=[1])


def test_progress_is_shown_on_standard_error(capsys):
    """With ``progress=True``, a count of households decided is written to standard error."""
    simulate(FLY, POPULATION, DAY, progress=True)
    assert "3" in capsys.readouterr().err
