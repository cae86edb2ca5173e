"""The shape of a risk configuration: scales, levels, bands, band sets and band rules.

DOMAIN §7. A risk scale (*risikoskala*) has a probability axis and a consequence axis;
a band rule gives a band from a probability and a consequence level. These values are
what ``data/scales/risk.toml`` and a municipality's own file hold.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal
from typing import Any, Final, Literal, Protocol, TypeVar

import attrs

from samskaping._errors import InvalidInputError, UnknownNameError
from samskaping.model import identifier
from samskaping.scoring._common import LocalText

__all__ = [
    "Band",
    "BandRule",
    "BandSet",
    "BandThreshold",
    "RiskConfig",
    "RiskScale",
    "ScaleLevel",
]


_COLOUR: Final = re.compile(r"^#[0-9a-fA-F]{6}$")


def _colour(_instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not _COLOUR.match(value):
        raise InvalidInputError(
            f"expected a colour as #rrggbb, got {value[:20]!r}", what=attribute.name
        )


def _check_axis(
    _instance: object, attribute: attrs.Attribute[Any], value: tuple[ScaleLevel, ...]
) -> None:
    if not value:
        raise InvalidInputError(
            f"a scale needs at least one {attribute.name} level (the scale is empty)",
            what=attribute.name,
        )
    for index, level in enumerate(value, start=1):
        if level.level != index:
            raise InvalidInputError(
                f"expected {attribute.name} levels 1, 2, 3 ... in order; level {index} is "
                f"numbered {level.level}",
                what=attribute.name,
            )
    if value[0].value <= 0:
        raise InvalidInputError(
            f"expected {attribute.name} values above 0, got {value[0].value} for level 1",
            what=attribute.name,
        )
    for lower, higher in itertools.pairwise(value):
        if not lower.value < higher.value:
            raise InvalidInputError(
                f"expected {attribute.name} values to rise with the level; level "
                f"{higher.level} has {higher.value}, not above {lower.value}",
                what=attribute.name,
            )


def _probability(_instance: object, attribute: attrs.Attribute[Any], value: Decimal | None) -> None:
    if value is not None and not Decimal(0) <= value <= Decimal(1):
        raise InvalidInputError(
            f"expected a probability from 0 to 1, got {value}", what=attribute.name
        )


@attrs.frozen(kw_only=True)
class ScaleLevel:
    """One level of a probability or consequence axis.

    ``value`` is what the band rules compute with (1-5 on the default scale, 0.1-0.9
    for PMBOK probability). ``probability`` is the chance of the risk occurring at
    this level, used for the expected monetary value; ``yearly_min`` and
    ``yearly_max`` bound a yearly probability (DSB categories).
    """

    level: int
    value: Decimal
    label: LocalText
    probability: Decimal | None = attrs.field(default=None, validator=_probability)
    yearly_min: Decimal | None = attrs.field(default=None, validator=_probability)
    yearly_max: Decimal | None = attrs.field(default=None, validator=_probability)
    source: str | None = None


@attrs.frozen(kw_only=True)
class RiskScale:
    """A risk scale (*risikoskala*): a probability axis and a consequence axis.

    ``default_rule`` names the band rule used with it unless another is chosen.
    """

    name: str = attrs.field(validator=identifier)
    title: LocalText
    probability: tuple[ScaleLevel, ...] = attrs.field(validator=_check_axis)
    consequence: tuple[ScaleLevel, ...] = attrs.field(validator=_check_axis)
    default_rule: str
    source: str | None = None
    note: str | None = None

    def probability_level(self, level: int) -> ScaleLevel:
        """The probability level ``level`` (1 is the lowest).

        Raises:
            InvalidInputError: If the scale has no such level.
        """
        return _level(self.probability, level, "probability")

    def consequence_level(self, level: int) -> ScaleLevel:
        """The consequence level ``level`` (1 is the lowest).

        Raises:
            InvalidInputError: If the scale has no such level.
        """
        return _level(self.consequence, level, "consequence")


def _level(axis: tuple[ScaleLevel, ...], level: int, what: str) -> ScaleLevel:
    if isinstance(level, bool) or not 1 <= level <= len(axis):
        raise InvalidInputError(
            f"{what} level {level!r} is outside the scale (1-{len(axis)})", what=what
        )
    return axis[level - 1]


@attrs.frozen(kw_only=True)
class Band:
    """A risk band: its code, its label, its colour and other words for it.

    ``aliases`` are words a report uses for the same grade, e.g. ``høy`` for
    ``alvorlig`` (000:463).
    """

    code: str = attrs.field(validator=identifier)
    label: LocalText
    colour: str = attrs.field(validator=_colour)
    aliases: tuple[str, ...] = ()


def _normal(word: str) -> str:
    return word.strip().casefold()


def _check_bands(
    _instance: object, attribute: attrs.Attribute[Any], value: tuple[Band, ...]
) -> None:
    if not value:
        raise InvalidInputError("a band set needs at least one band", what=attribute.name)
    seen: set[str] = set()
    for band in value:
        for word in (band.code, *band.aliases):
            if _normal(word) in seen:
                raise InvalidInputError(
                    f"the band word {word!r} is used twice in one band set", what=attribute.name
                )
            seen.add(_normal(word))


@attrs.frozen(kw_only=True)
class BandSet:
    """The bands of a risk matrix, lowest first (e.g. *lav*, *moderat*, *alvorlig*)."""

    name: str = attrs.field(validator=identifier)
    title: LocalText
    bands: tuple[Band, ...] = attrs.field(validator=_check_bands)
    source: str | None = None
    note: str | None = None

    def codes(self) -> tuple[str, ...]:
        """The band codes, lowest first."""
        return tuple(band.code for band in self.bands)

    def find(self, word: str) -> Band | None:
        """The band whose code or alias is ``word`` (case does not matter), if any.

        >>> from samskaping.scoring import risk_config
        >>> risk_config().band_set("lav_moderat_alvorlig").find("Høy").code
        'alvorlig'
        """
        wanted = _normal(word)
        for band in self.bands:
            if wanted == _normal(band.code) or wanted in {_normal(a) for a in band.aliases}:
                return band
        return None

    def resolve(self, word: str) -> Band:
        """Like :meth:`find`, but an unknown word is an error.

        Raises:
            UnknownNameError: If no band has that code or alias.
        """
        band = self.find(word)
        if band is None:
            raise UnknownNameError("band", word, self.codes())
        return band

    def rank(self, code: str) -> int:
        """The position of a band, 0 for the lowest.

        Raises:
            UnknownNameError: If no band has that code.
        """
        return self.bands.index(self.resolve(code))


@attrs.frozen(kw_only=True)
class BandThreshold:
    """A band and the value below which a risk falls in it (the last has no bound)."""

    band: str
    below: Decimal | None = None


@attrs.frozen(kw_only=True)
class BandRule:
    """A rule that gives a band from a probability and a consequence level.

    ``kind`` is ``product`` (a threshold on S × K), ``sum`` (a threshold on S + K)
    or ``cells`` (an explicit table: ``cells[p - 1][c - 1]`` is the band of
    probability level p and consequence level c).
    """

    name: str = attrs.field(validator=identifier)
    title: LocalText
    kind: Literal["product", "sum", "cells"]
    band_set: str
    thresholds: tuple[BandThreshold, ...] = ()
    cells: tuple[tuple[str, ...], ...] = ()
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class RiskConfig:
    """Risk scales, band sets and band rules, looked up by name."""

    scales: tuple[RiskScale, ...] = ()
    band_sets: tuple[BandSet, ...] = ()
    rules: tuple[BandRule, ...] = ()

    def scale(self, name: str) -> RiskScale:
        """The scale called ``name``.

        Raises:
            UnknownNameError: If there is none.
        """
        return _named(self.scales, name, "risk scale")

    def band_set(self, name: str) -> BandSet:
        """The band set called ``name``.

        Raises:
            UnknownNameError: If there is none.
        """
        return _named(self.band_sets, name, "band set")

    def rule(self, name: str) -> BandRule:
        """The band rule called ``name``.

        Raises:
            UnknownNameError: If there is none.
        """
        return _named(self.rules, name, "band rule")

    def merged(self, other: RiskConfig) -> RiskConfig:
        """A config with ``other``'s scales, band sets and rules added or replacing these."""
        return RiskConfig(
            scales=_merge(self.scales, other.scales),
            band_sets=_merge(self.band_sets, other.band_sets),
            rules=_merge(self.rules, other.rules),
        )


def _merge(mine: tuple[_N, ...], theirs: tuple[_N, ...]) -> tuple[_N, ...]:
    """``mine`` with the items named in ``theirs`` replaced, then ``theirs`` added."""
    names = {item.name for item in theirs}
    return (*(item for item in mine if item.name not in names), *theirs)


class _Named(Protocol):
    @property
    def name(self) -> str: ...


_N = TypeVar("_N", bound=_Named)


def _named(items: tuple[_N, ...], name: str, kind: str) -> _N:
    for item in items:
        if item.name == name:
            return item
    raise UnknownNameError(kind, name, (item.name for item in items))
