"""A minimal OpenFisca tax-benefit system with the population benchmark's policy.

The same policy as ``benchmarks/policies/population_child_benefit.toml``: 1 600 NOK
per child per month from 1 February 2022 (as Flyktningfamilien, 002:1791), paid only
to households with at least one child and a low-income flag.

Entities: ``person`` and ``household`` (roles ``parent``, at most two, and ``child``).
Variables: ``low_income`` (household input), ``nb_children`` (the household's persons
with the child role), ``eligible`` and ``child_benefit`` (NOK per month, an integer).
Parameter: ``rate_per_child``.

Needs openfisca-core; it lives in the benchmark's own venv, not in samskaping's.
"""

from __future__ import annotations

from pathlib import Path

from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from .entities import ENTITIES
from .variables import VARIABLES

PARAMETERS = Path(__file__).resolve().parent / "parameters"


class ChildBenefitSystem(TaxBenefitSystem):
    """The benchmark's tax-benefit system."""

    def __init__(self) -> None:
        super().__init__(ENTITIES)
        for variable in VARIABLES:
            self.add_variable(variable)
        self.load_parameters(str(PARAMETERS))
