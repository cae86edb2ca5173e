"""The risk matrix: a scale read with a band rule and its band set (DOMAIN §7)."""

from __future__ import annotations

from decimal import Decimal
from typing import Final

import attrs

from samskaping._errors import InvalidInputError, Problem
from samskaping.scoring.risk._check import _rule_problems
from samskaping.scoring.risk._config import Band, BandRule, BandSet, RiskConfig, RiskScale
from samskaping.scoring.risk._load import risk_config

__all__ = ["DEFAULT_SCALE", "RiskMatrix", "risk_matrix"]


#: The scale used when neither the caller nor the document names one.
DEFAULT_SCALE: Final = "default_5x5"


@attrs.frozen(kw_only=True)
class RiskMatrix:
    """A scale with the band rule and band set it is read with.

    Build one with :func:`risk_matrix`; the combination is checked on construction.
    """

    scale: RiskScale
    rule: BandRule
    bands: BandSet

    def __attrs_post_init__(self) -> None:
        problems = _rule_problems(
            self.rule, self.bands if self.bands.name == self.rule.band_set else None, "$.rule"
        )
        if self.rule.kind == "cells" and not problems:
            rows, columns = len(self.rule.cells), len(self.rule.cells[0])
            if (rows, columns) != (len(self.scale.probability), len(self.scale.consequence)):
                problems.append(
                    Problem(
                        path="$.rule.cells",
                        message=f"the table is {rows} × {columns} but the scale "
                        f"{self.scale.name!r} is {len(self.scale.probability)} × "
                        f"{len(self.scale.consequence)}",
                    )
                )
        if problems:
            raise InvalidInputError(
                f"the band rule {self.rule.name!r} does not fit: " + "; ".join(map(str, problems)),
                what="rule",
            )

    def rule_value(self, probability: int, consequence: int) -> Decimal:
        """The value the rule thresholds: S × K or S + K of the levels' values."""
        p = self.scale.probability_level(probability).value
        c = self.scale.consequence_level(consequence).value
        return p + c if self.rule.kind == "sum" else p * c

    def score(self, probability: int, consequence: int) -> Decimal:
        """The risk factor S × K of the levels' values.

        >>> risk_matrix().score(4, 3)
        Decimal('12')

        Raises:
            InvalidInputError: If a level is outside the scale.
        """
        return (
            self.scale.probability_level(probability).value
            * self.scale.consequence_level(consequence).value
        )

    def band_for(self, probability: int, consequence: int) -> Band:
        """The band of a probability level and a consequence level.

        >>> m = risk_matrix()
        >>> [m.band_for(1, 4).code, m.band_for(2, 3).code, m.band_for(4, 3).code]
        ['lav', 'moderat', 'alvorlig']
        >>> risk_matrix(rule="prosjektportalen_sum").band_for(3, 3).code
        'orange'

        Raises:
            InvalidInputError: If a level is outside the scale.
        """
        if self.rule.kind == "cells":
            self.scale.probability_level(probability)
            self.scale.consequence_level(consequence)
            return self.bands.resolve(self.rule.cells[probability - 1][consequence - 1])
        value = self.rule_value(probability, consequence)
        for threshold in self.rule.thresholds:
            if threshold.below is None or value < threshold.below:
                return self.bands.resolve(threshold.band)
        return self.bands.resolve(self.rule.thresholds[-1].band)  # pragma: no cover


def risk_matrix(
    scale: str | None = None, rule: str | None = None, *, config: RiskConfig | None = None
) -> RiskMatrix:
    """The matrix of a named scale and rule (the scale's default rule unless given).

    >>> m = risk_matrix()
    >>> (m.scale.name, m.rule.name, m.bands.codes())
    ('default_5x5', 'product_3', ('lav', 'moderat', 'alvorlig'))

    Raises:
        UnknownNameError: If the scale, rule or band set is not known.
        InvalidInputError: If the rule does not fit the scale.
    """
    config = config or risk_config()
    chosen = config.scale(scale or DEFAULT_SCALE)
    band_rule = config.rule(rule or chosen.default_rule)
    return RiskMatrix(scale=chosen, rule=band_rule, bands=config.band_set(band_rule.band_set))
