"""Hostile command lines (tests/corpus/cli) and hostile loadable documents (tests/corpus/render).

The command line's contract: every refused input ends with exit code 2 and exactly one
line on standard error, never a traceback. Every document that loads renders in every
format, with its text escaped for that format.
"""

from __future__ import annotations

import io
import json
import os
import tomllib
from pathlib import Path

import pytest

import samskaping
from samskaping._cli import main
from samskaping.report import compose, render_report, report_data

HERE = Path(__file__).parent
CLI_CASES = tomllib.loads((HERE / "corpus" / "cli" / "cases.toml").read_text(encoding="utf-8"))
RENDER = HERE / "corpus" / "render"
RENDER_CASES = tomllib.loads((RENDER / "expected.toml").read_text(encoding="utf-8"))

REQUEST = """
id = "r1"
amount = 12000
purpose = "holiday"
[household]
ref = "hh-secret-77"
attributes = { youth_age = 19, in_contact_with_services = true }
"""
COHORT = 'id = "ti"\n[[members]]\nref = "fam-01"\nchildren = [{}, {}]\n'
POPULATION = "id,type,children,in_cohort\na,single_parent,4,true\nb,couple,2,true\n"


@pytest.fixture(scope="module")
def placeholders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The files the CLI cases name in braces."""
    root = tmp_path_factory.mktemp("cli-corpus")
    texts = {
        "doc": '{"id": "p", "name": "Prosjekt"}',
        "surrogate": '{"id": "p", "name": "\\ud800"}',
        "overflow": '{"id": "p", "name": "x", "budget": {"frame": 1e999999999}}',
        "longkey": '{"id": "p", "name": "x", "' + "k" * 2_000_000 + '": 1}',
        "emptyfile": "",
        "bigsum": json.dumps(
            {
                "id": "p",
                "name": "x",
                "budget": {
                    "frame": 1000,
                    "costs": [{"year": 2024, "amount": 900_000_000_000_000}] * 2,
                },
            }
        ),
        "year9999": (RENDER / "date_year_9999.json").read_text(encoding="utf-8"),
        "markup": (RENDER / "rich_link.json").read_text(encoding="utf-8"),
        "badscale": '{"id": "p", "name": "x", "risk_scale": "nope"}',
    }
    paths = {}
    for name, text in texts.items():
        path = root / f"{name}.json"
        path.write_text(text, encoding="utf-8")
        paths[name] = str(path)
    for name, suffix, text in (
        ("request", "toml", REQUEST),
        ("cohort", "toml", COHORT),
        ("csv", "csv", POPULATION),
        ("bigcsv", "csv", "id,children\nh1," + "1" * 200_000 + "\n"),
    ):
        path = root / f"{name}.{suffix}"
        path.write_text(text, encoding="utf-8")
        paths[name] = str(path)
    latin1 = root / "latin1.json"
    latin1.write_bytes('{"id": "p", "name": "Bærum"}'.encode("latin-1"))
    paths["latin1"] = str(latin1)
    fifo = root / "fifo"
    os.mkfifo(fifo)
    paths["fifo"] = str(fifo)
    folder = root / "folder"
    folder.mkdir()
    paths["dir"] = str(folder)
    paths["missing"] = str(root / "missing")
    paths["long"] = "x" * 100_000
    return paths


def _argv(argv: list[str], places: dict[str, str]) -> list[str]:
    out = []
    for item in argv:
        text = item
        for name, value in places.items():
            text = text.replace(f"{{{name}}}", value)
        out.append(text)
    return out


class TestCliCorpus:
    """Each hostile command line in tests/corpus/cli gives its exit code and one clear line."""

    def test_corpus_is_large_enough(self):
        """The CLI corpus holds at least 100 cases."""
        assert len(CLI_CASES) >= 100

    @pytest.mark.parametrize("name", sorted(CLI_CASES))
    def test_case(self, name, placeholders, capsys, monkeypatch):
        """Exit code as stated; a refused input gives exactly one line and no traceback."""
        monkeypatch.delenv("SAMSKAPING_DEBUG", raising=False)
        case = CLI_CASES[name]
        code = main(_argv(case["argv"], placeholders))
        err = capsys.readouterr().err
        assert case["exit"] == code, err[:500]
        assert "Traceback" not in err, err[:500]
        assert "internal error" not in err, err[:500]
        assert case["message"] in err, err[:500]
        if code == 2:
            assert 1 == len(err.splitlines()), err[:500]
            assert len(err) < 500, err[:500]


class TestRenderCorpus:
    """Each loadable hostile document in tests/corpus/render renders safely in every format."""

    def test_corpus_matches_expectations(self):
        """Every file in the render corpus has an expectation, and the reverse."""
        files = sorted(p.name for p in RENDER.iterdir() if p.name != "expected.toml")
        assert sorted(RENDER_CASES) == files

    @pytest.mark.parametrize("name", sorted(RENDER_CASES))
    def test_every_format(self, name):
        """Text, Markdown, JSON and HTML render; text and Markdown hold no control character."""
        document = samskaping.load(RENDER / name)
        text = render_report(document, format="text")
        markdown = render_report(document, format="markdown")
        json.loads(render_report(document, format="json"))
        html = render_report(document, format="html")
        controls = [c for c in text + markdown if (ord(c) < 32 and c != "\n") or c == "\x7f"]
        assert [] == controls
        assert [] == [line for line in markdown.splitlines() if "<script" in line or "<img" in line]
        assert "<script" not in html

    @pytest.mark.parametrize("name", sorted(RENDER_CASES))
    def test_rich(self, name):
        """The colour terminal report renders, with no hyperlink and no markup from the data."""
        from rich.console import Console

        from samskaping.report._rich import render_rich

        buffer = io.StringIO()
        console = Console(file=buffer, force_terminal=True, color_system="truecolor", width=100)
        render_rich(compose(report_data(samskaping.load(RENDER / name))), console)
        out = buffer.getvalue()
        assert "\x1b]8;" not in out
        assert "\x07" not in out
