"""Deciding many requests in a row: the same decisions as one at a time, at a flat cost."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from samskaping import Money
from samskaping.model import PaymentType, PotEntry
from samskaping.payouts import Household, Request, allocate, evaluate, evaluate_many, load_policy

DAY = datetime.date(2022, 3, 1)
POLICY = load_policy("pa_egne_ben")

requests = st.lists(
    st.builds(
        lambda i, ref, amount, age: Request(
            id=f"r{i}",
            household=Household(
                ref=f"h{ref}", attributes={"youth_age": age, "in_contact_with_services": True}
            ),
            amount=Money(amount),
            purpose="driving_licence",
        ),
        st.integers(0, 10_000),
        st.integers(0, 5),
        st.integers(1, 120_000),
        st.integers(14, 27),
    ),
    max_size=25,
    unique_by=lambda r: r.id,
)
earlier = st.lists(
    st.builds(
        lambda i, ref, amount: PotEntry(
            id=f"old{i}",
            amount=Money(amount),
            date=DAY,
            payment_type=PaymentType.CONDITIONAL,
            reference=f"h{ref}",
        ),
        st.integers(0, 100),
        st.integers(0, 5),
        st.integers(1, 50_000),
    ),
    max_size=6,
    unique_by=lambda e: e.id,
)


class TestInTurn:
    """evaluate_many and allocate keep an index of the pot instead of rereading it."""

    @given(requests, earlier)
    @settings(max_examples=60)
    def test_evaluate_many_equals_one_at_a_time(self, items, entries):
        """The decisions and the final pot equal those of evaluate called in a loop."""
        pot = POLICY.pot
        assert pot is not None
        pot = type(pot)(
            **{
                **{
                    f: getattr(pot, f)
                    for f in ("id", "name", "total", "valid_from", "valid_to", "allowed_types")
                },
                "disbursements": tuple(entries),
            }
        )
        one_by_one = []
        current = pot
        for request in items:
            decision, current = evaluate(POLICY, request, current, DAY)
            one_by_one.append(decision)
        assert (tuple(one_by_one), current) == evaluate_many(POLICY, items, pot, DAY)

    def test_repeat_requests_are_counted(self):
        """A household's second request in the same batch is flagged as a repeat."""
        youth = Household(ref="h1", attributes={"youth_age": 19, "in_contact_with_services": True})
        batch = [
            Request(id=f"r{i}", household=youth, amount=Money(1000), purpose="driving_licence")
            for i in range(2)
        ]
        decisions, _ = evaluate_many(POLICY, batch, POLICY.pot, DAY)
        assert [[], ["repeat_request"]] == [
            [f.code for f in d.flags if f.code == "repeat_request"] for d in decisions
        ]

    def test_allocation_agrees_with_its_decisions(self):
        """An allocation's pot after it holds exactly the granted amounts."""
        batch = [
            Request(
                id=f"r{i}",
                household=Household(
                    ref=f"h{i}", attributes={"youth_age": 19, "in_contact_with_services": True}
                ),
                amount=Money(300_000),
                purpose="driving_licence",
            )
            for i in range(5)
        ]
        result, pot = allocate(POLICY, batch, POLICY.pot, DAY)
        assert POLICY.pot is not None
        granted = sum((d.amount for d in result.granted), Money(0))
        assert POLICY.pot.available - granted == pot.available
