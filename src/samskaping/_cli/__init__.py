"""The ``samskaping`` command line: argument parsing and exit codes only.

Exit codes: 0 success; 1 the input was read but has errors (validation findings of
severity error, or rejected requests); 2 the input could not be read or is not
structurally valid, an output could not be written, or the command line was wrong.
Messages go to standard error as one line, never as a traceback; ``--debug`` (or the
environment variable ``SAMSKAPING_DEBUG=1``) adds the traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Sequence
from typing import Final, NoReturn, Protocol

from samskaping import __version__
from samskaping._cli._common import EXIT_INPUT, OutputError, fail, one_line, shorten
from samskaping._errors import DocumentError, SamskapingError

__all__ = ["main"]

#: Each sub-command lives in its own module with ``register(subparsers)``.
_COMMANDS: Final = (
    "report",
    "validate",
    "examples",
    "schema",
    "score",
    "payout",
    "ledger",
    "serve",
    "init",
    "phase_models",
    "import",
)
#: Set this environment variable (to anything but ``0`` or empty) to see tracebacks.
DEBUG_VARIABLE: Final = "SAMSKAPING_DEBUG"


class _Command(Protocol):
    def register(self, subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None: ...


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (the usage is in ``--help``)."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {one_line(message)} (see `{self.prog} --help`)\n")
        sys.exit(EXIT_INPUT)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser: argparse.ArgumentParser = _Parser(
        prog="samskaping",
        description="Co-creation (samskaping) projects: validate, score, decide payouts, report.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--debug",
        action="store_true",
        help=f"show the traceback of an error (or set {DEBUG_VARIABLE}=1)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMANDS:
        module: _Command = importlib.import_module(f"samskaping._cli._{name}")
        module.register(subparsers)
    importlib.import_module("samskaping._cli._help").complete_help(parser)  # descriptions, examples
    return parser


def _debug_wanted(args: argparse.Namespace | None) -> bool:
    if args is not None and getattr(args, "debug", False):
        return True
    return os.environ.get(DEBUG_VARIABLE, "") not in ("", "0")


def _empty_option(args: argparse.Namespace) -> str | None:
    """The name of the first option given an empty value, if any."""
    for key, value in vars(args).items():
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and not v.strip() for v in values):
            return "FILE" if key == "file" else "--" + key.replace("_", "-")
    return None


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so that the flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (captured in tests)
        pass


def _flush() -> None:
    if sys.stdout is None:
        return
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from None


def _message(exc: BaseException) -> str:
    """The one-line message for an error."""
    if isinstance(exc, DocumentError) and len(exc.problems) == 1:
        where = f"{shorten(exc.source)}: " if exc.source else ""
        return f"{where}{exc.problems[0]}"
    if isinstance(exc, OutputError):
        return str(exc)
    if isinstance(exc, OSError):
        name = f"{shorten(os.fsdecode(exc.filename))!r}: " if exc.filename is not None else ""
        return f"cannot use {name}{exc.strerror or exc}"
    if isinstance(exc, UnicodeError):
        return f"cannot read or write the text: {exc}"
    if isinstance(exc, RecursionError):
        return "the input is nested too deeply"
    if isinstance(exc, MemoryError):
        return "not enough memory for this input"
    return f"{exc}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a wrong command line (one line said)
        return exc.code if isinstance(exc.code, int) else EXIT_INPUT
    debug = _debug_wanted(args)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_INPUT
    empty = _empty_option(args)
    if empty is not None:
        return fail(f"{empty} must not be empty")
    try:
        code: int = args.run(args)
        _flush()
    except BrokenPipeError:  # e.g. piped into `head`: the reader has all it wants
        _quiet_stdout()
        return 0
    except (SamskapingError, OSError, UnicodeError, RecursionError, MemoryError) as exc:
        if debug:
            traceback.print_exc()
        if isinstance(exc, OutputError) and sys.stdout is not None:
            _quiet_stdout()
        return fail(_message(exc))
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a defect: still one line, unless --debug
        if debug:
            raise
        return fail(
            f"internal error ({type(exc).__name__}: {shorten(str(exc))}); "
            f"run with --debug for the traceback and please report it"
        )
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
