"""Reports on a project: the terminal, Markdown, JSON, HTML and PDF (the main job).

>>> import samskaping
>>> from samskaping.report import render_report
>>> text = render_report(samskaping.load_example("innbyggerbasen"), format="text", lang="en")
>>> "Phases and gates" in text
True
"""

from samskaping.report._api import FORMATS, Format, render_report
from samskaping.report._compose import compose
from samskaping.report._data import (
    SCHEMA_VERSION,
    ReportData,
    Unavailable,
    report_data,
    report_schema,
)
from samskaping.report._escape import visible
from samskaping.report._layout import Layout
from samskaping.report._payouts import (
    flag_text,
    policy_labels,
    reason_text,
    render_collective,
    render_decision,
    render_plan,
    render_policy_list,
    render_simulation,
    render_trace,
)
from samskaping.report._pdf import render_pdf
from samskaping.report._project_card import project_card
from samskaping.report._rich import render_rich, rich_available
from samskaping.report._scoring_svg import heat_map_svg
from samskaping.report._scoring_text import report_text

__all__ = [
    "FORMATS",
    "SCHEMA_VERSION",
    "Format",
    "Layout",
    "ReportData",
    "Unavailable",
    "compose",
    "flag_text",
    "heat_map_svg",
    "policy_labels",
    "reason_text",
    "render_collective",
    "render_decision",
    "project_card",
    "render_pdf",
    "render_plan",
    "render_policy_list",
    "render_report",
    "render_rich",
    "report_data",
    "render_simulation",
    "render_trace",
    "report_schema",
    "report_text",
    "rich_available",
    "visible",
]
