"""``samskaping ledger ...``: the decision ledger on the command line.

``DB`` is a file path (SQLite) or a ``postgresql://`` URL. Every command but
``export`` takes ``--format text|json``. Exit codes: 0 done; 1 findings (``verify``:
the ledger was tampered with; ``decide``: a request was rejected; ``collective``: no
proposal was funded); 2 bad input (a
file that cannot be read, an unknown decision, a refused approval).
"""

from __future__ import annotations

import argparse
import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from samskaping._cli._as_of import add_as_of_argument
from samskaping._cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    add_format_argument,
    emit,
    emit_json,
    read_as,
    read_data,
)
from samskaping._errors import InvalidInputError

__all__ = ["register"]


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date (YYYY-MM-DD), got {text[:20]!r}"
        ) from None


def _common(parser: argparse.ArgumentParser, *, pot: bool = False) -> None:
    parser.add_argument("db", metavar="DB", help="a SQLite file or a postgresql:// URL")
    add_format_argument(parser, ("text", "json"), "text")
    if pot:
        parser.add_argument("--pot", metavar="POT", help="the pot (needed if there are several)")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:  # noqa: PLR0915
    """Add the ``ledger`` command."""
    parser = subparsers.add_parser(
        "ledger", help="record decisions, approvals and payments in a tamper-evident ledger"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    init = actions.add_parser("init", help="create a ledger, register a policy, open its pot")
    _common(init)
    init.add_argument("--policy", required=True, metavar="NAME|FILE", help="a policy")
    init.add_argument("--pot", metavar="FILE", help="a pot (.toml/.json); default: the policy's")
    init.add_argument("--actor", default="samskaping", metavar="NAME", help="who does it")
    init.set_defaults(run=_init)

    decide = actions.add_parser("decide", help="decide requests and record them")
    _common(decide, pot=True)
    decide.add_argument("--request", required=True, metavar="FILE", help="one or many requests")
    add_as_of_argument(decide, document=False, parse=_date)
    decide.add_argument("--actor", required=True, metavar="NAME", help="who decides")
    decide.set_defaults(run=_decide)

    collective = actions.add_parser(
        "collective", help="record a group's decision on its proposals (kollektiv utbetaling)"
    )
    _common(collective, pot=True)
    collective.add_argument(
        "--request", required=True, metavar="FILE", help="the group's collective request"
    )
    collective.add_argument(
        "--policy", metavar="ID", help="a registered collective policy; default: the pot's"
    )
    add_as_of_argument(collective, document=False, parse=_date)
    collective.add_argument("--actor", required=True, metavar="NAME", help="who records it")
    collective.set_defaults(run=_collective)

    approve = actions.add_parser("approve", help="sign a decision pending approval")
    _common(approve)
    approve.add_argument("decision_id", metavar="DECISION_ID")
    approve.add_argument("--actor", required=True, metavar="NAME")
    approve.add_argument(
        "--dual-mandate", action="store_true", help="the approver holds the social-assistance"
        " mandate for the household (refused, 002:1739-1741)",
    )  # fmt: skip
    approve.set_defaults(run=_approve)

    reject = actions.add_parser("reject", help="reject a decision pending approval")
    _common(reject)
    reject.add_argument("decision_id", metavar="DECISION_ID")
    reject.add_argument("--actor", required=True, metavar="NAME")
    reject.add_argument("--reason", required=True, metavar="TEXT")
    reject.set_defaults(run=_reject)

    reverse = actions.add_parser("reverse", help="correct a decision or payment by a new entry")
    _common(reverse)
    reverse.add_argument("entry_id", type=int, metavar="ENTRY_ID")
    reverse.add_argument("--actor", required=True, metavar="NAME")
    reverse.add_argument("--reason", required=True, metavar="TEXT")
    reverse.set_defaults(run=_reverse)

    pot = actions.add_parser("pot", help="pot balances")
    _common(pot, pot=True)
    pot.set_defaults(run=_pot)

    history = actions.add_parser("history", help="entries, or one household's history")
    _common(history, pot=True)
    history.add_argument("--household", metavar="REF", help="the household's reference")
    history.add_argument(
        "--reveal-identifiers", action="store_true", help="show the household's reference"
    )
    history.set_defaults(run=_history)

    verify = actions.add_parser("verify", help="check the hash chain and every projection")
    _common(verify)
    verify.add_argument("--head", metavar="HASH", help="a head kept elsewhere")
    verify.set_defaults(run=_verify)

    head = actions.add_parser("head", help="the hash of the latest entry")
    _common(head)
    head.set_defaults(run=_head)

    export = actions.add_parser("export", help="every entry, for auditors and researchers")
    export.add_argument("db", metavar="DB", help="a SQLite file or a postgresql:// URL")
    export.add_argument("--format", choices=("jsonl", "csv", "parquet"), default="jsonl")
    export.add_argument("-o", "--output", required=True, metavar="OUT")
    export.set_defaults(run=_export)

    forget = actions.add_parser("forget", help="erase a household's key and personal data")
    _common(forget)
    forget.add_argument("--household", required=True, metavar="REF")
    forget.add_argument("--actor", required=True, metavar="NAME")
    forget.add_argument("--reason", metavar="TEXT", help="why (needed with --force)")
    forget.add_argument(
        "--force", action="store_true", help="forget before the retention period has passed"
    )
    forget.set_defaults(run=_forget)


def _open(args: argparse.Namespace, *, create: bool = False) -> Any:

    from samskaping.ledger import open_ledger  # noqa: PLC0415  (lazy: loaded on use)

    url = args.db.startswith(("postgresql://", "postgres://"))
    if not url and not create and not Path(args.db).is_file():
        raise InvalidInputError(f"no ledger at {args.db!r}: create one with `ledger init`")
    return open_ledger(args.db)


def _pot_id(args: argparse.Namespace, ledger: Any) -> str:
    if args.pot:
        return str(args.pot)
    pots = ledger.pots()
    if len(pots) != 1:
        raise InvalidInputError("the ledger has several pots (or none): choose one with --pot")
    return str(pots[0].pot_id)


def _init(args: argparse.Namespace) -> int:
    from samskaping.model import Pot  # noqa: PLC0415  (lazy: loaded on use)
    from samskaping.payouts import load_policy  # noqa: PLC0415  (lazy: loaded on use)

    policy = load_policy(args.policy)
    text, fmt, source = _policy_text(args.policy)
    pot = read_as(args.pot, Pot) if args.pot else None
    with _open(args, create=True) as ledger:
        registered = ledger.register_policy(text, format=fmt, source=source, actor=args.actor)
        opened = ledger.open_pot(pot, policy_id=policy.id, actor=args.actor)
        state = ledger.pot_state(opened.pot_id)
    if args.format == "json":
        emit_json({"policy": registered.payload["hash"], "pot": state.to_dict()})
    else:
        emit(f"policy {policy.id} {policy.version or ''} sha256:{registered.payload['hash']}")
        emit(f"pot {state.pot_id}: {state.total.amount} kr available")
    return EXIT_OK


def _policy_text(name_or_path: str) -> tuple[str, Any, str]:
    """The exact text of a policy file, or of a built-in policy: what the ledger records."""
    from samskaping.io import format_of, read_text  # noqa: PLC0415  (lazy: loaded on use)
    from samskaping.payouts import builtin_policy_names  # noqa: PLC0415  (lazy: loaded on use)

    if name_or_path in builtin_policy_names():
        file = resources.files("samskaping") / "data" / "policies" / f"{name_or_path}.toml"
        return file.read_text(encoding="utf-8"), "toml", f"{name_or_path}.toml"
    path = Path(name_or_path)
    return read_text(path), format_of(path, "toml"), path.name


def _decision_line(recorded: Any) -> str:
    return (
        f"{recorded.decision_id}: {recorded.status.value} {recorded.amount.amount} kr"
        f" (entry {recorded.seq}, signed {len(recorded.signers)}/{recorded.needed})"
    )


def _decide(args: argparse.Namespace) -> int:
    from samskaping.io import structure  # noqa: PLC0415  (lazy: loaded on use)
    from samskaping.payouts import Request, RequestBatch  # noqa: PLC0415  (lazy: loaded on use)

    data = read_data(args.request)  # one file: a request, or a batch under `requests`
    source = Path(args.request).name
    if "requests" in data:
        requests: list[Request] = list(structure(data, RequestBatch, source=source).requests)
    else:
        requests = [structure(data, Request, source=source)]
    with _open(args) as ledger:
        pot_id = _pot_id(args, ledger)
        recorded = ledger.decide_many(requests, pot_id=pot_id, as_of=args.as_of, actor=args.actor)
    if args.format == "json":
        emit_json({"decisions": [_short(r) for r in recorded]})
    else:
        for item in recorded:
            emit(_decision_line(item))
    rejected = any(r.outcome == "rejected" for r in recorded)
    return EXIT_FINDINGS if rejected else EXIT_OK


def _collective(args: argparse.Namespace) -> int:
    from samskaping.payouts import CollectiveRequest  # noqa: PLC0415  (lazy: loaded on use)

    request = read_as(args.request, CollectiveRequest)
    with _open(args) as ledger:
        pot_id = _pot_id(args, ledger)
        recorded = ledger.decide_collective(
            request, pot_id=pot_id, policy_id=args.policy, as_of=args.as_of, actor=args.actor
        )
    if args.format == "json":
        emit_json(_short(recorded))
    else:
        emit(
            f"{recorded.decision_id}: {recorded.status.value} {recorded.funded.amount} kr"
            f" of {recorded.budget.amount} kr (entry {recorded.seq})"
        )
        for outcome in recorded.record["outcome"]["outcomes"]:
            emit(f"  {outcome['proposal']}: {outcome['status']} {outcome['amount']} kr")
    return EXIT_FINDINGS if recorded.status.value == "rejected" else EXIT_OK


def _short(recorded: Any) -> dict[str, Any]:
    data: dict[str, Any] = recorded.to_dict()
    data.pop("record")
    return data


def _show_decision(args: argparse.Namespace, recorded: Any) -> int:
    if args.format == "json":
        emit_json(_short(recorded))
    else:
        emit(_decision_line(recorded))
    return EXIT_OK


def _approve(args: argparse.Namespace) -> int:
    with _open(args) as ledger:
        recorded = ledger.approve(
            args.decision_id, actor=args.actor, dual_mandate=args.dual_mandate
        )
    return _show_decision(args, recorded)


def _reject(args: argparse.Namespace) -> int:
    with _open(args) as ledger:
        recorded = ledger.reject(args.decision_id, actor=args.actor, reason=args.reason)
    return _show_decision(args, recorded)


def _reverse(args: argparse.Namespace) -> int:
    with _open(args) as ledger:
        entry = ledger.reverse(args.entry_id, actor=args.actor, reason=args.reason)
    if args.format == "json":
        emit_json(entry.to_dict())
    else:
        emit(f"entry {entry.seq}: reversal of entry {args.entry_id}")
    return EXIT_OK


def _pot(args: argparse.Namespace) -> int:
    with _open(args) as ledger:
        states = [ledger.pot_state(args.pot)] if args.pot else list(ledger.pots())
    if args.format == "json":
        emit_json({"pots": [s.to_dict() for s in states]})
    else:
        for state in states:
            emit(
                f"{state.pot_id}: total {state.total.amount}, committed {state.committed.amount}"
                f" (reserved {state.reserved.amount}), disbursed {state.disbursed.amount},"
                f" available {state.available.amount} kr; {state.decisions} decisions"
            )
    return EXIT_OK


def _history(args: argparse.Namespace) -> int:
    with _open(args) as ledger:
        if args.household:
            history = ledger.history(args.household, reveal_identifiers=args.reveal_identifiers)
            entries = history.entries
        else:
            history = None
            entries = tuple(ledger.entries(pot_id=args.pot))
    if args.pot:
        entries = tuple(e for e in entries if e.pot_id == args.pot)
    if args.format == "json":
        if history is not None:
            data = history.to_dict()
            data["entries"] = [e.to_dict() for e in entries]
            emit_json(data)
        else:
            emit_json({"entries": [e.to_dict() for e in entries]})
        return EXIT_OK
    if history is not None:
        who = history.ref if history.ref is not None else history.household
        received = ", ".join(f"{p}: {m.amount} kr" for p, m in history.received.items())
        emit(f"{who}: received {received or '0 kr'}")
    for entry in entries:
        what = entry.payload.get("decision_id") or entry.payload.get("pot_id") or ""
        emit(f"{entry.seq:>6} {entry.at:%Y-%m-%d %H:%M:%S}Z {entry.kind.value:<20} {what}"
             f" ({entry.actor})")  # fmt: skip
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    with _open(args) as ledger:
        report = ledger.verify(head=args.head)
    if args.format == "json":
        emit_json(report.to_dict())
    elif report.ok:
        emit(f"ok: {report.entries} entries, head {report.head}")
    else:
        emit(f"TAMPERED: {report.problem}")
    return EXIT_OK if report.ok else EXIT_FINDINGS


def _head(args: argparse.Namespace) -> int:
    with _open(args) as ledger:
        head = ledger.head()
    if args.format == "json":
        emit_json({"head": head})
    else:
        emit(head)
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    with _open(args) as ledger:
        count = ledger.export(args.output, format=args.format)
    emit(f"{count} entries written to {args.output}")
    return EXIT_OK


def _forget(args: argparse.Namespace) -> int:
    with _open(args) as ledger:
        entry = ledger.forget(
            args.household, actor=args.actor, reason=args.reason, force=args.force
        )
    if args.format == "json":
        emit_json(entry.to_dict())
    else:
        emit(f"entry {entry.seq}: household {entry.household} forgotten")
    return EXIT_OK
