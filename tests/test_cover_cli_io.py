"""The command line's standard streams: input from ``-``, a closed or failing output, a terminal."""

from __future__ import annotations

import io
import sys

import pytest

from samskaping._cli import main

DOCUMENT = b'{"id": "p", "name": "Fra standard inn"}'


class _Terminal(io.StringIO):
    """A captured standard output that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class _Full(io.StringIO):
    """A standard output on a full disk."""

    def write(self, text: str) -> int:
        del text
        raise OSError(28, "No space left on device")

    def flush(self) -> None:
        raise OSError(28, "No space left on device")


class _Ascii(io.StringIO):
    """A standard output that can only show ASCII."""

    def write(self, text: str) -> int:
        text.encode("ascii")
        return super().write(text)


def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_json_document_from_standard_input(monkeypatch, capsys):
    """``validate -`` reads a JSON document from standard input."""
    _stdin(monkeypatch, DOCUMENT)
    main(["validate", "-", "--lang", "en"])
    assert "roles.project_owner" in capsys.readouterr().out


def test_toml_document_from_standard_input(monkeypatch, capsys):
    """Input that does not start with ``{`` is read as TOML."""
    _stdin(monkeypatch, b'id = "p"\nname = "Fra standard inn"\n')
    main(["validate", "-", "--lang", "en"])
    assert "roles.project_owner" in capsys.readouterr().out


def test_closed_standard_input(monkeypatch, capsys):
    """A closed standard input is bad input: exit 2 with one line."""
    monkeypatch.setattr(sys, "stdin", None)
    assert 2 == main(["validate", "-"])
    assert "standard input" in capsys.readouterr().err


def test_closed_standard_output(monkeypatch, capsys):
    """With standard output closed, a command exits 2 and says so on standard error."""
    monkeypatch.setattr(sys, "stdout", None)
    assert 2 == main(["examples", "list"])
    assert "standard output" in capsys.readouterr().err


def test_full_standard_output(monkeypatch, capsys):
    """A full disk behind standard output is exit 2, naming standard output."""
    monkeypatch.setattr(sys, "stdout", _Full())
    assert 2 == main(["examples", "list"])
    assert "No space left on device" in capsys.readouterr().err


def test_standard_output_that_cannot_show_the_text(monkeypatch, capsys):
    """An output encoding that cannot show Norwegian letters is exit 2, with the fix."""
    monkeypatch.setattr(sys, "stdout", _Ascii())
    assert 2 == main(["validate", "--example", "borgen"])
    assert "PYTHONIOENCODING=utf-8" in capsys.readouterr().err


def test_report_in_colour_on_a_terminal(monkeypatch):
    """On a terminal, with rich installed, the text report is drawn with rich."""
    pytest.importorskip("rich", reason="the cli extra is not installed")
    monkeypatch.delenv("NO_COLOR", raising=False)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    assert 0 == main(["report", "--example", "borgen", "--lang", "en"])
    assert "Borgen" in terminal.getvalue()


def test_no_colour_when_asked(monkeypatch):
    """``NO_COLOR`` keeps the plain text report, even on a terminal."""
    monkeypatch.setenv("NO_COLOR", "1")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    main(["report", "--example", "borgen", "--lang", "en"])
    assert "\x1b[" not in terminal.getvalue()


def test_a_pdf_is_not_written_to_a_terminal(monkeypatch, capsys):
    """``--format pdf`` without ``-o`` on a terminal is refused: exit 2."""
    monkeypatch.setattr(sys, "stdout", _Terminal())
    assert 2 == main(["report", "--example", "borgen", "--format", "pdf"])
    assert "not for the terminal" in capsys.readouterr().err
