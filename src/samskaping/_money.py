"""Money: amounts in Norwegian kroner (NOK), exact to the øre.

The one rounding rule
---------------------
An amount always holds whole øre (two decimals). Constructing :class:`Money` from a
value with finer precision is an error, so input is never silently changed. Every
*operation* that can produce a fraction of an øre (multiplying by a rate, prorating,
dividing) rounds the result to the nearest øre, halves away from zero
(``ROUND_HALF_UP``), in :meth:`Money.rounded`. Splitting a total into parts uses the
largest-remainder method (:func:`split`) so that the parts add up to the total exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final, SupportsIndex, final

import attrs

from samskaping._errors import InvalidInputError, describe

__all__ = ["MAX_AMOUNT", "ROUNDING", "Money", "split", "sum_money"]

#: The largest absolute amount the library accepts: one quadrillion kroner, far above
#: any public budget, so that an amount such as ``1e30`` is rejected as a typo.
MAX_AMOUNT: Final = Decimal(1000000000000000)
#: The rounding rule for every operation that produces fractions of an øre.
ROUNDING: Final = ROUND_HALF_UP
_ORE: Final = Decimal("0.01")
_ORE_EXPONENT: Final = -2


def parse_amount(value: object) -> Decimal:
    """Turn an int, a decimal string or a Decimal into an exact amount in NOK.

    Raises:
        InvalidInputError: If the value is not a finite number of whole øre within
            :data:`MAX_AMOUNT`. Floats are refused because they are inexact.
    """
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise InvalidInputError(
            f"expected an amount in NOK (an integer or a decimal string), got {describe(value)}",
            value=describe(value),
        )
    try:
        number = value if isinstance(value, Decimal) else Decimal(value)
    except (InvalidOperation, ValueError):
        raise InvalidInputError(
            f"expected an amount in NOK, got {describe(value)}", value=describe(value)
        ) from None
    if not number.is_finite():
        raise InvalidInputError(
            f"expected a finite amount in NOK, got {describe(value)}", value=describe(value)
        )
    if number.copy_abs() > MAX_AMOUNT:  # copy_abs: no context, so no Overflow
        raise InvalidInputError(
            f"expected an amount in NOK of at most {MAX_AMOUNT:,} in absolute value, "
            f"got {describe(value)}",
            value=describe(value),
        )
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < _ORE_EXPONENT and number != number.quantize(_ORE):
        raise InvalidInputError(
            f"expected an amount in NOK with at most two decimals (øre), got {describe(value)}",
            value=describe(value),
        )
    result = number.quantize(_ORE)
    # Negative zero is zero: a frame of -0.0 is shown as 0,00 kr, never -0,00 kr.
    return result.copy_abs() if result.is_zero() else result


@final
@attrs.frozen(order=True, repr=False)
class Money:
    """An amount in Norwegian kroner (NOK), exact to the øre (*beløp i kroner*).

    ``Money`` is a value: arithmetic returns new values and never mixes with plain
    numbers except where the meaning is clear (multiplying by a rate or a count).

    >>> Money("1600") * 4
    Money('6400.00')
    >>> Money("10.00") + Money("0.50")
    Money('10.50')
    >>> Money.rounded(Decimal("0.125"))
    Money('0.13')
    """

    amount: Decimal = attrs.field(converter=parse_amount)

    @classmethod
    def rounded(cls, value: Decimal | int) -> Money:
        """Round any exact number to the nearest øre (halves away from zero)."""
        if not isinstance(value, Decimal):
            value = Decimal(value)
        return cls(value.quantize(_ORE, rounding=ROUNDING))

    @classmethod
    def zero(cls) -> Money:
        """Return 0,00 kr."""
        return _ZERO

    @property
    def ore(self) -> int:
        """The amount in øre, as an integer."""
        return int(self.amount.scaleb(2))

    @classmethod
    def from_ore(cls, ore: int) -> Money:
        """Build an amount from a whole number of øre."""
        return cls(Decimal(ore).scaleb(-2))

    def __repr__(self) -> str:
        return f"Money('{self.amount}')"

    def __str__(self) -> str:
        return f"{self.amount} NOK"

    def __bool__(self) -> bool:
        return bool(self.amount)

    def __add__(self, other: object) -> Money:
        if isinstance(other, Money):
            return Money(self.amount + other.amount)
        return NotImplemented

    def __radd__(self, other: object) -> Money:
        # Lets the builtin ``sum`` start from 0.
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return NotImplemented

    def __sub__(self, other: object) -> Money:
        if isinstance(other, Money):
            return Money(self.amount - other.amount)
        return NotImplemented

    def __neg__(self) -> Money:
        return Money(-self.amount)

    def __abs__(self) -> Money:
        return Money(abs(self.amount))

    def __mul__(self, factor: object) -> Money:
        if isinstance(factor, bool):
            return NotImplemented
        if isinstance(factor, int):
            return Money(self.amount * factor)
        if isinstance(factor, Decimal):
            return Money.rounded(self.amount * factor)
        return NotImplemented

    __rmul__ = __mul__

    def __round__(self, ndigits: SupportsIndex | None = None) -> Money:
        return self

    def is_negative(self) -> bool:
        """Whether the amount is below zero."""
        return self.amount < 0


_ZERO: Final = Money(0)


def sum_money(amounts: Iterable[Money]) -> Money:
    """Add amounts exactly; the sum of nothing is 0,00 kr."""
    total = Decimal(0)
    for amount in amounts:
        total += amount.amount
    return Money(total)


def split(total: Money, weights: Sequence[int | Decimal]) -> tuple[Money, ...]:
    """Split ``total`` in proportion to ``weights``, conserving every øre.

    Uses the largest-remainder method (Hamilton): each part first gets the whole øre
    of its exact share, then the øre left over go one each to the parts with the
    largest fractional remainders. Ties go to the earlier part, so the result is
    deterministic. The parts always add up to ``total`` exactly.

    >>> split(Money("100"), [1, 1, 1])
    (Money('33.34'), Money('33.33'), Money('33.33'))

    Raises:
        InvalidInputError: If there are no weights, a weight is negative, or all are zero.
    """
    if not weights:
        raise InvalidInputError("cannot split an amount into zero parts", what="weights")
    exact = [w if isinstance(w, Decimal) else Decimal(w) for w in weights]
    if any(not w.is_finite() or w < 0 for w in exact):
        raise InvalidInputError("split weights must be finite and not negative", what="weights")
    weight_sum = sum(exact, Decimal(0))
    if weight_sum == 0:
        raise InvalidInputError("split weights must not all be zero", what="weights")
    sign = -1 if total.amount < 0 else 1
    total_ore = abs(total.ore)
    shares = [Decimal(total_ore) * w / weight_sum for w in exact]
    floors = [int(s.to_integral_value(rounding=ROUND_FLOOR)) for s in shares]
    left = total_ore - sum(floors)
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return tuple(Money.from_ore(sign * part) for part in floors)
