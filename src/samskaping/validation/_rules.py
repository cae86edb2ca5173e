"""The validation rules of DOMAIN §3.

Each rule is a generator over a :class:`Scope` (one project, or the programme
itself) that yields ``(code, path, params)``. Rules read the document and never
raise on a well-formed one: every optional field is checked before it is used.
"""

from __future__ import annotations

import datetime
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Final

import attrs

from samskaping._errors import UnknownNameError
from samskaping._money import MAX_AMOUNT, Money
from samskaping.l10n import LocalText
from samskaping.model import (
    Actor,
    CostCategory,
    DeliverableStatus,
    GateOutcome,
    Programme,
    Project,
    ProjectStatus,
    Role,
    Sector,
)
from samskaping.phases import PhaseModel
from samskaping.profile import Profile
from samskaping.validation._findings import LabelRef

__all__ = ["RULE_SETS", "Raw", "Rule", "Scope"]

#: A finding before it is rendered: its code, its path and the values for its message.
Raw = tuple[str, str, Mapping[str, Any]]
Rule = Callable[["Scope"], Iterator[Raw]]

_PASSED: Final = frozenset({GateOutcome.GO, GateOutcome.GO_WITH_CHANGES})
_LEAD_ROLES: Final = frozenset({Role.PROJECT_MANAGER, Role.SUBPROJECT_LEAD})


@attrs.frozen(kw_only=True)
class Scope:
    """One project (or the programme itself) being validated.

    ``inherited_actors`` are the programme's actors, which its projects may refer to.
    ``is_subproject`` is true for the projects of a programme. ``profile`` holds the
    scales, instruments, cost profiles and policies the rules look names up in.
    """

    project: Project | Programme
    path: str
    model: PhaseModel | None
    inherited_actors: tuple[Actor, ...] = ()
    is_subproject: bool = False
    profile: Profile = attrs.field(factory=Profile.default)

    @property
    def actors(self) -> dict[str, Actor]:
        """Every actor this scope may refer to, by id (its own win)."""
        known = {a.id: a for a in self.inherited_actors}
        known.update({a.id: a for a in self.project.actors})
        return known

    def at(self, suffix: str) -> str:
        """The JSON path of ``suffix`` inside this scope."""
        return f"{self.path}{suffix}" if self.path != "$" else f"${suffix}"


#: A name from a document is shown in a finding cut to this many characters.
_MAX_NAME: Final = 40


def _short(text: str) -> str:
    return text if len(text) <= _MAX_NAME else text[: _MAX_NAME - 3] + "..."


def _total(amounts: Iterable[Money]) -> Money | None:
    """The exact sum, or ``None`` if it passes the limit for amounts (a finding, not an abort)."""
    total = sum(((m.amount for m in amounts)), start=Money(0).amount)
    return None if total.copy_abs() > MAX_AMOUNT else Money(total)


def _too_large(where: str) -> Raw:
    return "money.sum_too_large", where, _p(limit=Money(MAX_AMOUNT))


def _p(**params: Any) -> Mapping[str, Any]:
    return params


# --- identifiers and references ------------------------------------------------------------


def unique_ids(scope: Scope) -> Iterator[Raw]:
    """Identifiers are unique within a project (DOMAIN §2)."""
    project = scope.project
    seen: dict[str, str] = {}
    entries: list[tuple[str, str]] = []
    for name in (
        "actors",
        "deliverables",
        "risks",
        "goals",
        "benefits",
        "meeting_places",
        "involvement_activities",
        "proposals",
        "payout_schemes",
    ):
        for index, item in enumerate(getattr(project, name)):
            entries.append((item.id, scope.at(f".{name}[{index}].id")))
    for g_index, goal in enumerate(project.goals):
        for i_index, indicator in enumerate(goal.indicators):
            entries.append((indicator.id, scope.at(f".goals[{g_index}].indicators[{i_index}].id")))
    for b_index, benefit in enumerate(project.benefits):
        for i_index, indicator in enumerate(benefit.indicators):
            entries.append(
                (indicator.id, scope.at(f".benefits[{b_index}].indicators[{i_index}].id"))
            )
    for s_index, scheme in enumerate(project.payout_schemes):
        if scheme.pot is not None:
            entries.append((scheme.pot.id, scope.at(f".payout_schemes[{s_index}].pot.id")))
    if isinstance(project, Programme):
        for index, sub in enumerate(project.projects):
            entries.append((sub.id, scope.at(f".projects[{index}].id")))
    for identifier, path in entries:
        if identifier in seen:
            yield "id.duplicate", path, _p(id=identifier, first=seen[identifier])
        else:
            seen[identifier] = path


def actor_references(scope: Scope) -> Iterator[Raw]:
    """References to actors (risk owners, decision makers, ...) resolve (DOMAIN §2)."""
    project = scope.project
    actors = scope.actors
    refs: list[tuple[str | None, str]] = []
    for r_index, risk in enumerate(project.risks):
        refs.append((risk.owner, f".risks[{r_index}].owner"))
        for m_index, mitigation in enumerate(risk.mitigations):
            refs.append((mitigation.owner, f".risks[{r_index}].mitigations[{m_index}].owner"))
    for b_index, benefit in enumerate(project.benefits):
        refs.append((benefit.owner, f".benefits[{b_index}].owner"))
        refs.append((benefit.responsible, f".benefits[{b_index}].responsible"))
    for p_index, phase in enumerate(project.phases):
        if phase.gate_decision is not None:
            refs.append(
                (phase.gate_decision.decided_by, f".phases[{p_index}].gate_decision.decided_by")
            )
    for m_index, place in enumerate(project.meeting_places):
        for a_index, partner in enumerate(place.partners):
            refs.append((partner, f".meeting_places[{m_index}].partners[{a_index}]"))
    refs.append((project.ended_by, ".ended_by"))
    for reference, suffix in refs:
        if reference is not None and reference not in actors:
            yield (
                "ref.unresolved",
                scope.at(suffix),
                _p(id=reference, kind=LabelRef("finding_kind.actor")),
            )


def other_references(scope: Scope) -> Iterator[Raw]:
    """Meeting places name existing deliverables; proposals name existing activities."""
    project = scope.project
    deliverables = {d.id for d in project.deliverables}
    activities = {a.id for a in project.involvement_activities}
    for index, place in enumerate(project.meeting_places):
        if place.deliverable is not None and place.deliverable not in deliverables:
            yield (
                "ref.unresolved",
                scope.at(f".meeting_places[{index}].deliverable"),
                _p(id=place.deliverable, kind=LabelRef("finding_kind.deliverable")),
            )
    for index, proposal in enumerate(project.proposals):
        if proposal.activity is not None and proposal.activity not in activities:
            yield (
                "ref.unresolved",
                scope.at(f".proposals[{index}].activity"),
                _p(id=proposal.activity, kind=LabelRef("finding_kind.involvement_activity")),
            )


# --- period and phases ---------------------------------------------------------------------


def period_order(scope: Scope) -> Iterator[Raw]:
    """A period ends on or after its start."""
    period = scope.project.period
    if period is not None and period.end is not None and period.end < period.start:
        yield "period.reversed", scope.at(".period.end"), _p(start=period.start, end=period.end)


def phase_model_known(scope: Scope) -> Iterator[Raw]:
    """The phase model the project names exists (phase rules need it)."""
    project = scope.project
    if project.phase_model is not None and scope.model is None:
        yield "phase_model.unknown", scope.at(".phase_model"), _p(name=project.phase_model)
    elif project.phase_model is None and project.phases:
        yield "phase_model.missing", scope.at(".phase_model"), _p()


def _phase_hint(key: str, model: PhaseModel) -> LocalText:
    """Which key to write instead: the closest phase key, and every key of the model."""
    import difflib  # noqa: PLC0415  (only when a key is wrong)

    keys = [spec.key for spec in model.phases]
    close = difflib.get_close_matches(key, keys, n=1)
    listed = ", ".join(keys)
    if close:
        return LocalText(
            nb=f"Mente du «{close[0]}»? Fasenøklene er: {listed}.",
            nn=f"Meinte du «{close[0]}»? Fasenøklane er: {listed}.",
            en=f"Did you mean '{close[0]}'? The phase keys are: {listed}.",
        )
    return LocalText(
        nb=f"Fasenøklene er: {listed}.",
        nn=f"Fasenøklane er: {listed}.",
        en=f"The phase keys are: {listed}.",
    )


def phase_order(scope: Scope) -> Iterator[Raw]:
    """Phases follow the model's order; only repeatable phases repeat (DOMAIN §3)."""
    model = scope.model
    if model is None:
        return
    in_order = not _order_broken(scope)
    last_index: int | None = None
    last_key: str | None = None
    for index, phase in enumerate(scope.project.phases):
        position = model.phase_index(phase.key)
        if position is None:
            yield (
                "phase.unknown",
                scope.at(f".phases[{index}].key"),
                _p(key=phase.key, model=model.name, hint=_phase_hint(phase.key, model)),
            )
            continue
        spec = model.phases[position]
        if last_index is not None and last_key is not None:
            if position < last_index:
                yield (
                    "phase.order",
                    scope.at(f".phases[{index}].key"),
                    _p(phase=spec.name, previous=model.phases[last_index].name),
                )
            elif position == last_index and not spec.repeatable:
                yield "phase.repeated", scope.at(f".phases[{index}].key"), _p(phase=spec.name)
            elif in_order and position > last_index + 1:
                skipped = [
                    p.name for p in model.phases[last_index + 1 : position] if not p.optional
                ]
                if skipped:
                    yield "phase.skipped", scope.at(f".phases[{index}].key"), _p(phases=skipped)
        if last_index is None or position >= last_index:
            last_index, last_key = position, phase.key


def _order_broken(scope: Scope) -> bool:
    """Whether the phases break the model's order; sequence rules then say nothing more."""
    model = scope.model
    if model is None:
        return False
    positions = [model.phase_index(p.key) for p in scope.project.phases]
    known = [p for p in positions if p is not None]
    return any(later < earlier for earlier, later in itertools.pairwise(known))


def phase_dates(scope: Scope) -> Iterator[Raw]:
    """Phase dates lie inside the project period, in order, without overlap (DOMAIN §3).

    When the phases are out of the model's order, ``phase.order`` says so and the
    overlap check is skipped: the dates cannot be in order either.
    """
    project = scope.project
    period = project.period
    in_order = not _order_broken(scope)
    previous_end: datetime.date | None = None
    for index, phase in enumerate(project.phases):
        where = f".phases[{index}]"
        start, end = phase.start, phase.end
        if start is not None and end is not None and end < start:
            yield "phase.dates_reversed", scope.at(f"{where}.end"), _p(start=start, end=end)
        if period is not None:
            if start is not None and start < period.start:
                yield "phase.outside_period", scope.at(f"{where}.start"), _p(date=start)
            if end is not None and period.end is not None and end > period.end:
                yield "phase.outside_period", scope.at(f"{where}.end"), _p(date=end)
        if in_order and start is not None and previous_end is not None and start < previous_end:
            yield (
                "phase.overlap",
                scope.at(f"{where}.start"),
                _p(start=start, previous_end=previous_end),
            )
        if end is not None:
            previous_end = end if previous_end is None else max(previous_end, end)
        yield from _subphase_dates(scope, index)


def _subphase_dates(scope: Scope, index: int) -> Iterator[Raw]:
    phase = scope.project.phases[index]
    previous_end: datetime.date | None = None
    for s_index, sub in enumerate(phase.subphases):
        where = f".phases[{index}].subphases[{s_index}]"
        if sub.start is not None and sub.end is not None and sub.end < sub.start:
            yield "phase.dates_reversed", scope.at(f"{where}.end"), _p(start=sub.start, end=sub.end)
        if sub.start is not None and phase.start is not None and sub.start < phase.start:
            yield "subphase.outside_phase", scope.at(f"{where}.start"), _p(date=sub.start)
        if sub.end is not None and phase.end is not None and sub.end > phase.end:
            yield "subphase.outside_phase", scope.at(f"{where}.end"), _p(date=sub.end)
        if sub.start is not None and previous_end is not None and sub.start < previous_end:
            yield (
                "phase.overlap",
                scope.at(f"{where}.start"),
                _p(start=sub.start, previous_end=previous_end),
            )
        if sub.end is not None:
            previous_end = sub.end if previous_end is None else max(previous_end, sub.end)


def gates(scope: Scope) -> Iterator[Raw]:
    """A phase starts only after a go at the gate before it; decisions are complete (DOMAIN §3).

    The sequence checks (a decision before the next phase) are skipped when the phases
    are out of order; each decision's own contents are checked regardless.
    """
    model = scope.model
    if model is None:
        return
    phases = scope.project.phases
    in_order = not _order_broken(scope)
    for index, phase in enumerate(phases):
        spec = model.gate_closing(phase.key)
        decision = phase.gate_decision
        where = f".phases[{index}].gate_decision"
        following = phases[index + 1] if index + 1 < len(phases) else None
        moves_on = in_order and following is not None and following.key != phase.key
        if spec is None:
            if decision is not None:
                yield "gate.unexpected", scope.at(f"{where}.gate"), _p(gate=decision.gate)
            continue
        if decision is None:
            if moves_on and following is not None:
                yield (
                    "gate.decision_missing",
                    scope.at(where),
                    _p(gate=spec.key, phase=_phase_name(model, following.key)),
                )
            continue
        if decision.gate != spec.key:
            yield (
                "gate.wrong_gate",
                scope.at(f"{where}.gate"),
                _p(gate=decision.gate, expected=spec.key),
            )
        if moves_on and following is not None:
            if decision.outcome not in _PASSED:
                yield (
                    "gate.not_passed",
                    scope.at(f"{where}.outcome"),
                    _p(
                        gate=spec.key,
                        outcome=decision.outcome,
                        phase=_phase_name(model, following.key),
                    ),
                )
            elif (
                decision.date is not None
                and following.start is not None
                and decision.date > following.start
            ):
                yield (
                    "gate.decided_after_start",
                    scope.at(f"{where}.date"),
                    _p(gate=spec.key, date=decision.date, start=following.start),
                )
        yield from _gate_contents(
            scope, index, spec.documents, spec.decided_by, spec.checklist, spec.key
        )
        if moves_on:
            yield from _gate_roles(scope, index, spec.requires_roles, spec.key)


def _phase_name(model: PhaseModel, key: str) -> object:
    position = model.phase_index(key)
    return key if position is None else model.phases[position].name


def _gate_contents(  # noqa: PLR0917  (internal helper, called once)
    scope: Scope,
    index: int,
    documents: Iterable[str],
    decider: Role,
    checklist: Iterable[Any],
    gate_name: object,
) -> Iterator[Raw]:
    model = scope.model
    decision = scope.project.phases[index].gate_decision
    if model is None or decision is None:
        return
    where = f".phases[{index}].gate_decision"
    if decision.assumed:
        yield "gate.assumed", scope.at(where), _p(gate=gate_name)
    presented = set(decision.documents)
    for document in () if decision.assumed else documents:
        if document not in presented:
            kind = model.document(document)
            yield (
                "gate.document_missing",
                scope.at(f"{where}.documents"),
                _p(gate=gate_name, document=kind.name if kind else document, key=document),
            )
    for d_index, document in enumerate(decision.documents):
        if model.document(document) is None:
            yield (
                "gate.document_unknown",
                scope.at(f"{where}.documents[{d_index}]"),
                _p(document=document),
            )
    if decision.decided_by is None and not decision.assumed:
        yield (
            "gate.decider_missing",
            scope.at(f"{where}.decided_by"),
            _p(gate=gate_name, role=decider),
        )
    elif decision.decided_by is not None:
        actor = scope.actors.get(decision.decided_by)
        if actor is not None and decider not in actor.roles:
            yield (
                "gate.wrong_decider",
                scope.at(f"{where}.decided_by"),
                _p(gate=gate_name, actor=actor.id, role=decider),
            )
    known_items = {item.key for item in checklist}
    open_items = 0
    for c_index, answer in enumerate(decision.checklist):
        if answer.item not in known_items:
            yield (
                "gate.checklist_unknown",
                scope.at(f"{where}.checklist[{c_index}].item"),
                _p(item=answer.item),
            )
        elif answer.answer.value == "open":
            open_items += 1
    if open_items and decision.outcome in _PASSED:
        yield (
            "gate.checklist_open",
            scope.at(f"{where}.checklist"),
            _p(gate=gate_name, count=open_items),
        )
    if decision.outcome is GateOutcome.STOP and not (
        scope.project.status is ProjectStatus.ENDED and scope.project.end_reason
    ):
        yield "gate.stop_without_end", scope.at(f"{where}.outcome"), _p(gate=gate_name)


def _gate_roles(
    scope: Scope, index: int, roles: Iterable[Role], gate_name: object
) -> Iterator[Raw]:
    appointed = {role for actor in scope.actors.values() for role in actor.roles}
    for role in roles:
        if role not in appointed:
            yield (
                "gate.role_missing",
                scope.at(f".phases[{index}].gate_decision"),
                _p(gate=gate_name, role=role),
            )


# --- project, roles, deliverables, budget ---------------------------------------------------


def project_end(scope: Scope) -> Iterator[Raw]:
    """A project that was ended records why (DOMAIN §3)."""
    project = scope.project
    if project.status is ProjectStatus.ENDED and not project.end_reason:
        yield "project.end_reason_missing", scope.at(".end_reason"), _p()


def governance_roles(scope: Scope) -> Iterator[Raw]:
    """Exactly one project owner and at least one project manager (DOMAIN §3)."""
    if scope.is_subproject:
        return
    owners = [a for a in scope.project.actors if Role.PROJECT_OWNER in a.roles]
    if len(owners) != 1:
        yield "roles.project_owner", scope.at(".actors"), _p(count=len(owners))
    if not any(Role.PROJECT_MANAGER in a.roles for a in scope.project.actors):
        yield "roles.project_manager_missing", scope.at(".actors"), _p()


def deliverables(scope: Scope) -> Iterator[Raw]:
    """Deliverables name existing phases; continued and discarded ones say by whom and why."""
    phase_keys = {phase.key for phase in scope.project.phases}
    for index, deliverable in enumerate(scope.project.deliverables):
        where = f".deliverables[{index}]"
        if deliverable.phase not in phase_keys:
            yield (
                "ref.unresolved",
                scope.at(f"{where}.phase"),
                _p(id=deliverable.phase, kind=LabelRef("finding_kind.phase")),
            )
        if deliverable.status is DeliverableStatus.CONTINUED and deliverable.continued_by is None:
            yield (
                "deliverable.continued_by_missing",
                scope.at(f"{where}.continued_by"),
                _p(title=deliverable.title),
            )
        if deliverable.status is DeliverableStatus.DISCARDED and not deliverable.discard_reason:
            yield (
                "deliverable.discard_reason_missing",
                scope.at(f"{where}.discard_reason"),
                _p(title=deliverable.title),
            )


def budget(scope: Scope) -> Iterator[Raw]:
    """Allocations add up to the frame; spending stays within it; closure states the remainder."""
    project = scope.project
    money = project.budget
    if money is None:
        return
    yield from _budget_allocations(scope)
    spent = _total(c.amount for c in money.costs)
    if spent is None:
        yield _too_large(scope.at(".budget.costs"))
        return
    if spent > money.frame:
        yield "budget.overspent", scope.at(".budget.costs"), _p(spent=spent, frame=money.frame)
    closed = project.status in {ProjectStatus.COMPLETED, ProjectStatus.ENDED}
    if closed and money.remainder is None:
        yield "budget.remainder_missing", scope.at(".budget.remainder"), _p()
    remainder = money.remainder
    if remainder is not None and remainder.amount is not None and money.costs:
        expected = money.frame - spent
        if remainder.amount != expected:
            yield (
                "budget.remainder_mismatch",
                scope.at(".budget.remainder.amount"),
                _p(stated=remainder.amount, expected=expected),
            )


def _budget_allocations(scope: Scope) -> Iterator[Raw]:
    project = scope.project
    money = project.budget
    if money is None:
        return
    phase_keys = {phase.key for phase in project.phases}
    if money.allocations:
        allocated = _total(a.amount for a in money.allocations)
        if allocated is None:
            yield _too_large(scope.at(".budget.allocations"))
        elif allocated != money.frame:
            yield (
                "budget.allocations_mismatch",
                scope.at(".budget.allocations"),
                _p(allocated=allocated, frame=money.frame),
            )
    held = Counter[str]()
    for allocation in money.allocations:
        held[allocation.phase] += allocation.amount.ore
    for index, allocation in enumerate(money.allocations):
        if allocation.phase not in phase_keys:
            yield (
                "ref.unresolved",
                scope.at(f".budget.allocations[{index}].phase"),
                _p(id=allocation.phase, kind=LabelRef("finding_kind.phase")),
            )
    for index, transfer in enumerate(money.transfers):
        where = f".budget.transfers[{index}]"
        for field in ("from_phase", "to_phase"):
            key = getattr(transfer, field)
            if key not in phase_keys:
                yield (
                    "ref.unresolved",
                    scope.at(f"{where}.{field}"),
                    _p(id=key, kind=LabelRef("finding_kind.phase")),
                )
        if money.allocations:
            if transfer.amount.ore > held[transfer.from_phase]:
                yield (
                    "budget.transfer_exceeds_allocation",
                    scope.at(f"{where}.amount"),
                    _p(amount=transfer.amount),
                )
            held[transfer.from_phase] -= transfer.amount.ore
            held[transfer.to_phase] += transfer.amount.ore
    for index, cost in enumerate(money.costs):
        if cost.phase is not None and cost.phase not in phase_keys:
            yield (
                "ref.unresolved",
                scope.at(f".budget.costs[{index}].phase"),
                _p(id=cost.phase, kind=LabelRef("finding_kind.phase")),
            )


# --- meeting places, payouts ----------------------------------------------------------------


def feedback_scales(scope: Scope) -> Iterator[Raw]:
    """Ratings lie on their feedback's scale."""
    for m_index, place in enumerate(scope.project.meeting_places):
        for f_index, feedback in enumerate(place.feedback):
            where = f".meeting_places[{m_index}].feedback[{f_index}]"
            if feedback.scale_max < feedback.scale_min:
                yield "feedback.scale_reversed", scope.at(f"{where}.scale_max"), _p()
            for r_index, rating in enumerate(feedback.ratings):
                if not feedback.scale_min <= rating.rating <= feedback.scale_max:
                    yield (
                        "feedback.rating_outside_scale",
                        scope.at(f"{where}.ratings[{r_index}].rating"),
                        _p(rating=rating.rating, low=feedback.scale_min, high=feedback.scale_max),
                    )


def payout_schemes(scope: Scope) -> Iterator[Raw]:
    """Schemes name known policies; pots are not over-committed and allow the scheme's type."""
    names = scope.profile.policies
    for index, scheme in enumerate(scope.project.payout_schemes):
        where = f".payout_schemes[{index}]"
        if scheme.policy is not None and scheme.policy not in names:
            yield "payout.policy_unknown", scope.at(f"{where}.policy"), _p(name=scheme.policy)
        pot = scheme.pot
        if pot is None:
            continue
        used = _total(e.amount for e in (*pot.commitments, *pot.disbursements))
        if used is None:
            yield _too_large(scope.at(f"{where}.pot"))
        elif used > pot.total:
            yield "pot.overcommitted", scope.at(f"{where}.pot"), _p(used=used, total=pot.total)
        if pot.allowed_types and scheme.payment_type not in pot.allowed_types:
            yield (
                "pot.type_not_allowed",
                scope.at(f"{where}.payment_type"),
                _p(type=scheme.payment_type),
            )
        if pot.valid_from and pot.valid_to and pot.valid_to < pot.valid_from:
            yield (
                "period.reversed",
                scope.at(f"{where}.pot.valid_to"),
                _p(start=pot.valid_from, end=pot.valid_to),
            )


# --- what scoring and the report need -------------------------------------------------------


def risk_register(scope: Scope) -> Iterator[Raw]:
    """The risk scale is known; levels lie on it; recorded grades are bands of its band set."""
    from samskaping.scoring import risk_matrix  # noqa: PLC0415  (only when run)

    project = scope.project
    if not project.risks and project.risk_scale is None:
        return
    config = scope.profile.risk
    try:
        matrix = risk_matrix(project.risk_scale, config=config)
    except UnknownNameError:
        known = ", ".join(s.name for s in config.scales)
        name = _short(project.risk_scale or "")
        yield "risk.scale_unknown", scope.at(".risk_scale"), _p(name=name, known=known)
        return
    axes = {
        "probability": matrix.scale.probability,
        "consequence": matrix.scale.consequence,
        "residual_probability": matrix.scale.probability,
        "residual_consequence": matrix.scale.consequence,
    }
    for index, risk in enumerate(project.risks):
        where = f".risks[{index}]"
        for field, axis in axes.items():
            level = getattr(risk, field)
            if level is not None and not 1 <= level <= len(axis):
                yield (
                    "risk.level_outside_scale",
                    scope.at(f"{where}.{field}"),
                    _p(level=level, scale=matrix.scale.name, high=len(axis)),
                )
        band = risk.assessed_band
        if band is not None and matrix.bands.find(band) is None:
            yield (
                "risk.band_unknown",
                scope.at(f"{where}.assessed_band"),
                _p(
                    band=_short(band),
                    bands=matrix.bands.name,
                    known=", ".join(matrix.bands.codes()),
                ),
            )


def assessment_names(scope: Scope) -> Iterator[Raw]:
    """Names are known, GAS weights count, rated activities exist, diamonds fit the scale.

    Survey instruments and cost profiles are the profile's; so is the idea diamond's scale.
    """
    instruments = scope.profile.survey_instruments
    cost_profiles = scope.profile.cost_profiles
    assessments = scope.project.assessments
    for index, survey in enumerate(assessments.surveys):
        if survey.instrument not in instruments:
            yield (
                "survey.instrument_unknown",
                scope.at(f".assessments.surveys[{index}].instrument"),
                _p(name=_short(survey.instrument), known=", ".join(instruments)),
            )
    for index, case in enumerate(assessments.utenfor):
        if case.cost_profile is not None and case.cost_profile not in cost_profiles:
            yield (
                "utenfor.cost_profile_unknown",
                scope.at(f".assessments.utenfor[{index}].cost_profile"),
                _p(name=_short(case.cost_profile), known=", ".join(cost_profiles)),
            )
    scored = [goal for goal in scope.project.goals if goal.gas_score is not None]
    if scored and all(goal.weight == 0 for goal in scored):
        yield "goal.gas_weights_zero", scope.at(".goals"), _p()
    shape = scope.profile.assessments.idea_diamond
    for index, diamond in enumerate(assessments.idea_diamonds):
        for name in ("strategic_anchoring", "local_anchoring", "reflection", "experimentation"):
            value = getattr(diamond, name)
            if not shape.scale_min <= value <= shape.scale_max:
                yield (
                    "idea_diamond.score_outside_scale",
                    scope.at(f".assessments.idea_diamonds[{index}].{name}"),
                    _p(score=value, low=shape.scale_min, high=shape.scale_max),
                )
    activities = {a.id for a in scope.project.involvement_activities}
    for index, rating in enumerate(assessments.participation):
        if rating.activity not in activities:
            yield (
                "participation.activity_unknown",
                scope.at(f".assessments.participation[{index}].activity"),
                _p(id=_short(rating.activity)),
            )


# --- Innbyggernes modell (optional rule set) ------------------------------------------------


def _im_applies(scope: Scope) -> bool:
    return scope.is_subproject or (
        isinstance(scope.project, Project) and scope.project.phase_model == "innbyggernes_modell"
    )


def im_co_creation_actors(scope: Scope) -> Iterator[Raw]:
    """Every sub-project has at least three co-creation actors (002:421, 002:2024)."""
    if not _im_applies(scope):
        return
    partners = [a for a in scope.project.actors if Role.PARTNER in a.roles]
    if len(partners) < 3:  # noqa: PLR2004  (the rule's own number)
        yield "im.co_creation_actors", scope.at(".actors"), _p(count=len(partners))


def im_municipal_lead(scope: Scope) -> Iterator[Raw]:
    """The municipality holds the project-leader role (002:421)."""
    if not _im_applies(scope):
        return
    leads = [a for a in scope.actors.values() if _LEAD_ROLES & set(a.roles)]
    own_leads = [a for a in scope.project.actors if _LEAD_ROLES & set(a.roles)]
    candidates = own_leads or leads
    if not any(a.sector is Sector.MUNICIPAL for a in candidates):
        yield "im.municipal_lead", scope.at(".actors"), _p()


def im_end_decision(scope: Scope) -> Iterator[Raw]:
    """A sub-project is ended only by a steering-group decision with a reason (002:436-440)."""
    project = scope.project
    if not _im_applies(scope) or project.status is not ProjectStatus.ENDED:
        return
    decider = scope.actors.get(project.ended_by) if project.ended_by else None
    if decider is None or Role.STEERING_GROUP not in decider.roles or not project.end_reason:
        yield "im.end_decision", scope.at(".ended_by"), _p()


def im_no_staff_positions(scope: Scope) -> Iterator[Raw]:
    """Project money goes to citizens, never to staff positions (002:1580)."""
    if not _im_applies(scope) or scope.project.budget is None:
        return
    for index, cost in enumerate(scope.project.budget.costs):
        if cost.category is CostCategory.STAFF_POSITION:
            yield (
                "im.staff_position",
                scope.at(f".budget.costs[{index}].category"),
                _p(amount=cost.amount),
            )


#: The rules of each rule set, in the order they run.
RULE_SETS: Final[Mapping[str, tuple[Rule, ...]]] = {
    "core": (
        unique_ids,
        actor_references,
        other_references,
        period_order,
        phase_model_known,
        phase_order,
        phase_dates,
        gates,
        project_end,
        governance_roles,
        deliverables,
        budget,
        feedback_scales,
        payout_schemes,
        risk_register,
        assessment_names,
    ),
    "innbyggernes_modell": (
        im_co_creation_actors,
        im_municipal_lead,
        im_end_decision,
        im_no_staff_positions,
    ),
}
