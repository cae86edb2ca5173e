"""Hypothesis strategies: one per library type, with explicit bounds.

Every strategy draws *structurally* valid values (they load and dump), not
necessarily values that pass domain validation: that is what the properties test.
Amounts are whole øre within the library's limits; there is no NaN and no infinity.
"""

from __future__ import annotations

import datetime
import types
from decimal import Decimal
from enum import Enum
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import attrs
from hypothesis import strategies as st

from samskaping import Money
from samskaping import model as m

__all__ = [
    "STRATEGIES",
    "amounts",
    "dates",
    "decimals",
    "documents",
    "identifiers",
    "non_negative_amounts",
    "programmes",
    "projects",
    "strategy_for",
    "texts",
]

identifiers = st.from_regex(r"\A[a-z][a-z0-9_-]{0,11}\Z")
texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=20
)
dates = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2100, 12, 31))
amounts = st.integers(min_value=-(10**14), max_value=10**14).map(Money.from_ore)
non_negative_amounts = st.integers(min_value=0, max_value=10**14).map(Money.from_ore)
decimals = st.decimals(
    min_value=Decimal(-(10**9)),
    max_value=Decimal(10**9),
    places=4,
    allow_nan=False,
    allow_infinity=False,
)
weights = st.decimals(min_value=Decimal(0), max_value=Decimal(1000), places=2)
levels = st.integers(min_value=1, max_value=5)
counts = st.integers(min_value=0, max_value=100_000)
rrules = st.sampled_from(
    [
        "FREQ=WEEKLY;BYDAY=TU",
        "FREQ=MONTHLY;BYDAY=1WE",
        "FREQ=DAILY;COUNT=10",
        "FREQ=MONTHLY;BYMONTHDAY=15",
    ]
)

#: Strategies for single fields, by (class name, field name), where the field's type
#: alone admits values its validator refuses.
FIELD_OVERRIDES: dict[tuple[str, str], st.SearchStrategy[Any]] = {
    ("Risk", "probability"): st.none() | levels,
    ("Risk", "consequence"): st.none() | levels,
    ("Risk", "residual_probability"): st.none() | levels,
    ("Risk", "residual_consequence"): st.none() | levels,
    ("Goal", "gas_score"): st.none() | st.integers(min_value=-2, max_value=2),
    ("Goal", "weight"): weights,
    ("Indicator", "weight"): weights,
    ("ProposalTally", "share_percent"): st.none()
    | st.decimals(min_value=0, max_value=100, places=1),
    ("ActualCost", "year"): st.integers(min_value=1990, max_value=2100),
    ("Schedule", "rrule"): rrules,
    ("Programme", "projects"): st.lists(st.deferred(lambda: projects), max_size=2).map(tuple),
}

_SCALARS: dict[Any, st.SearchStrategy[Any]] = {
    str: texts,
    int: counts,
    bool: st.booleans(),
    Decimal: decimals,
    datetime.date: dates,
    Money: non_negative_amounts,
}

STRATEGIES: dict[type, st.SearchStrategy[Any]] = {}


def _for_type(type_: Any, owner: str, name: str) -> st.SearchStrategy[Any]:
    origin = get_origin(type_)
    if isinstance(type_, types.UnionType) or origin is Union:
        options = [t for t in get_args(type_) if t is not type(None)]
        strategy = st.one_of([_for_type(t, owner, name) for t in options])
        return st.none() | strategy if len(options) < len(get_args(type_)) else strategy
    if origin is tuple:
        return st.lists(_for_type(get_args(type_)[0], owner, name), max_size=2).map(tuple)
    if origin is Literal:
        return st.sampled_from(get_args(type_))
    if type_ in _SCALARS:
        if name in {
            "id",
            "key",
            "gate",
            "item",
            "phase",
            "from_phase",
            "to_phase",
        } or name.endswith("_id"):
            return identifiers
        if name in {"owner", "responsible", "decided_by", "ended_by", "deliverable", "activity"}:
            return identifiers
        return _SCALARS[type_]
    if isinstance(type_, type) and issubclass(type_, Enum):
        return st.sampled_from(list(type_))
    if isinstance(type_, type) and attrs.has(type_):
        return st.deferred(lambda: strategy_for(type_))
    raise TypeError(f"no strategy for {type_!r}")


def strategy_for(cls: type) -> st.SearchStrategy[Any]:
    """The strategy for an attrs class, built from its fields and cached."""
    if cls not in STRATEGIES:
        hints = get_type_hints(cls)
        fields = {}
        for field in attrs.fields(cls):
            override = FIELD_OVERRIDES.get((cls.__name__, field.name))
            fields[field.name] = (
                override
                if override is not None
                else _for_type(hints[field.name], cls.__name__, field.name)
            )
        STRATEGIES[cls] = st.builds(cls, **fields)
    return STRATEGIES[cls]


projects = strategy_for(m.Project)
programmes = strategy_for(m.Programme)
documents = st.one_of(projects, programmes)
actors = strategy_for(m.Actor)
phases = strategy_for(m.Phase)
deliverables = strategy_for(m.Deliverable)
risks = strategy_for(m.Risk)
goals = strategy_for(m.Goal)
indicators = strategy_for(m.Indicator)
benefits = strategy_for(m.Benefit)
budgets = strategy_for(m.Budget)
meeting_places = strategy_for(m.MeetingPlace)
involvement_activities = strategy_for(m.InvolvementActivity)
proposals = strategy_for(m.Proposal)
payout_schemes = strategy_for(m.PayoutScheme)
pots = strategy_for(m.Pot)

#: Every entity type of the model, for properties that run over all of them.
MODEL_TYPES: tuple[type, ...] = tuple(
    getattr(m, name)
    for name in m.__all__
    if isinstance(getattr(m, name), type) and attrs.has(getattr(m, name))
)


# --- scoring ---------------------------------------------------------------------------
# Strategies for the assessment inputs (samskaping.model._assessments) and the scoring
# values. Fields whose validators refuse part of their type get explicit bounds here.

import samskaping.scoring as _scoring  # noqa: E402  (each area imports in its own section)

diamond_levels = st.integers(min_value=1, max_value=5)
rates = st.decimals(min_value=Decimal(0), max_value=Decimal(1), places=3)
years = st.integers(min_value=1990, max_value=2100)
optional_identifiers = st.none() | identifiers
ks_key_sets = st.lists(
    st.integers(min_value=1, max_value=18), min_size=1, max_size=5, unique=True
).map(tuple)

FIELD_OVERRIDES.update(
    {
        ("IdeaDiamond", "strategic_anchoring"): diamond_levels,
        ("IdeaDiamond", "local_anchoring"): diamond_levels,
        ("IdeaDiamond", "reflection"): diamond_levels,
        ("IdeaDiamond", "experimentation"): diamond_levels,
        ("ConsiderationAnswer", "number"): st.integers(min_value=1, max_value=20),
        ("KeysRanking", "keys"): ks_key_sets,
        ("UtenforReported", "helped_per_year"): st.none()
        | st.decimals(min_value=Decimal(0), max_value=Decimal(10**6), places=2),
        ("UtenforReported", "break_even_year"): st.none() | years,
        ("UtenforReported", "net_gain_per_participant_year"): st.none() | amounts,
        ("SurveyResponse", "respondent"): optional_identifiers,
        ("SurveyResponse", "role"): optional_identifiers,
        ("ReportedMean", "mean"): st.decimals(min_value=Decimal(1), max_value=Decimal(5), places=2),
        ("ReportedMean", "role"): optional_identifiers,
        ("SurveyRound", "instrument"): identifiers,
        ("SurveyRound", "year"): years,
    }
)


@st.composite
def utenfor_cases(draw: st.DrawFn) -> m.UtenforCase:
    """An utenfor-regnskapet case with consistent ages and success rates."""
    age_from = draw(st.integers(min_value=0, max_value=25))
    p0 = draw(rates)
    return m.UtenforCase(
        id=draw(identifiers),
        name=draw(texts),
        project=draw(optional_identifiers),
        target_group=draw(st.sampled_from(m.UtenforTargetGroup)),
        measure_type=draw(st.none() | texts),
        age_from=age_from,
        age_to=draw(st.integers(min_value=age_from, max_value=age_from + 10)),
        success_without=p0,
        success_with=draw(st.decimals(min_value=p0, max_value=Decimal(1), places=3)),
        start_year=draw(years),
        years_running=draw(st.integers(min_value=1, max_value=10)),
        years_per_participant=draw(st.integers(min_value=1, max_value=10)),
        participants_per_year=draw(st.integers(min_value=0, max_value=500)),
        investment_per_year=draw(st.integers(min_value=0, max_value=10**9).map(Money.from_ore)),
        horizon_years=draw(st.integers(min_value=1, max_value=60)),
        cost_profile=draw(st.none() | identifiers),
        reported=draw(st.none() | strategy_for(m.UtenforReported)),
        source=draw(st.none() | texts),
        note=draw(st.none() | texts),
    )


STRATEGIES[m.UtenforCase] = utenfor_cases()
idea_diamonds = strategy_for(m.IdeaDiamond)
keys_rankings = strategy_for(m.KeysRanking)
survey_rounds = strategy_for(m.SurveyRound)
assessments = strategy_for(m.Assessments)

# risk scales and band rules (samskaping.scoring._risk)


def _text_label(text: str) -> Any:
    return _scoring.LocalText(nb=text, nn=text, en=text)


@st.composite
def risk_scales(
    draw: st.DrawFn, *, probability: int | None = None, consequence: int | None = None
) -> Any:
    """A risk scale with 2-6 levels per axis and rising, positive values."""

    def axis(size: int) -> tuple[Any, ...]:
        values = draw(
            st.lists(
                st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100), places=2),
                min_size=size,
                max_size=size,
                unique=True,
            )
        )
        return tuple(
            _scoring.ScaleLevel(level=i, value=v, label=_text_label(str(i)))
            for i, v in enumerate(sorted(values), 1)
        )

    n_p = probability or draw(st.integers(min_value=2, max_value=6))
    n_c = consequence or draw(st.integers(min_value=2, max_value=6))
    return _scoring.RiskScale(
        name="drawn",
        title=_text_label("drawn"),
        probability=axis(n_p),
        consequence=axis(n_c),
        default_rule="x",
    )


def _monotone_cells(draw: st.DrawFn, rows: int, columns: int, bands: int) -> list[list[int]]:
    raw = draw(
        st.lists(
            st.lists(st.integers(0, bands - 1), min_size=columns, max_size=columns),
            min_size=rows,
            max_size=rows,
        )
    )
    ranks = [[0] * columns for _ in range(rows)]
    for p in range(rows):
        for c in range(columns):
            ranks[p][c] = max(raw[p][c], ranks[p - 1][c] if p else 0, ranks[p][c - 1] if c else 0)
    return ranks


@st.composite
def risk_matrices(draw: st.DrawFn) -> Any:
    """A risk matrix: a drawn scale with a drawn product, sum or cell-table rule."""
    bands = draw(st.sampled_from(_scoring.risk_config().band_sets))
    codes = bands.codes()
    scale = draw(risk_scales())
    kind = draw(st.sampled_from(["product", "sum", "cells"]))
    if kind == "cells":
        ranks = _monotone_cells(draw, len(scale.probability), len(scale.consequence), len(codes))
        rule = _scoring.BandRule(
            name="drawn",
            title=_text_label("drawn"),
            kind="cells",
            band_set=bands.name,
            cells=tuple(tuple(codes[r] for r in row) for row in ranks),
        )
    else:
        count = draw(st.integers(min_value=1, max_value=len(codes)))
        chosen = sorted(
            draw(st.lists(st.integers(0, len(codes) - 1), min_size=count, max_size=count))
        )
        bounds = sorted(
            draw(
                st.lists(
                    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(20000), places=2),
                    min_size=count - 1,
                    max_size=count - 1,
                    unique=True,
                )
            )
        )
        thresholds = tuple(
            _scoring.BandThreshold(band=codes[r], below=bounds[i] if i < count - 1 else None)
            for i, r in enumerate(chosen)
        )
        rule = _scoring.BandRule(
            name="drawn",
            title=_text_label("drawn"),
            kind="sum" if kind == "sum" else "product",
            band_set=bands.name,
            thresholds=thresholds,
        )
    return _scoring.RiskMatrix(scale=scale, rule=rule, bands=bands)


def band_rules_for(rows: int, columns: int) -> st.SearchStrategy[list[list[str]]]:
    """Cell tables of lav/moderat/alvorlig: half of them monotone, half arbitrary."""
    codes = ("lav", "moderat", "alvorlig")
    arbitrary = st.lists(
        st.lists(st.sampled_from(codes), min_size=columns, max_size=columns),
        min_size=rows,
        max_size=rows,
    )

    @st.composite
    def monotone(draw: st.DrawFn) -> list[list[str]]:
        return [[codes[r] for r in row] for row in _monotone_cells(draw, rows, columns, len(codes))]

    return st.one_of(arbitrary, monotone())
