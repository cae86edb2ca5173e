"""A compact HTML card for a project or programme in a notebook (``_repr_html_``).

The full report is :func:`samskaping.report.render_report`; this card shows who,
when and how much at a glance, with labels in Bokmål. It is registered in the base's
``notebook_html`` registry, so the entities show it without importing the report.
"""

from __future__ import annotations

import html

from samskaping._records import notebook_html
from samskaping.l10n import enum_label, format_date, format_money, label
from samskaping.model import Programme, Project

__all__ = ["project_card"]


@notebook_html.register(Project)
@notebook_html.register(Programme)
def project_card(project: Project | Programme) -> str:
    """An HTML table summarising a project or programme."""

    def row(key: str, value: str) -> str:
        cells = f"<th style='text-align:left'>{html.escape(key)}</th><td>{html.escape(value)}</td>"
        return f"<tr>{cells}</tr>"

    period = project.period
    rows = [
        row(label("report.summary.owner"), project.owner_org or "–"),
        row(
            label("report.summary.period"),
            f"{format_date(period.start)} – {format_date(period.end) if period.end else '…'}"
            if period
            else "–",
        ),
        row(label("report.summary.status"), enum_label(project.status)),
    ]
    if project.budget is not None:
        rows.append(row(label("report.budget.frame"), format_money(project.budget.frame)))
    counts = [
        ("report.summary.count.deliverables", len(project.deliverables)),
        ("report.summary.count.risks", len(project.risks)),
        ("report.summary.count.meeting_places", len(project.meeting_places)),
        ("report.summary.count.projects", len(getattr(project, "projects", ()))),
    ]
    rows.extend(row(label(key), str(count)) for key, count in counts if count)
    return (
        f"<div><strong>{html.escape(project.name)}</strong> <code>{html.escape(project.id)}</code>"
        f"<table>{''.join(rows)}</table></div>"
    )
