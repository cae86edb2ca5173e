"""``validate``: run the rule sets over a document and return findings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from samskaping._errors import UnknownNameError
from samskaping.l10n import DEFAULT_LANG, Lang, check_lang
from samskaping.model import Document, Programme, Severity
from samskaping.phases import PhaseModel
from samskaping.profile import Profile
from samskaping.validation._findings import Finding, render
from samskaping.validation._rules import RULE_SETS, Rule, Scope

__all__ = ["DEFAULT_RULES", "has_errors", "rule_sets", "validate"]

#: The rule sets every document gets by default; a document following a phase model with
#: rules of its own (``innbyggernes_modell``) gets those too: see
#: :meth:`samskaping.profile.RuleSettings.for_document`, the one place that decides.
DEFAULT_RULES: tuple[str, ...] = ("core",)


def rule_sets() -> tuple[str, ...]:
    """The names of the rule sets: ``core`` and the optional ``innbyggernes_modell``."""
    return tuple(RULE_SETS)


def _resolve_rules(rules: Iterable[str | Rule]) -> tuple[Rule, ...]:
    chosen: list[Rule] = []
    for item in rules:
        if isinstance(item, str):
            if item not in RULE_SETS:
                raise UnknownNameError("rule set", item, RULE_SETS)
            chosen.extend(RULE_SETS[item])
        else:
            chosen.append(item)
    return tuple(chosen)


def _model_for(
    name: str | None, models: Mapping[str, PhaseModel], profile: Profile
) -> PhaseModel | None:
    if name is None:
        return None
    if name in models:
        return models[name]
    if name in profile.phase_models:
        return profile.phase_models[name]
    return None


def validate(
    document: Document,
    *,
    rules: Iterable[str | Rule] | None = None,
    lang: Lang = DEFAULT_LANG,
    phase_models: Mapping[str, PhaseModel] | None = None,
    severities: Mapping[str, Severity] | None = None,
    profile: Profile | None = None,
) -> tuple[Finding, ...]:
    """Check a project or programme against the rules of its domain (DOMAIN §3).

    Validation never raises on a well-formed document: every problem is a
    :class:`Finding` with a stable code, a severity, a JSON path and a message in
    ``lang``. Errors come first, then warnings, then notes.

    Args:
        document: The project or programme.
        rules: Rule-set names (``"core"``, ``"innbyggernes_modell"``) or rule
            functions; by default the profile's for this document
            (``core``, plus ``innbyggernes_modell`` for a document that follows it).
        lang: The language of the messages: ``nb``, ``nn`` or ``en``.
        phase_models: More phase models by name; the profile's are found by name
            otherwise.
        severities: Severity overrides by finding code (over the profile's).
        profile: The municipality's profile: phase models, scales, instruments,
            cost profiles, policies, rule sets, severities and labels. The built-in
            one by default.

    Returns:
        The findings, errors first.

    Raises:
        UnknownNameError: If a rule set is unknown.
        InvalidInputError: If ``lang`` is not supported.

    >>> from samskaping.model import Project
    >>> [f.code for f in validate(Project(id="p", name="P"))]
    ['roles.project_manager_missing', 'roles.project_owner']
    """
    lang = check_lang(lang)
    profile = profile or Profile.default()
    chosen = _resolve_rules(profile.rules.for_document(document) if rules is None else rules)
    models = dict(phase_models or {})
    overrides = dict(severities or {})
    scopes = [
        Scope(
            project=document,
            path="$",
            model=_model_for(document.phase_model, models, profile),
            profile=profile,
        )
    ]
    if isinstance(document, Programme):
        for index, project in enumerate(document.projects):
            scopes.append(
                Scope(
                    project=project,
                    path=f"$.projects[{index}]",
                    model=_model_for(project.phase_model, models, profile),
                    profile=profile,
                    inherited_actors=document.actors,
                    is_subproject=True,
                )
            )
    findings = [
        render(code, path, params, lang=lang, severity=overrides.get(code), profile=profile)
        for scope in scopes
        for rule in chosen
        for code, path, params in rule(scope)
    ]
    return tuple(sorted(findings, key=Finding.sort_key))


def has_errors(findings: Iterable[Finding]) -> bool:
    """Whether any finding is an error."""
    return any(f.severity is Severity.ERROR for f in findings)
