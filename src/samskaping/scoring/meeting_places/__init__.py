"""Meeting places (*møteplasser*, DOMAIN §4): attendance, feedback and viability."""

from samskaping.scoring.meeting_places._meeting_places import (
    MeetingPlaceMetrics,
    RatingSummary,
    Viability,
    ViabilityThreshold,
    YesNoSummary,
    meeting_place_metrics,
    meeting_places_metrics,
    rating_summary,
    viability_threshold,
    yes_no_summary,
)

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
