"""The checked and compiled forms of a policy: what the engine runs, and what it keeps."""

from __future__ import annotations

import datetime

import attrs
import pytest

from samskaping import Money
from samskaping.payouts import (
    Household,
    PolicyError,
    Request,
    Trace,
    TraceKind,
    builtin_policy,
    evaluate,
    loads_policy,
)
from samskaping.payouts._check import check
from samskaping.payouts._compiled import Step, compile_policy
from strategies import pot_of

DAY = datetime.date(2022, 3, 1)
PEB = builtin_policy("pa_egne_ben")

POLICY = """
schema_version = 1
id = "lists"
name = "Lists"
payment_type = "conditional"

[[parameters]]
name = "double_cap"
type = "money"
values = [{ valid_from = 2022-01-01, expr = "params.cap * 2" }]

[[parameters]]
name = "cap"
type = "money"
values = [{ valid_from = 2022-01-01, value = 5000, source = "a" }]

[[parameters]]
name = "sizes"
type = "int_list"
values = [{ valid_from = 2022-01-01, value = [1, 2, 3] }]

[[eligibility]]
id = "size_listed"
expr = "household.children in params.sizes"

[[caps]]
id = "cap"
expr = "params.double_cap"
"""


def request(children: int = 2, amount: str = "12000") -> Request:
    """A request under the policy above."""
    return Request(
        id="r1", household=Household(ref="hh-1", children=children), amount=Money(amount)
    )


class TestCheck:
    """The checker: every static problem, and the order things are computed in."""

    def test_parameters_come_after_those_they_read(self) -> None:
        """A checked policy lists a parameter after the parameters its expression reads."""
        checked = check(loads_policy(POLICY))
        names = [p.parameter.name for p in checked.parameters]
        assert names.index("cap") < names.index("double_cap")

    def test_the_checker_reports_what_loading_reports(self) -> None:
        """The checker raises the same problems as compiling the policy."""
        policy = attrs.evolve(loads_policy(POLICY), amount="request.unknown_input")
        with pytest.raises(PolicyError) as by_check:
            check(policy)
        with pytest.raises(PolicyError) as by_compile:
            compile_policy(policy)
        assert by_check.value.problems == by_compile.value.problems


class TestCompiledForm:
    """The compiled form: kept by the policy's value, never changed."""

    def test_equal_policies_share_one_compiled_form(self) -> None:
        """The compiled form is kept by the policy's value, not by the object."""
        assert compile_policy(attrs.evolve(PEB)) is compile_policy(PEB)

    def test_the_compiled_form_is_frozen(self) -> None:
        """Nothing can be stored on a compiled policy."""
        compiled = compile_policy(PEB)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            compiled.personal = frozenset()  # type: ignore[misc]

    def test_a_compiled_policy_is_known_by_its_policy(self) -> None:
        """Two compiled forms of equal policies are equal, whatever else they hold."""
        compiled = compile_policy(PEB)
        assert attrs.evolve(compiled, personal=frozenset({"x"})) == compiled

    def test_a_policy_holding_a_list_still_decides(self) -> None:
        """A policy built by hand with a list where a tuple belongs is compiled on each use."""
        policy = loads_policy(POLICY)
        sizes = policy.parameters[2]
        listed = attrs.evolve(sizes, values=(attrs.evolve(sizes.values[0], value=[1, 2, 3]),))
        by_hand = attrs.evolve(policy, parameters=(*policy.parameters[:2], listed))
        decision, _ = evaluate(by_hand, request(), pot_of(PEB), DAY)
        assert decision.amount == Money("10000")

    def test_evaluating_leaves_the_policy_equal(self) -> None:
        """Deciding with a trace changes neither the policy nor its compiled form."""
        policy = loads_policy(POLICY)
        before = attrs.evolve(policy)
        evaluate(policy, request(), pot_of(PEB), DAY, trace=True)
        assert before == policy


class TestSteps:
    """The steps the engine records for a trace."""

    def test_steps_have_named_fields(self) -> None:
        """Each step the engine records is a Step with its kind, name and value."""
        decision, _ = evaluate(loads_policy(POLICY), request(), pot_of(PEB), DAY, trace=True)
        assert decision.trace is not None
        cap = next(s for s in decision.trace.raw if s.kind is TraceKind.CAP)
        assert cap.value == 1_000_000

    def test_an_amount_step_says_it_is_in_ore(self) -> None:
        """A cap's step marks its value as an amount in øre."""
        decision, _ = evaluate(loads_policy(POLICY), request(), pot_of(PEB), DAY, trace=True)
        assert decision.trace is not None
        cap = next(s for s in decision.trace.raw if s.kind is TraceKind.CAP)
        assert cap.ore is True

    def test_every_step_is_a_step(self) -> None:
        """The trace holds only Step values."""
        decision, _ = evaluate(PEB, request(), pot_of(PEB), DAY, trace=True)
        assert decision.trace is not None
        assert {type(s) for s in decision.trace.raw} == {Step}

    def test_a_trace_of_steps_equals_one_of_tuples(self) -> None:
        """A step is a tuple of its fields, so a trace built from plain tuples is equal."""
        decision, _ = evaluate(PEB, request(), pot_of(PEB), DAY, trace=True)
        trace = decision.trace
        assert trace is not None
        raw = tuple(tuple(s) for s in trace.raw)
        plain = Trace(raw=raw, personal=trace.personal, bases=trace.bases)  # type: ignore[arg-type]
        assert plain == trace
