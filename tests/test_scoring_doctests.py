"""Every public scoring function shows an example (tests/test_docs.py runs them all)."""

from __future__ import annotations

import samskaping.scoring


def test_every_public_function_has_an_example() -> None:
    """Each public function of samskaping.scoring shows an example in its docstring."""
    missing = [
        name
        for name in samskaping.scoring.__all__
        if callable(obj := getattr(samskaping.scoring, name))
        and not isinstance(obj, type)
        and ">>>" not in (obj.__doc__ or "")
    ]
    assert [] == missing
