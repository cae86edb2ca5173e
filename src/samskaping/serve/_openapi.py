"""The OpenAPI 3.1 document, built from the operations and the library's JSON Schemas."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from samskaping.io import json_schema
from samskaping.serve._auth import PERMISSIONS
from samskaping.serve._http import Operation

__all__ = ["openapi_document"]

_REF: Final = re.compile(r"^#/\$defs/")

PROBLEM: Final = {
    "type": "object",
    "description": "An error: a message and the located problems (JSON paths).",
    "required": ["kind", "status", "message", "problems", "request_id"],
    "properties": {
        "kind": {"const": "error"},
        "status": {"type": "integer"},
        "message": {"type": "string"},
        "problems": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["path", "message"],
                "properties": {"path": {"type": "string"}, "message": {"type": "string"}},
            },
        },
        "request_id": {"type": "string"},
    },
}

_ERRORS: Final = {
    400: "The request could not be read",
    401: "Authentication required",
    403: "The caller's roles do not allow it",
    404: "Not found",
    409: "Conflicts with what is recorded",
    413: "The body or batch is too large",
    422: "The input is not valid (problems with JSON paths)",
    503: "Busy: try again later",
}


def _rewrite(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = _REF.sub("#/components/schemas/", value)
            elif key not in {"$schema", "$id", "$defs"}:
                out[key] = _rewrite(value)
        return out
    if isinstance(node, list):
        return [_rewrite(v) for v in node]
    return node


class _Components:
    def __init__(self, overrides: Mapping[Any, dict[str, Any]]) -> None:
        self.schemas: dict[str, Any] = {"Problem": PROBLEM}
        self._overrides = overrides

    def add(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        for name, definition in schema.get("$defs", {}).items():
            self.schemas.setdefault(name, _rewrite(definition))
        return dict(_rewrite(dict(schema)))

    def body(self, body: Any) -> dict[str, Any]:
        if isinstance(body, Mapping):
            return self.add(body)
        if isinstance(body, type) and attrs.has(body):
            schema = json_schema(body, overrides=self._overrides)
            root = self.add(schema)
            self.schemas.setdefault(body.__name__, root)
            return {"$ref": f"#/components/schemas/{body.__name__}"}
        return {"type": "object"}


def _success(operation: Operation, description: str, schema: Any) -> dict[str, Any]:
    if schema is None:
        return {"description": description}
    content = {operation.media: {"schema": schema}}
    for media, other in operation.alternatives.items():
        content[media] = {"schema": dict(other)}
    return {"description": description, "content": content}


def openapi_document(
    operations: Iterable[Operation],
    *,
    version: str,
    overrides: Mapping[Any, dict[str, Any]],
    auth: str,
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``operations``."""
    components = _Components(overrides)
    paths: dict[str, dict[str, Any]] = {}
    for operation in operations:
        item: dict[str, Any] = {
            "operationId": operation.name,
            "summary": operation.summary,
            "tags": [operation.tag],
        }
        if operation.action is not None:
            roles = sorted(r.value for r in PERMISSIONS[operation.action])
            item["description"] = f"Roles: {', '.join(roles)}."
            item["x-roles"] = roles
            item["x-action"] = operation.action.value
            if operation.personal:
                item["description"] += (
                    " May return personal data; every such read is recorded in the ledger."
                )
        else:
            item["security"] = []
        parameters = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in re.findall(r"{(\w+)}", operation.path)
        ]
        parameters += [
            {
                "name": p.name,
                "in": "query",
                "required": p.required,
                "description": p.description,
                "schema": dict(p.schema),
            }
            for p in operation.parameters
        ]
        if parameters:
            item["parameters"] = parameters
        if operation.body is not None:
            item["requestBody"] = {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": components.body(operation.body_schema or operation.body)
                    }
                },
            }
        responses: dict[str, Any] = {
            str(status): _success(operation, description, schema)
            for status, (description, schema) in operation.responses.items()
        }
        errors = set()
        if operation.action is not None:
            errors |= {401, 403}
        if operation.body is not None:
            errors |= {400, 404, 413, 422}
        if parameters:
            errors |= {404, 422}
        errors |= set(operation.errors)
        for status in sorted(errors):
            responses.setdefault(
                str(status),
                {
                    "description": _ERRORS[status],
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                    },
                },
            )
        item["responses"] = responses
        paths.setdefault(operation.path, {})[operation.method.lower()] = item
    scheme = (
        {"type": "http", "scheme": "bearer"}
        if auth == "token"
        else {"type": "apiKey", "in": "header", "name": "X-Forwarded-User"}
    )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "samskaping",
            "version": version,
            "description": "The payout rule engine of samskaping, and its decision ledger.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "servers": [{"url": "/"}],
        "security": [{"auth": []}],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(components.schemas.items())),
            "securitySchemes": {"auth": scheme},
        },
    }
