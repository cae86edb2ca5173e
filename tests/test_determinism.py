"""Determinism across processes: the same command gives the same output in a fresh interpreter.

Each command runs in two separate Python processes with different hash seeds, so nothing a
process keeps (caches, interned values, the order of sets of strings) can make two runs
agree by accident. The outputs are compared by digest, command by command.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import samskaping

CORPUS = Path(__file__).parent / "corpus"
EXAMPLES = ("borgen", "innbyggerbasen", "innbyggernes_modell")


def _argv(line: str, *more: str) -> list[str]:
    """The words of a command line, then ``more`` (paths, which may hold spaces)."""
    return [*line.split(), *more]


#: Each command of the command line whose output is compared, by a name of its own.
COMMANDS: dict[str, list[str]] = {
    **{
        f"report {name} {fmt}": _argv(f"report --example {name} --format {fmt} --plain")
        for name in EXAMPLES
        for fmt in ("text", "markdown", "json", "html")
    },
    "report innbyggernes_modell html en": _argv(
        "report --example innbyggernes_modell --format html --lang en"
    ),
    **{f"validate {name}": _argv(f"validate --example {name} --format json") for name in EXAMPLES},
    **{f"examples show {name}": _argv(f"examples show {name} --format json") for name in EXAMPLES},
    **{
        f"score {area}": _argv(f"score {area} --example innbyggernes_modell --format json")
        for area in ("risk", "goals", "utenfor", "assessment")
    },
    "payout evaluate with trace": _argv(
        "payout evaluate --policy fritid_for_alle --as-of 2022-08-01 --trace --format json",
        "--request",
        str(CORPUS / "requests" / "valid.json"),
    ),
    "payout simulate": _argv(
        "payout simulate --policy flyktningfamilien --as-of 2022-03-01 --format json",
        "--population",
        str(CORPUS / "populations" / "fly_valid.csv"),
    ),
    "payout policies": _argv("payout policies --format json"),
    "schema": _argv("schema"),
}

#: Runs every command in one process and prints a digest of each output, as JSON.
_RUNNER = """
import contextlib, hashlib, io, json, sys
from samskaping._cli import main

digests = {}
for key, argv in json.loads(sys.stdin.read()).items():
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    text = out.getvalue()
    digests[key] = [code, len(text), hashlib.sha256(text.encode()).hexdigest()]
print(json.dumps(digests))
"""


def _start(seed: str) -> subprocess.Popen[str]:
    """Start a fresh interpreter with ``PYTHONHASHSEED=seed`` that runs every command."""
    package_parent = str(Path(samskaping.__file__).parent.parent)
    path = os.pathsep.join(filter(None, [package_parent, os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": path, "NO_COLOR": "1"}
    return subprocess.Popen(  # noqa: S603  (our own interpreter, our own script)
        [sys.executable, "-c", _RUNNER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _digests(process: subprocess.Popen[str]) -> dict[str, list[object]]:
    """The digests a started interpreter prints, once it has finished."""
    out, err = process.communicate(json.dumps(COMMANDS), timeout=600)
    assert 0 == process.returncode, err
    return json.loads(out)


@pytest.fixture(scope="module")
def runs() -> tuple[dict[str, list[object]], dict[str, list[object]]]:
    """The same commands run in two processes at once, with hash seeds 1 and 2."""
    first, second = _start("1"), _start("2")
    return _digests(first), _digests(second)


def test_the_runner_sees_the_package_under_test() -> None:
    """The child processes import the same samskaping as this test does."""
    package_parent = str(Path(samskaping.__file__).parent.parent)
    env = {**os.environ, "PYTHONPATH": package_parent}
    done = subprocess.run(
        [sys.executable, "-c", "import samskaping; print(samskaping.__file__)"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert samskaping.__file__ == done.stdout.strip()


@pytest.mark.parametrize("key", sorted(COMMANDS))
def test_same_output_in_another_process(key, runs):
    """The command's output is the same, byte for byte, in two processes."""
    first, second = runs
    assert first[key] == second[key]


@pytest.mark.parametrize("key", sorted(COMMANDS))
def test_command_gives_output(key, runs):
    """The compared output is not empty (a command that printed nothing would compare equal)."""
    first, _ = runs
    assert 0 < first[key][1]
