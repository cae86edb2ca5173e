"""WCAG 2.1 AA: axe-core in headless Chromium on the HTML report and the service's page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

import samskaping
from _browser import Axe, axe_session, summary
from samskaping.report import render_report

EXAMPLES = ("innbyggerbasen", "innbyggernes_modell", "borgen")
LANGS = ("nb", "en")


@pytest.fixture(scope="module")
def axe() -> Iterator[Axe]:
    """One Chromium for the module."""
    yield from axe_session()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("example", EXAMPLES)
def test_html_report_meets_wcag_21_aa(axe: Axe, example: str, lang: str) -> None:
    """axe-core finds no WCAG 2.0/2.1 A or AA violation in an example's HTML report."""
    html = render_report(samskaping.load_example(example), format="html", lang=lang)
    violations = axe.check_html(html)
    assert [] == violations, summary(violations)


def test_service_page_meets_wcag_21_aa(axe: Axe) -> None:
    """axe-core finds no WCAG 2.0/2.1 A or AA violation on the service's API page.

    The page, its assets and openapi.json are served to the browser from the app itself
    (through Starlette's test client): nothing listens on a port.
    """
    from starlette.testclient import TestClient

    from samskaping.serve import create_app
    from serve_support import config

    client = TestClient(create_app(config()))
    base = "http://samskaping.test"

    def serve(route: Any) -> None:
        url = urlsplit(route.request.url)
        if url.netloc != urlsplit(base).netloc:
            route.abort()
            return
        path = url.path + (f"?{url.query}" if url.query else "")
        answer = client.request(route.request.method, path)
        route.fulfill(status=answer.status_code, headers=dict(answer.headers), body=answer.content)

    page = axe.new_page()
    try:
        page.route("**/*", serve)
        page.goto(f"{base}/", wait_until="load")
        page.wait_for_selector("#toc li", timeout=10_000)
        violations = axe.violations(page)
    finally:
        page.close()
    assert [] == violations, summary(violations)


def test_checker_finds_a_known_violation(axe: Axe) -> None:
    """The check is not vacuous: an image without a text alternative is a violation."""
    html = (
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head>'
        '<body><main><img src="x.png"></main></body></html>'
    )
    violations = axe.check_html(html)
    assert "image-alt" in {v["id"] for v in violations}
