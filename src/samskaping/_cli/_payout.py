"""``samskaping payout evaluate|plan|simulate|policies``: the payout engine on the command line.

Exit codes: 0 done (a request granted, partly granted or referred); 1 a request was
rejected (or a collective decision funded nothing); 2 the input could not be read.
JSON output shapes are documented in ``docs/payouts.md``; each object has
``"schema_version": 1``.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import warnings
from typing import Any

from samskaping._cli import _as_of
from samskaping._cli._as_of import add_as_of_argument
from samskaping._cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    add_format_argument,
    add_lang_argument,
    add_profile_argument,
    emit,
    emit_json,
    input_dataset,
    input_path,
    iso_date,
    profile_of,
    read_as,
    read_data,
)
from samskaping._errors import InvalidInputError

__all__ = ["register"]


def _date(text: str) -> datetime.date:
    try:
        return iso_date(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date (YYYY-MM-DD), got {text[:20]!r}"
        ) from None


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``payout`` command."""
    parser = subparsers.add_parser("payout", help="decide payouts, plan, simulate, list policies")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    evaluate = actions.add_parser("evaluate", help="decide a request (or several) under a policy")
    evaluate.add_argument(
        "--policy", required=True, metavar="P", help="a built-in policy name or a file"
    )
    evaluate.add_argument(
        "--request",
        required=True,
        type=input_path,
        metavar="R",
        help="a request file (.toml or .json)",
    )
    add_as_of_argument(evaluate, document=False, parse=_date)
    evaluate.add_argument(
        "--pot", type=input_path, metavar="FILE", help="the pot (default: the policy's own pot)"
    )
    evaluate.add_argument(
        "--trace", action="store_true", help="include every rule and parameter used"
    )
    evaluate.add_argument(
        "--reveal-identifiers",
        action="store_true",
        help="show household references (personal data)",
    )
    add_format_argument(evaluate, ("text", "json"), "text")
    add_lang_argument(evaluate)
    add_profile_argument(evaluate)
    evaluate.set_defaults(run=_evaluate)

    plan = actions.add_parser("plan", help="the monthly payment plan of an unconditional policy")
    plan.add_argument(
        "--policy", required=True, metavar="P", help="a built-in policy name or a file"
    )
    plan.add_argument(
        "--cohort",
        required=True,
        type=input_path,
        metavar="C",
        help="a cohort file (.toml or .json)",
    )
    plan.add_argument("--start", type=_date, metavar="DATE", help="the first payment date")
    group = plan.add_mutually_exclusive_group()
    group.add_argument("--end", type=_date, metavar="DATE", help="the first day after the plan")
    group.add_argument("--months", type=int, metavar="N", help="the number of monthly payments")
    plan.add_argument(
        "--reveal-identifiers",
        action="store_true",
        help="show household references (personal data)",
    )
    add_format_argument(plan, ("text", "json"), "text")
    add_lang_argument(plan)
    add_profile_argument(plan)
    plan.set_defaults(run=_plan)

    simulate = actions.add_parser("simulate", help="apply policies to a population")
    simulate.add_argument(
        "--policy", required=True, action="append", metavar="P", help="a policy; repeat to compare"
    )
    simulate.add_argument(
        "--population",
        required=True,
        type=input_dataset,
        metavar="FILE",
        help="households as CSV or Parquet",
    )
    simulate.add_argument(
        "--persons", type=input_path, metavar="FILE.csv", help="persons (household, role) as CSV"
    )
    simulate.add_argument(
        "--reform",
        action="append",
        default=[],
        metavar="FILE",
        help="a reform applied to each policy; repeat to apply several",
    )
    add_as_of_argument(simulate, document=False, parse=_date)
    simulate.add_argument(
        "--engine", choices=("auto", "python", "numpy"), default="auto", help="the path"
    )
    simulate.add_argument(
        "--passthrough",
        action="append",
        default=[],
        metavar="COLUMN",
        help="a column no policy reads, kept (e.g. a region); repeat for more",
    )
    simulate.add_argument(
        "--no-strict",
        dest="strict",
        action="store_false",
        help="ignore columns no policy reads, with a warning, instead of refusing them",
    )
    add_format_argument(simulate, ("text", "json"), "text")
    add_lang_argument(simulate)
    add_profile_argument(simulate)
    simulate.set_defaults(run=_simulate)

    from samskaping._cli._sweep import add_sweep  # noqa: PLC0415  (its own module)

    add_sweep(actions, _date)

    policies = actions.add_parser(
        "policies", help="list the built-in policies (and the profile's own)"
    )
    policies.add_argument(
        "--schema", action="store_true", help="print the JSON Schema of policy files"
    )
    add_format_argument(policies, ("text", "json"), "text")
    add_lang_argument(policies)
    add_profile_argument(policies)
    policies.set_defaults(run=_policies)


def _evaluate(args: argparse.Namespace) -> int:
    from samskaping.model import PaymentType, Pot  # noqa: PLC0415  (lazy: loaded on use)

    if args.as_of is None:
        args.as_of = _as_of.today()
    policy = profile_of(args).policy(args.policy)
    pot = read_as(args.pot, Pot) if args.pot else policy.pot
    if pot is None:
        raise InvalidInputError("the policy has no pot of its own: give --pot FILE")
    if policy.payment_type is PaymentType.COLLECTIVE:
        return _collective(args, policy, pot)
    if "requests" in read_data(args.request):
        return _allocate(args, policy, pot)
    return _single(args, policy, pot)


def _single(args: argparse.Namespace, policy: Any, pot: Any) -> int:
    from samskaping.payouts import (  # noqa: PLC0415  (lazy: loaded on use)
        DecisionStatus,
        Request,
        evaluate,
        pot_to_dict,
    )
    from samskaping.report import render_decision  # noqa: PLC0415  (lazy: loaded on use)

    request = read_as(args.request, Request)
    decision, after = evaluate(policy, request, pot, args.as_of, trace=args.trace)
    if args.format == "json":
        data = decision.to_dict(lang=args.lang, reveal_identifiers=args.reveal_identifiers)
        data["pot_after"] = pot_to_dict(after, args.as_of, policy.payment_type)
        emit_json(data)
    else:
        emit(
            render_decision(
                decision, args.lang, policy=policy, reveal_identifiers=args.reveal_identifiers
            )
        )
    return EXIT_FINDINGS if decision.status is DecisionStatus.REJECTED else EXIT_OK


def _allocate(args: argparse.Namespace, policy: Any, pot: Any) -> int:
    from samskaping.payouts import RequestBatch, allocate, pot_to_dict  # noqa: PLC0415  (lazy: loaded on use)
    from samskaping.report import render_decision  # noqa: PLC0415  (lazy: loaded on use)

    batch = read_as(args.request, RequestBatch)
    result, after = allocate(policy, batch.requests, pot, args.as_of, trace=args.trace)
    if args.format == "json":
        data = result.to_dict(lang=args.lang, reveal_identifiers=args.reveal_identifiers)
        data["pot_after"] = pot_to_dict(after, args.as_of, policy.payment_type)
        emit_json(data)
    else:
        for decision in (
            *result.granted,
            *result.referred,
            *result.rejected,
            *(d.decision for d in result.deferred),
        ):
            emit(
                render_decision(
                    decision, args.lang, policy=policy, reveal_identifiers=args.reveal_identifiers
                )
            )
            emit("")
    return EXIT_OK if result.granted else EXIT_FINDINGS


def _collective(args: argparse.Namespace, policy: Any, pot: Any) -> int:
    from samskaping.payouts import (  # noqa: PLC0415  (lazy: loaded on use)
        CollectiveRequest,
        decide_collective,
        pot_to_dict,
    )
    from samskaping.report import render_collective  # noqa: PLC0415  (lazy: loaded on use)

    request = read_as(args.request, CollectiveRequest)
    decision, after = decide_collective(policy, request, pot, args.as_of, trace=args.trace)
    if args.format == "json":
        data = decision.to_dict(lang=args.lang, reveal_identifiers=args.reveal_identifiers)
        data["pot_after"] = pot_to_dict(after, args.as_of, policy.payment_type)
        emit_json(data)
    else:
        emit(render_collective(decision, args.lang, policy))
    return EXIT_OK if decision.funded else EXIT_FINDINGS


def _plan(args: argparse.Namespace) -> int:
    from samskaping.payouts import (  # noqa: PLC0415  (lazy: loaded on use)
        Cohort,
        payment_plan,
    )
    from samskaping.report import render_plan  # noqa: PLC0415  (lazy: loaded on use)

    policy = profile_of(args).policy(args.policy)
    cohort = read_as(args.cohort, Cohort)
    plan = payment_plan(policy, cohort, start=args.start, end=args.end, months=args.months)
    if args.format == "json":
        emit_json(plan.to_dict(reveal_identifiers=args.reveal_identifiers))
    else:
        emit(render_plan(plan, args.lang, reveal_identifiers=args.reveal_identifiers))
    return EXIT_OK


def _simulate(args: argparse.Namespace) -> int:
    from samskaping.payouts import (  # noqa: PLC0415  (lazy: loaded on use)
        UnreadColumnsWarning,
        compare,
        load_reform,
        reform,
    )
    from samskaping.report import render_simulation  # noqa: PLC0415  (lazy: loaded on use)

    profile = profile_of(args)
    policies = [profile.policy(name) for name in args.policy]
    for path in args.reform:
        change = load_reform(path)
        policies = [reform(policy, change) for policy in policies]
    as_of = args.as_of or _as_of.today()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnreadColumnsWarning)
        comparison = compare(
            policies,
            args.population,
            as_of,
            engine=args.engine,
            persons=args.persons,
            strict=args.strict,
            passthrough=tuple(args.passthrough),
        )
    for warning in caught:
        sys.stderr.write(f"warning: {warning.message}\n")
    if args.format == "json":
        emit_json(comparison.to_dict())
    else:
        emit("\n\n".join(render_simulation(result, args.lang) for result in comparison.results))
    return EXIT_OK


def _policies(args: argparse.Namespace) -> int:
    from samskaping.payouts import policy_schema  # noqa: PLC0415  (lazy: loaded on use)
    from samskaping.report import render_policy_list  # noqa: PLC0415  (lazy: loaded on use)

    if args.schema:
        emit_json(policy_schema())
        return EXIT_OK
    known = profile_of(args).policies
    names = tuple(sorted(known))
    if args.format == "json":
        emit_json(
            {
                "schema_version": 1,
                "kind": "policies",
                "policies": [
                    {
                        "name": name,
                        "title": known[name].name,
                        "payment_type": known[name].payment_type.value,
                        "version": known[name].version,
                        "source": known[name].source,
                    }
                    for name in names
                ],
            }
        )
    else:
        emit(render_policy_list(names, args.lang, policies=known))
    return EXIT_OK
