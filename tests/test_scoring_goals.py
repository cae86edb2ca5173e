"""Goal attainment, levels, deliverable continuation and Goal Attainment Scaling."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from samskaping import InvalidInputError
from samskaping import model as m
from samskaping.scoring import (
    AttainmentThresholds,
    attainment_level,
    attainment_percent,
    composite_attainment,
    deliverable_continuation,
    gas_from_goals,
    gas_t_score,
    goal_attainment,
    indicator_attainment,
    project_attainment,
)
from test_scoring_sources import stovner, stovner_deliverables

numbers = st.decimals(min_value=Decimal(-10000), max_value=Decimal(10000), places=2)
directions = st.sampled_from(m.Direction)
gas_scores = st.integers(min_value=-2, max_value=2)
gas_weights = st.integers(min_value=1, max_value=20)


def _indicator(**fields: Any) -> m.Indicator:
    return m.Indicator(id="i", name="i", unit=m.IndicatorUnit.COUNT, **fields)


def _measured(
    value: int, day: datetime.date = datetime.date(2023, 1, 1)
) -> tuple[m.Measurement, ...]:
    return (m.Measurement(date=day, value=Decimal(value)),)


class TestAttainmentPercent:
    """(measured − baseline) / (target − baseline) × 100, following the direction."""

    def test_halfway_up(self) -> None:
        """From 10 towards 20, measured 15, is 50 %."""
        assert Decimal(50) == attainment_percent(Decimal(10), Decimal(20), Decimal(15))

    def test_decrease_direction(self) -> None:
        """From 40 down towards 20, measured 35, is 25 %."""
        assert Decimal(25) == attainment_percent(
            Decimal(40), Decimal(20), Decimal(35), m.Direction.DECREASE
        )

    def test_wrong_way_is_negative(self) -> None:
        """Moving away from the target gives a negative attainment."""
        assert Decimal(-50) == attainment_percent(Decimal(10), Decimal(20), Decimal(5))

    def test_clamp_caps_at_hundred(self) -> None:
        """With clamping, passing the target gives 100 %."""
        assert Decimal(100) == attainment_percent(Decimal(10), Decimal(20), Decimal(40), clamp=True)

    def test_clamp_floors_at_zero(self) -> None:
        """With clamping, moving the wrong way gives 0 %."""
        assert Decimal(0) == attainment_percent(Decimal(10), Decimal(20), Decimal(0), clamp=True)

    def test_baseline_equals_target_reached(self) -> None:
        """Target equal to baseline and reached gives 100 %."""
        assert Decimal(100) == attainment_percent(Decimal(5), Decimal(5), Decimal(6))

    def test_baseline_equals_target_missed(self) -> None:
        """Target equal to baseline and missed gives 0 %."""
        assert Decimal(0) == attainment_percent(Decimal(5), Decimal(5), Decimal(4))

    def test_baseline_equals_target_decrease(self) -> None:
        """For a decrease, staying at or under the target counts as reached."""
        assert Decimal(100) == attainment_percent(
            Decimal(5), Decimal(5), Decimal(3), m.Direction.DECREASE
        )

    def test_not_finite_is_refused(self) -> None:
        """A measured NaN raises InvalidInputError."""
        with pytest.raises(InvalidInputError):
            attainment_percent(Decimal(1), Decimal(2), Decimal("NaN"))

    @given(
        baseline=numbers,
        target=numbers,
        pair=st.tuples(numbers, numbers),
        direction=directions,
        clamp=st.booleans(),
    )
    @settings(max_examples=200)
    def test_monotone_in_measured(
        self,
        *,
        baseline: Decimal,
        target: Decimal,
        pair: tuple[Decimal, Decimal],
        direction: m.Direction,
        clamp: bool,
    ) -> None:
        """Improving the measured value in the direction of improvement never lowers attainment."""
        assume(pair[0] != pair[1])
        low, high = sorted(pair)
        if direction == m.Direction.DECREASE:
            low, high = high, low  # "better" is lower
        worse = attainment_percent(baseline, target, low, direction, clamp=clamp)
        better = attainment_percent(baseline, target, high, direction, clamp=clamp)
        assert worse <= better

    @given(numbers, numbers, numbers, directions)
    @settings(max_examples=100)
    def test_clamped_lies_in_range(
        self, baseline: Decimal, target: Decimal, measured: Decimal, direction: m.Direction
    ) -> None:
        """A clamped attainment lies from 0 to 100."""
        value = attainment_percent(baseline, target, measured, direction, clamp=True)
        assert Decimal(0) <= value <= Decimal(100)


class TestLevels:
    """lav below 50 %, middels from 50 %, hoy from 80 % by default; configurable."""

    @pytest.mark.parametrize(
        ("percent", "level"),
        [("49.99", "lav"), ("50", "middels"), ("79.99", "middels"), ("80", "hoy")],
    )
    def test_default_edges(self, percent: str, level: str) -> None:
        """The default edges fall at 50 and 80."""
        assert level == attainment_level(Decimal(percent)).level.value

    def test_custom_thresholds(self) -> None:
        """With high from 90, 85 % is middels."""
        thresholds = AttainmentThresholds(medium_from=Decimal(40), high_from=Decimal(90))
        assert m.AttainmentLevel.MEDIUM == attainment_level(Decimal(85), thresholds).level

    def test_reason_names_the_edge(self) -> None:
        """The reason says the percentage and the edge it reached."""
        text = attainment_level(Decimal(85)).reasons[0].text("en")
        assert (
            "An attainment of 85% is at least 80% (a design default, not from the source): high."
            == text
        )

    def test_thresholds_out_of_order_are_refused(self) -> None:
        """medium_from above high_from raises InvalidInputError."""
        with pytest.raises(InvalidInputError):
            AttainmentThresholds(medium_from=Decimal(90), high_from=Decimal(80))


class TestIndicatorsAndGoals:
    """Indicator and goal attainment from measurements."""

    def test_latest_measurement_is_used(self) -> None:
        """The latest measurement counts, not the first."""
        ind = _indicator(
            baseline=Decimal(0),
            target=Decimal(10),
            measurements=(
                *_measured(2, datetime.date(2022, 1, 1)),
                *_measured(8, datetime.date(2023, 1, 1)),
            ),
        )
        assert Decimal(80) == indicator_attainment(ind).percent

    def test_as_of_picks_earlier_measurement(self) -> None:
        """With as_of, a later measurement is ignored."""
        ind = _indicator(
            baseline=Decimal(0),
            target=Decimal(10),
            measurements=(
                *_measured(2, datetime.date(2022, 1, 1)),
                *_measured(8, datetime.date(2023, 1, 1)),
            ),
        )
        assert Decimal(20) == indicator_attainment(ind, as_of=datetime.date(2022, 6, 1)).percent

    def test_missing_target_gives_no_percent(self) -> None:
        """Without a target there is no attainment, and the reason says so."""
        result = indicator_attainment(_indicator(baseline=Decimal(0), measurements=_measured(3)))
        assert result.percent is None
        assert ["goals.no_target"] == [r.code for r in result.reasons]

    def test_target_against_direction_warns(self) -> None:
        """A target below the baseline for an increasing indicator is a warning."""
        ind = _indicator(baseline=Decimal(10), target=Decimal(5), measurements=_measured(12))
        assert "goals.target_against_direction" in [
            r.code for r in indicator_attainment(ind).reasons
        ]

    def test_goal_weighs_indicators(self) -> None:
        """A goal's attainment is the weighted mean of its indicators."""
        goal = m.Goal(
            id="g",
            title="g",
            indicators=(
                m.Indicator(
                    id="a",
                    name="a",
                    unit=m.IndicatorUnit.COUNT,
                    baseline=Decimal(0),
                    target=Decimal(10),
                    measurements=_measured(10),
                    weight=Decimal(1),
                ),
                m.Indicator(
                    id="b",
                    name="b",
                    unit=m.IndicatorUnit.COUNT,
                    baseline=Decimal(0),
                    target=Decimal(10),
                    measurements=_measured(4),
                    weight=Decimal(3),
                ),
            ),
        )
        assert Decimal(55) == goal_attainment(goal).percent

    def test_composite_refuses_zero_weights(self) -> None:
        """All weights zero raises InvalidInputError."""
        with pytest.raises(InvalidInputError):
            composite_attainment([(Decimal(50), Decimal(0))])


class TestContinuation:
    """The share of working models continued into operations."""

    def test_stovner_five_of_six(self) -> None:
        """Stovner: 5 of 6 working models continued (000:126) is 83.33 %."""
        result = deliverable_continuation(stovner_deliverables())
        assert 5 == result.continued
        assert 6 == result.working_models
        assert Decimal("83.33") == result.percent

    def test_stovner_is_hoy(self) -> None:
        """5 of 6 continued is hoy on the default thresholds."""
        assert m.AttainmentLevel.HIGH == deliverable_continuation(stovner_deliverables()).level

    def test_proposals_do_not_count(self) -> None:
        """Proposals and reports are left out of the ratio."""
        assert 6 == deliverable_continuation(stovner_deliverables()).working_models

    def test_pending_models_warn(self) -> None:
        """A working model still being tested is a warning."""
        testing = m.Deliverable(
            id="d",
            title="t",
            phase="p",
            kind=m.DeliverableKind.WORKING_MODEL,
            status=m.DeliverableStatus.TESTING,
        )
        assert "goals.continuation_pending" in [
            r.code for r in deliverable_continuation([testing]).reasons
        ]


class TestProjectAttainment:
    """A project's level with its reasons."""

    def test_stovner_is_hoy(self) -> None:
        """Stovner's goal attainment is hoy (000:92-93)."""
        assert m.AttainmentLevel.HIGH == project_attainment(stovner()).level

    def test_stovner_reasons(self) -> None:
        """The reasons give the continuation, the project's own verdict and its grounds."""
        codes = [r.code for r in project_attainment(stovner()).reasons]
        assert [
            "goals.continuation",
            "goals.level_high",
            "goals.recorded",
            "goals.recorded_reason",
            "goals.recorded_reason",
        ] == codes

    def test_stovner_reason_text(self) -> None:
        """The first reason reads as the report does: 5 of 6 continued."""
        text = project_attainment(stovner()).reasons[0].text("nb")
        assert "5 av 6 arbeidsmodeller er videreført i drift (83,33\xa0%)." == text

    def test_recorded_level_without_figures(self) -> None:
        """With no figures, the project's own assessment is the level, marked as such."""
        project = m.Project(
            id="p",
            name="p",
            goals=(m.Goal(id="g", title="g", assessed_attainment=m.AttainmentLevel.MEDIUM),),
        )
        result = project_attainment(project)
        assert m.AttainmentLevel.MEDIUM == result.level
        assert "recorded" == result.basis

    def test_difference_from_recorded_warns(self) -> None:
        """A computed level unlike the recorded one is a warning."""
        project = m.Project(
            id="p",
            name="p",
            deliverables=stovner_deliverables()[:6],
            goals=(m.Goal(id="g", title="g", assessed_attainment=m.AttainmentLevel.LOW),),
        )
        assert "goals.differs_from_recorded" in [
            r.code for r in project_attainment(project).reasons
        ]

    def test_no_evidence(self) -> None:
        """A project with nothing to score has no level and says so."""
        result = project_attainment(m.Project(id="p", name="p"))
        assert result.level is None
        assert "none" == result.basis


class TestGas:
    """Goal Attainment Scaling: T = 50 + 10·Σwx / √((1−ρ)Σw² + ρ(Σw)²)."""

    def test_issue_vector(self) -> None:
        """Scores (−2, 0, −1, 2, 0, 1) with weights (3, 5, 1, 4, 2, 6) give 55.0."""
        assert Decimal("55.0") == gas_t_score([-2, 0, -1, 2, 0, 1], [3, 5, 1, 4, 2, 6])

    def test_single_goal_at_minus_two(self) -> None:
        """A single goal at −2 gives 30."""
        assert Decimal(30) == gas_t_score([-2])

    def test_rho_changes_the_scale(self) -> None:
        """With ρ = 0 two goals at +1 give 50 + 20/√2 = 64.14."""
        assert Decimal("64.14") == gas_t_score([1, 1], rho=Decimal(0))

    @pytest.mark.parametrize("bad", [3, -3, True])
    def test_out_of_range_level_is_refused(self, bad: int) -> None:
        """A level outside −2…+2 (or a boolean) raises InvalidInputError."""
        with pytest.raises(InvalidInputError, match="GAS score"):
            gas_t_score([0, bad])

    def test_weights_must_match(self) -> None:
        """Fewer weights than scores raises InvalidInputError."""
        with pytest.raises(InvalidInputError, match="one weight per score"):
            gas_t_score([0, 1], [1])

    def test_empty_is_refused(self) -> None:
        """No scores raises InvalidInputError."""
        with pytest.raises(InvalidInputError):
            gas_t_score([])

    def test_rho_above_one_is_refused(self) -> None:
        """ρ above 1 raises InvalidInputError."""
        with pytest.raises(InvalidInputError):
            gas_t_score([0], rho=Decimal("1.5"))

    def test_from_goals(self) -> None:
        """The goals' gas_score and weight give the issue's 55.0."""
        goals = [
            m.Goal(id=f"g{i}", title="g", gas_score=s, weight=Decimal(w))
            for i, (s, w) in enumerate(zip([-2, 0, -1, 2, 0, 1], [3, 5, 1, 4, 2, 6], strict=True))
        ]
        result = gas_from_goals([*goals, m.Goal(id="x", title="x")])
        assert Decimal(55) == (result.t_score if result else None)

    def test_from_unscored_goals(self) -> None:
        """Goals without GAS scores give no T-score."""
        assert gas_from_goals([m.Goal(id="g", title="g")]) is None

    @given(st.lists(st.tuples(gas_weights), min_size=1, max_size=8))
    @settings(max_examples=100)
    def test_all_zero_is_fifty(self, weights: list[tuple[int]]) -> None:
        """All scores 0 give T = 50 whatever the weights."""
        assert Decimal(50) == gas_t_score([0] * len(weights), [w for (w,) in weights])

    @given(st.lists(st.tuples(gas_scores, gas_weights), min_size=1, max_size=8), st.data())
    @settings(max_examples=200)
    def test_monotone_in_each_score(
        self, goals: list[tuple[int, int]], data: st.DataObject
    ) -> None:
        """Raising any one score never lowers T (and raises it, with a weight above 0)."""
        index = data.draw(st.integers(0, len(goals) - 1))
        assume(goals[index][0] < 2)
        scores = [s for s, _ in goals]
        weights = [w for _, w in goals]
        raised = [*scores]
        raised[index] += 1
        assert gas_t_score(scores, weights) < gas_t_score(raised, weights)
