"""Shared helpers for the ledger's tests: a clock, households and requests."""

from __future__ import annotations

import datetime

from samskaping import Money
from samskaping.payouts import Household, Request

START = datetime.datetime(2021, 9, 1, 8, 0, tzinfo=datetime.UTC)
DAY = datetime.date(2021, 9, 1)
POT = "pa_egne_ben"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime.datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += datetime.timedelta(**delta)


def youth(ref: str, age: int = 19) -> Household:
    """A youth in På egne ben's target group."""
    return Household(ref=ref, attributes={"youth_age": age, "in_contact_with_services": True})


def ask(request_id: str, ref: str, kroner: int, purpose: str = "gift_card_sports") -> Request:
    """A request of ``kroner`` for a youth."""
    return Request(id=request_id, household=youth(ref), amount=Money(kroner), purpose=purpose)
