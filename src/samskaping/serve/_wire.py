"""What goes over the wire: call bodies as attrs types, read by the library's converter.

There is one set of types. Bodies are structured with :func:`samskaping.io.structure`
(every problem with its JSON path), and the OpenAPI document takes their schemas from
:func:`samskaping.io.json_schema`, so the two cannot drift apart.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final, Literal

import attrs

from samskaping.model import Pot
from samskaping.payouts import Cohort, CollectiveRequest, Request, ValueType

__all__ = [
    "AccessCall",
    "AllocateCall",
    "BatchCall",
    "CollectiveCall",
    "DecideCall",
    "EvaluateCall",
    "HistoryCall",
    "Lang",
    "LedgerBatchCall",
    "OpenPotCall",
    "RegisterCall",
    "PlanCall",
    "ReasonCall",
    "SimulateCall",
    "input_problems",
    "schema_overrides",
]

Lang = Literal["nb", "nn", "en"]


@attrs.frozen(kw_only=True)
class EvaluateCall:
    """A dry run of one request: nothing is recorded.

    ``lang`` (``nb``, ``nn`` or ``en``) adds the reasons' and flags' texts, and the
    rendered trace if ``trace`` is asked for; without it only the codes are given.
    """

    policy: str
    as_of: datetime.date
    request: Request
    trace: bool = False
    lang: Lang | None = None


@attrs.frozen(kw_only=True)
class BatchCall:
    """A dry run of requests decided one after another against the policy's pot."""

    policy: str
    as_of: datetime.date
    requests: tuple[Request, ...]
    trace: bool = False
    lang: Lang | None = None


@attrs.frozen(kw_only=True)
class AllocateCall:
    """A dry run of a batch allocated in the documented priority order."""

    policy: str
    as_of: datetime.date
    requests: tuple[Request, ...]
    lang: Lang | None = None


@attrs.frozen(kw_only=True)
class PlanCall:
    """The payment plan of an unconditional policy for a cohort."""

    policy: str
    cohort: Cohort
    start: datetime.date | None = None
    end: datetime.date | None = None
    months: int | None = None


@attrs.frozen(kw_only=True)
class CollectiveCall:
    """A collective decision on a group's proposals."""

    policy: str
    as_of: datetime.date
    request: CollectiveRequest
    trace: bool = False
    lang: Lang | None = None


@attrs.frozen(kw_only=True)
class SimulateCall:
    """A simulation over a posted population: columns of equal length, by input name."""

    policy: str
    as_of: datetime.date
    population: Mapping[str, Any]


@attrs.frozen(kw_only=True)
class DecideCall:
    """A decision to record in the ledger, on a request, from an open pot.

    The trace is always recorded; ``trace`` also puts it in the answer's ``decision``
    (it is in the answer's ``record`` either way, as recorded).
    """

    pot: str
    as_of: datetime.date
    request: Request
    trace: bool = False
    lang: Lang | None = None


@attrs.frozen(kw_only=True)
class ReasonCall:
    """Why a decision is rejected or an entry reversed."""

    reason: str


@attrs.frozen(kw_only=True)
class HistoryCall:
    """Which household's decisions to show (in the body, so it is not in any URL log)."""

    household: str


@attrs.frozen(kw_only=True)
class AccessCall:
    """A household's access export (*innsyn*), and why it is made."""

    household: str
    purpose: str = "innsyn"


@attrs.frozen(kw_only=True)
class RegisterCall:
    """A policy to register: a served policy by name, or a policy's TOML or JSON text."""

    name: str | None = None
    text: str | None = None
    format: Literal["toml", "json"] = "toml"


@attrs.frozen(kw_only=True)
class OpenPotCall:
    """A pot to open under a registered policy (by default the policy's own pot)."""

    policy: str
    pot: Pot | None = None


@attrs.frozen(kw_only=True)
class LedgerBatchCall:
    """Requests to decide and record against one pot, in the documented priority order."""

    pot: str
    as_of: datetime.date
    requests: tuple[Request, ...]
    trace: bool = False
    lang: Lang | None = None


_JSON_VALUE: Final = {
    "anyOf": [
        {"type": "string"},
        {"type": "number"},
        {"type": "integer"},
        {"type": "boolean"},
        {"type": "null"},
    ]
}


def schema_overrides() -> dict[Any, dict[str, Any]]:
    """Schemas of the types the converter reads its own way."""
    return {
        Mapping[str, Any]: {
            "type": "object",
            "description": "Further inputs by name, as the policy declares them.",
            "additionalProperties": _JSON_VALUE,
        },
    }


_CHECKS: Final[Mapping[ValueType, tuple[type, ...]]] = {
    ValueType.INT: (int,),
    ValueType.BOOL: (bool,),
    ValueType.DECIMAL: (int, Decimal, str),
    ValueType.MONEY: (int, Decimal, str),
    ValueType.STR: (str,),
}


def input_problems(
    declared: Mapping[str, ValueType], request: Request, path: str
) -> list[tuple[str, str]]:
    """The attributes of ``request`` whose type is not the one the policy declares.

    The engine would reject such a request with ``invalid_input``; over HTTP it is the
    caller's mistake, so it gets a 422 with the input's JSON path instead.
    """
    problems = []
    for where, values in (
        ("household", request.household.attributes),
        ("request", request.attributes),
    ):
        for name, value in values.items():
            kind = declared.get(f"{where}.{name}")
            if kind is None or value is None or kind not in _CHECKS:
                continue
            allowed = _CHECKS[kind]
            wrong_bool = isinstance(value, bool) and bool not in allowed
            if wrong_bool or not isinstance(value, allowed):
                at = (
                    f"{path}.household.attributes.{name}"
                    if where == "household"
                    else (f"{path}.attributes.{name}")
                )
                problems.append((at, f"expected a value of type {kind.value}"))
    return problems
