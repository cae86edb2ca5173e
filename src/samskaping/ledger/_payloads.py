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

from collections.abc import Mapping
from typing import Any, Final

from samskaping.io import unstructure
from samskaping.payouts import Decision, Request
from samskaping.payouts._decision import json_value, value_type

__all__ = ["PAYLOAD_VERSION", "outcome_payload", "personal_part", "public_part", "upgrade"]

#: The version of the payload schema this library writes.
PAYLOAD_VERSION: Final = 1

_HOUSEHOLD: Final = "household."


def _coded(items: Any) -> list[dict[str, Any]]:
    return [
        {
            "code": item.code,
            "rule": item.rule,
            "params": {name: json_value(value) for name, value in item.params},
        }
        for item in items
    ]


def outcome_payload(decision: Decision) -> dict[str, Any]:
    """What the engine decided, without the household's reference or personal inputs."""
    trace = []
    if decision.trace is not None:
        for step in decision.trace.steps:
            personal = step.kind.value == "input" and step.name.startswith(_HOUSEHOLD)
            trace.append(
                {
                    "kind": step.kind.value,
                    "name": step.name,
                    "type": value_type(step.value),
                    "value": {"personal": True} if personal else json_value(step.value),
                    "source": step.source,
                    "detail": step.detail,
                }
            )
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
            [name, json_value(value)]
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


def _plain(value: Any) -> Any:
    """Unstructured data with decimals and dates as text (as canonical JSON reads back)."""
    import json  # noqa: PLC0415

    from samskaping.ledger._canonical import canonical  # noqa: PLC0415

    return json.loads(canonical(value))


def public_part(request: Request) -> dict[str, Any]:
    """The request's own facts, without the household or anything personal."""
    data = _plain(unstructure(request))
    data.pop("household", None)
    data.pop("description", None)
    data.pop("attributes", None)
    return data  # type: ignore[no-any-return]


def personal_part(request: Request) -> dict[str, Any]:
    """The personal attributes: the household without its ref, free text, attributes.

    Kept apart from the chain; the chain holds their hash.
    """
    data = _plain(unstructure(request))
    household = dict(data.get("household", {}))
    household.pop("ref", None)
    return {
        "household": household,
        "description": data.get("description"),
        "attributes": data.get("attributes", {}),
    }


def join_parts(public: Mapping[str, Any], personal: Mapping[str, Any], ref: str) -> dict[str, Any]:
    """The request's data again, from its two parts and a household reference."""
    data = dict(public)
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
