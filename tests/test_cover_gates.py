"""Gate decisions against their phase model: documents, deciders and checklists."""

from __future__ import annotations

import attrs

import samskaping
from samskaping import phases
from samskaping.model import ChecklistAnswer, ChecklistItemAnswer, GateOutcome

STOVNER = samskaping.load_example("innbyggerbasen")
TRONDHEIM = samskaping.load_example("innbyggernes_modell")


def _new_codes(document, index, **changes):
    """The finding codes a change to the gate decision of phase ``index`` adds."""
    gates = list(document.phases)
    decision = attrs.evolve(gates[index].gate_decision, **changes)
    gates[index] = attrs.evolve(gates[index], gate_decision=decision)
    changed = attrs.evolve(document, phases=tuple(gates))
    before = {f.code for f in samskaping.validate(document)}
    return sorted({f.code for f in samskaping.validate(changed)} - before)


def test_a_document_the_gate_does_not_know():
    """A gate decision naming a document the model's gate does not list is a finding."""
    assert "gate.document_unknown" in _new_codes(TRONDHEIM, 2, documents=("nowhere",))


def test_a_gate_decided_by_no_one():
    """A decision that is not assumed and names no decider is a finding."""
    assert ["gate.decider_missing"] == _new_codes(TRONDHEIM, 2, decided_by=None)


def test_a_checklist_item_the_gate_does_not_have():
    """An answer to a checklist item the gate does not have is a finding."""
    answer = ChecklistItemAnswer(item="zz", answer=ChecklistAnswer.DONE)
    assert ["gate.checklist_unknown"] == _new_codes(STOVNER, 0, checklist=(answer,))


def test_a_gate_passed_with_open_items():
    """A gate passed while a checklist item is still open is a finding."""
    gate = next(g for g in phases.builtin("prosjektveiviseren").gates if g.key == "BP2")
    answer = ChecklistItemAnswer(item=gate.checklist[0].key, answer=ChecklistAnswer.OPEN)
    assert ["gate.checklist_open"] == _new_codes(
        STOVNER, 0, outcome=GateOutcome.GO, checklist=(answer,)
    )
