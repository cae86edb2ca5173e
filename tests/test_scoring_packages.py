"""The shape of samskaping.scoring: one public subpackage per concept, one door for all."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import samskaping.scoring
from samskaping import report

SUBPACKAGES = (
    "assessments",
    "goals",
    "meeting_places",
    "risk",
    "surveys",
    "utenfor",
    "vulnerability",
)


def _subpackage(name: str) -> object:
    return importlib.import_module(f"samskaping.scoring.{name}")


class TestSubpackages:
    """Each concept of scoring is a subpackage with its own door."""

    def test_the_subpackages_are_the_public_children(self) -> None:
        """The public children of samskaping.scoring are exactly the concept subpackages."""
        children = [
            module.name
            for module in pkgutil.iter_modules(samskaping.scoring.__path__)
            if not module.name.startswith("_")
        ]
        assert sorted(SUBPACKAGES) == sorted(children)

    @pytest.mark.parametrize("name", SUBPACKAGES)
    def test_every_subpackage_module_is_private(self, name: str) -> None:
        """A subpackage keeps its code in private modules behind its ``__init__``."""
        package = _subpackage(name)
        public = [
            module.name
            for module in pkgutil.iter_modules(package.__path__)  # type: ignore[attr-defined]
            if not module.name.startswith("_")
        ]
        assert [] == public

    @pytest.mark.parametrize("name", SUBPACKAGES)
    def test_a_subpackage_name_is_the_scoring_name(self, name: str) -> None:
        """Each name a subpackage exports is the same object under samskaping.scoring."""
        package = _subpackage(name)
        differ = [
            item
            for item in package.__all__  # type: ignore[attr-defined]
            if getattr(package, item) is not getattr(samskaping.scoring, item)
        ]
        assert [] == differ

    def test_the_subpackages_share_no_name(self) -> None:
        """No name is exported by two subpackages."""
        names = [item for name in SUBPACKAGES for item in _subpackage(name).__all__]  # type: ignore[attr-defined]
        assert len(set(names)) == len(names)

    def test_scoring_exports_every_subpackage_name(self) -> None:
        """samskaping.scoring's ``__all__`` holds every name of every subpackage."""
        names = {item for name in SUBPACKAGES for item in _subpackage(name).__all__}  # type: ignore[attr-defined]
        assert set() == names - set(samskaping.scoring.__all__)

    def test_a_subpackage_is_an_attribute_of_scoring(self) -> None:
        """The package's lazy loader gives a subpackage by its name, as it gives a function."""
        assert samskaping.scoring.__getattr__("risk") is _subpackage("risk")


class TestRenderersMoved:
    """Text and SVG renderings of scoring results live in the presentation layer."""

    @pytest.mark.parametrize("name", ["heat_map_svg", "report_text"])
    def test_the_renderer_is_in_report(self, name: str) -> None:
        """``samskaping.report`` exports the renderer."""
        assert name in report.__all__

    @pytest.mark.parametrize("name", ["heat_map_svg", "report_text"])
    def test_the_old_name_says_where_it_went(self, name: str) -> None:
        """Asking samskaping.scoring for a moved renderer names its new home."""
        with pytest.raises(AttributeError, match=f"samskaping.report.{name}"):
            getattr(samskaping.scoring, name)

    def test_the_top_level_heat_map_svg_still_works(self) -> None:
        """``samskaping.heat_map_svg`` is the presentation layer's function."""
        assert samskaping.heat_map_svg is report.heat_map_svg
