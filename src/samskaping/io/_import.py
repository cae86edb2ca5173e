"""Import a risk register from a spreadsheet: CSV, or XLSX with the optional ``xlsx`` extra.

Municipal registers are often kept as lists and exported to Excel (Prosjektportalen, for
one). The first row names the columns; :data:`RISK_COLUMNS` maps the accepted titles
(Norwegian and English, case and spacing ignored) to the fields of a
:class:`~samskaping.model.Risk`. Unknown columns are left out; a row without a title is
skipped. Every value is checked as in a document: a grade is a whole number from 1, a
status one of the risk statuses.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from samskaping._errors import InvalidInputError
from samskaping.io._converter import structure, unstructure
from samskaping.model import Risk

__all__ = ["RISK_COLUMNS", "import_risks", "risks_toml"]

#: Column title (lower case, single spaces) → risk field. ``mitigation`` becomes one
#: mitigation with that description.
RISK_COLUMNS: Final[Mapping[str, str]] = {
    "id": "id",
    "nr": "id",
    "nr.": "id",
    "tittel": "title",
    "title": "title",
    "usikkerhet": "title",
    "risiko": "title",
    "risk": "title",
    "beskrivelse": "description",
    "description": "description",
    "kategori": "category",
    "usikkerhetskategori": "category",
    "category": "category",
    "sannsynlighet": "probability",
    "probability": "probability",
    "konsekvens": "consequence",
    "consequence": "consequence",
    "sannsynlighet etter tiltak": "residual_probability",
    "residual probability": "residual_probability",
    "konsekvens etter tiltak": "residual_consequence",
    "residual consequence": "residual_consequence",
    "tiltak": "mitigation",
    "mitigation": "mitigation",
    "status": "status",
    "merknad": "note",
    "kommentar": "note",
    "note": "note",
}

#: Statuses as written in Norwegian registers → the risk status.
_STATUSES: Final[Mapping[str, str]] = {
    "åpen": "open",
    "aktiv": "open",
    "overvåkes": "monitored",
    "inntruffet": "occurred",
    "lukket": "closed",
    "avsluttet": "closed",
}
_GRADES: Final = frozenset({"probability", "consequence"}) | {
    "residual_probability",
    "residual_consequence",
}
_MAX_BYTES: Final = 10 * 1024 * 1024


def _key(title: object) -> str:
    return re.sub(r"\s+", " ", str(title or "").strip().lower())


def _rows_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")  # Excel's CSV export on Norwegian Windows
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def _rows_xlsx(data: bytes) -> list[list[str]]:
    try:
        # optional extra, imported on use: only XLSX files need it
        import openpyxl  # noqa: PLC0415
    except ImportError:
        raise InvalidInputError(
            "XLSX files need openpyxl: pip install 'samskaping[xlsx]'", what="file"
        ) from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001  (any unreadable workbook is one bad-input error)
        raise InvalidInputError("not a readable XLSX workbook", what="file") from None
    sheet = book.worksheets[0]
    rows = [
        ["" if cell is None else str(cell) for cell in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    book.close()
    return rows


def _grade(text: str, column: str, line: int) -> int:
    value = text.strip()
    value = value.removesuffix(".0")
    if not value.isdigit() or int(value) < 1:
        raise InvalidInputError(
            f"row {line}: {column} must be a whole number from 1, got {value[:20]!r}", what=column
        )
    return int(value)


def _risk(fields: dict[str, str], line: int) -> Risk:
    data: dict[str, Any] = {}
    for field, value in fields.items():
        if not value.strip():
            continue
        if field in _GRADES:
            data[field] = _grade(value, field, line)
        elif field == "mitigation":
            data["mitigations"] = [{"description": value.strip()}]
        elif field == "status":
            data["status"] = _STATUSES.get(value.strip().lower(), value.strip().lower())
        else:
            data[field] = value.strip()
    data.setdefault("id", f"r{line - 1}")
    data["id"] = re.sub(r"[^a-z0-9_]+", "_", data["id"].lower()).strip("_") or f"r{line - 1}"
    if not data["id"][0].isalpha():
        data["id"] = f"r{data['id']}"
    try:
        return structure(data, Risk)
    except Exception as exc:  # noqa: BLE001  (cattrs and attrs errors become one line)
        raise InvalidInputError(f"row {line}: {str(exc)[:200]}", what="row") from None


def _risks(rows: Sequence[Sequence[str]], columns: Mapping[str, str]) -> tuple[Risk, ...]:
    if not rows:
        raise InvalidInputError("the file has no header row", what="file")
    fields = [columns.get(_key(title)) for title in rows[0]]
    if "title" not in fields:
        raise InvalidInputError(
            "no title column: name one 'Tittel', 'Title', 'Usikkerhet' or 'Risiko'",
            what="columns",
        )
    risks = []
    for line, row in enumerate(rows[1:], start=2):
        values = {f: str(v) for f, v in zip(fields, row, strict=False) if f is not None}
        if values.get("title", "").strip():
            risks.append(_risk(values, line))
    return tuple(risks)


def import_risks(path: str | Path, *, columns: Mapping[str, str] | None = None) -> tuple[Risk, ...]:
    """The risks in a spreadsheet: ``.csv`` (comma, semicolon or tab), or ``.xlsx``.

    ``columns`` adds or overrides column titles (lower case) → risk field, on top of
    :data:`RISK_COLUMNS`.

    Raises:
        InvalidInputError: If the file cannot be read, is too large, has no title column,
            or a row holds a value a risk cannot have (the row's number is named).
    """
    file = Path(path)
    try:
        if file.stat().st_size > _MAX_BYTES:
            raise InvalidInputError("the file is larger than 10 MiB", what="file")
        data = file.read_bytes()
    except OSError as exc:
        raise InvalidInputError(
            f"cannot read the file: {exc.strerror or exc}", what="file"
        ) from None
    mapping = {**RISK_COLUMNS, **{_key(k): v for k, v in (columns or {}).items()}}
    suffix = file.suffix.lower()
    if suffix == ".csv":
        return _risks(_rows_csv(data), mapping)
    if suffix == ".xlsx":
        return _risks(_rows_xlsx(data), mapping)
    raise InvalidInputError(
        f"unsupported file type {suffix or '(none)'!r}: use .csv or .xlsx", what="file"
    )


def risks_toml(risks: Iterable[Risk]) -> str:
    """The risks as a TOML fragment (``[[risks]]`` tables) to paste into a project document."""
    import tomli_w  # noqa: PLC0415  (lazy import)

    return tomli_w.dumps({"risks": [unstructure(risk) for risk in risks]})
