"""The ledger's values: entries, states, histories, reports, and its errors."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from enum import StrEnum, unique
from typing import TYPE_CHECKING, Any

import attrs

from samskaping._errors import SamskapingError
from samskaping._money import Money
from samskaping.io import register_result_hooks, result_json
from samskaping.l10n import Lang
from samskaping.payouts import Decision

if TYPE_CHECKING:
    from cattrs import Converter

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
        return result_json(self)  # type: ignore[no-any-return]


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
        return result_json(self)  # type: ignore[no-any-return]


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
        return result_json(self)  # type: ignore[no-any-return]


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
        return result_json(self)  # type: ignore[no-any-return]


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
        return result_json(self)  # type: ignore[no-any-return]


@register_result_hooks
def _install_json_hooks(converter: Converter, lang: Lang | None, reveal: bool) -> None:  # noqa: FBT001
    # The ledger's records hold pseudonyms, never references: the options change nothing.
    del lang, reveal

    def entry(value: Entry) -> dict[str, Any]:
        return {
            "seq": value.seq,
            "at": value.at.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z"),
            "actor": value.actor,
            "kind": value.kind.value,
            "pot_id": value.pot_id,
            "household": value.household,
            "payload_version": value.payload_version,
            "payload": dict(value.payload),
            "prev_hash": value.prev_hash,
            "hash": value.hash,
        }

    def pot(value: PotState) -> dict[str, Any]:
        return {
            "pot_id": value.pot_id,
            "policy_id": value.policy_id,
            "total": str(value.total.amount),
            "committed": str(value.committed.amount),
            "reserved": str(value.reserved.amount),
            "disbursed": str(value.disbursed.amount),
            "available": str(value.available.amount),
            "decisions": value.decisions,
        }

    def history(value: HouseholdHistory) -> dict[str, Any]:
        data: dict[str, Any] = {
            "household": value.household,
            "received": {pot: str(m.amount) for pot, m in value.received.items()},
            "requests": dict(value.requests),
            "first_date": value.first_date.isoformat() if value.first_date else None,
            "last_date": value.last_date.isoformat() if value.last_date else None,
            "forgotten": value.forgotten,
            "entries": [entry(e) for e in value.entries],
        }
        if value.ref is not None:
            data["ref"] = value.ref
        return data

    def recorded(value: RecordedDecision) -> dict[str, Any]:
        return {
            "decision_id": value.decision_id,
            "pot_id": value.pot_id,
            "seq": value.seq,
            "household": value.household,
            "status": value.status.value,
            "outcome": value.outcome,
            "requested": str(value.requested.amount),
            "amount": str(value.amount.amount),
            "as_of": value.as_of.isoformat(),
            "policy": {
                "id": value.policy_id,
                "version": value.policy_version,
                "hash": value.policy_hash,
            },
            "needed": value.needed,
            "signers": list(value.signers),
            "repeated": value.repeated,
            "record": dict(value.record),
        }

    def verify(value: VerifyReport) -> dict[str, Any]:
        return {
            "ok": value.ok,
            "entries": value.entries,
            "head": value.head,
            "first_bad": value.first_bad,
            "problem": value.problem,
        }

    converter.register_unstructure_hook(Entry, entry)
    converter.register_unstructure_hook(PotState, pot)
    converter.register_unstructure_hook(HouseholdHistory, history)
    converter.register_unstructure_hook(RecordedDecision, recorded)
    converter.register_unstructure_hook(VerifyReport, verify)
