"""Reading and writing documents as JSON and TOML."""

from __future__ import annotations

import datetime
import json
import os
import re
import stat
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, Literal, TypeVar

from samskaping._errors import DocumentError, Problem
from samskaping.io._converter import structure, unstructure
from samskaping.model import Document

__all__ = [
    "MAX_BYTES",
    "Format",
    "dump",
    "dumps",
    "format_of",
    "json_default",
    "load",
    "load_data",
    "loads",
    "parse",
    "read_text",
]

T = TypeVar("T")

#: A document format.
Format = Literal["json", "toml"]
#: Documents larger than this (10 MiB) are refused unless the caller raises the limit.
MAX_BYTES: Final = 10 * 1024 * 1024
_FORMATS: Final = ("json", "toml")
#: A JSON escape of a surrogate, or a surrogate itself: the text needs a closer look.
_ESCAPED_SURROGATE: Final = re.compile(r"\\[uU][dD][89abcdefABCDEF]")
_SURROGATE: Final = re.compile(r"[\ud800-\udfff]")
_MAX_KEY: Final = 40


def _error(message: str, source: str | None, path: str = "$") -> DocumentError:
    return DocumentError([Problem(path=path, message=message)], source=source)


def format_of(path: Path, default: Format = "json") -> Format:
    """The format a file name implies: ``.toml`` is TOML, ``.json`` is JSON.

    A name with no suffix is read as ``default``.

    Raises:
        DocumentError: If the suffix names another format (``.yaml``, ``.xlsx``, …).
    """
    suffix = path.suffix.lower()
    if suffix == ".toml":
        return "toml"
    if suffix == ".json":
        return "json"
    if suffix:
        raise _error(
            f"unsupported format {suffix[:16]!r}: documents are JSON (.json) or TOML (.toml)",
            path.name,
        )
    return default


def read_text(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> str:
    """Read a UTF-8 text file, refusing files over ``max_bytes``.

    Raises:
        DocumentError: If the file cannot be read, is too large or is not UTF-8.
    """
    file = Path(path)
    source = file.name
    try:
        status = file.stat()
        if not stat.S_ISREG(status.st_mode):
            what = "a directory" if stat.S_ISDIR(status.st_mode) else "a FIFO or a device"
            raise _error(f"cannot read the file: it is {what}, not a regular file", source)
        size = status.st_size
        if size > max_bytes:
            raise _error(
                f"the file has {size:,} bytes; the limit is {max_bytes:,} "
                "(pass max_bytes= to raise it)",
                source,
            )
        with file.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise _error(f"cannot read the file: {exc.strerror or exc}", source) from None
    if len(data) > max_bytes:
        raise _error(f"the file has more than {max_bytes:,} bytes", source)
    return _decode(data, source)


def _decode(data: bytes, source: str | None) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _error(f"the file is not valid UTF-8 (byte {exc.start})", source) from None
    return text.removeprefix("\ufeff")


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not allowed; numbers must be finite")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                shown = key if len(key) <= _MAX_KEY else key[: _MAX_KEY - 3] + "..."
                raise ValueError(f"the key {shown!r} appears twice in one object")
            seen.add(key)
    return result


def parse(
    text: str | bytes,
    format: Format = "json",
    *,
    source: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> dict[str, Any]:
    """Parse JSON or TOML text into plain data, with exact decimals.

    Raises:
        DocumentError: If the text is empty, too large, not UTF-8, not valid JSON or
            TOML, nested too deeply, or not a table at the top.
    """
    if format not in _FORMATS:
        raise _error(f"unknown format {format!r}; expected 'json' or 'toml'", source)
    if isinstance(text, bytes):
        if len(text) > max_bytes:
            raise _error(f"the document has more than {max_bytes:,} bytes", source)
        text = _decode(text, source)
    elif len(text) > max_bytes:
        raise _error(f"the document has more than {max_bytes:,} characters", source)
    if not text.strip():
        raise _error("the document is empty", source)
    try:
        if format == "json":
            data: object = json.loads(
                text,
                parse_float=Decimal,
                parse_constant=_reject_constant,
                object_pairs_hook=_no_duplicate_keys,
            )
        else:
            import tomllib  # noqa: PLC0415  (lazy import keeps `import samskaping` fast)

            data = tomllib.loads(text, parse_float=Decimal)
    except RecursionError:
        raise _error("the document is nested too deeply to read", source) from None
    except json.JSONDecodeError as exc:
        raise _error(
            f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", source
        ) from None
    except ValueError as exc:  # tomllib.TOMLDecodeError, and the hooks above
        raise _error(f"not valid {format.upper()}: {exc}", source) from None
    if not isinstance(data, dict):
        raise _error("expected a table (keys and values) at the top of the document", source)
    if ("\\u" in text and _ESCAPED_SURROGATE.search(text)) or (
        not text.isascii() and _SURROGATE.search(text)
    ):
        where = _unencodable(data)
        if where is not None:
            raise _error(
                "the text holds a lone surrogate (such as \\ud800), which is not a character "
                "and cannot be written as UTF-8",
                source,
                where,
            )
    return data


def _unencodable(data: object) -> str | None:
    """The path of the first key or text in ``data`` that is not encodable as UTF-8."""
    stack: list[tuple[str, object]] = [("$", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return path
        elif isinstance(value, dict):
            for key, item in value.items():
                if _SURROGATE.search(key):
                    return path
                stack.append((f"{path}.{key}", item))
        elif isinstance(value, list):
            stack.extend((f"{path}[{index}]", item) for index, item in enumerate(value))
    return None


def loads(
    text: str | bytes,
    format: Format = "json",
    *,
    source: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> Document:
    """Read a project or programme document from JSON or TOML text.

    >>> loads('{"id": "p1", "name": "Innbyggerbasen"}').name
    'Innbyggerbasen'

    Raises:
        DocumentError: Listing every problem with its path, if the text is not a
            well-formed document.
    """
    return load_data(
        parse(text, format, source=source, max_bytes=max_bytes), Document, source=source
    )


def load_data(data: Mapping[str, Any], type_: type[T] | Any, *, source: str | None = None) -> T:
    """Structure parsed data as ``type_`` (see :func:`samskaping.io.structure`)."""
    result: T = structure(data, type_, source=source)
    return result


def load(
    path: str | os.PathLike[str], format: Format | None = None, *, max_bytes: int = MAX_BYTES
) -> Document:
    """Read a project or programme document from a ``.json`` or ``.toml`` file.

    Raises:
        DocumentError: If the file cannot be read or is not a well-formed document.
    """
    file = Path(path)
    text = read_text(file, max_bytes=max_bytes)
    return loads(text, format or format_of(file), source=file.name, max_bytes=max_bytes)


def json_default(value: object) -> object:
    """The ``default`` for :func:`json.dumps`: decimals as strings, dates as ISO dates."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dumps(value: object, format: Format = "json") -> str:
    """Write a document (or any library value) as JSON or TOML text.

    Amounts and other decimals are written exactly: as strings in JSON, as numbers
    in TOML. Fields at their default value are left out.
    """
    data = unstructure(value)
    if format == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, default=json_default) + "\n"
    if format == "toml":
        import tomli_w  # noqa: PLC0415  (lazy import)

        if not isinstance(data, dict):
            raise _error("only a table can be written as TOML", None)
        return tomli_w.dumps(data)
    raise _error(f"unknown format {format!r}; expected 'json' or 'toml'", None)


def dump(value: object, path: str | os.PathLike[str], format: Format | None = None) -> None:
    """Write a document to a file; the format follows the file name unless given."""
    file = Path(path)
    file.write_text(dumps(value, format or format_of(file)), encoding="utf-8")


#: The old private name of :func:`json_default`, kept for callers that used it.
_json_default = json_default
