"""Risk scoring: scales, band rules, scores before and after mitigation, EMV, profiles."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samskaping import DocumentError, InvalidInputError, Money, UnknownNameError
from samskaping import model as m
from samskaping.scoring import (
    BandRule,
    LocalText,
    RiskConfig,
    RiskMatrix,
    ScoreBasis,
    compare_registers,
    emv,
    expected_monetary_value,
    read_risk_config,
    register_as_of,
    register_change,
    risk_config,
    risk_matrix,
    risk_profile,
    score_risk,
    score_risks,
)
from strategies import band_rules_for, risk_matrices
from test_scoring_sources import stovner_risks

#: A title line in every language, for config snippets.
X = 'title = { nb = "x", nn = "x", en = "x" }'


def _toml(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def _risk(**fields: Any) -> m.Risk:
    return m.Risk(id=fields.pop("id", "r1"), title="t", **fields)


class TestScales:
    """The built-in scales carry the level names of DOMAIN §7."""

    def test_default_probability_names(self) -> None:
        """The default probability levels are meget liten … svært stor."""
        scale = risk_config().scale("default_5x5")
        assert ["meget liten", "liten", "moderat", "stor", "svært stor"] == [
            level.label.nb for level in scale.probability
        ]

    def test_default_consequence_names(self) -> None:
        """The default consequence levels are ubetydelig … svært alvorlig."""
        scale = risk_config().scale("default_5x5")
        assert ["ubetydelig", "lav", "moderat", "alvorlig", "svært alvorlig"] == [
            level.label.nb for level in scale.consequence
        ]

    def test_pmbok_probabilities(self) -> None:
        """PMBOK probability is 0.1 / 0.3 / 0.5 / 0.7 / 0.9."""
        scale = risk_config().scale("pmbok")
        assert [Decimal(x) for x in ("0.1", "0.3", "0.5", "0.7", "0.9")] == [
            level.value for level in scale.probability
        ]

    def test_pmbok_impacts(self) -> None:
        """PMBOK impact is 0.05 / 0.10 / 0.20 / 0.40 / 0.80."""
        scale = risk_config().scale("pmbok")
        assert [Decimal(x) for x in ("0.05", "0.10", "0.20", "0.40", "0.80")] == [
            level.value for level in scale.consequence
        ]

    def test_dsb_yearly_categories(self) -> None:
        """DSB's categories bound the yearly probability at 0.1 %, 1 %, 2 % and 10 %."""
        scale = risk_config().scale("dsb_2014")
        assert [Decimal(x) for x in ("0.001", "0.01", "0.02", "0.1", "1")] == [
            level.yearly_max for level in scale.probability
        ]

    def test_three_band_naming(self) -> None:
        """The default band set is Stovner's lav / moderat / alvorlig."""
        assert ("lav", "moderat", "alvorlig") == risk_matrix().bands.codes()

    def test_hoy_is_an_alias_of_alvorlig(self) -> None:
        """Stovner's "høy" (000:463) reads as the top band, alvorlig."""
        assert "alvorlig" == risk_matrix().bands.resolve("høy").code

    def test_unknown_scale_is_an_error(self) -> None:
        """Asking for a scale that does not exist raises UnknownNameError."""
        with pytest.raises(UnknownNameError, match="risk scale"):
            risk_matrix("seven_by_seven")


class TestBandRules:
    """The three kinds of band rule give the documented bands."""

    @pytest.mark.parametrize(
        ("probability", "consequence", "band"),
        [
            (2, 2, "green"),
            (1, 4, "yellow"),
            (3, 3, "orange"),
            (2, 5, "orange"),
            (4, 4, "red"),
            (5, 3, "red"),
        ],
    )
    def test_prosjektportalen_sum_edges(
        self, probability: int, consequence: int, band: str
    ) -> None:
        """S + K: ≤4 green, 5 yellow, 6-7 orange, ≥8 red (DOMAIN §7)."""
        assert (
            band == risk_matrix(rule="prosjektportalen_sum").band_for(probability, consequence).code
        )

    @pytest.mark.parametrize(
        ("probability", "consequence", "band"),
        [
            (2, 2, "lav"),
            (1, 5, "moderat"),
            (2, 5, "moderat"),
            (3, 4, "alvorlig"),
            (5, 5, "alvorlig"),
        ],
    )
    def test_product_edges(self, probability: int, consequence: int, band: str) -> None:
        """S × K: 1-4 lav, 5-10 moderat, 12-25 alvorlig."""
        assert band == risk_matrix().band_for(probability, consequence).code

    def test_pmbok_product_of_values(self) -> None:
        """PMBOK 0.9 × 0.20 = 0.18 is high; 0.9 × 0.05 = 0.045 is low."""
        matrix = risk_matrix("pmbok")
        assert "alvorlig" == matrix.band_for(5, 3).code
        assert "lav" == matrix.band_for(5, 1).code

    def test_cell_table_reads_its_cell(self) -> None:
        """An explicit table gives the band written in the cell."""
        assert "lav" == risk_matrix(rule="cell_table_5x5").band_for(5, 1).code

    def test_cell_table_must_fit_the_scale(self) -> None:
        """A 5 × 5 table with a 3 × 3 scale is an error."""
        config = risk_config()
        scale = attrs.evolve(
            config.scale("default_5x5"),
            probability=config.scale("default_5x5").probability[:3],
            consequence=config.scale("default_5x5").consequence[:3],
        )
        with pytest.raises(InvalidInputError, match="does not fit"):
            RiskMatrix(
                scale=scale,
                rule=config.rule("cell_table_5x5"),
                bands=config.band_set("lav_moderat_alvorlig"),
            )

    def test_level_outside_scale_is_an_error(self) -> None:
        """Level 6 on a 1-5 scale raises InvalidInputError naming the axis."""
        with pytest.raises(InvalidInputError, match="probability level 6"):
            risk_matrix().band_for(6, 1)

    @given(risk_matrices(), st.data())
    @settings(max_examples=150)
    def test_bands_rise_with_probability(self, matrix: RiskMatrix, data: st.DataObject) -> None:
        """For every rule, raising the probability never lowers the band."""
        p = data.draw(st.integers(1, len(matrix.scale.probability) - 1))
        c = data.draw(st.integers(1, len(matrix.scale.consequence)))
        rank = matrix.bands.rank
        assert rank(matrix.band_for(p, c).code) <= rank(matrix.band_for(p + 1, c).code)

    @given(risk_matrices(), st.data())
    @settings(max_examples=150)
    def test_bands_rise_with_consequence(self, matrix: RiskMatrix, data: st.DataObject) -> None:
        """For every rule, raising the consequence never lowers the band."""
        p = data.draw(st.integers(1, len(matrix.scale.probability)))
        c = data.draw(st.integers(1, len(matrix.scale.consequence) - 1))
        rank = matrix.bands.rank
        assert rank(matrix.band_for(p, c).code) <= rank(matrix.band_for(p, c + 1).code)

    @given(band_rules_for(5, 5))
    @settings(max_examples=100)
    def test_any_accepted_cell_table_is_monotone(self, cells: list[list[str]]) -> None:
        """A cell table is either refused or monotone in both directions."""
        text = _cells_config(cells)
        try:
            config = read_risk_config(text)
        except DocumentError:
            return
        matrix = risk_matrix(rule="mine", config=config)
        ranks = [
            [matrix.bands.rank(matrix.band_for(p, c).code) for c in range(1, 6)]
            for p in range(1, 6)
        ]
        rising = all(row == sorted(row) for row in ranks) and all(
            list(col) == sorted(col) for col in zip(*ranks, strict=True)
        )
        assert rising


def _cells_config(cells: list[list[str]]) -> str:
    rows = ",\n".join("  [" + ", ".join(f'"{c}"' for c in row) + "]" for row in cells)
    return (
        '[[rules]]\nname = "mine"\ntitle = { nb = "x", nn = "x", en = "x" }\nkind = "cells"\n'
        f'band_set = "lav_moderat_alvorlig"\ncells = [\n{rows}\n]\n'
    )


BUILTIN_MATRICES = [
    (scale.name, rule.name)
    for scale in risk_config().scales
    for rule in risk_config().rules
    if rule.kind != "cells" or len(scale.probability) == len(rule.cells)
]


class TestBuiltinRulesAreMonotone:
    """Every built-in scale with every rule that fits it never lowers a band upwards."""

    @pytest.mark.parametrize(("scale", "rule"), BUILTIN_MATRICES)
    def test_whole_grid(self, scale: str, rule: str) -> None:
        """Across the whole grid, a step up in S or K never gives a lower band."""
        matrix = risk_matrix(scale, rule)
        rank = {code: i for i, code in enumerate(matrix.bands.codes())}
        size_p, size_c = len(matrix.scale.probability), len(matrix.scale.consequence)
        grid = [
            [rank[matrix.band_for(p, c).code] for c in range(1, size_c + 1)]
            for p in range(1, size_p + 1)
        ]
        falls = [
            (p, c)
            for p in range(size_p)
            for c in range(size_c)
            if (p and grid[p][c] < grid[p - 1][c]) or (c and grid[p][c] < grid[p][c - 1])
        ]
        assert [] == falls


class TestConfigErrors:
    """Malformed scales and rules are refused with their paths."""

    def test_empty_scale_is_refused(self) -> None:
        """A scale with no probability levels is an error at its path."""
        text = _toml(
            "[[scales]]",
            'name = "empty"',
            X,
            'default_rule = "product_3"',
            "probability = []",
            "[[scales.consequence]]",
            "level = 1",
            "value = 1",
            f"label = {X[8:]}",
        )
        with pytest.raises(DocumentError) as info:
            read_risk_config(text)
        assert ["$.scales[0].probability"] == [p.path for p in info.value.problems]

    def test_threshold_with_unknown_band_is_refused(self) -> None:
        """A threshold naming a band the set lacks is an error at its path."""
        text = _toml(
            "[[rules]]",
            'name = "bad"',
            X,
            'kind = "sum"',
            'band_set = "lav_moderat_alvorlig"',
            'thresholds = [{ band = "lav", below = 5 }, { band = "rød" }]',
        )
        with pytest.raises(DocumentError) as info:
            read_risk_config(text)
        assert ["$.rules[4].thresholds[1].band"] == [p.path for p in info.value.problems]

    def test_falling_cell_table_is_refused(self) -> None:
        """A table whose band falls as probability rises is refused."""
        cells = [["lav"] * 5] * 5
        cells = [["alvorlig"] * 5, *cells[1:]]
        with pytest.raises(DocumentError, match="falls as probability rises"):
            read_risk_config(_cells_config(cells))

    def test_levels_must_rise(self) -> None:
        """Level values that do not rise are refused."""
        levels = [
            line
            for axis in ("probability", "consequence")
            for n in (1, 2)
            for line in (f"[[scales.{axis}]]", f"level = {n}", "value = 1", f"label = {X[8:]}")
        ]
        text = _toml("[[scales]]", 'name = "flat"', X, 'default_rule = "product_3"', *levels)
        with pytest.raises(DocumentError, match="rise with the level"):
            read_risk_config(text)


class TestScoreRisk:
    """One risk scored before and after mitigation."""

    def test_computed_score(self) -> None:
        """S 4 × K 3 = 12 is alvorlig on the default matrix."""
        score = score_risk(_risk(probability=4, consequence=3))
        assert Decimal(12) == (score.initial and score.initial.score)
        assert "alvorlig" == score.band
        assert ScoreBasis.COMPUTED == score.basis

    def test_residual_lowers_current_band(self) -> None:
        """After mitigation to 2 × 3 the current band is moderat."""
        score = score_risk(
            _risk(probability=4, consequence=3, residual_probability=2, residual_consequence=3)
        )
        assert "moderat" == score.current_band

    def test_residual_above_initial_warns(self) -> None:
        """A residual score above the initial one is a warning."""
        score = score_risk(
            _risk(probability=2, consequence=2, residual_probability=3, residual_consequence=3)
        )
        assert ["risk.residual_above_initial"] == [
            r.code for r in score.reasons if r.severity == "warning"
        ]

    def test_register_fields_are_kept(self) -> None:
        """The risk's strategy, status and proximity come through unchanged."""
        score = score_risk(
            _risk(
                strategy=m.RiskStrategy.REDUCE,
                status=m.RiskStatus.MONITORED,
                proximity=m.RiskProximity.WITHIN_PHASE,
            )
        )
        assert m.RiskStrategy.REDUCE == score.strategy
        assert m.RiskStatus.MONITORED == score.status
        assert m.RiskProximity.WITHIN_PHASE == score.proximity

    def test_graded_only_uses_the_grade(self) -> None:
        """A risk with only a grade is scored from the grade, with no S or K."""
        score = score_risk(_risk(assessed_band="moderat"))
        assert score.initial is None
        assert "moderat" == score.band
        assert ScoreBasis.ASSESSED == score.basis

    def test_grade_differing_from_computed_warns(self) -> None:
        """A recorded grade unlike the computed band is a warning."""
        score = score_risk(_risk(probability=1, consequence=1, assessed_band="alvorlig"))
        assert "risk.assessed_differs" in [r.code for r in score.reasons]

    def test_unknown_grade_is_an_error(self) -> None:
        """A grade the band set does not know raises InvalidInputError on assessed_band."""
        with pytest.raises(InvalidInputError) as info:
            score_risk(_risk(assessed_band="kritisk"))
        assert "assessed_band" == info.value.what

    def test_register_lists_every_bad_risk(self) -> None:
        """A register with two bad risks reports both paths."""
        risks = [_risk(id="a", probability=9, consequence=1), _risk(id="b", assessed_band="x")]
        with pytest.raises(DocumentError) as info:
            score_risks(risks)
        assert ["$.risks[0].probability", "$.risks[1].assessed_band"] == [
            p.path for p in info.value.problems
        ]

    def test_half_recorded_levels_warn(self) -> None:
        """A probability without a consequence is a warning, and the risk is unscored."""
        score = score_risk(_risk(probability=3))
        assert "risk.incomplete" == score.reasons[0].code
        assert ScoreBasis.NONE == score.basis


class TestStovnerRisks:
    """Stovner's six graded risks under the 3-band naming (000:462-518)."""

    def test_four_high_or_moderate_two_low(self) -> None:
        """The profile counts 2 lav, 2 moderat and 2 alvorlig."""
        profile = risk_profile(stovner_risks())
        assert [("lav", 2), ("moderat", 2), ("alvorlig", 2)] == [
            (c.band, c.count) for c in profile.counts
        ]

    def test_no_numbers_are_invented(self) -> None:
        """None of Stovner's risks gets a probability, a consequence or a score."""
        scores = score_risks(stovner_risks())
        assert all(s.initial is None and s.basis == ScoreBasis.ASSESSED for s in scores)

    def test_top_risks_are_the_alvorlig_ones(self) -> None:
        """The two alvorlig risks head the top list."""
        assert ("r3", "r4") == tuple(s.id for s in risk_profile(stovner_risks(), top=2).top)


class TestExpectedMonetaryValue:
    """EMV in NOK: threats negative, opportunities positive."""

    def test_threat_is_negative(self) -> None:
        """A threat with P 0.3 and impact 200 000 has EMV −60 000."""
        assert Money("-60000") == emv(Decimal("0.3"), Money("200000"))

    def test_opportunity_is_positive(self) -> None:
        """An opportunity with P 0.5 and impact 10 000 has EMV +5 000."""
        assert Money("5000") == emv(Decimal("0.5"), Money("10000"), m.RiskKind.OPPORTUNITY)

    def test_from_pmbok_level(self) -> None:
        """A PMBOK probability level 2 (0.3) with 100 000 at stake gives −30 000."""
        risk = _risk(probability=2, consequence=3, impact=Money("100000"))
        assert Money("-30000") == expected_monetary_value(risk, risk_matrix("pmbok"))

    def test_default_scale_has_no_probability(self) -> None:
        """The default 5 × 5 has no probabilities, so EMV is None."""
        assert (
            expected_monetary_value(_risk(probability=2, consequence=3, impact=Money("1"))) is None
        )

    def test_probability_above_one_is_refused(self) -> None:
        """A probability above 1 raises InvalidInputError."""
        with pytest.raises(InvalidInputError):
            emv(Decimal("1.5"), Money("1"))

    def test_profile_sums_emv(self) -> None:
        """The profile's total EMV is the exact sum of the risks' EMVs."""
        risks = [
            _risk(id="a", probability=1, consequence=1, impact=Money("1000.01")),
            _risk(
                id="b", probability=5, consequence=1, impact=Money("3"), kind=m.RiskKind.OPPORTUNITY
            ),
        ]
        assert Money("-97.30") == risk_profile(risks, risk_matrix("pmbok")).total_emv


class TestProfileAndChange:
    """Counts per band, exposure, and change between dates."""

    def test_exposure_sums_risk_factors(self) -> None:
        """Total exposure is the sum of S × K."""
        risks = [
            _risk(id="a", probability=2, consequence=2),
            _risk(id="b", probability=3, consequence=5),
        ]
        assert Decimal(19) == risk_profile(risks).total_exposure

    def test_residual_counts(self) -> None:
        """After mitigation a risk counts in its residual band."""
        risks = [
            _risk(probability=5, consequence=5, residual_probability=1, residual_consequence=1)
        ]
        assert [0, 0, 1] == [c.count for c in risk_profile(risks).counts]
        assert [1, 0, 0] == [c.count for c in risk_profile(risks).residual_counts]

    def test_negative_top_is_refused(self) -> None:
        """Top below 0 raises InvalidInputError."""
        with pytest.raises(InvalidInputError):
            risk_profile([], top=-1)

    def test_register_as_of_keeps_undated(self) -> None:
        """A risk with no identified date belongs to every snapshot."""
        risks = [_risk(id="a"), _risk(id="b", identified=datetime.date(2023, 1, 1))]
        assert ("a",) == tuple(r.id for r in register_as_of(risks, datetime.date(2022, 1, 1)))

    def test_change_between_dates(self) -> None:
        """A risk identified between the dates is added and counted in its band."""
        risks = [
            _risk(id="a", assessed_band="lav", identified=datetime.date(2021, 5, 1)),
            _risk(id="b", assessed_band="alvorlig", identified=datetime.date(2023, 1, 1)),
        ]
        change = register_change(risks, datetime.date(2022, 1, 1), datetime.date(2024, 1, 1))
        assert ("b",) == change.added
        assert [0, 0, 1] == [d.change for d in change.counts]

    def test_moves_between_snapshots(self) -> None:
        """A risk re-assessed lower is listed as moved, with the exposure change."""
        change = compare_registers(
            [_risk(id="a", probability=4, consequence=4)],
            [_risk(id="a", probability=2, consequence=2)],
        )
        assert [("a", "alvorlig", "lav")] == [(x.id, x.before, x.after) for x in change.moved]
        assert Decimal(-12) == change.exposure_change

    def test_end_before_start_is_refused(self) -> None:
        """register_change with the end before the start raises InvalidInputError."""
        with pytest.raises(InvalidInputError):
            register_change([], datetime.date(2024, 1, 1), datetime.date(2023, 1, 1))


class TestOwnConfig:
    """Municipalities read their own scales and rules."""

    def test_own_rule_replaces_builtin_by_name(self) -> None:
        """A rule named like a built-in one replaces it."""
        text = _toml(
            "[[rules]]",
            'name = "product_3"',
            X,
            'kind = "product"',
            'band_set = "lav_moderat_alvorlig"',
            'thresholds = [{ band = "lav", below = 2 }, { band = "alvorlig" }]',
        )
        config = read_risk_config(text)
        assert "alvorlig" == risk_matrix(config=config).band_for(1, 2).code

    def test_config_merges_keep_order(self) -> None:
        """Merging keeps built-ins not replaced and adds new ones after them."""
        rule = BandRule(
            name="extra",
            title=LocalText(nb="x", nn="x", en="x"),
            kind="sum",
            band_set="fire_farger",
        )
        merged = risk_config().merged(RiskConfig(rules=(rule,)))
        assert "extra" == merged.rules[-1].name
