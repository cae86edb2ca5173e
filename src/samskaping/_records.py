"""Results as rows: ``to_records()``, ``to_pandas()`` and a table for notebooks.

Result types mix in :class:`Records` and say how they become rows. Values in rows stay
exact: amounts become :class:`~decimal.Decimal` kroner, codes their string values,
dates stay dates. pandas is imported only by :meth:`Records.to_pandas`.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Mapping, Sequence
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from functools import singledispatch
from typing import Any, Final

from samskaping._errors import InvalidInputError
from samskaping._money import Money

__all__ = ["Records", "notebook_html", "plain", "records_html"]

_HTML_ROWS: Final = 50


@singledispatch
def notebook_html(value: object) -> str | None:
    """The HTML a notebook shows for a result, or ``None`` for the default table.

    A registry the presentation layer fills (``@notebook_html.register``), so that
    result types show themselves without importing it: :mod:`samskaping.report`
    registers the text of a payout decision when it is imported.
    """
    del value
    return None


def plain(value: object) -> object:
    """A value as it goes into a row: exact numbers, codes as text, dates as dates."""
    if isinstance(value, Money):
        return value.amount
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, tuple | list):
        return ", ".join(str(plain(v)) for v in value)
    return value


def records_html(rows: Sequence[Mapping[str, object]], *, title: str) -> str:
    """An HTML table of rows (the first 50, and a count of the rest)."""
    if not rows:
        return f"<p><strong>{html.escape(title)}</strong>: –</p>"
    columns = list(rows[0])
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(row.get(c)))}</td>" for c in columns) + "</tr>"
        for row in rows[:_HTML_ROWS]
    )
    more = f"<p>… {len(rows) - _HTML_ROWS} more</p>" if len(rows) > _HTML_ROWS else ""
    return (
        f"<div><strong>{html.escape(title)}</strong>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}</div>"
    )


def _cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class Records:
    """Mixin for result types that are naturally rows (see the module docs)."""

    __slots__ = ()

    def to_records(self) -> list[dict[str, object]]:  # pragma: no cover  (every subclass overrides)
        """The result as a list of rows (dicts with the same keys)."""
        raise NotImplementedError

    def to_pandas(self) -> Any:
        """The rows as a ``pandas.DataFrame`` (needs the optional ``pandas`` extra).

        Raises:
            InvalidInputError: If pandas is not installed.
        """
        try:
            import pandas as pd  # noqa: PLC0415  (optional, imported on use)
        except ImportError:
            raise InvalidInputError(
                "to_pandas() needs pandas: pip install 'samskaping[pandas]'", what="pandas"
            ) from None
        return pd.DataFrame.from_records(self.to_records())

    def _repr_html_(self) -> str:
        return notebook_html(self) or records_html(self.to_records(), title=type(self).__name__)
