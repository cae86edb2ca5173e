"""``samskaping init``: write a commented project template that validates."""

from __future__ import annotations

import argparse
from pathlib import Path

from samskaping._cli._common import EXIT_OK, add_lang_argument, emit

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``init`` command."""
    parser = subparsers.add_parser(
        "init",
        help="write a commented project template to start a document from",
        description="Write a commented TOML project document that follows a phase model "
        "and validates: each phase key, and the documents each gate asks for.",
        epilog="examples:\n  samskaping init -o prosjekt.toml\n"
        "  samskaping init --phase-model omradesatsing --lang nn -o prosjekt.toml",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--phase-model",
        default="prosjektveiviseren",
        metavar="NAME",
        help="the built-in phase model (see: samskaping phase-models list)",
    )
    add_lang_argument(parser)
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from samskaping.phases import project_template  # noqa: PLC0415  (lazy: loaded on use)

    text = project_template(args.phase_model, lang=args.lang)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        emit(text.rstrip("\n"))
    return EXIT_OK
