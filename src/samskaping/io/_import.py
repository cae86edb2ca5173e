"""Import a risk register or a deliverables list from a spreadsheet.

CSV, or XLSX with the optional ``xlsx`` extra. Municipal registers are often kept as
lists and exported to Excel (Prosjektportalen, for one). The first row names the
columns; :data:`RISK_COLUMNS` and :data:`DELIVERABLE_COLUMNS` map the accepted titles
(Norwegian and English, case and spacing ignored) to the fields of a
:class:`~samskaping.model.Risk` or a :class:`~samskaping.model.Deliverable`. Unknown
columns are left out; a row without a title is skipped. Every value is checked as in a
document: a grade is a whole number from 1, a status one of the statuses.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from samskaping._errors import InvalidInputError, Problem
from samskaping.io._converter import structure, unstructure
from samskaping.model import Deliverable, DeliverableKind, DeliverableStatus, Risk

__all__ = [
    "DELIVERABLE_COLUMNS",
    "RISK_COLUMNS",
    "DeliverableImport",
    "deliverables_toml",
    "import_deliverables",
    "import_risks",
    "risks_toml",
]

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
    # The header's most frequent separator wins: a title such as "Kommentar,
    # leveransestatus" (Prosjektportalen) holds a comma in a semicolon-separated file.
    header = text.split("\n", 1)[0]
    delimiter = max(";\t,", key=header.count)
    return [list(row) for row in csv.reader(io.StringIO(text), csv.excel, delimiter=delimiter)]


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


def _read_rows(path: str | Path) -> list[list[str]]:
    """The rows of ``path``: a ``.csv`` or an ``.xlsx`` file of at most 10 MiB."""
    file = Path(path)
    try:
        if file.stat().st_size > _MAX_BYTES:
            raise InvalidInputError("the file is larger than 10 MiB", what="file")
        data = file.read_bytes()
    except OSError as exc:
        raise InvalidInputError(
            f"cannot read the file: {exc.strerror or exc}", what="file"
        ) from None
    suffix = file.suffix.lower()
    if suffix == ".csv":
        return _rows_csv(data)
    if suffix == ".xlsx":
        return _rows_xlsx(data)
    raise InvalidInputError(
        f"unsupported file type {suffix or '(none)'!r}: use .csv or .xlsx", what="file"
    )


def import_risks(path: str | Path, *, columns: Mapping[str, str] | None = None) -> tuple[Risk, ...]:
    """The risks in a spreadsheet: ``.csv`` (comma, semicolon or tab), or ``.xlsx``.

    ``columns`` adds or overrides column titles (lower case) → risk field, on top of
    :data:`RISK_COLUMNS`.

    Raises:
        InvalidInputError: If the file cannot be read, is too large, has no title column,
            or a row holds a value a risk cannot have (the row's number is named).
    """
    mapping = {**RISK_COLUMNS, **{_key(k): v for k, v in (columns or {}).items()}}
    return _risks(_read_rows(path), mapping)


def risks_toml(risks: Iterable[Risk]) -> str:
    """The risks as a TOML fragment (``[[risks]]`` tables) to paste into a project document."""
    import tomli_w  # noqa: PLC0415  (lazy import)

    return tomli_w.dumps({"risks": [unstructure(risk) for risk in risks]})


#: Column title (lower case, single spaces) → deliverable field. The Norwegian titles
#: include those of Prosjektportalen's *Prosjektleveranser* list as exported to Excel
#: (Tittel, Leveransebeskrivelse, Fase, Leveransestatus, "Kommentar, leveransestatus").
#: ``continued_by`` and ``continued_until`` become the deliverable's continuation.
DELIVERABLE_COLUMNS: Final[Mapping[str, str]] = {
    "id": "id",
    "nr": "id",
    "nr.": "id",
    "tittel": "title",
    "leveranse": "title",
    "title": "title",
    "deliverable": "title",
    "leveransebeskrivelse": "description",
    "beskrivelse": "description",
    "description": "description",
    "fase": "phase",
    "prosjektfase": "phase",
    "phase": "phase",
    "type": "kind",
    "leveransetype": "kind",
    "kind": "kind",
    "leveransestatus": "status",
    "status": "status",
    "videreført av": "continued_by",
    "overtatt av": "continued_by",
    "continued by": "continued_by",
    "videreført til": "continued_until",
    "continued until": "continued_until",
    "grunn": "discard_reason",
    "begrunnelse": "discard_reason",
    "discard reason": "discard_reason",
    "kommentar, leveransestatus": "note",
    "kommentar": "note",
    "merknad": "note",
    "note": "note",
    "kilde": "source",
    "source": "source",
}

#: Kinds as written in Norwegian lists → the deliverable kind.
_KINDS: Final[Mapping[str, DeliverableKind]] = {
    "arbeidsmodell": DeliverableKind.WORKING_MODEL,
    "working model": DeliverableKind.WORKING_MODEL,
    "forslag": DeliverableKind.PROPOSAL,
    "rapport": DeliverableKind.REPORT,
    **{kind.value: kind for kind in DeliverableKind},
}
#: Statuses as written in Norwegian lists (Prosjektportalen's among them) → the status.
_DELIVERABLE_STATUSES: Final[Mapping[str, DeliverableStatus]] = {
    "planlagt": DeliverableStatus.PLANNED,
    "ikke startet": DeliverableStatus.PLANNED,
    "utprøves": DeliverableStatus.TESTING,
    "under utprøving": DeliverableStatus.TESTING,
    "pågår": DeliverableStatus.TESTING,
    "evaluert": DeliverableStatus.EVALUATED,
    "videreført": DeliverableStatus.CONTINUED,
    "videreført i drift": DeliverableStatus.CONTINUED,
    "i drift": DeliverableStatus.CONTINUED,
    "forkastet": DeliverableStatus.DISCARDED,
    "avvist": DeliverableStatus.DISCARDED,
    "levert": DeliverableStatus.DELIVERED,
    "ferdig": DeliverableStatus.DELIVERED,
    "fullført": DeliverableStatus.DELIVERED,
    "godkjent": DeliverableStatus.DELIVERED,
    **{status.value: status for status in DeliverableStatus},
}
_FOLD: Final = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e"})


@attrs.frozen(kw_only=True)
class DeliverableImport:
    """The deliverables read from a list (*leveranseliste*), and every row refused.

    Attributes:
        deliverables: One per row with a title whose values a deliverable can have.
        problems: Each refused value, its path naming the row and the column, e.g.
            ``row 3, column D (Leveransestatus)``.
    """

    deliverables: tuple[Deliverable, ...]
    problems: tuple[Problem, ...]


def _letter(index: int) -> str:
    """The spreadsheet letter of a column (0 is A, 26 is AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _identifier(text: str, prefix: str) -> str:
    """``text`` as an identifier: lower case, æøå folded, other signs as ``_``."""
    key = re.sub(r"[^a-z0-9_]+", "_", text.strip().lower().translate(_FOLD)).strip("_")[:64]
    if not key:
        return ""
    return key if key[0].isalpha() else f"{prefix}{key}"[:64]


def _choice(text: str, known: Mapping[str, Any], what: str) -> Any:
    value = known.get(_key(text))
    if value is None:
        codes = ", ".join(sorted({str(v) for v in known.values()}))
        raise ValueError(f"unknown {what} {text.strip()[:40]!r}: expected one of {codes}")
    return value


def _date_cell(text: str) -> Any:
    import datetime  # noqa: PLC0415  (only lists with a continuation date need it)

    value = text.strip()[:10]
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    day, _, rest = value.partition(".")
    month, _, year = rest.partition(".")
    try:
        return datetime.date(int(year), int(month), int(day))  # dd.mm.yyyy, as in Norway
    except ValueError:
        raise ValueError(
            f"expected a date (YYYY-MM-DD or DD.MM.YYYY), got {text.strip()[:20]!r}"
        ) from None


def _deliverable_value(field: str, text: str) -> Any:
    if field == "kind":
        return _choice(text, _KINDS, "kind")
    if field == "status":
        return _choice(text, _DELIVERABLE_STATUSES, "status")
    if field == "phase":
        key = _identifier(text, "p")
        if not key:
            raise ValueError(f"expected a phase key, got {text.strip()[:40]!r}")
        return key
    if field == "continued_until":
        return _date_cell(text)
    return text.strip()


def _deliverable_row(
    row: Sequence[str],
    header: Sequence[str],
    fields: Sequence[str | None],
    line: int,
    defaults: Mapping[str, Any],
) -> tuple[Deliverable | None, list[Problem]]:
    data: dict[str, Any] = dict(defaults)
    problems: list[Problem] = []
    def where(index: int) -> str:
        return f"row {line}, column {_letter(index)} ({header[index].strip()[:40]})"

    refused = set()
    for index, (field, text) in enumerate(zip(fields, row, strict=False)):
        if field is None or not str(text).strip():
            continue
        try:
            data[field] = _deliverable_value(field, str(text))
        except ValueError as exc:
            refused.add(field)
            problems.append(Problem(path=where(index), message=str(exc)))
    for field in ("phase", "kind"):
        if field not in data and field not in refused:
            path = where(fields.index(field)) if field in fields else f"row {line}"
            message = f"no {field}: fill in the column, or give a default {field} (--{field})"
            problems.append(Problem(path=path, message=message))
    if problems:
        return None, problems
    data["id"] = _identifier(str(data.get("id", "")), "d") or f"d{line - 1}"
    unit = data.pop("continued_by", None)
    until = data.pop("continued_until", None)
    if unit is not None:
        data["continued_by"] = {"unit": unit, "until": until}
    elif until is not None:
        path = f"row {line}"
        return None, [Problem(path=path, message="a continuation date without who continued it")]
    try:
        return structure(data, Deliverable), []
    except Exception as exc:  # noqa: BLE001  (cattrs and attrs errors become one problem)
        return None, [Problem(path=f"row {line}", message=str(exc).splitlines()[-1][:200])]


def import_deliverables(
    path: str | Path,
    *,
    columns: Mapping[str, str] | None = None,
    phase: str | None = None,
    kind: DeliverableKind | str | None = None,
) -> DeliverableImport:
    """The deliverables in a spreadsheet: ``.csv`` (comma, semicolon or tab), or ``.xlsx``.

    ``columns`` adds or overrides column titles (lower case) → deliverable field, on top
    of :data:`DELIVERABLE_COLUMNS`. ``phase`` (a phase key) and ``kind`` fill rows whose
    list has no such column or an empty cell. A phase name is made a key: lower case,
    æ ø å folded, other signs ``_`` (``Gjennomføre`` becomes ``gjennomfore``).

    Every row is read: a value a deliverable cannot have is a problem naming its row and
    column, and that row is left out; the other rows are imported.

    Raises:
        InvalidInputError: If the file cannot be read, is too large, has no title column,
            or ``kind`` is not a deliverable kind.
    """
    rows = _read_rows(path)
    mapping = {**DELIVERABLE_COLUMNS, **{_key(k): v for k, v in (columns or {}).items()}}
    if not rows:
        raise InvalidInputError("the file has no header row", what="file")
    header = [str(title) for title in rows[0]]
    fields = [mapping.get(_key(title)) for title in header]
    if "title" not in fields:
        raise InvalidInputError(
            "no title column: name one 'Tittel', 'Leveranse' or 'Title'", what="columns"
        )
    defaults: dict[str, Any] = {}
    if phase:
        defaults["phase"] = _identifier(phase, "p")
    if kind:
        try:
            defaults["kind"] = _choice(str(kind), _KINDS, "kind")
        except ValueError as exc:
            raise InvalidInputError(str(exc), what="kind") from None
    deliverables: list[Deliverable] = []
    problems: list[Problem] = []
    title = fields.index("title")
    for line, row in enumerate(rows[1:], start=2):
        if len(row) <= title or not str(row[title]).strip():
            continue
        deliverable, found = _deliverable_row(row, header, fields, line, defaults)
        problems.extend(found)
        if deliverable is not None:
            deliverables.append(deliverable)
    return DeliverableImport(deliverables=tuple(deliverables), problems=tuple(problems))


def deliverables_toml(deliverables: Iterable[Deliverable]) -> str:
    """The deliverables as a TOML fragment (``[[deliverables]]`` tables) for a document."""
    import tomli_w  # noqa: PLC0415  (lazy import)

    return tomli_w.dumps({"deliverables": [unstructure(d) for d in deliverables]})
