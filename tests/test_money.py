"""Money: exact amounts in NOK, one rounding rule, and splits that conserve every øre."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samskaping import InvalidInputError, Money, split, sum_money
from strategies import amounts, non_negative_amounts


class TestConstruction:
    """What Money accepts and refuses."""

    @pytest.mark.parametrize("value", [1600, "1600", "1600.00", Decimal("1600.0")])
    def test_accepts_exact_values(self, value):
        """Integers, decimal strings and Decimals give the same amount."""
        assert Decimal("1600.00") == Money(value).amount

    @pytest.mark.parametrize(
        ("value", "fragment"),
        [
            (1.5, "integer or a decimal string"),
            ("abc", "expected an amount"),
            ("NaN", "finite"),
            ("Infinity", "finite"),
            ("1e30", "at most"),
            ("0.001", "two decimals"),
            (True, "expected an amount"),
        ],
    )
    def test_refuses_inexact_or_absurd_values(self, value, fragment):
        """Floats, NaN, infinities, 10^30 and fractions of an øre are refused with a reason."""
        with pytest.raises(InvalidInputError, match=fragment):
            Money(value)

    def test_trailing_zeros_beyond_ore_are_fine(self):
        """1.500 is exactly 1.50 and is accepted."""
        assert Money("1.50") == Money("1.500")


class TestRounding:
    """Operations round half away from zero to the øre."""

    @pytest.mark.parametrize(
        ("value", "expected"),
        [("0.125", "0.13"), ("0.124", "0.12"), ("-0.125", "-0.13"), ("2.005", "2.01")],
    )
    def test_rounded(self, value, expected):
        """Money.rounded applies ROUND_HALF_UP to the øre."""
        assert Money(expected) == Money.rounded(Decimal(value))

    def test_multiplying_by_a_rate_rounds(self):
        """20 % of 1 234,57 is 246,914, which rounds to 246,91."""
        assert Money("246.91") == Money("1234.57") * Decimal("0.20")

    def test_multiplying_by_a_count_is_exact(self):
        """4 children at 1 600 kr give 6 400 kr (002:1791)."""
        assert Money(6400) == Money(1600) * 4

    def test_no_mixing_with_plain_numbers(self):
        """Adding a plain number to money is a type error."""
        with pytest.raises(TypeError):
            Money(1) + 1  # type: ignore[operator]


class TestSplit:
    """Largest-remainder splitting."""

    def test_three_ways(self):
        """100 kr in three equal parts gives the extra øre to the first part."""
        assert (Money("33.34"), Money("33.33"), Money("33.33")) == split(Money(100), [1, 1, 1])

    def test_refuses_no_parts(self):
        """Splitting into nothing is an error."""
        with pytest.raises(InvalidInputError):
            split(Money(100), [])

    def test_refuses_all_zero_weights(self):
        """Weights that are all zero cannot share anything."""
        with pytest.raises(InvalidInputError):
            split(Money(100), [0, 0])

    @given(amounts, st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=20))
    def test_split_conserves_every_ore(self, total, weights):
        """The parts always add up to the total exactly, whatever the weights."""
        if not any(weights):
            weights = [*weights[:-1], 1]
        assert total == sum_money(split(total, weights))

    @given(
        non_negative_amounts,
        st.lists(st.integers(min_value=1, max_value=1000), min_size=1, max_size=20),
    )
    def test_split_parts_are_within_one_ore_of_exact_share(self, total, weights):
        """Each part differs from its exact share by less than one øre."""
        parts = split(total, weights)
        weight_sum = sum(weights)
        for part, weight in zip(parts, weights, strict=True):
            exact = Decimal(total.ore) * weight / weight_sum
            assert abs(Decimal(part.ore) - exact) < 1


class TestSums:
    """Sums of money are exact."""

    @given(st.lists(amounts, max_size=50))
    def test_sum_is_exact(self, values):
        """sum_money equals the sum of the øre counts."""
        assert sum(v.ore for v in values) == sum_money(values).ore

    @given(st.lists(amounts, max_size=50))
    def test_builtin_sum_agrees(self, values):
        """The builtin sum (starting at 0) gives the same as sum_money."""
        assert sum_money(values) == sum(values, Money.zero())
