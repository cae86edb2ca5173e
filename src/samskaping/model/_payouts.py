"""Payout schemes and pots as they appear in a project document (DOMAIN §6).

The rules that decide payouts live in :mod:`samskaping.payouts`; a document only
names the policy a scheme follows and records its pot.
"""

from __future__ import annotations

import datetime

import attrs

from samskaping._money import Money
from samskaping.model._enums import PaymentType
from samskaping.model._fields import at_least, identifier, non_negative_money

__all__ = ["PayoutScheme", "Pot", "PotEntry"]


@attrs.frozen(kw_only=True)
class PotEntry:
    """A commitment or a disbursement against a pot."""

    id: str = attrs.field(validator=identifier)
    amount: Money = attrs.field(validator=non_negative_money)
    date: datetime.date
    payment_type: PaymentType
    reference: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Pot:
    """A flexible but limited pot of money (*pott*, *frie midler*, 002:1984).

    A pot has a total, a validity window and the payout types it allows.
    Commitments plus disbursements never exceed the total.
    """

    id: str = attrs.field(validator=identifier)
    name: str | None = None
    total: Money = attrs.field(validator=non_negative_money)
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    allowed_types: tuple[PaymentType, ...] = ()
    commitments: tuple[PotEntry, ...] = ()
    disbursements: tuple[PotEntry, ...] = ()
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class PayoutScheme:
    """A payout scheme a project runs: its type, the policy it follows and its pot.

    ``policy`` names a built-in policy (see ``samskaping payout policies``).
    """

    id: str = attrs.field(validator=identifier)
    name: str | None = None
    payment_type: PaymentType
    policy: str | None = None
    pot: Pot | None = None
    households: int | None = attrs.field(default=None, validator=at_least(0))
    persons: int | None = attrs.field(default=None, validator=at_least(0))
    children: int | None = attrs.field(default=None, validator=at_least(0))
    paid_total: Money | None = attrs.field(default=None, validator=non_negative_money)
    description: str | None = None
    source: str | None = None
    note: str | None = None
