"""One localised message type, one JSON path, and decisions that read back."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import samskaping.report
from samskaping import DocumentError, Money
from samskaping._records import notebook_html
from samskaping.examples import load_example, names
from samskaping.io import dumps, result_converter, structure, unstructure
from samskaping.l10n import Catalogue, LabelRef, LocalText, Message, Percent, param_text
from samskaping.ledger import VerifyReport
from samskaping.model import Pot, Severity
from samskaping.payouts import (
    Decision,
    Flag,
    Household,
    Reason,
    Request,
    Trace,
    builtin_policy,
    decision_from_dict,
    evaluate,
)
from samskaping.report import ReportData, report_data
from samskaping.scoring import Reason as ScoringReason
from samskaping.scoring import to_json
from samskaping.validation import Finding
from samskaping.validation._findings import render
from strategies import amounts, consistent_pots, dates, peb_requests, policies

DAY = datetime.date(2022, 3, 1)
PEB = builtin_policy("pa_egne_ben")


def decide(request: Any, *, trace: bool = True) -> Decision:
    """The På egne ben decision on a request, with its trace."""
    return evaluate(PEB, request, PEB.pot, DAY, trace=trace)[0]


def through_json(decision: Decision, **options: Any) -> Decision:
    """A decision written as JSON text and read back."""
    return Decision.from_dict(json.loads(json.dumps(decision.to_dict(**options))))


class TestMessage:
    """A message is a code whose text is the catalogue label under its key."""

    def test_text_from_the_catalogue(self) -> None:
        """The text is the label under the message's key, in the language asked for."""
        assert "fase" == Message(code="finding_kind.phase").text("nn")

    def test_catalogue_given(self) -> None:
        """A caller's catalogue gives the text, filled with the parameters."""
        book = Catalogue({"greeting": {"nb": "Hei, {name}!", "nn": "Hei, {name}!", "en": "Hi!"}})
        assert "Hei, Kari!" == Message(code="greeting", params=(("name", "Kari"),)).text(
            "nb", catalogue=book
        )

    def test_every_kind_is_a_message(self) -> None:
        """Scoring reasons and payout reasons and flags are all messages."""
        kinds = (ScoringReason, Reason, Flag)
        assert all(issubclass(kind, Message) for kind in kinds)

    def test_keys_keep_their_sections(self) -> None:
        """Each kind's key is in its own catalogue section."""
        keys = [
            ScoringReason(code="risk.unscored").key,
            Reason(code="granted").key,
            Flag(code="repeat_request").key,
        ]
        assert ["scoring.reason.risk.unscored", "payouts.reason.granted",
                "payouts.flag.repeat_request"] == keys  # fmt: skip


class TestParamText:
    """Typed parameters are shown one way for every message."""

    def test_money(self) -> None:
        """An amount is formatted with babel."""
        assert "NOK\xa01,500.00" == param_text(Money(1500), "en")

    def test_date(self) -> None:
        """A date is written out in the language."""
        assert "1. mars 2022" == param_text(DAY, "nb")

    def test_enum(self) -> None:
        """An enum member is shown by its catalogue label."""
        assert "feil" == param_text(Severity.ERROR, "nb")

    def test_label_reference(self) -> None:
        """A label reference is the label's text."""
        assert "phase" == param_text(LabelRef("finding_kind.phase"), "en")

    def test_local_text(self) -> None:
        """A text in three languages is shown in the one asked for."""
        assert "låg" == param_text(LocalText(nb="lav", nn="låg", en="low"), "nn")

    def test_percent(self) -> None:
        """A percentage keeps up to two of its decimals."""
        assert "83,33\xa0%" == param_text(Percent(Decimal("83.33")), "nb")

    def test_sequence(self) -> None:
        """A sequence is its items joined by commas."""
        assert "a, b" == param_text(("a", "b"), "nb")


class TestFamilies:
    """Findings, scoring reasons and payout texts come from the one message type."""

    def test_payout_reason_text(self) -> None:
        """A payout reason's text is its message text."""
        text = Reason(code="granted", params=(("amount", Money(6400)),)).text("en")
        assert "Granted: NOK\xa06,400.00." == text

    def test_own_labels(self) -> None:
        """A caller's own purpose label fills a payout message's text."""
        labels = {"purpose:holiday": LocalText(nb="en tur", nn="ein tur", en="a trip")}
        flag = Flag(code="ordinary_scheme_first", params=(("purpose", "holiday"),))
        assert "a trip" in flag.text("en", labels=labels)

    def test_policy_labels(self) -> None:
        """A policy's labelled purpose is among its labels."""
        label = LocalText(nb="en tur", nn="ein tur", en="a trip")
        purposes = (attrs.evolve(PEB.purposes[0], label=label), *PEB.purposes[1:])
        labels = samskaping.report.policy_labels(attrs.evolve(PEB, purposes=purposes))
        assert label == labels[f"purpose:{PEB.purposes[0].code}"]

    def test_repeat_flag_singular(self) -> None:
        """A repeat flag with one previous request uses the singular label."""
        one = Flag(code="repeat_request", params=(("previous", 1),))
        assert one.text("en") != Flag(code="repeat_request", params=(("previous", 2),)).text("en")

    def test_scoring_reason_json_unchanged(self) -> None:
        """A scoring reason's parameters are still plain text in its JSON."""
        share = ("share_percent", Percent(Decimal("83.33")))
        item = ScoringReason(
            code="goals.continuation", params=(("continued", 5), ("total", 6), share)
        )
        data = to_json(item, "en")
        assert {"continued": "5", "total": "6", "share_percent": "83.33"} == data["params"]

    def test_finding_message(self) -> None:
        """A finding's message is the message text of ``finding.<code>``."""
        finding = render("phase.order", "$.phases[1]", {"phase": "b", "previous": "a"}, lang="en")
        expected = Message(code="finding.phase.order", params=(("phase", "b"), ("previous", "a")))
        assert expected.text("en") == finding.message

    def test_finding_shape(self) -> None:
        """A finding keeps its JSON shape."""
        finding = Finding(code="x", severity=Severity.ERROR, path="$", message="m")
        assert ["code", "severity", "path", "message"] == list(finding.to_dict())


class TestDecisionJson:
    """A decision's JSON comes from the converter and reads back."""

    @settings(max_examples=40, deadline=None)
    @given(peb_requests(), st.booleans())
    def test_round_trip(self, request: Any, traced: bool) -> None:  # noqa: FBT001
        """Decision → JSON → decision is the identity (identifiers revealed)."""
        decision = decide(request, trace=traced)
        assert decision == through_json(decision, reveal_identifiers=True, lang="en")

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(policies(), consistent_pots, peb_requests())
    def test_round_trip_random_policies(self, policy: Any, pot: Pot, request: Any) -> None:
        """Decisions of random policies read back equal, with their traces and inputs."""
        decision, _ = evaluate(policy, request, pot, DAY, trace=True)
        assert decision == through_json(decision, reveal_identifiers=True)

    def test_hidden_household_reads_back_hidden(self) -> None:
        """Written without identifiers, the household reads back as ``[hidden]``."""
        decision = decide(next_request())
        assert "[hidden]" == through_json(decision).household_ref

    def test_structure(self) -> None:
        """The converter structures a decision's JSON as a ``Decision``."""
        decision = decide(next_request())
        data = decision.to_dict(reveal_identifiers=True)
        assert decision == result_converter().structure(data, Decision)

    def test_to_dict_is_the_converter(self) -> None:
        """``to_dict`` is the converter's unstructure."""
        decision = decide(next_request())
        expected = result_converter(lang="nn").unstructure(decision, Decision)
        assert expected == decision.to_dict(lang="nn")

    def test_bad_data(self) -> None:
        """Data that is not a decision is a ``DocumentError``."""
        with pytest.raises(DocumentError):
            decision_from_dict({"kind": "decision"})

    def test_bad_value_type(self) -> None:
        """An unknown value type in a reason is a ``DocumentError``."""
        data = decide(next_request()).to_dict(reveal_identifiers=True)
        data["reasons"][0]["types"] = {"amount": "float"}
        with pytest.raises(DocumentError):
            decision_from_dict(data)

    def test_trace_equal_by_what_it_shows(self) -> None:
        """A trace rebuilt from its steps equals the engine's."""
        trace = decide(next_request()).trace
        assert trace is not None
        assert trace == Trace.from_steps(trace.steps)


class TestOneJsonPath:
    """Ledger records and service jobs write their JSON through the same converter."""

    def test_ledger_record(self) -> None:
        """A ledger's verify report is the results converter's unstructure."""
        report = VerifyReport(ok=True, entries=0, head="0" * 64)
        assert result_converter().unstructure(report, VerifyReport) == report.to_dict()

    def test_hooks_reach_every_option(self) -> None:
        """A package's hooks apply to the converter of every language and option."""
        report = VerifyReport(ok=False, entries=3, head="a" * 64, first_bad=2, problem="x")
        converter = result_converter(lang="en", reveal_identifiers=True)
        assert report.to_dict() == converter.unstructure(report, VerifyReport)


class TestReportDataJson:
    """A report's data reads back from its JSON data."""

    @pytest.mark.parametrize("name", names())
    def test_round_trip(self, name: str) -> None:
        """Report data → JSON text → structure gives an equal value."""
        data = report_data(load_example(name), lang="en")
        text = dumps(unstructure(data))
        assert data == structure(json.loads(text, parse_float=Decimal), ReportData)

    @settings(max_examples=60, deadline=None)
    @given(
        st.lists(
            st.one_of(
                st.none(),
                st.booleans(),
                st.integers(-(10**9), 10**9),
                st.text(max_size=10),
                amounts,
                st.decimals(min_value=-1000, max_value=1000, places=3),
                dates,
                st.sampled_from(list(Severity)),
                st.builds(Percent, st.decimals(min_value=0, max_value=100, places=2)),
                st.builds(
                    LocalText,
                    nb=st.text(max_size=5),
                    nn=st.text(max_size=5),
                    en=st.text(max_size=5),
                ),
                st.builds(LabelRef, st.sampled_from(["finding_kind.phase"])),
            ),
            max_size=5,
        )
    )
    def test_message_params(self, values: list[object]) -> None:
        """A message's typed parameters read back equal from JSON text."""
        item = ScoringReason(code="x", params=tuple((f"p{i}", v) for i, v in enumerate(values)))
        text = dumps(unstructure(item))
        assert item == structure(json.loads(text, parse_float=Decimal), ScoringReason)

    def test_unknown_enum_refused(self) -> None:
        """A parameter naming an enum outside the library's loaded modules is refused."""
        data = {"code": "x", "params": [{"name": "p", "type": "enum", "enum": "os:sep",
                                         "value": "/"}]}  # fmt: skip
        with pytest.raises(DocumentError):
            structure(data, ScoringReason)


class TestNotebook:
    """A decision's notebook view is registered by the presentation layer."""

    def test_decision_view(self) -> None:
        """The report registers a decision's text as its notebook view."""
        decision = decide(next_request())
        assert notebook_html(decision) == decision._repr_html_()

    def test_decision_view_is_text(self) -> None:
        """The view is the decision's text in a ``<pre>`` block."""
        assert decide(next_request())._repr_html_().startswith("<pre>")

    def test_unregistered_falls_back(self) -> None:
        """A type nobody registered has no view of its own."""
        assert notebook_html(object()) is None


def next_request() -> Any:
    """A request that På egne ben grants."""
    return Request(
        id="r1",
        amount=Money(12000),
        purpose="driving_licence",
        household=Household(
            ref="hh-1", children=0, attributes={"youth_age": 19, "in_contact_with_services": True}
        ),
        ordinary_scheme_checked=True,
    )
