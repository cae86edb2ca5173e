"""Run ``samskaping serve`` on loopback and test it with Schemathesis, bounded in time.

Starts the service on a free port of 127.0.0.1 over a new SQLite ledger with the
built-in pots open, runs Schemathesis against its live ``/openapi.json`` once with a
worker's token, an auditor's, and a group member's (on the collective decisions), then
stops it. Fails if Schemathesis finds a 5xx, a response that breaks the schema or a
wrong content type, or if the service's log shows an unhandled error.

    python scripts/serve_schemathesis.py --max-examples 20 --timeout 300
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from http import HTTPStatus
from pathlib import Path

ROLES = {"worker": "worker", "auditor": "auditor", "member": "group_member"}
#: Operations each token tests, if not all: the group member's own, so three runs at
#: once stay within the time bound.
ONLY = {"member": ("--include-path-regex", "collective")}
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance,response_headers_conformance"
)


def free_port() -> int:
    """A port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def token_of(actor: str) -> str:
    """The token this script gives ``actor`` (test use only)."""
    return f"tok-{actor}-live-0123456789abcdef"


def write_config(folder: Path, actors: dict[str, str]) -> Path:
    """A configuration with one token per actor."""
    import hashlib

    lines = []
    for actor, role in actors.items():
        digest = hashlib.sha256(token_of(actor).encode()).hexdigest()
        lines += ["[[tokens]]", f'actor = "{actor}"', f'sha256 = "{digest}"', f'roles = ["{role}"]']
    path = folder / "serve.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@contextlib.contextmanager
def running_service(
    folder: Path, actors: dict[str, str], *, workers: int = 1, db: str | None = None
) -> Iterator[tuple[str, Path]]:
    """``samskaping serve`` on a free loopback port; yields its base URL and log file."""
    config = write_config(folder, actors)
    port = free_port()
    log = folder / "server.log"
    command = [
        sys.executable, "-m", "samskaping", "serve",
        "--db", db or str(folder / "ledger.db"),
        "--config", str(config),
        "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), "--setup-builtin",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(base + "/health", timeout=2) as answer:  # noqa: S310
                        if answer.status == HTTPStatus.OK:
                            break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(log.read_text("utf-8")) from None
                    time.sleep(0.1)
            yield base, log
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def crashes(log: Path) -> list[str]:
    """Log lines that record an unhandled error."""
    bad = []
    for line in log.read_text("utf-8").splitlines():
        if "Traceback" in line:
            bad.append(line)
            continue
        with contextlib.suppress(ValueError):
            record = json.loads(line)
            if record.get("level") == "error" or str(record.get("status", "")).startswith("5"):
                bad.append(line)
    return bad


def check(base: str, log: Path, max_examples: int, timeout: float) -> int:
    """Run Schemathesis with each token at once against ``base``; 0 if nothing was found."""
    executable = shutil.which("schemathesis") or str(Path(sys.executable).parent / "schemathesis")
    env = {**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"}
    runs = {}
    for actor in ROLES:
        command = [
            executable, "run", f"{base}/openapi.json",
            "-H", f"Authorization: Bearer {token_of(actor)}",
            "--checks", CHECKS,
            "--max-examples", str(max_examples),
            "--phases", "examples,fuzzing",
            "--request-timeout", "10",
            "--generation-deterministic",
            *ONLY.get(actor, ()),
        ]  # fmt: skip
        runs[actor] = subprocess.Popen(  # noqa: S603
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            cwd=log.parent,  # anything Schemathesis writes stays out of the checkout
        )
    status = 0
    for actor, process in runs.items():
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
            print(f"{actor}: stopped after {timeout} s")
        summary = [ln.strip() for ln in output.splitlines() if " generated, " in ln]
        print(f"{actor}: exit {process.returncode}; {' '.join(summary)}")
        if process.returncode != 0:
            print(output[-4000:])
            status = 1
    found = crashes(log)
    if found:
        print("the service logged unhandled errors:", *found[:10], sep="\n")
        status = 1
    return status


def run(max_examples: int, timeout: float) -> int:
    """Start the service, test it with each token, stop it; 0 if nothing was found."""
    folder = Path(tempfile.mkdtemp(prefix="samskaping-st-"))
    try:
        with running_service(folder, ROLES) as (base, log):
            return check(base, log, max_examples, timeout)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=300, help="seconds per token")
    args = parser.parse_args()
    return run(args.max_examples, args.timeout)


if __name__ == "__main__":
    sys.exit(main())
