"""``samskaping payout sweep``: a policy over a grid of parameter values, reforms and dates.

Registered under ``payout`` by :mod:`samskaping._cli._payout`. Exit codes: 0 done;
2 the policy, population, grid or a reform could not be read (or a reform breaks the
policy). ``--scheduler`` runs the sweep on Dask: ``threads``, ``processes``,
``local:N`` (a local cluster of N workers) or a ``tcp://`` address of a running
Dask scheduler.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from samskaping._cli import _as_of
from samskaping._cli._as_of import add_as_of_argument
from samskaping._cli._common import (
    EXIT_OK,
    add_format_argument,
    add_profile_argument,
    emit,
    emit_json,
    profile_of,
)
from samskaping._errors import InvalidInputError
from samskaping._money import Money

__all__ = ["add_sweep", "dask_population", "scheduler"]


def add_sweep(
    actions: argparse._SubParsersAction[argparse.ArgumentParser],
    date_type: Any,
) -> None:
    """Add ``payout sweep``."""
    sweep = actions.add_parser("sweep", help="run a policy over a grid of parameters and reforms")
    sweep.add_argument("--policy", required=True, metavar="P", help="a built-in policy or a file")
    sweep.add_argument(
        "--population", required=True, metavar="FILE", help="households as CSV or Parquet"
    )
    sweep.add_argument("--grid", required=True, metavar="FILE", help="the grid (.toml or .json)")
    sweep.add_argument(
        "--reform",
        action="append",
        default=[],
        metavar="FILE",
        help="a reform applied before the grid; repeat to apply several",
    )
    add_as_of_argument(sweep, document=False, parse=date_type)
    sweep.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on Dask: threads, processes, local:N or tcp://HOST:PORT",
    )
    sweep.add_argument(
        "--passthrough",
        action="append",
        default=[],
        metavar="COLUMN",
        help="a column no scenario reads, kept (e.g. a region); repeat for more",
    )
    sweep.add_argument(
        "--no-strict",
        dest="strict",
        action="store_false",
        help="ignore columns no scenario reads, with a warning, instead of refusing them",
    )
    sweep.add_argument(
        "--plot",
        metavar="FILE.png",
        help="also draw the cost against the first swept parameter (needs matplotlib)",
    )
    sweep.add_argument("-o", "--output", metavar="OUT", help="write the table here (.parquet too)")
    add_format_argument(sweep, ("text", "json", "csv"), "text")
    add_profile_argument(sweep)
    sweep.set_defaults(run=_sweep)


@contextmanager
def scheduler(address: str | None) -> Iterator[None]:
    """Make the Dask scheduler named by ``address`` the active one, for the block."""
    if not address:
        yield
        return

    try:
        import dask  # noqa: PLC0415  (optional: only with --scheduler)
    except ImportError:
        raise InvalidInputError(
            "--scheduler needs dask: pip install 'samskaping[dask]'", what="scheduler"
        ) from None
    if address in {"threads", "processes", "synchronous"}:
        with dask.config.set(scheduler=address):
            yield
        return
    import distributed  # noqa: PLC0415  (optional, as dask)

    client_type: Any = distributed.Client
    cluster_type: Any = distributed.LocalCluster

    if address.startswith("local:"):
        try:
            workers = int(address.removeprefix("local:"))
        except ValueError:
            raise InvalidInputError("local:N needs a number of workers", what="scheduler") from None
        with (
            cluster_type(
                n_workers=workers, threads_per_worker=1, dashboard_address=":0"
            ) as cluster,
            client_type(cluster),
        ):
            yield
        return
    if not address.startswith(("tcp://", "tls://")):
        raise InvalidInputError(
            "--scheduler is threads, processes, local:N or a tcp:// address", what="scheduler"
        )
    with client_type(address, timeout="10s"):
        yield


def dask_population(path: str) -> Any:
    """A population file as a Dask DataFrame (CSV cells read as text, as the CSV reader does)."""
    import dask.dataframe as dd  # noqa: PLC0415  (optional)

    file = Path(path)
    if not file.exists():
        raise InvalidInputError("the population file does not exist", what="population")
    if file.suffix.lower() in {".parquet", ".pq"} or file.is_dir():
        return dd.read_parquet(file)
    return dd.read_csv(file, dtype=str, keep_default_na=False, blocksize="64MB")


def _cell(value: object) -> object:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _sweep(args: argparse.Namespace) -> int:
    from samskaping.payouts import load_reform, reform, sweep  # noqa: PLC0415  (lazy: loaded on use)

    policy = profile_of(args).policy(args.policy)
    for path in args.reform:
        policy = reform(policy, load_reform(path))
    with scheduler(args.scheduler):
        population = dask_population(args.population) if args.scheduler else args.population
        result = sweep(
            policy,
            population,
            args.grid,
            args.as_of or _as_of.today(),
            strict=args.strict,
            passthrough=tuple(args.passthrough),
        )
    rows = [{k: _cell(v) for k, v in row.items()} for row in result.to_records()]
    if args.plot:
        _plot(result, args.plot)
    return _write(args, rows, result)


def _plot(result: Any, path: str) -> None:
    from samskaping.plot import cost_by_parameter  # noqa: PLC0415  (matplotlib is optional)

    swept = [name for name, _ in result.scenarios[0].parameters] if result.scenarios else []
    if not swept:
        raise InvalidInputError("--plot needs a grid that sweeps a parameter", what="plot")
    cost_by_parameter(result, swept[0]).savefig(path)


def _write(args: argparse.Namespace, rows: list[dict[str, object]], result: Any) -> int:
    if args.output and args.output.lower().endswith(".parquet"):
        result.to_pandas().to_parquet(args.output, index=False)
        return EXIT_OK
    if args.format == "json":
        data = {"schema_version": 1, "kind": "sweep", "policy": result.policy_id, "scenarios": rows}
        if args.output:
            Path(args.output).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        else:
            emit_json(data)
        return EXIT_OK
    buffer = io.StringIO()
    if args.format == "csv":
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else [])
        writer.writeheader()
        writer.writerows(rows)
    else:
        shown = ("scenario", "reform", "households", "reached", "cost_ore", "median_ore")
        for row in rows:
            extra = ", ".join(
                f"{k}={v}"
                for k, v in row.items()
                if k not in shown and "[" not in k and not k.startswith("p")
            )
            cost = Money.from_ore(int(str(row["cost_ore"]))).amount
            buffer.write(
                f"{row['scenario']:>4}  reached {row['reached']:>10}  "
                f"cost {cost:>18} NOK  {extra}\n"
            )
    if args.output:
        Path(args.output).write_text(buffer.getvalue(), encoding="utf-8")
    else:
        emit(buffer.getvalue())
    return EXIT_OK
