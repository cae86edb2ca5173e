"""The variables of the child benefit: one input, three formulas."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from .entities import Household

MONTH = DateUnit.MONTH


class low_income(Variable):  # noqa: N801  (OpenFisca names variables in snake case)
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "The household has a low-income flag"


class nb_children(Variable):  # noqa: N801
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "Children in the household"

    def formula(household, period):  # noqa: N805, ARG002  (OpenFisca's formula signature)
        return household.nb_persons(Household.CHILD)


class eligible(Variable):  # noqa: N801
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "At least one child and the low-income flag"

    def formula(household, period):  # noqa: N805
        return (household("nb_children", period) >= 1) * household("low_income", period)


class child_benefit(Variable):  # noqa: N801
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "Child benefit (NOK per month)"

    def formula(household, period, parameters):  # noqa: N805
        rate = parameters(period).rate_per_child
        amount = household("nb_children", period) * rate
        return np.where(household("eligible", period), amount, 0)


VARIABLES = [low_income, nb_children, eligible, child_benefit]
