"""Shared set-up for the HTTP service tests: tokens per role, apps, bodies."""

from __future__ import annotations

import copy
from typing import Any

from samskaping.serve import Role, ServeConfig, TokenEntry, create_app, hash_token

#: Actor, roles; the token of each is ``tok-<actor>``.
ACTORS: dict[str, tuple[Role, ...]] = {
    "worker": (Role.WORKER,),
    "worker2": (Role.WORKER,),
    "approver": (Role.APPROVER,),
    "approver2": (Role.APPROVER,),
    "member": (Role.GROUP_MEMBER,),
    "auditor": (Role.AUDITOR,),
    "researcher": (Role.RESEARCHER,),
    "admin": (Role.ADMIN,),
    "both": (Role.WORKER, Role.APPROVER),
}


def token(actor: str) -> str:
    """The test token of ``actor``."""
    return f"tok-{actor}-0123456789abcdef"


def headers(actor: str | None, **extra: str) -> dict[str, str]:
    """Authorization headers of ``actor`` (none for ``None``)."""
    out = dict(extra)
    if actor is not None:
        out["Authorization"] = f"Bearer {token(actor)}"
    return out


def config(**changes: Any) -> ServeConfig:
    """A configuration with a token for every test actor."""
    tokens = tuple(
        TokenEntry(actor=actor, sha256=hash_token(token(actor)), roles=roles)
        for actor, roles in ACTORS.items()
    )
    return ServeConfig(tokens=tokens, **changes)


REQUEST: dict[str, Any] = {
    "id": "r-001",
    "household": {
        "ref": "ung-07",
        "attributes": {"youth_age": 19, "in_contact_with_services": True},
    },
    "amount": "20000.00",
    "purpose": "driving_licence",
}


def request(request_id: str = "r-001", **changes: Any) -> dict[str, Any]:
    """A pa_egne_ben request (20 000 kr: two people must sign)."""
    data = copy.deepcopy(REQUEST)
    data["id"] = request_id
    data.update(changes)
    return data


def evaluate_body(**changes: Any) -> dict[str, Any]:
    """A dry-run body."""
    body: dict[str, Any] = {"policy": "pa_egne_ben", "as_of": "2022-03-01", "request": request()}
    body.update(changes)
    return body


def decide_body(request_id: str = "r-001", **changes: Any) -> dict[str, Any]:
    """A body for POST /v1/decisions against the pa_egne_ben pot."""
    body: dict[str, Any] = {
        "pot": "pa_egne_ben",
        "as_of": "2022-03-01",
        "request": request(request_id, **changes),
    }
    return body


def ledger_app(path: Any, **config_changes: Any) -> tuple[Any, Any]:
    """An app over a new SQLite ledger with the built-in pots open, and the ledger."""
    from samskaping.ledger import open_ledger
    from samskaping.serve._setup import ensure_builtin_pots

    ledger = open_ledger(str(path))
    ensure_builtin_pots(ledger)
    return create_app(ledger, config=config(**config_changes)), ledger


def collective_body(request_id: str = "g-001", **changes: Any) -> dict[str, Any]:
    """A body for POST /v1/collective-decisions: Stødig start's project group funds a boat."""
    request: dict[str, Any] = {
        "id": request_id,
        "group": "gruppe-3",
        "members": ["m-1", "m-2", "m-3"],
        "proposals": [
            {"id": "boat", "title": "Båt", "cost": "800.00", "purpose": "boat"},
            {"id": "trip", "title": "Tur", "cost": "5000.00", "purpose": "shared_trips"},
        ],
        "recorded": {
            "selected": ["boat"],
            "decided_by": "project_group",
            "date": "2022-03-01",
            "minutes": "Referat fra møtet",
        },
    }
    request.update(changes)
    return {"pot": "stodig_start", "as_of": "2022-03-01", "request": request}
