"""The ``samskaping`` command line: argument parsing and exit codes only.

Exit codes: 0 success; 1 the input was read but has errors (validation findings of
severity error, or rejected requests); 2 the input could not be read or is not
structurally valid, or the command line was wrong. Messages go to standard error,
never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Final, Protocol

from samskaping._cli._common import EXIT_INPUT, fail

__all__ = ["main"]

#: Each sub-command lives in its own module with ``register(subparsers)``.
_COMMANDS: Final = ("report", "validate", "examples", "schema", "score", "payout")
_COMMANDS = (*_COMMANDS, "init", "phase_models")  # type: ignore[misc,assignment]  # authoring


class _Command(Protocol):
    def register(self, subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None: ...


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    from samskaping import __version__  # noqa: PLC0415

    parser = argparse.ArgumentParser(
        prog="samskaping",
        description="Co-creation (samskaping) projects: validate, score, decide payouts, report.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMANDS:
        module: _Command = importlib.import_module(f"samskaping._cli._{name}")
        module.register(subparsers)
    importlib.import_module("samskaping._cli._help").complete_help(parser)  # descriptions, examples
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    from samskaping._errors import SamskapingError  # noqa: PLC0415

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_INPUT
    try:
        code: int = args.run(args)
    except SamskapingError as exc:
        return fail(str(exc))
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
