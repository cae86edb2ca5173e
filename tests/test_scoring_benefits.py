"""Benefits realisation status, split into citizens' and the organisation's benefits."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from samskaping import InvalidInputError
from samskaping import model as m
from samskaping.scoring import (
    BenefitSettings,
    RealisationStatus,
    benefit_status,
    benefits_realisation,
    expected_percent,
)
from test_scoring_sources import stovner

START = datetime.date(2021, 1, 1)
DUE = datetime.date(2023, 1, 1)
HALFWAY = datetime.date(2022, 1, 1)


def _benefit(measured: int, **fields: Any) -> m.Benefit:
    indicator = m.Indicator(
        id="i",
        name="i",
        unit=m.IndicatorUnit.PERCENT,
        baseline=Decimal(0),
        target=Decimal(100),
        measurements=(m.Measurement(date=datetime.date(2021, 6, 1), value=Decimal(measured)),),
    )
    return m.Benefit(
        id="b",
        title="b",
        beneficiary=m.Beneficiary.CITIZENS,
        indicators=(indicator,),
        realisation_date=DUE,
        **fields,
    )


class TestExpected:
    """The expected realisation is a straight line from the start to the due date."""

    def test_halfway(self) -> None:
        """Halfway between start and due date, 50 % is expected."""
        assert Decimal(50) == expected_percent(START, DUE, HALFWAY)

    def test_after_due(self) -> None:
        """After the due date, 100 % is expected."""
        assert Decimal(100) == expected_percent(START, DUE, datetime.date(2024, 1, 1))

    def test_unknown_dates(self) -> None:
        """With no start date, 100 % is expected."""
        assert Decimal(100) == expected_percent(None, DUE, HALFWAY)


class TestStatus:
    """Actual against expected, with the margins of the settings."""

    @pytest.mark.parametrize(
        ("measured", "status"),
        [
            (65, RealisationStatus.AHEAD),
            (60, RealisationStatus.ON_TRACK),
            (40, RealisationStatus.ON_TRACK),
            (30, RealisationStatus.MINOR_DELAY),
            (25, RealisationStatus.MINOR_DELAY),
            (20, RealisationStatus.DELAYED),
        ],
    )
    def test_margins(self, measured: int, status: RealisationStatus) -> None:
        """Against 50 % expected: >+10 ahead, ≥−10 on track, ≥−25 minor delay, else delayed."""
        assert status == benefit_status(_benefit(measured), HALFWAY, start=START).status

    def test_not_assessed(self) -> None:
        """A benefit with no measurement and no assessment is not assessed, not a guess."""
        benefit = m.Benefit(id="b", title="b", beneficiary=m.Beneficiary.ORGANISATION)
        assert RealisationStatus.NOT_ASSESSED == benefit_status(benefit, HALFWAY).status

    def test_recorded_not_realised_is_delayed(self) -> None:
        """A benefit the project recorded as not realised is delayed."""
        benefit = m.Benefit(
            id="b", title="b", beneficiary=m.Beneficiary.CITIZENS, assessed_realised=False
        )
        assert RealisationStatus.DELAYED == benefit_status(benefit, HALFWAY).status

    def test_custom_margins(self) -> None:
        """With a 5-point on-track margin, 40 % against 50 % is a minor delay."""
        settings = BenefitSettings(on_track_margin=Decimal(5))
        assert (
            RealisationStatus.MINOR_DELAY
            == benefit_status(_benefit(40), HALFWAY, start=START, settings=settings).status
        )

    def test_margins_out_of_order_are_refused(self) -> None:
        """An on-track margin wider than the minor-delay margin raises InvalidInputError."""
        with pytest.raises(InvalidInputError):
            BenefitSettings(on_track_margin=Decimal(30), minor_delay_margin=Decimal(20))


class TestStovnerBenefits:
    """Stovner judged both benefits realised (000:208-209)."""

    def test_split_by_beneficiary(self) -> None:
        """One citizens' and one organisation's benefit, both achieved («oppnådd», 000:208-209)."""
        result = benefits_realisation(stovner(), datetime.date(2024, 6, 30))
        assert [RealisationStatus.ACHIEVED] == [s.status for s in result.citizens]
        assert [RealisationStatus.ACHIEVED] == [s.status for s in result.organisation]

    def test_counts_cover_every_status(self) -> None:
        """The counts list every beneficiary and status, zeros included."""
        result = benefits_realisation(stovner(), datetime.date(2024, 6, 30))
        assert 2 * len(RealisationStatus) == len(result.counts)
