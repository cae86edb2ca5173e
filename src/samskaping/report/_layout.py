"""The report's layout: localised sections of generic blocks that every renderer draws.

A report is built in two steps. :mod:`samskaping.report._data` gathers the facts as
typed values (codes, amounts, dates); :mod:`samskaping.report._compose` turns them into
this layout, with every label and number already written in the reader's language.
The text, Markdown and HTML renderers then only draw blocks.
"""

from __future__ import annotations

from typing import Literal

import attrs

from samskaping.l10n import Lang

__all__ = [
    "Block",
    "Chart",
    "Facts",
    "GridCell",
    "Layout",
    "Notice",
    "Paragraph",
    "Section",
    "Table",
]

Tone = Literal["neutral", "good", "warning", "bad"]


@attrs.frozen(kw_only=True)
class Paragraph:
    """A paragraph of plain text.

    ``lead`` marks a label that introduces the blocks after it (e.g. "Lessons:"): it is
    drawn as a label and never ends a printed page apart from them.
    """

    text: str
    lead: bool = False


@attrs.frozen(kw_only=True)
class Facts:
    """Labelled values, drawn as a two-column list (a definition list in HTML)."""

    items: tuple[tuple[str, str], ...]


@attrs.frozen(kw_only=True)
class Table:
    """A table with a header row. ``numeric`` marks right-aligned columns."""

    caption: str | None
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()
    tones: tuple[Tone, ...] = ()

    def is_numeric(self, index: int) -> bool:
        """Whether the column at ``index`` holds numbers."""
        return index < len(self.numeric) and self.numeric[index]


@attrs.frozen(kw_only=True)
class GridCell:
    """One coloured cell of a grid chart (a heat map), for terminals that show colour."""

    colour: str
    text: str


@attrs.frozen(kw_only=True)
class Chart:
    """A picture: inline SVG for HTML, and lines of text for the terminal and Markdown.

    ``grid`` holds the cells of a grid chart, top row first, with ``row_labels`` and
    ``column_labels``, so that a colour terminal can draw it as coloured cells.
    """

    title: str
    svg: str
    text: tuple[str, ...]
    description: str
    grid: tuple[tuple[GridCell, ...], ...] = ()
    row_labels: tuple[str, ...] = ()
    column_labels: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Notice:
    """A short highlighted statement, e.g. the attainment level."""

    text: str
    tone: Tone = "neutral"


Block = Paragraph | Facts | Table | Chart | Notice


@attrs.frozen(kw_only=True)
class Section:
    """A titled part of the report."""

    key: str
    title: str
    blocks: tuple[Block, ...]


@attrs.frozen(kw_only=True)
class Layout:
    """The whole report, ready to draw."""

    lang: Lang
    title: str
    subtitle: str
    sections: tuple[Section, ...]
    footer: str
