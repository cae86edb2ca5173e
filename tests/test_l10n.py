"""Localisation: every label exists in nb, nn and en; babel formats amounts and dates."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from samskaping import InvalidInputError, MissingLabelError, Money
from samskaping import model as m
from samskaping.l10n import (
    LANGS,
    Catalogue,
    default_catalogue,
    enum_label,
    format_date,
    format_money,
    format_percent,
    label,
    message,
)

ENUMS = [
    getattr(m, name)
    for name in m.__all__
    if isinstance(getattr(m, name), type) and hasattr(getattr(m, name), "__members__")
]


class TestCatalogue:
    """The catalogue is complete: a missing label fails here, never silently at run time."""

    @pytest.mark.parametrize("lang", LANGS)
    @pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
    def test_every_enum_value_has_a_label(self, enum, lang):
        """Each value of each model enum has a non-empty label in each language."""
        assert all(enum_label(member, lang).strip() for member in enum)

    def test_every_key_has_all_languages(self):
        """No catalogue entry lacks nb, nn or en."""
        catalogue = default_catalogue()
        incomplete = [key for key in catalogue.texts if set(catalogue.texts[key]) != set(LANGS)]
        assert [] == incomplete

    def test_placeholders_agree_across_languages(self):
        """A message uses the same placeholders in every language."""
        catalogue = default_catalogue()
        differing = [
            key
            for key in catalogue.texts
            if len({catalogue.placeholders(key, lang) for lang in LANGS}) != 1
        ]
        assert [] == differing

    def test_missing_label_raises(self):
        """An unknown key is an error, not a fallback."""
        with pytest.raises(MissingLabelError):
            label("no.such.key", "nb")

    def test_unknown_language_raises(self):
        """A language other than nb, nn and en is refused."""
        with pytest.raises(InvalidInputError):
            label("enum.severity.error", "sv")  # type: ignore[arg-type]

    def test_message_fills_placeholders(self):
        """Placeholders are filled from keyword arguments."""
        assert "Prøve: ingen funn." == message("cli.validate.clean", "nb", name="Prøve")

    def test_municipality_can_override_a_label(self):
        """A merged catalogue replaces one text and keeps the rest."""
        own = Catalogue({"enum.severity.error": {"nb": "avvik"}})
        merged = default_catalogue().merged(own)
        assert "avvik" == merged.label("enum.severity.error", "nb")
        assert "error" == merged.label("enum.severity.error", "en")

    def test_nynorsk_differs_from_bokmal(self):
        """Nynorsk labels are written in Nynorsk, not copied from Bokmål."""
        assert "ikkje relevant" == enum_label(m.ChecklistAnswer.NOT_RELEVANT, "nn")


class TestFormatting:
    """Amounts, dates and percentages formatted with babel."""

    def test_bokmal_amount_uses_no_break_spaces(self):
        """Bokmål formats 1 234 567,50 kr with U+00A0 between groups and before kr."""
        assert "1\u00a0234\u00a0567,50\u00a0kr" == format_money(Money("1234567.50"), "nb")

    def test_nynorsk_amount(self):
        """Nynorsk formats amounts the Norwegian way too."""
        assert "6\u00a0400,00\u00a0kr" == format_money(Money(6400), "nn")

    def test_english_amount(self):
        """English writes the code first."""
        assert "NOK\u00a06,278,000.00" == format_money(Money(6278000), "en")

    @pytest.mark.parametrize(
        ("lang", "expected"),
        [("nb", "1. februar 2022"), ("nn", "1. februar 2022"), ("en", "1 February 2022")],
    )
    def test_dates(self, lang, expected):
        """Dates are written out in each language."""
        assert expected == format_date(datetime.date(2022, 2, 1), lang)

    def test_percent(self):
        """Percentages use a no-break space in Norwegian."""
        assert "83\u00a0%" == format_percent(Decimal("83.33"), "nb")


def test_today_is_the_date_in_oslo() -> None:
    """``today_in_oslo`` is the calendar date in Europe/Oslo, not the machine's own zone."""
    import datetime
    import zoneinfo

    from samskaping.l10n import today_in_oslo

    zone = zoneinfo.ZoneInfo("Europe/Oslo")
    before = datetime.datetime.now(zone).date()
    found = today_in_oslo()
    after = datetime.datetime.now(zone).date()
    assert found in {before, after}
