"""Requests and households: what a decision is about.

A household is personal data. It is named only by a reference (``ref``), which is
never shown in a ``repr``, an error message, a trace or rendered output unless the
caller asks for it (``reveal_identifiers=True``).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final

import attrs

from samskaping._errors import InvalidInputError
from samskaping._money import Money
from samskaping.model._fields import ID_PATTERN, between, identifier, non_negative_money
from samskaping.payouts._expr_ast import ValueType

__all__ = [
    "HIDDEN",
    "MAX_PERSONS",
    "STANDARD_INPUTS",
    "Household",
    "Request",
    "RequestBatch",
]

#: What is shown instead of a household reference unless identifiers are revealed.
HIDDEN: Final = "[hidden]"

#: The inputs every policy can read, with their types.
STANDARD_INPUTS: Final[Mapping[str, ValueType]] = MappingProxyType(
    {
        "household.children": ValueType.INT,
        "household.adults": ValueType.INT,
        "household.disadvantaged": ValueType.BOOL,
        "household.need_weight": ValueType.DECIMAL,
        "household.type": ValueType.STR,
        "household.received": ValueType.MONEY,
        "household.previous_requests": ValueType.INT,
        "request.amount": ValueType.MONEY,
        "request.purpose": ValueType.STR,
        "request.for_children": ValueType.BOOL,
        "request.ordinary_scheme_checked": ValueType.BOOL,
        "request.clarified": ValueType.BOOL,
        "request.running_cost": ValueType.BOOL,
        "request.decider_has_social_assistance_mandate": ValueType.BOOL,
    }
)

#: The most children, and the most adults, one household may have.
MAX_PERSONS: Final = 100


def household_ref(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A household reference is an identifier; an error never repeats it (personal data)."""
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise InvalidInputError(
            "expected a reference of 1-64 letters, digits, '_', '.', ':' or '-' "
            "(the value is personal data and is not shown)",
            what=attribute.name,
        )


def _hidden_repr(_value: object) -> str:
    return repr(HIDDEN)


def _names_only(value: Mapping[str, Any]) -> str:
    """Attributes in a ``repr``: their names, never their values (they may be personal)."""
    return "{" + ", ".join(f"{name!r}: ..." for name in value) + "}"


def _frozen_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(sorted((value or {}).items())))


@attrs.frozen(kw_only=True)
class Household:
    """A household (*husstand*) a payout is for.

    Attributes:
        ref: A reference to the household (personal data: never printed unless asked).
        children: Children in the household.
        adults: Adults in the household.
        disadvantaged: Whether the household is disadvantaged in living conditions
            (*levekårsutsatt*, 002:1664).
        need_weight: A need weight set through dialogue and discretion; 1 is ordinary.
        type: A household type for reports, e.g. ``single_parent``.
        attributes: Further inputs a policy declares (``household.<name>``).
    """

    ref: str = attrs.field(validator=household_ref, repr=_hidden_repr)
    children: int = attrs.field(default=0, validator=between(0, MAX_PERSONS))
    adults: int = attrs.field(default=1, validator=between(0, MAX_PERSONS))
    disadvantaged: bool = False
    need_weight: Decimal = attrs.field(default=Decimal(1), validator=between(0, 1000))
    type: str = "unspecified"
    attributes: Mapping[str, Any] = attrs.field(
        factory=dict, converter=_frozen_mapping, repr=_names_only
    )


@attrs.frozen(kw_only=True)
class Request:
    """A request for a payout (*ønske om støtte*), made with or for a household.

    Attributes:
        id: The request's identifier; the pot entry of a grant gets the same id.
        household: The household it is for.
        amount: The amount asked for (conditional payouts); 0 for unconditional ones.
        purpose: The purpose code from the policy's catalogue.
        submitted: When it was made (the allocation tie-break, 002:1585).
        for_children: Whether it meets children's needs (children first, 002:1585).
        ordinary_scheme_checked: Whether ordinary schemes (NAV) were checked first
            (002:1980).
        clarified: Whether a purpose that needs clarification was cleared with
            project staff (002:1701).
        running_cost: Whether the purchase brings running costs (002:1525).
        decider_has_social_assistance_mandate: Whether the person deciding also holds
            the social-assistance mandate (the dual mandate, 002:1739-1741).
        description: Free text; personal, so never traced or printed.
        attributes: Further inputs a policy declares (``request.<name>``).
    """

    id: str = attrs.field(validator=identifier)
    household: Household
    amount: Money = attrs.field(default=Money(0), validator=non_negative_money)
    purpose: str | None = None
    submitted: datetime.date | None = None
    for_children: bool = False
    ordinary_scheme_checked: bool = False
    clarified: bool = False
    running_cost: bool = False
    decider_has_social_assistance_mandate: bool = False
    description: str | None = attrs.field(default=None, repr=False)
    attributes: Mapping[str, Any] = attrs.field(
        factory=dict, converter=_frozen_mapping, repr=_names_only
    )


@attrs.frozen(kw_only=True)
class RequestBatch:
    """Several requests in one file, to be allocated against one pot."""

    requests: tuple[Request, ...]
