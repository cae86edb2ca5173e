"""Findings: what validation reports, as data.

A finding's message is a :class:`~samskaping.l10n.Message` (``finding.<code>`` in the
label catalogue) filled with its typed parameters, as every localised message is.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, ClassVar, Final

import attrs

from samskaping.io import parse, register_result_hooks, result_json
from samskaping.l10n import DEFAULT_LANG, Catalogue, LabelRef, Lang, Message, default_catalogue
from samskaping.model import Severity
from samskaping.profile import Profile

if TYPE_CHECKING:
    from cattrs import Converter

__all__ = ["Finding", "LabelRef", "RuleInfo", "render", "rule_catalogue"]

_SEVERITY_ORDER: Final = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@attrs.frozen(kw_only=True)
class Finding:
    """One thing validation found in a document.

    Attributes:
        code: A stable code such as ``phase.order``; see ``docs/validation.md``.
        severity: ``error``, ``warning`` or ``info``.
        path: A JSON path to the place in the document, e.g. ``$.phases[2].start``.
        message: What is wrong, in the language asked for.
        params: The values the message was filled with, as text.
    """

    code: str
    severity: Severity
    path: str
    message: str
    params: Mapping[str, str] = attrs.field(factory=dict, eq=False, repr=False)

    def to_dict(self) -> dict[str, str]:
        """The stable JSON shape: ``code``, ``severity``, ``path`` and ``message``."""
        return result_json(self)  # type: ignore[no-any-return]

    def sort_key(self) -> tuple[int, str, str]:
        """Errors first, then by path and code."""
        return (_SEVERITY_ORDER[self.severity], self.path, self.code)

    def __str__(self) -> str:
        return f"{self.severity.value}: {self.path}: {self.message} [{self.code}]"


@register_result_hooks
def _install_json_hooks(converter: Converter, lang: Lang | None, reveal: bool) -> None:  # noqa: FBT001
    # A finding's message is already in its language; its parameters stay out of the JSON.
    del lang, reveal

    def finding(value: Finding) -> dict[str, str]:
        return {
            "code": value.code,
            "severity": value.severity.value,
            "path": value.path,
            "message": value.message,
        }

    converter.register_unstructure_hook(Finding, finding)


@attrs.frozen(kw_only=True)
class RuleInfo:
    """A rule's code, default severity and rule set, as the rule catalogue gives them."""

    code: str
    severity: Severity
    rule_set: str
    source: str | None = None


@cache
def rule_catalogue() -> Mapping[str, RuleInfo]:
    """Every finding code with its default severity and rule set (from the package data).

    Validation itself reads the severities of its profile
    (:attr:`samskaping.profile.Profile.rules`); this is the built-in catalogue, for reference.
    """
    text = (resources.files("samskaping") / "data" / "validation" / "rules.toml").read_text("utf-8")
    data = parse(text, "toml", source="rules.toml")
    out: dict[str, RuleInfo] = {}
    for rule_set, rules in data.items():
        for code, spec in rules.items():
            out[code] = RuleInfo(
                code=code,
                severity=Severity(spec["severity"]),
                rule_set=rule_set,
                source=spec.get("source"),
            )
    return out


class _FindingMessage(Message):
    """A finding's message: its text is ``finding.<code>`` in the label catalogue."""

    PREFIX: ClassVar[str] = "finding."


def render(
    code: str,
    path: str,
    params: Mapping[str, Any],
    *,
    lang: Lang = DEFAULT_LANG,
    severity: Severity | None = None,
    profile: Profile | None = None,
) -> Finding:
    """Build a finding with its message in ``lang`` from the label ``finding.<code>``.

    A code of the caller's own rule (not in the catalogue) is an error unless
    ``severity`` says otherwise, and its message is the code with its values. The
    severities and label overrides are the ``profile``'s (the built-in one by default).
    """
    profile = profile or Profile.default()
    known = profile.rules.severities.get(code)
    found = _FindingMessage(code=code, params=tuple(params.items()))
    texts = found.values(lang)
    key = found.key
    if key in profile.labels.texts:
        entry = {**default_catalogue().texts.get(key, {}), **profile.labels.texts[key]}
        text = found.text(lang, catalogue=Catalogue({key: entry}))
    elif known is None or key not in default_catalogue().texts:
        values = ", ".join(f"{name}={text}" for name, text in texts.items())
        text = f"{code} ({values})" if values else code
    else:
        text = found.text(lang)
    return Finding(
        code=code,
        severity=severity or known or Severity.ERROR,
        path=path,
        message=text,
        params=texts,
    )
