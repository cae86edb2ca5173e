"""``samskaping serve``: what it checks and prepares before it hands over to uvicorn.

uvicorn's ``run`` is replaced by a recorder, so no server starts; the application factory
it is handed is then called as a worker process would call it.
"""

from __future__ import annotations

import importlib
import json
import logging
import os

import pytest

from samskaping._cli import main

uvicorn = pytest.importorskip("uvicorn", reason="the serve extra is not installed")
serve = pytest.importorskip("samskaping.serve", reason="the serve extra is not installed")

_VARIABLES = ("DB", "LOG_LEVEL", "CONFIG", "PROFILE", "SETUP_BUILTIN")


@pytest.fixture
def handed(monkeypatch):
    """What ``uvicorn.run`` was called with; the environment and logging are restored after."""
    for name in _VARIABLES:
        monkeypatch.delenv(serve.ENV_PREFIX + name, raising=False)
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    loggers = {n: logging.getLogger(n) for n in ("uvicorn", "uvicorn.error", "uvicorn.access")}
    states = {n: (lg.handlers[:], lg.propagate, lg.disabled) for n, lg in loggers.items()}
    calls: list[tuple[str, dict[str, object]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **options: calls.append((target, options)))
    yield calls
    root.handlers[:], root.level = saved[0], saved[1]
    for name, (handlers, propagate, disabled) in states.items():
        logger = loggers[name]
        logger.handlers[:] = handlers
        logger.propagate, logger.disabled = propagate, disabled


def _factory(target: str):
    module, name = target.split(":")
    return getattr(importlib.import_module(module), name)


def test_serve_hands_a_factory_to_uvicorn(handed, tmp_path):
    """With a ledger, ``serve`` exits 0 after handing uvicorn an application factory."""
    assert 0 == main(["serve", "--db", str(tmp_path / "l.db"), "--port", "8123"])
    assert [True] == [options["factory"] for _, options in handed]


def test_serve_passes_host_port_and_workers(handed, tmp_path):
    """The address and the number of workers reach uvicorn as given."""
    main(["serve", "--db", str(tmp_path / "l.db"), "--port", "8123", "--workers", "2"])
    (_, options) = handed[0]
    assert "127.0.0.1" == options["host"]
    assert 8123 == options["port"]
    assert 2 == options["workers"]


@pytest.mark.usefixtures("handed")
def test_serve_warns_when_no_token_is_configured(tmp_path, capsys):
    """Token authentication with no tokens is allowed, with a warning on standard error."""
    main(["serve", "--db", str(tmp_path / "l.db")])
    assert "no tokens are configured" in capsys.readouterr().err


def test_the_factory_builds_the_app_from_the_environment(handed, tmp_path, monkeypatch):
    """The factory reads the ledger, configuration and profile the command left for it."""
    config = tmp_path / "serve.toml"
    config.write_text("max_batch = 7\n", encoding="utf-8")
    profile = tmp_path / "profile"
    profile.mkdir()
    db = str(tmp_path / "l.db")
    argv = ["serve", "--db", db, "--config", str(config), "--profile", str(profile),
            "--setup-builtin", "--log-level", "warning"]  # fmt: skip
    assert 0 == main(argv)
    monkeypatch.setenv(serve.ENV_PREFIX + "SETUP_BUILTIN", "1")
    app = _factory(handed[0][0])()
    assert callable(app)


def test_the_factory_logs_json_lines(handed, tmp_path):
    """After the factory has set up logging, a plain log line is written as JSON."""
    main(["serve", "--db", str(tmp_path / "l.db"), "--log-level", "info"])
    _factory(handed[0][0])()
    (handler,) = logging.getLogger().handlers
    record = logging.LogRecord("other", logging.INFO, __file__, 1, "hello %s", ("you",), None)
    assert "hello you" == json.loads(handler.format(record))["message"]


@pytest.mark.usefixtures("handed")
def test_the_service_own_json_lines_pass_unchanged(tmp_path):
    """A line the service logs as JSON already is written as it is."""
    main(["serve", "--db", str(tmp_path / "l.db")])
    (handler,) = logging.getLogger().handlers
    line = '{"route": "/v1/policies"}'
    record = logging.LogRecord("samskaping.serve", logging.INFO, __file__, 1, line, (), None)
    assert line == handler.format(record)


@pytest.mark.parametrize(
    ("option", "value"),
    [("--port", "70000"), ("--port", "http"), ("--workers", "0"), ("--workers", "65")],
)
@pytest.mark.usefixtures("handed")
def test_a_bad_port_or_worker_count_is_refused(option, value):
    """A port outside 0-65535 or a worker count outside 1-64 is a usage error: exit 2."""
    assert 2 == main(["serve", "--db", "x.db", option, value])


def test_serve_without_a_ledger_is_refused(handed):
    """``serve`` with no ``--db`` exits 2 and starts nothing."""
    assert 2 == main(["serve"])
    assert [] == handed


@pytest.mark.usefixtures("handed")
def test_several_workers_share_a_metrics_folder(tmp_path, monkeypatch):
    """With two workers, uvicorn starts them with a multiprocess metrics folder set."""
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    seen: list[str | None] = []

    def run(*_args: object, **_options: object) -> None:
        seen.append(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))

    monkeypatch.setattr(uvicorn, "run", run)
    main(["serve", "--db", str(tmp_path / "l.db"), "--workers", "2"])
    assert seen[0]


@pytest.mark.usefixtures("handed")
def test_several_workers_leave_the_environment_as_it_was(tmp_path, monkeypatch):
    """Once the service stops, the removed folder is named by no variable any more."""
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    monkeypatch.delenv(serve.ENV_PREFIX + "JOBS_DIR", raising=False)
    main(["serve", "--db", str(tmp_path / "l.db"), "--workers", "2"])
    assert "PROMETHEUS_MULTIPROC_DIR" not in os.environ
    assert serve.ENV_PREFIX + "JOBS_DIR" not in os.environ
