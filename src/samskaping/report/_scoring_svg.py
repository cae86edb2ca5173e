"""A dependency-free SVG picture of a risk heat map, labelled in nb, nn or en.

The picture is plain SVG 1.1 text built with the standard library only, so it can be
written to a file, inlined in HTML, or shown in a notebook. Every cell is a ``rect``
with ``data-probability``, ``data-consequence`` and ``data-band`` attributes, so tests
and scripts can read it back.
"""

from __future__ import annotations

import textwrap
from html import escape as _html_escape
from typing import Final

from samskaping.l10n import DEFAULT_LANG, Lang, check_lang, label, message
from samskaping.scoring import BandCount, HeatMap, HeatMapCell

__all__ = ["heat_map_svg"]


def escape(text: str) -> str:
    """Text for an SVG element: ``&``, ``<`` and ``>`` escaped."""
    return _html_escape(text, quote=False)


def quoteattr(text: str) -> str:
    """A quoted SVG attribute value, every character that could end it escaped."""
    return '"' + _html_escape(text, quote=True).replace("\n", "&#10;") + '"'

_CELL_W: Final = 92
_CELL_H: Final = 64
_LEFT: Final = 200
_TOP: Final = 64
_WRAP_LEFT: Final = 26
_WRAP_BOTTOM: Final = 15
_MAX_IDS: Final = 3
_FONT: Final = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


def _ink(colour: str) -> str:
    """Black or white text, whichever reads better on ``colour`` (#rrggbb)."""
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#111111" if luminance > 0.45 else "#ffffff"  # noqa: PLR2004  (contrast switch)


def _lines(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=True) or [""]


def _text(
    x: float, y: float, lines: list[str], *, anchor: str = "middle", size: int = 12, css: str = ""
) -> str:
    spans = "".join(
        f'<tspan x="{x:g}" dy="{0 if i == 0 else 1.15:g}em">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    extra = f' class="{css}"' if css else ""
    return (
        f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" font-size="{size}"{extra}>{spans}</text>'
    )


def _legend(
    x: float, y: float, counts: tuple[BandCount, ...], lang: Lang, css: str
) -> tuple[list[str], float]:
    parts: list[str] = []
    cursor = x
    for count in counts:
        text = f"{count.label.get(lang)}: {count.count}"
        parts.append(
            f'<rect class="{css}" x="{cursor:g}" y="{y - 11:g}" width="14" height="14" rx="2" '
            f'fill="{count.colour}" stroke="#555555" stroke-width="0.5" '
            f'data-band={quoteattr(count.band)} data-count="{count.count}"/>'
        )
        parts.append(_text(cursor + 20, y, [text], anchor="start", size=12))
        cursor += 20 + 7.2 * len(text) + 18
    return parts, cursor


def _cell(x: int, y: int, cell: HeatMapCell) -> list[str]:
    middle = x + _CELL_W / 2
    rect = (
        f'<rect class="cell" x="{x}" y="{y}" width="{_CELL_W}" height="{_CELL_H}" '
        f'fill="{cell.colour}" stroke="#ffffff" stroke-width="2" '
        f'data-probability="{cell.probability}" data-consequence="{cell.consequence}" '
        f'data-band={quoteattr(cell.band)} data-count="{cell.count}"/>'
    )
    parts = [rect]
    if cell.count:
        ink = _ink(cell.colour)
        shown = list(cell.risks[:_MAX_IDS])
        if len(cell.risks) > _MAX_IDS:
            shown.append(f"+{len(cell.risks) - _MAX_IDS}")
        parts.append(
            f'<text x="{middle:g}" y="{y + 26}" text-anchor="middle" font-size="18" '
            f'font-weight="bold" fill="{ink}" class="count">{cell.count}</text>'
        )
        parts.append(
            f'<text x="{middle:g}" y="{y + 46}" text-anchor="middle" font-size="10" '
            f'fill="{ink}" class="ids">{escape(", ".join(shown))}</text>'
        )
    return parts


def _grid(heat_map: HeatMap, lang: Lang) -> list[str]:
    parts: list[str] = []
    rows = len(heat_map.rows)
    for r, row in enumerate(heat_map.rows):
        for c, cell in enumerate(row):
            parts.extend(_cell(_LEFT + c * _CELL_W, _TOP + r * _CELL_H, cell))
    for r in range(rows):  # probability labels, level n at the top
        level = rows - r
        text = f"{level} {heat_map.probability_labels[level - 1].get(lang)}"
        lines = _lines(text, _WRAP_LEFT)[:3]
        y = _TOP + r * _CELL_H + _CELL_H / 2 - (len(lines) - 1) * 7 + 4
        parts.append(_text(_LEFT - 10, y, lines, anchor="end", size=11, css="level"))
    below = _TOP + rows * _CELL_H + 18
    for c, text_label in enumerate(heat_map.consequence_labels):
        lines = _lines(f"{c + 1} {text_label.get(lang)}", _WRAP_BOTTOM)[:3]
        x = _LEFT + c * _CELL_W + _CELL_W / 2
        parts.append(_text(x, below, lines, size=11, css="level"))
    axis_y = _TOP + rows * _CELL_H / 2
    axis = escape(label("scoring.heat_map.probability", lang))
    parts.append(
        f'<text x="24" y="{axis_y:g}" text-anchor="middle" font-size="13" font-weight="bold" '
        f'transform="rotate(-90 24 {axis_y:g})" class="axis">{axis}</text>'
    )
    return parts


def _footer(
    heat_map: HeatMap, lang: Lang, top: float, width: float
) -> tuple[list[str], float, float]:
    """The axis title, the legend and the unplaced risks; returns the parts, width, height."""
    grid_w = len(heat_map.consequence_labels) * _CELL_W
    consequence = [label("scoring.heat_map.consequence", lang)]
    parts = [_text(_LEFT + grid_w / 2, top, consequence, size=13, css="axis")]
    legend_y = top + 30
    heading = [label("scoring.heat_map.legend", lang)]
    parts.append(_text(_LEFT, legend_y, heading, anchor="start", size=12, css="legend"))
    legend, right = _legend(_LEFT + 130, legend_y, heat_map.bands, lang, "legend")
    parts.extend(legend)
    width = max(width, right + 20)
    height = legend_y + 16
    graded = tuple(count for count in heat_map.unplaced_bands if count.count)
    if graded:
        y = height + 14
        note = [label("scoring.heat_map.graded_only", lang)]
        parts.append(_text(_LEFT, y, note, anchor="start", size=12, css="unplaced"))
        more, right = _legend(_LEFT, y + 22, graded, lang, "unplaced")
        parts.extend(more)
        width = max(width, right + 20)
        height = y + 38
    unscored = sum(1 for u in heat_map.unplaced if u.band is None)
    if unscored:
        y = height + 14
        note = [message("scoring.heat_map.unscored", lang, count=unscored)]
        parts.append(_text(_LEFT, y, note, anchor="start", size=12, css="unplaced"))
        height = y + 12
    return parts, width, height + 12


def heat_map_svg(heat_map: HeatMap, lang: Lang = DEFAULT_LANG, *, title: str | None = None) -> str:
    """Draw a heat map as SVG text, with labels in ``lang``.

    Probability rises upwards and consequence to the right; each cell is coloured
    by its band and shows how many risks it holds and their ids. A legend counts the
    placed risks per band, and a line below lists risks that are graded only.

    >>> from samskaping.model import Risk
    >>> from samskaping.scoring import heat_map
    >>> grid = heat_map([Risk(id="r1", title="t", probability=4, consequence=3)])
    >>> svg = heat_map_svg(grid, "en")
    >>> svg.startswith("<svg") and "Probability" in svg and 'data-band="alvorlig"' in svg
    True

    Raises:
        InvalidInputError: If ``lang`` is not ``nb``, ``nn`` or ``en``.
    """
    lang = check_lang(lang)
    grid_w = len(heat_map.consequence_labels) * _CELL_W
    grid_h = len(heat_map.rows) * _CELL_H
    which = "title_after" if heat_map.residual else "title_before"
    heading = title or label(f"scoring.heat_map.{which}", lang)
    parts = [_text(_LEFT + grid_w / 2, 28, [heading], size=17, css="title"), *_grid(heat_map, lang)]
    footer, width, height = _footer(heat_map, lang, _TOP + grid_h + 68, _LEFT + grid_w + 30)
    parts.extend(footer)
    placed = sum(count.count for count in heat_map.bands)
    unplaced = len(heat_map.unplaced)
    description = message("scoring.heat_map.description", lang, placed=placed, unplaced=unplaced)
    size = f'width="{width:g}" height="{height:g}"'
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" {size} '
        f'viewBox="0 0 {width:g} {height:g}" role="img" '
        f'aria-labelledby="heat-map-title heat-map-desc" xml:lang="{lang}" font-family="{_FONT}">'
        f'<title id="heat-map-title">{escape(heading)}</title>'
        f'<desc id="heat-map-desc">{escape(description)}</desc>'
        f'<rect x="0" y="0" {size} fill="#ffffff"/>'
    )
    return head + "".join(parts) + "</svg>\n"
