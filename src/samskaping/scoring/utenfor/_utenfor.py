"""Utenfor-regnskapet: what exclusion costs public budgets, and what a measure saves.

DOMAIN §8 (002:1132-1148, 002:2957-3050). A person in a KS target group costs public
budgets more over the life course than an average person; helping one person into
"average" saves the difference. The calculator needs a **cost profile**: per age and
cost domain, the extra yearly cost of the target group, split by government level.
The source prints none, so the caller supplies it; the one shipped is labelled
illustrative.

The calculation [design, documented so it can be checked]:

- helped per year = participants × (p1 − p0), as in table 14 (002:3010-3027);
- each running year a cohort of participants enters, spread evenly over the ages of
  the case's age band; its helped share saves the profile's costs from the year after
  the measure ends (entry year + years per participant), at the age they then have,
  until the end of the horizon (start year + horizon − 1; 40 years gives 2023-2062);
- the municipality pays the investment in each running year;
- with a discount rate r, an amount in year y counts (1 + r)^-(y − start); the
  default r = 0 matches the tool's undiscounted sums [design];
- the net gain per participant per year is the net gain over the horizon divided by
  all participants and by the horizon's years (table 13/14 *nettogevinst per deltaker
  pr år*);
- break-even is the first year from which the cumulative net stays at or above zero
  to the end of the horizon, or "never" (*aldri*) if it ends below zero.

The consistency check flags cases whose printed "helped" differs from participants ×
(p1 − p0) by more than a tolerance: 0.5 by default, so a count rounded to a whole
person passes (Lademoen: 116 × 15 % = 17.4, printed 17) and the four inconsistent
rows of table 13 are flagged (002:2975-2992).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, localcontext
from functools import cache
from pathlib import Path
from typing import Final, Literal

import attrs

from samskaping._errors import DocumentError, InvalidInputError, Problem, UnknownNameError
from samskaping._money import Money, sum_money
from samskaping._records import Records, plain
from samskaping.io import format_of, parse, read_text, structure
from samskaping.model import (
    GovernmentLevel,
    Severity,
    UtenforCase,
    UtenforDomain,
    UtenforTargetGroup,
    identifier,
)
from samskaping.scoring._common import LocalText, Reason, load_data_file, quantize, reason

__all__ = [
    "ConsistencyReport",
    "ConsistencyRow",
    "CostProfile",
    "CostRow",
    "DEFAULT_TOLERANCE",
    "DomainGain",
    "LevelBalance",
    "UtenforResult",
    "UtenforYear",
    "check_consistency",
    "cost_profile",
    "cost_profiles",
    "helped_per_year",
    "load_cost_profile",
    "read_cost_profile",
    "utenfor_result",
]

#: The default tolerance of the consistency check, in persons.
DEFAULT_TOLERANCE: Final = Decimal("0.5")
_BUILTIN: Final = ("illustrative_low_income",)
_ZERO: Final = Money(0)


@attrs.frozen(kw_only=True)
class CostRow:
    """The extra yearly cost of one person in the target group, for ages and one domain.

    Amounts are per government level; positive amounts are saved when a person is
    helped, negative ones (more education) rise.
    """

    domain: UtenforDomain
    age_from: int
    age_to: int
    municipal: Money = _ZERO
    county: Money = _ZERO
    state: Money = _ZERO
    source: str | None = None
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        if not 0 <= self.age_from <= self.age_to <= 120:  # noqa: PLR2004
            raise InvalidInputError(
                f"expected 0 ≤ age_from ≤ age_to ≤ 120, got {self.age_from}-{self.age_to}",
                what="age_to",
            )

    def amount(self, level: GovernmentLevel) -> Money:
        """The amount for one government level."""
        value: Money = getattr(self, level.value)
        return value


@attrs.frozen(kw_only=True)
class CostProfile:
    """A cost profile: extra yearly costs by age, domain and government level.

    ``illustrative`` marks a profile whose figures are not real (the one shipped).
    """

    name: str = attrs.field(validator=identifier)
    title: LocalText
    target_group: UtenforTargetGroup | None = None
    illustrative: bool = False
    price_year: int | None = None
    rows: tuple[CostRow, ...] = ()
    source: str | None = None
    note: str | None = None

    def cost(self, age: int, domain: UtenforDomain, level: GovernmentLevel) -> Money:
        """The extra cost at ``age`` in ``domain`` for ``level`` (0 where no row covers it).

        >>> from samskaping.model import GovernmentLevel, UtenforDomain
        >>> cost_profile().cost(30, UtenforDomain.TRANSFERS, GovernmentLevel.STATE)
        Money('60000.00')
        """
        for row in self.rows:
            if row.domain == domain and row.age_from <= age <= row.age_to:
                return row.amount(level)
        return _ZERO


def _check_profile(profile: CostProfile, source: str | None) -> CostProfile:
    problems: list[Problem] = []
    for i, row in enumerate(profile.rows):
        for j in range(i):
            other = profile.rows[j]
            if (
                other.domain == row.domain
                and row.age_from <= other.age_to
                and other.age_from <= row.age_to
            ):
                ages = f"{row.age_from}-{row.age_to}"
                message = f"the ages {ages} overlap row {j} for {row.domain.value}"
                problems.append(Problem(path=f"$.rows[{i}]", message=message))
    if problems:
        raise DocumentError(problems, source=source)
    return profile


def cost_profiles() -> tuple[str, ...]:
    """The names of the shipped cost profiles (all illustrative).

    >>> cost_profiles()
    ('illustrative_low_income',)
    """
    return _BUILTIN


@cache
def cost_profile(name: str = "illustrative_low_income") -> CostProfile:
    """A shipped cost profile by name. The only one is illustrative: its figures are invented.

    >>> p = cost_profile()
    >>> (p.illustrative, p.target_group.value)
    (True, 'low_income_benefit_parents')

    Raises:
        UnknownNameError: If there is no such profile.
    """
    if name not in _BUILTIN:
        raise UnknownNameError("cost profile", name, _BUILTIN)
    return _check_profile(
        load_data_file(CostProfile, "scales", "cost_profiles", f"{name}.toml"), f"{name}.toml"
    )


def read_cost_profile(
    text: str, format: Literal["json", "toml"] = "toml", *, source: str | None = None
) -> CostProfile:
    """Read a cost profile from TOML or JSON text, in the shipped file's shape.

    >>> p = read_cost_profile('''
    ... name = "mine"
    ... title = { nb = "Min", nn = "Min", en = "Mine" }
    ... [[rows]]
    ... domain = "transfers"
    ... age_from = 18
    ... age_to = 66
    ... state = 50000
    ... ''')
    >>> p.cost(40, UtenforDomain.TRANSFERS, GovernmentLevel.STATE)
    Money('50000.00')

    Raises:
        DocumentError: If the text is malformed or rows of one domain overlap in age.
    """
    profile: CostProfile = structure(parse(text, format, source=source), CostProfile, source=source)
    return _check_profile(profile, source)


def load_cost_profile(path: str | Path) -> CostProfile:
    """Read a cost profile file (``.toml`` or ``.json``); see :func:`read_cost_profile`.

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "mine.json"
    >>> _ = path.write_text('{"name": "mine", "title": {"nb": "M", "nn": "M", "en": "M"}}',
    ...                     encoding="utf-8")
    >>> load_cost_profile(path).illustrative
    False

    Raises:
        DocumentError: If the file cannot be read or is malformed.
    """
    file = Path(path)
    format = format_of(file, "toml")
    return read_cost_profile(read_text(file), format, source=file.name)


# --- the calculator ------------------------------------------------------------------------


def helped_per_year(case: UtenforCase) -> Decimal:
    """Persons helped out of exclusion per year: participants × (p1 − p0) (DOMAIN §8).

    >>> from samskaping import Money
    >>> from samskaping.model import UtenforCase, UtenforTargetGroup
    >>> group = UtenforTargetGroup.LOW_INCOME_BENEFIT_PARENTS
    >>> case = UtenforCase(id="fritid", name="Fritid for alle", target_group=group,
    ...                    age_from=10, age_to=15, success_without=Decimal("0.5"),
    ...                    success_with=Decimal("0.6"), start_year=2023, years_running=5,
    ...                    years_per_participant=5, participants_per_year=70,
    ...                    investment_per_year=Money(1000000))
    >>> helped_per_year(case)
    Decimal('7.0')
    """
    return case.participants_per_year * (case.success_with - case.success_without)


@attrs.frozen(kw_only=True)
class UtenforYear:
    """One year of the horizon: savings, investment, net and the cumulative net (discounted)."""

    year: int
    savings: Money
    investment: Money
    net: Money
    cumulative: Money


@attrs.frozen(kw_only=True)
class LevelBalance:
    """One government level's savings, investment and net over the horizon, and its sign."""

    level: GovernmentLevel
    savings: Money
    investment: Money
    net: Money
    sign: Literal["+", "-", "0"]


@attrs.frozen(kw_only=True)
class DomainGain:
    """One cost domain's gain over the horizon (all levels)."""

    domain: UtenforDomain
    gain: Money


@attrs.frozen(kw_only=True)
class UtenforResult(Records):
    """The results of one utenfor-regnskapet case (DOMAIN §8).

    ``break_even_year`` is ``None`` when the case never breaks even (*aldri*).
    ``domains`` run from the highest gain down; ``top_domain`` is the first.
    """

    case: str
    name: str
    profile: str
    illustrative_profile: bool
    discount_rate: Decimal
    start_year: int
    end_year: int
    helped_per_year: Decimal
    total_participants: int
    total_helped: Decimal
    total_savings: Money
    total_investment: Money
    net_gain: Money
    net_gain_per_participant_year: Money | None
    break_even_year: int | None
    years_to_break_even: int | None
    profitable: bool
    levels: tuple[LevelBalance, ...]
    domains: tuple[DomainGain, ...]
    top_domain: UtenforDomain | None
    years: tuple[UtenforYear, ...]
    reasons: tuple[Reason, ...]

    def to_records(self) -> list[dict[str, object]]:
        """One row per year of the analysis horizon."""
        return [
            {
                "year": year.year,
                "savings": plain(year.savings),
                "investment": plain(year.investment),
                "net": plain(year.net),
                "cumulative": plain(year.cumulative),
            }
            for year in self.years
        ]


def _sign(amount: Money) -> Literal["+", "-", "0"]:
    if amount.amount > 0:
        return "+"
    if amount.amount < 0:
        return "-"
    return "0"


def _break_even(years: Sequence[UtenforYear]) -> int | None:
    if not years or years[-1].cumulative.is_negative():
        return None
    first = years[-1].year
    for entry in reversed(years):
        if entry.cumulative.is_negative():
            break
        first = entry.year
    return first


_Savings = dict[tuple[int, UtenforDomain, GovernmentLevel], Money]


def _savings(case: UtenforCase, profile: CostProfile, factors: dict[int, Decimal]) -> _Savings:
    """Discounted savings by year, domain and level (see the module docs)."""
    start = case.start_year
    end = start + case.horizon_years - 1
    delta = case.success_with - case.success_without
    ages = range(case.age_from, case.age_to + 1)
    per_age = Decimal(case.participants_per_year) / len(ages)
    # helped persons by year and age: each cohort from the year after its measure ends
    helped: dict[int, dict[int, Decimal]] = {year: {} for year in factors}
    for entry in range(start, start + case.years_running):
        for age in ages:
            for year in range(entry + case.years_per_participant, end + 1):
                reached = age + year - entry
                helped[year][reached] = helped[year].get(reached, Decimal(0)) + per_age * delta
    savings: _Savings = {}
    for year, factor in factors.items():
        for domain in UtenforDomain:
            for level in GovernmentLevel:
                exact = sum(
                    (
                        count * profile.cost(age, domain, level).amount
                        for age, count in helped[year].items()
                    ),
                    Decimal(0),
                )
                savings[(year, domain, level)] = Money.rounded(exact * factor)
    return savings


def _years(case: UtenforCase, savings: _Savings, factors: dict[int, Decimal]) -> list[UtenforYear]:
    years: list[UtenforYear] = []
    cumulative = _ZERO
    for year, factor in factors.items():
        running = year < case.start_year + case.years_running
        invested = Money.rounded(case.investment_per_year.amount * factor) if running else _ZERO
        saved = sum_money(savings[(year, d, lv)] for d in UtenforDomain for lv in GovernmentLevel)
        net = saved - invested
        cumulative += net
        years.append(
            UtenforYear(
                year=year, savings=saved, investment=invested, net=net, cumulative=cumulative
            )
        )
    return years


def _balances(savings: _Savings, total_investment: Money) -> tuple[LevelBalance, ...]:
    balances = []
    for level in GovernmentLevel:
        saved = sum_money(amount for (_, _, lv), amount in savings.items() if lv == level)
        paid = total_investment if level == GovernmentLevel.MUNICIPAL else _ZERO
        net = saved - paid
        balances.append(
            LevelBalance(level=level, savings=saved, investment=paid, net=net, sign=_sign(net))
        )
    return tuple(balances)


def _domains(savings: _Savings) -> tuple[DomainGain, ...]:
    order = tuple(UtenforDomain)
    gains = (
        DomainGain(
            domain=d, gain=sum_money(amount for (_, dd, _), amount in savings.items() if dd == d)
        )
        for d in order
    )
    return tuple(sorted(gains, key=lambda g: (-g.gain.amount, order.index(g.domain))))


def utenfor_result(
    case: UtenforCase,
    profile: CostProfile | None = None,
    *,
    discount_rate: Decimal = Decimal(0),
) -> UtenforResult:
    """Run the calculator for one case with a cost profile (see the module docs).

    Without a profile it uses the one the case names, else the shipped illustrative
    one; the result then says ``illustrative_profile`` and warns.

    >>> from samskaping import Money
    >>> from samskaping.model import UtenforCase, UtenforTargetGroup
    >>> group = UtenforTargetGroup.LOW_INCOME_BENEFIT_PARENTS
    >>> case = UtenforCase(id="fritid", name="Fritid for alle", target_group=group,
    ...                    age_from=10, age_to=15, success_without=Decimal("0.5"),
    ...                    success_with=Decimal("0.6"), start_year=2023, years_running=5,
    ...                    years_per_participant=5, participants_per_year=70,
    ...                    investment_per_year=Money(1000000))
    >>> r = utenfor_result(case)
    >>> (r.helped_per_year, r.total_participants, r.profitable, r.break_even_year >= 2023)
    (Decimal('7.0'), 350, True, True)
    >>> r.illustrative_profile
    True

    Raises:
        InvalidInputError: If the discount rate is not from 0 to below 1.
        UnknownNameError: If the case names a cost profile that is not shipped.
    """
    if profile is None:
        profile = cost_profile(case.cost_profile) if case.cost_profile else cost_profile()
    if not Decimal(0) <= discount_rate < 1:
        message = f"expected a discount rate from 0 to below 1, got {discount_rate}"
        raise InvalidInputError(message, what="discount_rate")
    start = case.start_year
    end = start + case.horizon_years - 1
    with localcontext() as context:
        context.prec = 40
        factors = {y: 1 / (1 + discount_rate) ** (y - start) for y in range(start, end + 1)}
        savings = _savings(case, profile, factors)
        years = _years(case, savings, factors)
    total_savings = sum_money(y.savings for y in years)
    total_investment = sum_money(y.investment for y in years)
    net_gain = total_savings - total_investment
    balances = _balances(savings, total_investment)
    gains = _domains(savings)
    top = gains[0].domain if gains and gains[0].gain.amount > 0 else None
    participants = case.participants_per_year * case.years_running
    per_participant_year = (
        Money.rounded(net_gain.amount / participants / case.horizon_years) if participants else None
    )
    break_even = _break_even(years)
    result = UtenforResult(
        case=case.id,
        name=case.name,
        profile=profile.name,
        illustrative_profile=profile.illustrative,
        discount_rate=discount_rate,
        start_year=start,
        end_year=end,
        helped_per_year=helped_per_year(case),
        total_participants=participants,
        total_helped=helped_per_year(case) * case.years_running,
        total_savings=total_savings,
        total_investment=total_investment,
        net_gain=net_gain,
        net_gain_per_participant_year=per_participant_year,
        break_even_year=break_even,
        years_to_break_even=break_even - start if break_even is not None else None,
        profitable=net_gain.amount > 0,
        levels=balances,
        domains=gains,
        top_domain=top,
        years=tuple(years),
        reasons=(),
    )
    return attrs.evolve(result, reasons=_reasons(case, profile, result))


def _reasons(case: UtenforCase, profile: CostProfile, result: UtenforResult) -> tuple[Reason, ...]:
    reasons: list[Reason] = []
    delta = case.success_with - case.success_without
    if profile.illustrative:
        reasons.append(
            reason("utenfor.illustrative_profile", Severity.WARNING, profile=profile.name)
        )
    if delta < 0:
        reasons.append(reason("utenfor.negative_effect", Severity.WARNING))
    if profile.target_group is not None and profile.target_group != case.target_group:
        differs = {"profile": profile.target_group, "case": case.target_group}
        reasons.append(reason("utenfor.profile_group_differs", Severity.WARNING, **differs))
    effect = quantize(delta * 100, 2)
    helped = result.helped_per_year
    participants = case.participants_per_year
    reasons.append(
        reason("utenfor.helped", participants=participants, effect_percent=effect, helped=helped)
    )
    verdict = "utenfor.verdict_profitable" if result.profitable else "utenfor.verdict_unprofitable"
    reasons.append(reason(verdict, net=result.net_gain))
    if result.net_gain_per_participant_year is not None:
        reasons.append(
            reason("utenfor.per_participant", amount=result.net_gain_per_participant_year)
        )
    if result.break_even_year is None:
        reasons.append(reason("utenfor.never_breaks_even", Severity.WARNING))
    else:
        years = result.break_even_year - case.start_year
        reasons.append(reason("utenfor.break_even", year=result.break_even_year, years=years))
    reasons.extend(reason("utenfor.level", level=b.level, net=b.net) for b in result.levels)
    if result.top_domain is not None:
        reasons.append(reason("utenfor.top_domain", domain=result.top_domain))
    return tuple(reasons)


# --- consistency of printed tables ---------------------------------------------------------


@attrs.frozen(kw_only=True)
class ConsistencyRow:
    """One case checked: the printed "helped" against participants × (p1 − p0)."""

    case: str
    name: str
    participants: int
    effect: Decimal
    expected: Decimal
    reported: Decimal | None
    difference: Decimal | None
    consistent: bool | None


@attrs.frozen(kw_only=True)
class ConsistencyReport(Records):
    """Every case checked, and the ids of those flagged as inconsistent."""

    tolerance: Decimal
    rows: tuple[ConsistencyRow, ...]
    flagged: tuple[str, ...]
    reasons: tuple[Reason, ...]

    def to_records(self) -> list[dict[str, object]]:
        """One row per case: helped per year as reported against participants × effect."""
        return [
            {
                "case": row.case,
                "name": row.name,
                "participants": row.participants,
                "effect": row.effect,
                "expected": row.expected,
                "reported": row.reported,
                "consistent": row.consistent,
            }
            for row in self.rows
        ]


def check_consistency(
    cases: Sequence[UtenforCase], *, tolerance: Decimal = DEFAULT_TOLERANCE
) -> ConsistencyReport:
    """Flag cases whose printed "helped per year" differs from participants × (p1 − p0).

    A row passes when the difference is at most ``tolerance`` persons (default 0.5:
    a count rounded to a whole person passes). Cases with nothing printed are not
    judged (``consistent`` is ``None``).

    >>> from samskaping import Money
    >>> from samskaping.model import UtenforCase, UtenforReported, UtenforTargetGroup
    >>> group = UtenforTargetGroup.LOW_INCOME_BENEFIT_PARENTS
    >>> def case(id, n, p0, p1, printed):
    ...     return UtenforCase(id=id, name=id, target_group=group, age_from=0, age_to=5,
    ...                        success_without=Decimal(p0), success_with=Decimal(p1),
    ...                        start_year=2023, years_running=1, participants_per_year=n,
    ...                        investment_per_year=Money(500000),
    ...                        reported=UtenforReported(helped_per_year=Decimal(printed)))
    >>> report = check_consistency([case("brundalen", 50, "0.4", "0.8", "10"),
    ...                             case("lademoen", 116, "0.3", "0.45", "17")])
    >>> report.flagged
    ('brundalen',)

    Raises:
        InvalidInputError: If the tolerance is negative.
    """
    if tolerance < 0:
        raise InvalidInputError("expected a tolerance of at least 0", what="tolerance")
    rows: list[ConsistencyRow] = []
    reasons: list[Reason] = []
    for case in cases:
        expected = helped_per_year(case)
        reported = case.reported.helped_per_year if case.reported is not None else None
        difference = reported - expected if reported is not None else None
        consistent = abs(difference) <= tolerance if difference is not None else None
        rows.append(
            ConsistencyRow(
                case=case.id,
                name=case.name,
                participants=case.participants_per_year,
                effect=case.success_with - case.success_without,
                expected=expected,
                reported=reported,
                difference=difference,
                consistent=consistent,
            )
        )
        if consistent is False and reported is not None:
            reasons.append(
                reason(
                    "utenfor.inconsistent",
                    Severity.WARNING,
                    case=case.name,
                    participants=case.participants_per_year,
                    effect_percent=quantize((case.success_with - case.success_without) * 100, 2),
                    expected=expected,
                    reported=reported,
                )
            )
    flagged = tuple(row.case for row in rows if row.consistent is False)
    checked = sum(1 for row in rows if row.consistent is not None)
    reasons.insert(
        0, reason("utenfor.consistency", checked=checked, flagged=len(flagged), tolerance=tolerance)
    )
    return ConsistencyReport(
        tolerance=tolerance, rows=tuple(rows), flagged=flagged, reasons=tuple(reasons)
    )
