"""Validation: domain rules that return findings, never exceptions (DOMAIN §3)."""

from samskaping.validation._findings import Finding, RuleInfo, rule_catalogue
from samskaping.validation._rules import RULE_SETS, Scope
from samskaping.validation._validate import DEFAULT_RULES, has_errors, rule_sets, validate

__all__ = [
    "DEFAULT_RULES",
    "RULE_SETS",
    "Finding",
    "RuleInfo",
    "Scope",
    "has_errors",
    "rule_catalogue",
    "rule_sets",
    "validate",
]
