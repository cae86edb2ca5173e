"""Recurrence of meeting places (RFC 5545), with dateutil imported only when used."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from samskaping._errors import InvalidInputError

if TYPE_CHECKING:
    from samskaping.model._entities import Schedule

__all__ = ["check_rrule", "occurrences"]

_MAX_RULE_LENGTH = 500


def check_rrule(rule: str, start: datetime.date) -> None:
    """Raise if ``rule`` is not a valid RFC 5545 ``RRULE`` value."""
    from dateutil.rrule import rrulestr  # noqa: PLC0415  (lazy import)

    if len(rule) > _MAX_RULE_LENGTH or "\n" in rule:
        raise InvalidInputError(
            "expected an RFC 5545 recurrence rule on one line (at most 500 characters)",
            what="rrule",
        )
    dtstart = datetime.datetime.combine(start, datetime.time())
    try:
        rrulestr(rule, dtstart=dtstart)
    except (ValueError, TypeError, OverflowError) as exc:
        raise InvalidInputError(
            f"expected an RFC 5545 recurrence rule such as 'FREQ=MONTHLY;BYDAY=1WE', "
            f"got {rule[:40]!r} ({exc})",
            what="rrule",
        ) from None


def occurrences(
    schedule: Schedule, until: datetime.date | None, *, limit: int
) -> tuple[datetime.date, ...]:
    """The dates of ``schedule`` from its start up to ``until``, at most ``limit`` of them."""
    from dateutil.rrule import rrule, rrulestr  # noqa: PLC0415  (lazy import)

    check_rrule(schedule.rrule, schedule.start)
    dtstart = datetime.datetime.combine(schedule.start, datetime.time())
    rule = rrulestr(schedule.rrule, dtstart=dtstart)
    if not isinstance(rule, rrule):  # pragma: no cover  (an RRULE value is never a set)
        raise InvalidInputError("expected a single recurrence rule", what="rrule")
    end = datetime.datetime.combine(until, datetime.time()) if until else None
    out: list[datetime.date] = []
    for moment in rule:
        if end is not None and moment > end:
            break
        out.append(moment.date())
        if len(out) >= limit:
            break
    return tuple(out)
