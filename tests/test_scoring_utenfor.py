"""Utenfor-regnskapet: the calculator and the consistency check of tables 13 and 14."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samskaping import DocumentError, InvalidInputError, Money, UnknownNameError
from samskaping import model as m
from samskaping.scoring import (
    check_consistency,
    cost_profile,
    helped_per_year,
    read_cost_profile,
    utenfor_result,
)
from strategies import utenfor_cases
from test_scoring_sources import table_13_cases, table_14_cases

_STATE_ONLY = """
name = "state"
title = { nb = "x", nn = "x", en = "x" }
[[rows]]
domain = "transfers"
age_from = 18
age_to = 66
state = 10000
"""


def _case(**fields: Any) -> m.UtenforCase:
    base = table_14_cases()[2]  # Fritid for alle
    return attrs.evolve(base, **fields)


class TestConsistency:
    """Helped per year = participants × (p1 − p0) (DOMAIN §8)."""

    def test_table_13_flags_exactly_four_rows(self) -> None:
        """Brundalen, Flyktningfamilien, Fritid and Veien are inconsistent in table 13."""
        report = check_consistency(table_13_cases())
        assert (
            "t13-brundalen",
            "t13-flyktningfamilien",
            "t13-fritid",
            "t13-veien",
        ) == report.flagged

    def test_lademoen_passes_as_rounded(self) -> None:
        """116 × 15 % = 17.4, printed 17: within the 0.5 tolerance."""
        row = next(r for r in check_consistency(table_13_cases()).rows if r.case == "t13-lademoen")
        assert Decimal("17.40") == row.expected
        assert row.consistent

    def test_stodig_start_is_exact(self) -> None:
        """35 × 2 % = 0.7, printed 0,7."""
        row = next(
            r for r in check_consistency(table_13_cases()).rows if r.case == "t13-stodig-start"
        )
        assert Decimal(0) == row.difference

    def test_table_14_is_consistent(self) -> None:
        """Every row of table 14 satisfies helped = N × 10 %."""
        assert () == check_consistency(table_14_cases()).flagged

    def test_zero_tolerance_flags_lademoen_too(self) -> None:
        """With no tolerance, Lademoen's rounding is flagged as well."""
        assert 5 == len(check_consistency(table_13_cases(), tolerance=Decimal(0)).flagged)

    def test_rows_without_print_are_not_judged(self) -> None:
        """A case with no printed helped count is neither consistent nor not."""
        row = check_consistency([_case(reported=None)]).rows[0]
        assert row.consistent is None

    def test_negative_tolerance_is_refused(self) -> None:
        """A negative tolerance raises InvalidInputError."""
        with pytest.raises(InvalidInputError):
            check_consistency([], tolerance=Decimal(-1))

    def test_reason_names_the_row(self) -> None:
        """The warning for Brundalen gives 50 × 40 % = 20 against the printed 10."""
        text = check_consistency(table_13_cases()).reasons[1].text("en")
        assert "Brundalen: 50 × 40% = 20, but the table gives 10 helped." == text


class TestCalculator:
    """The calculator's outputs, with a profile whose figures are easy to follow."""

    def test_helped_per_year(self) -> None:
        """Fritid for alle: 70 × 10 % = 7 a year (table 14)."""
        assert Decimal(7) == helped_per_year(_case())

    def test_state_only_profile(self) -> None:
        """With only a state saving, the state is + and the municipality − (it pays)."""
        result = utenfor_result(_case(), read_cost_profile(_STATE_ONLY))
        assert ["-", "0", "+"] == [b.sign for b in result.levels]

    def test_net_gain_per_participant_year(self) -> None:
        """Net gain per participant per year is the net gain / participants / horizon."""
        result = utenfor_result(_case(), read_cost_profile(_STATE_ONLY))
        expected = Money.rounded(result.net_gain.amount / 350 / 40)
        assert expected == result.net_gain_per_participant_year

    def test_top_domain(self) -> None:
        """With only transfers saved, transfers is the top domain."""
        result = utenfor_result(_case(), read_cost_profile(_STATE_ONLY))
        assert m.UtenforDomain.TRANSFERS == result.top_domain

    def test_no_saving_never_breaks_even(self) -> None:
        """A profile that saves nothing never breaks even and is not profitable."""
        empty = read_cost_profile('name = "none"\ntitle = { nb = "x", nn = "x", en = "x" }\n')
        result = utenfor_result(_case(), empty)
        assert result.break_even_year is None
        assert not result.profitable

    def test_savings_start_after_the_measure(self) -> None:
        """With a 5-year measure starting 2023, nothing is saved before 2028."""
        result = utenfor_result(_case(), read_cost_profile(_STATE_ONLY))
        assert all(y.savings == Money(0) for y in result.years if y.year < 2028)

    def test_horizon(self) -> None:
        """A 40-year horizon from 2023 ends in 2062 (002:4720-4997)."""
        assert 2062 == utenfor_result(_case(), read_cost_profile(_STATE_ONLY)).end_year

    def test_discount_lowers_the_gain(self) -> None:
        """A 4 % discount rate gives a smaller net gain than none."""
        profile = cost_profile()
        plain = utenfor_result(_case(), profile).net_gain
        discounted = utenfor_result(_case(), profile, discount_rate=Decimal("0.04")).net_gain
        assert discounted < plain

    def test_discount_rate_out_of_range(self) -> None:
        """A discount rate of 1 raises InvalidInputError."""
        with pytest.raises(InvalidInputError):
            utenfor_result(_case(), cost_profile(), discount_rate=Decimal(1))

    def test_shipped_profile_is_illustrative(self) -> None:
        """The shipped cost profile is labelled illustrative, and results warn."""
        result = utenfor_result(_case())
        assert result.illustrative_profile
        assert "utenfor.illustrative_profile" == result.reasons[0].code

    def test_levels_add_up(self) -> None:
        """The levels' nets add up to the total net gain exactly."""
        result = utenfor_result(_case(), cost_profile())
        assert result.net_gain == sum((b.net for b in result.levels), Money(0))

    def test_years_add_up(self) -> None:
        """The last cumulative net equals the net gain."""
        result = utenfor_result(_case(), cost_profile())
        assert result.net_gain == result.years[-1].cumulative

    @given(utenfor_cases(), st.decimals(min_value=Decimal(0), max_value=Decimal("0.1"), places=3))
    @settings(max_examples=60)
    def test_break_even_never_before_start(self, case: m.UtenforCase, rate: Decimal) -> None:
        """The break-even year, when there is one, is never before the start year."""
        result = utenfor_result(case, cost_profile(), discount_rate=rate)
        assert result.break_even_year is None or result.break_even_year >= case.start_year


class TestProfiles:
    """Cost profiles are data, read from TOML or JSON."""

    def test_child_welfare_from_unit_costs(self) -> None:
        """The illustrative child-welfare row is 5 % × 106 713 + 1 % × 1 541 220 (002:2994)."""
        cost = cost_profile().cost(3, m.UtenforDomain.CHILD_WELFARE, m.GovernmentLevel.MUNICIPAL)
        assert Money("5335.65") + Money("15412.20") == cost

    def test_child_welfare_ends_at_23(self) -> None:
        """Child-welfare costs are counted up to age 23 (002:2994)."""
        cost = cost_profile().cost(23, m.UtenforDomain.CHILD_WELFARE, m.GovernmentLevel.MUNICIPAL)
        assert Money(0) == cost

    def test_overlapping_rows_are_refused(self) -> None:
        """Two rows of one domain covering the same age are refused."""
        text = (
            _STATE_ONLY + '[[rows]]\ndomain = "transfers"\nage_from = 60\nage_to = 70\nstate = 1\n'
        )
        with pytest.raises(DocumentError, match="overlap"):
            read_cost_profile(text)

    def test_unknown_profile(self) -> None:
        """Asking for a profile that is not shipped raises UnknownNameError."""
        with pytest.raises(UnknownNameError):
            cost_profile("real_numbers")
