"""Money never goes wrong: cohorts, collective splits, pots and allocations refuse what is wrong."""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings

from samskaping import DocumentError, InvalidInputError, Money
from samskaping.io import structure
from samskaping.model import PaymentType, Pot, PotEntry
from samskaping.payouts import (
    Ballot,
    BudgetProposal,
    Child,
    Cohort,
    CohortKind,
    CohortMember,
    CollectiveRequest,
    CollectiveRule,
    DecisionBody,
    Household,
    Proration,
    RecordedDecision,
    Request,
    allocate,
    builtin_policy,
    check_policy,
    decide_collective,
    evaluate,
    payment_plan,
    pot_to_dict,
    split_among,
)
from samskaping.payouts._plan import MAX_CHILDREN, MAX_HOUSEHOLD_PERIODS
from strategies import cohorts, pot_of

FLY = builtin_policy("flyktningfamilien")
FRITID = builtin_policy("fritid_for_alle")
STODIG = builtin_policy("stodig_start")
AUGUST = datetime.date(2022, 8, 1)
SEPTEMBER = datetime.date(2022, 9, 1)
START = datetime.date(2022, 2, 1)
BIG = "1000000000000000"


class TestCohorts:
    """A household is in a cohort once, and dates run forwards."""

    def test_repeated_household_refused(self) -> None:
        """A household listed twice is refused (was paid twice by payment_plan)."""
        with pytest.raises(InvalidInputError, match=r"members\[1\] is the same household"):
            Cohort(
                id="c",
                members=(
                    CohortMember(ref="fam-a", children=(Child(),)),
                    CohortMember(ref="fam-a", children=(Child(),)),
                ),
            )

    def test_repeated_household_located_at_load(self) -> None:
        """Loading a cohort file with a repeated household names the path, not the reference."""
        data = {"id": "c", "members": [{"ref": "fam-secret"}, {"ref": "fam-secret"}]}
        with pytest.raises(DocumentError) as info:
            structure(data, Cohort)
        assert "$.members" in str(info.value)
        assert "fam-secret" not in str(info.value)

    def test_reversed_member_dates_refused(self) -> None:
        """A household that left before it joined is refused."""
        data = {"id": "c", "members": [{"ref": "a", "joined": "2022-05-01", "left": "2022-03-01"}]}
        with pytest.raises(DocumentError, match=r"\$\.members\[0\]\.left"):
            structure(data, Cohort)

    def test_reversed_child_dates_refused(self) -> None:
        """A child who left before arriving is refused."""
        child = {"present_from": "2022-05-01", "present_until": "2022-03-01"}
        data = {"id": "c", "members": [{"ref": "a", "children": [child]}]}
        with pytest.raises(DocumentError, match=r"\$\.members\[0\]\.children\[0\]\.present_until"):
            structure(data, Cohort)

    def test_too_many_children_refused(self) -> None:
        """A household has at most MAX_CHILDREN children."""
        with pytest.raises(InvalidInputError, match="at most"):
            CohortMember(ref="a", children=(Child(),) * (MAX_CHILDREN + 1))

    def test_plan_size_bounded(self) -> None:
        """A plan of more household periods than the limit is refused before any work."""
        members = tuple(CohortMember(ref=f"f{i}") for i in range(MAX_HOUSEHOLD_PERIODS // 1000 + 1))
        with pytest.raises(InvalidInputError, match="household periods"):
            payment_plan(FLY, Cohort(id="c", members=members), months=1000)

    @given(cohorts)
    @settings(max_examples=40, deadline=None)
    def test_paid_at_most_once_per_period(self, cohort: Cohort) -> None:
        """Property: every household of a plan is paid at most once per period."""
        plan = payment_plan(FLY, cohort, months=14)
        keys = [(p.household_ref, p.date) for p in plan.payments]
        assert len(keys) == len(set(keys))

    @given(cohorts)
    @settings(max_examples=25, deadline=None)
    def test_same_as_child_by_child(self, cohort: Cohort) -> None:
        """Property: the fast count equals counting child by child, under every proration."""
        for proration in Proration:
            policy = _with_proration(proration)
            plan = payment_plan(policy, cohort, months=14)
            assert _naive(cohort, plan) == [
                (p.household_ref, p.date, p.children, p.amount) for p in plan.payments
            ]


def _with_proration(proration: Proration) -> Any:
    assert FLY.unconditional is not None
    terms = attrs.evolve(FLY.unconditional, proration=proration, cohort=CohortKind.OPEN)
    return check_policy(attrs.evolve(FLY, unconditional=terms))


def _naive(cohort: Cohort, plan: Any) -> list[Any]:
    """The plan's payments worked out child by child and day by day (a slow reference)."""
    rate = 160000  # øre a child a month, in force throughout
    starts = [plan.start + relativedelta(months=k) for k in range(14)]
    periods = list(zip(starts, [*starts[1:], plan.end], strict=True))
    out = []
    for member in cohort.members:
        for start, end in periods:
            days = [start + datetime.timedelta(d) for d in range((end - start).days)]

            def present(child: Child, day: datetime.date, m: CohortMember = member) -> bool:
                spans = ((child.present_from, child.present_until), (m.joined, m.left))
                return all((a is None or a <= day) and (b is None or day < b) for a, b in spans)

            proration = plan.proration
            if proration is Proration.BY_DAY:
                counted = sum(
                    (
                        Fraction(sum(present(c, d) for d in days), len(days))
                        for c in member.children
                    ),
                    Fraction(0),
                )
            elif proration is Proration.BY_MONTH:
                counted = Fraction(sum(present(c, start) for c in member.children))
            else:
                counted = Fraction(sum(any(present(c, d) for d in days) for c in member.children))
            total = counted * rate
            whole, rest = divmod(total.numerator, total.denominator)
            ore = whole + (1 if 2 * rest >= total.denominator else 0)
            if ore > 0:
                out.append((member.ref, start, counted, Money.from_ore(ore)))
    return sorted(out, key=lambda p: ([m.ref for m in cohort.members].index(p[0]), p[1]))


class TestCollective:
    """A split needs members, each listed once."""

    def _request(self, members: tuple[str, ...], *, split: bool = True) -> CollectiveRequest:
        proposal = BudgetProposal(id="p", title="p", cost=Money(300), split_among_members=split)
        return CollectiveRequest(id="r", group="g", members=members, proposals=(proposal,))

    def test_split_among_no_members_refused(self) -> None:
        """A split proposal with no members is refused (was funded and split to nobody)."""
        with pytest.raises(InvalidInputError, match="none"):
            self._request(())

    def test_member_listed_three_times_refused(self) -> None:
        """A member listed three times is refused (got three shares)."""
        with pytest.raises(InvalidInputError, match=r"members\[1\]"):
            self._request(("m1", "m1", "m1"))

    def test_no_members_fine_without_split(self) -> None:
        """Without a split, a group need not list members."""
        assert () == self._request((), split=False).members

    def test_split_among_function_refuses(self) -> None:
        """split_among refuses no members and repeated members."""
        with pytest.raises(InvalidInputError):
            split_among(Money(100), ())
        with pytest.raises(InvalidInputError):
            split_among(Money(100), ("a", "b", "a"))

    def test_repeated_member_located_at_load(self) -> None:
        """Loading a request with a repeated member names the path, not the member."""
        data = {
            "id": "r",
            "group": "g",
            "members": ["ola-secret", "ola-secret"],
            "proposals": [{"id": "p", "title": "p", "cost": "300"}],
        }
        with pytest.raises(DocumentError) as info:
            structure(data, CollectiveRequest)
        assert "$.members" in str(info.value)
        assert "ola-secret" not in str(info.value)

    def test_ballot_sum_past_the_limit(self) -> None:
        """A ballot whose selections add up past the largest amount is invalid, not an abort."""
        proposals = tuple(
            BudgetProposal(id=f"p{i}", title="p", cost=Money(BIG), votes=0) for i in range(3)
        )
        request = CollectiveRequest(
            id="r",
            group="g",
            proposals=proposals,
            ballots=(Ballot(selections=("p0", "p1", "p2")),),
        )
        policy = _rule("greedy_by_votes")
        decision, _ = decide_collective(policy, request, Pot(id="pot", total=Money(BIG)), SEPTEMBER)
        assert 1 == decision.invalid_ballots

    def test_consensus_sum_past_the_limit(self) -> None:
        """A recorded selection costing more than the largest amount is a clean error."""
        proposals = tuple(BudgetProposal(id=f"p{i}", title="p", cost=Money(BIG)) for i in range(2))
        assert STODIG.collective is not None
        request = CollectiveRequest(
            id="r",
            group="g",
            proposals=proposals,
            recorded=RecordedDecision(
                selected=("p0", "p1"), decided_by=STODIG.collective.decision_body, date=SEPTEMBER
            ),
        )
        policy = _rule("consensus")
        with pytest.raises(InvalidInputError, match="largest amount"):
            decide_collective(policy, request, Pot(id="pot", total=Money(BIG)), SEPTEMBER)


def _rule(rule: str) -> Any:
    assert STODIG.collective is not None
    terms = attrs.evolve(STODIG.collective, rule=CollectiveRule(rule))
    return check_policy(attrs.evolve(STODIG, collective=terms))


class TestPots:
    """A pot's window runs forwards; its sums stay within the largest amount."""

    def test_reversed_window_refused(self) -> None:
        """A pot whose valid_to is before its valid_from is refused (it loaded)."""
        with pytest.raises(InvalidInputError, match="valid_from"):
            Pot(
                id="p",
                total=Money(100),
                valid_from=datetime.date(2022, 5, 1),
                valid_to=datetime.date(2022, 1, 1),
            )

    def test_reversed_window_located_at_load(self) -> None:
        """Loading such a pot names the path."""
        data = {"id": "p", "total": "100", "valid_from": "2022-05-01", "valid_to": "2022-01-01"}
        with pytest.raises(DocumentError, match=r"\$\.valid_to"):
            structure(data, Pot)

    def test_commitments_past_the_limit(self) -> None:
        """Commitments adding up past the largest amount give an error naming the pot."""
        entries = tuple(
            PotEntry(
                id=f"e{i}", amount=Money(BIG), date=AUGUST, payment_type=PaymentType.CONDITIONAL
            )
            for i in range(2)
        )
        pot = Pot(id="pot-x", total=Money(BIG), commitments=entries)
        with pytest.raises(InvalidInputError, match="pot 'pot-x': its commitments"):
            pot_to_dict(pot, AUGUST)

    def test_allocate_with_broken_pot_is_clean(self) -> None:
        """An allocation against such a pot fails with the same clean error."""
        entries = tuple(
            PotEntry(
                id=f"e{i}", amount=Money(BIG), date=AUGUST, payment_type=PaymentType.CONDITIONAL
            )
            for i in range(2)
        )
        pot = attrs.evolve(pot_of(FRITID), total=Money(BIG), commitments=entries)
        with pytest.raises(InvalidInputError, match="largest amount"):
            allocate(FRITID, [], pot, AUGUST)


def _family(ref: str, children: int = 2) -> Household:
    return Household(
        ref=ref,
        children=children,
        need_weight=Decimal(1),
        attributes={"long_term_social_assistance": True},
    )


class TestEmptiedPot:
    """Once the pot is empty only requests that meet the rules are deferred."""

    def _run(self) -> Any:
        pot = attrs.evolve(pot_of(FRITID), total=Money(10000))
        requests = [
            Request(id="a", household=_family("a"), amount=Money(10000), purpose="home_furnishing"),
            Request(id="b", household=_family("b"), amount=Money(5000), purpose="no_such_purpose"),
            Request(
                id="c", household=_family("c", 0), amount=Money(5000), purpose="home_furnishing"
            ),
            Request(id="d", household=_family("d"), amount=Money(5000), purpose="home_furnishing"),
        ]
        return allocate(FRITID, requests, pot, AUGUST)[0]

    def test_unknown_purpose_rejected(self) -> None:
        """An unknown purpose is rejected with its reason (was deferred as pot_emptied)."""
        rejected = {d.request_id: d.reasons[0].code for d in self._run().rejected}
        assert "purpose_unknown" == rejected["b"]

    def test_ineligible_rejected(self) -> None:
        """A household the rules do not admit is rejected (was deferred as pot_emptied)."""
        rejected = {d.request_id: d.reasons[0].code for d in self._run().rejected}
        assert "rule_not_met" == rejected["c"]

    def test_eligible_deferred(self) -> None:
        """A request that meets the rules is deferred for want of money."""
        assert [("d", "pot_emptied")] == [(d.request_id, d.reason) for d in self._run().deferred]

    def test_evaluate_on_empty_pot_gives_real_reason(self) -> None:
        """A single decision on an emptied pot names the rule a request fails first."""
        pot = attrs.evolve(pot_of(FRITID), total=Money(0))
        request = Request(id="x", household=_family("x"), amount=Money(5000), purpose="nope")
        decision, _ = evaluate(FRITID, request, pot, AUGUST)
        assert "purpose_unknown" == decision.reasons[0].code

    def test_evaluate_on_empty_pot_for_eligible(self) -> None:
        """An eligible request on an emptied pot is still rejected as pot_emptied."""
        pot = attrs.evolve(pot_of(FRITID), total=Money(0))
        request = Request(
            id="x", household=_family("x"), amount=Money(5000), purpose="home_furnishing"
        )
        decision, _ = evaluate(FRITID, request, pot, AUGUST)
        assert "pot_emptied" == decision.reasons[0].code


def test_decision_body_imported() -> None:
    """The decision bodies are public (used by recorded decisions)."""
    assert DecisionBody
