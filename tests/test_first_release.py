"""Files written for the first release keep working: documents, policies and phase models.

``tests/data/first_release`` holds the embedded examples, built-in policies and phase
models exactly as the first release shipped them (commit 5a19f1c). No format change since
has needed a new ``schema_version``: each still loads, validates and reports.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from samskaping.io import load
from samskaping.model import Severity
from samskaping.payouts import load_policy
from samskaping.phases import load_phase_model
from samskaping.report import render_report
from samskaping.validation import validate

FIRST = Path(__file__).parent / "data" / "first_release"
DOCUMENTS = sorted((FIRST / "documents").glob("*.toml"))
POLICIES = sorted((FIRST / "policies").glob("*.toml"))
PHASE_MODELS = sorted((FIRST / "phase_models").glob("*.toml"))


def test_files_present() -> None:
    """The first release's three examples, five policies and three phase models are here."""
    assert 3 == len(DOCUMENTS)
    assert 5 == len(POLICIES)
    assert 3 == len(PHASE_MODELS)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_document_validates(path: Path) -> None:
    """A first-release document loads and has no error finding."""
    errors = [f.code for f in validate(load(path)) if f.severity is Severity.ERROR]
    assert [] == errors


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_document_reports(path: Path) -> None:
    """A first-release document renders as a report."""
    assert render_report(load(path), lang="nb").strip()


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.stem)
def test_policy_loads(path: Path) -> None:
    """A first-release policy loads under its own id."""
    assert path.stem == load_policy(path).id


@pytest.mark.parametrize("path", PHASE_MODELS, ids=lambda p: p.stem)
def test_phase_model_loads(path: Path) -> None:
    """A first-release phase model loads under its own key."""
    assert path.stem == load_phase_model(path).key
