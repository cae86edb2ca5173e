"""The examples in the scoring docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import samskaping.scoring

MODULES = sorted(
    [
        f"samskaping.scoring.{info.name}"
        for info in pkgutil.iter_modules(samskaping.scoring.__path__)
    ]
    + ["samskaping.model._assessments", "samskaping._cli._score"]
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    """Every docstring example of the module passes."""
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    for test in finder.find(module, name, globs=vars(module).copy()):
        runner.run(test)
    assert 0 == runner.summarize(verbose=False).failed


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
