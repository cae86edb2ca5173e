"""Collective payouts (*kollektiv utbetaling*): participatory budgeting for a group.

A group with members puts proposals with costs to a decision under one of three rules
(:class:`~samskaping.payouts.CollectiveRule`):

- ``greedy_by_votes`` (Consul): proposals in order of votes (most first; ties go to
  the cheaper, then to the lower id); each is funded if it still fits the budget,
  otherwise skipped, and the walk goes on.
- ``threshold`` (Decidim): ballots count only if they spend at least
  ``threshold_percent`` of the budget, pick at least ``min_projects`` (and at most
  ``max_projects``) projects and stay within the budget; the valid ballots' votes are
  then used as in ``greedy_by_votes``.
- ``consensus``: the decision body records what it agreed on (Veien til førerkortet:
  the youths, 002:1874; Stødig start: the project group, 002:1900). A recorded
  decision over budget funds nothing.

Proposals refused by an external gatekeeper (police, driving school, roads authority:
002:1910) are not funded; those still waiting are funded and committed, but marked as
awaiting the gatekeepers. An amount split among members uses largest-remainder
rounding and conserves every øre (:func:`samskaping.split`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from enum import StrEnum, unique
from typing import TYPE_CHECKING, Any, Final

import attrs

from samskaping._errors import InvalidInputError
from samskaping._money import MAX_AMOUNT, Money, split, sum_money
from samskaping.io import register_result_hooks, result_json
from samskaping.l10n import Lang
from samskaping.model import (
    PaymentType,
    Pot,
    PotEntry,
    at_least,
    identifier,
    non_negative_money,
    positive_money,
)
from samskaping.payouts._compiled import compile_policy
from samskaping.payouts._decision import (
    Flag,
    Reason,
    Trace,
    TraceKind,
    TraceStep,
)
from samskaping.payouts._policy import AssetOwner, CollectiveRule, DecisionBody, Policy
from samskaping.payouts._pots import PotStatus, pot_status
from samskaping.payouts._request import HIDDEN, household_ref

if TYPE_CHECKING:
    from cattrs import Converter

__all__ = [
    "COLLECTIVE_SCHEMA_VERSION",
    "Ballot",
    "BudgetProposal",
    "CollectiveDecision",
    "CollectiveRequest",
    "GatekeeperDecision",
    "GatekeeperOutcome",
    "ProposalOutcome",
    "ProposalStatus",
    "RecordedDecision",
    "decide_collective",
    "split_among",
]

#: The version of the JSON shape of a collective decision.
COLLECTIVE_SCHEMA_VERSION: Final = 1


def _hidden(_value: object) -> str:
    return repr(HIDDEN)


def _hidden_many(value: tuple[str, ...]) -> str:
    return f"<{len(value)} hidden>"


def _check_members(members: tuple[str, ...]) -> None:
    first: dict[str, int] = {}
    for position, member in enumerate(members):
        earlier = first.setdefault(member, position)
        if earlier != position:
            raise InvalidInputError(
                f"members[{position}] is the same member as members[{earlier}] "
                "(each member is listed once; the reference is not shown)",
                what="members",
            )


def _members(instance: CollectiveRequest, _attribute: attrs.Attribute[Any], value: Any) -> None:
    """Members are listed once each, and a split needs members to split among."""
    _check_members(value)
    if not value:
        splits = [p.id for p in instance.proposals if p.split_among_members]
        if splits:
            raise InvalidInputError(
                f"proposal {splits[0]!r} is split among the members, but there are none",
                what="members",
            )


@unique
class GatekeeperDecision(StrEnum):
    """What an external gatekeeper decided about a proposal (002:1910)."""

    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


@unique
class ProposalStatus(StrEnum):
    """What became of a proposal."""

    FUNDED = "funded"
    AWAITING_GATEKEEPERS = "awaiting_gatekeepers"
    NOT_FUNDED = "not_funded"
    NOT_SELECTED = "not_selected"
    BLOCKED_BY_GATEKEEPER = "blocked_by_gatekeeper"
    PURPOSE_UNKNOWN = "purpose_unknown"


@attrs.frozen(kw_only=True)
class GatekeeperOutcome:
    """A gatekeeper's condition on a proposal and its outcome so far."""

    gatekeeper: str = attrs.field(validator=identifier)
    condition: str | None = None
    decision: GatekeeperDecision = GatekeeperDecision.PENDING


@attrs.frozen(kw_only=True)
class BudgetProposal:
    """A proposal (*forslag*) put to the group, with its cost.

    Attributes:
        votes: Votes counted outside ballots (added to ballot votes).
        asset_owner: Who will own what is bought (default: the policy's).
        split_among_members: Share the amount among the group's members (e.g. one
            driving course each).
        gatekeepers: Conditions decided outside the project.
    """

    id: str = attrs.field(validator=identifier)
    title: str
    cost: Money = attrs.field(validator=positive_money)
    purpose: str | None = None
    votes: int = attrs.field(default=0, validator=at_least(0))
    asset_owner: AssetOwner | None = None
    running_cost: bool = False
    split_among_members: bool = False
    gatekeepers: tuple[GatekeeperOutcome, ...] = ()


@attrs.frozen(kw_only=True)
class Ballot:
    """One participant's selection of proposals (the voter is not recorded)."""

    selections: tuple[str, ...]


@attrs.frozen(kw_only=True)
class RecordedDecision:
    """A decision the group recorded (consensus), with who took it and when."""

    selected: tuple[str, ...]
    decided_by: DecisionBody
    date: datetime.date
    minutes: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class CollectiveRequest:
    """What a group puts to a collective decision.

    Attributes:
        group: The group's reference.
        members: The members' references (personal data: never printed).
        budget: The amount to decide on (default: what is left in the pot).
    """

    id: str = attrs.field(validator=identifier)
    group: str = attrs.field(validator=household_ref, repr=_hidden)
    members: tuple[str, ...] = attrs.field(default=(), repr=_hidden_many, validator=_members)
    budget: Money | None = attrs.field(default=None, validator=non_negative_money)
    proposals: tuple[BudgetProposal, ...]
    ballots: tuple[Ballot, ...] = ()
    recorded: RecordedDecision | None = None


@attrs.frozen(kw_only=True)
class ProposalOutcome:
    """What became of one proposal, and the members' shares if it was split."""

    proposal_id: str
    status: ProposalStatus
    cost: Money
    votes: int
    amount: Money
    asset_owner: AssetOwner
    shares: tuple[tuple[str, Money], ...] = attrs.field(default=(), repr=False)
    flags: tuple[Flag, ...] = ()


@attrs.frozen(kw_only=True)
class CollectiveDecision:
    """The outcome of a collective decision; ``funded + remaining == budget`` exactly."""

    request_id: str
    policy_id: str
    as_of: datetime.date
    rule: CollectiveRule
    decision_body: DecisionBody
    budget: Money
    funded: Money
    remaining: Money
    outcomes: tuple[ProposalOutcome, ...]
    invalid_ballots: int
    reasons: tuple[Reason, ...]
    trace: Trace | None = attrs.field(default=None, repr=False)

    def to_dict(
        self, *, lang: str | None = None, reveal_identifiers: bool = False
    ) -> dict[str, Any]:
        """The decision as JSON-ready data with ``"schema_version": 1``.

        Members' shares are listed by position; their references appear only with
        ``reveal_identifiers=True``. With ``lang``, reasons and flags get their text.
        """
        return result_json(self, lang=lang, reveal_identifiers=reveal_identifiers)  # type: ignore[no-any-return]


@register_result_hooks
def _install_json_hooks(converter: Converter, lang: Lang | None, reveal: bool) -> None:  # noqa: FBT001
    del lang

    def share(position: int, ref: str, amount: Money) -> dict[str, Any]:
        out: dict[str, Any] = {"member_index": position, "amount": str(amount.amount)}
        if reveal:
            out["member"] = ref
        return out

    def outcome(o: ProposalOutcome) -> dict[str, Any]:
        return {
            "proposal": o.proposal_id,
            "status": o.status.value,
            "cost": str(o.cost.amount),
            "votes": o.votes,
            "amount": str(o.amount.amount),
            "asset_owner": o.asset_owner.value,
            "shares": [share(i, ref, amount) for i, (ref, amount) in enumerate(o.shares, 1)],
            "flags": [converter.unstructure(f, Flag) for f in o.flags],
        }

    def decision(value: CollectiveDecision) -> dict[str, Any]:
        return {
            "schema_version": COLLECTIVE_SCHEMA_VERSION,
            "kind": "collective_decision",
            "request_id": value.request_id,
            "policy": value.policy_id,
            "as_of": value.as_of.isoformat(),
            "rule": value.rule.value,
            "decision_body": value.decision_body.value,
            "budget": str(value.budget.amount),
            "funded": str(value.funded.amount),
            "remaining": str(value.remaining.amount),
            "invalid_ballots": value.invalid_ballots,
            "reasons": [converter.unstructure(r, Reason) for r in value.reasons],
            "outcomes": [outcome(o) for o in value.outcomes],
            # The trace of a collective decision holds no personal values: always as hidden.
            "trace": None if value.trace is None else value.trace.to_dict(),
        }

    converter.register_unstructure_hook(ProposalOutcome, outcome)
    converter.register_unstructure_hook(CollectiveDecision, decision)


def split_among(amount: Money, members: tuple[str, ...]) -> tuple[tuple[str, Money], ...]:
    """Split ``amount`` equally among ``members``, conserving every øre.

    >>> [m for _, m in split_among(Money(100), ("a", "b", "c"))]
    [Money('33.34'), Money('33.33'), Money('33.33')]
    """
    _check_members(members)
    if not members:
        raise InvalidInputError("cannot split an amount among no members", what="members")
    return tuple(zip(members, split(amount, [1] * len(members)), strict=True))


def _ballot_cost(ballot: Ballot, costs: dict[str, Money]) -> Decimal:
    """What a ballot's selections cost, exactly (a sum may pass the largest amount)."""
    return sum((costs[s].amount for s in ballot.selections if s in costs), Decimal(0))


def _count_votes(
    request: CollectiveRequest, rule: CollectiveRule, budget: Money, policy: Policy
) -> tuple[dict[str, int], int]:
    terms = policy.collective
    assert terms is not None  # noqa: S101  (a checked collective policy has its terms)
    costs = {p.id: p.cost for p in request.proposals}
    votes = {p.id: (0 if rule is CollectiveRule.THRESHOLD else p.votes) for p in request.proposals}
    invalid = 0
    for ballot in request.ballots:
        picked = tuple(dict.fromkeys(ballot.selections))
        valid = all(s in costs for s in picked) and _ballot_cost(ballot, costs) <= budget.amount
        if rule is CollectiveRule.THRESHOLD:
            share = terms.threshold_percent
            if share is not None and _ballot_cost(ballot, costs) * 100 < budget.amount * share:
                valid = False
            if terms.min_projects is not None and len(picked) < terms.min_projects:
                valid = False
        if terms.max_projects is not None and len(picked) > terms.max_projects:
            valid = False
        if not valid:
            invalid += 1
            continue
        for selection in picked:
            votes[selection] += 1
    return votes, invalid


def decide_collective(  # noqa: C901, PLR0912, PLR0915  (the steps of one decision)
    policy: Policy,
    request: CollectiveRequest,
    pot: Pot,
    as_of: datetime.date,
    *,
    trace: bool = False,
) -> tuple[CollectiveDecision, Pot]:
    """Decide which proposals a group funds, and commit their money from the pot.

    Pure: the pot is not changed; the returned pot has one commitment per funded
    proposal (id ``<request id>.<proposal id>``, referenced to the group).

    Raises:
        InvalidInputError: If the policy is not collective, or proposal ids repeat.
    """
    compile_policy(policy)
    terms = policy.collective
    if policy.payment_type is not PaymentType.COLLECTIVE or terms is None:
        raise InvalidInputError(f"{policy.id!r} is not a collective policy", what="policy")
    ids = [p.id for p in request.proposals]
    if len(set(ids)) != len(ids):
        raise InvalidInputError("proposal ids must be unique", what="proposals")
    steps: list[TraceStep] | None = [] if trace else None
    reasons: list[Reason] = []
    available = pot.available
    status = pot_status(pot, as_of, PaymentType.COLLECTIVE)
    budget = Money(0) if status is not PotStatus.OPEN else available
    if request.budget is not None and status is PotStatus.OPEN:
        if request.budget > available:
            reasons.append(
                Reason(code="pot_limited", rule=pot.id, params=(("available", available),))
            )
        budget = min(request.budget, available)
    if status is not PotStatus.OPEN:
        reasons.append(Reason(code=f"pot_{status.value}", rule=pot.id))
    if steps is not None:
        steps.append(
            TraceStep(kind=TraceKind.POT, name=pot.id, value=available, detail=status.value)
        )
    purposes = {p.code: p for p in policy.purposes}
    rule = terms.rule
    votes, invalid = _count_votes(request, rule, budget, policy)
    statuses: dict[str, ProposalStatus] = {}
    for proposal in request.proposals:
        if purposes and proposal.purpose is not None and proposal.purpose not in purposes:
            statuses[proposal.id] = ProposalStatus.PURPOSE_UNKNOWN
        elif any(g.decision is GatekeeperDecision.REFUSED for g in proposal.gatekeepers):
            statuses[proposal.id] = ProposalStatus.BLOCKED_BY_GATEKEEPER
    candidates = [p for p in request.proposals if p.id not in statuses]
    chosen: list[str] = []
    if status is PotStatus.OPEN:
        if rule is CollectiveRule.CONSENSUS:
            chosen = _consensus(
                request,
                candidates=candidates,
                budget=budget,
                body=terms.decision_body,
                reasons=reasons,
                statuses=statuses,
            )
        else:
            remaining = budget
            order = sorted(candidates, key=lambda p: (-votes[p.id], p.cost.amount, p.id))
            for proposal in order:
                if proposal.cost <= remaining:
                    chosen.append(proposal.id)
                    remaining -= proposal.cost
            reasons.append(
                Reason(code=f"collective_{rule.value}", params=(("invalid_ballots", invalid),))
            )
    by_id = {p.id: p for p in request.proposals}
    outcomes: list[ProposalOutcome] = []
    commitments: list[PotEntry] = []
    for proposal in request.proposals:
        owner = proposal.asset_owner or terms.asset_owner
        flags: list[Flag] = []
        purpose = purposes.get(proposal.purpose or "")
        if proposal.running_cost or (purpose is not None and purpose.running_cost):
            flags.append(Flag(code="running_cost"))
        if proposal.id in chosen:
            waiting = any(g.decision is GatekeeperDecision.PENDING for g in proposal.gatekeepers)
            state = ProposalStatus.AWAITING_GATEKEEPERS if waiting else ProposalStatus.FUNDED
            if waiting:
                flags.append(
                    Flag(
                        code="awaiting_gatekeepers",
                        params=(
                            ("gatekeepers", ", ".join(g.gatekeeper for g in proposal.gatekeepers)),
                        ),
                    )
                )
            shares = (
                split_among(proposal.cost, request.members) if proposal.split_among_members else ()
            )
            amount = proposal.cost
            commitments.append(
                PotEntry(
                    id=f"{request.id}.{proposal.id}"[:64],
                    amount=amount,
                    date=as_of,
                    payment_type=PaymentType.COLLECTIVE,
                    reference=request.group,
                )
            )
        else:
            default = (
                ProposalStatus.NOT_SELECTED
                if rule is CollectiveRule.CONSENSUS
                else ProposalStatus.NOT_FUNDED
            )
            state = statuses.get(proposal.id, default)
            shares = ()
            amount = Money(0)
        outcomes.append(
            ProposalOutcome(
                proposal_id=proposal.id,
                status=state,
                cost=proposal.cost,
                votes=votes.get(proposal.id, 0),
                amount=amount,
                asset_owner=owner,
                shares=shares,
                flags=tuple(flags),
            )
        )
        if steps is not None:
            steps.append(
                TraceStep(
                    kind=TraceKind.GRANT,
                    name=proposal.id,
                    value=amount,
                    detail=f"{state.value}; votes {votes.get(proposal.id, 0)}; "
                    f"cost {by_id[proposal.id].cost.amount}",
                )
            )
    funded = sum_money(o.amount for o in outcomes)
    new_pot = (
        attrs.evolve(pot, commitments=(*pot.commitments, *commitments)) if commitments else pot
    )
    decision = CollectiveDecision(
        request_id=request.id,
        policy_id=policy.id,
        as_of=as_of,
        rule=rule,
        decision_body=terms.decision_body,
        budget=budget,
        funded=funded,
        remaining=budget - funded,
        outcomes=tuple(outcomes),
        invalid_ballots=invalid,
        reasons=tuple(reasons),
        trace=None if steps is None else Trace.from_steps(steps),
    )
    return decision, new_pot


def _consensus(
    request: CollectiveRequest,
    *,
    candidates: list[BudgetProposal],
    budget: Money,
    body: DecisionBody,
    reasons: list[Reason],
    statuses: dict[str, ProposalStatus],
) -> list[str]:
    recorded = request.recorded
    if recorded is None:
        reasons.append(Reason(code="no_recorded_decision"))
        return []
    if recorded.decided_by is not body:
        reasons.append(
            Reason(
                code="wrong_decision_body",
                params=(("recorded", recorded.decided_by.value), ("expected", body.value)),
            )
        )
        return []
    open_ids = {p.id for p in candidates}
    unknown = [s for s in recorded.selected if s not in open_ids and s not in statuses]
    if unknown:
        reasons.append(Reason(code="unknown_proposal", params=(("proposal", unknown[0]),)))
        return []
    selected = [s for s in dict.fromkeys(recorded.selected) if s in open_ids]
    exact = sum((p.cost.amount for p in candidates if p.id in selected), Decimal(0))
    if exact > MAX_AMOUNT:
        raise InvalidInputError(
            "recorded.selected: the selected proposals cost more than the largest amount "
            f"({MAX_AMOUNT:,} NOK) together",
            what="recorded",
        )
    cost = Money(exact)
    if cost > budget:
        reasons.append(Reason(code="over_budget", params=(("cost", cost), ("budget", budget))))
        return []
    reasons.append(
        Reason(
            code="collective_consensus",
            params=(("decided_by", body.value), ("date", recorded.date)),
        )
    )
    return selected
