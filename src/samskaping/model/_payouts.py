"""Payout schemes and pots as they appear in a project document (DOMAIN §6).

The rules that decide payouts live in :mod:`samskaping.payouts`; a document only
names the policy a scheme follows and records its pot.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import attrs

from samskaping._errors import InvalidInputError
from samskaping._money import MAX_AMOUNT, Money, sum_money
from samskaping.model._enums import PaymentType
from samskaping.model._fields import at_least, identifier, non_negative_money, not_before

__all__ = ["PayoutScheme", "Pot", "PotEntry"]


def _hidden(value: object) -> str:
    return "None" if value is None else "'[hidden]'"


@attrs.frozen(kw_only=True)
class PotEntry:
    """A commitment or a disbursement against a pot.

    ``reference`` names the household or group the money is for. It is personal data,
    so it is left out of the ``repr``.
    """

    id: str = attrs.field(validator=identifier)
    amount: Money = attrs.field(validator=non_negative_money)
    date: datetime.date
    payment_type: PaymentType
    reference: str | None = attrs.field(default=None, repr=_hidden)
    note: str | None = None


@attrs.frozen(kw_only=True)
class Pot:
    """A flexible but limited pot of money (*pott*, *frie midler*, 002:1984).

    A pot has a total, a validity window and the payout types it allows.
    Commitments plus disbursements never exceed the total: the operations in
    :mod:`samskaping.payouts` keep it so, and a document that breaks it is reported.

    The window is half-open: ``valid_from`` is the first day money can be committed
    and ``valid_to`` the first day it no longer can (``None``: no limit).
    An empty ``allowed_types`` allows every payout type.
    """

    id: str = attrs.field(validator=identifier)
    name: str | None = None
    total: Money = attrs.field(validator=non_negative_money)
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = attrs.field(default=None, validator=not_before("valid_from"))
    allowed_types: tuple[PaymentType, ...] = ()
    commitments: tuple[PotEntry, ...] = ()
    disbursements: tuple[PotEntry, ...] = ()
    source: str | None = None
    note: str | None = None

    @property
    def committed(self) -> Money:
        """The sum of the commitments (*forpliktet*).

        Raises:
            InvalidInputError: If the commitments add up to more than the largest
                amount (a broken document); the error names the pot.
        """
        return self._sum(self.commitments, "commitments")

    @property
    def disbursed(self) -> Money:
        """The sum of the disbursements (*utbetalt*).

        Raises:
            InvalidInputError: If the disbursements add up to more than the largest amount.
        """
        return self._sum(self.disbursements, "disbursements")

    @property
    def available(self) -> Money:
        """What is left: the total less commitments and disbursements.

        It is never below 0 kr in a pot kept by the payout operations.

        Raises:
            InvalidInputError: If the entries add up to more than the largest amount.
        """
        used = sum(e.amount.amount for e in (*self.commitments, *self.disbursements))
        if used > MAX_AMOUNT:
            raise self._too_much("commitments")
        return Money(self.total.amount - used)

    def _sum(self, entries: tuple[PotEntry, ...], what: str) -> Money:
        total = sum((e.amount.amount for e in entries), Decimal(0))
        if total > MAX_AMOUNT:
            raise self._too_much(what)
        return sum_money(e.amount for e in entries)

    def _too_much(self, what: str) -> InvalidInputError:
        return InvalidInputError(
            f"pot {self.id!r}: its {what} add up to more than the largest amount "
            f"({MAX_AMOUNT:,} NOK)",
            what=what,
        )


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
