"""A policy's expressions are type-checked at load: each mistake is one clear problem at its path.

The policies here are written inline, each the smallest that shows one mistake, and read
through the public ``loads_policy``.
"""

from __future__ import annotations

import datetime
import json

import pytest

from samskaping import Money
from samskaping.model import Pot
from samskaping.payouts import (
    Household,
    PolicyError,
    Request,
    evaluate,
    loads_policy,
)

_TEMPLATE = """
schema_version = 1
id = "inline"
name = "Inline"
payment_type = "conditional"

[[parameters]]
name = "cap"
type = "money"
values = [{{ valid_from = 2022-01-01, value = 5000 }}]

[[parameters]]
name = "share"
type = "decimal"
values = [{{ valid_from = 2022-01-01, value = "0.5" }}]

[[eligibility]]
id = "rule"
expr = {expr}

[[approval_bands]]
valid_from = 2022-01-01

[[approval_bands.bands]]
id = "small"
lower = 0
approvers = "worker"
"""


def _policy(expr: str):
    """The inline policy with ``expr`` as its one eligibility rule."""
    return loads_policy(_TEMPLATE.format(expr=json.dumps(expr)))


def _problem(expr: str) -> str:
    """The one problem the policy with ``expr`` is refused for."""
    with pytest.raises(PolicyError) as info:
        _policy(expr)
    (problem,) = info.value.problems
    return f"{problem.path}: {problem.message}"


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ('household.children in [1, "a"]', "a list holds items of one type"),
        ("household.children in [true]", "a list holds text or whole numbers"),
        ("household.children in [1, household.children]", "a list holds literal values only"),
        ("-(household.children > 1)", "'-' needs a number or an amount"),
        ("[1, 2] == [1, 2]", "lists cannot be compared; use 'in'"),
        ('"a" in [1, 2]', "'in' checks int in int_list, got str"),
        ("abs(1, 2) > 0", "abs() takes one argument"),
        ('abs("a") > 0', "abs() needs a number or an amount, got str"),
        ("min() > 0", "min() needs at least one argument"),
        ('max("a", "b") > 0', "max() needs numbers or amounts"),
        ("min(params.cap, true) > 0 kr", "cannot mix amounts with"),
        ('"a" + 1 > 0', "'+' cannot combine str and int"),
        ('"a" * 2 > 0', "'*' cannot combine str and int"),
    ],
)
def test_a_mistyped_expression_is_one_problem(expr, expected):
    """The policy is refused with one problem, at the rule's expression, saying what is wrong."""
    assert expected in _problem(expr)


@pytest.mark.parametrize(
    "expr",
    [
        "household.children * params.share >= 1",
        "min(household.children, 2.5) >= 1",
        "max(params.cap, 100 kr) >= 100 kr",
        "abs(-household.children) >= 1",
        "params.cap >= 100",
        "household.children in [1, 2, 3]",
        "(if household.children > 2 then 1 else 0.5) > 0",
    ],
)
def test_a_well_typed_expression_loads(expr):
    """A rule mixing whole numbers and decimals, or amounts with a bare number, loads."""
    assert "rule" == _policy(expr).eligibility[0].id


def test_a_mixed_number_rule_decides():
    """A whole number times a decimal parameter is compared exactly when deciding."""
    policy = _policy("household.children * params.share >= 1")
    household = Household(ref="h", children=2)
    request = Request(id="r", household=household, amount=Money(100), purpose=None)
    pot = Pot(id="p", total=Money(10_000))
    decision, _ = evaluate(policy, request, pot, datetime.date(2022, 3, 1))
    assert "granted" == decision.status.value
