"""Composing the layout: the report's facts written out in the reader's language."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from decimal import Decimal
from enum import Enum

from samskaping._money import Money
from samskaping.l10n import (
    Lang,
    enum_label,
    format_date,
    format_decimal,
    format_money,
    format_percent,
    label,
)
from samskaping.report._data import BudgetFacts, ReportData
from samskaping.report._layout import Block, Chart, Facts, Layout, Notice, Paragraph, Section, Table
from samskaping.report._svg import TimelineBar, timeline_svg

__all__ = ["SECTION_BUILDERS", "compose"]


class Writer:
    """Labels and formatted values in one language."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang

    def t(self, key: str, **params: object) -> str:
        """A report label, filled."""
        text = label(f"report.{key}", self.lang)
        return text.format(**params) if params else text

    def enum(self, value: Enum) -> str:
        """The label of a code."""
        return enum_label(value, self.lang)

    def money(self, value: Money | None) -> str:
        """An amount, or a dash."""
        return "–" if value is None else format_money(value, self.lang)

    def date(self, value: datetime.date | None) -> str:
        """A date, or a dash."""
        return "–" if value is None else format_date(value, self.lang, style="medium")

    def number(self, value: Decimal | int | None, places: int = 1) -> str:
        """A number, or a dash."""
        return "–" if value is None else format_decimal(value, self.lang, places=places)

    def percent(self, value: Decimal | None, places: int = 0) -> str:
        """A percentage, or a dash."""
        return "–" if value is None else format_percent(value, self.lang, places=places)

    def period(self, start: datetime.date | None, end: datetime.date | None) -> str:
        """A span of dates."""
        return f"{self.date(start)} – {self.date(end)}"


def _summary(data: ReportData, w: Writer) -> Iterator[Block]:
    s = data.summary
    items = [
        (w.t("summary.kind"), w.enum(s.kind)),
        (w.t("summary.owner"), s.owner_org or "–"),
        (w.t("summary.period"), w.period(s.start, s.end)),
        (w.t("summary.status"), w.enum(s.status)),
    ]
    if s.end_reason:
        items.append((w.t("summary.end_reason"), s.end_reason))
    if s.phase_model_name:
        items.append((w.t("summary.phase_model"), s.phase_model_name))
    if s.funding is not None:
        items.append((w.t("summary.funding"), w.money(s.funding)))
    if s.citizens_reached is not None:
        items.append((w.t("summary.citizens_reached"), w.number(s.citizens_reached, 0)))
    counts = [
        ("summary.count.projects", s.projects),
        ("summary.count.deliverables", s.deliverables),
        ("summary.count.risks", s.risks),
        ("summary.count.goals", s.goals),
        ("summary.count.benefits", s.benefits),
        ("summary.count.meeting_places", s.meeting_places),
        ("summary.count.activities", s.involvement_activities),
        ("summary.count.actors", s.actors),
    ]
    items.extend((w.t(key), str(count)) for key, count in counts if count)
    if s.description:
        yield Paragraph(text=s.description)
    yield Facts(items=tuple(items))


def _timeline(data: ReportData, w: Writer) -> Iterator[Block]:
    if not data.phases:
        yield Paragraph(text=w.t("timeline.none"))
        return
    rows = []
    bars = []
    for phase in data.phases:
        gate = phase.gate
        decision = "–"
        if gate is not None:
            decision = f"{gate.gate}: {w.enum(gate.outcome)}"
            if gate.date:
                decision += f" ({w.date(gate.date)})"
        rows.append((phase.name, w.date(phase.start), w.date(phase.end), decision))
        if phase.start and phase.end:
            bars.append(
                TimelineBar(
                    label=phase.name,
                    start=phase.start,
                    end=phase.end,
                    gate=gate.gate if gate else None,
                    gate_passed=gate.passed if gate else True,
                )
            )
        for sub in phase.subphases:
            rows.append((f"  {sub.name}", w.date(sub.start), w.date(sub.end), ""))
            if sub.start and sub.end:
                bars.append(TimelineBar(label=sub.name, start=sub.start, end=sub.end, depth=1))
    yield Table(
        caption=None,
        columns=(
            w.t("timeline.phase"),
            w.t("timeline.start"),
            w.t("timeline.end"),
            w.t("timeline.gate"),
        ),
        rows=tuple(rows),
    )
    if bars:
        title = w.t("timeline.chart")
        text = tuple(
            f"{b.label:<28} {b.start.isoformat()} → {b.end.isoformat()}"
            + (f"  ◆ {b.gate}" if b.gate else "")
            for b in bars
        )
        yield Chart(
            title=title,
            svg=timeline_svg(bars, title=title),
            text=text,
            description=w.t("timeline.chart_description"),
        )
    else:
        yield Paragraph(text=w.t("timeline.no_dates"))


def _budget_blocks(budget: BudgetFacts, w: Writer) -> Iterator[Block]:
    items = [(w.t("budget.frame"), w.money(budget.frame))]
    if budget.allocated is not None:
        items.append((w.t("budget.allocated"), w.money(budget.allocated)))
    if budget.transferred:
        items.append((w.t("budget.transferred"), w.money(budget.transferred)))
    items.append(
        (
            w.t("budget.spent"),
            w.money(budget.spent) if budget.spent is not None else w.t("budget.unknown"),
        )
    )
    if budget.remaining is not None:
        items.append((w.t("budget.remaining"), w.money(budget.remaining)))
    if budget.remainder_stated is not None:
        items.append((w.t("budget.remainder_stated"), w.money(budget.remainder_stated)))
    if budget.returned_to:
        items.append((w.t("budget.returned_to"), budget.returned_to))
    yield Facts(items=tuple(items))
    if budget.costs_by_year:
        yield Table(
            caption=w.t("budget.by_year"),
            columns=(w.t("budget.year"), w.t("budget.amount")),
            rows=tuple((str(year), w.money(amount)) for year, amount in budget.costs_by_year),
            numeric=(False, True),
        )
    if budget.note:
        yield Notice(text=budget.note)


def _budget(data: ReportData, w: Writer) -> Iterator[Block]:
    if data.budget is None:
        yield Paragraph(text=w.t("budget.none"))
    else:
        yield from _budget_blocks(data.budget, w)


def _projects(data: ReportData, w: Writer) -> Iterator[Block]:
    if not data.projects:
        return
    rows = tuple(
        (
            p.name,
            w.enum(p.status),
            w.date(p.start),
            w.money(p.frame),
            ", ".join(w.enum(t) for t in p.payment_types) or "–",
            p.end_reason or "",
        )
        for p in data.projects
    )
    yield Table(
        caption=None,
        columns=(
            w.t("projects.name"),
            w.t("projects.status"),
            w.t("projects.start"),
            w.t("projects.frame"),
            w.t("projects.payment_types"),
            w.t("projects.end_reason"),
        ),
        rows=rows,
        numeric=(False, False, False, True),
    )
    yield from _projects_timeline(data, w)


def _projects_timeline(data: ReportData, w: Writer) -> Iterator[Block]:
    bars = [
        TimelineBar(label=p.name, start=p.start, end=p.end, gate=None)
        for p in data.projects
        if p.start is not None and p.end is not None and p.end >= p.start
    ]
    if not bars:
        return
    title = w.t("projects.chart")
    text = tuple(f"{b.label:<32} {b.start.isoformat()} → {b.end.isoformat()}" for b in bars)
    yield Chart(
        title=title,
        svg=timeline_svg(bars, title=title),
        text=text,
        description=w.t("projects.chart_description"),
    )


def _findings(data: ReportData, w: Writer) -> Iterator[Block]:
    if not data.findings:
        yield Notice(text=w.t("findings.none"), tone="good")
        return
    errors = sum(1 for f in data.findings if f.severity == "error")
    yield Notice(
        text=w.t("findings.count", count=len(data.findings), errors=errors),
        tone="bad" if errors else "warning",
    )
    yield Table(
        caption=None,
        columns=(w.t("findings.severity"), w.t("findings.path"), w.t("findings.message")),
        rows=tuple(
            (label(f"enum.severity.{f.severity}", w.lang), f.path, f.message) for f in data.findings
        ),
    )


#: Each section in order: its key and how to write it (no blocks: the section is left out).
SECTION_BUILDERS: tuple[tuple[str, Callable[[ReportData, Writer], Iterator[Block]]], ...] = (
    ("summary", _summary),
    ("projects", _projects),
    ("timeline", _timeline),
    ("budget", _budget),
    ("findings", _findings),
)


def compose(data: ReportData) -> Layout:
    """Write the report's facts out as a layout in the report's language."""
    w = Writer(data.lang)
    sections = []
    for key, build in SECTION_BUILDERS:
        blocks = tuple(build(data, w))
        if blocks:
            sections.append(Section(key=key, title=w.t(f"section.{key}"), blocks=blocks))
    subtitle = w.t(
        "subtitle",
        kind=w.enum(data.summary.kind),
        owner=data.summary.owner_org or "–",
        date=w.date(data.as_of),
    )
    return Layout(
        lang=data.lang,
        title=data.summary.name,
        subtitle=subtitle,
        sections=tuple(sections),
        footer=w.t("footer", version=_version(), schema=data.schema_version),
    )


def _version() -> str:
    from samskaping import __version__  # noqa: PLC0415

    return __version__
