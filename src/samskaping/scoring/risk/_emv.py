"""The expected monetary value of a risk: P × I in NOK (PMBOK; DOMAIN §7)."""

from __future__ import annotations

from decimal import Decimal

from samskaping._errors import InvalidInputError
from samskaping._money import Money
from samskaping.model import Risk, RiskKind
from samskaping.scoring.risk._matrix import RiskMatrix, risk_matrix

__all__ = ["emv", "expected_monetary_value"]


def emv(probability: Decimal, impact: Money, kind: RiskKind = RiskKind.THREAT) -> Money:
    """The expected monetary value P × I in NOK: negative for a threat, positive for an opportunity.

    >>> emv(Decimal("0.3"), Money("200000"))
    Money('-60000.00')
    >>> emv(Decimal("0.5"), Money("10000"), RiskKind.OPPORTUNITY)
    Money('5000.00')

    Raises:
        InvalidInputError: If the probability is not from 0 to 1 or the impact is negative.
    """
    if not Decimal(0) <= probability <= Decimal(1):
        raise InvalidInputError(
            f"expected a probability from 0 to 1, got {probability}", what="probability"
        )
    if impact.is_negative():
        raise InvalidInputError("expected an impact that is not negative", what="impact")
    value = impact * probability
    return -value if kind == RiskKind.THREAT else value


def _emv(risk: Risk, matrix: RiskMatrix, *, residual: bool) -> Money | None:
    level = risk.residual_probability if residual else risk.probability
    if risk.impact is None or level is None or not 1 <= level <= len(matrix.scale.probability):
        return None
    probability = matrix.scale.probability_level(level).probability
    if probability is None:
        return None
    return emv(probability, risk.impact, risk.kind)


def expected_monetary_value(
    risk: Risk, matrix: RiskMatrix | None = None, *, residual: bool = False
) -> Money | None:
    """A risk's expected monetary value, or ``None`` when it cannot be computed.

    It needs an ``impact`` in NOK and a probability level whose scale gives a
    probability (the PMBOK scale does; the default 5 × 5 does not).

    >>> from samskaping.model import Risk
    >>> r = Risk(id="r1", title="x", probability=2, consequence=3, impact=Money("100000"))
    >>> expected_monetary_value(r, risk_matrix("pmbok"))
    Money('-30000.00')
    >>> expected_monetary_value(r) is None
    True

    Raises:
        InvalidInputError: If the probability level lies outside the scale.
    """
    matrix = matrix or risk_matrix()
    level = risk.residual_probability if residual else risk.probability
    if level is not None:
        matrix.scale.probability_level(level)
    return _emv(risk, matrix, residual=residual)
