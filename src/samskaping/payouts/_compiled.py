"""Check a policy and compile it for the engine.

Everything the engine relies on is checked here, when a policy is loaded, never when
it is evaluated: parameter values of the declared type, validity intervals without
gaps or overlaps, approval bands that cover every amount exactly once, expressions
that parse and type-check against the declared schema, and no cycles between
parameters and derived values. Every problem is collected and reported at once in a
:class:`~samskaping.payouts.PolicyError`, each with its path and the rule it concerns.
"""

from __future__ import annotations

import datetime
import itertools
import re
import weakref
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

import attrs

from samskaping._errors import InvalidInputError, Problem, describe
from samskaping._money import Money, parse_amount
from samskaping.model import PaymentType
from samskaping.payouts._decision import RawStep, TraceKind
from samskaping.payouts._errors import PolicyError
from samskaping.payouts._expr_ast import FUNCTIONS, KEYWORDS, Node, ValueType, names, to_source
from samskaping.payouts._expr_check import check_expression
from samskaping.payouts._expr_compile import Compiled, Context, compile_expression
from samskaping.payouts._expr_ops import LIMIT_DECIMAL, LIMIT_INT, Undefined
from samskaping.payouts._expr_parse import ExpressionError, parse_expression
from samskaping.payouts._policy import (
    ApprovalBand,
    BandSchedule,
    Cap,
    FlagRule,
    InputDecl,
    Parameter,
    ParameterValue,
    Policy,
    Purpose,
    Referral,
    Rule,
)
from samskaping.payouts._request import STANDARD_INPUTS

__all__ = [
    "MAX_ITEMS",
    "CompiledPolicy",
    "CompiledRule",
    "ParamSnapshot",
    "compile_policy",
    "normalise_value",
    "runtime_value",
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
#: The most items one list of a policy (rules, parameters, values, bands ...) may have.
MAX_ITEMS: Final = 500
_INPUT_NAME: Final = re.compile(r"^(household|request)\.[a-z_][a-z0-9_]{0,63}$")
_RESERVED: Final = frozenset({"household", "request", "params", *KEYWORDS, *FUNCTIONS})
_PARAM_CACHE_SIZE: Final = 256


# --- values -----------------------------------------------------------------------------


def normalise_value(raw: object, kind: ValueType) -> Any:
    """Turn a literal from a file into a value of ``kind``.

    Raises:
        InvalidInputError: If the literal is not a value of ``kind``.
    """
    if kind is ValueType.MONEY:
        if isinstance(raw, Money):
            return raw
        return Money(parse_amount(raw))
    if kind is ValueType.BOOL:
        if isinstance(raw, bool):
            return raw
        raise InvalidInputError(f"expected true or false, got {describe(raw)}")
    if kind is ValueType.STR:
        if isinstance(raw, str):
            return raw
        raise InvalidInputError(f"expected text, got {describe(raw)}")
    if kind is ValueType.INT:
        return _whole(raw)
    if kind is ValueType.DECIMAL:
        if isinstance(raw, bool) or not isinstance(raw, int | Decimal | str):
            raise InvalidInputError(f"expected a number, got {describe(raw)}")
        try:
            number = raw if isinstance(raw, Decimal) else Decimal(raw)
        except ArithmeticError:
            raise InvalidInputError(f"expected a number, got {describe(raw)}") from None
        if not number.is_finite() or abs(number) > LIMIT_DECIMAL:
            raise InvalidInputError(
                f"expected a finite number of at most 10^15, got {describe(raw)}"
            )
        return number
    if not isinstance(raw, list | tuple):
        raise InvalidInputError(f"expected a list, got {describe(raw)}")
    if kind is ValueType.STR_LIST:
        if not all(isinstance(item, str) for item in raw):
            raise InvalidInputError("expected a list of texts")
        return tuple(raw)
    return tuple(_whole(item) for item in raw)


def _whole(raw: object) -> int:
    if isinstance(raw, Decimal) and raw.is_finite() and raw == raw.to_integral_value():
        raw = int(raw)
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise InvalidInputError(f"expected a whole number, got {describe(raw)}")
    if abs(raw) > LIMIT_INT:
        raise InvalidInputError(f"expected a whole number of at most 10^15, got {describe(raw)}")
    return raw


def runtime_value(value: Any, kind: ValueType) -> Any:
    """A value as rule expressions see it: amounts in øre, lists as sets."""
    if kind is ValueType.MONEY:
        return value.ore
    if kind in {ValueType.STR_LIST, ValueType.INT_LIST}:
        return frozenset(value)
    return value


# --- problems ---------------------------------------------------------------------------


class _Problems:
    def __init__(self, policy_id: str) -> None:
        self.policy_id = policy_id
        self.items: list[Problem] = []
        self.rules: list[str] = []

    def add(self, path: str, what: str, message: str) -> None:
        self.items.append(Problem(path=path, message=f"{what}: {message}"))
        self.rules.append(what)

    def __bool__(self) -> bool:
        return bool(self.items)


def _named(kind: str, name: str) -> str:
    return f"{kind} {name!r}"


# --- compiled form ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CompiledRule:
    """A rule, cap, referral, flag or derived value, ready to run.

    Attributes:
        name: Its id (or name, for a derived value).
        function: The compiled expression.
        tree: The checked tree (for the vectorised path and for traces).
        params: The parameters it reads, directly or through derived values.
        item: The policy item it came from.
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
class ParamSnapshot:
    """Every parameter's value on one date, as run-time values and as traced values."""

    env: Mapping[str, Any]
    errors: Mapping[str, Undefined]
    chosen: Mapping[str, tuple[ParameterValue, Any]]
    steps: Mapping[str, RawStep]
    #: The parameter steps of a trace, by the parameters its rules read (filled on use).
    trace_cache: dict[tuple[tuple[str, ...], ...], tuple[RawStep, ...]] = attrs.field(
        factory=dict, eq=False, repr=False
    )


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


@attrs.define(kw_only=True, eq=False)
class CompiledPolicy:
    """A checked policy with every expression compiled; built once per policy value."""

    policy: Policy
    scope: Mapping[str, ValueType]
    inputs: Mapping[str, InputDecl]
    timelines: Mapping[str, _Timeline]
    param_order: tuple[str, ...]
    derived: tuple[CompiledRule, ...]
    eligibility: tuple[CompiledRule, ...]
    referrals: tuple[CompiledRule, ...]
    amount: CompiledRule
    caps: tuple[CompiledRule, ...]
    flags: tuple[CompiledRule, ...]
    schedules: tuple[BandSchedule, ...]
    used_inputs: tuple[str, ...]
    purposes: Mapping[str, Purpose]
    recorded_inputs: tuple[str, ...] = ()
    #: The inputs declared personal, and the derived values computed from them.
    personal: frozenset[str] = frozenset()
    band_texts: dict[str, str] = attrs.field(factory=dict)
    #: Plans the engine derives from the policy once and keeps here.
    engine_cache: dict[str, Any] = attrs.field(factory=dict)
    _cache: dict[datetime.date, ParamSnapshot] = attrs.field(factory=dict)

    def params_at(self, as_of: datetime.date) -> ParamSnapshot:
        """Every parameter's value on ``as_of`` (cached per date)."""
        snapshot = self._cache.get(as_of)
        if snapshot is not None:
            return snapshot
        env: dict[str, Any] = {}
        errors: dict[str, Undefined] = {}
        chosen: dict[str, tuple[ParameterValue, Any]] = {}
        context = Context(env, errors)
        for name in self.param_order:
            timeline = self.timelines[name]
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
        steps: dict[str, RawStep] = {}
        for name, (value, literal) in chosen.items():
            end = value.valid_to.isoformat() if value.valid_to else ""
            steps[name] = (
                TraceKind.PARAMETER,
                name,
                literal,
                False,
                value.source,
                f"{value.valid_from.isoformat()}..{end}",
            )
        snapshot = ParamSnapshot(env=env, errors=errors, chosen=chosen, steps=steps)
        if len(self._cache) >= _PARAM_CACHE_SIZE:
            self._cache.clear()
        self._cache[as_of] = snapshot
        return snapshot

    def bands_at(self, as_of: datetime.date) -> BandSchedule | None:
        """The approval bands valid on ``as_of``, if any."""
        for schedule in self.schedules:
            if schedule.valid_from <= as_of and (
                schedule.valid_to is None or as_of < schedule.valid_to
            ):
                return schedule
        return None


def band_for(schedule: BandSchedule, amount: Money) -> ApprovalBand:
    """The one band ``amount`` falls in (a checked schedule covers every amount)."""
    for band in schedule.bands:
        if band.contains(amount):
            return band
    raise InvalidInputError(
        f"no approval band covers {amount.amount}", what="amount"
    )  # pragma: no cover


# --- checking ---------------------------------------------------------------------------


_BY_ID: Final[dict[int, tuple[weakref.ref[Policy], CompiledPolicy]]] = {}


def _cached(policy: Policy) -> CompiledPolicy | None:
    entry = _BY_ID.get(id(policy))
    if entry is not None and entry[0]() is policy:
        return entry[1]
    return None


def _remember(policy: Policy, compiled: CompiledPolicy) -> None:
    key = id(policy)

    def forget(
        _ref: weakref.ref[Policy],
        key: int = key,
        registry: dict[int, tuple[weakref.ref[Policy], CompiledPolicy]] = _BY_ID,
    ) -> None:
        registry.pop(key, None)

    _BY_ID[key] = (weakref.ref(policy, forget), compiled)


def compile_policy(policy: Policy, *, source: str | None = None) -> CompiledPolicy:
    """Check ``policy`` and compile it; the result is cached for the policy value.

    The policy's parameter and input values must already be normalised (as
    :func:`~samskaping.payouts.loads_policy` does); use :func:`check_policy` for a
    policy built by hand.

    Raises:
        PolicyError: Listing every problem, each with its path and rule.
    """
    cached = _cached(policy)
    if cached is not None:
        return cached
    compiled = _Builder(policy).build(source)
    _remember(policy, compiled)
    return compiled


def normalise_policy(policy: Policy, *, source: str | None = None) -> Policy:
    """Convert the literal values of parameters and input defaults to their types.

    Raises:
        PolicyError: If a value does not fit its declared type.
    """
    problems = _Problems(policy.id)
    parameters = []
    for p_index, parameter in enumerate(policy.parameters[:MAX_ITEMS]):
        values = []
        for v_index, value in enumerate(parameter.values[:MAX_ITEMS]):
            if value.value is None:
                values.append(value)
                continue
            try:
                literal = normalise_value(value.value, parameter.type)
            except InvalidInputError as exc:
                problems.add(
                    f"$.parameters[{p_index}].values[{v_index}].value",
                    _named("parameter", parameter.name),
                    f"{exc} (the parameter is {parameter.type})",
                )
                values.append(value)
                continue
            values.append(attrs.evolve(value, value=literal))
        parameters.append(attrs.evolve(parameter, values=tuple(values)))
    inputs = []
    for index, decl in enumerate(policy.inputs[:MAX_ITEMS]):
        if decl.default is None:
            inputs.append(decl)
            continue
        try:
            inputs.append(attrs.evolve(decl, default=normalise_value(decl.default, decl.type)))
        except InvalidInputError as exc:
            # A personal input's value is never repeated, not even a default.
            message = (
                f"expected a value of type {decl.type.value} (personal: the value is not shown)"
                if decl.personal
                else str(exc)
            )
            problems.add(f"$.inputs[{index}].default", _named("input", decl.name), message)
            inputs.append(decl)
    if problems:
        raise PolicyError(problems.items, source=source, rules=problems.rules)
    return attrs.evolve(policy, parameters=tuple(parameters), inputs=tuple(inputs))


def check_policy(policy: Policy, *, source: str | None = None) -> Policy:
    """Normalise and check a policy built in Python; return the policy to use.

    Raises:
        PolicyError: Listing every problem, each with its path and rule.
    """
    normalised = normalise_policy(policy, source=source)
    compile_policy(normalised, source=source)
    return normalised


class _Builder:
    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.problems = _Problems(policy.id)
        self.scope: dict[str, ValueType] = dict(STANDARD_INPUTS)
        self.inputs: dict[str, InputDecl] = {}
        self.param_deps: dict[str, frozenset[str]] = {}
        self.derived_deps: dict[str, frozenset[str]] = {}
        self.param_where: dict[str, str] = {}
        self.derived_where: dict[str, str] = {}

    # -- helpers --

    def _too_many(self, items: tuple[Any, ...], path: str) -> tuple[Any, ...]:
        if len(items) > MAX_ITEMS:
            self.problems.add(
                path, _named("policy", self.policy.id), f"more than {MAX_ITEMS} items"
            )
            return items[:MAX_ITEMS]
        return items

    def _unique(self, items: Iterable[tuple[str, str]], kind: str) -> None:
        seen: set[str] = set()
        for path, name in items:
            if name in seen:
                self.problems.add(path, _named(kind, name), "the name is used twice")
            seen.add(name)

    def _expression(
        self, text: str, path: str, what: str, scope: Mapping[str, ValueType], expected: ValueType
    ) -> Node | None:
        try:
            tree = parse_expression(text)
            return check_expression(tree, scope, expected=expected)
        except ExpressionError as exc:
            self.problems.add(path, what, str(exc))
            return None

    # -- parts --

    def _declare_inputs(self) -> None:
        decls = self._too_many(self.policy.inputs, "$.inputs")
        self._unique(((f"$.inputs[{i}].name", d.name) for i, d in enumerate(decls)), "input")
        for index, decl in enumerate(decls):
            path = f"$.inputs[{index}].name"
            what = _named("input", decl.name)
            if not _INPUT_NAME.match(decl.name):
                self.problems.add(
                    path, what, "an input is named 'household.<name>' or 'request.<name>'"
                )
                continue
            if decl.name in STANDARD_INPUTS:
                self.problems.add(
                    path, what, "this is a standard input and cannot be declared again"
                )
                continue
            if decl.type in {ValueType.STR_LIST, ValueType.INT_LIST}:
                self.problems.add(f"$.inputs[{index}].type", what, "an input cannot be a list")
                continue
            self.scope[decl.name] = decl.type
            self.inputs[decl.name] = decl

    def _declare_parameters(self) -> None:
        params = self._too_many(self.policy.parameters, "$.parameters")
        self._unique(
            ((f"$.parameters[{i}].name", p.name) for i, p in enumerate(params)), "parameter"
        )
        for index, parameter in enumerate(params):
            self.scope[f"params.{parameter.name}"] = parameter.type
            self.param_where[parameter.name] = f"$.parameters[{index}]"

    def _declare_derived(self) -> None:
        derived = self._too_many(self.policy.derived, "$.derived")
        self._unique(
            ((f"$.derived[{i}].name", d.name) for i, d in enumerate(derived)), "derived value"
        )
        for index, item in enumerate(derived):
            if item.name in _RESERVED or "." in item.name:
                self.problems.add(
                    f"$.derived[{index}].name",
                    _named("derived value", item.name),
                    "the name is reserved",
                )
                continue
            self.scope[item.name] = item.type
            self.derived_where[item.name] = f"$.derived[{index}]"

    def _timeline(self, index: int, parameter: Parameter) -> _Timeline:
        what = _named("parameter", parameter.name)
        base = f"$.parameters[{index}]"
        params_scope = {k: v for k, v in self.scope.items() if k.startswith("params.")}
        if not parameter.values:
            self.problems.add(f"{base}.values", what, "a parameter needs at least one value")
        entries: list[tuple[ParameterValue, Any, CompiledRule | None]] = []
        deps: set[str] = set()
        values = self._too_many(parameter.values, f"{base}.values")
        for v_index, value in enumerate(values):
            path = f"{base}.values[{v_index}]"
            if (value.value is None) == (value.expr is None):
                self.problems.add(path, what, "give exactly one of 'value' and 'expr'")
                continue
            if value.valid_to is not None and value.valid_to <= value.valid_from:
                self.problems.add(f"{path}.valid_to", what, "valid_to must be after valid_from")
                continue
            if value.expr is None:
                entries.append((value, value.value, None))
                continue
            tree = self._expression(value.expr, f"{path}.expr", what, params_scope, parameter.type)
            if tree is None:
                continue
            used = frozenset(n.removeprefix("params.") for n in names(tree))
            deps |= used
            rule = CompiledRule(
                name=parameter.name,
                function=compile_expression(tree),
                tree=tree,
                params=tuple(sorted(used)),
                item=value,
                source=value.source,
            )
            entries.append((value, None, rule))
        self.param_deps[parameter.name] = frozenset(deps)
        self._intervals(
            [
                (f"{base}.values[{i}]", v.valid_from, v.valid_to)
                for i, v in enumerate(values)
                if v.valid_to is None or v.valid_to > v.valid_from
            ],
            what,
        )
        ordered = tuple(sorted(entries, key=lambda e: e[0].valid_from))
        return _Timeline(parameter=parameter, entries=ordered)

    def _intervals(
        self,
        spans: list[tuple[str, datetime.date, datetime.date | None]],
        what: str,
        noun: str = "value",
    ) -> None:
        """Report overlaps and gaps between validity intervals."""
        ordered = sorted(spans, key=lambda s: s[1])
        for (path_a, start_a, end_a), (path_b, start_b, _end_b) in itertools.pairwise(ordered):
            if end_a is None or end_a > start_b:
                self.problems.add(
                    path_b,
                    what,
                    f"the {noun} from {start_b.isoformat()} overlaps the {noun} from "
                    f"{start_a.isoformat()} ({path_a})",
                )
            elif end_a < start_b:
                self.problems.add(
                    path_b,
                    what,
                    f"gap: no value from {end_a.isoformat()} until {start_b.isoformat()}",
                )

    def _derived_rules(self) -> list[CompiledRule]:
        rules = []
        for index, item in enumerate(self.policy.derived[:MAX_ITEMS]):
            if item.name not in self.derived_where:
                continue
            what = _named("derived value", item.name)
            tree = self._expression(
                item.expr, f"$.derived[{index}].expr", what, self.scope, item.type
            )
            if tree is None:
                self.derived_deps[item.name] = frozenset()
                continue
            used = names(tree)
            self.derived_deps[item.name] = frozenset(n for n in used if n in self.derived_where)
            rules.append(
                CompiledRule(
                    name=item.name,
                    function=compile_expression(tree),
                    tree=tree,
                    params=tuple(
                        sorted(n.removeprefix("params.") for n in used if n.startswith("params."))
                    ),
                    item=item,
                    source=item.source,
                )
            )
        return rules

    def _cycles(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Find cycles; return the parameter and derived names in evaluation order."""
        param_order = self._topological(self.param_deps, self.param_where, "parameter", "params.")
        derived_order = self._topological(
            self.derived_deps, self.derived_where, "derived value", ""
        )
        return param_order, derived_order

    def _topological(
        self, deps: Mapping[str, frozenset[str]], where: Mapping[str, str], kind: str, prefix: str
    ) -> tuple[str, ...]:
        order: list[str] = []
        state: dict[str, int] = {}
        reported: set[frozenset[str]] = set()
        for start in sorted(deps):
            if state.get(start):
                continue
            stack: list[tuple[str, Iterable[str]]] = [(start, iter(sorted(deps.get(start, ()))))]
            path = [start]
            state[start] = 1
            while stack:
                node, children = stack[-1]
                child = next(iter(children), None)
                if child is None:
                    stack.pop()
                    path.pop()
                    state[node] = 2
                    order.append(node)
                    continue
                if child not in deps:
                    continue
                if state.get(child) == 1:
                    cycle = [*path[path.index(child) :], child]
                    key = frozenset(cycle)
                    if key not in reported:
                        reported.add(key)
                        shown = " -> ".join(prefix + name for name in cycle)
                        self.problems.add(
                            f"{where[child]}.{'values' if prefix else 'expr'}",
                            _named(kind, child),
                            f"a cycle: {shown}",
                        )
                    continue
                if state.get(child) == 2:  # noqa: PLR2004  (done)
                    continue
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(deps.get(child, ())))))
        return tuple(order)

    def _rules(
        self,
        items: Sequence[Rule | Referral | Cap | FlagRule],
        key: str,
        kind: str,
        expected: ValueType,
        derived: Mapping[str, CompiledRule],
    ) -> tuple[CompiledRule, ...]:
        items = self._too_many(tuple(items), f"$.{key}")
        self._unique(((f"$.{key}[{i}].id", r.id) for i, r in enumerate(items)), kind)
        out = []
        for index, item in enumerate(items):
            what = _named(kind, item.id)
            tree = self._expression(item.expr, f"$.{key}[{index}].expr", what, self.scope, expected)
            if tree is None:
                continue
            out.append(self._rule(item.id, tree, item, item.source, derived))
        return tuple(out)

    def _rule(
        self,
        name: str,
        tree: Node,
        item: Any,
        source: str | None,
        derived: Mapping[str, CompiledRule],
    ) -> CompiledRule:
        used = names(tree)
        params = {n.removeprefix("params.") for n in used if n.startswith("params.")}
        seen: set[str] = set()
        pending = [n for n in used if n in derived]
        while pending:
            name_ = pending.pop()
            if name_ in seen:
                continue
            seen.add(name_)
            params |= set(derived[name_].params)
            pending.extend(n for n in names(derived[name_].tree) if n in derived)
        return CompiledRule(
            name=name,
            function=compile_expression(tree),
            tree=tree,
            params=tuple(sorted(params)),
            item=item,
            source=source,
        )

    def _amount(self, derived: Mapping[str, CompiledRule]) -> CompiledRule | None:
        policy = self.policy
        text = policy.amount
        # The amount rule cites only what it comes from: the policy when the policy
        # states it, the unconditional terms for a rate per child, and nothing when it
        # is the library's default (the amount asked for), never the policy's sources.
        source = policy.source
        if text is None:
            if (
                policy.payment_type is PaymentType.UNCONDITIONAL
                and policy.unconditional is not None
            ):
                text = f"params.{policy.unconditional.rate} * household.children"
                source = policy.unconditional.source
            else:
                text = "request.amount"
                source = None
        tree = self._expression(
            text, "$.amount", _named("amount", policy.id), self.scope, ValueType.MONEY
        )
        if tree is None:
            return None
        return self._rule("amount", tree, policy, source, derived)

    def _purposes(self) -> None:
        purposes = self._too_many(self.policy.purposes, "$.purposes")
        self._unique(((f"$.purposes[{i}].code", p.code) for i, p in enumerate(purposes)), "purpose")
        catalogue = _catalogue_keys()
        for index, purpose in enumerate(purposes):
            if purpose.label is None and f"payouts.purpose.{purpose.code}" not in catalogue:
                self.problems.add(
                    f"$.purposes[{index}].label",
                    _named("purpose", purpose.code),
                    "the purpose needs a label (nb, nn, en): the label catalogue has none",
                )

    def _flag_labels(self) -> None:
        catalogue = _catalogue_keys()
        for index, flag in enumerate(self.policy.flags[:MAX_ITEMS]):
            if flag.label is None and f"payouts.flag.{flag.id}" not in catalogue:
                self.problems.add(
                    f"$.flags[{index}].label",
                    _named("flag", flag.id),
                    "the flag needs a label (nb, nn, en): the label catalogue has none",
                )

    def _schedules(self) -> tuple[BandSchedule, ...]:
        schedules = self._too_many(self.policy.approval_bands, "$.approval_bands")
        good = []
        for index, schedule in enumerate(schedules):
            base = f"$.approval_bands[{index}]"
            what = _named("band schedule", schedule.valid_from.isoformat())
            if schedule.valid_to is not None and schedule.valid_to <= schedule.valid_from:
                self.problems.add(f"{base}.valid_to", what, "valid_to must be after valid_from")
                continue
            if self._bands(schedule, base):
                good.append(schedule)
        self._intervals(
            [
                (f"$.approval_bands[{i}]", s.valid_from, s.valid_to)
                for i, s in enumerate(schedules)
                if s.valid_to is None or s.valid_to > s.valid_from
            ],
            _named("band schedule", "approval_bands"),
            "schedule",
        )
        return tuple(sorted(good, key=lambda s: s.valid_from))

    def _bands(self, schedule: BandSchedule, base: str) -> bool:
        """Check that the bands cover every amount from 0 kr up exactly once."""
        bands = self._too_many(schedule.bands, f"{base}.bands")
        ok = True
        self._unique(((f"{base}.bands[{i}].id", b.id) for i, b in enumerate(bands)), "band")
        if not bands:
            self.problems.add(
                f"{base}.bands",
                _named("band schedule", schedule.valid_from.isoformat()),
                "no bands",
            )
            return False
        order = sorted(
            range(len(bands)), key=lambda i: (bands[i].lower.amount, not bands[i].lower_inclusive)
        )
        for i in order:
            band = bands[i]
            if band.upper is not None and (
                band.upper < band.lower
                or (
                    band.upper == band.lower and not (band.lower_inclusive and band.upper_inclusive)
                )
            ):
                self.problems.add(
                    f"{base}.bands[{i}].upper", _named("band", band.id), "the band is empty"
                )
                ok = False
        first = bands[order[0]]
        if first.lower or not first.lower_inclusive:
            self.problems.add(
                f"{base}.bands[{order[0]}].lower",
                _named("band", first.id),
                "the lowest band must start at 0 kr, inclusive: amounts below it have no band",
            )
            ok = False
        for a_index, b_index in itertools.pairwise(order):
            a, b = bands[a_index], bands[b_index]
            path = f"{base}.bands[{b_index}].lower"
            what = _named("band", b.id)
            if a.upper is None or a.upper > b.lower:
                self.problems.add(path, what, f"overlaps band {a.id!r}")
                ok = False
            elif a.upper < b.lower:
                self.problems.add(
                    path,
                    what,
                    f"gap: amounts from {a.upper.amount} to {b.lower.amount} have no band",
                )
                ok = False
            elif a.upper_inclusive and b.lower_inclusive:
                self.problems.add(
                    path, what, f"overlaps band {a.id!r}: {b.lower.amount} kr is in both"
                )
                ok = False
            elif not a.upper_inclusive and not b.lower_inclusive:
                self.problems.add(
                    path, what, f"gap: {b.lower.amount} kr is in neither this band nor {a.id!r}"
                )
                ok = False
        last = bands[order[-1]]
        if last.upper is not None:
            self.problems.add(
                f"{base}.bands[{order[-1]}].upper",
                _named("band", last.id),
                "the highest band must have no upper limit: amounts above it have no band",
            )
            ok = False
        return ok

    def _type_terms(self) -> None:
        self._unconditional_terms()
        self._collective_terms()
        policy = self.policy
        pot = policy.pot
        if pot is not None and pot.allowed_types and policy.payment_type not in pot.allowed_types:
            self.problems.add(
                "$.pot.allowed_types",
                _named("policy", policy.id),
                f"the policy's own pot does not allow {policy.payment_type} payouts",
            )

    def _unconditional_terms(self) -> None:
        policy = self.policy
        what = _named("policy", policy.id)
        kind = policy.payment_type
        if kind is PaymentType.UNCONDITIONAL:
            if policy.unconditional is None:
                self.problems.add(
                    "$.unconditional",
                    what,
                    "an unconditional policy needs an 'unconditional' table",
                )
            else:
                rate_type = self.scope.get(f"params.{policy.unconditional.rate}")
                if rate_type is not ValueType.MONEY:
                    self.problems.add(
                        "$.unconditional.rate",
                        what,
                        f"the rate must name a money parameter; {policy.unconditional.rate!r} is "
                        + ("not a parameter" if rate_type is None else f"{rate_type}"),
                    )
                self._rrule(policy.unconditional.rrule, policy.unconditional.start)
        elif policy.unconditional is not None:
            self.problems.add(
                "$.unconditional", what, f"a {kind} policy has no 'unconditional' table"
            )

    def _collective_terms(self) -> None:
        policy = self.policy
        what = _named("policy", policy.id)
        kind = policy.payment_type
        if kind is PaymentType.COLLECTIVE:
            if policy.collective is None:
                self.problems.add(
                    "$.collective", what, "a collective policy needs a 'collective' table"
                )
            else:
                terms = policy.collective
                percent = terms.threshold_percent
                if percent is not None and not 0 <= percent <= 100:  # noqa: PLR2004
                    self.problems.add(
                        "$.collective.threshold_percent",
                        what,
                        "expected a percentage from 0 to 100",
                    )
                if (
                    terms.min_projects is not None
                    and terms.max_projects is not None
                    and terms.min_projects > terms.max_projects
                ):
                    self.problems.add(
                        "$.collective.min_projects", what, "min_projects is above max_projects"
                    )
                self._unique(
                    (
                        (f"$.collective.gatekeepers[{i}].id", g.id)
                        for i, g in enumerate(terms.gatekeepers)
                    ),
                    "gatekeeper",
                )
        elif policy.collective is not None:
            self.problems.add("$.collective", what, f"a {kind} policy has no 'collective' table")

    def _rrule(self, rule: str, start: datetime.date) -> None:
        from samskaping.model import check_rrule  # noqa: PLC0415

        try:
            check_rrule(rule, start)
        except InvalidInputError as exc:
            self.problems.add("$.unconditional.rrule", _named("policy", self.policy.id), str(exc))
            return
        if "FREQ=MONTHLY" not in rule.upper():
            self.problems.add(
                "$.unconditional.rrule",
                _named("policy", self.policy.id),
                "payment plans are monthly (FREQ=MONTHLY)",
            )

    def build(self, source: str | None) -> CompiledPolicy:
        policy = self.policy
        self._declare_inputs()
        self._declare_parameters()
        self._declare_derived()
        timelines = {
            p.name: self._timeline(i, p)
            for i, p in enumerate(policy.parameters[:MAX_ITEMS])
            if self.param_where.get(p.name) == f"$.parameters[{i}]"
        }
        derived_rules = self._derived_rules()
        param_order, derived_order = self._cycles()
        by_name = {rule.name: rule for rule in derived_rules}
        # A derived value's parameters include those of the derived values it reads.
        for name in derived_order:
            rule = by_name.get(name)
            if rule is None:
                continue
            extra = {
                p
                for dep in self.derived_deps.get(name, ())
                if dep in by_name
                for p in by_name[dep].params
            }
            if extra - set(rule.params):
                by_name[name] = attrs.evolve(rule, params=tuple(sorted(set(rule.params) | extra)))
        derived = tuple(by_name[name] for name in derived_order if name in by_name)
        derived_map = {rule.name: rule for rule in derived}
        eligibility = self._rules(
            policy.eligibility, "eligibility", "rule", ValueType.BOOL, derived_map
        )
        referrals = self._rules(
            policy.referrals, "referrals", "referral", ValueType.BOOL, derived_map
        )
        caps = self._rules(policy.caps, "caps", "cap", ValueType.MONEY, derived_map)
        flags = self._rules(policy.flags, "flags", "flag", ValueType.BOOL, derived_map)
        amount = self._amount(derived_map)
        self._purposes()
        self._flag_labels()
        schedules = self._schedules()
        self._type_terms()
        if self.problems or amount is None:
            raise PolicyError(self.problems.items, source=source, rules=self.problems.rules)
        used = set()
        for rule in (*derived, *eligibility, *referrals, *caps, *flags, amount):
            used |= {n for n in names(rule.tree) if n.startswith(("household.", "request."))}
        personal = {name for name, decl in self.inputs.items() if decl.personal}
        for rule in derived:  # in the order they are computed, so that taint carries on
            if personal and personal & set(names(rule.tree)):
                personal.add(rule.name)
        return CompiledPolicy(
            policy=policy,
            scope=dict(self.scope),
            inputs=dict(self.inputs),
            timelines=timelines,
            param_order=tuple(n for n in param_order if n in timelines),
            derived=derived,
            eligibility=eligibility,
            referrals=referrals,
            amount=amount,
            caps=caps,
            flags=flags,
            schedules=schedules,
            used_inputs=tuple(sorted(used)),
            # Personal inputs are not kept on the decision (data minimisation).
            recorded_inputs=tuple(sorted((used | set(RECORDED_INPUTS)) - personal)),
            personal=frozenset(personal),
            purposes={purpose.code: purpose for purpose in policy.purposes[:MAX_ITEMS]},
        )


def _catalogue_keys() -> frozenset[str]:
    from samskaping.l10n import default_catalogue  # noqa: PLC0415

    return frozenset(default_catalogue().keys())

