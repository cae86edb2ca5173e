"""Localisation: labels and messages in Bokmål, Nynorsk and English, and babel formatting.

Core values hold codes; text for people is made here, at the edge. Every localised
message (a finding, a scoring reason, a payout reason or flag) is a :class:`Message`: a
code and typed parameters, whose text is the catalogue label under its key. Every label lives
in one catalogue (TOML files inside the package) with ``nb`` (the default), ``nn``
and ``en``. A missing label raises :class:`~samskaping.MissingLabelError`: it is a
defect, never a silent fallback. Amounts and dates are formatted with babel, which is
imported only when something is formatted.
"""

from samskaping.l10n._catalogue import (
    DEFAULT_LANG,
    LANGS,
    Catalogue,
    Lang,
    check_lang,
    default_catalogue,
    enum_key,
    enum_label,
    label,
    message,
)
from samskaping.l10n._format import (
    TIME_ZONE,
    format_date,
    format_decimal,
    format_money,
    format_percent,
    today_in_oslo,
)
from samskaping.l10n._message import LabelRef, Message, Percent, param_text
from samskaping.l10n._text import LocalText

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "Catalogue",
    "LabelRef",
    "Lang",
    "LocalText",
    "Message",
    "Percent",
    "TIME_ZONE",
    "check_lang",
    "default_catalogue",
    "enum_key",
    "enum_label",
    "format_date",
    "format_decimal",
    "format_money",
    "format_percent",
    "label",
    "message",
    "param_text",
    "today_in_oslo",
]
