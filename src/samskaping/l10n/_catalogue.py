"""The label catalogue."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator, Mapping
from enum import Enum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Final, Literal, TypeGuard, get_args

import attrs

from samskaping._errors import DocumentError, InvalidInputError, MissingLabelError, Problem

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "Catalogue",
    "Lang",
    "check_lang",
    "default_catalogue",
    "enum_key",
    "enum_label",
    "label",
    "message",
]

#: A language code: Bokmål, Nynorsk or English.
Lang = Literal["nb", "nn", "en"]
#: The supported languages, in order: Bokmål, Nynorsk, English.
LANGS: Final[tuple[Lang, ...]] = get_args(Lang)
#: The language used when none is given: Bokmål.
DEFAULT_LANG: Final[Lang] = "nb"

_CAMEL: Final = re.compile(r"(?<!^)(?=[A-Z])")


def is_lang(value: object) -> TypeGuard[Lang]:
    """Whether ``value`` is one of the supported language codes."""
    return value in LANGS


def check_lang(value: object) -> Lang:
    """Return ``value`` as a language code, or raise if it is not ``nb``, ``nn`` or ``en``."""
    if is_lang(value):
        return value
    raise InvalidInputError(
        f"unknown language {value!r}; expected one of {', '.join(LANGS)}",
        what="lang",
        value=repr(value),
    )


def enum_key(value: Enum) -> str:
    """The catalogue key of an enum value, e.g. ``enum.deliverable_status.continued``."""
    kind = _CAMEL.sub("_", type(value).__name__).lower()
    return f"enum.{kind}.{value.value}"


@attrs.frozen
class Catalogue:
    """Labels by key, each in every language.

    Build one from TOML files with :meth:`from_files`; a municipality can override the
    built-in texts with :meth:`merged`.
    """

    texts: Mapping[str, Mapping[Lang, str]]

    @classmethod
    def from_files(cls, paths: Iterable[Path]) -> Catalogue:
        """Read catalogue files: nested TOML tables whose leaves map languages to text."""
        texts: dict[str, dict[Lang, str]] = {}
        problems: list[Problem] = []
        import tomllib  # noqa: PLC0415  (lazy: only when labels are first needed)

        for path in paths:
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                problems.append(Problem(path="$", message=f"cannot read {path.name}: {exc}"))
                continue
            for key, leaf in _leaves(data, ""):
                entry: dict[Lang, str] = {}
                for lang, text in leaf.items():
                    if not is_lang(lang) or not isinstance(text, str):
                        problems.append(
                            Problem(path=f"$.{key}.{lang}", message="expected nb, nn or en text")
                        )
                        continue
                    entry[lang] = text
                if key in texts:
                    problems.append(
                        Problem(path=f"$.{key}", message=f"defined twice ({path.name})")
                    )
                texts[key] = entry
        if problems:
            raise DocumentError(problems, source="label catalogue")
        return cls(texts)

    def merged(self, other: Catalogue) -> Catalogue:
        """A catalogue where ``other``'s texts replace or add to this one's."""
        texts: dict[str, Mapping[Lang, str]] = dict(self.texts)
        for key, entry in other.texts.items():
            texts[key] = {**texts.get(key, {}), **entry}
        return Catalogue(texts)

    def label(self, key: str, lang: Lang = DEFAULT_LANG) -> str:
        """The text of ``key`` in ``lang``.

        Raises:
            MissingLabelError: If the key or the language has no text.
            InvalidInputError: If ``lang`` is not ``nb``, ``nn`` or ``en``.
        """
        try:
            return self.texts[key][lang]
        except KeyError:
            check_lang(lang)
            raise MissingLabelError(key, lang) from None

    def message(self, key: str, lang: Lang = DEFAULT_LANG, /, **params: object) -> str:
        """The text of ``key`` with ``{name}`` placeholders filled from ``params``.

        A placeholder ``{count:plural:one|other}`` writes *one* when ``count`` is 1 and
        *other* otherwise (the rule of nb, nn and en), so labels read "1 feil, 2 advarsler".
        """
        template = self.label(key, lang)
        try:
            if ":plural:" in template:
                return _PLURAL.vformat(template, (), params)
            return template.format_map(params)
        except (KeyError, IndexError, ValueError) as exc:
            raise InvalidInputError(
                f"label {key!r} in {lang!r} needs a parameter that was not given: {exc}",
                what=key,
            ) from None

    def keys(self) -> Iterator[str]:
        """Every key in the catalogue."""
        return iter(self.texts)

    def placeholders(self, key: str, lang: Lang) -> frozenset[str]:
        """The ``{name}`` placeholders used by a label."""
        return frozenset(
            field for _, field, _, _ in string.Formatter().parse(self.label(key, lang)) if field
        )


class _PluralFormatter(string.Formatter):
    """``{n:plural:one|other}`` picks the singular or plural form by ``n``."""

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec.startswith("plural:"):
            one, _, other = format_spec.removeprefix("plural:").partition("|")
            return one if value == 1 else other
        text: str = format(value, format_spec)
        return text


_PLURAL = _PluralFormatter()


def _leaves(table: Mapping[str, object], prefix: str) -> Iterator[tuple[str, Mapping[str, object]]]:
    for name, value in table.items():
        key = f"{prefix}.{name}" if prefix else name
        if isinstance(value, Mapping):
            if value and all(isinstance(v, str) for v in value.values()):
                yield key, value
            else:
                yield from _leaves(value, key)


@cache
def default_catalogue() -> Catalogue:
    """The built-in catalogue, read from the package's ``data/labels`` once, on first use."""
    folder = resources.files("samskaping") / "data" / "labels"
    paths = sorted(
        (Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(".toml")),
        key=lambda p: p.name,
    )
    return Catalogue.from_files(paths)


def label(key: str, lang: Lang = DEFAULT_LANG) -> str:
    """The built-in text of ``key`` in ``lang``; see :meth:`Catalogue.label`."""
    return default_catalogue().label(key, lang)


def message(key: str, lang: Lang = DEFAULT_LANG, /, **params: object) -> str:
    """The built-in text of ``key`` with its placeholders filled; see :meth:`Catalogue.message`."""
    return default_catalogue().message(key, lang, **params)


def enum_label(value: Enum, lang: Lang = DEFAULT_LANG) -> str:
    """The label of an enum value, e.g. ``videreført i drift`` for a continued deliverable."""
    return default_catalogue().label(enum_key(value), lang)
