"""The foundation's acceptance checks, on the embedded examples."""

from __future__ import annotations

import attrs
import pytest

import samskaping
from samskaping._cli import main
from samskaping.model import Programme
from samskaping.validation import validate

RULES = ("core", "innbyggernes_modell")


class TestEmbeddedExamplesValidate:
    """`samskaping validate --example NAME` passes for all three examples."""

    @pytest.mark.parametrize("name", ["innbyggerbasen", "innbyggernes_modell", "borgen"])
    def test_example_has_no_errors(self, name, capsys):
        """The command exits 0: the example has no validation errors."""
        assert 0 == main(["validate", "--example", name])
        capsys.readouterr()


class TestBrokenCopy:
    """A copy with three deliberate mistakes gives exactly those three findings, with paths."""

    def test_exactly_the_three_mistakes(self):
        """Broken phase order, a missing gate document and a dangling reference."""
        original = samskaping.load_example("innbyggernes_modell")
        assert isinstance(original, Programme)
        phases = list(original.phases)
        j1 = next(
            i for i, p in enumerate(phases) if p.gate_decision and p.gate_decision.gate == "J1"
        )
        decision = phases[j1].gate_decision
        assert decision is not None
        phases[j1] = attrs.evolve(phases[j1], gate_decision=attrs.evolve(decision, documents=()))
        phases[0], phases[1] = phases[1], phases[0]
        sub = original.projects[0]
        broken_sub = attrs.evolve(sub, ended_by="nobody")
        broken = attrs.evolve(
            original, phases=tuple(phases), projects=(broken_sub, *original.projects[1:])
        )
        before = {(f.code, f.path) for f in validate(original, rules=RULES)}
        after = {(f.code, f.path) for f in validate(broken, rules=RULES)}
        assert {
            ("phase.order", "$.phases[1].key"),
            ("gate.document_missing", f"$.phases[{j1}].gate_decision.documents"),
            ("ref.unresolved", "$.projects[0].ended_by"),
        } == after - before
        assert set() == before - after
