"""A text in the three languages, as data files give labels."""

from __future__ import annotations

import attrs

from samskaping.l10n._catalogue import DEFAULT_LANG, Lang, check_lang

__all__ = ["LocalText"]


@attrs.frozen(kw_only=True)
class LocalText:
    """A text in Bokmål (``nb``), Nynorsk (``nn``) and English (``en``).

    Data files give every label this way: ``name = { nb = "...", nn = "...", en = "..." }``.
    Phase models, policies and scoring catalogues all use it.

    >>> LocalText(nb="lav", nn="låg", en="low").get("nn")
    'låg'
    """

    nb: str
    nn: str
    en: str

    def get(self, lang: Lang = DEFAULT_LANG) -> str:
        """The text in ``lang``.

        Raises:
            InvalidInputError: If ``lang`` is not ``nb``, ``nn`` or ``en``.
        """
        text: str = getattr(self, check_lang(lang))
        return text

    __call__ = get
