"""Every label and message of the scoring area exists in nb, nn and en.

Data items carry labels in the three languages and source lines too.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from samskaping import model as m
from samskaping import scoring
from samskaping.l10n import LANGS, Lang, default_catalogue, enum_label

LABELS = Path(str(resources.files("samskaping") / "data" / "labels" / "scoring.toml"))
DATA = Path(str(resources.files("samskaping") / "data"))
SRC = Path(str(resources.files("samskaping")))

#: The enums this area adds: the model's assessment codes and the scoring results' codes.
ENUMS: tuple[type[Enum], ...] = (
    m.ConsiderationResponse,
    m.SystemsCondition,
    m.ArnsteinRung,
    m.UtenforTargetGroup,
    m.UtenforDomain,
    m.GovernmentLevel,
    scoring.ScoreBasis,
    scoring.RealisationStatus,
    scoring.Viability,
    scoring.VulnerabilityFactor,
    scoring.ChangeLevel,
    scoring.TorfingOutcome,
)


def _reason_codes_in_source() -> set[str]:
    codes: set[str] = set()
    for path in (SRC / "scoring").glob("*.py"):
        codes.update(
            re.findall(r'reason\(\s*"([a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8"))
        )
        codes.update(re.findall(r'"(utenfor\.verdict_[a-z]+)"', path.read_text(encoding="utf-8")))
    return codes


def _message_keys() -> list[str]:
    return sorted(k for k in default_catalogue().texts if k.startswith("scoring."))


def _leaves(table: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(table, dict):
        if set(table) == {"nb", "nn", "en"}:
            yield path, table
            return
        for key, value in table.items():
            yield from _leaves(value, f"{path}.{key}" if path else key)
    elif isinstance(table, list):
        for index, value in enumerate(table):
            yield from _leaves(value, f"{path}[{index}]")


class TestCatalogue:
    """The catalogue has every text this area uses."""

    @pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
    @pytest.mark.parametrize("lang", LANGS)
    def test_every_enum_value_has_a_label(self, enum: type[Enum], lang: Lang) -> None:
        """Each value of each enum has a non-empty label in each language."""
        assert all(enum_label(member, lang).strip() for member in enum)

    @pytest.mark.parametrize("key", _message_keys())
    def test_every_message_in_three_languages(self, key: str) -> None:
        """Each scoring message exists in nb, nn and en."""
        assert set(LANGS) == set(default_catalogue().texts[key])

    @pytest.mark.parametrize("key", _message_keys())
    def test_placeholders_agree(self, key: str) -> None:
        """A message uses the same placeholders in every language."""
        catalogue = default_catalogue()
        assert 1 == len({catalogue.placeholders(key, lang) for lang in LANGS})

    def test_every_reason_code_has_a_message(self) -> None:
        """Every reason code the code builds has a message."""
        keys = set(default_catalogue().keys())
        missing = sorted(c for c in _reason_codes_in_source() if f"scoring.reason.{c}" not in keys)
        assert [] == missing

    def test_nynorsk_differs_where_it_should(self) -> None:
        """Nynorsk is written as Nynorsk: 'ikke' never appears in nn texts."""
        texts = [default_catalogue().texts[k]["nn"] for k in _message_keys()]
        assert [] == [t for t in texts if re.search(r"\bikke\b", t)]


DATA_FILES = sorted(
    p.relative_to(DATA).as_posix()
    for folder in ("scales", "instruments", "assessments")
    for p in (DATA / folder).rglob("*.toml")
)


class TestDataFiles:
    """Data files: every label in three languages, every item with a source."""

    @pytest.mark.parametrize("name", DATA_FILES)
    def test_labels_have_three_languages(self, name: str) -> None:
        """Every text table with nb has nn and en too, none empty."""
        data = tomllib.loads((DATA / name).read_text(encoding="utf-8"))
        bad = [
            path
            for path, leaf in _leaves(data)
            if not all(str(leaf[lang]).strip() for lang in LANGS)
        ]
        partial = [
            path
            for path, leaf in _leaves_any(data)
            if set(leaf) & {"nb", "nn", "en"} and set(leaf) != {"nb", "nn", "en"}
        ]
        assert [] == bad
        assert [] == partial

    @pytest.mark.parametrize("name", DATA_FILES)
    def test_file_names_its_source(self, name: str) -> None:
        """Every data file names its source: at the top, or in each of its sections."""
        data = tomllib.loads((DATA / name).read_text(encoding="utf-8"))
        sections = [v for v in data.values() if isinstance(v, dict)]
        sections += [
            x for v in data.values() if isinstance(v, list) for x in v if isinstance(x, dict)
        ]
        assert "source" in data or all("source" in section for section in sections)

    @pytest.mark.parametrize(
        ("name", "items"),
        [
            ("assessments/considerations.toml", "items"),
            ("assessments/ks_keys.toml", "keys"),
            ("assessments/systems_change.toml", "conditions"),
            ("assessments/torfing.toml", "criteria"),
            ("assessments/idea_diamond.toml", "dimensions"),
            ("instruments/staff_2023.toml", "items"),
            ("scales/vulnerability.toml", "factors"),
        ],
    )
    def test_every_item_has_a_source_line(self, name: str, items: str) -> None:
        """Each item of the assessments and instruments cites its source line."""
        data = tomllib.loads((DATA / name).read_text(encoding="utf-8"))
        assert all(re.match(r"^00\d:\d", item["source"]) for item in data[items])

    def test_shipped_cost_profile_is_illustrative(self) -> None:
        """Every shipped cost profile is marked illustrative."""
        assert all(scoring.cost_profile(name).illustrative for name in scoring.cost_profiles())

    @pytest.mark.parametrize(
        "items",
        [
            lambda: scoring.assessment_data().systems_change.conditions,
            lambda: scoring.assessment_data().participation.arnstein,
        ],
        ids=["systems_condition", "arnstein_rung"],
    )
    def test_data_labels_match_catalogue(self, items: Callable[[], Iterable[Any]]) -> None:
        """Where an enum's values are also data items, the two labels agree."""
        for item in items():
            for lang in LANGS:
                assert enum_label(item.code, lang).casefold() == item.label.get(lang).casefold()


def _leaves_any(table: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(table, dict):
        yield path, table
        for key, value in table.items():
            yield from _leaves_any(value, f"{path}.{key}")
    elif isinstance(table, list):
        for index, value in enumerate(table):
            yield from _leaves_any(value, f"{path}[{index}]")
