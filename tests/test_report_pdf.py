"""The PDF report (optional ``pdf`` extra, WeasyPrint): a real PDF with the report's text."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import samskaping
from samskaping._cli import main
from samskaping.report import compose, render_pdf, report_data

EXAMPLES = ("innbyggerbasen", "innbyggernes_modell", "borgen")

pypdf = pytest.importorskip("pypdf", reason="pypdf is in the test extra")
pytest.importorskip("weasyprint", reason="the optional pdf extra (WeasyPrint) is not installed")


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


@pytest.fixture(scope="module")
def pdfs() -> dict[tuple[str, str], bytes]:
    """Each example's report as a PDF in nb, and one in en, rendered once."""
    wanted = [(example, "nb") for example in EXAMPLES] + [("borgen", "en")]
    return {
        (example, lang): render_pdf(samskaping.load_example(example), lang=lang)
        for example, lang in wanted
    }


@pytest.mark.parametrize("example", EXAMPLES)
def test_pdf_is_a_pdf(pdfs: dict[tuple[str, str], bytes], example: str) -> None:
    """The bytes are a PDF document."""
    assert pdfs[example, "nb"].startswith(b"%PDF-")


@pytest.mark.parametrize("example", EXAMPLES)
def test_pdf_has_pages(pdfs: dict[tuple[str, str], bytes], example: str) -> None:
    """The PDF has at least two pages (the report does not fit on one)."""
    assert len(pypdf.PdfReader(io.BytesIO(pdfs[example, "nb"])).pages) >= 2


@pytest.mark.parametrize("example", EXAMPLES)
def test_pdf_holds_the_report_title(pdfs: dict[tuple[str, str], bytes], example: str) -> None:
    """The first page's text holds the report's title."""
    title = compose(report_data(samskaping.load_example(example), lang="nb")).title
    first = pypdf.PdfReader(io.BytesIO(pdfs[example, "nb"])).pages[0].extract_text()
    assert " ".join(title.split()) in " ".join(first.split())


@pytest.mark.parametrize(
    ("lang", "heading"), [("nb", "Faser og beslutningspunkter"), ("en", "Phases and gates")]
)
def test_pdf_text_is_in_the_language_asked(
    pdfs: dict[tuple[str, str], bytes], lang: str, heading: str
) -> None:
    """The section headings are in the report's language."""
    assert heading in _text(pdfs["borgen", lang])


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_pdf_declares_its_language(pdfs: dict[tuple[str, str], bytes], lang: str) -> None:
    """The PDF's catalogue names its language, for screen readers (WCAG 3.1.1)."""
    catalog = pypdf.PdfReader(io.BytesIO(pdfs["borgen", lang])).trailer["/Root"]
    assert lang == str(catalog.get("/Lang"))


def test_cli_writes_a_pdf(tmp_path: Path) -> None:
    """`samskaping report --format pdf -o FILE` writes a PDF and exits 0."""
    out = tmp_path / "report.pdf"
    code = main(
        ["report", "--example", "borgen", "--format", "pdf", "--lang", "en", "-o", str(out)]
    )
    assert 0 == code
    assert b"%PDF-" == out.read_bytes()[:5]


def test_pdf_is_tagged(pdfs: dict[tuple[str, str], bytes]) -> None:
    """The PDF is tagged (a structure tree), so screen readers can follow it."""
    catalog = pypdf.PdfReader(io.BytesIO(pdfs["borgen", "en"])).trailer["/Root"]
    assert "/StructTreeRoot" in catalog
