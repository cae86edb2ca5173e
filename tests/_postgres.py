"""A PostgreSQL server for the tests, so that one suite runs on SQLite and PostgreSQL.

If ``SAMSKAPING_TEST_POSTGRES_URL`` names a server, the tests use it. Otherwise this
plugin starts a throwaway cluster for the session (``initdb`` and ``pg_ctl``, as the
``postgres`` user when run as root, since PostgreSQL refuses to run as root), listening
only on a Unix socket in its own temporary directory, and stops and removes it at the
end. Each test gets a schema of its own. Only where no server can be started are the
tests marked ``postgres`` skipped, with the reason; with
``SAMSKAPING_TEST_REQUIRE_POSTGRES=1`` (as in CI) they fail instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

URL_VARIABLE = "SAMSKAPING_TEST_POSTGRES_URL"
REQUIRE_VARIABLE = "SAMSKAPING_TEST_REQUIRE_POSTGRES"


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``postgres`` marker."""
    config.addinivalue_line(
        "markers", "postgres: needs a PostgreSQL server (the suite starts one if it can)"
    )


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            raise RuntimeError("running as root, and runuser is not there to drop to postgres")
        return [runuser, "-u", "postgres", "--", *command]
    return command


def _start() -> tuple[str, Path, list[str]]:
    """Start a cluster: its URL, its directory and the command that stops it."""
    initdb = shutil.which("initdb")
    pg_ctl = shutil.which("pg_ctl")
    if initdb is None or pg_ctl is None:
        raise RuntimeError("initdb and pg_ctl are not on PATH")
    # Not under the (possibly private, mode 700) checkout: a directory of its own.
    base = Path(tempfile.mkdtemp(prefix="samskaping-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    base.chmod(0o700)
    data = base / "data"
    subprocess.run(  # noqa: S603  (fixed arguments)
        _as_postgres([initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                      "--no-sync", "--no-instructions"]),
        check=True, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    options = f"-k {base} -c listen_addresses='' -c fsync=off -c max_connections=60"
    subprocess.run(  # noqa: S603  (fixed arguments)
        _as_postgres([pg_ctl, "-D", str(data), "-l", str(base / "log"), "-o", options, "-w",
                      "start"]),
        check=True, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    url = f"postgresql:///postgres?host={urllib.parse.quote(str(base))}&user=postgres"
    stop = _as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"])
    return url, base, stop


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a PostgreSQL server for this session (started here if none is named)."""
    given = os.environ.get(URL_VARIABLE)
    if given:
        yield given
        return
    try:
        url, base, stop = _start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", None) or str(exc)
        reason = f"no PostgreSQL server could be started: {detail.strip()[:300]}"
        if os.environ.get(REQUIRE_VARIABLE):
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield url
    finally:
        subprocess.run(stop, check=False, capture_output=True, timeout=60)  # noqa: S603
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A URL whose ``search_path`` is a fresh schema of this test's own."""
    psycopg = pytest.importorskip("psycopg", reason="the postgres extra is not installed")
    schema = "t_" + uuid.uuid4().hex[:16]
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in postgres_server else "?"
    options = urllib.parse.quote(f"-c search_path={schema}")
    yield f"{postgres_server}{separator}options={options}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")
