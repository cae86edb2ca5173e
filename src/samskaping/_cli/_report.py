"""``samskaping report``: the main job."""

from __future__ import annotations

import argparse
import datetime
import os
from typing import TYPE_CHECKING

from samskaping._cli._as_of import add_as_of_argument
from samskaping._cli._common import (
    EXIT_OK,
    OutputError,
    add_document_arguments,
    add_format_argument,
    add_lang_argument,
    add_profile_argument,
    emit,
    iso_date,
    shorten,
    stdout,
    write_output,
)

if TYPE_CHECKING:
    from samskaping.model import Document

__all__ = ["register"]

#: The example reported on when no document is named.
DEFAULT_EXAMPLE = "innbyggerbasen"


def _date(text: str) -> datetime.date:
    try:
        return iso_date(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date (YYYY-MM-DD), got {shorten(text)!r}"
        ) from None


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``report`` command."""
    parser = subparsers.add_parser(
        "report",
        help="a complete report on a project (default: the embedded innbyggerbasen example)",
        description="Report on a project document or an embedded example, in the terminal, "
        "as Markdown, JSON, one self-contained HTML file, or a PDF (with the optional `pdf` "
        "extra: pip install 'samskaping[pdf]').",
    )
    add_document_arguments(parser, required=False)
    add_format_argument(parser, ("text", "markdown", "json", "html", "pdf"), "text")
    add_lang_argument(parser)
    add_profile_argument(parser)
    parser.add_argument("-o", "--output", metavar="OUT", help="write the report to a file instead")
    add_as_of_argument(parser, document=True, parse=_date)
    parser.add_argument(
        "--details",
        action="store_true",
        help="add what developers use: JSON paths, API and command-line hints",
    )
    parser.add_argument(
        "--plain",
        action="store_true",
        help="no colour, even in a terminal with the optional `cli` extra (rich) installed",
    )
    parser.set_defaults(run=_run)


def _colour_terminal(args: argparse.Namespace) -> bool:
    """Colour only on a terminal, with rich installed, unless --plain or NO_COLOR says no."""
    if args.plain or os.environ.get("NO_COLOR") or not stdout().isatty():
        return False
    from samskaping.report import rich_available  # noqa: PLC0415  (lazy: loaded on use)

    return rich_available()


def _run(args: argparse.Namespace) -> int:
    from samskaping._cli._common import load_document, profile_of  # noqa: PLC0415  (lazy: loaded on use)
    from samskaping.report import render_report  # noqa: PLC0415  (lazy: loaded on use)

    document = load_document(args, default_example=DEFAULT_EXAMPLE)
    profile = profile_of(args)
    if args.format == "text" and not args.output and _colour_terminal(args):
        from rich.console import Console  # noqa: PLC0415  (lazy: loaded on use)

        from samskaping.report import compose, render_rich, report_data  # noqa: PLC0415  (lazy: loaded on use)

        data = report_data(document, lang=args.lang, as_of=args.as_of, profile=profile)
        render_rich(compose(data, details=args.details, profile=profile), Console())
        return EXIT_OK
    if args.format == "pdf":
        return _run_pdf(args, document)
    text = render_report(
        document,
        format=args.format,
        lang=args.lang,
        as_of=args.as_of,
        details=args.details,
        profile=profile,
    )
    if args.output:
        write_output(args.output, text)
    else:
        emit(text)
    return EXIT_OK


def _run_pdf(args: argparse.Namespace, document: Document) -> int:
    """The PDF report, to ``-o FILE`` or, when standard output is not a terminal, to it."""
    from samskaping.report import render_pdf  # noqa: PLC0415  (lazy: loaded on use)

    if not args.output and stdout().isatty():
        raise OutputError("a PDF is not for the terminal: give -o FILE.pdf or redirect the output")
    pdf = render_pdf(document, lang=args.lang, as_of=args.as_of, details=args.details)
    try:
        if args.output:
            with open(args.output, "wb") as handle:  # noqa: PTH123
                handle.write(pdf)
        else:
            stdout().buffer.write(pdf)
            stdout().flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        where = shorten(args.output) if args.output else "standard output"
        raise OutputError(f"cannot write {where!r}: {exc.strerror or exc}") from None
    return EXIT_OK
