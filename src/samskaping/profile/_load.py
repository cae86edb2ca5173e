"""``load_profile``: a municipality's profile from a folder of TOML or JSON files."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final, TypeVar

import attrs

from samskaping._errors import DocumentError, InvalidInputError, Problem
from samskaping.l10n import Catalogue
from samskaping.model import Severity
from samskaping.profile._library import Library
from samskaping.profile._profile import Profile, RuleSettings

__all__ = ["PROFILE_LAYOUT", "load_profile"]

T = TypeVar("T")

#: The files and folders a profile folder may hold; each is optional.
PROFILE_LAYOUT: Final[Mapping[str, str]] = {
    "phase_models/NAME.toml": "a phase model, named by its file",
    "policies/NAME.toml": "a payout policy, named by its file (a scheme's `policy`)",
    "instruments/NAME.toml": "a survey instrument, named by its file",
    "cost_profiles/NAME.toml": "an utenfor-regnskapet cost profile, named by its file",
    "scales/risk.toml": "risk scales, band sets and rules, added to or replacing the built-in ones",
    "scales/goals.toml": "goal thresholds: the tables [attainment], [gas], [benefits]",
    "scales/meeting_places.toml": "the meeting-place viability threshold",
    "scales/vulnerability.toml": "the vulnerability factors and tables",
    "assessments/NAME.toml": "an assessment's data (idea_diamond, considerations, ...)",
    "validation.toml": "rule_sets, [by_phase_model] and [severities]",
    "labels/NAME.toml": "label overrides in nb, nn and en",
}

_SUFFIXES: Final = (".toml", ".json")


def _fmt(path: Path) -> Any:
    from samskaping.io import format_of  # noqa: PLC0415  (io loads on use, as below)

    return format_of(path, "toml")


def _files(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix in _SUFFIXES and path.is_file():
            if path.stem in found:
                raise DocumentError(
                    [Problem(path="$", message=f"{path.stem} is given twice (TOML and JSON)")],
                    source=str(folder),
                )
            found[path.stem] = path
    return found


def _one(folder: Path, stem: str) -> Path | None:
    for suffix in _SUFFIXES:
        path = folder / f"{stem}{suffix}"
        if path.is_file():
            return path
    return None


def _reader(path: Path, read: Callable[[str, Any, str], T]) -> Callable[[], T]:
    from samskaping.io import read_text  # noqa: PLC0415  (lazy: only when the entry is used)

    return lambda: read(read_text(path), _fmt(path), path.name)


def _data(path: Path) -> dict[str, Any]:
    from samskaping.io import parse, read_text  # noqa: PLC0415  (the parser, on first use)

    data: dict[str, Any] = parse(read_text(path), _fmt(path), source=path.name)
    return data


def _sectioned(default: T, path: Path | None) -> T:
    """``default`` with the top-level tables of ``path`` replacing its own."""
    if path is None:
        return default
    from samskaping.io import structure, unstructure  # noqa: PLC0415  (the converter)

    merged = unstructure(default)
    merged.update(_data(path))
    result: T = structure(merged, type(default), source=path.name)
    return result


def _rules(default: RuleSettings, path: Path | None) -> RuleSettings:
    if path is None:
        return default
    data = _data(path)
    problems: list[Problem] = []
    unknown = sorted(set(data) - {"rule_sets", "by_phase_model", "severities"})
    problems.extend(Problem(path=f"$.{key}", message="unknown key") for key in unknown)
    severities = dict(default.severities)
    for code, value in dict(data.get("severities", {})).items():
        try:
            severities[code] = Severity(value)
        except ValueError:
            problems.append(
                Problem(path=f"$.severities.{code}", message="expected error, warning or info")
            )
    rule_sets = data.get("rule_sets", default.rule_sets)
    by_model = data.get("by_phase_model", default.by_phase_model)
    if not isinstance(rule_sets, list | tuple) or not all(isinstance(r, str) for r in rule_sets):
        problems.append(Problem(path="$.rule_sets", message="expected a list of rule-set names"))
    if problems:
        raise DocumentError(problems, source=path.name)
    return attrs.evolve(
        default,
        rule_sets=tuple(rule_sets),
        by_phase_model={str(k): tuple(v) for k, v in dict(by_model).items()},
        severities=severities,
    )


def load_profile(folder: str | os.PathLike[str], *, base: Profile | None = None) -> Profile:
    """Read a municipality's profile from a folder; what it leaves out comes from ``base``.

    The layout is :data:`PROFILE_LAYOUT` (see ``docs/profile.md``); every file may be
    TOML or JSON and every file is optional. Named entries (phase models, policies,
    instruments, cost profiles) are added to the base's or replace those of the same
    name; they are read and checked when first used.

    Args:
        folder: The profile's folder.
        base: The profile to fall back to (the built-in one by default).

    Raises:
        InvalidInputError: If the folder does not exist.
        DocumentError: If a file is malformed (every problem with its path).
    """
    from samskaping.io import structure  # noqa: PLC0415  (lazy: on first use)
    from samskaping.payouts import loads_policy  # noqa: PLC0415  (the engine, on first use)
    from samskaping.phases import loads_phase_model  # noqa: PLC0415  (lazy: on first use)
    from samskaping.scoring import (  # noqa: PLC0415  (lazy: on first use)
        RiskConfig,
        check_risk_config,
        read_cost_profile,
        read_survey_instrument,
    )

    root = Path(folder)
    if not root.is_dir():
        raise InvalidInputError(f"no profile folder {os.fspath(folder)!r}", what="profile")
    base = base or Profile.default()

    def library(name: str, read: Callable[[str, Any, str], T], current: Library[T]) -> Library[T]:
        own = {stem: _reader(path, read) for stem, path in _files(root / name).items()}
        return current.merged(Library(own)) if own else current

    risk = base.risk
    risk_path = _one(root / "scales", "risk")
    if risk_path is not None:
        own: Any = structure(_data(risk_path), RiskConfig, source=risk_path.name)
        risk = check_risk_config(base.risk.merged(own), source=risk_path.name)
    assessments = base.assessments
    for stem, path in _files(root / "assessments").items():
        if stem not in attrs.fields_dict(type(assessments)):
            raise DocumentError(
                [Problem(path="$", message=f"unknown assessment data {stem!r}")], source=path.name
            )
        attrs.resolve_types(type(assessments))
        field = attrs.fields_dict(type(assessments))[stem]
        value: Any = structure(_data(path), field.type, source=path.name)
        assessments = attrs.evolve(assessments, **{stem: value})
    labels = base.labels
    label_files = sorted((root / "labels").glob("*.toml")) if (root / "labels").is_dir() else []
    if label_files:
        labels = labels.merged(Catalogue.from_files(label_files))
    scales = root / "scales"
    return Profile(
        name=root.name,
        phase_models=library(
            "phase_models",
            lambda t, f, s: loads_phase_model(t, f, source=s),
            base.phase_models,
        ),
        policies=library("policies", lambda t, f, s: loads_policy(t, f, source=s), base.policies),
        survey_instruments=library(
            "instruments",
            lambda t, f, s: read_survey_instrument(t, f, source=s),
            base.survey_instruments,
        ),
        cost_profiles=library(
            "cost_profiles", lambda t, f, s: read_cost_profile(t, f, source=s), base.cost_profiles
        ),
        risk=risk,
        goals=_sectioned(base.goals, _one(scales, "goals")),
        meeting_places=_sectioned(base.meeting_places, _one(scales, "meeting_places")),
        vulnerability=_sectioned(base.vulnerability, _one(scales, "vulnerability")),
        assessments=assessments,
        rules=_rules(base.rules, _one(root, "validation")),
        labels=labels,
    )
