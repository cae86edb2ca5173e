"""Allocation of many requests against one limited pot, in priority order."""

from __future__ import annotations

import datetime
from decimal import Decimal
from random import Random
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samskaping import InvalidInputError, Money
from samskaping.payouts import Household, Request, allocate, builtin_policy, check_policy
from strategies import peb_requests, pot_of

DAY = datetime.date(2022, 8, 1)
FRITID = builtin_policy("fritid_for_alle")
PEB = builtin_policy("pa_egne_ben")


def family(ref: str, children: int, need: str = "1") -> Household:
    """A family in Fritid for alle's target group."""
    return Household(
        ref=ref,
        children=children,
        need_weight=Decimal(need),
        attributes={"long_term_social_assistance": True},
    )


def ask(
    rid: str, household: Household, amount: int, purpose: str = "home_furnishing", **kwargs: Any
) -> Request:
    """A request for an amount in kr."""
    return Request(id=rid, household=household, amount=Money(amount), purpose=purpose, **kwargs)


class TestPriority:
    """Children's needs first, then need weight, then the documented tie-break."""

    def test_children_first(self) -> None:
        """A request for children's needs comes before a needier request that is not."""
        purposes = tuple(attrs.evolve(p, for_children=False) for p in FRITID.purposes)
        policy = check_policy(attrs.evolve(FRITID, purposes=purposes))
        requests = [
            ask("adult", family("a", 1, "5"), 100000),
            ask("child", family("b", 1, "1"), 100000, for_children=True),
        ]
        result, _ = allocate(policy, requests, pot_of(FRITID), DAY)
        assert ("child", "adult") == result.order

    def test_purpose_marks_children_need(self) -> None:
        """A purpose marked as for children puts its request first (home furnishing, 002:505)."""
        requests = [
            ask("adult", family("a", 1, "5"), 1000, purpose="buy_own_home"),
            ask("child", family("b", 1), 1000),
        ]
        result, _ = allocate(FRITID, requests, pot_of(FRITID), DAY)
        assert ("child", "adult") == result.order

    def test_need_weight_second(self) -> None:
        """Among requests for children, the higher need weight comes first."""
        requests = [ask("low", family("a", 2, "1"), 10), ask("high", family("b", 2, "3"), 10)]
        result, _ = allocate(FRITID, requests, pot_of(FRITID), DAY)
        assert ("high", "low") == result.order

    def test_tie_break_date_then_id(self) -> None:
        """Equal need: the earlier submitted first, then the request id."""
        requests = [
            ask("b", family("a", 1), 10, submitted=datetime.date(2022, 7, 2)),
            ask("c", family("b", 1), 10),
            ask("a", family("c", 1), 10, submitted=datetime.date(2022, 7, 2)),
            ask("z", family("d", 1), 10, submitted=datetime.date(2022, 7, 1)),
        ]
        result, _ = allocate(FRITID, requests, pot_of(FRITID), DAY)
        assert ("z", "a", "b", "c") == result.order


class TestOutcome:
    """Who got what, who was deferred, and why."""

    def test_six_families_share_500000(self) -> None:
        """Six families sharing exactly 500 000 kr, 70 000-120 000 each, all granted (002:505)."""
        asks = [120000, 95000, 85000, 70000, 60000 + 10000, 60000]
        requests = [ask(f"f{i}", family(f"h{i}", 2 + i), a) for i, a in enumerate(asks)]
        result, pot = allocate(FRITID, requests, pot_of(FRITID), DAY)
        assert 6 == len(result.granted)
        assert Money(500000) == result.total_granted
        assert Money(0) == pot.available

    def test_deferred_when_pot_runs_out(self) -> None:
        """Requests the pot cannot cover are deferred, with the reason."""
        pot = attrs.evolve(pot_of(FRITID), total=Money(100000))
        requests = [ask("a", family("a", 3, "2"), 100000), ask("b", family("b", 3, "1"), 50000)]
        result, _ = allocate(FRITID, requests, pot, DAY)
        assert [("b", "pot_emptied", 2)] == [
            (d.request_id, d.reason, d.position) for d in result.deferred
        ]

    def test_partial_not_allowed_defers(self) -> None:
        """Where partial grants are not allowed, the request that does not fit is deferred."""
        policy = check_policy(attrs.evolve(FRITID, partial_grants=False))
        pot = attrs.evolve(pot_of(FRITID), total=Money(120000))
        requests = [ask("a", family("a", 3, "2"), 100000), ask("b", family("b", 3, "1"), 50000)]
        result, _ = allocate(policy, requests, pot, DAY)
        assert [("b", "partial_not_allowed")] == [(d.request_id, d.reason) for d in result.deferred]

    def test_rejected_and_referred_kept_apart(self) -> None:
        """Rule failures are rejected and home purchases referred, not deferred."""
        requests = [
            ask("r", family("a", 0), 1000),
            ask("h", family("b", 2), 1000, purpose="buy_own_home"),
        ]
        result, _ = allocate(FRITID, requests, pot_of(FRITID), DAY)
        assert ["r"] == [d.request_id for d in result.rejected]
        assert ["h"] == [d.request_id for d in result.referred]

    def test_duplicate_ids(self) -> None:
        """Two requests with one id are refused."""
        with pytest.raises(InvalidInputError):
            allocate(
                FRITID,
                [ask("a", family("a", 1), 1), ask("a", family("b", 1), 1)],
                pot_of(FRITID),
                DAY,
            )

    def test_json_hides_households(self) -> None:
        """The allocation's JSON hides household references."""
        pot = attrs.evolve(pot_of(FRITID), total=Money(10))
        result, _ = allocate(
            FRITID,
            [ask("a", family("secret-a", 1), 10), ask("b", family("secret-b", 1), 10)],
            pot,
            DAY,
        )
        assert "secret" not in str(result.to_dict(lang="nb"))


class TestProperties:
    """Allocations conserve money and are deterministic."""

    @given(
        st.lists(peb_requests(), max_size=10, unique_by=lambda r: r.id), st.integers(0, 100_000_00)
    )
    @settings(max_examples=60)
    def test_conserved(self, requests: Any, total: int) -> None:
        """Property: what was left before equals what was granted plus what is left after."""
        pot = attrs.evolve(pot_of(PEB), total=Money.from_ore(total))
        result, after = allocate(PEB, requests, pot, datetime.date(2022, 3, 1))
        assert result.available_before == result.total_granted + result.available_after
        assert after.available == result.available_after
        assert not after.available.is_negative()

    @given(st.lists(peb_requests(), max_size=8, unique_by=lambda r: r.id), st.randoms())
    @settings(max_examples=40)
    def test_order_of_input_does_not_matter(self, requests: Any, random: Random) -> None:
        """Property: shuffling the requests gives the same allocation."""
        shuffled = list(requests)
        random.shuffle(shuffled)
        day = datetime.date(2022, 3, 1)
        assert allocate(PEB, requests, pot_of(PEB), day) == allocate(
            PEB, shuffled, pot_of(PEB), day
        )
