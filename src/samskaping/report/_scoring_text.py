"""Plain-text renderings of the scoring reports, in nb, nn or en.

Used by ``samskaping score ... --format text``. Each line is built from the result's
codes and reasons; amounts, numbers and dates go through :mod:`samskaping.l10n`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from samskaping.l10n import (
    DEFAULT_LANG,
    Lang,
    check_lang,
    enum_label,
    format_date,
    format_decimal,
    format_money,
    label,
    message,
)
from samskaping.scoring import (
    AssessmentReport,
    GoalsReport,
    ItemDelta,
    Reason,
    RiskConfig,
    RiskReport,
    SurveyInstrument,
    UtenforReport,
    risk_config,
    survey_instrument,
    survey_instruments,
)

__all__ = ["report_text"]

Report = RiskReport | GoalsReport | UtenforReport | AssessmentReport


def _t(key: str, lang: Lang, **params: object) -> str:
    return message(f"scoring.text.{key}", lang, **params)


def _reasons(reasons: Iterable[Reason], lang: Lang, indent: str = "  ") -> list[str]:
    lines = []
    for item in reasons:
        mark = "!" if item.severity.value == "warning" else "-"
        lines.append(f"{indent}{mark} {item.text(lang)}")
    return lines


def _num(value: Decimal | None, lang: Lang, places: int = 2) -> str:
    return "–" if value is None else format_decimal(value, lang, places=places)


def _risk(report: RiskReport, lang: Lang, config: RiskConfig | None) -> list[str]:
    config = config or risk_config()
    scale = next((s for s in config.scales if s.name == report.scale), None)
    rule = next((r for r in config.rules if r.name == report.rule), None)
    lines = [
        _t("risk_heading", lang, name=report.name, id=report.id),
        _t(
            "risk_matrix",
            lang,
            scale=scale.title.get(lang) if scale else report.scale,
            rule=rule.title.get(lang) if rule else report.rule,
        ),
        _t("risk_count", lang, total=report.profile.total, open=report.profile.open),
    ]
    for before, after in zip(report.profile.counts, report.profile.residual_counts, strict=True):
        line = f"  {before.label.get(lang):<12} {before.count:>3}"
        if report.profile.residual_scored:  # never the initial bands repeated as "after"
            line += f"   {_t('after_mitigation', lang)}: {after.count}"
        lines.append(line)
    if report.profile.top:
        lines.append(_t("risk_top", lang))
        bands = {count.band: count.label.get(lang) for count in report.profile.counts}
        width = max(len(score.id) for score in report.profile.top)
        for score in report.profile.top:
            band = bands.get(score.band or "", "–")
            factor = _num(score.initial.score, lang) if score.initial else "–"
            lines.append(f"  {score.id:<{width}}  {band:<12} {factor:>6}  {score.title}")
    if report.profile.matrix_scored:  # a sum over no S × K is no figure
        lines.append(_t("risk_exposure", lang, exposure=_num(report.profile.total_exposure, lang)))
    if report.profile.total_emv is not None:
        lines.append(_t("risk_emv", lang, emv=format_money(report.profile.total_emv, lang)))
    lines.extend(_reasons(report.profile.reasons, lang))
    for score in report.risks:
        warnings = [r for r in score.reasons if r.severity.value == "warning"]
        if warnings:
            lines.append(f"  {score.id}:")
            lines.extend(_reasons(warnings, lang, indent="    "))
    return lines


def _goals(report: GoalsReport, lang: Lang) -> list[str]:
    attainment = report.attainment
    level = enum_label(attainment.level, lang) if attainment.level else "–"
    lines = [
        _t(
            "goals_heading",
            lang,
            name=report.name,
            id=report.id,
            date=format_date(report.as_of, lang),
        ),
        _t("goals_level", lang, level=level),
        *_reasons(attainment.reasons, lang),
    ]
    if report.gas is not None:
        lines.append(
            _t(
                "goals_gas",
                lang,
                t_score=_num(report.gas.t_score, lang),
                count=len(report.gas.goals),
            )
        )
    for title, statuses in (
        (label("enum.beneficiary.citizens", lang), report.benefits.citizens),
        (label("enum.beneficiary.organisation", lang), report.benefits.organisation),
    ):
        if statuses:
            heading = _t("goals_benefits", lang, beneficiary=title)
            lines.append(heading[:1].upper() + heading[1:])
            lines.extend(f"  {s.title}: {enum_label(s.status, lang)}" for s in statuses)
    if report.meeting_places:
        lines.append(_t("goals_meeting_places", lang))
        for place in report.meeting_places:
            lines.append(f"  {place.name}: {enum_label(place.viability, lang)}")
            lines.extend(_reasons(place.reasons, lang, indent="    "))
    return lines


def _utenfor(report: UtenforReport, lang: Lang) -> list[str]:
    consistency = report.consistency
    lines = [
        _t("utenfor_heading", lang, name=report.name, id=report.id),
        *_reasons(report.reasons, lang),
    ]
    if consistency.rows:
        lines.extend(_reasons(consistency.reasons, lang))
    for result in report.results:
        lines.append(f"{result.name} ({result.case}):")
        lines.extend(_reasons(result.reasons, lang, indent="    "))
    if report.results:
        lines.append(_t("utenfor_discount", lang, rate=_num(report.discount_rate, lang, 4)))
    return lines


def _section(heading: str, reasons: Iterable[Reason], lang: Lang) -> list[str]:
    return [heading, *_reasons(reasons, lang)]


def _roles(name: str, instruments: Mapping[str, SurveyInstrument] | None) -> tuple[Any, ...]:
    if instruments is None:
        return survey_instrument(name).roles if name in survey_instruments() else ()
    return instruments[name].roles if name in instruments else ()


def _surveys(
    report: AssessmentReport, lang: Lang, instruments: Mapping[str, SurveyInstrument] | None
) -> list[str]:
    lines: list[str] = []
    for survey in report.surveys:
        heading = _t("assessment_survey", lang, year=survey.year, instrument=survey.instrument)
        lines.extend(_section(heading, survey.reasons, lang))
        lines.extend(
            "    "
            + _t(
                "survey_dimension",
                lang,
                code=d.dimension,
                label=d.label.get(lang),
                mean=_num(d.mean, lang),
                items=d.items,
                total=d.total_items,
            )
            for d in survey.dimensions
            if d.mean is not None
        )
    roles = {
        role.code: role.label.get(lang)
        for name in {survey.instrument for survey in report.surveys}
        for role in _roles(name, instruments)
    }
    for change in report.survey_changes:
        lines.extend(_reasons(change.reasons, lang))
        lines.extend(_deltas(change.items, lang))
        for role in change.by_role:
            lines.append("    " + _t("survey_role", lang, role=roles.get(role.role, role.role)))
            lines.extend(_deltas(role.items, lang, indent="      "))
    return lines


def _deltas(items: Iterable[ItemDelta], lang: Lang, indent: str = "    ") -> list[str]:
    return [
        f"{indent}{i.item}: {_num(i.before, lang)} → {_num(i.after, lang)} ({_num(i.change, lang)})"
        for i in items
        if i.change is not None
    ]


def _assessment(
    report: AssessmentReport, lang: Lang, instruments: Mapping[str, SurveyInstrument] | None
) -> list[str]:
    lines = [_t("assessment_heading", lang, name=report.name, id=report.id)]
    for diamond in report.idea_diamonds:
        heading = _t("assessment_diamond", lang, label=diamond.label or "–")
        lines.extend(_section(heading, diamond.reasons, lang))
    sections: list[tuple[str, tuple[Reason, ...] | None]] = [
        (
            _t("assessment_diamond_change", lang),
            report.idea_diamond_change.reasons if report.idea_diamond_change else None,
        ),
        (
            _t("assessment_considerations", lang),
            report.considerations.reasons if report.considerations else None,
        ),
        (_t("assessment_ks", lang), report.ks_keys.reasons if report.ks_keys else None),
        (
            _t("assessment_systems", lang),
            report.systems_change.reasons if report.systems_change else None,
        ),
        (
            _t("assessment_participation", lang),
            report.participation.reasons if report.participation.activities else None,
        ),
    ]
    if report.torfing is not None:
        outcome = enum_label(report.torfing.outcome, lang)
        sections.append((_t("assessment_torfing", lang, outcome=outcome), report.torfing.reasons))
    for heading, reasons in sections:
        if reasons is not None:
            lines.extend(_section(heading, reasons, lang))
    lines.extend(_surveys(report, lang, instruments))
    if len(lines) == 1:
        lines.append(_t("assessment_none", lang))
    return lines


def report_text(
    report: Report,
    lang: Lang = DEFAULT_LANG,
    *,
    risk: RiskConfig | None = None,
    instruments: Mapping[str, SurveyInstrument] | None = None,
) -> str:
    """A report as plain text in ``lang``.

    Scale and rule titles come from ``risk`` and survey roles from ``instruments`` (a
    profile's ``risk`` and ``survey_instruments``); the built-in ones by default.

    >>> from samskaping.model import Project, Risk
    >>> from samskaping.scoring import risk_report
    >>> risk = Risk(id="r1", title="Low turnout", probability=4, consequence=3)
    >>> print(report_text(risk_report(Project(id="p", name="P", risks=(risk,))), "en"))
    Risk: P (p)
    Scale: Standard 5 × 5 · rule: P × C: 1-4 low, 5-10 moderate, 12-25 high
    Risks: 1 (open: 1)
      low            0
      moderate       0
      high           1
    Highest risks:
      r1         high             12  Low turnout
    Exposure (sum of P × C): 12
      - Risks in the register: 1.

    Raises:
        InvalidInputError: If ``lang`` is not ``nb``, ``nn`` or ``en``.
    """
    lang = check_lang(lang)
    if isinstance(report, RiskReport):
        lines = _risk(report, lang, risk)
    elif isinstance(report, GoalsReport):
        lines = _goals(report, lang)
    elif isinstance(report, UtenforReport):
        lines = _utenfor(report, lang)
    else:
        lines = _assessment(report, lang, instruments)
    return "\n".join(lines)
