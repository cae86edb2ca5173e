"""Co-creation assessments: idea diamond, considerations, KS keys, systems change, Torfing.

Also participation levels on the IAP2 spectrum and Arnstein's ladder.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from samskaping import DocumentError, InvalidInputError
from samskaping import model as m
from samskaping.l10n import enum_label
from samskaping.scoring import (
    TorfingOutcome,
    arnstein_for_iap2,
    assessment_data,
    compare_idea_diamonds,
    participation_profile,
    score_considerations,
    score_idea_diamond,
    systems_change_coverage,
    tally_ks_keys,
    torfing_test,
)
from test_scoring_sources import TABLE_18_YES, diamond_end, diamond_start, table_18


class TestIdeaDiamond:
    """Trondheim's diamond grew from 3, 3, 2, 2 to 4, 4, 4, 5 (002:3285-3324)."""

    def test_start_area(self) -> None:
        """The start diamond's area is ½ (3 + 3)(2 + 2) = 12, 24 % of the largest."""
        score = score_idea_diamond(diamond_start())
        assert Decimal(12) == score.area
        assert Decimal(24) == score.area_percent

    def test_end_area(self) -> None:
        """The end diamond's area is ½ (4 + 4)(4 + 5) = 36, 72 % of the largest."""
        score = score_idea_diamond(diamond_end())
        assert Decimal(36) == score.area
        assert Decimal(72) == score.area_percent

    def test_balance(self) -> None:
        """Balance is lowest over highest: 2/3 at the start, 4/5 at the end."""
        assert Decimal("0.67") == score_idea_diamond(diamond_start()).balance
        assert Decimal("0.80") == score_idea_diamond(diamond_end()).balance

    def test_change_per_dimension(self) -> None:
        """The changes are +1, +1, +2, +3 (002:3293-3320)."""
        assert [1, 1, 2, 3] == [
            c.change for c in compare_idea_diamonds(diamond_start(), diamond_end()).changes
        ]

    def test_largest_growth_is_experimentation(self) -> None:
        """The largest growth is in experimentation, three points (002:3326)."""
        assert ("experimentation",) == compare_idea_diamonds(
            diamond_start(), diamond_end()
        ).largest_growth

    def test_weakest_at_start(self) -> None:
        """At the start, reflection and experimentation trailed the anchoring (002:3328)."""
        assert ("reflection", "experimentation") == score_idea_diamond(diamond_start()).weakest

    def test_level_below_one_is_refused(self) -> None:
        """A dimension scored 0 is refused by the model."""
        with pytest.raises(InvalidInputError):
            m.IdeaDiamond(strategic_anchoring=0, local_anchoring=1, reflection=1, experimentation=1)

    def test_level_outside_scale_is_refused(self) -> None:
        """A dimension scored 6 lies outside the data's 1-5 scale: scoring refuses it."""
        diamond = m.IdeaDiamond(
            strategic_anchoring=6, local_anchoring=1, reflection=1, experimentation=1
        )
        with pytest.raises(DocumentError):
            score_idea_diamond(diamond)


class TestConsiderations:
    """The 20 considerations and Trondheim's table 18."""

    def test_twenty_items_with_sources(self) -> None:
        """Twenty considerations, each citing its line in table 18."""
        items = assessment_data().considerations.items
        assert 20 == len(items)
        assert all((i.source or "").startswith("002:33") for i in items)

    def test_trondheim_eleven_yes_nine_maybe(self) -> None:
        """Table 18: 11 ja, 9 tja, 0 nei."""
        score = score_considerations(table_18())
        assert 11 == len(score.yes)
        assert 9 == len(score.maybe)
        assert 0 == len(score.no)

    def test_trondheim_yes_items(self) -> None:
        """The yes items are 1-5, 7, 8 and 13-16."""
        assert tuple(sorted(TABLE_18_YES)) == score_considerations(table_18()).yes

    def test_middle_answer_is_tja(self) -> None:
        """The middle answer's Bokmål label is "tja", as in the source (002:3340)."""
        assert "tja" == enum_label(m.ConsiderationResponse.MAYBE, "nb")

    def test_implementation_theme_is_all_maybe(self) -> None:
        """All four implementation considerations (9-12) are tja."""
        theme = next(
            t for t in score_considerations(table_18()).themes if t.theme == "implementation"
        )
        assert 0 == theme.yes
        assert 4 == theme.maybe
        assert 0 == theme.no

    def test_unanswered_are_listed(self) -> None:
        """Considerations not answered are listed and warned about."""
        score = score_considerations(table_18()[:18])
        assert (19, 20) == score.unanswered
        assert "warning" == score.reasons[-1].severity.value

    def test_answered_twice_is_refused(self) -> None:
        """Answering one consideration twice is refused with the path."""
        answers = [*table_18(), m.ConsiderationAnswer(number=3, answer=m.ConsiderationResponse.NO)]
        with pytest.raises(DocumentError) as info:
            score_considerations(answers)
        assert ["$.assessments.considerations[20].number"] == [p.path for p in info.value.problems]

    def test_number_outside_range_is_refused(self) -> None:
        """Consideration 21 does not exist."""
        with pytest.raises(InvalidInputError):
            m.ConsiderationAnswer(number=21, answer=m.ConsiderationResponse.YES)


class TestKsKeys:
    """KS's 18 keys and the seminar's top 5 (003)."""

    def test_eighteen_keys(self) -> None:
        """There are 18 keys, each with its line in 003."""
        keys = assessment_data().ks_keys.keys
        assert [*range(1, 19)] == [k.number for k in keys]
        assert all((k.source or "").startswith("003:") for k in keys)

    def test_danish_keys_keep_the_original(self) -> None:
        """Keys 16-18, and only they, keep the Danish source text next to the translation."""
        keys = assessment_data().ks_keys.keys
        assert [16, 17, 18] == [k.number for k in keys if k.source_text]

    def test_seminar_top_five(self) -> None:
        """The participants ranked keys 1, 2, 3, 4 and 9 highest (003:95-101)."""
        assert (1, 2, 3, 4, 9) == tally_ks_keys().top

    def test_seminar_order_is_unknown(self) -> None:
        """The source gives no order within the five, and the tally says so."""
        tally = tally_ks_keys()
        assert not tally.order_known
        assert "assessments.ks_no_order" == tally.reasons[-1].code

    def test_ordered_rankings_give_points(self) -> None:
        """Ordered rankings give 5 points for a first place down to 1."""
        tally = tally_ks_keys([m.KeysRanking(keys=(9, 1, 2, 3, 4), ordered=True)])
        assert [5, 4, 3, 2, 1] == [tally.keys[k - 1].points for k in (9, 1, 2, 3, 4)]
        assert tally.order_known

    def test_more_than_five_is_refused(self) -> None:
        """A ranking of six keys is refused."""
        with pytest.raises(InvalidInputError, match="at most 5"):
            m.KeysRanking(keys=(1, 2, 3, 4, 5, 6))

    def test_key_outside_range_is_refused(self) -> None:
        """Key 19 does not exist."""
        with pytest.raises(InvalidInputError, match="from 1 to 18"):
            m.KeysRanking(keys=(19,))


class TestSystemsChange:
    """The six conditions of systems change (002:3062-3100)."""

    def test_six_conditions_at_three_levels(self) -> None:
        """Three structural, two relational, one transformative condition."""
        levels = [c.level for c in assessment_data().systems_change.conditions]
        assert 3 == levels.count("structural")
        assert 2 == levels.count("relational")
        assert 1 == levels.count("transformative")

    def test_one_condition_warns(self) -> None:
        """Touching only one condition is a warning (002:3100)."""
        coverage = systems_change_coverage(
            m.SystemsChangeAssessment(touched=(m.SystemsCondition.POLICIES,))
        )
        assert [("assessments.systems_single", "warning")] == [
            (r.code, r.severity.value) for r in coverage.reasons
        ]

    def test_none_touched_warns(self) -> None:
        """Touching none is a warning too."""
        coverage = systems_change_coverage(m.SystemsChangeAssessment())
        assert "warning" == coverage.reasons[0].severity.value

    def test_all_six(self) -> None:
        """Touching all six covers all three levels and warns of nothing."""
        coverage = systems_change_coverage(
            m.SystemsChangeAssessment(touched=tuple(m.SystemsCondition))
        )
        assert 3 == len(coverage.levels_touched)
        assert [] == [r for r in coverage.reasons if r.severity.value == "warning"]

    def test_two_at_one_level(self) -> None:
        """Two structural conditions are noted as one level only."""
        touched = (m.SystemsCondition.POLICIES, m.SystemsCondition.PRACTICES)
        coverage = systems_change_coverage(m.SystemsChangeAssessment(touched=touched))
        assert "assessments.systems_one_level" == coverage.reasons[-1].code


class TestParticipation:
    """IAP2 spectrum and Arnstein's ladder."""

    def _project(self, **assessments: Any) -> m.Project:
        return m.Project(
            id="p",
            name="p",
            involvement_activities=(
                m.InvolvementActivity(
                    id="gjestebud",
                    method=m.InvolvementMethod.GJESTEBUD,
                    participation_level=m.ParticipationLevel.INVOLVE,
                ),
                m.InvolvementActivity(id="veikart", method=m.InvolvementMethod.ROAD_MAP_WORKSHOP),
            ),
            assessments=m.Assessments(**assessments),
        )

    def test_five_iap2_and_eight_rungs(self) -> None:
        """IAP2 has five levels and Arnstein's ladder eight rungs."""
        data = assessment_data().participation
        assert 5 == len(data.iap2)
        assert 8 == len(data.arnstein)

    def test_highest_level(self) -> None:
        """A rating can raise an activity above another's level."""
        rating = m.ParticipationRating(
            activity="veikart",
            iap2=m.ParticipationLevel.COLLABORATE,
            arnstein=m.ArnsteinRung.PARTNERSHIP,
        )
        profile = participation_profile(self._project(participation=(rating,)))
        assert m.ParticipationLevel.COLLABORATE == profile.highest_iap2
        assert "citizen_power" == profile.activities[1].arnstein_group

    def test_unrated_activity_is_counted(self) -> None:
        """An activity with no level is counted as unrated."""
        profile = participation_profile(self._project())
        assert "assessments.participation_unrated" == profile.reasons[-1].code

    def test_rating_of_unknown_activity_is_refused(self) -> None:
        """A rating naming an activity the project lacks is refused with its path."""
        rating = m.ParticipationRating(activity="nowhere", iap2=m.ParticipationLevel.INFORM)
        with pytest.raises(DocumentError) as info:
            participation_profile(self._project(participation=(rating,)))
        assert ["$.assessments.participation[0].activity"] == [p.path for p in info.value.problems]

    def test_empower_matches_citizen_power(self) -> None:
        """Empower corresponds to delegated power and citizen control."""
        assert (
            m.ArnsteinRung.DELEGATED_POWER,
            m.ArnsteinRung.CITIZEN_CONTROL,
        ) == arnstein_for_iap2(m.ParticipationLevel.EMPOWER)


class TestTorfing:
    """Torfing's test of what is not co-creation (004:15-19)."""

    def test_three_signs(self) -> None:
        """The test has the three signs of 004:17-19."""
        assert ["004:17", "004:18", "004:19"] == [
            c.source for c in assessment_data().torfing.criteria
        ]

    def test_one_sign_fails(self) -> None:
        """Involving citizens in a pre-programmed process is not co-creation."""
        result = torfing_test(
            m.TorfingTest(preprogrammed_process=True, nearly_finished_solutions=False)
        )
        assert TorfingOutcome.NOT_CO_CREATION == result.outcome
        assert ("preprogrammed_process",) == result.failed

    def test_all_no_passes(self) -> None:
        """Three noes pass."""
        test = m.TorfingTest(
            nearly_finished_solutions=False,
            preprogrammed_process=False,
            offloading_to_save_money=False,
        )
        assert TorfingOutcome.PASSES == torfing_test(test).outcome

    def test_unanswered_is_incomplete(self) -> None:
        """With a question unanswered and no sign found, the test is incomplete."""
        assert (
            TorfingOutcome.INCOMPLETE
            == torfing_test(m.TorfingTest(nearly_finished_solutions=False)).outcome
        )

    def test_reason_text(self) -> None:
        """The reason reads as a sentence with the sign."""
        text = torfing_test(m.TorfingTest(nearly_finished_solutions=True)).reasons[0].text("en")
        assert (
            "A sign that it is not co-creation: the municipality sends nearly finished "
            "solutions to consultation." == text
        )
