"""Plain-language text of decisions, reasons, flags and traces, in nb, nn and en.

Decisions hold codes; this is the edge where text is made, from the label catalogue
(``data/labels/payouts.toml``) and the policy's own labels. Amounts and dates are
formatted with babel. Household references are never shown unless revealed.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from samskaping._money import Money
from samskaping.l10n import LocalText
from samskaping.payouts._decision import Decision, Flag, Reason, Trace, TraceStep, TraceValue
from samskaping.payouts._policy import Cap, FlagRule, Policy, Referral, Rule

if TYPE_CHECKING:
    from samskaping.l10n import Catalogue, Lang

# The label catalogue and babel are loaded on first use, never when this is imported.


def check_lang(value: object) -> Lang:
    """See :func:`samskaping.l10n.check_lang`."""
    from samskaping.l10n import check_lang as check  # noqa: PLC0415

    return check(value)


def default_catalogue() -> Catalogue:
    """See :func:`samskaping.l10n.default_catalogue`."""
    from samskaping.l10n import default_catalogue as catalogue  # noqa: PLC0415

    return catalogue()


def enum_label(value: Enum, lang: Lang) -> str:
    """See :func:`samskaping.l10n.enum_label`."""
    from samskaping.l10n import enum_label as label  # noqa: PLC0415

    return label(value, lang)


def format_date(value: datetime.date, lang: Lang, *, style: Any = "long") -> str:
    """See :func:`samskaping.l10n.format_date`."""
    from samskaping.l10n import format_date as formatted  # noqa: PLC0415

    return formatted(value, lang, style=style)


def format_decimal(value: Decimal | int, lang: Lang, *, places: int = 2) -> str:
    """See :func:`samskaping.l10n.format_decimal`."""
    from samskaping.l10n import format_decimal as formatted  # noqa: PLC0415

    return formatted(value, lang, places=places)


def format_money(amount: Money, lang: Lang) -> str:
    """See :func:`samskaping.l10n.format_money`."""
    from samskaping.l10n import format_money as formatted  # noqa: PLC0415

    return formatted(amount, lang)


__all__ = [
    "flag_text",
    "reason_text",
    "render_collective",
    "render_decision",
    "render_plan",
    "render_policy_list",
    "render_simulation",
    "render_trace",
    "rule_text",
    "value_text",
]


def _label_text(label: LocalText, lang: Lang) -> str:
    return str(getattr(label, lang))


def _optional(key: str, lang: Lang) -> str | None:
    catalogue = default_catalogue()
    if key in catalogue.texts:
        return catalogue.label(key, lang)
    return None


def value_text(value: TraceValue, lang: Lang) -> str:
    """A value as people read it: amounts and dates localised, booleans as yes/no."""
    if isinstance(value, bool):
        return default_catalogue().label("payouts.text.yes" if value else "payouts.text.no", lang)
    if isinstance(value, Money):
        return format_money(value, lang)
    if isinstance(value, Decimal):
        return format_decimal(value, lang, places=6)
    if isinstance(value, int):
        return format_decimal(value, lang, places=0)
    if isinstance(value, datetime.date):
        return format_date(value, lang)
    if value is None:
        return "-"
    return str(value)


def purpose_text(code: str, lang: Lang, policy: Policy | None = None) -> str:
    """The label of a purpose code: the policy's own, else the catalogue's, else the code."""
    if policy is not None:
        for purpose in policy.purposes:
            if purpose.code == code and purpose.label is not None:
                return _label_text(purpose.label, lang)
    return _optional(f"payouts.purpose.{code}", lang) or code


def rule_text(name: str | None, lang: Lang, policy: Policy | None = None) -> str:
    """How a rule, cap, referral or flag is named in text: its label if it has one."""
    if name is None:
        return "-"
    if policy is not None:
        items: tuple[Rule | Referral | Cap | FlagRule, ...] = (
            *policy.eligibility,
            *policy.referrals,
            *policy.caps,
            *policy.flags,
        )
        for item in items:
            if item.id == name:
                if item.label is not None:
                    return _label_text(item.label, lang)
                description = getattr(item, "description", None)
                return description or name
    return name


def _param_text(
    name: str, value: TraceValue, lang: Lang, policy: Policy | None, kind: str | None
) -> str:
    if name == "purpose" and isinstance(value, str):
        return purpose_text(value, lang, policy)
    if name == "what" and isinstance(value, str):
        if kind == "purpose":
            return purpose_text(value, lang, policy)
        if kind == "rule":
            return rule_text(value, lang, policy)
        return value
    if name == "scheme" and isinstance(value, str):
        return _optional(f"payouts.scheme.{value}", lang) or value
    if name == "why" and isinstance(value, str):
        return _optional(f"payouts.why.{value}", lang) or value
    return value_text(value, lang)


def _fill(
    key: str,
    rule: str | None,
    params: tuple[tuple[str, TraceValue], ...],
    lang: Lang,
    policy: Policy | None,
) -> str:
    kind = next((v for n, v in params if n == "kind"), None)
    values: dict[str, Any] = {
        name: _param_text(name, value, lang, policy, kind if isinstance(kind, str) else None)
        for name, value in params
    }
    values["rule"] = rule_text(rule, lang, policy)
    return default_catalogue().message(key, lang, **values)


def reason_text(reason: Reason, lang: str = "nb", policy: Policy | None = None) -> str:
    r"""The text of a reason in ``lang``.

    >>> reason_text(Reason(code="granted", params=(("amount", Money(6400)),)), "en")
    'Granted: NOK\xa06,400.00.'
    """
    return _fill(
        f"payouts.reason.{reason.code}", reason.rule, reason.params, check_lang(lang), policy
    )


def flag_text(flag: Flag, lang: str = "nb", policy: Policy | None = None) -> str:
    """The text of a flag in ``lang``; a policy's own flags use their labels."""
    checked = check_lang(lang)
    if policy is not None:
        for rule in policy.flags:
            if rule.id == flag.code and rule.label is not None:
                return _label_text(rule.label, checked)
    key = f"payouts.flag.{flag.code}"
    if dict(flag.params).get("previous") == 1 and _optional(f"{key}_one", checked):
        key = f"{key}_one"
    return _fill(key, flag.rule, flag.params, checked, policy)


def step_text(
    step: TraceStep,
    lang: str = "nb",
    policy: Policy | None = None,
    *,
    reveal_identifiers: bool = False,
) -> str:
    """One trace step as a sentence, with its source; a personal value hidden unless revealed."""
    checked = check_lang(lang)
    catalogue = default_catalogue()
    name = step.name
    if step.kind.value == "purpose":
        name = purpose_text(step.name, checked, policy)
    if step.personal and not reveal_identifiers:
        value = catalogue.label("payouts.text.hidden", checked)
    else:
        value = value_text(step.value, checked)
    detail = step.detail or ""
    if step.kind.value == "band" and isinstance(step.value, str):
        value = _optional(f"enum.approver_body.{step.value}", checked) or step.value
    elif step.kind.value == "pot":
        detail = _optional(f"enum.pot_status.{detail}", checked) or detail
    elif step.kind.value == "grant":
        name = _optional(f"enum.decision_status.{name}", checked) or name
    text = catalogue.message(
        f"payouts.trace.{step.kind.value}",
        checked,
        name=name,
        value=value,
        detail=detail,
    )
    if step.source:
        text += f" [{catalogue.label('payouts.text.source', checked)}: {step.source}]"
    return text


def render_trace(
    trace: Trace,
    lang: str = "nb",
    policy: Policy | None = None,
    *,
    reveal_identifiers: bool = False,
) -> str:
    """A trace as numbered plain-language lines.

    The values of inputs declared ``personal`` (and of values derived from them) are
    hidden unless ``reveal_identifiers=True``.
    """
    return "\n".join(
        f"{i}. {step_text(step, lang, policy, reveal_identifiers=reveal_identifiers)}"
        for i, step in enumerate(trace.steps, 1)
    )


def render_decision(
    decision: Decision,
    lang: str = "nb",
    *,
    policy: Policy | None = None,
    reveal_identifiers: bool = False,
) -> str:
    """A decision as plain text for people, in ``lang``.

    The household reference, and the values of inputs declared ``personal``, are shown
    only with ``reveal_identifiers=True``; the trace is included if the decision has one.
    """
    checked = check_lang(lang)
    catalogue = default_catalogue()

    def label(key: str) -> str:
        return catalogue.label(f"payouts.text.{key}", checked)

    household = decision.household_ref if reveal_identifiers else label("hidden")
    lines = [
        f"{label('decision')}: {enum_label(decision.status, checked)}",
        f"{label('request')}: {decision.request_id}",
        f"{label('household')}: {household}",
        f"{label('policy')}: {decision.policy_id}",
        f"{label('as_of')}: {format_date(decision.as_of, checked)}",
        f"{label('requested')}: {format_money(decision.requested, checked)}",
        f"{label('amount')}: {format_money(decision.amount, checked)}",
    ]
    if decision.approvers is None:
        lines.append(f"{label('approvers')}: {label('no_approvers')}")
    else:
        approvers = catalogue.message(
            "payouts.text.approvers_person"
            if decision.approvers.people == 1
            else "payouts.text.approvers_people",
            checked,
            body=enum_label(decision.approvers.body, checked),
            people=decision.approvers.people,
            band=decision.approvers.band,
        )
        lines.append(f"{label('approvers')}: {approvers}")
    lines.append(f"{label('reasons')}:")
    lines.extend(f"  - {reason_text(r, checked, policy)}" for r in decision.reasons)
    if decision.flags:
        lines.append(f"{label('flags')}:")
        lines.extend(f"  - {flag_text(f, checked, policy)}" for f in decision.flags)
    else:
        lines.append(f"{label('flags')}: {label('no_flags')}")
    lines.append(
        catalogue.message(
            "payouts.text.documentation", checked, source=decision.documentation.legal_source
        )
    )
    if decision.trace is not None:
        lines.append(f"{label('trace')}:")
        lines.extend(
            "  " + line
            for line in render_trace(
                decision.trace, checked, policy, reveal_identifiers=reveal_identifiers
            ).splitlines()
        )
    return "\n".join(lines)


def _money_cell(value: Money | None, lang: Lang) -> str:
    return "-" if value is None else format_money(value, lang)


def render_plan(plan: Any, lang: str = "nb", *, reveal_identifiers: bool = False) -> str:
    """A payment plan as text: the total per payment date, then each household's."""
    checked = check_lang(lang)
    catalogue = default_catalogue()

    def label(key: str, **params: object) -> str:
        return catalogue.message(f"payouts.text.{key}", checked, **params)

    lines = [
        label(
            "plan_heading",
            policy=plan.policy_id,
            cohort=plan.cohort_id,
            start=format_date(plan.start, checked),
            end=format_date(plan.end, checked),
        ),
        label(
            "plan_terms",
            proration=enum_label(plan.proration, checked),
            cohort_kind=enum_label(plan.cohort_kind, checked),
        ),
    ]
    for day, amount in plan.by_date():
        count = sum(1 for p in plan.payments if p.date == day)
        shown = format_date(day, checked, style="medium")
        lines.append(f"  {shown:>14}  {format_money(amount, checked):>16}  ({count})")
    lines.append(label("plan_total", total=format_money(plan.total, checked)))
    index: dict[str, int] = {}
    for payment in plan.payments:
        index.setdefault(payment.household_ref, len(index) + 1)
    for item in plan.excluded:
        number = index.setdefault(item.household_ref, len(index) + 1)
        who = item.household_ref if reveal_identifiers else f"#{number}"
        reason = catalogue.label(f"payouts.exclusion.{item.reason}", checked)
        lines.append(label("plan_excluded", household=who, reason=reason))
    return "\n".join(lines)


def render_simulation(result: Any, lang: str = "nb") -> str:
    """A simulation result as text, with a line per household type."""
    checked = check_lang(lang)
    catalogue = default_catalogue()

    def label(key: str, **params: object) -> str:
        return catalogue.message(f"payouts.text.{key}", checked, **params)

    share = format_decimal(
        Decimal(result.reach_share.numerator) / Decimal(result.reach_share.denominator) * 100,
        checked,
        places=1,
    )
    lines = [
        label(
            "simulation_heading", policy=result.policy_id, as_of=format_date(result.as_of, checked)
        ),
        label(
            "simulation_summary",
            households=result.households,
            reached=result.reached,
            share=share,
            total=format_money(result.total, checked),
        ),
    ]
    if result.pot_total is not None:
        key = "simulation_within_pot" if result.within_pot else "simulation_over_pot"
        lines.append(label(key, pot=format_money(result.pot_total, checked)))
    lines.append(label("simulation_by_type"))
    lines.extend(
        f"  {summary.type:<20} {summary.households:>8} {summary.reached:>8} "
        f"{format_money(summary.total, checked):>18} {_money_cell(summary.median, checked):>14}"
        for summary in result.by_type
    )
    return "\n".join(lines)


def render_collective(decision: Any, lang: str = "nb", policy: Policy | None = None) -> str:
    """A collective decision as text: each proposal's outcome, and the budget."""
    checked = check_lang(lang)
    catalogue = default_catalogue()

    def label(key: str, **params: object) -> str:
        return catalogue.message(f"payouts.text.{key}", checked, **params)

    lines = [
        label(
            "collective_heading", policy=decision.policy_id, rule=enum_label(decision.rule, checked)
        ),
        label(
            "collective_budget",
            budget=format_money(decision.budget, checked),
            funded=format_money(decision.funded, checked),
            remaining=format_money(decision.remaining, checked),
        ),
    ]
    lines.extend(f"  - {reason_text(r, checked, policy)}" for r in decision.reasons)
    for outcome in decision.outcomes:
        lines.append(
            f"  {outcome.proposal_id:<20} {enum_label(outcome.status, checked):<40} "
            f"{format_money(outcome.amount, checked):>16}"
        )
        lines.extend(f"      {flag_text(f, checked, policy)}" for f in outcome.flags)
    return "\n".join(lines)


def render_policy_list(names: tuple[str, ...], lang: str = "nb") -> str:
    """The built-in policies, one line each: name, payout type and title."""
    from samskaping.payouts._load import builtin_policy  # noqa: PLC0415

    checked = check_lang(lang)
    lines = []
    for name in names:
        policy = builtin_policy(name)
        lines.append(f"{name:<24} {enum_label(policy.payment_type, checked):<26} {policy.name}")
    return "\n".join(lines)
