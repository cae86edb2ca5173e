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
    ("MeetingPlace", "mean_visits"): st.none() | st.decimals(0, 1_000_000, places=1),
    ("ParticipantProfile", "adult_age_from"): st.none() | st.integers(min_value=0, max_value=120),
    ("ParticipantProfile", "adult_age_to"): st.none() | st.integers(min_value=0, max_value=120),
    ("Goal", "gas_score"): st.none() | st.integers(min_value=-2, max_value=2),
    ("Goal", "weight"): weights,
    ("Indicator", "weight"): weights,
    ("ProposalTally", "share_percent"): st.none()
    | st.decimals(min_value=0, max_value=100, places=1),
    ("ActualCost", "year"): st.integers(min_value=1990, max_value=2100),
    ("Schedule", "rrule"): rrules,
    ("Programme", "projects"): st.lists(st.deferred(lambda: projects), max_size=2).map(tuple),
    # A pot's window never ends before it starts (dates run to 2100 at most).
    ("Pot", "valid_to"): st.none() | st.dates(datetime.date(2101, 1, 1), datetime.date(2200, 1, 1)),
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
        ("ScenarioSet", "horizon"): years,
        ("Scenario", "number"): st.integers(min_value=1, max_value=10),
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

# risk scales and band rules (samskaping.scoring.risk)


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


# --- payouts ---------------------------------------------------------------------------
# Strategies for the payout engine (samskaping.payouts): typed expression trees,
# households, requests, pots with consistent entries, approval bands that cover every
# amount, cohorts, populations and whole valid policies.

import functools  # noqa: E402

from samskaping.l10n import LocalText  # noqa: E402
from samskaping.model import PaymentType, Pot, PotEntry  # noqa: E402
from samskaping.payouts import (  # noqa: E402
    ApprovalBand,
    ApproverBody,
    BandSchedule,
    Cap,
    Child,
    Cohort,
    CohortMember,
    Derived,
    FlagRule,
    Household,
    InputDecl,
    Parameter,
    ParameterValue,
    Policy,
    Purpose,
    Request,
    Rule,
    ValueType,
)
from samskaping.payouts import _expr_ast as ast  # noqa: E402

V = ValueType

#: The names random expressions may use, with their types.
EXPR_SCOPE: dict[str, ValueType] = {
    "household.children": V.INT,
    "household.adults": V.INT,
    "household.disadvantaged": V.BOOL,
    "household.need_weight": V.DECIMAL,
    "household.type": V.STR,
    "request.amount": V.MONEY,
    "params.rate": V.MONEY,
    "params.factor": V.DECIMAL,
    "params.limit": V.INT,
    "params.kinds": V.STR_LIST,
}
_NAMES_BY_TYPE: dict[ValueType, list[str]] = {}
for _name, _kind in EXPR_SCOPE.items():
    _NAMES_BY_TYPE.setdefault(_kind, []).append(_name)

_small_ints = st.integers(min_value=0, max_value=1000)
_small_decimals = st.decimals(
    min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False
)
_ore = st.integers(min_value=0, max_value=10**9)


@functools.cache
def _leaf(kind: ValueType) -> st.SearchStrategy[Any]:
    names = st.sampled_from(_NAMES_BY_TYPE.get(kind, [])).map(lambda p: ast.Name(path=p))
    if kind is V.INT:
        return _small_ints.map(lambda v: ast.Number(value=v)) | names
    if kind is V.DECIMAL:
        return (
            _small_decimals.filter(lambda d: "." in str(d)).map(lambda v: ast.Number(value=v))
            | names
        )
    if kind is V.MONEY:
        return _ore.map(lambda v: ast.MoneyLit(ore=v)) | names
    if kind is V.STR:
        return st.sampled_from(["a", "b", ""]).map(lambda v: ast.Text(value=v)) | names
    return st.booleans().map(lambda v: ast.Bool(value=v)) | names


@functools.cache
def typed_trees(kind: ValueType, depth: int = 3) -> st.SearchStrategy[Any]:
    """Parsed (untyped) trees that type-check to ``kind`` in :data:`EXPR_SCOPE`."""
    if depth <= 0:
        return _leaf(kind)

    def sub(k: ValueType) -> st.SearchStrategy[Any]:
        return typed_trees(k, depth - 1)

    options = [_leaf(kind)]
    if kind is V.BOOL:
        options += [
            st.builds(
                lambda a, b, op: ast.Binary(op=op, left=a, right=b),
                sub(V.BOOL),
                sub(V.BOOL),
                st.sampled_from(["and", "or"]),
            ),
            sub(V.BOOL).map(lambda a: ast.Unary(op="not", operand=a)),
            st.builds(
                lambda op, data: ast.Binary(op=op, left=data[0], right=data[1]),
                st.sampled_from(["==", "!=", "<", "<=", ">", ">="]),
                st.sampled_from([V.INT, V.DECIMAL, V.MONEY]).flatmap(
                    lambda k: st.tuples(sub(k), sub(k))
                ),
            ),
            st.builds(
                lambda a, neg: ast.InOp(
                    item=a, container=ast.Name(path="params.kinds"), negated=neg
                ),
                sub(V.STR),
                st.booleans(),
            ),
            st.builds(
                lambda a, items: ast.InOp(
                    item=a, container=ast.ListLit(items=tuple(ast.Number(value=i) for i in items))
                ),
                sub(V.INT),
                st.lists(st.integers(0, 9), min_size=1, max_size=3),
            ),
            st.builds(
                lambda t, a, b: ast.Cond(test=t, then=a, otherwise=b),
                sub(V.BOOL),
                sub(V.BOOL),
                sub(V.BOOL),
            ),
        ]
    elif kind is V.STR:
        options += [
            st.builds(
                lambda t, a, b: ast.Cond(test=t, then=a, otherwise=b),
                sub(V.BOOL),
                sub(V.STR),
                sub(V.STR),
            )
        ]
    else:
        same = st.builds(
            lambda a, b, op: ast.Binary(op=op, left=a, right=b),
            sub(kind),
            sub(kind),
            st.sampled_from(["+", "-"]),
        )
        options += [
            same,
            sub(kind).map(lambda a: ast.Unary(op="-", operand=a)),
            st.builds(
                lambda f, args: ast.Call(func=f, args=tuple(args)),
                st.sampled_from(["min", "max"]),
                st.lists(sub(kind), min_size=1, max_size=3),
            ),
            sub(kind).map(lambda a: ast.Call(func="abs", args=(a,))),
            st.builds(
                lambda t, a, b: ast.Cond(test=t, then=a, otherwise=b),
                sub(V.BOOL),
                sub(kind),
                sub(kind),
            ),
        ]
        if kind is V.INT:
            options.append(
                st.builds(lambda a, b: ast.Binary(op="*", left=a, right=b), sub(V.INT), sub(V.INT))
            )
        if kind is V.DECIMAL:
            options += [
                st.builds(
                    lambda a, b, op: ast.Binary(op=op, left=a, right=b),
                    sub(V.DECIMAL),
                    sub(V.DECIMAL),
                    st.sampled_from(["*", "/"]),
                ),
                st.builds(lambda a, b: ast.Binary(op="/", left=a, right=b), sub(V.INT), sub(V.INT)),
                st.builds(
                    lambda a, b: ast.Binary(op="/", left=a, right=b), sub(V.MONEY), sub(V.MONEY)
                ),
                st.builds(
                    lambda a, b: ast.Binary(op="+", left=a, right=b), sub(V.INT), sub(V.DECIMAL)
                ),
            ]
        if kind is V.MONEY:
            options += [
                st.builds(
                    lambda a, b, op: ast.Binary(op=op, left=a, right=b),
                    sub(V.MONEY),
                    sub(V.INT),
                    st.sampled_from(["*", "/"]),
                ),
                st.builds(
                    lambda a, b, op: ast.Binary(op=op, left=a, right=b),
                    sub(V.MONEY),
                    sub(V.DECIMAL),
                    st.sampled_from(["*", "/"]),
                ),
                st.builds(
                    lambda a, b: ast.Binary(op="*", left=a, right=b), sub(V.INT), sub(V.MONEY)
                ),
            ]
    return st.one_of(options)


#: Run-time values for the inputs of :data:`EXPR_SCOPE` (amounts in øre); sometimes
#: large enough to leave the library's range.
expr_envs = st.fixed_dictionaries(
    {
        "household.children": st.integers(0, 8),
        "household.adults": st.integers(0, 3),
        "household.disadvantaged": st.booleans(),
        "household.need_weight": st.decimals(min_value=0, max_value=5, places=2),
        "household.type": st.sampled_from(["a", "b", ""]),
        "request.amount": st.one_of(st.integers(0, 10**8), st.integers(0, 10**17)),
    }
)
#: Parameter values matching :data:`EXPR_SCOPE`.
EXPR_PARAMS: dict[str, Any] = {
    "params.rate": 160_000,
    "params.factor": Decimal("0.5"),
    "params.limit": 3,
    "params.kinds": frozenset({"a", "b"}),
}

households = st.builds(
    Household,
    ref=identifiers,
    children=st.integers(0, 8),
    adults=st.integers(1, 2),
    disadvantaged=st.booleans(),
    need_weight=st.decimals(min_value=0, max_value=5, places=1),
    type=st.sampled_from(["single_parent", "couple", "unspecified"]),
)


def _band_schedule(cuts: list[int], inclusive: list[bool]) -> BandSchedule:
    bounds = sorted(set(cuts))
    bands = []
    lower = Money(0)
    lower_inclusive = True
    for i, cut in enumerate(bounds):
        upper = Money.from_ore(cut)
        upper_inclusive = inclusive[i % len(inclusive)]
        bands.append(
            ApprovalBand(
                id=f"b{i}",
                lower=lower,
                lower_inclusive=lower_inclusive,
                upper=upper,
                upper_inclusive=upper_inclusive,
                approvers=ApproverBody.WORKER,
            )
        )
        lower, lower_inclusive = upper, not upper_inclusive
    bands.append(
        ApprovalBand(
            id=f"b{len(bounds)}",
            lower=lower,
            lower_inclusive=lower_inclusive,
            approvers=ApproverBody.PROJECT_GROUP,
            people=2,
        )
    )
    return BandSchedule(valid_from=datetime.date(2020, 1, 1), bands=tuple(bands))


#: Band schedules that cover every amount from 0 kr exactly once, with random edges.
band_schedules = st.builds(
    _band_schedule,
    st.lists(st.integers(1, 10**9), min_size=0, max_size=5),
    st.lists(st.booleans(), min_size=1, max_size=5),
)


def _pot_with_entries(total: int, parts: list[int], disbursed: list[bool]) -> Pot:
    commitments: list[PotEntry] = []
    disbursements: list[PotEntry] = []
    left = total
    for i, part in enumerate(parts):
        amount = min(part, left)
        left -= amount
        entry = PotEntry(
            id=f"e{i}",
            amount=Money.from_ore(amount),
            date=datetime.date(2022, 1, 1),
            payment_type=PaymentType.CONDITIONAL,
            reference=f"h{i % 3}",
        )
        (disbursements if disbursed[i % len(disbursed)] else commitments).append(entry)
    return Pot(
        id="pot",
        total=Money.from_ore(total),
        commitments=tuple(commitments),
        disbursements=tuple(disbursements),
    )


#: Pots whose entries never exceed their total.
consistent_pots = st.builds(
    _pot_with_entries,
    st.integers(0, 10**10),
    st.lists(st.integers(0, 10**9), max_size=6),
    st.lists(st.booleans(), min_size=1, max_size=3),
)


def peb_requests(ids: st.SearchStrategy[str] = identifiers) -> st.SearchStrategy[Request]:
    """Requests for the built-in På egne ben policy."""
    return st.builds(
        Request,
        id=ids,
        household=st.builds(
            Household,
            ref=identifiers,
            children=st.integers(0, 4),
            attributes=st.fixed_dictionaries(
                {"youth_age": st.integers(12, 30), "in_contact_with_services": st.booleans()}
            ),
        ),
        amount=st.integers(0, 100_000_00).map(Money.from_ore),
        purpose=st.sampled_from(
            [
                "holiday",
                "driving_licence",
                "free_tickets",
                "car_purchase",
                "boat",
                "gift_card_groceries",
            ]
        ),
        for_children=st.booleans(),
        ordinary_scheme_checked=st.booleans(),
        clarified=st.booleans(),
        decider_has_social_assistance_mandate=st.booleans(),
    )


def _cohort(members: list[tuple[int, int | None, list[tuple[int | None, int | None]]]]) -> Cohort:
    start = datetime.date(2022, 2, 1)
    out = []
    for i, (joined, left, children) in enumerate(members):
        kids = tuple(
            Child(
                present_from=None if a is None else start + datetime.timedelta(days=a),
                present_until=None
                if b is None
                else start + datetime.timedelta(days=b if a is None else max(a, b)),
            )
            for a, b in children
        )
        out.append(
            CohortMember(
                ref=f"f{i}",
                joined=start + datetime.timedelta(days=joined) if joined else None,
                left=None if left is None else start + datetime.timedelta(days=max(left, joined)),
                children=kids,
            )
        )
    return Cohort(id="cohort", members=tuple(out))


_span = st.one_of(st.none(), st.integers(-40, 400))
cohorts = st.lists(
    st.tuples(
        st.integers(0, 200),
        st.one_of(st.none(), st.integers(30, 500)),
        st.lists(st.tuples(_span, _span), max_size=5),
    ),
    min_size=1,
    max_size=4,
).map(_cohort)


def _label(text: str) -> LocalText:
    return LocalText(nb=text, nn=text, en=text)


_PARAM_VALUES: dict[ValueType, st.SearchStrategy[Any]] = {
    V.MONEY: st.integers(0, 10**9).map(Money.from_ore),
    V.INT: st.integers(-1000, 1000),
    V.DECIMAL: st.decimals(min_value=-1000, max_value=1000, places=3),
    V.BOOL: st.booleans(),
    V.STR: st.sampled_from(["a", "b", "tekst med æøå"]),
    V.STR_LIST: st.lists(st.sampled_from(["a", "b", "c"]), max_size=3).map(tuple),
    V.INT_LIST: st.lists(st.integers(0, 9), max_size=3).map(tuple),
}


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    """Valid conditional policies.

    They have effective-dated parameters without gaps, derived values, rules, caps,
    flags, purposes and band schedules that cover every amount.
    """
    parameters = []
    for index, kind in enumerate(draw(st.lists(st.sampled_from(list(V)), max_size=4))):
        cuts = sorted(set(draw(st.lists(st.integers(1, 3000), max_size=3))))
        starts = [datetime.date(2020, 1, 1) + datetime.timedelta(days=c) for c in [0, *cuts]]
        values = tuple(
            ParameterValue(
                valid_from=start,
                valid_to=starts[i + 1] if i + 1 < len(starts) else None,
                value=draw(_PARAM_VALUES[kind]),
                source=draw(st.none() | st.just("002:1711")),
            )
            for i, start in enumerate(starts)
        )
        parameters.append(Parameter(name=f"p{index}", type=kind, values=values))
    # The names random expressions use, as parameters of their own.
    parameters += [
        Parameter(
            name="rate",
            type=V.MONEY,
            values=(ParameterValue(valid_from=datetime.date(2020, 1, 1), value=Money(1600)),),
        ),
        Parameter(
            name="factor",
            type=V.DECIMAL,
            values=(ParameterValue(valid_from=datetime.date(2020, 1, 1), value=Decimal("0.5")),),
        ),
        Parameter(
            name="limit",
            type=V.INT,
            values=(ParameterValue(valid_from=datetime.date(2020, 1, 1), expr="1 + 2"),),
        ),
        Parameter(
            name="kinds",
            type=V.STR_LIST,
            values=(ParameterValue(valid_from=datetime.date(2020, 1, 1), value=("a", "b")),),
        ),
    ]
    text = ast.to_source
    rules = tuple(
        Rule(
            id=f"r{i}",
            expr=text(draw(typed_trees(V.BOOL, 2))),
            label=draw(st.none() | st.just(_label("vilkår"))),
        )
        for i in range(draw(st.integers(0, 3)))
    )
    caps = tuple(
        Cap(id=f"c{i}", expr=text(draw(typed_trees(V.MONEY, 2))))
        for i in range(draw(st.integers(0, 2)))
    )
    flags = tuple(
        FlagRule(id=f"f{i}", expr=text(draw(typed_trees(V.BOOL, 1))), label=_label("merknad"))
        for i in range(draw(st.integers(0, 2)))
    )
    derived = tuple(
        Derived(name=f"d{i}", type=V.MONEY, expr=text(draw(typed_trees(V.MONEY, 2))))
        for i in range(draw(st.integers(0, 2)))
    )
    purposes = tuple(
        Purpose(
            code=code,
            needs_clarification=draw(st.booleans()),
            running_cost=draw(st.booleans()),
            label=_label(code),
        )
        for code in draw(
            st.lists(st.sampled_from(["alpha", "beta", "gamma"]), unique=True, max_size=3)
        )
    )
    return Policy(
        id=draw(identifiers),
        name=draw(texts),
        payment_type=PaymentType.CONDITIONAL,
        version=draw(st.none() | st.just("1")),
        pot=draw(st.none() | consistent_pots),
        inputs=(
            InputDecl(
                name="household.flagged", type=V.BOOL, default=draw(st.none() | st.booleans())
            ),
        ),
        parameters=tuple(parameters),
        derived=derived,
        purposes=purposes,
        eligibility=rules,
        amount=draw(st.none() | st.just("request.amount")),
        caps=caps,
        flags=flags,
        approval_bands=draw(st.lists(band_schedules, max_size=1).map(tuple)),
        partial_grants=draw(st.booleans()),
        source=draw(st.none() | st.just("002:1709-1711")),
    )


def pot_of(policy: Policy) -> Pot:
    """A policy's own pot (every built-in policy has one)."""
    assert policy.pot is not None
    return policy.pot
