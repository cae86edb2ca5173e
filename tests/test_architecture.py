"""The house rules of ARCHITECTURE.md that the import contracts cannot see."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import samskaping

#: The package under test: the checkout's source, or the installed wheel in CI.
SRC = Path(samskaping.__file__).parent
#: A reason in parentheses after the lint waiver for PLC0415, e.g. "(numpy is optional)".
REASON = re.compile(r"#.*PLC0415.*\(.+\)")


def _imports_inside_functions() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        lines = path.read_text("utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    text = lines[inner.lineno - 1]
                    above = lines[inner.lineno - 2].strip()
                    found.append((str(path.relative_to(SRC)), inner.lineno, f"{above}\n{text}"))
    return found


IMPORTS = _imports_inside_functions()


def test_some_imports_are_found() -> None:
    """The walk finds the imports inside functions there are (the optional extras at least)."""
    assert any("numpy" in text for _, _, text in IMPORTS)


@pytest.mark.parametrize(("path", "line", "text"), IMPORTS, ids=lambda v: str(v)[:40])
def test_import_inside_a_function_says_why(path: str, line: int, text: str) -> None:
    """Each import left inside a function says why: an optional extra, or deliberate laziness."""
    assert REASON.search(text) or text.splitlines()[0].startswith("#"), f"{path}:{line}"


TESTS = Path(__file__).parent


def _packed_asserts() -> list[str]:
    """``assert (a, b) == (x, y)``: several facts in one assert, in the test files."""
    found = []
    for path in sorted(TESTS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Assert) or not isinstance(node.test, ast.Compare):
                continue
            sides = [node.test.left, *node.test.comparators]
            if all(isinstance(side, ast.Tuple) and len(side.elts) > 1 for side in sides):
                found.append(f"{path.name}:{node.lineno}")
    return found


def test_one_fact_per_assert() -> None:
    """No test packs several facts into one tuple comparison (house style: one per assert)."""
    assert [] == _packed_asserts()
