"""Reading and writing documents: round-trips and error reports."""

from __future__ import annotations

import tomllib
from pathlib import Path

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
        text = (
            '{"id": "p", "name": "n", "budget": {"frame": "abc"}, '
            '"phases": [{"key": "k", "start": "2021-13-01"}], "nmae": 1}'
        )
        with pytest.raises(DocumentError) as info:
            samskaping.loads(text)
        assert [
            "$.phases[0].start: expected a date (YYYY-MM-DD), got '2021-13-01'",
            "$.budget.frame: expected an amount in NOK, got 'abc'",
            "$.nmae: unknown key; did you mean 'name'?",
        ] == [str(p) for p in info.value.problems]


CORPUS = Path(__file__).parent / "corpus" / "documents"
EXPECTED = {
    name: case
    for table in sorted(CORPUS.glob("expected*.toml"))
    for name, case in tomllib.loads(table.read_text(encoding="utf-8")).items()
}


class TestEveryProblem:
    """Problems found by field validators are listed with type problems, not instead of them."""

    def test_validators_of_other_fields_still_run(self):
        """A wrong type in one field does not hide a bad id or a negative level in others."""
        text = '{"id": "p1", "name": "x", "risks": [{"id": "r 1", "title": 3, "probability": 0}]}'
        with pytest.raises(DocumentError) as info:
            samskaping.loads(text)
        assert ["$.risks[0].id", "$.risks[0].probability", "$.risks[0].title"] == sorted(
            p.path for p in info.value.problems
        )

    def test_every_failing_validator_is_listed(self):
        """Two failing validators in one class give two problems."""
        text = (
            '{"id": "p1", "name": "x", '
            '"budget": {"frame": -5, "allocations": [{"phase": "a b", "amount": -1}]}}'
        )
        with pytest.raises(DocumentError) as info:
            samskaping.loads(text)
        assert [
            "$.budget.allocations[0].amount",
            "$.budget.allocations[0].phase",
            "$.budget.frame",
        ] == sorted(p.path for p in info.value.problems)


class TestMalformedCorpus:
    """Each malformed document in tests/corpus/documents gives one clear DocumentError."""

    def test_corpus_is_large_enough(self):
        """The corpus holds at least 50 malformed documents, each with an expectation."""
        files = sorted(p.name for p in CORPUS.iterdir() if not p.name.startswith("expected"))
        assert len(files) >= 50
        assert files == sorted(EXPECTED)

    @pytest.mark.parametrize("name", sorted(EXPECTED))
    def test_document_gives_clear_error(self, name):
        """Loading the file raises DocumentError naming the expected path and expectation."""
        with pytest.raises(DocumentError) as info:
            samskaping.load(CORPUS / name)
        expected = EXPECTED[name]
        matching = [p for p in info.value.problems if p.path == expected["path"]]
        assert matching, f"no problem at {expected['path']}: {info.value}"
        assert any(expected["message"] in p.message for p in matching), str(info.value)

    def test_many_problems_are_all_listed(self):
        """A document with four bad fields lists all four."""
        with pytest.raises(DocumentError) as info:
            samskaping.load(CORPUS / "many_problems.json")
        assert ["$.budget.frame", "$.citizens_reached", "$.name", "$.status"] == sorted(
            p.path for p in info.value.problems
        )

    def test_fifty_megabyte_file_is_refused(self, tmp_path):
        """A 50 MB file is refused before it is read, with its size in the message."""
        big = tmp_path / "big.json"
        with big.open("wb") as handle:
            handle.write(b'{"id": "p", "name": "')
            handle.write(b"x" * (50 * 1024 * 1024))
            handle.write(b'"}')
        with pytest.raises(DocumentError, match="the limit is 10,485,760"):
            samskaping.load(big)

    def test_limit_can_be_raised(self, tmp_path):
        """A caller can raise the size limit for a large, valid document."""
        big = tmp_path / "big.json"
        big.write_text('{"id": "p", "name": "' + "x" * 2_000_000 + '"}', encoding="utf-8")
        assert 2_000_000 == len(samskaping.load(big, max_bytes=3_000_000).name)

    def test_errors_never_leak_builtin_exceptions(self):
        """No file in the corpus raises anything but DocumentError."""
        for name in EXPECTED:
            try:
                samskaping.load(CORPUS / name)
            except DocumentError:
                continue
            pytest.fail(f"{name} loaded without an error")
