"""Risk scoring: scales, band rules, scores before and after mitigation, EMV, profiles.

DOMAIN §7. A risk (*usikkerhet*) is placed by its probability (*sannsynlighet*, S)
and consequence (*konsekvens*, K) on a scale; its risk factor is S × K; a band rule
gives its band. Scales, band sets and rules are data (``data/scales/risk.toml``),
and a municipality can read its own with :func:`read_risk_config`.

A risk that records only a grade, as Stovner's six risks do (000:462-518: two
*alvorlig*, two *moderat*, two *lav*, and no probability or consequence), is scored
from that grade (``assessed_band``) when the band set knows the word; no S or K is
invented for it.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from enum import StrEnum, unique
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal, Protocol, TypeVar

import attrs

from samskaping._errors import DocumentError, InvalidInputError, Problem, UnknownNameError
from samskaping._money import Money, sum_money
from samskaping.model import (
    Risk,
    RiskKind,
    RiskProximity,
    RiskStatus,
    RiskStrategy,
    Severity,
    identifier,
)
from samskaping.scoring._common import LocalText, Reason, load_data_file, reason

__all__ = [
    "Band",
    "BandCount",
    "BandDelta",
    "BandMove",
    "BandRule",
    "BandSet",
    "BandThreshold",
    "CellScore",
    "DEFAULT_SCALE",
    "RegisterChange",
    "RiskConfig",
    "RiskMatrix",
    "RiskProfile",
    "RiskScale",
    "RiskScore",
    "ScaleLevel",
    "ScoreBasis",
    "check_risk_config",
    "compare_registers",
    "emv",
    "expected_monetary_value",
    "load_risk_config",
    "read_risk_config",
    "register_as_of",
    "register_change",
    "risk_config",
    "risk_matrix",
    "risk_profile",
    "score_risk",
    "score_risks",
]

_COLOUR: Final = re.compile(r"^#[0-9a-fA-F]{6}$")
#: The scale used when neither the caller nor the document names one.
DEFAULT_SCALE: Final = "default_5x5"


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


def _rule_problems(rule: BandRule, bands: BandSet | None, path: str) -> list[Problem]:
    if bands is None:
        return [Problem(path=f"{path}.band_set", message=f"unknown band set {rule.band_set!r}")]
    if rule.kind == "cells":
        return _cell_problems(rule, bands, path)
    return _threshold_problems(rule, bands, path)


def _unknown_band(code: str, codes: tuple[str, ...]) -> str:
    return f"unknown band {code!r}; known: {', '.join(codes)}"


def _cell_problems(rule: BandRule, bands: BandSet, path: str) -> list[Problem]:
    codes = bands.codes()
    problems: list[Problem] = []
    if rule.thresholds:
        problems.append(
            Problem(path=f"{path}.thresholds", message="a cell table has no thresholds")
        )
    if not rule.cells or not rule.cells[0]:
        problems.append(
            Problem(path=f"{path}.cells", message="a cell table needs at least one cell")
        )
        return problems
    width = len(rule.cells[0])
    for p, row in enumerate(rule.cells):
        if len(row) != width:
            message = f"expected {width} cells like the first row"
            problems.append(Problem(path=f"{path}.cells[{p}]", message=message))
        problems.extend(
            Problem(path=f"{path}.cells[{p}][{c}]", message=_unknown_band(code, codes))
            for c, code in enumerate(row)
            if code not in codes
        )
    if not problems:
        problems.extend(_monotone_problems(rule, bands, path))
    return problems


def _threshold_problems(rule: BandRule, bands: BandSet, path: str) -> list[Problem]:
    codes = bands.codes()
    problems: list[Problem] = []
    if rule.cells:
        problems.append(Problem(path=f"{path}.cells", message=f"a {rule.kind} rule has no cells"))
    if not rule.thresholds:
        message = "expected at least one threshold"
        return [*problems, Problem(path=f"{path}.thresholds", message=message)]
    last = len(rule.thresholds) - 1
    bounds = [t.below for t in rule.thresholds[:last]]
    for index, threshold in enumerate(rule.thresholds):
        where = f"{path}.thresholds[{index}]"
        if threshold.band not in codes:
            problems.append(
                Problem(path=f"{where}.band", message=_unknown_band(threshold.band, codes))
            )
        if (index < last) == (threshold.below is None):
            message = "the last threshold, and only the last, has no bound"
            problems.append(Problem(path=f"{where}.below", message=message))
    given = [b for b in bounds if b is not None]
    if any(not low < high for low, high in itertools.pairwise(given)):
        problems.append(Problem(path=f"{path}.thresholds", message="expected bounds that rise"))
    ranks = [codes.index(t.band) for t in rule.thresholds if t.band in codes]
    if ranks != sorted(ranks):
        message = "expected bands from lowest to highest"
        problems.append(Problem(path=f"{path}.thresholds", message=message))
    return problems


def _monotone_problems(rule: BandRule, bands: BandSet, path: str) -> list[Problem]:
    codes = bands.codes()
    rank = [[codes.index(code) for code in row] for row in rule.cells]
    problems: list[Problem] = []
    for p, row in enumerate(rank):
        for c, value in enumerate(row):
            if c > 0 and value < row[c - 1]:
                problems.append(
                    Problem(
                        path=f"{path}.cells[{p}][{c}]",
                        message="the band falls as consequence rises; a band rule must not",
                    )
                )
            if p > 0 and value < rank[p - 1][c]:
                problems.append(
                    Problem(
                        path=f"{path}.cells[{p}][{c}]",
                        message="the band falls as probability rises; a band rule must not",
                    )
                )
    return problems


def check_risk_config(config: RiskConfig, *, source: str | None = None) -> RiskConfig:
    """Check the references inside a config: rules name known band sets and bands.

    >>> check_risk_config(risk_config()) is risk_config()
    True

    Raises:
        DocumentError: Listing every problem with its path.
    """
    problems: list[Problem] = []
    rule_names = {rule.name for rule in config.rules}
    for index, scale in enumerate(config.scales):
        if scale.default_rule not in rule_names:
            problems.append(
                Problem(
                    path=f"$.scales[{index}].default_rule",
                    message=f"unknown band rule {scale.default_rule!r}",
                )
            )
    sets = {band_set.name: band_set for band_set in config.band_sets}
    for index, rule in enumerate(config.rules):
        problems.extend(_rule_problems(rule, sets.get(rule.band_set), f"$.rules[{index}]"))
    names: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("scales", tuple(item.name for item in config.scales)),
        ("band_sets", tuple(item.name for item in config.band_sets)),
        ("rules", tuple(item.name for item in config.rules)),
    )
    for kind, listed in names:
        problems.extend(
            Problem(path=f"$.{kind}[{index}].name", message="the name is used twice")
            for index, name in enumerate(listed)
            if name in listed[:index]
        )
    if problems:
        raise DocumentError(problems, source=source)
    return config


@cache
def risk_config() -> RiskConfig:
    """The built-in scales, band sets and rules (``data/scales/risk.toml``).

    >>> [scale.name for scale in risk_config().scales]
    ['default_5x5', 'pmbok', 'dsb_2014']
    >>> [rule.name for rule in risk_config().rules]
    ['product_3', 'prosjektportalen_sum', 'pmbok_pi', 'cell_table_5x5']
    """
    return check_risk_config(load_data_file(RiskConfig, "scales", "risk.toml"), source="risk.toml")


def read_risk_config(
    text: str,
    format: Literal["json", "toml"] = "toml",
    *,
    source: str | None = None,
    builtin: bool = True,
) -> RiskConfig:
    """Read scales, band sets and rules from TOML or JSON text, in the built-in file's shape.

    With ``builtin`` the result also holds the built-in entries (the text's entries
    replace built-ins of the same name).

    >>> own = read_risk_config('''
    ... [[rules]]
    ... name = "strict"
    ... title = { nb = "Streng", nn = "Streng", en = "Strict" }
    ... kind = "product"
    ... band_set = "lav_moderat_alvorlig"
    ... thresholds = [
    ...   { band = "lav", below = 3 }, { band = "moderat", below = 6 }, { band = "alvorlig" },
    ... ]
    ... ''')
    >>> risk_matrix(rule="strict", config=own).band_for(2, 3).code
    'alvorlig'

    Raises:
        DocumentError: If the text is malformed or refers to unknown names.
    """
    from samskaping.io import parse, structure  # noqa: PLC0415

    config: RiskConfig = structure(parse(text, format, source=source), RiskConfig, source=source)
    if builtin:
        config = risk_config().merged(config)
    return check_risk_config(config, source=source)


def load_risk_config(path: str | Path, *, builtin: bool = True) -> RiskConfig:
    """Read a risk config file (``.toml`` or ``.json``); see :func:`read_risk_config`.

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "own.toml"
    >>> lines = ['[[band_sets]]', 'name = "two"', 'title = { nb = "To", nn = "To", en = "Two" }',
    ...          '[[band_sets.bands]]', 'code = "ok"', 'colour = "#00aa00"',
    ...          'label = { nb = "ok", nn = "ok", en = "ok" }',
    ...          '[[band_sets.bands]]', 'code = "ikke_ok"', 'colour = "#aa0000"',
    ...          'label = { nb = "ikke ok", nn = "ikkje ok", en = "not ok" }']
    >>> _ = path.write_text(chr(10).join(lines), encoding="utf-8")
    >>> load_risk_config(path).band_set("two").codes()
    ('ok', 'ikke_ok')

    Raises:
        DocumentError: If the file cannot be read or is malformed.
    """
    from samskaping.io import format_of, read_text  # noqa: PLC0415

    file = Path(path)
    format = format_of(file, "toml")
    return read_risk_config(read_text(file), format, source=file.name, builtin=builtin)


@attrs.frozen(kw_only=True)
class RiskMatrix:
    """A scale with the band rule and band set it is read with.

    Build one with :func:`risk_matrix`; the combination is checked on construction.
    """

    scale: RiskScale
    rule: BandRule
    bands: BandSet

    def __attrs_post_init__(self) -> None:
        problems = _rule_problems(
            self.rule, self.bands if self.bands.name == self.rule.band_set else None, "$.rule"
        )
        if self.rule.kind == "cells" and not problems:
            rows, columns = len(self.rule.cells), len(self.rule.cells[0])
            if (rows, columns) != (len(self.scale.probability), len(self.scale.consequence)):
                problems.append(
                    Problem(
                        path="$.rule.cells",
                        message=f"the table is {rows} × {columns} but the scale "
                        f"{self.scale.name!r} is {len(self.scale.probability)} × "
                        f"{len(self.scale.consequence)}",
                    )
                )
        if problems:
            raise InvalidInputError(
                f"the band rule {self.rule.name!r} does not fit: " + "; ".join(map(str, problems)),
                what="rule",
            )

    def rule_value(self, probability: int, consequence: int) -> Decimal:
        """The value the rule thresholds: S × K or S + K of the levels' values."""
        p = self.scale.probability_level(probability).value
        c = self.scale.consequence_level(consequence).value
        return p + c if self.rule.kind == "sum" else p * c

    def score(self, probability: int, consequence: int) -> Decimal:
        """The risk factor S × K of the levels' values.

        >>> risk_matrix().score(4, 3)
        Decimal('12')

        Raises:
            InvalidInputError: If a level is outside the scale.
        """
        return (
            self.scale.probability_level(probability).value
            * self.scale.consequence_level(consequence).value
        )

    def band_for(self, probability: int, consequence: int) -> Band:
        """The band of a probability level and a consequence level.

        >>> m = risk_matrix()
        >>> [m.band_for(1, 4).code, m.band_for(2, 3).code, m.band_for(4, 3).code]
        ['lav', 'moderat', 'alvorlig']
        >>> risk_matrix(rule="prosjektportalen_sum").band_for(3, 3).code
        'orange'

        Raises:
            InvalidInputError: If a level is outside the scale.
        """
        if self.rule.kind == "cells":
            self.scale.probability_level(probability)
            self.scale.consequence_level(consequence)
            return self.bands.resolve(self.rule.cells[probability - 1][consequence - 1])
        value = self.rule_value(probability, consequence)
        for threshold in self.rule.thresholds:
            if threshold.below is None or value < threshold.below:
                return self.bands.resolve(threshold.band)
        return self.bands.resolve(self.rule.thresholds[-1].band)  # pragma: no cover


def risk_matrix(
    scale: str | None = None, rule: str | None = None, *, config: RiskConfig | None = None
) -> RiskMatrix:
    """The matrix of a named scale and rule (the scale's default rule unless given).

    >>> m = risk_matrix()
    >>> (m.scale.name, m.rule.name, m.bands.codes())
    ('default_5x5', 'product_3', ('lav', 'moderat', 'alvorlig'))

    Raises:
        UnknownNameError: If the scale, rule or band set is not known.
        InvalidInputError: If the rule does not fit the scale.
    """
    config = config or risk_config()
    chosen = config.scale(scale or DEFAULT_SCALE)
    band_rule = config.rule(rule or chosen.default_rule)
    return RiskMatrix(scale=chosen, rule=band_rule, bands=config.band_set(band_rule.band_set))


# --- scoring single risks ----------------------------------------------------------------


@unique
class ScoreBasis(StrEnum):
    """Where a risk's band comes from: computed from S and K, the recorded grade, or nothing."""

    COMPUTED = "computed"
    ASSESSED = "assessed"
    NONE = "none"


@attrs.frozen(kw_only=True)
class CellScore:
    """A risk's place in the matrix: its levels, its risk factor S × K and its band."""

    probability: int
    consequence: int
    score: Decimal
    band: str


@attrs.frozen(kw_only=True)
class RiskScore:
    """The score of one risk before (``initial``) and after mitigation (``residual``).

    ``band`` is the band before mitigation: computed from S and K when both are
    recorded, else the recorded grade (``assessed_band``, resolved to a band code);
    ``basis`` says which. ``current_band`` is the band after mitigation where a
    residual score exists, else ``band``. ``strategy`` (the response chosen),
    ``status`` and ``proximity`` are the register's own. ``emv`` is the expected
    monetary value (negative for threats). ``reasons`` explain and warn.
    """

    id: str
    title: str
    kind: RiskKind
    status: RiskStatus
    strategy: RiskStrategy | None
    proximity: RiskProximity | None
    initial: CellScore | None
    residual: CellScore | None
    assessed_band: str | None
    band: str | None
    current_band: str | None
    basis: ScoreBasis
    emv: Money | None
    reasons: tuple[Reason, ...]


def _cell(matrix: RiskMatrix, probability: int, consequence: int) -> CellScore:
    return CellScore(
        probability=probability,
        consequence=consequence,
        score=matrix.score(probability, consequence),
        band=matrix.band_for(probability, consequence).code,
    )


def _pair(
    matrix: RiskMatrix, probability: int | None, consequence: int | None, names: tuple[str, str]
) -> tuple[CellScore | None, list[InvalidInputError]]:
    errors: list[InvalidInputError] = []
    for value, axis, name in (
        (probability, matrix.scale.probability, names[0]),
        (consequence, matrix.scale.consequence, names[1]),
    ):
        if value is not None and not 1 <= value <= len(axis):
            errors.append(
                InvalidInputError(
                    f"level {value} is outside the scale {matrix.scale.name!r} (1-{len(axis)})",
                    what=name,
                )
            )
    if errors or probability is None or consequence is None:
        return None, errors
    return _cell(matrix, probability, consequence), errors


def _assessed(risk: Risk, matrix: RiskMatrix) -> tuple[str | None, list[InvalidInputError]]:
    if risk.assessed_band is None:
        return None, []
    found = matrix.bands.find(risk.assessed_band)
    if found is not None:
        return found.code, []
    message = (
        f"unknown band {risk.assessed_band[:40]!r}; the band set "
        f"{matrix.bands.name!r} knows: {', '.join(matrix.bands.codes())}"
    )
    return None, [InvalidInputError(message, what="assessed_band")]


def _basis(
    matrix: RiskMatrix, initial: CellScore | None, assessed: str | None
) -> tuple[ScoreBasis, str | None, list[Reason]]:
    label = matrix.bands.resolve
    if initial is not None:
        reasons = [
            reason(
                "risk.computed",
                probability=initial.probability,
                consequence=initial.consequence,
                score=initial.score,
                band=label(initial.band).label,
            )
        ]
        if assessed is not None and assessed != initial.band:
            reasons.append(
                reason(
                    "risk.assessed_differs",
                    Severity.WARNING,
                    assessed=label(assessed).label,
                    band=label(initial.band).label,
                )
            )
        return ScoreBasis.COMPUTED, initial.band, reasons
    if assessed is not None:
        return (
            ScoreBasis.ASSESSED,
            assessed,
            [reason("risk.graded_only", band=label(assessed).label)],
        )
    return ScoreBasis.NONE, None, [reason("risk.unscored", Severity.WARNING)]


def _residual_reasons(
    matrix: RiskMatrix, initial: CellScore | None, residual: CellScore | None
) -> list[Reason]:
    if residual is None:
        return []
    if initial is None:
        return [reason("risk.residual_without_initial", Severity.WARNING)]
    rank = matrix.bands.rank
    if residual.score > initial.score or rank(residual.band) > rank(initial.band):
        return [
            reason(
                "risk.residual_above_initial",
                Severity.WARNING,
                initial=initial.score,
                residual=residual.score,
            )
        ]
    band = matrix.bands.resolve(residual.band).label
    return [reason("risk.residual", residual=residual.score, band=band)]


def _score_risk(risk: Risk, matrix: RiskMatrix) -> tuple[RiskScore | None, list[InvalidInputError]]:
    names = ("probability", "consequence")
    initial, errors = _pair(matrix, risk.probability, risk.consequence, names)
    residual_names = ("residual_probability", "residual_consequence")
    residual, more = _pair(
        matrix, risk.residual_probability, risk.residual_consequence, residual_names
    )
    assessed, unknown = _assessed(risk, matrix)
    errors.extend([*more, *unknown])
    if errors:
        return None, errors
    reasons: list[Reason] = []
    if (risk.probability is None) != (risk.consequence is None):
        reasons.append(reason("risk.incomplete", Severity.WARNING))
    if (risk.residual_probability is None) != (risk.residual_consequence is None):
        reasons.append(reason("risk.residual_incomplete", Severity.WARNING))
    basis, band, explained = _basis(matrix, initial, assessed)
    reasons.extend(explained)
    reasons.extend(_residual_reasons(matrix, initial, residual))
    score = RiskScore(
        id=risk.id,
        title=risk.title,
        kind=risk.kind,
        status=risk.status,
        strategy=risk.strategy,
        proximity=risk.proximity,
        initial=initial,
        residual=residual,
        assessed_band=assessed,
        band=band,
        current_band=residual.band if residual is not None else band,
        basis=basis,
        emv=_emv(risk, matrix, residual=False),
        reasons=tuple(reasons),
    )
    return score, []


def score_risk(risk: Risk, matrix: RiskMatrix | None = None) -> RiskScore:
    """Score one risk before and after mitigation (DOMAIN §7).

    >>> from samskaping.model import Risk
    >>> s = score_risk(Risk(id="r1", title="Low turnout", probability=4, consequence=3,
    ...                     residual_probability=2, residual_consequence=3))
    >>> (s.initial.score, s.band, s.residual.score, s.current_band)
    (Decimal('12'), 'alvorlig', Decimal('6'), 'moderat')
    >>> score_risk(Risk(id="r2", title="Recruitment", assessed_band="moderat")).basis
    <ScoreBasis.ASSESSED: 'assessed'>

    A residual score above the initial one is a warning:

    >>> worse = score_risk(Risk(id="r3", title="x", probability=1, consequence=1,
    ...                         residual_probability=2, residual_consequence=2))
    >>> [r.code for r in worse.reasons if r.severity == "warning"]
    ['risk.residual_above_initial']

    Raises:
        InvalidInputError: If a level lies outside the scale or the recorded grade
            is not a band of the matrix (the message names the field).
    """
    matrix = matrix or risk_matrix()
    result, errors = _score_risk(risk, matrix)
    if errors:
        raise errors[0]
    assert result is not None  # noqa: S101  (no errors means a result)
    return result


def score_risks(
    risks: Sequence[Risk], matrix: RiskMatrix | None = None, *, path: str = "$.risks"
) -> tuple[RiskScore, ...]:
    """Score a register of risks, reporting every bad risk at once.

    >>> from samskaping.model import Risk
    >>> [s.band for s in score_risks([Risk(id="a", title="t", probability=1, consequence=2),
    ...                               Risk(id="b", title="t", assessed_band="alvorlig")])]
    ['lav', 'alvorlig']

    Raises:
        DocumentError: With the path of every level outside the scale and every
            unknown band, e.g. ``$.risks[2].probability``.
    """
    matrix = matrix or risk_matrix()
    results: list[RiskScore] = []
    problems: list[Problem] = []
    for index, risk in enumerate(risks):
        result, errors = _score_risk(risk, matrix)
        problems.extend(Problem(path=f"{path}[{index}].{e.what}", message=str(e)) for e in errors)
        if result is not None:
            results.append(result)
    if problems:
        raise DocumentError(problems)
    return tuple(results)


# --- expected monetary value -------------------------------------------------------------


def emv(probability: Decimal, impact: Money, kind: RiskKind = RiskKind.THREAT) -> Money:
    """The expected monetary value P × I in NOK: negative for a threat, positive for an opportunity.

    >>> emv(Decimal("0.3"), Money("200000"))
    Money('-60000.00')
    >>> emv(Decimal("0.5"), Money("10000"), RiskKind.OPPORTUNITY)
    Money('5000.00')

    Raises:
        InvalidInputError: If the probability is not from 0 to 1 or the impact is negative.
    """
    if not Decimal(0) <= probability <= Decimal(1):
        raise InvalidInputError(
            f"expected a probability from 0 to 1, got {probability}", what="probability"
        )
    if impact.is_negative():
        raise InvalidInputError("expected an impact that is not negative", what="impact")
    value = impact * probability
    return -value if kind == RiskKind.THREAT else value


def _emv(risk: Risk, matrix: RiskMatrix, *, residual: bool) -> Money | None:
    level = risk.residual_probability if residual else risk.probability
    if risk.impact is None or level is None or not 1 <= level <= len(matrix.scale.probability):
        return None
    probability = matrix.scale.probability_level(level).probability
    if probability is None:
        return None
    return emv(probability, risk.impact, risk.kind)


def expected_monetary_value(
    risk: Risk, matrix: RiskMatrix | None = None, *, residual: bool = False
) -> Money | None:
    """A risk's expected monetary value, or ``None`` when it cannot be computed.

    It needs an ``impact`` in NOK and a probability level whose scale gives a
    probability (the PMBOK scale does; the default 5 × 5 does not).

    >>> from samskaping.model import Risk
    >>> r = Risk(id="r1", title="x", probability=2, consequence=3, impact=Money("100000"))
    >>> expected_monetary_value(r, risk_matrix("pmbok"))
    Money('-30000.00')
    >>> expected_monetary_value(r) is None
    True

    Raises:
        InvalidInputError: If the probability level lies outside the scale.
    """
    matrix = matrix or risk_matrix()
    level = risk.residual_probability if residual else risk.probability
    if level is not None:
        matrix.scale.probability_level(level)
    return _emv(risk, matrix, residual=residual)


# --- register profile and change -----------------------------------------------------------


@attrs.frozen(kw_only=True)
class BandCount:
    """How many risks fall in one band."""

    band: str
    label: LocalText
    colour: str
    count: int


@attrs.frozen(kw_only=True)
class RiskProfile:
    """A register's profile: counts per band, the top risks, the total exposure.

    ``counts`` are before mitigation and ``residual_counts`` after (a risk with no
    residual score keeps its band); ``residual_scored`` counts the risks that have a
    residual score, so a reader can tell "after mitigation" from the initial bands
    repeated, and ``matrix_scored`` those with both levels, placed in the matrix.
    ``total_exposure`` sums the risk factors S × K
    of the risks with both levels; ``total_emv`` sums the expected monetary values
    that can be computed (``None`` if none can). ``unscored`` counts risks with
    neither levels nor a grade; ``open`` those not closed.
    """

    scale: str
    rule: str
    total: int
    open: int
    unscored: int
    counts: tuple[BandCount, ...]
    residual_counts: tuple[BandCount, ...]
    residual_scored: int = 0
    matrix_scored: int = 0
    top: tuple[RiskScore, ...]
    total_exposure: Decimal
    residual_exposure: Decimal
    total_emv: Money | None
    reasons: tuple[Reason, ...]


def _counts(matrix: RiskMatrix, bands: Iterable[str | None]) -> tuple[BandCount, ...]:
    tally = dict.fromkeys(matrix.bands.codes(), 0)
    for band in bands:
        if band is not None:
            tally[band] += 1
    return tuple(
        BandCount(band=b.code, label=b.label, colour=b.colour, count=tally[b.code])
        for b in matrix.bands.bands
    )


def _order(matrix: RiskMatrix, score: RiskScore) -> tuple[int, Decimal, str]:
    rank = matrix.bands.rank(score.band) if score.band is not None else -1
    value = score.initial.score if score.initial is not None else Decimal(-1)
    return (-rank, -value, score.id)


def risk_profile(
    risks: Sequence[Risk], matrix: RiskMatrix | None = None, *, top: int = 5, path: str = "$.risks"
) -> RiskProfile:
    """Profile a risk register (*risikoregister*): counts per band, top ``top``, exposure.

    >>> from samskaping.model import Risk
    >>> grades = ["alvorlig", "moderat", "moderat", "alvorlig", "lav", "lav"]
    >>> register = [Risk(id=f"r{i}", title="t", assessed_band=g) for i, g in enumerate(grades, 1)]
    >>> p = risk_profile(register)
    >>> [(c.band, c.count) for c in p.counts]
    [('lav', 2), ('moderat', 2), ('alvorlig', 2)]
    >>> [s.id for s in p.top[:2]]
    ['r1', 'r4']

    Raises:
        InvalidInputError: If ``top`` is negative.
        DocumentError: If a risk has a level outside the scale or an unknown grade.
    """
    if top < 0:
        raise InvalidInputError("expected top of at least 0", what="top")
    matrix = matrix or risk_matrix()
    scores = score_risks(risks, matrix, path=path)
    total_emv_parts = [s.emv for s in scores if s.emv is not None]
    unscored = sum(1 for s in scores if s.basis == ScoreBasis.NONE)
    reasons: list[Reason] = [reason("risk.profile", total=len(scores))]
    if unscored:
        reasons.append(reason("risk.profile_unscored", Severity.WARNING, count=unscored))
    graded = sum(1 for s in scores if s.basis == ScoreBasis.ASSESSED)
    if graded:
        reasons.append(reason("risk.profile_graded_only", count=graded))
    return RiskProfile(
        scale=matrix.scale.name,
        rule=matrix.rule.name,
        total=len(scores),
        open=sum(1 for s in scores if s.status != RiskStatus.CLOSED),
        unscored=unscored,
        counts=_counts(matrix, (s.band for s in scores)),
        residual_counts=_counts(matrix, (s.current_band for s in scores)),
        residual_scored=sum(1 for s in scores if s.residual is not None),
        matrix_scored=sum(1 for s in scores if s.initial is not None),
        top=tuple(
            sorted((s for s in scores if s.band is not None), key=lambda s: _order(matrix, s))[:top]
        ),
        total_exposure=sum((s.initial.score for s in scores if s.initial is not None), Decimal(0)),
        residual_exposure=sum(
            (
                (s.residual or s.initial).score  # type: ignore[union-attr]
                for s in scores
                if (s.residual or s.initial) is not None
            ),
            Decimal(0),
        ),
        total_emv=sum_money(total_emv_parts) if total_emv_parts else None,
        reasons=tuple(reasons),
    )


def register_as_of(risks: Iterable[Risk], day: datetime.date) -> tuple[Risk, ...]:
    """The register as it stood on ``day``: risks identified on or before it.

    A risk with no ``identified`` date counts as known from the start.

    >>> import datetime
    >>> from samskaping.model import Risk
    >>> rs = [Risk(id="a", title="t", identified=datetime.date(2021, 5, 1)),
    ...       Risk(id="b", title="t", identified=datetime.date(2023, 1, 1))]
    >>> [r.id for r in register_as_of(rs, datetime.date(2022, 1, 1))]
    ['a']
    """
    return tuple(risk for risk in risks if risk.identified is None or risk.identified <= day)


@attrs.frozen(kw_only=True)
class BandDelta:
    """The count in one band before and after, and the change."""

    band: str
    label: LocalText
    before: int
    after: int
    change: int


@attrs.frozen(kw_only=True)
class BandMove:
    """A risk whose band changed between two registers."""

    id: str
    before: str | None
    after: str | None


@attrs.frozen(kw_only=True)
class RegisterChange:
    """The change between two registers: per band, risks added, removed and moved."""

    counts: tuple[BandDelta, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]
    moved: tuple[BandMove, ...]
    exposure_before: Decimal
    exposure_after: Decimal
    exposure_change: Decimal


def compare_registers(
    before: Sequence[Risk], after: Sequence[Risk], matrix: RiskMatrix | None = None
) -> RegisterChange:
    """Compare two snapshots of a register (e.g. two versions of a document).

    >>> from samskaping.model import Risk
    >>> old = [Risk(id="a", title="t", probability=4, consequence=4)]
    >>> new = [Risk(id="a", title="t", probability=2, consequence=2),
    ...        Risk(id="b", title="t", assessed_band="lav")]
    >>> change = compare_registers(old, new)
    >>> (change.added, [(m.id, m.before, m.after) for m in change.moved], change.exposure_change)
    (('b',), [('a', 'alvorlig', 'lav')], Decimal('-12'))

    Raises:
        DocumentError: If a risk has a level outside the scale or an unknown grade.
    """
    matrix = matrix or risk_matrix()
    old = {s.id: s for s in score_risks(before, matrix, path="$.before")}
    new = {s.id: s for s in score_risks(after, matrix, path="$.after")}
    old_counts = _counts(matrix, (s.band for s in old.values()))
    new_counts = _counts(matrix, (s.band for s in new.values()))
    exposure_before = sum(
        (s.initial.score for s in old.values() if s.initial is not None), Decimal(0)
    )
    exposure_after = sum(
        (s.initial.score for s in new.values() if s.initial is not None), Decimal(0)
    )
    return RegisterChange(
        counts=tuple(
            BandDelta(
                band=o.band, label=o.label, before=o.count, after=n.count, change=n.count - o.count
            )
            for o, n in zip(old_counts, new_counts, strict=True)
        ),
        added=tuple(sorted(set(new) - set(old))),
        removed=tuple(sorted(set(old) - set(new))),
        moved=tuple(
            BandMove(id=key, before=old[key].band, after=new[key].band)
            for key in sorted(set(old) & set(new))
            if old[key].band != new[key].band
        ),
        exposure_before=exposure_before,
        exposure_after=exposure_after,
        exposure_change=exposure_after - exposure_before,
    )


def register_change(
    risks: Sequence[Risk],
    start: datetime.date,
    end: datetime.date,
    matrix: RiskMatrix | None = None,
) -> RegisterChange:
    """The change in a register between two dates, from the risks' ``identified`` dates.

    >>> import datetime
    >>> from samskaping.model import Risk
    >>> rs = [Risk(id="a", title="t", assessed_band="lav", identified=datetime.date(2021, 5, 1)),
    ...       Risk(id="b", title="t", assessed_band="alvorlig",
    ...            identified=datetime.date(2023, 1, 1))]
    >>> c = register_change(rs, datetime.date(2022, 1, 1), datetime.date(2024, 1, 1))
    >>> (c.added, [(d.band, d.change) for d in c.counts])
    (('b',), [('lav', 0), ('moderat', 0), ('alvorlig', 1)])

    Raises:
        InvalidInputError: If ``end`` is before ``start``.
        DocumentError: If a risk has a level outside the scale or an unknown grade.
    """
    if end < start:
        raise InvalidInputError("expected an end date on or after the start date", what="end")
    return compare_registers(register_as_of(risks, start), register_as_of(risks, end), matrix)
