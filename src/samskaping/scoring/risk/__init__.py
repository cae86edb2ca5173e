"""Risk (DOMAIN §7): scales and band rules, scores, EMV, register profiles, the heat map.

A risk (*usikkerhet*) is placed by its probability (*sannsynlighet*, S) and consequence
(*konsekvens*, K) on a scale; its risk factor is S × K; a band rule gives its band.
Scales, band sets and rules are data (``data/scales/risk.toml``), and a municipality
can read its own with :func:`read_risk_config`. Household vulnerability, a different
kind of risk score, is :mod:`samskaping.scoring.vulnerability`.

- the configuration: :class:`RiskConfig` and its parts, :func:`risk_config`,
  :func:`read_risk_config`, :func:`load_risk_config`, :func:`check_risk_config`;
- the matrix: :func:`risk_matrix`;
- single risks: :func:`score_risk`, :func:`score_risks`, :func:`emv`,
  :func:`expected_monetary_value`;
- registers: :func:`risk_profile`, :func:`compare_registers`, :func:`register_change`,
  :func:`heat_map`.
"""

from samskaping.scoring.risk._check import check_risk_config
from samskaping.scoring.risk._config import (
    Band,
    BandRule,
    BandSet,
    BandThreshold,
    RiskConfig,
    RiskScale,
    ScaleLevel,
)
from samskaping.scoring.risk._emv import emv, expected_monetary_value
from samskaping.scoring.risk._heatmap import HeatMap, HeatMapCell, UnplacedRisk, heat_map
from samskaping.scoring.risk._load import load_risk_config, read_risk_config, risk_config
from samskaping.scoring.risk._matrix import DEFAULT_SCALE, RiskMatrix, risk_matrix
from samskaping.scoring.risk._profile import BandCount, RiskProfile, risk_profile
from samskaping.scoring.risk._register import (
    BandDelta,
    BandMove,
    RegisterChange,
    compare_registers,
    register_as_of,
    register_change,
)
from samskaping.scoring.risk._score import (
    CellScore,
    RiskScore,
    ScoreBasis,
    score_risk,
    score_risks,
)

__all__ = [
    "DEFAULT_SCALE",
    "Band",
    "BandCount",
    "BandDelta",
    "BandMove",
    "BandRule",
    "BandSet",
    "BandThreshold",
    "CellScore",
    "HeatMap",
    "HeatMapCell",
    "RegisterChange",
    "RiskConfig",
    "RiskMatrix",
    "RiskProfile",
    "RiskScale",
    "RiskScore",
    "ScaleLevel",
    "ScoreBasis",
    "UnplacedRisk",
    "check_risk_config",
    "compare_registers",
    "emv",
    "expected_monetary_value",
    "heat_map",
    "load_risk_config",
    "read_risk_config",
    "register_as_of",
    "register_change",
    "risk_config",
    "risk_matrix",
    "risk_profile",
    "score_risk",
    "score_risks",
]
