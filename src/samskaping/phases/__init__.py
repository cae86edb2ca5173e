"""Phase models as data: *prosjektveiviseren*, *områdesatsing*, Innbyggernes modell, your own."""

from samskaping.phases._load import builtin, builtin_names, load_phase_model, loads_phase_model
from samskaping.phases._model import (
    ChecklistItem,
    DocumentKind,
    GateSpec,
    PhaseModel,
    PhaseSpec,
)
from samskaping.phases._template import describe_phase_model, project_template

__all__ = [
    "ChecklistItem",
    "DocumentKind",
    "GateSpec",
    "PhaseModel",
    "PhaseSpec",
    "builtin",
    "builtin_names",
    "describe_phase_model",
    "load_phase_model",
    "loads_phase_model",
    "project_template",
]
