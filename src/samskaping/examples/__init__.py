"""The embedded example documents, built from the source reports (DOMAIN §10).

Every figure in them carries a ``source`` reference (file and line of the report);
where a report gives no figure, a ``note`` says so instead of inventing one.

>>> "innbyggerbasen" in names()
True
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from samskaping._errors import UnknownNameError
from samskaping.io import Format, dumps, load_data, parse
from samskaping.model import Document

__all__ = ["example_text", "load_example", "names", "source_text"]


def _folder() -> Traversable:
    return resources.files("samskaping") / "data" / "examples"


def names() -> tuple[str, ...]:
    """The names of the embedded examples, sorted."""
    return tuple(
        sorted(
            entry.name.removesuffix(".toml")
            for entry in _folder().iterdir()
            if entry.name.endswith(".toml")
        )
    )


def source_text(name: str) -> str:
    """The TOML source of an embedded example, as shipped.

    Raises:
        UnknownNameError: If there is no example of that name.
    """
    if name not in names():
        raise UnknownNameError("example", name, names())
    return (_folder() / f"{name}.toml").read_text(encoding="utf-8")


@cache
def load_example(name: str) -> Document:
    """Load an embedded example by name, e.g. ``innbyggerbasen``.

    Raises:
        UnknownNameError: If there is no example of that name.
    """
    return load_data(
        parse(source_text(name), "toml", source=f"{name}.toml"), Document, source=f"{name}.toml"
    )


def example_text(name: str, format: Format = "toml") -> str:
    """An embedded example written out in ``format`` from its loaded value."""
    return dumps(load_example(name), format)
