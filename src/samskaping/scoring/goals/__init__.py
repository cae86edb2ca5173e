"""Goals (DOMAIN §4): indicator and goal attainment, continuation, GAS and benefits.

An indicator's attainment is (measured − baseline) / (target − baseline) × 100, with
the sign following its direction of improvement; a level *lav*, *middels* or *hoy*
comes from thresholds that are data (``data/scales/goals.toml``). Goal Attainment
Scaling gives a T-score around 50, and benefits realisation (*gevinstrealisering*)
gives each benefit a status by beneficiary.
"""

from samskaping.scoring.goals._benefits import (
    BenefitsRealisation,
    BenefitStatus,
    RealisationStatus,
    StatusCount,
    benefit_settings,
    benefit_status,
    benefits_realisation,
    expected_percent,
)
from samskaping.scoring.goals._goals import (
    AttainmentThresholds,
    BenefitSettings,
    ContinuationResult,
    GasResult,
    GasSettings,
    GoalAttainment,
    GoalSettings,
    IndicatorAttainment,
    LevelResult,
    ProjectAttainment,
    attainment_level,
    attainment_percent,
    attainment_thresholds,
    composite_attainment,
    deliverable_continuation,
    gas_from_goals,
    gas_settings,
    gas_t_score,
    goal_attainment,
    goal_settings,
    indicator_attainment,
    latest_measurement,
    project_attainment,
)

__all__ = [
    "AttainmentThresholds",
    "BenefitSettings",
    "BenefitStatus",
    "BenefitsRealisation",
    "ContinuationResult",
    "GasResult",
    "GasSettings",
    "GoalAttainment",
    "GoalSettings",
    "IndicatorAttainment",
    "LevelResult",
    "ProjectAttainment",
    "RealisationStatus",
    "StatusCount",
    "attainment_level",
    "attainment_percent",
    "attainment_thresholds",
    "benefit_settings",
    "benefit_status",
    "benefits_realisation",
    "composite_attainment",
    "deliverable_continuation",
    "expected_percent",
    "gas_from_goals",
    "gas_settings",
    "gas_t_score",
    "goal_attainment",
    "goal_settings",
    "indicator_attainment",
    "latest_measurement",
    "project_attainment",
]
