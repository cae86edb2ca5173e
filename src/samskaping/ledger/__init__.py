"""The decision ledger (*vedtaksprotokoll*): where payouts are recorded for good.

The sub-projects paid money without a formal decision (*vedtak*); the one legal
condition was that every payout is justified and documented (002:1630-1632). The
ledger keeps each decision, approval and payment as an entry that is never changed
or deleted, in a hash chain an auditor can check:

- each entry has a sequence number, a UTC time from the ledger's clock, the actor, a
  kind and a canonical JSON payload, and ``hash = SHA-256(previous hash ‖ entry)``;
- pot balances and household histories are indexed projections, updated in the same
  transaction as each entry, so a decision costs the same however long the ledger is;
- a decision whose approval band needs more than one person waits, with its money
  reserved, until enough *distinct* people have signed (002:1709-1711);
- households appear only by pseudonym; their keys and personal attributes are kept
  apart from the chain and can be erased (:meth:`Ledger.forget`) while the chain
  still verifies.

It runs on SQLite (a file path) or PostgreSQL (a ``postgresql://`` URL, with the
``postgres`` extra).

>>> import tempfile, pathlib
>>> from samskaping.ledger import open_ledger
>>> with open_ledger(pathlib.Path(tempfile.mkdtemp()) / "ledger.db") as ledger:
...     ledger.verify().ok
True
"""

from samskaping.ledger._collective import RecordedCollectiveDecision
from samskaping.ledger._ledger import (
    DEFAULT_PENDING_EXPIRY,
    DEFAULT_RETENTION,
    OSLO,
    Ledger,
    RegisteredPolicy,
    Replay,
    open_ledger,
)
from samskaping.ledger._payloads import PAYLOAD_VERSION
from samskaping.ledger._schema import SCHEMA_VERSION
from samskaping.ledger._types import (
    ApprovalRefused,
    Entry,
    EntryKind,
    HouseholdHistory,
    LedgerConflict,
    LedgerError,
    LedgerStatus,
    PotState,
    RecordedDecision,
    RetentionError,
    VerifyReport,
)

__all__ = [
    "DEFAULT_PENDING_EXPIRY",
    "DEFAULT_RETENTION",
    "OSLO",
    "PAYLOAD_VERSION",
    "SCHEMA_VERSION",
    "ApprovalRefused",
    "Entry",
    "EntryKind",
    "HouseholdHistory",
    "Ledger",
    "LedgerConflict",
    "LedgerError",
    "LedgerStatus",
    "PotState",
    "RecordedCollectiveDecision",
    "RecordedDecision",
    "RegisteredPolicy",
    "Replay",
    "RetentionError",
    "VerifyReport",
    "open_ledger",
]
