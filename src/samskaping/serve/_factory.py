"""The application uvicorn's workers build: everything from environment variables.

``samskaping serve`` sets ``SAMSKAPING_SERVE_DB`` (and ``SAMSKAPING_SERVE_CONFIG`` if a
file is given), then each worker process calls :func:`app_from_env`.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any

from samskaping.ledger import open_ledger
from samskaping.profile import Profile, load_profile
from samskaping.serve._app import create_app
from samskaping.serve._config import ENV_PREFIX, load_config
from samskaping.serve._setup import ensure_builtin_pots

__all__ = ["JsonFormatter", "app_from_env", "configure_logging"]


class JsonFormatter(logging.Formatter):
    """One JSON object a line; lines already in JSON are passed through."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if message.startswith("{") and record.name.startswith("samskaping"):
            return message
        return json.dumps(
            {"level": record.levelname.lower(), "logger": record.name, "message": message},
            ensure_ascii=False,
        )


def configure_logging(level: str = "info") -> None:
    """JSON lines on standard error for the service and uvicorn."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True  # our own lines carry no raw paths


def app_from_env() -> Any:
    """The application, with the ledger at ``SAMSKAPING_SERVE_DB``.

    ``SAMSKAPING_SERVE_PROFILE`` names a profile folder (see
    :func:`samskaping.profile.load_profile`); without it the built-in data is served.
    """
    configure_logging(os.environ.get(ENV_PREFIX + "LOG_LEVEL", "info"))
    config = load_config(os.environ.get(ENV_PREFIX + "CONFIG") or None)
    ledger = open_ledger(os.environ[ENV_PREFIX + "DB"])
    if os.environ.get(ENV_PREFIX + "SETUP_BUILTIN") == "1":
        ensure_builtin_pots(ledger)
    folder = os.environ.get(ENV_PREFIX + "PROFILE")
    profile = load_profile(folder) if folder else Profile.default()
    return create_app(ledger, profile=profile, config=config)
