"""``samskaping import risks|deliverables FILE.csv|FILE.xlsx [-o OUT.toml]``.

Exit codes: 0 every row was imported; 1 the file was read, but some rows hold values a
deliverable cannot have (each named on standard error by its row and column; the other
rows are written); 2 the file could not be read, or a risk register holds a bad value.
"""

from __future__ import annotations

import argparse
import sys

from samskaping._cli._common import EXIT_FINDINGS, EXIT_OK, emit, one_line, write_output

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``import`` command."""
    parser = subparsers.add_parser(
        "import",
        help="import a risk register or a deliverables list from a spreadsheet "
        "(CSV, or XLSX with the xlsx extra)",
        description="Read a risk register or a deliverables list kept in a spreadsheet "
        "(exported from Prosjektportalen, for example) and write it as [[risks]] or "
        "[[deliverables]] tables to paste into a project document.",
    )
    what = parser.add_subparsers(dest="what", metavar="WHAT", required=True)
    risks = what.add_parser(
        "risks",
        help="a risk register (.csv or .xlsx)",
        description="Read a risk register. The first row names the columns (Tittel, "
        "Beskrivelse, Kategori, Sannsynlighet, Konsekvens, Sannsynlighet etter tiltak, "
        "Konsekvens etter tiltak, Tiltak, Status, Merknad, or their English names).",
    )
    risks.add_argument("file", metavar="FILE", help="the register: FILE.csv or FILE.xlsx")
    risks.add_argument("-o", "--output", metavar="OUT", help="write the TOML to a file instead")
    risks.set_defaults(run=_risks)

    deliverables = what.add_parser(
        "deliverables",
        help="a deliverables list (.csv or .xlsx)",
        description="Read a deliverables list. The first row names the columns "
        "(Prosjektportalen's Tittel, Leveransebeskrivelse, Fase, Leveransestatus, "
        "'Kommentar, leveransestatus'; also Type, Videreført av, Videreført til, "
        "Begrunnelse, Kilde, or their English names). Exit code 1 when some rows were "
        "refused: each is named by its row and column on standard error.",
    )
    deliverables.add_argument("file", metavar="FILE", help="the list: FILE.csv or FILE.xlsx")
    deliverables.add_argument(
        "--phase", metavar="KEY", help="the phase of rows with no Fase (a phase key)"
    )
    deliverables.add_argument(
        "--kind",
        metavar="KIND",
        help="the kind of rows with no Type: working_model, proposal or report "
        "(arbeidsmodell, forslag, rapport)",
    )
    deliverables.add_argument(
        "-o", "--output", metavar="OUT", help="write the TOML to a file instead"
    )
    deliverables.set_defaults(run=_deliverables)


def _write(args: argparse.Namespace, text: str) -> None:
    if args.output:
        write_output(args.output, text)
    else:
        emit(text)


def _risks(args: argparse.Namespace) -> int:
    from samskaping.io import import_risks, risks_toml  # noqa: PLC0415  (lazy: loaded on use)

    _write(args, risks_toml(import_risks(args.file)))
    return EXIT_OK


def _deliverables(args: argparse.Namespace) -> int:
    from samskaping.io import deliverables_toml, import_deliverables  # noqa: PLC0415  (lazy: loaded on use)

    found = import_deliverables(args.file, phase=args.phase, kind=args.kind)
    _write(args, deliverables_toml(found.deliverables))
    for problem in found.problems:
        sys.stderr.write(f"samskaping: {one_line(str(problem))}\n")
    return EXIT_FINDINGS if found.problems else EXIT_OK
