"""The endpoints backed by the decision ledger: decisions, pots, households, the chain."""

from __future__ import annotations

import asyncio
import io
from typing import TYPE_CHECKING, Any, Final

import attrs
from starlette.responses import Response

from samskaping._errors import Problem
from samskaping.serve._auth import Action
from samskaping.serve._dry import DryRuns
from samskaping.serve._http import Call, HttpProblem, Operation, Parameter, json_response
from samskaping.serve._wire import (
    AccessCall,
    DecideCall,
    HistoryCall,
    LedgerBatchCall,
    OpenPotCall,
    ReasonCall,
    RegisterCall,
    input_problems,
)

if TYPE_CHECKING:
    from samskaping.ledger import Ledger, RecordedDecision

__all__ = ["ledger_endpoints"]

_STR: Final = {"type": "string"}


class GroupCommit:
    """Decisions that arrive while a write is in flight are recorded together, next.

    Each durable write waits for the disk (an fsync); under load, one transaction for
    the requests that queued up meanwhile keeps the wait per decision short. A batch is
    decided in arrival order, each request against the pot the one before left, exactly
    as one at a time. If anything in a batch fails (e.g. a request id reused with a
    different body), its requests are decided one by one, so each gets its own answer.
    """

    def __init__(self, ledger: Ledger, *, max_batch: int = 64) -> None:
        self._ledger = ledger
        self._max = max_batch
        self._waiting: dict[tuple[str, Any, str], list[tuple[Any, asyncio.Future[Any]]]] = {}
        self._busy: set[tuple[str, Any, str]] = set()

    async def decide(
        self, request: Any, *, pot_id: str, as_of: Any, actor: str
    ) -> RecordedDecision:
        """Record one decision, in the next transaction for its pot."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        key = (pot_id, as_of, actor)
        self._waiting.setdefault(key, []).append((request, future))
        if key not in self._busy:
            self._busy.add(key)
            task = loop.create_task(self._drain(key))
            task.add_done_callback(lambda _t: None)
        result: RecordedDecision = await future
        return result

    def _take(self, key: tuple[str, Any, str]) -> list[tuple[Any, asyncio.Future[Any]]]:
        queue = self._waiting.get(key, [])
        batch: list[tuple[Any, asyncio.Future[Any]]] = []
        ids: set[str] = set()
        rest = []
        for item in queue:
            if len(batch) < self._max and item[0].id not in ids:
                ids.add(item[0].id)
                batch.append(item)
            else:
                rest.append(item)
        self._waiting[key] = rest
        return batch

    async def _drain(self, key: tuple[str, Any, str]) -> None:
        pot_id, as_of, actor = key
        try:
            while batch := self._take(key):
                requests = [r for r, _ in batch]
                try:
                    results = await asyncio.to_thread(
                        self._ledger.decide_many, requests, pot_id=pot_id, as_of=as_of, actor=actor
                    )
                except Exception:  # noqa: BLE001  (decided again one by one, below)
                    results = None
                if results is not None:
                    for (_r, future), result in zip(batch, results, strict=True):
                        future.set_result(result)
                    continue
                for request, future in batch:
                    try:
                        one = await asyncio.to_thread(
                            self._ledger.decide, request, pot_id=pot_id, as_of=as_of, actor=actor
                        )
                    except Exception as error:  # noqa: BLE001  (handed to the request's caller)
                        future.set_exception(error)
                    else:
                        future.set_result(one)
        finally:
            self._busy.discard(key)
            if self._waiting.get(key):  # pragma: no cover  (arrived as the loop ended)
                self._busy.add(key)
                asyncio.get_running_loop().create_task(self._drain(key))


async def _off(function: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a ledger call in a worker thread: the event loop never waits for the disk."""
    return await asyncio.to_thread(function, *args, **kwargs)


def _recorded(item: RecordedDecision, lang: str | None, *, trace: bool = False) -> dict[str, Any]:
    data = {"kind": "recorded_decision", **item.to_dict()}
    decision = item.decision
    if decision is not None:
        if not trace:  # rendering the trace again costs more than the rest of the answer
            decision = attrs.evolve(decision, trace=None)
        data["decision"] = decision.to_dict(lang=lang)  # the household stays hidden
    return data


class LedgerEndpoints:
    """Handlers over one ledger; every write names the caller as the actor."""

    def __init__(self, ledger: Ledger, dry: DryRuns) -> None:
        self.ledger = ledger
        self.dry = dry
        self.group = GroupCommit(ledger)
        self._inputs: dict[str, Any] = {}

    async def _check_inputs(self, pot_id: str, requests: list[tuple[str, Any]]) -> None:
        policy_id = self._inputs.get(pot_id)
        if policy_id is None:  # a pot's policy never changes: read it once
            policy_id = (await asyncio.to_thread(self.ledger.pot_state, pot_id)).policy_id
            self._inputs[pot_id] = policy_id
        for policy in self.dry.policies.values():
            if policy.id == policy_id:
                declared = {d.name: d.type for d in policy.inputs}
                problems = [
                    Problem(path=at, message=message)
                    for path, request in requests
                    for at, message in input_problems(declared, request, path)
                ]
                if problems:
                    raise HttpProblem(422, "an input has the wrong type", tuple(problems))
                return

    async def decide(self, call: Call) -> Response:
        """POST /v1/decisions: decide and record; 201 when new, 200 when repeated."""
        body: DecideCall = call.body
        key = call.http.headers.get("idempotency-key")
        if key is not None and key != body.request.id:
            raise HttpProblem(
                422,
                "the Idempotency-Key header must be the request's id",
                (Problem(path="$.request.id", message="differs from Idempotency-Key"),),
            )
        await self._check_inputs(body.pot, [("$.request", body.request)])
        recorded = await self.group.decide(
            body.request, pot_id=body.pot, as_of=body.as_of, actor=call.actor
        )
        root = call.http.scope.get("root_path", "")
        location = {"Location": f"{root}/v1/decisions/{recorded.decision_id}"}
        status = 200 if recorded.repeated else 201
        return json_response(
            _recorded(recorded, body.lang, trace=body.trace), status, headers=location
        )

    async def decide_batch(self, call: Call) -> Response:
        """POST /v1/decisions/batch: allocate a batch and record every decision."""
        body: LedgerBatchCall = call.body
        self.dry.check_batch(len(body.requests))
        await self._check_inputs(
            body.pot, [(f"$.requests[{i}]", r) for i, r in enumerate(body.requests)]
        )
        recorded = await _off(
            self.ledger.allocate, body.requests, pot_id=body.pot, as_of=body.as_of, actor=call.actor
        )
        return json_response(
            {
                "kind": "recorded_decisions",
                "decisions": [_recorded(r, body.lang, trace=body.trace) for r in recorded],
            }
        )

    async def read(self, call: Call) -> Response:
        """GET /v1/decisions/{decision_id} (households by pseudonym only)."""
        recorded = await _off(self.ledger.decision, call.path("decision_id"))
        return json_response(_recorded(recorded, None))

    async def approve(self, call: Call) -> Response:
        """POST /v1/decisions/{decision_id}/approve: sign; four eyes enforced by the ledger."""
        recorded = await _off(self.ledger.approve, call.path("decision_id"), actor=call.actor)
        return json_response(_recorded(recorded, None))

    async def reject(self, call: Call) -> Response:
        """POST /v1/decisions/{decision_id}/reject."""
        body: ReasonCall = call.body
        recorded = await _off(
            self.ledger.reject, call.path("decision_id"), actor=call.actor, reason=body.reason
        )
        return json_response(_recorded(recorded, None))

    async def reverse(self, call: Call) -> Response:
        """POST /v1/entries/{seq}/reverse: a correcting entry that points at the old one."""
        body: ReasonCall = call.body
        seq = call.path("seq")
        if not seq.isdigit() or len(seq) > 18:  # noqa: PLR2004
            raise HttpProblem(404, "no such entry")
        entry = await _off(self.ledger.reverse, int(seq), actor=call.actor, reason=body.reason)
        return json_response({"kind": "entry", **entry.to_dict()}, 201)

    async def history(self, call: Call) -> Response:
        """POST /v1/households/history: one household's decisions; the read is recorded."""
        body: HistoryCall = call.body
        await _off(self.ledger.record_access, body.household, actor=call.actor, purpose="history")
        found: Any = await _off(self.ledger.history, body.household, reveal_identifiers=True)
        return json_response({"kind": "household_history", **found.to_dict()})

    async def access_export(self, call: Call) -> Response:
        """POST /v1/households/access-export: everything held about a household (*innsyn*)."""
        body: AccessCall = call.body
        data = await _off(self.ledger.access_export, body.household, actor=call.actor)
        return json_response({"kind": "access_export", **data})

    async def pots(self, _call: Call) -> Response:
        """GET /v1/pots."""
        return json_response(
            {"kind": "pots", "pots": [p.to_dict() for p in await _off(self.ledger.pots)]}
        )

    async def pot(self, call: Call) -> Response:
        """GET /v1/pots/{pot_id}."""
        state = await _off(self.ledger.pot_state, call.path("pot_id"))
        return json_response({"kind": "pot", **state.to_dict()})

    async def head(self, _call: Call) -> Response:
        """GET /v1/ledger/head."""
        return json_response({"kind": "head", "head": await _off(self.ledger.head)})

    async def verify(self, call: Call) -> Response:
        """GET /v1/ledger/verify?head=."""
        head = call.query("head") or None
        report = await asyncio.to_thread(self.ledger.verify, head=head)
        return json_response({"kind": "verify", **report.to_dict()})

    async def export(self, call: Call) -> Response:
        """GET /v1/ledger/export?format=jsonl|csv: every entry, households by pseudonym."""
        form: Any = call.query("format", "jsonl")
        if form not in {"jsonl", "csv"}:
            raise HttpProblem(
                422, "unknown format", (Problem(path="format", message="expected jsonl or csv"),)
            )
        buffer = io.StringIO()
        await asyncio.to_thread(self.ledger.export, buffer, format=form)
        media = "application/x-ndjson" if form == "jsonl" else "text/csv; charset=utf-8"
        return Response(buffer.getvalue().encode("utf-8"), media_type=media)

    async def register(self, call: Call) -> Response:
        """POST /v1/admin/policies: register a policy's exact text."""
        body: RegisterCall = call.body
        if (body.name is None) == (body.text is None):
            raise HttpProblem(
                422,
                "give either name or text",
                (Problem(path="$", message="expected exactly one of name and text"),),
            )
        if body.name is not None:
            policy: Any = self.dry.policy(body.name, "$.name")
            entry = await _off(self.ledger.register_policy, policy, actor=call.actor)
        else:
            entry = await _off(
                self.ledger.register_policy, body.text or "", actor=call.actor, format=body.format
            )
        return json_response({"kind": "entry", **entry.to_dict()}, 201)

    async def open_pot(self, call: Call) -> Response:
        """POST /v1/admin/pots: open a pot under a registered policy."""
        body: OpenPotCall = call.body
        entry = await _off(self.ledger.open_pot, body.pot, policy_id=body.policy, actor=call.actor)
        return json_response({"kind": "entry", **entry.to_dict()}, 201)


def _kind(name: str, **properties: Any) -> dict[str, Any]:
    from samskaping.serve._routes import kind  # noqa: PLC0415

    return kind(name, **properties)


def ledger_endpoints(ledger: Ledger, dry: DryRuns) -> list[Operation]:
    """The ledger's operations."""
    api = LedgerEndpoints(ledger, dry)
    recorded = _kind("recorded_decision", decision_id=_STR, status=_STR, amount=_STR)
    entry = _kind("entry", seq={"type": "integer"}, hash=_STR)
    conflict = (409,)
    return [
        Operation(
            method="POST",
            path="/v1/decisions",
            name="create_decision",
            summary="Decide a request and record it (idempotent by request id)",
            tag="decisions",
            action=Action.PROPOSE,
            handler=api.decide,
            body=DecideCall,
            responses={
                201: ("Recorded; Location names it", recorded),
                200: ("Already recorded with the same body: the same decision", recorded),
            },
            errors=conflict,
        ),
        Operation(
            method="POST",
            path="/v1/decisions/batch",
            name="create_decisions",
            summary="Decide a batch in priority order against a pot and record it",
            tag="decisions",
            action=Action.PROPOSE,
            handler=api.decide_batch,
            body=LedgerBatchCall,
            responses={200: ("Recorded", _kind("recorded_decisions", decisions={"type": "array"}))},
            errors=conflict,
        ),
        Operation(
            method="GET",
            path="/v1/decisions/{decision_id}",
            name="read_decision",
            summary="A recorded decision as it stands now",
            tag="decisions",
            action=Action.READ_DECISION,
            handler=api.read,
            responses={200: ("The decision", recorded)},
        ),
        Operation(
            method="POST",
            path="/v1/decisions/{decision_id}/approve",
            name="approve_decision",
            summary="Sign a pending decision (nobody signs twice or their own proposal)",
            tag="decisions",
            action=Action.APPROVE,
            handler=api.approve,
            responses={200: ("Signed", recorded)},
        ),
        Operation(
            method="POST",
            path="/v1/decisions/{decision_id}/reject",
            name="reject_decision",
            summary="Reject a pending decision",
            tag="decisions",
            action=Action.APPROVE,
            handler=api.reject,
            body=ReasonCall,
            responses={200: ("Rejected", recorded)},
        ),
        Operation(
            method="POST",
            path="/v1/entries/{seq}/reverse",
            name="reverse_entry",
            summary="Reverse a decision or disbursement by a new entry",
            tag="decisions",
            action=Action.REVERSE,
            handler=api.reverse,
            body=ReasonCall,
            responses={201: ("The reversing entry", entry)},
        ),
        Operation(
            method="POST",
            path="/v1/households/history",
            name="household_history",
            summary="A household's history (the read is recorded in the ledger)",
            tag="households",
            action=Action.HOUSEHOLD_HISTORY,
            handler=api.history,
            body=HistoryCall,
            responses={200: ("The history", _kind("household_history", household=_STR))},
            personal=True,
        ),
        Operation(
            method="POST",
            path="/v1/households/access-export",
            name="access_export",
            summary="Everything held about a household (innsyn); recorded in the ledger",
            tag="households",
            action=Action.ACCESS_EXPORT,
            handler=api.access_export,
            body=AccessCall,
            responses={200: ("The export", _kind("access_export", household=_STR))},
            personal=True,
        ),
        Operation(
            method="GET",
            path="/v1/pots",
            name="list_pots",
            summary="Every pot's balance",
            tag="ledger",
            action=Action.READ_LEDGER,
            handler=api.pots,
            responses={200: ("The pots", _kind("pots", pots={"type": "array"}))},
        ),
        Operation(
            method="GET",
            path="/v1/pots/{pot_id}",
            name="pot_state",
            summary="A pot's balance",
            tag="ledger",
            action=Action.READ_LEDGER,
            handler=api.pot,
            responses={200: ("The pot", _kind("pot", pot_id=_STR, available=_STR))},
        ),
        Operation(
            method="GET",
            path="/v1/ledger/head",
            name="ledger_head",
            summary="The hash of the latest entry: keep it elsewhere",
            tag="ledger",
            action=Action.READ_LEDGER,
            handler=api.head,
            responses={200: ("The head", _kind("head", head=_STR))},
        ),
        Operation(
            method="GET",
            path="/v1/ledger/verify",
            name="ledger_verify",
            summary="Recompute the hash chain and every projection",
            tag="ledger",
            action=Action.VERIFY,
            handler=api.verify,
            parameters=(Parameter(name="head", schema=_STR, description="A head kept elsewhere"),),
            responses={200: ("The report", _kind("verify", ok={"type": "boolean"}))},
        ),
        Operation(
            method="GET",
            path="/v1/ledger/export",
            name="ledger_export",
            summary="Every entry, households by pseudonym (auditors and researchers)",
            tag="ledger",
            action=Action.EXPORT,
            handler=api.export,
            parameters=(
                Parameter(
                    name="format", schema={"enum": ["jsonl", "csv"]}, description="jsonl or csv"
                ),
            ),
            responses={200: ("The entries", _STR)},
            media="application/x-ndjson",
            alternatives={"text/csv": _STR},
        ),
        Operation(
            method="POST",
            path="/v1/admin/policies",
            name="register_policy",
            summary="Register a policy's exact text",
            tag="administration",
            action=Action.ADMINISTER,
            handler=api.register,
            body=RegisterCall,
            responses={201: ("The registration entry", entry)},
            errors=conflict,
        ),
        Operation(
            method="POST",
            path="/v1/admin/pots",
            name="open_pot",
            summary="Open a pot under a registered policy",
            tag="administration",
            action=Action.ADMINISTER,
            handler=api.open_pot,
            body=OpenPotCall,
            responses={201: ("The opening entry", entry)},
            errors=conflict,
        ),
    ]
