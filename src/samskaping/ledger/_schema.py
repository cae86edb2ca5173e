"""The ledger's tables and their numbered migrations.

Each migration is a list of statements that runs once, in order, in one transaction,
on SQLite and PostgreSQL alike. ``meta.schema_version`` says how far a ledger is. A
ledger made by an older version is upgraded when it is opened.

- 1: entries, the head, projections (policies, pots, households, decisions) and, apart
  from the entries, the household keys and personal attributes.
- 2: the time of each household's latest entry (``households.last_at``), for the
  retention period; filled from the entries.
"""

from __future__ import annotations

from typing import Final

__all__ = ["MIGRATIONS", "SCHEMA_VERSION"]

_V1: Final = (
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    (
        "CREATE TABLE head (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL,"
        " hash TEXT NOT NULL)"
    ),
    (
        "CREATE TABLE entries (seq BIGINT PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,"
        " kind TEXT NOT NULL, pot_id TEXT, household TEXT, payload_version INTEGER NOT NULL,"
        " payload TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)"
    ),
    "CREATE INDEX entries_household ON entries (household)",
    (
        "CREATE TABLE policies (policy_id TEXT NOT NULL, version TEXT NOT NULL,"
        " hash TEXT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (policy_id, version))"
    ),
    (
        "CREATE TABLE pots (pot_id TEXT PRIMARY KEY, policy_id TEXT NOT NULL, seq BIGINT NOT NULL,"
        " total BIGINT NOT NULL, committed BIGINT NOT NULL, reserved BIGINT NOT NULL,"
        " disbursed BIGINT NOT NULL, decisions BIGINT NOT NULL)"
    ),
    (
        "CREATE TABLE households (pot_id TEXT NOT NULL, household TEXT NOT NULL,"
        " received BIGINT NOT NULL, grants BIGINT NOT NULL, requests BIGINT NOT NULL,"
        " first_date TEXT NOT NULL, last_date TEXT NOT NULL, PRIMARY KEY (pot_id, household))"
    ),
    "CREATE INDEX households_household ON households (household)",
    (
        "CREATE TABLE decisions (decision_id TEXT PRIMARY KEY, pot_id TEXT NOT NULL,"
        " seq BIGINT NOT NULL, household TEXT NOT NULL, status TEXT NOT NULL,"
        " outcome TEXT NOT NULL, amount BIGINT NOT NULL, needed INTEGER NOT NULL,"
        " signers TEXT NOT NULL, at TEXT NOT NULL)"
    ),
    "CREATE INDEX decisions_pending ON decisions (pot_id, status, at)",
    (
        "CREATE TABLE household_keys (ref TEXT PRIMARY KEY, household TEXT NOT NULL UNIQUE,"
        " secret TEXT NOT NULL)"
    ),
    (
        "CREATE TABLE personal (digest TEXT PRIMARY KEY, household TEXT NOT NULL,"
        " nonce TEXT NOT NULL, data TEXT NOT NULL)"
    ),
    "CREATE INDEX personal_household ON personal (household)",
    "INSERT INTO head (id, seq, hash) VALUES (1, 0, '" + "0" * 64 + "')",
)

_V2: Final = (
    "ALTER TABLE households ADD COLUMN last_at TEXT",
    (
        "UPDATE households SET last_at = (SELECT max(e.at) FROM entries e"
        " WHERE e.household = households.household AND e.pot_id = households.pot_id)"
    ),
)

#: The migrations, numbered from 1.
MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (_V1, _V2)
#: The schema version this library writes.
SCHEMA_VERSION: Final = len(MIGRATIONS)
