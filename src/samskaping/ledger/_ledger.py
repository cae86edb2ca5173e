"""The decision ledger: an append-only, hash-chained record of payouts.

See :mod:`samskaping.ledger` for what it promises.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import hmac
import io
import json
import os
import secrets
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any, Final, Literal

import attrs

from samskaping._errors import InvalidInputError
from samskaping._money import Money
from samskaping.io import register_result_hooks, result_json, structure, unstructure
from samskaping.l10n import TIME_ZONE, Lang
from samskaping.ledger._backends import Backend, Tx, connect
from samskaping.ledger._canonical import GENESIS, canonical, chain_hash, digest, text_json, utc_text
from samskaping.ledger._collective import (
    COLLECTIVE_OUTCOME,
    RecordedCollectiveDecision,
    collective_outcome,
    collective_personal,
    collective_public,
    collective_status,
)
from samskaping.ledger._payloads import (
    PAYLOAD_VERSION,
    join_parts,
    outcome_payload,
    personal_part,
    public_part,
    upgrade,
)
from samskaping.ledger._state import State
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
from samskaping.model import PaymentType, Pot, PotEntry
from samskaping.payouts import (
    CollectiveRequest,
    Decision,
    DecisionStatus,
    Policy,
    Request,
    decide_collective,
    dumps_policy,
    evaluate,
    loads_policy,
    priority_key,
)

if TYPE_CHECKING:
    from cattrs import Converter

__all__ = [
    "DEFAULT_PENDING_EXPIRY",
    "DEFAULT_RETENTION",
    "OSLO",
    "Ledger",
    "RegisteredPolicy",
    "Replay",
    "open_ledger",
]

#: The time zone of the dates people see (a decision's date).
OSLO: Final = zoneinfo.ZoneInfo(TIME_ZONE)
#: How long a household's records are kept before it may be forgotten without force:
#: five years, as accounting records (bokføringsloven § 13).
DEFAULT_RETENTION: Final = datetime.timedelta(days=5 * 365)
#: How long a decision may wait for its approvals before it expires.
DEFAULT_PENDING_EXPIRY: Final = datetime.timedelta(days=30)

Clock = Callable[[], datetime.datetime]
ExportFormat = Literal["jsonl", "csv", "parquet"]

_ENTRY_COLUMNS: Final = (
    "seq, at, actor, kind, pot_id, household, payload_version, payload, prev_hash, hash"
)
_SELECT_ENTRIES: Final = "SELECT " + _ENTRY_COLUMNS + " FROM entries"  # noqa: S608  (constants)
_INSERT_ENTRY: Final = (
    "INSERT INTO entries ("  # noqa: S608  (constants)
    + _ENTRY_COLUMNS
    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_GRANTED: Final = frozenset({DecisionStatus.GRANTED, DecisionStatus.PARTIAL})
_DECIDED: Final = frozenset({EntryKind.DECISION, EntryKind.COLLECTIVE_DECISION})
_CSV_COLUMNS: Final = (
    "seq", "at", "actor", "kind", "pot_id", "household", "decision_id", "status", "amount",
    "payload_version", "payload", "prev_hash", "hash",
)  # fmt: skip


# Policies read from registered texts, by (content hash, format, source). A pure memo:
# the same text always reads as the same policy; it only saves parsing it again.
_PARSED: dict[tuple[str, str, str | None], Policy] = {}
_PARSED_LIMIT: Final = 64


def _parse_policy(text: str, fmt: str, source: str | None) -> Policy:
    key = (digest(text), fmt, source)
    policy = _PARSED.get(key)
    if policy is None:
        policy = loads_policy(text, "json" if fmt == "json" else "toml", source=source)
        if len(_PARSED) >= _PARSED_LIMIT:
            _PARSED.clear()
        _PARSED[key] = policy
    return policy


def _system_clock() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


_ascii_json = json.JSONEncoder().encode  # json.dumps's defaults, made once


def _entry_text(  # noqa: PLR0917  (the entry's columns, in order)
    seq: int,
    at: str,
    actor: str,
    kind: str,
    pot_id: str | None,
    household: str | None,
    version: int,
    payload_text: str,
) -> str:
    """The canonical entry: every column but the hashes, keys sorted, the payload as stored."""
    ascii_json = _ascii_json
    return (
        f'{{"actor":{text_json(actor)},"at":{ascii_json(at)},'
        f'"household":{ascii_json(household)},"kind":{ascii_json(kind)},"payload":{payload_text},'
        f'"payload_version":{version},"pot_id":{text_json(pot_id)},"seq":{seq}}}'
    )


def _parse_at(text: str) -> datetime.datetime:
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.UTC)


def _entry(row: Sequence[Any]) -> Entry:
    seq, at, actor, kind, pot_id, household, version, payload, prev, hash_ = row
    return Entry(
        seq=seq,
        at=_parse_at(at),
        actor=actor,
        kind=EntryKind(kind),
        pot_id=pot_id,
        household=household,
        payload_version=version,
        payload=upgrade(kind, version, json.loads(payload)),
        prev_hash=prev,
        hash=hash_,
    )


def _check_actor(actor: object) -> str:
    if not isinstance(actor, str) or not actor.strip() or len(actor) > 200:  # noqa: PLR2004
        raise InvalidInputError("expected the name of who acts (1-200 characters)", what="actor")
    return actor.strip()


def _person(actor: str) -> str:
    """An actor's name as compared for four eyes: case and spacing do not make a new person."""
    return " ".join(actor.split()).casefold()


@attrs.frozen(kw_only=True)
class RegisteredPolicy:
    """A policy version registered in the ledger (its text is in its entry)."""

    policy_id: str
    version: str | None
    hash: str
    seq: int

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data."""
        return result_json(self)  # type: ignore[no-any-return]


@register_result_hooks
def _install_json_hooks(converter: Converter, lang: Lang | None, reveal: bool) -> None:  # noqa: FBT001
    del lang, reveal

    def registered(value: RegisteredPolicy) -> dict[str, Any]:
        return {"policy_id": value.policy_id, "version": value.version, "hash": value.hash,
                "seq": value.seq}  # fmt: skip

    converter.register_unstructure_hook(RegisteredPolicy, registered)


@attrs.frozen(kw_only=True)
class Replay:
    """A decision decided again under its recorded policy, pot state and inputs.

    Attributes:
        decision: The engine's decision now.
        matches: Whether it is the same as the recorded one.
    """

    decision: Decision = attrs.field(repr=False)
    matches: bool


class _Known:
    """The history the ledger knows for one decision (a :class:`PotHistory`)."""

    __slots__ = ("_grants", "_received", "_used")

    def __init__(self, used: int, received: int, grants: int) -> None:
        self._used = used
        self._received = received
        self._grants = grants

    def used(self) -> int:
        return self._used

    def household(self, ref: str | None) -> tuple[int, int]:
        del ref
        return self._received, self._grants

    def decided(self, request_id: str) -> bool:
        del request_id
        return False


class _Write:
    """One write transaction: the head, the new entries, the projection rows."""

    def __init__(self, tx: Tx, now: datetime.datetime) -> None:
        self.tx = tx
        self.now = now
        self.at = utc_text(now)
        self.seq, self.hash = tx.one("SELECT seq, hash FROM head WHERE id = 1")
        self.rows: list[tuple[Any, ...]] = []
        self.personal: list[tuple[str, str, str, str]] = []
        self.keys: list[tuple[str, str, str]] = []
        self.new_refs: dict[str, str] = {}
        self.known_refs: dict[str, str | None] = {}
        self.state = State(tx)

    def append(
        self,
        kind: EntryKind,
        actor: str,
        pot_id: str | None,
        household: str | None,
        payload: Mapping[str, Any],
    ) -> Entry:
        seq = self.seq + 1
        text = canonical(payload)
        value = kind.value
        entry_hash = chain_hash(
            self.hash, _entry_text(seq, self.at, actor, value, pot_id, household,
                                   PAYLOAD_VERSION, text)
        )  # fmt: skip
        self.rows.append(
            (seq, self.at, actor, value, pot_id, household, PAYLOAD_VERSION, text, self.hash,
             entry_hash)
        )  # fmt: skip
        self.state.apply(seq, self.at, value, pot_id, household, payload)
        entry = Entry(
            seq=seq, at=self.now, actor=actor, kind=kind, pot_id=pot_id, household=household,
            payload_version=PAYLOAD_VERSION, payload=payload, prev_hash=self.hash,
            hash=entry_hash,
        )  # fmt: skip
        self.seq, self.hash = seq, entry_hash
        return entry

    def flush(self) -> None:
        tx = self.tx
        tx.many("INSERT INTO household_keys (ref, household, secret) VALUES (?, ?, ?)", self.keys)
        tx.many(
            "INSERT INTO personal (digest, household, nonce, data) VALUES (?, ?, ?, ?)",
            self.personal,
        )
        tx.many(_INSERT_ENTRY,
                self.rows)  # fmt: skip
        self.state.flush(tx)
        if self.rows:
            tx.run("UPDATE head SET seq = ?, hash = ? WHERE id = 1", (self.seq, self.hash))


class Ledger:
    """A decision ledger on SQLite or PostgreSQL (open one with :func:`open_ledger`).

    Every method that writes appends entries in one transaction, after the ledger's
    lock is taken, and returns only once they are durable. A ledger may be shared by
    the threads of a process; other processes and machines open their own.
    """

    def __init__(
        self,
        backend: Backend,
        *,
        clock: Clock,
        retention: datetime.timedelta | None,
        pending_expiry: datetime.timedelta | None,
    ) -> None:
        self._backend = backend
        self._clock = clock
        self.retention = retention
        self.pending_expiry = pending_expiry
        self._policies: dict[str, Policy] = {}
        self._pots: dict[str, Pot] = {}
        self._closed = False

    # --- the frame ---

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._backend.name

    def close(self) -> None:
        """Close the ledger's connection."""
        if not self._closed:
            self._closed = True
            self._backend.close()

    def __enter__(self) -> Ledger:  # noqa: PYI034  (Self needs 3.11 typing; fine here)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _now(self) -> datetime.datetime:
        now = self._clock()
        if now.tzinfo is None:
            raise LedgerError("the ledger's clock must give an aware datetime")
        return now.astimezone(datetime.UTC)

    @contextlib.contextmanager
    def _write(self) -> Iterator[_Write]:
        if self._closed:
            raise LedgerError("the ledger is closed")
        with self._backend.write() as tx:
            write = _Write(tx, self._now())
            yield write
            write.flush()

    def _read(self) -> Any:
        if self._closed:
            raise LedgerError("the ledger is closed")
        return self._backend.read()

    # --- policies and pots ---

    def register_policy(
        self,
        policy: Policy | str,
        *,
        actor: str,
        format: Literal["toml", "json"] = "toml",
        source: str | None = None,
    ) -> Entry:
        """Record a policy's exact text and its content hash (SHA-256 of the text).

        Registering the same text again returns its first entry. A different text under
        an id and version already registered is refused: a change needs a new version.

        Args:
            policy: A policy (written as TOML), or its TOML or JSON text.
            actor: Who registers it.
            format: The format of ``policy`` if it is text.
            source: A name for where the text came from (e.g. a file name).

        Raises:
            LedgerConflict: If the id and version hold a different text.
            PolicyError: If the text is not a valid policy.
        """
        actor = _check_actor(actor)
        if isinstance(policy, Policy):
            text, name = dumps_policy(policy, "toml"), source or policy.source
            fmt: Literal["toml", "json"] = "toml"
        else:
            text, fmt, name = policy, format, source
        parsed = _parse_policy(text, fmt, name)
        content_hash = digest(text)
        version = parsed.version or ""
        with self._write() as w:
            found = w.state.policy(parsed.id, version)
            if found is not None:
                if found[0] != content_hash:
                    raise LedgerConflict(
                        f"policy {parsed.id!r} version {parsed.version!r} is registered with"
                        " another text: give the changed policy a new version"
                    )
                return self._entry_at(w.tx, found[1])
            entry = w.append(
                EntryKind.POLICY_REGISTERED,
                actor,
                None,
                None,
                {"policy_id": parsed.id, "version": version, "hash": content_hash,
                 "format": fmt, "source": name, "text": text},
            )  # fmt: skip
        self._policies[content_hash] = parsed
        return entry

    def open_pot(self, pot: Pot | None = None, *, policy_id: str, actor: str) -> Entry:
        """Open a pot whose decisions are made under a registered policy.

        Decisions use the policy version registered last under ``policy_id``.

        Args:
            pot: The pot (without entries); ``None`` for the policy's own pot.
            policy_id: A registered policy's id.
            actor: Who opens it.

        Raises:
            LedgerError: If the policy is not registered, or the pot has entries.
            LedgerConflict: If another pot of that id is open.
        """
        actor = _check_actor(actor)
        with self._write() as w:
            policy, _hash, _version = self._latest_policy(w.tx, policy_id)
            if pot is None:
                if policy.pot is None:
                    raise LedgerError(f"policy {policy_id!r} has no pot of its own: give one")
                pot = policy.pot
            if pot.commitments or pot.disbursements:
                raise LedgerError("open a pot without entries: the ledger records them")
            document = json.loads(canonical(unstructure(pot)))
            found = w.state.pot(pot.id)
            if found is not None:
                opened = self._entry_at(w.tx, found[1])
                if opened.payload.get("document") != document or found[0] != policy_id:
                    raise LedgerConflict(f"pot {pot.id!r} is already open with other terms")
                return opened
            return w.append(
                EntryKind.POT_OPENED,
                actor,
                pot.id,
                None,
                {"pot_id": pot.id, "policy_id": policy_id, "total": str(pot.total.amount),
                 "document": document},
            )  # fmt: skip

    def _latest_policy(self, tx: Tx, policy_id: str) -> tuple[Policy, str, str]:
        row = tx.one(
            "SELECT version, hash, seq FROM policies WHERE policy_id = ? ORDER BY seq DESC LIMIT 1",
            (policy_id,),
        )
        if row is None:
            raise LedgerError(f"no policy {policy_id!r} is registered")
        return self._policy_at(tx, row[2], row[1]), row[1], row[0]

    def _policy_at(self, tx: Tx, seq: int, content_hash: str) -> Policy:
        policy = self._policies.get(content_hash)
        if policy is None:
            payload = self._entry_at(tx, seq).payload
            policy = _parse_policy(payload["text"], payload["format"], payload["source"])
            self._policies[content_hash] = policy
        return policy

    def _pot_value(self, tx: Tx, pot_id: str, seq: int) -> Pot:
        pot = self._pots.get(pot_id)
        if pot is None:
            document = self._entry_at(tx, seq).payload["document"]
            pot = structure(document, Pot)
            self._pots[pot_id] = pot
        return pot

    def _entry_at(self, tx: Tx, seq: int) -> Entry:
        row = tx.one(_SELECT_ENTRIES + " WHERE seq = ?", (seq,))
        if row is None:
            raise LedgerError(f"no entry {seq}")
        return _entry(row)

    # --- households ---

    def _prefetch(self, w: _Write, pot_id: str, items: list[Request]) -> None:
        """Read what a batch needs in a few queries rather than a few per request."""
        refs = sorted({r.household.ref for r in items} - w.new_refs.keys())
        for start in range(0, len(refs), 500):
            chunk = refs[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            found = dict(
                w.tx.all(
                    f"SELECT ref, household FROM household_keys WHERE ref IN ({marks})",  # noqa: S608
                    chunk,
                )
            )
            for ref in chunk:
                w.known_refs[ref] = found.get(ref)
        households = sorted({h for h in w.known_refs.values() if h is not None})
        w.state.prefetch(pot_id, [r.id for r in items], households)

    def _pseudonym(self, w: _Write, ref: str, *, create: bool) -> str | None:
        known = w.new_refs.get(ref)
        if known is not None:
            return known
        if ref in w.known_refs:
            cached = w.known_refs[ref]
            row = None if cached is None else (cached,)
        else:
            row = w.tx.one("SELECT household FROM household_keys WHERE ref = ?", (ref,))
        if row is not None:
            return str(row[0])
        if not create:
            return None
        secret = secrets.token_bytes(32)
        pseudonym = "hh-" + hmac.new(secret, ref.encode("utf-8"), "sha256").hexdigest()[:32]
        w.keys.append((ref, pseudonym, secret.hex()))
        w.new_refs[ref] = pseudonym
        w.state.new_households.add(pseudonym)
        return pseudonym

    # --- deciding ---

    def decide(
        self,
        request: Request,
        *,
        pot_id: str,
        as_of: datetime.date | None = None,
        actor: str,
    ) -> RecordedDecision:
        """Decide a request against a pot and record it, with its trace.

        Idempotent by request id: deciding the same request again returns the first
        decision (``repeated=True``). If the decision's approval band needs more than
        one person, it is recorded as ``pending_approval`` with its money reserved;
        ``actor`` (the proposer) counts as the first signature, unless the request says
        the decider holds the social-assistance mandate (002:1739-1741).

        Args:
            request: The request.
            pot_id: The pot.
            as_of: The decision's date; by default today in Europe/Oslo.
            actor: Who decides (the proposer).

        Raises:
            LedgerConflict: If the request id was decided with a different request.
            LedgerError: If the pot is not open in this ledger.
        """
        return self.decide_many([request], pot_id=pot_id, as_of=as_of, actor=actor)[0]

    def decide_many(
        self,
        requests: Iterable[Request],
        *,
        pot_id: str,
        as_of: datetime.date | None = None,
        actor: str,
    ) -> list[RecordedDecision]:
        """Decide requests in the order given, all recorded in one transaction.

        Each is decided against the pot the one before left; all or none are recorded.
        See :meth:`decide`.
        """
        actor = _check_actor(actor)
        items = list(requests)
        for item in items:
            if not isinstance(item, Request):
                raise InvalidInputError("expected Request values", what="requests")
        out: list[RecordedDecision] = []
        with self._write() as w:
            pot_row = w.state.pot(pot_id)
            if pot_row is None:
                raise LedgerError(f"no pot {pot_id!r} is open in this ledger")
            policy, policy_hash, version = self._latest_policy(w.tx, pot_row[0])
            pot = self._pot_value(w.tx, pot_id, pot_row[1])
            day = as_of if as_of is not None else w.now.astimezone(OSLO).date()
            self._expire(w, pot_id)
            if len(items) > 1:
                self._prefetch(w, pot_id, items)
            out.extend(
                self._decide_one(w, request, pot_id, pot, policy, policy_hash, version, day, actor)
                for request in items
            )
        return out

    def allocate(
        self,
        requests: Iterable[Request],
        *,
        pot_id: str,
        as_of: datetime.date | None = None,
        actor: str,
    ) -> list[RecordedDecision]:
        """Decide requests in the documented priority order, in one transaction.

        The order is :func:`~samskaping.payouts.allocate`'s: children first, then the
        earliest.
        """
        items = list(requests)
        with self._read() as tx:
            row = tx.one("SELECT policy_id FROM pots WHERE pot_id = ?", (pot_id,))
            if row is None:
                raise LedgerError(f"no pot {pot_id!r} is open in this ledger")
            policy = self._latest_policy(tx, row[0])[0]
        ordered = sorted(items, key=lambda r: priority_key(r, policy))
        return self.decide_many(ordered, pot_id=pot_id, as_of=as_of, actor=actor)

    def _decide_one(  # noqa: PLR0917  (the transaction's context)
        self,
        w: _Write,
        request: Request,
        pot_id: str,
        pot: Pot,
        policy: Policy,
        policy_hash: str,
        version: str,
        day: datetime.date,
        actor: str,
    ) -> RecordedDecision:
        existing = w.state.decision(request.id)
        if existing is not None:
            recorded = self._recorded(w.tx, request.id, existing, w.state)
            if not self._same_request(w, recorded.record, request):
                raise LedgerConflict(
                    f"request {request.id!r} was already decided with a different request"
                )
            return attrs.evolve(recorded, repeated=True)
        household = self._pseudonym(w, request.household.ref, create=True)
        assert household is not None  # noqa: S101  (created)
        pot_row = w.state.pot(pot_id)
        assert pot_row is not None  # noqa: S101  (checked by the caller)
        hh = w.state.household(pot_id, household)
        received, grants = (hh[0], hh[1]) if hh is not None else (0, 0)
        used = pot_row[3] + pot_row[5]
        decision, _after = evaluate(
            policy, request, pot, day, trace=True, history=_Known(used, received, grants)
        )
        personal = canonical(personal_part(request))
        nonce = secrets.token_hex(16)
        personal_digest = digest(nonce + personal)
        w.personal.append((personal_digest, household, nonce, personal))
        outcome = decision.status.value
        signers: list[str] = []
        needed = 0
        status = outcome
        if decision.status in _GRANTED:
            needed = decision.approvers.people if decision.approvers is not None else 1
            if not request.decider_has_social_assistance_mandate:
                signers.append(actor)
            if len(signers) < needed:
                status = LedgerStatus.PENDING_APPROVAL.value
        payload = {
            "decision_id": request.id,
            "household": household,
            "personal": personal_digest,
            "request": public_part(request),
            "policy": {"id": policy.id, "version": version, "hash": policy_hash},
            "as_of": day.isoformat(),
            "context": {"used": used, "received": received, "grants": grants},
            "outcome": outcome_payload(decision),
            "status": status,
            "amount": str(decision.amount.amount),
            "needed": needed,
            "signers": signers,
        }
        entry = w.append(EntryKind.DECISION, actor, pot_id, household, payload)
        return RecordedDecision(
            decision_id=request.id,
            pot_id=pot_id,
            seq=entry.seq,
            household=household,
            status=LedgerStatus(status),
            outcome=outcome,
            requested=decision.requested,
            amount=decision.amount,
            as_of=day,
            policy_id=policy.id,
            policy_version=version or None,
            policy_hash=policy_hash,
            needed=needed,
            signers=tuple(signers),
            record=payload,
            decision=decision,
        )

    def _same_request(self, w: _Write, record: Mapping[str, Any], request: Request) -> bool:
        if record["request"] != public_part(request):
            return False
        if self._pseudonym(w, request.household.ref, create=False) != record["household"]:
            return False
        return _personal_matches(w, record["personal"], personal_part(request))

    def _recorded(
        self, tx: Tx, decision_id: str, row: Sequence[Any], state: State | None = None
    ) -> RecordedDecision:
        del state
        pot_id, seq, household, status, outcome, amount, needed, signers, _at = row
        payload = self._entry_at(tx, seq).payload
        policy = payload["policy"]
        return RecordedDecision(
            decision_id=decision_id,
            pot_id=pot_id,
            seq=seq,
            household=household,
            status=LedgerStatus(status),
            outcome=outcome,
            requested=Money(payload["outcome"]["requested"]),
            amount=Money.from_ore(amount),
            as_of=datetime.date.fromisoformat(payload["as_of"]),
            policy_id=policy["id"],
            policy_version=policy["version"] or None,
            policy_hash=policy["hash"],
            needed=needed,
            signers=tuple(signers if isinstance(signers, list) else json.loads(signers)),
            record=payload,
        )

    def decision(self, decision_id: str) -> RecordedDecision:
        """The decision recorded for a request id, as it stands now.

        Raises:
            LedgerError: If there is none.
        """
        with self._read() as tx:
            state = State(tx)
            row = state.decision(decision_id)
            if row is None:
                raise LedgerError(f"no decision {decision_id!r} in this ledger")
            _not_collective(decision_id, row)
            return self._recorded(tx, decision_id, row)

    # --- collective decisions ---

    def decide_collective(
        self,
        request: CollectiveRequest,
        *,
        pot_id: str,
        policy_id: str | None = None,
        as_of: datetime.date | None = None,
        actor: str,
    ) -> RecordedCollectiveDecision:
        """Decide a group's proposals under a collective policy and record it, with its trace.

        The decision is :func:`~samskaping.payouts.decide_collective`'s, against what
        the pot has available now (pending decisions' reserved money included as
        used). The funded proposals' money is committed at once, to the øre: the
        decision body has decided (002:1874, 002:1900). Idempotent by request id, as
        :meth:`decide`; the id is shared with individual decisions.

        Args:
            request: The group's request.
            pot_id: The pot; it must allow collective payouts, or nothing is funded.
            policy_id: A registered collective policy; by default the pot's own.
            as_of: The decision's date; by default today in Europe/Oslo.
            actor: Who records the group's decision.

        Raises:
            LedgerConflict: If the id was decided with a different request, or is an
                individual decision.
            LedgerError: If the pot is not open, or the policy not registered.
            InvalidInputError: If the policy is not collective.
        """
        actor = _check_actor(actor)
        if not isinstance(request, CollectiveRequest):
            raise InvalidInputError("expected a CollectiveRequest", what="request")
        with self._write() as w:
            pot_row = w.state.pot(pot_id)
            if pot_row is None:
                raise LedgerError(f"no pot {pot_id!r} is open in this ledger")
            day = as_of if as_of is not None else w.now.astimezone(OSLO).date()
            self._expire(w, pot_id)
            existing = w.state.decision(request.id)
            if existing is not None:
                recorded = None
                if existing[4] == COLLECTIVE_OUTCOME:
                    recorded = self._recorded_collective(w.tx, request.id, existing)
                if recorded is None or not self._same_collective(w, recorded.record, request):
                    raise LedgerConflict(
                        f"request {request.id!r} was already decided with a different request"
                    )
                return attrs.evolve(recorded, repeated=True)
            policy, policy_hash, version = self._latest_policy(w.tx, policy_id or pot_row[0])
            if policy.payment_type is not PaymentType.COLLECTIVE or policy.collective is None:
                raise InvalidInputError(f"{policy.id!r} is not a collective policy", what="policy")
            pot = self._pot_value(w.tx, pot_id, pot_row[1])
            used = pot_row[3] + pot_row[5]
            if used:  # what the ledger has committed or paid from the pot, as one entry
                pot = attrs.evolve(pot, commitments=(PotEntry(
                    id="ledger", amount=Money.from_ore(used), date=day,
                    payment_type=PaymentType.COLLECTIVE),))  # fmt: skip
            decision, _after = decide_collective(policy, request, pot, day, trace=True)
            group = self._pseudonym(w, request.group, create=True)
            assert group is not None  # noqa: S101  (created)
            personal = canonical(collective_personal(request))
            nonce = secrets.token_hex(16)
            personal_digest = digest(nonce + personal)
            w.personal.append((personal_digest, group, nonce, personal))
            status = collective_status(decision)
            funds = status is not LedgerStatus.REJECTED
            payload = {
                "decision_id": request.id,
                "group": group,
                "personal": personal_digest,
                "request": collective_public(request),
                "policy": {"id": policy.id, "version": version, "hash": policy_hash},
                "as_of": day.isoformat(),
                "context": {"used": used},
                "outcome": collective_outcome(decision),
                "status": status.value,
                "amount": str(decision.funded.amount),
                "needed": 1 if funds else 0,
                "signers": [actor] if funds else [],
            }
            entry = w.append(EntryKind.COLLECTIVE_DECISION, actor, pot_id, group, payload)
        return RecordedCollectiveDecision(
            decision_id=request.id,
            pot_id=pot_id,
            seq=entry.seq,
            group=group,
            status=status,
            budget=decision.budget,
            funded=decision.funded,
            as_of=day,
            policy_id=policy.id,
            policy_version=version or None,
            policy_hash=policy_hash,
            record=payload,
            decision=decision,
        )

    def _same_collective(
        self, w: _Write, record: Mapping[str, Any], request: CollectiveRequest
    ) -> bool:
        if canonical(record["request"]) != canonical(collective_public(request)):
            return False
        if self._pseudonym(w, request.group, create=False) != record["group"]:
            return False
        return _personal_matches(w, record["personal"], collective_personal(request))

    def _recorded_collective(
        self, tx: Tx, decision_id: str, row: Sequence[Any]
    ) -> RecordedCollectiveDecision:
        pot_id, seq, group, status, _outcome, amount, _needed, _signers, _at = row
        payload = self._entry_at(tx, seq).payload
        policy = payload["policy"]
        return RecordedCollectiveDecision(
            decision_id=decision_id,
            pot_id=pot_id,
            seq=seq,
            group=group,
            status=LedgerStatus(status),
            budget=Money(payload["outcome"]["budget"]),
            funded=Money.from_ore(amount),
            as_of=datetime.date.fromisoformat(payload["as_of"]),
            policy_id=policy["id"],
            policy_version=policy["version"] or None,
            policy_hash=policy["hash"],
            record=payload,
        )

    def collective_decision(self, decision_id: str) -> RecordedCollectiveDecision:
        """The collective decision recorded for a request id, as it stands now.

        Raises:
            LedgerError: If there is none (or the id is an individual decision).
        """
        with self._read() as tx:
            row = State(tx).decision(decision_id)
            if row is None or row[4] != COLLECTIVE_OUTCOME:
                raise LedgerError(f"no collective decision {decision_id!r} in this ledger")
            return self._recorded_collective(tx, decision_id, row)

    # --- four eyes ---

    def _pending(self, w: _Write, decision_id: str) -> list[Any]:
        row = w.state.decision(decision_id)
        if row is None:
            raise LedgerError(f"no decision {decision_id!r} in this ledger")
        if row[3] != LedgerStatus.PENDING_APPROVAL.value:
            raise ApprovalRefused(f"decision {decision_id!r} is {row[3]}, not pending approval")
        return row

    def _is_expired(self, w: _Write, row: Sequence[Any]) -> bool:
        return self.pending_expiry is not None and _parse_at(row[8]) + self.pending_expiry <= w.now

    def approve(
        self, decision_id: str, *, actor: str, dual_mandate: bool = False
    ) -> RecordedDecision:
        """Sign a pending decision; with enough distinct signatures it is committed.

        Args:
            decision_id: The decision.
            actor: Who signs.
            dual_mandate: Whether ``actor`` also holds the social-assistance mandate for
                the household; such an approver is refused (002:1739-1741).

        Raises:
            ApprovalRefused: If the decision is not pending, has expired (the expiry
                is recorded and its money released), ``actor`` has signed it already,
                or has a dual mandate.
        """
        actor = _check_actor(actor)
        expired = False
        with self._write() as w:
            row = self._pending(w, decision_id)
            if self._is_expired(w, row):
                self._record_expiry(w, decision_id, row)
                expired = True
            else:
                if dual_mandate:
                    raise ApprovalRefused(
                        "an approver who holds the social-assistance mandate for the household"
                        " cannot approve (dual mandate, 002:1739-1741)"
                    )
                if _person(actor) in {_person(s) for s in row[7]}:
                    raise ApprovalRefused(
                        f"{actor!r} has already signed decision {decision_id!r}:"
                        " a second approver must be a different person"
                    )
                number = len(row[7]) + 1
                w.append(
                    EntryKind.APPROVAL, actor, row[0], row[2],
                    {"decision_id": decision_id, "signer": actor, "number": number,
                     "needed": row[6]},
                )  # fmt: skip
                if number >= row[6]:
                    w.append(
                        EntryKind.COMMITMENT, actor, row[0], row[2],
                        {"decision_id": decision_id, "amount": str(Money.from_ore(row[5]).amount),
                         "signers": list(row[7])},
                    )  # fmt: skip
        if expired:
            raise ApprovalRefused(
                f"decision {decision_id!r} waited longer than {self.pending_expiry} and expired;"
                " its money was released"
            )
        return self.decision(decision_id)

    def reject(self, decision_id: str, *, actor: str, reason: str) -> RecordedDecision:
        """An approver's rejection of a pending decision: its reserved money is released.

        Raises:
            ApprovalRefused: If the decision is not pending.
        """
        actor = _check_actor(actor)
        reason = _check_reason(reason)
        with self._write() as w:
            row = self._pending(w, decision_id)
            w.append(EntryKind.REJECTION, actor, row[0], row[2],
                     {"decision_id": decision_id, "reason": reason})  # fmt: skip
        return self.decision(decision_id)

    def _record_expiry(self, w: _Write, decision_id: str, row: Sequence[Any]) -> None:
        assert self.pending_expiry is not None  # noqa: S101  (checked by the caller)
        w.append(
            EntryKind.EXPIRY, "ledger", row[0], row[2],
            {"decision_id": decision_id, "after_days": self.pending_expiry.days,
             "recorded_at": row[8]},
        )  # fmt: skip

    def _expire(self, w: _Write, pot_id: str | None) -> int:
        if self.pending_expiry is None:
            return 0
        limit = utc_text(w.now - self.pending_expiry)
        sql = "SELECT decision_id FROM decisions WHERE status = 'pending_approval' AND at <= ?"
        params: tuple[str, ...] = (limit,)
        if pot_id is not None:
            sql = (
                "SELECT decision_id FROM decisions WHERE pot_id = ?"
                " AND status = 'pending_approval' AND at <= ?"
            )
            params = (pot_id, limit)
        count = 0
        for (decision_id,) in w.tx.all(sql + " ORDER BY seq", params):
            row = w.state.decision(decision_id)
            if row is not None and row[3] == LedgerStatus.PENDING_APPROVAL.value:
                self._record_expiry(w, decision_id, row)
                count += 1
        return count

    def expire_pending(self, *, pot_id: str | None = None) -> int:
        """Record the expiry of every decision pending longer than ``pending_expiry``.

        The rule: a decision still pending approval when ``pending_expiry`` (30 days by
        default) has passed since it was recorded expires, and its reserved money is
        released. Expiry is recorded by the ledger (actor ``ledger``) whenever the pot
        is next decided against, when someone tries to approve it, or when this is
        called. Returns how many expired.
        """
        with self._write() as w:
            return self._expire(w, pot_id)

    # --- money moving on ---

    def disburse(self, decision_id: str, *, actor: str) -> RecordedDecision:
        """Record that a committed decision's money was paid out.

        Raises:
            LedgerError: If the decision is not granted (or partly granted) and unpaid.
        """
        actor = _check_actor(actor)
        with self._write() as w:
            row = self._committed(w, decision_id)
            w.append(EntryKind.DISBURSEMENT, actor, row[0], row[2],
                     {"decision_id": decision_id,
                      "amount": str(Money.from_ore(row[5]).amount)})  # fmt: skip
        return self.decision(decision_id)

    def release(self, decision_id: str, *, actor: str, reason: str) -> RecordedDecision:
        """Release a commitment that will not be paid: its money is available again."""
        actor = _check_actor(actor)
        reason = _check_reason(reason)
        with self._write() as w:
            row = self._committed(w, decision_id)
            w.append(EntryKind.RELEASE, actor, row[0], row[2],
                     {"decision_id": decision_id, "reason": reason})  # fmt: skip
        return self.decision(decision_id)

    def _committed(self, w: _Write, decision_id: str) -> list[Any]:
        row = w.state.decision(decision_id)
        if row is None:
            raise LedgerError(f"no decision {decision_id!r} in this ledger")
        _not_collective(decision_id, row)
        if row[3] not in {LedgerStatus.GRANTED.value, LedgerStatus.PARTIAL.value}:
            raise LedgerError(f"decision {decision_id!r} is {row[3]}, not committed")
        return row

    def reverse(self, entry_id: int, *, actor: str, reason: str) -> Entry:
        """Correct a decision or a disbursement by a new entry that points at it.

        Reversing a decision that is committed or pending releases its money; reversing a
        disbursement records the money as returned to the pot. Nothing is changed in
        place.

        Raises:
            LedgerError: If the entry is neither, or there is nothing left to reverse.
        """
        actor = _check_actor(actor)
        reason = _check_reason(reason)
        with self._write() as w:
            target = self._entry_at(w.tx, entry_id)
            decision_id = target.payload.get("decision_id")
            row = w.state.decision(decision_id) if decision_id else None
            if target.kind in _DECIDED and row is not None and row[3] in {
                "granted", "partial", "pending_approval",
            }:  # fmt: skip
                effect = "release"
            elif (
                target.kind is EntryKind.DISBURSEMENT
                and row is not None
                and row[3] == LedgerStatus.DISBURSED.value
            ):
                effect = "return"
            else:
                raise LedgerError(f"entry {entry_id} has nothing left to reverse")
            return w.append(
                EntryKind.REVERSAL, actor, row[0], row[2],
                {"decision_id": decision_id, "entry": entry_id, "effect": effect,
                 "reason": reason},
            )  # fmt: skip

    # --- replay ---

    def replay(self, decision_id: str) -> Replay:
        """Decide a recorded decision again and say whether it is the same.

        It is decided under its recorded policy text, the pot's state as recorded, and
        the household's recorded attributes.

        Raises:
            LedgerError: If the decision is unknown, or the household was forgotten.
        """
        with self._read() as tx:
            row = State(tx).decision(decision_id)
            if row is None:
                raise LedgerError(f"no decision {decision_id!r} in this ledger")
            _not_collective(decision_id, row)
            record = self._entry_at(tx, row[1]).payload
            found = tx.one("SELECT data FROM personal WHERE digest = ?", (record["personal"],))
            if found is None:
                raise LedgerError("the household was forgotten: its attributes are erased")
            policy_info = record["policy"]
            version_row = tx.one(
                "SELECT seq, hash FROM policies WHERE policy_id = ? AND version = ?",
                (policy_info["id"], policy_info["version"]),
            )
            policy = self._policy_at(tx, version_row[0], version_row[1])
            pot_row = tx.one("SELECT seq FROM pots WHERE pot_id = ?", (row[0],))
            pot = self._pot_value(tx, row[0], pot_row[0])
        request: Request = structure(
            join_parts(record["request"], json.loads(found[0]), "replayed"), Request
        )
        context = record["context"]
        decision, _after = evaluate(
            policy,
            request,
            pot,
            datetime.date.fromisoformat(record["as_of"]),
            trace=True,
            history=_Known(context["used"], context["received"], context["grants"]),
        )
        matches = (
            canonical(outcome_payload(decision)) == canonical(record["outcome"])
            and version_row[1] == policy_info["hash"]
        )
        return Replay(decision=decision, matches=matches)

    # --- reading ---

    def pot_state(self, pot_id: str) -> PotState:
        """A pot's balance.

        Raises:
            LedgerError: If no such pot is open.
        """
        with self._read() as tx:
            row = State(tx).pot(pot_id)
        if row is None:
            raise LedgerError(f"no pot {pot_id!r} is open in this ledger")
        return _pot_state(pot_id, row)

    def pots(self) -> tuple[PotState, ...]:
        """Every pot, by id."""
        with self._read() as tx:
            rows = tx.all(
                "SELECT pot_id, policy_id, seq, total, committed, reserved, disbursed, decisions"
                " FROM pots ORDER BY pot_id"
            )
        return tuple(_pot_state(row[0], list(row[1:])) for row in rows)

    def policies(self) -> tuple[RegisteredPolicy, ...]:
        """Every registered policy version, in the order registered."""
        with self._read() as tx:
            rows = tx.all("SELECT policy_id, version, hash, seq FROM policies ORDER BY seq")
        return tuple(
            RegisteredPolicy(policy_id=r[0], version=r[1] or None, hash=r[2], seq=r[3])
            for r in rows
        )

    def entries(self, *, pot_id: str | None = None, since: int = 0) -> Iterator[Entry]:
        """Every entry after ``since``, in order (of one pot, if given)."""
        with self._read() as tx:
            if pot_id is None:
                rows = tx.all(_SELECT_ENTRIES + " WHERE seq > ? ORDER BY seq", (since,))
            else:
                rows = tx.all(
                    _SELECT_ENTRIES + " WHERE seq > ? AND pot_id = ? ORDER BY seq",
                    (since, pot_id),
                )
        for row in rows:
            yield _entry(row)

    def history(
        self, household: str | None = None, *, reveal_identifiers: bool = False
    ) -> HouseholdHistory | tuple[Entry, ...]:
        """One household's history (by its reference), or every entry if none is given.

        Args:
            household: The household's reference.
            reveal_identifiers: Include the reference in the result.

        Raises:
            LedgerError: If the ledger knows no household by that reference (it may have
                been forgotten); the reference is not repeated.
        """
        if household is None:
            return tuple(self.entries())
        with self._read() as tx:
            found = tx.one("SELECT household FROM household_keys WHERE ref = ?", (household,))
            if found is None:
                raise LedgerError(
                    "no household with that reference in this ledger (or it was forgotten)"
                )
            return self._history(tx, found[0], household if reveal_identifiers else None)

    def _history(self, tx: Tx, pseudonym: str, ref: str | None) -> HouseholdHistory:
        rows = tx.all(
            "SELECT pot_id, received, requests, first_date, last_date FROM households"
            " WHERE household = ? ORDER BY pot_id",
            (pseudonym,),
        )
        entries = tuple(
            _entry(r)
            for r in tx.all(
                _SELECT_ENTRIES + " WHERE household = ? ORDER BY seq",
                (pseudonym,),
            )
        )
        firsts = [datetime.date.fromisoformat(r[3]) for r in rows]
        lasts = [datetime.date.fromisoformat(r[4]) for r in rows]
        return HouseholdHistory(
            household=pseudonym,
            ref=ref,
            received={r[0]: Money.from_ore(r[1]) for r in rows},
            requests={r[0]: r[2] for r in rows},
            first_date=min(firsts) if firsts else None,
            last_date=max(lasts) if lasts else None,
            entries=entries,
            forgotten=any(e.kind is EntryKind.HOUSEHOLD_FORGOTTEN for e in entries),
        )

    # --- personal data ---

    def record_access(self, household: str, *, actor: str, purpose: str) -> Entry:
        """Record that someone read a household's personal data, and why.

        Raises:
            LedgerError: If the ledger knows no household by that reference.
        """
        actor = _check_actor(actor)
        purpose = _check_reason(purpose, what="purpose")
        with self._write() as w:
            pseudonym = self._pseudonym(w, household, create=False)
            if pseudonym is None:
                raise LedgerError("no household with that reference in this ledger")
            return w.append(EntryKind.ACCESS, actor, None, pseudonym, {"purpose": purpose})

    def access_export(self, household: str, *, actor: str) -> dict[str, Any]:
        """Everything recorded about one household (*innsyn*), for the household itself.

        The export is recorded as an access (purpose ``innsyn``). It holds the reference,
        the pseudonym, every personal attribute kept, the balance per pot and every entry
        about the household.
        """
        self.record_access(household, actor=actor, purpose="innsyn")
        with self._read() as tx:
            pseudonym = tx.one("SELECT household FROM household_keys WHERE ref = ?", (household,))[
                0
            ]
            personal = [
                {"digest": r[0], "data": json.loads(r[1])}
                for r in tx.all(
                    "SELECT digest, data FROM personal WHERE household = ? ORDER BY digest",
                    (pseudonym,),
                )
            ]
            history = self._history(tx, pseudonym, household)
        data = history.to_dict()
        data["personal"] = personal
        return data

    def forget(
        self,
        household: str,
        *,
        actor: str,
        reason: str | None = None,
        force: bool = False,
    ) -> Entry:
        """Erase a household's key and personal attributes; the chain still verifies.

        After this the entries can no longer be tied to the household: its pseudonym
        stays, but nothing in the ledger holds or derives its reference. Amounts, dates,
        reasons, flags and the hash of the erased attributes stay (accounting law).
        Before the retention period has passed since the household's latest entry,
        forgetting is refused unless ``force`` is given with a ``reason``, which is
        recorded.

        Raises:
            RetentionError: If the retention period has not passed and ``force`` is not set.
            InvalidInputError: If ``force`` is given without a reason.
            LedgerError: If no household has that reference.
        """
        actor = _check_actor(actor)
        if force and not (reason and reason.strip()):
            raise InvalidInputError("a forced forget needs a reason", what="reason")
        with self._write() as w:
            pseudonym = self._pseudonym(w, household, create=False)
            if pseudonym is None:
                raise LedgerError(
                    "no household with that reference in this ledger (or it was forgotten)"
                )
            last = w.tx.one(
                "SELECT max(last_at) FROM households WHERE household = ?", (pseudonym,)
            )[0]
            early = (
                self.retention is not None
                and last is not None
                and _parse_at(last) + self.retention > w.now
            )
            if early and not force:
                raise RetentionError(
                    f"the retention period ({self.retention.days} days) has not passed since"  # type: ignore[union-attr]
                    " the household's latest entry: give force and a reason"
                )
            w.tx.run("DELETE FROM household_keys WHERE household = ?", (pseudonym,))
            w.tx.run("DELETE FROM personal WHERE household = ?", (pseudonym,))
            entry = w.append(
                EntryKind.HOUSEHOLD_FORGOTTEN, actor, None, pseudonym,
                {"forced": bool(early), "reason": reason,
                 "retention_days": self.retention.days if self.retention else None,
                 "erased": ["household_key", "personal_attributes"]},
            )  # fmt: skip
        self._backend.after_erase()
        return entry

    # --- tamper evidence ---

    def head(self) -> str:
        """The hash of the latest entry (64 zeros for an empty ledger): keep it elsewhere."""
        with self._read() as tx:
            return str(tx.one("SELECT hash FROM head WHERE id = 1")[0])

    def verify(self, *, head: str | None = None) -> VerifyReport:
        """Recompute the hash chain and every projection from the entries.

        Args:
            head: A hash kept elsewhere. If given, it must be the hash of an entry in
                the chain, which proves that nothing up to that entry changed. Without
                it, a cut tail or a chain rewritten from some entry on cannot be told
                from an honest ledger.

        Returns:
            The report; ``first_bad`` names the first entry edited, deleted, inserted
            or reordered.
        """
        with self._read() as tx:
            return _verify(tx, head)

    # --- export ---

    def export(
        self, out: str | os.PathLike[str] | IO[Any], *, format: ExportFormat = "jsonl"
    ) -> int:
        """Write every entry for auditors and researchers; returns how many.

        The households appear by pseudonym only; amounts are exact decimal text.
        ``jsonl``: one entry per line, as :meth:`Entry.to_dict`. ``csv``: one row per
        entry, with the decision id, status and amount pulled out, and the payload as
        canonical JSON. ``parquet``: the same columns (needs the ``arrow`` extra).
        """
        rows = [_flat(e) for e in self.entries()] if format != "jsonl" else None
        if format == "jsonl":
            lines = [canonical(e.to_dict()) + "\n" for e in self.entries()]
            _write_text(out, "".join(lines))
            return len(lines)
        assert rows is not None  # noqa: S101
        if format == "csv":
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=_CSV_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            _write_text(out, buffer.getvalue())
            return len(rows)
        if format == "parquet":
            try:
                # Imported here: pyarrow is an optional extra (``samskaping[arrow]``).
                import pyarrow as pa  # noqa: PLC0415  (pyarrow is optional)
                import pyarrow.parquet as pq  # noqa: PLC0415  (pyarrow is optional)
            except ImportError:
                raise LedgerError(
                    "Parquet export needs pyarrow: pip install 'samskaping[arrow]'"
                ) from None
            table = pa.table({name: [r[name] for r in rows] for name in _CSV_COLUMNS})
            pq.write_table(table, out)
            return len(rows)
        raise InvalidInputError("expected jsonl, csv or parquet", what="format")

    def to_pandas(self) -> Any:
        """Every entry as a pandas DataFrame (needs the ``pandas`` extra).

        The ``amount`` column holds exact :class:`~decimal.Decimal` values (or ``None``).
        """
        try:
            # Imported here: pandas is an optional extra and slow to import.
            import pandas as pd  # noqa: PLC0415  (pandas is optional)
        except ImportError:
            raise LedgerError("to_pandas needs pandas: pip install 'samskaping[pandas]'") from None

        rows = [_flat(e) for e in self.entries()]
        frame = pd.DataFrame(rows, columns=list(_CSV_COLUMNS))
        frame["amount"] = [Decimal(a) if a else None for a in frame["amount"]]
        frame["at"] = pd.to_datetime(frame["at"], utc=True)
        return frame


def _not_collective(decision_id: str, row: Sequence[Any]) -> None:
    if row[4] == COLLECTIVE_OUTCOME:
        raise LedgerError(
            f"{decision_id!r} is a collective decision: read it with collective_decision;"
            " correct it with reverse"
        )


def _check_reason(reason: object, *, what: str = "reason") -> str:
    if not isinstance(reason, str) or not reason.strip() or len(reason) > 2000:  # noqa: PLR2004
        raise InvalidInputError(f"expected a {what} (1-2000 characters)", what=what)
    return reason.strip()


def _pot_state(pot_id: str, row: Sequence[Any]) -> PotState:
    policy_id, _seq, total, committed, reserved, disbursed, decisions = row
    return PotState(
        pot_id=pot_id,
        policy_id=policy_id,
        total=Money.from_ore(total),
        committed=Money.from_ore(committed),
        reserved=Money.from_ore(reserved),
        disbursed=Money.from_ore(disbursed),
        available=Money.from_ore(total - committed - disbursed),
        decisions=decisions,
    )


def _flat(entry: Entry) -> dict[str, Any]:
    payload = entry.payload
    amount = payload.get("amount")
    status = payload.get("status") if entry.kind in _DECIDED else None
    return {
        "seq": entry.seq,
        "at": utc_text(entry.at),
        "actor": entry.actor,
        "kind": entry.kind.value,
        "pot_id": entry.pot_id,
        "household": entry.household,
        "decision_id": payload.get("decision_id"),
        "status": status,
        "amount": amount if isinstance(amount, str) else None,
        "payload_version": entry.payload_version,
        "payload": canonical(payload),
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def _write_text(out: str | os.PathLike[str] | IO[Any], text: str) -> None:
    if isinstance(out, str | os.PathLike):
        with open(out, "w", encoding="utf-8", newline="") as handle:  # noqa: PTH123
            handle.write(text)
    else:
        out.write(text)


def _verify(tx: Tx, head: str | None) -> VerifyReport:
    expected_seq = 1
    previous = GENESIS
    before_previous = GENESIS
    hashes: set[str] = set()
    state = State(None)
    count = 0
    for row in tx.rows(_SELECT_ENTRIES + " ORDER BY seq"):
        seq, at, actor, kind, pot_id, household, version, payload, prev, stored = row
        if seq != expected_seq:
            return _bad(count, previous, expected_seq, f"entry {expected_seq} is missing")
        if prev != previous:
            if prev == before_previous:
                return _bad(count, previous, seq - 1, f"entry {seq - 1} was inserted")
            return _bad(
                count, previous, seq,
                f"entry {seq} does not follow entry {seq - 1}: edited, reordered or replaced",
            )  # fmt: skip
        text = _entry_text(seq, at, actor, kind, pot_id, household, version, payload)
        if chain_hash(prev, text) != stored:
            return _bad(count, previous, seq, f"entry {seq} was edited")
        try:
            state.apply(seq, at, kind, pot_id, household,
                        upgrade(kind, version, json.loads(payload)))  # fmt: skip
        except (ValueError, KeyError, TypeError) as exc:
            return _bad(count, previous, seq, f"entry {seq} cannot be applied: {exc}")
        hashes.add(stored)
        before_previous, previous = previous, stored
        expected_seq += 1
        count += 1
    head_row = tx.one("SELECT seq, hash FROM head WHERE id = 1")
    if head_row[0] != count or head_row[1] != previous:
        if head_row[0] < count:
            return _bad(
                count, previous, head_row[0] + 1,
                f"entry {head_row[0] + 1} was added after the head",
            )  # fmt: skip
        if head_row[0] > count:
            return _bad(count, previous, count + 1, f"entry {count + 1} is missing (the head"
                        f" says there are {head_row[0]})")  # fmt: skip
        return _bad(count, previous, None, "the head does not match the last entry")
    if head is not None and head != GENESIS and head not in hashes:
        return _bad(
            count, previous, None,
            "the head kept elsewhere is not in the chain: entries were cut or rewritten",
        )  # fmt: skip
    problem = _compare_projections(tx, state)
    if problem is not None:
        return _bad(count, previous, None, problem)
    return VerifyReport(ok=True, entries=count, head=previous)


def _bad(count: int, head: str, seq: int | None, problem: str) -> VerifyReport:
    return VerifyReport(ok=False, entries=count, head=head, first_bad=seq, problem=problem)


def _compare_projections(tx: Tx, state: State) -> str | None:
    pots = {
        r[0]: list(r[1:])
        for r in tx.all(
            "SELECT pot_id, policy_id, seq, total, committed, reserved, disbursed, decisions"
            " FROM pots"
        )
    }
    if pots != {k: v for k, v in state.pots.items() if v is not None}:
        return "the pot balances do not match the entries"
    households = {
        (r[0], r[1]): list(r[2:])
        for r in tx.all(
            "SELECT pot_id, household, received, grants, requests, first_date, last_date, last_at"
            " FROM households"
        )
    }
    if households != {k: v for k, v in state.households.items() if v is not None}:
        return "the household histories do not match the entries"
    decisions = {}
    for r in tx.all(
        "SELECT decision_id, pot_id, seq, household, status, outcome, amount, needed, signers, at"
        " FROM decisions"
    ):
        values = list(r[1:])
        values[7] = json.loads(values[7])
        decisions[r[0]] = values
    if decisions != {k: v for k, v in state.decisions.items() if v is not None}:
        return "the decisions do not match the entries"
    policies = {(r[0], r[1]): [r[2], r[3]]
                for r in tx.all("SELECT policy_id, version, hash, seq FROM policies")}  # fmt: skip
    if policies != {k: v for k, v in state.policies.items() if v is not None}:
        return "the registered policies do not match the entries"
    return None


def open_ledger(
    target: str | os.PathLike[str],
    *,
    clock: Clock | None = None,
    retention: datetime.timedelta | None = DEFAULT_RETENTION,
    pending_expiry: datetime.timedelta | None = DEFAULT_PENDING_EXPIRY,
) -> Ledger:
    """Open (and create, or upgrade) a ledger.

    Args:
        target: A file path (SQLite) or a ``postgresql://`` URL (needs the ``postgres``
            extra).
        clock: Gives the time of each entry (an aware datetime); the system clock by
            default.
        retention: How long after a household's latest entry it may be forgotten
            without force (five years by default; ``None``: no limit).
        pending_expiry: How long a decision may wait for approval (30 days by default;
            ``None``: never expires).

    Raises:
        LedgerError: If the store cannot be opened, or is of a newer schema version.
    """
    backend = connect(os.fspath(target))
    return Ledger(
        backend,
        clock=clock or _system_clock,
        retention=retention,
        pending_expiry=pending_expiry,
    )


def _personal_matches(w: _Write, recorded: str, personal: Any) -> bool:
    """Whether ``personal`` is what the ledger recorded under the digest ``recorded``."""
    row = w.tx.one("SELECT nonce FROM personal WHERE digest = ?", (recorded,))
    return row is not None and digest(row[0] + canonical(personal)) == recorded
