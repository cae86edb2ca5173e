"""The payloads of entries: their own versioned schema, apart from the result types.

A decision's ``to_dict`` may change as the engine grows; an entry, once written,
may not. So each payload is built here, field by field, with a version
(:data:`PAYLOAD_VERSION`). Reading an older payload goes through :func:`upgrade`,
which brings it to the current shape without touching the stored text, so old
entries keep their hashes and still verify.

What a decision entry holds about the household: its pseudonym, and the hash of its
personal attributes (kept apart from the chain). The household's inputs are left out
of the trace and the inputs (their values replaced by ``{"personal": true}``); amounts,
dates, reasons, flags, derived values and the request's own facts (purpose, amount
asked, the checks made) stay.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from samskaping._money import Money
from samskaping.payouts import Decision, Request, Trace

__all__ = [
    "PAYLOAD_VERSION",
    "coded_payload",
    "outcome_payload",
    "personal_part",
    "public_part",
    "trace_payload",
    "upgrade",
]

#: The version of the payload schema this library writes.
PAYLOAD_VERSION: Final = 1

_HOUSEHOLD: Final = "household."


def _json(value: Any) -> Any:
    """A traced or recorded value as JSON: amounts and decimals as exact text, dates ISO."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if isinstance(value, Money):
        return str(value.amount)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, frozenset | tuple | list):
        return ", ".join(sorted(str(v) for v in value))
    if isinstance(value, Mapping):
        return {str(k): _json(v) for k, v in value.items()}
    return str(value)


def _plain(value: Any) -> Any:
    """An attribute's value as JSON data: lists and tables kept, amounts as exact text."""
    if isinstance(value, Money):
        return str(value.amount)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple | frozenset | set):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _type(value: Any, ore: bool) -> str:  # noqa: FBT001  (positional for speed)
    if ore or isinstance(value, Money):
        return "money"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, Decimal):
        return "decimal"
    if isinstance(value, datetime.date):
        return "date"
    if value is None:
        return "none"
    return "str"


def _ore_text(ore: int) -> str:
    return str(Decimal(ore).scaleb(-2))


def _coded(items: Any) -> list[dict[str, Any]]:
    return [
        {
            "code": item.code,
            "rule": item.rule,
            "params": {name: _json(value) for name, value in item.params},
        }
        for item in items
    ]


def trace_payload(trace: Trace | None) -> list[dict[str, Any]]:
    """A trace's steps as recorded: the household's inputs replaced by a marker."""
    steps = []
    if trace is not None:
        for kind, name, value, ore, source, detail in trace.raw:
            if kind.value == "input" and name.startswith(_HOUSEHOLD):
                shown: Any = {"personal": True}
            elif ore:
                shown = _ore_text(value)
            else:
                shown = _json(value)
            steps.append(
                {
                    "kind": kind.value,
                    "name": name,
                    "type": _type(value, ore),
                    "value": shown,
                    "source": source,
                    "detail": detail,
                }
            )
    return steps


def coded_payload(items: Any) -> list[dict[str, Any]]:
    """Reasons or flags as recorded: code, rule and parameters."""
    return _coded(items)


def outcome_payload(decision: Decision) -> dict[str, Any]:
    """What the engine decided, without the household's reference or personal inputs."""
    trace = trace_payload(decision.trace)
    approvers = decision.approvers
    record = decision.documentation
    return {
        "status": decision.status.value,
        "requested": str(decision.requested.amount),
        "amount": str(decision.amount.amount),
        "approvers": None
        if approvers is None
        else {
            "band": approvers.band,
            "body": approvers.body.value,
            "people": approvers.people,
            "source": approvers.source,
        },
        "reasons": _coded(decision.reasons),
        "flags": _coded(decision.flags),
        "trace": trace,
        "inputs": [
            [name, _json(value)]
            for name, value in decision.inputs
            if not name.startswith(_HOUSEHOLD)
        ],
        "documentation": {
            "request_id": record.request_id,
            "policy_id": record.policy_id,
            "policy_version": record.policy_version,
            "policy_source": record.policy_source,
            "as_of": record.as_of.isoformat(),
            "payment_type": record.payment_type.value,
            "purpose": record.purpose,
            "status": record.status.value,
            "amount": str(record.amount.amount),
            "justification": list(record.justification),
            "formal_decision": record.formal_decision,
            "appealable": record.appealable,
            "legal_source": record.legal_source,
        },
    }


def public_part(request: Request) -> dict[str, Any]:
    """The request's own facts, without the household or anything personal."""
    return {
        "id": request.id,
        "amount": str(request.amount.amount),
        "purpose": request.purpose,
        "submitted": None if request.submitted is None else request.submitted.isoformat(),
        "for_children": request.for_children,
        "ordinary_scheme_checked": request.ordinary_scheme_checked,
        "clarified": request.clarified,
        "running_cost": request.running_cost,
        "decider_has_social_assistance_mandate": request.decider_has_social_assistance_mandate,
    }


def personal_part(request: Request) -> dict[str, Any]:
    """The personal attributes: the household without its ref, free text, attributes.

    Kept apart from the chain; the chain holds their hash.
    """
    household = request.household
    return {
        "household": {
            "children": household.children,
            "adults": household.adults,
            "disadvantaged": household.disadvantaged,
            "need_weight": str(household.need_weight),
            "type": household.type,
            "attributes": {k: _plain(v) for k, v in household.attributes.items()},
        },
        "description": request.description,
        "attributes": {k: _plain(v) for k, v in request.attributes.items()},
    }


def join_parts(public: Mapping[str, Any], personal: Mapping[str, Any], ref: str) -> dict[str, Any]:
    """The request's data again, from its two parts and a household reference."""
    data = {k: v for k, v in public.items() if v is not None}
    data["household"] = {**personal.get("household", {}), "ref": ref}
    if personal.get("description") is not None:
        data["description"] = personal["description"]
    if personal.get("attributes"):
        data["attributes"] = personal["attributes"]
    return data


def upgrade(kind: str, version: int, payload: Mapping[str, Any]) -> Mapping[str, Any]:
    """A payload of an older schema version in the current shape (version 1 is current).

    The stored text is never rewritten; this only changes how it is read.
    """
    del kind
    if version == PAYLOAD_VERSION:
        return payload
    raise ValueError(f"unknown payload version {version}")
