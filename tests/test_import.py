"""Importing a risk register from a spreadsheet (CSV, and XLSX with the xlsx extra)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from samskaping._cli import main
from samskaping._errors import InvalidInputError
from samskaping.io import import_risks, risks_toml, structure
from samskaping.model import Risk, RiskStatus

HEADER = ["Nr", "Tittel", "Sannsynlighet", "Konsekvens", "Tiltak", "Status", "Ukjent"]
ROWS = [
    ["1", "Lav deltakelse", "3", "4", "Oppsøkende arbeid", "Åpen", "x"],
    ["2", "Manglende finansiering", "2", "5", "", "lukket", "y"],
    ["", "", "", "", "", "", ""],
]


def _csv(tmp_path: Path, rows: list[list[str]], delimiter: str = ";") -> Path:
    path = tmp_path / "register.csv"
    path.write_text("\n".join(delimiter.join(r) for r in [HEADER, *rows]) + "\n", "utf-8")
    return path


def test_csv_rows_become_risks(tmp_path):
    """Each row with a title is one risk; the empty row is skipped."""
    assert 2 == len(import_risks(_csv(tmp_path, ROWS)))


def test_grades_are_read(tmp_path):
    """Sannsynlighet and Konsekvens become the probability and consequence grades."""
    risk = import_risks(_csv(tmp_path, ROWS))[0]
    assert 3 == risk.probability
    assert 4 == risk.consequence


def test_norwegian_status_is_mapped(tmp_path):
    """'lukket' is the status closed."""
    assert RiskStatus.CLOSED == import_risks(_csv(tmp_path, ROWS))[1].status


def test_mitigation_column_becomes_a_mitigation(tmp_path):
    """The Tiltak column becomes one mitigation with that description."""
    risk = import_risks(_csv(tmp_path, ROWS))[0]
    assert ("Oppsøkende arbeid",) == tuple(m.description for m in risk.mitigations)


def test_row_number_becomes_an_identifier(tmp_path):
    """A numeric Nr becomes an identifier starting with a letter."""
    assert "r1" == import_risks(_csv(tmp_path, ROWS))[0].id


def test_comma_separated_files_are_read(tmp_path):
    """The delimiter is found: commas work as well as semicolons."""
    assert 2 == len(import_risks(_csv(tmp_path, ROWS, delimiter=",")))


def test_a_bad_grade_names_its_row(tmp_path):
    """A grade that is not a whole number from 1 is refused, naming the row."""
    rows = [["1", "Lav deltakelse", "høy", "4", "", "", ""]]
    with pytest.raises(InvalidInputError, match="row 2"):
        import_risks(_csv(tmp_path, rows))


def test_a_file_without_a_title_column_is_refused(tmp_path):
    """Without a title column there is nothing to import."""
    path = tmp_path / "x.csv"
    path.write_text("a;b\n1;2\n", "utf-8")
    with pytest.raises(InvalidInputError, match="no title column"):
        import_risks(path)


def test_custom_columns_extend_the_mapping(tmp_path):
    """``columns`` maps a register's own titles to risk fields."""
    path = tmp_path / "x.csv"
    path.write_text("Hendelse;S\nFlom;2\n", "utf-8")
    risk = import_risks(path, columns={"Hendelse": "title", "S": "probability"})[0]
    assert risk.title == "Flom"
    assert risk.probability == 2


def test_unsupported_file_type_is_refused(tmp_path):
    """Only .csv and .xlsx are read."""
    path = tmp_path / "x.ods"
    path.write_bytes(b"")
    with pytest.raises(InvalidInputError, match="unsupported file type"):
        import_risks(path)


def test_toml_round_trips(tmp_path):
    """The TOML written reads back as the same risks."""
    risks = import_risks(_csv(tmp_path, ROWS))
    data = tomllib.loads(risks_toml(risks))
    assert risks == tuple(structure(r, Risk) for r in data["risks"])


def test_xlsx_is_read(tmp_path):
    """An Excel workbook (first sheet) is read like a CSV file."""
    openpyxl = pytest.importorskip("openpyxl", reason="the optional xlsx extra is not installed")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["1", "Lav deltakelse", 3, 4, "Oppsøkende arbeid", "Åpen", None])
    path = tmp_path / "register.xlsx"
    book.save(path)
    risk = import_risks(path)[0]
    assert "Lav deltakelse" == risk.title
    assert 3 == risk.probability
    assert 4 == risk.consequence


def test_cli_writes_toml(tmp_path):
    """`samskaping import risks FILE -o OUT.toml` writes the risks and exits 0."""
    out = tmp_path / "risks.toml"
    code = main(["import", "risks", str(_csv(tmp_path, ROWS)), "-o", str(out)])
    assert 0 == code
    assert 2 == len(tomllib.loads(out.read_text("utf-8"))["risks"])


def test_cli_bad_file_exits_2(tmp_path, capsys):
    """A missing file is bad input: exit code 2 and one line, no traceback."""
    code = main(["import", "risks", str(tmp_path / "missing.csv")])
    assert 2 == code
    assert 1 == len(capsys.readouterr().err.strip().splitlines())
