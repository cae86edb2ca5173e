"""Durability: a decision is acknowledged only once it is durable.

A child process decides in a loop and reports each decision once ``decide`` returns.
It is killed with SIGKILL at a random moment, again and again. After every kill the
ledger verifies, holds every decision the child reported, and its pot balance equals
the sum of its entries.
"""

from __future__ import annotations

import datetime
import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

import pytest

from _ledger_support import Clock
from samskaping import Money
from samskaping.ledger import open_ledger
from samskaping.payouts import Household, Request, load_policy

DAY = datetime.date(2021, 9, 1)


def _child(target: str, start: int, out: int) -> None:
    """Decide in a loop; write each request id to ``out`` once decide() has returned."""
    with open_ledger(target) as ledger:
        number = start
        while True:
            household = Household(
                ref=f"h{number % 7}", attributes={"youth_age": 19, "in_contact_with_services": True}
            )
            amount = Money(100 + number % 50)
            request = Request(
                id=f"k{number}", household=household, amount=amount, purpose="gift_card_sports"
            )
            ledger.decide(request, pot_id="pa_egne_ben", as_of=DAY, actor="anne")
            if number % 5 == 0:
                ledger.disburse(f"k{number}", actor="anne")
            os.write(out, f"k{number}\n".encode())
            number += 1


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A ledger's address: a SQLite file, or a PostgreSQL URL with a fresh schema."""
    if request.param == "sqlite":
        return str(tmp_path / "ledger.db")
    url: str = request.getfixturevalue("postgres_url")
    return url


def _run_and_kill(target: str, start: int, rng: random.Random) -> list[str]:
    """Start a child, let it decide for a random moment, SIGKILL it; what it reported."""
    read, write = os.pipe()
    child = multiprocessing.get_context("fork").Process(target=_child, args=(target, start, write))
    child.start()
    os.close(write)
    with os.fdopen(read, "r") as reader:
        reported = [reader.readline().strip()]  # it is deciding now
        time.sleep(rng.uniform(0, 0.2))
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)
        child.join(timeout=30)
        reported.extend(line.strip() for line in reader.read().splitlines())
    return [r for r in reported if r]


def test_nothing_is_lost_when_killed(target: str) -> None:
    """After each SIGKILL: it verifies, nothing reported is lost, the balance adds up."""
    with open_ledger(target, clock=Clock()) as ledger:
        ledger.register_policy(load_policy("pa_egne_ben"), actor="anne")
        ledger.open_pot(policy_id="pa_egne_ben", actor="anne")
    rng = random.Random(20211)  # noqa: S311  (moments to kill, not secrets)
    rounds = 8 if target.endswith(".db") else 5
    reported: list[str] = []
    for round_number in range(rounds):
        reported += _run_and_kill(target, 10_000 * round_number, rng)
        with open_ledger(target) as ledger:
            assert ledger.verify().ok
            recorded = {e.payload["decision_id"]: e for e in ledger.entries()
                        if e.kind.value == "decision"}  # fmt: skip
            assert set(reported) <= set(recorded)
            state = ledger.pot_state("pa_egne_ben")
            total = sum((Money(e.payload["amount"]) for e in recorded.values()), Money(0))
            assert state.committed + state.disbursed == total
