"""Shared pieces of the scoring functions: localised text, reasons, data files, JSON.

Results hold codes, never text; a :class:`Reason` is a code with parameters and
becomes text in Bokmål, Nynorsk or English only when asked (:meth:`Reason.text`).
Scales, thresholds and lookup tables are TOML files in ``samskaping/data``, read on
first use and cached.
"""

from __future__ import annotations

import enum
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources
from typing import Any, Final, Literal, TypeVar

import attrs

from samskaping._errors import InvalidInputError
from samskaping._money import Money
from samskaping.io import make_converter, parse, structure
from samskaping.l10n import (
    DEFAULT_LANG,
    Lang,
    LocalText,
    check_lang,
    enum_key,
    format_decimal,
    format_money,
    format_percent,
    label,
    message,
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
    """One parameter of a reason: its name, its value as text, and how to show it.

    ``kind`` says how :meth:`Reason.text` formats the value: ``percent``,
    ``decimal`` and ``money`` through babel, ``enum`` as the catalogue label of
    ``enum_key`` + value, ``local`` with ``labels``.
    """

    name: str
    value: str
    kind: ParamKind = "text"
    enum_key: str | None = None
    labels: LocalText | None = None


@attrs.frozen(kw_only=True)
class Reason:
    """Why a result is what it is: a stable code, a severity and parameters.

    The text lives in the label catalogue under ``scoring.reason.<code>``.

    >>> r = reason("goals.continuation", continued=5, total=6, share_percent=Decimal("83.33"))
    >>> r.code, r.params_dict()
    ('goals.continuation', {'continued': '5', 'total': '6', 'share_percent': '83.33'})
    """

    code: str
    severity: Severity = Severity.INFO
    params: tuple[ReasonParam, ...] = ()

    def params_dict(self) -> dict[str, str]:
        """The parameters as a plain mapping of name to value."""
        return {param.name: param.value for param in self.params}

    def text(self, lang: Lang = DEFAULT_LANG) -> str:
        """The reason as a sentence in ``lang``.

        >>> reason("risk.graded_only", band=LocalText(nb="lav", nn="låg", en="low")).text("en")
        'No probability or consequence is recorded: the recorded grade low is used.'
        """
        lang = check_lang(lang)
        values = {param.name: _show(param, lang) for param in self.params}
        text = message(f"scoring.reason.{self.code}", lang, **values)
        return text[:1].upper() + text[1:]


def _percent(value: str, lang: Lang) -> str:
    number = Decimal(value)
    exponent = number.normalize().as_tuple().exponent
    places = min(2, -exponent) if isinstance(exponent, int) and exponent < 0 else 0
    return format_percent(number, lang, places=places)


def _decimal(value: str, lang: Lang) -> str:
    return format_decimal(Decimal(value), lang, places=2)


def _count(value: str, lang: Lang) -> str:
    return format_decimal(int(value), lang, places=0)


def _money(value: str, lang: Lang) -> str:
    return format_money(Money(value), lang)


_FORMATTERS: Final = {"percent": _percent, "decimal": _decimal, "money": _money, "int": _count}


def _show(param: ReasonParam, lang: Lang) -> str:
    formatter = _FORMATTERS.get(param.kind)
    if formatter is not None:
        return formatter(param.value, lang)
    if param.kind == "enum" and param.enum_key:
        return label(f"{param.enum_key}.{param.value}", lang)
    if param.kind == "local" and param.labels is not None:
        return param.labels.get(lang)
    return param.value


def _param(name: str, value: object) -> ReasonParam:
    if isinstance(value, LocalText):
        return ReasonParam(name=name, value=value.nb, kind="local", labels=value)
    if isinstance(value, enum.Enum):
        key = enum_key(value).rsplit(".", 1)[0]
        return ReasonParam(name=name, value=str(value.value), kind="enum", enum_key=key)
    kind: ParamKind = "text"
    text = str(value)
    if isinstance(value, Money):
        kind, text = "money", str(value.amount)
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int):
        kind = "text" if name.endswith("year") else "int"
    elif isinstance(value, Decimal):
        kind = "percent" if name.endswith("percent") else "decimal"
    return ReasonParam(name=name, value=text, kind=kind)


def reason(code: str, severity: Severity = Severity.INFO, /, **params: object) -> Reason:
    """Build a :class:`Reason`; parameter kinds follow their values.

    Decimals whose names end in ``percent`` are shown as percentages, other
    decimals as numbers; :class:`~samskaping.Money` as amounts; enum members by
    their catalogue label; :class:`LocalText` in the reader's language.

    >>> reason("risk.unscored", Severity.WARNING).severity
    <Severity.WARNING: 'warning'>
    """
    return Reason(
        code=code, severity=severity, params=tuple(_param(k, v) for k, v in params.items())
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
