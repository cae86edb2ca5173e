"""Meeting places: visits per opening day, unique participants, satisfaction, viability."""

from __future__ import annotations

from decimal import Decimal

import pytest

from samskaping import DocumentError, InvalidInputError
from samskaping import model as m
from samskaping.scoring import (
    Viability,
    ViabilityThreshold,
    meeting_place_metrics,
    meeting_places_metrics,
    rating_summary,
)
from test_scoring_sources import babytreff, rode_kors


def _smileys(*pairs: tuple[int, int], low: int = 1, high: int = 5) -> m.Feedback:
    return m.Feedback(
        question="q",
        scale_min=low,
        scale_max=high,
        ratings=tuple(m.RatingCount(rating=r, count=c) for r, c in pairs),
    )


class TestRodeKors:
    """Røde Kors familiesenter (000:314-319)."""

    def test_visits_per_opening_day(self) -> None:
        """4 785 visits on 148 opening days is 32.3 a day."""
        assert Decimal("32.3") == meeting_place_metrics(rode_kors()).visits_per_opening_day

    def test_unique_adults_and_children(self) -> None:
        """465 adults and 765 children are 1 230 unique participants."""
        metrics = meeting_place_metrics(rode_kors())
        assert 465 == metrics.unique_adults
        assert 765 == metrics.unique_children
        assert 1230 == metrics.unique_total

    def test_repeat_visits(self) -> None:
        """(4 785 − 1 230) / 4 785 of the visits were repeat visits: 74.29 %."""
        assert Decimal("74.29") == meeting_place_metrics(rode_kors()).repeat_visits_percent

    def test_viable_by_default(self) -> None:
        """32.3 visits a day passes the default threshold of 10."""
        assert Viability.VIABLE == meeting_place_metrics(rode_kors()).viability

    def test_not_viable_with_higher_threshold(self) -> None:
        """Against a threshold of 40 a day, it is not viable, and kept despite that."""
        metrics = meeting_place_metrics(
            rode_kors(), ViabilityThreshold(min_visits_per_opening_day=Decimal(40))
        )
        assert Viability.NOT_VIABLE == metrics.viability
        assert "meeting_places.kept_but_not_viable" == metrics.reasons[-1].code

    def test_mismatched_unique_counts_warn(self) -> None:
        """Adults plus children that do not add up to the unique total is a warning."""
        place = m.MeetingPlace(
            id="x",
            name="x",
            kind=m.MeetingPlaceKind.DROP_IN,
            unique_adults=1,
            unique_children=1,
            unique_participants=3,
        )
        assert "meeting_places.unique_mismatch" in [
            r.code for r in meeting_place_metrics(place).reasons
        ]


class TestBabytreff:
    """Babytreff: 15 answers, 14 × 5 and 1 × 4 smileys (000:330-331)."""

    def test_mean(self) -> None:
        """The mean is 74 / 15 = 4.93."""
        assert Decimal("4.93") == meeting_place_metrics(babytreff()).ratings[0].mean

    def test_top_box_share(self) -> None:
        """14 of 15 gave the top score: 93.33 %."""
        assert Decimal("93.33") == meeting_place_metrics(babytreff()).ratings[0].top_box_percent

    def test_rating_threshold(self) -> None:
        """With a minimum mean of 4.5 it is viable; with 4.95 it is not."""
        ok = meeting_place_metrics(babytreff(), ViabilityThreshold(min_mean_rating=Decimal("4.5")))
        low = meeting_place_metrics(
            babytreff(), ViabilityThreshold(min_mean_rating=Decimal("4.95"))
        )
        assert Viability.VIABLE == ok.viability
        assert Viability.NOT_VIABLE == low.viability

    def test_no_attendance_figures_is_unknown(self) -> None:
        """Without attendance figures and with no rating edge, viability is unknown."""
        assert Viability.UNKNOWN == meeting_place_metrics(babytreff()).viability


class TestRatingErrors:
    """Ratings outside their scale are refused."""

    def test_rating_above_scale(self) -> None:
        """A rating of 6 on a 1-5 scale raises InvalidInputError."""
        with pytest.raises(InvalidInputError, match="outside the scale"):
            rating_summary(_smileys((6, 1)))

    def test_empty_scale(self) -> None:
        """A scale from 5 to 1 is empty and refused."""
        with pytest.raises(InvalidInputError, match="empty"):
            rating_summary(_smileys((3, 1), low=5, high=1))

    def test_paths_in_a_document(self) -> None:
        """Across meeting places, each bad rating is reported with its path."""
        bad = m.MeetingPlace(
            id="x", name="x", kind=m.MeetingPlaceKind.EVENT, feedback=(_smileys((0, 2)),)
        )
        with pytest.raises(DocumentError) as info:
            meeting_places_metrics([rode_kors(), bad])
        assert ["$.meeting_places[1].feedback[0].ratings"] == [p.path for p in info.value.problems]

    def test_no_answers_has_no_mean(self) -> None:
        """A rating question with no answers has no mean."""
        assert rating_summary(_smileys()).mean is None
