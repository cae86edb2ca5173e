"""Ledger workload: the decision ledger against in-memory decisions and bare SQLite.

Four measurements, side by side in one run:

1. **Flat decision time.** One decision with 10, 10 000 and 1 000 000 earlier entries,
   durable on SQLite (``Ledger.decide``) and in memory (``evaluate``, each decision on
   the pot the one before left, and again on one fixed pot). The large ledgers are
   built by bulk insert of entries, household keys and projections (only the head is
   a real hash; ``verify`` is not run on them). Calls rotate between the sizes, so
   disk and machine noise fall on all of them alike. Target: largest ≤ 1.3 × smallest.
2. **Durable single decisions per second** on SQLite, against a bare baseline in the
   same run: hand-written ``sqlite3`` inserts of the same entry bytes (read back from
   the ledger), WAL and ``synchronous=FULL``, one ``BEGIN IMMEDIATE`` transaction
   each. Target: at least half the baseline's rate.
3. **Allocation of 10 000 requests in one transaction**, traces included
   (``Ledger.allocate``), beside the in-memory ``allocate`` of the same requests.
   Target: at least 5 000 decisions a second.
4. **PostgreSQL with 1, 4 and 8 concurrent writers** (processes) on one pot:
   throughput, p99 latency, and a check that nothing was overspent. The server is
   ``SAMSKAPING_BENCH_POSTGRES_URL`` if set; otherwise a throwaway cluster is started
   (as the ``postgres`` user when run as root) and removed afterwards.

Run from a clone (``pip install -e ".[postgres]"``)::

    python benchmarks/bench_ledger.py [--quick] [--json]
"""

from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

# Run from a clone: use the source tree next to this script, not an installed copy.
_SOURCE = Path(__file__).resolve().parents[1] / "src"
if (_SOURCE / "samskaping").is_dir():
    sys.path.insert(0, str(_SOURCE))

from samskaping import Money  # noqa: E402
from samskaping.ledger import open_ledger  # noqa: E402
from samskaping.model import PaymentType, Pot, PotEntry  # noqa: E402
from samskaping.payouts import Household, Request, allocate, evaluate, load_policy  # noqa: E402

DAY = datetime.date(2021, 9, 1)
POLICY = load_policy("pa_egne_ben")
BIG = Pot(id="big", total=Money(10**11), allowed_types=(PaymentType.CONDITIONAL,))


def _request(number: int, households: int, prefix: str = "q") -> Request:
    household = Household(
        ref=f"b{number % households}",
        attributes={"youth_age": 16 + number % 10, "in_contact_with_services": True},
    )
    return Request(id=f"{prefix}{number}", household=household,
                   amount=Money(100 + number % 9000), purpose="gift_card_sports")  # fmt: skip


def _ledger_with(path: Path, entries: int) -> None:
    """A SQLite ledger with ``entries`` earlier entries, built by bulk insert."""
    with open_ledger(path) as ledger:
        ledger.register_policy(POLICY, actor="bench")
        ledger.open_pot(BIG, policy_id="pa_egne_ben", actor="bench")
    households = max(1, min(entries, 100_000))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")  # only while building
    at = "2021-09-01T08:00:00.000000Z"
    with conn:
        conn.executemany(
            "INSERT INTO household_keys VALUES (?, ?, ?)",
            ((f"b{h}", f"hh-bulk{h}", "00" * 32) for h in range(households)),
        )
        conn.executemany(
            "INSERT INTO households VALUES ('big', ?, ?, ?, ?, '2021-09-01', '2021-09-01', ?)",
            ((f"hh-bulk{h}", 100 * (entries // households), entries // households,
              entries // households, at) for h in range(households)),
        )  # fmt: skip
        payload = '{"amount":"1.00","decision_id":"x","status":"granted"}'
        conn.executemany(
            "INSERT INTO entries VALUES (?, ?, 'bench', 'decision', 'big', ?, 1, ?, ?, ?)",
            ((seq, at, f"hh-bulk{seq % households}", payload, "0" * 64, "0" * 64)
             for seq in range(3, entries + 3)),
        )  # fmt: skip
        conn.executemany(
            "INSERT INTO decisions VALUES (?, 'big', ?, ?, 'granted', 'granted', 100, 1, '[]', ?)",
            ((f"bulk{seq}", seq, f"hh-bulk{seq % households}", at)
             for seq in range(3, entries + 3)),
        )  # fmt: skip
        conn.execute(
            "UPDATE pots SET committed = ?, decisions = ? WHERE pot_id = 'big'",
            (100 * entries, entries),
        )
        conn.execute("UPDATE head SET seq = ?, hash = ? WHERE id = 1", (entries + 2, "0" * 64))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def flat(sizes: list[int], calls: int, folder: Path) -> dict[str, Any]:
    """Decision time by the number of earlier entries, on SQLite and in memory."""
    ledgers = {}
    for size in sizes:
        path = folder / f"flat{size}.db"
        started = time.perf_counter()
        _ledger_with(path, size)
        print(f"  built a ledger of {size:,} entries in {time.perf_counter() - started:.1f} s")
        ledgers[size] = open_ledger(path)
    pots = {}
    for size in sizes:
        entries = tuple(
            PotEntry(id=f"e{i}", amount=Money(1), date=DAY, payment_type=PaymentType.CONDITIONAL,
                     reference=f"b{i % 100_000}")
            for i in range(size)
        )  # fmt: skip
        pots[size] = BIG.__class__(id="big", total=Money(10**11), commitments=entries)
    timings: dict[str, dict[int, list[float]]] = {
        kind: {size: [] for size in sizes} for kind in ("sqlite", "memory_chain", "memory_fixed")
    }
    chain = dict(pots)
    for number in range(calls):
        for size in sizes:
            request = _request(number, min(size, 100_000) or 1)
            started = time.perf_counter()
            ledgers[size].decide(request, pot_id="big", as_of=DAY, actor="bench")
            timings["sqlite"][size].append(time.perf_counter() - started)
            started = time.perf_counter()
            _decision, chain[size] = evaluate(POLICY, request, chain[size], DAY)
            timings["memory_chain"][size].append(time.perf_counter() - started)
            started = time.perf_counter()
            evaluate(POLICY, request, pots[size], DAY)
            timings["memory_fixed"][size].append(time.perf_counter() - started)
    for ledger in ledgers.values():
        ledger.close()
    out: dict[str, Any] = {}
    for kind, by_size in timings.items():
        medians = {size: statistics.median(values[5:]) * 1000 for size, values in by_size.items()}
        out[kind] = {
            "median_ms": medians,
            "ratio_largest_to_smallest": medians[sizes[-1]] / medians[sizes[0]],
        }
    return out


def durable(count: int, folder: Path) -> dict[str, Any]:
    """Durable single decisions per second, against bare sqlite3 inserts of the same bytes."""
    path = folder / "durable.db"
    with open_ledger(path) as ledger:
        ledger.register_policy(POLICY, actor="bench")
        ledger.open_pot(BIG, policy_id="pa_egne_ben", actor="bench")
        started = time.perf_counter()
        for number in range(count):
            ledger.decide(_request(number, 500, "d"), pot_id="big", as_of=DAY, actor="bench")
        ledger_seconds = time.perf_counter() - started
    source = sqlite3.connect(path)
    rows = source.execute("SELECT * FROM entries WHERE kind = 'decision' ORDER BY seq").fetchall()
    source.close()
    bare = folder / "bare.db"
    conn = sqlite3.connect(bare, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(
        "CREATE TABLE entries (seq BIGINT PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,"
        " kind TEXT NOT NULL, pot_id TEXT, household TEXT, payload_version INTEGER NOT NULL,"
        " payload TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)"
    )
    started = time.perf_counter()
    for row in rows:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
        conn.execute("COMMIT")
    bare_seconds = time.perf_counter() - started
    conn.close()
    ledger_rate = count / ledger_seconds
    bare_rate = len(rows) / bare_seconds
    return {
        "decisions": count,
        "ledger_per_second": ledger_rate,
        "bare_sqlite3_per_second": bare_rate,
        "ratio": ledger_rate / bare_rate,
        "payload_bytes_mean": statistics.mean(len(r[7]) for r in rows),
    }


class _NoHistory:
    """An empty history (a PotHistory): the engine's cost without any store."""

    def used(self) -> int:
        return 0

    def household(self, ref: str | None) -> tuple[int, int]:
        del ref
        return 0, 0

    def decided(self, request_id: str) -> bool:
        del request_id
        return False


def batch(count: int, folder: Path) -> dict[str, Any]:
    """An allocation of ``count`` requests in one transaction, beside in-memory allocate."""
    requests = [_request(n, count, "a") for n in range(count)]
    started = time.perf_counter()
    allocate(POLICY, requests, BIG, DAY, trace=True)
    memory_seconds = time.perf_counter() - started
    # The engine alone: the same decisions with traces, no pot entries to copy.
    empty = BIG
    started = time.perf_counter()
    for request in requests:
        evaluate(POLICY, request, empty, DAY, trace=True, history=_NoHistory())
    engine_seconds = time.perf_counter() - started
    path = folder / "batch.db"
    with open_ledger(path) as ledger:
        ledger.register_policy(POLICY, actor="bench")
        ledger.open_pot(BIG, policy_id="pa_egne_ben", actor="bench")
        started = time.perf_counter()
        ledger.allocate(requests, pot_id="big", as_of=DAY, actor="bench")
        ledger_seconds = time.perf_counter() - started
        verified = ledger.verify().ok
    return {
        "requests": count,
        "ledger_per_second": count / ledger_seconds,
        "memory_allocate_per_second": count / memory_seconds,
        "engine_alone_per_second": count / engine_seconds,
        "verified": verified,
    }


# --- PostgreSQL ---


def _start_postgres() -> tuple[str, Path, list[str]]:
    base = Path(tempfile.mkdtemp(prefix="samskaping-bench-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    data = base / "data"
    subprocess.run([*prefix, "initdb", "-D", str(data), "-U", "postgres", "--auth=trust",
                    "--no-instructions"], check=True, capture_output=True)  # fmt: skip
    options = f"-k {base} -c listen_addresses='' -c max_connections=40"
    subprocess.run([*prefix, "pg_ctl", "-D", str(data), "-l", str(base / "log"), "-o", options,
                    "-w", "start"], check=True, capture_output=True)  # fmt: skip
    url = f"postgresql:///postgres?host={urllib.parse.quote(str(base))}&user=postgres"
    return url, base, [*prefix, "pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop"]


def _writer(url: str, worker: int, count: int, out: Any) -> None:
    latencies = []
    with open_ledger(url) as ledger:
        for number in range(count):
            request = _request(worker * 100_000 + number, 10**9, "p")
            started = time.perf_counter()
            ledger.decide(request, pot_id="small", as_of=DAY, actor=f"w{worker}")
            latencies.append(time.perf_counter() - started)
    out.put(latencies)


def postgres(writers_list: list[int], per_writer: int) -> dict[str, Any]:
    """Throughput and p99 with several writers on one pot; nothing overspent."""
    import psycopg

    given = os.environ.get("SAMSKAPING_BENCH_POSTGRES_URL")
    started_here = None
    if given:
        server = given
    else:
        server, base, stop = _start_postgres()
        started_here = (base, stop)
    results: dict[str, Any] = {}
    try:
        context = multiprocessing.get_context("fork")
        for writers in writers_list:
            schema = f"bench{writers}"
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
                conn.execute(f"CREATE SCHEMA {schema}")
            url = server + "&options=" + urllib.parse.quote(f"-c search_path={schema}")
            # A pot that runs out halfway: the writers race for the last of it.
            total = Money(writers * per_writer * 4000 // 2)
            small = Pot(id="small", total=total, allowed_types=(PaymentType.CONDITIONAL,))
            with open_ledger(url) as ledger:
                ledger.register_policy(POLICY, actor="bench")
                ledger.open_pot(small, policy_id="pa_egne_ben", actor="bench")
            queue = context.Queue()
            processes = [context.Process(target=_writer, args=(url, w, per_writer, queue))
                         for w in range(writers)]  # fmt: skip
            started = time.perf_counter()
            for process in processes:
                process.start()
            latencies = [x for _ in processes for x in queue.get(timeout=600)]
            for process in processes:
                process.join()
            seconds = time.perf_counter() - started
            with open_ledger(url) as ledger:
                state = ledger.pot_state("small")
                ok = ledger.verify().ok
            latencies.sort()
            results[str(writers)] = {
                "decisions": len(latencies),
                "per_second": len(latencies) / seconds,
                "p50_ms": latencies[len(latencies) // 2] * 1000,
                "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
                "committed": str(state.committed.amount),
                "total": str(state.total.amount),
                "overspent": state.committed + state.disbursed > state.total,
                "verified": ok,
            }
    finally:
        if started_here is not None:
            subprocess.run(started_here[1], check=False, capture_output=True)
            shutil.rmtree(started_here[0], ignore_errors=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a smoke test")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--no-postgres", action="store_true", help="skip PostgreSQL")
    args = parser.parse_args()
    sizes = [10, 10_000, 100_000] if args.quick else [10, 10_000, 1_000_000]
    folder = Path(tempfile.mkdtemp(prefix="samskaping-bench-ledger-"))
    results: dict[str, Any] = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }
    try:
        print("1. decision time by earlier entries")
        results["flat"] = flat(sizes, 60 if args.quick else 200, folder)
        print("2. durable single decisions")
        results["durable"] = durable(100 if args.quick else 300, folder)
        print("3. allocation in one transaction")
        results["batch"] = batch(2000 if args.quick else 10_000, folder)
        if not args.no_postgres:
            print("4. PostgreSQL writers")
            results["postgres"] = postgres([1, 4, 8], 20 if args.quick else 60)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        print(json.dumps(results, indent=2, default=str))
        return
    for kind, data in results["flat"].items():
        cells = ", ".join(f"{size:,}: {ms:.3f} ms" for size, ms in data["median_ms"].items())
        print(f"flat {kind:<13} {cells}; largest/smallest {data['ratio_largest_to_smallest']:.2f}")
    d = results["durable"]
    print(f"durable: ledger {d['ledger_per_second']:.0f}/s, bare sqlite3 "
          f"{d['bare_sqlite3_per_second']:.0f}/s, ratio {d['ratio']:.2f}")  # fmt: skip
    b = results["batch"]
    print(f"batch: ledger {b['ledger_per_second']:.0f}/s, in-memory allocate "
          f"{b['memory_allocate_per_second']:.0f}/s, engine alone "
          f"{b['engine_alone_per_second']:.0f}/s, verified {b['verified']}")  # fmt: skip
    for writers, p in results.get("postgres", {}).items():
        print(f"postgres {writers} writers: {p['per_second']:.0f}/s, p50 {p['p50_ms']:.1f} ms,"
              f" p99 {p['p99_ms']:.1f} ms, overspent {p['overspent']}, verified {p['verified']}")


if __name__ == "__main__":
    main()
