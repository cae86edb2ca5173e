"""The decision engine: ``evaluate(policy, request, pot, as_of) -> (Decision, Pot)``.

A decision is a pure function of the policy, the request, the pot and the date
(DOMAIN §6). The pot is never changed: a grant returns a new pot with a commitment.
The steps, in order:

1. the pot must be open on the date for the policy's payout type;
2. the purpose must be in the policy's catalogue (if it has one);
3. every eligibility rule must hold (the first that fails rejects the request);
4. the first referral rule that holds refers the request to an ordinary scheme;
5. the amount (for conditional payouts at most what was asked) is limited by each
   cap and by what is left in the pot;
6. the approval band of the amount gives the approvers (002:1711);
7. flags are raised; they never block (002:1940-1966).

A rule that meets a value it cannot compute (a parameter not in force on the date, a
missing input, a division by zero) does not decide: the request is rejected with a
reason naming the rule, and flagged for clarification.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Any, Final

import attrs

from samskaping._errors import InvalidInputError
from samskaping._money import Money
from samskaping.model import Basis, PaymentType, Pot, PotEntry
from samskaping.payouts._compiled import (
    CompiledCondition,
    CompiledPolicy,
    CompiledRule,
    Step,
    compile_policy,
    kept_parameter_steps,
    new_step,
    parameter_steps,
)
from samskaping.payouts._decision import (
    Approvers,
    Decision,
    DecisionStatus,
    DocumentationRecord,
    Flag,
    Reason,
    Trace,
    TraceKind,
)
from samskaping.payouts._entries import appended
from samskaping.payouts._expr_ast import ValueType
from samskaping.payouts._expr_compile import Context
from samskaping.payouts._expr_ops import LIMIT_INT, Undefined
from samskaping.payouts._history import PotHistory, extend_history, history_of
from samskaping.payouts._policy import Policy, Purpose
from samskaping.payouts._pots import PotStatus, status_with
from samskaping.payouts._request import Request
from samskaping.payouts._values import normalise_value, runtime_value

__all__ = ["evaluate", "evaluate_many"]

_GRANTED: Final = DecisionStatus.GRANTED
_PARTIAL: Final = DecisionStatus.PARTIAL
_REJECTED: Final = DecisionStatus.REJECTED
_REFERRED: Final = DecisionStatus.REFERRED
_ZERO: Final = Money(0)

_NOT_IN_FORCE_BANDS: Final = "approval_bands"
# Enum members as module constants: reading them from the class is slower.
_MONEY: Final = ValueType.MONEY
_INPUT: Final = TraceKind.INPUT
_DERIVED: Final = TraceKind.DERIVED
_POT: Final = TraceKind.POT
_AMOUNT: Final = TraceKind.AMOUNT
_CAP: Final = TraceKind.CAP
_GRANT: Final = TraceKind.GRANT
_OPEN: Final = PotStatus.OPEN
_EMPTIED: Final = PotStatus.EMPTIED
_CONDITIONAL: Final = PaymentType.CONDITIONAL
_UNCONDITIONAL: Final = PaymentType.UNCONDITIONAL
#: A trace step whose value is an amount in øre.
_ORE: Final = True
#: Declared inputs whose Python type is already the run-time value.
_FAST: Final[dict[ValueType, type]] = {ValueType.BOOL: bool, ValueType.INT: int, ValueType.STR: str}


def _purpose_for_children(compiled: CompiledPolicy, request: Request) -> bool:
    """Whether the request's purpose is marked as meeting children's needs (002:1585)."""
    purpose = compiled.purposes.get(request.purpose) if request.purpose else None
    return purpose is not None and purpose.for_children


class _PotIndex:
    """What a run of decisions needs to know of a pot's entries, kept up to date as it goes.

    One decision on its own reads the pot's entries once. Many decisions in a row
    (:func:`evaluate_many`, :func:`~samskaping.payouts.allocate`) keep this index
    instead, so each decision costs the same however many came before it.
    """

    __slots__ = ("count", "ids", "received", "used_ore")

    def __init__(self, pot: Pot) -> None:
        self.ids: set[str] = set()
        self.used_ore = 0
        self.received: dict[str | None, int] = {}
        self.count: dict[str | None, int] = {}
        for entry in (*pot.commitments, *pot.disbursements):
            self.add(entry)

    def add(self, entry: PotEntry) -> None:
        """Count one more entry."""
        ore = entry.amount.ore
        self.ids.add(entry.id)
        self.used_ore += ore
        self.received[entry.reference] = self.received.get(entry.reference, 0) + ore
        self.count[entry.reference] = self.count.get(entry.reference, 0) + 1

    def used(self) -> int:
        """Øre committed or paid out from the pot."""
        return self.used_ore

    def household(self, ref: str | None) -> tuple[int, int]:
        """What the household has received (øre) and how many grants it has had."""
        return self.received.get(ref, 0), self.count.get(ref, 0)

    def decided(self, request_id: str) -> bool:
        """Whether the pot already has an entry for ``request_id``."""
        return request_id in self.ids


class _Run:
    """One evaluation: collects reasons, flags and (optionally) trace steps."""

    __slots__ = (
        "as_of",
        "compiled",
        "context",
        "flags",
        "history",
        "pot",
        "reasons",
        "request",
        "snapshot",
        "stated",
        "steps",
        "used_params",
    )

    def __init__(
        self,
        compiled: CompiledPolicy,
        request: Request,
        pot: Pot,
        as_of: datetime.date,
        *,
        trace: bool,
        history: PotHistory,
    ) -> None:
        self.history = history
        self.compiled = compiled
        self.request = request
        self.pot = pot
        self.as_of = as_of
        self.reasons: list[Reason] = []
        self.flags: list[Flag] = []
        self.steps: list[Step] | None = [] if trace else None
        self.stated: list[tuple[str, Basis]] = []
        self.used_params: list[tuple[str, ...]] = []
        self.context = Context({})
        self.snapshot = compiled.params_at(as_of)

    # --- the steps ---

    def run(self) -> tuple[Decision, Pot]:  # noqa: C901, PLR0911, PLR0912, PLR0915  (the steps)
        compiled = self.compiled
        policy = compiled.policy
        request = self.request
        pot = self.pot
        kind = policy.payment_type
        reference = request.household.ref
        history = self.history
        if history.decided(request.id):
            return self._finish(_REJECTED, Reason(code="already_decided"), _ZERO, None)
        used = history.used()
        received, previous = history.household(reference)
        self._environment(received, previous)
        available = pot.total.ore - used
        status = status_with(pot, self.as_of, kind, available)
        if self.steps is not None:
            self.steps.append(new_step((_POT, pot.id, available, _ORE, pot.source, status.value)))
        # An emptied pot still checks the rules first: only a request that meets them
        # is turned down for want of money (and so deferred by an allocation).
        emptied = status is _EMPTIED
        if status is not _OPEN and not emptied:
            return self._finish(
                _REJECTED, Reason(code=f"pot_{status.value}", rule=pot.id), _ZERO, None
            )
        purpose = self._purpose()
        if isinstance(purpose, Reason):
            return self._finish(_REJECTED, purpose, _ZERO, None)
        for rule in compiled.eligibility:
            outcome = self._check(rule)
            if isinstance(outcome, Reason):
                return self._finish(_REJECTED, outcome, _ZERO, None)
            if not outcome:
                return self._finish(
                    _REJECTED, Reason(code="rule_not_met", rule=rule.name), _ZERO, None
                )
        for rule in compiled.referrals:
            outcome = self._check(rule)
            if isinstance(outcome, Reason):
                return self._finish(_REJECTED, outcome, _ZERO, None)
            if outcome:
                scheme = rule.item.scheme
                reason = Reason(code="referred", rule=rule.name, params=(("scheme", scheme),))
                self._raise_flags(purpose)
                return self._finish(_REFERRED, reason, _ZERO, None)
        amount = self._value(compiled.amount, _AMOUNT)
        if isinstance(amount, Reason):
            return self._finish(_REJECTED, amount, _ZERO, None)
        due = max(amount, 0)
        if kind is _CONDITIONAL:
            requested = request.amount
            if due < requested.ore:
                self.reasons.append(
                    Reason(
                        code="amount_rule", rule="amount", params=(("amount", Money.from_ore(due)),)
                    )
                )
            else:
                due = requested.ore
        else:
            requested = Money.from_ore(due)
        granted = due
        for cap in compiled.caps:
            limit = self._value(cap, _CAP)
            if isinstance(limit, Reason):
                return self._finish(_REJECTED, limit, _ZERO, None)
            if limit < granted:
                granted = max(limit, 0)
                self.reasons.append(
                    Reason(
                        code="cap_applied",
                        rule=cap.name,
                        params=(("cap", Money.from_ore(granted)),),
                    )
                )
        if granted > available:
            if emptied:
                return self._finish(
                    _REJECTED,
                    Reason(code="pot_emptied", rule=pot.id),
                    _ZERO,
                    None,
                    requested=requested,
                )
            granted = available
            self.reasons.append(
                Reason(
                    code="pot_limited",
                    rule=pot.id,
                    params=(("available", Money.from_ore(available)),),
                )
            )
        self._raise_flags(purpose)
        # Reuse the amounts already made: creating Money validates, which takes time.
        if granted == requested.ore:
            grant = requested
        elif granted == request.amount.ore:
            grant = request.amount
        else:
            grant = Money.from_ore(granted)
        if not granted:
            return self._finish(
                _REJECTED, Reason(code="nothing_to_grant"), _ZERO, None, requested=requested
            )
        if granted < requested.ore:
            if not policy.partial_grants:
                return self._finish(
                    _REJECTED,
                    Reason(code="partial_not_allowed", params=(("amount", grant),)),
                    _ZERO,
                    None,
                    requested=requested,
                )
            status_out = _PARTIAL
        else:
            status_out = _GRANTED
        approvers = self._approvers(grant)
        if isinstance(approvers, Reason):
            return self._finish(_REJECTED, approvers, _ZERO, None, requested=requested)
        if kind is _UNCONDITIONAL:
            main = Reason(
                code="unconditional_rate",
                rule=policy.unconditional.rate if policy.unconditional else None,
                params=(("children", request.household.children), ("amount", grant)),
            )
        else:
            main = Reason(
                code="granted" if status_out is _GRANTED else "partly_granted",
                params=(("amount", grant),),
            )
        entry = PotEntry(
            id=request.id, amount=grant, date=self.as_of, payment_type=kind, reference=reference
        )
        new_pot = attrs.evolve(pot, commitments=appended(pot.commitments, entry))
        if self.steps is not None:
            self.steps.append(new_step((_GRANT, status_out.value, granted, _ORE, None, None)))
        return self._finish(
            status_out, main, grant, approvers, requested=requested, new_pot=new_pot
        )

    def _environment(self, received: int, previous: int) -> None:
        compiled = self.compiled
        request = self.request
        snapshot = self.snapshot
        env = dict(snapshot.env)
        errors = dict(snapshot.errors)
        for name, read in compiled.standard_inputs:
            value = read(request, received, previous)
            if value is not None:
                env[name] = value
        for name, decl, household, key in compiled.declared_inputs:
            attributes = request.household.attributes if household else request.attributes
            raw = attributes.get(key, decl.default)
            kind = decl.type
            if raw is None:
                errors[name] = Undefined("missing_input", name)
            elif type(raw) is _FAST.get(kind) and (
                not isinstance(raw, int) or -LIMIT_INT <= raw <= LIMIT_INT
            ):
                env[name] = raw
            else:
                try:
                    env[name] = runtime_value(normalise_value(raw, kind), kind)
                except InvalidInputError:
                    errors[name] = Undefined("invalid_input", name)
        context = self.context = Context(env, errors)
        steps = self.steps
        if steps is not None:
            for name, money in compiled.money_inputs:
                if name in env:
                    steps.append(new_step((_INPUT, name, env[name], money, None, None)))
        for rule in compiled.derived:
            try:
                env[rule.name] = rule.function(context)
            except Undefined as exc:
                errors[rule.name] = exc
                continue
            if steps is not None:
                self.used_params.append(rule.params)
                money = rule.item.type is _MONEY
                steps.append(
                    new_step((_DERIVED, rule.name, env[rule.name], money, rule.source, rule.text))
                )

    def _purpose(self) -> Purpose | Reason | None:
        compiled = self.compiled
        if not compiled.policy.purposes:
            return None
        code = self.request.purpose
        if code is None:
            return Reason(code="purpose_missing")
        purpose = compiled.purposes.get(code)
        if purpose is None:
            return Reason(code="purpose_unknown", params=(("purpose", code),))
        if self.steps is not None:
            self.steps.append(compiled.purpose_steps[code])
        return purpose

    def _undefined(self, rule: CompiledRule, exc: Undefined) -> Reason:
        if exc.why == "not_in_force":
            return Reason(
                code="not_in_force",
                rule=rule.name,
                params=(("parameter", exc.name), ("date", self.as_of)),
            )
        if exc.why in {"missing_input", "invalid_input"}:
            self.flags.append(
                Flag(
                    code="clarification_needed",
                    rule=rule.name,
                    params=(("kind", "input"), ("what", exc.name)),
                )
            )
            return Reason(code=exc.why, rule=rule.name, params=(("input", exc.name),))
        self.flags.append(
            Flag(
                code="clarification_needed",
                rule=rule.name,
                params=(("kind", "rule"), ("what", rule.name)),
            )
        )
        return Reason(code="undefined", rule=rule.name, params=(("why", exc.why),))

    def _check(self, rule: CompiledCondition) -> bool | Reason:
        try:
            outcome = rule.function(self.context)
        except Undefined as exc:
            return self._undefined(rule, exc)
        if self.steps is not None:
            self.used_params.append(rule.params)
            self.steps.append(
                rule.outcomes[outcome] if type(outcome) is bool else _outcome(rule, outcome)
            )
        return outcome  # type: ignore[no-any-return]

    def _value(self, rule: CompiledRule, kind: TraceKind) -> int | Reason:
        try:
            value: int = rule.function(self.context)
        except Undefined as exc:
            return self._undefined(rule, exc)
        if self.steps is not None:
            self.used_params.append(rule.params)
            self.steps.append(new_step((kind, rule.name, value, _ORE, rule.source, rule.text)))
        return value

    def _approvers(self, amount: Money) -> Approvers | Reason | None:
        compiled = self.compiled
        if not compiled.schedules:
            return None
        found = compiled.band_at(self.as_of, amount)
        if found is None:
            return Reason(
                code="not_in_force",
                rule=_NOT_IN_FORCE_BANDS,
                params=(("parameter", _NOT_IN_FORCE_BANDS), ("date", self.as_of)),
            )
        band, step = found
        if self.steps is not None:
            # A band with no source of its own is a design default: it is never
            # attributed to its schedule's source (the basis says so instead).
            self.steps.append(step)
            if band.basis is not None:
                self.stated.append((band.id, band.basis))
        return Approvers(
            band=band.id,
            body=band.approvers,
            people=band.people,
            source=band.source,
            basis=band.provenance,
        )

    def _raise_flags(self, purpose: Purpose | None) -> None:
        request = self.request
        flags = self.flags
        if purpose is not None:
            if purpose.ordinary_scheme and not request.ordinary_scheme_checked:
                flags.append(
                    Flag(code="ordinary_scheme_first", params=(("purpose", purpose.code),))
                )
            if purpose.needs_clarification and not request.clarified:
                flags.append(
                    Flag(
                        code="clarification_needed",
                        params=(("kind", "purpose"), ("what", purpose.code)),
                    )
                )
        if request.running_cost or (purpose is not None and purpose.running_cost):
            flags.append(Flag(code="running_cost"))
        previous = self.context.env.get("household.previous_requests")
        if previous is None:
            previous = self.history.household(request.household.ref)[1]
        if previous >= self.compiled.policy.repeat_request_after:
            flags.append(Flag(code="repeat_request", params=(("previous", previous),)))
        if request.decider_has_social_assistance_mandate:
            flags.append(Flag(code="dual_mandate_conflict"))
        for rule in self.compiled.flags:
            try:
                raised = rule.function(self.context)
            except Undefined:
                flags.append(
                    Flag(
                        code="clarification_needed",
                        rule=rule.name,
                        params=(("kind", "rule"), ("what", rule.name)),
                    )
                )
                continue
            if self.steps is not None:
                self.used_params.append(rule.params)
                self.steps.append(
                    rule.outcomes[raised] if type(raised) is bool else _outcome(rule, raised)
                )
            if raised:
                flags.append(Flag(code=rule.name, rule=rule.name))

    def _finish(
        self,
        status: DecisionStatus,
        reason: Reason,
        amount: Money,
        approvers: Approvers | None,
        *,
        requested: Money | None = None,
        new_pot: Pot | None = None,
    ) -> tuple[Decision, Pot]:
        compiled = self.compiled
        policy = compiled.policy
        request = self.request
        reasons = (reason, *self.reasons)
        if requested is None:
            requested = request.amount
        trace = None
        if self.steps is not None:
            trace = Trace(
                raw=(*self._parameter_steps(), *self.steps),
                personal=compiled.personal,
                bases=self._bases(),
            )
        env = self.context.env
        household = request.household
        known: dict[str, Any] = {
            "household.adults": household.adults,
            "household.children": household.children,
            "household.need_weight": household.need_weight,
            "household.type": household.type,
            "request.for_children": request.for_children
            or _purpose_for_children(compiled, request),
            "request.purpose": request.purpose,
        }
        scope = compiled.scope
        for name in compiled.used_inputs:
            if name in env:
                value = env[name]
                if name == "request.amount":
                    known[name] = request.amount
                elif scope[name] is ValueType.MONEY:
                    known[name] = Money.from_ore(value)
                else:
                    known[name] = value
        inputs = tuple((name, known[name]) for name in compiled.recorded_inputs if name in known)
        record = DocumentationRecord(
            request_id=request.id,
            household_ref=request.household.ref,
            policy_id=policy.id,
            policy_version=policy.version,
            policy_source=policy.source,
            as_of=self.as_of,
            payment_type=policy.payment_type,
            purpose=request.purpose,
            status=status,
            amount=amount,
            justification=tuple(r.code for r in reasons),
            approvers=approvers,
        )
        decision = Decision(
            request_id=request.id,
            household_ref=request.household.ref,
            policy_id=policy.id,
            as_of=self.as_of,
            payment_type=policy.payment_type,
            status=status,
            requested=requested,
            amount=amount,
            approvers=approvers,
            reasons=reasons,
            flags=tuple(self.flags),
            documentation=record,
            trace=trace,
            inputs=inputs,
        )
        return decision, self.pot if new_pot is None else new_pot

    def _bases(self) -> tuple[tuple[str, Basis], ...]:
        """The stated bases of the parameters in force that the trace shows, and of bands."""
        return (*self.snapshot.bases, *self.stated)

    def _parameter_steps(self) -> tuple[Step, ...]:
        """The steps of the parameters in force the rules read, by name."""
        compiled = self.compiled
        used = tuple(self.used_params)
        if compiled.keyed:
            return kept_parameter_steps(compiled, self.as_of, used)
        return parameter_steps(compiled, self.as_of, used)


def _outcome(rule: CompiledCondition, value: object) -> Step:
    """The trace step of a rule whose value is not a bool (a flag given as 0 or 1)."""
    step = rule.outcomes[True]
    return Step(step.kind, step.name, value, step.ore, step.source, step.detail)


def _check_arguments(
    policy: Policy, request: Request, pot: Pot, as_of: datetime.date
) -> CompiledPolicy:
    if not isinstance(policy, Policy):
        raise InvalidInputError("expected a Policy (see load_policy)", what="policy")
    if not isinstance(request, Request):
        raise InvalidInputError("expected a Request", what="request")
    if not isinstance(pot, Pot):
        raise InvalidInputError("expected a Pot", what="pot")
    day: object = as_of
    if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
        raise InvalidInputError("expected a date (datetime.date)", what="as_of")
    compiled = compile_policy(policy)
    if policy.payment_type is PaymentType.COLLECTIVE:
        raise InvalidInputError(
            f"{policy.id!r} is a collective policy: use decide_collective() for its proposals",
            what="policy",
        )
    return compiled


def evaluate(
    policy: Policy,
    request: Request,
    pot: Pot,
    as_of: datetime.date,
    *,
    trace: bool = False,
    history: PotHistory | None = None,
) -> tuple[Decision, Pot]:
    """Decide one request under a conditional or unconditional policy, as of a date.

    A pure function: the same arguments always give an equal decision, and ``pot`` is
    not changed. A grant returns a new pot with a commitment under the request's id.

    Args:
        policy: The policy (see :func:`~samskaping.payouts.load_policy`).
        request: The request, with its household.
        pot: The pot it would be paid from.
        as_of: The date the policy is applied as of (parameters are effective-dated).
        trace: Record every rule and parameter used, with its value and source.
        history: What is known of the pot's earlier entries (see
            :class:`~samskaping.payouts.PotHistory`); by default the pot's own entries,
            indexed once and kept beside the pot, so the cost does not grow with them.

    Returns:
        The decision and the pot after it.

    Raises:
        InvalidInputError: If an argument has the wrong type, or the policy is
            collective (use :func:`~samskaping.payouts.decide_collective`).
        PolicyError: If a policy built by hand is not valid.
    """
    compiled = _check_arguments(policy, request, pot, as_of)
    if history is not None:
        return _Run(compiled, request, pot, as_of, trace=trace, history=history).run()
    decision, after = _Run(
        compiled, request, pot, as_of, trace=trace, history=history_of(pot)
    ).run()
    if after is not pot:
        extend_history(pot, after, after.commitments[-1])
    return decision, after


def evaluate_many(
    policy: Policy, requests: Any, pot: Pot, as_of: datetime.date, *, trace: bool = False
) -> tuple[tuple[Decision, ...], Pot]:
    """Decide requests one after another, each against the pot the one before left.

    Returns:
        The decisions in the order of the requests, and the pot after the last one.
    """
    decisions = []
    for decision, after in decide_in_turn(policy, requests, pot, as_of, trace=trace):
        decisions.append(decision)
        pot = after
    return tuple(decisions), pot


def decide_in_turn(
    policy: Policy, requests: Iterable[Request], pot: Pot, as_of: datetime.date, *, trace: bool
) -> Iterator[tuple[Decision, Pot]]:
    """Each request decided against the pot the one before left, with the pot after it.

    The same decisions as calling :func:`evaluate` in a loop, with the pot's entries
    indexed once rather than read again for every request.
    """
    index: _PotIndex | None = None
    for request in requests:
        compiled = _check_arguments(policy, request, pot, as_of)
        if index is None:
            index = _PotIndex(pot)
        decision, after = _Run(compiled, request, pot, as_of, trace=trace, history=index).run()
        if after is not pot:
            index.add(after.commitments[-1])
        pot = after
        yield decision, pot
