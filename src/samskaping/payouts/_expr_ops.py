"""The arithmetic of rule expressions, shared by the scalar and the vectorised paths.

Run-time values: ``int`` for int, :class:`~decimal.Decimal` for decimal, ``int`` øre
for money, ``bool``, ``str``, and ``frozenset`` for lists.

A result is *undefined* (raises :class:`Undefined`) when it divides by zero or leaves
the library's range: whole numbers and decimals beyond 10¹⁵ in absolute value,
amounts beyond 10¹⁵ kr. A decision whose rules meet an undefined value is not made
(see the engine); nothing is silently clamped. Decimals are computed in one fixed
context (34 significant digits, halves to even), amounts are rounded to the øre with
halves away from zero, exactly as :class:`~samskaping.Money` does.
"""

from __future__ import annotations

from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from typing import Final

__all__ = [
    "CONTEXT",
    "LIMIT_DECIMAL",
    "LIMIT_INT",
    "LIMIT_ORE",
    "Undefined",
    "add_decimal",
    "add_int",
    "add_ore",
    "check_decimal",
    "check_int",
    "check_ore",
    "div_decimal",
    "div_money_decimal",
    "div_money_int",
    "div_money_money",
    "mul_decimal",
    "mul_int",
    "mul_money_decimal",
    "mul_ore_int",
    "sub_decimal",
    "sub_int",
    "sub_ore",
]

#: Whole numbers beyond this in absolute value are out of range.
LIMIT_INT: Final = 10**15
#: Amounts beyond this many øre (10¹⁵ kr) in absolute value are out of range.
LIMIT_ORE: Final = 10**17
#: Decimals beyond this in absolute value are out of range.
LIMIT_DECIMAL: Final = Decimal(10**15)
#: The one decimal context of rule arithmetic.
CONTEXT: Final = Context(
    prec=34,
    rounding=ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
_ONE: Final = Decimal(1)


class Undefined(Exception):  # noqa: N818  (a value, not a failure of the library)
    """A rule met a value it cannot compute: a division by zero or a value out of range.

    Attributes:
        why: ``"division_by_zero"``, ``"out_of_range"``, ``"not_in_force"`` (a parameter
            has no value on the date), ``"missing_input"`` or ``"invalid_input"``.
        name: The parameter or input concerned, for the last three.
    """

    def __init__(self, why: str, name: str = "") -> None:
        self.why = why
        self.name = name
        super().__init__(why, name)


def _out_of_range() -> Undefined:
    return Undefined("out_of_range")


def _division_by_zero() -> Undefined:
    return Undefined("division_by_zero")


def check_int(value: int) -> int:
    """Return ``value`` if it is within range."""
    if -LIMIT_INT <= value <= LIMIT_INT:
        return value
    raise _out_of_range()


def check_ore(value: int) -> int:
    """Return an amount in øre if it is within range."""
    if -LIMIT_ORE <= value <= LIMIT_ORE:
        return value
    raise _out_of_range()


def check_decimal(value: Decimal) -> Decimal:
    """Return a decimal if it is within range."""
    if -LIMIT_DECIMAL <= value <= LIMIT_DECIMAL:
        return value
    raise _out_of_range()


def add_int(a: int, b: int) -> int:
    """``a + b`` for whole numbers (amounts in øre use :func:`check_ore`)."""
    return check_int(a + b)


def sub_int(a: int, b: int) -> int:
    """``a - b`` for whole numbers."""
    return check_int(a - b)


def mul_int(a: int, b: int) -> int:
    """``a * b`` for whole numbers."""
    return check_int(a * b)


def add_decimal(a: Decimal, b: Decimal) -> Decimal:
    """``a + b`` in the rule context."""
    return check_decimal(CONTEXT.add(a, b))


def sub_decimal(a: Decimal, b: Decimal) -> Decimal:
    """``a - b`` in the rule context."""
    return check_decimal(CONTEXT.subtract(a, b))


def mul_decimal(a: Decimal, b: Decimal) -> Decimal:
    """``a * b`` in the rule context."""
    try:
        return check_decimal(CONTEXT.multiply(a, b))
    except Overflow:
        raise _out_of_range() from None


def div_decimal(a: Decimal, b: Decimal) -> Decimal:
    """``a / b`` in the rule context."""
    if not b:
        raise _division_by_zero()
    try:
        return check_decimal(CONTEXT.divide(a, b))
    except Overflow:
        raise _out_of_range() from None


def _round_ore(value: Decimal) -> int:
    try:
        return check_ore(int(value.quantize(_ONE, rounding=ROUND_HALF_UP, context=CONTEXT)))
    except (InvalidOperation, Overflow):
        raise _out_of_range() from None


def mul_money_decimal(ore: int, factor: Decimal) -> int:
    """An amount times a decimal, rounded to the øre (halves away from zero)."""
    try:
        product = CONTEXT.multiply(Decimal(ore), factor)
    except Overflow:
        raise _out_of_range() from None
    return _round_ore(product)


def div_money_int(ore: int, divisor: int) -> int:
    """An amount divided by a whole number, rounded to the øre (halves away from zero).

    Computed in whole numbers, so it is exact for every amount and divisor.
    """
    if divisor == 0:
        raise _division_by_zero()
    quotient, remainder = divmod(abs(ore), abs(divisor))
    if 2 * remainder >= abs(divisor):
        quotient += 1
    return check_ore(-quotient if (ore < 0) != (divisor < 0) else quotient)


def div_money_decimal(ore: int, divisor: Decimal) -> int:
    """An amount divided by a decimal, rounded to the øre (halves away from zero)."""
    if not divisor:
        raise _division_by_zero()
    try:
        quotient = CONTEXT.divide(Decimal(ore), divisor)
    except Overflow:
        raise _out_of_range() from None
    return _round_ore(quotient)


def div_money_money(a: int, b: int) -> Decimal:
    """The ratio of two amounts."""
    if b == 0:
        raise _division_by_zero()
    return check_decimal(CONTEXT.divide(Decimal(a), Decimal(b)))


def add_ore(a: int, b: int) -> int:
    """``a + b`` for amounts in øre."""
    return check_ore(a + b)


def sub_ore(a: int, b: int) -> int:
    """``a - b`` for amounts in øre."""
    return check_ore(a - b)


def mul_ore_int(ore: int, n: int) -> int:
    """An amount times a whole number, exact."""
    return check_ore(ore * n)
