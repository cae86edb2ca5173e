"""The two stores behind one interface: SQLite (a file) and PostgreSQL (a URL).

Statements are written once with ``?`` placeholders. A write transaction takes the
ledger's one lock before it reads anything: ``BEGIN IMMEDIATE`` on SQLite, and a row
lock on the head (``SELECT ... FOR UPDATE``) on PostgreSQL. Appends are therefore
serial, in every thread, process and machine, so committed money never passes a pot's
total and the chain never forks.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from samskaping.ledger._schema import MIGRATIONS, SCHEMA_VERSION
from samskaping.ledger._types import LedgerError

__all__ = ["Backend", "Tx", "connect"]


class Tx:
    """A transaction: statements with ``?`` placeholders."""

    __slots__ = ("_cursor", "_pg")

    def __init__(self, cursor: Any, *, pg: bool) -> None:
        self._cursor = cursor
        self._pg = pg

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self._pg else sql

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run a statement."""
        self._cursor.execute(self._sql(sql), params)

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run a statement once for each row."""
        if rows:
            self._cursor.executemany(self._sql(sql), rows)

    def one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first row of a query, or ``None``."""
        self._cursor.execute(self._sql(sql), params)
        return self._cursor.fetchone()

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Every row of a query."""
        self._cursor.execute(self._sql(sql), params)
        return list(self._cursor.fetchall())

    def rows(self, sql: str, params: Sequence[Any] = (), size: int = 2000) -> Iterator[Any]:
        """Every row of a query, read in batches (for long scans)."""
        self._cursor.execute(self._sql(sql), params)
        while batch := self._cursor.fetchmany(size):
            yield from batch


class Backend(Protocol):
    """A store: transactions, and the dialect's name."""

    name: str

    def write(self) -> contextlib.AbstractContextManager[Tx]:
        """A write transaction holding the ledger's lock; committed when the block ends."""
        ...

    def read(self) -> contextlib.AbstractContextManager[Tx]:
        """A read-only snapshot."""
        ...

    def after_erase(self) -> None:
        """Make erased rows physically gone where the store allows it."""
        ...

    def close(self) -> None:
        """Close the connection."""
        ...


def _migrate(tx: Tx, version: int) -> None:
    for number in range(version + 1, SCHEMA_VERSION + 1):
        for statement in MIGRATIONS[number - 1]:
            tx.run(statement)
    if version == 0:
        tx.run(
            "INSERT INTO meta (name, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )
    elif version < SCHEMA_VERSION:
        tx.run("UPDATE meta SET value = ? WHERE name = 'schema_version'", (str(SCHEMA_VERSION),))


class SQLiteBackend:
    """SQLite through the standard library: WAL, ``synchronous=FULL``, ``BEGIN IMMEDIATE``."""

    name = "sqlite"

    def __init__(self, path: str) -> None:
        # One connection per ledger, shared by its threads under a lock; other
        # processes open their own and wait on the file lock (busy timeout).
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            path, timeout=60, isolation_level=None, check_same_thread=False
        )
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA secure_delete=ON")
        self._conn.execute("PRAGMA foreign_keys=ON")
        with self._begin() as tx:
            found = tx.one("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'")
            version = 0
            if found is not None:
                row = tx.one("SELECT value FROM meta WHERE name = 'schema_version'")
                version = int(row[0])
            if version > SCHEMA_VERSION:
                raise LedgerError(
                    f"the ledger has schema version {version}; this library knows up to"
                    f" {SCHEMA_VERSION}"
                )
            if version < SCHEMA_VERSION:
                _migrate(tx, version)

    @contextlib.contextmanager
    def _begin(self) -> Iterator[Tx]:
        with self._lock:
            cursor = self._conn.cursor()
            cursor.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(cursor, pg=False)
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    def write(self) -> contextlib.AbstractContextManager[Tx]:
        """A write transaction (``BEGIN IMMEDIATE``: the file's write lock is taken first)."""
        return self._begin()

    @contextlib.contextmanager
    def read(self) -> Iterator[Tx]:
        """A read snapshot (``BEGIN DEFERRED``)."""
        with self._lock:
            cursor = self._conn.cursor()
            cursor.execute("BEGIN")
            try:
                yield Tx(cursor, pg=False)
            finally:
                cursor.execute("COMMIT")

    def after_erase(self) -> None:
        """Fold the WAL back into the file, so erased rows (zeroed) leave no copy there."""
        with self._lock:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()


class PostgresBackend:
    """PostgreSQL through psycopg 3: a row lock on the head serialises appends."""

    name = "postgresql"

    def __init__(self, url: str) -> None:
        try:
            # Imported here: psycopg is an optional extra (``samskaping[postgres]``).
            import psycopg  # noqa: PLC0415  (psycopg is the optional `postgres` extra)
        except ImportError:
            raise LedgerError(
                "a postgresql:// ledger needs psycopg: pip install 'samskaping[postgres]'"
            ) from None
        self._lock = threading.RLock()
        try:
            self._conn = psycopg.connect(url, autocommit=False)
        except psycopg.Error as exc:
            raise LedgerError(
                f"cannot connect to the PostgreSQL server ({type(exc).__name__})"
            ) from None
        with self._lock, self._conn.transaction(), self._conn.cursor() as cursor:
            # One migration at a time, across every client of this database.
            cursor.execute("SELECT pg_advisory_xact_lock(7362517)")
            tx = Tx(cursor, pg=True)
            found = tx.one("SELECT to_regclass('meta')")
            version = 0
            if found is not None and found[0] is not None:
                version = int(tx.one("SELECT value FROM meta WHERE name = 'schema_version'")[0])
            if version > SCHEMA_VERSION:
                raise LedgerError(
                    f"the ledger has schema version {version}; this library knows up to"
                    f" {SCHEMA_VERSION}"
                )
            _migrate(tx, version)

    @contextlib.contextmanager
    def write(self) -> Iterator[Tx]:
        """A write transaction that first locks the head row (``FOR UPDATE``)."""
        with self._lock, self._conn.transaction(), self._conn.cursor() as cursor:
            cursor.execute("SELECT seq FROM head WHERE id = 1 FOR UPDATE")
            yield Tx(cursor, pg=True)

    @contextlib.contextmanager
    def read(self) -> Iterator[Tx]:
        """A read snapshot (``REPEATABLE READ``)."""
        with self._lock, self._conn.transaction(), self._conn.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield Tx(cursor, pg=True)

    def after_erase(self) -> None:
        """Vacuum the tables of keys and personal data, so erased rows are removed."""
        with self._lock:
            self._conn.autocommit = True
            try:
                self._conn.execute("VACUUM household_keys")
                self._conn.execute("VACUUM personal")
            finally:
                self._conn.autocommit = False

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()


def connect(target: str) -> Backend:
    """The store for a file path (SQLite) or a ``postgresql://`` URL."""
    if target.startswith(("postgresql://", "postgres://")):
        return PostgresBackend(target)
    return SQLiteBackend(target)
