"""``samskaping phase-models list|show NAME``."""

from __future__ import annotations

import argparse

from samskaping._cli._common import (
    EXIT_OK,
    add_lang_argument,
    add_profile_argument,
    emit,
    profile_of,
)
from samskaping._errors import UnknownNameError

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``phase-models`` command."""
    parser = subparsers.add_parser(
        "phase-models",
        help="list the built-in phase models, or show one's keys, gates and documents",
        description="The built-in phase models: the phase keys to write in a document, "
        "the gates that close them and the documents each gate asks for.",
        epilog="examples:\n  samskaping phase-models list\n"
        "  samskaping phase-models show prosjektveiviseren --lang en",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list the built-in phase models")
    add_lang_argument(listing)
    add_profile_argument(listing)
    listing.set_defaults(run=_list)
    show = actions.add_parser("show", help="show a phase model's keys, gates and documents")
    show.add_argument("name", metavar="NAME")
    add_lang_argument(show)
    add_profile_argument(show)
    show.set_defaults(run=_show)


def _list(args: argparse.Namespace) -> int:
    models = profile_of(args).phase_models
    for name in sorted(models):
        emit(f"{name:<22} {models[name].name.get(args.lang)}")
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    from samskaping.phases import describe_phase_model  # noqa: PLC0415  (lazy: loaded on use)

    models = profile_of(args).phase_models
    if args.name not in models:
        raise UnknownNameError("phase model", args.name, tuple(sorted(models)))
    emit(describe_phase_model(models[args.name], args.lang))
    return EXIT_OK
