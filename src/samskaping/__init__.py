"""samskaping: Norwegian public-sector co-creation (*samskaping*) projects as typed, tested code.

The public door of the library. Values are immutable attrs classes (see
:mod:`samskaping.model`), amounts are :class:`Money`, documents load and dump as JSON
and TOML (:func:`load`, :func:`dumps`), and :func:`validate` checks a document against
the rules of its phase model.

Subpackages, each with its own public names: ``model``, ``phases``, ``validation``,
``io``, ``l10n``, ``examples``, ``payouts`` (the rule engine), ``scoring`` and
``report``; the most used names are also here. Everything but the errors and :class:`Money` is
imported on first use, so ``import samskaping`` stays fast.

>>> import samskaping
>>> project = samskaping.load_example("innbyggerbasen")
>>> [f.code for f in samskaping.validate(project) if f.severity.value == "error"]
[]
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Final

from samskaping._errors import (
    DocumentError,
    InvalidInputError,
    MissingLabelError,
    Problem,
    SamskapingError,
    UnknownNameError,
)
from samskaping._money import Money, split, sum_money

if TYPE_CHECKING:
    from samskaping.examples import load_example
    from samskaping.io import dump, dumps, load, loads
    from samskaping.model import Document, Programme, Project, iter_projects
    from samskaping.payouts import (
        Decision,
        DecisionStatus,
        Household,
        Policy,
        PolicyError,
        Request,
        allocate,
        decide_collective,
        evaluate,
        fairness_report,
        load_policy,
        payment_plan,
        simulate,
    )
    from samskaping.report import (
        heat_map_svg,
        render_report,
        report_data,
    )
    from samskaping.scoring import (
        assessment_report,
        gas_t_score,
        goals_report,
        project_attainment,
        risk_report,
        utenfor_report,
    )
    from samskaping.validation import Finding, has_errors, validate

__version__ = "0.1.0"

__all__ = [
    "Decision",
    "DecisionStatus",
    "Document",
    "DocumentError",
    "Finding",
    "Household",
    "InvalidInputError",
    "MissingLabelError",
    "Money",
    "Policy",
    "PolicyError",
    "Problem",
    "Programme",
    "Project",
    "Request",
    "SamskapingError",
    "UnknownNameError",
    "__version__",
    "allocate",
    "assessment_report",
    "decide_collective",
    "dump",
    "dumps",
    "evaluate",
    "fairness_report",
    "gas_t_score",
    "goals_report",
    "has_errors",
    "heat_map_svg",
    "iter_projects",
    "load",
    "load_example",
    "load_policy",
    "loads",
    "payment_plan",
    "project_attainment",
    "render_report",
    "report_data",
    "risk_report",
    "simulate",
    "split",
    "sum_money",
    "utenfor_report",
    "validate",
]

#: Public names loaded on first use, and the module each comes from.
_LAZY: Final = {
    "Document": "samskaping.model",
    "Programme": "samskaping.model",
    "Project": "samskaping.model",
    "iter_projects": "samskaping.model",
    "dump": "samskaping.io",
    "dumps": "samskaping.io",
    "load": "samskaping.io",
    "loads": "samskaping.io",
    "load_example": "samskaping.examples",
    "Decision": "samskaping.payouts",
    "DecisionStatus": "samskaping.payouts",
    "Household": "samskaping.payouts",
    "Policy": "samskaping.payouts",
    "PolicyError": "samskaping.payouts",
    "Request": "samskaping.payouts",
    "allocate": "samskaping.payouts",
    "decide_collective": "samskaping.payouts",
    "evaluate": "samskaping.payouts",
    "fairness_report": "samskaping.payouts",
    "load_policy": "samskaping.payouts",
    "payment_plan": "samskaping.payouts",
    "simulate": "samskaping.payouts",
    "assessment_report": "samskaping.scoring",
    "gas_t_score": "samskaping.scoring",
    "goals_report": "samskaping.scoring",
    "project_attainment": "samskaping.scoring",
    "risk_report": "samskaping.scoring",
    "utenfor_report": "samskaping.scoring",
    "heat_map_svg": "samskaping.report",
    "render_report": "samskaping.report",
    "report_data": "samskaping.report",
    "Finding": "samskaping.validation",
    "has_errors": "samskaping.validation",
    "validate": "samskaping.validation",
}
_SUBPACKAGES: Final = frozenset(
    {"examples", "io", "l10n", "model", "payouts", "phases", "report", "scoring", "validation"}
)


def __getattr__(name: str) -> object:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    elif name in _SUBPACKAGES:
        value = importlib.import_module(f"samskaping.{name}")
    else:
        raise AttributeError(f"module 'samskaping' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, *_SUBPACKAGES})
