"""``Profile``: what varies by municipality, as one frozen value."""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs

from samskaping._errors import UnknownNameError
from samskaping.l10n import Catalogue
from samskaping.model import Document, Severity

if TYPE_CHECKING:
    from samskaping.payouts import Policy
    from samskaping.phases import PhaseModel
    from samskaping.profile._library import Library
    from samskaping.scoring import (
        AssessmentData,
        AttainmentThresholds,
        CostProfile,
        GoalSettings,
        RiskConfig,
        SurveyInstrument,
        ViabilityThreshold,
        VulnerabilityTables,
    )

__all__ = ["Profile", "RuleSettings"]

T = TypeVar("T")

#: The rule sets run on every document unless a profile says otherwise.
DEFAULT_RULE_SETS: Final[tuple[str, ...]] = ("core",)
#: Rule sets that join in for a document that follows a phase model of that name.
DEFAULT_MODEL_RULE_SETS: Final[Mapping[str, tuple[str, ...]]] = {
    "innbyggernes_modell": ("innbyggernes_modell",)
}


@attrs.frozen(kw_only=True)
class RuleSettings:
    """Which validation rule sets run, and the severity of each finding code.

    Attributes:
        rule_sets: The rule sets run on every document (``core`` by default).
        by_phase_model: Rule sets that join in for a document following a phase model
            of that name (``innbyggernes_modell`` brings its own rules).
        severities: The severity of each finding code (``data/validation/rules.toml``,
            with the municipality's overrides).
        rule_set_of: The rule set each code belongs to.
    """

    rule_sets: tuple[str, ...] = DEFAULT_RULE_SETS
    by_phase_model: Mapping[str, tuple[str, ...]] = attrs.field(
        factory=lambda: dict(DEFAULT_MODEL_RULE_SETS)
    )
    severities: Mapping[str, Severity] = attrs.field(factory=dict)
    rule_set_of: Mapping[str, str] = attrs.field(factory=dict)

    def for_document(self, document: Document) -> tuple[str, ...]:
        """The rule sets to run on ``document``: the default sets plus its model's own.

        This is the one place that decides them, for the library, the report and the
        command line alike.

        >>> from samskaping.model import Project
        >>> RuleSettings().for_document(Project(id="p", name="P",
        ...                                     phase_model="innbyggernes_modell"))
        ('core', 'innbyggernes_modell')
        """
        chosen = list(self.rule_sets)
        for name in self.by_phase_model.get(document.phase_model or "", ()):
            if name not in chosen:
                chosen.append(name)
        return tuple(chosen)


@attrs.frozen(kw_only=True, eq=False)
class Profile:
    """What a municipality may change, as one value (*kommunens profil*).

    Validation, the report and the command line take it.

    Build the built-in one with :meth:`default`, or read a folder with
    :func:`~samskaping.profile.load_profile`, which falls back to the built-in data for
    anything the folder leaves out. Functions in phases, payouts and scoring take only
    the pieces they need (``profile.risk``, ``profile.goals.attainment``, a policy from
    ``profile.policies``).

    A profile compares by identity: two profiles read from the same folder are two
    values. Entries of its named sets are read on first use and kept by the profile.

    Attributes:
        name: A name for the profile, shown nowhere but in ``repr``.
        phase_models: Phase models by name.
        risk: Risk scales, band sets and band rules.
        goals: Goal-attainment thresholds, GAS and benefit settings.
        meeting_places: The meeting-place viability threshold.
        vulnerability: The vulnerability factors and tables.
        cost_profiles: Utenfor-regnskapet cost profiles by name.
        survey_instruments: Survey instruments by name.
        assessments: The data of the co-creation assessments.
        policies: Payout policies by the name a scheme gives.
        rules: Validation rule sets and severities.
        labels: Label overrides: texts that replace the built-in catalogue's.
    """

    name: str = "default"
    phase_models: Library[PhaseModel]
    risk: RiskConfig
    goals: GoalSettings
    meeting_places: ViabilityThreshold
    vulnerability: VulnerabilityTables
    cost_profiles: Library[CostProfile]
    survey_instruments: Library[SurveyInstrument]
    assessments: AssessmentData
    policies: Library[Policy]
    rules: RuleSettings
    labels: Catalogue = attrs.field(factory=lambda: Catalogue({}))

    @classmethod
    def default(cls) -> Profile:
        """The built-in profile: the package data, read once.

        >>> p = Profile.default()
        >>> sorted(p.phase_models)
        ['innbyggernes_modell', 'omradesatsing', 'prosjektveiviseren']
        >>> p.goals.attainment.high_from
        Decimal('80')
        >>> p is Profile.default()
        True
        """
        return _default()

    @property
    def attainment(self) -> AttainmentThresholds:
        """The goal-attainment thresholds (a shortcut for ``goals.attainment``)."""
        return self.goals.attainment

    def policy(self, name_or_path: str | os.PathLike[str]) -> Policy:
        """The profile's policy of that name, or a policy from a ``.toml`` or ``.json`` file.

        >>> Profile.default().policy("pa_egne_ben").payment_type.value
        'conditional'

        Raises:
            UnknownNameError: If the name is neither the profile's policy nor a file.
            PolicyError: If the policy is not valid.
        """
        text = os.fspath(name_or_path)
        if text in self.policies:
            return self.policies[text]
        if not Path(text).is_file():
            raise UnknownNameError("policy", text, tuple(self.policies))
        from samskaping.payouts import load_policy  # noqa: PLC0415  (the engine, on first use)

        return load_policy(text)

    def evolve(self, **changes: Any) -> Profile:
        """A new profile with some pieces replaced (``attrs.evolve``)."""
        return attrs.evolve(self, **changes)


# --- the built-in data ---------------------------------------------------------------------


def _data(*parts: str) -> Any:
    return resources.files("samskaping").joinpath("data", *parts)


def _text(*parts: str) -> str:
    text: str = _data(*parts).read_text(encoding="utf-8")
    return text


def _structure(type_: type[T], *parts: str) -> T:
    from samskaping.io import parse, structure  # noqa: PLC0415  (the converter, on first use)

    name = "/".join(parts)
    result: T = structure(parse(_text(*parts), "toml", source=name), type_, source=name)
    return result


def _stems(*parts: str) -> tuple[str, ...]:
    folder = _data(*parts)
    if not folder.is_dir():
        return ()
    names = (e.name.removesuffix(".toml") for e in folder.iterdir() if e.name.endswith(".toml"))
    return tuple(sorted(names))


def builtin_rule_settings() -> RuleSettings:
    """The rule settings of ``data/validation/rules.toml``."""
    from samskaping.io import parse  # noqa: PLC0415  (the parser, on first use)

    data = parse(_text("validation", "rules.toml"), "toml", source="rules.toml")
    severities: dict[str, Severity] = {}
    rule_set_of: dict[str, str] = {}
    for rule_set, rules in data.items():
        for code, spec in rules.items():
            severities[code] = Severity(spec["severity"])
            rule_set_of[code] = rule_set
    return RuleSettings(severities=severities, rule_set_of=rule_set_of)


def _builtin_libraries() -> dict[str, Any]:
    from samskaping.payouts import loads_policy  # noqa: PLC0415  (policies, on first use)
    from samskaping.phases import loads_phase_model  # noqa: PLC0415  (lazy: on first use)
    from samskaping.profile._library import Library  # noqa: PLC0415  (lazy: on first use)
    from samskaping.scoring import read_cost_profile, read_survey_instrument  # noqa: PLC0415  (lazy: on first use)

    def phase(name: str) -> Any:
        return lambda: loads_phase_model(
            _text("phase_models", f"{name}.toml"), "toml", source=f"{name}.toml"
        )

    def policy(name: str) -> Any:
        return lambda: loads_policy(
            _text("policies", f"{name}.toml"), "toml", source=f"{name}.toml"
        )

    def instrument(name: str) -> Any:
        return lambda: read_survey_instrument(
            _text("instruments", f"{name}.toml"), "toml", source=f"{name}.toml"
        )

    def cost(name: str) -> Any:
        return lambda: read_cost_profile(
            _text("scales", "cost_profiles", f"{name}.toml"), "toml", source=f"{name}.toml"
        )

    return {
        "phase_models": Library({n: phase(n) for n in _stems("phase_models")}),
        "policies": Library({n: policy(n) for n in _stems("policies")}),
        "survey_instruments": Library({n: instrument(n) for n in _stems("instruments")}),
        "cost_profiles": Library({n: cost(n) for n in _stems("scales", "cost_profiles")}),
    }


def builtin_assessments() -> AssessmentData:
    """The assessment data of ``data/assessments`` (one file per field)."""
    from samskaping.scoring import AssessmentData  # noqa: PLC0415  (scoring's types, on first use)

    attrs.resolve_types(AssessmentData)
    parts = {
        field.name: _structure(field.type or object, "assessments", f"{field.name}.toml")
        for field in attrs.fields(AssessmentData)
    }
    return AssessmentData(**parts)


@cache
def _default() -> Profile:
    """The built-in profile. The only cached configuration: the profile itself."""
    from samskaping.scoring import (  # noqa: PLC0415  (scoring's data types, on first use)
        GoalSettings,
        RiskConfig,
        ViabilityThreshold,
        VulnerabilityTables,
        check_risk_config,
    )

    return Profile(
        name="default",
        risk=check_risk_config(_structure(RiskConfig, "scales", "risk.toml"), source="risk.toml"),
        goals=_structure(GoalSettings, "scales", "goals.toml"),
        meeting_places=_structure(ViabilityThreshold, "scales", "meeting_places.toml"),
        vulnerability=_structure(VulnerabilityTables, "scales", "vulnerability.toml"),
        assessments=builtin_assessments(),
        rules=builtin_rule_settings(),
        **_builtin_libraries(),
    )
