"""The ledger's values: entries, states, histories, reports, and its errors."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from enum import StrEnum, unique
from typing import Any

import attrs

from samskaping._errors import SamskapingError
from samskaping._money import Money
from samskaping.payouts import Decision

__all__ = [
    "ApprovalRefused",
    "Entry",
    "EntryKind",
    "HouseholdHistory",
    "LedgerConflict",
    "LedgerError",
    "LedgerStatus",
    "PotState",
    "RecordedDecision",
    "VerifyReport",
]


class LedgerError(SamskapingError):
    """Something the ledger cannot do: an unknown decision, pot or policy, a closed ledger."""


class LedgerConflict(LedgerError):  # noqa: N818  (the name says what happened)
    """The ledger already holds something else under that name.

    Deciding a request id again with a *different* request, or registering a changed
    policy text under an existing id and version.
    """


class ApprovalRefused(LedgerError):  # noqa: N818  (the name says what happened)
    """An approval or rejection that the four-eyes rule does not allow.

    The same person signing twice, an approver with a dual mandate for the household
    (002:1739-1741), a decision that is not pending, or one that has expired.
    """


class RetentionError(LedgerError):
    """Forgetting a household before the retention period has ended, without force."""


@unique
class EntryKind(StrEnum):
    """What an entry records."""

    POLICY_REGISTERED = "policy_registered"
    POT_OPENED = "pot_opened"
    DECISION = "decision"
    COLLECTIVE_DECISION = "collective_decision"
    APPROVAL = "approval"
    REJECTION = "rejection"
    COMMITMENT = "commitment"
    DISBURSEMENT = "disbursement"
    RELEASE = "release"
    EXPIRY = "expiry"
    REVERSAL = "reversal"
    ACCESS = "access"
    HOUSEHOLD_FORGOTTEN = "household_forgotten"


@unique
class LedgerStatus(StrEnum):
    """Where a recorded decision stands.

    - ``pending_approval``: its approval band needs more distinct signatures; the money
      is reserved (counted as committed).
    - ``granted`` / ``partial``: committed.
    - ``rejected`` / ``referred``: decided without money.
    - ``refused``: an approver rejected it; the reserved money was released.
    - ``expired``: it was pending too long; the reserved money was released.
    - ``released``: the commitment was released without payment.
    - ``disbursed``: the money was paid.
    - ``reversed``: a reversal corrected it.
    """

    PENDING_APPROVAL = "pending_approval"
    GRANTED = "granted"
    PARTIAL = "partial"
    REJECTED = "rejected"
    REFERRED = "referred"
    REFUSED = "refused"
    EXPIRED = "expired"
    RELEASED = "released"
    DISBURSED = "disbursed"
    REVERSED = "reversed"


@attrs.frozen(kw_only=True)
class Entry:
    """One entry of the ledger: never changed or deleted once written.

    Attributes:
        seq: Its place in the ledger, from 1 with no gaps.
        at: When it was written (UTC, from the ledger's clock).
        actor: Who wrote it.
        kind: What it records.
        pot_id: The pot it concerns, if any.
        household: The household's pseudonym, if it concerns one (never its reference).
        payload_version: The version of the payload's schema.
        payload: What it records, as canonical JSON data.
        prev_hash: The hash of the entry before it (64 zeros for the first).
        hash: ``SHA-256(prev_hash ‖ canonical entry)``.
    """

    seq: int
    at: datetime.datetime
    actor: str
    kind: EntryKind
    pot_id: str | None
    household: str | None
    payload_version: int
    payload: Mapping[str, Any] = attrs.field(repr=False)
    prev_hash: str = attrs.field(repr=False)
    hash: str

    def to_dict(self) -> dict[str, Any]:
        """The entry as JSON-ready data (amounts as exact decimal text)."""
        return {
            "seq": self.seq,
            "at": self.at.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z"),
            "actor": self.actor,
            "kind": self.kind.value,
            "pot_id": self.pot_id,
            "household": self.household,
            "payload_version": self.payload_version,
            "payload": dict(self.payload),
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


@attrs.frozen(kw_only=True)
class PotState:
    """A pot's balance as the ledger keeps it.

    ``total == available + committed + disbursed`` always; ``reserved`` is the part of
    ``committed`` that waits for approval.
    """

    pot_id: str
    policy_id: str
    total: Money
    committed: Money
    reserved: Money
    disbursed: Money
    available: Money
    decisions: int

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data (amounts as exact decimal text)."""
        return {
            "pot_id": self.pot_id,
            "policy_id": self.policy_id,
            "total": str(self.total.amount),
            "committed": str(self.committed.amount),
            "reserved": str(self.reserved.amount),
            "disbursed": str(self.disbursed.amount),
            "available": str(self.available.amount),
            "decisions": self.decisions,
        }


@attrs.frozen(kw_only=True)
class HouseholdHistory:
    """What the ledger holds about one household, across pots.

    Attributes:
        household: Its pseudonym.
        ref: Its reference, only if identifiers were revealed (else ``None``).
        received: Money committed or paid to it (pending included), per pot.
        requests: Decisions about it, per pot.
        first_date: The date (Europe/Oslo) of its first decision.
        last_date: The date of its latest decision.
        entries: Every entry about it, in order.
        forgotten: Whether the household was forgotten (its key and attributes erased).
    """

    household: str
    ref: str | None = attrs.field(repr=False)
    received: Mapping[str, Money]
    requests: Mapping[str, int]
    first_date: datetime.date | None
    last_date: datetime.date | None
    entries: tuple[Entry, ...] = attrs.field(repr=False)
    forgotten: bool = False

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data; the reference only if it was revealed."""
        data: dict[str, Any] = {
            "household": self.household,
            "received": {pot: str(m.amount) for pot, m in self.received.items()},
            "requests": dict(self.requests),
            "first_date": self.first_date.isoformat() if self.first_date else None,
            "last_date": self.last_date.isoformat() if self.last_date else None,
            "forgotten": self.forgotten,
            "entries": [e.to_dict() for e in self.entries],
        }
        if self.ref is not None:
            data["ref"] = self.ref
        return data


@attrs.frozen(kw_only=True)
class RecordedDecision:
    """A decision as the ledger holds it.

    Attributes:
        decision_id: The request's id (one decision per request id in a ledger).
        pot_id: The pot it was decided against.
        seq: The sequence number of its decision entry.
        household: The household's pseudonym.
        status: Where it stands now.
        outcome: What the engine decided (``granted``, ``partial``, ``rejected``,
            ``referred``).
        requested: What was asked for.
        amount: What was decided (committed or reserved unless rejected or referred).
        as_of: The decision's date (Europe/Oslo).
        policy_id: The policy's id.
        policy_version: The policy's version.
        policy_hash: The SHA-256 of the exact policy text it was decided under.
        needed: How many distinct people must sign (from the approval band).
        signers: Who has signed, in order; the proposer first.
        record: The recorded payload of the decision entry.
        decision: The engine's decision when it was just made; ``None`` when read back.
        repeated: Whether this call found the decision already recorded (idempotency).
    """

    decision_id: str
    pot_id: str
    seq: int
    household: str
    status: LedgerStatus
    outcome: str
    requested: Money
    amount: Money
    as_of: datetime.date
    policy_id: str
    policy_version: str | None
    policy_hash: str
    needed: int
    signers: tuple[str, ...]
    record: Mapping[str, Any] = attrs.field(repr=False)
    decision: Decision | None = attrs.field(default=None, repr=False, eq=False)
    repeated: bool = attrs.field(default=False, eq=False)

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data (the household by pseudonym only)."""
        return {
            "decision_id": self.decision_id,
            "pot_id": self.pot_id,
            "seq": self.seq,
            "household": self.household,
            "status": self.status.value,
            "outcome": self.outcome,
            "requested": str(self.requested.amount),
            "amount": str(self.amount.amount),
            "as_of": self.as_of.isoformat(),
            "policy": {
                "id": self.policy_id,
                "version": self.policy_version,
                "hash": self.policy_hash,
            },
            "needed": self.needed,
            "signers": list(self.signers),
            "repeated": self.repeated,
            "record": dict(self.record),
        }


@attrs.frozen(kw_only=True)
class VerifyReport:
    """What :meth:`Ledger.verify` found.

    Attributes:
        ok: The chain and every projection check out (and the given head is in it).
        entries: How many entries were checked.
        head: The hash of the last entry.
        first_bad: The sequence number of the first entry that was edited, deleted,
            inserted or reordered; ``None`` if none was.
        problem: What is wrong, in one line; ``None`` if nothing is.
    """

    ok: bool
    entries: int
    head: str
    first_bad: int | None = None
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data."""
        return {
            "ok": self.ok,
            "entries": self.entries,
            "head": self.head,
            "first_bad": self.first_bad,
            "problem": self.problem,
        }
