"""Collective decisions in the ledger: a group's proposals, committed from a pot to the øre.

Every test with a ``target`` runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import itertools
import json
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _ledger_support import DAY, Clock, ask
from samskaping import Money
from samskaping._errors import InvalidInputError
from samskaping.ledger import (
    EntryKind,
    Ledger,
    LedgerConflict,
    LedgerError,
    LedgerStatus,
    RecordedCollectiveDecision,
    open_ledger,
)
from samskaping.model import PaymentType, Pot
from samskaping.payouts import (
    BudgetProposal,
    CollectiveRequest,
    CollectiveRule,
    DecisionBody,
    RecordedDecision,
    load_policy,
)

MIX = Pot(
    id="mix",
    total=Money(100_000),
    allowed_types=(PaymentType.CONDITIONAL, PaymentType.COLLECTIVE),
)
STODIG = load_policy("stodig_start")
#: Stødig start's terms, but proposals chosen greedily by votes (Consul's rule).
VOTES = attrs.evolve(
    STODIG,
    id="stodig_votes",
    pot=None,
    collective=attrs.evolve(STODIG.collective, rule=CollectiveRule.GREEDY_BY_VOTES),
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A ledger's address: a SQLite file, or a PostgreSQL URL with a fresh schema."""
    if request.param == "sqlite":
        return str(tmp_path / "ledger.db")
    url: str = request.getfixturevalue("postgres_url")
    return url


def _prepare(ledger: Ledger) -> None:
    ledger.register_policy(load_policy("pa_egne_ben"), actor="anne")
    ledger.register_policy(STODIG, actor="anne")
    ledger.register_policy(VOTES, actor="anne")
    ledger.open_pot(MIX, policy_id="pa_egne_ben", actor="anne")
    ledger.open_pot(policy_id="stodig_start", actor="anne")


@pytest.fixture
def ledger(target: str) -> Iterator[Ledger]:
    """A ledger with a pot for individual and collective payouts, and Stødig start's pot."""
    with open_ledger(target, clock=Clock()) as opened:
        _prepare(opened)
        yield opened


def group_request(
    request_id: str = "g1",
    *,
    costs: tuple[int, ...] = (800, 50_000),
    selected: tuple[int, ...] = (0,),
    members: tuple[str, ...] = ("m-1", "m-2", "m-3"),
    minutes: str | None = "Møtereferat 1. mars",
) -> CollectiveRequest:
    """A group's request decided by the project group (Stødig start, 002:1900)."""
    return CollectiveRequest(
        id=request_id,
        group="grp-1",
        members=members,
        proposals=tuple(
            BudgetProposal(
                id=f"p{i}", title=f"Forslag {i}", cost=Money(c), split_among_members=i == 0
            )
            for i, c in enumerate(costs)
        ),
        recorded=RecordedDecision(
            selected=tuple(f"p{i}" for i in selected),
            decided_by=DecisionBody.PROJECT_GROUP,
            date=DAY,
            minutes=minutes,
        ),
    )


def _decide(
    ledger: Ledger, request: CollectiveRequest, **kwargs: Any
) -> RecordedCollectiveDecision:
    options: dict[str, Any] = {"pot_id": "mix", "policy_id": "stodig_start", "as_of": DAY}
    options.update(kwargs)
    return ledger.decide_collective(request, actor="gro", **options)


class TestRecording:
    """A collective decision is one entry, and its funded sum is committed exactly."""

    def test_funded_sum_is_committed(self, ledger: Ledger) -> None:
        """The selected proposal's cost is committed from the pot, to the øre."""
        _decide(ledger, group_request(costs=(800, 50_000, 1234)))
        assert Money(800) == ledger.pot_state("mix").committed

    def test_status_partial_when_some_are_funded(self, ledger: Ledger) -> None:
        """Some proposals funded, some not: partial."""
        assert LedgerStatus.PARTIAL == _decide(ledger, group_request()).status

    def test_status_granted_when_all_are_funded(self, ledger: Ledger) -> None:
        """Every proposal funded: granted."""
        recorded = _decide(ledger, group_request(costs=(800, 900), selected=(0, 1)))
        assert LedgerStatus.GRANTED == recorded.status
        assert Money(1700) == recorded.funded

    def test_one_entry_of_its_own_kind(self, ledger: Ledger) -> None:
        """The decision is one collective_decision entry on the chain."""
        recorded = _decide(ledger, group_request())
        last = list(ledger.entries())[-1]
        assert EntryKind.COLLECTIVE_DECISION == last.kind
        assert recorded.seq == last.seq

    def test_the_pot_counts_it_as_a_decision(self, ledger: Ledger) -> None:
        """The pot's decision count includes collective decisions."""
        _decide(ledger, group_request())
        assert 1 == ledger.pot_state("mix").decisions

    def test_default_policy_is_the_pots(self, ledger: Ledger) -> None:
        """Without a policy id the pot's own (collective) policy decides."""
        recorded = ledger.decide_collective(
            group_request(), pot_id="stodig_start", as_of=DAY, actor="gro"
        )
        assert "stodig_start" == recorded.policy_id
        assert Money(800) == recorded.funded

    def test_a_pot_without_collective_funds_nothing(self, ledger: Ledger) -> None:
        """A pot that does not allow collective payouts: recorded, rejected, nothing committed."""
        ledger.open_pot(
            Pot(id="cond", total=Money(5000), allowed_types=(PaymentType.CONDITIONAL,)),
            policy_id="pa_egne_ben",
            actor="anne",
        )
        recorded = _decide(ledger, group_request(), pot_id="cond")
        assert LedgerStatus.REJECTED == recorded.status
        assert Money(0) == ledger.pot_state("cond").committed

    def test_a_non_collective_policy_is_refused(self, ledger: Ledger) -> None:
        """Deciding under a conditional policy is refused before anything is written."""
        with pytest.raises(InvalidInputError, match="not a collective policy"):
            _decide(ledger, group_request(), policy_id="pa_egne_ben")

    def test_an_unknown_pot_is_refused(self, ledger: Ledger) -> None:
        """A pot that is not open is an error."""
        with pytest.raises(LedgerError, match="no pot"):
            _decide(ledger, group_request(), pot_id="nope")

    def test_the_budget_is_what_is_left(self, ledger: Ledger) -> None:
        """Money committed to individual decisions is not available to the group."""
        ledger.decide(ask("r1", "h1", 9_000), pot_id="mix", as_of=DAY, actor="anne")
        recorded = _decide(ledger, group_request(costs=(800,)))
        assert Money(91_000) == recorded.budget


class TestIdempotency:
    """One decision per request id: the same request again is the same decision."""

    def test_same_request_is_repeated(self, ledger: Ledger) -> None:
        """The same request again returns the first decision, recorded once."""
        first = _decide(ledger, group_request())
        again = _decide(ledger, group_request())
        assert again.repeated
        assert first.seq == again.seq
        assert 1 == ledger.pot_state("mix").decisions

    def test_different_request_conflicts(self, ledger: Ledger) -> None:
        """The same id with other proposals is a conflict."""
        _decide(ledger, group_request())
        with pytest.raises(LedgerConflict):
            _decide(ledger, group_request(costs=(900, 50_000)))

    def test_different_members_conflict(self, ledger: Ledger) -> None:
        """The same id with other members (personal data) is a conflict."""
        _decide(ledger, group_request())
        with pytest.raises(LedgerConflict):
            _decide(ledger, group_request(members=("m-1", "m-9", "m-3")))

    def test_an_individual_decisions_id_conflicts(self, ledger: Ledger) -> None:
        """A request id already used by an individual decision is a conflict."""
        ledger.decide(ask("g1", "h1", 500), pot_id="mix", as_of=DAY, actor="anne")
        with pytest.raises(LedgerConflict):
            _decide(ledger, group_request("g1"))


class TestReadingBack:
    """What was recorded can be read, verified, exported and corrected."""

    def test_read_back_equals_recorded(self, ledger: Ledger) -> None:
        """collective_decision(id) gives what decide_collective recorded."""
        recorded = _decide(ledger, group_request())
        assert recorded == ledger.collective_decision("g1")

    def test_unknown_is_an_error(self, ledger: Ledger) -> None:
        """An unknown id, or an individual decision's, is not a collective decision."""
        ledger.decide(ask("r1", "h1", 500), pot_id="mix", as_of=DAY, actor="anne")
        with pytest.raises(LedgerError):
            ledger.collective_decision("r1")

    def test_decision_refers_to_collective(self, ledger: Ledger) -> None:
        """decision(id) of a collective id says where to read it."""
        _decide(ledger, group_request())
        with pytest.raises(LedgerError, match="collective_decision"):
            ledger.decision("g1")

    def test_the_chain_verifies(self, ledger: Ledger) -> None:
        """After individual and collective decisions the chain and projections verify."""
        ledger.decide(ask("r1", "h1", 500), pot_id="mix", as_of=DAY, actor="anne")
        _decide(ledger, group_request())
        assert ledger.verify().ok

    def test_export_is_pseudonymised(self, ledger: Ledger, tmp_path: Path) -> None:
        """The export holds no group or member reference and no minutes."""
        _decide(ledger, group_request())
        out = tmp_path / "export.jsonl"
        ledger.export(out)
        text = out.read_text("utf-8")
        assert [] == [s for s in ("grp-1", "m-1", "m-2", "Møtereferat") if s in text]

    def test_csv_export_pulls_out_status_and_amount(self, ledger: Ledger) -> None:
        """The CSV row of a collective decision has its id, status and amount."""
        import csv
        import io

        _decide(ledger, group_request())
        buffer = io.StringIO()
        ledger.export(buffer, format="csv")
        rows = [r for r in csv.DictReader(io.StringIO(buffer.getvalue())) if r["decision_id"]]
        assert [("g1", "partial", "800.00")] == [
            (r["decision_id"], r["status"], r["amount"]) for r in rows
        ]

    def test_reversal_releases_the_money(self, ledger: Ledger) -> None:
        """Reversing the entry releases what it committed, and the chain verifies."""
        recorded = _decide(ledger, group_request())
        ledger.reverse(recorded.seq, actor="anne", reason="feil møte")
        state = ledger.pot_state("mix")
        assert Money(0) == state.committed
        assert LedgerStatus.REVERSED == ledger.collective_decision("g1").status
        assert ledger.verify().ok

    def test_disburse_is_refused_before_writing(self, ledger: Ledger) -> None:
        """Individual follow-ups refuse a collective decision and write nothing."""
        _decide(ledger, group_request())
        head = ledger.head()
        with pytest.raises(LedgerError):
            ledger.disburse("g1", actor="anne")
        assert head == ledger.head()

    def test_group_history_by_reference(self, ledger: Ledger) -> None:
        """The group's history is found by its reference, like a household's."""
        _decide(ledger, group_request())
        history: Any = ledger.history("grp-1")
        assert Money(800) == history.received["mix"]

    def test_members_are_in_the_access_export(self, ledger: Ledger) -> None:
        """The group's access export (innsyn) holds its members, kept apart from the chain."""
        _decide(ledger, group_request())
        export = ledger.access_export("grp-1", actor="gro")
        assert ["m-1", "m-2", "m-3"] == export["personal"][0]["data"]["members"]

    def test_forgetting_the_group_keeps_the_chain(self, ledger: Ledger) -> None:
        """Forgetting the group erases members; the chain still verifies."""
        _decide(ledger, group_request())
        ledger.forget("grp-1", actor="dpo", reason="asked", force=True)
        assert ledger.verify().ok


class TestConcurrency:
    """Group and individual decisions from several threads never overspend a pot."""

    def test_threads_do_not_overspend(self, target: str) -> None:
        """Four threads, each with its own connection, mix both kinds on a 100 000 kr pot."""
        with open_ledger(target, clock=Clock()) as ledger:
            _prepare(ledger)

        def run(worker: int) -> None:
            with open_ledger(target, clock=Clock()) as mine:
                for number in range(4):
                    if number % 2:
                        mine.decide(ask(f"i{worker}-{number}", f"h{worker}", 9_000),
                                    pot_id="mix", as_of=DAY, actor="anne")  # fmt: skip
                    else:
                        _decide(mine, group_request(f"g{worker}-{number}", costs=(17_000,)))

        threads = [threading.Thread(target=run, args=(w,)) for w in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with open_ledger(target) as ledger:
            state = ledger.pot_state("mix")
            granted = _granted(ledger, "mix")
            assert state.committed == granted
            assert state.committed <= state.total
            assert ledger.verify().ok


def _granted(ledger: Ledger, pot_id: str) -> Money:
    """The sum of what every decision entry of the pot granted (committed or reserved)."""
    total = Money(0)
    for entry in ledger.entries(pot_id=pot_id):
        if entry.kind in {EntryKind.DECISION, EntryKind.COLLECTIVE_DECISION} and entry.payload[
            "status"
        ] in {"granted", "partial", "pending_approval"}:
            total += Money(entry.payload["amount"])
    return total


# --- properties ---

_steps = st.lists(
    st.one_of(
        st.tuples(st.just("individual"), st.integers(1, 40_000)),
        st.tuples(
            st.just("collective"),
            st.lists(
                st.tuples(st.integers(1, 6_000_000), st.integers(0, 9)), min_size=1, max_size=4
            ),
        ),
    ),
    min_size=1,
    max_size=10,
)


_RUNS = itertools.count()


def _fresh() -> Iterator[Ledger]:
    folder = tempfile.mkdtemp()
    try:
        with open_ledger(str(Path(folder) / "ledger.db"), clock=Clock()) as ledger:
            _prepare(ledger)
            yield ledger
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class TestProperties:
    """Any sequence of collective and individual decisions on one pot."""

    @settings(
        max_examples=10,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(steps=_steps)
    def test_never_overspends_and_commits_what_was_granted(
        self, ledger: Ledger, steps: list[Any]
    ) -> None:
        """Committed equals the sum granted, to the øre; never more than the total; verifies.

        On each backend; every example gets a pot of its own in the one ledger.
        """
        run = next(_RUNS)
        pot_id = f"mix-{run}"
        ledger.open_pot(attrs.evolve(MIX, id=pot_id), policy_id="pa_egne_ben", actor="anne")
        for number, (kind, what) in enumerate(steps):
            if kind == "individual":
                ledger.decide(ask(f"i{run}-{number}", f"h{number % 3}", what), pot_id=pot_id,
                              as_of=DAY, actor="anne")  # fmt: skip
            else:
                request = CollectiveRequest(
                    id=f"g{run}-{number}",
                    group=f"grp-{number % 2}",
                    proposals=tuple(
                        BudgetProposal(id=f"p{i}", title="x", cost=Money.from_ore(ore), votes=votes)
                        for i, (ore, votes) in enumerate(what)
                    ),
                )
                _decide(ledger, request, pot_id=pot_id, policy_id="stodig_votes")
            state = ledger.pot_state(pot_id)
            assert state.available >= Money(0)
            assert state.total == state.available + state.committed + state.disbursed
        assert _granted(ledger, pot_id) == ledger.pot_state(pot_id).committed
        assert ledger.verify().ok

    @settings(max_examples=10, deadline=None)
    @given(st.lists(st.tuples(st.integers(1, 3_000_000), st.integers(0, 9)), min_size=1,
                    max_size=6))  # fmt: skip
    def test_recorded_amount_is_the_funded_sum(self, proposals: list[tuple[int, int]]) -> None:
        """The entry's amount is the exact sum of the funded proposals' amounts."""
        for ledger in _fresh():
            request = CollectiveRequest(
                id="g",
                group="grp",
                proposals=tuple(
                    BudgetProposal(id=f"p{i}", title="x", cost=Money.from_ore(o), votes=v)
                    for i, (o, v) in enumerate(proposals)
                ),
            )
            recorded = _decide(ledger, request, policy_id="stodig_votes")
            amounts = [Money(o["amount"]) for o in recorded.record["outcome"]["outcomes"]]
            assert sum(amounts, Money(0)) == Money(recorded.record["amount"])
            assert json.loads(json.dumps(recorded.record)) == recorded.record
