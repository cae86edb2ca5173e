"""Reading documents: each wrong number is named at its path, and long lists of problems are cut."""

from __future__ import annotations

import json

import pytest

import samskaping
from samskaping import DocumentError


def _problems(document: object) -> dict[str, str]:
    """The problems of a JSON document, by path."""
    with pytest.raises(DocumentError) as info:
        samskaping.loads(json.dumps(document))
    return {p.path: p.message for p in info.value.problems}


def _mean_visits(value: object) -> str:
    """The problem with a meeting place's ``mean_visits`` set to ``value``."""
    place = {"id": "m", "name": "Torget", "mean_visits": value}
    document = {"id": "p", "name": "x", "meeting_places": [place]}
    return _problems(document)["$.meeting_places[0].mean_visits"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([1], "expected a number, got a list"),
        (True, "expected a number, got true"),
        ("many", "expected a number, got 'many'"),
        ("NaN", "expected a finite number"),
        ("1e400", "expected a number of at most 1,000,000,000,000,000 in absolute value"),
    ],
    ids=["list", "bool", "text", "nan", "huge"],
)
def test_a_wrong_number_is_named(value, expected):
    """A decimal field given something else is one problem saying what was expected."""
    assert _mean_visits(value).startswith(expected)


def test_a_document_that_is_not_a_table():
    """A JSON array is not a document."""
    assert "expected a table" in _problems([1, 2])["$"]


def test_problems_past_the_limit_are_counted():
    """Unknown keys and other problems past the first 200 are counted on one line."""
    deliverables = [{"id": f"d{i}", "title": "t", "kind": "zzz"} for i in range(300)]
    document = {"id": "p", "name": "x", "typo": 1, "deliverables": deliverables}
    with pytest.raises(DocumentError) as info:
        samskaping.loads(json.dumps(document))
    assert info.value.problems[-1].message.endswith("more problems")
