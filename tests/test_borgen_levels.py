"""Borgen's IAP2 levels: each is a reading of one line of the article, marked assumed.

The Borgen article (source 004) names no participation level and no spectrum, so every
level in the example is the document's own reading and must carry the ``assumed`` marker.
Each reading below rests on a quote; where the seed files sit beside the repository (or
``SAMSKAPING_SOURCES`` names them), the quote is checked against its line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from samskaping.examples import load_example
from samskaping.model import Basis, ParticipationLevel
from samskaping.report import report_data

_HERE = Path(__file__).resolve().parent


def _seeds() -> Path | None:
    named = os.environ.get("SAMSKAPING_SOURCES")
    if named:
        return Path(named)
    for base in (_HERE.parent.parent, _HERE.parent.parent.parent):
        candidate = base / "shared" / "seeds"
        if candidate.is_dir():
            return candidate
    return None


SEEDS = _seeds()
needs_seeds = pytest.mark.skipif(SEEDS is None, reason="the source reports are not beside the repo")


def _article() -> list[str]:
    assert SEEDS is not None
    (path,) = SEEDS.glob("004_*.txt")
    return path.read_text(encoding="utf-8").splitlines()


#: activity id → (the level read, the line it rests on, a quote on that line).
READINGS = {
    "losningsjakten": ("consult", 89, "prosessen med å få inn innspill og forslag"),
    "naermiljokonferanse": (
        "involve",
        79,
        "fremme felles arbeid med å beslutte medvirkningsprosessene",
    ),
    "intervjuer_somaliske_modre": (
        "consult",
        81,
        "For å sikre et mangfold av stemmer intervjuet prosjektet innbyggere",
    ),
    "barnetrakk": ("consult", 110, "informasjonsinnhenting og innspill/behovsbeskrivelse"),
    "gjestebud": ("consult", 120, "en metode for å samle inn innspill fra innbyggerne"),
    "apen_naermiljosentral": ("consult", 138, "Lett tilgjengelig å kunne si sin mening"),
    "facebook_med_hjerte_for_borgen": ("inform", 150, "Informasjonsdeling om prosesser"),
    "fokusgrupper": ("involve", 159, "jobbe spesielt med behovsbeskrivelse og løsningsforslag"),
    "samling_sonelederne": (
        "consult",
        173,
        "informasjonsutveksling- og innhenting, drøfting av utfordringsbildet",
    ),
    "veikartverksted": (
        "collaborate",
        189,
        "Identifisere aktører og ansvar for realisering av tiltakene",
    ),
    "ad_hoc_utvalg": ("consult", 200, "De gjennomførte dialog med flere grupper av innbyggere"),
}


def _activities() -> dict[str, object]:
    return {a.id: a for a in load_example("borgen").involvement_activities}


def test_every_activity_has_a_reading():
    """Each of Borgen's 11 activities has its reading listed here."""
    assert sorted(READINGS) == sorted(_activities())


@pytest.mark.parametrize("activity", sorted(READINGS))
def test_level_is_the_reading(activity):
    """The example's level is the one read from the article's line."""
    level = _activities()[activity].participation_level  # type: ignore[attr-defined]
    assert ParticipationLevel(READINGS[activity][0]) == level


@pytest.mark.parametrize("activity", sorted(READINGS))
def test_level_is_marked_assumed(activity):
    """The article gives no level, so each level carries the assumed marker."""
    title = _activities()[activity].title  # type: ignore[attr-defined]
    facts = {a.title: a for a in report_data(load_example("borgen")).involvement.activities}
    assert Basis.ASSUMED == facts[title].level_basis


@needs_seeds
@pytest.mark.parametrize("activity", sorted(READINGS))
def test_reading_quote_is_on_its_line(activity):
    """Each reading's quote is on the line it cites in source 004 (spaces as spaces)."""
    _, line, quote = READINGS[activity]
    assert quote in " ".join(_article()[line - 1].split())


@needs_seeds
def test_the_article_names_no_participation_spectrum():
    """Source 004 names neither IAP2 nor Arnstein nor a ladder or spectrum of participation."""
    text = "\n".join(_article())
    found = re.findall(r"IAP2|Arnstein|deltakelsestrapp|deltakerstige|medvirkningstrapp", text)
    assert [] == found
