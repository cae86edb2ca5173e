"""The ledger keeps a request's own facts of every type, and replays them exactly."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest

from samskaping import Money
from samskaping.ledger import open_ledger
from samskaping.payouts import Household, Request, load_policy

POT = "pa_egne_ben"
DAY = datetime.date(2021, 9, 1)


def _request() -> Request:
    """A request whose household and request attributes hold each kind of value."""
    household = Household(
        ref="h-typed",
        attributes={
            "youth_age": 19,
            "in_contact_with_services": True,
            "moved_in": datetime.date(2020, 5, 17),
            "share": Decimal("0.5"),
            "languages": ["nb", "so"],
            "rent": Money(9000),
            "address": {"district": "Stovner"},
        },
    )
    return Request(
        id="r-typed",
        household=household,
        amount=Money(500),
        purpose="gift_card_sports",
        description="football boots",
        attributes={"asked_on": datetime.date(2021, 8, 30), "tags": ("winter", "sport")},
    )


@pytest.fixture
def ledger(tmp_path):
    """A SQLite ledger with På egne ben registered and its pot open."""
    with open_ledger(tmp_path / "typed.db") as opened:
        opened.register_policy(load_policy(POT), actor="anne")
        opened.open_pot(policy_id=POT, actor="anne")
        opened.decide(_request(), pot_id=POT, as_of=DAY, actor="anne")
        yield opened


def test_a_typed_request_is_granted(ledger):
    """The request with dates, decimals, lists, amounts and tables in it is decided."""
    (entry,) = [e for e in ledger.entries() if e.kind.value == "decision"]
    assert "granted" == entry.payload["status"]


def test_a_typed_request_replays_to_the_same_outcome(ledger):
    """Replaying the stored request (read back from its two parts) gives the same decision."""
    assert ledger.replay("r-typed").matches


def test_the_stored_decision_is_json(ledger):
    """The stored payload is plain JSON, with amounts as exact text."""
    (entry,) = [e for e in ledger.entries() if e.kind.value == "decision"]
    assert entry.payload == json.loads(json.dumps(entry.payload))


def test_the_ledger_still_verifies(ledger):
    """The chain over the typed request verifies."""
    assert ledger.verify().ok


def test_the_personal_facts_are_not_in_the_chain(ledger):
    """The household's own attributes are kept apart from the chain."""
    text = json.dumps([e.payload for e in ledger.entries()])
    assert "Stovner" not in text
