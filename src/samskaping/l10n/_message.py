"""Localised messages: a code whose text is a catalogue label, filled with typed values.

Findings, scoring reasons and payout reasons and flags are all :class:`Message` values.
A message holds its code and its parameters as values (amounts, decimals, dates, enum
members, label references, texts in three languages, percentages), never as text; its
text in ``nb``, ``nn`` or ``en`` is made only when asked, from the label under its key.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from functools import singledispatch
from typing import Any, ClassVar

import attrs

from samskaping._money import Money
from samskaping.l10n._catalogue import (
    DEFAULT_LANG,
    Catalogue,
    Lang,
    check_lang,
    default_catalogue,
    enum_label,
)
from samskaping.l10n._format import format_date, format_money, format_percent
from samskaping.l10n._text import LocalText

__all__ = ["LabelRef", "Message", "Percent", "param_text"]


@attrs.frozen
class LabelRef:
    """A parameter that is itself a catalogue label, shown in the message's language.

    >>> param_text(LabelRef("finding_kind.phase"), "en")
    'phase'
    """

    key: str


@attrs.frozen
class Percent:
    """A parameter that is a share in percent points, e.g. ``Percent(Decimal("83.33"))``.

    It is shown with as many decimals as it has, at most two: ``83,33 %``.
    """

    value: Decimal

    def __str__(self) -> str:
        return str(self.value)


@singledispatch
def param_text(value: object, lang: Lang = DEFAULT_LANG) -> str:
    r"""A message parameter as text in ``lang``.

    Amounts and dates through babel, enum members and label references by their
    catalogue labels, :class:`LocalText` in ``lang``, sequences joined by commas, and
    anything else as ``str(value)``.

    >>> param_text(Money("1500"), "en")
    'NOK\xa01,500.00'
    """
    del lang
    return str(value)


@param_text.register
def _label_ref(value: LabelRef, lang: Lang = DEFAULT_LANG) -> str:
    return default_catalogue().label(value.key, lang)


@param_text.register
def _local(value: LocalText, lang: Lang = DEFAULT_LANG) -> str:
    return value.get(lang)


@param_text.register
def _enum(value: Enum, lang: Lang = DEFAULT_LANG) -> str:
    return enum_label(value, lang)


@param_text.register
def _money(value: Money, lang: Lang = DEFAULT_LANG) -> str:
    return format_money(value, lang)


@param_text.register
def _date(value: datetime.date, lang: Lang = DEFAULT_LANG) -> str:
    return format_date(value, lang)


@param_text.register
def _percent(value: Percent, lang: Lang = DEFAULT_LANG) -> str:
    exponent = value.value.normalize().as_tuple().exponent
    places = min(2, -exponent) if isinstance(exponent, int) and exponent < 0 else 0
    return format_percent(value.value, lang, places=places)


@param_text.register(list)
@param_text.register(tuple)
def _sequence(value: list[object] | tuple[object, ...], lang: Lang = DEFAULT_LANG) -> str:
    return ", ".join(param_text(item, lang) for item in value)


@attrs.frozen(kw_only=True)
class Message:
    """A localised message: a code and the values its text is filled with.

    The text is the label :attr:`key` (:attr:`PREFIX` + ``code``) in the catalogue,
    with each ``{name}`` placeholder filled with the parameter of that name, shown by
    :func:`param_text` (kinds of message may show some values their own way, see
    :meth:`show`).

    >>> Message(code="finding_kind.phase").text("nn")
    'fase'
    """

    #: The catalogue section of this kind of message, e.g. ``"finding."``.
    PREFIX: ClassVar[str] = ""

    code: str
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def key(self) -> str:
        """The catalogue key of the message's text."""
        return f"{self.PREFIX}{self.code}"

    def params_dict(self) -> dict[str, Any]:
        """The parameters as a mapping of name to value."""
        return dict(self.params)

    def show(self, name: str, value: Any, lang: Lang, labels: Mapping[str, LocalText | str]) -> str:
        """One parameter as text; by default :func:`param_text`.

        ``labels`` are the caller's own labels for codes the catalogue does not know
        (a policy's purposes and rules); this kind of message does not use them.
        """
        del name, labels
        return param_text(value, lang)

    def values(
        self, lang: Lang, labels: Mapping[str, LocalText | str] | None = None
    ) -> dict[str, str]:
        """Every parameter as text in ``lang``, by name."""
        own = labels or {}
        return {name: self.show(name, value, lang, own) for name, value in self.params}

    def text(
        self,
        lang: str = DEFAULT_LANG,
        *,
        catalogue: Catalogue | None = None,
        labels: Mapping[str, LocalText | str] | None = None,
    ) -> str:
        """The message in ``lang``, from ``catalogue`` (the built-in one by default).

        Raises:
            MissingLabelError: If the catalogue has no text for :attr:`key`.
            InvalidInputError: If ``lang`` is not ``nb``, ``nn`` or ``en``.
        """
        checked = check_lang(lang)
        book = catalogue or default_catalogue()
        return book.message(self.key, checked, **self.values(checked, labels))
