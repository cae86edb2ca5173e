"""The document format's field reference, generated from its JSON Schema."""

from __future__ import annotations

import re
from typing import Any

from samskaping.io._schema import document_schema
from samskaping.l10n import default_catalogue

__all__ = ["field_reference"]

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def _enum_labels(name: str, values: list[str]) -> str:
    catalogue = default_catalogue()
    kind = _CAMEL.sub("_", name).lower()
    parts = []
    for value in values:
        key = f"enum.{kind}.{value}"
        text = catalogue.label(key, "nb") if key in catalogue.texts else None
        parts.append(f"`{value}` ({text})" if text else f"`{value}`")
    return ", ".join(parts)


def _type(spec: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[-1]
        if "enum" in defs.get(name, {}):
            return f"code ({name})"
        return {"Amount": "amount", "Number": "decimal"}.get(name, f"[{name}](#{name.lower()})")
    if "anyOf" in spec:
        kinds = [_type(s, defs) for s in spec["anyOf"] if s.get("type") != "null"]
        return " or ".join(kinds)
    if "const" in spec:
        return f'`"{spec["const"]}"`'
    kind = spec.get("type")
    if kind == "array":
        return f"list of {_type(spec.get('items', {}), defs)}"
    if kind == "string" and spec.get("format") == "date":
        return "date"
    if kind == "object" and "additionalProperties" in spec:
        return f"table of {_type(spec['additionalProperties'], defs)}"
    return str(kind or "any")


def field_reference() -> str:
    """Every record of the document format with its fields, types and codes, as Markdown.

    Codes (enums) are listed with their Bokmål labels. ``docs/documents.md`` holds this
    text, and a test keeps it current.

    >>> field_reference().splitlines()[0]
    '### Project'
    """
    defs: dict[str, Any] = document_schema()["$defs"]
    order = ["Project", "Programme", *sorted(n for n in defs if n not in {"Project", "Programme"})]
    out: list[str] = []
    for name in order:
        spec = defs[name]
        if "properties" not in spec:
            continue
        required = set(spec.get("required", ()))
        out.append(f"### {name}")
        out.append("")
        if spec.get("description"):
            out.append(spec["description"].split("\n\n")[0].replace("\n", " "))
            out.append("")
        out.append("| field | type | codes (nb) |")
        out.append("|---|---|---|")
        for field, field_spec in spec["properties"].items():
            codes = ""
            ref = field_spec.get("$ref") or next(
                (s.get("$ref") for s in field_spec.get("anyOf", ()) if "$ref" in s),
                field_spec.get("items", {}).get("$ref"),
            )
            if ref:
                target = defs[ref.rsplit("/", 1)[-1]]
                if "enum" in target:
                    codes = _enum_labels(ref.rsplit("/", 1)[-1], target["enum"])
            mark = " (required)" if field in required else ""
            out.append(f"| `{field}`{mark} | {_type(field_spec, defs)} | {codes} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
