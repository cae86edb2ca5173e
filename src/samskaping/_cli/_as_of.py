"""One rule for every ``--as-of``: the date a command's answer is given for.

The rule, the same for every command:

- ``--as-of DATE`` is always honoured.
- Without it, the date is the input's own date: the end of a project document's period
  (``report``, ``score goals``).
- An input with no date of its own (a payout request, a population, a grid, a ledger
  decision, or a document with no end date) is decided as of today in Europe/Oslo. A
  report on a document with no end date that is not stated to be running then says
  *undated* rather than show today's date.
"""

from __future__ import annotations

import argparse
import datetime
from typing import Any, Final

from samskaping.l10n import today_in_oslo

__all__ = ["DOCUMENT_HELP", "LIVE_HELP", "add_as_of_argument", "today"]

#: ``--help`` of a command that reads a project document.
DOCUMENT_HELP: Final = (
    "the date (YYYY-MM-DD) the answer is given for; default: the document's own date "
    "(the end of its period), else today in Europe/Oslo (a report then says 'undated')"
)
#: ``--help`` of a command whose input has no date of its own.
LIVE_HELP: Final = (
    "the date (YYYY-MM-DD) the answer is given for; default: today in Europe/Oslo "
    "(the input has no date of its own)"
)


def today() -> datetime.date:
    """Today's date in Europe/Oslo, where the decisions are made."""
    return today_in_oslo()


def add_as_of_argument(
    parser: argparse.ArgumentParser, *, document: bool, parse: Any = None
) -> None:
    """Add ``--as-of DATE`` to ``parser``, with the rule's help for its kind of input.

    ``document`` says whether the command reads a project document (whose end date is
    the default) or a dateless input (today in Europe/Oslo). ``parse`` parses the date.
    """
    parser.add_argument(
        "--as-of",
        type=parse,
        metavar="DATE",
        help=DOCUMENT_HELP if document else LIVE_HELP,
    )
