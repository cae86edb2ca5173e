"""Plots for research: sweeps, amount distributions, fairness and pot balance.

Optional (``pip install 'samskaping[plot]'``): matplotlib is imported only when a plot
is made. Each function returns a ``matplotlib.figure.Figure`` made without pyplot, so
it shows in a notebook, saves with ``fig.savefig(...)`` and leaves no global state.
The figures are the only place amounts become floating-point numbers (kroner on an
axis); every figure behind them is exact.
"""

from __future__ import annotations

from typing import Any

from samskaping._errors import InvalidInputError

__all__ = [
    "amount_distribution",
    "cost_by_parameter",
    "lorenz_curve",
    "lorenz_points",
    "pot_balance",
]


def _figure() -> Any:
    try:
        from matplotlib.figure import Figure  # noqa: PLC0415  (optional, imported on use)
    except ImportError:
        raise InvalidInputError(
            "plots need matplotlib: pip install 'samskaping[plot]'", what="matplotlib"
        ) from None
    return Figure(figsize=(6.4, 4.0), layout="constrained")


def cost_by_parameter(result: Any, parameter: str, *, by: str | None = "reform") -> Any:
    """The cost of each scenario of a sweep against a swept parameter, a line per ``by`` value.

    Args:
        result: A :class:`~samskaping.payouts.SweepResult`.
        parameter: The swept parameter on the x axis.
        by: A column whose values each get their own line (``None``: one line).
    """
    rows = result.to_records()
    if not rows or parameter not in rows[0]:
        raise InvalidInputError(f"the sweep did not vary {parameter!r}", what="parameter")
    fig = _figure()
    axes = fig.add_subplot()
    groups: dict[object, list[tuple[Any, int]]] = {}
    for row in rows:
        key = row.get(by) if by else ""
        groups.setdefault(key, []).append((row[parameter], row["cost_ore"]))
    for key, points in sorted(groups.items(), key=lambda item: str(item[0])):
        points.sort(key=lambda p: float(p[0]))
        axes.plot(
            [float(x) for x, _ in points],
            [cost / 100 for _, cost in points],
            marker="o",
            label=str(key) or "base",
        )
    axes.set_xlabel(parameter)
    axes.set_ylabel("cost (NOK)")
    axes.set_title(f"{result.policy_id}: cost by {parameter}")
    if len(groups) > 1:
        axes.legend(title=by)
    return fig


def _histograms(result: Any) -> dict[str, Any]:
    if result.tally is None:
        raise InvalidInputError("the result has no tally", what="result")
    return {kind: part.amounts for kind, part in sorted(result.tally.by_type.items())}


def amount_distribution(result: Any, *, bins: int = 20) -> Any:
    """The amounts given to households reached, by household type (stacked histogram)."""
    fig = _figure()
    axes = fig.add_subplot()
    histograms = _histograms(result)
    values = [[amount / 100 for amount in h] for h in histograms.values()]
    weights = [list(h.values()) for h in histograms.values()]
    if any(values):
        axes.hist(values, bins=bins, weights=weights, stacked=True, label=list(histograms))
        axes.legend(title="type")
    axes.set_xlabel("amount (NOK)")
    axes.set_ylabel("households")
    axes.set_title(f"{result.policy_id}: amounts by household type")
    return fig


def lorenz_points(result: Any) -> tuple[list[float], list[float]]:
    """The Lorenz curve of amounts over every household (those given nothing included)."""
    merged: dict[int, int] = {}
    for histogram in _histograms(result).values():
        for amount, count in histogram.items():
            merged[amount] = merged.get(amount, 0) + count
    zero = result.households - sum(merged.values())
    total = sum(a * n for a, n in merged.items())
    xs, ys = [0.0], [0.0]
    people, money = zero, 0
    if zero:
        xs.append(zero / max(result.households, 1))
        ys.append(0.0)
    for amount in sorted(merged):
        people += merged[amount]
        money += amount * merged[amount]
        xs.append(people / result.households)
        ys.append(money / total if total else 0.0)
    return xs, ys


def lorenz_curve(result: Any) -> Any:
    """A Lorenz curve of a simulation's amounts across all households, for fairness reports."""
    fig = _figure()
    axes = fig.add_subplot()
    xs, ys = lorenz_points(result)
    axes.plot(xs, ys, label=result.policy_id)
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="equal")
    axes.set_xlabel("share of households")
    axes.set_ylabel("share of money")
    axes.set_title("Lorenz curve")
    axes.legend()
    return fig


def pot_balance(result: Any) -> Any:
    """The pot's balance and the money paid, month by month, for a multi-period run."""
    fig = _figure()
    axes = fig.add_subplot()
    months = [m.month for m in result.months]
    paid = [m.paid.ore / 100 for m in result.months]
    axes.bar(months, paid, width=20, label="paid", color="tab:orange")
    if all(m.balance is not None for m in result.months):
        axes.plot(months, [m.balance.ore / 100 for m in result.months], marker="o", label="balance")
    if result.exhausted_in is not None:
        axes.axvline(result.exhausted_in, linestyle=":", color="red", label="pot short")
    axes.set_ylabel("NOK")
    axes.set_title(f"{result.policy_id}: pot by month")
    axes.legend()
    fig.autofmt_xdate()
    return fig
