"""Compile a checked policy into the form the engine runs.

The checker (:mod:`samskaping.payouts._check`) finds every problem of a policy; this
module turns a policy that passed into a :class:`CompiledPolicy`: each expression a
Python closure (no text is ever evaluated), each parameter a timeline, and everything
the engine would otherwise work out per decision (which inputs to read and how, the
trace steps that never change) worked out once.

A compiled policy is a value determined by its policy (it equals another when their
policies are equal). :func:`compile_policy` keeps the compiled form of recent policies,
keyed by the (frozen, hashable) policy value; :meth:`CompiledPolicy.params_at` keeps
recent parameter snapshots, and :func:`kept_parameter_steps` recent parameter steps of
traces, keyed by the compiled policy and the date. Nothing is ever stored on a policy or
a compiled policy.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Mapping
from typing import Any, Final, NamedTuple

import attrs

from samskaping._errors import InvalidInputError
from samskaping._money import Money
from samskaping.model import Basis
from samskaping.payouts._check import CheckedExpr, CheckedPolicy, check, normalise_policy
from samskaping.payouts._decision import TraceKind
from samskaping.payouts._errors import PolicyError
from samskaping.payouts._expr_ast import Node, ValueType, names, to_source
from samskaping.payouts._expr_compile import Compiled, Context, compile_expression
from samskaping.payouts._expr_ops import Undefined
from samskaping.payouts._policy import (
    ApprovalBand,
    BandSchedule,
    InputDecl,
    Parameter,
    ParameterValue,
    Policy,
    Purpose,
)
from samskaping.payouts._request import Request
from samskaping.payouts._values import runtime_value

__all__ = [
    "RECORDED_INPUTS",
    "CompiledCondition",
    "CompiledPolicy",
    "CompiledRule",
    "InputReader",
    "ParamSnapshot",
    "StandardReader",
    "Step",
    "band_for",
    "check_policy",
    "compile_policy",
    "kept_parameter_steps",
    "new_step",
    "parameter_steps",
]

#: Inputs every decision records (for the fairness report), whether its rules read them.
RECORDED_INPUTS: Final = (
    "household.adults",
    "household.children",
    "household.need_weight",
    "household.type",
    "request.for_children",
    "request.purpose",
)
#: How many policies, and how many (policy, date) parameter snapshots, are kept.
_COMPILED_KEPT: Final = 256
_SNAPSHOTS_KEPT: Final = 1024

#: How the engine reads a standard input: from the request, what the household has
#: received from the pot (øre) and how many grants it has had.
StandardReader = Callable[[Request, int, int], Any]
_STANDARD: Final[Mapping[str, StandardReader]] = {
    "household.children": lambda r, _a, _b: r.household.children,
    "household.adults": lambda r, _a, _b: r.household.adults,
    "household.disadvantaged": lambda r, _a, _b: r.household.disadvantaged,
    "household.need_weight": lambda r, _a, _b: r.household.need_weight,
    "household.type": lambda r, _a, _b: r.household.type,
    "household.received": lambda _r, received, _b: received,
    "household.previous_requests": lambda _r, _a, previous: previous,
    "request.amount": lambda r, _a, _b: r.amount.ore,
    "request.purpose": lambda r, _a, _b: r.purpose,
    "request.for_children": lambda r, _a, _b: r.for_children,
    "request.ordinary_scheme_checked": lambda r, _a, _b: r.ordinary_scheme_checked,
    "request.clarified": lambda r, _a, _b: r.clarified,
    "request.running_cost": lambda r, _a, _b: r.running_cost,
    "request.decider_has_social_assistance_mandate": lambda r, _a, _b: (
        r.decider_has_social_assistance_mandate
    ),
}


# --- the compiled form ------------------------------------------------------------------


class Step(NamedTuple):
    """One step of a decision as the engine records it.

    Steps become :class:`~samskaping.payouts.TraceStep` values only when a trace is
    read, so that tracing costs the engine little. A step is a tuple of its fields, in
    this order, as :attr:`~samskaping.payouts.Trace.raw` holds them.
    """

    #: What the step records.
    kind: TraceKind
    #: The rule, parameter, input, band or pot it concerns.
    name: str
    #: The value, as rule expressions see it.
    value: Any
    #: Whether the value is an amount in øre.
    ore: bool
    #: The source it cites, if any.
    source: str | None
    #: The expression, the validity interval or the band's bounds, if any.
    detail: str | None


#: A step made from its fields in order: ``new_step((kind, name, value, ore, source,
#: detail))``. The same value as ``Step(...)``, without a Python call: the engine makes
#: several for each traced decision.
new_step: Final = functools.partial(tuple.__new__, Step)


@attrs.frozen(kw_only=True)
class CompiledRule:
    """A rule, cap, referral, flag, derived value or parameter expression, ready to run.

    Attributes:
        name: Its id (or name, for a derived value or a parameter).
        function: The compiled expression.
        tree: The checked tree (for the vectorised path and for traces).
        params: The parameters it reads, directly or through derived values.
        item: The policy item it came from.
        source: The source it cites, if any.
        text: The expression as text (for traces).
    """

    name: str
    function: Compiled
    tree: Node
    params: tuple[str, ...]
    item: Any
    source: str | None = None
    text: str = attrs.field(
        init=False,
        eq=False,
        default=attrs.Factory(lambda self: to_source(self.tree), takes_self=True),
    )


@attrs.frozen(kw_only=True)
class CompiledCondition(CompiledRule):
    """An eligibility rule, a referral or a flag: a rule that holds or not.

    Attributes:
        outcomes: Its trace step when it does not hold, and when it holds.
    """

    outcomes: tuple[Step, Step] = attrs.field(eq=False)


@attrs.frozen(kw_only=True)
class ParamSnapshot:
    """Every parameter's value on one date, as run-time values and as trace steps."""

    env: Mapping[str, Any]
    errors: Mapping[str, Undefined]
    chosen: Mapping[str, tuple[ParameterValue, Any]]
    steps: Mapping[str, Step]
    #: The stated basis of each parameter in force that states one.
    bases: tuple[tuple[str, Basis], ...]


@attrs.frozen(kw_only=True)
class _Timeline:
    parameter: Parameter
    entries: tuple[tuple[ParameterValue, Any, CompiledRule | None], ...]

    def at(self, as_of: datetime.date) -> tuple[ParameterValue, Any, CompiledRule | None] | None:
        for entry in self.entries:
            value = entry[0]
            if value.valid_from <= as_of and (value.valid_to is None or as_of < value.valid_to):
                return entry
        return None


class InputReader(NamedTuple):
    """How the engine reads an input the policy declares from a request's attributes."""

    #: The input, e.g. ``household.in_cohort``.
    name: str
    #: Its declaration.
    decl: InputDecl
    #: Whether it is read from the household's attributes (else the request's).
    household: bool
    #: The attribute's key: the name without ``household.`` or ``request.``.
    key: str


@attrs.frozen(kw_only=True, cache_hash=True)
class CompiledPolicy:
    """A checked policy with every expression compiled.

    A compiled policy equals another when their policies are equal: the rest is worked
    out from the policy. Build one with :func:`compile_policy`.
    """

    policy: Policy
    scope: Mapping[str, ValueType] = attrs.field(eq=False)
    inputs: Mapping[str, InputDecl] = attrs.field(eq=False)
    timelines: Mapping[str, _Timeline] = attrs.field(eq=False)
    param_order: tuple[str, ...] = attrs.field(eq=False)
    derived: tuple[CompiledRule, ...] = attrs.field(eq=False)
    eligibility: tuple[CompiledCondition, ...] = attrs.field(eq=False)
    referrals: tuple[CompiledCondition, ...] = attrs.field(eq=False)
    amount: CompiledRule = attrs.field(eq=False)
    caps: tuple[CompiledRule, ...] = attrs.field(eq=False)
    flags: tuple[CompiledCondition, ...] = attrs.field(eq=False)
    schedules: tuple[BandSchedule, ...] = attrs.field(eq=False)
    used_inputs: tuple[str, ...] = attrs.field(eq=False)
    purposes: Mapping[str, Purpose] = attrs.field(eq=False)
    recorded_inputs: tuple[str, ...] = attrs.field(default=(), eq=False)
    #: The inputs declared personal, and the derived values computed from them.
    personal: frozenset[str] = attrs.field(default=frozenset(), eq=False)
    #: The standard inputs in ``used_inputs``, each with how to read it from a request.
    standard_inputs: tuple[tuple[str, StandardReader], ...] = attrs.field(default=(), eq=False)
    #: The declared inputs in ``used_inputs``, each with how to read it from a request.
    declared_inputs: tuple[InputReader, ...] = attrs.field(default=(), eq=False)
    #: Each input in ``used_inputs``, and whether it is an amount.
    money_inputs: tuple[tuple[str, bool], ...] = attrs.field(default=(), eq=False)
    #: The trace step of each purpose, by code.
    purpose_steps: Mapping[str, Step] = attrs.field(factory=dict, eq=False)
    #: The trace step of each band, in the order of ``schedules`` and their bands.
    band_steps: tuple[tuple[Step, ...], ...] = attrs.field(default=(), eq=False)
    #: Whether the policy is hashable, so that its parameter snapshots can be kept.
    keyed: bool = attrs.field(default=True, eq=False)

    def params_at(self, as_of: datetime.date) -> ParamSnapshot:
        """Every parameter's value on ``as_of`` (recent dates are kept)."""
        if self.keyed:
            return _kept_snapshot(self, as_of)
        return _snapshot(self, as_of)

    def bands_at(self, as_of: datetime.date) -> BandSchedule | None:
        """The approval bands valid on ``as_of``, if any."""
        found = self._schedule_at(as_of)
        return None if found is None else self.schedules[found]

    def band_at(self, as_of: datetime.date, amount: Money) -> tuple[ApprovalBand, Step] | None:
        """The band ``amount`` falls in on ``as_of`` and its trace step; ``None`` if none is."""
        found = self._schedule_at(as_of)
        if found is None:
            return None
        for band, step in zip(self.schedules[found].bands, self.band_steps[found], strict=True):
            if band.contains(amount):
                return band, step
        raise InvalidInputError(
            f"no approval band covers {amount.amount}", what="amount"
        )  # pragma: no cover

    def _schedule_at(self, as_of: datetime.date) -> int | None:
        for index, schedule in enumerate(self.schedules):
            if schedule.valid_from <= as_of and (
                schedule.valid_to is None or as_of < schedule.valid_to
            ):
                return index
        return None


def band_for(schedule: BandSchedule, amount: Money) -> ApprovalBand:
    """The one band ``amount`` falls in (a checked schedule covers every amount)."""
    for band in schedule.bands:
        if band.contains(amount):
            return band
    raise InvalidInputError(
        f"no approval band covers {amount.amount}", what="amount"
    )  # pragma: no cover


# --- parameter snapshots ----------------------------------------------------------------


def _snapshot(compiled: CompiledPolicy, as_of: datetime.date) -> ParamSnapshot:
    env: dict[str, Any] = {}
    errors: dict[str, Undefined] = {}
    chosen: dict[str, tuple[ParameterValue, Any]] = {}
    context = Context(env, errors)
    for name in compiled.param_order:
        timeline = compiled.timelines[name]
        key = f"params.{name}"
        entry = timeline.at(as_of)
        if entry is None:
            errors[key] = Undefined("not_in_force", name)
            continue
        value, literal, rule = entry
        kind = timeline.parameter.type
        if rule is None:
            env[key] = runtime_value(literal, kind)
            chosen[name] = (value, literal)
            continue
        try:
            result = rule.function(context)
        except Undefined as exc:
            errors[key] = exc
            continue
        env[key] = result
        chosen[name] = (value, Money.from_ore(result) if kind is ValueType.MONEY else result)
    steps = {}
    for name, (value, literal) in chosen.items():
        end = value.valid_to.isoformat() if value.valid_to else ""
        steps[name] = Step(
            kind=TraceKind.PARAMETER,
            name=name,
            value=literal,
            ore=False,
            source=value.source,
            detail=f"{value.valid_from.isoformat()}..{end}",
        )
    bases = tuple((name, v.basis) for name, (v, _) in chosen.items() if v.basis is not None)
    return ParamSnapshot(env=env, errors=errors, chosen=chosen, steps=steps, bases=bases)


_kept_snapshot: Final = functools.lru_cache(maxsize=_SNAPSHOTS_KEPT)(_snapshot)


def parameter_steps(
    compiled: CompiledPolicy, as_of: datetime.date, used: tuple[tuple[str, ...], ...]
) -> tuple[Step, ...]:
    """The steps of the parameters in force on ``as_of`` that rules reading ``used`` read.

    ``used`` holds the parameters of each rule a decision ran; the steps are in the
    order of the parameters' names. :func:`kept_parameter_steps` keeps recent ones.
    """
    steps = compiled.params_at(as_of).steps
    return tuple(filter(None, map(steps.get, sorted(set().union(*used)))))


#: :func:`parameter_steps`, keeping recent answers by (compiled policy, date, rules' parameters).
kept_parameter_steps: Final = functools.lru_cache(maxsize=_SNAPSHOTS_KEPT)(parameter_steps)


# --- compiling --------------------------------------------------------------------------


def compile_policy(policy: Policy, *, source: str | None = None) -> CompiledPolicy:
    """Check ``policy`` and compile it; recent policies are kept, keyed by their value.

    The policy's parameter and input values must already be normalised (as
    :func:`~samskaping.payouts.loads_policy` does); use :func:`check_policy` for a
    policy built by hand.

    Raises:
        PolicyError: Listing every problem, each with its path and rule.
    """
    try:
        return _kept_compiled(policy)
    except PolicyError as exc:
        raise PolicyError(exc.problems, source=source, rules=exc.rules) from None
    except TypeError:
        # Unhashable: a policy built by hand may hold a list where a tuple belongs. It
        # still runs, compiled on each use (anything else raises again here).
        return _compile(check(policy, source=source), keyed=False)


def check_policy(policy: Policy, *, source: str | None = None) -> Policy:
    """Normalise and check a policy built in Python; return the policy to use.

    Raises:
        PolicyError: Listing every problem, each with its path and rule.
    """
    normalised = normalise_policy(policy, source=source)
    compile_policy(normalised, source=source)
    return normalised


@functools.lru_cache(maxsize=_COMPILED_KEPT)
def _kept_compiled(policy: Policy) -> CompiledPolicy:
    return _compile(check(policy), keyed=True)


def _compile(checked: CheckedPolicy, *, keyed: bool) -> CompiledPolicy:
    """Compile a checked policy."""
    policy = checked.policy
    timelines = {p.parameter.name: _timeline(p.parameter, p.values) for p in checked.parameters}
    params: dict[str, tuple[str, ...]] = {}  # by derived value: the parameters it reads
    derived = []
    for expr in checked.derived:  # in the order they are computed
        rule = _rule(expr, params)
        params[rule.name] = rule.params
        derived.append(rule)
    eligibility = tuple(_condition(e, params, TraceKind.ELIGIBILITY) for e in checked.eligibility)
    referrals = tuple(_condition(e, params, TraceKind.REFERRAL) for e in checked.referrals)
    caps = tuple(_rule(e, params) for e in checked.caps)
    flags = tuple(_condition(e, params, TraceKind.FLAG) for e in checked.flags)
    amount = _rule(checked.amount, params)
    rules = (*derived, *eligibility, *referrals, *caps, *flags, amount)
    used = {
        n for rule in rules for n in names(rule.tree) if n.startswith(("household.", "request."))
    }
    personal = {name for name, decl in checked.inputs.items() if decl.personal}
    for rule in derived:  # in the order they are computed, so that taint carries on
        if personal and personal & set(names(rule.tree)):
            personal.add(rule.name)
    used_inputs = tuple(sorted(used))
    scope = checked.scope
    return CompiledPolicy(
        policy=policy,
        scope=scope,
        inputs=checked.inputs,
        timelines=timelines,
        param_order=tuple(p.parameter.name for p in checked.parameters),
        derived=tuple(derived),
        eligibility=eligibility,
        referrals=referrals,
        amount=amount,
        caps=caps,
        flags=flags,
        schedules=checked.schedules,
        used_inputs=used_inputs,
        # Personal inputs are not kept on the decision (data minimisation).
        recorded_inputs=tuple(sorted((used | set(RECORDED_INPUTS)) - personal)),
        personal=frozenset(personal),
        purposes={purpose.code: purpose for purpose in policy.purposes},
        standard_inputs=tuple((name, _STANDARD[name]) for name in used_inputs if name in _STANDARD),
        declared_inputs=tuple(
            InputReader(
                name=name,
                decl=checked.inputs[name],
                household=name.startswith("household."),
                key=name.split(".", 1)[1],
            )
            for name in used_inputs
            if name not in _STANDARD
        ),
        money_inputs=tuple((name, scope.get(name) is ValueType.MONEY) for name in used_inputs),
        purpose_steps={
            p.code: Step(
                TraceKind.PURPOSE, p.code, value=True, ore=False, source=p.source, detail=None
            )
            for p in policy.purposes
        },
        band_steps=tuple(
            tuple(_band_step(b) for b in schedule.bands) for schedule in checked.schedules
        ),
        keyed=keyed,
    )


def _timeline(
    parameter: Parameter, values: tuple[tuple[ParameterValue, Node | None], ...]
) -> _Timeline:
    entries: list[tuple[ParameterValue, Any, CompiledRule | None]] = []
    for value, tree in values:
        if tree is None:
            entries.append((value, value.value, None))
            continue
        checked = CheckedExpr(name=parameter.name, tree=tree, item=value, source=value.source)
        entries.append((value, None, _rule(checked, {})))
    return _Timeline(parameter=parameter, entries=tuple(entries))


def _rule(expr: CheckedExpr, derived: Mapping[str, tuple[str, ...]]) -> CompiledRule:
    """Compile one expression; ``derived`` gives the parameters each derived value reads."""
    used = names(expr.tree)
    params = {n.removeprefix("params.") for n in used if n.startswith("params.")}
    for name in used:
        params.update(derived.get(name, ()))
    return CompiledRule(
        name=expr.name,
        function=compile_expression(expr.tree),
        tree=expr.tree,
        params=tuple(sorted(params)),
        item=expr.item,
        source=expr.source,
    )


def _condition(
    expr: CheckedExpr, derived: Mapping[str, tuple[str, ...]], kind: TraceKind
) -> CompiledCondition:
    rule = _rule(expr, derived)
    return CompiledCondition(
        name=rule.name,
        function=rule.function,
        tree=rule.tree,
        params=rule.params,
        item=rule.item,
        source=rule.source,
        outcomes=(
            Step(kind, rule.name, value=False, ore=False, source=rule.source, detail=rule.text),
            Step(kind, rule.name, value=True, ore=False, source=rule.source, detail=rule.text),
        ),
    )


def _band_step(band: ApprovalBand) -> Step:
    low = ("[" if band.lower_inclusive else "(") + str(band.lower.amount)
    high = "" if band.upper is None else str(band.upper.amount)
    close = "]" if band.upper is not None and band.upper_inclusive else ")"
    text = f"{low}, {high}{close}" if high else f"{low}, ∞)"
    return Step(
        kind=TraceKind.BAND,
        name=band.id,
        value=band.approvers.value,
        ore=False,
        source=band.source,
        detail=text,
    )
