"""Properties of the ledger, on SQLite and PostgreSQL.

Conservation, no overspending, tamper evidence, idempotency, replay, and one code
path with the in-memory engine.
"""

from __future__ import annotations

import datetime
import multiprocessing
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from _ledger_support import DAY, POT, Clock, ask
from samskaping import Money
from samskaping.ledger import (
    SCHEMA_VERSION,
    ApprovalRefused,
    Ledger,
    LedgerConflict,
    LedgerError,
    open_ledger,
)
from samskaping.ledger._canonical import chain_hash
from samskaping.ledger._ledger import _entry_text
from samskaping.model import PaymentType, Pot
from samskaping.payouts import Request, evaluate, evaluate_many, history_of, load_policy
from strategies import peb_requests

SMALL = Pot(id="small", total=Money(100_000), allowed_types=(PaymentType.CONDITIONAL,))
DATA = Path(__file__).parent / "data"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A ledger's address: a SQLite file, or a PostgreSQL URL with a fresh schema."""
    if request.param == "sqlite":
        return str(tmp_path / "ledger.db")
    url: str = request.getfixturevalue("postgres_url")
    return url


def _prepare(target: str) -> None:
    with open_ledger(target, clock=Clock()) as ledger:
        ledger.register_policy(load_policy("pa_egne_ben"), actor="anne")
        ledger.open_pot(policy_id="pa_egne_ben", actor="anne")
        ledger.open_pot(SMALL, policy_id="pa_egne_ben", actor="anne")


def _fresh_sqlite() -> Iterator[Ledger]:
    folder = tempfile.mkdtemp()
    try:
        path = str(Path(folder) / "ledger.db")
        _prepare(path)
        with open_ledger(path, clock=Clock()) as ledger:
            yield ledger
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _conserved(ledger: Ledger, pot_id: str) -> bool:
    state = ledger.pot_state(pot_id)
    return state.total == state.available + state.committed + state.disbursed


# --- money is conserved ---

operations = st.lists(
    st.tuples(
        st.sampled_from(["decide", "approve", "reject", "disburse", "release", "reverse"]),
        st.integers(0, 7),
        st.integers(1, 70_000),
    ),
    min_size=1,
    max_size=14,
)


class TestConservation:
    """Pot total = available + committed + disbursed, after every entry."""

    @settings(max_examples=12, deadline=None)
    @given(operations)
    def test_money_is_conserved(self, steps: list[tuple[str, int, int]]) -> None:
        """Whatever is done, the pot's money adds up and never goes below zero."""
        for ledger in _fresh_sqlite():
            for number, (what, which, kroner) in enumerate(steps):
                _operate(ledger, what, which, kroner, number)
                assert _conserved(ledger, "small")
                assert ledger.pot_state("small").available >= Money(0)
            assert ledger.verify().ok


def _operate(ledger: Ledger, what: str, which: int, kroner: int, number: int) -> None:
    ident = f"r{which}"
    try:
        if what == "decide":
            ledger.decide(ask(f"n{number}", f"h{which}", kroner), pot_id="small", as_of=DAY,
                          actor="anne")  # fmt: skip
        elif what == "approve":
            ledger.approve(f"n{which}", actor=f"approver{number}")
        elif what == "reject":
            ledger.reject(f"n{which}", actor="bjørn", reason="no")
        elif what == "disburse":
            ledger.disburse(f"n{which}", actor="anne")
        elif what == "release":
            ledger.release(f"n{which}", actor="anne", reason="withdrawn")
        else:
            ledger.reverse(which + 3, actor="anne", reason="wrong")
    except (LedgerError, ApprovalRefused):
        del ident


# --- no overspending ---


def _decide_some(target: str, worker: int, count: int) -> None:
    with open_ledger(target, clock=Clock()) as ledger:
        for number in range(count):
            ledger.decide(ask(f"w{worker}-{number}", f"h{worker}-{number}", 9_000),
                          pot_id="small", as_of=DAY, actor=f"worker{worker}")  # fmt: skip


def _check_not_overspent(target: str) -> tuple[Money, Money, bool]:
    with open_ledger(target) as ledger:
        state = ledger.pot_state("small")
        granted = sum(
            (Money(e.payload["amount"]) for e in ledger.entries() if e.kind.value == "decision"),
            Money(0),
        )
        return state.committed, granted, ledger.verify().ok


class TestConcurrency:
    """Many writers on one pot never commit more than its total."""

    def test_threads_do_not_overspend(self, target: str) -> None:
        """Six threads, each with its own connection, ask 9 000 kr at a time."""
        _prepare(target)
        threads = [threading.Thread(target=_decide_some, args=(target, w, 4)) for w in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        committed, granted, ok = _check_not_overspent(target)
        assert committed == Money(100_000)
        assert granted == Money(100_000)
        assert ok

    def test_threads_sharing_one_ledger(self, target: str) -> None:
        """Threads may share one open ledger."""
        _prepare(target)
        with open_ledger(target, clock=Clock()) as ledger:

            def run(worker: int) -> None:
                for number in range(4):
                    ledger.decide(ask(f"s{worker}-{number}", f"h{worker}", 9_000),
                                  pot_id="small", as_of=DAY, actor="anne")  # fmt: skip

            threads = [threading.Thread(target=run, args=(w,)) for w in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert ledger.pot_state("small").committed <= Money(100_000)

    def test_processes_do_not_overspend(self, target: str) -> None:
        """Four processes deciding at once commit no more than the pot's total."""
        _prepare(target)
        context = multiprocessing.get_context("fork")
        processes = [context.Process(target=_decide_some, args=(target, w, 4)) for w in range(4)]
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=120)
        committed, granted, ok = _check_not_overspent(target)
        assert committed == Money(100_000)
        assert granted == Money(100_000)
        assert ok


# --- tamper evidence ---

_COLUMNS = ("at", "actor", "kind", "pot_id", "payload", "prev_hash", "hash")


def _built_ledger(folder: Path) -> Path:
    path = folder / "base.db"
    _prepare(str(path))
    with open_ledger(path, clock=Clock()) as ledger:
        for number in range(4):
            ledger.decide(ask(f"r{number}", f"h{number % 2}", 5000 * (number + 1)),
                          pot_id=POT, as_of=DAY, actor="anne")  # fmt: skip
        ledger.approve("r1", actor="bjørn")
        ledger.disburse("r0", actor="anne")
    return path


@pytest.fixture(scope="module")
def base_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small SQLite ledger (11 entries) to tamper with."""
    return _built_ledger(tmp_path_factory.mktemp("tamper"))


def _rows(conn: Any, sql: str) -> list[Any]:
    return list(conn.execute(sql).fetchall())


def _forge(prev: str, seq: int) -> tuple[Any, ...]:
    """A well-formed entry whose hash is right for its place (a careful forger)."""
    at = "2021-09-01T09:00:00.000000Z"
    payload = '{"purpose":"forged"}'
    text = _entry_text(seq, at, "mallory", "access", None, None, 1, payload)
    return (seq, at, "mallory", "access", None, None, 1, payload, prev,
            chain_hash(prev, text))  # fmt: skip


def tamper(conn: Any, how: str, position: int, column: int, mark: str = "?") -> int:
    """Change one row of the entries; return the sequence number verify must name."""
    count = _rows(conn, "SELECT count(*) FROM entries")[0][0]
    seq = position % count + 1
    q = (lambda sql: sql) if mark == "?" else (lambda sql: sql.replace("?", "%s"))
    if how == "edit":
        name = _COLUMNS[column % len(_COLUMNS)]
        edit = f"UPDATE entries SET {name} = coalesce({name}, '') || 'x' WHERE seq = ?"  # noqa: S608
        conn.execute(q(edit), (seq,))
        return seq
    if how == "delete":
        conn.execute(q("DELETE FROM entries WHERE seq = ?"), (seq,))
        return seq
    if how == "insert":
        seq = position % (count + 1) + 1
        prev = _rows(conn, f"SELECT hash FROM entries WHERE seq = {seq - 1}")  # noqa: S608
        conn.execute(q("UPDATE entries SET seq = seq + 1000000 WHERE seq >= ?"), (seq,))
        conn.execute(q("UPDATE entries SET seq = seq - 999999 WHERE seq >= 1000000"))
        conn.execute(q("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                     _forge(prev[0][0] if prev else "0" * 64, seq))  # fmt: skip
        return seq
    # swap two neighbours: their places in the order change, nothing else
    seq = min(seq, count - 1)
    conn.execute(q("UPDATE entries SET seq = -1 WHERE seq = ?"), (seq,))
    conn.execute(q("UPDATE entries SET seq = ? WHERE seq = ?"), (seq, seq + 1))
    conn.execute(q("UPDATE entries SET seq = ? WHERE seq = -1"), (seq + 1,))
    return seq


class TestTamperEvidence:
    """verify() names the first entry edited, deleted, inserted or reordered."""

    @settings(max_examples=30, deadline=None)
    @example(how="edit", position=0, column=10)  # a column that was empty (NULL)
    @given(
        how=st.sampled_from(["edit", "delete", "insert", "swap"]),
        position=st.integers(0, 100),
        column=st.integers(0, 100),
    )
    def test_every_single_row_change_is_named(
        self, base_ledger: Path, how: str, position: int, column: int
    ) -> None:
        """Any one edit, deletion, insertion or swap is caught at its entry."""
        folder = Path(tempfile.mkdtemp())
        try:
            copy = folder / "copy.db"
            shutil.copy(base_ledger, copy)
            with sqlite3.connect(copy) as conn:
                expected = tamper(conn, how, position, column)
            with open_ledger(copy) as ledger:
                report = ledger.verify()
            assert not report.ok
            assert report.first_bad == expected
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    @pytest.mark.parametrize("how", ["edit", "delete", "insert", "swap"])
    def test_on_each_backend(self, target: str, how: str) -> None:
        """The same tampering is caught on SQLite and PostgreSQL."""
        _prepare(target)
        with open_ledger(target, clock=Clock()) as ledger:
            for number in range(3):
                ledger.decide(ask(f"r{number}", "h1", 500), pot_id=POT, as_of=DAY, actor="a")
        with _raw(target) as (conn, mark):
            expected = tamper(conn, how, 3, 4, mark)
        with open_ledger(target) as ledger:
            assert ledger.verify().first_bad == expected

    def test_an_edited_projection_is_caught(self, target: str) -> None:
        """A balance changed by hand does not match the entries."""
        _prepare(target)
        with _raw(target) as (conn, _mark):
            conn.execute("UPDATE pots SET committed = committed + 100")
        with open_ledger(target) as ledger:
            assert ledger.verify().problem == "the pot balances do not match the entries"

    def test_a_cut_tail_is_caught_only_against_a_kept_head(self, target: str) -> None:
        """Cutting the last entry and fixing the head fools verify(), not verify(head=)."""
        _prepare(target)
        with open_ledger(target, clock=Clock()) as ledger:
            ledger.register_policy(load_policy("stodig_start"), actor="anne")
            kept = ledger.head()
        with _raw(target) as (conn, _mark):
            conn.execute("DELETE FROM entries WHERE seq = 4")
            conn.execute("DELETE FROM policies WHERE policy_id = 'stodig_start'")
            row = conn.execute("SELECT hash FROM entries WHERE seq = 3").fetchone()
            conn.execute(f"UPDATE head SET seq = 3, hash = '{row[0]}'")  # noqa: S608
        with open_ledger(target) as ledger:
            assert ledger.verify().ok
            assert not ledger.verify(head=kept).ok

    def test_a_kept_head_proves_the_past(self, target: str) -> None:
        """A head kept earlier is still in the chain after honest appends."""
        _prepare(target)
        with open_ledger(target, clock=Clock()) as ledger:
            kept = ledger.head()
            ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
            assert ledger.verify(head=kept).ok


class _Raw:
    def __init__(self, target: str) -> None:
        self.target = target

    def __enter__(self) -> tuple[Any, str]:
        if self.target.startswith("postgresql"):
            import psycopg

            self.conn: Any = psycopg.connect(self.target)
            return self.conn, "%s"
        self.conn = sqlite3.connect(self.target)
        return self.conn, "?"

    def __exit__(self, *exc: object) -> None:
        self.conn.commit()
        self.conn.close()


def _raw(target: str) -> _Raw:
    return _Raw(target)


# --- idempotency, replay, one code path ---


class TestIdempotencyAndReplay:
    """Request ids decide once; decisions replay the same."""

    @settings(max_examples=10, deadline=None)
    @given(st.lists(peb_requests(st.sampled_from(["a", "b", "c", "d"])), min_size=1, max_size=8))
    def test_each_id_is_decided_once(self, requests: list[Request]) -> None:
        """Deciding a request twice gives its first decision; a changed one conflicts."""
        for ledger in _fresh_sqlite():
            first: dict[str, tuple[Request, int]] = {}
            for request in requests:
                try:
                    recorded = ledger.decide(request, pot_id=POT, as_of=DAY, actor="anne")
                except LedgerConflict:
                    assert first[request.id][0] != request
                    continue
                seen = first.setdefault(request.id, (request, recorded.seq))
                assert seen[1] == recorded.seq
            decided = [e for e in ledger.entries() if e.kind.value == "decision"]
            assert len(decided) == len(first)

    @settings(max_examples=10, deadline=None)
    @given(st.lists(peb_requests(), min_size=1, max_size=6, unique_by=lambda r: r.id))
    def test_every_decision_replays_the_same(self, requests: list[Request]) -> None:
        """A decision replayed under its recorded policy gives the same result."""
        for ledger in _fresh_sqlite():
            ledger.decide_many(requests, pot_id=POT, as_of=DAY, actor="anne")
            assert all(ledger.replay(r.id).matches for r in requests)

    @settings(max_examples=10, deadline=None)
    @given(st.lists(peb_requests(), min_size=1, max_size=6, unique_by=lambda r: r.id))
    def test_the_ledger_decides_as_the_engine_does(self, requests: list[Request]) -> None:
        """The ledger and the in-memory engine share one code path: same outcomes."""
        policy = load_policy("pa_egne_ben")
        assert policy.pot is not None
        in_memory, _pot = evaluate_many(policy, requests, policy.pot, DAY)
        for ledger in _fresh_sqlite():
            recorded = ledger.decide_many(requests, pot_id=POT, as_of=DAY, actor="anne")
            assert [(r.outcome, r.amount) for r in recorded] == [
                (d.status.value, d.amount) for d in in_memory
            ]


class TestInMemoryHistory:
    """The index kept beside a pot gives the same decisions as reading the pot."""

    @settings(max_examples=10, deadline=None)
    @given(st.lists(peb_requests(), min_size=1, max_size=8, unique_by=lambda r: r.id))
    def test_branching_pots_decide_alike(self, requests: list[Request]) -> None:
        """Deciding from an older pot again (a branch) equals deciding from a copy."""
        policy = load_policy("pa_egne_ben")
        assert policy.pot is not None
        start = policy.pot
        pot = start
        for request in requests:
            _decision, pot = evaluate(policy, request, pot, DAY)
        probe = ask("probe", requests[0].household.ref, 100)
        copy = Pot(**{f: getattr(pot, f) for f in ("id", "total", "valid_from", "valid_to",
                                                    "allowed_types", "commitments")})  # fmt: skip
        assert evaluate(policy, probe, pot, DAY)[0] == evaluate(policy, probe, copy, DAY)[0]

    def test_history_of_counts_the_entries(self) -> None:
        """history_of() counts what the pot holds."""
        policy = load_policy("pa_egne_ben")
        assert policy.pot is not None
        _d, pot = evaluate(policy, ask("r1", "h1", 500), policy.pot, DAY)
        assert history_of(pot).used() == 50_000
        assert history_of(pot).household("h1") == (50_000, 1)


# --- schema versions ---


class TestMigrations:
    """A ledger made by an older schema version is upgraded and still verifies."""

    def test_a_version_1_ledger_upgrades_and_verifies(self, tmp_path: Path) -> None:
        """The version 1 fixture opens at the current version and verifies."""
        copy = tmp_path / "old.db"
        shutil.copy(DATA / "ledger_v1.db", copy)
        with open_ledger(copy) as ledger:
            report = ledger.verify()
        with sqlite3.connect(copy) as conn:
            version = conn.execute("SELECT value FROM meta").fetchone()[0]
        assert report.ok
        assert int(version) == SCHEMA_VERSION

    def test_an_upgraded_ledger_keeps_deciding(self, tmp_path: Path) -> None:
        """After the upgrade, new decisions append to the old chain."""
        copy = tmp_path / "old.db"
        shutil.copy(DATA / "ledger_v1.db", copy)
        clock = Clock(datetime.datetime(2021, 9, 3, tzinfo=datetime.UTC))
        with open_ledger(copy, clock=clock) as ledger:
            ledger.decide(ask("r9", "h1", 100), pot_id=POT, as_of=DAY, actor="anne")
            assert ledger.verify().ok
            assert ledger.history("h1").requests == {POT: 3}  # type: ignore[union-attr]

    def test_a_newer_schema_is_refused(self, tmp_path: Path) -> None:
        """A ledger from a newer library is not opened."""
        path = tmp_path / "new.db"
        open_ledger(path).close()
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE meta SET value = '99'")
        with pytest.raises(LedgerError):
            open_ledger(path)
