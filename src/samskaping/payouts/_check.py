"""Check a policy: everything the engine relies on, found when a policy is loaded.

The checks are static: they read the policy, never a request. Parameter values must be
of the declared type, validity intervals must leave no gaps or overlaps, approval bands
must cover every amount exactly once, expressions must parse and type-check against the
declared inputs, parameters and derived values, names must be unique and not reserved,
and parameters and derived values must not depend on themselves. Every problem is
collected and reported at once in a :class:`~samskaping.payouts.PolicyError`, each with
its JSON path and the rule (or parameter, band, purpose) it concerns.

A policy that passes becomes a :class:`CheckedPolicy`: its expressions as checked
trees, its parameters and derived values in the order they are computed. Turning that
into something that runs is the compiler's work (:mod:`samskaping.payouts._compiled`).
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import attrs

from samskaping._errors import InvalidInputError, Problem
from samskaping.l10n import default_catalogue
from samskaping.model import PaymentType, check_rrule
from samskaping.payouts._errors import PolicyError
from samskaping.payouts._expr_ast import FUNCTIONS, KEYWORDS, Node, ValueType, names
from samskaping.payouts._expr_check import check_expression
from samskaping.payouts._expr_parse import ExpressionError, parse_expression
from samskaping.payouts._policy import (
    BandSchedule,
    Cap,
    FlagRule,
    InputDecl,
    Parameter,
    ParameterValue,
    Policy,
    Referral,
    Rule,
)
from samskaping.payouts._request import STANDARD_INPUTS
from samskaping.payouts._values import normalise_value

__all__ = [
    "MAX_ITEMS",
    "CheckedExpr",
    "CheckedParameter",
    "CheckedPolicy",
    "check",
    "normalise_policy",
]

#: The most items one list of a policy (rules, parameters, values, bands ...) may have.
MAX_ITEMS: Final = 500
_INPUT_NAME: Final = re.compile(r"^(household|request)\.[a-z_][a-z0-9_]{0,63}$")
_RESERVED: Final = frozenset({"household", "request", "params", *KEYWORDS, *FUNCTIONS})


# --- what a check gives -----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CheckedExpr:
    """One expression of a policy, parsed and type-checked.

    Attributes:
        name: The rule's id, the derived value's name, or ``amount``.
        tree: The checked tree.
        item: The policy item it came from (a rule, a derived value, the policy).
        source: The source it cites, if any.
    """

    name: str
    tree: Node
    item: Any
    source: str | None


@attrs.frozen(kw_only=True)
class CheckedParameter:
    """A parameter whose values are checked, in date order.

    Attributes:
        parameter: The parameter.
        values: Each value with the checked tree of its expression (``None`` for a
            literal value), ordered by ``valid_from``.
    """

    parameter: Parameter
    values: tuple[tuple[ParameterValue, Node | None], ...]


@attrs.frozen(kw_only=True)
class CheckedPolicy:
    """A policy that passed every check, ready to compile.

    Attributes:
        policy: The policy.
        scope: Every name a rule may read, with its type.
        inputs: The inputs the policy declares, by name.
        parameters: The parameters, those another one reads first.
        derived: The derived values, those another one reads first.
        eligibility: The eligibility rules, in order.
        referrals: The referral rules, in order.
        caps: The caps, in order.
        flags: The flag rules, in order.
        amount: The amount expression (the policy's, or the default for its type).
        schedules: The approval band schedules, by ``valid_from``.
    """

    policy: Policy
    scope: Mapping[str, ValueType]
    inputs: Mapping[str, InputDecl]
    parameters: tuple[CheckedParameter, ...]
    derived: tuple[CheckedExpr, ...]
    eligibility: tuple[CheckedExpr, ...]
    referrals: tuple[CheckedExpr, ...]
    caps: tuple[CheckedExpr, ...]
    flags: tuple[CheckedExpr, ...]
    amount: CheckedExpr
    schedules: tuple[BandSchedule, ...]


# --- problems ---------------------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.rules: list[str] = []

    def add(self, path: str, what: str, message: str) -> None:
        self.items.append(Problem(path=path, message=f"{what}: {message}"))
        self.rules.append(what)

    def error(self, source: str | None) -> PolicyError:
        return PolicyError(self.items, source=source, rules=self.rules)

    def __bool__(self) -> bool:
        return bool(self.items)


def _named(kind: str, name: str) -> str:
    return f"{kind} {name!r}"


# --- the checks -------------------------------------------------------------------------


def check(policy: Policy, *, source: str | None = None) -> CheckedPolicy:
    """Check ``policy``, whose literal values are already normalised.

    Raises:
        PolicyError: Listing every problem, each with its path and rule.
    """
    return _Checker(policy).run(source)


def normalise_policy(policy: Policy, *, source: str | None = None) -> Policy:
    """Convert the literal values of parameters and input defaults to their types.

    Raises:
        PolicyError: If a value does not fit its declared type.
    """
    problems = _Problems()
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
        raise problems.error(source)
    return attrs.evolve(policy, parameters=tuple(parameters), inputs=tuple(inputs))


class _Checker:
    """One check of one policy: each part adds the problems it finds."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.problems = _Problems()
        self.scope: dict[str, ValueType] = dict(STANDARD_INPUTS)
        self.inputs: dict[str, InputDecl] = {}
        self.param_deps: dict[str, frozenset[str]] = {}
        self.derived_deps: dict[str, frozenset[str]] = {}
        self.param_where: dict[str, str] = {}
        self.derived_where: dict[str, str] = {}

    def run(self, source: str | None) -> CheckedPolicy:
        policy = self.policy
        self._declare_inputs()
        self._declare_parameters()
        self._declare_derived()
        parameters = {
            p.name: self._parameter(i, p)
            for i, p in enumerate(policy.parameters[:MAX_ITEMS])
            if self.param_where.get(p.name) == f"$.parameters[{i}]"
        }
        derived = {expr.name: expr for expr in self._derived()}
        param_order, derived_order = self._cycles()
        eligibility = self._rules(policy.eligibility, "eligibility", "rule", ValueType.BOOL)
        referrals = self._rules(policy.referrals, "referrals", "referral", ValueType.BOOL)
        caps = self._rules(policy.caps, "caps", "cap", ValueType.MONEY)
        flags = self._rules(policy.flags, "flags", "flag", ValueType.BOOL)
        amount = self._amount()
        self._purposes()
        self._flag_labels()
        schedules = self._schedules()
        self._type_terms()
        if self.problems or amount is None:
            raise self.problems.error(source)
        return CheckedPolicy(
            policy=policy,
            scope=dict(self.scope),
            inputs=dict(self.inputs),
            parameters=tuple(parameters[name] for name in param_order if name in parameters),
            derived=tuple(derived[name] for name in derived_order if name in derived),
            eligibility=eligibility,
            referrals=referrals,
            caps=caps,
            flags=flags,
            amount=amount,
            schedules=schedules,
        )

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

    # -- names --

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

    # -- parameters and derived values --

    def _parameter(self, index: int, parameter: Parameter) -> CheckedParameter:
        what = _named("parameter", parameter.name)
        base = f"$.parameters[{index}]"
        params_scope = {k: v for k, v in self.scope.items() if k.startswith("params.")}
        if not parameter.values:
            self.problems.add(f"{base}.values", what, "a parameter needs at least one value")
        entries: list[tuple[ParameterValue, Node | None]] = []
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
                entries.append((value, None))
                continue
            tree = self._expression(value.expr, f"{path}.expr", what, params_scope, parameter.type)
            if tree is None:
                continue
            deps |= {n.removeprefix("params.") for n in names(tree)}
            entries.append((value, tree))
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
        return CheckedParameter(parameter=parameter, values=ordered)

    def _derived(self) -> list[CheckedExpr]:
        checked = []
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
            self.derived_deps[item.name] = frozenset(
                n for n in names(tree) if n in self.derived_where
            )
            checked.append(CheckedExpr(name=item.name, tree=tree, item=item, source=item.source))
        return checked

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

    # -- rules --

    def _rules(
        self,
        items: Sequence[Rule | Referral | Cap | FlagRule],
        key: str,
        kind: str,
        expected: ValueType,
    ) -> tuple[CheckedExpr, ...]:
        items = self._too_many(tuple(items), f"$.{key}")
        self._unique(((f"$.{key}[{i}].id", r.id) for i, r in enumerate(items)), kind)
        out = []
        for index, item in enumerate(items):
            what = _named(kind, item.id)
            tree = self._expression(item.expr, f"$.{key}[{index}].expr", what, self.scope, expected)
            if tree is None:
                continue
            out.append(CheckedExpr(name=item.id, tree=tree, item=item, source=item.source))
        return tuple(out)

    def _amount(self) -> CheckedExpr | None:
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
        return CheckedExpr(name="amount", tree=tree, item=policy, source=source)

    # -- labels --

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

    # -- approval bands --

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

    # -- terms of the payout type --

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


def _catalogue_keys() -> frozenset[str]:
    return frozenset(default_catalogue().keys())
