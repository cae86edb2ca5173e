"""Field validators shared by the entities.

They check one field at a time and raise :class:`~samskaping.InvalidInputError` with
``what`` set to the field name, so the loader can point at the exact path.
Relations between fields (dates in order, references that resolve) are domain rules,
checked by :func:`samskaping.validate`, never here; the one exception is a window that
ends before it starts (:func:`not_before`), which no rule can make sense of.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

import attrs

from samskaping._errors import InvalidInputError
from samskaping._money import Money

__all__ = [
    "ID_PATTERN",
    "at_least",
    "between",
    "not_before",
    "identifier",
    "non_negative_money",
    "optional_identifier",
    "positive_money",
]

#: Identifiers: a letter or digit, then letters, digits, ``_ . : -``; at most 64 characters.
ID_PATTERN: Final = re.compile(r"^[^\W_][\w.:-]{0,63}$")


def identifier(_instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """An identifier is 1-64 characters of letters, digits and ``_ . : -``."""
    if not ID_PATTERN.match(value):
        raise InvalidInputError(
            f"expected an identifier (letters, digits, '_', '.', ':', '-'; at most 64), "
            f"got {value[:40]!r}",
            what=attribute.name,
        )


def optional_identifier(
    instance: object, attribute: attrs.Attribute[Any], value: str | None
) -> None:
    """Like :func:`identifier`, but ``None`` is allowed."""
    if value is not None:
        identifier(instance, attribute, value)


def non_negative_money(
    _instance: object, attribute: attrs.Attribute[Any], value: Money | None
) -> None:
    """An amount that must not be negative (``None`` is allowed)."""
    if value is not None and value.is_negative():
        raise InvalidInputError(
            f"expected an amount in NOK that is not negative, got {value.amount}",
            what=attribute.name,
        )


def positive_money(_instance: object, attribute: attrs.Attribute[Any], value: Money) -> None:
    """An amount that must be above zero."""
    if value.amount <= 0:
        raise InvalidInputError(
            f"expected an amount in NOK above zero, got {value.amount}", what=attribute.name
        )


def at_least(minimum: int) -> Callable[[object, attrs.Attribute[Any], int | None], None]:
    """An integer (or ``None``) that must be at least ``minimum``."""

    def check(_instance: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
        if value is not None and value < minimum:
            raise InvalidInputError(
                f"expected an integer of at least {minimum}, got {value}", what=attribute.name
            )

    return check


def between(
    low: Decimal | int, high: Decimal | int
) -> Callable[[object, attrs.Attribute[Any], Decimal | int | None], None]:
    """A number (or ``None``) that must lie in ``[low, high]``."""

    def check(
        _instance: object, attribute: attrs.Attribute[Any], value: Decimal | int | None
    ) -> None:
        if value is not None and not low <= value <= high:
            raise InvalidInputError(
                f"expected a number from {low} to {high}, got {value}", what=attribute.name
            )

    return check


def not_before(start: str) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    """A date (or ``None``) that must not lie before the instance's ``start`` field.

    The end of a window such as a pot's ``valid_to``: a window that ends before it
    starts is refused when the value is made (and so when a file is loaded).
    """

    def check(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        begin = getattr(instance, start)
        if value is not None and begin is not None and value < begin:
            raise InvalidInputError(
                f"expected a date not before {start} ({begin.isoformat()}), "
                f"got {value.isoformat()}",
                what=attribute.name,
            )

    return check
