"""Helpers shared by the sub-commands: common options, loading, output.

Every sub-command reads and writes through these helpers, so that the command line's
contract holds everywhere: an input that cannot be read or an output that cannot be
written ends with exit code 2 and one line naming the file, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import stat
import sys
from pathlib import Path
from typing import Any, Final

from samskaping._errors import InvalidInputError

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_INPUT",
    "EXIT_OK",
    "MAX_ECHO",
    "OutputError",
    "add_document_arguments",
    "add_format_argument",
    "add_lang_argument",
    "add_profile_argument",
    "emit",
    "emit_json",
    "fail",
    "input_dataset",
    "input_path",
    "iso_date",
    "load_document",
    "one_line",
    "profile_of",
    "shorten",
    "stdout",
    "write_output",
]

EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1
EXIT_INPUT: Final = 2


#: Echoed input (a file name, a key, an option value) is cut to this many characters.
MAX_ECHO: Final = 60
#: No line of an error message is longer than this.
_MAX_LINE: Final = 300
_QUOTED: Final = re.compile(rf"'([^'\n]{{{MAX_ECHO + 1},}})'")
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class OutputError(OSError):
    """An output (a file or standard output) could not be written.

    It carries a ready, one-line message naming the output.
    """


def shorten(text: str, limit: int = MAX_ECHO) -> str:
    """``text`` cut to ``limit`` characters, with ``...`` where it was cut."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def one_line(text: str) -> str:
    """A message line safe for a terminal: no control characters, long quotes cut."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    text = _QUOTED.sub(lambda m: repr(shorten(m.group(1))), text)
    return shorten(text, _MAX_LINE)


def fail(message: str) -> int:
    """Print an error message (no traceback) and return the input-error exit code."""
    lines = [one_line(line) for line in message.splitlines() or [""]]
    lines[0] = f"samskaping: error: {lines[0]}"
    sys.stderr.write("\n".join(lines) + "\n")
    return EXIT_INPUT


def input_path(text: str) -> str:
    """An ``argparse`` type for input files: a regular file or ``-`` (standard input).

    A FIFO, a device or a directory is refused at once, so that the command never
    waits forever on an input that does not end.
    """
    return _input(text, directory=False)


def input_dataset(text: str) -> str:
    """Like :func:`input_path`, but a directory (a partitioned dataset) is read too."""
    return _input(text, directory=True)


def _input(text: str, *, directory: bool) -> str:
    if not text:
        raise argparse.ArgumentTypeError("must not be empty")
    if text == "-":
        return text
    try:
        mode = Path(text).stat().st_mode
    except OSError:
        return text  # reading it names the file and says why it cannot be read
    if stat.S_ISREG(mode) or (directory and stat.S_ISDIR(mode)):
        return text
    what = "a directory" if stat.S_ISDIR(mode) else "not a regular file"
    raise argparse.ArgumentTypeError(f"cannot read {shorten(text)!r}: {what}")


_ISO_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_date(text: str) -> datetime.date:
    """A date written ``YYYY-MM-DD`` (not a week date such as ``2024-W01-1``).

    Raises:
        ValueError: If ``text`` is not such a date.
    """
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(text)
    return datetime.date.fromisoformat(text)


def write_output(path: str, text: str) -> None:
    """Write ``text`` (UTF-8) to the file ``path``.

    Raises:
        OutputError: If the file cannot be written (a directory, a missing folder, a
            full disk), with one line naming the file.
    """
    try:
        with open(path, "w", encoding="utf-8") as handle:  # noqa: PTH123
            handle.write(text)
    except OSError as exc:
        raise OutputError(f"cannot write {shorten(path)!r}: {exc.strerror or exc}") from None


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
        "file",
        nargs="?",
        metavar="FILE",
        type=input_path,
        help="a project document (.json or .toml; - reads standard input)",
    )
    parser.add_argument(
        "--example", metavar="NAME", help="use an embedded example instead of a file"
    )
    parser.set_defaults(document_required=required)


def read_data(path: str) -> Any:
    """The parsed content of a JSON or TOML file (by its suffix; TOML without one).

    Raises:
        DocumentError: If the file cannot be read, has another suffix or is malformed.
    """
    from samskaping.io import format_of, parse, read_text  # noqa: PLC0415  (lazy: loaded on use)

    file = Path(path)
    return parse(read_text(file), format_of(file, "toml"), source=file.name)


def read_as(path: str, type_: Any) -> Any:
    """A JSON or TOML file structured as ``type_`` (see :func:`read_data`)."""
    from samskaping.io import structure  # noqa: PLC0415  (lazy: loaded on use)

    return structure(read_data(path), type_, source=Path(path).name)


def add_profile_argument(parser: argparse.ArgumentParser) -> None:
    """``--profile DIR``: the municipality's own profile (default: the built-in data)."""
    parser.add_argument(
        "--profile",
        metavar="DIR",
        help="a folder with the municipality's own phase models, scales, thresholds, "
        "instruments, cost profiles, policies and rule settings (see docs/profile.md); "
        "what it leaves out is the built-in data",
    )


def profile_of(args: argparse.Namespace) -> Any:
    """The profile named by ``--profile``, else the built-in one (raises SamskapingError)."""
    from samskaping.profile import Profile, load_profile  # noqa: PLC0415  (lazy: loaded on use)

    folder = getattr(args, "profile", None)
    return load_profile(folder) if folder else Profile.default()


def load_document(args: argparse.Namespace, *, default_example: str | None = None) -> Any:
    """Load the document named by ``FILE`` or ``--example`` (raises SamskapingError)."""
    if args.file and args.example:
        raise InvalidInputError("give either FILE or --example, not both")
    if args.file == "-":
        return _load_stdin()
    if args.file:
        from samskaping.io import load  # noqa: PLC0415  (lazy: loaded on use)

        return load(args.file)
    name = args.example or default_example
    if name is None:
        raise InvalidInputError("give a FILE or --example NAME (see `samskaping examples list`)")
    from samskaping.examples import load_example  # noqa: PLC0415  (lazy: loaded on use)

    return load_example(name)


def _load_stdin() -> Any:
    """A document read from standard input: JSON if it starts with ``{``, else TOML."""
    from samskaping.io import MAX_BYTES, Format, loads  # noqa: PLC0415  (lazy: loaded on use)

    if sys.stdin is None:
        raise OutputError("cannot read standard input: it is closed")
    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    fmt: Format = "json" if data.lstrip().startswith(b"{") else "toml"
    return loads(data, fmt, source="standard input")


def stdout() -> Any:
    """Standard output, or an :class:`OutputError` if it is closed."""
    if sys.stdout is None:
        raise OutputError("cannot write to standard output: it is closed")
    return sys.stdout


def emit_json(data: Any) -> None:
    """Print data as indented JSON (decimals as strings, dates as ISO dates)."""
    from samskaping.io import json_default  # noqa: PLC0415  (lazy: loaded on use)

    emit(json.dumps(data, ensure_ascii=False, indent=2, default=json_default))


def emit(text: str) -> None:
    """Print text, ending with one newline; control characters are shown as escapes.

    Raises:
        OutputError: If standard output is closed, full or cannot encode the text.
        BrokenPipeError: If the reader closed the pipe (``| head``); ``main`` ends quietly.
    """
    from samskaping.report import visible  # noqa: PLC0415  (lazy: loaded on use)

    out = stdout()
    # The safety net for every plain-text output: no control character reaches the terminal.
    text = visible(text, keep_lines=True)
    try:
        out.write(text if text.endswith("\n") else text + "\n")
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from None
    except UnicodeEncodeError as exc:
        raise OutputError(
            f"cannot write to standard output: its encoding {exc.encoding!r} cannot show "
            f"{exc.object[exc.start : exc.start + 1]!r} (set PYTHONIOENCODING=utf-8)"
        ) from None
