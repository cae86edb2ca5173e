"""The projections: pot balances, household histories, decisions and policies.

One function, :meth:`State.apply`, turns an entry into changes of the projections.
Writing uses it on rows loaded from the store (and writes back the rows it changed,
in the same transaction); :meth:`~samskaping.ledger.Ledger.verify` uses it on empty
state, over every entry, and compares the result with the stored tables.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from samskaping.ledger._backends import Tx

__all__ = ["State", "ore"]

_CHUNK = 500
_MONEY_STATUSES = frozenset({"granted", "partial", "pending_approval"})


def ore(text: str) -> int:
    """Decimal text of kroner as integer øre (exact)."""
    return int(Decimal(text) * 100)


# json.dumps(value, ensure_ascii=False), with its encoder made once.
_SIGNERS_JSON = json.JSONEncoder(ensure_ascii=False).encode


class State:
    """Projection rows by key, loaded on first use, and which of them changed."""

    def __init__(self, tx: Tx | None) -> None:
        self._tx = tx
        self.pots: dict[str, list[Any] | None] = {}
        self.households: dict[tuple[str, str], list[Any] | None] = {}
        self.decisions: dict[str, list[Any] | None] = {}
        self.policies: dict[tuple[str, str], list[Any] | None] = {}
        self.dirty: set[tuple[str, Any]] = set()
        #: Pseudonyms made in this transaction: they have no rows yet.
        self.new_households: set[str] = set()

    # --- rows ---

    def pot(self, pot_id: str) -> list[Any] | None:
        """The row: [policy_id, seq, total, committed, reserved, disbursed, decisions]."""
        if pot_id not in self.pots:
            row = None
            if self._tx is not None:
                row = self._tx.one(
                    "SELECT policy_id, seq, total, committed, reserved, disbursed, decisions"
                    " FROM pots WHERE pot_id = ?",
                    (pot_id,),
                )
            self.pots[pot_id] = list(row) if row is not None else None
        return self.pots[pot_id]

    def household(self, pot_id: str, household: str) -> list[Any] | None:
        """The row: [received, grants, requests, first_date, last_date, last_at]."""
        key = (pot_id, household)
        if key not in self.households:
            row = None
            if self._tx is not None and household not in self.new_households:
                row = self._tx.one(
                    "SELECT received, grants, requests, first_date, last_date, last_at"
                    " FROM households WHERE pot_id = ? AND household = ?",
                    key,
                )
            self.households[key] = list(row) if row is not None else None
        return self.households[key]

    def decision(self, decision_id: str) -> list[Any] | None:
        """The row: [pot_id, seq, household, status, outcome, amount, needed, signers, at]."""
        if decision_id not in self.decisions:
            row = None
            if self._tx is not None:
                row = self._tx.one(
                    "SELECT pot_id, seq, household, status, outcome, amount, needed, signers, at"
                    " FROM decisions WHERE decision_id = ?",
                    (decision_id,),
                )
            if row is not None:
                found = list(row)
                found[7] = json.loads(found[7])
                self.decisions[decision_id] = found
            else:
                self.decisions[decision_id] = None
        return self.decisions[decision_id]

    def prefetch(self, pot_id: str, decision_ids: list[str], households: list[str]) -> None:
        """Load many decision and household rows at once (for a batch of decisions)."""
        if self._tx is None:
            return
        for start in range(0, len(decision_ids), _CHUNK):
            chunk = [d for d in decision_ids[start : start + _CHUNK] if d not in self.decisions]
            if not chunk:
                continue
            marks = ", ".join("?" * len(chunk))
            for row in self._tx.all(
                "SELECT decision_id, pot_id, seq, household, status, outcome, amount, needed,"  # noqa: S608  (placeholders only)
                f" signers, at FROM decisions WHERE decision_id IN ({marks})",
                chunk,
            ):
                found = list(row[1:])
                found[7] = json.loads(found[7])
                self.decisions[row[0]] = found
            for decision_id in chunk:
                self.decisions.setdefault(decision_id, None)
        for start in range(0, len(households), _CHUNK):
            chunk = [h for h in households[start : start + _CHUNK]
                     if (pot_id, h) not in self.households]  # fmt: skip
            if not chunk:
                continue
            marks = ", ".join("?" * len(chunk))
            for row in self._tx.all(
                "SELECT household, received, grants, requests, first_date, last_date, last_at"  # noqa: S608  (placeholders only)
                f" FROM households WHERE pot_id = ? AND household IN ({marks})",
                [pot_id, *chunk],
            ):
                self.households[(pot_id, row[0])] = list(row[1:])
            for household in chunk:
                self.households.setdefault((pot_id, household), None)

    def policy(self, policy_id: str, version: str) -> list[Any] | None:
        """The row: [hash, seq]."""
        key = (policy_id, version)
        if key not in self.policies:
            row = None
            if self._tx is not None:
                row = self._tx.one(
                    "SELECT hash, seq FROM policies WHERE policy_id = ? AND version = ?", key
                )
            self.policies[key] = list(row) if row is not None else None
        return self.policies[key]

    # --- the one rule ---

    def apply(  # noqa: PLR0917  (the entry's columns)
        self,
        seq: int,
        at: str,
        kind: str,
        pot_id: str | None,
        household: str | None,
        payload: Mapping[str, Any],
    ) -> None:
        """Change the projections as the entry says."""
        if kind == "policy_registered":
            key = (payload["policy_id"], payload["version"])
            self.policies[key] = [payload["hash"], seq]
            self.dirty.add(("policy", key))
            return
        if kind == "pot_opened":
            self.pots[payload["pot_id"]] = [
                payload["policy_id"],
                seq,
                ore(payload["total"]),
                0,
                0,
                0,
                0,
            ]
            self.dirty.add(("pot", payload["pot_id"]))
            return
        if pot_id is None or household is None:
            return
        if kind == "decision":
            self._decision(seq, at, pot_id, household, payload, payload["outcome"]["status"])
        elif kind == "collective_decision":
            # A group's decision: its row is marked, so follow-ups can tell it apart.
            self._decision(seq, at, pot_id, household, payload, "collective")
        else:
            self._follow_up(kind, pot_id, household, payload)
        row = self.household(pot_id, household)
        if row is not None:
            row[5] = at
            self.dirty.add(("household", (pot_id, household)))

    def _decision(  # noqa: PLR0917  (the entry's columns, and the outcome to keep)
        self,
        seq: int,
        at: str,
        pot_id: str,
        household: str,
        payload: Mapping[str, Any],
        outcome: str,
    ) -> None:
        amount = ore(payload["amount"])
        status = payload["status"]
        pot = self._pot(pot_id)
        pot[6] += 1
        day = payload["as_of"]
        row = self.household(pot_id, household)
        if row is None:
            row = self.households[(pot_id, household)] = [0, 0, 0, day, day, at]
        row[2] += 1
        row[3] = min(row[3], day)
        row[4] = max(row[4], day)
        if status in _MONEY_STATUSES:
            pot[3] += amount
            if status == "pending_approval":
                pot[4] += amount
            row[0] += amount
            row[1] += 1
        self.decisions[payload["decision_id"]] = [
            pot_id,
            seq,
            household,
            status,
            outcome,
            amount,
            payload["needed"],
            list(payload["signers"]),
            at,
        ]
        self.dirty.add(("pot", pot_id))
        self.dirty.add(("decision", payload["decision_id"]))

    def _pot(self, pot_id: str) -> list[Any]:
        pot = self.pot(pot_id)
        if pot is None:
            raise ValueError(f"an entry for pot {pot_id!r} comes before the pot was opened")
        return pot

    def _follow_up(
        self, kind: str, pot_id: str, household: str, payload: Mapping[str, Any]
    ) -> None:
        decision_id = payload.get("decision_id")
        if decision_id is None:
            return
        decision = self.decision(decision_id)
        if decision is None:
            raise ValueError(f"an entry refers to decision {decision_id!r} before it was made")
        pot = self._pot(pot_id)
        amount = decision[5]
        row = self.household(pot_id, household)
        if kind == "approval":
            decision[7].append(payload["signer"])
        elif kind == "commitment":
            decision[3] = decision[4]
            pot[4] -= amount
        elif kind in {"rejection", "expiry", "release"} or (
            kind == "reversal" and payload["effect"] == "release"
        ):
            if decision[3] == "pending_approval":
                pot[4] -= amount
            pot[3] -= amount
            if row is not None:
                row[0] -= amount
                row[1] -= 1
            decision[3] = {
                "rejection": "refused",
                "expiry": "expired",
                "release": "released",
                "reversal": "reversed",
            }[kind]
        elif kind == "disbursement":
            pot[3] -= amount
            pot[5] += amount
            decision[3] = "disbursed"
        elif kind == "reversal":  # money paid and returned
            pot[5] -= amount
            if row is not None:
                row[0] -= amount
                row[1] -= 1
            decision[3] = "reversed"
        self.dirty.add(("pot", pot_id))
        self.dirty.add(("decision", decision_id))

    # --- writing back ---

    def flush(self, tx: Tx) -> None:
        """Write every changed row back (upserts), in the caller's transaction."""
        pots, households, decisions, policies = [], [], [], []
        for table, key in self.dirty:
            if table == "pot":
                row = self.pots[key]
                assert row is not None  # noqa: S101  (a dirty row exists)
                pots.append((key, *row))
            elif table == "household":
                row = self.households[key]
                assert row is not None  # noqa: S101
                households.append((*key, *row))
            elif table == "decision":
                row = self.decisions[key]
                assert row is not None  # noqa: S101
                values = list(row)
                values[7] = _SIGNERS_JSON(values[7])
                decisions.append((key, *values))
            else:
                row = self.policies[key]
                assert row is not None  # noqa: S101
                policies.append((*key, *row))
        tx.many(
            "INSERT INTO pots (pot_id, policy_id, seq, total, committed, reserved, disbursed,"
            " decisions) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (pot_id) DO UPDATE SET"
            " committed = excluded.committed, reserved = excluded.reserved,"
            " disbursed = excluded.disbursed, decisions = excluded.decisions",
            sorted(pots),
        )
        tx.many(
            "INSERT INTO households (pot_id, household, received, grants, requests, first_date,"
            " last_date, last_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (pot_id, household)"
            " DO UPDATE SET received = excluded.received, grants = excluded.grants,"
            " requests = excluded.requests, first_date = excluded.first_date,"
            " last_date = excluded.last_date, last_at = excluded.last_at",
            sorted(households),
        )
        tx.many(
            "INSERT INTO decisions (decision_id, pot_id, seq, household, status, outcome, amount,"
            " needed, signers, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (decision_id) DO UPDATE SET status = excluded.status,"
            " signers = excluded.signers",
            sorted(decisions),
        )
        tx.many(
            "INSERT INTO policies (policy_id, version, hash, seq) VALUES (?, ?, ?, ?)",
            sorted(policies),
        )
        self.dirty.clear()
