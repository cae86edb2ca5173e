"""Documentation that runs, and shows what it gives.

Every docstring example, every code block in docs/ and the README, and every script in
examples/ run as tests. What a page shows as output is compared with the real output: a
```pycon block through doctest, and a ```console block's ``$ command`` lines with the
lines shown under them.
"""

from __future__ import annotations

import doctest
import importlib
import os
import pkgutil
import re
import runpy
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

import samskaping

ROOT = Path(__file__).parent.parent
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)
MARKDOWN = sorted([*(ROOT / "docs").rglob("*.md"), ROOT / "README.md"])
SCRIPTS = sorted((ROOT / "examples").glob("*.py"))
FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
#: The reference pages' ```pycon blocks are the docstrings' examples, which run as doctests
#: in their own module (below); tests/test_api_reference.py keeps the pages equal to them.
REFERENCE = ROOT / "docs" / "reference"


def _modules() -> list[str]:
    names = [samskaping.__name__]
    names.extend(
        info.name
        for info in pkgutil.walk_packages(samskaping.__path__, prefix="samskaping.")
        if not info.name.endswith("__main__")
    )
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples_run(name):
    """Every example in the module's docstrings gives the output it shows."""
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=FLAGS)
    assert 0 == result.failed


def _blocks(path: Path) -> list[tuple[str, str, int]]:
    """The fenced blocks of a page: language, text and the line the text starts on."""
    text = path.read_text(encoding="utf-8")
    return [
        (match.group(1), match.group(2), text.count("\n", 0, match.start(2)) + 1)
        for match in FENCE.finditer(text)
    ]


def _shown_commands(block: str) -> list[tuple[str, str]]:
    """The ``$ command`` lines of a console block, each with the lines shown under it."""
    shown: list[tuple[str, str]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            shown.append((line[2:], ""))
        elif shown:
            command, output = shown[-1]
            shown[-1] = (command, output + line + "\n")
    return shown


def _run_command(command: str) -> str:
    """What a shown ``samskaping ...`` or ``python script`` command prints (both streams)."""
    words = shlex.split(command, comments=True)
    if words[0] == "samskaping":
        argv = [sys.executable, "-m", "samskaping", *words[1:]]
    elif words[0] == "python" and (ROOT / words[1]).is_file():
        argv = [sys.executable, str(ROOT / words[1]), *words[2:]]
    else:
        pytest.fail(f"a page shows the output of {command!r}, which the docs test cannot run")
    package_parent = str(Path(samskaping.__file__).parent.parent)
    path = os.pathsep.join(filter(None, [package_parent, os.environ.get("PYTHONPATH")]))
    done = subprocess.run(  # noqa: S603  (commands written in our own docs)
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONPATH": path, "NO_COLOR": "1", "COLUMNS": "80"},
        timeout=300,
        check=False,
    )
    return done.stdout


def _check_page(path: Path) -> None:
    """Run a page's blocks in order, in one namespace, and compare what they show."""
    namespace: dict[str, object] = {"__name__": "__docs__"}
    checker = doctest.OutputChecker()
    for language, block, line in _blocks(path):
        where = f"{path.name}:{line}"
        if language == "python":
            exec(compile(block, str(path), "exec", dont_inherit=True), namespace)  # noqa: S102  (our own docs, not user input)
        elif language == "pycon" and not path.is_relative_to(REFERENCE):
            test = doctest.DocTestParser().get_doctest(block, namespace, where, str(path), line - 1)
            runner = doctest.DocTestRunner(optionflags=FLAGS)
            report: list[str] = []
            runner.run(test, out=report.append, clear_globs=False)
            namespace.update(test.globs)  # the test ran on a copy: later blocks see its names
            assert 0 == runner.failures, "".join(report)
        elif language == "console":
            for command, shown in _shown_commands(block):
                got = _run_command(command)
                assert checker.check_output(shown, got, FLAGS), f"{where}: $ {command}\n{got}"


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_markdown_code_blocks_run(path, tmp_path, monkeypatch):
    """A page's blocks run in order, in one namespace, in a scratch folder, giving what they show.

    A ```python block runs; a ```pycon block runs through doctest and its output must match
    the one shown (``...`` stands for any text); a ```console block's ``$ command`` lines
    run and their output must match the lines shown under them.
    """
    monkeypatch.chdir(tmp_path)
    _check_page(path)


def test_shown_commands_are_split_from_their_output():
    """Each ``$`` line starts a command; the lines under it, up to the next, are its output."""
    block = "$ samskaping a\none\ntwo\n$ samskaping b\n$ samskaping c\nthree\n"
    assert [
        ("samskaping a", "one\ntwo\n"),
        ("samskaping b", ""),
        ("samskaping c", "three\n"),
    ] == _shown_commands(block)


def test_a_console_block_without_prompts_shows_no_output():
    """Commands written without ``$`` are only shown: nothing of them is compared."""
    assert [] == _shown_commands("samskaping report\nsamskaping validate --example borgen\n")


def _page(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "page.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_wrong_console_output_fails(tmp_path, monkeypatch):
    """A page showing a command's output that differs from the real one fails the test."""
    monkeypatch.chdir(tmp_path)
    page = _page(tmp_path, "```console\n$ samskaping --version\nsamskaping 0.0.0-not\n```\n")
    with pytest.raises(AssertionError, match="samskaping --version"):
        _check_page(page)


def test_a_right_console_output_passes(tmp_path, monkeypatch):
    """The same page showing the real output (with ``...`` for the version) passes."""
    monkeypatch.chdir(tmp_path)
    page = _page(tmp_path, "```console\n$ samskaping --version\nsamskaping ...\n```\n")
    _check_page(page)


def test_a_wrong_pycon_output_fails(tmp_path, monkeypatch):
    """A ```pycon block whose shown output differs fails, after the page's python blocks."""
    monkeypatch.chdir(tmp_path)
    page = _page(tmp_path, "```python\nx = 2\n```\n\n```pycon\n>>> x + 1\n4\n```\n")
    with pytest.raises(AssertionError, match="Expected"):
        _check_page(page)


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_example_scripts_run(path, tmp_path, monkeypatch, capsys):
    """Each script in examples/ runs to the end without an error."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(path)])
    runpy.run_path(str(path), run_name="__main__")
    capsys.readouterr()
