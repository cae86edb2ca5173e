"""The rule engine and the decision ledger as an HTTP service (``samskaping serve``).

Needs the ``serve`` extra (``pip install "samskaping[serve]"``): Starlette, uvicorn and
prometheus-client. :func:`create_app` returns an ASGI application to serve, or to
mount inside a larger one; docs/deployment.md explains how to run it.
"""

from samskaping.serve._app import create_app
from samskaping.serve._auth import PERMISSIONS, Action, Principal, Role, hash_token, new_token
from samskaping.serve._config import ENV_PREFIX, RoleGroup, ServeConfig, TokenEntry, load_config
from samskaping.serve._factory import configure_logging
from samskaping.serve._http import HttpProblem
from samskaping.serve._setup import ensure_builtin_pots

__all__ = [
    "ENV_PREFIX",
    "PERMISSIONS",
    "Action",
    "HttpProblem",
    "Principal",
    "Role",
    "RoleGroup",
    "ServeConfig",
    "TokenEntry",
    "configure_logging",
    "create_app",
    "ensure_builtin_pots",
    "hash_token",
    "load_config",
    "new_token",
]
