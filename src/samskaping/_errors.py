"""The error hierarchy.

Every exception the library raises on purpose derives from :class:`SamskapingError`.
Subclasses also inherit the builtin that fits (``ValueError``, ``KeyError``), so
callers that already catch those keep working.

Domain findings from validation are *not* exceptions: they are
:class:`samskaping.validation.Finding` values.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

import attrs

__all__ = [
    "DocumentError",
    "InvalidInputError",
    "MissingLabelError",
    "Problem",
    "SamskapingError",
    "UnknownNameError",
]


_MAX_DESCRIBED = 40


def describe(value: object) -> str:
    """A short description of a value for an error message, never its full content.

    Long text is cut, and tables and lists are named rather than printed, so an error
    message never repeats a whole (possibly personal) document.
    """
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        text = str(value)
    elif isinstance(value, datetime.date):
        text = repr(value.isoformat())
    else:
        text = repr(value)
    return text if len(text) <= _MAX_DESCRIBED else text[: _MAX_DESCRIBED - 3] + "..."


class SamskapingError(Exception):
    """The root of every error raised by samskaping."""


@attrs.frozen(kw_only=True)
class Problem:
    """One problem in a document: where it is and what was expected there.

    Attributes:
        path: A JSON path into the document, e.g. ``$.phases[2].start``.
        message: What was expected and what was found, in English.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class DocumentError(SamskapingError, ValueError):
    """A document could not be read, or its structure is not valid.

    The error lists *every* problem found, each with its JSON path, so that a
    user can fix a file in one pass.

    Attributes:
        problems: Each problem with its path.
        source: Where the document came from (a file name), if known.
    """

    problems: tuple[Problem, ...]
    source: str | None

    def __init__(self, problems: Iterable[Problem], *, source: str | None = None) -> None:
        self.problems = tuple(problems)
        self.source = source
        super().__init__(self._summary())

    def _summary(self) -> str:
        where = f" in {self.source}" if self.source else ""
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"{count} {noun}{where}:"]
        lines.extend(f"  {p}" for p in self.problems)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._summary()

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_document_error, (type(self), self.problems, self.source))


def _rebuild_document_error(
    cls: type[DocumentError], problems: tuple[Problem, ...], source: str | None
) -> DocumentError:
    return cls(problems, source=source)


class InvalidInputError(SamskapingError, ValueError):
    """A function was given a value outside what it accepts.

    Attributes:
        what: The name of the offending argument or field.
        value: A short, safe description of the value.
    """

    def __init__(self, message: str, *, what: str = "", value: str = "") -> None:
        self.what = what
        self.value = value
        super().__init__(message)


class UnknownNameError(SamskapingError, KeyError):
    """A name (an example, a phase model, a policy, a scale) does not exist.

    Attributes:
        kind: What kind of name was looked up, e.g. ``"example"``.
        name: The name that was not found.
        known: The names that do exist.
    """

    def __init__(self, kind: str, name: str, known: Iterable[str]) -> None:
        self.kind = kind
        self.name = name
        self.known = tuple(sorted(known))
        super().__init__(kind, name)

    def __str__(self) -> str:
        return f"unknown {self.kind} {self.name!r}; known: {', '.join(self.known) or 'none'}"


class MissingLabelError(SamskapingError, KeyError):
    """The label catalogue has no text for a key in a language.

    A missing label is a defect in the catalogue, never silently replaced.
    """

    def __init__(self, key: str, lang: str) -> None:
        self.key = key
        self.lang = lang
        super().__init__(key, lang)

    def __str__(self) -> str:
        return f"no label {self.key!r} in language {self.lang!r}"
