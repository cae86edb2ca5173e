"""Documentation that runs.

Every docstring example, every code block in docs/ and the README, and every script in
examples/ run as tests.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
import runpy
import sys
from pathlib import Path

import pytest

import samskaping

ROOT = Path(__file__).parent.parent
FENCE = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
MARKDOWN = sorted([*(ROOT / "docs").rglob("*.md"), ROOT / "README.md"])
SCRIPTS = sorted((ROOT / "examples").glob("*.py"))


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
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert 0 == result.failed


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_markdown_code_blocks_run(path, tmp_path, monkeypatch):
    """Each ```python block of a page runs, in order, in one namespace, in a scratch folder."""
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for block in FENCE.findall(path.read_text(encoding="utf-8")):
        exec(compile(block, str(path), "exec", dont_inherit=True), namespace)  # noqa: S102  (our own docs, not user input)


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_example_scripts_run(path, tmp_path, monkeypatch, capsys):
    """Each script in examples/ runs to the end without an error."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(path)])
    runpy.run_path(str(path), run_name="__main__")
    capsys.readouterr()
