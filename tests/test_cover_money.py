"""Money's arithmetic at its edges: what it refuses and what it keeps exact."""

from __future__ import annotations

from decimal import Decimal

import pytest

from samskaping import InvalidInputError, Money, split, sum_money


class TestArithmetic:
    """Money mixes with whole numbers and Decimals only, never with floats or bools."""

    def test_rounded_takes_a_whole_number(self):
        """``Money.rounded(3)`` is 3,00 kr."""
        assert Money("3.00") == Money.rounded(3)

    def test_sum_starts_from_zero(self):
        """The builtin ``sum`` adds amounts from its start value 0."""
        assert Money("3.50") == sum([Money(1), Money("2.50")])

    def test_sum_of_nothing_is_zero(self):
        """``sum_money`` of no amounts is 0,00 kr."""
        assert Money(0) == sum_money([])

    def test_an_int_other_than_zero_is_not_added(self):
        """Adding 1 + an amount is a TypeError: only 0 starts a sum."""
        with pytest.raises(TypeError):
            _ = 1 + Money(1)

    def test_true_is_not_a_zero_to_start_from(self):
        """``False + Money`` is a TypeError, though False == 0."""
        with pytest.raises(TypeError):
            _ = False + Money(1)

    def test_subtracting_a_number_is_refused(self):
        """An amount minus a plain number is a TypeError."""
        with pytest.raises(TypeError):
            _ = Money(5) - 5

    def test_abs_of_a_negative_amount(self):
        """``abs`` turns a debt into the same positive amount."""
        assert Money("12.30") == abs(Money("-12.30"))

    def test_multiplying_by_a_bool_is_refused(self):
        """``Money * True`` is a TypeError, not a silent 1."""
        with pytest.raises(TypeError):
            _ = Money(5) * True

    def test_multiplying_by_a_float_is_refused(self):
        """``Money * 0.5`` is a TypeError: floats never meet money."""
        with pytest.raises(TypeError):
            _ = Money(5) * 0.5

    def test_multiplying_from_the_left(self):
        """``3 * Money`` is the same as ``Money * 3``."""
        assert Money(15) == 3 * Money(5)

    def test_round_keeps_the_amount(self):
        """``round(Money)`` is the amount itself: money is already whole øre."""
        assert Money("2.55") == round(Money("2.55"))


class TestSplit:
    """Splitting refuses weights that cannot share an amount."""

    def test_negative_weight_is_refused(self):
        """A negative weight is an InvalidInputError naming the weights."""
        with pytest.raises(InvalidInputError, match="finite and not negative"):
            split(Money(10), [1, -1])

    def test_infinite_weight_is_refused(self):
        """An infinite Decimal weight is refused."""
        with pytest.raises(InvalidInputError, match="finite"):
            split(Money(10), [Decimal(1), Decimal("Infinity")])

    def test_negative_total_is_split_with_its_sign(self):
        """A negative amount splits into negative parts that add up to it."""
        assert (Money("-5.00"), Money("-5.00")) == split(Money(-10), [1, 1])
