"""Reforms as data: "what if" changes to a policy, checked like a policy, and policy diffs.

A reform is a list of changes applied in order to a policy, giving a new policy that
is checked exactly as a loaded policy is (types, gaps in approval bands, unknown
names). A change that breaks the policy is refused when the reform is applied, and
the error names the change. A reform is also a small TOML (or JSON) file::

    schema_version = 1
    id = "lower_rate"
    description = "1 400 kr per child from 2023"

    [[changes]]
    kind = "set_parameter"
    parameter = "rate_per_child"
    value = 1400
    valid_from = 2023-01-01

Change kinds: ``set_parameter`` (a value of an existing parameter, from a date or for
all dates), ``add_parameter`` (a new parameter: ``parameter``, ``type``, ``value``),
``replace_rule`` (a new ``expr`` for the rule, referral, cap, flag or derived value
``rule``), ``neutralise_rule`` (remove that rule, referral, cap or flag: it no longer
decides anything), ``set_bands`` (the approval band ``schedules``), ``set_pot`` (the
pot's ``total``) and ``set_amount`` (the amount ``expr``).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum, unique
from pathlib import Path
from typing import Any, Final

import attrs

from samskaping._errors import DocumentError, InvalidInputError, Problem
from samskaping._money import Money
from samskaping._records import Records
from samskaping.io import format_of, parse, read_text, structure
from samskaping.l10n import check_lang, default_catalogue
from samskaping.model import identifier
from samskaping.payouts._compiled import check_policy
from samskaping.payouts._errors import PolicyError
from samskaping.payouts._expr_ast import ValueType
from samskaping.payouts._policy import BandSchedule, Parameter, ParameterValue, Policy

__all__ = [
    "ChangeKind",
    "PolicyDiff",
    "PolicyDifference",
    "Reform",
    "ReformChange",
    "diff_policies",
    "load_reform",
    "loads_reform",
    "reform",
]

_EARLIEST: Final = datetime.date(1900, 1, 1)
_RULE_LISTS: Final = ("eligibility", "referrals", "caps", "flags")


@unique
class ChangeKind(StrEnum):
    """What a reform change does (see the module docs)."""

    SET_PARAMETER = "set_parameter"
    ADD_PARAMETER = "add_parameter"
    REPLACE_RULE = "replace_rule"
    NEUTRALISE_RULE = "neutralise_rule"
    SET_BANDS = "set_bands"
    SET_POT = "set_pot"
    SET_AMOUNT = "set_amount"


@attrs.frozen(kw_only=True)
class ReformChange:
    """One change of a reform; which fields it needs depends on its ``kind``.

    Attributes:
        parameter: The parameter set or added.
        value: Its new value (a literal of the parameter's type).
        valid_from: From this date on (``None``: for every date, replacing all values).
        valid_to: Until this date (``None``: open-ended).
        type: The type of an added parameter.
        rule: The id of the rule replaced or neutralised (a derived value's name).
        expr: The new expression of a replaced rule or of the amount.
        schedules: The new approval band schedules.
        total: The pot's new total.
    """

    kind: ChangeKind
    parameter: str | None = None
    value: Any = None
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    type: ValueType | None = None
    rule: str | None = None
    expr: str | None = None
    schedules: tuple[BandSchedule, ...] = ()
    total: Money | None = None
    note: str | None = None

    def describe(self) -> str:
        """A short English description, used in errors."""
        target = self.parameter or self.rule or ""
        return f"{self.kind.value} {target!r}" if target else self.kind.value

    @classmethod
    def set_parameter(
        cls,
        name: str,
        value: Any,
        *,
        valid_from: datetime.date | None = None,
        valid_to: datetime.date | None = None,
    ) -> ReformChange:
        """Set parameter ``name`` to ``value`` (from a date, or for every date)."""
        return cls(
            kind=ChangeKind.SET_PARAMETER,
            parameter=name,
            value=value,
            valid_from=valid_from,
            valid_to=valid_to,
        )

    @classmethod
    def add_parameter(cls, name: str, type: ValueType, value: Any) -> ReformChange:
        """Add a new parameter, in force on every date."""
        return cls(kind=ChangeKind.ADD_PARAMETER, parameter=name, type=type, value=value)

    @classmethod
    def replace_rule(cls, rule: str, expr: str) -> ReformChange:
        """Give the rule (referral, cap, flag or derived value) ``rule`` a new expression."""
        return cls(kind=ChangeKind.REPLACE_RULE, rule=rule, expr=expr)

    @classmethod
    def neutralise_rule(cls, rule: str) -> ReformChange:
        """Remove the rule, referral, cap or flag ``rule``."""
        return cls(kind=ChangeKind.NEUTRALISE_RULE, rule=rule)

    @classmethod
    def set_bands(cls, schedules: Sequence[BandSchedule]) -> ReformChange:
        """Replace the approval band schedules."""
        return cls(kind=ChangeKind.SET_BANDS, schedules=tuple(schedules))

    @classmethod
    def set_pot(cls, total: Money) -> ReformChange:
        """Set the total of the policy's pot."""
        return cls(kind=ChangeKind.SET_POT, total=total)

    @classmethod
    def set_amount(cls, expr: str) -> ReformChange:
        """Replace the amount expression."""
        return cls(kind=ChangeKind.SET_AMOUNT, expr=expr)


@attrs.frozen(kw_only=True)
class Reform:
    """A named list of changes (see the module docs)."""

    schema_version: int = 1
    id: str = attrs.field(validator=identifier)
    description: str | None = None
    changes: tuple[ReformChange, ...] = ()
    source: str | None = None


def _refuse(index: int, change: ReformChange, message: str) -> PolicyError:
    name = f"change {index + 1} ({change.describe()})"
    return PolicyError(
        [Problem(path=f"$.changes[{index}]", message=f"{name}: {message}")],
        source="reform",
        rules=[name],
    )


def _retimed(values: tuple[ParameterValue, ...], new: ParameterValue) -> tuple[ParameterValue, ...]:
    """The values with ``new`` laid over them: older values are cut around its interval."""
    kept: list[ParameterValue] = []
    start, end = new.valid_from, new.valid_to
    for value in values:
        if value.valid_from < start:
            stop = start if value.valid_to is None or value.valid_to > start else value.valid_to
            kept.append(attrs.evolve(value, valid_to=stop))
        if end is not None and (value.valid_to is None or value.valid_to > end):
            begin = max(value.valid_from, end)
            kept.append(attrs.evolve(value, valid_from=begin))
    kept.append(new)
    return tuple(sorted(kept, key=lambda v: v.valid_from))


def _set_parameter(policy: Policy, change: ReformChange) -> Policy:
    names = [p.name for p in policy.parameters]
    if change.parameter not in names:
        raise InvalidInputError(f"the policy has no parameter {change.parameter!r}")
    new = ParameterValue(
        valid_from=change.valid_from or _EARLIEST,
        valid_to=change.valid_to,
        value=change.value,
        note="reform",
    )
    parameters = []
    for parameter in policy.parameters:
        if parameter.name == change.parameter:
            values = (new,) if change.valid_from is None else _retimed(parameter.values, new)
            parameter = attrs.evolve(parameter, values=values)  # noqa: PLW2901
        parameters.append(parameter)
    return attrs.evolve(policy, parameters=tuple(parameters))


def _rule_change(policy: Policy, change: ReformChange) -> Policy:
    remove = change.kind is ChangeKind.NEUTRALISE_RULE
    for field in _RULE_LISTS:
        rules = getattr(policy, field)
        if any(r.id == change.rule for r in rules):
            if remove:
                kept = tuple(r for r in rules if r.id != change.rule)
            else:
                kept = tuple(
                    attrs.evolve(r, expr=change.expr) if r.id == change.rule else r for r in rules
                )
            replaced: dict[str, Any] = {field: kept}
            return attrs.evolve(policy, **replaced)
    if change.expr is not None and any(d.name == change.rule for d in policy.derived):
        derived = tuple(
            attrs.evolve(d, expr=change.expr) if d.name == change.rule else d
            for d in policy.derived
        )
        return attrs.evolve(policy, derived=derived)
    raise InvalidInputError(f"the policy has no rule {change.rule!r}")


def _apply(policy: Policy, change: ReformChange) -> Policy:
    kind = change.kind
    if kind is ChangeKind.SET_PARAMETER:
        return _set_parameter(policy, change)
    if kind is ChangeKind.ADD_PARAMETER:
        if change.parameter is None or change.type is None:
            raise InvalidInputError("add_parameter needs 'parameter', 'type' and 'value'")
        added = Parameter(
            name=change.parameter,
            type=change.type,
            values=(ParameterValue(valid_from=_EARLIEST, value=change.value, note="reform"),),
        )
        return attrs.evolve(policy, parameters=(*policy.parameters, added))
    if kind in {ChangeKind.REPLACE_RULE, ChangeKind.NEUTRALISE_RULE}:
        if change.rule is None or (kind is ChangeKind.REPLACE_RULE and change.expr is None):
            raise InvalidInputError(
                f"{kind.value} needs 'rule'" + ("" if change.expr else " and 'expr'")
            )
        return _rule_change(policy, change)
    if kind is ChangeKind.SET_BANDS:
        return attrs.evolve(policy, approval_bands=change.schedules)
    if kind is ChangeKind.SET_POT:
        if change.total is None:
            raise InvalidInputError("set_pot needs 'total'")
        if policy.pot is None:
            raise InvalidInputError("the policy has no pot")
        return attrs.evolve(policy, pot=attrs.evolve(policy.pot, total=change.total))
    if change.expr is None:
        raise InvalidInputError("set_amount needs 'expr'")
    return attrs.evolve(policy, amount=change.expr)


def _changes(
    changes: Reform | Iterable[ReformChange] | Mapping[str, Any],
) -> tuple[ReformChange, ...]:
    if isinstance(changes, Reform):
        return changes.changes
    if isinstance(changes, Mapping):
        return tuple(
            ReformChange.set_parameter(name.removeprefix("params."), value)
            for name, value in changes.items()
        )
    return tuple(changes)


def reform(policy: Policy, changes: Reform | Iterable[ReformChange] | Mapping[str, Any]) -> Policy:
    """A new policy: ``policy`` with ``changes`` applied in order, and checked.

    Args:
        policy: The policy to change.
        changes: A :class:`Reform`, a sequence of :class:`ReformChange`, or a mapping
            of parameter names to values (each held at that value on every date).

    Raises:
        PolicyError: If a change does not apply or leaves a policy that does not check;
            the message names the change (its number and kind).
    """
    current = policy
    for index, change in enumerate(_changes(changes)):
        try:
            current = check_policy(_apply(current, change))
        except PolicyError as exc:
            detail = "; ".join(p.message for p in exc.problems[:3])
            raise _refuse(index, change, detail) from None
        except (InvalidInputError, TypeError, ValueError) as exc:
            raise _refuse(index, change, str(exc)) from None
    return current


def loads_reform(text: str | bytes, format: str = "toml", *, source: str | None = None) -> Reform:
    """Read a reform from TOML or JSON text.

    Raises:
        DocumentError: If the text is not a reform.
    """
    data = parse(text, "json" if format == "json" else "toml", source=source, max_bytes=2**20)
    reform_: Reform = structure(data, Reform, source=source)
    return attrs.evolve(reform_, source=source)


def load_reform(path: str | os.PathLike[str]) -> Reform:
    """Read a reform from a ``.toml`` or ``.json`` file.

    Raises:
        DocumentError: If the file cannot be read or is not a reform.
    """
    file = Path(path)
    if not file.is_file():
        raise DocumentError(
            [Problem(path="$", message="the reform file does not exist")], source=file.name
        )
    fmt = format_of(file, "toml")
    return loads_reform(read_text(file, max_bytes=2**20), fmt, source=file.name)


@attrs.frozen(kw_only=True)
class PolicyDifference:
    """One difference between two policies.

    Attributes:
        kind: ``parameter``, ``rule``, ``referral``, ``cap``, ``flag``, ``derived``,
            ``amount``, ``pot``, ``bands``, ``purpose`` or ``setting``.
        name: The item's id or name.
        change: ``added``, ``removed`` or ``changed``.
        before: The old value as text (``None`` if added).
        after: The new value as text (``None`` if removed).
    """

    kind: str
    name: str
    change: str
    before: str | None = None
    after: str | None = None

    def text(self, lang: str = "nb") -> str:
        """The difference as one line in ``nb``, ``nn`` or ``en``."""
        checked = check_lang(lang)
        catalogue = default_catalogue()
        kind = catalogue.label(f"payouts.diff.kind.{self.kind}", checked)
        return catalogue.message(
            f"payouts.diff.{self.change}",
            checked,
            kind=kind,
            name=self.name,
            before=self.before or "",
            after=self.after or "",
        )


@attrs.frozen(kw_only=True)
class PolicyDiff(Records):
    """What differs between two policies, item by item."""

    before: str
    after: str
    differences: tuple[PolicyDifference, ...]

    def __bool__(self) -> bool:
        return bool(self.differences)

    def lines(self, lang: str = "nb") -> list[str]:
        """Each difference as a line in ``nb``, ``nn`` or ``en``."""
        return [d.text(lang) for d in self.differences]

    def to_records(self) -> list[dict[str, object]]:
        """One row per difference."""
        return [attrs.asdict(d) for d in self.differences]


def _values_text(parameter: Parameter) -> str:
    parts = []
    for value in parameter.values:
        end = value.valid_to.isoformat() if value.valid_to else ""
        shown = value.expr if value.value is None else value.value
        shown = shown.amount if isinstance(shown, Money) else shown
        parts.append(f"{shown} [{value.valid_from.isoformat()}..{end})")
    return "; ".join(parts)


def _items(policy: Policy) -> dict[tuple[str, str], str]:
    items: dict[tuple[str, str], str] = {}
    for parameter in policy.parameters:
        items["parameter", parameter.name] = _values_text(parameter)
    for field, kind in zip(_RULE_LISTS, ("rule", "referral", "cap", "flag"), strict=True):
        for rule in getattr(policy, field):
            items[kind, rule.id] = rule.expr
    for derived in policy.derived:
        items["derived", derived.name] = derived.expr
    for purpose in policy.purposes:
        items["purpose", purpose.code] = purpose.code
    items["amount", "amount"] = policy.amount or ""
    if policy.pot is not None:
        items["pot", policy.pot.id] = str(policy.pot.total.amount)
    for schedule in policy.approval_bands:
        bands = ", ".join(
            f"{b.id}: {b.lower.amount}..{'' if b.upper is None else b.upper.amount} {b.approvers}"
            for b in schedule.bands
        )
        items["bands", schedule.valid_from.isoformat()] = bands
    items["setting", "partial_grants"] = str(policy.partial_grants)
    return items


def diff_policies(a: Policy, b: Policy) -> PolicyDiff:
    """What differs between policy ``a`` and policy ``b``, item by item.

    >>> from samskaping.payouts import load_policy
    >>> base = load_policy("flyktningfamilien")
    >>> rate = base.unconditional.rate
    >>> diff = diff_policies(base, reform(base, {rate: 1400}))
    >>> [(d.kind, d.change) for d in diff.differences]
    [('parameter', 'changed')]
    """
    before, after = _items(a), _items(b)
    differences = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        change = "added" if old is None else "removed" if new is None else "changed"
        differences.append(
            PolicyDifference(kind=key[0], name=key[1], change=change, before=old, after=new)
        )
    return PolicyDiff(before=a.id, after=b.id, differences=tuple(differences))
