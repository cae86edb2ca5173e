"""Importing a deliverables list from a spreadsheet (CSV, and XLSX with the xlsx extra)."""

from __future__ import annotations

import datetime
import tomllib
from pathlib import Path
from typing import ClassVar

import pytest

from samskaping._cli import main
from samskaping._errors import InvalidInputError
from samskaping.io import deliverables_toml, import_deliverables, structure
from samskaping.model import Deliverable, DeliverableKind, DeliverableStatus

#: Prosjektportalen's Prosjektleveranser list as exported to Excel, with a Type column.
HEADER = [
    "Tittel",
    "Leveransebeskrivelse",
    "Fase",
    "Type",
    "Leveransestatus",
    "Kommentar, leveransestatus",
    "Starttidspunkt",
]
ROWS = [
    ["Innbyggerbasen", "Et møtested", "Gjennomføre", "Arbeidsmodell", "Videreført", "", ""],
    ["Sluttrapport", "", "Avslutte", "Rapport", "Levert", "Godkjent av styret", "01.03.2024"],
    ["", "", "", "", "", "", ""],
]


def _csv(tmp_path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    path = tmp_path / "leveranser.csv"
    path.write_text("\n".join(";".join(r) for r in [header, *rows]) + "\n", "utf-8")
    return path


class TestCsv:
    """A semicolon-separated list, as Excel writes it in Norway."""

    def test_rows_become_deliverables(self, tmp_path):
        """Each row with a title is one deliverable; the empty row is skipped."""
        assert 2 == len(import_deliverables(_csv(tmp_path, ROWS)).deliverables)

    def test_a_clean_list_has_no_problems(self, tmp_path):
        """A list whose every value is valid gives no problems."""
        assert () == import_deliverables(_csv(tmp_path, ROWS)).problems

    def test_prosjektportalen_columns_are_read(self, tmp_path):
        """Tittel, Leveransebeskrivelse and the status comment fill their fields."""
        second = import_deliverables(_csv(tmp_path, ROWS)).deliverables[1]
        assert "Sluttrapport" == second.title
        assert "Godkjent av styret" == second.note

    def test_phase_names_become_keys(self, tmp_path):
        """A phase name is folded to a key: Gjennomføre becomes gjennomfore."""
        first = import_deliverables(_csv(tmp_path, ROWS)).deliverables[0]
        assert "gjennomfore" == first.phase

    def test_norwegian_kinds_and_statuses_are_mapped(self, tmp_path):
        """Arbeidsmodell/Videreført are working_model/continued."""
        first = import_deliverables(_csv(tmp_path, ROWS)).deliverables[0]
        assert DeliverableKind.WORKING_MODEL == first.kind
        assert DeliverableStatus.CONTINUED == first.status

    def test_rows_are_numbered_as_identifiers(self, tmp_path):
        """Without an id column, rows are numbered d1, d2, ..."""
        found = import_deliverables(_csv(tmp_path, ROWS)).deliverables
        assert ["d1", "d2"] == [d.id for d in found]

    def test_comma_in_a_title_does_not_split_the_header(self, tmp_path):
        """The title "Kommentar, leveransestatus" stays one column of a semicolon file."""
        found = import_deliverables(_csv(tmp_path, ROWS)).deliverables
        assert "Godkjent av styret" == found[1].note

    def test_continuation_is_read(self, tmp_path):
        """Videreført av and Videreført til (DD.MM.YYYY) become the continuation."""
        header = ["Tittel", "Fase", "Type", "Videreført av", "Videreført til"]
        rows = [["Babytreff", "drift", "arbeidsmodell", "Helsestasjonen", "31.12.2025"]]
        found = import_deliverables(_csv(tmp_path, rows, header)).deliverables[0]
        assert found.continued_by is not None
        assert "Helsestasjonen" == found.continued_by.unit
        assert datetime.date(2025, 12, 31) == found.continued_by.until


class TestDefaults:
    """``phase`` and ``kind`` fill what a list does not say."""

    HEADER: ClassVar = ["Tittel", "Leveransestatus"]

    def test_defaults_fill_missing_columns(self, tmp_path):
        """A list with neither Fase nor Type is read with defaults."""
        path = _csv(tmp_path, [["Veikart", "levert"]], self.HEADER)
        found = import_deliverables(path, phase="Planlegge", kind="forslag").deliverables[0]
        assert "planlegge" == found.phase
        assert DeliverableKind.PROPOSAL == found.kind

    def test_missing_phase_and_kind_are_problems(self, tmp_path):
        """Without a phase or kind for a row, each is a problem naming the row."""
        found = import_deliverables(_csv(tmp_path, [["Veikart", "levert"]], self.HEADER))
        assert ["row 2", "row 2"] == [p.path for p in found.problems]

    def test_an_unknown_default_kind_is_refused(self, tmp_path):
        """A default kind that is not a deliverable kind is bad input."""
        with pytest.raises(InvalidInputError, match="unknown kind"):
            import_deliverables(_csv(tmp_path, ROWS), kind="plakat")


class TestProblems:
    """Every bad value is reported with its row and column, and the rest imported."""

    ROWS: ClassVar = [
        ["A", "", "Gjennomføre", "Rapport", "Tull", "", ""],
        ["B", "", "Gjennomføre", "Plakat", "Levert", "", ""],
        ["C", "", "Gjennomføre", "Rapport", "Levert", "", ""],
    ]

    def test_every_problem_is_reported(self, tmp_path):
        """Two bad rows give two problems, each with its row and column."""
        found = import_deliverables(_csv(tmp_path, self.ROWS))
        assert ["row 2, column E (Leveransestatus)", "row 3, column D (Type)"] == [
            p.path for p in found.problems
        ]

    def test_the_good_rows_are_kept(self, tmp_path):
        """The row without problems is imported."""
        found = import_deliverables(_csv(tmp_path, self.ROWS))
        assert ["C"] == [d.title for d in found.deliverables]

    def test_the_problem_names_what_is_allowed(self, tmp_path):
        """An unknown status lists the statuses a deliverable can have."""
        found = import_deliverables(_csv(tmp_path, self.ROWS))
        assert "expected one of continued, delivered" in found.problems[0].message

    def test_a_list_without_a_title_column_is_refused(self, tmp_path):
        """Without a title column there is nothing to import."""
        path = tmp_path / "x.csv"
        path.write_text("a;b\n1;2\n", "utf-8")
        with pytest.raises(InvalidInputError, match="no title column"):
            import_deliverables(path)


def test_toml_round_trips(tmp_path):
    """The TOML written reads back as the same deliverables."""
    found = import_deliverables(_csv(tmp_path, ROWS)).deliverables
    data = tomllib.loads(deliverables_toml(found))
    assert found == tuple(structure(d, Deliverable) for d in data["deliverables"])


def test_xlsx_is_read(tmp_path):
    """An Excel workbook (first sheet) is read like a CSV file, dates and all."""
    openpyxl = pytest.importorskip("openpyxl", reason="the optional xlsx extra is not installed")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([*HEADER, "Videreført av", "Videreført til"])
    sheet.append(  # Excel cells hold dates as naive datetimes
        ["Møtested", None, "Gjennomføre", "arbeidsmodell", "videreført i drift", None,
         datetime.datetime(2022, 1, 1), "Bydelen", datetime.datetime(2025, 6, 30)]  # noqa: DTZ001
    )  # fmt: skip
    path = tmp_path / "leveranser.xlsx"
    book.save(path)
    found = import_deliverables(path).deliverables[0]
    assert found.continued_by is not None
    assert "Møtested" == found.title
    assert DeliverableStatus.CONTINUED == found.status
    assert datetime.date(2025, 6, 30) == found.continued_by.until


class TestCommandLine:
    """``samskaping import deliverables``: exit codes 0, 1 and 2."""

    def test_a_clean_list_exits_0(self, tmp_path):
        """Every row imported: exit 0 and the TOML written."""
        out = tmp_path / "leveranser.toml"
        code = main(["import", "deliverables", str(_csv(tmp_path, ROWS)), "-o", str(out)])
        assert 0 == code
        assert 2 == len(tomllib.loads(out.read_text("utf-8"))["deliverables"])

    def test_refused_rows_exit_1(self, tmp_path, capsys):
        """Some rows refused: exit 1, one line per problem on standard error."""
        code = main(["import", "deliverables", str(_csv(tmp_path, TestProblems.ROWS))])
        err = capsys.readouterr().err.strip().splitlines()
        assert 1 == code
        assert 2 == len(err)

    def test_refused_rows_name_row_and_column(self, tmp_path, capsys):
        """Each problem line names its row and column."""
        main(["import", "deliverables", str(_csv(tmp_path, TestProblems.ROWS))])
        assert "row 2, column E (Leveransestatus)" in capsys.readouterr().err

    def test_defaults_from_the_command_line(self, tmp_path, capsys):
        """--phase and --kind fill a list with neither column."""
        path = _csv(tmp_path, [["Veikart", "levert"]], ["Tittel", "Status"])
        code = main(["import", "deliverables", str(path), "--phase", "planlegge", "--kind",
                     "forslag"])  # fmt: skip
        data = tomllib.loads(capsys.readouterr().out)
        assert 0 == code
        assert "proposal" == data["deliverables"][0]["kind"]

    def test_a_missing_file_exits_2(self, tmp_path, capsys):
        """A missing file is bad input: exit 2 and one line, no traceback."""
        code = main(["import", "deliverables", str(tmp_path / "missing.csv")])
        assert 2 == code
        assert 1 == len(capsys.readouterr().err.strip().splitlines())
