"""Scale benchmarks (issue 12): sweeps on Dask against OpenFisca reforms, 10 M households.

Workloads, each engine and size in its own process:

- ``sweep``: 100 scenarios (the child benefit's rate from 1 000 to 1 990 NOK in steps
  of 10) over the population benchmark's households (seed 20220201: 0-8 children,
  1-2 adults, a low-income flag for 30 %), as of 2022-03-01.
  - samskaping on one machine without Dask (``local``), and on a Dask ``LocalCluster``
    of 1 and of 2 worker processes (one thread each); timed from
    ``dask.dataframe.read_parquet`` of the population (4 Parquet files) to the table.
    The cluster is started before the timing; the population is read and converted
    once per partition, then scenarios × partitions run as tasks.
  - OpenFisca (its own venv): per scenario, one parametric reform of
    ``benchmarks/openfisca_system`` (``rate_per_child``), the simulation built from the
    same columns, and ``calculate("child_benefit")``. ``--openfisca-scenarios`` runs
    the first N scenarios only (the time per scenario is then scaled to 100).
  - Totals are compared exactly, scenario by scenario (cost in øre).
- ``parquet``: ``simulate(policy, dask.dataframe.read_parquet(folder), ...,
  keep_households=False)`` over 1 M, 3 M and 10 M households stored as Parquet files of
  1 M rows, on Dask's threaded scheduler with 2 threads; wall time and the process's
  peak resident memory (``ru_maxrss``: interpreter, imports and data included).

Run everything (see run_all.sh for the venvs)::

    python benchmarks/bench_scale.py all --openfisca-python benchmarks/.venvs/openfisca/bin/python
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
POLICY = HERE / "policies" / "population_child_benefit.toml"
AS_OF = datetime.date(2022, 3, 1)
PERIOD = "2022-03"
SEED = 20220201
RATES = [1000 + 10 * i for i in range(100)]


def maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(size: int, seed: int = SEED):
    import numpy as np

    rng = np.random.default_rng(seed)
    children = rng.integers(0, 9, size=size, dtype=np.int64)
    adults = rng.integers(1, 3, size=size, dtype=np.int64)
    low_income = rng.random(size) < 0.3
    return children, adults, low_income


def write_parquet(folder: Path, size: int, *, files: int, seed: int = SEED) -> None:
    """The population as ``files`` Parquet files (generated in parts, outside any timing)."""
    import pandas as pd

    folder.mkdir(parents=True, exist_ok=True)
    per = -(-size // files)
    for index in range(files):
        rows = min(per, size - index * per)
        children, adults, low_income = generate(rows, seed + index)
        frame = pd.DataFrame({"children": children, "adults": adults, "low_income": low_income})
        frame.to_parquet(folder / f"part-{index:03d}.parquet", index=False)


def digest(costs: list[int]) -> str:
    return hashlib.sha256(",".join(map(str, costs)).encode()).hexdigest()[:16]


# --- samskaping -------------------------------------------------------------------------


def samskaping_sweep(folder: Path, workers: int, repeat: int) -> dict:
    import dask.dataframe as dd

    from samskaping.payouts import load_policy, sweep

    policy = load_policy(str(POLICY))
    grid = {"rate_per_child": RATES}

    def once() -> list[int]:
        frame = dd.read_parquet(folder)
        if workers:
            table = sweep(policy, frame, grid, AS_OF, passthrough=("adults",))
        else:
            table = sweep(policy, frame.compute(), grid, AS_OF, passthrough=("adults",))
        return [row["cost_ore"] for row in table.to_records()]

    def timed() -> tuple[list[float], list[int]]:
        times, costs = [], []
        once()  # warm-up: imports, compiled policies, worker start-up
        for _ in range(repeat):
            start = time.perf_counter()
            costs = once()
            times.append(time.perf_counter() - start)
        return times, costs

    if workers:
        from distributed import Client, LocalCluster

        with (
            LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
            ) as cluster,
            Client(cluster),
        ):
            times, costs = timed()
    else:
        times, costs = timed()
    return {"times": times, "costs": costs}


def samskaping_parquet(folder: Path) -> dict:
    import dask
    import dask.dataframe as dd

    from samskaping.payouts import load_policy, simulate

    policy = load_policy(str(POLICY))
    start_rss = maxrss_mib()
    with dask.config.set(scheduler="threads", num_workers=2):
        start = time.perf_counter()
        result = simulate(
            policy,
            dd.read_parquet(folder),
            AS_OF,
            keep_households=False,
            passthrough=("adults",),
        )
        elapsed = time.perf_counter() - start
    return {
        "time": elapsed,
        "households": result.households,
        "total_ore": result.total.ore,
        "reached": result.reached,
        "peak_mib": maxrss_mib(),
        "start_mib": start_rss,
    }


# --- OpenFisca --------------------------------------------------------------------------


def openfisca_sweep(folder: Path, scenarios: int) -> dict:
    import numpy as np
    import pandas as pd
    from openfisca_core.periods import instant
    from openfisca_core.reforms import Reform
    from openfisca_core.simulation_builder import SimulationBuilder

    sys.path.insert(0, str(HERE))
    from openfisca_system import ChildBenefitSystem

    system = ChildBenefitSystem()
    frame = pd.read_parquet(folder)
    children = frame["children"].to_numpy()
    adults = frame["adults"].to_numpy()
    low_income = frame["low_income"].to_numpy()

    def reformed(rate: int):
        class Rate(Reform):
            def apply(self):
                def modify(parameters):
                    parameters.rate_per_child.update(start=instant("2022-02-01"), value=rate)
                    return parameters

                self.modify_parameters(modifier_function=modify)

        return Rate(system)

    def run(reform_system) -> int:
        households = len(children)
        sizes = adults + children
        persons = int(sizes.sum())
        household_of = np.repeat(np.arange(households), sizes)
        starts = np.cumsum(sizes) - sizes
        position = np.arange(persons) - np.repeat(starts, sizes)
        roles = (position >= np.repeat(adults, sizes)).astype(np.int64)
        builder = SimulationBuilder()
        builder.create_entities(reform_system)
        builder.declare_person_entity("person", np.arange(persons))
        household = builder.declare_entity("household", np.arange(households))
        builder.join_with_persons(household, household_of, roles)
        simulation = builder.build(reform_system)
        simulation.set_input("low_income", PERIOD, low_income)
        benefit = simulation.calculate("child_benefit", PERIOD)
        return int(benefit.sum(dtype=np.int64)) * 100

    run(reformed(RATES[0]))  # warm-up
    start = time.perf_counter()
    costs = [run(reformed(rate)) for rate in RATES[:scenarios]]
    elapsed = time.perf_counter() - start
    return {"time": elapsed, "scenarios": scenarios, "costs": costs}


# --- driver -----------------------------------------------------------------------------


def spawn(python: str, arguments: list[str]) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    command = [python, str(Path(__file__).resolve()), *arguments, "--out", str(out)]
    completed = subprocess.run(command, check=False)
    if completed.returncode != 0:
        raise SystemExit(f"FAILED: {' '.join(arguments)} exited with {completed.returncode}")
    return json.loads(out.read_text())


def run_all(args: argparse.Namespace) -> int:
    work = Path(tempfile.mkdtemp(prefix="samskaping-scale-"))
    me = sys.executable
    lines = []
    sweep_folder = work / f"sweep-{args.size}"
    write_parquet(sweep_folder, args.size, files=4)
    local = spawn(me, ["sweep", "--folder", str(sweep_folder), "--workers", "0", "--repeat", str(args.repeat)])
    one = spawn(me, ["sweep", "--folder", str(sweep_folder), "--workers", "1", "--repeat", str(args.repeat)])
    two = spawn(me, ["sweep", "--folder", str(sweep_folder), "--workers", "2", "--repeat", str(args.repeat)])
    fisca = spawn(args.openfisca_python, ["openfisca", "--folder", str(sweep_folder), "--scenarios", str(args.openfisca_scenarios)])
    n = fisca["scenarios"]
    for name, result in (("1 worker", one), ("2 workers", two)):
        if result["costs"] != local["costs"]:
            raise SystemExit(f"FAILED: Dask {name} totals differ from the local sweep")
    if fisca["costs"] != local["costs"][:n]:
        raise SystemExit("FAILED: OpenFisca totals differ from samskaping's")
    med = {k: statistics.median(v["times"]) for k, v in (("local", local), ("1", one), ("2", two))}
    fisca_100 = fisca["time"] / n * len(RATES)
    lines.append(f"Sweep: {len(RATES)} scenarios over {args.size:,} households (median of {args.repeat}):")
    lines.append("| engine | s per sweep | s per scenario | × OpenFisca |")
    lines.append("| --- | ---: | ---: | ---: |")
    for label, seconds in (
        ("samskaping, no Dask", med["local"]),
        ("samskaping, Dask 1 worker", med["1"]),
        ("samskaping, Dask 2 workers", med["2"]),
    ):
        lines.append(f"| {label} | {seconds:.2f} | {seconds / len(RATES):.4f} | {fisca_100 / seconds:.1f} |")
    lines.append(f"| OpenFisca reforms ({n} run, scaled to {len(RATES)}) | {fisca_100:.1f} | {fisca['time'] / n:.3f} | 1.0 |")
    efficiency = med["1"] / (2 * med["2"])
    lines.append(f"Scaling efficiency 1 → 2 workers: {efficiency:.0%} (target ≥ 80 %).")
    lines.append(f"Totals identical for every scenario (sha {digest(local['costs'])}; OpenFisca's {n} compared).")
    lines.append("")
    lines.append("Parquet, simulate on Dask's threaded scheduler (2 threads), keep_households=False:")
    lines.append("| households | s | households/s | peak MiB | total NOK |")
    lines.append("| ---: | ---: | ---: | ---: | ---: |")
    for size in args.parquet_sizes:
        folder = work / f"parquet-{size}"
        write_parquet(folder, size, files=max(1, size // 1_000_000))
        result = spawn(me, ["parquet", "--folder", str(folder)])
        if result["households"] != size:
            raise SystemExit("FAILED: households lost")
        lines.append(
            f"| {size:,} | {result['time']:.1f} | {size / result['time']:,.0f} | "
            f"{result['peak_mib']:.0f} | {result['total_ore'] // 100:,}.{result['total_ore'] % 100:02d} |"
        )
    text = "\n".join(lines)
    print(text)
    if args.summary:
        Path(args.summary).write_text(text + "\n", encoding="utf-8")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    sweep = commands.add_parser("sweep")
    sweep.add_argument("--folder", type=Path, required=True)
    sweep.add_argument("--workers", type=int, default=0)
    sweep.add_argument("--repeat", type=int, default=3)
    sweep.add_argument("--out", type=Path, required=True)
    fisca = commands.add_parser("openfisca")
    fisca.add_argument("--folder", type=Path, required=True)
    fisca.add_argument("--scenarios", type=int, default=len(RATES))
    fisca.add_argument("--out", type=Path, required=True)
    parquet = commands.add_parser("parquet")
    parquet.add_argument("--folder", type=Path, required=True)
    parquet.add_argument("--out", type=Path, required=True)
    every = commands.add_parser("all")
    every.add_argument("--openfisca-python", required=True)
    every.add_argument("--size", type=int, default=1_000_000)
    every.add_argument("--repeat", type=int, default=3)
    every.add_argument("--openfisca-scenarios", type=int, default=len(RATES))
    every.add_argument("--parquet-sizes", type=int, nargs="+", default=[1_000_000, 3_000_000, 10_000_000])
    every.add_argument("--summary")
    args = parser.parse_args()
    if args.command == "all":
        return run_all(args)
    if args.command == "sweep":
        result = samskaping_sweep(args.folder, args.workers, args.repeat)
    elif args.command == "openfisca":
        result = openfisca_sweep(args.folder, args.scenarios)
    else:
        result = samskaping_parquet(args.folder)
    args.out.write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
