"""The HTTP plumbing every endpoint shares: bodies, problems, JSON answers, request ids.

An endpoint is declared once as an :class:`Operation` (method, path, who may call it,
the attrs type of its body). The same declaration builds the Starlette route and the
OpenAPI document, so what is served and what is documented cannot drift apart.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping
from decimal import Decimal
from typing import Any, Final

import attrs
from starlette.requests import Request as HttpRequest
from starlette.responses import Response

from samskaping._errors import DocumentError, Problem
from samskaping.serve._auth import Action, Principal

__all__ = [
    "Call",
    "HttpProblem",
    "Operation",
    "json_response",
    "problem_response",
    "request_id_of",
]

_REQUEST_ID: Final = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
JSON_TYPE: Final = "application/json"


class HttpProblem(Exception):  # noqa: N818  (an answer, not a failure of the service)
    """An answer other than success: a status, a message and located problems."""

    def __init__(
        self,
        status: int,
        message: str,
        problems: tuple[Problem, ...] = (),
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.problems = problems
        self.headers = dict(headers or {})


def _default(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, frozenset | set | tuple):
        return list(value)
    raise TypeError(type(value).__name__)


# ``json.dumps`` with these options makes a new encoder per call; one, made once, gives
# the same bytes.
_ENCODE: Final = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), default=_default
).encode


def json_response(
    data: object, status: int = 200, *, headers: Mapping[str, str] | None = None
) -> Response:
    """A JSON answer, exact decimals as strings, UTF-8."""
    body = _ENCODE(data)
    return Response(body.encode("utf-8"), status, headers=dict(headers or {}), media_type=JSON_TYPE)


def problem_response(
    status: int,
    message: str,
    problems: tuple[Problem, ...] = (),
    *,
    request_id: str = "",
    headers: Mapping[str, str] | None = None,
) -> Response:
    """An error answer: never a stack trace, always the request id to quote."""
    return json_response(
        {
            "kind": "error",
            "status": status,
            "message": message,
            "problems": [{"path": p.path, "message": p.message} for p in problems],
            "request_id": request_id,
        },
        status,
        headers=headers,
    )


def request_id_of(headers: Mapping[str, str]) -> str:
    """The caller's ``X-Request-Id`` if it is a plain identifier, else a new one."""
    given = headers.get("x-request-id", "")
    return given if _REQUEST_ID.match(given) else uuid.uuid4().hex


@attrs.frozen(kw_only=True)
class Call:
    """One authorised call to an endpoint, with its body already read and checked."""

    http: HttpRequest
    principal: Principal | None
    body: Any
    raw: bytes
    request_id: str

    @property
    def actor(self) -> str:
        """Who is calling (as recorded in the ledger)."""
        if self.principal is None:  # pragma: no cover  (public endpoints do not ask)
            raise HttpProblem(401, "authentication required")
        return self.principal.actor

    def path(self, name: str) -> str:
        """A path parameter."""
        value: str = self.http.path_params[name]
        return value

    def query(self, name: str, default: str | None = None) -> str | None:
        """A query parameter."""
        return self.http.query_params.get(name, default)


Handler = Callable[[Call], Awaitable[Response]]


@attrs.frozen(kw_only=True)
class Parameter:
    """A query parameter, for the OpenAPI document."""

    name: str
    schema: Mapping[str, Any]
    description: str
    required: bool = False


@attrs.frozen(kw_only=True)
class Operation:
    """One endpoint: where it is, who may call it, what it reads and what it answers.

    Attributes:
        action: The permission it needs; ``None`` for the public operations endpoints.
        body: The attrs type its JSON body is read as, or a JSON Schema for bodies read
            another way; ``None`` for no body.
        responses: Status code to (description, JSON Schema or ``None``) for success.
        personal: Whether its answer may hold personal data (documented per endpoint).
        alternatives: Other media types a success may come in, with their schemas
            (e.g. ``text/csv`` for ``format=csv``).
    """

    method: str
    path: str
    name: str
    summary: str
    tag: str
    action: Action | None
    handler: Handler
    body: Any = None
    responses: Mapping[int, tuple[str, Mapping[str, Any] | None]] = attrs.field(
        factory=lambda: {200: ("Success", None)}
    )
    parameters: tuple[Parameter, ...] = ()
    media: str = JSON_TYPE
    personal: bool = False
    errors: tuple[int, ...] = ()
    body_schema: Mapping[str, Any] | None = None
    alternatives: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict)


def document_problems(error: DocumentError) -> tuple[Problem, ...]:
    """The located problems of a document error."""
    return error.problems
