"""A risk register's profile: counts per band, the top risks, the exposure (DOMAIN §7)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs

from samskaping._errors import InvalidInputError
from samskaping._money import Money, sum_money
from samskaping.model import Risk, RiskStatus, Severity
from samskaping.scoring._common import LocalText, Reason, reason
from samskaping.scoring.risk._matrix import RiskMatrix, risk_matrix
from samskaping.scoring.risk._score import RiskScore, ScoreBasis, score_risks

__all__ = ["BandCount", "RiskProfile", "risk_profile"]


@attrs.frozen(kw_only=True)
class BandCount:
    """How many risks fall in one band."""

    band: str
    label: LocalText
    colour: str
    count: int


@attrs.frozen(kw_only=True)
class RiskProfile:
    """A register's profile: counts per band, the top risks, the total exposure.

    ``counts`` are before mitigation and ``residual_counts`` after (a risk with no
    residual score keeps its band); ``residual_scored`` counts the risks that have a
    residual score, so a reader can tell "after mitigation" from the initial bands
    repeated, and ``matrix_scored`` those with both levels, placed in the matrix.
    ``total_exposure`` sums the risk factors S × K
    of the risks with both levels; ``total_emv`` sums the expected monetary values
    that can be computed (``None`` if none can). ``unscored`` counts risks with
    neither levels nor a grade; ``open`` those not closed.
    """

    scale: str
    rule: str
    total: int
    open: int
    unscored: int
    counts: tuple[BandCount, ...]
    residual_counts: tuple[BandCount, ...]
    residual_scored: int = 0
    matrix_scored: int = 0
    top: tuple[RiskScore, ...]
    total_exposure: Decimal
    residual_exposure: Decimal
    total_emv: Money | None
    reasons: tuple[Reason, ...]


def _counts(matrix: RiskMatrix, bands: Iterable[str | None]) -> tuple[BandCount, ...]:
    tally = dict.fromkeys(matrix.bands.codes(), 0)
    for band in bands:
        if band is not None:
            tally[band] += 1
    return tuple(
        BandCount(band=b.code, label=b.label, colour=b.colour, count=tally[b.code])
        for b in matrix.bands.bands
    )


def _order(matrix: RiskMatrix, score: RiskScore) -> tuple[int, Decimal, str]:
    rank = matrix.bands.rank(score.band) if score.band is not None else -1
    value = score.initial.score if score.initial is not None else Decimal(-1)
    return (-rank, -value, score.id)


def risk_profile(
    risks: Sequence[Risk], matrix: RiskMatrix | None = None, *, top: int = 5, path: str = "$.risks"
) -> RiskProfile:
    """Profile a risk register (*risikoregister*): counts per band, top ``top``, exposure.

    >>> from samskaping.model import Risk
    >>> grades = ["alvorlig", "moderat", "moderat", "alvorlig", "lav", "lav"]
    >>> register = [Risk(id=f"r{i}", title="t", assessed_band=g) for i, g in enumerate(grades, 1)]
    >>> p = risk_profile(register)
    >>> [(c.band, c.count) for c in p.counts]
    [('lav', 2), ('moderat', 2), ('alvorlig', 2)]
    >>> [s.id for s in p.top[:2]]
    ['r1', 'r4']

    Raises:
        InvalidInputError: If ``top`` is negative.
        DocumentError: If a risk has a level outside the scale or an unknown grade.
    """
    if top < 0:
        raise InvalidInputError("expected top of at least 0", what="top")
    matrix = matrix or risk_matrix()
    scores = score_risks(risks, matrix, path=path)
    total_emv_parts = [s.emv for s in scores if s.emv is not None]
    unscored = sum(1 for s in scores if s.basis == ScoreBasis.NONE)
    reasons: list[Reason] = [reason("risk.profile", total=len(scores))]
    if unscored:
        reasons.append(reason("risk.profile_unscored", Severity.WARNING, count=unscored))
    graded = sum(1 for s in scores if s.basis == ScoreBasis.ASSESSED)
    if graded:
        reasons.append(reason("risk.profile_graded_only", count=graded))
    return RiskProfile(
        scale=matrix.scale.name,
        rule=matrix.rule.name,
        total=len(scores),
        open=sum(1 for s in scores if s.status != RiskStatus.CLOSED),
        unscored=unscored,
        counts=_counts(matrix, (s.band for s in scores)),
        residual_counts=_counts(matrix, (s.current_band for s in scores)),
        residual_scored=sum(1 for s in scores if s.residual is not None),
        matrix_scored=sum(1 for s in scores if s.initial is not None),
        top=tuple(
            sorted((s for s in scores if s.band is not None), key=lambda s: _order(matrix, s))[:top]
        ),
        total_exposure=sum((s.initial.score for s in scores if s.initial is not None), Decimal(0)),
        residual_exposure=sum(
            (
                (s.residual or s.initial).score  # type: ignore[union-attr]
                for s in scores
                if (s.residual or s.initial) is not None
            ),
            Decimal(0),
        ),
        total_emv=sum_money(total_emv_parts) if total_emv_parts else None,
        reasons=tuple(reasons),
    )
