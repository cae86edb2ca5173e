"""Pots: values whose operations return new pots and never overdraw."""

from __future__ import annotations

import datetime
import pickle
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samskaping import InvalidInputError, Money
from samskaping.io import structure, unstructure
from samskaping.model import PaymentType, Pot
from samskaping.payouts import (
    Household,
    PotStatus,
    Request,
    commit,
    disburse,
    evaluate,
    load_policy,
    pot_status,
    release,
)
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
        assert Money(600) == update.pot.available
        assert Money(1000) == base.available

    def test_commit_only_what_is_left(self) -> None:
        """Asking more than is left commits only what is left."""
        update = commit(committed(pot()), Money(900), entry_id="e2", as_of=DAY, payment_type=C)
        assert Money(600) == update.amount
        assert Money(0) == update.pot.available

    def test_commit_to_ended_pot(self) -> None:
        """An ended pot commits nothing and says why; no exception."""
        update = commit(pot(valid_to=DAY), Money(10), entry_id="e", as_of=DAY, payment_type=C)
        assert PotStatus.ENDED == update.status
        assert Money(0) == update.amount

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
        assert () == paid.commitments
        assert Money(400) == paid.disbursed
        assert Money(600) == paid.available

    def test_disburse_part(self) -> None:
        """Paying out part keeps the rest committed."""
        paid = disburse(committed(pot()), "e1", as_of=DAY, amount=Money(100)).pot
        assert Money(300) == paid.committed
        assert Money(100) == paid.disbursed

    def test_disburse_after_end(self) -> None:
        """A commitment can be paid out after the pot has ended."""
        base = committed(pot(valid_to=datetime.date(2022, 3, 2)))
        paid = disburse(base, "e1", as_of=datetime.date(2022, 4, 1))
        assert Money(400) == paid.amount
        assert PotStatus.ENDED == paid.status

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


class TestGrantedEntries:
    """The entries of a pot after grants read as the tuple they equal (not copied per grant)."""

    @staticmethod
    def _granted(count: int) -> list[Pot]:
        policy = load_policy("pa_egne_ben")
        pots = [Pot(id="p", total=Money(100_000), allowed_types=(C,))]
        for number in range(count):
            request = Request(
                id=f"r{number}",
                household=Household(
                    ref=f"b{number}",
                    attributes={"youth_age": 16, "in_contact_with_services": True},
                ),
                amount=Money(100),
                purpose="gift_card_sports",
            )
            pots.append(evaluate(policy, request, pots[-1], DAY)[1])
        return pots

    def test_equals_the_pot_with_a_plain_tuple(self) -> None:
        """A pot after grants equals the same pot with a plain tuple of its entries."""
        after = self._granted(3)[-1]
        assert after == attrs.evolve(after, commitments=tuple(after.commitments))

    def test_hashes_as_the_pot_with_a_plain_tuple(self) -> None:
        """A pot after grants hashes as the same pot with a plain tuple of its entries."""
        after = self._granted(3)[-1]
        assert hash(after) == hash(attrs.evolve(after, commitments=tuple(after.commitments)))

    def test_prints_as_the_pot_with_a_plain_tuple(self) -> None:
        """A pot after grants has the ``repr`` of the same pot with a plain tuple."""
        after = self._granted(3)[-1]
        assert repr(after) == repr(attrs.evolve(after, commitments=tuple(after.commitments)))

    def test_document_round_trip(self) -> None:
        """It unstructures to the same document as the plain pot and structures back equal."""
        after = self._granted(3)[-1]
        document = unstructure(after)
        assert structure(document, Pot) == after

    def test_reads_like_a_tuple(self) -> None:
        """Index, negative index, slice, concatenation and ``in`` give the tuple's answers."""
        entries = self._granted(3)[-1].commitments
        plain = tuple(entries)
        extra = plain[:1]
        assert entries[-1] == plain[-1]
        assert entries[0] == plain[0]
        assert entries[1:] == plain[1:]
        assert entries + extra == plain + extra
        assert extra + entries == extra + plain
        assert plain[1] in entries

    def test_an_older_pot_is_unchanged_by_later_and_branching_grants(self) -> None:
        """Deciding again on an older pot leaves it and the newer pots as they were."""
        pots = self._granted(3)
        request = Request(
            id="branch",
            household=Household(
                ref="x", attributes={"youth_age": 16, "in_contact_with_services": True}
            ),
            amount=Money(100),
            purpose="gift_card_sports",
        )
        branch = evaluate(load_policy("pa_egne_ben"), request, pots[1], DAY)[1]
        assert [[e.id for e in p.commitments] for p in (*pots, branch)] == [
            [],
            ["r0"],
            ["r0", "r1"],
            ["r0", "r1", "r2"],
            ["r0", "branch"],
        ]

    def test_pickles_as_a_plain_tuple(self) -> None:
        """A pickled pot after grants loads with a plain tuple of the same entries."""
        after = self._granted(2)[-1]
        loaded = pickle.loads(pickle.dumps(after))  # noqa: S301  (our own bytes)
        assert type(loaded.commitments) is tuple
