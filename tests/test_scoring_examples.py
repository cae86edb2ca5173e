"""The embedded examples score as the source reports say (issue 4, "done when")."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from samskaping import model as m
from samskaping._cli import main
from samskaping.examples import load_example, names
from samskaping.scoring import (
    ScoreBasis,
    assessment_report,
    check_consistency,
    goals_report,
    project_attainment,
    risk_profile,
    score_risks,
    survey_deltas,
)


def _stovner() -> m.Project | m.Programme:
    return load_example("innbyggerbasen")


def _trondheim() -> m.Project | m.Programme:
    return load_example("innbyggernes_modell")


class TestStovner:
    """innbyggerbasen: Stovner's final report (000)."""

    def test_goal_attainment_is_hoy(self) -> None:
        """The example scores hoy, as the report judged (000:92-93)."""
        assert m.AttainmentLevel.HIGH == project_attainment(_stovner()).level

    def test_goal_attainment_reasons(self) -> None:
        """The reasons start with 5 of 6 working models continued (000:89, 000:126)."""
        first = project_attainment(_stovner()).reasons[0]
        assert "goals.continuation" == first.code
        assert {"continued": "5", "total": "6", "share_percent": "83.33"} == first.params_dict()

    def test_recorded_judgement_agrees(self) -> None:
        """The report's own judgement is recorded and agrees: no difference is flagged."""
        codes = [r.code for r in project_attainment(_stovner()).reasons]
        assert "goals.recorded" in codes
        assert "goals.differs_from_recorded" not in codes

    def test_risks_fall_in_the_three_bands(self) -> None:
        """Four high-or-moderate risks and two low: 2 lav, 2 moderat, 2 alvorlig (000:462-466)."""
        profile = risk_profile(_stovner().risks)
        assert [("lav", 2), ("moderat", 2), ("alvorlig", 2)] == [
            (c.band, c.count) for c in profile.counts
        ]

    def test_risks_are_scored_from_their_grades(self) -> None:
        """No risk gets an invented probability or consequence."""
        assert {ScoreBasis.ASSESSED} == {s.basis for s in score_risks(_stovner().risks)}

    def test_rode_kors_visits_per_day(self) -> None:
        """Røde Kors familiesenter: 32.3 visits per opening day (000:316-318)."""
        metrics = {x.id: x for x in goals_report(_stovner()).meeting_places}
        assert Decimal("32.3") == metrics["mp_rode_kors_familiesenter"].visits_per_opening_day

    def test_babytreff_mean(self) -> None:
        """Babytreff: a mean of 4.93 smileys (000:330-331)."""
        metrics = {x.id: x for x in goals_report(_stovner()).meeting_places}
        assert Decimal("4.93") == metrics["mp_babytreff"].ratings[0].mean


class TestTrondheim:
    """innbyggernes_modell: the Trondheim research report (002)."""

    def test_diamond_start_and_end(self) -> None:
        """Start 3, 3, 2, 2 and end 4, 4, 4, 5 (002:3285-3324)."""
        diamonds = assessment_report(_trondheim()).idea_diamonds
        assert [(3, 3, 2, 2), (4, 4, 4, 5)] == [
            (d.strategic_anchoring, d.local_anchoring, d.reflection, d.experimentation)
            for d in diamonds
        ]

    def test_diamond_growth(self) -> None:
        """The largest growth is three points, in experimentation (002:3326)."""
        change = assessment_report(_trondheim()).idea_diamond_change
        assert ("experimentation",) == (change and change.largest_growth)
        assert [1, 1, 2, 3] == (change and [c.change for c in change.changes])

    def test_considerations(self) -> None:
        """Table 18: 11 ja and 9 tja (002:3340-3360)."""
        considerations = assessment_report(_trondheim()).considerations
        assert (1, 2, 3, 4, 5, 7, 8, 13, 14, 15, 16) == (considerations and considerations.yes)
        assert 9 == (considerations and len(considerations.maybe))
        assert 0 == (considerations and len(considerations.no))

    def test_table_13_flags_four_rows(self) -> None:
        """Table 13's four inconsistent rows are flagged, and no row of table 14."""
        report = check_consistency(_trondheim().assessments.utenfor)
        assert (
            "t13_brundalen",
            "t13_flyktningfamilien",
            "t13_fritid",
            "t13_veien",
        ) == report.flagged

    def test_table_14_helped(self) -> None:
        """Table 14's helped per year is N × 10 % for every case (002:3021)."""
        rows = [
            r
            for r in check_consistency(_trondheim().assessments.utenfor).rows
            if r.case.startswith("t14")
        ]
        assert [Decimal(x) for x in ("6", "5", "7", "3.5", "2", "6")] == [r.expected for r in rows]

    def test_survey_goal_attainment_item(self) -> None:
        """Better goal attainment: 4.4 in 2022, 3.6 in 2023 (002:2040)."""
        before, after = _trondheim().assessments.surveys
        change = survey_deltas(before, after)
        assert Decimal("-0.8") == next(i.change for i in change.items if i.item == "C5")

    def test_systems_change_touches_all_six(self) -> None:
        """All six conditions appear in table 16, so no single-condition warning."""
        coverage = assessment_report(_trondheim()).systems_change
        assert 6 == len(coverage.touched if coverage else ())


@pytest.mark.parametrize("area", ["risk", "goals", "utenfor", "assessment"])
@pytest.mark.parametrize("name", names())
def test_every_example_scores_from_the_command_line(
    area: str, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``samskaping score AREA --example NAME --format json`` exits 0 with schema_version 1."""
    code = main(["score", area, "--example", name, "--format", "json"])
    assert 0 == code
    assert 1 == json.loads(capsys.readouterr().out)["schema_version"]
