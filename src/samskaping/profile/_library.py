"""A named set of configuration entries, each read on first use."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Generic, TypeVar

__all__ = ["Library"]

T = TypeVar("T")


class Library(Mapping[str, T], Generic[T]):
    """Entries by name (phase models, policies, instruments, cost profiles).

    Each entry is read the first time it is asked for and then kept by this library, so
    by the profile that holds it: the only cache is the profile's own. Reading a name
    costs nothing until it is used, which keeps a profile cheap to build.
    """

    __slots__ = ("_loaded", "_loaders")

    def __init__(self, loaders: Mapping[str, Callable[[], T]]) -> None:
        self._loaders: dict[str, Callable[[], T]] = dict(loaders)
        self._loaded: dict[str, T] = {}

    @classmethod
    def of(cls, entries: Mapping[str, T]) -> Library[T]:
        """A library of entries already read."""
        library: Library[T] = cls({name: _const(value) for name, value in entries.items()})
        library._loaded.update(entries)
        return library

    def __getitem__(self, name: str) -> T:
        if name not in self._loaded:
            self._loaded[name] = self._loaders[name]()
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaders)

    def __len__(self) -> int:
        return len(self._loaders)

    def __repr__(self) -> str:
        return f"Library({sorted(self._loaders)!r})"

    def merged(self, other: Library[T]) -> Library[T]:
        """This library with ``other``'s entries added or replacing these (by name)."""
        merged: Library[T] = Library({**self._loaders, **other._loaders})
        merged._loaded.update({k: v for k, v in self._loaded.items() if k not in other})
        merged._loaded.update(other._loaded)
        return merged


def _const(value: T) -> Callable[[], T]:
    return lambda: value
