"""Goal attainment (*måloppnåelse*): indicators, levels, continuation and GAS.

DOMAIN §4. An indicator's attainment is (measured − baseline) / (target − baseline)
× 100, with the sign following its direction of improvement. A level *lav*,
*middels* or *hoy* (Stovner's scale, 000:93-94) comes from thresholds that are data
(``data/scales/goals.toml``). Deliverable continuation is the share of working models
that were continued into operations (Stovner: 5 of 6, 000:89, 000:126). Goal
Attainment Scaling (Kiresuk & Sherman 1968) gives a T-score around 50.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal, localcontext
from functools import cache

import attrs

from samskaping._errors import InvalidInputError
from samskaping.model import (
    AttainmentLevel,
    Deliverable,
    DeliverableKind,
    DeliverableStatus,
    Direction,
    Goal,
    Indicator,
    Measurement,
    Programme,
    Project,
    Severity,
)
from samskaping.scoring._common import Reason, load_data_file, quantize, reason

__all__ = [
    "AttainmentThresholds",
    "ContinuationResult",
    "GasResult",
    "GasSettings",
    "GoalAttainment",
    "IndicatorAttainment",
    "LevelResult",
    "ProjectAttainment",
    "attainment_level",
    "attainment_percent",
    "attainment_thresholds",
    "composite_attainment",
    "deliverable_continuation",
    "gas_from_goals",
    "gas_settings",
    "gas_t_score",
    "goal_attainment",
    "indicator_attainment",
    "latest_measurement",
    "project_attainment",
]

_HUNDRED = Decimal(100)
#: The levels of a Goal Attainment Scaling score.
_GAS_LEVELS = (-2, -1, 0, 1, 2)


@attrs.frozen(kw_only=True)
class AttainmentThresholds:
    """Where the levels start, in percent.

    Below ``medium_from`` is *lav*; from ``medium_from`` *middels*; from
    ``high_from`` *hoy*.
    """

    medium_from: Decimal = Decimal(50)
    high_from: Decimal = Decimal(80)
    source: str | None = None
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        if not self.medium_from <= self.high_from:
            raise InvalidInputError(
                f"expected medium_from ({self.medium_from}) not above high_from ({self.high_from})",
                what="high_from",
            )


@attrs.frozen(kw_only=True)
class GasSettings:
    """Goal Attainment Scaling: the assumed correlation ρ between goals' scores."""

    rho: Decimal = Decimal("0.3")
    source: str | None = None


@attrs.frozen(kw_only=True)
class BenefitSettings:
    """Margins in percentage points for a benefit's realisation status (see ``_benefits``)."""

    ahead_margin: Decimal = Decimal(10)
    on_track_margin: Decimal = Decimal(10)
    minor_delay_margin: Decimal = Decimal(25)
    source: str | None = None

    def __attrs_post_init__(self) -> None:
        if (
            not Decimal(0) <= self.on_track_margin <= self.minor_delay_margin
            or self.ahead_margin < 0
        ):
            raise InvalidInputError(
                "expected 0 ≤ on_track_margin ≤ minor_delay_margin and ahead_margin ≥ 0",
                what="minor_delay_margin",
            )


@attrs.frozen(kw_only=True)
class GoalSettings:
    """The contents of ``data/scales/goals.toml``."""

    attainment: AttainmentThresholds
    gas: GasSettings
    benefits: BenefitSettings


@cache
def goal_settings() -> GoalSettings:
    """The built-in goal settings (``data/scales/goals.toml``).

    >>> goal_settings().attainment.high_from
    Decimal('80')
    """
    return load_data_file(GoalSettings, "scales", "goals.toml")


def attainment_thresholds() -> AttainmentThresholds:
    """The default level thresholds: *lav* below 50 %, *middels* from 50 %, *hoy* from 80 %.

    >>> t = attainment_thresholds()
    >>> (t.medium_from, t.high_from)
    (Decimal('50'), Decimal('80'))
    """
    return goal_settings().attainment


def gas_settings() -> GasSettings:
    """The default GAS settings (ρ = 0.3).

    >>> gas_settings().rho
    Decimal('0.3')
    """
    return goal_settings().gas


# --- indicators ----------------------------------------------------------------------------


def _sign(direction: Direction) -> int:
    return 1 if direction == Direction.INCREASE else -1


def attainment_percent(
    baseline: Decimal,
    target: Decimal,
    measured: Decimal,
    direction: Direction = Direction.INCREASE,
    *,
    clamp: bool = False,
) -> Decimal:
    """Attainment in percent: how far ``measured`` has come from ``baseline`` to ``target``.

    The sign follows the direction of improvement, so moving the wrong way gives a
    negative value. When the target equals the baseline the attainment is 100 % if
    the target is reached (or passed in the direction of improvement) and 0 %
    otherwise [design]. With ``clamp`` the result lies from 0 to 100. The result is
    rounded to two decimals.

    >>> attainment_percent(Decimal(10), Decimal(20), Decimal(15))
    Decimal('50.00')
    >>> attainment_percent(Decimal(40), Decimal(20), Decimal(35), Direction.DECREASE)
    Decimal('25.00')
    >>> attainment_percent(Decimal(10), Decimal(20), Decimal(25), clamp=True)
    Decimal('100.00')
    >>> attainment_percent(Decimal(5), Decimal(5), Decimal(4))
    Decimal('0.00')

    Raises:
        InvalidInputError: If a number is not finite.
    """
    for name, value in (("baseline", baseline), ("target", target), ("measured", measured)):
        if not value.is_finite():
            raise InvalidInputError(f"expected a finite number for {name}", what=name)
    sign = _sign(direction)
    if target == baseline:
        percent = _HUNDRED if sign * (Decimal(measured) - Decimal(target)) >= 0 else Decimal(0)
    else:
        percent = (
            sign
            * (Decimal(measured) - Decimal(baseline))
            / abs(Decimal(target) - Decimal(baseline))
            * _HUNDRED
        )
    if clamp:
        percent = min(max(percent, Decimal(0)), _HUNDRED)
    return quantize(percent, 2)


@attrs.frozen(kw_only=True)
class LevelResult:
    """A level *lav* / *middels* / *hoy* with the percentage it came from and why."""

    level: AttainmentLevel
    percent: Decimal
    reasons: tuple[Reason, ...]


def attainment_level(
    percent: Decimal, thresholds: AttainmentThresholds | None = None
) -> LevelResult:
    """The level of an attainment percentage (DOMAIN §4; Stovner's scale, 000:93-94).

    >>> attainment_level(Decimal("83.33")).level
    <AttainmentLevel.HIGH: 'hoy'>
    >>> attainment_level(Decimal(50)).level
    <AttainmentLevel.MEDIUM: 'middels'>
    >>> attainment_level(Decimal("49.99")).reasons[0].text("en")
    'An attainment of 49.99% is below 50% (a design default, not from the source): low.'
    """
    thresholds = thresholds or attainment_thresholds()
    if percent >= thresholds.high_from:
        level = AttainmentLevel.HIGH
        why = reason(
            "goals.level_high",
            attainment_percent=percent,
            edge_percent=thresholds.high_from,
            level=level,
        )
    elif percent >= thresholds.medium_from:
        level = AttainmentLevel.MEDIUM
        why = reason(
            "goals.level_medium",
            attainment_percent=percent,
            low_percent=thresholds.medium_from,
            high_percent=thresholds.high_from,
            level=level,
        )
    else:
        level = AttainmentLevel.LOW
        why = reason(
            "goals.level_low",
            attainment_percent=percent,
            edge_percent=thresholds.medium_from,
            level=level,
        )
    return LevelResult(level=level, percent=percent, reasons=(why,))


def latest_measurement(
    measurements: Iterable[Measurement], as_of: datetime.date | None = None
) -> Measurement | None:
    """The latest measurement (on or before ``as_of`` if given); ties keep the last listed.

    >>> import datetime
    >>> from samskaping.model import Measurement
    >>> ms = [Measurement(date=datetime.date(2022, 1, 1), value=Decimal(3)),
    ...       Measurement(date=datetime.date(2023, 1, 1), value=Decimal(5))]
    >>> latest_measurement(ms).value, latest_measurement(ms, datetime.date(2022, 6, 1)).value
    (Decimal('5'), Decimal('3'))
    """
    best: Measurement | None = None
    for measurement in measurements:
        if as_of is not None and measurement.date > as_of:
            continue
        if best is None or measurement.date >= best.date:
            best = measurement
    return best


@attrs.frozen(kw_only=True)
class IndicatorAttainment:
    """One indicator's attainment: the figures used, the percentage and its level.

    ``percent`` and ``level`` are ``None`` when the baseline, the target or a
    measurement is missing; the reasons say which.
    """

    id: str
    name: str
    direction: Direction
    baseline: Decimal | None
    target: Decimal | None
    measured: Decimal | None
    measured_on: datetime.date | None
    weight: Decimal
    percent: Decimal | None
    level: AttainmentLevel | None
    reasons: tuple[Reason, ...]


def indicator_attainment(
    indicator: Indicator,
    *,
    as_of: datetime.date | None = None,
    clamp: bool = False,
    thresholds: AttainmentThresholds | None = None,
) -> IndicatorAttainment:
    """An indicator's attainment from its latest measurement (on or before ``as_of``).

    >>> import datetime
    >>> from samskaping.model import Indicator, IndicatorUnit, Measurement
    >>> ind = Indicator(id="visits", name="Visits", unit=IndicatorUnit.COUNT,
    ...                 baseline=Decimal(0), target=Decimal(4000),
    ...                 measurements=(Measurement(date=datetime.date(2023, 9, 30),
    ...                                           value=Decimal(4785)),))
    >>> a = indicator_attainment(ind, clamp=True)
    >>> (a.percent, a.level)
    (Decimal('100.00'), <AttainmentLevel.HIGH: 'hoy'>)
    """
    reasons: list[Reason] = []
    latest = latest_measurement(indicator.measurements, as_of)
    if indicator.baseline is None:
        reasons.append(reason("goals.no_baseline", Severity.WARNING))
    if indicator.target is None:
        reasons.append(reason("goals.no_target", Severity.WARNING))
    if latest is None:
        reasons.append(reason("goals.no_measurement", Severity.WARNING))
    percent: Decimal | None = None
    level: AttainmentLevel | None = None
    if indicator.baseline is not None and indicator.target is not None and latest is not None:
        percent = attainment_percent(
            indicator.baseline, indicator.target, latest.value, indicator.direction, clamp=clamp
        )
        if indicator.target == indicator.baseline:
            reasons.append(reason("goals.target_equals_baseline", reached=percent == _HUNDRED))
        elif _sign(indicator.direction) * (indicator.target - indicator.baseline) < 0:
            reasons.append(
                reason(
                    "goals.target_against_direction",
                    Severity.WARNING,
                    direction=indicator.direction,
                )
            )
        reasons.append(
            reason(
                "goals.indicator",
                baseline=indicator.baseline,
                target=indicator.target,
                measured=latest.value,
                attainment_percent=percent,
            )
        )
        result = attainment_level(percent, thresholds)
        level = result.level
        reasons.extend(result.reasons)
    return IndicatorAttainment(
        id=indicator.id,
        name=indicator.name,
        direction=indicator.direction,
        baseline=indicator.baseline,
        target=indicator.target,
        measured=latest.value if latest is not None else None,
        measured_on=latest.date if latest is not None else None,
        weight=indicator.weight,
        percent=percent,
        level=level,
        reasons=tuple(reasons),
    )


def composite_attainment(parts: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    """The weighted mean of (percent, weight) pairs, or ``None`` when there are none.

    >>> composite_attainment([(Decimal(100), Decimal(1)), (Decimal(40), Decimal(3))])
    Decimal('55.00')
    >>> composite_attainment([]) is None
    True

    Raises:
        InvalidInputError: If a weight is negative, or all weights are zero.
    """
    pairs = list(parts)
    if not pairs:
        return None
    if any(weight < 0 for _, weight in pairs):
        raise InvalidInputError("expected weights that are not negative", what="weights")
    total = sum((weight for _, weight in pairs), Decimal(0))
    if total == 0:
        raise InvalidInputError("expected at least one weight above zero", what="weights")
    return quantize(sum((percent * weight for percent, weight in pairs), Decimal(0)) / total, 2)


@attrs.frozen(kw_only=True)
class GoalAttainment:
    """A goal's attainment: the weighted mean of its indicators' attainment.

    ``assessed`` is the level the project itself recorded; ``gas_score`` the goal's
    GAS score, if any.
    """

    id: str
    title: str
    weight: Decimal
    percent: Decimal | None
    level: AttainmentLevel | None
    assessed: AttainmentLevel | None
    gas_score: int | None
    indicators: tuple[IndicatorAttainment, ...]
    reasons: tuple[Reason, ...]


def goal_attainment(
    goal: Goal,
    *,
    as_of: datetime.date | None = None,
    clamp: bool = False,
    thresholds: AttainmentThresholds | None = None,
) -> GoalAttainment:
    """A goal's attainment from its indicators, weighted by the indicators' weights.

    >>> from samskaping.model import Goal
    >>> goal = Goal(id="g1", title="Meeting places", assessed_attainment=AttainmentLevel.HIGH)
    >>> g = goal_attainment(goal)
    >>> (g.percent, g.assessed)
    (None, <AttainmentLevel.HIGH: 'hoy'>)

    Raises:
        InvalidInputError: If all measured indicators have weight zero.
    """
    indicators = tuple(
        indicator_attainment(i, as_of=as_of, clamp=clamp, thresholds=thresholds)
        for i in goal.indicators
    )
    measured = [(i.percent, i.weight) for i in indicators if i.percent is not None]
    percent = composite_attainment(measured) if any(w > 0 for _, w in measured) else None
    reasons: list[Reason] = []
    level: AttainmentLevel | None = None
    if percent is not None:
        reasons.append(
            reason("goals.goal_composite", count=len(measured), attainment_percent=percent)
        )
        result = attainment_level(percent, thresholds)
        level = result.level
        reasons.extend(result.reasons)
    elif goal.indicators:
        reasons.append(reason("goals.goal_unmeasured", Severity.WARNING))
    else:
        reasons.append(reason("goals.goal_no_indicators"))
    return GoalAttainment(
        id=goal.id,
        title=goal.title,
        weight=goal.weight,
        percent=percent,
        level=level,
        assessed=goal.assessed_attainment,
        gas_score=goal.gas_score,
        indicators=indicators,
        reasons=tuple(reasons),
    )


# --- deliverable continuation --------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ContinuationResult:
    """The share of working-model deliverables continued into operations (*videreført i drift*).

    ``pending`` counts working models neither continued nor discarded yet.
    """

    working_models: int
    continued: int
    discarded: int
    pending: int
    continued_ids: tuple[str, ...]
    discarded_ids: tuple[str, ...]
    percent: Decimal | None
    level: AttainmentLevel | None
    reasons: tuple[Reason, ...]


def deliverable_continuation(
    deliverables: Sequence[Deliverable], thresholds: AttainmentThresholds | None = None
) -> ContinuationResult:
    """The continuation ratio of the working models (DOMAIN §4; Stovner 5 of 6, 000:126).

    >>> from samskaping.model import Deliverable, DeliverableKind, DeliverableStatus
    >>> kept, dropped = DeliverableStatus.CONTINUED, DeliverableStatus.DISCARDED
    >>> ds = [Deliverable(id=f"d{i}", title="t", phase="gjennomfore",
    ...                   kind=DeliverableKind.WORKING_MODEL, status=kept if i < 6 else dropped)
    ...       for i in range(1, 7)]
    >>> c = deliverable_continuation(ds)
    >>> (c.continued, c.working_models, c.percent, c.level)
    (5, 6, Decimal('83.33'), <AttainmentLevel.HIGH: 'hoy'>)
    """
    models = [d for d in deliverables if d.kind == DeliverableKind.WORKING_MODEL]
    continued = [d.id for d in models if d.status == DeliverableStatus.CONTINUED]
    discarded = [d.id for d in models if d.status == DeliverableStatus.DISCARDED]
    reasons: list[Reason] = []
    percent: Decimal | None = None
    level: AttainmentLevel | None = None
    if models:
        percent = quantize(Decimal(len(continued)) / len(models) * _HUNDRED, 2)
        reasons.append(
            reason(
                "goals.continuation",
                continued=len(continued),
                total=len(models),
                share_percent=percent,
            )
        )
        result = attainment_level(percent, thresholds)
        level = result.level
        reasons.extend(result.reasons)
        pending = len(models) - len(continued) - len(discarded)
        if pending:
            reasons.append(reason("goals.continuation_pending", Severity.WARNING, count=pending))
    else:
        reasons.append(reason("goals.no_working_models"))
    return ContinuationResult(
        working_models=len(models),
        continued=len(continued),
        discarded=len(discarded),
        pending=len(models) - len(continued) - len(discarded),
        continued_ids=tuple(continued),
        discarded_ids=tuple(discarded),
        percent=percent,
        level=level,
        reasons=tuple(reasons),
    )


# --- a project's goal attainment -----------------------------------------------------------


@attrs.frozen(kw_only=True)
class ProjectAttainment:
    """A project's goal attainment (*måloppnåelse*) with its reasons.

    The evidence is the goals' indicators (``goals_percent``, weighted by the goals'
    weights) and the deliverable continuation (``continuation``). ``percent`` is the
    mean of the evidence there is, and ``level`` its level [design]. With no
    evidence, ``level`` is the level the project recorded (``recorded``) and
    ``basis`` is ``recorded``; with neither it is ``None``.
    """

    id: str
    level: AttainmentLevel | None
    percent: Decimal | None
    basis: str
    goals_percent: Decimal | None
    continuation: ContinuationResult
    recorded: AttainmentLevel | None
    goals: tuple[GoalAttainment, ...]
    reasons: tuple[Reason, ...]


def _recorded(goals: Sequence[Goal]) -> AttainmentLevel | None:
    levels = {g.assessed_attainment for g in goals if g.assessed_attainment is not None}
    if len(levels) == 1:
        return levels.pop()
    if not levels:
        return None
    order = list(AttainmentLevel)
    return min(levels, key=order.index)


def project_attainment(
    project: Project | Programme,
    *,
    as_of: datetime.date | None = None,
    clamp: bool = True,
    thresholds: AttainmentThresholds | None = None,
) -> ProjectAttainment:
    """A project's goal attainment level with the reasons (DOMAIN §4).

    Indicator attainment is clamped to 0-100 by default here, so one indicator far
    past its target cannot hide another that lags.

    >>> from samskaping.model import Deliverable, DeliverableKind, DeliverableStatus, Project
    >>> kept, dropped = DeliverableStatus.CONTINUED, DeliverableStatus.DISCARDED
    >>> model = DeliverableKind.WORKING_MODEL
    >>> ds = tuple(Deliverable(id=f"d{i}", title="t", phase="p", kind=model,
    ...                        status=kept if i < 6 else dropped) for i in range(1, 7))
    >>> a = project_attainment(Project(id="p", name="P", deliverables=ds))
    >>> (a.level, a.percent, a.basis)
    (<AttainmentLevel.HIGH: 'hoy'>, Decimal('83.33'), 'computed')
    >>> print(a.reasons[0].text("en"))
    5 of 6 working models were continued into operations (83.33%).
    """
    goals = tuple(
        goal_attainment(g, as_of=as_of, clamp=clamp, thresholds=thresholds) for g in project.goals
    )
    goal_parts = [(g.percent, g.weight) for g in goals if g.percent is not None]
    goals_percent = composite_attainment(goal_parts) if any(w > 0 for _, w in goal_parts) else None
    continuation = deliverable_continuation(project.deliverables, thresholds)
    recorded = _recorded(project.goals)
    reasons: list[Reason] = []
    evidence: list[Decimal] = []
    if continuation.percent is not None:
        evidence.append(continuation.percent)
        reasons.extend(continuation.reasons)
    if goals_percent is not None:
        evidence.append(goals_percent)
        reasons.append(
            reason("goals.goals_composite", count=len(goal_parts), attainment_percent=goals_percent)
        )
    level: AttainmentLevel | None
    percent: Decimal | None = None
    if evidence:
        percent = quantize(sum(evidence, Decimal(0)) / len(evidence), 2)
        result = attainment_level(percent, thresholds)
        level, basis = result.level, "computed"
        if len(evidence) > 1:
            reasons.append(
                reason("goals.evidence_mean", count=len(evidence), attainment_percent=percent)
            )
            reasons.extend(result.reasons)
    elif recorded is not None:
        level, basis = recorded, "recorded"
        reasons.append(reason("goals.only_recorded", level=recorded))
    else:
        level, basis = None, "none"
        reasons.append(reason("goals.no_evidence", Severity.WARNING))
    if recorded is not None:
        if evidence:
            reasons.append(reason("goals.recorded", level=recorded))
            if recorded != level:
                reasons.append(
                    reason(
                        "goals.differs_from_recorded",
                        Severity.WARNING,
                        level=level,
                        recorded=recorded,
                    )
                )
        reasons.extend(
            reason("goals.recorded_reason", text=text)
            for goal in project.goals
            for text in goal.assessment_reasons
        )
    return ProjectAttainment(
        id=project.id,
        level=level,
        percent=percent,
        basis=basis,
        goals_percent=goals_percent,
        continuation=continuation,
        recorded=recorded,
        goals=goals,
        reasons=tuple(reasons),
    )


# --- Goal Attainment Scaling ---------------------------------------------------------------


def gas_t_score(
    scores: Sequence[int],
    weights: Sequence[Decimal | int] | None = None,
    *,
    rho: Decimal | None = None,
) -> Decimal:
    """The Goal Attainment Scaling T-score (Kiresuk & Sherman 1968), rounded to 2 decimals.

    T = 50 + 10·Σwᵢxᵢ / √((1 − ρ)Σwᵢ² + ρ(Σwᵢ)²), each score xᵢ in −2…+2, weights
    1 unless given, ρ = 0.3 unless given.

    >>> gas_t_score([-2, 0, -1, 2, 0, 1], [3, 5, 1, 4, 2, 6])
    Decimal('55.00')
    >>> gas_t_score([-2])
    Decimal('30.00')
    >>> gas_t_score([0, 0, 0])
    Decimal('50.00')

    Raises:
        InvalidInputError: If there are no scores, a score is not an integer from −2
            to +2, the weights do not match the scores, a weight is negative, all
            weights are zero, or ρ is not from 0 to 1.
    """
    if not scores:
        raise InvalidInputError("expected at least one GAS score", what="scores")
    for score in scores:
        if isinstance(score, bool) or score not in _GAS_LEVELS:
            raise InvalidInputError(
                f"a GAS score must be an integer from -2 to +2, got {score!r}", what="scores"
            )
    if weights is None:
        weights = [1] * len(scores)
    if len(weights) != len(scores):
        raise InvalidInputError(
            f"expected one weight per score ({len(scores)}), got {len(weights)}", what="weights"
        )
    exact = [Decimal(w) for w in weights]
    if any(not w.is_finite() or w < 0 for w in exact):
        raise InvalidInputError(
            "expected GAS weights that are finite and not negative", what="weights"
        )
    if all(w == 0 for w in exact):
        raise InvalidInputError("expected at least one GAS weight above zero", what="weights")
    rho = gas_settings().rho if rho is None else Decimal(rho)
    if not Decimal(0) <= rho <= Decimal(1):
        raise InvalidInputError(f"expected rho from 0 to 1, got {rho}", what="rho")
    with localcontext() as context:
        context.prec = 40
        weighted = sum((w * x for w, x in zip(exact, scores, strict=True)), Decimal(0))
        squares = sum((w * w for w in exact), Decimal(0))
        total = sum(exact, Decimal(0))
        denominator = ((1 - rho) * squares + rho * total * total).sqrt()
        t_score = 50 + 10 * weighted / denominator
    return quantize(t_score, 2)


@attrs.frozen(kw_only=True)
class GasResult:
    """A GAS T-score over the goals that were scored, with the scores and weights used."""

    t_score: Decimal
    rho: Decimal
    goals: tuple[str, ...]
    scores: tuple[int, ...]
    weights: tuple[Decimal, ...]
    unscored: tuple[str, ...]
    reasons: tuple[Reason, ...]


def gas_from_goals(goals: Sequence[Goal], *, rho: Decimal | None = None) -> GasResult | None:
    """The GAS T-score of the goals that carry a ``gas_score``, weighted by their weights.

    Returns ``None`` when no goal is scored.

    >>> from samskaping.model import Goal
    >>> gs = [Goal(id=f"g{i}", title="t", gas_score=s, weight=Decimal(w))
    ...       for i, (s, w) in enumerate(zip([-2, 0, -1, 2, 0, 1], [3, 5, 1, 4, 2, 6]))]
    >>> gas_from_goals(gs).t_score
    Decimal('55.00')

    Raises:
        InvalidInputError: If all scored goals have weight zero.
    """
    scored = [g for g in goals if g.gas_score is not None]
    if not scored:
        return None
    rho = gas_settings().rho if rho is None else rho
    scores = tuple(g.gas_score for g in scored if g.gas_score is not None)
    weights = tuple(g.weight for g in scored)
    t_score = gas_t_score(scores, weights, rho=rho)
    reasons = [reason("goals.gas", count=len(scored), t_score=t_score, rho=rho)]
    unscored = tuple(g.id for g in goals if g.gas_score is None)
    if unscored:
        reasons.append(reason("goals.gas_unscored", Severity.WARNING, count=len(unscored)))
    return GasResult(
        t_score=t_score,
        rho=rho,
        goals=tuple(g.id for g in scored),
        scores=scores,
        weights=weights,
        unscored=unscored,
        reasons=tuple(reasons),
    )
