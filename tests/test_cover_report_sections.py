"""A report on a document whose sections cannot all be computed still renders, in every format."""

from __future__ import annotations

import pytest

import samskaping
from samskaping.report import render_report


def _edited(name: str, old: str, new: str) -> object:
    """Example ``name`` with one piece of its TOML text replaced."""
    text = samskaping.dumps(samskaping.load_example(name), "toml")
    assert old in text
    return samskaping.loads(text.replace(old, new, 1), "toml")


def _broken_trondheim() -> object:
    """Trondheim with an unknown survey instrument and an unknown cost profile."""
    text = samskaping.dumps(samskaping.load_example("innbyggernes_modell"), "toml")
    text = text.replace('instrument = "staff_2023"', 'instrument = "ukjent"')
    text = text.replace('id = "t13_brundalen"', 'id = "t13_brundalen"\ncost_profile = "ukjent"', 1)
    return samskaping.loads(text, "toml")


def _broken_stovner() -> object:
    """Stovner with a risk scale that does not exist."""
    return _edited(
        "innbyggerbasen", 'owner_org = "Bydel', 'risk_scale = "ukjent"\nowner_org = "Bydel'
    )


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_unavailable_assessment_and_utenfor_sections(fmt):
    """With details, each section that cannot be computed says so instead of its content."""
    text = render_report(_broken_trondheim(), format=fmt, lang="en", details=True)
    assert 2 <= text.count("could not be computed")


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_an_unavailable_risk_section_with_details(fmt):
    """The risk section of a document with an unknown scale says so, with details too."""
    text = render_report(_broken_stovner(), format=fmt, lang="en", details=True)
    assert "could not be computed" in text
