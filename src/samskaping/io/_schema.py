"""JSON Schema (draft 2020-12) of the document format, generated from the entities."""

from __future__ import annotations

import datetime
import types
from collections.abc import Mapping
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


def json_schema(
    type_: Any,
    *,
    title: str | None = None,
    schema_id: str | None = None,
    overrides: Mapping[Any, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A JSON Schema for values of ``type_`` as the converter reads and writes them.

    Amounts are strings of kroner with at most two decimals, or integers; other
    decimals are strings or numbers; dates are ``YYYY-MM-DD`` strings. ``overrides``
    gives the schema of types that a converter writes its own way.
    """
    builder = _Builder(overrides=dict(overrides or {}))
    root = builder.schema_for(type_)
    schema: dict[str, Any] = {"$schema": _DRAFT}
    if schema_id:
        schema["$id"] = schema_id
    if title:
        schema["title"] = title
    schema.update(root)
    schema["$defs"] = dict(sorted(builder.defs.items()))
    return schema


def document_schema() -> dict[str, Any]:
    """The JSON Schema of a samskaping document (a project or a programme).

    A programme must say ``"kind": "programme"``; a document without ``kind`` is a project.
    """
    schema = json_schema(
        Document,
        title="samskaping document",
        schema_id="https://samskaping.example/schema/document.json",
    )
    programme = schema["$defs"]["Programme"]
    programme["required"] = sorted({*programme.get("required", ()), "kind"})
    return schema


_SCALARS: dict[Any, dict[str, Any]] = {
    datetime.date: {"type": "string", "format": "date"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    str: {"type": "string"},
}
_NAMED: dict[Any, tuple[str, dict[str, Any]]] = {
    Money: (
        "Amount",
        {
            "description": "An amount in NOK, exact to the øre.",
            "anyOf": [
                {"type": "string", "pattern": _AMOUNT_PATTERN},
                {"type": "integer", "minimum": -int(MAX_AMOUNT), "maximum": int(MAX_AMOUNT)},
            ],
        },
    ),
    Decimal: (
        "Number",
        {
            "description": "An exact decimal number.",
            "anyOf": [{"type": "string", "pattern": _NUMBER_PATTERN}, {"type": "number"}],
        },
    ),
}


@attrs.define
class _Builder:
    """Builds one schema: its definitions, and the types written some other way."""

    overrides: dict[Any, dict[str, Any]]
    defs: dict[str, Any] = attrs.Factory(dict)

    def schema_for(self, type_: Any) -> dict[str, Any]:
        if type_ in self.overrides:
            return self.overrides[type_]
        origin = get_origin(type_)
        if isinstance(type_, types.UnionType) or origin is Union:
            options = [t for t in get_args(type_) if t is not type(None)]
            schemas = [self.schema_for(t) for t in options]
            if len(options) < len(get_args(type_)):
                schemas.append({"type": "null"})
            return schemas[0] if len(schemas) == 1 else {"anyOf": schemas}
        if origin is tuple:
            args = get_args(type_)
            if len(args) == 2 and args[1] is Ellipsis:  # noqa: PLR2004
                return {"type": "array", "items": self.schema_for(args[0])}
            items = [self.schema_for(t) for t in args]
            return {
                "type": "array",
                "prefixItems": items,
                "minItems": len(items),
                "maxItems": len(items),
            }
        if origin is Literal:
            values = list(get_args(type_))
            return {"const": values[0]} if len(values) == 1 else {"enum": values}
        if type_ in _SCALARS:
            return dict(_SCALARS[type_])
        if type_ in _NAMED:
            name, definition = _NAMED[type_]
            self.defs.setdefault(name, definition)
            return {"$ref": f"#/$defs/{name}"}
        if isinstance(type_, type) and issubclass(type_, Enum):
            self.defs.setdefault(
                type_.__name__, {"enum": [m.value for m in type_], "description": _doc(type_)}
            )
            return {"$ref": f"#/$defs/{type_.__name__}"}
        if isinstance(type_, type) and attrs.has(type_):
            return {"$ref": f"#/$defs/{self.define_class(type_)}"}
        raise TypeError(f"no JSON Schema for {type_!r}")

    def define_class(self, cls: type) -> str:
        name = cls.__name__
        if name in self.defs:
            return name
        self.defs[name] = {}  # placeholder: breaks cycles
        hints = get_type_hints(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in attrs.fields(cls):
            properties[field.name] = self.schema_for(hints[field.name])
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
        self.defs[name] = definition
        return name


def _doc(obj: object) -> str:
    text = (getattr(obj, "__doc__", None) or "").strip()
    return text.split("\n\n")[0].replace("\n", " ")
