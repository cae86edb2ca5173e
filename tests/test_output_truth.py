"""Every output of every example and policy tells the truth in the reader's language.

One walk over the report (text, Markdown, HTML, JSON, PDF), the CLI's text and the payout
traces of every embedded example and built-in policy checks that:

- no value that is not from a source appears without its marker;
- nothing cites a source line where the data has none;
- no raw code (an enum value such as ``strategic_anchoring`` or ``unknown``) reaches a
  reader of text, Markdown, HTML or PDF;
- no English sentence appears in Bokmål or Nynorsk output.
"""

from __future__ import annotations

import datetime
import enum
import functools
import io
import json
import re
from collections.abc import Iterator
from typing import ClassVar

import pytest

import samskaping
from samskaping import model, payouts, scoring
from samskaping._cli import main
from samskaping.examples import load_example, names
from samskaping.l10n import enum_label
from samskaping.report import render_pdf, render_report, render_trace

LANGS = ("nb", "nn", "en")
READER_FORMATS = ("text", "markdown", "html")

#: English function words; three or more in one sentence make it English.
_ENGLISH = frozenset(
    [
        "the",
        "and",
        "of",
        "is",
        "are",
        "was",
        "were",
        "with",
        "which",
        "not",
        "for",
        "from",
        "that",
        "this",
        "have",
        "has",
        "be",
        "by",
    ]
)
#: The markers of values not from a source, in each language.
MARKERS = {
    lang: tuple(enum_label(b, lang) for b in model.Basis if b is not model.Basis.SOURCE)
    for lang in LANGS
}


@functools.cache
def report(name: str, lang: str, fmt: str) -> str:
    """The report on an embedded example."""
    return render_report(load_example(name), format=fmt, lang=lang)  # type: ignore[arg-type]


def readable(text: str, fmt: str) -> str:
    """What a reader sees: HTML without its tags, style and script."""
    if fmt != "html":
        return text
    text = re.sub(r"<(style|script)\b.*?</\1>", " ", text, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", text)


def _enum_codes() -> frozenset[str]:
    codes: set[str] = set()
    for module in (model, payouts, scoring):
        for name in dir(module):
            value = getattr(module, name)
            if isinstance(value, type) and issubclass(value, enum.StrEnum):
                codes.update(m.value for m in value if "_" in m.value)
    return frozenset(codes)


#: The policies decided one request at a time (collective ones decide proposals).
SINGLE = sorted(
    name
    for name in payouts.builtin_policy_names()
    if payouts.load_policy(name).payment_type is not model.PaymentType.COLLECTIVE
)

CODES = _enum_codes() | {"unknown"}
_CODE = re.compile(r"(?<![\w.$/#-])(" + "|".join(sorted(map(re.escape, CODES))) + r")(?![\w-])")


def english_sentences(text: str) -> list[str]:
    """The sentences of ``text`` that read as English."""
    found = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
        words = set(re.findall(r"[a-z']+", sentence.lower()))
        if len(words & _ENGLISH) >= 3:
            found.append(sentence.strip()[:120])
    return found


def _basis_items(data: object) -> Iterator[dict[str, object]]:
    if isinstance(data, dict):
        if data.get("basis") in ("design", "assumed"):
            yield data
        for value in data.values():
            yield from _basis_items(value)
    elif isinstance(data, list):
        for value in data:
            yield from _basis_items(value)


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The standard output of one command."""
    main(list(argv))
    return capsys.readouterr().out


def policy_trace(policy_id: str, lang: str) -> tuple[str, list[dict[str, object]]]:
    """A traced decision under a built-in policy, as text and as JSON steps."""
    policy = payouts.load_policy(policy_id)
    attributes = {
        name.removeprefix("household."): _sample(decl.type)
        for decl in policy.inputs
        for name in [decl.name]
        if name.startswith("household.")
    }
    request = payouts.Request(
        id="r1",
        amount=samskaping.Money(5000),
        purpose=policy.purposes[0].code if policy.purposes else None,
        household=payouts.Household(ref="h", children=2, attributes=attributes),
    )
    pot = policy.pot or samskaping.Pot(id="p", total=samskaping.Money(1_000_000))
    day = pot.valid_from or datetime.date(2022, 6, 15)
    day = max(day, datetime.date(2022, 6, 15)) if pot.valid_to is None else day
    decision, _ = payouts.evaluate(policy, request, pot, day, trace=True)
    assert decision.trace is not None
    return render_trace(decision.trace, lang, policy), decision.trace.to_dict()


def _sample(kind: object) -> object:
    value = getattr(kind, "value", kind)
    return {"bool": True, "int": 19, "money": 0, "decimal": 1, "str": "x"}.get(str(value), True)


class TestReports:
    """The report of every example, in every language and format."""

    @pytest.mark.parametrize("fmt", READER_FORMATS)
    @pytest.mark.parametrize("lang", LANGS)
    @pytest.mark.parametrize("name", names())
    def test_no_raw_code(self, name, lang, fmt):
        """No enum code (``strategic_anchoring``, ``project_group``, ``unknown``) is shown."""
        text = readable(report(name, lang, fmt), fmt)
        found = set(_CODE.findall(text))
        if lang == "en":  # "unknown" is also an English word
            found.discard("unknown")
        assert [] == sorted(found)

    @pytest.mark.parametrize("fmt", READER_FORMATS)
    @pytest.mark.parametrize("lang", ["nb", "nn"])
    @pytest.mark.parametrize("name", names())
    def test_no_english_sentence(self, name, lang, fmt):
        """A Bokmål or Nynorsk report has no English sentence."""
        assert [] == english_sentences(readable(report(name, lang, fmt), fmt))

    @pytest.mark.parametrize("fmt", READER_FORMATS)
    @pytest.mark.parametrize("lang", LANGS)
    @pytest.mark.parametrize("name", names())
    def test_every_non_source_value_is_marked(self, name, lang, fmt):
        """Each value the JSON says is not from a source carries a marker in the report."""
        data = json.loads(report(name, "en", "json"))
        expected = sum(1 for _ in _basis_items(data))
        text = " ".join(readable(report(name, lang, fmt), fmt).split())  # undo wrapping
        shown = sum(text.count(marker) for marker in MARKERS[lang])
        assert shown >= expected

    @pytest.mark.parametrize("fmt", READER_FORMATS)
    @pytest.mark.parametrize("lang", LANGS)
    @pytest.mark.parametrize("name", names())
    def test_no_developer_text(self, name, lang, fmt):
        """No JSON path, API name or command-line option reaches a steering group."""
        text = readable(report(name, lang, fmt), fmt)
        assert [] == re.findall(r"\$\.[a-z_]+|samskaping\.[a-z_]+\.|--[a-z][a-z-]+", text)


@functools.cache
def pdf_text(name: str, lang: str) -> str:
    """The text of the PDF report on an embedded example, as pypdf reads it."""
    pypdf = pytest.importorskip("pypdf", reason="pypdf is in the test extra")
    pytest.importorskip("weasyprint", reason="the optional pdf extra is not installed")
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(load_example(name), lang=lang)))  # type: ignore[arg-type]
    return "\n".join(page.extract_text() or "" for page in reader.pages)


class TestPdf:
    """The PDF report of every example, in nb and en (one PDF each)."""

    @pytest.mark.parametrize("lang", ["nb", "en"])
    @pytest.mark.parametrize("name", names())
    def test_no_raw_code(self, name, lang):
        """No enum code (``strategic_anchoring``, ``project_group``, ``unknown``) is printed."""
        found = set(_CODE.findall(pdf_text(name, lang)))
        if lang == "en":  # "unknown" is also an English word
            found.discard("unknown")
        assert [] == sorted(found)

    @pytest.mark.parametrize("name", names())
    def test_no_english_sentence(self, name):
        """A Bokmål PDF report has no English sentence."""
        assert [] == english_sentences(pdf_text(name, "nb"))

    @pytest.mark.parametrize("lang", ["nb", "en"])
    @pytest.mark.parametrize("name", names())
    def test_no_developer_text(self, name, lang):
        """No JSON path, API name or command-line option is printed for a steering group."""
        text = pdf_text(name, lang)
        assert [] == re.findall(r"\$\.[a-z_]+|samskaping\.[a-z_]+\.|--[a-z][a-z-]+", text)


class TestCommandLine:
    """The CLI's text for every example and the built-in policies."""

    @pytest.mark.parametrize("area", ["risk", "goals", "utenfor", "assessment"])
    @pytest.mark.parametrize("lang", ["nb", "nn"])
    @pytest.mark.parametrize("name", names())
    def test_score_has_no_english_sentence(self, capsys, name, lang, area):
        """``samskaping score AREA`` in nb or nn has no English sentence."""
        out = cli(capsys, "score", area, "--example", name, "--lang", lang)
        assert [] == english_sentences(out)

    @pytest.mark.parametrize("area", ["risk", "goals", "utenfor", "assessment"])
    @pytest.mark.parametrize("name", names())
    def test_score_has_no_raw_code(self, capsys, name, area):
        """``samskaping score AREA`` shows labels, not enum codes."""
        out = cli(capsys, "score", area, "--example", name)
        assert [] == sorted(set(_CODE.findall(out)))

    @pytest.mark.parametrize("name", names())
    def test_no_after_mitigation_without_residuals(self, capsys, name):
        """``score risk`` prints "etter tiltak" only where a risk has residual grades."""
        out = cli(capsys, "score", "risk", "--example", name)
        document = load_example(name)
        residual = any(r.residual_probability is not None for r in document.risks)
        assert residual or "etter tiltak" not in out


class TestTraces:
    """The traced decisions under every built-in policy."""

    @pytest.mark.parametrize("lang", LANGS)
    @pytest.mark.parametrize("policy", SINGLE)
    def test_design_steps_are_marked(self, policy, lang):
        """A step that is not from a source is marked as such on its line."""
        text, steps = policy_trace(policy, lang)
        lines = text.splitlines()[: len(steps)]
        missing = [
            line
            for line, step in zip(lines, steps, strict=False)
            if step["basis"] in ("design", "assumed")
            and not any(marker in line for marker in MARKERS[lang])
        ]
        assert [] == missing

    @pytest.mark.parametrize("policy", SINGLE)
    def test_citations_match_the_data(self, policy):
        """Every line cites exactly the source its step has, and none where it has none."""
        text, steps = policy_trace(policy, "en")
        for line, step in zip(text.splitlines(), steps, strict=False):
            cited = re.findall(r"source: ([^\]]+)\]", line)
            assert ([step["source"]] if step["source"] else []) == cited


class TestUndated:
    """A document with no date of its own is reported as undated, never as of today."""

    UNDATED: ClassVar = {"nb": "udatert", "nn": "udatert", "en": "undated"}

    @pytest.mark.parametrize("lang", LANGS)
    def test_heading_says_undated(self, lang):
        """Borgen (no period, status not stated) has "undated" in its heading."""
        heading = report("borgen", lang, "text").splitlines()[2]
        assert heading.endswith(f"· {self.UNDATED[lang]}")

    @pytest.mark.parametrize("lang", LANGS)
    @pytest.mark.parametrize("fmt", READER_FORMATS)
    def test_todays_date_is_not_shown(self, lang, fmt):
        """Today's date appears nowhere in the report on an undated document."""
        today = datetime.datetime.now(datetime.UTC).date()
        days = {today - datetime.timedelta(days=1), today, today + datetime.timedelta(days=1)}
        shown = readable(report("borgen", lang, fmt), fmt)
        written = {
            samskaping.l10n.format_date(day, lang, style=style)
            for day in days
            for style in ("medium", "long")
        }
        assert [] == [w for w in written | {d.isoformat() for d in days} if w in shown]

    @pytest.mark.parametrize("lang", LANGS)
    def test_period_says_undated(self, lang):
        """The summary's period of a document with no dates says "undated"."""
        rows = [line for line in report("borgen", lang, "text").splitlines() if "udatert" in line
                or "undated" in line]  # fmt: skip
        assert 2 == len(rows)

    def test_json_says_undated(self):
        """The JSON says ``undated`` and keeps the date its figures are worked out for."""
        data = json.loads(report("borgen", "en", "json"))
        assert data["undated"] is True

    def test_a_dated_document_is_not_undated(self):
        """A document with an end of its period is dated as of that end."""
        data = json.loads(report("innbyggerbasen", "en", "json"))
        assert not data["undated"]
        assert data["summary"]["end"] == data["as_of"]

    @pytest.mark.parametrize("lang", LANGS)
    def test_a_given_date_is_shown(self, lang):
        """With a date given, an undated document is reported as of that date."""
        text = render_report(
            load_example("borgen"), format="text", lang=lang, as_of=datetime.date(2016, 11, 8)
        )
        day = samskaping.l10n.format_date(datetime.date(2016, 11, 8), lang, style="medium")
        assert day in text.splitlines()[2]


class TestPrint:
    """Printed, a source reference stays on one line and a label stays with its list."""

    @pytest.mark.parametrize("name", names())
    def test_no_reference_is_split_across_lines(self, name):
        """No line of the PDF ends inside a source reference (``004:`` or ``000:226-``)."""
        lines = pdf_text(name, "nb").splitlines()
        assert [] == [line for line in lines if re.search(r"\b\d{3}:(\d+[-–])?$", line.strip())]

    @pytest.mark.parametrize("name", names())
    def test_references_are_kept_whole_in_html(self, name):
        """Every source reference in the HTML is one unbreakable span."""
        html = report(name, "nb", "html")
        body = html.split("</style>", 1)[1]
        bare = re.sub(r'<span class="ref">\d{3}:\d+(?:[-–]\d+)?</span>', "", body)
        assert [] == re.findall(r"\b\d{3}:\d+", readable(bare, "html"))

    @pytest.mark.parametrize("name", ["borgen", "innbyggerbasen", "innbyggernes_modell"])
    def test_the_lessons_label_leads_its_list(self, name):
        """The "Erfaringer:" label is a lead paragraph, printed together with what follows."""
        assert '<p class="lead">Erfaringer:</p>' in report(name, "nb", "html")

    def test_print_css_keeps_labels_and_references_whole(self):
        """The print style never ends a page after a lead label, nor breaks a reference."""
        html = report("borgen", "nb", "html")
        print_css = html.split("@media print", 1)[1]
        assert re.search(r"p\.lead \{ break-after: avoid", print_css) is not None
        assert re.search(r"\.ref \{ white-space: nowrap", print_css) is not None

    def test_short_words_are_not_hyphenated(self):
        """A column of short words ("arbeidsmodell") is marked so print never hyphenates it."""
        html = report("innbyggerbasen", "nb", "html")
        assert '<td class="short">arbeidsmodell</td>' in html


class TestReadableLayout:
    """What the screenshots showed broken stays fixed."""

    def test_each_schemes_terms_have_their_own_label(self):
        """Each scheme's terms are a lead label and their own list, not one shared list."""
        html = report("innbyggernes_modell", "nb", "html")
        assert 4 == html.count('<p class="lead">Vilkår i ')

    def test_one_line_reference_says_line(self):
        """A key example of one line says "line", of several "lines"."""
        text = report("innbyggernes_modell", "en", "text")
        assert "means line 363 of source 002" in " ".join(text.split())

    def test_bar_values_fit_in_the_picture(self):
        """The value after a full bar has room inside the picture (about 7 px a character)."""
        from samskaping.report._svg import Bar, bar_chart_svg

        text = "NOK 500,000.00 (100%)"
        from decimal import Decimal

        svg = bar_chart_svg(
            [Bar(label="Fritid", value=Decimal(100), text=text)], title="t", maximum=Decimal(100)
        )
        x = float(re.findall(r'<text x="([0-9.]+)"[^>]*>' + re.escape(text), svg)[0])
        assert x + 7 * len(text) <= 960
