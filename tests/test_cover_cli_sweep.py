"""``samskaping payout sweep``: its outputs and what it refuses."""

from __future__ import annotations

import json

import pytest

from samskaping._cli import main

HOUSEHOLDS = "children,in_cohort\n1,true\n3,true\n2,false\n"
GRID = "as_of = [2022-03-01]\n[parameters]\nrate_per_child = [1400, 1600]\n"


@pytest.fixture
def files(tmp_path):
    """A population CSV and a grid that sweeps the rate per child."""
    (tmp_path / "households.csv").write_text(HOUSEHOLDS, encoding="utf-8")
    (tmp_path / "grid.toml").write_text(GRID, encoding="utf-8")
    (tmp_path / "dates.toml").write_text("as_of = [2022-03-01, 2022-04-01]\n", encoding="utf-8")
    return tmp_path


def _sweep(files, *more):
    return main(
        ["payout", "sweep", "--policy", "flyktningfamilien",
         "--population", str(files / "households.csv"), "--grid", str(files / "grid.toml"), *more]
    )  # fmt: skip


def test_json_to_a_file(files):
    """``--format json -o FILE`` writes the sweep's JSON to the file."""
    out = files / "sweep.json"
    assert 0 == _sweep(files, "--format", "json", "-o", str(out))
    assert 2 == len(json.loads(out.read_text(encoding="utf-8"))["scenarios"])


def test_parquet_output(files):
    """``-o FILE.parquet`` writes the table as Parquet."""
    pandas = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    out = files / "sweep.parquet"
    assert 0 == _sweep(files, "-o", str(out))
    assert 2 == len(pandas.read_parquet(out))


def test_a_missing_population_file(files, capsys):
    """A population file that does not exist is bad input: exit 2."""
    code = main(
        ["payout", "sweep", "--policy", "flyktningfamilien",
         "--population", str(files / "none.csv"), "--grid", str(files / "grid.toml")]
    )  # fmt: skip
    assert 2 == code
    assert "does not exist" in capsys.readouterr().err


def test_a_plot_needs_a_swept_parameter(files, capsys):
    """``--plot`` with a grid that sweeps only dates is refused: exit 2."""
    code = main(
        ["payout", "sweep", "--policy", "flyktningfamilien",
         "--population", str(files / "households.csv"), "--grid", str(files / "dates.toml"),
         "--plot", str(files / "cost.png")]
    )  # fmt: skip
    assert 2 == code
    assert "sweeps a parameter" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("address", "message"),
    [("local:many", "local:N needs a number of workers"), ("udp://x:1", "scheduler")],
    ids=["local_without_number", "unknown_address"],
)
def test_a_wrong_scheduler_is_refused(files, capsys, address, message):
    """A scheduler address that is not threads, processes, local:N or tcp:// is exit 2."""
    pytest.importorskip("distributed")
    assert 2 == _sweep(files, "--scheduler", address)
    assert message in capsys.readouterr().err
