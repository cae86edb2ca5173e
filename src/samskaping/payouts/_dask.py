"""Simulations and sweeps on Dask: per partition, on whatever scheduler is active.

Dask is an optional extra (``pip install 'samskaping[dask]'``), imported only here and
only when a Dask DataFrame is given. Each partition becomes a pandas DataFrame on a
worker, is read and converted there once, and is decided and tallied there; the
partial results (exact tallies, money in whole øre) travel back and are merged, so a
Dask run gives the same totals, counts, medians and quantiles as one machine. The
scheduler is the one in force: threads by default, ``dask.config.set(scheduler=
"processes")``, or a ``distributed.Client`` (connected to a ``LocalCluster`` or a real
cluster) made before the call.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

from samskaping._errors import InvalidInputError
from samskaping.payouts._policy import Policy
from samskaping.payouts._simulation import (
    Engine,
    SimulationResult,
    merge_results,
    simulate,
)
from samskaping.payouts._tally import Tally

if TYPE_CHECKING:
    from samskaping.payouts._sweep import Prepared, Scenario

__all__ = ["household_results", "read_parquet", "simulate_dask", "sweep_tallies"]


def _dask() -> Any:
    try:
        import dask  # noqa: PLC0415  (optional: only for Dask DataFrames)
    except ImportError:  # pragma: no cover  (dask is installed where the tests run)
        raise InvalidInputError(
            "Dask DataFrames need dask: pip install 'samskaping[dask]'", what="population"
        ) from None
    return dask


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
    dask = _dask()
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
    from samskaping.payouts._population import read_population  # noqa: PLC0415
    from samskaping.payouts._sweep import Prepared, check_population  # noqa: PLC0415

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
    """Each scenario's tally: a task per partition to convert it, then scenarios × partitions.

    The policies travel once per partition, with the task that converts it; each
    scenario task names its policies by number, so workers compile each policy once.
    Scenarios are grouped ``batch`` to a task (by default into at most 8 groups per
    partition), so that each task is large beside the scheduler's cost of a task.
    """
    import uuid  # noqa: PLC0415

    dask = _dask()
    sweep = (uuid.uuid4().hex, [p.policy for p in points])
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


def _household_frame(frame: Any, policy: Policy, as_of: datetime.date, engine: Engine) -> Any:
    from samskaping.payouts._compiled import compile_policy  # noqa: PLC0415
    from samskaping.payouts._expr_ast import ValueType  # noqa: PLC0415

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
    _dask()
    sample = frame._meta  # noqa: SLF001  (Dask's empty frame of the right columns)
    meta = _household_frame(sample, policy, as_of, engine)
    return frame.map_partitions(_household_frame, policy, as_of, engine, meta=meta)


def read_parquet(path: Any, **options: Any) -> Any:
    """A population from Parquet files as a Dask DataFrame (``dask.dataframe.read_parquet``)."""
    _dask()
    import dask.dataframe as dd  # noqa: PLC0415  (optional)

    return dd.read_parquet(path, **options)
