"""Parameter sweeps: one policy over a grid of parameter values, reforms and dates.

The population is read and converted once (columns to numpy arrays, household types
to codes); each scenario then only decides and tallies. Every figure in the table is
exact: money is whole øre (``*_ore`` columns, Python or int64 integers, never floats),
means and medians are rounded up to the øre, quantiles are nearest-rank amounts.

A grid is a mapping of axes to lists (their cartesian product is swept) or a list of
scenarios (mappings). Axes: ``as_of`` (dates), ``reform`` (:class:`Reform` values or
reform files; ``None`` for none) and parameter names (with or without ``params.``),
each value held for every date. A grid file (TOML or JSON) has the same shape::

    as_of = [2022-03-01]
    reform = ["", "lower_rate.toml"]   # file names relative to the grid file

    [parameters]
    rate_per_child = [1400, 1500, 1600]
"""

from __future__ import annotations

import datetime
import itertools
import os
import sys
from collections.abc import Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from samskaping._errors import InvalidInputError
from samskaping._records import Records
from samskaping.io import format_of, parse, read_text
from samskaping.model import PaymentType
from samskaping.payouts._compiled import CompiledPolicy, compile_policy
from samskaping.payouts._dask import load_dask
from samskaping.payouts._policy import Policy
from samskaping.payouts._population import Population, read_population
from samskaping.payouts._reform import Reform, load_reform, reform
from samskaping.payouts._simulation import (
    Engine,
    SimulationResult,
    check_columns,
    input_columns,
    passthrough_names,
    read_columns,
    result_from_tally,
    simulate,
)
from samskaping.payouts._tally import (
    QUANTILES,
    Tally,
    median,
    quantile,
    ranks,
    reason_keys,
    tally_arrays,
)

__all__ = ["Scenario", "SweepResult", "load_grid", "scenarios", "sweep"]

_AXES_FIXED: Final = ("as_of", "reform")
#: The most scenarios one sweep may have.
MAX_SCENARIOS: Final = 100_000


@attrs.frozen(kw_only=True)
class Scenario:
    """One point of a sweep: the date, the reforms and the parameter values it sets."""

    number: int
    as_of: datetime.date
    reforms: tuple[str, ...]
    parameters: tuple[tuple[str, Any], ...]
    policy: Policy = attrs.field(eq=False, repr=False)

    @property
    def label(self) -> str:
        """A short text naming the scenario by what it sets."""
        parts = [f"{name}={value}" for name, value in self.parameters]
        parts.extend(f"reform={name}" for name in self.reforms)
        parts.append(f"as_of={self.as_of.isoformat()}")
        return ", ".join(parts)


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def _reform_of(value: Any, base: Path | None) -> Reform | None:
    if value is None or value == "":
        return None
    if isinstance(value, Reform):
        return value
    if isinstance(value, str | os.PathLike):
        path = Path(value)
        if base is not None and not path.is_absolute():
            path = base / path
        return load_reform(path)
    raise InvalidInputError("a reform is a Reform or a reform file", what="grid")


def _date(value: Any) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInputError(f"expected a date, got {str(value)[:20]!r}", what="as_of") from None


def _points(grid: Any) -> Iterator[dict[str, Any]]:
    if isinstance(grid, Mapping):
        flat = {k: v for k, v in grid.items() if k != "parameters"}
        flat.update(grid.get("parameters", {}))
        names = list(flat)
        for values in itertools.product(*(_as_list(flat[n]) for n in names)):
            yield dict(zip(names, values, strict=True))
        return
    if isinstance(grid, Sequence) and not isinstance(grid, str | bytes):
        for point in grid:
            if not isinstance(point, Mapping):
                raise InvalidInputError("each scenario is a mapping", what="grid")
            flat = {k: v for k, v in point.items() if k != "parameters"}
            flat.update(point.get("parameters", {}))
            yield flat
        return
    raise InvalidInputError("a grid is a mapping of axes or a list of scenarios", what="grid")


def scenarios(
    policy: Policy,
    grid: Any,
    as_of: datetime.date | None = None,
    *,
    base: Path | None = None,
) -> list[Scenario]:
    """The scenarios of a grid, each with its reformed and checked policy.

    Raises:
        InvalidInputError: If the grid is malformed or has no date.
        PolicyError: If a reform or a parameter value breaks the policy (named).
    """
    out: list[Scenario] = []
    cache: dict[Any, Reform | None] = {}
    for number, point in enumerate(_points(grid)):
        if number >= MAX_SCENARIOS:
            raise InvalidInputError(f"a sweep has at most {MAX_SCENARIOS:,} scenarios", what="grid")
        when = point.get("as_of", as_of)
        if when is None:
            raise InvalidInputError("give as_of, in the grid or as an argument", what="as_of")
        reforms = []
        for value in _as_list(point.get("reform")):
            key = value if isinstance(value, str | Reform | type(None)) else id(value)
            if key not in cache:
                cache[key] = _reform_of(value, base)
            found = cache[key]
            if found is not None:
                reforms.append(found)
        changed = policy
        for one in reforms:
            changed = reform(changed, one)
        parameters = tuple(
            (name.removeprefix("params."), value)
            for name, value in point.items()
            if name not in _AXES_FIXED
        )
        if parameters:
            changed = reform(changed, dict(parameters))
        out.append(
            Scenario(
                number=number,
                as_of=_date(when),
                reforms=tuple(r.id for r in reforms),
                parameters=parameters,
                policy=changed,
            )
        )
    return out


def load_grid(path: str | os.PathLike[str]) -> tuple[Any, Path]:
    """A grid file (TOML or JSON) as data, and the folder reform files are relative to."""
    file = Path(path)
    if not file.is_file():
        raise InvalidInputError("the grid file does not exist", what="grid")
    fmt = format_of(file, "toml")
    data = parse(read_text(file, max_bytes=2**20), fmt, source=file.name)
    return data.get("scenarios", data), file.parent


def check_population(
    people: Population,
    policies: Sequence[Policy],
    *,
    strict: bool,
    passthrough: Collection[str],
) -> None:
    """Refuse columns no scenario's policy reads, as :func:`simulate` does."""
    read: set[str] = set()
    for policy in policies:
        read |= read_columns(compile_policy(policy))
    names = ", ".join(dict.fromkeys(p.id for p in policies))
    check_columns(names, people, read, strict=strict, passthrough=passthrough_names(passthrough))


class Prepared:
    """A population converted once for many policies: numpy columns and type codes."""

    def __init__(self, people: Population, policies: Sequence[Policy], *, engine: Engine) -> None:
        self.size = people.size
        self.policies = tuple(policies)
        self.use_numpy = engine != "python" and _numpy_available()
        self.people: Population | None = None if self.use_numpy else people
        self.columns: dict[tuple[str, Any], Any] = {}
        if not self.use_numpy:
            return
        import numpy as np  # noqa: PLC0415  (numpy is optional)

        from samskaping.payouts._simulation_numpy import arrays  # noqa: PLC0415  (imports numpy)

        seen: set[CompiledPolicy] = set()  # equal policies share their columns
        for policy in policies:
            compiled = compile_policy(policy)
            if compiled in seen:
                continue
            seen.add(compiled)
            raw = input_columns(compiled, people)
            missing = {k: v for k, v in raw.items() if (k, compiled.scope[k]) not in self.columns}
            for name, column in arrays(compiled, missing).items():
                self.columns[name, compiled.scope[name]] = column
        types = people.types()
        self.type_names = tuple(sorted(set(types)))
        codes = {name: i for i, name in enumerate(self.type_names)}
        self.type_index = np.fromiter(
            map(codes.__getitem__, types), dtype=np.int32, count=len(types)
        )

    def tally_of(self, index: int, as_of: datetime.date) -> Tally:
        """The tally of the ``index``-th policy given when this was prepared (compiled once)."""
        return self.tally(self.policies[index], as_of)

    def tally(self, policy: Policy, as_of: datetime.date) -> Tally:
        """The tally of ``policy`` on this population as of ``as_of``."""
        if not self.use_numpy:
            assert self.people is not None  # noqa: S101  (kept when numpy is not used)
            result = simulate(
                policy,
                self.people,
                as_of,
                engine="python",
                passthrough=tuple(self.people.columns),  # checked once, for the whole sweep
            )
            assert result.tally is not None  # noqa: S101  (every simulation has one)
            return result.tally
        from samskaping.payouts._simulation_numpy import (  # noqa: PLC0415  (imports numpy)
            decide_arrays,
        )

        compiled = compile_policy(policy)
        _check_type(compiled)
        columns = {name: self.columns[name, compiled.scope[name]] for name in _needed(compiled)}
        codes, amounts, reasons = decide_arrays(compiled, columns, as_of, self.size)
        return tally_arrays(
            codes, amounts, reasons, reason_keys(compiled), self.type_names, self.type_index
        )


def _check_type(compiled: CompiledPolicy) -> None:
    if compiled.policy.payment_type is PaymentType.COLLECTIVE:
        raise InvalidInputError(
            "a collective policy decides proposals, not households", what="policy"
        )


def _needed(compiled: CompiledPolicy) -> list[str]:
    needed = set(compiled.used_inputs)
    if compiled.policy.payment_type is PaymentType.CONDITIONAL:
        needed.add("request.amount")
    if compiled.purposes:
        needed.add("request.purpose")
    return sorted(needed)


def _numpy_available() -> bool:
    try:
        import numpy  # noqa: F401, PLC0415  (numpy is optional)
    except ImportError:  # pragma: no cover  (numpy is installed where the tests run)
        return False
    return True


def _mean(total: int, count: int) -> int | None:
    if not count:
        return None
    return -(-total // count)


@attrs.frozen(kw_only=True)
class SweepResult(Records):
    """A sweep: one row per scenario (see :meth:`to_records`), and each scenario's result."""

    policy_id: str
    scenarios: tuple[Scenario, ...]
    results: tuple[SimulationResult, ...]

    def to_records(self) -> list[dict[str, object]]:
        """One tidy row per scenario; money in whole øre (``*_ore``), never floats.

        Columns: ``scenario``, ``as_of``, ``reform``, one per swept parameter, then
        ``households``, ``reached``, ``reach_share``, ``cost_ore``, ``mean_ore``,
        ``median_ore``, ``p10_ore``, ``p25_ore``, ``p75_ore``, ``p90_ore``,
        ``pot_ore``, ``pot_exhausted``, then per household type ``reached[<type>]``,
        ``cost_ore[<type>]`` and ``median_ore[<type>]``, then ``reason[<code>]``
        counts. Missing figures (no household reached) are ``None``.
        """
        types = sorted({t.type for r in self.results for t in r.by_type})
        reasons = sorted({code for r in self.results for code, _ in r.reasons})
        rows: list[dict[str, object]] = []
        for scenario, result in zip(self.scenarios, self.results, strict=True):
            tally = result.tally or Tally()
            overall = tally.overall()
            ranked = ranks(overall.amounts)
            row: dict[str, object] = {
                "scenario": scenario.number,
                "as_of": scenario.as_of,
                "reform": "+".join(scenario.reforms),
            }
            row.update(dict(scenario.parameters))
            cost = result.total.ore
            pot = None if result.pot_total is None else result.pot_total.ore
            row.update(
                {
                    "households": result.households,
                    "reached": result.reached,
                    "reach_share": float(result.reach_share),
                    "cost_ore": cost,
                    "mean_ore": _mean(cost, result.reached),
                    "median_ore": median(overall.amounts, ranked),
                }
            )
            for share in QUANTILES:
                row[f"p{int(share * 100)}_ore"] = quantile(overall.amounts, share, ranked)
            row["pot_ore"] = pot
            row["pot_exhausted"] = None if pot is None else cost > pot
            by_type = {t.type: t for t in result.by_type}
            for kind in types:
                summary = by_type.get(kind)
                row[f"reached[{kind}]"] = 0 if summary is None else summary.reached
                row[f"cost_ore[{kind}]"] = 0 if summary is None else summary.total.ore
                row[f"median_ore[{kind}]"] = (
                    None if summary is None or summary.median is None else summary.median.ore
                )
            counted = dict(result.reasons)
            for code in reasons:
                row[f"reason[{code}]"] = counted.get(code, 0)
            rows.append(row)
        return rows

    def to_pandas(self) -> Any:
        """The rows as a ``pandas.DataFrame`` (pandas is optional): one row per scenario."""
        frame = super().to_pandas()
        for name in frame.columns:
            if str(name).endswith("_ore") or "_ore[" in str(name):
                frame[name] = frame[name].astype("Int64")
        return frame

    def table(self) -> Any:
        """The table as pandas where pandas is installed, as records otherwise."""
        try:
            return self.to_pandas()
        except InvalidInputError:
            return self.to_records()


# --- on Dask: a task per partition to convert it, then scenarios × partitions ------------

#: The policies of the latest sweeps, by sweep token, in each worker process: the
#: partitions of one sweep share the same policy objects, so each is compiled once.
_SWEEPS: Final[dict[str, tuple[Policy, ...]]] = {}
_SWEEPS_KEPT: Final = 4
#: Into how many tasks a partition's scenarios are grouped by default.
_BATCHES: Final = 8


def _shared(token: str, policies: Sequence[Policy]) -> tuple[Policy, ...]:
    known = _SWEEPS.get(token)
    if known is None:
        while len(_SWEEPS) >= _SWEEPS_KEPT:
            _SWEEPS.pop(next(iter(_SWEEPS)))
        known = _SWEEPS[token] = tuple(policies)
    return known


def _prepare(
    frame: Any,
    sweep: tuple[str, Sequence[Policy]],
    engine: Engine,
    checks: tuple[bool, tuple[str, ...]],
) -> Prepared:
    policies = _shared(*sweep)
    people = read_population(frame)
    strict, passthrough = checks
    check_population(people, policies, strict=strict, passthrough=passthrough)
    return Prepared(people, policies, engine=engine)


def _tallies(prepared: Prepared, batch: Sequence[tuple[int, datetime.date]]) -> list[Tally]:
    return [prepared.tally_of(index, as_of) for index, as_of in batch]


def sweep_tallies(
    points: Sequence[Scenario],
    frame: Any,
    *,
    engine: Engine,
    checks: tuple[bool, tuple[str, ...]] = (True, ()),
    batch: int | None = None,
) -> list[Tally]:
    """Each scenario's tally on a Dask DataFrame.

    A task per partition converts it, then scenarios × partitions are tallied. The
    policies travel once per partition, with the task that converts it; each scenario
    task names its policies by number, so workers compile each policy once. Scenarios
    are grouped ``batch`` to a task (by default into at most 8 groups per partition),
    so that each task is large beside the scheduler's cost of a task.
    """
    dask = load_dask()
    sweep = (os.urandom(16).hex(), [p.policy for p in points])
    prepared = [
        dask.delayed(_prepare, pure=True)(part, sweep, engine, checks)
        for part in frame.to_delayed()
    ]
    numbered = [(i, p.as_of) for i, p in enumerate(points)]
    size = batch or max(1, -(-len(points) // _BATCHES))
    batches = [numbered[start : start + size] for start in range(0, len(numbered), size)]
    tasks = [[dask.delayed(_tallies, pure=True)(part, one) for one in batches] for part in prepared]
    (computed,) = dask.compute(tasks)
    rows = [[tally for batch_tallies in row for tally in batch_tallies] for row in computed]
    return [Tally.merge_all(row[i] for row in rows) for i in range(len(points))]


def sweep(
    policy: Policy,
    population: Any,
    grid: Any,
    as_of: datetime.date | None = None,
    *,
    engine: Engine = "auto",
    progress: bool | None = None,
    strict: bool = True,
    passthrough: Collection[str] = (),
) -> SweepResult:
    """Run ``policy`` over every scenario of ``grid`` on one population.

    Args:
        policy: The base policy (conditional or unconditional).
        population: Anything :func:`simulate` accepts; a Dask DataFrame runs
            scenarios × partitions as tasks on the active Dask scheduler.
        grid: A mapping of axes (cartesian product) or a list of scenarios, or a
            grid file; see the module docs.
        as_of: The date for scenarios that do not give one.
        engine: As for :func:`simulate`.
        progress: Show a progress bar (tqdm, when installed); by default only when
            standard error is a terminal.
        strict: Refuse population columns no scenario reads (as :func:`simulate`).
        passthrough: Columns kept without being read (ids, grouping columns).

    Returns:
        A :class:`SweepResult`; ``.table()`` is a pandas DataFrame where pandas is
        installed, else a list of records.

    Raises:
        PolicyError: If a scenario's reform or parameter value breaks the policy.
        InvalidInputError: If the grid or the population is malformed.
    """
    base: Path | None = None
    if isinstance(grid, str | os.PathLike):
        grid, base = load_grid(grid)
    points = scenarios(policy, grid, as_of, base=base)
    for point in points:
        _check_type(compile_policy(point.policy))
    if type(population).__module__.startswith("dask"):
        tallies = sweep_tallies(
            points, population, engine=engine, checks=(strict, tuple(passthrough))
        )
    else:
        people = read_population(population)
        policies = [p.policy for p in points]
        check_population(people, policies, strict=strict, passthrough=passthrough)
        prepared = Prepared(people, policies, engine=engine)
        tallies = [
            prepared.tally(point.policy, point.as_of)
            for point in progress_bar(points, "sweep", enabled=progress)
        ]
    results = tuple(
        result_from_tally(point.policy, point.as_of, tally, engine="sweep")
        for point, tally in zip(points, tallies, strict=True)
    )
    return SweepResult(policy_id=policy.id, scenarios=tuple(points), results=results)


def progress_bar(items: Sequence[Any], label: str, *, enabled: bool | None) -> Any:
    """``items`` wrapped in a tqdm progress bar (terminal or notebook) if asked and installed."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return items
    try:
        from tqdm.auto import tqdm  # noqa: PLC0415  (optional: renders in terminals and notebooks)
    except ImportError:
        return items
    return tqdm(items, desc=label, unit="scenario")
