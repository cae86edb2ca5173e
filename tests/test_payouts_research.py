"""Reforms, sweeps, multi-period runs, Dask and results fit for research (issue 12)."""

from __future__ import annotations

import datetime
import json

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samskaping import Money
from samskaping.payouts import (
    PolicyError,
    ReformChange,
    diff_policies,
    load_policy,
    loads_reform,
    merge_results,
    read_population,
    reform,
    simulate,
    simulate_periods,
    sweep,
)

DAY = datetime.date(2022, 3, 1)
POLICY = load_policy("flyktningfamilien")

households = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=6),
        st.booleans(),
        st.sampled_from(["single_parent", "couple", "other"]),
    ),
    min_size=1,
    max_size=40,
)


def columns(rows):
    """A population mapping from drawn (children, in_cohort, type) rows."""
    return {
        "children": [c for c, _, _ in rows],
        "in_cohort": [i for _, i, _ in rows],
        "type": [t for _, _, t in rows],
    }


NEUTRALISE_COHORT = (
    'schema_version = 1\nid = "strict"\n[[changes]]\nkind = "neutralise_rule"\nrule = "in_cohort"\n'
)


def sample(size=30):
    """A fixed population of ``size`` households of two types."""
    return columns([(i % 5, i % 3 != 0, ["a", "b"][i % 2]) for i in range(size)])


class TestResults:
    """Simulation results for research: reasons, rows, merging."""

    def test_reason_counts(self):
        """Every result counts each reason; households not in the cohort name that rule."""
        result = simulate(POLICY, sample(), DAY)
        assert 10 == dict(result.reasons)["eligibility:in_cohort"]

    def test_reasons_same_on_both_paths(self):
        """The python and numpy paths give the same reason for every household."""
        python = simulate(POLICY, sample(), DAY, engine="python")
        vector = simulate(POLICY, sample(), DAY, engine="numpy")
        assert python.reason_codes == vector.reason_codes

    def test_rows_have_position_type_inputs_status_reason_and_ore(self):
        """to_pandas has the documented columns, and amounts are int64 øre."""
        frame = simulate(POLICY, sample(), DAY).to_pandas()
        assert [
            "position",
            "type",
            "household.children",
            "household.in_cohort",
            "status",
            "reason",
            "amount_ore",
        ] == list(frame.columns)
        assert "int64" == str(frame["amount_ore"].dtype)

    def test_no_identifiers_unless_asked(self):
        """The household id appears only with reveal_identifiers=True."""
        data = {**sample(4), "id": ["h1", "h2", "h3", "h4"]}
        result = simulate(POLICY, data, DAY)
        assert "id" not in result.to_pandas().columns
        assert ["h1", "h2", "h3", "h4"] == list(result.to_pandas(reveal_identifiers=True)["id"])

    @given(households, st.integers(min_value=1, max_value=40))
    @settings(max_examples=40, deadline=None)
    def test_merge_is_exact(self, rows, cut):
        """Property: results for two parts merge into the result for the whole."""
        whole = simulate(POLICY, columns(rows), DAY)
        cut = min(cut, len(rows))
        parts = [simulate(POLICY, columns(part), DAY) for part in (rows[:cut], rows[cut:]) if part]
        merged = merge_results(parts)
        assert whole == merged
        assert whole.to_dict(households=True) == merged.to_dict(households=True)

    def test_parquet_population(self, tmp_path):
        """A Parquet file is a population, read like a CSV file."""
        pd = pytest.importorskip("pandas")
        path = tmp_path / "households.parquet"
        pd.DataFrame(sample()).to_parquet(path, index=False)
        assert simulate(POLICY, sample(), DAY) == simulate(POLICY, path, DAY)


class TestTally:
    """Exact medians and quantiles from amount histograms."""

    @given(st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=60))
    @settings(max_examples=60, deadline=None)
    def test_median_and_quantiles_match_the_sorted_list(self, amounts):
        """Property: the histogram's median and nearest-rank quantiles are the list's."""
        from collections import Counter
        from fractions import Fraction

        from samskaping.payouts._simulation import _median
        from samskaping.payouts._tally import median, quantile

        ordered = sorted(amounts)
        histogram = Counter(amounts)
        share = Fraction(1, 4)
        rank = -(-len(ordered) // 4)
        assert _median(ordered) == median(histogram)
        assert ordered[rank - 1] == quantile(histogram, share)


class TestReforms:
    """Reforms as data."""

    def test_set_parameter_changes_cost(self):
        """A lower rate lowers the cost in proportion."""
        cheaper = reform(POLICY, {"rate_per_child": 1400})
        base, low = simulate(POLICY, sample(), DAY), simulate(cheaper, sample(), DAY)
        assert base.total.ore * 1400 == low.total.ore * 1600

    def test_effective_dated_value(self):
        """A value set from a date applies from that date; the old value before it."""
        later = reform(
            POLICY,
            [
                ReformChange.set_parameter(
                    "rate_per_child", 1000, valid_from=datetime.date(2023, 1, 1)
                )
            ],
        )
        before = simulate(later, sample(), DAY).total
        after = simulate(later, sample(), datetime.date(2023, 2, 1)).total
        assert (simulate(POLICY, sample(), DAY).total.ore * 1000) == after.ore * 1600
        assert simulate(POLICY, sample(), DAY).total == before

    def test_neutralise_rule(self):
        """A neutralised rule rejects no one any more."""
        open_policy = reform(POLICY, [ReformChange.neutralise_rule("in_cohort")])
        result = simulate(open_policy, sample(), DAY, passthrough=("in_cohort",))
        assert "eligibility:in_cohort" not in dict(result.reasons)

    def test_replace_rule(self):
        """A replaced rule decides with its new expression."""
        stricter = reform(
            POLICY, [ReformChange.replace_rule("has_children", "household.children >= 2")]
        )
        assert simulate(stricter, sample(), DAY).reached < simulate(POLICY, sample(), DAY).reached

    def test_set_pot(self):
        """The pot's total can be changed."""
        smaller = reform(POLICY, [ReformChange.set_pot(Money(1000))])
        assert smaller.pot is not None
        assert Money(1000) == smaller.pot.total

    def test_type_error_refused_naming_the_change(self):
        """A rule of the wrong type is refused when the reform is applied, naming the change."""
        with pytest.raises(PolicyError, match=r"change 2 \(replace_rule 'has_children'\)"):
            reform(
                POLICY,
                [
                    ReformChange.set_parameter("rate_per_child", 1500),
                    ReformChange.replace_rule("has_children", "household.children + 1"),
                ],
            )

    def test_band_gap_refused(self):
        """Approval bands with a gap are refused, naming the change."""
        policy = load_policy("pa_egne_ben")
        schedule = policy.approval_bands[0]
        gap = attrs.evolve(schedule, bands=schedule.bands[1:])
        with pytest.raises(PolicyError, match=r"change 1 \(set_bands\)"):
            reform(policy, [ReformChange.set_bands([gap])])

    def test_unknown_parameter_refused(self):
        """Setting a parameter the policy does not have is refused."""
        with pytest.raises(PolicyError, match="no parameter 'nope'"):
            reform(POLICY, {"nope": 1})

    def test_reform_file(self):
        """A reform reads from TOML and applies like the same changes in Python."""
        text = (
            'schema_version = 1\nid = "r"\n[[changes]]\nkind = "set_parameter"\n'
            'parameter = "rate_per_child"\nvalue = 1400\n'
        )
        assert reform(POLICY, {"rate_per_child": 1400}) == reform(POLICY, loads_reform(text))

    def test_diff_labels(self):
        """diff_policies names what changed in nb, nn and en."""
        diff = diff_policies(POLICY, reform(POLICY, [ReformChange.neutralise_rule("in_cohort")]))
        assert ["Fjernet vilkår «in_cohort» (var household.in_cohort)"] == diff.lines("nb")
        assert ["Fjerna vilkår «in_cohort» (var household.in_cohort)"] == diff.lines("nn")
        assert ["Removed rule “in_cohort” (was household.in_cohort)"] == diff.lines("en")

    def test_no_difference(self):
        """A policy does not differ from itself."""
        assert not diff_policies(POLICY, POLICY)

    @given(households, st.sampled_from(["empty", "same_value", "same_bands"]))
    @settings(max_examples=30, deadline=None)
    def test_no_op_reform_is_identical(self, rows, kind):
        """Property: a reform that changes nothing gives results identical to the original."""
        changes = {
            "empty": [],
            "same_value": [
                ReformChange.set_parameter(
                    "rate_per_child", 1600, valid_from=datetime.date(2022, 2, 1)
                )
            ],
            "same_bands": [ReformChange.set_bands(POLICY.approval_bands)],
        }[kind]
        same = reform(POLICY, changes)
        original = simulate(POLICY, columns(rows), DAY)
        again = simulate(same, columns(rows), DAY)
        assert original == again
        assert original.to_dict(households=True) == again.to_dict(households=True)


class TestSweeps:
    """Sweeps over grids of parameters, reforms and dates."""

    def test_cartesian_rows(self):
        """A grid of 3 rates × 2 dates gives 6 rows."""
        result = sweep(
            POLICY,
            sample(),
            {"rate_per_child": [1400, 1500, 1600], "as_of": [DAY, datetime.date(2023, 1, 1)]},
        )
        assert 6 == len(result.to_records())

    def test_costs_match_simulate(self):
        """Each scenario costs what simulating its policy costs."""
        result = sweep(POLICY, sample(), {"rate_per_child": [1400, 1600]}, DAY)
        expected = [
            simulate(reform(POLICY, {"rate_per_child": r}), sample(), DAY).total.ore
            for r in (1400, 1600)
        ]
        assert expected == [row["cost_ore"] for row in result.to_records()]

    def test_python_engine_same_table(self):
        """Without numpy (the python engine) the table is the same."""
        grid = {"rate_per_child": [1400, 1600]}
        assert (
            sweep(POLICY, sample(), grid, DAY, engine="python").to_records()
            == sweep(POLICY, sample(), grid, DAY).to_records()
        )

    def test_population_read_once(self, monkeypatch):
        """The population is read and converted once, not once per scenario."""
        from samskaping.payouts import _sweep

        calls = []
        original = _sweep.read_population

        def counting(source, **kw):
            calls.append(1)
            return original(source, **kw)

        monkeypatch.setattr(_sweep, "read_population", counting)
        sweep(POLICY, sample(), {"rate_per_child": list(range(1000, 1010))}, DAY)
        assert 1 == len(calls)

    def test_list_of_scenarios_with_reform(self):
        """A list of scenarios may mix reforms and parameter values."""
        strict = loads_reform(
            'schema_version = 1\nid = "strict"\n[[changes]]\nkind = "replace_rule"\n'
            'rule = "has_children"\nexpr = "household.children >= 2"\n'
        )
        rows = sweep(
            POLICY, sample(), [{"reform": strict}, {"rate_per_child": 1000}], DAY
        ).to_records()
        assert ["strict", ""] == [row["reform"] for row in rows]

    def test_table_columns(self):
        """The table has quantiles, per-type figures, reasons and pot exhaustion."""
        row = sweep(POLICY, sample(), {"rate_per_child": [1600]}, DAY).to_records()[0]
        for name in ("p10_ore", "median_ore", "cost_ore[a]", "reason[eligibility:in_cohort]"):
            assert name in row
        assert row["pot_exhausted"] is False

    def test_money_columns_are_integers(self):
        """Money columns of the sweep frame are integers, never floats."""
        frame = sweep(POLICY, sample(), {"rate_per_child": [1400, 1600]}, DAY).to_pandas()
        assert all(str(frame[c].dtype) == "Int64" for c in frame.columns if "_ore" in c)

    def test_grid_file(self, tmp_path):
        """A grid file names reform files relative to itself."""
        (tmp_path / "strict.toml").write_text(NEUTRALISE_COHORT)
        grid = tmp_path / "grid.toml"
        grid.write_text(
            'as_of = [2022-03-01]\nreform = ["", "strict.toml"]\n'
            "[parameters]\nrate_per_child = [1400]\n"
        )
        assert 2 == len(sweep(POLICY, sample(), grid).to_records())


class TestPeriods:
    """Month-by-month runs."""

    def test_parameters_change_on_their_dates(self):
        """A rate set from a later month applies from that month."""
        later = reform(
            POLICY,
            [
                ReformChange.set_parameter(
                    "rate_per_child", 800, valid_from=datetime.date(2022, 4, 1)
                )
            ],
        )
        run = simulate_periods(later, sample(), datetime.date(2022, 2, 1), 4, unlimited=True)
        paid = [m.paid.ore for m in run.months]
        assert paid[0] == paid[1] == 2 * paid[2] == 2 * paid[3]

    def test_cohorts_join_and_leave(self):
        """Households count only between joining and leaving."""
        data = {
            "children": [1, 1],
            "in_cohort": [True, True],
            "joined": ["2022-03-01", ""],
            "left": ["", "2022-04-01"],
        }
        run = simulate_periods(POLICY, data, datetime.date(2022, 2, 1), 3, unlimited=True)
        assert [1, 2, 1] == [m.households for m in run.months]

    def test_pot_empties_and_defers(self):
        """When the pot runs short, the month is named and the rest are deferred."""
        run = simulate_periods(POLICY, sample(), datetime.date(2022, 2, 1), 6, pot=Money(100_000))
        assert run.exhausted_in is not None
        assert run.deferred_positions[0][0] == run.exhausted_in

    @given(households, st.integers(min_value=0, max_value=200_000), st.integers(1, 8))
    @settings(max_examples=30, deadline=None)
    def test_totals_and_pot(self, rows, pot, months):
        """Property: totals are the sum of the months, and the pot never goes negative."""
        run = simulate_periods(
            POLICY, columns(rows), datetime.date(2022, 2, 1), months, pot=Money(pot)
        )
        assert run.total.ore == sum(m.paid.ore for m in run.months)
        assert all(m.balance is not None and m.balance.ore >= 0 for m in run.months)
        assert pot * 100 - run.total.ore == run.months[-1].balance.ore


class TestDask:
    """Simulations and sweeps on Dask DataFrames."""

    @given(households, st.integers(min_value=1, max_value=6))
    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def test_dask_equals_single_machine(self, rows, partitions):
        """Property: for any partitioning, Dask gives the single-machine result exactly."""
        dask = pytest.importorskip("dask")
        dd = pytest.importorskip("dask.dataframe")
        pd = pytest.importorskip("pandas")
        frame = pd.DataFrame(columns(rows))
        with dask.config.set(scheduler="synchronous"):
            on_dask = simulate(POLICY, dd.from_pandas(frame, npartitions=partitions), DAY)
            swept = sweep(
                POLICY,
                dd.from_pandas(frame, npartitions=partitions),
                {"rate_per_child": [1400, 1600]},
                DAY,
            )
        single = simulate(POLICY, frame, DAY)
        assert single == on_dask
        assert single.to_dict(households=True) == on_dask.to_dict(households=True)
        assert sweep(POLICY, frame, {"rate_per_child": [1400, 1600]}, DAY).to_records() == (
            swept.to_records()
        )

    def test_processes_scheduler(self):
        """On the processes scheduler the totals are identical too."""
        dask = pytest.importorskip("dask")
        dd = pytest.importorskip("dask.dataframe")
        pd = pytest.importorskip("pandas")
        frame = pd.DataFrame(sample(200))
        with dask.config.set(scheduler="processes", num_workers=2):
            on_dask = simulate(POLICY, dd.from_pandas(frame, npartitions=3), DAY)
        assert simulate(POLICY, frame, DAY).to_dict() == on_dask.to_dict()

    def test_periods_on_dask(self):
        """A multi-period run on Dask equals the single-machine run."""
        dask = pytest.importorskip("dask")
        dd = pytest.importorskip("dask.dataframe")
        pd = pytest.importorskip("pandas")
        frame = pd.DataFrame(sample())
        start = datetime.date(2022, 2, 1)
        with dask.config.set(scheduler="synchronous"):
            on_dask = simulate_periods(POLICY, dd.from_pandas(frame, npartitions=3), start, 4)
        assert simulate_periods(POLICY, frame, start, 4) == on_dask

    def test_household_results_to_parquet(self, tmp_path):
        """Per-household results go to Parquet lazily, one file per partition."""
        dask = pytest.importorskip("dask")
        dd = pytest.importorskip("dask.dataframe")
        pd = pytest.importorskip("pandas")
        from samskaping.payouts import household_results

        frame = dd.from_pandas(pd.DataFrame(sample()), npartitions=2)
        with dask.config.set(scheduler="synchronous"):
            household_results(POLICY, frame, DAY).to_parquet(tmp_path / "out")
        back = pd.read_parquet(tmp_path / "out")
        assert simulate(POLICY, sample(), DAY).total.ore == int(back["amount_ore"].sum())


class TestPlots:
    """Plots return figures."""

    def test_each_plot_is_a_figure(self):
        """Cost by parameter, distribution, Lorenz curve and pot balance return figures."""
        pytest.importorskip("matplotlib")
        from matplotlib.figure import Figure

        from samskaping import plot

        swept = sweep(POLICY, sample(), {"rate_per_child": [1400, 1600]}, DAY)
        result = simulate(POLICY, sample(), DAY)
        run = simulate_periods(POLICY, sample(), datetime.date(2022, 2, 1), 3)
        figures = [
            plot.cost_by_parameter(swept, "rate_per_child"),
            plot.amount_distribution(result),
            plot.lorenz_curve(result),
            plot.pot_balance(run),
        ]
        assert all(isinstance(f, Figure) for f in figures)

    def test_lorenz_ends_at_one(self):
        """The Lorenz curve runs from (0, 0) to (1, 1)."""
        from samskaping.plot import lorenz_points

        xs, ys = lorenz_points(simulate(POLICY, sample(), DAY))
        assert 0.0 == xs[0]
        assert 0.0 == ys[0]
        assert 1.0 == xs[-1]
        assert 1.0 == ys[-1]


def test_sweep_refuses_unread_columns():
    """A sweep refuses a column no scenario reads, unless it is passed through."""
    from samskaping.payouts import PopulationError

    data = {**sample(), "region": ["x"] * 30}
    with pytest.raises(PopulationError, match="region"):
        sweep(POLICY, data, {"rate_per_child": [1400]}, DAY)
    assert sweep(POLICY, data, {"rate_per_child": [1400]}, DAY, passthrough=("region",))


class TestCommandLine:
    """``samskaping payout sweep`` and ``simulate --reform``."""

    @pytest.fixture
    def files(self, tmp_path):
        """A population CSV, a grid and a reform in a scratch folder."""
        import csv

        data = sample()
        path = tmp_path / "households.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(list(data))
            writer.writerows(zip(*data.values(), strict=True))
        (tmp_path / "grid.toml").write_text(
            "as_of = [2022-03-01]\n[parameters]\nrate_per_child = [1400, 1600]\n"
        )
        (tmp_path / "strict.toml").write_text(NEUTRALISE_COHORT)
        return tmp_path

    def test_sweep_json(self, files, capsys):
        """The sweep as JSON: a row per scenario with costs in øre."""
        from samskaping._cli import main

        code = main(
            ["payout", "sweep", "--policy", "flyktningfamilien", "--population",
             str(files / "households.csv"), "--grid", str(files / "grid.toml"), "--format", "json"]
        )  # fmt: skip
        data = json.loads(capsys.readouterr().out)
        assert 0 == code
        assert 2 == len(data["scenarios"])

    def test_sweep_with_reform_to_csv_file(self, files):
        """--reform applies before the grid; -o writes the CSV table."""
        from samskaping._cli import main

        out = files / "sweep.csv"
        code = main(
            ["payout", "sweep", "--policy", "flyktningfamilien", "--population",
             str(files / "households.csv"), "--grid", str(files / "grid.toml"),
             "--reform", str(files / "strict.toml"), "--passthrough", "in_cohort",
             "--format", "csv", "-o", str(out)]
        )  # fmt: skip
        assert 0 == code
        assert 3 == len(out.read_text().splitlines())

    def test_sweep_plot(self, files, capsys):
        """--plot draws the cost against the swept parameter to a PNG file."""
        pytest.importorskip("matplotlib")
        from samskaping._cli import main

        picture = files / "cost.png"
        main(
            ["payout", "sweep", "--policy", "flyktningfamilien", "--population",
             str(files / "households.csv"), "--grid", str(files / "grid.toml"),
             "--plot", str(picture)]
        )  # fmt: skip
        capsys.readouterr()
        assert picture.read_bytes().startswith(b"\x89PNG")

    def test_sweep_on_dask_threads(self, files, capsys):
        """--scheduler threads runs the sweep on Dask with the same table."""
        pytest.importorskip("dask")
        from samskaping._cli import main

        args = ["payout", "sweep", "--policy", "flyktningfamilien", "--population",
                str(files / "households.csv"), "--grid", str(files / "grid.toml"),
                "--format", "csv"]  # fmt: skip
        main(args)
        local = capsys.readouterr().out
        main([*args, "--scheduler", "threads"])
        assert local == capsys.readouterr().out

    def test_bad_reform_is_exit_2(self, files, capsys):
        """A reform that breaks the policy exits 2 with one line naming the change."""
        from samskaping._cli import main

        (files / "bad.toml").write_text(
            'schema_version = 1\nid = "bad"\n[[changes]]\nkind = "neutralise_rule"\nrule = "nope"\n'
        )
        code = main(
            ["payout", "simulate", "--policy", "flyktningfamilien", "--population",
             str(files / "households.csv"), "--reform", str(files / "bad.toml")]
        )  # fmt: skip
        assert 2 == code
        assert "change 1 (neutralise_rule 'nope')" in capsys.readouterr().err


def test_population_reads_parquet_like_mapping(tmp_path):
    """read_population reads .parquet files."""
    pd = pytest.importorskip("pandas")
    pd.DataFrame(sample(5)).to_parquet(tmp_path / "p.parquet", index=False)
    assert 5 == read_population(tmp_path / "p.parquet").size
