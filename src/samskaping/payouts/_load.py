"""Reading, writing and naming policies: files, text, and the built-in policies.

Policies are read with :func:`samskaping.io.parse` and :func:`samskaping.io.structure`
(the library's one strict converter), then normalised and checked
(:mod:`samskaping.payouts._check`). Every problem becomes a
:class:`~samskaping.payouts.PolicyError` that names the rule and the path.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final, get_type_hints

import attrs

from samskaping._errors import DocumentError, Problem, UnknownNameError
from samskaping.io import Format, dumps, json_schema, parse, read_text, structure
from samskaping.payouts._compiled import check_policy, compile_policy
from samskaping.payouts._errors import PolicyError
from samskaping.payouts._policy import InputDecl, Parameter, ParameterValue, Policy

__all__ = [
    "MAX_POLICY_BYTES",
    "builtin_policy",
    "builtin_policy_names",
    "dumps_policy",
    "load_policy",
    "loads_policy",
    "policy_from_data",
    "policy_schema",
]

#: Policy files larger than this (1 MiB) are refused.
MAX_POLICY_BYTES: Final = 1024 * 1024

_KINDS: Final = {
    "eligibility": "rule",
    "referrals": "referral",
    "caps": "cap",
    "flags": "flag",
    "parameters": "parameter",
    "values": "value",
    "derived": "derived value",
    "purposes": "purpose",
    "inputs": "input",
    "approval_bands": "band schedule",
    "bands": "band",
    "gatekeepers": "gatekeeper",
}
_SHOWN: Final = 60
_SEGMENT: Final = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def _item_name(data: object, path: str) -> str:
    """Name the policy item a path points into, e.g. ``rule 'has_children'``."""
    best = "policy"
    if isinstance(data, Mapping) and isinstance(data.get("id"), str):
        best = f"policy {data['id'][:40]!r}"
    current: object = data
    list_key = ""
    for match in _SEGMENT.finditer(path):
        key, index = match.group(1), match.group(2)
        if key is not None:
            list_key = key
            current = current.get(key) if isinstance(current, Mapping) else None
            continue
        current = (
            current[int(index)] if isinstance(current, list) and int(index) < len(current) else None
        )
        kind = _KINDS.get(list_key)
        if kind is None or not isinstance(current, Mapping):
            continue
        for field in ("id", "name", "code", "valid_from"):
            value = current.get(field)
            if isinstance(value, str):
                best = f"{kind} {value[:40]!r}"
                break
            if value is not None and field == "valid_from":
                best = f"{kind} from {value}"
                break
        else:
            best = f"{kind} {index}"
    return best


def _as_policy(problems: tuple[Problem, ...]) -> list[Problem]:
    return [Problem(path=p.path, message=f"policy: {p.message}") for p in problems]


def policy_from_data(data: Mapping[str, Any], *, source: str | None = None) -> Policy:
    """Build and check a policy from parsed data (a dict from JSON or TOML).

    Raises:
        PolicyError: Listing every problem with its path and the rule it concerns.
    """
    try:
        policy: Policy = structure(data, Policy, source=source)
    except PolicyError:
        raise
    except DocumentError as exc:
        problems = []
        rules = []
        for problem in exc.problems:
            name = _item_name(data, problem.path)
            problems.append(Problem(path=problem.path, message=f"{name}: {problem.message}"))
            rules.append(name)
        raise PolicyError(problems, source=source, rules=rules) from None
    return check_policy(policy, source=source)


def loads_policy(
    text: str | bytes, format: Format = "toml", *, source: str | None = None
) -> Policy:
    """Read a policy from TOML or JSON text.

    Raises:
        PolicyError: If the text is not a valid policy (every problem listed).
    """
    try:
        data = parse(text, format, source=source, max_bytes=MAX_POLICY_BYTES)
    except DocumentError as exc:
        raise PolicyError(_as_policy(exc.problems), source=source, rules=["policy"]) from None
    return policy_from_data(data, source=source)


def _folder() -> Any:
    return resources.files("samskaping") / "data" / "policies"


def builtin_policy_names() -> tuple[str, ...]:
    """The names of the built-in policies, sorted.

    >>> "flyktningfamilien" in builtin_policy_names()
    True
    """
    return tuple(
        sorted(
            entry.name.removesuffix(".toml")
            for entry in _folder().iterdir()
            if entry.name.endswith(".toml")
        )
    )


@cache
def builtin_policy(name: str) -> Policy:
    """A built-in policy by name, e.g. ``pa_egne_ben`` (read once, on first use).

    Raises:
        UnknownNameError: If there is no built-in policy of that name.
    """
    known = builtin_policy_names()
    if name not in known:
        raise UnknownNameError("policy", name, known)
    text = (_folder() / f"{name}.toml").read_text(encoding="utf-8")
    return loads_policy(text, "toml", source=f"{name}.toml")


def load_policy(name_or_path: str | os.PathLike[str]) -> Policy:
    """A built-in policy by name, or a policy from a ``.toml`` or ``.json`` file.

    Raises:
        UnknownNameError: If the name is neither a built-in policy nor a file.
        PolicyError: If the file is not a valid policy.
    """
    text = os.fspath(name_or_path)
    if text in builtin_policy_names():
        return builtin_policy(text)
    path = Path(text)
    if not path.is_file():
        shown = text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."
        raise UnknownNameError("policy", shown, builtin_policy_names())
    fmt: Format = "json" if path.suffix.lower() == ".json" else "toml"
    try:
        content = read_text(path, max_bytes=MAX_POLICY_BYTES)
    except DocumentError as exc:
        raise PolicyError(_as_policy(exc.problems), source=path.name, rules=["policy"]) from None
    return loads_policy(content, fmt, source=path.name)


def dumps_policy(policy: Policy, format: Format = "toml") -> str:
    """Write a policy as TOML or JSON text that reads back equal."""
    compile_policy(policy)
    return dumps(policy, format)


def _twin(cls: type, overrides: Mapping[str, Any]) -> type:
    """A copy of an attrs class with some field types replaced (for the JSON Schema only)."""
    hints = get_type_hints(cls)
    annotations = {}
    fields = {}
    for field in attrs.fields(cls):
        kind = overrides.get(field.name, hints[field.name])
        annotations[field.name] = kind
        fields[field.name] = attrs.field(type=kind, default=field.default)
    twin = attrs.make_class(cls.__name__, fields, kw_only=True, frozen=True)
    twin.__annotations__ = annotations
    twin.__doc__ = cls.__doc__
    return twin


@cache
def _schema() -> dict[str, Any]:
    value_twin = _twin(ParameterValue, {"value": str | None})
    parameter_twin = _twin(Parameter, {"values": tuple[value_twin, ...]})  # type: ignore[valid-type]
    input_twin = _twin(InputDecl, {"default": str | None})
    policy_twin = _twin(
        Policy,
        {"parameters": tuple[parameter_twin, ...], "inputs": tuple[input_twin, ...]},  # type: ignore[valid-type]
    )
    schema = json_schema(
        policy_twin,
        title="samskaping payout policy",
        schema_id="https://samskaping.example/schema/policy.json",
    )
    literal = {
        "description": "A literal of the parameter's or input's type: an amount "
        "(string or integer), a number, true/false, text, or a list of texts or whole numbers.",
        "anyOf": [
            {"type": "string"},
            {"type": "integer"},
            {"type": "number"},
            {"type": "boolean"},
            {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
            {"type": "null"},
        ],
    }
    schema["$defs"]["ParameterValue"]["properties"]["value"] = literal
    schema["$defs"]["InputDecl"]["properties"]["default"] = literal
    return schema


def policy_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a policy file."""
    return copy.deepcopy(_schema())
