"""``samskaping schema``: the JSON Schema of the document format."""

from __future__ import annotations

import argparse

from samskaping._cli._common import EXIT_OK, emit_json

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``schema`` command."""
    parser = subparsers.add_parser("schema", help="print the JSON Schema of the document format")
    parser.set_defaults(run=_run)


def _run(_args: argparse.Namespace) -> int:
    from samskaping.io import document_schema  # noqa: PLC0415  (lazy: loaded on use)

    emit_json(document_schema())
    return EXIT_OK
