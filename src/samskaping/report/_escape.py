r"""Escaping for each output family, in one place.

Text from a document (a project name, a description, a risk title) is data, never
markup: each renderer passes every piece of it through the escaper of its own syntax.

- plain text: control characters (ESC, BEL, CR, ...) and bidirectional overrides are
  shown as visible escapes such as ``\x1b``, so a name cannot retitle or clear the
  reader's terminal; line breaks become spaces, so a name cannot draw a fake heading;
- Markdown: HTML, headings, lists, tables, links, emphasis and code are escaped, and
  line breaks become spaces;
- rich: markup is escaped with :func:`rich.markup.escape`.

HTML is escaped by :func:`html.escape` in the HTML renderer itself.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["fence", "markdown", "rich_markup", "visible"]

#: C0 and C1 control characters but the tab and line feed, DEL, and the Unicode
#: bidirectional controls, which reorder text on screen.
_CONTROL: Final = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_BREAKS: Final = re.compile(r"[\n\t\u2028\u2029\x85]")
#: Markdown's inline syntax: emphasis, code, links, images, tables, strike, escapes.
_MD_INLINE: Final = re.compile(r"([\\`*_\[\]|~#{}])")
#: What makes a block when it starts a line: a list, a quote, a heading, a rule.
_MD_LINE_START: Final = re.compile(r"^(\s*)([-+=])|^(\s*\d+)([.)])")


def _escape_control(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"  # noqa: PLR2004


def visible(text: str, *, keep_lines: bool = False) -> str:
    r"""``text`` with control characters shown as escapes (``\x1b``).

    Line breaks and tabs become spaces, unless ``keep_lines`` (for text that is already
    laid out in lines by the renderer).
    """
    if not keep_lines:
        text = _BREAKS.sub(" ", text)
    return _CONTROL.sub(_escape_control, text)


def markdown(text: str) -> str:
    """``text`` as literal Markdown: no HTML, no heading, link, table or emphasis."""
    text = visible(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_INLINE.sub(r"\\\1", text)
    return _MD_LINE_START.sub(_escape_line_start, text, count=1)


def _escape_line_start(match: re.Match[str]) -> str:
    if match.group(2):
        return f"{match.group(1)}\\{match.group(2)}"
    return f"{match.group(3)}\\{match.group(4)}"


def fence(lines: tuple[str, ...] | list[str]) -> str:
    """A code fence longer than any run of backticks in ``lines``."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    return "`" * max(3, longest + 1)


def rich_markup(text: str) -> str:
    """``text`` with rich console markup escaped (``[bold]``, ``[link=...]``, ``[/]``)."""
    from rich.markup import escape  # noqa: PLC0415  (rich is the optional `cli` extra)

    return escape(visible(text))
