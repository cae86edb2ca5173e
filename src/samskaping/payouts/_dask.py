"""Dask, an optional extra (``pip install 'samskaping[dask]'``): loaded only when used.

Simulations, sweeps and payment periods each run on Dask in their own module
(:func:`~samskaping.payouts.simulate`, :func:`~samskaping.payouts.sweep`,
:func:`~samskaping.payouts.simulate_periods` take a Dask DataFrame): each partition
becomes a pandas DataFrame on a worker, is read and converted there once, and is
decided and tallied there; the partial results (exact tallies, money in whole øre)
travel back and are merged, so a Dask run gives the same totals, counts, medians and
quantiles as one machine. The scheduler is the one in force: threads by default,
``dask.config.set(scheduler="processes")``, or a ``distributed.Client`` (connected to a
``LocalCluster`` or a real cluster) made before the call.
"""

from __future__ import annotations

from typing import Any

from samskaping._errors import InvalidInputError

__all__ = ["load_dask", "read_parquet"]


def load_dask() -> Any:
    """The ``dask`` module.

    Raises:
        InvalidInputError: If dask is not installed.
    """
    try:
        import dask  # noqa: PLC0415  (optional: only for Dask DataFrames)
    except ImportError:  # pragma: no cover  (dask is installed where the tests run)
        raise InvalidInputError(
            "Dask DataFrames need dask: pip install 'samskaping[dask]'", what="population"
        ) from None
    return dask


def read_parquet(path: Any, **options: Any) -> Any:
    """A population from Parquet files as a Dask DataFrame (``dask.dataframe.read_parquet``)."""
    load_dask()
    import dask.dataframe as dd  # noqa: PLC0415  (optional: dask is an extra)

    return dd.read_parquet(path, **options)
