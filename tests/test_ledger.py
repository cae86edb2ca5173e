"""The decision ledger: entries, policies, pots, four eyes, personal data, export.

Every test here runs on SQLite and on PostgreSQL (the ``target`` fixture).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from _ledger_support import DAY, POT, Clock, ask, youth
from samskaping import Money
from samskaping._errors import InvalidInputError
from samskaping.ledger import (
    SCHEMA_VERSION,
    ApprovalRefused,
    EntryKind,
    HouseholdHistory,
    Ledger,
    LedgerConflict,
    LedgerError,
    LedgerStatus,
    RetentionError,
    open_ledger,
)
from samskaping.model import PaymentType, Pot
from samskaping.payouts import Request, dumps_policy, load_policy


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A ledger's address: a SQLite file, or a PostgreSQL URL with a fresh schema."""
    if request.param == "sqlite":
        return str(tmp_path / "ledger.db")
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def clock() -> Clock:
    """A clock at 1 September 2021, 08:00 UTC."""
    return Clock()


PA_EGNE_BEN = dumps_policy(load_policy("pa_egne_ben"))


@pytest.fixture
def ledger(target: str, clock: Clock) -> Iterator[Ledger]:
    """A ledger with På egne ben registered and its pot open."""
    with open_ledger(target, clock=clock) as opened:
        opened.register_policy(PA_EGNE_BEN, actor="anne", source="pa_egne_ben.toml")
        opened.open_pot(policy_id="pa_egne_ben", actor="anne")
        yield opened


class TestEntries:
    """Entries: the chain, times, payloads."""

    def test_each_entry_hashes_the_one_before(self, ledger: Ledger) -> None:
        """An entry's prev_hash is the hash of the entry before it."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        entries = list(ledger.entries())
        assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]

    def test_the_head_is_the_last_hash(self, ledger: Ledger) -> None:
        """head() is the hash of the latest entry."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        assert list(ledger.entries())[-1].hash == ledger.head()

    def test_sequence_numbers_have_no_gaps(self, ledger: Ledger) -> None:
        """Entries are numbered 1, 2, 3, ..."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        assert [e.seq for e in ledger.entries()] == [1, 2, 3]

    def test_times_come_from_the_clock_in_utc(self, ledger: Ledger, clock: Clock) -> None:
        """An entry's time is the injected clock's, in UTC."""
        clock.advance(hours=3)
        recorded = ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        entry = list(ledger.entries())[recorded.seq - 1]
        assert entry.at == clock.now

    def test_the_decision_date_is_in_oslo(self, ledger: Ledger, clock: Clock) -> None:
        """At 22:30 UTC on 1 September it is already 2 September in Oslo."""
        clock.now = datetime.datetime(2021, 9, 1, 22, 30, tzinfo=datetime.UTC)
        recorded = ledger.decide(ask("r1", "h1", 500), pot_id=POT, actor="anne")
        assert recorded.as_of == datetime.date(2021, 9, 2)

    def test_a_decision_entry_records_its_trace(self, ledger: Ledger) -> None:
        """The decision's payload holds reasons, flags, trace and documentation."""
        recorded = ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        outcome = recorded.record["outcome"]
        assert {"reasons", "flags", "trace", "documentation"} <= set(outcome)

    def test_household_inputs_are_not_in_the_trace(self, ledger: Ledger) -> None:
        """A household input's value is replaced by a marker in the recorded trace."""
        recorded = ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        values = [
            s["value"]
            for s in recorded.record["outcome"]["trace"]
            if s["name"] == "household.youth_age"
        ]
        assert values == [{"personal": True}]

    def test_the_engine_decision_is_returned(self, ledger: Ledger) -> None:
        """decide() returns the engine's decision with the recorded one."""
        recorded = ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        assert recorded.decision is not None
        assert recorded.decision.amount == Money(500)

    def test_reading_a_decision_back(self, ledger: Ledger) -> None:
        """decision(id) gives what decide() recorded."""
        recorded = ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        assert ledger.decision("r1") == recorded

    def test_an_unknown_decision(self, ledger: Ledger) -> None:
        """Reading an unknown decision is a LedgerError."""
        with pytest.raises(LedgerError):
            ledger.decision("nope")

    def test_an_actor_is_required(self, ledger: Ledger) -> None:
        """An empty actor is refused."""
        with pytest.raises(InvalidInputError):
            ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor=" ")

    def test_the_schema_version_is_recorded(self, target: str) -> None:
        """A new ledger is at the current schema version and verifies empty."""
        with open_ledger(target) as fresh:
            assert fresh.verify().ok
        assert SCHEMA_VERSION >= 2


class TestPoliciesAndPots:
    """Policies by content hash; many pots."""

    def test_registering_the_same_text_again(self, ledger: Ledger) -> None:
        """Registering a policy's same text again returns its first entry."""
        entry = ledger.register_policy(load_policy("pa_egne_ben"), actor="bjørn")
        assert entry.seq == 1

    def test_a_changed_text_under_the_same_version_is_refused(self, ledger: Ledger) -> None:
        """A change needs a new version."""
        text = dumps_policy(load_policy("pa_egne_ben")).replace(
            'name = "På egne ben, men ikke alene"', 'name = "Changed"'
        )
        with pytest.raises(LedgerConflict):
            ledger.register_policy(text, actor="anne")

    def test_a_new_version_is_used_by_later_decisions(self, ledger: Ledger) -> None:
        """A decision records the content hash of the version it was decided under."""
        text = dumps_policy(load_policy("pa_egne_ben")).replace(
            'version = "2021-08"', 'version = "2021-09"'
        )
        entry = ledger.register_policy(text, actor="anne")
        recorded = ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        assert recorded.policy_hash == entry.payload["hash"]

    def test_the_policy_hash_is_of_the_exact_text(self, ledger: Ledger) -> None:
        """The content hash is the SHA-256 of the registered text."""
        import hashlib

        entry = next(iter(ledger.entries()))
        text = entry.payload["text"].encode("utf-8")
        assert hashlib.sha256(text).hexdigest() == entry.payload["hash"]

    def test_many_pots_and_policies(self, ledger: Ledger) -> None:
        """One ledger holds many pots, each under its policy."""
        ledger.register_policy(load_policy("fritid_for_alle"), actor="anne")
        ledger.open_pot(policy_id="fritid_for_alle", actor="anne")
        assert len(ledger.pots()) == 2

    def test_a_pot_of_ones_own(self, ledger: Ledger) -> None:
        """A pot given explicitly is opened under a registered policy."""
        pot = Pot(id="small", total=Money(1000), allowed_types=(PaymentType.CONDITIONAL,))
        ledger.open_pot(pot, policy_id="pa_egne_ben", actor="anne")
        assert ledger.pot_state("small").available == Money(1000)

    def test_an_unregistered_policy(self, ledger: Ledger) -> None:
        """A pot needs a registered policy."""
        with pytest.raises(LedgerError):
            ledger.open_pot(policy_id="stodig_start", actor="anne")

    def test_deciding_against_an_unknown_pot(self, ledger: Ledger) -> None:
        """Deciding against a pot that is not open is a LedgerError."""
        with pytest.raises(LedgerError):
            ledger.decide(ask("r1", "h1", 500), pot_id="nope", as_of=DAY, actor="anne")

    def test_listing_policies(self, ledger: Ledger) -> None:
        """policies() lists each registered version."""
        assert [(p.policy_id, p.version) for p in ledger.policies()] == [("pa_egne_ben", "2021-08")]


class TestIdempotency:
    """A request id is decided once."""

    def test_deciding_again_returns_the_first_decision(self, ledger: Ledger) -> None:
        """The same request again gives the first decision, marked repeated."""
        first = ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        again = ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        assert again.seq == first.seq
        assert again.repeated

    def test_deciding_again_writes_nothing(self, ledger: Ledger) -> None:
        """A repeated request adds no entry."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        head = ledger.head()
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        assert ledger.head() == head

    def test_the_same_id_with_another_amount_conflicts(self, ledger: Ledger) -> None:
        """The same request id with a different request is a LedgerConflict."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        with pytest.raises(LedgerConflict):
            ledger.decide(ask("r1", "h1", 600), pot_id=POT, as_of=DAY, actor="anne")

    def test_the_same_id_for_another_household_conflicts(self, ledger: Ledger) -> None:
        """The same request id for another household is a LedgerConflict."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        with pytest.raises(LedgerConflict):
            ledger.decide(ask("r1", "h2", 500), pot_id=POT, as_of=DAY, actor="anne")

    def test_the_same_id_with_other_attributes_conflicts(self, ledger: Ledger) -> None:
        """A change in the household's (personal) attributes is a different request."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        other = Request(id="r1", household=youth("h1", age=20), amount=Money(500),
                        purpose="gift_card_sports")  # fmt: skip
        with pytest.raises(LedgerConflict):
            ledger.decide(other, pot_id=POT, as_of=DAY, actor="anne")

    def test_a_batch_is_one_transaction(self, ledger: Ledger) -> None:
        """If one request of a batch conflicts, none of the batch is recorded."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        head = ledger.head()
        with pytest.raises(LedgerConflict):
            ledger.decide_many(
                [ask("r2", "h2", 500), ask("r1", "h1", 999)], pot_id=POT, as_of=DAY, actor="anne"
            )
        assert ledger.head() == head


class TestFourEyes:
    """Approval bands made real (002:1709-1711)."""

    def test_20000_kr_waits_for_a_second_person(self, ledger: Ledger) -> None:
        """A 20 000 kr request under På egne ben is pending approval."""
        recorded = ledger.decide(ask("r1", "h1", 20000), pot_id=POT, as_of=DAY, actor="anne")
        assert recorded.status is LedgerStatus.PENDING_APPROVAL

    def test_pending_money_is_reserved(self, ledger: Ledger) -> None:
        """A pending decision's money is reserved (and counts as committed)."""
        ledger.decide(ask("r1", "h1", 20000), pot_id=POT, as_of=DAY, actor="anne")
        state = ledger.pot_state(POT)
        assert state.reserved == Money(20000)
        assert state.committed == Money(20000)

    def test_the_proposer_counts_as_the_first_signature(self, ledger: Ledger) -> None:
        """The worker who decided is the first signer."""
        recorded = ledger.decide(ask("r1", "h1", 20000), pot_id=POT, as_of=DAY, actor="anne")
        assert recorded.signers == ("anne",)

    def test_the_same_person_cannot_sign_twice(self, ledger: Ledger) -> None:
        """The proposer approving (in any case or spacing) is refused."""
        ledger.decide(ask("r1", "h1", 20000), pot_id=POT, as_of=DAY, actor="anne")
        with pytest.raises(ApprovalRefused):
            ledger.approve("r1", actor=" Anne ")

    def test_a_second_person_grants_it(self, ledger: Ledger) -> None:
        """A different approver makes it granted and its money committed."""
        ledger.decide(ask("r1", "h1", 20000), pot_id=POT, as_of=DAY, actor="anne")
        approved = ledger.approve("r1", actor="bjørn")
        assert approved.status == LedgerStatus.GRANTED
        assert ledger.pot_state(POT).reserved == Money(0)

    def test_approving_a_granted_decision_is_refused(self, ledger: Ledger) -> None:
        """Once granted, nobody can sign again."""
        ledger.decide(ask("r1", "h1", 20000), pot_id=POT, as_of=DAY, actor="anne")
        ledger.approve("r1", actor="bjørn")
        with pytest.raises(ApprovalRefused):
            ledger.approve("r1", actor="bjørn")

    def test_a_small_payout_needs_no_second_person(self, ledger: Ledger) -> None:
        """Below 10 000 kr the worker decides alone."""
        recorded = ledger.decide(ask("r1", "h1", 9000), pot_id=POT, as_of=DAY, actor="anne")
        assert recorded.status is LedgerStatus.GRANTED

    def test_a_rejection_releases_the_money(self, ledger: Ledger) -> None:
        """An approver's rejection releases what was reserved."""
        ledger.decide(ask("r1", "h1", 20000), pot_id=POT, as_of=DAY, actor="anne")
        refused = ledger.reject("r1", actor="bjørn", reason="not this time")
        assert refused.status == LedgerStatus.REFUSED
        assert ledger.pot_state(POT).committed == Money(0)

    def test_a_dual_mandate_approver_is_refused(self, ledger: Ledger) -> None:
        """An approver with the social-assistance mandate cannot approve (002:1739-1741)."""
        ledger.decide(ask("r1", "h1", 20000), pot_id=POT, as_of=DAY, actor="anne")
        with pytest.raises(ApprovalRefused):
            ledger.approve("r1", actor="bjørn", dual_mandate=True)

    def test_a_dual_mandate_proposer_does_not_count(self, ledger: Ledger) -> None:
        """A proposer with the dual mandate is not a signature, even for a small amount."""
        request = Request(id="r1", household=youth("h1"), amount=Money(500),
                          purpose="gift_card_sports",
                          decider_has_social_assistance_mandate=True)  # fmt: skip
        recorded = ledger.decide(request, pot_id=POT, as_of=DAY, actor="anne")
        assert recorded.status == LedgerStatus.PENDING_APPROVAL
        assert recorded.signers == ()

    def test_a_group_decision_records_each_signature(self, ledger: Ledger) -> None:
        """Above 50 000 kr the group decides jointly: each signature is an entry."""
        ledger.decide(ask("r1", "h1", 60000), pot_id=POT, as_of=DAY, actor="anne")
        approved = ledger.approve("r1", actor="bjørn")
        signatures = [e.payload["signer"] for e in ledger.entries() if e.kind is EntryKind.APPROVAL]
        assert approved.signers == ("anne", "bjørn")
        assert signatures == ["bjørn"]

    def test_a_pending_decision_expires(self, ledger: Ledger, clock: Clock) -> None:
        """After 30 days pending, the next decision on the pot expires it and releases."""
        ledger.decide(ask("r1", "h1", 20000), pot_id=POT, as_of=DAY, actor="anne")
        clock.advance(days=30)
        ledger.decide(ask("r2", "h2", 500), pot_id=POT, as_of=DAY, actor="anne")
        assert ledger.decision("r1").status is LedgerStatus.EXPIRED

    def test_an_expired_decision_cannot_be_approved(self, ledger: Ledger, clock: Clock) -> None:
        """Approving after expiry is refused, and the expiry is recorded."""
        ledger.decide(ask("r1", "h1", 20000), pot_id=POT, as_of=DAY, actor="anne")
        clock.advance(days=31)
        with pytest.raises(ApprovalRefused):
            ledger.approve("r1", actor="bjørn")
        assert ledger.pot_state(POT).committed == Money(0)

    def test_expire_pending_on_demand(self, ledger: Ledger, clock: Clock) -> None:
        """expire_pending() expires every overdue decision and says how many."""
        ledger.decide(ask("r1", "h1", 20000), pot_id=POT, as_of=DAY, actor="anne")
        clock.advance(days=29)
        assert ledger.expire_pending() == 0


class TestMoney:
    """Commit, pay, release, reverse; the pot's limit; history."""

    def test_disbursing_moves_committed_to_disbursed(self, ledger: Ledger) -> None:
        """Paying out moves the money from committed to disbursed."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        ledger.disburse("r1", actor="anne")
        state = ledger.pot_state(POT)
        assert state.committed == Money(0)
        assert state.disbursed == Money(500)

    def test_a_pending_decision_cannot_be_paid(self, ledger: Ledger) -> None:
        """Only committed money is paid out."""
        ledger.decide(ask("r1", "h1", 20000), pot_id=POT, as_of=DAY, actor="anne")
        with pytest.raises(LedgerError):
            ledger.disburse("r1", actor="anne")

    def test_releasing_makes_money_available(self, ledger: Ledger) -> None:
        """A released commitment is available again."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        ledger.release("r1", actor="anne", reason="withdrawn")
        assert ledger.pot_state(POT).available == Money(1_000_000)

    def test_reversing_a_decision_points_at_it(self, ledger: Ledger) -> None:
        """A reversal references the entry it corrects and gives the reason."""
        recorded = ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        entry = ledger.reverse(recorded.seq, actor="bjørn", reason="wrong household")
        assert entry.payload["entry"] == recorded.seq
        assert entry.payload["reason"] == "wrong household"

    def test_reversing_a_disbursement_returns_the_money(self, ledger: Ledger) -> None:
        """Reversing a payment records the money as back in the pot."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        ledger.disburse("r1", actor="anne")
        paid = list(ledger.entries())[-1]
        ledger.reverse(paid.seq, actor="anne", reason="returned")
        assert ledger.pot_state(POT).available == Money(1_000_000)

    def test_reversing_twice_is_refused(self, ledger: Ledger) -> None:
        """Nothing is left to reverse the second time."""
        recorded = ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        ledger.reverse(recorded.seq, actor="anne", reason="wrong")
        with pytest.raises(LedgerError):
            ledger.reverse(recorded.seq, actor="anne", reason="wrong")

    def test_the_pot_limits_a_grant(self, ledger: Ledger) -> None:
        """What is left in the pot limits a grant, as in memory."""
        pot = Pot(id="small", total=Money(1000), allowed_types=(PaymentType.CONDITIONAL,))
        ledger.open_pot(pot, policy_id="pa_egne_ben", actor="anne")
        ledger.decide(ask("r1", "h1", 800), pot_id="small", as_of=DAY, actor="anne")
        second = ledger.decide(ask("r2", "h2", 800), pot_id="small", as_of=DAY, actor="anne")
        assert second.amount == Money(200)

    def test_household_history_is_kept(self, ledger: Ledger) -> None:
        """The household's received money and requests are projected per pot."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        ledger.decide(ask("r2", "h1", 700), pot_id=POT, as_of=DAY, actor="anne")
        history = ledger.history("h1")
        assert isinstance(history, HouseholdHistory)
        assert history.received == {POT: Money(1200)}
        assert history.requests == {POT: 2}

    def test_the_engine_sees_the_history(self, ledger: Ledger) -> None:
        """The ledger gives the engine the household's earlier grants (repeat flag)."""
        for number in range(3):
            ledger.decide(ask(f"r{number}", "h1", 100), pot_id=POT, as_of=DAY, actor="anne")
        recorded = ledger.decide(ask("r9", "h1", 100), pot_id=POT, as_of=DAY, actor="anne")
        assert "repeat_request" in [f["code"] for f in recorded.record["outcome"]["flags"]]

    def test_allocate_orders_children_first(self, ledger: Ledger) -> None:
        """allocate() decides in the documented priority order."""
        requests = [
            ask("late", "h1", 500),
            Request(id="kids", household=youth("h2"), amount=Money(500),
                    purpose="gift_card_sports", for_children=True),
        ]  # fmt: skip
        recorded = ledger.allocate(requests, pot_id=POT, as_of=DAY, actor="anne")
        assert [r.decision_id for r in recorded] == ["kids", "late"]


class TestReplay:
    """Replaying under the recorded policy."""

    def test_a_decision_replays_the_same(self, ledger: Ledger) -> None:
        """A decision decided again under its recorded policy is the same."""
        ledger.decide(ask("r1", "h1", 20000), pot_id=POT, as_of=DAY, actor="anne")
        assert ledger.replay("r1").matches

    def test_a_forgotten_household_cannot_be_replayed(self, ledger: Ledger) -> None:
        """Without the erased attributes there is nothing to replay."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        ledger.forget("h1", actor="anne", reason="asked", force=True)
        with pytest.raises(LedgerError):
            ledger.replay("r1")


class TestPersonalData:
    """Pseudonyms, attributes apart, forget, innsyn."""

    def test_the_reference_is_a_pseudonym(self, ledger: Ledger) -> None:
        """Entries name the household by a pseudonym, never by its reference."""
        recorded = ledger.decide(ask("r1", "h-secret", 500), pot_id=POT, as_of=DAY, actor="a")
        text = json.dumps([e.to_dict() for e in ledger.entries()])
        assert recorded.household.startswith("hh-")
        assert "h-secret" not in text

    def test_each_household_has_its_own_pseudonym(self, ledger: Ledger) -> None:
        """Two households get two pseudonyms."""
        one = ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        two = ledger.decide(ask("r2", "h2", 500), pot_id=POT, as_of=DAY, actor="anne")
        assert one.household != two.household

    def test_attributes_are_outside_the_chain(self, ledger: Ledger) -> None:
        """The chain holds the hash of the personal attributes, not the attributes."""
        request = Request(id="r1", household=youth("h1"), amount=Money(500),
                          purpose="gift_card_sports", description="private words")  # fmt: skip
        recorded = ledger.decide(request, pot_id=POT, as_of=DAY, actor="anne")
        text = json.dumps([e.to_dict() for e in ledger.entries()])
        assert len(recorded.record["personal"]) == 64
        assert "private words" not in text

    def test_forget_keeps_a_verifying_chain(self, ledger: Ledger) -> None:
        """After forget the ledger still verifies."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        ledger.forget("h1", actor="anne", reason="asked", force=True)
        assert ledger.verify().ok

    def test_forget_unties_the_household(self, ledger: Ledger) -> None:
        """After forget the ledger knows no household by that reference."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        ledger.forget("h1", actor="anne", reason="asked", force=True)
        with pytest.raises(LedgerError):
            ledger.history("h1")

    def test_a_new_request_after_forget_gets_a_new_pseudonym(self, ledger: Ledger) -> None:
        """The old pseudonym cannot be derived again from the reference."""
        first = ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        ledger.forget("h1", actor="anne", reason="asked", force=True)
        again = ledger.decide(ask("r2", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        assert again.household != first.household

    def test_forget_keeps_the_amounts(self, ledger: Ledger) -> None:
        """Amounts and balances stay after forget (accounting law)."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        ledger.forget("h1", actor="anne", reason="asked", force=True)
        assert ledger.pot_state(POT).committed == Money(500)

    def test_forget_within_retention_is_refused(self, ledger: Ledger) -> None:
        """Before the retention period ends, forget needs force."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        with pytest.raises(RetentionError):
            ledger.forget("h1", actor="anne")

    def test_force_needs_a_reason(self, ledger: Ledger) -> None:
        """A forced forget without a reason is refused."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        with pytest.raises(InvalidInputError):
            ledger.forget("h1", actor="anne", force=True)

    def test_a_forced_forget_records_its_reason(self, ledger: Ledger) -> None:
        """The reason of a forced forget is in its entry."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        entry = ledger.forget("h1", actor="anne", reason="court order", force=True)
        assert entry.payload["forced"]
        assert entry.payload["reason"] == "court order"

    def test_forget_after_retention(self, ledger: Ledger, clock: Clock) -> None:
        """After the retention period, forget needs no force."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        clock.advance(days=5 * 365 + 1)
        assert ledger.forget("h1", actor="anne").payload["forced"] is False

    def test_access_export_gives_everything(self, ledger: Ledger) -> None:
        """The access export holds the reference, attributes and entries (innsyn)."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        export = ledger.access_export("h1", actor="anne")
        attributes = export["personal"][0]["data"]["household"]["attributes"]
        assert export["ref"] == "h1"
        assert attributes["youth_age"] == 19

    def test_access_is_recorded(self, ledger: Ledger) -> None:
        """Reading a household's personal data leaves an access entry."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        ledger.access_export("h1", actor="bjørn")
        last = list(ledger.entries())[-1]
        assert last.kind == EntryKind.ACCESS
        assert last.actor == "bjørn"
        assert last.payload["purpose"] == "innsyn"

    def test_history_hides_the_reference_unless_asked(self, ledger: Ledger) -> None:
        """history() shows the reference only with reveal_identifiers."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        hidden = ledger.history("h1")
        shown = ledger.history("h1", reveal_identifiers=True)
        assert isinstance(hidden, HouseholdHistory)
        assert isinstance(shown, HouseholdHistory)
        assert hidden.ref is None
        assert shown.ref == "h1"

    def test_an_error_never_repeats_the_reference(self, ledger: Ledger) -> None:
        """An unknown household's error does not echo its reference."""
        with pytest.raises(LedgerError) as caught:
            ledger.history("h-unknown")
        assert "h-unknown" not in str(caught.value)


class TestExport:
    """Exports for auditors and researchers."""

    def test_jsonl_has_one_line_per_entry(self, ledger: Ledger, tmp_path: Path) -> None:
        """JSON Lines: one entry per line."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        out = tmp_path / "ledger.jsonl"
        count = ledger.export(out)
        assert len(out.read_text(encoding="utf-8").splitlines()) == count == 3

    def test_csv_amounts_are_exact(self, ledger: Ledger) -> None:
        """CSV amounts are exact decimal text."""
        ledger.decide(ask("r1", "h1", 1234), pot_id=POT, as_of=DAY, actor="anne")
        buffer = io.StringIO()
        ledger.export(buffer, format="csv")
        rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
        assert rows[-1]["amount"] == "1234.00"

    def test_exports_carry_pseudonyms_only(self, ledger: Ledger) -> None:
        """No export holds a household's reference."""
        ledger.decide(ask("r1", "h-secret", 500), pot_id=POT, as_of=DAY, actor="anne")
        jsonl, table = io.StringIO(), io.StringIO()
        ledger.export(jsonl)
        ledger.export(table, format="csv")
        assert "h-secret" not in jsonl.getvalue() + table.getvalue()

    def test_parquet(self, ledger: Ledger, tmp_path: Path) -> None:
        """Parquet has the CSV's columns, amounts as text."""
        import pyarrow.parquet as pq

        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        ledger.export(tmp_path / "l.parquet", format="parquet")
        table = pq.read_table(tmp_path / "l.parquet")
        assert table.column("amount").to_pylist()[-1] == "500.00"

    def test_to_pandas_keeps_decimals(self, ledger: Ledger) -> None:
        """to_pandas() holds amounts as Decimal."""
        ledger.decide(ask("r1", "h1", 500), pot_id=POT, as_of=DAY, actor="anne")
        frame = ledger.to_pandas()
        assert frame["amount"].iloc[-1] == Decimal("500.00")


def test_forget_leaves_no_trace_in_the_file(tmp_path: Path) -> None:
    """After forget, the SQLite files hold neither the reference nor the attributes."""
    path = tmp_path / "ledger.db"
    with open_ledger(path, clock=Clock()) as ledger:
        ledger.register_policy(PA_EGNE_BEN, actor="anne")
        ledger.open_pot(policy_id="pa_egne_ben", actor="anne")
        request = Request(id="r1", household=youth("ref-7731-unique"), amount=Money(500),
                          purpose="gift_card_sports", description="words-5519-unique")  # fmt: skip
        ledger.decide(request, pot_id=POT, as_of=DAY, actor="anne")
        ledger.forget("ref-7731-unique", actor="anne", reason="asked", force=True)
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert b"ref-7731-unique" not in stored
    assert b"words-5519-unique" not in stored
