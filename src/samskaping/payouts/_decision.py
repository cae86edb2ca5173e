"""Decisions (*avgjørelser*): what the engine returns for each request.

Every decision is justified and documented, the legal condition for payouts without a
formal administrative decision (*vedtak*) (002:1630-1632): it carries its reasons,
its flags, a documentation record and, on request, a trace of every rule and
parameter used. Decisions hold codes; text is made at the edge, in nb, nn or en.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from enum import StrEnum, unique
from typing import TYPE_CHECKING, Any, ClassVar, Final

import attrs

from samskaping._errors import DocumentError, InvalidInputError, Problem
from samskaping._money import Money
from samskaping._records import Records, plain
from samskaping.io import register_result_hooks, result_converter, result_json
from samskaping.l10n import (
    DEFAULT_LANG,
    Catalogue,
    Lang,
    LocalText,
    Message,
    check_lang,
    default_catalogue,
    format_decimal,
    param_text,
)
from samskaping.model import Basis, PaymentType, basis_of
from samskaping.payouts._policy import ApproverBody
from samskaping.payouts._request import HIDDEN

if TYPE_CHECKING:
    from cattrs import Converter

__all__ = [
    "DECISION_SCHEMA_VERSION",
    "LEGAL_CONDITION_SOURCE",
    "Approvers",
    "Decision",
    "DecisionStatus",
    "DocumentationRecord",
    "Flag",
    "RawStep",
    "Reason",
    "Trace",
    "TraceKind",
    "TraceStep",
    "TraceValue",
    "decision_from_dict",
    "json_value",
    "purpose_text",
    "rule_text",
    "value_text",
]

#: The version of the JSON shape of a decision.
DECISION_SCHEMA_VERSION: Final = 1
#: Where the legal condition (justified and documented) is stated.
LEGAL_CONDITION_SOURCE: Final = "002:1630-1632"

#: A value a trace step, a reason or a flag records: text, a count, yes/no, an amount,
#: a decimal, a date or nothing.
TraceValue = str | int | bool | Money | Decimal | datetime.date | None


def json_value(value: TraceValue) -> str | int | bool | None:
    """A value as JSON: amounts and decimals as exact strings, dates as ISO dates."""
    if isinstance(value, Money):
        return str(value.amount)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def value_type(value: TraceValue) -> str:
    """The type name of a traced value, as written in JSON."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, Money):
        return "money"
    if isinstance(value, int):
        return "int"
    if isinstance(value, Decimal):
        return "decimal"
    if isinstance(value, datetime.date):
        return "date"
    if value is None:
        return "none"
    return "str"


@unique
class DecisionStatus(StrEnum):
    """The outcome of a request (DOMAIN §6)."""

    GRANTED = "granted"
    PARTIAL = "partial"
    REJECTED = "rejected"
    REFERRED = "referred"


@unique
class TraceKind(StrEnum):
    """What a trace step records."""

    PARAMETER = "parameter"
    INPUT = "input"
    DERIVED = "derived"
    POT = "pot"
    PURPOSE = "purpose"
    ELIGIBILITY = "eligibility"
    REFERRAL = "referral"
    AMOUNT = "amount"
    CAP = "cap"
    BAND = "band"
    FLAG = "flag"
    GRANT = "grant"


def _params_dict(params: tuple[tuple[str, TraceValue], ...]) -> dict[str, Any]:
    return {name: json_value(value) for name, value in params}


def _optional(key: str, lang: Lang) -> str | None:
    catalogue = default_catalogue()
    if key in catalogue.texts:
        return catalogue.label(key, lang)
    return None


def _own(labels: Mapping[str, LocalText | str], key: str, lang: Lang) -> str | None:
    found = labels.get(key)
    if found is None:
        return None
    return found if isinstance(found, str) else found.get(lang)


def value_text(value: TraceValue, lang: Lang = DEFAULT_LANG) -> str:
    """A traced value as people read it: amounts and dates localised, booleans as yes/no.

    >>> value_text(True, "en")
    'yes'
    """
    if isinstance(value, bool):
        return default_catalogue().label("payouts.text.yes" if value else "payouts.text.no", lang)
    if isinstance(value, Decimal):
        return format_decimal(value, lang, places=6)
    if isinstance(value, int):
        return format_decimal(value, lang, places=0)
    if value is None:
        return "-"
    return param_text(value, lang)


def purpose_text(
    code: str, lang: Lang = DEFAULT_LANG, labels: Mapping[str, LocalText | str] | None = None
) -> str:
    """The label of a purpose code: the caller's own, else the catalogue's, else the code.

    The caller's own labels are ``purpose:<code>`` in ``labels`` (from a policy).
    """
    return (
        _own(labels or {}, f"purpose:{code}", lang)
        or _optional(f"payouts.purpose.{code}", lang)
        or code
    )


def rule_text(
    name: str | None, lang: Lang = DEFAULT_LANG, labels: Mapping[str, LocalText | str] | None = None
) -> str:
    """How a rule, cap, referral or flag is named in text: its own label, else its id.

    Its own label is ``rule:<id>`` in ``labels`` (from a policy).
    """
    if name is None:
        return "-"
    return _own(labels or {}, f"rule:{name}", lang) or name


@attrs.frozen(kw_only=True)
class _Coded(Message):
    """A code, the rule concerned and values for its text in the label catalogue.

    ``labels`` given to :meth:`text` are a policy's own labels: ``purpose:<code>``,
    ``rule:<id>`` and ``flag:<id>`` (see :func:`samskaping.report.policy_labels`).
    """

    rule: str | None = None
    params: tuple[tuple[str, TraceValue], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data: ``code``, ``rule`` and ``params`` (values as JSON)."""
        return result_json(self)  # type: ignore[no-any-return]

    def show(self, name: str, value: Any, lang: Lang, labels: Mapping[str, LocalText | str]) -> str:
        """A purpose, scheme or reason for an undefined value by its label; others as values."""
        if isinstance(value, str):
            if name == "purpose":
                return purpose_text(value, lang, labels)
            if name == "what":
                kind = dict(self.params).get("kind")
                if kind == "purpose":
                    return purpose_text(value, lang, labels)
                if kind == "rule":
                    return rule_text(value, lang, labels)
                return value
            if name in ("scheme", "why"):
                return _optional(f"payouts.{name}.{value}", lang) or value
        return value_text(value, lang)

    def values(
        self, lang: Lang, labels: Mapping[str, LocalText | str] | None = None
    ) -> dict[str, str]:
        """Every parameter as text, and ``rule``: the rule's name in text."""
        out = super().values(lang, labels)
        out["rule"] = rule_text(self.rule, lang, labels)
        return out


@attrs.frozen(kw_only=True)
class Reason(_Coded):
    r"""Why a decision came out as it did: a code, the rule concerned and values for the text.

    The text is ``payouts.reason.<code>`` in the label catalogue, filled with ``params``.

    >>> Reason(code="granted", params=(("amount", Money(6400)),)).text("en")
    'Granted: NOK 6,400.00.'
    """

    PREFIX: ClassVar[str] = "payouts.reason."


@attrs.frozen(kw_only=True)
class Flag(_Coded):
    """A flag (*merknad*): something to look at, which never blocks a payout (002:1940-1966).

    The text is ``payouts.flag.<code>`` in the label catalogue, filled with ``params``
    (``payouts.flag.<code>_one`` when there was one previous request, if the catalogue has
    it); a policy's own flag with a label (``flag:<code>`` in ``labels``) is that label.
    """

    PREFIX: ClassVar[str] = "payouts.flag."

    def text(
        self,
        lang: str = DEFAULT_LANG,
        *,
        catalogue: Catalogue | None = None,
        labels: Mapping[str, LocalText | str] | None = None,
    ) -> str:
        """The flag in ``lang``; see :meth:`samskaping.l10n.Message.text`."""
        checked = check_lang(lang)
        own = _own(labels or {}, f"flag:{self.code}", checked)
        if own is not None:
            return own
        book = catalogue or default_catalogue()
        if dict(self.params).get("previous") == 1 and f"{self.key}_one" in book.texts:
            return book.message(f"{self.key}_one", checked, **self.values(checked, labels))
        return super().text(checked, catalogue=book, labels=labels)


@attrs.frozen(kw_only=True)
class Approvers:
    """Who must approve a payout: the band it falls in (002:1709-1711)."""

    band: str
    body: ApproverBody
    people: int
    source: str | None = None
    basis: Basis = Basis.SOURCE

    def to_dict(self) -> dict[str, Any]:
        """The approvers as JSON-ready data."""
        return result_json(self)  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True)
class TraceStep:
    """One rule, parameter or input the engine used, with its value and source."""

    kind: TraceKind
    name: str
    value: TraceValue
    source: str | None = None
    detail: str | None = None
    #: Whether the value is personal data (an input declared ``personal``, or a value
    #: derived from one): hidden in output unless identifiers are revealed.
    personal: bool = False
    basis: Basis | None = None

    @property
    def provenance(self) -> Basis | None:
        """Where the value comes from: the source, a design default, or computed.

        Inputs (the request's own values) have none; derived values and grants are
        computed; a rule, parameter or band with no source is a design default.
        """
        if self.basis is not None:
            return self.basis
        if self.kind in _NO_BASIS:
            return None
        if self.kind in _COMPUTED:
            return Basis.COMPUTED
        return basis_of(self.source)

    def to_dict(self, *, reveal_identifiers: bool = False) -> dict[str, Any]:
        """The step as JSON-ready data; the keys and their order are stable.

        A personal value is shown as ``[hidden]`` unless ``reveal_identifiers``.
        """
        return result_json(self, reveal_identifiers=reveal_identifiers)  # type: ignore[no-any-return]


#: Steps that record the request's own values: they have no basis to show.
_NO_BASIS: Final = frozenset({TraceKind.INPUT, TraceKind.PURPOSE})
#: Steps whose value the library works out.
_COMPUTED: Final = frozenset(
    {TraceKind.DERIVED, TraceKind.GRANT, TraceKind.POT, TraceKind.AMOUNT, TraceKind.CAP}
)
#: Steps whose basis a policy may state.
_STATED: Final = frozenset({TraceKind.PARAMETER, TraceKind.BAND})

#: A trace step as the engine records it: kind, name, value, whether the value is an
#: amount in øre, source and detail. Steps are built from these only when read, so
#: that tracing costs the engine little.
RawStep = tuple[TraceKind, str, Any, bool, str | None, str | None]


#: The kinds of step whose value is an input's or a derived value's.
_VALUED: Final = frozenset({TraceKind.INPUT, TraceKind.DERIVED})


def _shown(value: Any, ore: bool) -> TraceValue:  # noqa: FBT001  (internal, positional for speed)
    if ore:
        return Money.from_ore(value)
    if isinstance(value, frozenset | tuple):
        return ", ".join(sorted(str(v) for v in value))
    return value  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True, eq=False)
class Trace:
    """The structured trace of a decision: each step in the order it was taken.

    Build one from steps with :meth:`from_steps`; read them as :attr:`steps`. Two
    traces are equal when their steps show the same: the same kinds, names, values,
    sources, details, personal marks and provenance.
    """

    raw: tuple[RawStep, ...] = attrs.field(repr=False)
    #: The names of inputs and derived values whose values are personal data.
    personal: frozenset[str] = attrs.field(default=frozenset(), repr=False)

    #: The basis of steps whose value is not what their source alone says (by name).
    bases: tuple[tuple[str, Basis], ...] = ()

    @classmethod
    def from_steps(cls, steps: Iterable[TraceStep]) -> Trace:
        """A trace of the given steps."""
        items = tuple(steps)
        return cls(
            raw=tuple((s.kind, s.name, s.value, False, s.source, s.detail) for s in items),
            personal=frozenset(s.name for s in items if s.personal),
            bases=tuple((s.name, s.basis) for s in items if s.basis is not None),
        )

    @property
    def steps(self) -> tuple[TraceStep, ...]:
        """The steps, in the order they were taken."""
        personal = self.personal
        bases = dict(self.bases)
        return tuple(
            TraceStep(
                kind=kind,
                name=name,
                value=_shown(value, ore),
                source=source,
                detail=detail,
                personal=kind in _VALUED and name in personal,
                basis=bases.get(name) if kind in _STATED else None,
            )
            for kind, name, value, ore, source, detail in self.raw
        )

    def _shown(self) -> tuple[tuple[object, ...], ...]:
        return tuple(
            (s.kind, s.name, value_type(s.value), s.value, s.source, s.detail, s.personal,
             s.provenance)
            for s in self.steps
        )  # fmt: skip

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Trace):
            return NotImplemented
        return self._shown() == other._shown()

    def __hash__(self) -> int:
        return hash(self._shown())

    def to_dict(self, *, reveal_identifiers: bool = False) -> list[dict[str, Any]]:
        """The trace as JSON-ready data: a list of steps, personal values hidden."""
        return result_json(self, reveal_identifiers=reveal_identifiers)  # type: ignore[no-any-return]


def _hidden(_value: object) -> str:
    return repr(HIDDEN)


@attrs.frozen(kw_only=True)
class DocumentationRecord:
    """The record that makes a payout justified and documented (002:1630-1632).

    Payouts in Innbyggernes modell were made without a formal decision (*vedtak*,
    002:1670), yet the citizens kept the right to complain, on the condition that
    every payout is justified and documented. This record is that documentation.

    Attributes:
        justification: The reason codes, in order.
        formal_decision: Always ``False``: no *vedtak* is made (002:1670).
        appealable: The citizen keeps the right to complain (002:1630).
        legal_source: Where the legal condition is stated.
    """

    request_id: str
    household_ref: str = attrs.field(repr=_hidden)
    policy_id: str
    policy_version: str | None
    policy_source: str | None
    as_of: datetime.date
    payment_type: PaymentType
    purpose: str | None
    status: DecisionStatus
    amount: Money
    justification: tuple[str, ...]
    approvers: Approvers | None
    formal_decision: bool = False
    appealable: bool = True
    legal_source: str = LEGAL_CONDITION_SOURCE

    @property
    def complete(self) -> bool:
        """Whether the record justifies the decision: it has at least one reason."""
        return bool(self.justification)

    def to_dict(self, *, reveal_identifiers: bool = False) -> dict[str, Any]:
        """The record as JSON-ready data; the household is hidden unless revealed."""
        return result_json(self, reveal_identifiers=reveal_identifiers)  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True)
class Decision(Records):
    """The engine's decision on one request.

    Attributes:
        status: Granted, partly granted, rejected, or referred to an ordinary scheme.
        requested: What was asked for (for unconditional payouts: the amount due).
        amount: What is granted; 0 kr unless granted in full or in part.
        approvers: Who must approve it, from the approval bands; ``None`` if nothing is
            granted or the policy has no bands.
        reasons: Why, in order.
        flags: What to look at; flags never block.
        documentation: The documentation record (002:1630-1632).
        trace: Every rule and parameter used, if a trace was asked for.
        household_ref: The household (personal data: hidden in ``repr`` and output).
        inputs: The values the decision rested on (never the household reference):
            the household's size, need weight and type, the purpose, whether it meets
            children's needs (the request says so or its purpose is marked so), and
            every input the policy's rules read. Used by the fairness report.
    """

    request_id: str
    household_ref: str = attrs.field(repr=_hidden)
    policy_id: str
    as_of: datetime.date
    payment_type: PaymentType
    status: DecisionStatus
    requested: Money
    amount: Money
    approvers: Approvers | None
    reasons: tuple[Reason, ...]
    flags: tuple[Flag, ...]
    documentation: DocumentationRecord = attrs.field(repr=False)
    trace: Trace | None = attrs.field(default=None, repr=False)
    inputs: tuple[tuple[str, TraceValue], ...] = attrs.field(default=(), repr=False)

    def to_dict(
        self, *, lang: str | None = None, reveal_identifiers: bool = False
    ) -> dict[str, Any]:
        """The decision as JSON-ready data with ``"schema_version": 1``.

        :meth:`from_dict` reads it back: with ``reveal_identifiers=True`` into an equal
        decision.

        Args:
            lang: If given (``nb``, ``nn`` or ``en``), each reason and flag also gets its
                ``text`` in that language.
            reveal_identifiers: Include the household reference; hidden by default.
        """
        return result_json(self, lang=lang, reveal_identifiers=reveal_identifiers)  # type: ignore[no-any-return]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Decision:
        """Read a decision back from its JSON data (see :func:`decision_from_dict`)."""
        return decision_from_dict(data)

    def to_records(self, *, reveal_identifiers: bool = False) -> list[dict[str, object]]:
        """The decision as one row (the household shown only if asked)."""
        return [
            {
                "request_id": self.request_id,
                "household": self.household_ref if reveal_identifiers else None,
                "policy": self.policy_id,
                "as_of": self.as_of,
                "payment_type": plain(self.payment_type),
                "status": plain(self.status),
                "requested": plain(self.requested),
                "amount": plain(self.amount),
                "approvers": self.approvers.band if self.approvers else None,
                "reasons": plain(tuple(r.code for r in self.reasons)),
                "flags": plain(tuple(f.code for f in self.flags)),
            }
        ]


# --- JSON ----------------------------------------------------------------------------------
#
# The results converter (samskaping.io.result_converter, one per language and identifier
# option) writes every result of the payout engine as JSON data and reads a decision back;
# each result module of the package registers its hooks with register_result_hooks.


def _typed(value: Any) -> tuple[str, Any]:
    """A recorded value as its JSON type and its JSON value (a set as a sorted list)."""
    if isinstance(value, frozenset | set):
        return "set", sorted(str(v) for v in value)
    return value_type(value), json_value(value)


def _bad(what: str, value: object) -> InvalidInputError:
    return InvalidInputError(f"expected {what}, got {value!r}", what=what)


def _decoders() -> dict[str, Callable[[Any], Any]]:
    def money(value: Any) -> Money:
        if not isinstance(value, str):
            raise _bad("an amount as text", value)
        return Money(value)

    def decimal(value: Any) -> Decimal:
        if not isinstance(value, str):
            raise _bad("a decimal as text", value)
        return Decimal(value)

    def day(value: Any) -> datetime.date:
        if not isinstance(value, str):
            raise _bad("a date (YYYY-MM-DD)", value)
        return datetime.date.fromisoformat(value)

    def of(kind: type, what: str) -> Callable[[Any], Any]:
        def check(value: Any) -> Any:
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise _bad(what, value)
            return value

        return check

    return {
        "bool": of(bool, "true or false"),
        "int": of(int, "a whole number"),
        "str": of(str, "text"),
        "money": money,
        "decimal": decimal,
        "date": day,
        "none": lambda _value: None,
        "set": lambda value: frozenset(of(list, "a list")(value)),
    }


_DECODE: Final = _decoders()


def _untyped(kind: object, value: object) -> Any:
    decode = _DECODE.get(kind) if isinstance(kind, str) else None
    if decode is None:
        raise _bad(f"a value type ({', '.join(_DECODE)})", kind)
    return decode(value)


def _install_decision_writers(converter: Converter, lang: Lang | None, reveal: bool) -> None:  # noqa: FBT001
    def coded(value: _Coded) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": value.code,
            "rule": value.rule,
            "params": _params_dict(value.params),
            "types": {name: _typed(v)[0] for name, v in value.params},
        }
        if lang is not None:
            data["text"] = value.text(lang)
        return data

    def approvers(value: Approvers) -> dict[str, Any]:
        return {
            "band": value.band,
            "body": value.body.value,
            "people": value.people,
            "source": value.source,
            "basis": value.basis.value,
        }

    def step(value: TraceStep) -> dict[str, Any]:
        hidden = value.personal and not reveal
        basis = value.provenance
        return {
            "kind": value.kind.value,
            "name": value.name,
            "type": value_type(value.value),
            "value": HIDDEN if hidden else json_value(value.value),
            "source": value.source,
            "detail": value.detail,
            "basis": basis.value if basis is not None else None,
            "personal": value.personal,
        }

    def trace(value: Trace) -> list[dict[str, Any]]:
        return [step(s) for s in value.steps]

    def household(ref: str) -> str:
        return ref if reveal else HIDDEN

    def record(value: DocumentationRecord) -> dict[str, Any]:
        return {
            "request_id": value.request_id,
            "household": household(value.household_ref),
            "policy": {
                "id": value.policy_id,
                "version": value.policy_version,
                "source": value.policy_source,
            },
            "as_of": value.as_of.isoformat(),
            "payment_type": value.payment_type.value,
            "purpose": value.purpose,
            "status": value.status.value,
            "amount": str(value.amount.amount),
            "justification": list(value.justification),
            "approvers": None if value.approvers is None else approvers(value.approvers),
            "formal_decision": value.formal_decision,
            "appealable": value.appealable,
            "legal_source": value.legal_source,
            "complete": value.complete,
        }

    def decision(value: Decision) -> dict[str, Any]:
        return {
            "schema_version": DECISION_SCHEMA_VERSION,
            "kind": "decision",
            "request_id": value.request_id,
            "household": household(value.household_ref),
            "policy": value.policy_id,
            "as_of": value.as_of.isoformat(),
            "payment_type": value.payment_type.value,
            "status": value.status.value,
            "requested": str(value.requested.amount),
            "amount": str(value.amount.amount),
            "approvers": None if value.approvers is None else approvers(value.approvers),
            "reasons": [coded(r) for r in value.reasons],
            "flags": [coded(f) for f in value.flags],
            "documentation": record(value.documentation),
            "trace": None if value.trace is None else trace(value.trace),
            "inputs": [
                {"name": name, "type": kind, "value": shown}
                for name, item in value.inputs
                for kind, shown in [_typed(item)]
            ],
        }

    for kind in (Reason, Flag):
        converter.register_unstructure_hook(kind, coded)
    converter.register_unstructure_hook(Approvers, approvers)
    converter.register_unstructure_hook(TraceStep, step)
    converter.register_unstructure_hook(Trace, trace)
    converter.register_unstructure_hook(DocumentationRecord, record)
    converter.register_unstructure_hook(Decision, decision)


def _install_decision_readers(converter: Converter, lang: Lang | None, reveal: bool) -> None:  # noqa: FBT001
    """Reading back: the same shapes, each value checked by the converter's strict hooks."""
    del lang, reveal

    def read(data: object, type_: Any) -> Any:
        return converter.structure(data, type_)

    def table(data: object) -> Mapping[str, Any]:
        if not isinstance(data, Mapping):
            raise _bad("a table (keys and values)", data)
        return data

    def read_coded(data: object, type_: type[_Coded]) -> _Coded:
        item = table(data)
        params = table(item.get("params", {}))
        types = table(item.get("types", {}))
        return type_(
            code=read(item["code"], str),
            rule=read(item.get("rule"), str | None),
            params=tuple(
                (name, _untyped(types.get(name, "str"), value)) for name, value in params.items()
            ),
        )

    def read_approvers(data: object, _type: object) -> Approvers:
        item = table(data)
        return Approvers(
            band=read(item["band"], str),
            body=read(item["body"], ApproverBody),
            people=read(item["people"], int),
            source=read(item.get("source"), str | None),
            basis=read(item.get("basis", "source"), Basis),
        )

    def read_step(data: object, _type: object) -> TraceStep:
        item = table(data)
        kind = read(item["kind"], TraceKind)
        basis = read(item.get("basis"), Basis | None)
        return TraceStep(
            kind=kind,
            name=read(item["name"], str),
            value=_untyped(item.get("type", "str"), item.get("value")),
            source=read(item.get("source"), str | None),
            detail=read(item.get("detail"), str | None),
            personal=read(item.get("personal", False), bool),
            basis=basis if kind in _STATED else None,
        )

    def read_trace(data: object, _type: object) -> Trace:
        if not isinstance(data, list):
            raise _bad("a list of trace steps", data)
        return Trace.from_steps(read_step(item, TraceStep) for item in data)

    def read_record(data: object, _type: object) -> DocumentationRecord:
        item = table(data)
        policy = table(item["policy"])
        found = item.get("approvers")
        return DocumentationRecord(
            request_id=read(item["request_id"], str),
            household_ref=read(item["household"], str),
            policy_id=read(policy["id"], str),
            policy_version=read(policy.get("version"), str | None),
            policy_source=read(policy.get("source"), str | None),
            as_of=read(item["as_of"], datetime.date),
            payment_type=read(item["payment_type"], PaymentType),
            purpose=read(item.get("purpose"), str | None),
            status=read(item["status"], DecisionStatus),
            amount=read(item["amount"], Money),
            justification=read(item.get("justification", []), tuple[str, ...]),
            approvers=None if found is None else read_approvers(found, Approvers),
            formal_decision=read(item.get("formal_decision", False), bool),
            appealable=read(item.get("appealable", True), bool),
            legal_source=read(item.get("legal_source", LEGAL_CONDITION_SOURCE), str),
        )

    def read_decision(data: object, _type: object) -> Decision:
        item = table(data)
        found = item.get("approvers")
        steps = item.get("trace")
        inputs = item.get("inputs", [])
        if not isinstance(inputs, list):
            raise _bad("a list of inputs", inputs)
        return Decision(
            request_id=read(item["request_id"], str),
            household_ref=read(item["household"], str),
            policy_id=read(item["policy"], str),
            as_of=read(item["as_of"], datetime.date),
            payment_type=read(item["payment_type"], PaymentType),
            status=read(item["status"], DecisionStatus),
            requested=read(item["requested"], Money),
            amount=read(item["amount"], Money),
            approvers=None if found is None else read_approvers(found, Approvers),
            reasons=tuple(read_coded(r, Reason) for r in item.get("reasons", [])),  # type: ignore[misc]
            flags=tuple(read_coded(f, Flag) for f in item.get("flags", [])),  # type: ignore[misc]
            documentation=read_record(item["documentation"], DocumentationRecord),
            trace=None if steps is None else read_trace(steps, Trace),
            inputs=tuple(
                (read(table(i)["name"], str), _untyped(table(i).get("type"), table(i).get("value")))
                for i in inputs
            ),
        )

    converter.register_structure_hook(Reason, read_coded)
    converter.register_structure_hook(Flag, read_coded)
    converter.register_structure_hook(Approvers, read_approvers)
    converter.register_structure_hook(TraceStep, read_step)
    converter.register_structure_hook(Trace, read_trace)
    converter.register_structure_hook(DocumentationRecord, read_record)
    converter.register_structure_hook(Decision, read_decision)


register_result_hooks(_install_decision_writers)
register_result_hooks(_install_decision_readers)


def decision_from_dict(data: Mapping[str, Any]) -> Decision:
    """Read a decision back from :meth:`Decision.to_dict`'s JSON data.

    Written with ``reveal_identifiers=True``, the data reads back into an equal
    decision; otherwise the household and personal values stay ``[hidden]``.

    Raises:
        DocumentError: If the data is not a decision's JSON shape.
    """
    try:
        decision: Decision = result_converter().structure(data, Decision)
    except KeyError as exc:
        raise DocumentError([Problem(path="$", message=f"missing key {exc}")]) from None
    except (InvalidInputError, ValueError, TypeError, ArithmeticError) as exc:
        raise DocumentError([Problem(path="$", message=str(exc))]) from None
    return decision
