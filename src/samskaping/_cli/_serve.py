"""``samskaping serve``: the rule engine and the ledger as an HTTP service.

Exit codes: 0 stopped cleanly; 2 the command line, the configuration or the database
could not be used. Needs the ``serve`` extra.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from typing import Any, Final

from samskaping._cli._common import EXIT_OK, add_profile_argument, fail, profile_of

__all__ = ["register"]

#: prometheus-client's own variable: where the worker processes keep their counts.
MULTIPROCESS_VARIABLE: Final = "PROMETHEUS_MULTIPROC_DIR"

_ROLES = ("worker", "approver", "group_member", "auditor", "researcher", "admin")


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:  # noqa: PLR2004
        raise argparse.ArgumentTypeError(f"expected a port number (0-65535), got {text[:10]!r}")
    return int(text)


def _workers(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 64:  # noqa: PLR2004
        raise argparse.ArgumentTypeError(f"expected 1 to 64 workers, got {text[:10]!r}")
    return int(text)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``serve`` command."""
    parser = subparsers.add_parser(
        "serve", help="serve the rule engine and the decision ledger over HTTP"
    )
    parser.add_argument("--db", metavar="URL", help="the ledger: a SQLite file or postgresql://…")
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    parser.add_argument("--port", type=_port, default=8000, help="port (default: 8000)")
    parser.add_argument("--workers", type=_workers, default=1, help="worker processes (default: 1)")
    parser.add_argument("--config", metavar="FILE", help="a TOML or JSON configuration file")
    add_profile_argument(parser)
    parser.add_argument(
        "--setup-builtin",
        action="store_true",
        help="register the built-in policies and open their pots if the ledger lacks them",
    )
    parser.add_argument(
        "--log-level", choices=("debug", "info", "warning", "error"), default="info"
    )
    parser.add_argument(
        "--new-token",
        metavar="ACTOR",
        help="print a new bearer token for ACTOR and its configuration entry, then exit",
    )
    parser.add_argument(
        "--role", action="append", choices=_ROLES, default=[], help="a role for --new-token"
    )
    parser.set_defaults(run=_run)


def _new_token(actor: str, roles: list[str]) -> int:
    from samskaping.serve import new_token  # noqa: PLC0415  (lazy: loaded on use)

    if not roles:
        return fail("--new-token needs at least one --role")
    token, digest = new_token()
    sys.stdout.write(
        f"# Give this token to {actor} once; keep only the entry below.\n"
        f"# token: {token}\n"
        "[[tokens]]\n"
        f'actor = "{actor}"\n'
        f'sha256 = "{digest}"\n'
        f"roles = [{', '.join(repr(r).replace(chr(39), chr(34)) for r in roles)}]\n"
    )
    return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    if args.new_token:
        return _new_token(args.new_token, args.role)
    if not args.db:
        return fail("--db is required (a SQLite file such as ./ledger.db, or postgresql://…)")
    try:
        import uvicorn  # noqa: PLC0415  (the serve extra is optional)
    except ImportError:
        return fail('samskaping serve needs the serve extra: pip install "samskaping[serve]"')
    from samskaping.ledger import open_ledger  # noqa: PLC0415  (lazy: loaded on use)
    from samskaping.serve import (  # noqa: PLC0415  (lazy: loaded on use)
        ENV_PREFIX,
        configure_logging,
        ensure_builtin_pots,
        load_config,
    )

    config = load_config(args.config)  # a bad file stops here, with every problem listed
    if config.auth == "token" and not config.tokens:
        sys.stderr.write(
            "samskaping: warning: no tokens are configured, so every /v1 call gets 401;"
            " make one with: samskaping serve --new-token NAME --role worker\n"
        )
    ledger = open_ledger(args.db)  # creates the schema once, before the workers start
    if args.setup_builtin:
        ensure_builtin_pots(ledger)
    ledger.close()
    os.environ[ENV_PREFIX + "DB"] = args.db
    os.environ[ENV_PREFIX + "LOG_LEVEL"] = args.log_level
    if args.config:
        os.environ[ENV_PREFIX + "CONFIG"] = os.path.abspath(args.config)  # noqa: PTH100
    if args.profile:
        profile_of(args)  # a bad folder stops here, with its problems, before the workers start
        os.environ[ENV_PREFIX + "PROFILE"] = os.path.abspath(args.profile)  # noqa: PTH100
    configure_logging(args.log_level)
    jobs_variable = None if config.jobs_dir else ENV_PREFIX + "JOBS_DIR"
    with _shared_state(args.workers, jobs_variable):
        _run_server(uvicorn, args)
    return EXIT_OK


@contextlib.contextmanager
def _shared_state(workers: int, jobs_variable: str | None) -> Iterator[None]:
    """With several workers: a folder they share for jobs and metrics, removed afterwards.

    Each worker is its own process, so a job's status and the request counts must live
    outside any one of them: jobs in ``jobs_variable``'s folder (none: one is configured),
    metrics in prometheus-client's multiprocess folder (unless ``PROMETHEUS_MULTIPROC_DIR``
    is set already). The variables are as they were once the service stops.
    """
    if workers == 1:
        yield
        return
    names = [MULTIPROCESS_VARIABLE] + ([jobs_variable] if jobs_variable else [])
    before = {name: os.environ.get(name) for name in names}
    try:
        with tempfile.TemporaryDirectory(prefix="samskaping-serve-") as state:
            if jobs_variable is not None:
                os.environ[jobs_variable] = os.path.join(state, "jobs")  # noqa: PTH118
            if not before[MULTIPROCESS_VARIABLE]:
                metrics = os.path.join(state, "metrics")  # noqa: PTH118
                os.mkdir(metrics)  # noqa: PTH102
                os.environ[MULTIPROCESS_VARIABLE] = metrics
            yield
    finally:  # the folder is gone: no later app in this process may look for it
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _run_server(uvicorn: Any, args: argparse.Namespace) -> None:
    uvicorn.run(
        "samskaping.serve._factory:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=None,
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=10,
    )
