"""Single decisions: evaluate(policy, request, pot, as_of) -> (Decision, Pot)."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samskaping import DocumentError, InvalidInputError, Money
from samskaping.model import PaymentType, Pot, PotEntry
from samskaping.payouts import (
    ApproverBody,
    Decision,
    DecisionStatus,
    Household,
    Request,
    Trace,
    TraceKind,
    builtin_policy,
    evaluate,
    evaluate_many,
    loads_policy,
)
from samskaping.report import render_decision, render_trace
from strategies import peb_requests, pot_of

DAY = datetime.date(2022, 3, 1)
PEB = builtin_policy("pa_egne_ben")
FLY = builtin_policy("flyktningfamilien")
FRITID = builtin_policy("fritid_for_alle")
HOUSEHOLD_REF = "hh-secret-4711"


def youth(age: int = 19, *, contact: bool = True, ref: str = HOUSEHOLD_REF) -> Household:
    """A youth in På egne ben's target group."""
    return Household(ref=ref, attributes={"youth_age": age, "in_contact_with_services": contact})


def peb(amount: str = "12000", purpose: str = "driving_licence", **kwargs: Any) -> Request:
    """A request under På egne ben."""
    kwargs.setdefault("household", youth())
    return Request(id=kwargs.pop("id", "r1"), amount=Money(amount), purpose=purpose, **kwargs)


def decide(
    request: Request, policy: Any = PEB, pot: Any = None, as_of: datetime.date = DAY, **kwargs: Any
) -> tuple[Decision, Pot]:
    """Evaluate against the policy's own pot unless another is given."""
    return evaluate(policy, request, pot if pot is not None else pot_of(policy), as_of, **kwargs)


def traced() -> Trace:
    """The trace of a granted request under På egne ben."""
    trace = decide(peb(), trace=True)[0].trace
    assert trace is not None
    return trace


def codes(decision: Any) -> list[str]:
    """The reason codes of a decision."""
    return [r.code for r in decision.reasons]


def flag_codes(decision: Any) -> list[str]:
    """The flag codes of a decision."""
    return [f.code for f in decision.flags]


class TestConditional:
    """Conditional payouts under På egne ben."""

    def test_granted(self) -> None:
        """A request within the rules is granted in full."""
        decision, _ = decide(peb())
        assert DecisionStatus.GRANTED == decision.status
        assert Money(12000) == decision.amount

    def test_grant_commits_to_new_pot(self) -> None:
        """A grant returns a new pot with a commitment under the request's id."""
        _, pot = decide(peb())
        entry = pot.commitments[-1]
        assert "r1" == entry.id
        assert Money(12000) == entry.amount
        assert HOUSEHOLD_REF == entry.reference

    def test_input_pot_unchanged(self) -> None:
        """The pot passed in is not changed (a pure function)."""
        before = pot_of(PEB)
        decide(peb())
        assert () == before.commitments

    def test_rule_not_met(self) -> None:
        """A youth outside 16-25 is rejected, naming the rule."""
        decision, pot = decide(peb(household=youth(30)))
        assert DecisionStatus.REJECTED == decision.status
        assert "rule_not_met" == decision.reasons[0].code
        assert "youth_16_to_25" == decision.reasons[0].rule
        assert pot_of(PEB) == pot

    def test_unknown_purpose(self) -> None:
        """A purpose outside the catalogue is rejected."""
        decision, _ = decide(peb(purpose="boat"))
        assert ["purpose_unknown"] == codes(decision)

    def test_missing_purpose(self) -> None:
        """A request without a purpose is rejected when the policy has a catalogue."""
        decision, _ = decide(attrs.evolve(peb(), purpose=None))
        assert ["purpose_missing"] == codes(decision)

    def test_missing_input(self) -> None:
        """A declared input the request lacks rejects it, names the input, and flags it."""
        decision, _ = decide(peb(household=Household(ref="h", attributes={"youth_age": 19})))
        reason = decision.reasons[0]
        assert "missing_input" == reason.code
        assert ("input", "household.in_contact_with_services") == reason.params[0]
        assert ["clarification_needed"] == flag_codes(decision)

    def test_invalid_input(self) -> None:
        """A declared input of the wrong type rejects the request as invalid."""
        household = Household(
            ref="h", attributes={"youth_age": "nineteen", "in_contact_with_services": True}
        )
        decision, _ = decide(peb(household=household))
        assert "invalid_input" == decision.reasons[0].code

    def test_not_in_force(self) -> None:
        """Before a parameter's first value the request is rejected as not in force."""
        decision, _ = decide(
            peb(), as_of=datetime.date(2021, 7, 1), pot=attrs.evolve(pot_of(PEB), valid_from=None)
        )
        assert "not_in_force" == decision.reasons[0].code
        assert "min_age" == dict(decision.reasons[0].params)["parameter"]


class TestApprovalBands:
    """The approvers come from the band of the amount granted (002:1711)."""

    @pytest.mark.parametrize(
        ("amount", "band", "body", "people"),
        [
            ("9999.99", "worker_alone", ApproverBody.WORKER, 1),
            ("10000", "with_colleague", ApproverBody.WORKER_AND_COLLEAGUE, 2),
            ("50000", "with_colleague", ApproverBody.WORKER_AND_COLLEAGUE, 2),
            ("50000.01", "group", ApproverBody.PROJECT_GROUP, 2),
        ],
    )
    def test_edges(self, amount: Any, band: str, body: Any, people: int) -> None:
        """10 000 and 50 000 kr are in the middle band; 50 000,01 kr goes to the group."""
        decision, _ = decide(peb(amount))
        approvers = decision.approvers
        assert approvers is not None
        assert band == approvers.band
        assert body == approvers.body
        assert people == approvers.people

    def test_no_approvers_when_rejected(self) -> None:
        """A rejected request needs no approval."""
        decision, _ = decide(peb(household=youth(12)))
        assert decision.approvers is None


class TestPot:
    """The pot limits grants and gives a clear status, never an exception."""

    def test_partial_when_pot_short(self) -> None:
        """With less left than asked, the rest is granted in part."""
        pot = attrs.evolve(pot_of(PEB), total=Money(5000))
        decision, new = decide(peb("12000"), pot=pot)
        assert DecisionStatus.PARTIAL == decision.status
        assert Money(5000) == decision.amount
        assert Money(0) == new.available
        assert "pot_limited" in codes(decision)

    def test_ended(self) -> None:
        """A pot past its window rejects with status 'ended'."""
        decision, _ = decide(peb(), as_of=datetime.date(2022, 7, 1))
        assert ["pot_ended"] == codes(decision)

    def test_not_started(self) -> None:
        """A pot before its window rejects with status 'not_started'."""
        decision, _ = decide(peb(), as_of=datetime.date(2021, 7, 31))
        assert ["pot_not_started"] == codes(decision)

    def test_emptied(self) -> None:
        """An empty pot rejects with status 'emptied'."""
        entry = PotEntry(
            id="x", amount=pot_of(PEB).total, date=DAY, payment_type=PaymentType.CONDITIONAL
        )
        decision, _ = decide(peb(), pot=attrs.evolve(pot_of(PEB), disbursements=(entry,)))
        assert ["pot_emptied"] == codes(decision)

    def test_type_not_allowed(self) -> None:
        """A pot for another payout type rejects."""
        pot = attrs.evolve(pot_of(PEB), allowed_types=(PaymentType.COLLECTIVE,))
        decision, _ = decide(peb(), pot=pot)
        assert ["pot_type_not_allowed"] == codes(decision)

    def test_overdrawn(self) -> None:
        """A pot whose own entries exceed its total is reported, not used."""
        entry = PotEntry(
            id="x", amount=Money(2_000_000), date=DAY, payment_type=PaymentType.CONDITIONAL
        )
        decision, _ = decide(peb(), pot=attrs.evolve(pot_of(PEB), commitments=(entry,)))
        assert ["pot_overdrawn"] == codes(decision)

    def test_already_decided(self) -> None:
        """A request whose id is already in the pot is not decided twice."""
        _, pot = decide(peb())
        decision, again = decide(peb(), pot=pot)
        assert ["already_decided"] == codes(decision)
        assert pot == again

    @given(
        st.lists(peb_requests(), max_size=12, unique_by=lambda r: r.id), st.integers(0, 200_000_00)
    )
    @settings(max_examples=60)
    def test_money_conserved_and_never_negative(self, requests: Any, total: int) -> None:
        """Property: granted plus left equals the total, and left is never below zero."""
        pot = attrs.evolve(pot_of(PEB), total=Money.from_ore(total))
        decisions, after = evaluate_many(PEB, requests, pot, DAY)
        granted = sum(d.amount.ore for d in decisions)
        assert pot.total.ore == granted + after.available.ore
        assert not after.available.is_negative()


class TestFlags:
    """Flags point at things to look at and never block (002:1940-1966)."""

    def test_clarification(self) -> None:
        """A holiday not yet cleared with staff is flagged, and still granted."""
        decision, _ = decide(peb(purpose="holiday"))
        assert DecisionStatus.GRANTED == decision.status
        assert ["clarification_needed"] == flag_codes(decision)

    def test_clarified(self) -> None:
        """A cleared holiday is not flagged."""
        decision, _ = decide(peb(purpose="holiday", clarified=True))
        assert [] == flag_codes(decision)

    def test_ordinary_scheme_first(self) -> None:
        """Groceries, which NAV may cover, are flagged unless NAV was checked (002:1980)."""
        decision, _ = decide(peb("2000", purpose="gift_card_groceries"))
        assert ["ordinary_scheme_first"] == flag_codes(decision)

    def test_running_cost(self) -> None:
        """A car brings running costs (002:1525)."""
        decision, _ = decide(peb(purpose="car_purchase"))
        assert ["running_cost"] == flag_codes(decision)

    def test_repeat_request(self) -> None:
        """A second request from the same household is flagged as a repeat."""
        _, pot = decide(peb())
        decision, _ = decide(peb(id="r2"), pot=pot)
        assert ["repeat_request"] == flag_codes(decision)

    def test_dual_mandate(self) -> None:
        """A decider who also holds the social-assistance mandate is flagged (002:1739-1741)."""
        decision, _ = decide(peb(decider_has_social_assistance_mandate=True))
        assert ["dual_mandate_conflict"] == flag_codes(decision)

    def test_policy_flag_rule(self) -> None:
        """A policy's own flag rule is raised when it holds (large purchase, 002:1689)."""
        household = Household(ref="h", children=3, attributes={"long_term_social_assistance": True})
        request = Request(
            id="f1", household=household, amount=Money(110000), purpose="home_furnishing"
        )
        decision, _ = decide(request, policy=FRITID, as_of=datetime.date(2022, 8, 1))
        assert "large_purchase" in flag_codes(decision)


class TestReferralAndCaps:
    """Referrals to ordinary schemes and caps."""

    def test_referred(self) -> None:
        """Buying a home under Fritid for alle is referred to the start loan."""
        household = Household(ref="h", children=2, attributes={"long_term_social_assistance": True})
        request = Request(id="f1", household=household, amount=Money(50000), purpose="buy_own_home")
        decision, pot = decide(request, policy=FRITID, as_of=datetime.date(2022, 8, 1))
        assert DecisionStatus.REFERRED == decision.status
        assert Money(0) == decision.amount
        assert ("scheme", "husbanken_start_loan") in decision.reasons[0].params
        assert pot_of(FRITID) == pot

    def test_household_cap(self) -> None:
        """A household that has had 100 000 kr gets at most 20 000 kr more (cap 120 000)."""
        household = Household(ref="h", children=2, attributes={"long_term_social_assistance": True})
        first = Request(
            id="f1", household=household, amount=Money(100000), purpose="home_furnishing"
        )
        second = Request(
            id="f2", household=household, amount=Money(50000), purpose="home_furnishing"
        )
        day = datetime.date(2022, 8, 1)
        _, pot = decide(first, policy=FRITID, as_of=day)
        decision, _ = decide(second, policy=FRITID, pot=pot, as_of=day)
        assert DecisionStatus.PARTIAL == decision.status
        assert Money(20000) == decision.amount
        assert "cap_applied" in codes(decision)

    def test_partial_not_allowed(self) -> None:
        """Where partial grants are not allowed, a capped request is rejected."""
        policy = attrs.evolve(FRITID, partial_grants=False)
        household = Household(ref="h", children=2, attributes={"long_term_social_assistance": True})
        request = Request(
            id="f1", household=household, amount=Money(130000), purpose="home_furnishing"
        )
        decision, _ = decide(request, policy=policy, as_of=datetime.date(2022, 8, 1))
        assert ["partial_not_allowed", "cap_applied"] == codes(decision)

    def test_undefined_rule(self) -> None:
        """A rule dividing by zero does not decide: it rejects, names the rule, flags."""
        text = FRITID_LIKE.replace(
            'expr = "true"', 'expr = "request.amount / household.children > 1"'
        )
        decision, _ = evaluate(loads_policy(text), peb(), pot_of(PEB), DAY)
        assert "undefined" == decision.reasons[0].code
        assert "ratio" == decision.reasons[0].rule
        assert ["clarification_needed"] == flag_codes(decision)


FRITID_LIKE = """
schema_version = 1
id = "tiny"
name = "Tiny"
payment_type = "conditional"

[[eligibility]]
id = "ratio"
expr = "true"
"""


class TestUnconditional:
    """Unconditional payouts under Flyktningfamilien."""

    def test_source_check(self) -> None:
        """4 children at 1 600 kr give 6 400 kr a month from 2022-02-01 (002:492, 002:1408)."""
        household = Household(ref="fam", children=4, attributes={"in_cohort": True})
        decision, _ = decide(
            Request(id="feb", household=household), policy=FLY, as_of=datetime.date(2022, 2, 1)
        )
        assert DecisionStatus.GRANTED == decision.status
        assert Money(6400) == decision.amount

    def test_before_start(self) -> None:
        """Before 2022-02-01 the rate is not in force."""
        household = Household(ref="fam", children=4, attributes={"in_cohort": True})
        decision, _ = decide(
            Request(id="jan", household=household), policy=FLY, as_of=datetime.date(2022, 1, 31)
        )
        assert "not_in_force" == decision.reasons[0].code

    def test_outside_cohort(self) -> None:
        """A family outside the fixed cohort is rejected."""
        household = Household(ref="fam", children=4, attributes={"in_cohort": False})
        decision, _ = decide(
            Request(id="x", household=household), policy=FLY, as_of=datetime.date(2022, 3, 1)
        )
        assert "rule_not_met" == decision.reasons[0].code
        assert "in_cohort" == decision.reasons[0].rule

    def test_no_approvers(self) -> None:
        """Unconditional payouts need no approval (no discretion)."""
        household = Household(ref="fam", children=4, attributes={"in_cohort": True})
        decision, _ = decide(
            Request(id="m", household=household), policy=FLY, as_of=datetime.date(2022, 3, 1)
        )
        assert decision.approvers is None

    @given(st.integers(1, 7), st.dates(datetime.date(2022, 2, 1), datetime.date(2030, 1, 1)))
    @settings(max_examples=60)
    def test_monotone_in_children(self, children: int, day: datetime.date) -> None:
        """Property: one more child never gives less."""
        pot = Pot(id="p", total=Money(10**9))

        def amount(n: int) -> Money:
            household = Household(ref="fam", children=n, attributes={"in_cohort": True})
            return evaluate(FLY, Request(id="m", household=household), pot, day)[0].amount

        assert amount(children) <= amount(children + 1)


class TestDocumentation:
    """Every decision is justified and documented (002:1630-1632)."""

    def test_record(self) -> None:
        """The record carries reasons, approvers and the legal condition."""
        decision, _ = decide(peb("20000"))
        record = decision.documentation
        assert record.complete
        assert not record.formal_decision
        assert record.appealable
        assert "002:1630-1632" == record.legal_source
        assert decision.approvers == record.approvers

    @given(peb_requests())
    @settings(max_examples=60)
    def test_every_decision_has_a_reason(self, request: Request) -> None:
        """Property: every decision, whatever its outcome, has at least one reason."""
        decision, _ = decide(request)
        assert decision.documentation.complete


class TestTrace:
    """The trace records each rule and parameter with value and source."""

    def test_trace_off_by_default(self) -> None:
        """Without trace=True a decision has no trace."""
        assert decide(peb())[0].trace is None

    def test_parameters_with_sources(self) -> None:
        """The trace lists the parameters used, with their values and sources."""
        steps = {s.name: s for s in traced().steps if s.kind is TraceKind.PARAMETER}
        assert 16 == steps["min_age"].value
        assert "002:558" == steps["min_age"].source

    def test_json_stable(self) -> None:
        """The trace serialises to JSON with fixed keys in a fixed order."""
        data = traced().to_dict()
        assert ["kind", "name", "type", "value", "source", "detail", "basis", "personal"] == list(
            data[0]
        )
        assert data == json.loads(json.dumps(data))

    @pytest.mark.parametrize("lang", ["nb", "nn", "en"])
    def test_renders(self, lang: Any) -> None:
        """The trace renders as plain language, one numbered line per step."""
        trace = traced()
        text = render_trace(trace, lang, PEB)
        assert len(trace.steps) == len(text.splitlines())

    def test_trace_off_same_decision(self) -> None:
        """Tracing changes nothing but the trace."""
        plain, _ = decide(peb())
        traced, _ = decide(peb(), trace=True)
        assert plain == attrs.evolve(traced, trace=None)


class TestPrivacy:
    """Household references are personal data: hidden unless the caller opts in."""

    def test_repr(self) -> None:
        """Neither a decision, nor a household, nor a pot entry shows the reference."""
        decision, pot = decide(peb())
        texts = [repr(decision), repr(decision.documentation), repr(youth()), repr(pot)]
        assert [] == [t for t in texts if HOUSEHOLD_REF in t]

    def test_json(self) -> None:
        """The JSON of a decision hides the reference."""
        decision, _ = decide(peb(), trace=True)
        assert HOUSEHOLD_REF not in json.dumps(decision.to_dict(lang="nb"))

    def test_text(self) -> None:
        """The rendered text hides the reference."""
        decision, _ = decide(peb(), trace=True)
        assert HOUSEHOLD_REF not in render_decision(decision, "en", policy=PEB)

    def test_reveal(self) -> None:
        """With reveal_identifiers=True the reference is shown."""
        decision, _ = decide(peb())
        assert HOUSEHOLD_REF == decision.to_dict(reveal_identifiers=True)["household"]
        assert HOUSEHOLD_REF in render_decision(decision, reveal_identifiers=True)

    def test_errors(self) -> None:
        """An error about a malformed reference does not echo any of it."""
        with pytest.raises(InvalidInputError) as info:
            Household(ref="Ola Nordmann")
        assert "Ola" not in str(info.value)

    def test_document_errors(self) -> None:
        """A request file with a malformed reference names the path, not the value."""
        from samskaping.io import structure

        with pytest.raises(DocumentError) as info:
            structure({"id": "r", "household": {"ref": "Kari Nordmann"}}, Request)
        assert ["$.household.ref"] == [p.path for p in info.value.problems]
        assert "Kari" not in str(info.value)


class TestDeterminism:
    """Equal inputs give equal decisions."""

    @given(peb_requests())
    @settings(max_examples=80)
    def test_equal_inputs_equal_decisions(self, request: Request) -> None:
        """Property: deciding an equal copy gives an equal decision and pot."""
        copy = Request(**{f.name: getattr(request, f.name) for f in attrs.fields(Request)})
        assert decide(request, trace=True) == decide(copy, trace=True)


class TestArguments:
    """Wrong arguments raise InvalidInputError, not TypeError."""

    def test_collective_policy(self) -> None:
        """A collective policy is decided with decide_collective, not evaluate."""
        with pytest.raises(InvalidInputError, match="decide_collective"):
            evaluate(builtin_policy("stodig_start"), peb(), pot_of(PEB), DAY)

    def test_datetime_is_not_a_date(self) -> None:
        """``as_of`` must be a date, not a datetime."""
        with pytest.raises(InvalidInputError):
            evaluate(PEB, peb(), pot_of(PEB), datetime.datetime(2022, 3, 1))  # noqa: DTZ001

    def test_not_a_request(self) -> None:
        """A dict is not a request."""
        with pytest.raises(InvalidInputError):
            evaluate(PEB, {"id": "x"}, pot_of(PEB), DAY)  # type: ignore[arg-type]


class TestRender:
    """Decisions render as text in nb, nn and en."""

    @pytest.mark.parametrize(
        ("lang", "fragment"),
        [("nb", "Innvilget"), ("nn", "Innvilga"), ("en", "Granted")],
    )
    def test_languages(self, lang: Any, fragment: str) -> None:
        """The outcome is written in the language asked for."""
        decision, _ = decide(peb())
        assert fragment in render_decision(decision, lang, policy=PEB)

    def test_reasons_text_in_json(self) -> None:
        """JSON with a language gives each reason its text."""
        decision, _ = decide(peb(household=youth(30)))
        text = decision.to_dict(lang="en", reveal_identifiers=False)["reasons"][0]["text"]
        assert "The rule “youth_16_to_25” is not met." == text

    def test_rule_label(self) -> None:
        """With the policy, rules are named by their labels."""
        decision, _ = decide(peb(household=youth(30)))
        assert "ungdom i alderen 16–25 år" in render_decision(decision, "nb", policy=PEB)


SCALED = """
schema_version = 1
id = "scaled"
name = "Scaled by need and family size"
payment_type = "conditional"
amount = "min(request.amount, entitled)"

[[parameters]]
name = "per_person"
type = "money"
values = [{ valid_from = 2022-01-01, value = 10000, source = "test" }]

[[derived]]
name = "entitled"
type = "money"
expr = "params.per_person * (household.children + household.adults) * household.need_weight"
"""


class TestScaling:
    """Amounts can scale with need and family size (002:505, 002:1713)."""

    def decide_for(self, children: int, need: str) -> Decision:
        """A 100 000 kr request from a household of the given size and need."""
        household = Household(ref="h", children=children, adults=1, need_weight=Decimal(need))
        request = Request(id="s", household=household, amount=Money(100000))
        return evaluate(loads_policy(SCALED), request, Pot(id="p", total=Money(10**6)), DAY)[0]

    def test_larger_family_more(self) -> None:
        """A family of eight is entitled to more than a family of two."""
        assert Money(20000) == self.decide_for(1, "1").amount
        assert Money(80000) == self.decide_for(7, "1").amount

    def test_need_weight(self) -> None:
        """A need weight of 1.5 gives half as much again."""
        assert Money(30000) == self.decide_for(1, "1.5").amount

    def test_partial_names_amount_rule(self) -> None:
        """A request above what the amount rule gives is partly granted, saying why."""
        decision = self.decide_for(1, "1")
        assert DecisionStatus.PARTIAL == decision.status
        assert ["partly_granted", "amount_rule"] == codes(decision)


def test_huge_input_is_invalid() -> None:
    """A declared whole-number input beyond 10^15 is invalid, not used."""
    household = Household(
        ref="h", attributes={"youth_age": 10**30, "in_contact_with_services": True}
    )
    decision, _ = decide(peb(household=household))
    assert "invalid_input" == decision.reasons[0].code
