"""Meeting places (*møteplasser*): attendance, feedback and a viability verdict.

DOMAIN §4. Røde Kors familiesenter: 4 785 visits on 148 opening days, 32.3 a day,
1 230 unique visitors of whom 465 adults and 765 children (000:314-319). Babytreff:
15 answers, 14 gave five smileys and one gave four, a mean of 4.93 (000:323-331).
Stovner kept meeting places with high attendance and closed those with low attendance
(000:505-514) but gives no edge, so the viability threshold is a parameter
(``data/scales/meeting_places.toml``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum, unique
from functools import cache

import attrs

from samskaping._errors import DocumentError, InvalidInputError, Problem
from samskaping.model import (
    Feedback,
    FeedbackKind,
    MeetingPlace,
    MeetingPlaceKind,
    MeetingPlaceStatus,
    Severity,
)
from samskaping.scoring._common import Reason, load_data_file, quantize, reason

__all__ = [
    "MeetingPlaceMetrics",
    "RatingSummary",
    "Viability",
    "ViabilityThreshold",
    "YesNoSummary",
    "meeting_place_metrics",
    "meeting_places_metrics",
    "rating_summary",
    "viability_threshold",
    "yes_no_summary",
]

_HUNDRED = Decimal(100)


@unique
class Viability(StrEnum):
    """Whether a meeting place is viable (*levedyktig*) by the threshold."""

    VIABLE = "viable"
    NOT_VIABLE = "not_viable"
    UNKNOWN = "unknown"


def _optional_positive(
    _instance: object, attribute: attrs.Attribute[Decimal | None], value: Decimal | None
) -> None:
    if value is not None and (not value.is_finite() or value < 0):
        raise InvalidInputError(
            f"expected a number of at least 0, got {value}", what=attribute.name
        )


@attrs.frozen(kw_only=True)
class ViabilityThreshold:
    """The edge below which a meeting place is not viable.

    ``min_visits_per_opening_day`` applies where opening days and visits are known;
    ``min_mean_rating`` where ratings are; either may be ``None`` (not used).
    """

    min_visits_per_opening_day: Decimal | None = attrs.field(
        default=None, validator=_optional_positive
    )
    min_mean_rating: Decimal | None = attrs.field(default=None, validator=_optional_positive)
    source: str | None = None
    note: str | None = None


@cache
def viability_threshold() -> ViabilityThreshold:
    """The default threshold: 10 visits per opening day [design; the source gives no figure].

    >>> viability_threshold().min_visits_per_opening_day
    Decimal('10')
    """
    return load_data_file(ViabilityThreshold, "scales", "meeting_places.toml")


@attrs.frozen(kw_only=True)
class RatingSummary:
    """Ratings on a scale: the number of answers, the mean and the top-box share.

    The top box is the highest rating of the scale (five smileys of five).
    """

    question: str
    scale_min: int
    scale_max: int
    responses: int
    mean: Decimal | None
    top_box: int
    top_box_percent: Decimal | None


def rating_summary(feedback: Feedback) -> RatingSummary:
    """Summarise rating feedback: mean (2 decimals) and top-box share (percent, 2 decimals).

    >>> from samskaping.model import Feedback, RatingCount
    >>> s = rating_summary(Feedback(question="Smileys?", ratings=(RatingCount(rating=5, count=14),
    ...                                                       RatingCount(rating=4, count=1))))
    >>> (s.responses, s.mean, s.top_box_percent)
    (15, Decimal('4.93'), Decimal('93.33'))

    Raises:
        InvalidInputError: If the scale is empty (min above max) or a rating lies
            outside it.
    """
    if feedback.scale_min > feedback.scale_max:
        raise InvalidInputError(
            f"the rating scale {feedback.scale_min}-{feedback.scale_max} is empty", what="scale_max"
        )
    for entry in feedback.ratings:
        if not feedback.scale_min <= entry.rating <= feedback.scale_max:
            scale = f"{feedback.scale_min}-{feedback.scale_max}"
            message = f"rating {entry.rating} is outside the scale {scale}"
            raise InvalidInputError(message, what="ratings")
    responses = sum(entry.count for entry in feedback.ratings)
    top = sum(entry.count for entry in feedback.ratings if entry.rating == feedback.scale_max)
    total = sum(entry.rating * entry.count for entry in feedback.ratings)
    return RatingSummary(
        question=feedback.question,
        scale_min=feedback.scale_min,
        scale_max=feedback.scale_max,
        responses=responses,
        mean=quantize(Decimal(total) / responses, 2) if responses else None,
        top_box=top,
        top_box_percent=quantize(Decimal(top) / responses * _HUNDRED, 2) if responses else None,
    )


@attrs.frozen(kw_only=True)
class YesNoSummary:
    """Yes/no answers and the share of yes (Stovner's Facebook group: 11 of 11, 000:343)."""

    question: str
    yes: int
    no: int
    yes_percent: Decimal | None


def yes_no_summary(feedback: Feedback) -> YesNoSummary:
    """Summarise yes/no feedback.

    >>> from samskaping.model import Feedback, FeedbackKind
    >>> answers = Feedback(question="Keep the group?", kind=FeedbackKind.YES_NO, yes=11, no=0)
    >>> yes_no_summary(answers).yes_percent
    Decimal('100.00')
    """
    yes, no = feedback.yes or 0, feedback.no or 0
    total = yes + no
    return YesNoSummary(
        question=feedback.question,
        yes=yes,
        no=no,
        yes_percent=quantize(Decimal(yes) / total * _HUNDRED, 2) if total else None,
    )


@attrs.frozen(kw_only=True)
class MeetingPlaceMetrics:
    """A meeting place's figures and verdict.

    ``visits_per_opening_day`` has one decimal (32.3 for Røde Kors). ``unique_total``
    is the unique participants given, or adults plus children. ``repeat_visits_percent``
    is the share of visits that were repeat visits, (visits − unique) / visits [design].
    """

    id: str
    name: str
    kind: MeetingPlaceKind
    status: MeetingPlaceStatus
    visits: int | None
    opening_days: int | None
    visits_per_opening_day: Decimal | None
    unique_adults: int | None
    unique_children: int | None
    unique_total: int | None
    repeat_visits_percent: Decimal | None
    ratings: tuple[RatingSummary, ...]
    yes_no: tuple[YesNoSummary, ...]
    viability: Viability
    reasons: tuple[Reason, ...]


def _unique_total(place: MeetingPlace, reasons: list[Reason]) -> int | None:
    parts = place.unique_adults, place.unique_children
    summed = parts[0] + parts[1] if parts[0] is not None and parts[1] is not None else None
    if place.unique_participants is not None:
        if summed is not None and summed != place.unique_participants:
            reasons.append(
                reason(
                    "meeting_places.unique_mismatch",
                    Severity.WARNING,
                    adults=parts[0] or 0,
                    children=parts[1] or 0,
                    total=place.unique_participants,
                )
            )
        return place.unique_participants
    return summed


def meeting_place_metrics(
    place: MeetingPlace, threshold: ViabilityThreshold | None = None
) -> MeetingPlaceMetrics:
    """Compute a meeting place's metrics and judge its viability against ``threshold``.

    >>> from samskaping.model import MeetingPlace, MeetingPlaceKind
    >>> rk = MeetingPlace(id="rk", name="Røde Kors familiesenter", kind=MeetingPlaceKind.DROP_IN,
    ...                   opening_days=148, visits=4785, unique_adults=465, unique_children=765)
    >>> m = meeting_place_metrics(rk)
    >>> (m.visits_per_opening_day, m.unique_total, m.viability)
    (Decimal('32.3'), 1230, <Viability.VIABLE: 'viable'>)

    Raises:
        InvalidInputError: If a rating lies outside its scale (see :func:`rating_summary`).
    """
    threshold = threshold or viability_threshold()
    reasons: list[Reason] = []
    per_day: Decimal | None = None
    if place.visits is not None and place.opening_days:
        per_day = quantize(Decimal(place.visits) / place.opening_days, 1)
        reasons.append(
            reason(
                "meeting_places.per_day",
                visits=place.visits,
                days=place.opening_days,
                per_day=per_day,
            )
        )
    unique = _unique_total(place, reasons)
    repeat: Decimal | None = None
    if place.visits and unique is not None and unique <= place.visits:
        repeat = quantize(Decimal(place.visits - unique) / place.visits * _HUNDRED, 2)
    ratings, yes_no = _feedback(place)
    reasons.extend(
        reason(
            "meeting_places.rating",
            responses=summary.responses,
            mean=summary.mean,
            scale_max=summary.scale_max,
            top_box_percent=summary.top_box_percent or Decimal(0),
        )
        for summary in ratings
        if summary.mean is not None
    )
    viability, why = _viability(per_day, ratings, threshold)
    reasons.extend(why)
    if viability == Viability.VIABLE and place.status == MeetingPlaceStatus.CLOSED:
        reasons.append(reason("meeting_places.closed_but_viable"))
    if viability == Viability.NOT_VIABLE and place.status == MeetingPlaceStatus.KEPT:
        reasons.append(reason("meeting_places.kept_but_not_viable", Severity.WARNING))
    return MeetingPlaceMetrics(
        id=place.id,
        name=place.name,
        kind=place.kind,
        status=place.status,
        visits=place.visits,
        opening_days=place.opening_days,
        visits_per_opening_day=per_day,
        unique_adults=place.unique_adults,
        unique_children=place.unique_children,
        unique_total=unique,
        repeat_visits_percent=repeat,
        ratings=tuple(ratings),
        yes_no=tuple(yes_no),
        viability=viability,
        reasons=tuple(reasons),
    )


def _feedback(place: MeetingPlace) -> tuple[list[RatingSummary], list[YesNoSummary]]:
    ratings: list[RatingSummary] = []
    yes_no: list[YesNoSummary] = []
    for index, feedback in enumerate(place.feedback):
        if feedback.kind == FeedbackKind.RATING and feedback.ratings:
            try:
                ratings.append(rating_summary(feedback))
            except InvalidInputError as exc:
                raise InvalidInputError(str(exc), what=f"feedback[{index}].{exc.what}") from None
        elif feedback.kind == FeedbackKind.YES_NO:
            yes_no.append(yes_no_summary(feedback))
    return ratings, yes_no


def _viability(
    per_day: Decimal | None, ratings: Sequence[RatingSummary], threshold: ViabilityThreshold
) -> tuple[Viability, list[Reason]]:
    reasons: list[Reason] = []
    judged = False
    viable = True
    if per_day is not None and threshold.min_visits_per_opening_day is not None:
        judged = True
        if per_day < threshold.min_visits_per_opening_day:
            viable = False
            reasons.append(
                reason(
                    "meeting_places.below_visits",
                    per_day=per_day,
                    edge=threshold.min_visits_per_opening_day,
                )
            )
        else:
            reasons.append(
                reason(
                    "meeting_places.meets_visits",
                    per_day=per_day,
                    edge=threshold.min_visits_per_opening_day,
                )
            )
    means = [r.mean for r in ratings if r.mean is not None]
    if means and threshold.min_mean_rating is not None:
        judged = True
        lowest = min(means)
        if lowest < threshold.min_mean_rating:
            viable = False
            reasons.append(
                reason("meeting_places.below_rating", mean=lowest, edge=threshold.min_mean_rating)
            )
        else:
            reasons.append(
                reason("meeting_places.meets_rating", mean=lowest, edge=threshold.min_mean_rating)
            )
    if not judged:
        reasons.append(reason("meeting_places.no_figures"))
        return Viability.UNKNOWN, reasons
    return (Viability.VIABLE if viable else Viability.NOT_VIABLE), reasons


def meeting_places_metrics(
    places: Sequence[MeetingPlace],
    threshold: ViabilityThreshold | None = None,
    *,
    path: str = "$.meeting_places",
) -> tuple[MeetingPlaceMetrics, ...]:
    """Metrics for every meeting place, reporting every bad rating at once.

    >>> from samskaping.model import MeetingPlace, MeetingPlaceKind
    >>> places = [MeetingPlace(id="a", name="A", kind=MeetingPlaceKind.SERIES,
    ...                        opening_days=4, visits=10)]
    >>> [x.visits_per_opening_day for x in meeting_places_metrics(places)]
    [Decimal('2.5')]

    Raises:
        DocumentError: With the path of each rating outside its scale, e.g.
            ``$.meeting_places[1].feedback[0].ratings``.
    """
    results: list[MeetingPlaceMetrics] = []
    problems: list[Problem] = []
    for index, place in enumerate(places):
        try:
            results.append(meeting_place_metrics(place, threshold))
        except InvalidInputError as exc:
            problems.append(Problem(path=f"{path}[{index}].{exc.what}", message=str(exc)))
    if problems:
        raise DocumentError(problems)
    return tuple(results)
