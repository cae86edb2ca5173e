"""``create_app``: the ASGI application, its middleware and the operations endpoints."""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request as HttpRequest
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from samskaping import __version__
from samskaping.payouts import Policy, load_policy
from samskaping.profile import Profile
from samskaping.serve._auth import Principal
from samskaping.serve._config import ServeConfig
from samskaping.serve._dispatch import Authenticator, endpoint, log_line
from samskaping.serve._dry import DryRuns
from samskaping.serve._http import (
    Call,
    HttpProblem,
    Operation,
    json_response,
    problem_response,
    request_id_of,
)
from samskaping.serve._metrics import Metrics
from samskaping.serve._openapi import openapi_document
from samskaping.serve._routes import ledger_operations, library_operations
from samskaping.serve._wire import schema_overrides

if TYPE_CHECKING:
    from samskaping.ledger import Ledger

__all__ = ["create_app"]

LOG: Final = logging.getLogger("samskaping.serve")
_ASSETS: Final = {"api.css": "text/css; charset=utf-8", "api.js": "text/javascript; charset=utf-8"}
_SECURITY_HEADERS: Final = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
)


class _Observe:
    """Request ids, structured logs, metrics and a JSON 500 that never shows a trace."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        request_id = request_id_of(headers)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        sent = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                sent = True
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode("ascii")),
                    *_SECURITY_HEADERS,
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as error:  # noqa: BLE001  (the last line of defence: answer, log, go on)
            where = traceback.extract_tb(error.__traceback__)[-1]
            log_line(
                level="error",
                event="unhandled",
                request_id=request_id,
                error=type(error).__name__,
                at=f"{where.filename.rsplit('/', 1)[-1]}:{where.lineno}",
            )
            if not sent:
                response = problem_response(500, "internal error", request_id=request_id)
                await response(scope, receive, send_with_id)
        finally:
            route = scope.get("samskaping.route", "(unmatched)")
            elapsed = time.perf_counter() - started
            self.metrics.observe(scope["method"], route, status, elapsed)
            log_line(
                level="info",
                event="request",
                request_id=request_id,
                method=scope["method"],
                route=route,
                status=status,
                ms=round(elapsed * 1000, 2),
                actor=scope.get("samskaping.actor"),
            )


def _default_policies(config: ServeConfig, profile: Profile) -> dict[str, Policy]:
    served = dict(profile.policies)
    for path in config.policy_files:
        policy = load_policy(path)
        served[policy.id] = policy
    return served


def create_app(
    ledger: Ledger | None,
    *,
    profile: Profile | None = None,
    policies: Mapping[str, Policy] | None = None,
    config: ServeConfig | None = None,
    auth: Callable[[HttpRequest], Principal] | None = None,
) -> Starlette:
    """The HTTP service as an ASGI application, to serve or to mount in another app.

    Args:
        ledger: The decision ledger (see :func:`samskaping.ledger.open_ledger`); with
            ``None`` only the endpoints that record nothing are served.
        profile: The municipality's configuration (see :func:`samskaping.profile.load_profile`):
            its policies are served, and documents are validated and reported under it
            (default: :meth:`Profile.default`, the built-in data).
        policies: The policies served, by name (default: the profile's policies and the
            configuration's ``policy_files``).
        config: Authentication, limits and CORS (default: :class:`ServeConfig` ()).
        auth: Find the caller of a request yourself (raise :class:`HttpProblem` with
            401 if there is none), e.g. from your own application's login; replaces the
            configured tokens or proxy headers.

    Returns:
        A Starlette application.
    """
    config = config or ServeConfig()
    profile = profile or Profile.default()
    served = dict(policies) if policies is not None else _default_policies(config, profile)
    authenticator = Authenticator(config, auth)
    dry = DryRuns(served, config, profile)
    metrics = Metrics()
    operations: list[Operation] = list(library_operations(dry))
    if ledger is not None:
        operations += ledger_operations(ledger, dry)
    overrides = schema_overrides()
    document: dict[str, Any] | None = None

    def openapi() -> dict[str, Any]:
        nonlocal document
        if document is None:
            document = openapi_document(
                [*operations, *_ops_operations(ledger, metrics, openapi)],
                version=__version__,
                overrides=overrides,
                auth=config.auth,
            )
        return document

    everything = [*operations, *_ops_operations(ledger, metrics, openapi)]
    routes: list[BaseRoute] = [
        Route(op.path, endpoint(op, authenticator, config), methods=[op.method])
        for op in everything
    ]
    if config.api_page:
        routes += _page_routes()

    async def http_error(request: HttpRequest, error: Exception) -> Response:
        assert isinstance(error, HTTPException)  # noqa: S101  (registered for it only)
        request_id = request.scope.get("state", {}).get("request_id", "")
        message = {404: "no such resource", 405: "method not allowed"}.get(
            error.status_code, "the request could not be handled"
        )
        return problem_response(
            error.status_code, message, request_id=request_id, headers=error.headers
        )

    app = Starlette(routes=routes, exception_handlers={HTTPException: http_error})
    app.add_middleware(_Observe, metrics=metrics)
    if config.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(config.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"],
        )
    app.state.openapi = openapi
    app.state.jobs = dry.jobs
    return app


def _ops_operations(
    ledger: Ledger | None,
    metrics: Metrics,
    openapi: Callable[[], dict[str, Any]],
) -> list[Operation]:
    async def health(_call: Call) -> Response:
        return json_response({"kind": "health", "status": "ok"})

    async def ready(_call: Call) -> Response:
        if ledger is not None:
            try:
                ledger.head()
            except Exception:  # noqa: BLE001  (any failure of the database means not ready)
                raise HttpProblem(503, "the ledger's database does not answer") from None
        return json_response({"kind": "ready", "status": "ok", "ledger": ledger is not None})

    async def metrics_text(_call: Call) -> Response:
        body, media = metrics.render()
        return Response(body, media_type=media)

    async def openapi_json(call: Call) -> Response:
        root = call.http.scope.get("root_path", "")
        return json_response({**openapi(), "servers": [{"url": root or "/"}]})

    ok = {"type": "object", "required": ["kind", "status"]}
    return [
        Operation(
            method="GET",
            path="/health",
            name="health",
            summary="The process is up",
            tag="operations",
            action=None,
            handler=health,
            responses={200: ("Up", ok)},
        ),
        Operation(
            method="GET",
            path="/ready",
            name="ready",
            summary="The ledger's database answers",
            tag="operations",
            action=None,
            handler=ready,
            responses={200: ("Ready", ok)},
            errors=(503,),
        ),
        Operation(
            method="GET",
            path="/metrics",
            name="metrics",
            summary="Metrics in Prometheus text format",
            tag="operations",
            action=None,
            handler=metrics_text,
            responses={200: ("Metrics", {"type": "string"})},
            media="text/plain",
        ),
        Operation(
            method="GET",
            path="/openapi.json",
            name="openapi",
            summary="This document",
            tag="operations",
            action=None,
            handler=openapi_json,
            responses={200: ("The OpenAPI document", {"type": "object"})},
        ),
    ]


def _asset(name: str) -> bytes:
    return resources.files("samskaping.serve").joinpath("static", name).read_bytes()


def _page_routes() -> list[BaseRoute]:
    csp = (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )

    async def page(_request: HttpRequest) -> Response:
        return Response(
            _asset("index.html"),
            media_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": csp},
        )

    async def asset(request: HttpRequest) -> Response:
        name = request.path_params["name"]
        media = _ASSETS.get(name)
        if media is None:
            raise HTTPException(404)
        return Response(_asset(name), media_type=media, headers={"Content-Security-Policy": csp})

    return [
        Route("/", page, methods=["GET"]),
        Route("/assets/{name}", asset, methods=["GET"]),
    ]
