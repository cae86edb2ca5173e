"""The heat-map grid as data and its SVG picture."""
# ruff: noqa: S314  (the XML parsed is our own SVG)

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import cast

import pytest

from samskaping import InvalidInputError
from samskaping import model as m
from samskaping.l10n import Lang
from samskaping.report import heat_map_svg
from samskaping.scoring import heat_map, risk_matrix
from test_scoring_sources import stovner_risks

SVG = "{http://www.w3.org/2000/svg}"


def _risks() -> list[m.Risk]:
    return [
        m.Risk(
            id="a",
            title="t",
            probability=4,
            consequence=3,
            residual_probability=2,
            residual_consequence=3,
        ),
        m.Risk(id="b", title="t", probability=4, consequence=3),
        m.Risk(id="c", title="t", assessed_band="lav"),
    ]


def _cells(svg: str) -> list[ET.Element]:
    return [e for e in ET.fromstring(svg).iter(f"{SVG}rect") if e.get("class") == "cell"]


class TestHeatMapGrid:
    """Risks are placed in the grid by their levels."""

    def test_rows_run_from_highest_probability(self) -> None:
        """The first row is probability level 5."""
        assert {5} == {cell.probability for cell in heat_map([]).rows[0]}

    def test_cell_holds_its_risks(self) -> None:
        """Two risks at 4 × 3 are in that cell."""
        assert ("a", "b") == heat_map(_risks()).cell(4, 3).risks

    def test_residual_grid_moves_mitigated_risk(self) -> None:
        """After mitigation risk a sits at 2 × 3; b, with no residual levels, stays."""
        grid = heat_map(_risks(), residual=True)
        assert ("a",) == grid.cell(2, 3).risks
        assert ("b",) == grid.cell(4, 3).risks

    def test_graded_only_risks_are_unplaced(self) -> None:
        """A risk with only a grade is listed apart with its band."""
        assert [("c", "lav")] == [(u.id, u.band) for u in heat_map(_risks()).unplaced]

    def test_cell_colour_is_the_band_colour(self) -> None:
        """Each cell has the colour of its band."""
        matrix = risk_matrix()
        cell = heat_map([]).cell(5, 5)
        assert matrix.bands.resolve(cell.band).colour == cell.colour

    def test_cell_outside_grid(self) -> None:
        """Asking for a cell outside the grid raises IndexError."""
        with pytest.raises(IndexError):
            heat_map([]).cell(6, 1)


class TestHeatMapSvg:
    """The SVG parses as XML and shows what the grid holds."""

    def test_parses_with_twenty_five_cells(self) -> None:
        """The default matrix draws 25 cell rectangles."""
        assert 25 == len(_cells(heat_map_svg(heat_map(_risks()))))

    def test_cells_carry_levels_and_bands(self) -> None:
        """The cell at 4 × 3 is marked alvorlig and counts two risks."""
        cell = next(
            c
            for c in _cells(heat_map_svg(heat_map(_risks())))
            if (c.get("data-probability"), c.get("data-consequence")) == ("4", "3")
        )
        assert "alvorlig" == cell.get("data-band")
        assert "2" == cell.get("data-count")

    @pytest.mark.parametrize(
        ("lang", "probability", "title"),
        [
            ("nb", "Sannsynlighet", "Risikomatrise før tiltak"),
            ("nn", "Sannsyn", "Risikomatrise før tiltak"),
            ("en", "Probability", "Risk matrix before mitigation"),
        ],
    )
    def test_labels_in_each_language(self, lang: Lang, probability: str, title: str) -> None:
        """The axis title and the picture's title are in the chosen language."""
        root = ET.fromstring(heat_map_svg(heat_map(_risks()), lang))
        texts = {"".join(e.itertext()) for e in root.iter(f"{SVG}text")}
        assert probability in texts
        assert title == root.findtext(f"{SVG}title")

    def test_declares_its_language(self) -> None:
        """The root element declares the language of its labels."""
        root = ET.fromstring(heat_map_svg(heat_map([]), "nn"))
        assert "nn" == root.get("{http://www.w3.org/XML/1998/namespace}lang")

    def test_stovner_graded_risks_are_listed_below(self) -> None:
        """Stovner's six graded risks appear as counts per band under the grid."""
        root = ET.fromstring(heat_map_svg(heat_map(stovner_risks())))
        unplaced = {
            e.get("data-band"): e.get("data-count")
            for e in root.iter(f"{SVG}rect")
            if e.get("class") == "unplaced"
        }
        assert {"lav": "2", "moderat": "2", "alvorlig": "2"} == unplaced

    def test_ids_are_escaped(self) -> None:
        """Risk ids with characters special to XML still give valid XML."""
        risk = m.Risk(id="a-1", title="<&>", probability=1, consequence=1)
        assert 25 == len(_cells(heat_map_svg(heat_map([risk]), title="R&D <risks>")))

    def test_residual_title(self) -> None:
        """A residual grid gets the after-mitigation title."""
        root = ET.fromstring(heat_map_svg(heat_map(_risks(), residual=True), "en"))
        assert "Risk matrix after mitigation" == root.findtext(f"{SVG}title")

    def test_unknown_language_is_refused(self) -> None:
        """A language other than nb, nn or en raises InvalidInputError."""
        with pytest.raises(InvalidInputError):
            heat_map_svg(heat_map([]), cast("Lang", "sv"))
