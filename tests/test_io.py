"""Reading and writing documents: round-trips and error reports."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import samskaping
from samskaping import DocumentError
from samskaping.io import structure, unstructure

from strategies import MODEL_TYPES, documents, strategy_for


class TestRoundTrip:
    """Every value survives dump and load unchanged, in both formats."""

    @given(documents, st.sampled_from(["json", "toml"]))
    @settings(max_examples=60)
    def test_document_round_trip(self, document, fmt):
        """A document written as JSON or TOML reads back equal."""
        assert document == samskaping.loads(samskaping.dumps(document, fmt), fmt)

    @pytest.mark.parametrize("cls", MODEL_TYPES, ids=lambda c: c.__name__)
    @given(data=st.data())
    @settings(max_examples=15)
    def test_every_type_round_trips(self, cls, data):
        """Each entity type unstructures and structures back to an equal value."""
        value = data.draw(strategy_for(cls))
        assert value == structure(unstructure(value), cls)

    @given(documents)
    @settings(max_examples=30)
    def test_dumps_is_deterministic(self, document):
        """Dumping the same document twice gives the same text."""
        assert samskaping.dumps(document) == samskaping.dumps(attrs.evolve(document))


class TestErrors:
    """Malformed documents raise one DocumentError that lists every problem."""

    def test_every_problem_is_listed_with_its_path(self):
        """Three independent problems give three entries, each with its JSON path."""
        text = '{"id": "p", "name": "n", "budget": {"frame": "abc"}, "phases": [{"key": "k", "start": "2021-13-01"}], "nmae": 1}'
        with pytest.raises(DocumentError) as info:
            samskaping.loads(text)
        assert [
            "$.phases[0].start: expected a date (YYYY-MM-DD), got '2021-13-01'",
            "$.budget.frame: expected an amount in NOK, got 'abc'",
            "$.nmae: unknown key; did you mean 'name'?",
        ] == [str(p) for p in info.value.problems]
