"""Helpers shared by the sub-commands: common options, loading, output."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Final

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_INPUT",
    "EXIT_OK",
    "add_document_arguments",
    "add_format_argument",
    "add_lang_argument",
    "emit",
    "emit_json",
    "fail",
    "load_document",
]

EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1
EXIT_INPUT: Final = 2


def fail(message: str) -> int:
    """Print an error message (no traceback) and return the input-error exit code."""
    sys.stderr.write(f"samskaping: error: {message}\n")
    return EXIT_INPUT


def add_lang_argument(parser: argparse.ArgumentParser) -> None:
    """``--lang nb|nn|en`` (default ``nb``)."""
    parser.add_argument(
        "--lang",
        choices=("nb", "nn", "en"),
        default="nb",
        help="language of the output (default: nb)",
    )


def add_format_argument(
    parser: argparse.ArgumentParser, choices: tuple[str, ...], default: str
) -> None:
    """``--format`` with the given choices."""
    parser.add_argument(
        "--format", choices=choices, default=default, help=f"output format (default: {default})"
    )


def add_document_arguments(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    """``FILE`` or ``--example NAME``."""
    parser.add_argument(
        "file", nargs="?", metavar="FILE", help="a project document (.json or .toml)"
    )
    parser.add_argument(
        "--example", metavar="NAME", help="use an embedded example instead of a file"
    )
    parser.set_defaults(document_required=required)


def load_document(args: argparse.Namespace, *, default_example: str | None = None) -> Any:
    """Load the document named by ``FILE`` or ``--example`` (raises SamskapingError)."""
    from samskaping._errors import InvalidInputError  # noqa: PLC0415

    if args.file and args.example:
        raise InvalidInputError("give either FILE or --example, not both")
    if args.file:
        from samskaping.io import load  # noqa: PLC0415

        return load(args.file)
    name = args.example or default_example
    if name is None:
        raise InvalidInputError("give a FILE or --example NAME (see `samskaping examples list`)")
    from samskaping.examples import load_example  # noqa: PLC0415

    return load_example(name)


def emit_json(data: Any) -> None:
    """Print data as indented JSON (decimals as strings, dates as ISO dates)."""
    from samskaping.io._load import _json_default  # noqa: PLC0415

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n")


def emit(text: str) -> None:
    """Print text, ending with one newline."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
