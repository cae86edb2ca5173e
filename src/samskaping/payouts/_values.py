"""Values of the policy language: literals from a file, and values as rules see them.

A policy file holds literals (``"1600.00"``, ``[1, 2]``); :func:`normalise_value`
turns each into a value of its declared type (:class:`~samskaping.Money`, a tuple,
a ``Decimal``), checking it. Rule expressions run on plainer values:
:func:`runtime_value` gives amounts in øre and lists as sets.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from samskaping._errors import InvalidInputError, describe
from samskaping._money import Money, parse_amount
from samskaping.payouts._expr_ast import ValueType
from samskaping.payouts._expr_ops import LIMIT_DECIMAL, LIMIT_INT

__all__ = ["normalise_value", "runtime_value"]


def normalise_value(raw: object, kind: ValueType) -> Any:
    """Turn a literal from a file into a value of ``kind``.

    Raises:
        InvalidInputError: If the literal is not a value of ``kind``.
    """
    if kind is ValueType.MONEY:
        if isinstance(raw, Money):
            return raw
        return Money(parse_amount(raw))
    if kind is ValueType.BOOL:
        if isinstance(raw, bool):
            return raw
        raise InvalidInputError(f"expected true or false, got {describe(raw)}")
    if kind is ValueType.STR:
        if isinstance(raw, str):
            return raw
        raise InvalidInputError(f"expected text, got {describe(raw)}")
    if kind is ValueType.INT:
        return _whole(raw)
    if kind is ValueType.DECIMAL:
        if isinstance(raw, bool) or not isinstance(raw, int | Decimal | str):
            raise InvalidInputError(f"expected a number, got {describe(raw)}")
        try:
            number = raw if isinstance(raw, Decimal) else Decimal(raw)
        except ArithmeticError:
            raise InvalidInputError(f"expected a number, got {describe(raw)}") from None
        if not number.is_finite() or abs(number) > LIMIT_DECIMAL:
            raise InvalidInputError(
                f"expected a finite number of at most 10^15, got {describe(raw)}"
            )
        return number
    if not isinstance(raw, list | tuple):
        raise InvalidInputError(f"expected a list, got {describe(raw)}")
    if kind is ValueType.STR_LIST:
        if not all(isinstance(item, str) for item in raw):
            raise InvalidInputError("expected a list of texts")
        return tuple(raw)
    return tuple(_whole(item) for item in raw)


def _whole(raw: object) -> int:
    if isinstance(raw, Decimal) and raw.is_finite() and raw == raw.to_integral_value():
        raw = int(raw)
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise InvalidInputError(f"expected a whole number, got {describe(raw)}")
    if abs(raw) > LIMIT_INT:
        raise InvalidInputError(f"expected a whole number of at most 10^15, got {describe(raw)}")
    return raw


def runtime_value(value: Any, kind: ValueType) -> Any:
    """A value as rule expressions see it: amounts in øre, lists as sets."""
    if kind is ValueType.MONEY:
        return value.ore
    if kind in {ValueType.STR_LIST, ValueType.INT_LIST}:
        return frozenset(value)
    return value
