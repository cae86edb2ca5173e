"""The ledger keeps a request's own facts of every type, and replays them exactly."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import attrs
import pytest

from samskaping import InvalidInputError, Money
from samskaping.ledger import LedgerConflict, LedgerError, open_ledger
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


class TestRefusals:
    """The ledger refuses what it cannot record, with a clear error."""

    def test_the_backend_is_named(self, ledger):
        """A file ledger says it is SQLite."""
        assert "sqlite" == ledger.backend

    def test_a_closed_ledger_refuses_to_write(self, tmp_path):
        """After ``close``, writing is a LedgerError."""
        closed = open_ledger(tmp_path / "closed.db")
        closed.close()
        with pytest.raises(LedgerError, match="closed"):
            closed.register_policy(load_policy(POT), actor="anne")

    def test_a_naive_clock_is_refused(self, tmp_path):
        """A clock without a time zone is refused when the ledger first writes."""
        naive_time = datetime.datetime(2021, 9, 1)  # noqa: DTZ001  (the mistake under test)
        with (
            open_ledger(tmp_path / "naive.db", clock=lambda: naive_time) as naive,
            pytest.raises(LedgerError, match="aware datetime"),
        ):
            naive.register_policy(load_policy(POT), actor="anne")

    def test_a_pot_with_entries_is_refused(self, ledger):
        """A pot given with commitments already in it is refused: the ledger records them."""
        pot = attrs.evolve(load_policy("fritid_for_alle").pot, commitments=(Money(1),))
        ledger.register_policy(load_policy("fritid_for_alle"), actor="anne")
        with pytest.raises(LedgerError, match="without entries"):
            ledger.open_pot(pot, policy_id="fritid_for_alle", actor="anne")

    def test_the_same_pot_with_other_terms_is_a_conflict(self, ledger):
        """Opening an open pot again with another total is a LedgerConflict."""
        pot = attrs.evolve(load_policy(POT).pot, total=Money(1))
        with pytest.raises(LedgerConflict):
            ledger.open_pot(pot, policy_id=POT, actor="anne")

    def test_a_batch_of_other_values_is_refused(self, ledger):
        """``decide_many`` takes Request values only."""
        with pytest.raises(InvalidInputError, match="Request"):
            ledger.decide_many(["r-1"], pot_id=POT, as_of=DAY, actor="anne")

    def test_an_unknown_pot(self, ledger):
        """The state of a pot never opened is a LedgerError naming it."""
        with pytest.raises(LedgerError, match="no pot 'nowhere'"):
            ledger.pot_state("nowhere")

    def test_replaying_an_unknown_decision(self, ledger):
        """Replaying a decision the ledger does not hold is a LedgerError."""
        with pytest.raises(LedgerError, match="no decision 'r-none'"):
            ledger.replay("r-none")

    def test_an_unknown_export_format(self, ledger, tmp_path):
        """Export knows jsonl, csv and parquet only."""
        with pytest.raises(InvalidInputError, match="jsonl, csv or parquet"):
            ledger.export(tmp_path / "out.xml", format="xml")

    def test_an_empty_reason_is_refused(self, ledger):
        """A reversal needs a reason of 1-2000 characters."""
        with pytest.raises(InvalidInputError, match="1-2000 characters"):
            ledger.reverse(1, actor="anne", reason="  ")

    def test_without_an_expiry_nothing_expires(self, tmp_path):
        """A ledger opened with no pending expiry expires nothing."""
        with open_ledger(tmp_path / "keep.db", pending_expiry=None) as keeping:
            assert 0 == keeping.expire_pending()

    def test_history_of_everyone_is_every_entry(self, ledger):
        """``history()`` with no household is every entry, in order."""
        assert [e.seq for e in ledger.entries()] == [e.seq for e in ledger.history()]

    def test_a_registered_policy_as_a_dict(self, ledger):
        """A registered policy is described by its id, version and hash."""
        (registered,) = ledger.policies()
        assert POT == registered.to_dict()["policy_id"]
