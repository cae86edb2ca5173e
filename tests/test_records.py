"""Results as rows for notebooks: to_records, to_pandas and HTML tables."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

import samskaping
import samskaping.report  # registers the decision's notebook view
from samskaping import Money
from samskaping.payouts import (
    Child,
    Cohort,
    CohortMember,
    Household,
    Request,
    allocate,
    evaluate,
    fairness_report,
    load_policy,
    payment_plan,
    simulate,
)
from samskaping.scoring import check_consistency, risk_report

DAY = datetime.date(2022, 3, 1)


@pytest.fixture(name="decision")
def _decision():
    policy = load_policy("pa_egne_ben")
    youth = Household(ref="ung-07", attributes={"youth_age": 19, "in_contact_with_services": True})
    request = Request(id="r1", household=youth, amount=Money(12000), purpose="driving_licence")
    return evaluate(policy, request, policy.pot, DAY)[0]


class TestDecision:
    """A decision as one row."""

    def test_one_row_with_exact_amounts(self, decision):
        """The row holds the status, the exact amount and the approval band."""
        [row] = decision.to_records()
        assert "granted" == row["status"]
        assert Decimal("12000.00") == row["amount"]
        assert "with_colleague" == row["approvers"]

    def test_household_hidden_unless_asked(self, decision):
        """The household reference is left out unless the caller asks for it."""
        assert decision.to_records()[0]["household"] is None
        assert "ung-07" == decision.to_records(reveal_identifiers=True)[0]["household"]

    def test_notebook_view_hides_the_household(self, decision):
        """The notebook view shows the decision text without the household reference."""
        assert "ung-07" not in decision._repr_html_()
        assert "<pre>" in decision._repr_html_()

    def test_to_pandas(self, decision):
        """to_pandas gives a frame with the same row."""
        pytest.importorskip("pandas")
        frame = decision.to_pandas()
        assert 1 == len(frame)
        assert "granted" == frame.loc[0, "status"]


class TestPlansAndSimulations:
    """Payment plans and simulations as rows."""

    def test_payment_plan_rows(self):
        """Four children at 1 600 kr give 6 400 kr a month, one row per month (002:1791)."""
        policy = load_policy("flyktningfamilien")
        children = tuple(Child() for _ in range(4))
        cohort = Cohort(id="c", members=(CohortMember(ref="fam-1", children=children),))
        plan = payment_plan(
            policy, cohort, start=datetime.date(2022, 2, 1), end=datetime.date(2022, 5, 1)
        )
        rows = plan.to_records()
        assert [Decimal("6400.00")] * 3 == [r["amount"] for r in rows]
        assert {1} == {r["household"] for r in rows}

    def test_simulation_rows(self):
        """A simulation gives one row per household, in order, with øre summing to the total."""
        policy = load_policy("flyktningfamilien")
        population = {"household_id": ["a", "b"], "children": [2, 0], "in_cohort": [True, True]}
        result = simulate(policy, population, datetime.date(2022, 3, 1))
        rows = result.to_records()
        assert 2 == len(rows)
        assert result.total.ore == sum(r["amount_ore"] for r in rows)

    def test_allocation_and_fairness_rows(self):
        """An allocation lists every request in priority order; fairness one row per principle."""
        policy = load_policy("pa_egne_ben")
        requests = [
            Request(
                id=f"r{i}",
                household=Household(
                    ref=f"h{i}", attributes={"youth_age": 18, "in_contact_with_services": True}
                ),
                amount=Money(5000),
                purpose="driving_licence",
            )
            for i in range(3)
        ]
        result, _ = allocate(policy, requests, policy.pot, DAY)
        fairness = fairness_report([*result.granted, *result.rejected])
        assert [1, 2, 3] == [r["position"] for r in result.to_records()]
        assert len(fairness.results) == len(fairness.to_records())


class TestScoringRows:
    """Scoring results as rows."""

    def test_risk_report_rows(self):
        """Stovner's six risks give six rows with their recorded grades."""
        rows = risk_report(samskaping.load_example("innbyggerbasen")).to_records()
        assert 6 == len(rows)
        assert {"lav", "moderat", "alvorlig"} == {r["band"] for r in rows}

    def test_consistency_rows(self):
        """The consistency check gives one row per utenfor case, with its verdict."""
        cases = samskaping.load_example("innbyggernes_modell").assessments.utenfor
        rows = check_consistency(cases).to_records()
        assert len(cases) == len(rows)
        assert all({"case", "expected", "reported", "consistent"} <= set(r) for r in rows)


class TestMoreRows:
    """Goals, benefits and policy comparisons as rows."""

    def test_goals_rows(self):
        """Stovner's goals give one row each, with the level the project recorded."""
        from samskaping.scoring import goals_report

        project = samskaping.load_example("innbyggerbasen")
        rows = goals_report(project).to_records()
        assert len(project.goals) == len(rows)
        assert {"hoy"} == {r["assessed"] for r in rows if r["assessed"]}

    def test_benefit_rows(self):
        """Stovner's four benefits give four rows, citizens' first."""
        from samskaping.scoring import goals_report

        rows = goals_report(samskaping.load_example("innbyggerbasen")).benefits.to_records()
        assert 4 == len(rows)
        assert "citizens" == rows[0]["beneficiary"]

    def test_comparison_rows(self):
        """A comparison of two policies gives each policy's total as type '*'."""
        from samskaping.payouts import compare

        population = {"household_id": ["a", "b"], "children": [2, 0], "in_cohort": [True, True]}
        comparison = compare([load_policy("flyktningfamilien")] * 2, population, DAY)
        totals = [r for r in comparison.to_records() if r["type"] == "*"]
        assert [Decimal("3200.00")] * 2 == [r["total"] for r in totals]
