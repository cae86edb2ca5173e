"""Renderers: the terminal, Markdown and HTML, drawn from a :class:`Layout`."""

from __future__ import annotations

import html
import re
import textwrap
import unicodedata
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Final

from samskaping.report._escape import fence, markdown, visible
from samskaping.report._layout import Block, Chart, Facts, Layout, Notice, Paragraph, Table

__all__ = ["render_html", "render_markdown", "render_text"]

_WIDTH: Final = 100


def _width(text: str) -> int:
    """Columns a string takes in a terminal (wide East Asian characters count twice)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


# --- terminal --------------------------------------------------------------------------------


def render_text(layout: Layout, *, width: int = _WIDTH) -> str:
    """A plain, aligned text report that needs nothing but a terminal."""
    title = visible(layout.title)
    lines = [title, "=" * min(width, _width(title)), visible(layout.subtitle), ""]
    for section in layout.sections:
        heading = visible(section.title)
        lines.extend([heading, "-" * min(width, _width(heading))])
        for block in section.blocks:
            lines.extend(_text_block(block, width))
            lines.append("")
    lines.append(visible(layout.footer))
    return "\n".join(lines).rstrip() + "\n"


def _text_block(block: Block, width: int) -> Iterator[str]:
    if isinstance(block, Paragraph):
        yield from textwrap.wrap(visible(block.text), width) or [""]
    elif isinstance(block, Notice):
        mark = {"good": "✔", "warning": "!", "bad": "✘", "neutral": "•"}[block.tone]
        yield from textwrap.wrap(f"{mark} {visible(block.text)}", width, subsequent_indent="  ")
    elif isinstance(block, Facts):
        items = [(visible(k), visible(v)) for k, v in block.items]
        label_width = max((_width(k) for k, _ in items), default=0)
        for key, value in items:
            wrapped = textwrap.wrap(value, max(20, width - label_width - 2)) or [""]
            yield f"{_pad(key, label_width)}  {wrapped[0]}"
            for more in wrapped[1:]:
                yield f"{' ' * label_width}  {more}"
    elif isinstance(block, Table):
        yield from _text_table(block)
    else:
        yield visible(block.title)
        yield from (visible(line, keep_lines=True) for line in block.text)


_MAX_CELL: Final = 44


def _text_table(table: Table) -> Iterator[str]:
    if table.caption:
        yield visible(table.caption)
    wrapped = [
        [textwrap.wrap(visible(cell), _MAX_CELL) or [""] for cell in row] for row in table.rows
    ]
    columns = [visible(c) for c in table.columns]
    widths = [_width(c) for c in columns]
    for row in wrapped:
        for index, lines in enumerate(row):
            widths[index] = max(widths[index], *(_width(line) for line in lines))

    def line(cells: list[str]) -> str:
        padded = (_pad(c, widths[i], right=table.is_numeric(i)) for i, c in enumerate(cells))
        return "  ".join(padded).rstrip()

    yield line(columns)
    yield "  ".join("-" * w for w in widths)
    for row in wrapped:
        for depth in range(max(len(lines) for lines in row)):
            yield line([lines[depth] if depth < len(lines) else "" for lines in row])


# --- Markdown --------------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    return markdown(text)


def render_markdown(layout: Layout) -> str:
    """A Markdown report (GitHub-flavoured tables; charts as fenced text).

    Every text from the document is escaped: it cannot add HTML, a heading, a link, a
    table row or emphasis of its own.
    """
    lines = [f"# {markdown(layout.title)}", "", f"*{markdown(layout.subtitle)}*", ""]
    for section in layout.sections:
        lines.extend([f"## {markdown(section.title)}", ""])
        for block in section.blocks:
            lines.extend(_md_block(block))
            lines.append("")
    lines.extend(["---", "", markdown(layout.footer)])
    return "\n".join(lines).rstrip() + "\n"


def _md_block(block: Block) -> Iterator[str]:
    if isinstance(block, Paragraph):
        yield markdown(block.text)
    elif isinstance(block, Notice):
        yield f"> **{markdown(block.text)}**"
    elif isinstance(block, Facts):
        yield "| | |"
        yield "|---|---|"
        for key, value in block.items:
            yield f"| **{_md_cell(key)}** | {_md_cell(value)} |"
    elif isinstance(block, Table):
        if block.caption:
            yield f"**{markdown(block.caption)}**"
            yield ""
        yield "| " + " | ".join(_md_cell(c) for c in block.columns) + " |"
        yield (
            "|"
            + "|".join("---:" if block.is_numeric(i) else "---" for i in range(len(block.columns)))
            + "|"
        )
        for row in block.rows:
            yield "| " + " | ".join(_md_cell(c) for c in row) + " |"
    else:
        yield f"**{markdown(block.title)}**"
        yield ""
        lines = [visible(line, keep_lines=True) for line in block.text]
        yield f"{fence(lines)}text"
        yield from lines
        yield fence(lines)


# --- HTML ------------------------------------------------------------------------------------


@cache
def _css() -> str:
    """The report's style sheet (package data), read once."""
    return (resources.files("samskaping") / "data" / "report" / "report.css").read_text("utf-8")


def _h(text: str) -> str:
    return html.escape(text, quote=True)


#: A source reference such as ``004:214`` or ``000:226-227``: kept on one line.
_REFERENCE: Final = re.compile(r"\b\d{3}:\d+(?:[-–]\d+)?\b")


def _text(text: str) -> str:
    """Escaped text whose source references never break across lines."""
    return _REFERENCE.sub(lambda m: f'<span class="ref">{m.group()}</span>', _h(text))


def render_html(layout: Layout) -> str:
    """One self-contained HTML file: inline CSS and SVG, no scripts, no network access."""
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{layout.lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(layout.title)}</title>",
        f"<style>{_css()}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<header><h1>{_h(layout.title)}</h1><p>{_h(layout.subtitle)}</p></header>",
        "<nav>"
        + "".join(f'<a href="#{s.key}">{_h(s.title)}</a>' for s in layout.sections)
        + "</nav>",
    ]
    for section in layout.sections:
        parts.append(f'<section id="{_h(section.key)}" aria-labelledby="{_h(section.key)}-h">')
        parts.append(f'<h2 id="{_h(section.key)}-h">{_h(section.title)}</h2>')
        parts.extend(_html_block(block) for block in section.blocks)
        parts.append("</section>")
    parts.extend([f"<footer>{_h(layout.footer)}</footer>", "</main>", "</body>", "</html>"])
    return "\n".join(parts) + "\n"


def _html_block(block: Block) -> str:
    if isinstance(block, Paragraph):
        lead = ' class="lead"' if block.lead else ""
        return f"<p{lead}>{_text(block.text)}</p>"
    if isinstance(block, Notice):
        return f'<p class="notice {block.tone}">{_text(block.text)}</p>'
    if isinstance(block, Facts):
        items = "".join(f"<dt>{_h(k)}</dt><dd>{_text(v)}</dd>" for k, v in block.items)
        return f'<dl class="facts">{items}</dl>'
    if isinstance(block, Table):
        return _html_table(block)
    return _html_chart(block)


#: A column whose words are all this short is never hyphenated in print ("ar-beids-modell").
_SHORT_WORD: Final = 16


def _short(table: Table, index: int) -> bool:
    """Whether every word in a column is short: it then gets room for its longest word."""
    cells = (row[index] for row in table.rows if index < len(row))
    return all(len(word) <= _SHORT_WORD for cell in cells for word in cell.split())


def _html_table(table: Table) -> str:
    caption = f"<caption>{_h(table.caption)}</caption>" if table.caption else ""
    numeric = [' class="num"' if table.is_numeric(i) else "" for i in range(len(table.columns))]
    body = [
        numeric[i] or (' class="short"' if _short(table, i) else "")
        for i in range(len(table.columns))
    ]
    head = "".join(f'<th scope="col"{numeric[i]}>{_h(c)}</th>' for i, c in enumerate(table.columns))
    rows = []
    for row in table.rows:
        cells = [
            f'<th scope="row"{body[0]}>{_text(c)}</th>'
            if i == 0
            else f"<td{body[i]}>{_text(c)}</td>"
            for i, c in enumerate(row)
        ]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _html_chart(chart: Chart) -> str:
    return (
        f'<figure role="group" aria-label="{_h(chart.title)}">{chart.svg}'
        f"<figcaption>{_h(chart.title)}. {_h(chart.description)}</figcaption></figure>"
    )
