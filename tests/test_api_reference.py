"""The API reference in docs/reference/ is generated from the docstrings and kept current."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).parent.parent
REFERENCE = ROOT / "docs" / "reference"
LINK = re.compile(r"\]\(([\w.]*\.md)?(?:#([\w-]+))?\)")
HEADING = re.compile(r"^#{1,6} `?([^`\n]+)`?$", re.MULTILINE)

#: Public constants without a ``#:`` comment in the source; reported, to be fixed in src.
#: The marks are strict: once a comment is added, the test passes and the mark must go.
UNDOCUMENTED: set[tuple[str, str]] = set()


def _load_builder() -> ModuleType:
    path = ROOT / "scripts" / "build_api_reference.py"
    spec = importlib.util.spec_from_file_location("build_api_reference", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


builder = _load_builder()


def _names() -> list[object]:
    params: list[object] = []
    for package, name in builder.public_names():
        marks = ()
        if (package, name) in UNDOCUMENTED:
            marks = (pytest.mark.xfail(reason="needs a #: comment in src", strict=True),)
        params.append(pytest.param(package, name, id=f"{package}.{name}", marks=marks))
    return params


class TestReferenceIsCurrent:
    """The committed pages are what the script generates now."""

    def test_committed_pages_equal_a_fresh_build(self, tmp_path):
        """Regenerating the reference gives exactly the committed pages (run the script if not)."""
        builder.write(tmp_path)
        fresh = {p.name: p.read_text(encoding="utf-8") for p in sorted(tmp_path.glob("*.md"))}
        committed = {p.name: p.read_text(encoding="utf-8") for p in sorted(REFERENCE.glob("*.md"))}
        assert sorted(fresh) == sorted(committed)
        stale = [name for name in fresh if fresh[name] != committed[name]]
        assert [] == stale, "run: PYTHONPATH=src python scripts/build_api_reference.py"

    def test_every_public_package_has_a_page(self):
        """Each public package has its own page, listed in the reference's index."""
        index = (REFERENCE / "index.md").read_text(encoding="utf-8")
        for package in builder.PACKAGES:
            assert (REFERENCE / f"{package}.md").is_file()
            assert f"]({package}.md)" in index

    def test_pages_have_no_python_fences(self):
        """No page has a ```python block, which the docs test would try to run."""
        offending = [
            p.name for p in REFERENCE.glob("*.md") if "```python" in p.read_text(encoding="utf-8")
        ]
        assert [] == offending

    def test_links_point_at_existing_headings(self):
        """Every link between reference pages lands on a page and a heading that exist."""
        headings = {
            p.name: {h.strip().lower() for h in HEADING.findall(p.read_text(encoding="utf-8"))}
            for p in REFERENCE.glob("*.md")
        }
        broken = []
        for page in sorted(REFERENCE.glob("*.md")):
            for target, anchor in LINK.findall(page.read_text(encoding="utf-8")):
                if target.startswith(".."):
                    continue
                file = target or page.name
                if file not in headings or (anchor and anchor not in headings[file]):
                    broken.append(f"{page.name} -> {file}#{anchor}")
        assert [] == broken

    def test_every_public_name_has_an_entry(self):
        """Each name in a package's __all__ has its own heading on the package's page."""
        missing = []
        for package, name in builder.public_names():
            text = (REFERENCE / f"{package}.md").read_text(encoding="utf-8")
            if f"\n## `{name}`\n" not in text:
                missing.append(f"{package}.{name}")
        assert [] == missing


class TestDocstrings:
    """Every public name has documentation to generate its entry from."""

    @pytest.mark.parametrize("package", builder.PACKAGES)
    def test_every_public_package_has_a_module_docstring(self, package):
        """The package's docstring introduces its reference page."""
        module = importlib.import_module(package)
        assert (module.__doc__ or "").strip()

    @pytest.mark.parametrize(("package", "name"), _names())
    def test_every_public_name_is_documented(self, package, name):
        """A public function or class has its own docstring; a constant a ``#:`` comment."""
        assert (builder.docstring(package, name) or "").strip()
