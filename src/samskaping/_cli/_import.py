"""``samskaping import risks FILE.csv|FILE.xlsx [-o OUT.toml]``."""

from __future__ import annotations

import argparse

from samskaping._cli._common import EXIT_OK, emit, write_output

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``import`` command."""
    parser = subparsers.add_parser(
        "import",
        help="import a risk register from a spreadsheet (CSV, or XLSX with the xlsx extra)",
        description="Read a risk register kept in a spreadsheet and write it as [[risks]] "
        "tables to paste into a project document. The first row names the columns "
        "(Tittel, Beskrivelse, Kategori, Sannsynlighet, Konsekvens, Sannsynlighet etter "
        "tiltak, Konsekvens etter tiltak, Tiltak, Status, Merknad, or their English names).",
        epilog="examples:\n  samskaping import risks risikoregister.csv\n"
        "  samskaping import risks usikkerheter.xlsx -o risks.toml",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    what = parser.add_subparsers(dest="what", metavar="WHAT", required=True)
    risks = what.add_parser("risks", help="a risk register (.csv or .xlsx)")
    risks.add_argument("file", metavar="FILE", help="the register: FILE.csv or FILE.xlsx")
    risks.add_argument("-o", "--output", metavar="OUT", help="write the TOML to a file instead")
    risks.set_defaults(run=_risks)


def _risks(args: argparse.Namespace) -> int:
    from samskaping.io import import_risks, risks_toml  # noqa: PLC0415

    text = risks_toml(import_risks(args.file))
    if args.output:
        write_output(args.output, text)
    else:
        emit(text)
    return EXIT_OK
