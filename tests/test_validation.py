"""Validation: each rule of DOMAIN §3 finds what it should, with paths, and nothing else."""

from __future__ import annotations

import datetime
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import samskaping
from samskaping.l10n import LANGS
from samskaping.model import (
    Actor,
    ActualCost,
    GateOutcome,
    Programme,
    Project,
    ProjectStatus,
    Role,
    Sector,
)
from samskaping.validation import RULE_SETS, has_errors, rule_catalogue, validate
from strategies import documents

VALID = Path(__file__).parent / "data" / "valid_project.toml"


@pytest.fixture(name="project")
def _project() -> Project:
    document = samskaping.load(VALID)
    assert isinstance(document, Project)
    return document


def codes(document: samskaping.Document, **kwargs: object) -> list[tuple[str, str]]:
    """The (code, path) of every finding."""
    return [(f.code, f.path) for f in validate(document, **kwargs)]  # type: ignore[arg-type]


def with_phase(project: Project, index: int, **changes: object) -> Project:
    """The project with one phase changed."""
    phases = list(project.phases)
    phases[index] = attrs.evolve(phases[index], **changes)
    return attrs.evolve(project, phases=tuple(phases))


def with_decision(project: Project, index: int, **changes: object) -> Project:
    """The project with one phase's gate decision changed."""
    decision = project.phases[index].gate_decision
    assert decision is not None
    return with_phase(project, index, gate_decision=attrs.evolve(decision, **changes))


class TestValidProject:
    """The reference project is clean."""

    def test_reference_project_has_no_findings(self, project):
        """A complete project with every gate decided gives no findings at all."""
        assert [] == codes(project)


class TestPhases:
    """Phase order, dates and overlap."""

    def test_broken_order_is_one_finding(self, project):
        """Swapping two phases gives exactly one phase.order finding at the moved phase."""
        phases = list(project.phases)
        phases[1], phases[2] = phases[2], phases[1]
        broken = attrs.evolve(project, phases=tuple(phases))
        assert [("phase.order", "$.phases[2].key")] == codes(broken)

    def test_unknown_phase(self, project):
        """A phase the model does not know is named with its path."""
        assert ("phase.unknown", "$.phases[0].key") in codes(with_phase(project, 0, key="pilot"))

    def test_non_repeatable_phase_repeated(self, project):
        """Planlegge twice in a row is an error; Gjennomføre may repeat."""
        phases = list(project.phases)
        twice = attrs.evolve(project, phases=(phases[0], phases[1], phases[1], *phases[2:]))
        assert ("phase.repeated", "$.phases[2].key") in codes(twice)

    def test_repeatable_phase_may_repeat(self, project):
        """A second Gjennomføre right after the first is allowed."""
        phases = list(project.phases)
        second = attrs.evolve(
            phases[2],
            subphases=(),
            start=datetime.date(2024, 3, 31),
            gate_decision=phases[2].gate_decision,
        )
        first = attrs.evolve(
            phases[2], gate_decision=None, end=datetime.date(2023, 12, 31), subphases=()
        )
        twice = attrs.evolve(project, phases=(*phases[:2], first, second, *phases[3:]))
        assert [c for c, _ in codes(twice) if c.startswith("phase.")] == []

    def test_overlap(self, project):
        """A phase that starts before the previous one ends overlaps it."""
        assert [("phase.overlap", "$.phases[1].start")] == codes(
            with_phase(project, 1, start=datetime.date(2021, 8, 25))
        )

    def test_outside_period(self, project):
        """A phase ending after the project period is flagged at its end date."""
        late = with_phase(project, 3, end=datetime.date(2024, 12, 31))
        assert [("phase.outside_period", "$.phases[3].end")] == codes(late)

    def test_subphase_outside_phase(self, project):
        """A sub-phase must lie inside its phase (Stovner's fase 1 and fase 2, 000:113)."""
        sub = attrs.evolve(project.phases[2].subphases[1], end=datetime.date(2024, 5, 1))
        changed = with_phase(project, 2, subphases=(project.phases[2].subphases[0], sub))
        assert [("subphase.outside_phase", "$.phases[2].subphases[1].end")] == codes(changed)

    def test_reversed_dates(self, project):
        """A phase that ends before it starts is an error."""
        assert ("phase.dates_reversed", "$.phases[0].end") in codes(
            with_phase(project, 0, end=datetime.date(2021, 1, 1))
        )


class TestGates:
    """Gate decisions: recorded, passed, documented, by the right role."""

    def test_missing_decision(self, project):
        """A phase that moves on without a decision at its gate is an error."""
        assert [("gate.decision_missing", "$.phases[1].gate_decision")] == codes(
            with_phase(project, 1, gate_decision=None)
        )

    def test_hold_blocks_next_phase(self, project):
        """A hold at BP3 while gjennomføring has started is an error at the outcome."""
        assert [("gate.not_passed", "$.phases[1].gate_decision.outcome")] == codes(
            with_decision(project, 1, outcome=GateOutcome.HOLD)
        )

    def test_missing_document(self, project):
        """BP3 without the styringsdokument names the missing document."""
        findings = validate(
            with_decision(project, 1, documents=("gevinstrealiseringsplan", "usikkerhetsanalyse"))
        )
        assert [("gate.document_missing", "$.phases[1].gate_decision.documents")] == [
            (f.code, f.path) for f in findings
        ]
        assert "Styringsdokument" in findings[0].message

    def test_wrong_decider(self, project):
        """BP3 decided by someone who is not the project owner is an error."""
        assert [("gate.wrong_decider", "$.phases[1].gate_decision.decided_by")] == codes(
            with_decision(project, 1, decided_by="leder")
        )

    def test_decided_after_next_phase_started(self, project):
        """A decision dated after the next phase began is an error."""
        assert [("gate.decided_after_start", "$.phases[1].gate_decision.date")] == codes(
            with_decision(project, 1, date=datetime.date(2022, 2, 1))
        )

    def test_wrong_gate_key(self, project):
        """The decision closing Planlegge must be BP3."""
        assert [("gate.wrong_gate", "$.phases[1].gate_decision.gate")] == codes(
            with_decision(project, 1, gate="BP4")
        )

    def test_stop_requires_end_reason(self, project):
        """A stop at the last gate requires the project to be recorded as ended, with a reason."""
        assert ("gate.stop_without_end", "$.phases[3].gate_decision.outcome") in codes(
            with_decision(project, 3, outcome=GateOutcome.STOP)
        )

    def test_benefit_responsible_by_bp2(self, project):
        """Passing BP2 without a gevinstansvarlig is a warning (DOMAIN §3 [design])."""
        actors = tuple(
            attrs.evolve(a, roles=tuple(r for r in a.roles if r is not Role.BENEFIT_RESPONSIBLE))
            for a in project.actors
        )
        findings = validate(attrs.evolve(project, actors=actors))
        assert [("gate.role_missing", "warning")] == [(f.code, f.severity.value) for f in findings]


class TestProjectRules:
    """Roles, deliverables, references, budget."""

    def test_two_owners(self, project):
        """Two project owners break 'exactly one prosjekteier'."""
        extra = Actor(
            id="eier2", name="Eier 2", sector=Sector.MUNICIPAL, roles=(Role.PROJECT_OWNER,)
        )
        assert [("roles.project_owner", "$.actors")] == codes(
            attrs.evolve(project, actors=(*project.actors, extra))
        )

    def test_dangling_risk_owner(self, project):
        """A risk owner that is not an actor is a dangling reference."""
        risk = attrs.evolve(project.risks[0], owner="ingen")
        assert [("ref.unresolved", "$.risks[0].owner")] == codes(
            attrs.evolve(project, risks=(risk,))
        )

    def test_dangling_deliverable_phase(self, project):
        """A deliverable in a phase the project does not have is a dangling reference."""
        item = attrs.evolve(project.deliverables[0], phase="realisere")
        changed = attrs.evolve(project, deliverables=(item, project.deliverables[1]))
        assert [("ref.unresolved", "$.deliverables[0].phase")] == codes(changed)

    def test_continued_needs_receiver(self, project):
        """A continued deliverable names who took it over."""
        item = attrs.evolve(project.deliverables[0], continued_by=None)
        changed = attrs.evolve(project, deliverables=(item, project.deliverables[1]))
        assert [("deliverable.continued_by_missing", "$.deliverables[0].continued_by")] == codes(
            changed
        )

    def test_discarded_needs_reason(self, project):
        """A discarded deliverable gives a reason."""
        item = attrs.evolve(project.deliverables[1], discard_reason=None)
        changed = attrs.evolve(project, deliverables=(project.deliverables[0], item))
        assert [
            ("deliverable.discard_reason_missing", "$.deliverables[1].discard_reason")
        ] == codes(changed)

    def test_duplicate_ids(self, project):
        """Two deliverables with one id: the second is flagged."""
        item = attrs.evolve(project.deliverables[1], id="familiesenter")
        changed = attrs.evolve(project, deliverables=(project.deliverables[0], item))
        assert [("id.duplicate", "$.deliverables[1].id")] == codes(changed)

    def test_ended_without_reason(self, project):
        """An ended project without end_reason is an error."""
        assert [("project.end_reason_missing", "$.end_reason")] == codes(
            attrs.evolve(project, status=ProjectStatus.ENDED)
        )

    def test_allocations_must_match_frame(self, project):
        """Allocations that do not add up to the frame are an error."""
        assert project.budget is not None
        budget = attrs.evolve(project.budget, frame=samskaping.Money(1_100_000), remainder=None)
        findings = codes(attrs.evolve(project, budget=budget, status=ProjectStatus.ACTIVE))
        assert [("budget.allocations_mismatch", "$.budget.allocations")] == findings

    def test_overspending(self, project):
        """Spending above the frame is an error."""
        assert project.budget is not None
        costs = (*project.budget.costs, ActualCost(year=2024, amount=samskaping.Money(200_000)))
        budget = attrs.evolve(project.budget, costs=costs, remainder=None)
        findings = codes(attrs.evolve(project, budget=budget, status=ProjectStatus.ACTIVE))
        assert [("budget.overspent", "$.budget.costs")] == findings

    def test_remainder_at_closure(self, project):
        """A completed project states its remainder."""
        assert project.budget is not None
        budget = attrs.evolve(project.budget, remainder=None)
        assert [("budget.remainder_missing", "$.budget.remainder")] == codes(
            attrs.evolve(project, budget=budget)
        )


class TestInnbyggernesModell:
    """The optional rule set of Innbyggernes modell (002:421, 002:436-440, 002:1580)."""

    @pytest.fixture(name="programme")
    def _programme(self, project):
        steering = Actor(
            id="styring",
            name="Styringsgruppe",
            kind=samskaping.model.ActorKind.GROUP,
            sector=Sector.MUNICIPAL,
            roles=(Role.STEERING_GROUP,),
        )
        lead = Actor(
            id="dpl",
            name="Delprosjektleder",
            sector=Sector.MUNICIPAL,
            roles=(Role.SUBPROJECT_LEAD,),
        )
        partners = tuple(
            Actor(id=f"p{i}", name=f"Partner {i}", sector=Sector.VOLUNTARY, roles=(Role.PARTNER,))
            for i in range(3)
        )
        sub = Project(id="sub", name="Delprosjekt", actors=(lead, *partners))
        return Programme(
            id="im", name="Innbyggernes modell", actors=(*project.actors, steering), projects=(sub,)
        )

    def test_clean_programme(self, programme):
        """A sub-project with three partners and a municipal lead passes."""
        assert [] == codes(programme, rules=("core", "innbyggernes_modell"))

    def test_too_few_partners(self, programme):
        """Two co-creation actors are too few."""
        sub = attrs.evolve(programme.projects[0], actors=programme.projects[0].actors[:3])
        changed = attrs.evolve(programme, projects=(sub,))
        assert [("im.co_creation_actors", "$.projects[0].actors")] == codes(
            changed, rules=("innbyggernes_modell",)
        )

    def test_end_needs_steering_group(self, programme):
        """Ending a sub-project needs a steering-group decision with a reason."""
        sub = attrs.evolve(
            programme.projects[0],
            status=ProjectStatus.ENDED,
            end_reason="Manglende forankring",
            ended_by="dpl",
        )
        changed = attrs.evolve(programme, projects=(sub,))
        assert [("im.end_decision", "$.projects[0].ended_by")] == codes(
            changed, rules=("innbyggernes_modell",)
        )

    def test_staff_positions(self, programme):
        """Spending project money on staff positions is an error (002:1580)."""
        budget = samskaping.model.Budget(
            frame=samskaping.Money(100),
            costs=(
                ActualCost(
                    year=2022,
                    amount=samskaping.Money(50),
                    category=samskaping.model.CostCategory.STAFF_POSITION,
                ),
            ),
        )
        sub = attrs.evolve(programme.projects[0], budget=budget)
        changed = attrs.evolve(programme, projects=(sub,))
        assert [("im.staff_position", "$.projects[0].budget.costs[0].category")] == codes(
            changed, rules=("innbyggernes_modell",)
        )


class TestProperties:
    """Validation never raises, and is deterministic."""

    @given(documents, st.sampled_from(LANGS))
    @settings(max_examples=150)
    def test_validate_never_raises(self, document, lang):
        """Any well-formed document gives findings, never an exception, in every language."""
        findings = validate(document, rules=tuple(RULE_SETS), lang=lang)
        assert all(f.code in rule_catalogue() for f in findings)

    @given(documents)
    @settings(max_examples=50)
    def test_validate_is_deterministic(self, document):
        """The same document gives the same findings twice."""
        assert validate(document) == validate(attrs.evolve(document))


class TestCatalogue:
    """Every rule has a severity and a message in every language."""

    @pytest.mark.parametrize("lang", LANGS)
    def test_every_code_has_a_message(self, lang):
        """Each finding code has a label in nb, nn and en."""
        from samskaping.l10n import label

        for code in rule_catalogue():
            assert label(f"finding.{code}", lang)

    def test_has_errors(self, project):
        """has_errors is false for a clean project and true when a rule fails."""
        assert not has_errors(validate(project))
        assert has_errors(validate(attrs.evolve(project, status=ProjectStatus.ENDED)))
