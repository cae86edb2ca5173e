"""Population benchmark (issue 3, "Speed"): samskaping's simulate() against OpenFisca.

The policy: 1 600 NOK per child per month from 1 February 2022 (as Flyktningfamilien,
002:1791), only for households with at least one child and a low-income flag. It is
``policies/population_child_benefit.toml`` for samskaping and the tax-benefit system in
``openfisca_system/`` for OpenFisca (openfisca-core lives in its own venv).

Households (fixed seed, numpy's default generator): 0-8 children, 1-2 adults, a
low-income flag (30 %). The raw columns are generated in each process before any
timing, identically for both engines.

End to end, timed for each engine from the raw numpy columns to the total cost:

- samskaping: the columns as Python lists (``.tolist()``, timed), then
  ``simulate(policy, columns, as_of)`` on its vectorised numpy path; the total is
  ``result.total``. The policy is loaded once per process, before timing.
- OpenFisca: persons built from the counts (ids, household of each person, role
  parent/child), ``SimulationBuilder`` (declare persons and households, join),
  ``set_input("low_income")``, ``calculate("child_benefit")``, and the sum. The
  tax-benefit system is built once per process, before timing.

Each (engine, size) runs in its own process: the first run is the warm-up and the run
whose peak memory (``resource.getrusage(...).ru_maxrss``) is reported; then the timed
runs. ``single`` compares OpenFisca's one household per simulation
(``build_from_entities`` + ``calculate``) with one samskaping ``evaluate`` decision
(building the Request included).

Usage::

    python bench_population.py run --engine samskaping|openfisca --size N --repeat R --out F
    python bench_population.py single --engine samskaping|openfisca --out F
    python bench_population.py all --samskaping-python PY --openfisca-python PY [--quick]
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
POLICY = HERE / "policies" / "population_child_benefit.toml"
SEED = 20220201
AS_OF = datetime.date(2022, 3, 1)
PERIOD = "2022-03"
LOW_INCOME_SHARE = 0.3
SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (10_000, 100_000)
REPEATS = {10_000: 7, 100_000: 5, 1_000_000: 3}


def maxrss_mib() -> float:
    """This process's peak resident memory so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(size: int, seed: int = SEED):
    """The raw household columns as numpy arrays: children, adults, low_income."""
    import numpy as np

    rng = np.random.default_rng(seed)
    children = rng.integers(0, 9, size=size, dtype=np.int64)
    adults = rng.integers(1, 3, size=size, dtype=np.int64)
    low_income = rng.random(size) < LOW_INCOME_SHARE
    return children, adults, low_income


# --- samskaping -------------------------------------------------------------------------


def samskaping_runner():
    from samskaping.payouts import load_policy, simulate

    policy = load_policy(POLICY)

    def run(children, adults, low_income) -> tuple[int, int]:
        columns = {
            "children": children.tolist(),
            "adults": adults.tolist(),
            "low_income": low_income.tolist(),
        }
        # The policy reads no `adults` column: it is carried through, as OpenFisca's
        # household roles carry it, and a column nobody declared would be an error.
        result = simulate(
            policy, columns, AS_OF, engine="numpy", progress=False, passthrough=("adults",)
        )
        return result.total.ore, result.reached

    return run


def samskaping_single(repeat: int, inner: int) -> list[float]:
    from samskaping.payouts import Household, Request, evaluate, load_policy

    policy = load_policy(POLICY)
    pot = policy.pot
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for i in range(inner):
            request = Request(
                id=f"r{i}",
                household=Household(
                    ref=f"h{i}", children=3, adults=2, attributes={"low_income": True}
                ),
            )
            decision, _ = evaluate(policy, request, pot, AS_OF)
        times.append((time.perf_counter() - start) / inner)
    if decision.amount.ore != 3 * 1600 * 100:
        raise RuntimeError(f"samskaping single decision gave {decision.amount}")
    return times


# --- OpenFisca --------------------------------------------------------------------------


def openfisca_runner():
    import numpy as np
    from openfisca_core.simulation_builder import SimulationBuilder

    sys.path.insert(0, str(HERE))
    from openfisca_system import ChildBenefitSystem

    system = ChildBenefitSystem()

    def run(children, adults, low_income) -> tuple[int, int]:
        households = len(children)
        sizes = adults + children
        persons = int(sizes.sum())
        household_of = np.repeat(np.arange(households), sizes)
        starts = np.cumsum(sizes) - sizes
        position = np.arange(persons) - np.repeat(starts, sizes)
        roles = (position >= np.repeat(adults, sizes)).astype(np.int64)  # 0 parent, 1 child
        builder = SimulationBuilder()
        builder.create_entities(system)
        builder.declare_person_entity("person", np.arange(persons))
        household = builder.declare_entity("household", np.arange(households))
        builder.join_with_persons(household, household_of, roles)
        simulation = builder.build(system)
        simulation.set_input("low_income", PERIOD, low_income)
        benefit = simulation.calculate("child_benefit", PERIOD)
        total_nok = int(benefit.sum(dtype=np.int64))
        return total_nok * 100, int(np.count_nonzero(benefit))

    return run


def openfisca_single(repeat: int, inner: int) -> list[float]:
    from openfisca_core.simulation_builder import SimulationBuilder

    sys.path.insert(0, str(HERE))
    from openfisca_system import ChildBenefitSystem

    system = ChildBenefitSystem()
    situation = {
        "persons": {name: {} for name in ("a1", "a2", "c1", "c2", "c3")},
        "households": {
            "h": {
                "parents": ["a1", "a2"],
                "children": ["c1", "c2", "c3"],
                "low_income": {PERIOD: True},
            }
        },
    }
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(inner):
            simulation = SimulationBuilder().build_from_entities(system, situation)
            amount = simulation.calculate("child_benefit", PERIOD)
        times.append((time.perf_counter() - start) / inner)
    if int(amount[0]) != 3 * 1600:
        raise RuntimeError(f"OpenFisca single household gave {amount}")
    return times


# --- one engine and size in this process ----------------------------------------------


def run_one(engine: str, size: int, repeat: int) -> dict:
    children, adults, low_income = generate(size)
    run = samskaping_runner() if engine == "samskaping" else openfisca_runner()
    gc.collect()
    before = maxrss_mib()
    start = time.perf_counter()
    total_ore, reached = run(children, adults, low_income)  # warm-up, and the memory run
    first = time.perf_counter() - start
    peak = maxrss_mib()
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        again = run(children, adults, low_income)
        times.append(time.perf_counter() - start)
        if again != (total_ore, reached):
            raise RuntimeError(f"{engine}: runs disagree: {again} != {(total_ore, reached)}")
    return {
        "engine": engine,
        "size": size,
        "persons": int((children + adults).sum()),
        "total_ore": total_ore,
        "reached": reached,
        "first_s": first,
        "times_s": times,
        "median_s": statistics.median(times),
        "rss_before_mib": before,
        "peak_rss_mib": peak,
        "version": version(engine),
    }


def version(engine: str) -> str:
    from importlib import metadata

    import numpy

    package = "samskaping" if engine == "samskaping" else "OpenFisca-Core"
    return f"{package} {metadata.version(package)}, numpy {numpy.__version__}"


# --- everything, each in its own process -----------------------------------------------


def machine() -> str:
    cpu = platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    system = f"Linux {platform.release()}, Python {platform.python_version()}"
    return f"{cpu}, {os.cpu_count()} cores, {system}"


def spawn(python: str, arguments: list[str], out: Path) -> dict:
    command = [python, str(Path(__file__).resolve()), *arguments, "--out", str(out)]
    completed = subprocess.run(command, check=False)
    if completed.returncode != 0:
        raise SystemExit(f"FAILED: {' '.join(arguments)} exited with {completed.returncode}")
    return json.loads(out.read_text())


def run_all(args: argparse.Namespace) -> int:
    pythons = {"samskaping": args.samskaping_python, "openfisca": args.openfisca_python}
    sizes = QUICK_SIZES if args.quick else SIZES
    work = Path(tempfile.mkdtemp(prefix="bench_population_"))
    results: dict[tuple[str, int], dict] = {}
    for size in sizes:
        repeat = 3 if args.quick else REPEATS[size]
        for engine in ("samskaping", "openfisca"):
            print(f"  running {engine} on {size:,} households ({repeat} runs) ...", flush=True)
            results[engine, size] = spawn(
                pythons[engine],
                ["run", "--engine", engine, "--size", str(size), "--repeat", str(repeat)],
                work / f"{engine}_{size}.json",
            )
    singles = {}
    for engine in ("samskaping", "openfisca"):
        print(f"  running {engine} single household ...", flush=True)
        singles[engine] = spawn(
            pythons[engine], ["single", "--engine", engine], work / f"{engine}_single.json"
        )
    return report(results, singles, sizes, args)


def report(results: dict, singles: dict, sizes, args: argparse.Namespace) -> int:
    lines = [
        (
            "Population workload: child benefit (1 600 kr per child per month, >= 1 child "
            f"and low income), seed {SEED}, end to end, median of repeated runs, "
            f"{time.strftime('%Y-%m-%d')}"
        ),
        f"Machine: {machine()}",
        f"samskaping: {results['samskaping', sizes[0]]['version']}",
        f"OpenFisca:  {results['openfisca', sizes[0]]['version']}",
        "",
        (
            f"{'households':>10} {'engine':<11} {'runs':>4} {'median s':>9} "
            f"{'households/s':>13} {'ratio':>6} {'peak MiB':>9} {'(+ over start)':>14} "
            f"{'total cost NOK':>17} {'same':>5}"
        ),
    ]
    all_same = True
    throughput_met = True
    memory_met = True
    for size in sizes:
        mine = results["samskaping", size]
        theirs = results["openfisca", size]
        same = (mine["total_ore"], mine["reached"]) == (theirs["total_ore"], theirs["reached"])
        all_same &= same
        ratio = theirs["median_s"] / mine["median_s"]
        throughput_met &= ratio >= 2
        memory_met &= mine["peak_rss_mib"] <= theirs["peak_rss_mib"]
        for r in (mine, theirs):
            rate = r["size"] / r["median_s"]
            shown = f"{ratio:.2f}" if r is mine else "1.00"
            lines.append(
                f"{r['size']:>10,} {r['engine']:<11} {len(r['times_s']):>4} {r['median_s']:>9.3f} "
                f"{rate:>13,.0f} {shown:>6} {r['peak_rss_mib']:>9.1f} "
                f"{r['peak_rss_mib'] - r['rss_before_mib']:>+14.1f} "
                f"{r['total_ore'] / 100:>17,.2f} {'yes' if same else 'NO':>5}"
            )
    lines.append("(ratio: samskaping's throughput over OpenFisca's in the same size)")
    lines.append("")
    growth = []
    for engine in ("samskaping", "openfisca"):
        medians = [results[engine, s]["median_s"] for s in sizes]
        steps = ", ".join(
            f"{sizes[i]:,}->{sizes[i + 1]:,}: x{medians[i + 1] / medians[i]:.1f}"
            for i in range(len(sizes) - 1)
        )
        growth.append(f"  {engine:<11} time grows {steps}")
    lines.append("Growth of time with size (x10 households each step):")
    lines.extend(growth)
    lines.append("")
    s_single = statistics.median(singles["samskaping"]["times_s"])
    o_single = statistics.median(singles["openfisca"]["times_s"])
    lines.append(
        "One household: samskaping evaluate() (Request built + decided): "
        f"{s_single * 1e6:,.1f} µs; OpenFisca build_from_entities + calculate: "
        f"{o_single * 1e6:,.1f} µs; ratio {o_single / s_single:.1f}x"
    )
    lines.append("")
    lines.append(f"Total cost identical in every size: {'yes' if all_same else 'NO'}")
    lines.append(
        f"Target throughput >= 2x OpenFisca in every size: {'MET' if throughput_met else 'NOT MET'}"
    )
    lines.append(
        f"Target peak memory <= OpenFisca's in every size: {'MET' if memory_met else 'NOT MET'}"
    )
    text = "\n".join(lines)
    print(text)
    if args.summary:
        Path(args.summary).write_text(text + "\n")
    return 0 if all_same else 2


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("run", help="one engine on one size, in this process")
    one.add_argument("--engine", required=True, choices=["samskaping", "openfisca"])
    one.add_argument("--size", required=True, type=int)
    one.add_argument("--repeat", type=int, default=3)
    one.add_argument("--out", required=True, type=Path)
    single = sub.add_parser("single", help="one household per decision or simulation")
    single.add_argument("--engine", required=True, choices=["samskaping", "openfisca"])
    single.add_argument("--repeat", type=int, default=15)
    single.add_argument("--out", required=True, type=Path)
    every = sub.add_parser("all", help="every engine and size, each in its own process")
    every.add_argument("--samskaping-python", required=True)
    every.add_argument("--openfisca-python", required=True)
    every.add_argument("--quick", action="store_true", help="10k and 100k households only")
    every.add_argument("--summary", help="also write the summary table to this file")
    args = parser.parse_args()
    if args.command == "run":
        args.out.write_text(json.dumps(run_one(args.engine, args.size, args.repeat)))
        return 0
    if args.command == "single":
        if args.engine == "samskaping":
            samskaping_single(2, 200)  # warm-up
            times = samskaping_single(args.repeat, 200)
        else:
            openfisca_single(2, 10)  # warm-up
            times = openfisca_single(args.repeat, 20)
        args.out.write_text(json.dumps({"engine": args.engine, "times_s": times}))
        return 0
    return run_all(args)


if __name__ == "__main__":
    sys.exit(main())
