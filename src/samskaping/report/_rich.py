"""The terminal report in colour, with the optional ``cli`` extra (rich).

rich is imported only here, and only when the report goes to a colour terminal; the
plain renderer in :mod:`samskaping.report._render` needs nothing.
"""

from __future__ import annotations

from typing import Any

from samskaping.report._escape import rich_markup as _m
from samskaping.report._layout import Block, Chart, Facts, Layout, Notice, Paragraph, Table

__all__ = ["rich_available", "render_rich"]

_TONES = {"good": "green", "warning": "yellow", "bad": "red", "neutral": "cyan"}


def rich_available() -> bool:
    """Whether rich can be imported."""
    try:
        import rich  # noqa: F401, PLC0415  (rich is the optional `cli` extra)
    except ImportError:
        return False
    return True


def render_rich(layout: Layout, console: Any) -> None:
    """Print the report on a rich ``Console``: headed sections, tables, a coloured heat map."""
    from rich.rule import Rule  # noqa: PLC0415  (rich is the optional `cli` extra)
    from rich.text import Text  # noqa: PLC0415  (rich is the optional `cli` extra)

    console.print(Text(layout.title, style="bold"))
    console.print(Text(layout.subtitle, style="dim"))
    for section in layout.sections:
        console.print(Rule(Text(section.title, style="bold blue"), align="left"))
        for block in section.blocks:
            console.print(_block(block))
            console.print()
    console.print(Text(layout.footer, style="dim"))


def _block(block: Block) -> Any:
    from rich import box  # noqa: PLC0415  (rich is the optional `cli` extra)
    from rich.table import Table as RichTable  # noqa: PLC0415  (rich is the optional `cli` extra)
    from rich.text import Text  # noqa: PLC0415  (rich is the optional `cli` extra)

    if isinstance(block, Paragraph):
        return Text(block.text)
    if isinstance(block, Notice):
        return Text(f"● {block.text}", style=_TONES[block.tone])
    if isinstance(block, Facts):
        grid = RichTable.grid(padding=(0, 2))
        grid.add_column(style="dim")
        grid.add_column()
        for key, value in block.items:
            grid.add_row(_m(key), _m(value))
        return grid
    if isinstance(block, Table):
        table = RichTable(
            title=_m(block.caption) if block.caption else None,
            box=box.SIMPLE_HEAD,
            title_justify="left",
        )
        for index, column in enumerate(block.columns):
            table.add_column(_m(column), justify="right" if block.is_numeric(index) else "left")
        for row in block.rows:
            table.add_row(*(_m(cell) for cell in row))
        return table
    if block.grid:
        return _heat_grid(block)
    return Text("\n".join((block.title, *block.text)))


def _heat_grid(chart: Chart) -> Any:
    from rich import box  # noqa: PLC0415  (rich is the optional `cli` extra)
    from rich.table import Table as RichTable  # noqa: PLC0415  (rich is the optional `cli` extra)
    from rich.text import Text  # noqa: PLC0415  (rich is the optional `cli` extra)

    table = RichTable(title=_m(chart.title), box=box.SQUARE, show_lines=True, title_justify="left")
    table.add_column("")
    for label in chart.column_labels:
        table.add_column(_m(label), justify="center", min_width=9)
    for label, row in zip(chart.row_labels, chart.grid, strict=False):
        cells = [
            Text(f" {cell.text or ' '} ", style=f"bold black on {cell.colour}") for cell in row
        ]
        table.add_row(_m(label), *cells)
    if chart.text and not chart.text[-1].startswith(tuple("0123456789 ")):
        table.caption = _m(chart.text[-1])
    return table
