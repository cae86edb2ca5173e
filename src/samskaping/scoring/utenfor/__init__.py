"""Utenfor-regnskapet (DOMAIN §8): the public-budget cost of exclusion and its tables."""

from samskaping.scoring.utenfor._utenfor import (
    DEFAULT_TOLERANCE,
    ConsistencyReport,
    ConsistencyRow,
    CostProfile,
    CostRow,
    DomainGain,
    LevelBalance,
    UtenforResult,
    UtenforYear,
    check_consistency,
    cost_profile,
    cost_profiles,
    helped_per_year,
    load_cost_profile,
    read_cost_profile,
    utenfor_result,
)

__all__ = [
    "DEFAULT_TOLERANCE",
    "ConsistencyReport",
    "ConsistencyRow",
    "CostProfile",
    "CostRow",
    "DomainGain",
    "LevelBalance",
    "UtenforResult",
    "UtenforYear",
    "check_consistency",
    "cost_profile",
    "cost_profiles",
    "helped_per_year",
    "load_cost_profile",
    "read_cost_profile",
    "utenfor_result",
]
