"""The risk heat map (*risikomatrise*) as data: one cell per probability and consequence.

:func:`heat_map` places each risk that has both levels in its cell; risks graded only
(Stovner's six) are listed apart with their band, since they have no cell. The SVG
picture is drawn by :func:`samskaping.report.heat_map_svg`.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from samskaping.model import Risk
from samskaping.scoring._common import LocalText
from samskaping.scoring.risk._matrix import RiskMatrix, risk_matrix
from samskaping.scoring.risk._profile import BandCount, _counts
from samskaping.scoring.risk._score import score_risks

__all__ = ["HeatMap", "HeatMapCell", "UnplacedRisk", "heat_map"]


@attrs.frozen(kw_only=True)
class HeatMapCell:
    """One cell: its levels, its band and colour, and the risks in it."""

    probability: int
    consequence: int
    band: str
    colour: str
    count: int
    risks: tuple[str, ...]


@attrs.frozen(kw_only=True)
class UnplacedRisk:
    """A risk with no cell: graded only (``band`` set) or not scored (``band`` is ``None``)."""

    id: str
    band: str | None


@attrs.frozen(kw_only=True)
class HeatMap:
    """A heat-map grid.

    ``rows`` run from the highest probability level down (as the picture is drawn);
    each row holds the cells from the lowest consequence level up.
    ``probability_labels`` and ``consequence_labels`` are the level labels from
    level 1 up. ``bands`` counts the placed risks per band (the legend);
    ``unplaced_bands`` counts the graded-only risks per band.
    """

    scale: str
    rule: str
    residual: bool
    probability_labels: tuple[LocalText, ...]
    consequence_labels: tuple[LocalText, ...]
    rows: tuple[tuple[HeatMapCell, ...], ...]
    bands: tuple[BandCount, ...]
    unplaced: tuple[UnplacedRisk, ...]
    unplaced_bands: tuple[BandCount, ...]

    def cell(self, probability: int, consequence: int) -> HeatMapCell:
        """The cell of a probability level and a consequence level.

        Raises:
            IndexError: If a level is outside the grid.
        """
        if not 1 <= probability <= len(self.rows) or not 1 <= consequence <= len(self.rows[0]):
            raise IndexError((probability, consequence))
        return self.rows[len(self.rows) - probability][consequence - 1]


def heat_map(
    risks: Sequence[Risk], matrix: RiskMatrix | None = None, *, residual: bool = False
) -> HeatMap:
    """Place risks in the grid, before mitigation or (``residual``) after it.

    After mitigation a risk with no residual levels stays where it was before.

    >>> from samskaping.model import Risk
    >>> hm = heat_map([Risk(id="r1", title="t", probability=4, consequence=3),
    ...                Risk(id="r2", title="t", assessed_band="lav")])
    >>> c = hm.cell(4, 3)
    >>> (c.band, c.risks, [u.id for u in hm.unplaced])
    ('alvorlig', ('r1',), ['r2'])

    Raises:
        DocumentError: If a risk has a level outside the scale or an unknown grade.
    """
    matrix = matrix or risk_matrix()
    scores = score_risks(risks, matrix)
    placed: dict[tuple[int, int], list[str]] = {}
    unplaced: list[UnplacedRisk] = []
    for score in scores:
        cell = (score.residual or score.initial) if residual else score.initial
        if cell is None:
            unplaced.append(
                UnplacedRisk(id=score.id, band=score.current_band if residual else score.band)
            )
        else:
            placed.setdefault((cell.probability, cell.consequence), []).append(score.id)
    p_levels = len(matrix.scale.probability)
    c_levels = len(matrix.scale.consequence)
    rows = []
    placed_bands: list[str] = []
    for p in range(p_levels, 0, -1):
        row = []
        for c in range(1, c_levels + 1):
            band = matrix.band_for(p, c)
            ids = tuple(sorted(placed.get((p, c), [])))
            placed_bands.extend([band.code] * len(ids))
            row.append(
                HeatMapCell(
                    probability=p,
                    consequence=c,
                    band=band.code,
                    colour=band.colour,
                    count=len(ids),
                    risks=ids,
                )
            )
        rows.append(tuple(row))
    return HeatMap(
        scale=matrix.scale.name,
        rule=matrix.rule.name,
        residual=residual,
        probability_labels=tuple(level.label for level in matrix.scale.probability),
        consequence_labels=tuple(level.label for level in matrix.scale.consequence),
        rows=tuple(rows),
        bands=_counts(matrix, placed_bands),
        unplaced=tuple(unplaced),
        unplaced_bands=_counts(matrix, (u.band for u in unplaced)),
    )
