"""JSON Schema (draft 2020-12) of the document format, generated from the entities."""

from __future__ import annotations

import datetime
import types
from decimal import Decimal
from enum import Enum
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import attrs

from samskaping._money import MAX_AMOUNT, Money
from samskaping.model import Document

__all__ = ["document_schema", "json_schema"]

_DRAFT = "https://json-schema.org/draft/2020-12/schema"
_AMOUNT_PATTERN = r"^-?[0-9]+(\.[0-9]{1,2})?$"
_NUMBER_PATTERN = r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$"


def json_schema(type_: Any, *, title: str | None = None, schema_id: str | None = None) -> dict[str, Any]:
    """A JSON Schema for values of ``type_`` as the converter reads and writes them.

    Amounts are strings of kroner with at most two decimals, or integers; other
    decimals are strings or numbers; dates are ``YYYY-MM-DD`` strings.
    """
    defs: dict[str, Any] = {}
    root = _schema_for(type_, defs)
    schema: dict[str, Any] = {"$schema": _DRAFT}
    if schema_id:
        schema["$id"] = schema_id
    if title:
        schema["title"] = title
    schema.update(root)
    schema["$defs"] = dict(sorted(defs.items()))
    return schema


def document_schema() -> dict[str, Any]:
    """The JSON Schema of a samskaping document (a project or a programme)."""
    return json_schema(
        Document,
        title="samskaping document",
        schema_id="https://samskaping.example/schema/document.json",
    )


def _schema_for(type_: Any, defs: dict[str, Any]) -> dict[str, Any]:  # noqa: PLR0911
    origin = get_origin(type_)
    if isinstance(type_, types.UnionType) or origin is Union:
        options = [t for t in get_args(type_) if t is not type(None)]
        schemas = [_schema_for(t, defs) for t in options]
        if len(options) < len(get_args(type_)):
            schemas.append({"type": "null"})
        return schemas[0] if len(schemas) == 1 else {"anyOf": schemas}
    if origin is tuple:
        (item, _) = get_args(type_)
        return {"type": "array", "items": _schema_for(item, defs)}
    if origin is Literal:
        values = list(get_args(type_))
        return {"const": values[0]} if len(values) == 1 else {"enum": values}
    if type_ is Money:
        return {"$ref": "#/$defs/Amount"} if _define_scalar("Amount", defs) else {}
    if type_ is Decimal:
        return {"$ref": "#/$defs/Number"} if _define_scalar("Number", defs) else {}
    if type_ is datetime.date:
        return {"type": "string", "format": "date"}
    if type_ is bool:
        return {"type": "boolean"}
    if type_ is int:
        return {"type": "integer"}
    if type_ is str:
        return {"type": "string"}
    if isinstance(type_, type) and issubclass(type_, Enum):
        name = type_.__name__
        if name not in defs:
            defs[name] = {"enum": [m.value for m in type_], "description": _doc(type_)}
        return {"$ref": f"#/$defs/{name}"}
    if isinstance(type_, type) and attrs.has(type_):
        return {"$ref": f"#/$defs/{_define_class(type_, defs)}"}
    raise TypeError(f"no JSON Schema for {type_!r}")


def _define_scalar(name: str, defs: dict[str, Any]) -> bool:
    if name == "Amount":
        defs.setdefault(
            name,
            {
                "description": "An amount in NOK, exact to the øre.",
                "anyOf": [
                    {"type": "string", "pattern": _AMOUNT_PATTERN},
                    {"type": "integer", "minimum": -int(MAX_AMOUNT), "maximum": int(MAX_AMOUNT)},
                ],
            },
        )
    else:
        defs.setdefault(
            name,
            {
                "description": "An exact decimal number.",
                "anyOf": [{"type": "string", "pattern": _NUMBER_PATTERN}, {"type": "number"}],
            },
        )
    return True


def _define_class(cls: type, defs: dict[str, Any]) -> str:
    name = cls.__name__
    if name in defs:
        return name
    defs[name] = {}  # placeholder: breaks cycles
    hints = get_type_hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(cls):
        properties[field.name] = _schema_for(hints[field.name], defs)
        if field.default is attrs.NOTHING:
            required.append(field.name)
    definition: dict[str, Any] = {
        "type": "object",
        "description": _doc(cls),
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        definition["required"] = required
    defs[name] = definition
    return name


def _doc(obj: object) -> str:
    text = (getattr(obj, "__doc__", None) or "").strip()
    return text.split("\n\n")[0].replace("\n", " ")
