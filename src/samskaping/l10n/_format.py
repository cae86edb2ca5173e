"""Formatting of amounts, numbers, percentages and dates with babel.

babel is imported inside the functions, so ``import samskaping`` never loads locale data.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Final, Literal

from samskaping.l10n._catalogue import DEFAULT_LANG, Lang, check_lang

if TYPE_CHECKING:
    from samskaping._money import Money

__all__ = [
    "TIME_ZONE",
    "format_date",
    "format_decimal",
    "format_money",
    "format_percent",
    "today_in_oslo",
]

#: Where the decisions are made: "today" is a date in this time zone, whatever the machine's.
TIME_ZONE: Final = "Europe/Oslo"

_LOCALES: Final[dict[Lang, str]] = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"}
# English readers expect the code before the amount with a space: "NOK 1,234,567.50".
_CURRENCY_PATTERN: Final[dict[Lang, str | None]] = {"nb": None, "nn": None, "en": "¤\xa0#,##0.00"}


def format_money(amount: Money, lang: Lang = DEFAULT_LANG) -> str:
    r"""Format an amount the way readers of ``lang`` expect.

    >>> from samskaping import Money
    >>> format_money(Money("1234567.50"))
    '1\xa0234\xa0567,50\xa0kr'
    >>> format_money(Money("1234567.50"), "en")
    'NOK\xa01,234,567.50'
    """
    from babel.numbers import format_currency  # noqa: PLC0415  (lazy: keeps import fast)

    lang = check_lang(lang)
    return format_currency(
        amount.amount, "NOK", format=_CURRENCY_PATTERN[lang], locale=_LOCALES[lang]
    )


def format_decimal(value: Decimal | int, lang: Lang = DEFAULT_LANG, *, places: int = 2) -> str:
    """Format a number with ``places`` decimals (fewer if they are zeros at the end).

    >>> format_decimal(Decimal("32.33"), "nb", places=1)
    '32,3'
    """
    from babel.numbers import format_decimal as babel_format_decimal  # noqa: PLC0415  (lazy: keeps import fast)

    lang = check_lang(lang)
    pattern = "#,##0" + ("." + "#" * places if places > 0 else "")
    return babel_format_decimal(
        Decimal(value), format=pattern, locale=_LOCALES[lang], decimal_quantization=True
    )


def format_percent(value: Decimal | int, lang: Lang = DEFAULT_LANG, *, places: int = 0) -> str:
    r"""Format a percentage given in percent points, e.g. ``83.3`` → ``83 %``.

    >>> format_percent(Decimal("83.33"), "nb")
    '83\xa0%'
    """
    from babel.numbers import format_percent as babel_format_percent  # noqa: PLC0415  (lazy: keeps import fast)

    lang = check_lang(lang)
    pattern = "#,##0" + ("." + "0" * places if places > 0 else "") + "\xa0%"
    if lang == "en":
        pattern = pattern.replace("\xa0", "")
    return babel_format_percent(
        Decimal(value) / 100, format=pattern, locale=_LOCALES[lang], decimal_quantization=True
    )


def format_date(
    value: datetime.date,
    lang: Lang = DEFAULT_LANG,
    *,
    style: Literal["short", "medium", "long"] = "long",
) -> str:
    """Format a date, e.g. ``1. februar 2022`` in Bokmål.

    >>> format_date(datetime.date(2022, 2, 1))
    '1. februar 2022'
    >>> format_date(datetime.date(2022, 2, 1), "en")
    '1 February 2022'
    """
    from babel.dates import format_date as babel_format_date  # noqa: PLC0415  (lazy: keeps import fast)

    lang = check_lang(lang)
    return babel_format_date(value, format=style, locale=_LOCALES[lang])


def today_in_oslo() -> datetime.date:
    """Today's date in Europe/Oslo: the default date of an answer with no date of its own."""
    import zoneinfo  # noqa: PLC0415  (lazy: only when no date is given)

    return datetime.datetime.now(zoneinfo.ZoneInfo(TIME_ZONE)).date()
