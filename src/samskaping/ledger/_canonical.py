"""Canonical JSON and the hash chain.

The canonical form of a value is JSON with sorted keys, no spaces, UTF-8 text,
decimals as exact strings and dates as ISO dates: the same value always gives the
same bytes, on every machine and in every version of this library.
"""

from __future__ import annotations

import datetime
import enum
import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from samskaping._money import Money

__all__ = ["GENESIS", "canonical", "chain_hash", "digest", "text_json", "utc_text"]

#: The hash before the first entry.
GENESIS: Final = "0" * 64


def _default(value: Any) -> Any:
    if isinstance(value, Money):
        return str(value.amount)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime.datetime):
        return utc_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, tuple | frozenset | set):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as canonical JSON")


# One encoder, made once: ``json.dumps`` with these options builds a new one per call,
# which cost as much as encoding a small payload. The output is byte for byte the same.
_ENCODE: Final = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
).encode
_TEXT: Final = json.JSONEncoder(ensure_ascii=False).encode


def canonical(value: Any) -> str:
    """The canonical JSON text of a value."""
    return _ENCODE(value)


def text_json(value: str | None) -> str:
    """A string (or ``None``) as canonical JSON, ``json.dumps(value, ensure_ascii=False)``."""
    return "null" if value is None else _TEXT(value)


def digest(text: str | bytes) -> str:
    """The SHA-256 of text (UTF-8) or bytes, as 64 hex digits."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def chain_hash(previous: str, entry_text: str) -> str:
    """``SHA-256(previous hash ‖ canonical entry)``: the previous hash's bytes, then the entry."""
    return hashlib.sha256(bytes.fromhex(previous) + entry_text.encode("utf-8")).hexdigest()


def utc_text(moment: datetime.datetime) -> str:
    """A moment as ISO 8601 UTC with microseconds and a ``Z``, so text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("expected an aware datetime")
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
