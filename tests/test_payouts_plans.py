"""Payment plans for unconditional payouts (002:1791, 002:1819)."""

from __future__ import annotations

import datetime
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

from samskaping import InvalidInputError, Money
from samskaping.payouts import (
    Child,
    Cohort,
    CohortKind,
    CohortMember,
    ParameterValue,
    Policy,
    Proration,
    builtin_policy,
    check_policy,
    payment_plan,
)
from strategies import cohorts

FLY = builtin_policy("flyktningfamilien")
START = datetime.date(2022, 2, 1)


def with_terms(**changes: Any) -> Policy:
    """Flyktningfamilien with changed unconditional terms."""
    assert FLY.unconditional is not None
    return check_policy(attrs.evolve(FLY, unconditional=attrs.evolve(FLY.unconditional, **changes)))


def family(*children: Child, ref: str = "fam-a", **kwargs: Any) -> Cohort:
    """A cohort of one household."""
    return Cohort(id="c", members=(CohortMember(ref=ref, children=children, **kwargs),))


FOUR = family(Child(), Child(), Child(), Child())


def march(plan: Any) -> Money:
    """The household's payment for March 2022."""
    amount: Money = next(p.amount for p in plan.payments if p.date == datetime.date(2022, 3, 1))
    return amount


class TestSourceCheck:
    """The plan reproduces the source."""

    def test_four_children(self) -> None:
        """4 children at 1 600 kr give 6 400 kr a month from 2022-02-01 (002:1408, 002:492)."""
        plan = payment_plan(FLY, FOUR)
        assert START == plan.payments[0].date
        assert Money(6400) == plan.payments[0].amount

    def test_twelve_monthly_payments(self) -> None:
        """The plan runs for the policy's twelve planned months (002:1805)."""
        plan = payment_plan(FLY, FOUR)
        assert 12 == len(plan.payments)
        assert Money(76800) == plan.total

    def test_dates_monthly(self) -> None:
        """Payments fall on the first of each month (dateutil rrule)."""
        dates = [p.date for p in payment_plan(FLY, FOUR).payments]
        assert [datetime.date(2022, m, 1) for m in range(2, 13)] + [
            datetime.date(2023, 1, 1)
        ] == dates


class TestProration:
    """A child born or leaving mid-period counts under the policy's proration."""

    BORN = family(Child(), Child(present_from=datetime.date(2022, 3, 16)))
    LEFT = family(Child(), Child(present_until=datetime.date(2022, 3, 16)))

    @pytest.mark.parametrize(
        ("proration", "born", "left"),
        [
            (Proration.NONE, "3200.00", "3200.00"),
            (Proration.BY_MONTH, "1600.00", "3200.00"),
            (Proration.BY_DAY, "2425.81", "2374.19"),
        ],
    )
    def test_mid_month(self, proration: Proration, born: str, left: str) -> None:
        """Born or leaving on 16 March: each proration counts the month its own way.

        ``none`` pays the full month, ``by_month`` counts the first day, ``by_day``
        counts 16 or 15 of 31 days.
        """
        policy = with_terms(proration=proration)
        assert Money(born) == march(payment_plan(policy, self.BORN))
        assert Money(left) == march(payment_plan(policy, self.LEFT))

    def test_by_day_children_counted(self) -> None:
        """Under by_day the children counted is a fraction of days."""
        plan = payment_plan(with_terms(proration=Proration.BY_DAY), self.BORN)
        assert Fraction(47, 31) == next(p.children for p in plan.payments if p.date.month == 3)


class TestRateChange:
    """A rate change takes effect exactly on its date."""

    def rated(self, change: datetime.date) -> Policy:
        """The policy with the rate raised to 1 700 kr from ``change``."""
        rate = FLY.parameters[0]
        values = (
            attrs.evolve(rate.values[0], valid_to=change),
            ParameterValue(valid_from=change, value=Money(1700), source="test"),
        )
        return check_policy(
            attrs.evolve(FLY, parameters=(attrs.evolve(rate, values=values), *FLY.parameters[1:]))
        )

    def test_on_payment_date(self) -> None:
        """A change on 1 July applies from the July payment."""
        plan = payment_plan(self.rated(datetime.date(2022, 7, 1)), family(Child()))
        amounts = {p.date.month: p.amount for p in plan.payments if p.date.year == 2022}
        assert Money(1600) == amounts[6]
        assert Money(1700) == amounts[7]

    def test_mid_period(self) -> None:
        """A change on 16 July weighs July by days: 15 days at 1 600, 16 at 1 700."""
        plan = payment_plan(self.rated(datetime.date(2022, 7, 16)), family(Child()))
        july = next(p.amount for p in plan.payments if p.date == datetime.date(2022, 7, 1))
        # (15 × 1 600 + 16 × 1 700) / 31 = 1 651,6129... kr
        assert Money("1651.61") == july


class TestCohort:
    """Fixed and open cohorts (002:488)."""

    LATE = Cohort(
        id="c",
        members=(
            CohortMember(ref="a", children=(Child(),)),
            CohortMember(ref="b", joined=datetime.date(2022, 5, 1), children=(Child(),)),
        ),
    )

    def test_fixed_excludes_late_joiner(self) -> None:
        """A fixed cohort pays no household that joined after the start."""
        plan = payment_plan(FLY, self.LATE)
        assert ["cohort_fixed"] == [e.reason for e in plan.excluded]

    def test_open_admits_late_joiner(self) -> None:
        """An open cohort pays a household from the day it joined."""
        plan = payment_plan(with_terms(cohort=CohortKind.OPEN), self.LATE)
        first = min(p.date for p in plan.payments if p.household_ref == "b")
        assert datetime.date(2022, 5, 1) == first

    def test_household_leaving(self) -> None:
        """A household that leaves gets no payments after it left."""
        plan = payment_plan(FLY, family(Child(), left=datetime.date(2022, 4, 1)))
        assert 2 == len(plan.payments)


class TestPlanArguments:
    """The plan's period."""

    def test_months(self) -> None:
        """``months`` sets the number of monthly periods."""
        assert 3 == len(payment_plan(FLY, FOUR, months=3).payments)

    def test_end_and_months(self) -> None:
        """``end`` and ``months`` cannot both be given."""
        with pytest.raises(InvalidInputError):
            payment_plan(FLY, FOUR, months=3, end=datetime.date(2023, 1, 1))

    def test_conditional_policy(self) -> None:
        """A conditional policy has no payment plan."""
        with pytest.raises(InvalidInputError):
            payment_plan(builtin_policy("pa_egne_ben"), FOUR)


class TestPlanOutput:
    """The plan's JSON shape."""

    def test_json_hides_households(self) -> None:
        """Households are numbered, not named, unless revealed."""
        data = payment_plan(FLY, FOUR).to_dict()
        assert 1 == data["payments"][0]["household_index"]
        assert "6400.00" == data["payments"][0]["amount"]
        assert "household" not in data["payments"][0]
        assert 1 == data["schema_version"]

    def test_by_date(self) -> None:
        """Totals by date add up to the plan's total."""
        plan = payment_plan(FLY, FOUR)
        assert plan.total == sum((a for _, a in plan.by_date()), Money(0))


class TestMonotone:
    """Unconditional amounts never decrease with more children."""

    @given(cohorts)
    @settings(max_examples=80)
    def test_adding_a_child(self, cohort: Cohort) -> None:
        """Property: adding a child to a household never lowers any payment."""
        for proration in Proration:
            policy = with_terms(proration=proration, cohort=CohortKind.OPEN)
            before = payment_plan(policy, cohort, months=14)
            member = cohort.members[0]
            more = attrs.evolve(
                cohort,
                members=(
                    attrs.evolve(member, children=(*member.children, Child())),
                    *cohort.members[1:],
                ),
            )
            after = payment_plan(policy, more, months=14)
            old = {(p.household_ref, p.date): p.amount for p in before.payments}
            new = {(p.household_ref, p.date): p.amount for p in after.payments}
            assert all(new.get(key, Money(0)) >= amount for key, amount in old.items())
            assert after.total >= before.total
