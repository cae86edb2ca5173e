"""Phase models as data: the built-in ones, and a municipality's own."""

from __future__ import annotations

import datetime

import pytest

from samskaping import DocumentError, UnknownNameError
from samskaping.model import Actor, GateDecision, GateOutcome, Phase, Project, Role, Sector
from samskaping.phases import builtin, builtin_names, loads_phase_model
from samskaping.validation import validate

VARIANT = """
key = "oslo_variant"
name = { nb = "Oslos variant", nn = "Oslo sin variant", en = "Oslo's variant" }

[[phases]]
key = "forstudie"
name = { nb = "Forstudie", nn = "Forstudie", en = "Pre-study" }

[[phases]]
key = "utprove"
name = { nb = "Utprøve", nn = "Utprøve", en = "Trial" }

[[phases]]
key = "drift"
name = { nb = "Drift", nn = "Drift", en = "Operations" }

[[documents]]
key = "innsiktsrapport"
name = { nb = "Innsiktsrapport", nn = "Innsiktsrapport", en = "Insight report" }

[[gates]]
key = "G1"
closes = "forstudie"
decided_by = "steering_group"
documents = ["innsiktsrapport"]
name = { nb = "Ekstra port", nn = "Ekstra port", en = "Extra gate" }
"""


class TestBuiltin:
    """The three built-in models."""

    def test_names(self):
        """prosjektveiviseren, omradesatsing and innbyggernes_modell ship with the package."""
        assert ("innbyggernes_modell", "omradesatsing", "prosjektveiviseren") == builtin_names()

    def test_prosjektveiviseren_gates(self):
        """BP1-BP5 close idé, konsept, planlegge, gjennomføre and avslutte (DOMAIN §3)."""
        model = builtin("prosjektveiviseren")
        assert [
            ("BP1", "ide", Role.TOP_MANAGEMENT),
            ("BP2", "konsept", Role.TOP_MANAGEMENT),
            ("BP3", "planlegge", Role.PROJECT_OWNER),
            ("BP4", "gjennomfore", Role.PROJECT_OWNER),
            ("BP5", "avslutte", Role.PROJECT_OWNER),
        ] == [(g.key, g.closes, g.decided_by) for g in model.gates]

    def test_bp3_documents(self):
        """BP3 needs styringsdokument, gevinstrealiseringsplan and usikkerhetsanalyse."""
        gate = builtin("prosjektveiviseren").gate_closing("planlegge")
        assert gate is not None
        assert (
            "styringsdokument",
            "gevinstrealiseringsplan",
            "usikkerhetsanalyse",
        ) == gate.documents

    def test_checklists_have_seven_to_thirteen_questions(self):
        """Each prosjektveiviseren gate carries 7-13 checklist questions (DOMAIN §3)."""
        sizes = [len(g.checklist) for g in builtin("prosjektveiviseren").gates]
        assert all(7 <= size <= 13 for size in sizes), sizes

    def test_omradesatsing_has_five_phases(self):
        """Områdesatsing runs five phases, with the ten expectations of phase 4 (001:31, 35-44)."""
        model = builtin("omradesatsing")
        assert 5 == len(model.phases)
        assert 10 == len(model.phases[3].expectations)

    def test_unknown_name(self):
        """An unknown built-in name lists the known ones."""
        with pytest.raises(UnknownNameError, match="prosjektveiviseren"):
            builtin("prince2")


class TestCustom:
    """A municipality's variant loads from TOML and drives validation."""

    def test_variant_loads(self):
        """Renamed phases and an extra gate load as a PhaseModel."""
        model = loads_phase_model(VARIANT)
        assert ["forstudie", "utprove", "drift"] == [p.key for p in model.phases]
        assert ["G1"] == [g.key for g in model.gates]

    def test_validation_uses_the_variant(self):
        """validate() finds the variant's gate rules when the model is passed by name."""
        model = loads_phase_model(VARIANT)
        actors = (
            Actor(id="eier", name="Eier", sector=Sector.MUNICIPAL, roles=(Role.PROJECT_OWNER,)),
            Actor(id="leder", name="Leder", sector=Sector.MUNICIPAL, roles=(Role.PROJECT_MANAGER,)),
        )
        decision = GateDecision(
            gate="G1", outcome=GateOutcome.GO, decided_by="eier", date=datetime.date(2022, 1, 1)
        )
        project = Project(
            id="p",
            name="P",
            phase_model="oslo_variant",
            actors=actors,
            phases=(Phase(key="forstudie", gate_decision=decision), Phase(key="utprove")),
        )
        found = [(f.code, f.path) for f in validate(project, phase_models={"oslo_variant": model})]
        assert [
            ("gate.wrong_decider", "$.phases[0].gate_decision.decided_by"),
            ("gate.document_missing", "$.phases[0].gate_decision.documents"),
        ] == found

    def test_gate_on_unknown_phase_is_an_error(self):
        """A gate that closes a phase the model lacks is a load error with its path."""
        broken = VARIANT.replace('closes = "forstudie"', 'closes = "pilot"')
        with pytest.raises(DocumentError) as info:
            loads_phase_model(broken)
        assert ["$.gates[0].closes"] == [p.path for p in info.value.problems]

    def test_gate_with_unknown_document_is_an_error(self):
        """A gate document must be one of the model's document kinds."""
        broken = VARIANT.replace('documents = ["innsiktsrapport"]', 'documents = ["rapport"]')
        with pytest.raises(DocumentError) as info:
            loads_phase_model(broken)
        assert ["$.gates[0].documents[0]"] == [p.path for p in info.value.problems]

    def test_missing_language_is_an_error(self):
        """Every name needs nb, nn and en."""
        broken = VARIANT.replace(', en = "Pre-study"', "")
        with pytest.raises(DocumentError) as info:
            loads_phase_model(broken)
        assert ["$.phases[0].name.en"] == [p.path for p in info.value.problems]
