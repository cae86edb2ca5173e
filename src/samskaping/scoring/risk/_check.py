"""Checking a risk configuration: band rules name known band sets and bands, and rise."""

from __future__ import annotations

import itertools

from samskaping._errors import DocumentError, Problem
from samskaping.scoring.risk._config import BandRule, BandSet, RiskConfig

__all__ = ["check_risk_config"]


def _rule_problems(rule: BandRule, bands: BandSet | None, path: str) -> list[Problem]:
    if bands is None:
        return [Problem(path=f"{path}.band_set", message=f"unknown band set {rule.band_set!r}")]
    if rule.kind == "cells":
        return _cell_problems(rule, bands, path)
    return _threshold_problems(rule, bands, path)


def _unknown_band(code: str, codes: tuple[str, ...]) -> str:
    return f"unknown band {code!r}; known: {', '.join(codes)}"


def _cell_problems(rule: BandRule, bands: BandSet, path: str) -> list[Problem]:
    codes = bands.codes()
    problems: list[Problem] = []
    if rule.thresholds:
        problems.append(
            Problem(path=f"{path}.thresholds", message="a cell table has no thresholds")
        )
    if not rule.cells or not rule.cells[0]:
        problems.append(
            Problem(path=f"{path}.cells", message="a cell table needs at least one cell")
        )
        return problems
    width = len(rule.cells[0])
    for p, row in enumerate(rule.cells):
        if len(row) != width:
            message = f"expected {width} cells like the first row"
            problems.append(Problem(path=f"{path}.cells[{p}]", message=message))
        problems.extend(
            Problem(path=f"{path}.cells[{p}][{c}]", message=_unknown_band(code, codes))
            for c, code in enumerate(row)
            if code not in codes
        )
    if not problems:
        problems.extend(_monotone_problems(rule, bands, path))
    return problems


def _threshold_problems(rule: BandRule, bands: BandSet, path: str) -> list[Problem]:
    codes = bands.codes()
    problems: list[Problem] = []
    if rule.cells:
        problems.append(Problem(path=f"{path}.cells", message=f"a {rule.kind} rule has no cells"))
    if not rule.thresholds:
        message = "expected at least one threshold"
        return [*problems, Problem(path=f"{path}.thresholds", message=message)]
    last = len(rule.thresholds) - 1
    bounds = [t.below for t in rule.thresholds[:last]]
    for index, threshold in enumerate(rule.thresholds):
        where = f"{path}.thresholds[{index}]"
        if threshold.band not in codes:
            problems.append(
                Problem(path=f"{where}.band", message=_unknown_band(threshold.band, codes))
            )
        if (index < last) == (threshold.below is None):
            message = "the last threshold, and only the last, has no bound"
            problems.append(Problem(path=f"{where}.below", message=message))
    given = [b for b in bounds if b is not None]
    if any(not low < high for low, high in itertools.pairwise(given)):
        problems.append(Problem(path=f"{path}.thresholds", message="expected bounds that rise"))
    ranks = [codes.index(t.band) for t in rule.thresholds if t.band in codes]
    if ranks != sorted(ranks):
        message = "expected bands from lowest to highest"
        problems.append(Problem(path=f"{path}.thresholds", message=message))
    return problems


def _monotone_problems(rule: BandRule, bands: BandSet, path: str) -> list[Problem]:
    codes = bands.codes()
    rank = [[codes.index(code) for code in row] for row in rule.cells]
    problems: list[Problem] = []
    for p, row in enumerate(rank):
        for c, value in enumerate(row):
            if c > 0 and value < row[c - 1]:
                problems.append(
                    Problem(
                        path=f"{path}.cells[{p}][{c}]",
                        message="the band falls as consequence rises; a band rule must not",
                    )
                )
            if p > 0 and value < rank[p - 1][c]:
                problems.append(
                    Problem(
                        path=f"{path}.cells[{p}][{c}]",
                        message="the band falls as probability rises; a band rule must not",
                    )
                )
    return problems


def check_risk_config(config: RiskConfig, *, source: str | None = None) -> RiskConfig:
    """Check the references inside a config: rules name known band sets and bands.

    >>> from samskaping.scoring import risk_config
    >>> check_risk_config(risk_config()) is risk_config()
    True

    Raises:
        DocumentError: Listing every problem with its path.
    """
    problems: list[Problem] = []
    rule_names = {rule.name for rule in config.rules}
    for index, scale in enumerate(config.scales):
        if scale.default_rule not in rule_names:
            problems.append(
                Problem(
                    path=f"$.scales[{index}].default_rule",
                    message=f"unknown band rule {scale.default_rule!r}",
                )
            )
    sets = {band_set.name: band_set for band_set in config.band_sets}
    for index, rule in enumerate(config.rules):
        problems.extend(_rule_problems(rule, sets.get(rule.band_set), f"$.rules[{index}]"))
    names: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("scales", tuple(item.name for item in config.scales)),
        ("band_sets", tuple(item.name for item in config.band_sets)),
        ("rules", tuple(item.name for item in config.rules)),
    )
    for kind, listed in names:
        problems.extend(
            Problem(path=f"$.{kind}[{index}].name", message="the name is used twice")
            for index, name in enumerate(listed)
            if name in listed[:index]
        )
    if problems:
        raise DocumentError(problems, source=source)
    return config
