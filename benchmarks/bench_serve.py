"""Load test of ``samskaping serve`` with wrk, and OpenFisca's web API on the same calculation.

Everything runs on this machine and talks to 127.0.0.1 only; each run is bounded in
time (``--duration`` seconds) and in connections. Needs ``wrk`` (Debian: ``apt-get
install wrk``).

Three workloads, each with N connections (``--connections``) for D seconds:

- **decisions**: ``POST /v1/decisions``: durable decisions recorded in the ledger, every
  request a new request id, all against one pot (1 000 000 kr, 100 kr each, so the pot
  runs out part way and later requests are rejected for lack of money: the point is
  that it never goes below zero). Afterwards the pot is read back from the ledger and
  checked to the øre: ``total = available + committed + disbursed``, ``available >= 0``,
  and ``committed`` equals the sum of the amounts of the decisions recorded as granted.
- **dry run**: ``POST /v1/dry-run/evaluate``: the population benchmark's one-household
  calculation (``policies/population_child_benefit.toml``: 3 children, 2 adults, low
  income), nothing recorded.
- **baseline**: ``serve_baseline_app.py``, a bare Starlette endpoint with one durable
  SQLite insert per request (WAL, ``synchronous=FULL``), with the same workers: the
  ceiling a durable decision is compared with.
- **OpenFisca**: ``openfisca serve`` with the same number of workers, ``POST /calculate``
  of the same household in ``openfisca_system/`` (``--openfisca-python``: a venv with
  ``openfisca-core[web-api]``).

wrk reports throughput and latency percentiles; a Lua hook counts 5xx answers and
wrk counts socket errors (connect, read, write, timeout: dropped connections).

    python benchmarks/bench_serve.py --duration 10 --connections 16 --workers 2 \\
        [--postgres postgresql://...] [--openfisca-python benchmarks/.venvs/openfisca-web/bin/python]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
POLICY = HERE / "policies" / "population_child_benefit.toml"

LUA = r"""
local counter = 0
local threads = {}
local made = 0
s5xx = 0
s4xx = 0
function setup(thread)
  made = made + 1
  thread:set("tid", made)
  table.insert(threads, thread)
end
function init(args)
  path = args[1]
  mode = args[2]
  token = args[3]
end
function request()
  counter = counter + 1
  local body
  if mode == "decide" then
    body = '{"pot":"pa_egne_ben","as_of":"2022-03-01","request":{"id":"w' .. tid .. '-' .. counter ..
      '","household":{"ref":"h' .. tid .. '-' .. counter ..
      '","attributes":{"youth_age":19,"in_contact_with_services":true}},' ..
      '"amount":"100.00","purpose":"driving_licence"}}'
  elseif mode == "dry" then
    body = '{"policy":"benchmark_child_benefit","as_of":"2022-03-01","request":{"id":"b1",' ..
      '"household":{"ref":"h1","children":3,"adults":2,"attributes":{"low_income":true}}}}'
  else
    body = '{"persons":{"a1":{},"a2":{},"c1":{},"c2":{},"c3":{}},"households":{"h1":' ..
      '{"parents":["a1","a2"],"children":["c1","c2","c3"],"low_income":{"2022-03":true},' ..
      '"child_benefit":{"2022-03":null}}}}'
  end
  local headers = {["Content-Type"] = "application/json"}
  if token ~= "" then headers["Authorization"] = "Bearer " .. token end
  return wrk.format("POST", path, headers, body)
end
function response(status, headers, body)
  if status >= 500 then s5xx = s5xx + 1 elseif status >= 400 then s4xx = s4xx + 1 end
end
function done(summary, latency, requests)
  local five, four = 0, 0
  for _, thread in ipairs(threads) do
    five = five + thread:get("s5xx")
    four = four + thread:get("s4xx")
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"non2xx":%d,' ..
    '"s5xx":%d,"s4xx":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.timeout, e.status,
    five, four))
end
"""

TOKEN = "bench-worker-token-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(log.read_text("utf-8")[-3000:]) from None
            time.sleep(0.2)


@contextlib.contextmanager
def service(command: list[str], url: str, log: Path, env: dict[str, str]) -> Iterator[None]:
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            wait_until_up(url, process, log)
            yield
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def samskaping_service(folder: Path, db: str, workers: int) -> tuple[list[str], str, Path]:
    import hashlib

    digest = hashlib.sha256(TOKEN.encode()).hexdigest()
    config = folder / "serve.toml"
    config.write_text(
        f'policy_files = ["{POLICY}"]\n[[tokens]]\nactor = "bench"\nsha256 = "{digest}"\n'
        'roles = ["worker"]\n',
        encoding="utf-8",
    )
    port = free_port()
    command = [
        sys.executable, "-m", "samskaping", "serve", "--db", db, "--config", str(config),
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--setup-builtin", "--log-level", "warning",
    ]  # fmt: skip
    return command, f"http://127.0.0.1:{port}", folder / "serve.log"


def wrk(  # noqa: PLR0917
    base: str, path: str, mode: str, token: str, args: argparse.Namespace, folder: Path
) -> dict:
    script = folder / "bench.lua"
    script.write_text(LUA, encoding="utf-8")
    command = [
        "wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
        "--timeout", "10s", "-s", str(script), base, "--", path, mode, token,
    ]  # fmt: skip
    result = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=args.duration + 60
    )
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("RESULT "))
    data = json.loads(line.removeprefix("RESULT "))
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data


@contextlib.contextmanager
def postgres_cluster() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on a Unix socket (fsync on: durable), as ``postgres``."""
    import urllib.parse

    def as_postgres(command: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command

    base = Path(tempfile.mkdtemp(prefix="samskaping-bench-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    base.chmod(0o700)
    data = base / "data"
    subprocess.run(as_postgres(["initdb", "-D", str(data), "-U", "postgres", "--auth=trust",
                                "-E", "UTF8", "--no-instructions"]),
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    options = f"-k {base} -c listen_addresses='' -c max_connections=60"
    subprocess.run(as_postgres(["pg_ctl", "-D", str(data), "-l", str(base / "log"), "-o",
                                options, "-w", "start"]),
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    try:
        yield f"postgresql:///postgres?host={urllib.parse.quote(str(base))}&user=postgres"
    finally:
        subprocess.run(as_postgres(["pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop"]),
                       check=False, capture_output=True, timeout=60)  # fmt: skip
        shutil.rmtree(base, ignore_errors=True)


def pot_invariant(db: str) -> dict:
    """Read the pot back from the ledger and check it to the øre."""
    from samskaping.ledger import open_ledger

    with open_ledger(db) as ledger:
        state = ledger.pot_state("pa_egne_ben")
        granted = Decimal(0)
        decisions = 0
        for entry in ledger.entries(pot_id="pa_egne_ben"):
            if entry.kind.value == "decision":
                decisions += 1
                payload = entry.payload
                outcome = payload.get("outcome", payload)
                if outcome.get("status") in {"granted", "partial"}:
                    granted += Decimal(outcome["amount"])
        report = ledger.verify()
    total = state.total.amount
    sums = state.available.amount + state.committed.amount + state.disbursed.amount
    return {
        "decisions": decisions,
        "total": str(total),
        "available": str(state.available.amount),
        "committed": str(state.committed.amount),
        "granted_sum": str(granted),
        "conserved": total == sums
        and state.available.amount >= 0
        and granted == state.committed.amount,
        "chain_ok": report.ok,
    }


def line(name: str, r: dict) -> str:
    dropped = r["connect"] + r["read"] + r["write"] + r["timeout"]
    return (
        f"{name:<34} {r['rps']:>8.0f} req/s  p50 {r['p50_us'] / 1000:>6.1f} ms  "
        f"p95 {r['p95_us'] / 1000:>6.1f} ms  p99 {r['p99_us'] / 1000:>6.1f} ms  "
        f"5xx {r['s5xx']}  4xx {r['s4xx']}  dropped {dropped}  ({r['requests']} requests)"
    )


def openfisca(args: argparse.Namespace, folder: Path) -> dict | None:
    if not args.openfisca_python:
        return None
    shim = folder / "shim"
    (shim / "openfisca_bench_country").mkdir(parents=True)
    (shim / "openfisca_bench_country" / "__init__.py").write_text(
        "from openfisca_system import ChildBenefitSystem as CountryTaxBenefitSystem\n",
        encoding="utf-8",
    )
    port = free_port()
    openfisca_bin = str(Path(args.openfisca_python).parent / "openfisca")
    command = [
        openfisca_bin, "serve", "--country-package", "openfisca_bench_country",
        "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": f"{shim}:{HERE}"}
    base = f"http://127.0.0.1:{port}"
    with service(command, base + "/spec", folder / "openfisca.log", env):
        check = urllib.request.Request(
            base + "/calculate",
            data=json.dumps({
                "persons": {n: {} for n in ("a1", "a2", "c1", "c2", "c3")},
                "households": {"h1": {"parents": ["a1", "a2"], "children": ["c1", "c2", "c3"],
                               "low_income": {"2022-03": True}, "child_benefit": {"2022-03": None}}},
            }).encode(),
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(check, timeout=10) as answer:
            value = json.loads(answer.read())["households"]["h1"]["child_benefit"]["2022-03"]
        print(f"OpenFisca answers {value} for the household")
        return wrk(base, "/calculate", "openfisca", "", args, folder)


def baseline(args: argparse.Namespace, folder: Path) -> dict:
    """A bare Starlette endpoint with one durable SQLite insert, under the same load."""
    port = free_port()
    command = [
        sys.executable, "-m", "uvicorn", "serve_baseline_app:app", "--app-dir", str(HERE),
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers),
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    env = {**os.environ, "BASELINE_DB": str(folder / "baseline.db")}
    base = f"http://127.0.0.1:{port}"
    with service(command, base + "/health", folder / "baseline.log", env):
        return wrk(base, "/insert", "decide", "", args, folder)


def run_backend(label: str, db: str, args: argparse.Namespace, folder: Path) -> dict:
    command, base, log = samskaping_service(folder, db, args.workers)
    env = {**os.environ}
    results = {}
    with service(command, base + "/health", log, env):
        probe = urllib.request.Request(
            base + "/v1/dry-run/evaluate",
            data=json.dumps({"policy": "benchmark_child_benefit", "as_of": "2022-03-01",
                             "request": {"id": "b1", "household": {"ref": "h1", "children": 3,
                                         "adults": 2, "attributes": {"low_income": True}}}}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"},
        )  # fmt: skip
        with urllib.request.urlopen(probe, timeout=10) as answer:
            print(f"samskaping answers {json.loads(answer.read())['amount']} for the household")
        results["decisions"] = wrk(base, "/v1/decisions", "decide", TOKEN, args, folder)
        print(line(f"{label}: durable decisions", results["decisions"]))
        results["dry"] = wrk(base, "/v1/dry-run/evaluate", "dry", TOKEN, args, folder)
        print(line(f"{label}: dry run", results["dry"]))
    crashes = [
        ln
        for ln in log.read_text("utf-8").splitlines()
        if '"level":"error"' in ln or "Traceback" in ln
    ]
    results["crashes"] = len(crashes)
    results["pot"] = pot_invariant(db)
    print(f"{label}: pot after: {json.dumps(results['pot'])}; crashes in log: {len(crashes)}")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per workload (max 60)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="also run on PostgreSQL: a URL, or auto for a throwaway cluster",
    )
    parser.add_argument("--openfisca-python", metavar="PY")
    parser.add_argument("--out", metavar="FILE", help="write the figures as JSON")
    args = parser.parse_args()
    args.duration = max(1, min(args.duration, 60))
    if shutil.which("wrk") is None:
        print("bench_serve.py needs wrk (apt-get install wrk)", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="samskaping-load-"))
    print(f"{args.connections} connections, {args.threads} wrk threads, {args.workers} workers, "
          f"{args.duration} s per workload, loopback only")  # fmt: skip
    figures: dict[str, object] = {"settings": vars(args)}
    try:
        figures["baseline"] = baseline(args, folder)
        print(line("baseline: bare Starlette + 1 insert", figures["baseline"]))
        figures["sqlite"] = run_backend("SQLite", str(folder / "ledger.db"), args, folder)
        ratio = figures["sqlite"]["decisions"]["rps"] / figures["baseline"]["rps"]  # type: ignore[index]
        print(f"durable decisions / baseline throughput: {ratio:.2f}x")
        if args.postgres == "auto":
            with postgres_cluster() as url:
                figures["postgresql"] = run_backend("PostgreSQL", url, args, folder)
        elif args.postgres:
            figures["postgresql"] = run_backend("PostgreSQL", args.postgres, args, folder)
        of = openfisca(args, folder)
        if of is not None:
            figures["openfisca"] = of
            print(line("OpenFisca web API: /calculate", of))
            dry = figures["sqlite"]["dry"]  # type: ignore[index]
            print(f"dry run / OpenFisca throughput: {dry['rps'] / of['rps']:.2f}x")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if args.out:
        Path(args.out).write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
