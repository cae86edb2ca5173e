"""Collective payouts: participatory budgeting with three decision rules."""

from __future__ import annotations

import datetime
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samskaping import InvalidInputError, Money
from samskaping.model import Pot
from samskaping.payouts import (
    AssetOwner,
    Ballot,
    BudgetProposal,
    CollectiveDecision,
    CollectiveRequest,
    CollectiveRule,
    DecisionBody,
    GatekeeperDecision,
    GatekeeperOutcome,
    Policy,
    ProposalStatus,
    RecordedDecision,
    builtin_policy,
    check_policy,
    decide_collective,
    split_among,
)
from strategies import pot_of

DAY = datetime.date(2022, 9, 1)
STODIG = builtin_policy("stodig_start")
VEIEN = builtin_policy("veien_til_forerkortet")
MEMBERS = ("m1", "m2", "m3")


def with_rule(rule: CollectiveRule, **terms: Any) -> Policy:
    """Stødig start deciding by another rule."""
    assert STODIG.collective is not None
    return check_policy(
        attrs.evolve(STODIG, collective=attrs.evolve(STODIG.collective, rule=rule, **terms))
    )


def proposal(pid: str, cost: int, votes: int = 0, **kwargs: Any) -> BudgetProposal:
    """A proposal with a cost in kr."""
    return BudgetProposal(id=pid, title=pid, cost=Money(cost), votes=votes, **kwargs)


def request(
    *proposals: BudgetProposal, budget: int | None = 1000, **kwargs: Any
) -> CollectiveRequest:
    """A group's request with a budget in kr."""
    return CollectiveRequest(
        id="round1",
        group="group-secret",
        members=MEMBERS,
        budget=None if budget is None else Money(budget),
        proposals=proposals,
        **kwargs,
    )


def statuses(decision: Any) -> dict[str, ProposalStatus]:
    """Each proposal's status."""
    return {o.proposal_id: o.status for o in decision.outcomes}


class TestGreedy:
    """Most votes first, each funded if it still fits (Consul)."""

    def test_skips_what_does_not_fit(self) -> None:
        """A popular proposal too big for what is left is skipped; cheaper ones still fit."""
        decision, _ = decide_collective(
            with_rule(CollectiveRule.GREEDY_BY_VOTES),
            request(proposal("a", 600, 10), proposal("b", 500, 8), proposal("c", 300, 5)),
            pot_of(STODIG),
            DAY,
        )
        expected = {
            "a": ProposalStatus.FUNDED,
            "b": ProposalStatus.NOT_FUNDED,
            "c": ProposalStatus.FUNDED,
        }
        assert expected == statuses(decision)

    def test_tie_goes_to_cheaper(self) -> None:
        """Equal votes: the cheaper proposal comes first."""
        decision, _ = decide_collective(
            with_rule(CollectiveRule.GREEDY_BY_VOTES),
            request(proposal("a", 700, 5), proposal("b", 400, 5)),
            pot_of(STODIG),
            DAY,
        )
        assert ProposalStatus.FUNDED == statuses(decision)["b"]
        assert ProposalStatus.NOT_FUNDED == statuses(decision)["a"]

    def test_ballots_count(self) -> None:
        """Ballots add votes to the proposals they pick."""
        decision, _ = decide_collective(
            with_rule(CollectiveRule.GREEDY_BY_VOTES),
            request(proposal("a", 600), proposal("b", 600), ballots=(Ballot(selections=("b",)),)),
            pot_of(STODIG),
            DAY,
        )
        assert ProposalStatus.FUNDED == statuses(decision)["b"]


class TestThreshold:
    """Ballots count only if they meet Decidim's rules."""

    def test_ballot_below_threshold_ignored(self) -> None:
        """A ballot spending under the threshold share of the budget does not count."""
        policy = with_rule(CollectiveRule.THRESHOLD, threshold_percent=50)
        ballots = (Ballot(selections=("a",)), Ballot(selections=("b",)), Ballot(selections=("b",)))
        decision, _ = decide_collective(
            policy,
            request(proposal("a", 600), proposal("b", 100), ballots=ballots),
            pot_of(STODIG),
            DAY,
        )
        assert 2 == decision.invalid_ballots
        assert ProposalStatus.FUNDED == statuses(decision)["a"]

    def test_minimum_projects(self) -> None:
        """A ballot picking fewer than the minimum number of projects does not count."""
        policy = with_rule(CollectiveRule.THRESHOLD, min_projects=2)
        ballots = (Ballot(selections=("a",)), Ballot(selections=("a", "b")))
        decision, _ = decide_collective(
            policy,
            request(proposal("a", 300), proposal("b", 300), ballots=ballots),
            pot_of(STODIG),
            DAY,
        )
        assert 1 == decision.invalid_ballots


class TestConsensus:
    """A recorded decision of the group or project group (002:1874, 002:1900)."""

    def recorded(
        self, *selected: str, body: DecisionBody = DecisionBody.PROJECT_GROUP
    ) -> RecordedDecision:
        """A recorded decision."""
        return RecordedDecision(selected=selected, decided_by=body, date=DAY)

    def test_funds_what_was_agreed(self) -> None:
        """Stødig start's project group funds what it agreed on."""
        decision, pot = decide_collective(
            STODIG,
            request(proposal("boat", 800), proposal("meals", 100), recorded=self.recorded("boat")),
            pot_of(STODIG),
            DAY,
        )
        assert {"boat": ProposalStatus.FUNDED, "meals": ProposalStatus.NOT_SELECTED} == statuses(
            decision
        )
        assert Money(800) == pot.committed

    def test_wrong_body(self) -> None:
        """A decision recorded by another body than the policy's funds nothing."""
        decision, _ = decide_collective(
            STODIG,
            request(
                proposal("boat", 800),
                recorded=self.recorded("boat", body=DecisionBody.CITIZEN_GROUP),
            ),
            pot_of(STODIG),
            DAY,
        )
        assert "wrong_decision_body" == decision.reasons[0].code
        assert Money(0) == decision.funded

    def test_over_budget(self) -> None:
        """A recorded decision over budget funds nothing."""
        decision, _ = decide_collective(
            STODIG,
            request(
                proposal("boat", 800), proposal("car", 800), recorded=self.recorded("boat", "car")
            ),
            pot_of(STODIG),
            DAY,
        )
        assert "over_budget" == decision.reasons[0].code
        assert Money(0) == decision.funded

    def test_no_record(self) -> None:
        """Without a recorded decision nothing is funded."""
        decision, _ = decide_collective(STODIG, request(proposal("boat", 800)), pot_of(STODIG), DAY)
        assert "no_recorded_decision" == decision.reasons[0].code


class TestGatekeepersAndOwners:
    """External gatekeepers (002:1910) and asset owners (002:1908)."""

    def licence(self, decision: GatekeeperDecision) -> BudgetProposal:
        """Driving lessons for the group, with the police as gatekeeper."""
        return proposal(
            "licence",
            21000,
            purpose="driving_licence",
            split_among_members=True,
            gatekeepers=(GatekeeperOutcome(gatekeeper="police", decision=decision),),
        )

    def decide(self, item: BudgetProposal) -> tuple[CollectiveDecision, Pot]:
        """Veien til førerkortet's group decides on one proposal."""
        recorded = RecordedDecision(
            selected=(item.id,), decided_by=DecisionBody.CITIZEN_GROUP, date=DAY
        )
        return decide_collective(
            VEIEN, request(item, budget=50000, recorded=recorded), pot_of(VEIEN), DAY
        )

    def test_pending(self) -> None:
        """A proposal waiting for a gatekeeper is funded and marked as waiting."""
        decision, _ = self.decide(self.licence(GatekeeperDecision.PENDING))
        outcome = decision.outcomes[0]
        assert ProposalStatus.AWAITING_GATEKEEPERS == outcome.status
        assert ["awaiting_gatekeepers"] == [f.code for f in outcome.flags]

    def test_refused(self) -> None:
        """A proposal a gatekeeper refused is not funded."""
        decision, _ = self.decide(self.licence(GatekeeperDecision.REFUSED))
        assert ProposalStatus.BLOCKED_BY_GATEKEEPER == decision.outcomes[0].status

    def test_split_among_members(self) -> None:
        """21 000 kr split among three members gives 7 000 kr each."""
        decision, _ = self.decide(self.licence(GatekeeperDecision.APPROVED))
        assert [Money(7000)] * 3 == [amount for _, amount in decision.outcomes[0].shares]

    def test_boat_owned_by_citizens(self) -> None:
        """Stødig start's boat is owned by the parents and flagged for running costs."""
        recorded = RecordedDecision(
            selected=("boat",), decided_by=DecisionBody.PROJECT_GROUP, date=DAY
        )
        decision, _ = decide_collective(
            STODIG,
            request(proposal("boat", 800, purpose="boat"), recorded=recorded),
            pot_of(STODIG),
            DAY,
        )
        outcome = decision.outcomes[0]
        assert AssetOwner.CITIZENS == outcome.asset_owner
        assert ["running_cost"] == [f.code for f in outcome.flags]


class TestPotAndPrivacy:
    """Collective decisions and the pot."""

    def test_ended_pot(self) -> None:
        """An ended pot funds nothing and says so."""
        pot = attrs.evolve(pot_of(VEIEN), valid_to=DAY)
        recorded = RecordedDecision(
            selected=("a",), decided_by=DecisionBody.CITIZEN_GROUP, date=DAY
        )
        decision, _ = decide_collective(
            VEIEN, request(proposal("a", 10), recorded=recorded), pot, DAY
        )
        assert "pot_ended" == decision.reasons[0].code
        assert Money(0) == decision.funded

    def test_members_hidden(self) -> None:
        """Group and member references are hidden in the repr and JSON."""
        recorded = RecordedDecision(
            selected=("a",), decided_by=DecisionBody.PROJECT_GROUP, date=DAY
        )
        item = request(proposal("a", 300, split_among_members=True), recorded=recorded)
        decision, _ = decide_collective(STODIG, item, pot_of(STODIG), DAY)
        text = repr(item) + repr(decision) + str(decision.to_dict())
        assert "group-secret" not in text
        assert "m1" not in str(decision.to_dict())

    def test_not_collective(self) -> None:
        """A conditional policy cannot decide proposals."""
        with pytest.raises(InvalidInputError):
            decide_collective(
                builtin_policy("pa_egne_ben"), request(proposal("a", 1)), pot_of(STODIG), DAY
            )


_proposals = st.lists(
    st.tuples(st.integers(1, 10**7), st.integers(0, 50)), min_size=1, max_size=8
).map(
    lambda items: tuple(
        BudgetProposal(id=f"p{i}", title="x", cost=Money.from_ore(c), votes=v)
        for i, (c, v) in enumerate(items)
    )
)


class TestProperties:
    """Money is conserved in collective decisions and splits."""

    @given(
        _proposals,
        st.integers(0, 5 * 10**7),
        st.sampled_from([CollectiveRule.GREEDY_BY_VOTES, CollectiveRule.THRESHOLD]),
    )
    @settings(max_examples=100)
    def test_budget_conserved(
        self, proposals: tuple[BudgetProposal, ...], budget: Any, rule: CollectiveRule
    ) -> None:
        """Property: funded plus left equals the budget; the pot loses exactly the funded."""
        pot = Pot(id="p", total=Money(10**6))
        item = CollectiveRequest(
            id="r",
            group="g",
            budget=Money.from_ore(budget),
            proposals=proposals,
            ballots=(Ballot(selections=("p0",)),),
        )
        decision, after = decide_collective(with_rule(rule), item, pot, DAY)
        assert decision.budget == decision.funded + decision.remaining
        assert not decision.remaining.is_negative()
        assert pot.available - decision.funded == after.available

    @given(
        st.integers(0, 10**12).map(Money.from_ore),
        st.lists(
            st.from_regex(r"[a-d]{1,3}", fullmatch=True), min_size=1, max_size=30, unique=True
        ),
    )
    @settings(max_examples=150)
    def test_split_conserves(self, amount: Any, members: list[str]) -> None:
        """Property: a split among members adds up to the amount, to the øre."""
        shares = [share for _, share in split_among(amount, tuple(members))]
        assert amount == sum(shares, Money(0))
        assert max(shares).ore - min(shares).ore <= 1
