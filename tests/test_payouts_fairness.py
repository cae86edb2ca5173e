"""The fairness report (002 §8.3) and outcome payments."""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest

from samskaping import InvalidInputError, Money
from samskaping.model import Pot
from samskaping.payouts import (
    Decision,
    FairnessPrinciple,
    Household,
    OutcomeContract,
    Request,
    builtin_policy,
    check_policy,
    evaluate,
    evaluate_many,
    fairness_report,
    outcome_payment,
)
from strategies import pot_of

FRITID = builtin_policy("fritid_for_alle")
FLY = builtin_policy("flyktningfamilien")
DAY = datetime.date(2022, 8, 1)
P = FairnessPrinciple


def family(ref: str, children: int = 2, need: str = "1") -> Household:
    """A family in Fritid for alle's target group."""
    return Household(
        ref=ref,
        children=children,
        need_weight=Decimal(need),
        attributes={"long_term_social_assistance": True},
    )


def ask(rid: str, household: Household, amount: int, **kwargs: Any) -> Request:
    """A request for home furnishing."""
    kwargs.setdefault("purpose", "home_furnishing")
    return Request(id=rid, household=household, amount=Money(amount), **kwargs)


def decisions(
    requests: Any, pot: Any = None, as_of: datetime.date = DAY, policy: Any = FRITID
) -> tuple[Decision, ...]:
    """Decide the requests in order against the pot."""
    return evaluate_many(policy, requests, pot or pot_of(FRITID), as_of)[0]


class TestEqualTreatment:
    """Equal inputs should have equal outcomes (002:1966)."""

    def test_consistent(self) -> None:
        """Two equal requests both granted are consistent."""
        report = fairness_report(
            decisions([ask("a", family("x"), 1000), ask("b", family("y"), 1000)])
        )
        assert Fraction(1) == report.result(P.EQUAL_TREATMENT).value
        assert not report.result(P.EQUAL_TREATMENT).attention

    def test_pot_running_out_is_unequal(self) -> None:
        """Equal requests where the pot ran out for the second are a finding."""
        pot = attrs.evolve(pot_of(FRITID), total=Money(1000))
        result = fairness_report(
            decisions([ask("a", family("x"), 1000), ask("b", family("y"), 1000)], pot)
        ).result(P.EQUAL_TREATMENT)
        assert ("a", "b") == result.findings
        assert result.attention


class TestNeedProportionality:
    """More need, at least as much money (002:505, 002:3519)."""

    def test_needier_got_less(self) -> None:
        """A needier family that got less is a finding."""
        items = [ask("big", family("x", 7, "2"), 70000), ask("small", family("y", 1, "1"), 120000)]
        result = fairness_report(decisions(items)).result(P.NEED_PROPORTIONALITY)
        assert Fraction(0) == result.value
        assert ("big",) == result.findings
        assert result.attention

    def test_needier_got_more(self) -> None:
        """The family with 7 children getting most (002:505) agrees with need."""
        items = [ask("big", family("x", 7, "2"), 120000), ask("small", family("y", 1, "1"), 70000)]
        assert Fraction(1) == fairness_report(decisions(items)).result(P.NEED_PROPORTIONALITY).value


class TestReach:
    """The share of eligible households never served (002:1940)."""

    def test_never_served(self) -> None:
        """One of three eligible households never asked: a third not reached."""
        report = fairness_report(
            decisions([ask("a", family("x"), 1000), ask("b", family("y"), 1000)]),
            eligible=["x", "y", "z"],
        )
        assert Fraction(1, 3) == report.result(P.REACH).value

    def test_not_measured_without_eligible(self) -> None:
        """Without the eligible households, reach is not measured."""
        assert fairness_report([]).result(P.REACH).value is None


class TestChildFirst:
    """Children's needs first (002:1585)."""

    #: Fritid for alle with no purpose marked as for children.
    PLAIN = check_policy(
        attrs.evolve(
            FRITID, purposes=tuple(attrs.evolve(p, for_children=False) for p in FRITID.purposes)
        )
    )

    def test_child_went_without(self) -> None:
        """A child's request left without money while another was paid is a finding."""
        pot = attrs.evolve(pot_of(FRITID), total=Money(1000))
        items = [
            ask("adult", family("x"), 1000),
            ask("child", family("y"), 1000, for_children=True),
        ]
        result = fairness_report(decisions(items, pot, policy=self.PLAIN)).result(P.CHILD_FIRST)
        assert ("child",) == result.findings
        assert result.attention

    def test_share(self) -> None:
        """The share of money granted for children's needs."""
        items = [
            ask("adult", family("x"), 3000),
            ask("child", family("y"), 1000, for_children=True),
        ]
        result = fairness_report(decisions(items, policy=self.PLAIN)).result(P.CHILD_FIRST)
        assert Fraction(1, 4) == result.value

    def test_purpose_for_children_counts(self) -> None:
        """A purpose marked as for children counts as children's needs (002:505)."""
        items = [ask("a", family("x"), 3000), ask("b", family("y"), 1000)]
        assert Fraction(1) == fairness_report(decisions(items)).result(P.CHILD_FIRST).value


class TestPredictability:
    """Monthly amounts should be predictable (002:1813)."""

    def test_unconditional_fully_predictable(self) -> None:
        """The same monthly amount every month has no variation."""
        household = Household(ref="fam", children=4, attributes={"in_cohort": True})
        pot = Pot(id="p", total=Money(10**6))
        months = [datetime.date(2022, m, 1) for m in range(2, 8)]
        items = [
            evaluate(FLY, Request(id=f"m{d.month}", household=household), pot, d)[0] for d in months
        ]
        assert Fraction(0) == fairness_report(items).result(P.PREDICTABILITY).value

    def test_irregular(self) -> None:
        """Money in one month of two varies (coefficient of variation 1)."""
        items = [
            decisions([ask("a", family("x"), 1000)], as_of=datetime.date(2022, 8, 1))[0],
            decisions([ask("b", family("x"), 20000, purpose="x")], as_of=datetime.date(2022, 9, 1))[
                0
            ],
        ]
        result = fairness_report(items).result(P.PREDICTABILITY)
        assert Fraction(1) == result.value
        assert result.attention


class TestReportShape:
    """The report as data."""

    def test_json(self) -> None:
        """The report has every principle and a schema version."""
        data = fairness_report(decisions([ask("a", family("x"), 1000)])).to_dict()
        assert 1 == data["schema_version"]
        assert [p.value for p in P] == [r["principle"] for r in data["results"]]

    def test_no_household_references(self) -> None:
        """Findings name requests, never households."""
        pot = attrs.evolve(pot_of(FRITID), total=Money(1000))
        items = [ask("a", family("secret-1"), 1000), ask("b", family("secret-2"), 1000)]
        assert "secret" not in str(
            fairness_report(decisions(items, pot), eligible=["secret-1"]).to_dict()
        )


class TestOutcomePayment:
    """payment = min(price per unit × units achieved, cap), with targets."""

    CONTRACT = OutcomeContract(
        id="licences",
        price_per_unit=Money(15000),
        cap=Money(100000),
        target_units=7,
        minimum_units=2,
    )

    @pytest.mark.parametrize(
        ("units", "amount", "capped", "target_met"),
        [
            (0, "0", False, False),
            (1, "0", False, False),
            (2, "30000", False, False),
            (7, "100000", True, True),
            (10, "100000", True, True),
        ],
    )
    def test_payment(self, *, units: int, amount: Any, capped: bool, target_met: bool) -> None:
        """Below the minimum nothing; above the cap the cap; the target is reported."""
        payment = outcome_payment(self.CONTRACT, units)
        assert Money(amount) == payment.amount
        assert capped == payment.capped
        assert target_met == payment.target_met

    def test_attainment(self) -> None:
        """Attainment is units over target."""
        assert Fraction(3, 7) == outcome_payment(self.CONTRACT, 3).attainment

    def test_negative_units(self) -> None:
        """Negative units are refused."""
        with pytest.raises(InvalidInputError):
            outcome_payment(self.CONTRACT, -1)
