"""The report: every example in every format and language, the JSON schema, the HTML page."""

from __future__ import annotations

import datetime
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

import samskaping
from samskaping._cli import main
from samskaping.examples import names
from samskaping.l10n import LANGS
from samskaping.report import FORMATS, render_report, report_schema

AS_OF = datetime.date(2024, 6, 30)


class _Collector(HTMLParser):
    """Collects tags, the lang attribute, and any external references."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.lang: str | None = None
        self.external: list[str] = []
        self.svg: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang")
        for name in ("src", "href"):
            ref = values.get(name)
            if ref and not ref.startswith("#"):
                self.external.append(ref)


def report(name: str, fmt: str = "text", lang: str = "nb") -> str:
    """The report on an embedded example."""
    return render_report(samskaping.load_example(name), format=fmt, lang=lang, as_of=AS_OF)


class TestEveryExample:
    """Each example renders in each format and language."""

    @pytest.mark.parametrize("lang", LANGS)
    @pytest.mark.parametrize("fmt", FORMATS)
    @pytest.mark.parametrize("name", names())
    def test_renders(self, name, fmt, lang):
        """The report is non-empty and names the project."""
        text = report(name, fmt, lang)
        assert samskaping.load_example(name).name in text


class TestLanguages:
    """Section titles follow --lang."""

    @pytest.mark.parametrize(
        ("lang", "title"),
        [
            ("nb", "Faser og beslutningspunkter"),
            ("nn", "Fasar og avgjerdspunkt"),
            ("en", "Phases and gates"),
        ],
    )
    def test_section_title(self, lang, title):
        """The timeline section is titled in the report's language."""
        assert title in report("innbyggerbasen", "text", lang)

    def test_amounts_are_localised(self):
        """Stovner's frame is written the Bokmål way, with no-break spaces."""
        assert "6\u00a0278\u00a0000,00\u00a0kr" in report("innbyggerbasen", "text", "nb")


class TestJson:
    """The JSON shape for services."""

    @pytest.mark.parametrize("name", names())
    def test_validates_against_published_schema(self, name):
        """The JSON report validates against report_schema()."""
        jsonschema = pytest.importorskip("jsonschema")
        jsonschema.validate(json.loads(report(name, "json")), report_schema())

    def test_is_versioned(self):
        """The shape carries its schema_version and the date it is made for."""
        data = json.loads(report("innbyggerbasen", "json"))
        assert 1 == data["schema_version"]
        assert "2024-06-30" == data["as_of"]

    def test_amounts_are_exact_strings(self):
        """Amounts are decimal strings, never floats."""
        data = json.loads(report("innbyggerbasen", "json"))
        assert "6278000.00" == data["budget"]["frame"]


class TestHtml:
    """One self-contained page."""

    @pytest.fixture(name="page")
    def _page(self):
        collector = _Collector()
        text = report("innbyggernes_modell", "html", "nn")
        collector.feed(text)
        return collector, text

    def test_lang_attribute(self, page):
        """The html element carries the report's language."""
        assert "nn" == page[0].lang

    def test_no_external_resources(self, page):
        """No script, stylesheet link or image is fetched: everything is inline."""
        collector, _ = page
        found = (collector.external, "script" in collector.tags, "link" in collector.tags)
        assert ([], False, False) == found

    def test_tables_have_headers(self, page):
        """Tables use thead and th cells."""
        collector, _ = page
        assert {"table", "thead", "th"} <= set(collector.tags)

    def test_print_styles(self, page):
        """The inline style sheet has print rules."""
        assert "@media print" in page[1]

    def test_charts_are_well_formed_svg(self, page):
        """Every inline SVG parses as XML."""
        _, text = page
        pieces = [p.split("</svg>")[0] + "</svg>" for p in text.split("<svg")[1:]]
        assert pieces
        for piece in pieces:
            ET.fromstring("<svg" + piece)  # noqa: S314  (our own output, not untrusted input)


class TestCommand:
    """`samskaping report`."""

    def test_no_arguments_reports_on_innbyggerbasen(self, capsys):
        """With no arguments the report is on the embedded Stovner example, in Bokmål."""
        assert 0 == main(["report", "--as-of", "2024-06-30"])
        out = capsys.readouterr().out
        assert "Prosjekt Innbyggerbasen" in out
        assert "Sammendrag" in out

    def test_writes_to_a_file(self, tmp_path, capsys):
        """-o writes the report to a file and prints nothing."""
        target = tmp_path / "r.html"
        assert 0 == main(["report", "--example", "borgen", "--format", "html", "-o", str(target)])
        page = target.read_text(encoding="utf-8")
        assert "" == capsys.readouterr().out
        assert page.startswith("<!DOCTYPE html>")

    def test_bad_date_is_a_usage_error(self, capsys):
        """--as-of must be a date: exit code 2 (returned, not raised)."""
        code = main(["report", "--as-of", "tomorrow"])
        capsys.readouterr()
        assert 2 == code


class TestColourTerminal:
    """With the optional `cli` extra, the terminal report is drawn in colour."""

    def test_rich_draws_the_heat_map_in_colour(self):
        """The risk heat map cells carry their band colours as background styles."""
        rich = pytest.importorskip("rich.console")
        import attrs

        from samskaping.model import Risk
        from samskaping.report import compose, report_data
        from samskaping.report._rich import render_rich

        project = samskaping.load_example("innbyggerbasen")
        risk = Risk(id="x", title="Testrisiko", probability=4, consequence=3)
        project = attrs.evolve(project, risks=(*project.risks, risk))
        console = rich.Console(
            record=True, width=120, force_terminal=True, color_system="truecolor"
        )
        render_rich(compose(report_data(project, lang="en", as_of=AS_OF)), console)
        styled = console.export_text(styles=True)
        assert "Risk matrix before mitigation" in styled
        assert "\x1b[" in styled

    def test_plain_flag_gives_plain_text(self, capsys):
        """--plain never colours, whatever the terminal."""
        assert 0 == main(["report", "--plain", "--as-of", "2024-06-30"])
        assert "\x1b[" not in capsys.readouterr().out


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
@pytest.mark.parametrize("example", ["innbyggerbasen", "innbyggernes_modell", "borgen"])
def test_no_unfilled_placeholder_in_the_report(example, lang):
    """No label is shown with an unfilled ``{placeholder}`` (e.g. a column header)."""
    text = render_report(samskaping.load_example(example), format="text", lang=lang)
    assert [] == re.findall(r"\{[a-z_]+(?::[^}]*)?\}", text)


class TestScenarios:
    """Trondheim's four scenarios to 2040 and table 17 are in the report."""

    @pytest.mark.parametrize("lang", ["nb", "en"])
    def test_shows_the_four_scenario_titles(self, lang):
        """Each of the four scenarios' titles is in the report."""
        scenarios = samskaping.load_example("innbyggernes_modell").assessments.scenarios
        text = report("innbyggernes_modell", "markdown", lang)
        assert [s.title in text for s in scenarios.scenarios] == [True] * 4

    @pytest.mark.parametrize("lang", ["nb", "en"])
    def test_marks_the_preferred_scenario(self, lang):
        """The fourth scenario, the preferred one (002:3264), is marked as such."""
        scenarios = samskaping.load_example("innbyggernes_modell").assessments.scenarios
        text = report("innbyggernes_modell", "markdown", lang)
        preferred = {"nb": "(det foretrukne fremtidsbildet)", "en": "(the preferred future)"}
        assert f"{scenarios.scenarios[3].title} {preferred[lang]}" in text

    @pytest.mark.parametrize("lang", ["nb", "en"])
    def test_shows_the_factors_of_table_17(self, lang):
        """Each factor of table 17 is in the report with its source reference."""
        scenarios = samskaping.load_example("innbyggernes_modell").assessments.scenarios
        text = report("innbyggernes_modell", "markdown", lang)
        shown = [f.name in text and str(f.source) in text for f in scenarios.factors]
        assert shown == [True] * 7
