"""Collective decisions (*kollektiv utbetaling*) in the ledger: payloads and the value read back.

A group's decision on its proposals, under a collective policy, is recorded as one
entry of kind ``collective_decision``. Its money is committed at once: the decision
body (the citizen group or the project group, 002:1874, 002:1900) has decided, and its
decision is what :func:`samskaping.payouts.decide_collective` computes from the
proposals, ballots or recorded consensus. What the entry holds:

- the group by pseudonym (its reference is kept apart from the chain, like a
  household's), and the hash of the personal part: the members' references and the
  free text of the recorded minutes and note;
- the request's public facts: the proposals with their costs, the ballots (which never
  name a voter), the recorded decision's selection, body and date, the budget asked;
- the outcome, field by field: budget, funded, remaining, each proposal's status and
  amount, the members' shares by position only, reasons, flags and the trace;
- ``amount``: what is committed, exactly the sum of the funded proposals.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from samskaping._money import Money
from samskaping.io import register_result_hooks, result_json, unstructure
from samskaping.ledger._canonical import canonical
from samskaping.ledger._payloads import coded_payload, trace_payload
from samskaping.ledger._types import LedgerStatus
from samskaping.payouts import CollectiveDecision, CollectiveRequest, ProposalStatus

if TYPE_CHECKING:
    from cattrs import Converter

    from samskaping.l10n import Lang

__all__ = [
    "COLLECTIVE_OUTCOME",
    "RecordedCollectiveDecision",
    "collective_outcome",
    "collective_personal",
    "collective_public",
    "collective_status",
]

#: The ``outcome`` column of a collective decision's projection row: it tells the
#: follow-ups (approve, disburse, release) that the row is not an individual decision.
COLLECTIVE_OUTCOME = "collective"

_FUNDED = frozenset({ProposalStatus.FUNDED, ProposalStatus.AWAITING_GATEKEEPERS})


def collective_public(request: CollectiveRequest) -> dict[str, Any]:
    """The request's own facts, without the group's or members' references or free text."""
    data: dict[str, Any] = json.loads(canonical(unstructure(request)))
    data.pop("group", None)
    data["members"] = len(request.members)
    recorded = data.get("recorded")
    if isinstance(recorded, dict):
        recorded.pop("minutes", None)
        recorded.pop("note", None)
    return data


def collective_personal(request: CollectiveRequest) -> dict[str, Any]:
    """The personal part, kept apart from the chain: members and the minutes' free text."""
    recorded = request.recorded
    return {
        "members": list(request.members),
        "minutes": None if recorded is None else recorded.minutes,
        "note": None if recorded is None else recorded.note,
    }


def collective_status(decision: CollectiveDecision) -> LedgerStatus:
    """``granted`` if every proposal is funded, ``partial`` if some, ``rejected`` if none."""
    funded = [o for o in decision.outcomes if o.status in _FUNDED]
    if not funded:
        return LedgerStatus.REJECTED
    if len(funded) == len(decision.outcomes):
        return LedgerStatus.GRANTED
    return LedgerStatus.PARTIAL


def collective_outcome(decision: CollectiveDecision) -> dict[str, Any]:
    """What the group decided, field by field; members' shares by position only."""
    return {
        "rule": decision.rule.value,
        "decision_body": decision.decision_body.value,
        "budget": str(decision.budget.amount),
        "funded": str(decision.funded.amount),
        "remaining": str(decision.remaining.amount),
        "invalid_ballots": decision.invalid_ballots,
        "reasons": coded_payload(decision.reasons),
        "outcomes": [
            {
                "proposal": o.proposal_id,
                "status": o.status.value,
                "cost": str(o.cost.amount),
                "votes": o.votes,
                "amount": str(o.amount.amount),
                "asset_owner": o.asset_owner.value,
                "shares": [str(amount.amount) for _ref, amount in o.shares],
                "flags": coded_payload(o.flags),
            }
            for o in decision.outcomes
        ],
        "trace": trace_payload(decision.trace),
    }


@attrs.frozen(kw_only=True)
class RecordedCollectiveDecision:
    """A collective decision (*kollektivt vedtak*) as the ledger holds it.

    Attributes:
        decision_id: The collective request's id (one decision per id in a ledger,
            shared with individual decisions).
        pot_id: The pot its money is committed from.
        seq: The sequence number of its entry.
        group: The group's pseudonym.
        status: Where it stands now (``granted``, ``partial``, ``rejected``, or later
            ``reversed``).
        budget: The budget decided over (what was asked, at most what was available).
        funded: What was committed: the sum of the funded proposals.
        as_of: The decision's date (Europe/Oslo).
        policy_id: The collective policy's id.
        policy_version: Its version.
        policy_hash: The SHA-256 of the exact policy text it was decided under.
        record: The recorded payload.
        decision: The engine's decision when it was just made; ``None`` when read back.
        repeated: Whether this call found the decision already recorded (idempotency).
    """

    decision_id: str
    pot_id: str
    seq: int
    group: str
    status: LedgerStatus
    budget: Money
    funded: Money
    as_of: datetime.date
    policy_id: str
    policy_version: str | None
    policy_hash: str
    record: Mapping[str, Any] = attrs.field(repr=False)
    decision: CollectiveDecision | None = attrs.field(default=None, repr=False, eq=False)
    repeated: bool = attrs.field(default=False, eq=False)

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data (the group by pseudonym only)."""
        return result_json(self)  # type: ignore[no-any-return]


@register_result_hooks
def _install_json_hooks(converter: Converter, lang: Lang | None, reveal: bool) -> None:  # noqa: FBT001
    # A collective decision holds the group's pseudonym, never its reference.
    del lang, reveal

    def recorded(value: RecordedCollectiveDecision) -> dict[str, Any]:
        return {
            "decision_id": value.decision_id,
            "pot_id": value.pot_id,
            "seq": value.seq,
            "group": value.group,
            "status": value.status.value,
            "budget": str(value.budget.amount),
            "funded": str(value.funded.amount),
            "as_of": value.as_of.isoformat(),
            "policy": {
                "id": value.policy_id,
                "version": value.policy_version,
                "hash": value.policy_hash,
            },
            "repeated": value.repeated,
            "record": dict(value.record),
        }

    converter.register_unstructure_hook(RecordedCollectiveDecision, recorded)
