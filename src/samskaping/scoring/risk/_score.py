"""Scoring single risks before and after mitigation (DOMAIN §7).

A risk that records only a grade, as Stovner's six risks do (000:462-518: two
*alvorlig*, two *moderat*, two *lav*, and no probability or consequence), is scored
from that grade (``assessed_band``) when the band set knows the word; no S or K is
invented for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum, unique

import attrs

from samskaping._errors import DocumentError, InvalidInputError, Problem
from samskaping._money import Money
from samskaping.model import Risk, RiskKind, RiskProximity, RiskStatus, RiskStrategy, Severity
from samskaping.scoring._common import Reason, reason
from samskaping.scoring.risk._emv import _emv
from samskaping.scoring.risk._matrix import RiskMatrix, risk_matrix

__all__ = ["CellScore", "RiskScore", "ScoreBasis", "score_risk", "score_risks"]


@unique
class ScoreBasis(StrEnum):
    """Where a risk's band comes from: computed from S and K, the recorded grade, or nothing."""

    COMPUTED = "computed"
    ASSESSED = "assessed"
    NONE = "none"


@attrs.frozen(kw_only=True)
class CellScore:
    """A risk's place in the matrix: its levels, its risk factor S × K and its band."""

    probability: int
    consequence: int
    score: Decimal
    band: str


@attrs.frozen(kw_only=True)
class RiskScore:
    """The score of one risk before (``initial``) and after mitigation (``residual``).

    ``band`` is the band before mitigation: computed from S and K when both are
    recorded, else the recorded grade (``assessed_band``, resolved to a band code);
    ``basis`` says which. ``current_band`` is the band after mitigation where a
    residual score exists, else ``band``. ``strategy`` (the response chosen),
    ``status`` and ``proximity`` are the register's own. ``emv`` is the expected
    monetary value (negative for threats). ``reasons`` explain and warn.
    """

    id: str
    title: str
    kind: RiskKind
    status: RiskStatus
    strategy: RiskStrategy | None
    proximity: RiskProximity | None
    initial: CellScore | None
    residual: CellScore | None
    assessed_band: str | None
    band: str | None
    current_band: str | None
    basis: ScoreBasis
    emv: Money | None
    reasons: tuple[Reason, ...]


def _cell(matrix: RiskMatrix, probability: int, consequence: int) -> CellScore:
    return CellScore(
        probability=probability,
        consequence=consequence,
        score=matrix.score(probability, consequence),
        band=matrix.band_for(probability, consequence).code,
    )


def _pair(
    matrix: RiskMatrix, probability: int | None, consequence: int | None, names: tuple[str, str]
) -> tuple[CellScore | None, list[InvalidInputError]]:
    errors: list[InvalidInputError] = []
    for value, axis, name in (
        (probability, matrix.scale.probability, names[0]),
        (consequence, matrix.scale.consequence, names[1]),
    ):
        if value is not None and not 1 <= value <= len(axis):
            errors.append(
                InvalidInputError(
                    f"level {value} is outside the scale {matrix.scale.name!r} (1-{len(axis)})",
                    what=name,
                )
            )
    if errors or probability is None or consequence is None:
        return None, errors
    return _cell(matrix, probability, consequence), errors


def _assessed(risk: Risk, matrix: RiskMatrix) -> tuple[str | None, list[InvalidInputError]]:
    if risk.assessed_band is None:
        return None, []
    found = matrix.bands.find(risk.assessed_band)
    if found is not None:
        return found.code, []
    message = (
        f"unknown band {risk.assessed_band[:40]!r}; the band set "
        f"{matrix.bands.name!r} knows: {', '.join(matrix.bands.codes())}"
    )
    return None, [InvalidInputError(message, what="assessed_band")]


def _basis(
    matrix: RiskMatrix, initial: CellScore | None, assessed: str | None
) -> tuple[ScoreBasis, str | None, list[Reason]]:
    label = matrix.bands.resolve
    if initial is not None:
        reasons = [
            reason(
                "risk.computed",
                probability=initial.probability,
                consequence=initial.consequence,
                score=initial.score,
                band=label(initial.band).label,
            )
        ]
        if assessed is not None and assessed != initial.band:
            reasons.append(
                reason(
                    "risk.assessed_differs",
                    Severity.WARNING,
                    assessed=label(assessed).label,
                    band=label(initial.band).label,
                )
            )
        return ScoreBasis.COMPUTED, initial.band, reasons
    if assessed is not None:
        return (
            ScoreBasis.ASSESSED,
            assessed,
            [reason("risk.graded_only", band=label(assessed).label)],
        )
    return ScoreBasis.NONE, None, [reason("risk.unscored", Severity.WARNING)]


def _residual_reasons(
    matrix: RiskMatrix, initial: CellScore | None, residual: CellScore | None
) -> list[Reason]:
    if residual is None:
        return []
    if initial is None:
        return [reason("risk.residual_without_initial", Severity.WARNING)]
    rank = matrix.bands.rank
    if residual.score > initial.score or rank(residual.band) > rank(initial.band):
        return [
            reason(
                "risk.residual_above_initial",
                Severity.WARNING,
                initial=initial.score,
                residual=residual.score,
            )
        ]
    band = matrix.bands.resolve(residual.band).label
    return [reason("risk.residual", residual=residual.score, band=band)]


def _score_risk(risk: Risk, matrix: RiskMatrix) -> tuple[RiskScore | None, list[InvalidInputError]]:
    names = ("probability", "consequence")
    initial, errors = _pair(matrix, risk.probability, risk.consequence, names)
    residual_names = ("residual_probability", "residual_consequence")
    residual, more = _pair(
        matrix, risk.residual_probability, risk.residual_consequence, residual_names
    )
    assessed, unknown = _assessed(risk, matrix)
    errors.extend([*more, *unknown])
    if errors:
        return None, errors
    reasons: list[Reason] = []
    if (risk.probability is None) != (risk.consequence is None):
        reasons.append(reason("risk.incomplete", Severity.WARNING))
    if (risk.residual_probability is None) != (risk.residual_consequence is None):
        reasons.append(reason("risk.residual_incomplete", Severity.WARNING))
    basis, band, explained = _basis(matrix, initial, assessed)
    reasons.extend(explained)
    reasons.extend(_residual_reasons(matrix, initial, residual))
    score = RiskScore(
        id=risk.id,
        title=risk.title,
        kind=risk.kind,
        status=risk.status,
        strategy=risk.strategy,
        proximity=risk.proximity,
        initial=initial,
        residual=residual,
        assessed_band=assessed,
        band=band,
        current_band=residual.band if residual is not None else band,
        basis=basis,
        emv=_emv(risk, matrix, residual=False),
        reasons=tuple(reasons),
    )
    return score, []


def score_risk(risk: Risk, matrix: RiskMatrix | None = None) -> RiskScore:
    """Score one risk before and after mitigation (DOMAIN §7).

    >>> from samskaping.model import Risk
    >>> s = score_risk(Risk(id="r1", title="Low turnout", probability=4, consequence=3,
    ...                     residual_probability=2, residual_consequence=3))
    >>> (s.initial.score, s.band, s.residual.score, s.current_band)
    (Decimal('12'), 'alvorlig', Decimal('6'), 'moderat')
    >>> score_risk(Risk(id="r2", title="Recruitment", assessed_band="moderat")).basis
    <ScoreBasis.ASSESSED: 'assessed'>

    A residual score above the initial one is a warning:

    >>> worse = score_risk(Risk(id="r3", title="x", probability=1, consequence=1,
    ...                         residual_probability=2, residual_consequence=2))
    >>> [r.code for r in worse.reasons if r.severity == "warning"]
    ['risk.residual_above_initial']

    Raises:
        InvalidInputError: If a level lies outside the scale or the recorded grade
            is not a band of the matrix (the message names the field).
    """
    matrix = matrix or risk_matrix()
    result, errors = _score_risk(risk, matrix)
    if errors:
        raise errors[0]
    assert result is not None  # noqa: S101  (no errors means a result)
    return result


def score_risks(
    risks: Sequence[Risk], matrix: RiskMatrix | None = None, *, path: str = "$.risks"
) -> tuple[RiskScore, ...]:
    """Score a register of risks, reporting every bad risk at once.

    >>> from samskaping.model import Risk
    >>> [s.band for s in score_risks([Risk(id="a", title="t", probability=1, consequence=2),
    ...                               Risk(id="b", title="t", assessed_band="alvorlig")])]
    ['lav', 'alvorlig']

    Raises:
        DocumentError: With the path of every level outside the scale and every
            unknown band, e.g. ``$.risks[2].probability``.
    """
    matrix = matrix or risk_matrix()
    results: list[RiskScore] = []
    problems: list[Problem] = []
    for index, risk in enumerate(risks):
        result, errors = _score_risk(risk, matrix)
        problems.extend(Problem(path=f"{path}[{index}].{e.what}", message=str(e)) for e in errors)
        if result is not None:
            results.append(result)
    if problems:
        raise DocumentError(problems)
    return tuple(results)
