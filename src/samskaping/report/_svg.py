"""Small dependency-free SVG charts for the HTML report: a phase timeline and bars."""

from __future__ import annotations

import datetime
import html
import textwrap
from collections.abc import Sequence
from decimal import Decimal
from typing import Final

import attrs

__all__ = ["Bar", "TimelineBar", "bar_chart_svg", "timeline_svg"]

_FONT: Final = 'font-family="system-ui, sans-serif"'
_COLOURS: Final = ("#1f5fa8", "#3a86c8", "#5aa0d8", "#2e7d32", "#7b5ea7", "#b26a00", "#00838f")


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _wrap(text: str, width: int, lines: int = 3) -> list[str]:
    """``text`` in lines of at most ``width`` characters, at most ``lines`` of them."""
    wrapped = textwrap.wrap(text, width) or [""]
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], textwrap.shorten(" ".join(wrapped[lines - 1 :]), width)]
    return wrapped


def _label(text: str, *, x: float, y: float, width: int, line: int = 13) -> tuple[str, int]:
    """A right-aligned label wrapped to fit ``width`` characters, and its number of lines.

    The lines are centred on ``y``, so a long title never runs off the left edge.
    """
    lines = _wrap(text, width)
    first = y - (len(lines) - 1) * line / 2
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{first + i * line:.1f}">{_e(part)}</tspan>'
        for i, part in enumerate(lines)
    )
    return f'<text text-anchor="end" fill="#1d232b">{spans}</text>', len(lines)


@attrs.frozen(kw_only=True)
class TimelineBar:
    """One bar of the timeline: a labelled span with an optional gate marker at its end.

    ``open_ended`` marks a phase that is still running: its bar ends at the report's
    date and is drawn with an open, dashed end.
    """

    label: str
    start: datetime.date
    end: datetime.date
    gate: str | None = None
    gate_passed: bool = True
    depth: int = 0
    open_ended: bool = False


#: At most about this many year ticks on a timeline.
_MAX_TICKS = 20


def timeline_svg(bars: Sequence[TimelineBar], *, title: str, width: int = 960) -> str:
    """A Gantt-like timeline of phases (and sub-phases), gates as diamonds at phase ends."""
    if not bars:
        return ""
    first = min(b.start for b in bars)
    last = max(b.end for b in bars)
    span = max((last - first).days, 1)
    # Room on the right for a gate's name; labels wrap to fit the left column.
    left, right, top = 190, 56, 30
    heights = [max(26, 13 * len(_wrap(b.label, 28)) + 10) for b in bars]
    height = top + sum(heights) + 30
    plot = width - left - right

    def x(day: datetime.date) -> float:
        return left + plot * (day - first).days / span

    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{_e(title)}" {_FONT} font-size="12">'
        ),
        f"<title>{_e(title)}</title>",
    ]
    # Ticks on 1 January within the span only (never a year past 9999), at most about 20.
    step = max(1, -(-(last.year - first.year + 1) // _MAX_TICKS))
    for year in range(first.year, last.year + 1, step):
        tick = datetime.date(year, 1, 1)
        if first <= tick <= last:
            parts.append(
                f'<line x1="{x(tick):.1f}" y1="{top - 8}" x2="{x(tick):.1f}" y2="{height - 24}" '
                'stroke="#d7dce2"/>'
                f'<text x="{x(tick):.1f}" y="{height - 8}" text-anchor="middle" fill="#5b6470">{year}</text>'
            )
    y = top
    for index, bar in enumerate(bars):
        row = heights[index]
        middle = y + row / 2
        colour = _COLOURS[index % len(_COLOURS)] if bar.depth == 0 else "#9fbbe0"
        x0, x1 = x(bar.start), max(x(bar.end), x(bar.start) + 2)
        indent = 12 * bar.depth
        label, _ = _label(bar.label, x=left - 8 - indent, y=middle + 4, width=28 - bar.depth * 2)
        bar_height = 16 - 6 * bar.depth
        parts.append(
            label + f'<rect x="{x0:.1f}" y="{middle - bar_height / 2:.1f}" width="{x1 - x0:.1f}" '
            f'height="{bar_height}" rx="3" fill="{colour}"><title>{_e(bar.label)}: '
            f"{bar.start.isoformat()} – {'…' if bar.open_ended else bar.end.isoformat()}</title></rect>"
        )
        if bar.open_ended:  # still running: a dashed, open end
            parts.append(
                f'<path d="M{x1:.1f},{middle - bar_height / 2:.1f} l14,0 M{x1:.1f},'
                f'{middle + bar_height / 2:.1f} l14,0" stroke="{colour}" stroke-dasharray="3 2"/>'
            )
        if bar.gate:
            fill = "#2e7d32" if bar.gate_passed else "#b3261e"
            cx, cy = x1, middle
            # The gate's name goes right of the diamond, or left of it near the edge.
            anchor, tx = (
                ("end", cx - 10)
                if cx + 10 + 7 * len(bar.gate) > width - 4
                else (
                    "start",
                    cx + 10,
                )
            )
            parts.append(
                f'<path d="M{cx:.1f},{cy - 7} L{cx + 7:.1f},{cy} L{cx:.1f},{cy + 7} L{cx - 7:.1f},{cy} Z" '
                f'fill="{fill}" stroke="#fff"><title>{_e(bar.gate)}</title></path>'
                f'<text x="{tx:.1f}" y="{cy + 4}" text-anchor="{anchor}" fill="{fill}" '
                f'font-size="11">{_e(bar.gate)}</text>'
            )
        y += row
    parts.append("</svg>")
    return "".join(parts)


@attrs.frozen(kw_only=True)
class Bar:
    """One horizontal bar: a label, a value, an optional target line, and its text."""

    label: str
    value: Decimal
    text: str
    colour: str = "#1f5fa8"


def bar_chart_svg(
    bars: Sequence[Bar],
    *,
    title: str,
    maximum: Decimal | None = None,
    marks: Sequence[tuple[Decimal, str]] = (),
    width: int = 960,
) -> str:
    """Horizontal bars on a common scale, with optional vertical marks (e.g. thresholds)."""
    if not bars:
        return ""
    top_value = maximum if maximum is not None else max((b.value for b in bars), default=Decimal(1))
    top_value = max(top_value, Decimal(1) / 100)
    # the value after the longest bar needs room: about 7 px a character at 12 px type
    right = max(150, 16 + 7 * max(len(b.text) for b in bars))
    left, top = 230, 14
    rows = [max(28, 13 * len(_wrap(b.label, 34)) + 8) for b in bars]
    height = top + sum(rows) + 12
    plot = width - left - right

    def x(value: Decimal) -> float:
        clipped = min(max(value, Decimal(0)), top_value)
        return left + float(plot * clipped / top_value)

    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{_e(title)}" {_FONT} font-size="12">'
        ),
        f"<title>{_e(title)}</title>",
        f'<rect x="{left}" y="{top - 4}" width="{plot}" height="{sum(rows)}" fill="#f4f6f9"/>',
    ]
    y = top
    for index, bar in enumerate(bars):
        middle = y + rows[index] / 2 - 2
        label, _ = _label(bar.label, x=left - 8, y=middle + 4, width=34)
        parts.append(
            label
            + f'<rect x="{left}" y="{middle - 8:.1f}" width="{x(bar.value) - left:.1f}" height="16" '
            f'rx="2" fill="{bar.colour}"><title>{_e(bar.label)}: {_e(bar.text)}</title></rect>'
            f'<text x="{x(bar.value) + 6:.1f}" y="{middle + 4:.1f}" fill="#1d232b">{_e(bar.text)}</text>'
        )
        y += rows[index]
    for value, label in marks:
        parts.append(
            f'<line x1="{x(value):.1f}" y1="{top - 8}" x2="{x(value):.1f}" y2="{height - 2}" '
            f'stroke="#5b6470" stroke-dasharray="4 3"><title>{_e(label)}</title></line>'
        )
    parts.append("</svg>")
    return "".join(parts)
