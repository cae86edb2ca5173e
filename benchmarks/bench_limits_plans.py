"""Plan size against its limits: payment plans cost linear time in children and periods.

One household with N children is planned over M monthly periods under the built-in
Flyktningfamilien policy (1 600 kr a child a month), for each proration rule. Two
kinds of household are timed:

- ``same``: N children without dates (present throughout);
- ``spread``: N children each with its own arrival and departure dates, spread over
  the plan (the worst case: no two children alike).

The baseline is the child-by-child computation the library used before (each child,
each period, each rate segment, in exact fractions), run in the same process on the
sizes it finishes in reasonable time; the script checks that both give the same plan.
It prints the median time of a few runs, the time per child-period (constant if the
cost is linear) and the speed-up against the baseline.

Run from a fresh clone (only the package's own dependencies are needed)::

    python benchmarks/bench_limits_plans.py [--quick] [--json]
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import statistics
import sys
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

# Run from a clone: use the source tree next to this script, not an installed copy.
_SOURCE = Path(__file__).resolve().parents[1] / "src"
if (_SOURCE / "samskaping").is_dir():
    sys.path.insert(0, str(_SOURCE))

import attrs  # noqa: E402

from samskaping import Money  # noqa: E402
from samskaping.payouts import (  # noqa: E402
    Child,
    Cohort,
    CohortMember,
    Proration,
    builtin_policy,
    check_policy,
    payment_plan,
)
from samskaping.payouts._compiled import compile_policy  # noqa: E402
from samskaping.payouts._plan import (  # noqa: E402
    MAX_CHILDREN,
    MAX_COHORT_CHILDREN,
    MAX_HOUSEHOLD_PERIODS,
    MAX_MEMBERS,
    MAX_PERIODS,
)

START = datetime.date(2022, 2, 1)


def policy_with(proration: Proration) -> Any:
    """Flyktningfamilien under another proration rule."""
    base = builtin_policy("flyktningfamilien")
    assert base.unconditional is not None
    terms = attrs.evolve(base.unconditional, proration=proration)
    return check_policy(attrs.evolve(base, unconditional=terms))


def household(children: int, months: int, *, spread: bool) -> Cohort:
    """One household with ``children`` children, alike or each with its own dates."""
    days = months * 30
    kids = tuple(
        Child(
            present_from=START + datetime.timedelta(days=(i * 7919) % days),
            present_until=START
            + datetime.timedelta(days=(i * 7919) % days + 1 + (i * 104729) % days),
        )
        if spread
        else Child()
        for i in range(children)
    )
    return Cohort(id="bench", members=(CohortMember(ref="h1", children=kids),))


def baseline_plan(policy: Any, cohort: Cohort, months: int) -> list[tuple[datetime.date, Money]]:
    """The child-by-child computation (the library's earlier algorithm), one household."""
    from dateutil.relativedelta import relativedelta

    compiled = compile_policy(policy)
    terms = policy.unconditional
    end = START + relativedelta(months=months)
    starts = [START + relativedelta(months=k) for k in range(months)]
    periods = list(zip(starts, [*starts[1:], end], strict=True))
    rate = compiled.params_at(START).env[f"params.{terms.rate}"]
    out = []
    member = cohort.members[0]
    for a, b in periods:
        days = (b - a).days
        total = Fraction(0)
        for child in member.children:
            low = child.present_from or a
            high = child.present_until or b
            present = max((min(b, high) - max(a, low)).days, 0)
            if terms.proration is Proration.BY_DAY:
                weight = Fraction(present, days)
            elif terms.proration is Proration.BY_MONTH:
                on_first = (child.present_from is None or child.present_from <= a) and (
                    child.present_until is None or a < child.present_until
                )
                weight = Fraction(1 if on_first else 0)
            else:
                weight = Fraction(1 if present else 0)
            total += Fraction(rate) * weight * days / days
        whole, rest = divmod(total.numerator, total.denominator)
        ore = whole + (1 if 2 * rest >= total.denominator else 0)
        if ore:
            out.append((a, Money.from_ore(ore)))
    return out


def timed(function: Any, repeat: int) -> float:
    """The median wall time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> int:
    """Time the plans and print a table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, a smoke test")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    sizes = [(1_000, 12), (10_000, 12), (100_000, 12), (1_000, 120), (1_000, 1_200)]
    if args.quick:
        sizes = [(1_000, 12), (10_000, 12), (1_000, 120)]
    baseline_up_to = 10_000 * 12
    rows = []
    for proration in Proration:
        policy = policy_with(proration)
        for spread in (False, True):
            for children, months in sizes:
                cohort = household(children, months, spread=spread)
                plan = payment_plan(policy, cohort, months=months)
                seconds = timed(lambda: payment_plan(policy, cohort, months=months), 3)  # noqa: B023
                row: dict[str, Any] = {
                    "proration": proration.value,
                    "children": children,
                    "months": months,
                    "kind": "spread" if spread else "same",
                    "seconds": round(seconds, 4),
                    "us_per_child_period": round(seconds / (children * months) * 1e6, 3),
                }
                if children * months <= baseline_up_to:
                    expected = baseline_plan(policy, cohort, months)
                    if expected != [(p.date, p.amount) for p in plan.payments]:
                        print("the plan differs from the baseline", row, file=sys.stderr)
                        return 1
                    base = timed(lambda: baseline_plan(policy, cohort, months), 1)  # noqa: B023
                    row["baseline_seconds"] = round(base, 4)
                    row["speedup"] = round(base / seconds, 1)
                rows.append(row)
    limits = {
        "MAX_PERIODS": MAX_PERIODS,
        "MAX_MEMBERS": MAX_MEMBERS,
        "MAX_CHILDREN": MAX_CHILDREN,
        "MAX_COHORT_CHILDREN": MAX_COHORT_CHILDREN,
        "MAX_HOUSEHOLD_PERIODS": MAX_HOUSEHOLD_PERIODS,
    }
    if args.json:
        print(json.dumps({"python": platform.python_version(), "limits": limits, "rows": rows}))
        return 0
    print(f"Python {platform.python_version()}; limits: {limits}")
    print(
        f"{'proration':10} {'kind':6} {'children':>9} {'months':>6} {'seconds':>9} "
        f"{'µs/child-period':>16} {'baseline s':>11} {'speed-up':>9}"
    )
    for r in rows:
        print(
            f"{r['proration']:10} {r['kind']:6} {r['children']:>9,} {r['months']:>6} "
            f"{r['seconds']:>9.4f} {r['us_per_child_period']:>16.3f} "
            f"{r.get('baseline_seconds', '-'):>11} {r.get('speedup', '-'):>9}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
