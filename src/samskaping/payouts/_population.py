"""Populations for simulation: households (and persons) as columns.

A population comes from a CSV file, a mapping of column names to sequences, or a
pandas or pyarrow table (those libraries are imported only if such a table is given).
Columns are named like the inputs of rules, with or without the ``household.``
prefix: ``children``, ``adults``, ``disadvantaged``, ``need_weight``, ``type``, any
declared household input, and ``request.amount``, ``request.purpose`` and other
``request.`` inputs for conditional policies. A column ``id`` holds household
references (personal data: never printed).

Values are converted per policy, to the type each input has there. An empty cell in
a standard input takes the standard default (0 children, 1 adult, need weight 1, ...);
an empty cell in a declared input takes its declared default or stays missing.
Amounts are integers or decimal strings; floating-point amounts are refused.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final

import attrs

from samskaping._errors import InvalidInputError
from samskaping._money import MAX_AMOUNT, parse_amount
from samskaping.io import read_text
from samskaping.payouts._expr_ast import ValueType
from samskaping.payouts._expr_ops import LIMIT_DECIMAL, LIMIT_INT

__all__ = ["STANDARD_DEFAULTS", "Population", "read_population"]

#: The value an empty cell of a standard input takes.
STANDARD_DEFAULTS: Final[Mapping[str, Any]] = {
    "household.children": 0,
    "household.adults": 1,
    "household.disadvantaged": False,
    "household.need_weight": Decimal(1),
    "household.type": "unspecified",
    "household.received": 0,
    "household.previous_requests": 0,
    "request.amount": 0,
    "request.for_children": False,
    "request.ordinary_scheme_checked": False,
    "request.clarified": False,
    "request.running_cost": False,
    "request.decider_has_social_assistance_mandate": False,
}
_ID_COLUMNS: Final = frozenset({"id", "ref", "household", "household.id", "household.ref"})
_TRUE: Final = frozenset({"true", "1", "yes", "ja", "y", "j"})
_FALSE: Final = frozenset({"false", "0", "no", "nei", "n"})
#: The most rows a population may have.
MAX_ROWS: Final = 50_000_000


def _column_name(name: str) -> str:
    name = name.strip()
    if name in _ID_COLUMNS:
        return "id"
    if "." in name:
        return name
    return f"household.{name}"


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    return False


def _python(value: object) -> object:
    """A numpy or pandas scalar as a plain Python value."""
    item = getattr(value, "item", None)
    if item is not None and type(value).__module__.startswith("numpy"):
        return item()
    return value


def _convert(value: object, kind: ValueType, column: str, row: int) -> Any:  # noqa: C901, PLR0912
    value = _python(value)
    where = f"column {column!r}, row {row + 1}"
    if kind is ValueType.STR:
        if isinstance(value, str):
            return value.strip()
        raise InvalidInputError(f"{where}: expected text", what=column)
    if kind is ValueType.BOOL:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        if isinstance(value, int) and value in {0, 1}:
            return bool(value)
        raise InvalidInputError(f"{where}: expected true or false", what=column)
    if kind is ValueType.MONEY:
        if isinstance(value, float):
            raise InvalidInputError(
                f"{where}: amounts must be integers or decimal strings, not floating-point numbers",
                what=column,
            )
        try:
            return int(parse_amount(value.strip() if isinstance(value, str) else value).scaleb(2))
        except InvalidInputError:
            raise InvalidInputError(f"{where}: expected an amount in NOK", what=column) from None
    if kind is ValueType.INT:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str):
            try:
                value = int(value.strip())
            except ValueError:
                raise InvalidInputError(f"{where}: expected a whole number", what=column) from None
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > LIMIT_INT:
            raise InvalidInputError(f"{where}: expected a whole number", what=column)
        return value
    if kind is ValueType.DECIMAL:
        if isinstance(value, bool):
            raise InvalidInputError(f"{where}: expected a number", what=column)
        try:
            number = (
                Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
            )
        except InvalidOperation:
            raise InvalidInputError(f"{where}: expected a number", what=column) from None
        if not number.is_finite() or abs(number) > LIMIT_DECIMAL:
            raise InvalidInputError(f"{where}: expected a finite number", what=column)
        return number
    raise InvalidInputError(f"{where}: a list cannot be a population column", what=column)


_MAX_WHOLE_KRONER: Final = int(MAX_AMOUNT)


def _fast_column(raw: Sequence[Any], kind: ValueType) -> tuple[Any, ...] | None:
    """A column converted in bulk, or ``None`` if it must be converted cell by cell.

    A shortcut that gives exactly what converting cell by cell gives. It applies when
    every cell already is the plain Python value ``kind`` needs (in a list, say, or a
    numpy array, read with ``tolist``): ``bool`` cells of a bool column as they are;
    ``int`` cells (not ``bool``) of a whole-number column as they are, or of an amount
    column as whole kroner turned into øre, all within the limits; ``str`` cells of a
    text column, stripped, none of them empty. Anything else (missing cells, floats,
    text in a number column, values out of range) takes the cell-by-cell path.
    """
    tolist = getattr(raw, "tolist", None)
    if tolist is not None and type(raw).__module__.startswith("numpy"):
        raw = tolist()
    cell_types = set(map(type, raw))
    if kind is ValueType.BOOL:
        return tuple(raw) if cell_types <= {bool} else None
    if kind is ValueType.STR:
        if not cell_types <= {str}:
            return None
        texts = tuple(map(str.strip, raw))
        return None if "" in texts else texts
    if kind not in {ValueType.INT, ValueType.MONEY} or not cell_types <= {int}:
        return None
    values = tuple(raw)
    limit = LIMIT_INT if kind is ValueType.INT else _MAX_WHOLE_KRONER
    if values and (min(values) < -limit or max(values) > limit):
        return None
    return values if kind is ValueType.INT else tuple(v * 100 for v in values)


@attrs.frozen(kw_only=True, eq=False)
class Population:
    """Households as columns of raw values, converted per policy when simulated.

    Attributes:
        size: The number of households.
        columns: Raw values by input name (``household.children``, ``request.amount``).
        refs: The household references, if an ``id`` column was given (never printed).
    """

    size: int
    columns: Mapping[str, Sequence[Any]] = attrs.field(repr=lambda c: f"<{len(c)} columns>")
    refs: tuple[str, ...] | None = attrs.field(
        default=None, repr=lambda r: "None" if r is None else "<hidden>"
    )
    _converted: dict[tuple[str, ValueType], tuple[Any, ...]] = attrs.field(factory=dict, repr=False)

    def column(self, name: str, kind: ValueType, default: Any) -> tuple[Any, ...] | None:
        """Column ``name`` as run-time values of ``kind``.

        An empty cell without a default becomes ``None``. Returns ``None`` if there is
        no such column and no default.
        """
        key = (name, kind)
        cached = self._converted.get(key)
        if cached is not None:
            return cached
        raw = self.columns.get(name)
        if raw is None:
            if default is None:
                return None
            values: tuple[Any, ...] = (default,) * self.size
        else:
            fast = _fast_column(raw, kind)
            values = (
                fast
                if fast is not None
                else tuple(
                    default if _is_missing(v) else _convert(v, kind, name, row)
                    for row, v in enumerate(raw)
                )
            )
        self._converted[key] = values
        return values

    def types(self) -> tuple[str, ...]:
        """Each household's type (``unspecified`` where none is given)."""
        values = self.column("household.type", ValueType.STR, "unspecified")
        assert values is not None  # noqa: S101  (a default is given)
        return values if all(values) else tuple(v or "unspecified" for v in values)


def _from_mapping(columns: Mapping[str, Sequence[Any]]) -> Population:
    named: dict[str, Sequence[Any]] = {}
    for name, values in columns.items():
        column = _column_name(str(name))
        if column in named:
            raise InvalidInputError(f"the column {column!r} is given twice", what="population")
        named[column] = values
    sizes = {len(v) for v in named.values()}
    if len(sizes) > 1:
        raise InvalidInputError("every column must have the same number of rows", what="population")
    size = sizes.pop() if sizes else 0
    if size > MAX_ROWS:
        raise InvalidInputError(f"a population has at most {MAX_ROWS:,} rows", what="population")
    ids = named.pop("id", None)
    refs = None if ids is None else tuple(str(_python(v)) for v in ids)
    return Population(size=size, columns=named, refs=refs)


def _from_csv(text: str) -> Population:
    import csv  # noqa: PLC0415  (only for CSV input)
    import io  # noqa: PLC0415

    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInputError("the CSV file is empty", what="population") from None
    rows = list(reader)
    columns: dict[str, list[str]] = {name: [] for name in header}
    if len(columns) != len(header):
        raise InvalidInputError("the CSV header repeats a column", what="population")
    for number, row in enumerate(rows, 2):
        if not row:
            continue
        if len(row) != len(header):
            raise InvalidInputError(
                f"CSV line {number} has {len(row)} fields; the header has {len(header)}",
                what="population",
            )
        for name, value in zip(header, row, strict=True):
            columns[name].append(value)
    return _from_mapping(columns)


def _from_parquet(path: Path) -> Population:
    try:
        import pyarrow.parquet as pq  # noqa: PLC0415  (optional: only for Parquet files)
    except ImportError:  # pragma: no cover  (pyarrow is installed where the tests run)
        raise InvalidInputError(
            "Parquet populations need pyarrow: pip install 'samskaping[arrow]'", what="population"
        ) from None
    try:
        table = pq.read_table(path)
    except (OSError, ValueError):
        raise InvalidInputError(
            "the population file is not a Parquet file", what="population"
        ) from None
    return _from_mapping(table.to_pydict())


def _apply_persons(population: Population, persons: Population) -> Population:
    if population.refs is None:
        raise InvalidInputError(
            "households need an 'id' column to be joined with persons", what="persons"
        )
    household_of = persons.columns.get("household.household") or persons.columns.get("household.id")
    if household_of is None and persons.refs is not None:
        household_of = persons.refs
    roles = persons.columns.get("household.role")
    if household_of is None or roles is None:
        raise InvalidInputError("persons need the columns 'household' and 'role'", what="persons")
    index = {ref: i for i, ref in enumerate(population.refs)}
    children = [0] * population.size
    adults = [0] * population.size
    for row, (ref, role) in enumerate(zip(household_of, roles, strict=True)):
        position = index.get(str(_python(ref)))
        if position is None:
            raise InvalidInputError(f"persons row {row + 1}: no such household", what="persons")
        text = str(role).strip().lower()
        if text in {"child", "barn"}:
            children[position] += 1
        elif text in {"adult", "voksen"}:
            adults[position] += 1
        else:
            raise InvalidInputError(
                f"persons row {row + 1}: role must be 'child' or 'adult'", what="persons"
            )
    columns = dict(population.columns)
    columns["household.children"] = children
    columns["household.adults"] = adults
    return Population(size=population.size, columns=columns, refs=population.refs)


def read_population(source: Any, *, persons: Any = None) -> Population:
    """Read a population from a CSV or Parquet file, a mapping of columns, or a table.

    Args:
        source: A path to a ``.csv`` or ``.parquet`` file, a mapping of column names to sequences, a
            ``pandas.DataFrame``, a ``pyarrow.Table`` or a :class:`Population`.
        persons: Optionally, persons with the columns ``household`` (the household's
            id) and ``role`` (``child`` or ``adult``), in any of the same forms; their
            counts replace the households' ``children`` and ``adults``.

    Raises:
        InvalidInputError: If the source cannot be read or its columns do not fit.
    """
    population = _read(source)
    if persons is not None:
        population = _apply_persons(population, _read(persons))
    return population


def _read(source: Any) -> Population:
    if isinstance(source, Population):
        return source
    module = type(source).__module__
    if module.startswith("pandas"):
        return _from_mapping({str(c): source[c].tolist() for c in source.columns})
    if module.startswith("pyarrow"):
        return _from_mapping(source.to_pydict())
    if isinstance(source, Mapping):
        return _from_mapping(source)
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise InvalidInputError("the population file does not exist", what="population")
        if path.suffix.lower() in {".parquet", ".pq"}:
            return _from_parquet(path)
        return _from_csv(read_text(path, max_bytes=2**31))
    raise InvalidInputError(
        "expected a CSV file, a mapping of columns, or a pandas or pyarrow table", what="population"
    )
