"""How a risk register changes: between two snapshots or two dates (DOMAIN §7)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs

from samskaping._errors import InvalidInputError
from samskaping.model import Risk
from samskaping.scoring._common import LocalText
from samskaping.scoring.risk._matrix import RiskMatrix, risk_matrix
from samskaping.scoring.risk._profile import _counts
from samskaping.scoring.risk._score import score_risks

__all__ = [
    "BandDelta",
    "BandMove",
    "RegisterChange",
    "compare_registers",
    "register_as_of",
    "register_change",
]


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
