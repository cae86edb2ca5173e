"""``samskaping validate FILE|--example NAME``."""

from __future__ import annotations

import argparse
from typing import Any

from samskaping._cli._common import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_OK,
    add_document_arguments,
    add_format_argument,
    add_lang_argument,
    add_profile_argument,
    emit,
    emit_json,
    load_document,
    profile_of,
)
from samskaping._errors import DocumentError

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``validate`` command."""
    parser = subparsers.add_parser(
        "validate",
        help="check a project document against the domain rules",
        description="Exit codes: 0 no errors, 1 validation errors, "
        "2 unreadable or malformed input.",
    )
    add_document_arguments(parser)
    add_format_argument(parser, ("text", "json"), "text")
    add_lang_argument(parser)
    add_profile_argument(parser)
    parser.add_argument(
        "--rules",
        default=None,
        metavar="SETS",
        help="comma-separated rule sets: core, innbyggernes_modell "
        "(default: the profile's: core, plus innbyggernes_modell for a programme that "
        "follows that model)",
    )
    parser.set_defaults(run=_run)


def default_rule_sets(document: Any) -> tuple[str, ...]:
    """The rule sets to run when none are named: the built-in profile decides."""
    from samskaping.profile import Profile  # noqa: PLC0415  (lazy: loaded on use)

    return Profile.default().rules.for_document(document)


def _run(args: argparse.Namespace) -> int:
    from samskaping.l10n import label, message  # noqa: PLC0415  (lazy: loaded on use)
    from samskaping.validation import has_errors, validate  # noqa: PLC0415  (lazy: loaded on use)

    try:
        document = load_document(args)
    except DocumentError as exc:
        if args.format != "json":
            raise
        # Asked for JSON, a structural error comes as JSON too: each problem with its path.
        emit_json(
            [
                {
                    "severity": "error",
                    "code": "document.structure",
                    "path": p.path,
                    "message": p.message,
                }
                for p in exc.problems
            ]
        )
        return EXIT_INPUT
    profile = profile_of(args)
    rules = tuple(r.strip() for r in args.rules.split(",") if r.strip()) if args.rules else None
    findings = validate(document, rules=rules or None, lang=args.lang, profile=profile)
    if args.format == "json":
        emit_json([finding.to_dict() for finding in findings])
    elif not findings:
        emit(label("cli.validate.clean", args.lang).format(name=document.name))
    else:
        for finding in findings:
            severity = label(f"enum.severity.{finding.severity.value}", args.lang)
            emit(f"{severity}: {finding.path}: {finding.message} [{finding.code}]")
        counts = {
            s: sum(1 for f in findings if f.severity.value == s)
            for s in ("error", "warning", "info")
        }
        emit(message("cli.validate.summary", args.lang, **counts))
    return EXIT_FINDINGS if has_errors(findings) else EXIT_OK
