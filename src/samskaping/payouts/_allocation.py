"""Allocation of many requests against one limited pot, in a fixed priority order.

The order (each step breaks the ties of the one before):

1. requests that meet children's needs first (002:1585: «Barna og ungdommenes behov
   var førende for prioritering av tildeling»); a request meets them if it says so
   (``for_children``) or its purpose is marked so in the catalogue;
2. a higher need weight first (002:3519: «de som trenger det mest får mest»);
3. the tie-break: the earlier ``submitted`` date first (a request without a date after
   every dated one), then the request id in alphabetical order.

Each request is then decided with :func:`~samskaping.payouts.evaluate` against what
the ones before it left. A request that meets the rules but cannot be paid because
the pot has run out (or would only be paid in part where the policy forbids that) is
*deferred*, not rejected.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

import attrs

from samskaping._errors import InvalidInputError
from samskaping._money import Money, sum_money
from samskaping._records import Records, plain
from samskaping.io import register_result_hooks, result_json
from samskaping.l10n import Lang
from samskaping.model import Pot
from samskaping.payouts._compiled import compile_policy
from samskaping.payouts._decision import Decision, DecisionStatus
from samskaping.payouts._engine import decide_in_turn
from samskaping.payouts._policy import Policy
from samskaping.payouts._request import HIDDEN, Request

if TYPE_CHECKING:
    from cattrs import Converter

__all__ = ["ALLOCATION_SCHEMA_VERSION", "AllocationResult", "Deferred", "allocate", "priority_key"]

#: The version of the JSON shape of an allocation.
ALLOCATION_SCHEMA_VERSION: Final = 1
_LATEST: Final = datetime.date.max


def _hidden(_value: object) -> str:
    return repr(HIDDEN)


@attrs.frozen(kw_only=True)
class Deferred:
    """A request that meets the rules but waits for money (*utsatt*).

    Attributes:
        position: Its place in the priority order (from 1).
        reason: ``pot_emptied`` (nothing was left) or ``partial_not_allowed`` (only
            part was left, and the policy does not grant in part).
    """

    request_id: str
    household_ref: str = attrs.field(repr=_hidden)
    requested: Money
    position: int
    reason: str
    decision: Decision = attrs.field(repr=False)


@attrs.frozen(kw_only=True)
class AllocationResult(Records):
    """Who got what, who was deferred, and why.

    ``available_before == total_granted + available_after`` holds exactly.
    """

    policy_id: str
    as_of: datetime.date
    order: tuple[str, ...]
    granted: tuple[Decision, ...]
    deferred: tuple[Deferred, ...]
    rejected: tuple[Decision, ...]
    referred: tuple[Decision, ...]
    available_before: Money
    available_after: Money

    @property
    def total_granted(self) -> Money:
        """The sum of the amounts granted."""
        return sum_money(d.amount for d in self.granted)

    def to_dict(
        self, *, lang: str | None = None, reveal_identifiers: bool = False
    ) -> dict[str, Any]:
        """The allocation as JSON-ready data with ``"schema_version": 1``."""
        return result_json(self, lang=lang, reveal_identifiers=reveal_identifiers)  # type: ignore[no-any-return]

    def to_records(self, *, reveal_identifiers: bool = False) -> list[dict[str, object]]:
        """One row per request in priority order: who got what, who was deferred, and why."""
        outcome: dict[str, tuple[str, object, str]] = {}
        for group, decisions in (
            ("granted", self.granted),
            ("rejected", self.rejected),
            ("referred", self.referred),
        ):
            for decision in decisions:
                reasons = ", ".join(r.code for r in decision.reasons)
                outcome[decision.request_id] = (group, plain(decision.amount), reasons)
        for deferred in self.deferred:
            outcome[deferred.request_id] = ("deferred", Decimal(0), deferred.reason)
        refs = {
            d.request_id: d.household_ref for d in (*self.granted, *self.rejected, *self.referred)
        }
        refs.update({d.request_id: d.household_ref for d in self.deferred})
        return [
            {
                "position": position,
                "request_id": request_id,
                "household": refs.get(request_id) if reveal_identifiers else None,
                "outcome": outcome.get(request_id, ("", None, ""))[0],
                "amount": outcome.get(request_id, ("", None, ""))[1],
                "reasons": outcome.get(request_id, ("", None, ""))[2],
            }
            for position, request_id in enumerate(self.order, start=1)
        ]


def priority_key(request: Request, policy: Policy) -> tuple[int, Decimal, datetime.date, str]:
    """The sort key of a request in an allocation: smaller comes first."""
    children = request.for_children or any(
        p.code == request.purpose and p.for_children for p in policy.purposes
    )
    return (
        0 if children else 1,
        -request.household.need_weight,
        request.submitted or _LATEST,
        request.id,
    )


def _deferral(decision: Decision) -> str | None:
    if decision.status is not DecisionStatus.REJECTED:
        return None
    codes = [r.code for r in decision.reasons]
    if codes[0] == "pot_emptied":
        return "pot_emptied"
    if codes[0] in {"partial_not_allowed", "nothing_to_grant"} and "pot_limited" in codes:
        return "partial_not_allowed" if codes[0] == "partial_not_allowed" else "pot_emptied"
    return None


def allocate(
    policy: Policy,
    requests: Iterable[Request],
    pot: Pot,
    as_of: datetime.date,
    *,
    trace: bool = False,
) -> tuple[AllocationResult, Pot]:
    """Decide many requests against one pot in the documented priority order.

    Returns:
        The result (granted, deferred, rejected, referred) and the pot after it.

    Raises:
        InvalidInputError: If two requests share an id.
    """
    compile_policy(policy)
    items = list(requests)
    ids = [r.id for r in items]
    if len(set(ids)) != len(ids):
        raise InvalidInputError("request ids must be unique", what="requests")
    ordered = sorted(items, key=lambda r: priority_key(r, policy))
    before = pot.available
    granted: list[Decision] = []
    deferred: list[Deferred] = []
    rejected: list[Decision] = []
    referred: list[Decision] = []
    current = pot
    decided = decide_in_turn(policy, ordered, pot, as_of, trace=trace)
    for position, (request, (decision, after)) in enumerate(zip(ordered, decided, strict=True), 1):
        current = after
        if decision.status in {DecisionStatus.GRANTED, DecisionStatus.PARTIAL}:
            granted.append(decision)
        elif decision.status is DecisionStatus.REFERRED:
            referred.append(decision)
        else:
            reason = _deferral(decision)
            if reason is None:
                rejected.append(decision)
            else:
                deferred.append(
                    Deferred(
                        request_id=request.id,
                        household_ref=request.household.ref,
                        requested=request.amount,
                        position=position,
                        reason=reason,
                        decision=decision,
                    )
                )
    result = AllocationResult(
        policy_id=policy.id,
        as_of=as_of,
        order=tuple(r.id for r in ordered),
        granted=tuple(granted),
        deferred=tuple(deferred),
        rejected=tuple(rejected),
        referred=tuple(referred),
        available_before=before,
        available_after=current.available,
    )
    return result, current


@register_result_hooks
def _install_json_hooks(converter: Converter, lang: Lang | None, reveal: bool) -> None:  # noqa: FBT001
    del lang

    def deferred(value: Deferred) -> dict[str, Any]:
        return {
            "request_id": value.request_id,
            "household": value.household_ref if reveal else HIDDEN,
            "requested": str(value.requested.amount),
            "position": value.position,
            "reason": value.reason,
        }

    def result(value: AllocationResult) -> dict[str, Any]:
        return {
            "schema_version": ALLOCATION_SCHEMA_VERSION,
            "kind": "allocation",
            "policy": value.policy_id,
            "as_of": value.as_of.isoformat(),
            "order": list(value.order),
            "available_before": str(value.available_before.amount),
            "total_granted": str(value.total_granted.amount),
            "available_after": str(value.available_after.amount),
            "granted": [converter.unstructure(d, Decision) for d in value.granted],
            "deferred": [deferred(d) for d in value.deferred],
            "rejected": [converter.unstructure(d, Decision) for d in value.rejected],
            "referred": [converter.unstructure(d, Decision) for d in value.referred],
        }

    converter.register_unstructure_hook(Deferred, deferred)
    converter.register_unstructure_hook(AllocationResult, result)
