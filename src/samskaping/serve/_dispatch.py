"""Turning an :class:`Operation` into a Starlette endpoint.

Authenticate, authorise, read the body, run the handler, and answer every failure as
JSON without a trace.
"""

from __future__ import annotations

import ipaddress
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Final

from starlette.requests import Request as HttpRequest
from starlette.responses import Response

from samskaping._errors import (
    DocumentError,
    InvalidInputError,
    Problem,
    SamskapingError,
    UnknownNameError,
)
from samskaping.io import parse, structure
from samskaping.serve._auth import Principal, Role, digest_matches, hash_token
from samskaping.serve._config import ServeConfig
from samskaping.serve._http import Call, HttpProblem, Operation, problem_response

__all__ = ["Authenticator", "endpoint"]

LOG: Final = logging.getLogger("samskaping.serve")


class Authenticator:
    """Finds the principal of a request, by bearer token or trusted proxy headers."""

    def __init__(
        self, config: ServeConfig, custom: Callable[[HttpRequest], Principal] | None = None
    ) -> None:
        self._config = config
        self._custom = custom
        self._tokens = {
            entry.sha256: Principal(actor=entry.actor, roles=frozenset(entry.roles))
            for entry in config.tokens
        }
        self._groups: dict[str, set[Role]] = {}
        for item in config.role_groups:
            self._groups.setdefault(item.group, set()).add(item.role)
        self._proxies = tuple(ipaddress.ip_address(a) for a in config.trusted_proxies)

    def principal(self, request: HttpRequest) -> Principal:
        """The caller, or 401."""
        if self._custom is not None:
            return self._custom(request)
        if self._config.auth == "proxy":
            return self._from_proxy(request)
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise HttpProblem(
                401, "authentication required", headers={"WWW-Authenticate": "Bearer"}
            )
        digest = hash_token(token.strip())
        found = self._tokens.get(digest)
        if found is None or not digest_matches(token.strip(), digest):
            raise HttpProblem(
                401,
                "the token is not valid",
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        return found

    def _from_proxy(self, request: HttpRequest) -> Principal:
        client = request.client.host if request.client else ""
        try:
            address = ipaddress.ip_address(client)
        except ValueError:
            address = None
        if address is None or address not in self._proxies:
            raise HttpProblem(401, "authentication required (through the login proxy)")
        user = request.headers.get(self._config.proxy_user_header, "").strip()
        if not user:
            raise HttpProblem(401, "authentication required (through the login proxy)")
        groups = request.headers.get(self._config.proxy_groups_header, "")
        roles: set[Role] = set()
        for group in groups.split(","):
            roles |= self._groups.get(group.strip(), set())
        return Principal(actor=user, roles=frozenset(roles))


async def read_body(request: HttpRequest, limit: int) -> bytes:
    """The body, refused with 413 as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise HttpProblem(400, "the Content-Length header is not a number")
        if int(declared) > limit:
            raise HttpProblem(413, f"the body is larger than {limit} bytes")
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HttpProblem(413, f"the body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_body(raw: bytes, type_: Any, limit: int) -> Any:
    """The body as JSON, structured as ``type_`` by the library's converter (or 422)."""
    if not raw.strip():
        raise HttpProblem(422, "the body is empty", (Problem(path="$", message="expected JSON"),))
    try:
        data = parse(raw, "json", source="body", max_bytes=limit)
        if type_ is dict:
            return data
        return structure(data, type_, source="body")
    except DocumentError as error:
        raise HttpProblem(422, "the body is not valid", error.problems) from None


def _what_path(error: InvalidInputError) -> str:
    return f"$.{error.what}" if error.what else "$"


def endpoint(
    operation: Operation, auth: Authenticator, config: ServeConfig
) -> Callable[[HttpRequest], Awaitable[Response]]:
    """The Starlette endpoint of ``operation``."""

    async def run(request: HttpRequest) -> Response:
        request_id: str = request.scope.get("state", {}).get("request_id", "")
        request.scope["samskaping.route"] = operation.path
        try:
            principal = None
            if operation.action is not None:
                principal = auth.principal(request)
                request.scope["samskaping.actor"] = principal.actor
                if not principal.may(operation.action):
                    raise HttpProblem(403, "your roles do not allow this")  # noqa: TRY301
            raw = b""
            body = None
            if operation.body is not None:
                raw = await read_body(request, config.max_body_bytes)
                body = parse_body(raw, operation.body, config.max_body_bytes)
            call = Call(
                http=request, principal=principal, body=body, raw=raw, request_id=request_id
            )
            return await operation.handler(call)
        except HttpProblem as problem:
            return problem_response(
                problem.status,
                problem.message,
                problem.problems,
                request_id=request_id,
                headers=problem.headers,
            )
        except UnknownNameError as error:
            return problem_response(404, f"no such {error.kind}", request_id=request_id)
        except DocumentError as error:
            return problem_response(
                422, "the input is not valid", error.problems, request_id=request_id
            )
        except InvalidInputError as error:
            located = Problem(path=_what_path(error), message=str(error))
            return problem_response(
                422, "the input is not valid", (located,), request_id=request_id
            )
        except SamskapingError as error:
            return error_response(error, request_id)

    run.__name__ = operation.name
    return run


#: Other library errors, by class name, and the status each is answered with. The
#: ledger's errors are matched by name so that this module does not import the ledger.
_STATUS_BY_NAME: Final = {
    "LedgerConflict": 409,
    "ApprovalRefused": 403,
    "RetentionError": 409,
    "LedgerError": 404,
}


def error_response(error: SamskapingError, request_id: str) -> Response:
    """A library error as an answer: its class decides the status; the message is safe."""
    for cls in type(error).__mro__:
        status = _STATUS_BY_NAME.get(cls.__name__)
        if status is not None:
            return problem_response(status, str(error), request_id=request_id)
    if isinstance(error, KeyError):
        return problem_response(404, "not found", request_id=request_id)
    return problem_response(422, str(error), request_id=request_id)


def log_line(**fields: Any) -> None:
    """One structured log line (JSON); callers pass no personal data."""
    LOG.info(json.dumps(fields, ensure_ascii=False, separators=(",", ":")))
