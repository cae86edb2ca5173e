"""Registering the built-in policies and opening their pots, for a first start."""

from __future__ import annotations

from typing import TYPE_CHECKING

from samskaping.payouts import builtin_policy_names, load_policy

if TYPE_CHECKING:
    from samskaping.ledger import Ledger

__all__ = ["SETUP_ACTOR", "ensure_builtin_pots"]

#: The actor recorded for the set-up entries.
SETUP_ACTOR = "samskaping-setup"


def ensure_builtin_pots(ledger: Ledger) -> list[str]:
    """Register each built-in policy and open its own pot; repeated calls change nothing.

    Returns:
        The pot ids now open.
    """
    opened = []
    for name in builtin_policy_names():
        policy = load_policy(name)
        ledger.register_policy(policy, actor=SETUP_ACTOR)
        if policy.pot is not None:
            ledger.open_pot(policy_id=policy.id, actor=SETUP_ACTOR)
            opened.append(policy.pot.id)
    return opened
