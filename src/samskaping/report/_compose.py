"""Composing the layout: the report's facts written out in the reader's language."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from enum import Enum

from samskaping import __version__
from samskaping._money import Money, sum_money
from samskaping.l10n import (
    Lang,
    default_catalogue,
    enum_label,
    format_date,
    format_decimal,
    format_money,
    format_percent,
    label,
)
from samskaping.model import Basis
from samskaping.profile import Profile
from samskaping.report._data import BudgetFacts, ReportData, Unavailable
from samskaping.report._layout import (
    Block,
    Chart,
    Facts,
    GridCell,
    Layout,
    Notice,
    Paragraph,
    Section,
    Table,
    Tone,
)
from samskaping.report._scoring_svg import heat_map_svg
from samskaping.report._svg import Bar, TimelineBar, bar_chart_svg, timeline_svg
from samskaping.scoring import HeatMap, Reason

__all__ = ["SECTION_BUILDERS", "compose"]


#: What only a developer can use: a CLI option, an API name, a JSON path.
_DEVELOPER_TEXT = re.compile(r"--[a-z]|samskaping\.[a-z_]+|\$\.")


def for_managers(text: str) -> str:
    """Drop the sentences and clauses of ``text`` that speak to developers.

    >>> for_managers("No profile is printed; give one with --cost-profile. Two cases.")
    'No profile is printed. Two cases.'
    """
    kept = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        parts = [part for part in sentence.split("; ") if not _DEVELOPER_TEXT.search(part)]
        if parts:
            joined = "; ".join(parts).rstrip()
            kept.append(joined if joined.endswith((".", "!", "?", ":")) else joined + ".")
    return " ".join(kept)


class Writer:
    """Labels and formatted values in one language."""

    def __init__(
        self, lang: Lang, *, details: bool = False, profile: Profile | None = None
    ) -> None:
        self.lang = lang
        self.details = details
        #: The profile whose thresholds and assessment data the report shows.
        self.profile = profile or Profile.default()

    def plain(self, text: str) -> str:
        """``text`` for a manager: without API names, CLI options or JSON paths.

        With ``details`` (for developers) the text is left whole.
        """
        return text if self.details else for_managers(text)

    def t(self, key: str, **params: object) -> str:
        """A report label, filled."""
        if params:
            return default_catalogue().message(f"report.{key}", self.lang, **params)
        return label(f"report.{key}", self.lang)

    def t_raw(self, key: str) -> str:
        """Any catalogue label by its full key."""
        return label(key, self.lang)

    def enum(self, value: Enum) -> str:
        """The label of a code."""
        return enum_label(value, self.lang)

    def money(self, value: Money | None) -> str:
        """An amount, or a dash."""
        return "–" if value is None else format_money(value, self.lang)

    def value(self, text: str) -> str:
        """A parameter's text value: its label when it is a known code (``unknown``)."""
        key = f"report.value.{text}"
        return self.t_raw(key) if key in default_catalogue().texts else text

    def marked(self, text: str, basis: Basis) -> str:
        """``text`` with a visible marker when its value is not from the source."""
        if basis is Basis.SOURCE:
            return text
        return f"{text} [{self.enum(basis)}]"

    def money_whole(self, value: Money) -> str:
        """An amount in whole kroner, for a figure the source gives only roughly."""
        text = format_money(Money(value.amount.quantize(Decimal(1))), self.lang)
        return re.sub(r"[.,]00(?=\D*$)", "", text)

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
        (
            w.t("summary.period"),
            w.t("undated") if s.start is None and s.end is None else w.period(s.start, s.end),
        ),
        (w.t("summary.status"), w.enum(s.status)),
    ]
    if s.end_reason:
        items.append((w.t("summary.end_reason"), s.end_reason))
    if s.phase_model_name:
        items.append((w.t("summary.phase_model"), s.phase_model_name))
    if s.funding is not None:
        funding = w.money(s.funding)
        if s.funding_approximate:  # «nærmere 38 millioner» (002:361) is no exact sum
            funding = w.t("approximate", amount=w.money_whole(s.funding))
        items.append((w.t("summary.funding"), funding))
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
            decision = w.marked(decision, gate.basis)
        rows.append((phase.name, w.date(phase.start), w.date(phase.end), decision))
        running = phase.start is not None and phase.end is None and data.as_of >= phase.start
        if phase.start and (phase.end or running):
            bars.append(
                TimelineBar(
                    label=phase.name,
                    start=phase.start,
                    end=phase.end or data.as_of,  # a running phase ends at the report's date
                    gate=gate.gate if gate else None,
                    gate_passed=gate.passed if gate else True,
                    open_ended=phase.end is None,
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
            f"{b.label:<28} {b.start.isoformat()} → {'…' if b.open_ended else b.end.isoformat()}"
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
    if budget.note and w.lang == "en":  # the data's notes are English: never in nb or nn
        yield Notice(text=budget.note)


def _budget(data: ReportData, w: Writer) -> Iterator[Block]:
    frames = [p.frame for p in data.projects if p.frame is not None]
    if data.budget is None and frames:
        # A programme's budget is its sub-projects' frames, rolled up (computed).
        total = sum_money(frames)
        items = [
            (w.t("budget.rolled_up"), w.marked(w.money(total), Basis.COMPUTED)),
            (
                w.t("budget.with_frame"),
                w.t("budget.of_projects", count=len(frames), total=len(data.projects)),
            ),
        ]
        if data.summary.funding is not None:
            funding = w.money(data.summary.funding)
            if data.summary.funding_approximate:
                funding = w.t("approximate", amount=w.money_whole(data.summary.funding))
            items.append((w.t("summary.funding"), funding))
        yield Facts(items=tuple(items))
    elif data.budget is None:
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


_LEVEL_TONES: dict[str, Tone] = {"hoy": "good", "middels": "warning", "lav": "bad"}


def _reasons(reasons: Sequence[Reason], w: Writer) -> Iterator[Block]:
    for item in reasons:
        tone: Tone = "warning" if item.severity.value in {"warning", "error"} else "neutral"
        yield Notice(text=w.plain(item.text(w.lang)), tone=tone)


def _deliverables(data: ReportData, w: Writer) -> Iterator[Block]:
    if not data.deliverables:
        return
    continuation = (
        None if isinstance(data.goals, Unavailable) else data.goals.attainment.continuation
    )
    if continuation is not None and continuation.working_models:
        yield Notice(
            text=w.t(
                "deliverables.continuation",
                continued=continuation.continued,
                total=continuation.working_models,
                share=w.percent(continuation.percent),
            ),
            tone=_LEVEL_TONES.get(
                continuation.level.value if continuation.level else "", "neutral"
            ),
        )
    rows = tuple(
        (
            d.title,
            w.enum(d.kind),
            w.enum(d.status),
            (d.continued_by or "")
            + (f" ({w.t('deliverables.until')} {w.date(d.until)})" if d.until else "")
            or d.discard_reason
            or "",
        )
        for d in data.deliverables
    )
    yield Table(
        caption=None,
        columns=(
            w.t("deliverables.title"),
            w.t("deliverables.kind"),
            w.t("deliverables.status"),
            w.t("deliverables.by"),
        ),
        rows=rows,
    )


def _goals(data: ReportData, w: Writer) -> Iterator[Block]:
    if isinstance(data.goals, Unavailable):  # compose says so instead
        return
    attainment = data.goals.attainment
    if attainment.level is None and not data.goals.attainment.goals:
        return
    if attainment.level is not None:
        yield Notice(
            text=w.t(
                "goals.level",
                level=w.enum(attainment.level),
                basis=w.t(f"goals.basis.{attainment.basis}"),
            ),
            tone=_LEVEL_TONES.get(attainment.level.value, "neutral"),
        )
    yield from _reasons(attainment.reasons, w)
    bars = []
    if attainment.continuation.percent is not None:
        bars.append(
            Bar(
                label=w.t("goals.continuation_bar"),
                value=attainment.continuation.percent,
                text=w.percent(attainment.continuation.percent),
            )
        )
    bars.extend(
        Bar(label=goal.title, value=goal.percent, text=w.percent(goal.percent))
        for goal in attainment.goals
        if goal.percent is not None
    )
    if attainment.percent is not None:
        bars.append(
            Bar(
                label=w.t("goals.overall"),
                value=attainment.percent,
                text=w.percent(attainment.percent),
                colour="#2e7d32",
            )
        )
    if bars:
        thresholds = w.profile.goals.attainment
        title = w.t("goals.chart")
        marks = (
            (thresholds.medium_from, w.t("goals.medium_from")),
            (thresholds.high_from, w.t("goals.high_from")),
        )
        text = tuple(f"{b.label[:40]:<40} {_ascii_bar(b.value)} {b.text}" for b in bars)
        yield Chart(
            title=title,
            svg=bar_chart_svg(bars, title=title, maximum=Decimal(100), marks=marks),
            text=text,
            description=w.t(
                "goals.chart_description",
                medium=w.percent(thresholds.medium_from),
                high=w.percent(thresholds.high_from),
            ),
        )
    if data.goals.gas is not None:
        yield Facts(items=((w.t("goals.gas"), w.number(data.goals.gas.t_score, 1)),))


def _ascii_bar(percent: Decimal, width: int = 20) -> str:
    filled = int(min(max(percent, Decimal(0)), Decimal(100)) / 100 * width)
    return "█" * filled + "░" * (width - filled)


def _benefits(data: ReportData, w: Writer) -> Iterator[Block]:
    if isinstance(data.goals, Unavailable):  # compose says so instead
        return
    realisation = data.goals.benefits
    groups = (("citizens", realisation.citizens), ("organisation", realisation.organisation))
    for key, items in groups:
        if not items:
            continue
        rows = tuple(
            (b.title, w.enum(b.status), w.percent(b.actual_percent), w.percent(b.expected_percent))
            for b in items
        )
        yield Table(
            caption=w.t(f"benefits.{key}"),
            columns=(
                w.t("benefits.title"),
                w.t("benefits.status"),
                w.t("benefits.actual"),
                w.t("benefits.expected"),
            ),
            rows=rows,
            numeric=(False, False, True, True),
        )


def _heat_text(grid: HeatMap, w: Writer) -> tuple[str, ...]:
    lines = []
    for row in grid.rows:
        level = row[0].probability
        cells = " ".join(f"[{cell.band[:3]}:{cell.count:>2}]" for cell in row)
        lines.append(f"{level} {cells}")
    lines.append("  " + " ".join(f"{c.consequence:^9}" for c in grid.rows[-1]) if grid.rows else "")
    graded = ", ".join(f"{b.label.get(w.lang)}: {b.count}" for b in grid.unplaced_bands if b.count)
    if graded:
        lines.append(w.t("risks.graded_only", bands=graded))
    return tuple(lines)


def _risks(data: ReportData, w: Writer) -> Iterator[Block]:
    if isinstance(data.risks, Unavailable):  # compose says so instead
        return
    risks = data.risks
    if not risks.risks:
        return
    profile = risks.profile
    counts = ", ".join(f"{c.label.get(w.lang)}: {c.count}" for c in profile.counts)
    yield Notice(text=w.t("risks.counts", total=profile.total, counts=counts))
    grids = [(risks.heat_map, "risks.before")] if profile.matrix_scored else []
    if any(score.residual is not None for score in risks.risks):
        grids.append((risks.residual_heat_map, "risks.after"))
    if not profile.matrix_scored:  # every risk graded only: a tally, not a matrix of zeros
        yield Table(
            caption=w.t("risks.tally"),
            columns=(w.t("risks.band"), w.t("risks.count")),
            rows=tuple((c.label.get(w.lang), w.number(c.count, 0)) for c in profile.counts),
            numeric=(False, True),
        )
    for grid, key in grids:
        title = w.t(key)
        yield Chart(
            title=title,
            svg=heat_map_svg(grid, w.lang, title=title),
            text=_heat_text(grid, w),
            description=w.t("risks.chart_description"),
            grid=tuple(
                tuple(GridCell(colour=c.colour, text=str(c.count) if c.count else "") for c in row)
                for row in grid.rows
            ),
            row_labels=tuple(reversed([label.get(w.lang) for label in grid.probability_labels])),
            column_labels=tuple(label.get(w.lang) for label in grid.consequence_labels),
        )
    names = {c.band: c.label.get(w.lang) for c in (*profile.counts, *profile.residual_counts)}
    rows: list[tuple[str, ...]] = []
    for score in profile.top:
        before = score.initial.band if score.initial else score.band
        after = score.residual.band if score.residual else None
        rows.append(
            (
                score.title,
                names.get(before, before) if before else "–",
                names.get(after, after) if after else "–",
                w.enum(score.status),
            )
        )
    columns: tuple[str, ...] = (
        w.t("risks.title"),
        w.t("risks.band_before"),
        w.t("risks.band_after"),
        w.t("risks.status"),
    )
    if not profile.residual_scored:  # no column "after mitigation" of dashes
        columns = (columns[0], columns[1], columns[3])
        rows = [(row[0], row[1], row[3]) for row in rows]
    yield Table(caption=w.t("risks.top"), columns=columns, rows=tuple(rows))
    if profile.total_emv is not None:
        yield Facts(items=((w.t("risks.emv"), w.money(profile.total_emv)),))
    yield from _reasons(profile.reasons, w)


def _meeting_places(data: ReportData, w: Writer) -> Iterator[Block]:
    if isinstance(data.goals, Unavailable):  # compose says so instead
        return
    places = data.goals.meeting_places
    if not places:
        return
    rows = []
    for place in places:
        rating = next((r for r in place.ratings if r.mean is not None), None)
        yes_no = next(iter(place.yes_no), None)
        feedback = "–"
        if rating is not None:
            feedback = w.t(
                "meeting_places.rating",
                mean=w.number(rating.mean, 2),
                top=w.percent(rating.top_box_percent),
                n=rating.responses,
            )
        elif yes_no is not None:
            feedback = w.t("meeting_places.yes_no", yes=yes_no.yes, total=yes_no.yes + yes_no.no)
        rows.append(
            (
                place.name,
                w.number(place.opening_days, 0),
                w.number(place.visits, 0),
                w.number(place.visits_per_opening_day, 1),
                w.number(place.unique_adults, 0),
                w.number(place.unique_children, 0),
                feedback,
                w.enum(place.viability),
            )
        )
    yield Table(
        caption=None,
        columns=(
            w.t("meeting_places.name"),
            w.t("meeting_places.days"),
            w.t("meeting_places.visits"),
            w.t("meeting_places.per_day"),
            w.t("meeting_places.adults"),
            w.t("meeting_places.children"),
            w.t("meeting_places.feedback"),
            w.t("meeting_places.viability"),
        ),
        rows=tuple(rows),
        numeric=(False, True, True, True, True, True, False, False),
    )


def _payouts(data: ReportData, w: Writer) -> Iterator[Block]:
    if not data.payouts:
        return
    rows = []
    bars = []
    for scheme in data.payouts:
        reach = [
            w.t(f"payouts.{key}", count=value)
            for key, value in (
                ("households", scheme.households),
                ("persons", scheme.persons),
                ("children", scheme.children),
            )
            if value is not None
        ]
        rows.append(
            (
                scheme.project_name,
                w.enum(scheme.payment_type),
                ", ".join(reach) or "–",
                w.money(scheme.pot_total),
                w.money(scheme.used) if scheme.used is not None else w.t("budget.unknown"),
                w.t_raw(f"enum.pot_status.{scheme.pot_status}") if scheme.pot_status else "–",
            )
        )
        if scheme.pot_total is not None and scheme.used_percent is not None:
            bars.append(
                Bar(
                    label=scheme.project_name,
                    value=scheme.used_percent,
                    text=f"{w.money(scheme.used)} ({w.percent(scheme.used_percent)})",
                )
            )
    yield Table(
        caption=None,
        columns=(
            w.t("payouts.project"),
            w.t("payouts.type"),
            w.t("payouts.reach"),
            w.t("payouts.pot"),
            w.t("payouts.used"),
            w.t("payouts.status"),
        ),
        rows=tuple(rows),
        numeric=(False, False, False, True, True, False),
    )
    if bars:
        title = w.t("payouts.chart")
        yield Chart(
            title=title,
            svg=bar_chart_svg(bars, title=title, maximum=Decimal(100)),
            text=tuple(f"{b.label[:40]:<40} {_ascii_bar(b.value)} {b.text}" for b in bars),
            description=w.t("payouts.chart_description"),
        )
    for scheme in data.payouts:
        terms = scheme.terms
        if terms is None:
            continue
        items = [
            (
                p.label.get(w.lang) if p.label else p.name,
                w.marked(w.money(p.amount) if p.amount else w.value(p.text), p.basis),
            )
            for p in terms.parameters
        ]
        items.extend(
            (
                _capital(w.t_raw(f"enum.approver_body.{band.approvers}")),  # a label, as above
                w.marked(_band_text(band.lower, band.upper, band.upper_inclusive, w), band.basis),
            )
            for band in terms.bands
        )
        if scheme.monthly_total is not None and scheme.children is not None:
            items.append(
                (w.t("payouts.monthly", children=scheme.children), w.money(scheme.monthly_total))
            )
        if items:  # each scheme's terms under their own label, aligned on their own
            yield Paragraph(
                text=w.t("payouts.terms", name=terms.name, date=w.date(terms.as_of)), lead=True
            )
            yield Facts(items=tuple(items))
    yield Notice(text=w.plain(w.t("payouts.fairness_needs_decisions")))


def _capital(text: str) -> str:
    """``text`` with a capital first letter (a label in a list of capitalised labels)."""
    return text[:1].upper() + text[1:]


def _band_text(lower: Money, upper: Money | None, upper_inclusive: bool, w: Writer) -> str:  # noqa: FBT001
    if upper is None:
        return w.t("payouts.band_above", lower=w.money(lower))
    key = "payouts.band_through" if upper_inclusive else "payouts.band_below"
    return w.t(key, lower=w.money(lower), upper=w.money(upper))


def _utenfor(data: ReportData, w: Writer) -> Iterator[Block]:
    if isinstance(data.utenfor, Unavailable):  # compose says so instead
        return
    report = data.utenfor
    consistency = report.consistency
    if not consistency.rows and not report.results:
        return
    if consistency.rows:
        rows = tuple(
            (
                row.name,
                str(row.participants),
                w.percent(row.effect * 100, 1),
                w.number(row.expected, 1),
                w.number(row.reported, 1),
                "✔" if row.consistent else ("✘" if row.consistent is False else "–"),
            )
            for row in consistency.rows
        )
        yield Table(
            caption=w.t("utenfor.consistency"),
            columns=(
                w.t("utenfor.case"),
                w.t("utenfor.participants"),
                w.t("utenfor.effect"),
                w.t("utenfor.expected"),
                w.t("utenfor.reported"),
                w.t("utenfor.consistent"),
            ),
            rows=rows,
            numeric=(False, True, True, True, True, False),
        )
        yield from _reasons(consistency.reasons, w)
    for result in report.results:
        yield Facts(
            items=(
                (w.t("utenfor.case"), result.name),
                (w.t("utenfor.helped"), w.number(result.helped_per_year, 1)),
                (w.t("utenfor.net_gain"), w.money(result.net_gain)),
                (
                    w.t("utenfor.break_even"),
                    str(result.break_even_year) if result.break_even_year else w.t("utenfor.never"),
                ),
                (
                    w.t("utenfor.signs"),
                    " ".join(f"{w.enum(level.level)} {level.sign}" for level in result.levels),
                ),
            )
        )
        if result.illustrative_profile:
            yield Notice(text=w.t("utenfor.illustrative"), tone="warning")
    yield from _reasons(report.reasons, w)


def _assessments(data: ReportData, w: Writer) -> Iterator[Block]:
    if isinstance(data.assessments, Unavailable):  # compose says so instead
        return
    report = data.assessments
    change = report.idea_diamond_change
    if change is not None:
        dimensions = w.profile.assessments.idea_diamond.dimensions
        names = {d.code: d.label.get(w.lang) for d in dimensions}
        rows = tuple(
            (names.get(c.dimension, c.dimension), str(c.before), str(c.after), f"{c.change:+d}")
            for c in change.changes
        )
        yield Table(
            caption=w.t("assessments.diamond"),
            columns=(
                w.t("assessments.dimension"),
                w.t("assessments.before"),
                w.t("assessments.after"),
                w.t("assessments.change"),
            ),
            rows=rows,
            numeric=(False, True, True, True),
        )
    if report.considerations is not None:
        c = report.considerations
        yield Facts(
            items=(
                (
                    w.t("assessments.considerations"),
                    w.t(
                        "assessments.considerations_counts",
                        yes=len(c.yes),
                        maybe=len(c.maybe),
                        no=len(c.no),
                    ),
                ),
            )
        )
    if report.systems_change is not None:
        yield from _reasons(report.systems_change.reasons, w)


def _involvement(data: ReportData, w: Writer) -> Iterator[Block]:
    facts = data.involvement
    if facts.activities:
        participation = w.profile.assessments.participation
        rungs = {r.code: r.label.get(w.lang) for r in participation.arnstein}
        ladder = {
            level.code: ", ".join(rungs[r] for r in level.arnstein) for level in participation.iap2
        }
        rows = []
        for a in facts.activities:
            level = w.marked(w.enum(a.level), a.level_basis) if a.level else "–"
            # The IAP2-to-Arnstein correspondence is this library's reading [design].
            rung = w.marked(ladder[a.level], Basis.DESIGN) if a.level else "–"
            rows.append(
                (
                    a.title,
                    w.enum(a.method),
                    level,
                    rung,
                    w.number(a.participants, 0),
                    w.number(a.proposals, 0),
                    a.source or "–",
                )
            )
        yield Table(
            caption=w.t("involvement.activities"),
            columns=(
                w.t("involvement.activity"),
                w.t("involvement.method"),
                w.t("involvement.iap2"),
                w.t("involvement.arnstein"),
                w.t("involvement.participants"),
                w.t("involvement.proposals"),
                w.t("involvement.source"),
            ),
            rows=tuple(rows),
            numeric=(False, False, False, False, True, True, False),
        )
    if facts.tallies:
        tally_rows = [
            (
                w.enum(t.realiser),
                w.percent(t.share_percent) if t.share_percent is not None else "–",
                w.number(t.count, 0),
                t.source or "–",
            )
            for t in facts.tallies
        ]
        yield Table(
            caption=w.t("involvement.tallies"),
            columns=(
                w.t("involvement.realiser"),
                w.t("involvement.share"),
                w.t("involvement.count"),
                w.t("involvement.source"),
            ),
            rows=tuple(tally_rows),
            numeric=(False, True, True, False),
        )
        bars = [
            Bar(label=w.enum(t.realiser), value=t.share_percent, text=w.percent(t.share_percent))
            for t in facts.tallies
            if t.share_percent is not None
        ]
        if bars:
            title = w.t("involvement.road_map")
            yield Chart(
                title=title,
                svg=bar_chart_svg(bars, title=title, maximum=Decimal(100)),
                text=tuple(f"{b.label[:40]:<40} {_ascii_bar(b.value)} {b.text}" for b in bars),
                description=w.t("involvement.road_map_description"),
            )
    if facts.proposals:
        yield Table(
            caption=w.t("involvement.proposals_title"),
            columns=(
                w.t("involvement.proposal"),
                w.t("involvement.theme"),
                w.t("involvement.realiser"),
                w.t("involvement.source"),
            ),
            rows=tuple(
                (p.text, p.theme or "–", w.enum(p.realiser) if p.realiser else "–", p.source or "–")
                for p in facts.proposals
            ),
        )
    if facts.lessons:
        yield Paragraph(text=w.t("involvement.lessons"), lead=True)
        for lesson in facts.lessons:
            yield Notice(text=lesson)
    if facts.scenarios:
        yield Table(
            caption=w.t("involvement.scenarios", year=facts.scenario_horizon),
            columns=(
                w.t("involvement.scenario_number"),
                w.t("involvement.scenario"),
                w.t("involvement.source"),
            ),
            rows=tuple(
                (
                    str(s.number),
                    w.t("involvement.preferred", title=s.title) if s.preferred else s.title,
                    s.source or "–",
                )
                for s in facts.scenarios
            ),
            numeric=(True, False, False),
        )
    if facts.scenario_factors:
        yield Table(
            caption=w.t("involvement.factors"),
            columns=(
                w.t("involvement.factor"),
                w.t("involvement.forces"),
                w.t("involvement.source"),
            ),
            rows=tuple((f.name, f.forces or "–", f.source or "–") for f in facts.scenario_factors),
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
    if w.details:  # the JSON path is for whoever edits the document
        yield Table(
            caption=None,
            columns=(w.t("findings.severity"), w.t("findings.path"), w.t("findings.message")),
            rows=tuple(
                (label(f"enum.severity.{f.severity}", w.lang), f.path, f.message)
                for f in data.findings
            ),
        )
        return
    yield Table(
        caption=None,
        columns=(w.t("findings.severity"), w.t("findings.message")),
        rows=tuple(
            (label(f"enum.severity.{f.severity}", w.lang), w.plain(f.message))
            for f in data.findings
        ),
    )


#: Each section in order: its key and how to write it (no blocks: the section is left out).
SECTION_BUILDERS: tuple[tuple[str, Callable[[ReportData, Writer], Iterator[Block]]], ...] = (
    ("summary", _summary),
    ("projects", _projects),
    ("timeline", _timeline),
    ("deliverables", _deliverables),
    ("goals", _goals),
    ("benefits", _benefits),
    ("risks", _risks),
    ("budget", _budget),
    ("meeting_places", _meeting_places),
    ("payouts", _payouts),
    ("utenfor", _utenfor),
    ("involvement", _involvement),
    ("assessments", _assessments),
    ("findings", _findings),
)


#: The sections drawn from a computed result: the field of the facts each reads, and the
#: summary count that says whether the document has anything for it (``None``: always).
_COMPUTED_FROM: dict[str, tuple[str, str | None]] = {
    "goals": ("goals", None),
    "benefits": ("goals", "benefits"),
    "risks": ("risks", None),
    "meeting_places": ("goals", "meeting_places"),
    "utenfor": ("utenfor", None),
    "assessments": ("assessments", None),
}
#: At most this many findings are repeated in a section that could not be computed.
_UNAVAILABLE_SHOWN = 5


def _unavailable(key: str, data: ReportData, w: Writer) -> tuple[Block, ...] | None:
    """What a section says when its facts could not be computed (``None``: they were)."""
    if key not in _COMPUTED_FROM:
        return None
    field, count = _COMPUTED_FROM[key]
    facts = getattr(data, field)
    if not isinstance(facts, Unavailable):
        return None
    if count is not None and not getattr(data.summary, count):
        return ()
    why = [f for f in data.findings if f.severity == "error" and f.code in facts.codes]
    return (
        Notice(
            text=w.t("unavailable", findings=w.t("section.findings")),
            tone="bad",
        ),
        *(Notice(text=w.plain(f.message), tone="warning") for f in why[:_UNAVAILABLE_SHOWN]),
    )


def compose(data: ReportData, *, details: bool = False, profile: Profile | None = None) -> Layout:
    """Write the report's facts out as a layout in the report's language.

    A report is for a steering group: ``details`` adds what only developers use
    (JSON paths, API and command-line hints). ``profile`` is the one the facts were
    gathered under (its thresholds and labels are shown); the built-in one by default.
    """
    w = Writer(data.lang, details=details, profile=profile)
    sections = []
    for key, build in SECTION_BUILDERS:
        unavailable = _unavailable(key, data, w)
        blocks = tuple(build(data, w)) if unavailable is None else unavailable
        if blocks:
            sections.append(Section(key=key, title=w.t(f"section.{key}"), blocks=blocks))
    sources = _source_key(sections, w)
    if sources is not None:
        sections.append(sources)
    subtitle = w.t(
        "subtitle_undated" if data.undated else "subtitle",  # never today's date as its own
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


_REFERENCE = re.compile(r"\b(00\d):(\d+)(?:-(\d+))?")


def _block_texts(block: Block) -> Iterator[str]:
    if isinstance(block, Paragraph | Notice):
        yield block.text
    elif isinstance(block, Facts):
        for name, value in block.items:
            yield name
            yield value
    elif isinstance(block, Table):
        for row in block.rows:
            yield from row
    elif isinstance(block, Chart):
        yield from block.text


def _source_key(sections: Sequence[Section], w: Writer) -> Section | None:
    """The key to the source references the report shows: which document each is."""
    found = [
        match
        for section in sections
        for block in section.blocks
        for text in _block_texts(block)
        for match in _REFERENCE.finditer(text)
    ]
    if not found:
        return None
    files = sorted({m.group(1) for m in found})
    first = found[0]
    lines = first.group(2) + (f"–{first.group(3)}" if first.group(3) else "")
    key = "sources.how" if first.group(3) else "sources.how_line"  # "lines 1–2", "line 1"
    how = w.t(key, example=first.group(0), file=first.group(1), lines=lines)
    return Section(
        key="sources",
        title=w.t("section.sources"),
        blocks=(
            Paragraph(text=how),
            Table(
                caption=None,
                columns=(w.t("sources.reference"), w.t("sources.document")),
                rows=tuple((f, w.t(f"sources.{f}")) for f in files),
            ),
        ),
    )


def _version() -> str:
    return __version__
