"""The service's configuration: a TOML file, environment variables, or both.

Every setting has a safe default. The file is read with the library's strict
converter, so a misspelt key is an error rather than silently ignored. Environment
variables ``SAMSKAPING_SERVE_<NAME>`` override the file's scalar settings, and
``SAMSKAPING_SERVE_TOKENS`` may hold the token list as JSON (docs/deployment.md).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, Literal

import attrs

from samskaping._errors import DocumentError, InvalidInputError, Problem
from samskaping.serve._auth import Role

__all__ = ["ENV_PREFIX", "RoleGroup", "ServeConfig", "TokenEntry", "load_config"]

#: The prefix of every environment variable the service reads.
ENV_PREFIX: Final = "SAMSKAPING_SERVE_"

_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_HEADER = re.compile(r"^[A-Za-z0-9-]{1,64}$")


def _digest(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not _DIGEST.match(value):
        raise InvalidInputError(
            "expected the 64 hex digits of a SHA-256 digest (samskaping serve --new-token)",
            what=attribute.name,
        )


def _header(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not _HEADER.match(value):
        raise InvalidInputError("expected an HTTP header name", what=attribute.name)


def _positive(_instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if value < 1:
        raise InvalidInputError("expected a whole number of at least 1", what=attribute.name)


@attrs.frozen(kw_only=True)
class TokenEntry:
    """A bearer token, kept as its SHA-256 digest, with who holds it and their roles."""

    actor: str
    sha256: str = attrs.field(validator=_digest)
    roles: tuple[Role, ...]


@attrs.frozen(kw_only=True)
class RoleGroup:
    """In proxy mode: members of ``group`` (as the proxy names it) hold ``role``."""

    group: str
    role: Role


@attrs.frozen(kw_only=True)
class ServeConfig:
    """How the service runs: authentication, limits and cross-origin access.

    Attributes:
        auth: ``token`` (bearer tokens) or ``proxy`` (a trusted reverse proxy's headers).
        tokens: The tokens, as digests (token mode).
        proxy_user_header: The header with the logged-in user (proxy mode).
        proxy_groups_header: The header with the user's groups, comma-separated.
        role_groups: Which group gives which role (proxy mode).
        trusted_proxies: The client addresses whose proxy headers are believed.
        max_body_bytes: The largest request body; larger ones get 413.
        max_batch: The most requests in one batch.
        max_population: The most households simulated within a request.
        max_job_population: The most households in a background simulation.
        max_jobs: The most background simulations kept at once.
        cors_origins: Origins allowed to call from a browser; none by default (CORS off).
        api_page: Serve the interactive API page at ``/``.
        policy_files: Policy files (TOML or JSON) served besides the built-in policies,
            by their ids.
        jobs_dir: A folder where every worker process keeps the background jobs' state,
            so that any of them answers a status request (``samskaping serve --workers N``
            makes a temporary one when none is given); none: each process keeps its own.
    """

    auth: Literal["token", "proxy"] = "token"
    tokens: tuple[TokenEntry, ...] = ()
    proxy_user_header: str = attrs.field(default="X-Forwarded-User", validator=_header)
    proxy_groups_header: str = attrs.field(default="X-Forwarded-Groups", validator=_header)
    role_groups: tuple[RoleGroup, ...] = ()
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")
    max_body_bytes: int = attrs.field(default=1_048_576, validator=_positive)
    max_batch: int = attrs.field(default=1_000, validator=_positive)
    max_population: int = attrs.field(default=10_000, validator=_positive)
    max_job_population: int = attrs.field(default=1_000_000, validator=_positive)
    max_jobs: int = attrs.field(default=16, validator=_positive)
    cors_origins: tuple[str, ...] = ()
    api_page: bool = True
    policy_files: tuple[str, ...] = ()
    jobs_dir: str | None = None


_SCALARS: Final = {
    "auth": str,
    "proxy_user_header": str,
    "proxy_groups_header": str,
    "max_body_bytes": int,
    "max_batch": int,
    "max_population": int,
    "max_job_population": int,
    "max_jobs": int,
    "api_page": bool,
    "jobs_dir": str,
}
_LISTS: Final = ("trusted_proxies", "cors_origins", "policy_files")


def _from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, kind in _SCALARS.items():
        raw = environ.get(ENV_PREFIX + name.upper())
        if raw is None:
            continue
        if kind is int:
            data[name] = int(raw) if raw.strip().isdigit() else raw
        elif kind is bool:
            data[name] = raw.strip().lower() in {"1", "true", "yes", "on"}
        else:
            data[name] = raw
    for name in _LISTS:
        raw = environ.get(ENV_PREFIX + name.upper())
        if raw is not None:
            data[name] = [part.strip() for part in raw.split(",") if part.strip()]
    tokens = environ.get(ENV_PREFIX + "TOKENS")
    if tokens is not None:
        try:
            data["tokens"] = json.loads(tokens)
        except json.JSONDecodeError:
            raise DocumentError(
                [Problem(path="$.tokens", message="expected a JSON list of tokens")],
                source=ENV_PREFIX + "TOKENS",
            ) from None
    return data


def load_config(
    path: str | os.PathLike[str] | None = None, *, environ: Mapping[str, str] | None = None
) -> ServeConfig:
    """The configuration from a TOML or JSON file (if given) and the environment.

    Raises:
        DocumentError: If the file or a variable is not valid, with each problem's path.
    """
    from samskaping.io import format_of, load_data, parse, read_text  # noqa: PLC0415

    data: dict[str, Any] = {}
    if path is not None:
        data = parse(read_text(path), format_of(Path(path), "toml"), source="configuration")
    data.update(_from_env(os.environ if environ is None else environ))
    config: ServeConfig = load_data(data, ServeConfig, source="configuration")
    return config
