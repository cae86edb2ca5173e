"""Shared pieces of the scoring functions: localised text, reasons, data files, JSON.

Results hold codes, never text; a :class:`Reason` is a code with parameters and
becomes text in Bokmål, Nynorsk or English only when asked (:meth:`Reason.text`).
Scales, thresholds and lookup tables are TOML files in ``samskaping/data``, read on
first use and cached.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources
from typing import Any, ClassVar, Final, Literal, TypeVar

import attrs

from samskaping._errors import InvalidInputError
from samskaping._money import Money
from samskaping.io import make_converter, parse, structure
from samskaping.l10n import (
    DEFAULT_LANG,
    Catalogue,
    Lang,
    LocalText,
    Message,
    Percent,
    check_lang,
    enum_key,
    format_decimal,
)
from samskaping.model import Severity

__all__ = [
    "SCHEMA_VERSION",
    "LocalText",
    "Reason",
    "ReasonParam",
    "load_data_file",
    "quantize",
    "reason",
    "to_json",
]

T = TypeVar("T")

#: The version of every JSON shape the scoring functions emit.
SCHEMA_VERSION: Final = 1

ParamKind = Literal["text", "int", "decimal", "percent", "money", "enum", "local"]


@attrs.frozen(kw_only=True)
class ReasonParam:
    """A view of one parameter of a reason: its name, its value as text, and how it is shown.

    :meth:`Reason.param_views` gives them. ``kind`` says how :meth:`Reason.text` formats
    the value: ``percent``, ``decimal`` and ``money`` through babel, ``enum`` as the
    catalogue label of ``enum_key`` + value, ``local`` with ``labels``.
    """

    name: str
    value: str
    kind: ParamKind = "text"
    enum_key: str | None = None
    labels: LocalText | None = None


@attrs.frozen(kw_only=True)
class Reason(Message):
    """Why a result is what it is: a stable code, a severity and parameters.

    A :class:`~samskaping.l10n.Message` whose text lives in the label catalogue under
    ``scoring.reason.<code>``. The parameters are values (counts, decimals,
    :class:`~samskaping.l10n.Percent`, amounts, enum members, :class:`LocalText`).

    >>> r = reason("goals.continuation", continued=5, total=6, share_percent=Decimal("83.33"))
    >>> r.code, r.params_dict()
    ('goals.continuation', {'continued': '5', 'total': '6', 'share_percent': '83.33'})
    """

    PREFIX: ClassVar[str] = "scoring.reason."

    severity: Severity = Severity.INFO

    def params_dict(self) -> dict[str, str]:
        """The parameters as a plain mapping of name to value, as text (the JSON shape)."""
        return {name: _plain(value) for name, value in self.params}

    def param_views(self) -> tuple[ReasonParam, ...]:
        """The parameters as :class:`ReasonParam` views: value as text and how it is shown."""
        return tuple(_param(name, value) for name, value in self.params)

    def show(self, name: str, value: Any, lang: Lang, labels: Mapping[str, LocalText | str]) -> str:
        """A count or decimal as a localised number, a year as written, else as any message."""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value) if name.endswith("year") else format_decimal(value, lang, places=0)
        if isinstance(value, Decimal):
            return format_decimal(value, lang, places=2)
        return super().show(name, value, lang, labels)

    def text(
        self,
        lang: str = DEFAULT_LANG,
        *,
        catalogue: Catalogue | None = None,
        labels: Mapping[str, LocalText | str] | None = None,
    ) -> str:
        """The reason as a sentence in ``lang``.

        >>> reason("risk.graded_only", band=LocalText(nb="lav", nn="låg", en="low")).text("en")
        'No probability or consequence is recorded: the recorded grade low is used.'
        """
        text = super().text(lang, catalogue=catalogue, labels=labels)
        return text[:1].upper() + text[1:]


def _plain(value: object) -> str:
    if isinstance(value, LocalText):
        return value.nb
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, Money):
        return str(value.amount)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _param(name: str, value: object) -> ReasonParam:
    if isinstance(value, LocalText):
        return ReasonParam(name=name, value=value.nb, kind="local", labels=value)
    if isinstance(value, enum.Enum):
        key = enum_key(value).rsplit(".", 1)[0]
        return ReasonParam(name=name, value=str(value.value), kind="enum", enum_key=key)
    kind: ParamKind = "text"
    if isinstance(value, Money):
        kind = "money"
    elif isinstance(value, Percent):
        kind = "percent"
    elif isinstance(value, int) and not isinstance(value, bool):
        kind = "text" if name.endswith("year") else "int"
    elif isinstance(value, Decimal):
        kind = "decimal"
    return ReasonParam(name=name, value=_plain(value), kind=kind)


def _typed(name: str, value: object) -> object:
    if isinstance(value, Decimal) and name.endswith("percent"):
        return Percent(value)
    return value


def reason(code: str, severity: Severity = Severity.INFO, /, **params: object) -> Reason:
    """Build a :class:`Reason`; parameters are shown by their types.

    Decimals whose names end in ``percent`` are shown as percentages, other
    decimals as numbers; :class:`~samskaping.Money` as amounts; enum members by
    their catalogue label; :class:`LocalText` in the reader's language.

    >>> reason("risk.unscored", Severity.WARNING).severity
    <Severity.WARNING: 'warning'>
    """
    return Reason(
        code=code, severity=severity, params=tuple((k, _typed(k, v)) for k, v in params.items())
    )


def quantize(value: Decimal, places: int = 2) -> Decimal:
    """Round a number to ``places`` decimals, halves away from zero.

    >>> quantize(Decimal("32.3310810"), 1)
    Decimal('32.3')
    """
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# --- data files ----------------------------------------------------------------------------


@cache
def data_text(*parts: str) -> str:
    """The text of a package data file under ``samskaping/data``.

    Raises:
        InvalidInputError: If there is no such file.
    """
    entry = resources.files("samskaping").joinpath("data", *parts)
    if not entry.is_file():
        raise InvalidInputError(f"no data file {'/'.join(parts)}", what="path")
    return entry.read_text(encoding="utf-8")


def load_data_file(type_: type[T], *parts: str) -> T:
    """Read a TOML data file of the package as a value of ``type_`` (not cached)."""
    name = "/".join(parts)
    result: T = structure(parse(data_text(*parts), "toml", source=name), type_, source=name)
    return result


# --- JSON ----------------------------------------------------------------------------------


@cache
def _json_converter(lang: Lang) -> Any:
    converter = make_converter()

    def unstructure_reason(value: Reason) -> dict[str, Any]:
        return {
            "code": value.code,
            "severity": value.severity.value,
            "params": value.params_dict(),
            "text": value.text(lang),
        }

    converter.register_unstructure_hook(Reason, unstructure_reason)
    converter.register_unstructure_hook(LocalText, lambda text: text.get(lang))
    return converter


def to_json(value: object, lang: Lang = DEFAULT_LANG, *, versioned: bool = True) -> dict[str, Any]:
    """A result as plain JSON data, with ``"schema_version": 1`` first (unless not ``versioned``).

    Codes stay codes; reasons carry their ``text`` and labels their text in ``lang``.
    Decimals and amounts stay :class:`~decimal.Decimal` (written as strings by
    :func:`samskaping.io.dumps` and the command line).

    >>> to_json(reason("risk.unscored", Severity.WARNING), "en")["text"]
    'Neither probability and consequence nor a grade is recorded.'

    Raises:
        InvalidInputError: If the value is not an attrs value (a result).
    """
    if not attrs.has(type(value)):
        raise InvalidInputError("expected a result value", what="value")
    lang = check_lang(lang)
    data: dict[str, Any] = _json_converter(lang).unstructure(value)
    return {"schema_version": SCHEMA_VERSION, **data} if versioned else data
