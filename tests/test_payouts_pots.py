"""Pots: values whose operations return new pots and never overdraw."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samskaping import InvalidInputError, Money
from samskaping.model import PaymentType, Pot
from samskaping.payouts import PotStatus, commit, disburse, pot_status, release
from strategies import consistent_pots

DAY = datetime.date(2022, 3, 1)
C = PaymentType.CONDITIONAL


def pot(total: str = "1000", **kwargs: Any) -> Pot:
    """A pot with a total and an optional window."""
    return Pot(id="p", total=Money(total), **kwargs)


def committed(base: Pot, amount: str = "400", entry_id: str = "e1") -> Pot:
    """``base`` with one commitment."""
    return commit(base, Money(amount), entry_id=entry_id, as_of=DAY, payment_type=C).pot


class TestStatus:
    """A pot's status on a date."""

    @pytest.mark.parametrize(
        ("kwargs", "expected"),
        [
            ({}, PotStatus.OPEN),
            ({"valid_from": datetime.date(2022, 3, 2)}, PotStatus.NOT_STARTED),
            ({"valid_to": DAY}, PotStatus.ENDED),
            ({"valid_to": datetime.date(2022, 3, 2)}, PotStatus.OPEN),
            ({"allowed_types": (PaymentType.COLLECTIVE,)}, PotStatus.TYPE_NOT_ALLOWED),
        ],
    )
    def test_window_and_type(self, kwargs: Any, expected: Any) -> None:
        """The window is half-open and the payout type must be allowed."""
        assert expected == pot_status(pot(**kwargs), DAY, C)

    def test_emptied(self) -> None:
        """A pot with nothing left is emptied."""
        assert PotStatus.EMPTIED == pot_status(committed(pot(), "1000"), DAY, C)


class TestOperations:
    """Commit, disburse and release return new pots."""

    def test_commit(self) -> None:
        """Committing reduces what is left and leaves the old pot as it was."""
        base = pot()
        update = commit(base, Money(400), entry_id="e1", as_of=DAY, payment_type=C, reference="h1")
        assert (Money(600), Money(1000)) == (update.pot.available, base.available)

    def test_commit_only_what_is_left(self) -> None:
        """Asking more than is left commits only what is left."""
        update = commit(committed(pot()), Money(900), entry_id="e2", as_of=DAY, payment_type=C)
        assert (Money(600), Money(0)) == (update.amount, update.pot.available)

    def test_commit_to_ended_pot(self) -> None:
        """An ended pot commits nothing and says why; no exception."""
        update = commit(pot(valid_to=DAY), Money(10), entry_id="e", as_of=DAY, payment_type=C)
        assert (PotStatus.ENDED, Money(0)) == (update.status, update.amount)

    def test_duplicate_id(self) -> None:
        """An entry id can be used once."""
        with pytest.raises(InvalidInputError):
            commit(committed(pot()), Money(1), entry_id="e1", as_of=DAY, payment_type=C)

    def test_negative_amount(self) -> None:
        """A negative amount is refused."""
        with pytest.raises(InvalidInputError):
            commit(pot(), Money(-1), entry_id="e", as_of=DAY, payment_type=C)

    def test_disburse_all(self) -> None:
        """Paying out a commitment moves it to the disbursements."""
        paid = disburse(committed(pot()), "e1", as_of=DAY).pot
        assert ((), Money(400), Money(600)) == (paid.commitments, paid.disbursed, paid.available)

    def test_disburse_part(self) -> None:
        """Paying out part keeps the rest committed."""
        paid = disburse(committed(pot()), "e1", as_of=DAY, amount=Money(100)).pot
        assert (Money(300), Money(100)) == (paid.committed, paid.disbursed)

    def test_disburse_after_end(self) -> None:
        """A commitment can be paid out after the pot has ended."""
        base = committed(pot(valid_to=datetime.date(2022, 3, 2)))
        paid = disburse(base, "e1", as_of=datetime.date(2022, 4, 1))
        assert (Money(400), PotStatus.ENDED) == (paid.amount, paid.status)

    def test_disburse_more_than_committed(self) -> None:
        """Paying out more than committed is refused."""
        with pytest.raises(InvalidInputError):
            disburse(committed(pot()), "e1", as_of=DAY, amount=Money(401))

    def test_release(self) -> None:
        """Releasing a commitment makes its money available again."""
        assert Money(1000) == release(committed(pot()), "e1", as_of=DAY).pot.available

    def test_release_unknown(self) -> None:
        """Releasing an unknown commitment is refused."""
        with pytest.raises(InvalidInputError):
            release(pot(), "nope", as_of=DAY)


_operations = st.lists(
    st.tuples(
        st.sampled_from(["commit", "disburse", "release"]), st.integers(0, 10**8), st.integers(0, 5)
    ),
    max_size=25,
)


class TestProperties:
    """Invariants of pots under any sequence of operations."""

    @given(st.integers(0, 10**9), _operations)
    @settings(max_examples=150)
    def test_conserved_and_never_negative(
        self, total: int, operations: list[tuple[str, int, int]]
    ) -> None:
        """Property: total == left + committed + disbursed, and left is never below zero."""
        current = pot(str(Money.from_ore(total).amount))
        counter = 0
        for kind, amount, pick in operations:
            if kind == "commit":
                counter += 1
                current = commit(
                    current,
                    Money.from_ore(amount),
                    entry_id=f"e{counter}",
                    as_of=DAY,
                    payment_type=C,
                ).pot
            elif current.commitments:
                entry = current.commitments[pick % len(current.commitments)]
                if kind == "disburse":
                    part = Money.from_ore(min(amount, entry.amount.ore))
                    current = disburse(current, entry.id, as_of=DAY, amount=part).pot
                else:
                    current = release(current, entry.id, as_of=DAY).pot
            assert current.total == current.available + current.committed + current.disbursed
            assert not current.available.is_negative()

    @given(consistent_pots)
    @settings(max_examples=100)
    def test_generated_pots_consistent(self, value: Pot) -> None:
        """Property: generated pots never have more committed and paid than their total."""
        assert value.committed + value.disbursed <= value.total
