"""Collective decisions through the ledger: a group's decision, recorded (``group_member``).

``POST /v1/collective-decisions`` decides a group's proposals under a collective policy
and records the decision in the ledger, its funded sum committed from the pot;
``GET /v1/collective-decisions/{decision_id}`` reads it back. The group and its members
appear by pseudonym and position only: their references never leave the ledger here.
"""

from __future__ import annotations

import asyncio
import datetime
from typing import TYPE_CHECKING, Any, Final

import attrs
from starlette.responses import Response

from samskaping._errors import InvalidInputError, Problem
from samskaping.payouts import CollectiveRequest
from samskaping.serve._auth import Action
from samskaping.serve._dry import DryRuns
from samskaping.serve._http import Call, HttpProblem, Operation, json_response
from samskaping.serve._wire import Lang

if TYPE_CHECKING:
    from samskaping.ledger import Ledger, RecordedCollectiveDecision

__all__ = ["CollectiveDecideCall", "collective_operations"]

_STR: Final = {"type": "string"}
_MONEY: Final = {"type": "string", "pattern": r"^-?\d+\.\d{2}$", "description": "NOK, exact"}


@attrs.frozen(kw_only=True)
class CollectiveDecideCall:
    """A group's decision to record in the ledger: its proposals, against an open pot.

    ``policy`` names a registered collective policy (by id); by default the pot's own.
    """

    pot: str
    as_of: datetime.date
    request: CollectiveRequest
    policy: str | None = None
    lang: Lang | None = None


#: The answer: the recorded decision (the group by pseudonym) and, when it was just
#: made, the engine's decision with the members' shares by position only.
RECORDED_COLLECTIVE: Final = {
    "type": "object",
    "required": [
        "kind", "decision_id", "pot_id", "seq", "group", "status", "budget", "funded",
        "as_of", "policy", "repeated", "record",
    ],
    "properties": {
        "kind": {"const": "recorded_collective_decision"},
        "decision_id": _STR,
        "pot_id": _STR,
        "seq": {"type": "integer", "minimum": 1},
        "group": {"type": "string", "description": "The group's pseudonym"},
        "status": {"enum": ["granted", "partial", "rejected", "reversed"]},
        "budget": _MONEY,
        "funded": _MONEY,
        "as_of": {"type": "string", "format": "date"},
        "policy": {
            "type": "object",
            "required": ["id", "version", "hash"],
            "properties": {
                "id": _STR,
                "version": {"type": ["string", "null"]},
                "hash": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            },
        },
        "repeated": {"type": "boolean"},
        "record": {"type": "object", "description": "The entry's payload, as recorded"},
        "decision": {"type": "object", "description": "The engine's collective decision"},
    },
}  # fmt: skip


def _answer(item: RecordedCollectiveDecision, lang: str | None) -> dict[str, Any]:
    data = {"kind": "recorded_collective_decision", **item.to_dict()}
    if item.decision is not None:
        data["decision"] = item.decision.to_dict(lang=lang)  # members by position only
    return data


class CollectiveEndpoints:
    """The handlers; every write names the caller as the actor."""

    def __init__(self, ledger: Ledger, dry: DryRuns) -> None:
        self.ledger = ledger
        self.dry = dry

    async def decide(self, call: Call) -> Response:
        """POST /v1/collective-decisions: decide and record; 201 when new, 200 when repeated."""
        body: CollectiveDecideCall = call.body
        key = call.http.headers.get("idempotency-key")
        if key is not None and key != body.request.id:
            raise HttpProblem(
                422,
                "the Idempotency-Key header must be the request's id",
                (Problem(path="$.request.id", message="differs from Idempotency-Key"),),
            )
        self.dry.check_batch(len(body.request.proposals) + len(body.request.ballots))
        try:
            recorded: RecordedCollectiveDecision = await asyncio.to_thread(
                self.ledger.decide_collective,
                body.request,
                pot_id=body.pot,
                policy_id=body.policy,
                as_of=body.as_of,
                actor=call.actor,
            )
        except InvalidInputError as error:  # located in the body, not in the bare request
            at = "$.policy" if error.what == "policy" else f"$.request.{error.what or 'id'}"
            raise HttpProblem(
                422, "the input is not valid", (Problem(path=at, message=str(error)),)
            ) from None
        root = call.http.scope.get("root_path", "")
        location = {"Location": f"{root}/v1/collective-decisions/{recorded.decision_id}"}
        status = 200 if recorded.repeated else 201
        return json_response(_answer(recorded, body.lang), status, headers=location)

    async def read(self, call: Call) -> Response:
        """GET /v1/collective-decisions/{decision_id} (the group by pseudonym only)."""
        recorded = await asyncio.to_thread(
            self.ledger.collective_decision, call.path("decision_id")
        )
        return json_response(_answer(recorded, None))


def collective_operations(ledger: Ledger, dry: DryRuns) -> list[Operation]:
    """The collective decisions' operations."""
    api = CollectiveEndpoints(ledger, dry)
    return [
        Operation(
            method="POST",
            path="/v1/collective-decisions",
            name="create_collective_decision",
            summary="Decide a group's proposals and record it (idempotent by request id)",
            tag="collective decisions",
            action=Action.RECORD_COLLECTIVE,
            handler=api.decide,
            body=CollectiveDecideCall,
            responses={
                201: ("Recorded; Location names it", RECORDED_COLLECTIVE),
                200: (
                    "Already recorded with the same body: the same decision",
                    RECORDED_COLLECTIVE,
                ),
            },
            errors=(409,),
        ),
        Operation(
            method="GET",
            path="/v1/collective-decisions/{decision_id}",
            name="read_collective_decision",
            summary="A recorded collective decision as it stands now",
            tag="collective decisions",
            action=Action.READ_DECISION,
            handler=api.read,
            responses={200: ("The decision", RECORDED_COLLECTIVE)},
        ),
    ]
