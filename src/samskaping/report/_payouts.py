"""Plain-language text of payout decisions, reasons, flags, traces, plans and simulations.

The payout engine's results hold codes; this is the edge where text is made, in nb, nn
and en: a reason's or flag's text is its :class:`~samskaping.l10n.Message` text, with
the policy's own labels (:func:`policy_labels`); amounts and dates are formatted with
babel. Household references are never shown unless revealed. Importing the report
registers :func:`render_decision` as a decision's notebook view.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from samskaping._money import Money
from samskaping._records import notebook_html
from samskaping.l10n import (
    Lang,
    LocalText,
    check_lang,
    default_catalogue,
    enum_label,
    format_date,
    format_decimal,
    format_money,
)
from samskaping.payouts import (
    Cap,
    Decision,
    Flag,
    FlagRule,
    Policy,
    Reason,
    Referral,
    Rule,
    Trace,
    TraceStep,
    builtin_policy,
    purpose_text,
    value_text,
)

__all__ = [
    "flag_text",
    "policy_labels",
    "reason_text",
    "render_collective",
    "render_decision",
    "render_plan",
    "render_policy_list",
    "render_simulation",
    "render_trace",
]


def _optional(key: str, lang: Lang) -> str | None:
    catalogue = default_catalogue()
    if key in catalogue.texts:
        return catalogue.label(key, lang)
    return None


def policy_labels(policy: Policy | None) -> dict[str, LocalText | str]:
    """A policy's own labels, as a message's ``labels``.

    They are ``purpose:<code>`` of each labelled purpose, ``rule:<id>`` of each rule,
    referral, cap and flag (its label, else its description), and ``flag:<id>`` of each
    labelled flag.
    """
    if policy is None:
        return {}
    labels: dict[str, LocalText | str] = {}
    for purpose in policy.purposes:
        if purpose.label is not None:
            labels.setdefault(f"purpose:{purpose.code}", purpose.label)
    items: tuple[Rule | Referral | Cap | FlagRule, ...] = (
        *policy.eligibility,
        *policy.referrals,
        *policy.caps,
        *policy.flags,
    )
    for item in items:
        description = getattr(item, "description", None)
        named = item.label if item.label is not None else description
        if named:
            labels.setdefault(f"rule:{item.id}", named)
    for rule in policy.flags:
        if rule.label is not None:
            labels.setdefault(f"flag:{rule.id}", rule.label)
    return labels


def reason_text(reason: Reason, lang: str = "nb", policy: Policy | None = None) -> str:
    r"""The text of a reason in ``lang``, with the policy's own labels.

    >>> reason_text(Reason(code="granted", params=(("amount", Money(6400)),)), "en")
    'Granted: NOK\xa06,400.00.'
    """
    return reason.text(lang, labels=policy_labels(policy))


def flag_text(flag: Flag, lang: str = "nb", policy: Policy | None = None) -> str:
    """The text of a flag in ``lang``; a policy's own flags use their labels."""
    return flag.text(lang, labels=policy_labels(policy))


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
        name = purpose_text(step.name, checked, policy_labels(policy))
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
    basis = step.provenance
    mark = enum_label(basis, checked) if basis is not None and basis.value != "source" else ""
    if step.source:
        cited = f"{catalogue.label('payouts.text.source', checked)}: {step.source}"
        # A design default drawing on a source figure says both, never the figure alone.
        text += f" [{mark}; {cited}]" if mark else f" [{cited}]"
    elif mark:
        text += f" [{mark}]"
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


def render_policy_list(
    names: tuple[str, ...], lang: str = "nb", *, policies: Mapping[str, Policy] | None = None
) -> str:
    """Policies by name (the built-in ones by default), one line each: name, type, title."""
    checked = check_lang(lang)
    lines = []
    for name in names:
        policy = policies[name] if policies is not None else builtin_policy(name)
        lines.append(f"{name:<24} {enum_label(policy.payment_type, checked):<26} {policy.name}")
    return "\n".join(lines)


@notebook_html.register
def _decision_html(decision: Decision) -> str:
    return f"<pre>{html.escape(render_decision(decision))}</pre>"
