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
