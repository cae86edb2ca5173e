"""Headless Chromium with axe-core, for the accessibility tests (WCAG 2.1 AA).

Chromium comes from Debian's packages (``apt-get install chromium``); Playwright drives it
and axe-core's script comes from the ``axe-playwright-python`` package, read from disk:
nothing is fetched from the network. Where either cannot be had the tests are skipped with
the reason; with ``SAMSKAPING_TEST_REQUIRE_BROWSER=1`` (as in CI) they fail instead.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest

REQUIRE_VARIABLE = "SAMSKAPING_TEST_REQUIRE_BROWSER"

#: The rules of WCAG 2.0 and 2.1, levels A and AA.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

#: Chromium started with networking features off and a throwaway profile.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
)


def _unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE_VARIABLE):
        pytest.fail(f"{reason} ({REQUIRE_VARIABLE} is set)")
    pytest.skip(reason)


def chromium_path() -> str:
    """Debian's Chromium, or skip."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        _unavailable("Chromium not found: apt-get install chromium")
    assert path is not None
    return path


def axe_script() -> str:
    """The text of axe.min.js as shipped in the axe-playwright-python package, or skip."""
    try:
        files = resources.files("axe_playwright_python")
    except ModuleNotFoundError:
        _unavailable("axe-core not found: pip install axe-playwright-python")
        raise
    script = files / "axe.min.js"
    if not script.is_file():
        _unavailable("axe.min.js not found in axe-playwright-python")
    return script.read_text("utf-8")


class Axe:
    """One Chromium, reused: ``check(url_or_html)`` returns the WCAG violations."""

    def __init__(self, browser: Any, script: str) -> None:
        self._browser = browser
        self._script = script

    def violations(self, page: Any) -> list[dict[str, Any]]:
        """axe-core's WCAG A/AA violations on an open page."""
        page.add_script_tag(content=self._script)
        result = page.evaluate(
            "tags => axe.run(document, "
            "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            list(WCAG_TAGS),
        )
        return list(result["violations"])

    def check_html(self, html: str) -> list[dict[str, Any]]:
        """The violations of one self-contained HTML document."""
        page = self._browser.new_page()
        try:
            page.set_content(html, wait_until="load")
            return self.violations(page)
        finally:
            page.close()

    def new_page(self) -> Any:
        """A fresh page in the browser."""
        return self._browser.new_page()


def axe_session() -> Iterator[Axe]:
    """A running Chromium with axe-core ready, closed at the end."""
    executable = chromium_path()
    script = axe_script()
    try:
        from playwright.sync_api import sync_playwright
    except ModuleNotFoundError:
        _unavailable("Playwright not found: pip install playwright")
        raise
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            args=list(CHROMIUM_ARGS),
            headless=True,
            # axe-core is added as an inline script; the service's page forbids those.
            bypass_csp=True,
        )
        try:
            yield Axe(context, script)
        finally:
            context.close()


def summary(violations: list[dict[str, Any]]) -> str:
    """One line per violation: rule, impact and the first few offending elements."""
    lines = []
    for violation in violations:
        targets = [str(node.get("target")) for node in violation.get("nodes", [])[:3]]
        lines.append(
            f"{violation['id']} ({violation.get('impact')}): {violation['help']} "
            f"[{len(violation.get('nodes', []))} nodes] {'; '.join(targets)}"
        )
    return "\n".join(lines)
