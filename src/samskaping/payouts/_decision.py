"""Decisions (*avgjørelser*): what the engine returns for each request.

Every decision is justified and documented, the legal condition for payouts without a
formal administrative decision (*vedtak*) (002:1630-1632): it carries its reasons,
its flags, a documentation record and, on request, a trace of every rule and
parameter used. Decisions hold codes; text is made at the edge, in nb, nn or en.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum, unique
from typing import Any, Final

import attrs

from samskaping._money import Money
from samskaping._records import Records, plain
from samskaping.model import PaymentType
from samskaping.payouts._policy import ApproverBody
from samskaping.payouts._request import HIDDEN

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
    "json_value",
]

#: The version of the JSON shape of a decision.
DECISION_SCHEMA_VERSION: Final = 1
#: Where the legal condition (justified and documented) is stated.
LEGAL_CONDITION_SOURCE: Final = "002:1630-1632"

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


@attrs.frozen(kw_only=True)
class _Coded:
    """A code, the rule concerned and values for its text in the label catalogue."""

    code: str
    rule: str | None = None
    params: tuple[tuple[str, TraceValue], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data."""
        return {"code": self.code, "rule": self.rule, "params": _params_dict(self.params)}


@attrs.frozen(kw_only=True)
class Reason(_Coded):
    """Why a decision came out as it did: a code, the rule concerned and values for the text.

    The text is ``payouts.reason.<code>`` in the label catalogue, filled with ``params``.
    """


@attrs.frozen(kw_only=True)
class Flag(_Coded):
    """A flag (*merknad*): something to look at, which never blocks a payout (002:1940-1966).

    The text is ``payouts.flag.<code>`` in the label catalogue, filled with ``params``.
    """


@attrs.frozen(kw_only=True)
class Approvers:
    """Who must approve a payout: the band it falls in (002:1709-1711)."""

    band: str
    body: ApproverBody
    people: int
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The approvers as JSON-ready data."""
        return {
            "band": self.band,
            "body": self.body.value,
            "people": self.people,
            "source": self.source,
        }


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

    def to_dict(self, *, reveal_identifiers: bool = False) -> dict[str, Any]:
        """The step as JSON-ready data; the keys and their order are stable.

        A personal value is shown as ``[hidden]`` unless ``reveal_identifiers``.
        """
        hidden = self.personal and not reveal_identifiers
        return {
            "kind": self.kind.value,
            "name": self.name,
            "type": value_type(self.value),
            "value": HIDDEN if hidden else json_value(self.value),
            "source": self.source,
            "detail": self.detail,
        }


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


@attrs.frozen(kw_only=True)
class Trace:
    """The structured trace of a decision: each step in the order it was taken.

    Build one from steps with :meth:`from_steps`; read them as :attr:`steps`.
    """

    raw: tuple[RawStep, ...] = attrs.field(repr=False)
    #: The names of inputs and derived values whose values are personal data.
    personal: frozenset[str] = attrs.field(default=frozenset(), repr=False)

    @classmethod
    def from_steps(cls, steps: Iterable[TraceStep]) -> Trace:
        """A trace of the given steps."""
        items = tuple(steps)
        return cls(
            raw=tuple((s.kind, s.name, s.value, False, s.source, s.detail) for s in items),
            personal=frozenset(s.name for s in items if s.personal),
        )

    @property
    def steps(self) -> tuple[TraceStep, ...]:
        """The steps, in the order they were taken."""
        personal = self.personal
        return tuple(
            TraceStep(
                kind=kind,
                name=name,
                value=_shown(value, ore),
                source=source,
                detail=detail,
                personal=kind in _VALUED and name in personal,
            )
            for kind, name, value, ore, source, detail in self.raw
        )

    def to_dict(self, *, reveal_identifiers: bool = False) -> list[dict[str, Any]]:
        """The trace as JSON-ready data: a list of steps, personal values hidden."""
        return [step.to_dict(reveal_identifiers=reveal_identifiers) for step in self.steps]


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
        return {
            "request_id": self.request_id,
            "household": self.household_ref if reveal_identifiers else HIDDEN,
            "policy": {
                "id": self.policy_id,
                "version": self.policy_version,
                "source": self.policy_source,
            },
            "as_of": self.as_of.isoformat(),
            "payment_type": self.payment_type.value,
            "purpose": self.purpose,
            "status": self.status.value,
            "amount": str(self.amount.amount),
            "justification": list(self.justification),
            "approvers": None if self.approvers is None else self.approvers.to_dict(),
            "formal_decision": self.formal_decision,
            "appealable": self.appealable,
            "legal_source": self.legal_source,
            "complete": self.complete,
        }


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

        Args:
            lang: If given (``nb``, ``nn`` or ``en``), each reason and flag also gets its
                ``text`` in that language.
            reveal_identifiers: Include the household reference; hidden by default.
        """
        from samskaping.payouts._render import flag_text, reason_text  # noqa: PLC0415

        reasons = []
        for reason in self.reasons:
            entry = reason.to_dict()
            if lang is not None:
                entry["text"] = reason_text(reason, lang)
            reasons.append(entry)
        flags = []
        for flag in self.flags:
            entry = flag.to_dict()
            if lang is not None:
                entry["text"] = flag_text(flag, lang)
            flags.append(entry)
        return {
            "schema_version": DECISION_SCHEMA_VERSION,
            "kind": "decision",
            "request_id": self.request_id,
            "household": self.household_ref if reveal_identifiers else HIDDEN,
            "policy": self.policy_id,
            "as_of": self.as_of.isoformat(),
            "payment_type": self.payment_type.value,
            "status": self.status.value,
            "requested": str(self.requested.amount),
            "amount": str(self.amount.amount),
            "approvers": None if self.approvers is None else self.approvers.to_dict(),
            "reasons": reasons,
            "flags": flags,
            "documentation": self.documentation.to_dict(reveal_identifiers=reveal_identifiers),
            "trace": None
            if self.trace is None
            else self.trace.to_dict(reveal_identifiers=reveal_identifiers),
        }

    def _repr_html_(self) -> str:
        from samskaping.payouts._render import render_decision  # noqa: PLC0415  (render imports this)

        return f"<pre>{html.escape(render_decision(self))}</pre>"

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
