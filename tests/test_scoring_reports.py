"""Whole-project reports and their stable JSON shapes."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from typing import Any

import pytest

from samskaping import InvalidInputError
from samskaping import model as m
from samskaping.io import json_default
from samskaping.l10n import Lang
from samskaping.report import report_text
from samskaping.scoring import (
    SCHEMA_VERSION,
    assessment_report,
    cost_profile,
    goals_report,
    risk_report,
    to_json,
    utenfor_report,
)
from test_scoring_sources import stovner, table_13_cases, trondheim

AS_OF = datetime.date(2024, 6, 30)


def _json(value: Any, lang: Lang = "nb") -> Any:
    return json.loads(json.dumps(to_json(value, lang), default=json_default))


class TestRiskReport:
    """The risk report of Stovner's register."""

    def test_counts(self) -> None:
        """Stovner's register counts 2 / 2 / 2."""
        assert [2, 2, 2] == [c.count for c in risk_report(stovner()).profile.counts]

    def test_json_shape(self) -> None:
        """The JSON has the documented keys, schema_version first."""
        data = _json(risk_report(stovner()))
        assert [
            "schema_version",
            "path",
            "id",
            "name",
            "scale",
            "rule",
            "risks",
            "profile",
            "heat_map",
            "residual_heat_map",
        ] == list(data)

    def test_json_reason_has_code_and_text(self) -> None:
        """A reason in JSON has its code, severity, params and text."""
        reason = _json(risk_report(stovner()), "en")["risks"][0]["reasons"][0]
        assert {
            "code": "risk.graded_only",
            "severity": "info",
            "params": {"band": "moderat"},
            "text": "No probability or consequence is recorded: "
            "the recorded grade moderate is used.",
        } == reason

    def test_json_labels_follow_language(self) -> None:
        """Band labels in JSON are in the chosen language."""
        counts = _json(risk_report(stovner()), "nn")["profile"]["counts"]
        assert ["låg", "moderat", "alvorleg"] == [c["label"] for c in counts]

    def test_json_keeps_nulls(self) -> None:
        """Fields with no value are written as null, so the shape never changes."""
        risk = _json(risk_report(stovner()))["risks"][0]
        assert risk["initial"] is None
        assert risk["emv"] is None

    def test_schema_version(self) -> None:
        """The version of the JSON shape is 1."""
        assert 1 == SCHEMA_VERSION == _json(risk_report(stovner()))["schema_version"]

    def test_to_json_refuses_plain_values(self) -> None:
        """to_json accepts results only."""
        with pytest.raises(InvalidInputError):
            to_json({"a": 1})

    def test_text_in_nynorsk(self) -> None:
        """The text report can be written in Nynorsk."""
        assert report_text(risk_report(stovner()), "nn").startswith(
            "Risiko: Prosjekt Innbyggerbasen"
        )


class TestGoalsReport:
    """The goals report of Stovner."""

    def test_level_and_meeting_places(self) -> None:
        """hoy, with Røde Kors at 32.3 a day and Babytreff at 4.93."""
        report = goals_report(stovner(), as_of=AS_OF)
        rk, baby = report.meeting_places
        assert m.AttainmentLevel.HIGH == report.attainment.level
        assert Decimal("32.3") == rk.visits_per_opening_day
        assert Decimal("4.93") == baby.ratings[0].mean

    def test_json_decimals_are_strings(self) -> None:
        """Decimals are written as strings, exactly."""
        data = _json(goals_report(stovner(), as_of=AS_OF))
        assert "32.3" == data["meeting_places"][0]["visits_per_opening_day"]

    def test_text_names_the_level(self) -> None:
        """The English text gives the level."""
        assert "Level: high" in report_text(goals_report(stovner(), as_of=AS_OF), "en")

    def test_as_of_defaults_to_period_end(self) -> None:
        """Without as_of, the project's end date is used."""
        project = m.Project(
            id="p", name="p", period=m.Period(start=datetime.date(2021, 1, 1), end=AS_OF)
        )
        assert AS_OF == goals_report(project).as_of


class TestUtenforReport:
    """The utenfor report checks every case and calculates those with a profile."""

    def test_without_profile_only_checks(self) -> None:
        """With no profile, the cases are checked but not calculated."""
        project = m.Project(id="p", name="p", assessments=m.Assessments(utenfor=table_13_cases()))
        report = utenfor_report(project)
        assert () == report.results
        assert 4 == len(report.consistency.flagged)
        assert "utenfor.no_profile" == report.reasons[0].code

    def test_with_profile_calculates_all(self) -> None:
        """With a profile, every case is calculated."""
        report = utenfor_report(trondheim(), cost_profile())
        assert 6 == len(report.results)

    def test_json_money_is_exact(self) -> None:
        """Amounts in JSON are strings with two decimals."""
        data = _json(utenfor_report(trondheim(), cost_profile()))
        assert re.fullmatch(r"-?[0-9]+\.[0-9]{2}", data["results"][0]["net_gain"])


class TestAssessmentReport:
    """The assessment report of Trondheim."""

    def test_trondheim(self) -> None:
        """Diamond 12 → 36, considerations 11/9, surveys 2 and one change."""
        report = assessment_report(trondheim())
        assert [Decimal(12), Decimal(36)] == [d.area for d in report.idea_diamonds]
        assert report.considerations is not None
        assert 11 == len(report.considerations.yes)
        assert 9 == len(report.considerations.maybe)
        assert 2 == len(report.surveys)
        assert 1 == len(report.survey_changes)

    def test_text_has_every_section(self) -> None:
        """The text covers the diamond, the considerations, systems change and surveys."""
        text = report_text(assessment_report(trondheim()), "en")
        assert all(
            heading in text
            for heading in (
                "Idea diamond (start):",
                "20 considerations:",
                "Systems change:",
                "Survey 2023",
            )
        )

    def test_empty_project_says_so(self) -> None:
        """A project with no assessments says there are none."""
        assert "No assessments are recorded." in report_text(
            assessment_report(m.Project(id="p", name="p")), "en"
        )
