"""``render_report``: one call from a document to a finished report."""

from __future__ import annotations

import datetime
import json
from typing import Final, Literal, get_args

from samskaping.io import json_default
from samskaping.l10n import DEFAULT_LANG, Lang, check_lang
from samskaping.model import Document
from samskaping.profile import Profile
from samskaping.report._compose import compose
from samskaping.report._data import report_data, report_json
from samskaping.report._render import render_html, render_markdown, render_text

__all__ = ["FORMATS", "Format", "render_report"]

#: A report format.
Format = Literal["text", "markdown", "json", "html"]
#: The report formats: the terminal, Markdown, JSON and self-contained HTML.
FORMATS: Final[tuple[Format, ...]] = get_args(Format)


def render_report(
    document: Document,
    *,
    format: Format = "text",
    lang: Lang = DEFAULT_LANG,
    as_of: datetime.date | None = None,
    details: bool = False,
    profile: Profile | None = None,
) -> str:
    """The report on ``document`` as text, Markdown, JSON or self-contained HTML.

    Text, Markdown and HTML are for a steering group: ``details`` adds JSON paths and
    API and command-line hints for developers. JSON always keeps everything.
    ``profile`` is the municipality's (the built-in one by default): see
    :func:`report_data`.
    """
    lang = check_lang(lang)
    data = report_data(document, lang=lang, as_of=as_of, profile=profile)
    if format == "json":
        text = json.dumps(report_json(data), ensure_ascii=False, indent=2, default=json_default)
        return text + "\n"
    layout = compose(data, details=details, profile=profile)
    if format == "markdown":
        return render_markdown(layout)
    if format == "html":
        return render_html(layout)
    return render_text(layout)
