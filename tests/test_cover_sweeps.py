"""Sweeps: what a grid may hold, and each scenario's label."""

from __future__ import annotations

import datetime

import pytest

from samskaping import InvalidInputError
from samskaping.payouts import builtin_policy, sweep

FLY = builtin_policy("flyktningfamilien")
RATE = FLY.unconditional.rate
DAY = datetime.date(2022, 3, 1)
POPULATION = {"children": [1, 2], "in_cohort": [True, True]}


def test_a_scenario_is_labelled_by_what_it_sets():
    """A scenario's label names its parameter values and date."""
    result = sweep(FLY, POPULATION, {RATE: [1400]}, DAY)
    assert f"{RATE}=1400, as_of=2022-03-01" == result.scenarios[0].label


def test_a_date_given_as_text():
    """A scenario's ``as_of`` may be an ISO date in text."""
    result = sweep(FLY, POPULATION, [{RATE: 1400, "as_of": "2022-04-01"}])
    assert datetime.date(2022, 4, 1) == result.scenarios[0].as_of


@pytest.mark.parametrize(
    ("grid", "as_of", "message"),
    [
        ([{RATE: 1400, "as_of": "spring"}], None, "expected a date, got 'spring'"),
        ([{RATE: 1400}], None, "give as_of"),
        ([1400], DAY, "each scenario is a mapping"),
        (1400, DAY, "a grid is a mapping of axes or a list of scenarios"),
        ({"reform": [42]}, DAY, "a reform is a Reform or a reform file"),
    ],
    ids=["bad_date", "no_date", "scenario_not_mapping", "grid_not_mapping", "bad_reform"],
)
def test_a_wrong_grid_is_refused(grid, as_of, message):
    """A grid that cannot be read is an InvalidInputError saying what it should be."""
    with pytest.raises(InvalidInputError, match=message):
        sweep(FLY, POPULATION, grid, as_of)


def test_a_collective_policy_cannot_be_swept():
    """A collective policy decides one group's proposals, not a population."""
    with pytest.raises(InvalidInputError, match="collective"):
        sweep(builtin_policy("stodig_start"), POPULATION, {}, DAY)


def test_a_missing_grid_file(tmp_path):
    """A grid file that does not exist is refused."""
    with pytest.raises(InvalidInputError, match="does not exist"):
        sweep(FLY, POPULATION, tmp_path / "grid.toml", DAY)
