"""The Python examples of docs/payouts.md run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).parent.parent / "docs" / "payouts.md"


def blocks() -> list[str]:
    """The ```python blocks of the payouts guide, in order."""
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)


def test_guide_has_examples() -> None:
    """The guide has runnable examples."""
    assert len(blocks()) >= 10


def test_examples_run_in_order() -> None:
    """Every example runs, in order, in one namespace, and its asserts hold."""
    namespace: dict[str, object] = {}
    for number, code in enumerate(blocks(), 1):
        try:
            exec(compile(code, f"docs/payouts.md block {number}", "exec"), namespace)  # noqa: S102
        except Exception as exc:  # noqa: BLE001  (report which block failed)
            pytest.fail(f"block {number} failed: {type(exc).__name__}: {exc}")
