"""A dependency-free SVG picture of a risk heat map, labelled in nb, nn or en.

The picture is plain SVG 1.1 text built with the standard library only, so it can be
written to a file, inlined in HTML, or shown in a notebook. Every cell is a ``rect``
with ``data-probability``, ``data-consequence`` and ``data-band`` attributes, so tests
and scripts can read it back.
"""

from __future__ import annotations

import textwrap
from typing import Final
from xml.sax.saxutils import escape, quoteattr

from samskaping.l10n import DEFAULT_LANG, Lang, check_lang, label, message
from samskaping.scoring._heatmap import HeatMap
from samskaping.scoring._risk import BandCount

__all__ = ["heat_map_svg"]

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


def _text(x: float, y: float, lines: list[str], *, anchor: str = "middle", size: int = 12, css: str = "") -> str:
    spans = "".join(
        f'<tspan x="{x:g}" dy="{0 if i == 0 else 1.15:g}em">{escape(line)}</tspan>' for i, line in enumerate(lines)
    )
    extra = f' class="{css}"' if css else ""
    return f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" font-size="{size}"{extra}>{spans}</text>'


def _legend(x: float, y: float, counts: tuple[BandCount, ...], lang: Lang, css: str) -> tuple[list[str], float]:
    parts: list[str] = []
    cursor = x
    for count in counts:
        text = f"{count.label.get(lang)}: {count.count}"
        parts.append(
            f'<rect class="{css}" x="{cursor:g}" y="{y - 11:g}" width="14" height="14" rx="2" '
            f'fill="{count.colour}" stroke="#555555" stroke-width="0.5" data-band={quoteattr(count.band)} '
            f'data-count="{count.count}"/>'
        )
        parts.append(_text(cursor + 20, y, [text], anchor="start", size=12))
        cursor += 20 + 7.2 * len(text) + 18
    return parts, cursor


def heat_map_svg(heat_map: HeatMap, lang: Lang = DEFAULT_LANG, *, title: str | None = None) -> str:
    """Draw a heat map as SVG text, with labels in ``lang``.

    Probability rises upwards and consequence to the right; each cell is coloured
    by its band and shows how many risks it holds and their ids. A legend counts the
    placed risks per band, and a line below lists risks that are graded only.

    >>> from samskaping.model import Risk
    >>> from samskaping.scoring import heat_map
    >>> svg = heat_map_svg(heat_map([Risk(id="r1", title="t", probability=4, consequence=3)]), "en")
    >>> svg.startswith("<svg") and "Probability" in svg and 'data-band="alvorlig"' in svg
    True

    Raises:
        InvalidInputError: If ``lang`` is not ``nb``, ``nn`` or ``en``.
    """
    lang = check_lang(lang)
    rows = len(heat_map.rows)
    columns = len(heat_map.rows[0]) if rows else 0
    grid_w = columns * _CELL_W
    grid_h = rows * _CELL_H
    heading = title or label(
        "scoring.heat_map.title_after" if heat_map.residual else "scoring.heat_map.title_before", lang
    )
    parts: list[str] = []
    parts.append(_text(_LEFT + grid_w / 2, 28, [heading], size=17, css="title"))
    # the grid
    for r, row in enumerate(heat_map.rows):
        for c, cell in enumerate(row):
            x = _LEFT + c * _CELL_W
            y = _TOP + r * _CELL_H
            ink = _ink(cell.colour)
            parts.append(
                f'<rect class="cell" x="{x}" y="{y}" width="{_CELL_W}" height="{_CELL_H}" '
                f'fill="{cell.colour}" stroke="#ffffff" stroke-width="2" '
                f'data-probability="{cell.probability}" data-consequence="{cell.consequence}" '
                f'data-band={quoteattr(cell.band)} data-count="{cell.count}"/>'
            )
            if cell.count:
                parts.append(
                    f'<text x="{x + _CELL_W / 2:g}" y="{y + 26}" text-anchor="middle" font-size="18" '
                    f'font-weight="bold" fill="{ink}" class="count">{cell.count}</text>'
                )
                shown = list(cell.risks[:_MAX_IDS])
                if len(cell.risks) > _MAX_IDS:
                    shown.append(f"+{len(cell.risks) - _MAX_IDS}")
                parts.append(
                    f'<text x="{x + _CELL_W / 2:g}" y="{y + 46}" text-anchor="middle" font-size="10" '
                    f'fill="{ink}" class="ids">{escape(", ".join(shown))}</text>'
                )
    # probability labels (level n at the top)
    for r in range(rows):
        level = rows - r
        text = f"{level} {heat_map.probability_labels[level - 1].get(lang)}"
        lines = _lines(text, _WRAP_LEFT)[:3]
        y = _TOP + r * _CELL_H + _CELL_H / 2 - (len(lines) - 1) * 7 + 4
        parts.append(_text(_LEFT - 10, y, lines, anchor="end", size=11, css="level"))
    # consequence labels
    for c in range(columns):
        text = f"{c + 1} {heat_map.consequence_labels[c].get(lang)}"
        lines = _lines(text, _WRAP_BOTTOM)[:3]
        parts.append(_text(_LEFT + c * _CELL_W + _CELL_W / 2, _TOP + grid_h + 18, lines, size=11, css="level"))
    # axis titles
    axis_y = _TOP + grid_h / 2
    parts.append(
        f'<text x="24" y="{axis_y:g}" text-anchor="middle" font-size="13" font-weight="bold" '
        f'transform="rotate(-90 24 {axis_y:g})" class="axis">{escape(label("scoring.heat_map.probability", lang))}</text>'
    )
    bottom = _TOP + grid_h + 68
    parts.append(
        _text(_LEFT + grid_w / 2, bottom, [label("scoring.heat_map.consequence", lang)], size=13, css="axis")
    )
    # legend: placed risks per band
    legend_y = bottom + 30
    parts.append(_text(_LEFT, legend_y, [label("scoring.heat_map.legend", lang)], anchor="start", size=12, css="legend"))
    legend, right = _legend(_LEFT + 130, legend_y, heat_map.bands, lang, "legend")
    parts.extend(legend)
    width = max(_LEFT + grid_w + 30, right + 20)
    height = legend_y + 16
    # risks with no cell
    graded = tuple(count for count in heat_map.unplaced_bands if count.count)
    unscored = sum(1 for u in heat_map.unplaced if u.band is None)
    if graded:
        y = height + 14
        parts.append(
            _text(_LEFT, y, [label("scoring.heat_map.graded_only", lang)], anchor="start", size=12, css="unplaced")
        )
        more, right = _legend(_LEFT, y + 22, graded, lang, "unplaced")
        parts.extend(more)
        width = max(width, right + 20)
        height = y + 38
    if unscored:
        y = height + 14
        parts.append(
            _text(
                _LEFT,
                y,
                [message("scoring.heat_map.unscored", lang, count=unscored)],
                anchor="start",
                size=12,
                css="unplaced",
            )
        )
        height = y + 12
    height += 12
    description = message(
        "scoring.heat_map.description",
        lang,
        placed=sum(count.count for count in heat_map.bands),
        unplaced=len(heat_map.unplaced),
    )
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}" role="img" aria-labelledby="heat-map-title heat-map-desc" '
        f'xml:lang="{lang}" font-family="{_FONT}">'
        f'<title id="heat-map-title">{escape(heading)}</title>'
        f'<desc id="heat-map-desc">{escape(description)}</desc>'
        f'<rect x="0" y="0" width="{width:g}" height="{height:g}" fill="#ffffff"/>'
    )
    return head + "".join(parts) + "</svg>\n"
