"""Survey scoring: Likert items, 'vet ikke', reverse items, dimensions, roles, deltas."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from samskaping import DocumentError, InvalidInputError, UnknownNameError
from samskaping import model as m
from samskaping.scoring import (
    read_survey_instrument,
    reverse_score,
    score_survey,
    survey_deltas,
    survey_instrument,
)
from test_scoring_sources import staff_survey_rounds


def _round(*responses: m.SurveyResponse, year: int = 2023) -> m.SurveyRound:
    return m.SurveyRound(id="r", instrument="staff_2023", year=year, responses=tuple(responses))


def _response(role: str | None = None, **answers: int) -> m.SurveyResponse:
    return m.SurveyResponse(
        role=role,
        answers=tuple(m.SurveyAnswer(item=item, value=value) for item, value in answers.items()),
    )


def _item(score: Any, item_id: str) -> Any:
    return next(i for i in score.items if i.item == item_id)


class TestInstrument:
    """The staff survey of 002's appendix ships as data."""

    def test_scale(self) -> None:
        """Likert 1-5 with 6 as 'Vet ikke' (002:4579)."""
        scale = survey_instrument().scale
        assert 1 == scale.min
        assert 5 == scale.max
        assert 6 == scale.dont_know
        assert "Vet ikke" == scale.options[-1].label.nb

    def test_dimensions(self) -> None:
        """Four batteries: A, B, C and the leaders' L."""
        assert ["A", "B", "C", "L"] == [d.code for d in survey_instrument().dimensions]

    def test_item_counts(self) -> None:
        """A has 7 items, B 3, C 8 and L 8 (002:4583-4647)."""
        counts = [len(survey_instrument().likert_items(d)) for d in "ABCL"]
        assert [7, 3, 8, 8] == counts

    def test_problems_are_reverse_scored(self) -> None:
        """Exactly the B items are reverse-scored (002:1954)."""
        reversed_items = [i.id for i in survey_instrument().likert_items() if i.reverse]
        assert ["B1", "B2", "B3"] == reversed_items

    def test_item_text_is_the_source(self) -> None:
        """C5's Bokmål text is the source's own (002:4615)."""
        assert (
            survey_instrument()
            .item("C5")
            .text.nb.startswith("... tror du denne måten å fordele penger")
        )

    def test_codes_are_said_to_be_ours(self) -> None:
        """The instrument says its item codes are this library's, not the source's."""
        assert "Item codes are this library's: the source has none." in (
            survey_instrument().note or ""
        )

    def test_leader_block_is_routed(self) -> None:
        """The L block goes to sub-project leaders only (002:4625)."""
        assert ("subproject_leader",) == survey_instrument().dimensions[-1].roles

    def test_every_item_cites_its_line(self) -> None:
        """Every item names its source line in 002."""
        assert all(i.source and i.source.startswith("002:") for i in survey_instrument().items)

    def test_unknown_instrument(self) -> None:
        """An unknown instrument name raises UnknownNameError."""
        with pytest.raises(UnknownNameError):
            survey_instrument("citizens_2030")


class TestScoring:
    """Means per item, dimension and role."""

    def test_dont_know_is_left_out(self) -> None:
        """Answers of 6 are counted but not in the mean."""
        score = score_survey(_round(_response(C5=6), _response(C5=4), _response(C5=5)))
        assert 2 == _item(score, "C5").n
        assert 1 == _item(score, "C5").dont_know
        assert Decimal("4.50") == _item(score, "C5").mean

    def test_reverse_item_is_oriented(self) -> None:
        """B1 answered 2 and 3 has mean 2.5 and oriented mean 3.5."""
        b1 = _item(score_survey(_round(_response(B1=2), _response(B1=3))), "B1")
        assert Decimal("2.50") == b1.mean
        assert Decimal("3.50") == b1.oriented_mean

    def test_dimension_mean_uses_oriented_items(self) -> None:
        """Dimension B's mean is the mean of its items' oriented means."""
        score = score_survey(_round(_response(B1=1, B2=2, B3=3)))
        b = next(d for d in score.dimensions if d.dimension == "B")
        assert Decimal("4.00") == b.mean

    def test_means_per_role(self) -> None:
        """Leaders and employees get their own means."""
        score = score_survey(
            _round(
                _response("subproject_leader", C5=5),
                _response("employee", C5=3),
                _response("employee", C5=4),
            )
        )
        by_role = {r.role: _item(r, "C5").mean for r in score.by_role}
        assert {"subproject_leader": Decimal("5.00"), "employee": Decimal("3.50")} == by_role

    def test_reported_means_are_used(self) -> None:
        """Without answers, the printed mean is the item's mean."""
        score = score_survey(staff_survey_rounds()[1])
        assert Decimal("3.6") == _item(score, "C5").mean
        assert "reported" == _item(score, "C5").basis

    def test_response_rate(self) -> None:
        """25 of 67 invited answered in 2023: 37.3 % (002:1179)."""
        assert Decimal("37.3") == score_survey(staff_survey_rounds()[1]).response_percent

    def test_reverse_score(self) -> None:
        """On 1-5, 2 reversed is 4."""
        assert Decimal(4) == reverse_score(2, survey_instrument().scale)

    def test_reverse_outside_scale(self) -> None:
        """Reversing a 6 raises InvalidInputError."""
        with pytest.raises(InvalidInputError):
            reverse_score(6, survey_instrument().scale)


class TestBadAnswers:
    """Answers outside the scale and unknown names are refused with paths."""

    def test_answer_outside_scale(self) -> None:
        """An answer of 7 is refused at its path."""
        with pytest.raises(DocumentError) as info:
            score_survey(_round(_response(A1=3), _response(A1=7)))
        assert ["$.responses[1].answers[0].value"] == [p.path for p in info.value.problems]

    def test_answer_zero(self) -> None:
        """An answer of 0 is refused."""
        with pytest.raises(DocumentError, match="outside the scale"):
            score_survey(_round(_response(A1=0)))

    def test_unknown_item(self) -> None:
        """An answer to an item the instrument lacks is refused."""
        with pytest.raises(DocumentError, match="unknown item"):
            score_survey(_round(_response(Z9=3)))

    def test_unknown_role(self) -> None:
        """A role the instrument lacks is refused."""
        with pytest.raises(DocumentError, match="unknown role"):
            score_survey(_round(_response("mayor", A1=3)))

    def test_choice_answer_must_be_an_option(self) -> None:
        """Q10_BACKGROUND has no option 8 (002:4701-4702)."""
        with pytest.raises(DocumentError, match="not an option"):
            score_survey(_round(_response(Q10_BACKGROUND=8)))

    def test_reported_mean_outside_scale(self) -> None:
        """A printed mean of 5.5 on a 1-5 scale is refused."""
        survey = m.SurveyRound(
            id="r",
            instrument="staff_2023",
            year=2023,
            reported_means=(m.ReportedMean(item="C5", mean=Decimal("5.5")),),
        )
        with pytest.raises(DocumentError, match="outside the scale"):
            score_survey(survey)

    def test_empty_scale_instrument(self) -> None:
        """An instrument whose scale runs from 5 to 5 is refused."""
        text = 'name = "x"\ntitle = { nb = "x", nn = "x", en = "x" }\n[scale]\nmin = 5\nmax = 5\n'
        with pytest.raises(DocumentError, match="empty"):
            read_survey_instrument(text)


class TestDeltas:
    """Year-over-year change (002:2035-2073)."""

    def test_goal_attainment_item_fell(self) -> None:
        """'Better goal attainment' fell from 4.4 to 3.6 (002:2040)."""
        change = survey_deltas(*staff_survey_rounds())
        c5 = next(i for i in change.items if i.item == "C5")
        assert Decimal("-0.8") == c5.change
        assert not c5.improved

    def test_unchanged_item(self) -> None:
        """'Brave and radically different' stayed at 4.5 (002:2035)."""
        change = survey_deltas(*staff_survey_rounds())
        assert Decimal(0) == next(i for i in change.items if i.item == "C7").change

    def test_fall_on_reverse_item_is_improvement(self) -> None:
        """A fall on a problems item is a positive development (002:1954)."""
        before = _round(_response(B2=4), year=2022)
        after = _round(_response(B2=3), year=2023)
        b2 = next(i for i in survey_deltas(before, after).items if i.item == "B2")
        assert Decimal(-1) == b2.change
        assert b2.improved

    def test_leaders_profitability_by_role(self) -> None:
        """The leaders' 'profitable in the long run' fell from 4.0 to 2.4 (002:2071)."""
        rounds = staff_survey_rounds()
        before, after = (score_survey(r).by_role[0] for r in rounds)
        assert Decimal("4.0") == _item(before, "L3").mean
        assert Decimal("2.4") == _item(after, "L3").mean
