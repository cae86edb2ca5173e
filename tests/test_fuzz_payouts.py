"""Fuzz targets for the policy loader and the population reader; no path pays less than 0 kr.

Each fuzz target feeds hostile input to one entry point and allows two outcomes only:
a result, or one of the library's own errors (a ``SamskapingError``); any other
exception is a defect. They are bounded (a few seconds each) so that they run in the
normal suite, and with it in CI.
"""

from __future__ import annotations

import datetime
import json
import math
import warnings
from pathlib import Path
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samskaping import Money, SamskapingError
from samskaping.model import Pot
from samskaping.payouts import (
    BudgetProposal,
    CollectiveRequest,
    CollectiveRule,
    UnreadColumnsWarning,
    allocate,
    builtin_policy,
    check_policy,
    decide_collective,
    evaluate,
    evaluate_many,
    loads_policy,
    payment_plan,
    read_population,
    simulate,
)
from strategies import cohorts, consistent_pots, peb_requests, policies

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
FLY = builtin_policy("flyktningfamilien")
FRITID = builtin_policy("fritid_for_alle")
PEB = builtin_policy("pa_egne_ben")
STODIG = builtin_policy("stodig_start")
DAY = datetime.date(2022, 8, 1)

_KEYS = [
    "schema_version", "id", "name", "version", "payment_type", "amount", "inputs", "parameters",
    "derived", "eligibility", "referrals", "caps", "flags", "purposes", "approval_bands",
    "unconditional", "collective", "pot", "partial_grants", "expr", "type", "values",
    "valid_from", "valid_to", "value", "default", "personal", "rate", "rrule", "start", "code",
]  # fmt: skip
_EXPRS = [
    "request.amount", "household.children >= 1", "params.cap * 2", "1 / 0", "household.x",
    "((((((1))))))", "not not true", "request.amount - 1e15", "500 kr", "'a' + 1", "",
]  # fmt: skip
_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([*_EXPRS, "conditional", "unconditional", "money", "int", "str", "2022-01-01"]),
    st.text(max_size=12),
)
_json_values = st.recursive(
    _leaves,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(_KEYS) | st.text(max_size=6), inner, max_size=5)
    ),
    max_leaves=25,
)


def _allowed(run: Any) -> Any:
    """Run; a library error is an allowed outcome, anything else fails the test."""
    try:
        return run()
    except SamskapingError:
        return None


class TestFuzzPolicies:
    """loads_policy never fails with anything but a library error."""

    @given(st.dictionaries(st.sampled_from(_KEYS), _json_values, max_size=10))
    @FUZZ
    def test_json_documents(self, data: dict[str, Any]) -> None:
        """Fuzz target: structured hostile JSON policies."""
        text = json.dumps(data, allow_nan=True)
        _allowed(lambda: loads_policy(text, "json"))

    @given(st.text(alphabet='[]="{},.\n #abcdeprsuvy01-_', max_size=200))
    @FUZZ
    def test_toml_text(self, text: str) -> None:
        """Fuzz target: hostile TOML text."""
        _allowed(lambda: loads_policy(text, "toml"))

    @given(st.sampled_from(_EXPRS), st.text(max_size=40))
    @FUZZ
    def test_rule_expressions(self, good: str, noise: str) -> None:
        """Fuzz target: a valid policy whose rule is an arbitrary expression."""
        text = (
            'id = "f"\nname = "F"\npayment_type = "conditional"\namount = "request.amount"\n'
            f'[[eligibility]]\nid = "e"\nexpr = {json.dumps(good + noise)}\n'
        )
        _allowed(lambda: loads_policy(text, "toml"))


_cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**18), 10**18),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        ["", "1", "-1", "1.5", "nan", "inf", "1e30", "true", "ja", "1_0", "0x1", " 2 "]
    ),
    st.text(max_size=6),
)
_names = st.sampled_from(
    [
        "children", "adults", "in_cohort", "received", "request.amount", "request.purpose",
        "need_weight", "type", "id", "long_term_social_assistance", "amount", "x",
    ]
)  # fmt: skip


def _no_negative(result: Any) -> None:
    assert all(not amount.is_negative() for amount in result.amounts)
    assert not result.total.is_negative()


class TestFuzzPopulations:
    """The population reader and simulate never fail with anything but a library error."""

    @given(st.dictionaries(_names, st.lists(_cells, min_size=1, max_size=4), max_size=6))
    @FUZZ
    def test_mappings(self, columns: dict[str, list[Any]]) -> None:
        """Fuzz target: mappings of hostile cells, both engines, two policies."""
        size = min(len(v) for v in columns.values()) if columns else 0
        table = {name: cells[:size] for name, cells in columns.items()}
        for policy in (FLY, FRITID):
            for engine in ("python", "numpy"):
                result = _allowed(
                    lambda p=policy, e=engine: simulate(p, table, DAY, engine=e, passthrough=table)
                )
                if result is not None:
                    _no_negative(result)

    @given(st.text(alphabet='children,in_cohort\n"-.01239aeinrtu_ ', max_size=120))
    @FUZZ
    def test_csv_text(self, text: str) -> None:
        """Fuzz target: hostile CSV files."""
        path = Path(self._dir) / "population.csv"
        path.write_text(text, encoding="utf-8")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnreadColumnsWarning)
            result = _allowed(lambda: simulate(FLY, path, DAY, strict=False))
        if result is not None:
            _no_negative(result)

    @given(st.lists(st.lists(_cells, min_size=2, max_size=2), max_size=5))
    @FUZZ
    def test_read_population(self, rows: list[list[Any]]) -> None:
        """Fuzz target: read_population on its own checks every standard cell it reads."""
        columns = {"children": [r[0] for r in rows], "request.amount": [r[1] for r in rows]}
        population = _allowed(lambda: read_population(columns))
        if population is not None:
            for value in population.columns["household.children"]:
                assert value is None or not isinstance(value, float) or math.isfinite(value)

    _dir = ""

    def setup_method(self) -> None:
        """A folder for the CSV files."""
        import tempfile

        self._dir = tempfile.mkdtemp()


class TestNoNegativeMoney:
    """Property: no path grants a negative amount."""

    @given(
        policies(), st.lists(peb_requests(), max_size=5, unique_by=lambda r: r.id), consistent_pots
    )
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    def test_evaluate_many_and_allocate(self, policy: Any, requests: Any, pot: Pot) -> None:
        """evaluate, evaluate_many and allocate never grant less than 0 kr."""
        checked = check_policy(policy)
        decisions, _ = evaluate_many(checked, requests, pot, DAY)
        singles = [evaluate(checked, r, pot, DAY)[0] for r in requests]
        result, after = allocate(checked, requests, pot, DAY)
        amounts = [d.amount for d in (*decisions, *singles, *result.granted)]
        assert all(not a.is_negative() for a in amounts)
        assert not after.available.is_negative()

    @given(
        st.lists(
            st.tuples(
                st.integers(0, 100), st.booleans(), st.integers(0, 10**9), st.integers(0, 10**9)
            ),
            min_size=1,
            max_size=20,
        )
    )
    @settings(max_examples=40, deadline=None)
    def test_simulate_both_engines(self, rows: list[tuple[int, bool, int, int]]) -> None:
        """The simulation (scalar and numpy) never gives a household less than 0 kr."""
        columns = {
            "children": [r[0] for r in rows],
            "long_term_social_assistance": [r[1] for r in rows],
            "request.amount": [r[2] for r in rows],
            "received": [r[3] for r in rows],
            "request.purpose": ["leisure_activities"] * len(rows),
        }
        for engine in ("python", "numpy"):
            _no_negative(simulate(FRITID, columns, DAY, engine=engine))  # type: ignore[arg-type]

    @given(cohorts)
    @settings(max_examples=30, deadline=None)
    def test_payment_plan(self, cohort: Any) -> None:
        """A plan pays only positive amounts, each household at most once a period."""
        plan = payment_plan(FLY, cohort, months=14)
        assert all(p.amount > Money(0) for p in plan.payments)
        keys = [(p.household_ref, p.date) for p in plan.payments]
        assert len(keys) == len(set(keys))

    @given(
        st.lists(st.integers(1, 10**6), min_size=1, max_size=4),
        st.lists(st.sampled_from(["m1", "m2", "m3", "m4"]), unique=True, min_size=1, max_size=4),
        st.integers(0, 10**7),
    )
    @settings(max_examples=40, deadline=None)
    def test_collective(self, costs: list[int], members: list[str], total: int) -> None:
        """A collective decision funds and splits only amounts of at least 0 kr."""
        proposals = tuple(
            BudgetProposal(id=f"p{i}", title="p", cost=Money(c), votes=i, split_among_members=True)
            for i, c in enumerate(costs)
        )
        assert STODIG.collective is not None
        terms = attrs.evolve(STODIG.collective, rule=CollectiveRule.GREEDY_BY_VOTES)
        policy = check_policy(attrs.evolve(STODIG, collective=terms))
        request = CollectiveRequest(id="r", group="g", members=tuple(members), proposals=proposals)
        with warnings.catch_warnings():
            decision, _ = decide_collective(policy, request, Pot(id="p", total=Money(total)), DAY)
        assert all(not o.amount.is_negative() for o in decision.outcomes)
        assert all(not s.is_negative() for o in decision.outcomes for _, s in o.shares)
        assert decision.funded <= Money(total)
