"""``render_pdf``: the HTML report printed to PDF with WeasyPrint (the optional ``pdf`` extra).

WeasyPrint is imported only here, on use, so that the rest of the package works without it
(it needs Pango from the operating system). The PDF is the HTML report under its print
style sheet: items are kept whole across pages, and the document's language and title are
set for screen readers.
"""

from __future__ import annotations

import datetime

from samskaping._errors import InvalidInputError
from samskaping.l10n import DEFAULT_LANG, Lang, check_lang
from samskaping.model import Document
from samskaping.report._compose import compose
from samskaping.report._data import report_data
from samskaping.report._render import render_html

__all__ = ["render_pdf"]


def render_pdf(
    document: Document,
    *,
    lang: Lang = DEFAULT_LANG,
    as_of: datetime.date | None = None,
    details: bool = False,
) -> bytes:
    """The report on ``document`` as a PDF (A4), for a steering group to print or file.

    Raises:
        InvalidInputError: If WeasyPrint is not installed
            (``pip install 'samskaping[pdf]'``) or cannot load its system libraries.
    """
    lang = check_lang(lang)
    try:
        # optional extra, imported on use: it needs Pango from the operating system
        import weasyprint  # noqa: PLC0415  (the optional `pdf` extra)
    except (ImportError, OSError):
        raise InvalidInputError(
            "PDF reports need WeasyPrint and Pango: pip install 'samskaping[pdf]'", what="format"
        ) from None
    layout = compose(report_data(document, lang=lang, as_of=as_of), details=details)
    html = weasyprint.HTML(string=render_html(layout))
    return bytes(html.write_pdf(pdf_variant="pdf/ua-1"))
