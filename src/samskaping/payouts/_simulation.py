"""Population simulation for researchers: a policy applied to every household at once.

Each household is decided as :func:`~samskaping.payouts.evaluate` would decide it,
without a pot (the pot limits nothing; the result says whether the total fits the
policy's own pot) and without approval bands or flags:

- a purpose not in the catalogue, or a false eligibility rule, rejects;
- a true referral rule refers;
- the amount (for conditional policies at most ``request.amount``) is limited by each
  cap; nothing left rejects, less than asked is partial (or rejected if the policy
  does not grant in part);
- a rule that meets a value it cannot compute makes the household ``undefined``.

For an unconditional policy the amount is one period's payment (one month).

Two paths give identical results: a pure-Python path, row by row, and a vectorised
numpy path (``engine="numpy"``; numpy is an optional extra, imported only here).
"""

from __future__ import annotations

import datetime
import difflib
import sys
import warnings
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from samskaping._errors import InvalidInputError, describe
from samskaping._money import MAX_AMOUNT, Money
from samskaping._records import Records, plain
from samskaping.io import register_result_hooks, result_json
from samskaping.l10n import Lang
from samskaping.model import PaymentType
from samskaping.payouts._compiled import (
    CompiledPolicy,
    compile_policy,
)
from samskaping.payouts._dask import load_dask
from samskaping.payouts._errors import PopulationError, UnreadColumnsWarning
from samskaping.payouts._expr_ast import ValueType
from samskaping.payouts._expr_compile import Context
from samskaping.payouts._expr_ops import Undefined
from samskaping.payouts._policy import Policy
from samskaping.payouts._population import (
    STANDARD_DEFAULTS,
    Population,
    column_name,
    read_population,
)
from samskaping.payouts._tally import (
    Tally,
    TypeTally,
    median,
    ranks,
    reason_keys,
    tally_arrays,
    tally_rows,
)
from samskaping.payouts._values import normalise_value, runtime_value

if TYPE_CHECKING:
    from cattrs import Converter

__all__ = [
    "SIMULATION_SCHEMA_VERSION",
    "STATUSES",
    "Comparison",
    "SimulationResult",
    "TypeSummary",
    "compare",
    "check_columns",
    "household_results",
    "input_columns",
    "merge_results",
    "passthrough_names",
    "reason_keys",
    "simulate",
    "simulate_dask",
]

#: The version of the JSON shape of a simulation.
SIMULATION_SCHEMA_VERSION: Final = 1
#: The outcomes a simulated household can have.
STATUSES: Final = ("granted", "partial", "rejected", "referred", "undefined")
_GRANTED, _PARTIAL, _REJECTED, _REFERRED, _UNDEFINED = range(5)
_CHUNK: Final = 100_000
_PROGRESS_FROM: Final = 100_000

Engine = Literal["auto", "python", "numpy"]


def _median(values: list[int]) -> int:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    half = Fraction(ordered[middle - 1] + ordered[middle], 2)
    whole, rest = divmod(half.numerator, half.denominator)
    return whole + (1 if rest else 0)


def _spread(tally: TypeTally) -> tuple[int | None, int | None, int | None]:
    """The least, the median and the largest amount paid (``None`` if none was)."""
    if tally.paid is not None:
        from samskaping.payouts._simulation_numpy import spread  # noqa: PLC0415  (imports numpy)

        return spread(tally.paid)
    amounts = tally.amounts
    if not amounts:
        return None, None, None
    ranked = ranks(amounts)
    return ranked[0][0], median(amounts, ranked), ranked[0][-1]


@attrs.frozen(kw_only=True)
class TypeSummary:
    """The outcome for one household type: counts, total and the spread of amounts.

    ``minimum``, ``median`` and ``maximum`` are over the households reached (given an
    amount); ``None`` if none was. A median between two amounts is rounded up to the øre.
    """

    type: str
    households: int
    reached: int
    total: Money
    minimum: Money | None
    median: Money | None
    maximum: Money | None
    statuses: tuple[tuple[str, int], ...]
    reasons: tuple[tuple[str, int], ...] = attrs.field(default=(), eq=False)

    @classmethod
    def from_tally(cls, kind: str, tally: TypeTally) -> TypeSummary:
        """The summary of one type's tally."""
        least, middle, most = _spread(tally)
        return cls(
            type=kind,
            households=tally.households,
            reached=tally.reached,
            total=Money.from_ore(tally.total),
            minimum=None if least is None else Money.from_ore(least),
            median=None if middle is None else Money.from_ore(middle),
            maximum=None if most is None else Money.from_ore(most),
            statuses=tuple(
                (name, n) for name, n in zip(STATUSES, tally.statuses, strict=True) if n
            ),
            reasons=tuple(sorted(tally.reasons.items())),
        )

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready data."""
        return result_json(self)  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True)
class SimulationResult(Records):
    """A policy applied to a population as of a date.

    Attributes:
        households: How many households were simulated.
        reached: How many were given an amount (granted or partly).
        total: The total cost.
        statuses: How many households got each outcome.
        by_type: The outcome by household type, sorted by type.
        status_codes: Each household's outcome, in input order.
        amounts_ore: Each household's amount in øre, in input order.
        pot_total: The total of the policy's own pot, if it has one.
        engine: Which path computed it (``python`` or ``numpy``); not part of equality.
        reasons: How many households got each reason code (see :func:`reason_keys`).
        reason_codes: Each household's reason code (``""`` if granted in full).
        types: Each household's type, in input order.
        inputs: The input columns the policy read, converted (amounts in øre, under
            ``<name>_ore``), in input order.
        tally: The exact, mergeable summary the counts come from.

    The per-household tuples are empty when the result was made without them (a Dask
    run with ``keep_households=False``); the summaries are complete either way.
    Results for parts of one population merge exactly with :func:`merge_results`.
    """

    policy_id: str
    as_of: datetime.date
    households: int
    reached: int
    total: Money
    statuses: tuple[tuple[str, int], ...]
    by_type: tuple[TypeSummary, ...]
    status_codes: tuple[str, ...] = attrs.field(repr=False)
    amounts_ore: tuple[int, ...] = attrs.field(repr=False)
    pot_total: Money | None = None
    engine: str = attrs.field(default="python", eq=False)
    reasons: tuple[tuple[str, int], ...] = attrs.field(default=(), eq=False)
    reason_codes: tuple[str, ...] = attrs.field(default=(), eq=False, repr=False)
    types: tuple[str, ...] = attrs.field(default=(), eq=False, repr=False)
    inputs: Mapping[str, tuple[Any, ...]] = attrs.field(factory=dict, eq=False, repr=False)
    refs: tuple[str, ...] | None = attrs.field(default=None, eq=False, repr=False)
    tally: Tally | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def amounts(self) -> tuple[Money, ...]:
        """Each household's amount, in input order."""
        return tuple(Money.from_ore(v) for v in self.amounts_ore)

    @property
    def reach_share(self) -> Fraction:
        """The share of households reached (0 if there are none)."""
        return Fraction(self.reached, self.households) if self.households else Fraction(0)

    @property
    def within_pot(self) -> bool | None:
        """Whether the total fits the policy's own pot (``None`` if it has none)."""
        return None if self.pot_total is None else self.total <= self.pot_total

    def to_dict(self, *, households: bool = False) -> dict[str, Any]:
        """The result as JSON-ready data with ``"schema_version": 1``.

        Args:
            households: Also list each household's outcome and amount, by position
                (never by reference).
        """
        data: dict[str, Any] = result_json(self)
        if households:
            data["household_outcomes"] = [
                {"index": i, "status": s, "amount": str(Money.from_ore(a).amount)}
                for i, (s, a) in enumerate(zip(self.status_codes, self.amounts_ore, strict=True), 1)
            ]
        return data

    @property
    def has_households(self) -> bool:
        """Whether the per-household outcomes were kept."""
        return len(self.status_codes) == self.households

    def _columns(self, *, reveal_identifiers: bool) -> dict[str, Sequence[Any]]:
        if not self.has_households:
            raise InvalidInputError(
                "this result keeps no per-household outcomes (keep_households=False)",
                what="result",
            )
        columns: dict[str, Sequence[Any]] = {"position": range(self.households)}
        if reveal_identifiers:
            if self.refs is None:
                raise InvalidInputError("the population has no 'id' column", what="result")
            columns["id"] = self.refs
        columns["type"] = self.types
        columns.update(self.inputs)
        columns["status"] = self.status_codes
        columns["reason"] = self.reason_codes
        columns["amount_ore"] = self.amounts_ore
        return columns

    def to_records(self, *, reveal_identifiers: bool = False) -> list[dict[str, object]]:
        """One row per household, in the population's order (``position`` from 0).

        Each row has the household's type, the inputs the policy read (amounts as
        whole øre, ``<name>_ore``), its ``status``, ``reason`` code and ``amount_ore``.

        Args:
            reveal_identifiers: Add the household's ``id`` (personal data; only if
                the caller may see it).
        """
        columns = self._columns(reveal_identifiers=reveal_identifiers)
        names = list(columns)
        return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]

    def to_pandas(self, *, reveal_identifiers: bool = False) -> Any:
        """The rows of :meth:`to_records` as a ``pandas.DataFrame``; amounts are int64 øre."""
        try:
            import pandas as pd  # noqa: PLC0415  (optional, imported on use)
        except ImportError:
            raise InvalidInputError(
                "to_pandas() needs pandas: pip install 'samskaping[pandas]'", what="pandas"
            ) from None
        columns = self._columns(reveal_identifiers=reveal_identifiers)
        frame = pd.DataFrame({name: list(values) for name, values in columns.items()})
        for name in frame.columns:
            if name == "amount_ore" or name.endswith("_ore"):
                frame[name] = frame[name].astype("int64")
        return frame

    def to_parquet(self, path: Any, *, reveal_identifiers: bool = False) -> None:
        """Write the per-household rows to a Parquet file (needs pandas and pyarrow)."""
        self.to_pandas(reveal_identifiers=reveal_identifiers).to_parquet(path, index=False)

    def summary_frame(self) -> Any:
        """One row per household type plus ``*`` for all, as a ``pandas.DataFrame``."""
        import pandas as pd  # noqa: PLC0415  (optional, imported on use)

        rows = [
            {
                "type": "*",
                "households": self.households,
                "reached": self.reached,
                "total_ore": self.total.ore,
            },
            *(
                {
                    "type": t.type,
                    "households": t.households,
                    "reached": t.reached,
                    "total_ore": t.total.ore,
                }
                for t in self.by_type
            ),
        ]
        return pd.DataFrame.from_records(rows)


@attrs.frozen(kw_only=True)
class Comparison(Records):
    """Several policies simulated on the same population, side by side."""

    as_of: datetime.date
    households: int
    results: tuple[SimulationResult, ...]

    def to_dict(self) -> dict[str, Any]:
        """The comparison as JSON-ready data with ``"schema_version": 1``."""
        return result_json(self)  # type: ignore[no-any-return]

    def to_records(self) -> list[dict[str, object]]:
        """One row per policy and household type, with the policy's totals as type ``*``."""
        rows: list[dict[str, object]] = []
        for result in self.results:
            rows.append(
                {
                    "policy": result.policy_id,
                    "type": "*",
                    "households": result.households,
                    "reached": result.reached,
                    "total": plain(result.total),
                }
            )
            rows.extend(
                {
                    "policy": result.policy_id,
                    "type": summary.type,
                    "households": summary.households,
                    "reached": summary.reached,
                    "total": plain(summary.total),
                }
                for summary in result.by_type
            )
        return rows


class _Progress:
    """Progress on standard error.

    A tqdm bar where tqdm is installed (it renders in terminals and notebooks), else a
    line rewritten in place.
    """

    def __init__(self, label: str, total: int, *, enabled: bool | None) -> None:
        if enabled is None:
            enabled = total >= _PROGRESS_FROM and sys.stderr.isatty()
        self.enabled = enabled
        self.label = label
        self.total = total
        self.bar: Any = None
        if enabled:
            try:
                from tqdm.auto import tqdm  # noqa: PLC0415  (optional extra `progress`)
            except ImportError:  # pragma: no cover  (tqdm is installed where the tests run)
                return
            self.bar = tqdm(
                total=total,
                desc=label,
                file=sys.stderr,
                bar_format="{desc}: {n:,} / {total:,} {bar} [{elapsed}<{remaining}]",
            )

    def update(self, done: int) -> None:
        if self.bar is not None:
            self.bar.update(done - self.bar.n)
        elif self.enabled:
            sys.stderr.write(f"\r{self.label}: {done:,} / {self.total:,}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        elif self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()


def read_columns(compiled: CompiledPolicy) -> frozenset[str]:
    """The population columns a simulation of the policy reads (``household.type`` too)."""
    needed = set(compiled.used_inputs)
    if compiled.policy.payment_type is PaymentType.CONDITIONAL:
        needed.add("request.amount")
    if compiled.purposes:
        needed.add("request.purpose")
    needed.add("household.type")
    return frozenset(needed)


def _passthrough_names(passthrough: Collection[str]) -> frozenset[str]:
    if isinstance(passthrough, str | bytes) or not isinstance(passthrough, Iterable):
        raise InvalidInputError(
            "passthrough must be a collection of column names, such as ('region',)",
            what="passthrough",
        )
    names = set()
    for name in passthrough:
        if not isinstance(name, str):
            raise InvalidInputError("passthrough must hold column names", what="passthrough")
        names.add(column_name(name))
    return frozenset(names)


def _suggestion(given: str, read: Iterable[str]) -> str | None:
    """The input a column not read may have meant: same last part, else a close name."""
    short = given.strip()[:100].rsplit(".", 1)[-1]
    candidates: dict[str, str] = {}
    for name in sorted(read):
        candidates.setdefault(name.split(".", 1)[1], name)
    close = difflib.get_close_matches(short, list(candidates), n=1, cutoff=0.75)
    return candidates[close[0]] if close else None


def check_columns(
    policy_id: str,
    population: Population,
    read: Collection[str],
    *,
    strict: bool,
    passthrough: Collection[str],
) -> None:
    """Refuse (or, unless ``strict``, warn of) columns neither read nor passed through.

    Raises:
        PopulationError: If ``strict`` and a column is neither read by the policy nor
            named in ``passthrough``; the first such column, with a suggestion.
    """
    allowed = set(read) | set(passthrough)
    unread = [name for name in population.columns if name not in allowed]
    if not unread:
        return
    if not strict:
        shown = ", ".join(describe(population.given_name(n)) for n in unread[:5])
        more = f" and {len(unread) - 5} more" if len(unread) > 5 else ""  # noqa: PLR2004
        warnings.warn(
            f"policy {policy_id!r} does not read the population columns {shown}{more}; "
            "they are ignored",
            UnreadColumnsWarning,
            stacklevel=3,
        )
        return
    given = population.given_name(unread[0])
    suggestion = _suggestion(given, read)
    hint = f"; did you mean {suggestion!r}?" if suggestion else ""
    others = f" ({len(unread) - 1} more columns too)" if len(unread) > 1 else ""
    raise PopulationError(
        f"policy {policy_id!r} does not read this column{others}{hint} "
        "(name it in passthrough= to keep it, or pass strict=False to ignore it with a warning)",
        column=given,
        suggestion=suggestion,
    )


def _input_columns(
    compiled: CompiledPolicy, population: Population
) -> dict[str, tuple[Any, ...] | None]:
    """Each input the policy reads, as a column of run-time values (``None``: missing)."""
    return {
        name: population.column(name, kind, default)
        for name, kind, default in _column_specs(compiled, population)
    }


def _column_specs(
    compiled: CompiledPolicy, population: Population
) -> Iterator[tuple[str, ValueType, Any]]:
    """Each input the policy reads, in name order: its name, type and empty cells' default.

    Raises:
        InvalidInputError: When it comes to a declared input without a default that the
            population has no column for.
    """
    needed = read_columns(compiled) - {"household.type"}
    if "household.type" in compiled.used_inputs:
        needed |= {"household.type"}
    for name in sorted(needed):
        kind = compiled.scope[name]
        decl = compiled.inputs.get(name)
        if decl is not None:
            default = (
                None
                if decl.default is None
                else runtime_value(normalise_value(decl.default, kind), kind)
            )
            if default is None and name not in population.columns:
                raise InvalidInputError(
                    f"the population has no column {name!r}; "
                    "the policy reads it and has no default",
                    what="population",
                )
        else:
            default = STANDARD_DEFAULTS.get(name)
            if kind is ValueType.MONEY and default is not None:
                default = int(default)
        yield name, kind, default


def _vector_columns(
    compiled: CompiledPolicy, population: Population
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Each input the policy reads as a numpy column, and the column kept for the result.

    Columns of plain values go straight into numpy, checked a whole column at once
    (:func:`~samskaping.payouts._simulation_numpy.column_array`); the others, and any
    column that check does not pass, are converted cell by cell as the Python path
    converts them, which refuses a bad cell naming its row and column. The kept
    columns are numpy arrays or tuples of run-time values (``None``: missing).
    """
    from samskaping.payouts._simulation_numpy import arrays, column_array  # noqa: PLC0415  (imports numpy)

    columns: dict[str, Any] = {}
    kept: dict[str, Any] = {}
    slow: dict[str, tuple[Any, ...] | None] = {}
    for name, kind, default in _column_specs(compiled, population):
        raw = population.columns.get(name)
        values = None if raw is None else column_array(raw, kind, name)
        if values is None:
            slow[name] = kept[name] = population.column(name, kind, default)
        else:
            columns[name] = (values, None)
            kept[name] = values
    columns.update(arrays(compiled, slow))
    return columns, kept


def _scalar(
    compiled: CompiledPolicy,
    columns: dict[str, tuple[Any, ...] | None],
    as_of: datetime.date,
    size: int,
    progress: _Progress,
) -> tuple[list[int], list[int], list[str]]:
    snapshot = compiled.params_at(as_of)
    conditional = compiled.policy.payment_type is PaymentType.CONDITIONAL
    partial_grants = compiled.policy.partial_grants
    present = [(name, values) for name, values in columns.items() if values is not None]
    codes: list[int] = []
    amounts: list[int] = []
    reasons: list[str] = []
    for row in range(size):
        env = dict(snapshot.env)
        for name, values in present:
            value = values[row]
            if value is not None:
                env[name] = value
        code, amount, reason = _decide_row(
            compiled,
            Context(env, dict(snapshot.errors)),
            conditional=conditional,
            partial_grants=partial_grants,
        )
        codes.append(code)
        amounts.append(amount)
        reasons.append(reason)
        if row % _CHUNK == _CHUNK - 1:
            progress.update(row + 1)
    return codes, amounts, reasons


def _derive(compiled: CompiledPolicy, context: Context) -> None:
    env = context.env
    for rule in compiled.derived:
        try:
            env[rule.name] = rule.function(context)
        except Undefined as exc:
            context.errors[rule.name] = exc


def _decide_row(
    compiled: CompiledPolicy, context: Context, *, conditional: bool, partial_grants: bool
) -> tuple[int, int, str]:
    env = context.env
    _derive(compiled, context)
    if compiled.purposes:
        purpose = env.get("request.purpose")
        if purpose is None or purpose not in compiled.purposes:
            return _REJECTED, 0, "purpose"
    try:
        for rule in compiled.eligibility:
            if not rule.function(context):
                return _REJECTED, 0, f"eligibility:{rule.name}"
        for rule in compiled.referrals:
            if rule.function(context):
                return _REFERRED, 0, f"referral:{rule.name}"
        due = max(compiled.amount.function(context), 0)
        if conditional:
            due = min(due, env["request.amount"])
            base = env["request.amount"]
        else:
            base = due
        granted = due
        for cap in compiled.caps:
            limit = cap.function(context)
            if limit < granted:
                granted = max(limit, 0)
    except Undefined:
        return _UNDEFINED, 0, "undefined"
    if not granted:
        return _REJECTED, 0, "nothing_due"
    if granted < base:
        return (
            (_PARTIAL, granted, "capped") if partial_grants else (_REJECTED, 0, "no_partial_grants")
        )
    return _GRANTED, granted, ""


def _vector(
    compiled: CompiledPolicy,
    columns: dict[str, Any],
    as_of: datetime.date,
    size: int,
    progress: _Progress,
) -> tuple[Any, Any, Any]:
    """Codes, amounts in øre and reason indexes as numpy arrays, decided chunk by chunk.

    ``columns`` are numpy columns (values and mask, or ``None`` where missing).
    """
    import numpy as np  # noqa: PLC0415  (numpy is optional)

    from samskaping.payouts._simulation_numpy import decide_arrays  # noqa: PLC0415  (imports numpy)

    if not size:
        empty = np.zeros(0, dtype=np.int64)
        return empty.astype(np.int8), empty, empty.astype(np.int16)
    if size <= _CHUNK:
        decided = decide_arrays(compiled, columns, as_of, size)
        progress.update(size)
        return decided
    parts: list[tuple[Any, Any, Any]] = []
    for start in range(0, size, _CHUNK):
        stop = min(start + _CHUNK, size)
        part = {
            name: None
            if column is None
            else (column[0][start:stop], None if column[1] is None else column[1][start:stop])
            for name, column in columns.items()
        }
        parts.append(decide_arrays(compiled, part, as_of, stop - start))
        progress.update(stop)
    return tuple(np.concatenate([p[i] for p in parts]) for i in range(3))  # type: ignore[return-value]


def _vector_result(  # noqa: PLR0917  (the parts of one decided population, in order)
    policy: Policy,
    compiled: CompiledPolicy,
    as_of: datetime.date,
    people: Population,
    arrays: tuple[Any, Any, Any],
    inputs: Mapping[str, Any] | None,
) -> SimulationResult:
    """The result of the numpy path, tallied with numpy (exact: counts and øre histograms).

    ``inputs`` (numpy arrays or tuples of values, by input name) is ``None`` when the
    per-household outcomes are not kept.
    """
    import numpy as np  # noqa: PLC0415  (numpy is optional)

    from samskaping.payouts._simulation_numpy import text_column  # noqa: PLC0415  (imports numpy)

    codes, amounts, reasons = arrays
    keys = reason_keys(compiled)
    types = people.types()
    if types and types.count(types[0]) == len(types):
        names: tuple[str, ...] = (types[0],)
        index = None
    else:
        names = tuple(sorted(set(types)))
        code_of = {name: i for i, name in enumerate(names)}
        index = np.fromiter(map(code_of.__getitem__, types), dtype=np.int32, count=len(types))
    tally = tally_arrays(codes, amounts, reasons, keys, names, index)
    if inputs is None:
        return result_from_tally(policy, as_of, tally, engine="numpy")
    return result_from_tally(
        policy,
        as_of,
        tally,
        engine="numpy",
        households={
            "status_codes": text_column(STATUSES, codes),
            "amounts_ore": tuple(amounts.tolist()),
            "reason_codes": text_column(keys, reasons),
            "types": types,
            "inputs": inputs,
            "refs": people.refs,
        },
    )


def _numpy_available() -> bool:
    try:
        import numpy  # noqa: F401, PLC0415  (numpy is optional)
    except ImportError:  # pragma: no cover  (numpy is installed where the tests run)
        return False
    return True


def _is_dask(population: object) -> bool:
    return type(population).__module__.startswith("dask")


# --- on Dask: a task per partition, the results merged exactly ----------------------------


def _simulate_part(  # noqa: PLR0917  (a task's arguments are positional)
    frame: Any,
    policy: Policy,
    as_of: datetime.date,
    engine: Engine,
    keep: bool,  # noqa: FBT001
    checks: tuple[bool, tuple[str, ...]],
) -> SimulationResult:
    strict, passthrough = checks
    return simulate(
        policy,
        frame,
        as_of,
        engine=engine,
        keep_households=keep,
        strict=strict,
        passthrough=passthrough,
    )


def simulate_dask(
    policy: Policy,
    frame: Any,
    as_of: datetime.date,
    *,
    engine: Engine = "auto",
    keep_households: bool = True,
    strict: bool = True,
    passthrough: tuple[str, ...] = (),
) -> SimulationResult:
    """Simulate each partition of a Dask DataFrame as a task and merge the results exactly."""
    dask = load_dask()
    checks = (strict, passthrough)
    tasks = [
        dask.delayed(_simulate_part, pure=True)(
            part, policy, as_of, engine, keep_households, checks
        )
        for part in frame.to_delayed()
    ]
    parts: Sequence[SimulationResult] = dask.compute(*tasks)
    if not parts:  # pragma: no cover  (a Dask DataFrame has at least one partition)
        raise InvalidInputError("the Dask DataFrame has no partitions", what="population")
    return merge_results(list(parts))


def _household_frame(frame: Any, policy: Policy, as_of: datetime.date, engine: Engine) -> Any:
    result = simulate(policy, frame, as_of, engine=engine)
    out = result.to_pandas()
    out["position"] = frame.index.to_numpy().astype("int64")
    scope = compile_policy(policy).scope
    for name in out.columns:
        kind = scope.get(name.removesuffix("_ore"))
        if kind in {ValueType.INT, ValueType.MONEY}:
            out[name] = out[name].astype("Int64")
        elif kind is ValueType.BOOL:
            out[name] = out[name].astype("boolean")
        elif name not in {"position", "amount_ore"}:
            out[name] = out[name].astype(str)  # text, and decimals written exactly
    return out


def household_results(
    policy: Policy, frame: Any, as_of: datetime.date, *, engine: Engine = "auto"
) -> Any:
    """Each household's outcome as a lazy Dask DataFrame (write it with ``.to_parquet``).

    Columns as :meth:`SimulationResult.to_pandas`; ``position`` is the population's
    index. Household ids are never included.
    """
    load_dask()
    sample = frame._meta  # noqa: SLF001  (Dask's empty frame of the right columns)
    meta = _household_frame(sample, policy, as_of, engine)
    return frame.map_partitions(_household_frame, policy, as_of, engine, meta=meta)


def simulate(
    policy: Policy,
    population: Any,
    as_of: datetime.date,
    *,
    engine: Engine = "auto",
    persons: Any = None,
    progress: bool | None = None,
    keep_households: bool = True,
    strict: bool = True,
    passthrough: Collection[str] = (),
) -> SimulationResult:
    """Apply a policy to every household of a population, as of a date.

    Every column must be read by the policy, or named in ``passthrough`` (an id,
    a household type, columns to group results by): a column nothing reads is most
    often a misspelt input, so it is an error that suggests the input meant. The
    ``id`` column and ``type`` (``household.type``, read for :attr:`~SimulationResult.by_type`)
    are always allowed, and so are ``children`` and ``adults`` when ``persons`` fills them.

    Args:
        policy: A conditional or unconditional policy.
        population: A CSV or Parquet path, a mapping of columns, a pandas or pyarrow
            table, a :class:`~samskaping.payouts.Population` (see ``read_population``),
            or a Dask DataFrame (run per partition on the active Dask scheduler).
        as_of: The date parameters are taken as of.
        engine: ``python`` (row by row), ``numpy`` (vectorised; needs numpy) or
            ``auto`` (numpy when installed). Both give identical results.
        persons: Optional persons table whose counts replace children and adults.
        progress: Show progress on standard error; by default only for large
            populations when standard error is a terminal.
        keep_households: Keep each household's outcome (for ``to_pandas``); without
            it only the summaries are kept, which is what a very large Dask run needs.
        strict: Refuse columns the policy does not read (the default). With
            ``strict=False`` they are ignored with an :class:`UnreadColumnsWarning`.
        passthrough: Names of columns allowed without being read, with or without
            the ``household.`` prefix, e.g. ``("region", "municipality")``; names the
            population lacks are ignored. Their cells are not used (nor checked,
            unless the column is a standard input such as ``adults``).

    Raises:
        PopulationError: If a cell breaks the field rules of its input (a negative
            amount, a fractional child, NaN; the error names the row and the
            column), or ``strict`` and a column is neither read nor passed through.
        InvalidInputError: If the policy is collective, a needed column is missing,
            the total passes the largest amount, or ``engine="numpy"`` without numpy.
    """
    compiled = compile_policy(policy)
    if policy.payment_type is PaymentType.COLLECTIVE:
        raise InvalidInputError(
            "a collective policy decides proposals, not households", what="policy"
        )
    if engine not in {"auto", "python", "numpy"}:
        raise InvalidInputError("engine must be 'auto', 'python' or 'numpy'", what="engine")
    day: object = as_of
    if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
        raise InvalidInputError("expected a date (datetime.date)", what="as_of")
    if _is_dask(population):
        return simulate_dask(
            policy,
            population,
            as_of,
            engine=engine,
            keep_households=keep_households,
            strict=strict,
            passthrough=tuple(passthrough),
        )
    allowed = _passthrough_names(passthrough)
    people = read_population(population, persons=persons)
    if persons is not None:
        allowed |= _FILLED_BY_PERSONS
    check_columns(policy.id, people, read_columns(compiled), strict=strict, passthrough=allowed)
    use_numpy = engine == "numpy" or (engine == "auto" and _numpy_available())
    if engine == "numpy" and not _numpy_available():  # pragma: no cover
        raise InvalidInputError(
            "engine='numpy' needs numpy (pip install samskaping[numpy])", what="engine"
        )
    if use_numpy:
        vectors, kept = _vector_columns(compiled, people)
    else:
        columns = _input_columns(compiled, people)
    meter = _Progress(f"simulating {policy.id}", people.size, enabled=progress)
    try:
        if use_numpy:
            decided = _vector(compiled, vectors, as_of, people.size, meter)
        else:
            codes, amounts, reasons = _scalar(compiled, columns, as_of, people.size, meter)
    finally:
        meter.close()
    if use_numpy:
        inputs = _named_inputs(compiled, kept) if keep_households else None
        return _vector_result(policy, compiled, as_of, people, decided, inputs)
    result = _result(
        policy,
        as_of,
        people,
        codes,
        amounts,
        engine="python",
        reasons=reasons,
        inputs=_named_inputs(compiled, columns),
    )
    return result if keep_households else without_households(result)


#: The columns a persons table fills.
_FILLED_BY_PERSONS: Final = frozenset({"household.children", "household.adults"})


def _money_total(ore: int) -> Money:
    if abs(ore) > MAX_AMOUNT * 100:
        raise InvalidInputError(
            f"the simulated total passes the largest amount ({MAX_AMOUNT:,} NOK)",
            what="population",
        )
    return Money.from_ore(ore)


def _named_inputs(compiled: CompiledPolicy, columns: Mapping[str, Any]) -> dict[str, Any]:
    """The input columns read, amounts renamed ``<name>_ore`` (missing columns left out)."""
    named: dict[str, Any] = {}
    for name, values in columns.items():
        if values is None:
            continue
        kind = compiled.scope[name]
        named[f"{name}_ore" if kind is ValueType.MONEY else name] = values
    return named


def without_households(result: SimulationResult) -> SimulationResult:
    """The result with its summaries only (no per-household outcomes)."""
    return attrs.evolve(
        result, status_codes=(), amounts_ore=(), reason_codes=(), types=(), inputs={}, refs=None
    )


def result_from_tally(
    policy: Policy,
    as_of: datetime.date,
    tally: Tally,
    *,
    engine: str,
    households: Mapping[str, Any] | None = None,
) -> SimulationResult:
    """A simulation result from its tally, with the per-household columns if given."""
    return _from_tally(
        policy.id,
        None if policy.pot is None else policy.pot.total,
        as_of,
        tally,
        engine=engine,
        households=households,
    )


def _from_tally(
    policy_id: str,
    pot_total: Money | None,
    as_of: datetime.date,
    tally: Tally,
    *,
    engine: str,
    households: Mapping[str, Any] | None,
) -> SimulationResult:
    overall = tally.overall()
    kept = households or {}
    return SimulationResult(
        policy_id=policy_id,
        as_of=as_of,
        households=overall.households,
        reached=overall.reached,
        total=_money_total(overall.total),
        statuses=tuple((name, n) for name, n in zip(STATUSES, overall.statuses, strict=True) if n),
        by_type=tuple(
            TypeSummary.from_tally(kind, tally.by_type[kind]) for kind in sorted(tally.by_type)
        ),
        status_codes=tuple(kept.get("status_codes", ())),
        amounts_ore=tuple(kept.get("amounts_ore", ())),
        pot_total=pot_total,
        engine=engine,
        reasons=tuple(sorted(overall.reasons.items())),
        reason_codes=tuple(kept.get("reason_codes", ())),
        types=tuple(kept.get("types", ())),
        inputs=_kept_inputs(kept.get("inputs", {})),
        refs=kept.get("refs"),
        tally=tally,
    )


def _kept_inputs(inputs: Mapping[str, Any]) -> Mapping[str, tuple[Any, ...]]:
    """A result's input columns: tuples of values, numpy arrays turned into tuples when read."""
    if not any(type(values).__module__.startswith("numpy") for values in inputs.values()):
        return dict(inputs)
    from samskaping.payouts._simulation_numpy import ArrayColumns  # noqa: PLC0415  (imports numpy)

    return ArrayColumns(inputs)


def _result(
    policy: Policy,
    as_of: datetime.date,
    population: Population,
    codes: Sequence[int],
    amounts: Sequence[int],
    *,
    engine: str,
    reasons: Sequence[str] | None = None,
    inputs: Mapping[str, tuple[Any, ...]] | None = None,
) -> SimulationResult:
    types = population.types()
    why = reasons if reasons is not None else ("",) * len(codes)
    tally = tally_rows(codes, amounts, why, types)
    return result_from_tally(
        policy,
        as_of,
        tally,
        engine=engine,
        households={
            "status_codes": tuple(map(STATUSES.__getitem__, codes)),
            "amounts_ore": tuple(amounts),
            "reason_codes": tuple(why),
            "types": types,
            "inputs": inputs or {},
            "refs": population.refs,
        },
    )


def merge_results(results: Sequence[SimulationResult]) -> SimulationResult:
    """Results for consecutive parts of one population, merged exactly into one.

    Totals are summed in øre and medians come from the merged amount histograms, so
    the merged result equals the result for the whole population. The per-household
    outcomes are concatenated in the order given if every part kept them.

    Raises:
        InvalidInputError: If there are no results, they are for different policies or
            dates, or one was made without a tally.
    """
    if not results:
        raise InvalidInputError("there are no results to merge", what="results")
    first = results[0]
    if any(r.policy_id != first.policy_id or r.as_of != first.as_of for r in results):
        raise InvalidInputError("results for different policies or dates", what="results")
    if any(r.tally is None for r in results):
        raise InvalidInputError("a result without its tally cannot be merged", what="results")
    tally = Tally.merge_all(r.tally for r in results if r.tally is not None)
    households: dict[str, Any] | None = None
    if all(r.has_households for r in results):
        names = [n for n in first.inputs if all(n in r.inputs for r in results)]
        refs = None
        if all(r.refs is not None for r in results):
            refs = tuple(ref for r in results for ref in r.refs or ())
        households = {
            "status_codes": [c for r in results for c in r.status_codes],
            "amounts_ore": [a for r in results for a in r.amounts_ore],
            "reason_codes": [c for r in results for c in r.reason_codes],
            "types": [t for r in results for t in r.types],
            "inputs": {n: tuple(v for r in results for v in r.inputs[n]) for n in names},
            "refs": refs,
        }
    return _from_tally(
        first.policy_id,
        first.pot_total,
        first.as_of,
        tally,
        engine=first.engine,
        households=households,
    )


def compare(
    policies: Sequence[Policy],
    population: Any,
    as_of: datetime.date,
    *,
    engine: Engine = "auto",
    persons: Any = None,
    progress: bool | None = None,
    strict: bool = True,
    passthrough: Collection[str] = (),
) -> Comparison:
    """Simulate several policies on the same population, side by side.

    A column need be read by only one of the policies; ``strict`` and ``passthrough``
    work as in :func:`simulate`. The population is read and converted once;
    ``Comparison.to_pandas()`` gives one row per policy and household type.
    """
    if _is_dask(population):
        results = tuple(
            simulate(p, population, as_of, engine=engine, strict=strict, passthrough=passthrough)
            for p in policies
        )
        households = results[0].households if results else 0
        return Comparison(as_of=as_of, households=households, results=results)
    allowed = _passthrough_names(passthrough)
    if persons is not None:
        allowed |= _FILLED_BY_PERSONS
    people = read_population(population, persons=persons)
    read: set[str] = set()
    for policy in policies:
        read |= read_columns(compile_policy(policy))
    names = ", ".join(dict.fromkeys(p.id for p in policies))
    check_columns(names, people, read, strict=strict, passthrough=allowed)
    checked = tuple(people.columns)  # every column is read by one policy or passed through
    results = tuple(
        simulate(p, people, as_of, engine=engine, progress=progress, passthrough=checked)
        for p in policies
    )
    return Comparison(as_of=as_of, households=people.size, results=results)


#: Each input the policy reads, as a column of run-time values (for sweeps and periods).
input_columns = _input_columns
#: Column names as ``passthrough=`` takes them, normalised (for sweeps and periods).
passthrough_names = _passthrough_names


def _amount(value: Money | None) -> str | None:
    return None if value is None else str(value.amount)


@register_result_hooks
def _install_json_hooks(converter: Converter, lang: Lang | None, reveal: bool) -> None:  # noqa: FBT001
    del lang, reveal

    def summary(value: TypeSummary) -> dict[str, Any]:
        return {
            "type": value.type,
            "households": value.households,
            "reached": value.reached,
            "total": str(value.total.amount),
            "minimum": _amount(value.minimum),
            "median": _amount(value.median),
            "maximum": _amount(value.maximum),
            "statuses": dict(value.statuses),
            "reasons": dict(value.reasons),
        }

    def result(value: SimulationResult) -> dict[str, Any]:
        return {
            "schema_version": SIMULATION_SCHEMA_VERSION,
            "kind": "simulation",
            "policy": value.policy_id,
            "as_of": value.as_of.isoformat(),
            "engine": value.engine,
            "households": value.households,
            "reached": value.reached,
            "reach_share": f"{float(value.reach_share):.4f}",
            "total": str(value.total.amount),
            "pot_total": _amount(value.pot_total),
            "within_pot": value.within_pot,
            "statuses": dict(value.statuses),
            "reasons": dict(value.reasons),
            "by_type": [summary(t) for t in value.by_type],
        }

    def comparison(value: Comparison) -> dict[str, Any]:
        return {
            "schema_version": SIMULATION_SCHEMA_VERSION,
            "kind": "comparison",
            "as_of": value.as_of.isoformat(),
            "households": value.households,
            "results": [result(r) for r in value.results],
        }

    converter.register_unstructure_hook(TypeSummary, summary)
    converter.register_unstructure_hook(SimulationResult, result)
    converter.register_unstructure_hook(Comparison, comparison)
