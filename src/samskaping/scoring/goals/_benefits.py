"""Benefits realisation (*gevinstrealisering*): a status for each benefit, by beneficiary.

DOMAIN §4. A benefit's indicators give an attainment; it is compared with what is
expected by the date: a straight line from the project's start (0 %) to the benefit's
``realisation_date`` (100 %), or 100 % when either date is unknown [design]. The
margins between the statuses are data (``data/scales/goals.toml``). Benefits are
split into citizens' (*innbyggernes gevinst*, 000:145) and the organisation's
(*virksomhetens gevinst*, 000:192).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum, unique

import attrs

from samskaping._records import Records, plain
from samskaping.model import Beneficiary, Benefit, Programme, Project, Severity
from samskaping.scoring._common import Reason, quantize, reason
from samskaping.scoring.goals._goals import (
    BenefitSettings,
    composite_attainment,
    goal_settings,
    indicator_attainment,
)

__all__ = [
    "BenefitStatus",
    "BenefitsRealisation",
    "RealisationStatus",
    "StatusCount",
    "benefit_settings",
    "benefit_status",
    "benefits_realisation",
    "expected_percent",
]

_HUNDRED = Decimal(100)


@unique
class RealisationStatus(StrEnum):
    """Where a benefit's realisation stands against its plan."""

    NOT_STARTED = "not_started"
    NOT_ASSESSED = "not_assessed"
    ACHIEVED = "achieved"
    AHEAD = "ahead"
    ON_TRACK = "on_track"
    MINOR_DELAY = "minor_delay"
    DELAYED = "delayed"


def benefit_settings() -> BenefitSettings:
    """The default margins: ahead above +10 points, on track down to −10, minor delay to −25.

    >>> s = benefit_settings()
    >>> (s.ahead_margin, s.on_track_margin, s.minor_delay_margin)
    (Decimal('10'), Decimal('10'), Decimal('25'))
    """
    return goal_settings().benefits


def expected_percent(
    start: datetime.date | None, due: datetime.date | None, as_of: datetime.date
) -> Decimal:
    """How far a benefit should be realised by ``as_of``: a straight line from ``start`` to ``due``.

    It is 100 when either date is unknown or ``due`` has passed [design].

    >>> import datetime
    >>> start, due = datetime.date(2021, 1, 1), datetime.date(2023, 1, 1)
    >>> expected_percent(start, due, datetime.date(2022, 1, 1))
    Decimal('50.00')
    >>> expected_percent(None, datetime.date(2023, 1, 1), datetime.date(2022, 1, 1))
    Decimal('100')
    """
    if start is None or due is None or as_of >= due:
        return _HUNDRED
    if as_of <= start or due <= start:
        return Decimal(0) if as_of <= start < due else _HUNDRED
    return quantize(Decimal((as_of - start).days) / Decimal((due - start).days) * _HUNDRED, 2)


@attrs.frozen(kw_only=True)
class BenefitStatus:
    """A benefit's realisation status with the figures behind it."""

    id: str
    title: str
    beneficiary: Beneficiary
    status: RealisationStatus
    actual_percent: Decimal | None
    expected_percent: Decimal | None
    reasons: tuple[Reason, ...]


def benefit_status(
    benefit: Benefit,
    as_of: datetime.date,
    *,
    start: datetime.date | None = None,
    settings: BenefitSettings | None = None,
) -> BenefitStatus:
    """A benefit's status on ``as_of``: achieved, ahead, on track, delayed or not assessed.

    With no measured indicator, a benefit the project recorded as realised
    (``assessed_realised``, as Stovner's two short-term benefits, «oppnådd», 000:152-153,
    000:208-209) is achieved, one recorded as not realised is delayed, and one with
    nothing recorded is not assessed: the library does not guess a verdict.

    >>> import datetime
    >>> from samskaping.model import Beneficiary, Benefit
    >>> b = Benefit(id="b1", title="Meeting places", beneficiary=Beneficiary.CITIZENS,
    ...             assessed_realised=True)
    >>> benefit_status(b, datetime.date(2024, 6, 30)).status
    <RealisationStatus.ACHIEVED: 'achieved'>
    """
    settings = settings or benefit_settings()
    indicators = [indicator_attainment(i, as_of=as_of, clamp=False) for i in benefit.indicators]
    measured = [(i.percent, i.weight) for i in indicators if i.percent is not None]
    actual = composite_attainment(measured) if any(w > 0 for _, w in measured) else None
    reasons: list[Reason] = []
    expected: Decimal | None = None
    if actual is None:
        if benefit.assessed_realised is True:
            status = RealisationStatus.ACHIEVED
            reasons.append(reason("benefits.recorded_realised"))
        elif benefit.assessed_realised is False:
            status = RealisationStatus.DELAYED
            reasons.append(reason("benefits.recorded_not_realised", Severity.WARNING))
        else:
            status = RealisationStatus.NOT_ASSESSED
            reasons.append(reason("benefits.no_measurement"))
    else:
        expected = expected_percent(start, benefit.realisation_date, as_of)
        gap = actual - expected
        if gap > settings.ahead_margin:
            status = RealisationStatus.AHEAD
        elif gap >= -settings.on_track_margin:
            status = RealisationStatus.ON_TRACK
        elif gap >= -settings.minor_delay_margin:
            status = RealisationStatus.MINOR_DELAY
        else:
            status = RealisationStatus.DELAYED
        severity = (
            Severity.WARNING
            if status in {RealisationStatus.MINOR_DELAY, RealisationStatus.DELAYED}
            else Severity.INFO
        )
        reasons.append(
            reason(
                "benefits.compared",
                severity,
                actual_percent=actual,
                expected_percent=expected,
                status=status,
            )
        )
    return BenefitStatus(
        id=benefit.id,
        title=benefit.title,
        beneficiary=benefit.beneficiary,
        status=status,
        actual_percent=actual,
        expected_percent=expected,
        reasons=tuple(reasons),
    )


@attrs.frozen(kw_only=True)
class StatusCount:
    """How many benefits of one beneficiary have one status."""

    beneficiary: Beneficiary
    status: RealisationStatus
    count: int


@attrs.frozen(kw_only=True)
class BenefitsRealisation(Records):
    """Every benefit's status on ``as_of``, split into citizens' and the organisation's."""

    as_of: datetime.date
    citizens: tuple[BenefitStatus, ...]
    organisation: tuple[BenefitStatus, ...]
    counts: tuple[StatusCount, ...]

    def to_records(self) -> list[dict[str, object]]:
        """One row per benefit, citizens' first, with its realisation status."""
        return [
            {
                "id": status.id,
                "title": status.title,
                "beneficiary": plain(status.beneficiary),
                "status": plain(status.status),
                "actual_percent": status.actual_percent,
                "expected_percent": status.expected_percent,
            }
            for status in (*self.citizens, *self.organisation)
        ]


def benefits_realisation(
    project: Project | Programme,
    as_of: datetime.date,
    *,
    settings: BenefitSettings | None = None,
) -> BenefitsRealisation:
    """The realisation status of a project's benefits, by beneficiary (DOMAIN §4).

    The line of expected progress starts at the project's start date.

    >>> import datetime
    >>> from samskaping.model import Beneficiary, Benefit, Project
    >>> p = Project(id="p", name="P", benefits=(
    ...     Benefit(id="b1", title="t", beneficiary=Beneficiary.CITIZENS, assessed_realised=True),
    ...     Benefit(id="b2", title="t", beneficiary=Beneficiary.ORGANISATION)))
    >>> r = benefits_realisation(p, datetime.date(2024, 6, 30))
    >>> [(c.beneficiary.value, c.status.value, c.count) for c in r.counts if c.count]
    [('citizens', 'achieved', 1), ('organisation', 'not_assessed', 1)]
    """
    start = project.period.start if project.period is not None else None
    statuses = [benefit_status(b, as_of, start=start, settings=settings) for b in project.benefits]
    return BenefitsRealisation(
        as_of=as_of,
        citizens=tuple(s for s in statuses if s.beneficiary == Beneficiary.CITIZENS),
        organisation=tuple(s for s in statuses if s.beneficiary == Beneficiary.ORGANISATION),
        counts=_counts(statuses),
    )


def _counts(statuses: Sequence[BenefitStatus]) -> tuple[StatusCount, ...]:
    return tuple(
        StatusCount(
            beneficiary=beneficiary,
            status=status,
            count=sum(1 for s in statuses if s.beneficiary == beneficiary and s.status == status),
        )
        for beneficiary in Beneficiary
        for status in RealisationStatus
    )
