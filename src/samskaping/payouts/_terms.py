"""The terms of a policy in force on a date: its parameters and approval bands."""

from __future__ import annotations

import datetime
from decimal import Decimal

import attrs

from samskaping._money import Money
from samskaping.l10n import LocalText
from samskaping.model import Basis
from samskaping.payouts._compiled import compile_policy
from samskaping.payouts._policy import ApprovalBand, Policy

__all__ = ["ParameterInForce", "PolicyTerms", "policy_terms"]


@attrs.frozen(kw_only=True)
class ParameterInForce:
    """One parameter's value on a date, with where it comes from (``source``, ``basis``).

    ``amount`` is set for money parameters and ``number`` for numbers; ``text``
    always holds the value as written.
    """

    name: str
    label: LocalText | None
    text: str
    amount: Money | None
    number: Decimal | None
    valid_from: datetime.date
    valid_to: datetime.date | None
    source: str | None
    basis: Basis = Basis.SOURCE


@attrs.frozen(kw_only=True)
class PolicyTerms:
    """What a policy says on one date: each parameter in force and the approval bands."""

    policy: str
    name: str
    as_of: datetime.date
    parameters: tuple[ParameterInForce, ...]
    bands: tuple[ApprovalBand, ...]


def policy_terms(policy: Policy, as_of: datetime.date) -> PolicyTerms:
    """The parameters and approval bands of ``policy`` in force on ``as_of``.

    Parameters with no value on that date are left out.

    >>> from samskaping.payouts import load_policy
    >>> terms = policy_terms(load_policy("flyktningfamilien"), datetime.date(2022, 3, 1))
    >>> [(p.name, p.amount) for p in terms.parameters if p.amount is not None][:1]
    [('rate_per_child', Money('1600.00'))]
    """
    compiled = compile_policy(policy)
    snapshot = compiled.params_at(as_of)
    parameters = []
    for name in compiled.param_order:
        if name not in snapshot.chosen:
            continue
        value, literal = snapshot.chosen[name]
        parameters.append(
            ParameterInForce(
                name=name,
                label=compiled.timelines[name].parameter.label,
                text=str(literal.amount if isinstance(literal, Money) else literal),
                amount=literal if isinstance(literal, Money) else None,
                number=Decimal(literal)
                if isinstance(literal, int | Decimal) and not isinstance(literal, bool)
                else None,
                valid_from=value.valid_from,
                valid_to=value.valid_to,
                source=value.source,
                basis=value.provenance,
            )
        )
    schedule = compiled.bands_at(as_of)
    return PolicyTerms(
        policy=policy.id,
        name=policy.name,
        as_of=as_of,
        parameters=tuple(parameters),
        bands=schedule.bands if schedule is not None else (),
    )
