"""The one cattrs converter of the library, and the translation of its errors.

Modelled on cattrs' preconf modules: scalar hooks first (str, int, bool, Decimal,
dates, :class:`~samskaping.Money`, enums), then collections, then the document union.
Every hook is strict: a number is never silently turned into a string, a string is
never a list of characters, and a float is never money. Unknown keys are errors
(``forbid_extra_keys``), so a typo in a file is reported, not ignored.
"""

from __future__ import annotations

import contextlib
import datetime
import difflib
import heapq
import re
import sys
import types
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from enum import Enum, StrEnum
from functools import cache
from typing import (
    TYPE_CHECKING,
    Any,
    Final,
    Literal,
    Protocol,
    TypeVar,
    Union,
    get_args,
    get_origin,
    get_type_hints,
)

import attrs

from samskaping._errors import DocumentError, InvalidInputError, Problem, describe
from samskaping._money import MAX_AMOUNT, Money, parse_amount
from samskaping.l10n import LabelRef, Lang, LocalText, Message, Percent, check_lang
from samskaping.model import Document, Programme, Project

__all__ = [
    "MAX_PROBLEMS",
    "ResultHooks",
    "default_converter",
    "make_converter",
    "register_result_hooks",
    "result_converter",
    "result_json",
    "structure",
    "unstructure",
]

if TYPE_CHECKING:
    from cattrs import Converter

# cattrs is imported where it is used, so that `import samskaping` stays fast.

T = TypeVar("T")

#: At most this many problems are listed in one error; the rest are counted.
MAX_PROBLEMS: Final = 200
_MAX_NUMBER: Final = MAX_AMOUNT
_MAX_DIGITS: Final = len(str(MAX_AMOUNT))
_ISO_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _fail(expected: str, value: object) -> InvalidInputError:
    return InvalidInputError(f"expected {expected}, got {describe(value)}", value=describe(value))


# --- scalar hooks ------------------------------------------------------------------------


def _structure_str(value: object, _type: object) -> str:
    if not isinstance(value, str):
        raise _fail("text", value)
    return value


def _structure_int(value: object, _type: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if (
            isinstance(value, Decimal)
            and value.is_finite()
            # A huge exponent is refused before int() builds a number of a billion digits.
            and value.adjusted() <= _MAX_DIGITS
            and value == value.to_integral_value()
        ):
            value = int(value)
        elif isinstance(value, Decimal) and value.is_finite() and value.adjusted() > _MAX_DIGITS:
            raise _fail(f"a whole number of at most {_MAX_NUMBER:,} in absolute value", value)
        else:
            raise _fail("a whole number", value)
    if abs(value) > _MAX_NUMBER:
        raise _fail(f"a whole number of at most {_MAX_NUMBER:,} in absolute value", value)
    return value


def _structure_bool(value: object, _type: object) -> bool:
    if not isinstance(value, bool):
        raise _fail("true or false", value)
    return value


def _structure_decimal(value: object, _type: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise _fail("a number", value)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise _fail("a number", value) from None
    if not number.is_finite():
        raise _fail("a finite number", value)
    if number.copy_abs() > _MAX_NUMBER:  # copy_abs: no context, so no Overflow
        raise _fail(f"a number of at most {_MAX_NUMBER:,} in absolute value", value)
    return number


def _structure_money(value: object, _type: object) -> Money:
    return Money(parse_amount(value))


def _structure_date(value: object, _type: object) -> datetime.date:
    if isinstance(value, datetime.datetime):
        raise _fail("a date (YYYY-MM-DD) without a time", value)
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):  # YYYY-MM-DD, not 2024-W01-1
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail("a date (YYYY-MM-DD)", value)


def _is_enum(type_: object) -> bool:
    return isinstance(type_, type) and issubclass(type_, Enum)


def _structure_enum(value: object, type_: type[Enum]) -> Enum:
    try:
        return type_(value)
    except ValueError:
        allowed = ", ".join(repr(member.value) for member in type_)
        raise _fail(f"one of {allowed}", value) from None


def _is_literal(type_: object) -> bool:
    return get_origin(type_) is Literal


def _structure_literal(value: object, type_: object) -> object:
    allowed = get_args(type_)
    if value not in allowed or isinstance(value, bool) != isinstance(allowed[0], bool):
        raise _fail(" or ".join(repr(a) for a in allowed), value)
    return value


# --- collections -------------------------------------------------------------------------


def _is_homogeneous_tuple(type_: object) -> bool:
    args = get_args(type_)
    return get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis  # noqa: PLR2004


def _tuple_hook_factory(
    type_: Any, converter: Converter
) -> Callable[[object, object], tuple[Any, ...]]:
    from cattrs.errors import IterableValidationError, IterableValidationNote  # noqa: PLC0415  (lazy: cattrs)

    (item_type, _) = get_args(type_)
    item_hook = converter.get_structure_hook(item_type)

    def structure_tuple(value: object, _type: object) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple):
            raise _fail("a list", value)
        out: list[Any] = []
        errors: list[Exception] = []
        for index, item in enumerate(value):
            try:
                out.append(item_hook(item, item_type))
            except Exception as exc:  # noqa: BLE001  (collected and reported with paths)
                exc.__notes__ = [
                    *getattr(exc, "__notes__", []),
                    IterableValidationNote(f"Structuring item @ index {index}", index, item_type),
                ]
                errors.append(exc)
        if errors:
            raise IterableValidationError("While structuring a list", errors, tuple)
        return tuple(out)

    return structure_tuple


def _is_attrs(type_: object) -> bool:
    return isinstance(type_, type) and attrs.has(type_)


def _attrs_hook_factory(
    type_: Any, converter: Converter, *, detailed: bool = True
) -> Callable[[object, object], Any]:
    from cattrs.gen import make_dict_structure_fn  # noqa: PLC0415  (lazy: cattrs)

    inner = make_dict_structure_fn(
        type_, converter, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=detailed
    )

    def structure_attrs(value: object, _type: object) -> Any:
        if not isinstance(value, Mapping):
            raise _fail("a table (keys and values)", value)
        if not detailed:
            return inner(value, type_)
        from cattrs.errors import ClassValidationError  # noqa: PLC0415  (lazy: cattrs)

        try:
            return inner(value, type_)
        except ClassValidationError as exc:
            more = _other_field_checks(type_, value, converter, exc)
            if not more:
                raise
            raise ClassValidationError(exc.message, [*exc.exceptions, *more], type_) from None

    return structure_attrs


def _other_field_checks(
    type_: Any, value: Mapping[str, object], converter: Converter, exc: Any
) -> list[Exception]:
    """The field validators that never ran because another field of the class failed.

    attrs runs validators in ``__init__``, which is not called when a field cannot be
    read, and stops at the first validator that fails. So that one error lists every
    problem, each field that did read is checked here on its own.
    """
    with_notes, without = exc.group_exceptions()
    failed = {note.name for _, note in with_notes}
    failed.update(e.what for e in without if isinstance(e, InvalidInputError) and e.what)
    hints = _hints(type_)
    found: list[Exception] = []
    for field in attrs.fields(type_):
        if field.validator is None or field.name in failed or field.name not in value:
            continue
        try:
            structured = converter.structure(value[field.name], hints[field.name])
            field.validator(None, field, structured)
        except InvalidInputError as problem:
            found.append(problem)
        except Exception:  # noqa: BLE001, S112  (reported elsewhere, or needs the whole instance)
            continue
    return found


@cache
def _hints(type_: Any) -> dict[str, Any]:
    return get_type_hints(type_)


def _unstructure_attrs_factory(type_: Any, converter: Converter) -> Callable[[Any], dict[str, Any]]:
    from cattrs.gen import make_dict_unstructure_fn, override  # noqa: PLC0415  (lazy: cattrs)

    # A literal ``kind`` tags the document union, so it is written even at its default.
    keep: dict[str, Any] = {
        field.name: override(omit_if_default=False)
        for field in attrs.fields(type_)
        if field.name == "kind"
    }
    return make_dict_unstructure_fn(type_, converter, _cattrs_omit_if_default=True, **keep)


# --- message parameters ------------------------------------------------------------------
#
# A message's parameters are typed values (amounts, dates, enum members, label references,
# texts in three languages, percentages). As data each is a table with its type, so that
# a message reads back equal.


def _param_out(value: object) -> dict[str, Any]:
    if value is None:
        return {"type": "none"}
    if isinstance(value, Enum):
        kind = type(value)
        return {"type": "enum", "enum": f"{kind.__module__}:{kind.__qualname__}",
                "value": value.value}  # fmt: skip
    if isinstance(value, bool):
        return {"type": "bool", "value": value}
    if isinstance(value, int):
        return {"type": "int", "value": value}
    if isinstance(value, Money):
        return {"type": "money", "value": str(value.amount)}
    if isinstance(value, Decimal):
        return {"type": "decimal", "value": str(value)}
    if isinstance(value, datetime.date):
        return {"type": "date", "value": value.isoformat()}
    if isinstance(value, Percent):
        return {"type": "percent", "value": str(value.value)}
    if isinstance(value, LocalText):
        return {"type": "local", "value": {"nb": value.nb, "nn": value.nn, "en": value.en}}
    if isinstance(value, LabelRef):
        return {"type": "label", "value": value.key}
    if isinstance(value, tuple | list):
        return {"type": "list", "value": [_param_out(item) for item in value]}
    return {"type": "str", "value": str(value)}


def _enum_named(name: object) -> type[Enum]:
    """An enum class of samskaping by ``module:qualname``; only from modules already loaded."""
    module_name, _, qualname = str(name).partition(":")
    module = sys.modules.get(module_name) if module_name.startswith("samskaping.") else None
    found = getattr(module, qualname, None) if module is not None and "." not in qualname else None
    if not (isinstance(found, type) and issubclass(found, Enum)):
        raise InvalidInputError(f"unknown enum {describe(name)}", what="enum")
    return found


def _param_in(data: object, converter: Converter) -> object:
    if not isinstance(data, Mapping):
        raise _fail("a table with a type and a value", data)
    kind, value = data.get("type"), data.get("value")
    if kind == "none":
        return None
    if kind == "enum":
        return converter.structure(value, _enum_named(data.get("enum")))
    if kind == "list":
        if not isinstance(value, list):
            raise _fail("a list", value)
        return tuple(_param_in(item, converter) for item in value)
    if kind == "percent":
        return Percent(_structure_decimal(value, Decimal))
    if kind == "label":
        return LabelRef(_structure_str(value, str))
    simple: dict[object, Any] = {
        "bool": bool,
        "int": int,
        "str": str,
        "money": Money,
        "decimal": Decimal,
        "date": datetime.date,
        "local": LocalText,
    }
    if kind not in simple:
        raise _fail("a parameter type", kind)
    return converter.structure(value, simple[kind])


def _is_message(type_: object) -> bool:
    return isinstance(type_, type) and issubclass(type_, Message) and attrs.has(type_)


def _message_unstructure(type_: Any, converter: Converter) -> Callable[[Any], dict[str, Any]]:
    from cattrs.gen import make_dict_unstructure_fn, override  # noqa: PLC0415  (lazy: as above)

    def params(value: tuple[tuple[str, object], ...]) -> list[dict[str, Any]]:
        return [{"name": name, **_param_out(item)} for name, item in value]

    return make_dict_unstructure_fn(
        type_, converter, _cattrs_omit_if_default=True, params=override(unstruct_hook=params)
    )


def _message_structure(type_: Any, converter: Converter) -> Callable[[object, object], Any]:
    def structure_message(value: object, _type: object) -> Any:
        if not isinstance(value, Mapping):
            raise _fail("a table (keys and values)", value)
        found = value.get("params", [])
        if not isinstance(found, list):
            raise _fail("a list of parameters", found)
        items = tuple(
            (_structure_str(item.get("name"), str), _param_in(item, converter))
            if isinstance(item, Mapping)
            else (_structure_str(item, str), None)
            for item in found
        )
        rest = {k: v for k, v in value.items() if k != "params"}
        fields = {f.name for f in attrs.fields(type_)} - {"params"}
        extra = set(rest) - fields
        if extra:
            raise InvalidInputError(f"unknown keys {sorted(extra)}", what="params")
        hints = _hints(type_)
        kwargs = {k: converter.structure(v, hints[k]) for k, v in rest.items()}
        return type_(params=items, **kwargs)

    return structure_message


def make_converter(*, detailed: bool = True) -> Converter:
    """Build the library's cattrs converter.

    The converter structures documents strictly (see the module docs) and
    unstructures them to plain data: dicts, lists, strings, integers, booleans,
    :class:`~decimal.Decimal` and :class:`~datetime.date`. Defaults are left out, so
    a dumped document holds only what differs from them.

    With ``detailed=False`` it accepts and refuses exactly the same input but stops
    at the first problem; :func:`structure` uses that first, because its generated
    code is smaller and quicker to build, and falls back to the detailed converter
    to list every problem when there is one.
    """
    from cattrs import Converter  # noqa: PLC0415  (lazy: cattrs)

    converter = Converter(forbid_extra_keys=True, detailed_validation=detailed)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_structure_hook(datetime.date, _structure_date)
    converter.register_structure_hook(Money, _structure_money)
    # A StrEnum is a str: register it by class so that it does not take the str hook.
    converter.register_structure_hook(StrEnum, _structure_enum)
    converter.register_unstructure_hook(Money, lambda money: money.amount)
    converter.register_unstructure_hook(Decimal, lambda number: number)
    converter.register_unstructure_hook(datetime.date, lambda day: day)
    converter.register_structure_hook_func(_is_enum, _structure_enum)
    converter.register_unstructure_hook_func(_is_enum, lambda member: member.value)
    converter.register_structure_hook_func(_is_literal, _structure_literal)
    converter.register_structure_hook_factory(_is_homogeneous_tuple, _tuple_hook_factory)
    converter.register_structure_hook_factory(
        _is_attrs, lambda type_, conv: _attrs_hook_factory(type_, conv, detailed=detailed)
    )
    converter.register_unstructure_hook_factory(_is_attrs, _unstructure_attrs_factory)
    converter.register_unstructure_hook_factory(_is_message, _message_unstructure)
    converter.register_structure_hook_factory(_is_message, _message_structure)

    def structure_document(value: object, _type: object) -> Document:
        if not isinstance(value, Mapping):
            raise _fail("a table (keys and values)", value)
        kind = value.get("kind", "project")
        if kind == "programme":
            return converter.structure(value, Programme)
        if kind == "project":
            return converter.structure(value, Project)
        raise InvalidInputError(
            f"expected 'project' or 'programme', got {describe(kind)}", what="kind"
        )

    converter.register_structure_hook_func(lambda t: t == Document, structure_document)
    return converter


@cache
def default_converter() -> Converter:
    """The shared converter, built once on first use."""
    return make_converter()


@cache
def _quick_converter() -> Converter:
    return make_converter(detailed=False)


def structure(data: object, type_: type[T] | Any, *, source: str | None = None) -> T:
    """Turn plain data into a value of ``type_``, or raise one error listing every problem.

    Raises:
        DocumentError: With each problem's JSON path and what was expected.
    """
    from cattrs.errors import ClassValidationError, IterableValidationError  # noqa: PLC0415  (lazy: cattrs)

    # Any problem at all: the detailed pass below finds and reports every one.
    with contextlib.suppress(Exception):
        quick: T = _quick_converter().structure(data, type_)
        return quick
    try:
        result: T = default_converter().structure(data, type_)
    except (ClassValidationError, IterableValidationError, InvalidInputError) as exc:
        raise DocumentError(_cap(problems_of(exc, "$")), source=source) from None
    except RecursionError:
        raise DocumentError(
            [Problem(path="$", message="the document is nested too deeply")], source=source
        ) from None
    return result


def unstructure(value: object) -> Any:
    """Turn a value into plain data (see :func:`make_converter`)."""
    return default_converter().unstructure(value)


# --- results as JSON ---------------------------------------------------------------------
#
# Results (decisions, plans, simulations, ledger entries, ...) are written as JSON by one
# converter per option, built from make_converter(). Each package registers the hooks of
# its result types with register_result_hooks when it is imported.


class ResultHooks(Protocol):
    """A hook installer: it registers a package's result hooks on a converter.

    It receives the converter, the language of texts (or ``None``) and whether
    identifiers (household references, personal values) are revealed.
    """

    def __call__(self, converter: Converter, lang: Lang | None, reveal: bool, /) -> None:  # noqa: FBT001
        """Register the hooks on ``converter`` for these options."""


_RESULT_HOOKS: list[ResultHooks] = []


def register_result_hooks(install: ResultHooks) -> ResultHooks:
    """Add a package's hooks to every converter :func:`result_converter` builds.

    Use it as a decorator on a function that registers the hooks of the package's result
    types on the converter it is given, for the language and identifier option given.
    """
    _RESULT_HOOKS.append(install)
    result_converter.cache_clear()
    return install


@cache
def result_converter(*, lang: Lang | None = None, reveal_identifiers: bool = False) -> Converter:
    """The converter that writes results as JSON data, and reads a decision back.

    Built once per option from :func:`make_converter` with every package's result hooks
    (:func:`register_result_hooks`). Amounts and decimals are exact strings, dates ISO
    dates; household references and personal values are ``[hidden]`` unless
    ``reveal_identifiers``; with ``lang``, messages carry their ``text``. Every result's
    ``to_dict`` is this converter's ``unstructure``.
    """
    converter = make_converter()
    for install in _RESULT_HOOKS:
        install(converter, lang, reveal_identifiers)
    return converter


def result_json(value: object, *, lang: str | None = None, reveal_identifiers: bool = False) -> Any:
    """A result as JSON data through :func:`result_converter` (what ``to_dict`` returns)."""
    checked = None if lang is None else check_lang(lang)
    converter = result_converter(lang=checked, reveal_identifiers=reveal_identifiers)
    return converter.unstructure(value, type(value))


def _cap(problems: Iterator[Problem | _UnknownKeys]) -> list[Problem]:
    """The first :data:`MAX_PROBLEMS` problems, and a count of the rest.

    The unknown keys of one table come as one group; only the keys shown are sorted out
    of it and searched for a did-you-mean suggestion, so a document of a million unknown
    keys costs little more than reading it.
    """
    shown: list[Problem] = []
    rest = 0
    for item in problems:
        room = MAX_PROBLEMS - len(shown)
        if isinstance(item, _UnknownKeys):
            keys = heapq.nsmallest(room, item.keys) if room else []
            shown.extend(_unknown_key(item.path, key, item.known) for key in keys)
            rest += len(item.keys) - len(keys)
        elif room:
            shown.append(item)
        else:
            rest += 1
    if rest:
        shown.append(Problem(path="$", message=f"... and {rest} more problems"))
    return shown


@attrs.frozen
class _UnknownKeys:
    """The unknown keys of one table, before any is described."""

    path: str
    keys: frozenset[str] | set[str]
    known: tuple[str, ...]


#: An unknown key longer than this is not compared with the known keys.
_MAX_KEY: Final = 100
_MAX_DESCRIBED_KEY: Final = 40


def _unknown_key(path: str, key: str, known: tuple[str, ...]) -> Problem:
    hint = difflib.get_close_matches(key, known, n=1) if len(key) <= _MAX_KEY else []
    suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
    # A long key is cut, so that a message never repeats it whole.
    shown = key if len(key) <= _MAX_DESCRIBED_KEY else key[: _MAX_DESCRIBED_KEY - 3] + "..."
    return Problem(path=f"{path}.{shown}", message=f"unknown key{suggestion}")


def problems_of(exc: BaseException, path: str) -> Iterator[Problem | _UnknownKeys]:
    """The problems an exception raised while structuring describes, with JSON paths."""
    from cattrs.errors import ClassValidationError, IterableValidationError  # noqa: PLC0415  (lazy: cattrs)

    if isinstance(exc, ClassValidationError):
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            yield from _leaf_or_group(sub, f"{path}.{note.name}", attribute=note.name)
        for sub in without:
            yield from _leaf_or_group(sub, path, attribute=None)
    elif isinstance(exc, IterableValidationError):
        with_index, without_index = exc.group_exceptions()
        for sub, index_note in with_index:
            yield from _leaf_or_group(sub, f"{path}[{index_note.index}]", attribute=None)
        for sub in without_index:
            yield from _leaf_or_group(sub, path, attribute=None)
    elif isinstance(exc, BaseExceptionGroup):
        for member in exc.exceptions:
            yield from problems_of(member, path)
    else:
        yield from _leaf_or_group(exc, path, attribute=None)


def _leaf_or_group(
    exc: BaseException, path: str, *, attribute: str | None
) -> Iterator[Problem | _UnknownKeys]:
    from cattrs.errors import ForbiddenExtraKeysError  # noqa: PLC0415  (lazy: cattrs)

    if isinstance(exc, BaseExceptionGroup):
        yield from problems_of(exc, path)
    elif isinstance(exc, ForbiddenExtraKeysError):
        known = tuple(a.name for a in attrs.fields(exc.cl)) if attrs.has(exc.cl) else ()
        yield _UnknownKeys(path, exc.extra_fields, known)
    elif (
        isinstance(exc, KeyError)
        and attribute is not None
        and not isinstance(exc, InvalidInputError)
    ):
        yield Problem(path=path, message="required key is missing")
    elif isinstance(exc, InvalidInputError):
        # A field validator names its field; the path then ends there.
        where = f"{path}.{exc.what}" if exc.what and attribute is None else path
        yield Problem(path=where, message=str(exc))
    elif isinstance(exc, RecursionError):
        yield Problem(path=path, message="nested too deeply")
    else:
        yield Problem(path=path, message=f"invalid value ({type(exc).__name__}: {_short(exc)})")


_MAX_SHORT = 80


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) <= _MAX_SHORT else text[: _MAX_SHORT - 3] + "..."


def type_name(type_: object) -> str:
    """A readable name for a type in messages and schemas."""
    if isinstance(type_, types.UnionType) or get_origin(type_) is Union:
        return " | ".join(type_name(t) for t in get_args(type_))
    return getattr(type_, "__name__", str(type_))
