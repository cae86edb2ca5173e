"""Reports on a project: the terminal, Markdown, JSON and HTML (the main job).

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
from samskaping.report._layout import Layout

__all__ = [
    "FORMATS",
    "SCHEMA_VERSION",
    "Format",
    "Layout",
    "ReportData",
    "Unavailable",
    "compose",
    "render_report",
    "report_data",
    "report_schema",
]
