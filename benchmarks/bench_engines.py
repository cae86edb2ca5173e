"""Cross-engine benchmark (issue 3, "Speed"): one outcome rule in several rule engines.

The rule: payout = budget × 0.20 if attainment ≥ 50 and the milestone is done;
budget × 0.10 if attainment ≥ 40; else 0. It runs over the same generated records
(fixed seed) in:

- ``plain``: a plain Python function (the baseline);
- ``samskaping-simulate``: samskaping's batch API, ``simulate(policy, columns, as_of)``,
  on its vectorised numpy path (``engine="numpy"``);
- ``samskaping-simulate-python``: the same call on its pure-Python path;
- ``samskaping-evaluate``: samskaping's per-record API, one ``evaluate`` decision per
  record (full Decision objects; building the Request objects is inside the timing);
- ``rule-engine``: ``rule_engine.Rule(...).evaluate(record)``;
- ``zen-expression``: ``zen.compile_expression(...).evaluate(record)``;
- ``zen-table``: a JDM decision table, ``ZenDecision.evaluate(record)`` per record;
- ``zen-table-batch``: the same JDM table through ``ZenEngine.evaluate_batch``;
- ``json-logic``: ``json_logic.jsonLogic(rule, record)`` (panzi-json-logic).

The target (issue 12): ``samskaping-simulate`` at least 1.5× as fast as ``zen-expression``,
with identical results; the summary prints the ratio and the machine's load average.

Every engine runs in its own process (the other engines live in their own venv, not
in samskaping's). The timed region starts from the same list of record dicts for all
engines and ends with one payout per record in the engine's own type; samskaping's
batch API is also handed the dicts, so turning them into columns is timed. Outputs
are normalised to whole øre (half up) outside the timing, and every engine's payouts
are compared record by record with the baseline.

Budgets are whole kroner, so every correct engine gives exact øre amounts even in
binary floating point (json-logic computes in floats).

Usage::

    python bench_engines.py run --engine NAME --data FILE --repeat 5 --out RESULT.json
    python bench_engines.py all --samskaping-python PY --engines-python PY [--records N]
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
POLICY = HERE / "policies" / "outcome_rule.toml"
SEED = 20240611
AS_OF = "2024-06-01"

#: The engines, in the order of the table, with the venv they need.
ENGINES = {
    "plain": "samskaping",
    "samskaping-simulate": "samskaping",
    "samskaping-simulate-python": "samskaping",
    "samskaping-evaluate": "samskaping",
    "rule-engine": "engines",
    "zen-expression": "engines",
    "zen-table": "engines",
    "zen-table-batch": "engines",
    "json-logic": "engines",
}
#: The samskaping row the issue's target is judged on (its batch API).
SAMSKAPING_HEADLINE = "samskaping-simulate"
#: The engine it is measured against, and by how much it must be faster (issue 12).
RIVAL = "zen-expression"
SPEED_TARGET = 1.5

RULE_ENGINE_TEXT = (
    "(milestone and attainment >= 50) ? budget * 0.20 : (attainment >= 40 ? budget * 0.10 : 0)"
)
ZEN_EXPRESSION = (
    "milestone and attainment >= 50 ? budget * 0.20 : (attainment >= 40 ? budget * 0.10 : 0)"
)
JSON_LOGIC_RULE = {
    "if": [
        {"and": [{"var": "milestone"}, {">=": [{"var": "attainment"}, 50]}]},
        {"*": [{"var": "budget"}, 0.20]},
        {">=": [{"var": "attainment"}, 40]},
        {"*": [{"var": "budget"}, 0.10]},
        0,
    ]
}
ZEN_TABLE = {
    "nodes": [
        {"id": "in", "type": "inputNode", "name": "Request", "position": {"x": 0, "y": 0}},
        {
            "id": "table",
            "type": "decisionTableNode",
            "name": "Outcome",
            "position": {"x": 200, "y": 0},
            "content": {
                "hitPolicy": "first",
                "inputs": [
                    {"id": "attainment", "name": "Attainment", "field": "attainment"},
                    {"id": "milestone", "name": "Milestone", "field": "milestone"},
                ],
                "outputs": [{"id": "payout", "name": "Payout", "field": "payout"}],
                "rules": [
                    {
                        "_id": "high",
                        "attainment": ">= 50",
                        "milestone": "true",
                        "payout": "budget * 0.20",
                    },
                    {
                        "_id": "low",
                        "attainment": ">= 40",
                        "milestone": "",
                        "payout": "budget * 0.10",
                    },
                    {"_id": "none", "attainment": "", "milestone": "", "payout": "0"},
                ],
            },
        },
        {"id": "out", "type": "outputNode", "name": "Response", "position": {"x": 400, "y": 0}},
    ],
    "edges": [
        {"id": "e1", "sourceId": "in", "targetId": "table", "type": "edge"},
        {"id": "e2", "sourceId": "table", "targetId": "out", "type": "edge"},
    ],
}


# --- data ---------------------------------------------------------------------------


def generate(n: int, seed: int = SEED) -> list[dict]:
    """``n`` records: budget 10 000-1 000 000 NOK (whole kroner), attainment 0-100, milestone."""
    rng = random.Random(seed)
    return [
        {
            "budget": rng.randrange(10_000, 1_000_001),
            "attainment": rng.randrange(0, 101),
            "milestone": rng.random() < 0.6,
        }
        for _ in range(n)
    ]


def plain_rule(record: dict) -> int:
    """The baseline: the rule as a plain Python function, in whole øre (budgets are whole NOK)."""
    attainment = record["attainment"]
    if attainment >= 50 and record["milestone"]:
        return record["budget"] * 20  # budget × 0.20 NOK = budget × 20 øre
    if attainment >= 40:
        return record["budget"] * 10
    return 0


def to_ore(value: object) -> int:
    """An engine's payout (int, float, Decimal) in whole øre, halves away from zero."""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return int((number * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- engines: each returns (run, normalise) ------------------------------------------


def engine_plain(_records: list[dict]):
    def run(records: list[dict]) -> list[int]:
        return [plain_rule(r) for r in records]

    return run, list


def engine_samskaping_simulate(_records: list[dict], *, engine: str):
    import datetime

    from samskaping.payouts import load_policy, simulate

    policy = load_policy(POLICY)
    as_of = datetime.date.fromisoformat(AS_OF)

    def run(records: list[dict]):
        columns = {
            "budget": [r["budget"] for r in records],
            "attainment": [r["attainment"] for r in records],
            "milestone_done": [r["milestone"] for r in records],
        }
        result = simulate(policy, columns, as_of, engine=engine, progress=False)
        if result.engine != engine:
            raise RuntimeError(f"asked for the {engine} path, got {result.engine}")
        return result.amounts_ore

    return run, list


def engine_samskaping_evaluate(_records: list[dict]):
    import datetime

    from samskaping import Money
    from samskaping.model import Pot
    from samskaping.payouts import Household, Request, evaluate, load_policy

    policy = load_policy(POLICY)
    as_of = datetime.date.fromisoformat(AS_OF)
    pot = Pot(id="benchmark", total=Money(10**12))

    def run(records: list[dict]):
        out = []
        for i, r in enumerate(records):
            request = Request(
                id=f"r{i}",
                household=Household(
                    ref=f"h{i}",
                    attributes={
                        "budget": r["budget"],
                        "attainment": r["attainment"],
                        "milestone_done": r["milestone"],
                    },
                ),
            )
            decision, _ = evaluate(policy, request, pot, as_of)
            out.append(decision.amount)
        return out

    return run, lambda amounts: [a.ore for a in amounts]


def engine_rule_engine(_records: list[dict]):
    import rule_engine

    rule = rule_engine.Rule(RULE_ENGINE_TEXT)

    def run(records: list[dict]):
        evaluate = rule.evaluate
        return [evaluate(r) for r in records]

    return run, lambda values: [to_ore(v) for v in values]


def engine_zen_expression(_records: list[dict]):
    import zen

    expression = zen.compile_expression(ZEN_EXPRESSION)

    def run(records: list[dict]):
        evaluate = expression.evaluate
        return [evaluate(r) for r in records]

    return run, lambda values: [to_ore(v) for v in values]


def engine_zen_table(_records: list[dict]):
    import zen

    decision = zen.ZenEngine().create_decision(json.dumps(ZEN_TABLE))

    def run(records: list[dict]):
        evaluate = decision.evaluate
        return [evaluate(r)["result"]["payout"] for r in records]

    return run, lambda values: [to_ore(v) for v in values]


def engine_zen_table_batch(_records: list[dict]):
    import zen

    engine = zen.ZenEngine({"loader": {"type": "static", "content": {"outcome": ZEN_TABLE}}})

    def run(records: list[dict]):
        answers = engine.evaluate_batch([{"key": "outcome", "context": r} for r in records])
        out = []
        for answer in answers:
            if not answer.get("success"):
                raise RuntimeError(f"zen evaluate_batch failed: {answer.get('error')}")
            out.append(answer["data"]["result"]["payout"])
        return out

    return run, lambda values: [to_ore(v) for v in values]


def engine_json_logic(_records: list[dict]):
    from json_logic import jsonLogic

    def run(records: list[dict]):
        return [jsonLogic(JSON_LOGIC_RULE, r) for r in records]

    return run, lambda values: [to_ore(v) for v in values]


def make_engine(name: str, records: list[dict]):
    makers = {
        "plain": engine_plain,
        "samskaping-simulate": lambda r: engine_samskaping_simulate(r, engine="numpy"),
        "samskaping-simulate-python": lambda r: engine_samskaping_simulate(r, engine="python"),
        "samskaping-evaluate": engine_samskaping_evaluate,
        "rule-engine": engine_rule_engine,
        "zen-expression": engine_zen_expression,
        "zen-table": engine_zen_table,
        "zen-table-batch": engine_zen_table_batch,
        "json-logic": engine_json_logic,
    }
    if name not in makers:
        raise SystemExit(f"unknown engine {name!r}")
    return makers[name](records)


def engine_version(name: str) -> str:
    from importlib import metadata

    package = {
        "rule-engine": "rule-engine",
        "zen-expression": "zen-engine",
        "zen-table": "zen-engine",
        "zen-table-batch": "zen-engine",
        "json-logic": "panzi-json-logic",
    }.get(name)
    if name.startswith("samskaping"):
        import samskaping

        return f"samskaping {samskaping.__version__}"
    if package is None:
        return f"Python {platform.python_version()}"
    return f"{package} {metadata.version(package)}"


# --- one engine in this process --------------------------------------------------------


def outcome_summary(payouts: list[int], records: list[dict]) -> dict:
    counts = {"high_20pct": 0, "low_10pct": 0, "none": 0, "other": 0}
    for ore, record in zip(payouts, records, strict=True):
        budget = record["budget"]
        if ore == budget * 20:
            counts["high_20pct"] += 1
        elif ore == budget * 10:
            counts["low_10pct"] += 1
        elif ore == 0:
            counts["none"] += 1
        else:
            counts["other"] += 1
    digest = hashlib.sha256(",".join(map(str, payouts)).encode()).hexdigest()
    return {"counts": counts, "sum_ore": sum(payouts), "sha256": digest}


def run_one(name: str, data: Path, repeat: int, warmup: int) -> dict:
    records = json.loads(data.read_text())
    run, normalise = make_engine(name, records)
    # Warm up on a slice (imports, caches, compiled policies), then time whole runs.
    run(records[:warmup])
    times = []
    payouts = None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        values = run(records)
        times.append(time.perf_counter() - start)
        if payouts is None:
            payouts = normalise(values)
        del values
    assert payouts is not None
    return {
        "engine": name,
        "version": engine_version(name),
        "records": len(records),
        "repeat": repeat,
        "times_s": times,
        "median_s": statistics.median(times),
        **outcome_summary(payouts, records),
    }


# --- all engines, each in its own process ----------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    system = f"Linux {platform.release()}, Python {platform.python_version()}"
    return f"{cpu}, {os.cpu_count()} cores, {system}"


def load() -> str:
    """The machine's load average over 1, 5 and 15 minutes (the machine may be shared)."""
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover  (not on every platform)
        return "unknown"


def run_all(args: argparse.Namespace) -> int:
    args.load_at_start = load()
    pythons = {"samskaping": args.samskaping_python, "engines": args.engines_python}
    engines = args.only or list(ENGINES)
    work = Path(tempfile.mkdtemp(prefix="bench_engines_"))
    data = work / "records.json"
    records = generate(args.records)
    data.write_text(json.dumps(records))
    results = {}
    for name in engines:
        out = work / f"{name}.json"
        repeat = args.slow_repeat if name in {"zen-table", "samskaping-evaluate"} else args.repeat
        command = [
            pythons[ENGINES[name]],
            str(Path(__file__).resolve()),
            "run",
            "--engine",
            name,
            "--data",
            str(data),
            "--repeat",
            str(repeat),
            "--warmup",
            str(min(args.warmup, args.records)),
            "--out",
            str(out),
        ]
        print(f"  running {name} ({repeat} runs) ...", flush=True)
        completed = subprocess.run(command, check=False)
        if completed.returncode != 0:
            print(f"FAILED: {name} exited with {completed.returncode}", file=sys.stderr)
            return 1
        results[name] = json.loads(out.read_text())
    return report(results, args)


def report(results: dict, args: argparse.Namespace) -> int:
    base = results["plain"]
    base_per = base["median_s"] / base["records"]
    lines = [
        (
            f"Cross-engine workload: outcome rule over {base['records']:,} records "
            f"(seed {SEED}), median of repeated runs, {time.strftime('%Y-%m-%d')}"
        ),
        f"Machine: {machine()}",
        "",
        (
            f"{'engine':<28} {'version':<24} {'runs':>4} {'median s':>9} {'µs/record':>10} "
            f"{'× plain':>8}"
        ),
    ]
    for name, r in results.items():
        per = r["median_s"] / r["records"]
        lines.append(
            f"{name:<28} {r['version']:<24} {r['repeat']:>4} {r['median_s']:>9.3f} "
            f"{per * 1e6:>10.3f} {per / base_per:>8.2f}"
        )
    lines.append("")
    lines.append(
        "Result check (count of each outcome, sum of payouts in øre, SHA-256 of all payouts):"
    )
    reference = (base["counts"], base["sum_ore"], base["sha256"])
    identical = True
    for name, r in results.items():
        same = (r["counts"], r["sum_ore"], r["sha256"]) == reference
        identical &= same
        c = r["counts"]
        lines.append(
            f"  {name:<28} high={c['high_20pct']} low={c['low_10pct']} none={c['none']} "
            f"other={c['other']} sum={r['sum_ore']} sha256={r['sha256'][:12]} "
            f"{'SAME' if same else 'DIFFERENT'}"
        )
    lines.append(f"  all engines identical: {'yes' if identical else 'NO'}")
    lines.append("")
    if SAMSKAPING_HEADLINE in results:
        mine = results[SAMSKAPING_HEADLINE]["median_s"]
        others = {
            n: r["median_s"]
            for n, r in results.items()
            if n != "plain" and not n.startswith("samskaping")
        }
        slower_than = [n for n, t in others.items() if t <= mine]
        met = not slower_than and bool(others)
        lines.append(
            f"Target (samskaping batch API faster than every other engine except plain): "
            f"{'MET' if met else 'NOT MET'}"
            + ("" if met else f" (not faster than: {', '.join(slower_than)})")
        )
    if SAMSKAPING_HEADLINE in results and RIVAL in results:
        ratio = results[RIVAL]["median_s"] / results[SAMSKAPING_HEADLINE]["median_s"]
        lines.append(
            f"{SAMSKAPING_HEADLINE} against {RIVAL}: {ratio:.2f}× as fast "
            f"(target at least {SPEED_TARGET}×): {'MET' if ratio >= SPEED_TARGET else 'NOT MET'}"
        )
    lines.append(
        f"Load average (1, 5, 15 min) at the start: {args.load_at_start}; at the end: {load()}"
    )
    text = "\n".join(lines)
    print(text)
    if args.summary:
        Path(args.summary).write_text(text + "\n")
    return 0 if identical else 2


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("run", help="time one engine in this process")
    one.add_argument("--engine", required=True, choices=list(ENGINES))
    one.add_argument("--data", required=True, type=Path)
    one.add_argument("--repeat", type=int, default=5)
    one.add_argument("--warmup", type=int, default=10_000)
    one.add_argument("--out", required=True, type=Path)
    every = sub.add_parser("all", help="time every engine, each in its own process")
    every.add_argument("--samskaping-python", required=True)
    every.add_argument("--engines-python", required=True)
    every.add_argument("--records", type=int, default=100_000)
    every.add_argument("--repeat", type=int, default=5)
    every.add_argument(
        "--slow-repeat", type=int, default=3, help="runs for the slowest per-record engines"
    )
    every.add_argument("--warmup", type=int, default=10_000)
    every.add_argument("--only", nargs="*", choices=list(ENGINES))
    every.add_argument("--summary", help="also write the summary table to this file")
    args = parser.parse_args()
    if args.command == "run":
        result = run_one(args.engine, args.data, args.repeat, args.warmup)
        args.out.write_text(json.dumps(result))
        return 0
    if args.only and "plain" not in args.only:
        args.only = ["plain", *args.only]
    return run_all(args)


if __name__ == "__main__":
    sys.exit(main())
