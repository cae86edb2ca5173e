"""Decision workload: the payout engine against a hand-written baseline, trace on and off.

100 000 random requests are decided under the built-in På egne ben policy. For each
request three things are timed, in rotating order, in the same run:

- the baseline: a hand-written Python function for På egne ben that builds the same
  result objects (Decision, reasons, flags, approvers, documentation record, new pot);
- the engine: ``samskaping.payouts.evaluate`` without a trace;
- the engine with ``trace=True``.

Before timing, the script checks that the baseline and the engine give equal
decisions and pots for every request. It reports the median time per decision of each
and the ratios against the targets of issue 3: engine at most 3 times the baseline,
trace at most 20 % more than no trace.

Run from a fresh clone (only the package's own dependencies are needed)::

    python benchmarks/bench_decisions.py [--requests 100000] [--seed 2024] [--json]
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import platform
import random
import statistics
import sys
import time
from pathlib import Path

# Run from a clone: use the source tree next to this script, not an installed copy.
_SOURCE = Path(__file__).resolve().parents[1] / "src"
if (_SOURCE / "samskaping").is_dir():
    sys.path.insert(0, str(_SOURCE))

import attrs  # noqa: E402

from samskaping import Money  # noqa: E402
from samskaping.model import PaymentType, Pot, PotEntry  # noqa: E402
from samskaping.payouts import (  # noqa: E402
    Approvers,
    Decision,
    DecisionStatus,
    DocumentationRecord,
    Flag,
    Household,
    Reason,
    Request,
    evaluate,
    load_policy,
)

AS_OF = datetime.date(2022, 3, 1)
POLICY = load_policy("pa_egne_ben")
PURPOSES = [p.code for p in POLICY.purposes] + ["boat", "unicorn"]


def random_requests(count: int, seed: int) -> list[Request]:
    """Requests for youths of 12-30, most in contact with services, any purpose."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        household = Household(
            ref=f"hh{i}",
            children=rng.randint(0, 3),
            attributes={
                "youth_age": rng.randint(12, 30),
                "in_contact_with_services": rng.random() < 0.85,
            },
        )
        out.append(
            Request(
                id=f"r{i}",
                household=household,
                amount=Money.from_ore(rng.randint(0, 80_000_00)),
                purpose=rng.choice(PURPOSES),
                for_children=rng.random() < 0.3,
                ordinary_scheme_checked=rng.random() < 0.5,
                clarified=rng.random() < 0.5,
                decider_has_social_assistance_mandate=rng.random() < 0.05,
            )
        )
    return out


# --- the hand-written baseline ---------------------------------------------------------

_PEB = {p.code: p for p in POLICY.purposes}
_SCHEDULE = POLICY.approval_bands[0]
_POT_RULE = POLICY.pot.id if POLICY.pot else ""


def _record(
    request: Request, status: DecisionStatus, amount: Money, reasons, approvers
) -> DocumentationRecord:
    return DocumentationRecord(
        request_id=request.id,
        household_ref=request.household.ref,
        policy_id="pa_egne_ben",
        policy_version=POLICY.version,
        policy_source=POLICY.source,
        as_of=AS_OF,
        payment_type=PaymentType.CONDITIONAL,
        purpose=request.purpose,
        status=status,
        amount=amount,
        justification=tuple(r.code for r in reasons),
        approvers=approvers,
    )


def _decision(request, status, amount, reasons, *, flags, approvers, inputs) -> Decision:
    reasons = tuple(reasons)
    return Decision(
        request_id=request.id,
        household_ref=request.household.ref,
        policy_id="pa_egne_ben",
        as_of=AS_OF,
        payment_type=PaymentType.CONDITIONAL,
        status=status,
        requested=request.amount,
        amount=amount,
        approvers=approvers,
        reasons=reasons,
        flags=tuple(flags),
        documentation=_record(request, status, amount, reasons, approvers),
        inputs=inputs,
    )


def _reject(request: Request, reasons: list[Reason], inputs, flags=()) -> Decision:
    return _decision(
        request,
        DecisionStatus.REJECTED,
        Money(0),
        reasons,
        flags=flags,
        approvers=None,
        inputs=inputs,
    )


def baseline(request: Request, pot: Pot) -> tuple[Decision, Pot]:  # noqa: C901, PLR0912, PLR0915
    """På egne ben, written out by hand: the same decision the engine makes."""
    household = request.household
    attributes = household.attributes
    age = attributes["youth_age"]
    contact = attributes["in_contact_with_services"]
    inputs = (
        ("household.adults", household.adults),
        ("household.children", household.children),
        ("household.in_contact_with_services", contact),
        ("household.need_weight", household.need_weight),
        ("household.type", household.type),
        ("household.youth_age", age),
        ("request.amount", request.amount),
        ("request.for_children", request.for_children),
        ("request.purpose", request.purpose),
    )
    used = 0
    previous = 0
    for entry in (*pot.commitments, *pot.disbursements):
        if entry.id == request.id:
            return _reject(request, [Reason(code="already_decided")], inputs), pot
        used += entry.amount.ore
        if entry.reference == household.ref:
            previous += 1
    available = pot.total.ore - used
    status = None
    if available < 0:
        status = "overdrawn"
    elif pot.valid_from is not None and pot.valid_from > AS_OF:
        status = "not_started"
    elif pot.valid_to is not None and pot.valid_to <= AS_OF:
        status = "ended"
    elif pot.allowed_types and PaymentType.CONDITIONAL not in pot.allowed_types:
        status = "type_not_allowed"
    elif available == 0:
        status = "emptied"
    if status is not None:
        reason = Reason(code=f"pot_{status}", rule=pot.id)
        return _reject(request, [reason], inputs), pot
    if request.purpose is None:
        return _reject(request, [Reason(code="purpose_missing")], inputs), pot
    purpose = _PEB.get(request.purpose)
    if purpose is None:
        reason = Reason(code="purpose_unknown", params=(("purpose", request.purpose),))
        return _reject(request, [reason], inputs), pot
    if age < 16 or age > 25:
        reason = Reason(code="rule_not_met", rule="youth_16_to_25")
        return _reject(request, [reason], inputs), pot
    if not contact:
        reason = Reason(code="rule_not_met", rule="in_contact_with_services")
        return _reject(request, [reason], inputs), pot
    granted = request.amount.ore
    extra = []
    if granted > available:
        granted = available
        extra.append(
            Reason(
                code="pot_limited", rule=pot.id, params=(("available", Money.from_ore(available)),)
            )
        )
    flags = []
    if purpose.ordinary_scheme and not request.ordinary_scheme_checked:
        flags.append(Flag(code="ordinary_scheme_first", params=(("purpose", purpose.code),)))
    if purpose.needs_clarification and not request.clarified:
        flags.append(
            Flag(code="clarification_needed", params=(("kind", "purpose"), ("what", purpose.code)))
        )
    if request.running_cost or purpose.running_cost:
        flags.append(Flag(code="running_cost"))
    if previous >= 1:
        flags.append(Flag(code="repeat_request", params=(("previous", previous),)))
    if request.decider_has_social_assistance_mandate:
        flags.append(Flag(code="dual_mandate_conflict"))
    if not granted:
        return _reject(request, [Reason(code="nothing_to_grant"), *extra], inputs, flags), pot
    amount = request.amount if granted == request.amount.ore else Money.from_ore(granted)
    status_out = DecisionStatus.PARTIAL if granted < request.amount.ore else DecisionStatus.GRANTED
    for band in _SCHEDULE.bands:
        if band.contains(amount):
            approvers = Approvers(
                band=band.id,
                body=band.approvers,
                people=band.people,
                source=band.source,
                basis=band.provenance,
            )
            break
    code = "granted" if status_out is DecisionStatus.GRANTED else "partly_granted"
    reasons = [Reason(code=code, params=(("amount", amount),)), *extra]
    entry = PotEntry(
        id=request.id,
        amount=amount,
        date=AS_OF,
        payment_type=PaymentType.CONDITIONAL,
        reference=household.ref,
    )
    new_pot = attrs.evolve(pot, commitments=(*pot.commitments, entry))
    return _decision(
        request, status_out, amount, reasons, flags=flags, approvers=approvers, inputs=inputs
    ), new_pot


# --- measurement -----------------------------------------------------------------------


def check_equal(requests: list[Request], pot: Pot) -> None:
    """Stop unless the baseline and the engine decide every request equally."""
    for request in requests:
        expected = baseline(request, pot)
        actual = evaluate(POLICY, request, pot, AS_OF)
        if expected != actual:
            raise SystemExit(
                f"baseline and engine differ on {request.id}:\n{expected[0]}\n{actual[0]}"
            )


def measure(requests: list[Request], pot: Pot) -> dict[str, list[int]]:
    """Nanoseconds per decision for each variant, measured request by request."""
    runs = {
        "baseline": lambda r: baseline(r, pot),
        "engine": lambda r: evaluate(POLICY, r, pot, AS_OF),
        "engine_trace": lambda r: evaluate(POLICY, r, pot, AS_OF, trace=True),
    }
    names = list(runs)
    times: dict[str, list[int]] = {name: [] for name in names}
    clock = time.perf_counter_ns
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for index, request in enumerate(requests):
            order = names[index % 3 :] + names[: index % 3]
            for name in order:
                run = runs[name]
                start = clock()
                run(request)
                times[name].append(clock() - start)
            if index % 10_000 == 9_999:
                gc.collect()
    finally:
        if gc_was_enabled:
            gc.enable()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)

    pot = POLICY.pot
    assert pot is not None
    requests = random_requests(args.requests, args.seed)
    check_equal(requests, pot)
    measure(requests[:2000], pot)  # warm-up
    times = measure(requests, pot)
    medians = {name: statistics.median(values) for name, values in times.items()}
    means = {name: statistics.fmean(values) for name, values in times.items()}
    outcome = {
        "schema_version": 1,
        "kind": "benchmark",
        "workload": "decisions",
        "policy": "pa_egne_ben",
        "requests": args.requests,
        "seed": args.seed,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "median_ns": {k: round(v) for k, v in medians.items()},
        "mean_ns": {k: round(v) for k, v in means.items()},
        "engine_over_baseline": round(medians["engine"] / medians["baseline"], 3),
        "trace_over_no_trace": round(medians["engine_trace"] / medians["engine"], 3),
        "targets": {"engine_over_baseline_max": 3.0, "trace_over_no_trace_max": 1.2},
    }
    outcome["meets_targets"] = (
        outcome["engine_over_baseline"] <= 3.0 and outcome["trace_over_no_trace"] <= 1.2
    )
    statuses: dict[str, int] = {}
    by_status: dict[str, dict[str, list[int]]] = {}
    for index, request in enumerate(requests):
        status = evaluate(POLICY, request, pot, AS_OF)[0].status.value
        statuses[status] = statuses.get(status, 0) + 1
        group = by_status.setdefault(status, {name: [] for name in times})
        for name in times:
            group[name].append(times[name][index])
    outcome["statuses"] = statuses
    outcome["by_status"] = {
        status: {
            "median_ns": {name: round(statistics.median(values)) for name, values in group.items()},
            "engine_over_baseline": round(
                statistics.median(group["engine"]) / statistics.median(group["baseline"]), 3
            ),
            "trace_over_no_trace": round(
                statistics.median(group["engine_trace"]) / statistics.median(group["engine"]), 3
            ),
        }
        for status, group in by_status.items()
    }
    if args.json:
        print(json.dumps(outcome, indent=2))
    else:
        python = outcome["python"]
        print(f"{args.requests:,} requests under pa_egne_ben (seed {args.seed}), Python {python}")
        print(f"outcomes: {statuses}")
        for name in times:
            median, mean = medians[name] / 1000, means[name] / 1000
            print(f"  {name:<13} median {median:8.2f} µs   mean {mean:8.2f} µs")
        for status, part in outcome["by_status"].items():
            print(
                f"  only {status:<9} engine/baseline {part['engine_over_baseline']:.2f}, "
                f"trace/no trace {part['trace_over_no_trace']:.2f}"
            )
        print(f"engine / baseline (median): {outcome['engine_over_baseline']:.2f}  (target <= 3)")
        print(f"trace / no trace  (median): {outcome['trace_over_no_trace']:.2f}  (target <= 1.20)")
        print("meets targets" if outcome["meets_targets"] else "DOES NOT MEET TARGETS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
