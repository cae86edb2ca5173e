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

The standard inputs follow the same field rules as :class:`~samskaping.payouts.Household`
and :class:`~samskaping.payouts.Request`: no negative amount (``request.amount``,
``received``), 0 to 100 ``children`` and ``adults``, a ``need_weight`` from 0 to
1000, no negative ``previous_requests``. NaN and infinity are refused in every column
(in a pandas table a missing value, NaN included, is an empty cell, as pandas means
it). A refused cell raises :class:`~samskaping.payouts.PopulationError` naming its row
(counted from 1, without the header) and its column, never its value.
"""

from __future__ import annotations

import csv
import io
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
from samskaping.payouts._errors import PopulationError
from samskaping.payouts._expr_ast import ValueType
from samskaping.payouts._expr_ops import LIMIT_DECIMAL, LIMIT_INT
from samskaping.payouts._request import MAX_PERSONS, STANDARD_INPUTS

__all__ = ["FIELD_RULES", "STANDARD_DEFAULTS", "Population", "column_name", "read_population"]

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
_ID_COLUMNS: Final = frozenset(
    {"id", "ref", "household", "household_id", "household.id", "household.ref"}
)
_TRUE: Final = frozenset({"true", "1", "yes", "ja", "y", "j"})
_FALSE: Final = frozenset({"false", "0", "no", "nei", "n"})
_NUMBERS: Final = frozenset({ValueType.INT, ValueType.MONEY, ValueType.DECIMAL})
#: The most rows a population may have.
MAX_ROWS: Final = 50_000_000
_MAX_ORE: Final = int(MAX_AMOUNT) * 100
#: The field rules of the standard inputs, as run-time values: (least, most, in words).
#: The same rules as ``Household`` and ``Request`` (amounts in øre).
FIELD_RULES: Final[Mapping[str, tuple[Any, Any, str]]] = {
    "household.children": (0, MAX_PERSONS, f"a whole number from 0 to {MAX_PERSONS}"),
    "household.adults": (0, MAX_PERSONS, f"a whole number from 0 to {MAX_PERSONS}"),
    "household.need_weight": (Decimal(0), Decimal(1000), "a number from 0 to 1000"),
    "household.received": (0, _MAX_ORE, "an amount of at least 0 kr"),
    "household.previous_requests": (0, LIMIT_INT, "a whole number of at least 0"),
    "request.amount": (0, _MAX_ORE, "an amount of at least 0 kr"),
}


def column_name(name: str) -> str:
    """A column's input name: ``children`` is ``household.children``, ``ref`` is ``id``."""
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
    return False


def _python(value: object) -> object:
    """A numpy or pandas scalar as a plain Python value."""
    item = getattr(value, "item", None)
    if item is not None and type(value).__module__.startswith("numpy"):
        return item()
    return value


def _convert(value: object, kind: ValueType, column: str, row: int) -> Any:  # noqa: C901, PLR0912
    value = _python(value)

    def refuse(message: str) -> PopulationError:
        return PopulationError(message, column=column, row=row + 1)

    if isinstance(value, float) and not math.isfinite(value):
        raise refuse("NaN and infinity are not values; leave the cell empty for the default")
    if isinstance(value, str) and "_" in value and kind in _NUMBERS:
        # Python reads "1_000" as 1000; in a data file it is a typo, not a number.
        raise refuse("expected a number without '_'")
    if kind is ValueType.STR:
        if isinstance(value, str):
            return value.strip()
        raise refuse("expected text")
    if kind is ValueType.BOOL:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        if isinstance(value, int) and value in {0, 1}:
            return bool(value)
        raise refuse("expected true or false")
    if kind is ValueType.MONEY:
        if isinstance(value, float):
            raise refuse("amounts must be integers or decimal strings, not floating-point numbers")
        try:
            return int(parse_amount(value.strip() if isinstance(value, str) else value).scaleb(2))
        except InvalidInputError:
            raise refuse("expected an amount in NOK") from None
    if kind is ValueType.INT:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str):
            try:
                value = int(value.strip())
            except ValueError:
                raise refuse("expected a whole number") from None
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > LIMIT_INT:
            raise refuse("expected a whole number")
        return value
    if kind is ValueType.DECIMAL:
        if isinstance(value, bool):
            raise refuse("expected a number")
        try:
            number = (
                Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
            )
        except (InvalidOperation, ValueError):
            raise refuse("expected a number") from None
        if not number.is_finite() or abs(number) > LIMIT_DECIMAL:
            raise refuse("expected a finite number")
        return number
    raise refuse("a list cannot be a population column")


def _check_rules(values: tuple[Any, ...], name: str, kind: ValueType) -> None:
    """Refuse the first cell outside the field rules of a standard input."""
    rule = FIELD_RULES.get(name)
    if rule is None or STANDARD_INPUTS.get(name) is not kind or not values:
        return
    low, high, words = rule
    present = values if None not in values else [v for v in values if v is not None]
    if not present or (low <= min(present) and max(present) <= high):
        return
    for row, value in enumerate(values, 1):
        if value is not None and not low <= value <= high:
            raise PopulationError(f"expected {words}", column=name, row=row)


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
    _given: Mapping[str, str] = attrs.field(factory=dict, repr=False)

    def given_name(self, name: str) -> str:
        """Column ``name`` as the source named it (``amount`` for ``household.amount``)."""
        return self._given.get(name, name)

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
            _check_rules(values, name, kind)
        self._converted[key] = values
        return values

    def types(self) -> tuple[str, ...]:
        """Each household's type (``unspecified`` where none is given)."""
        if "household.type" not in self.columns:
            return ("unspecified",) * self.size
        values = self.column("household.type", ValueType.STR, "unspecified")
        assert values is not None  # noqa: S101  (a default is given)
        return values if all(values) else tuple(v or "unspecified" for v in values)


def _from_mapping(columns: Mapping[str, Sequence[Any]]) -> Population:
    named: dict[str, Sequence[Any]] = {}
    given: dict[str, str] = {}
    for name, values in columns.items():
        column = column_name(str(name))
        if column in named:
            raise PopulationError("the column is given twice", column=column)
        if isinstance(values, str | bytes) or not hasattr(values, "__len__"):
            raise PopulationError("expected a sequence of cells", column=column)
        named[column] = values
        given[column] = str(name).strip()
    sizes = {len(v) for v in named.values()}
    if len(sizes) > 1:
        raise InvalidInputError("every column must have the same number of rows", what="population")
    size = sizes.pop() if sizes else 0
    if size > MAX_ROWS:
        raise InvalidInputError(f"a population has at most {MAX_ROWS:,} rows", what="population")
    ids = named.pop("id", None)
    refs = None if ids is None else tuple(str(_python(v)) for v in ids)
    population = Population(size=size, columns=named, refs=refs, given=given)
    for name, kind in STANDARD_INPUTS.items():
        if name in named and name in FIELD_RULES:
            population.column(name, kind, _standard_default(name, kind))
    return population


def _standard_default(name: str, kind: ValueType) -> Any:
    default = STANDARD_DEFAULTS.get(name)
    if kind is ValueType.MONEY and default is not None:
        return int(default)
    return default


def _from_csv(text: str) -> Population:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
        rows = list(reader)
    except StopIteration:
        raise InvalidInputError("the CSV file is empty", what="population") from None
    except csv.Error as exc:  # a field past the csv module's limit, a NUL byte, ...
        raise InvalidInputError(
            f"the CSV file cannot be read at line {reader.line_num}: {str(exc)[:80]}",
            what="population",
        ) from None
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
    given = {**population._given, "household.children": "children", "household.adults": "adults"}  # noqa: SLF001
    joined = Population(size=population.size, columns=columns, refs=population.refs, given=given)
    for name in ("household.children", "household.adults"):
        joined.column(name, ValueType.INT, STANDARD_DEFAULTS[name])
    return joined


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


def _pandas_cells(series: Any) -> list[Any]:
    """A pandas column's cells, its missing values (NaN, None, NA, NaT) as ``None``."""
    cells: list[Any] = series.tolist()
    missing = series.isna()
    if missing.any():
        cells = [None if gap else cell for cell, gap in zip(cells, missing.tolist(), strict=True)]
    return cells


def _read(source: Any) -> Population:
    if isinstance(source, Population):
        return source
    module = type(source).__module__
    if module.startswith("pandas"):
        return _from_mapping({str(c): _pandas_cells(source[c]) for c in source.columns})
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
