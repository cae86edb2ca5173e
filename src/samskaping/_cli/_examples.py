"""``samskaping examples list|show``."""

from __future__ import annotations

import argparse

from samskaping._cli._common import EXIT_OK, add_format_argument, emit

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``examples`` command."""
    parser = subparsers.add_parser("examples", help="list or show the embedded example documents")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list the embedded examples")
    listing.set_defaults(run=_list)
    show = actions.add_parser("show", help="print an embedded example")
    show.add_argument("name", metavar="NAME")
    add_format_argument(show, ("toml", "json"), "toml")
    show.set_defaults(run=_show)


def _list(_args: argparse.Namespace) -> int:
    from samskaping.examples import load_example, names  # noqa: PLC0415  (lazy: loaded on use)

    for name in names():
        document = load_example(name)
        emit(f"{name:<22} {document.name}")
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    from samskaping.examples import example_text, source_text  # noqa: PLC0415  (lazy: loaded on use)

    emit(source_text(args.name) if args.format == "toml" else example_text(args.name, "json"))
    return EXIT_OK
