"""Reforms: each kind of change, what each refuses, and a collective decision as text."""

from __future__ import annotations

import datetime

import attrs
import pytest

from samskaping import DocumentError, Money
from samskaping.payouts import (
    BudgetProposal,
    ChangeKind,
    CollectiveRequest,
    PolicyError,
    ReformChange,
    ValueType,
    builtin_policy,
    decide_collective,
    diff_policies,
    load_reform,
    reform,
)
from samskaping.report import render_collective

PEB = builtin_policy("pa_egne_ben")
FLY = builtin_policy("flyktningfamilien")


class TestChanges:
    """Each kind of change gives a new, checked policy."""

    def test_add_parameter(self):
        """A new parameter is added, in force on every date."""
        changed = reform(PEB, [ReformChange.add_parameter("bonus", ValueType.MONEY, Money(100))])
        assert "bonus" in [p.name for p in changed.parameters]

    def test_set_pot(self):
        """The pot's total is set."""
        changed = reform(PEB, [ReformChange.set_pot(Money(5000))])
        assert Money(5000) == changed.pot.total

    def test_set_amount(self):
        """The amount expression is replaced."""
        changed = reform(PEB, [ReformChange.set_amount("request.amount")])
        assert "request.amount" == changed.amount

    def test_a_parameter_set_for_a_window_keeps_what_follows(self):
        """A value set from one date to another keeps the old value after the window."""
        rate = FLY.unconditional.rate
        change = ReformChange.set_parameter(
            rate,
            1400,
            valid_from=datetime.date(2022, 1, 1),
            valid_to=datetime.date(2022, 6, 1),
        )
        (parameter,) = [p for p in reform(FLY, [change]).parameters if p.name == rate]
        assert datetime.date(2022, 6, 1) == parameter.values[-1].valid_from


class TestRefused:
    """A change missing what it needs is refused with what it needs."""

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            (ReformChange(kind=ChangeKind.SET_POT), "set_pot needs 'total'"),
            (ReformChange(kind=ChangeKind.SET_AMOUNT), "set_amount needs 'expr'"),
            (ReformChange(kind=ChangeKind.ADD_PARAMETER, parameter="x"), "add_parameter needs"),
            (ReformChange(kind=ChangeKind.REPLACE_RULE, rule="r"), "needs 'rule' and 'expr'"),
            (ReformChange.neutralise_rule("no_such_rule"), "has no rule 'no_such_rule'"),
        ],
        ids=["set_pot", "set_amount", "add_parameter", "replace_rule", "unknown_rule"],
    )
    def test_incomplete_change(self, change, message):
        """The reform is refused with one problem saying what is missing."""
        with pytest.raises(PolicyError, match=message):
            reform(PEB, [change])

    def test_set_pot_on_a_policy_without_a_pot(self):
        """A policy with no pot cannot have its pot set."""
        with pytest.raises(PolicyError, match="the policy has no pot"):
            reform(attrs.evolve(PEB, pot=None), [ReformChange.set_pot(Money(1))])

    def test_a_missing_reform_file(self, tmp_path):
        """A reform file that does not exist is a DocumentError."""
        with pytest.raises(DocumentError):
            load_reform(tmp_path / "missing.toml")


class TestDiff:
    """The difference between two policies, item by item."""

    def test_a_changed_pot_is_a_difference(self):
        """Setting the pot's total shows as one difference."""
        diff = diff_policies(PEB, reform(PEB, [ReformChange.set_pot(Money(5000))]))
        assert 1 == len(diff.differences)

    def test_purposes_are_compared(self):
        """A policy with purposes compared with itself has no differences."""
        fritid = builtin_policy("fritid_for_alle")
        assert () == tuple(diff_policies(fritid, fritid).differences)


def test_a_collective_decision_as_text():
    """A group's decision is written with each proposal's outcome (none recorded: not selected)."""
    policy = builtin_policy("stodig_start")
    request = CollectiveRequest(
        id="round1",
        group="g",
        members=("m1", "m2", "m3"),
        budget=Money(1000),
        proposals=(BudgetProposal(id="a", title="Benker", cost=Money(600), votes=3),),
    )
    decision, _ = decide_collective(policy, request, policy.pot, datetime.date(2024, 3, 1))
    assert "not selected" in render_collective(decision, "en", policy).splitlines()[-1]
