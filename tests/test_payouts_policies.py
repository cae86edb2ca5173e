"""Policies as data: loading, checking, effective dating, built-ins, round trips."""

from __future__ import annotations

import datetime
import json
import pickle
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samskaping import DocumentError, Money, UnknownNameError
from samskaping.model import PaymentType, PayoutScheme
from samskaping.payouts import (
    ApproverBody,
    BandSchedule,
    PolicyError,
    ValueType,
    builtin_policy,
    builtin_policy_names,
    check_policy,
    dumps_policy,
    load_policy,
    loads_policy,
    policy_from_data,
    policy_schema,
)
from samskaping.payouts._compiled import band_for, compile_policy
from strategies import band_schedules, policies, pot_of

CORPUS = Path(__file__).parent / "corpus" / "policies"
ITEM = re.compile(
    r"^(rule|parameter|derived value|band schedule|band|cap|flag|purpose|input|policy|referral"
    r"|gatekeeper|amount|value)\b"
)
BASE = """
schema_version = 1
id = "base"
name = "Base"
payment_type = "conditional"

[[parameters]]
name = "cap"
type = "money"
values = [
  { valid_from = 2022-01-01, valid_to = 2023-01-01, value = 5000, source = "a" },
  { valid_from = 2023-01-01, value = 6000, source = "b" },
]

[[parameters]]
name = "double_cap"
type = "money"
values = [{ valid_from = 2022-01-01, expr = "params.cap * 2" }]

[[eligibility]]
id = "has_children"
expr = "household.children >= 1"
"""


def corpus_files() -> list[Path]:
    """Every malformed or hostile policy file of the corpus."""
    return sorted(p for p in CORPUS.iterdir() if p.name != "expectations.json")


def expectation(path: Path) -> tuple[str, str]:
    """The path and message fragment the file's error must have."""
    if path.suffix == ".json":
        entry = json.loads((CORPUS / "expectations.json").read_text(encoding="utf-8"))[path.name]
        return entry["path"], entry["message"]
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[0].removeprefix("# expect-path: "), lines[1].removeprefix("# expect: ")


class TestCorpus:
    """Malformed and hostile policy files each give a clear PolicyError, never a crash."""

    def test_corpus_has_at_least_30_files(self) -> None:
        """The corpus holds at least 30 malformed or hostile policies."""
        assert len(corpus_files()) >= 30

    @pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
    def test_file_gives_policy_error_with_path_and_rule(self, path: Path) -> None:
        """Loading the file raises PolicyError with the expected problem at its path.

        Every problem names the rule or item it concerns.
        """
        expected_path, fragment = expectation(path)
        with pytest.raises(PolicyError) as info:
            load_policy(path)
        problems = info.value.problems
        matching = [p for p in problems if p.path == expected_path and fragment in p.message]
        assert matching, [str(p) for p in problems]
        assert [] == [str(p) for p in problems if not ITEM.match(p.message)]
        assert info.value.rules


class TestLoad:
    """Policies load from text and files and are checked as they load."""

    def test_loads_base(self) -> None:
        """A well-formed policy loads with its values typed."""
        policy = loads_policy(BASE)
        assert Money(5000) == policy.parameters[0].values[0].value

    def test_error_is_document_error(self) -> None:
        """PolicyError is a DocumentError (and a ValueError)."""
        assert issubclass(PolicyError, DocumentError)
        assert issubclass(PolicyError, ValueError)

    def test_every_problem_listed(self) -> None:
        """Two broken rules give two problems, each naming its rule."""
        text = (
            BASE
            + '\n[[eligibility]]\nid = "a"\nexpr = "x > 1"\n'
            + '\n[[eligibility]]\nid = "b"\nexpr = "1 +"\n'
        )
        with pytest.raises(PolicyError) as info:
            loads_policy(text)
        expected = ["rule 'a'", "rule 'b'"]
        assert expected == list(info.value.rules)

    def test_error_pickles(self) -> None:
        """A PolicyError survives pickling with its problems and rules."""
        with pytest.raises(PolicyError) as info:
            loads_policy(BASE.replace("household.children >= 1", "kids"))
        copy = pickle.loads(pickle.dumps(info.value))  # noqa: S301  (our own object)
        assert info.value.problems == copy.problems
        assert info.value.rules == copy.rules

    def test_unknown_builtin(self) -> None:
        """An unknown name is an UnknownNameError listing the built-in policies."""
        with pytest.raises(UnknownNameError) as info:
            load_policy("no_such_policy")
        assert "pa_egne_ben" in info.value.known

    def test_load_from_file(self, tmp_path: Path) -> None:
        """A policy file loads by path."""
        path = tmp_path / "base.toml"
        path.write_text(BASE, encoding="utf-8")
        assert "base" == load_policy(path).id

    def test_load_json(self) -> None:
        """A policy in JSON loads like one in TOML."""
        text = dumps_policy(loads_policy(BASE), "json")
        assert loads_policy(BASE) == loads_policy(text, "json")

    def test_policy_built_in_python(self) -> None:
        """A policy built in Python is normalised and checked by check_policy."""
        policy = attrs.evolve(loads_policy(BASE), eligibility=())
        assert () == check_policy(policy).eligibility

    def test_policy_from_data(self) -> None:
        """A policy can be built from parsed data."""
        data = {"id": "tiny", "name": "Tiny", "payment_type": "conditional"}
        assert "tiny" == policy_from_data(data).id


class TestEffectiveDating:
    """Parameters take their value as of a date; intervals are half-open."""

    def test_value_before_change(self) -> None:
        """The first value applies up to the day before the next starts."""
        compiled = compile_policy(loads_policy(BASE))
        assert 500_000 == compiled.params_at(datetime.date(2022, 12, 31)).env["params.cap"]

    def test_value_on_change_date(self) -> None:
        """The new value applies from its valid_from day."""
        compiled = compile_policy(loads_policy(BASE))
        assert 600_000 == compiled.params_at(datetime.date(2023, 1, 1)).env["params.cap"]

    def test_not_in_force_before_first_value(self) -> None:
        """Before the first value, the parameter has none (and is recorded as such)."""
        snapshot = compile_policy(loads_policy(BASE)).params_at(datetime.date(2021, 12, 31))
        assert "not_in_force" == snapshot.errors["params.cap"].why

    def test_expression_parameter_follows_its_inputs(self) -> None:
        """A parameter computed from another changes when that one does."""
        compiled = compile_policy(loads_policy(BASE))
        assert 1_200_000 == compiled.params_at(datetime.date(2023, 6, 1)).env["params.double_cap"]

    def test_chosen_value_keeps_source(self) -> None:
        """The value chosen for a date carries its source note."""
        snapshot = compile_policy(loads_policy(BASE)).params_at(datetime.date(2023, 6, 1))
        assert "b" == snapshot.chosen["cap"][0].source


class TestBuiltins:
    """The built-in policies load and reproduce the source."""

    def test_names(self) -> None:
        """The seven built-in policies are there by name."""
        expected = (
            "flyktningfamilien",
            "fritid_for_alle",
            "pa_egne_ben",
            "praktisk_grunnskole",
            "stodig_start",
            "tidlig_innsats_brundalen",
            "veien_til_forerkortet",
        )
        assert expected == builtin_policy_names()

    @pytest.mark.parametrize("name", builtin_policy_names())
    def test_every_figure_has_a_source(self, name: str) -> None:
        """Every parameter value of a built-in policy cites its source line."""
        policy = builtin_policy(name)
        missing = [
            p.name for p in policy.parameters for v in p.values if not (v.source or p.source)
        ]
        assert [] == missing
        assert policy.source
        assert pot_of(policy) is not None
        assert pot_of(policy).source

    def test_rate_1600(self) -> None:
        """Flyktningfamilien pays 1 600 kr per child per month from 2022-02-01 (002:492)."""
        rate = builtin_policy("flyktningfamilien").parameters[0].values[0]
        assert Money(1600) == rate.value
        assert datetime.date(2022, 2, 1) == rate.valid_from

    @pytest.mark.parametrize(
        ("amount", "band", "body"),
        [
            ("0", "worker_alone", ApproverBody.WORKER),
            ("9999.99", "worker_alone", ApproverBody.WORKER),
            ("10000.00", "with_colleague", ApproverBody.WORKER_AND_COLLEAGUE),
            ("50000.00", "with_colleague", ApproverBody.WORKER_AND_COLLEAGUE),
            ("50000.01", "group", ApproverBody.PROJECT_GROUP),
        ],
    )
    def test_band_edges(self, amount: Any, band: str, body: Any) -> None:
        """The band edges at 10 000 and 50 000 kr fall as documented (002:1711)."""
        schedule = builtin_policy("pa_egne_ben").approval_bands[0]
        found = band_for(schedule, Money(amount))
        assert band == found.id
        assert body == found.approvers

    def test_design_default_band_is_marked(self) -> None:
        """The 'worker alone' band says it is a design default, not from the source."""
        band = builtin_policy("pa_egne_ben").approval_bands[0].bands[0]
        assert band.source is None
        assert "not in the source" in (band.note or "")

    def test_fritid_pot(self) -> None:
        """Fritid for alle's pot is the 500 000 kr six families shared (002:505)."""
        pot = pot_of(builtin_policy("fritid_for_alle"))
        assert Money(500000) == pot.total
        assert "002:505" == pot.source

    def test_payment_types(self) -> None:
        """Each built-in policy has the payout type of its sub-project (002 table 1)."""
        kinds = {name: builtin_policy(name).payment_type for name in builtin_policy_names()}
        assert PaymentType.UNCONDITIONAL == kinds["flyktningfamilien"]
        assert PaymentType.COLLECTIVE == kinds["veien_til_forerkortet"]

    def test_veien_gatekeepers(self) -> None:
        """Veien til førerkortet names the three gatekeepers of 002:1910."""
        terms = builtin_policy("veien_til_forerkortet").collective
        assert terms is not None
        expected = ("police", "driving_school", "roads_authority")
        assert expected == tuple(g.id for g in terms.gatekeepers)


class TestRoundTrip:
    """Policies dump and load back equal."""

    @pytest.mark.parametrize("name", builtin_policy_names())
    @pytest.mark.parametrize("fmt", ["toml", "json"])
    def test_builtin(self, name: str, fmt: Any) -> None:
        """A built-in policy written out reads back equal."""
        policy = builtin_policy(name)
        assert policy == loads_policy(dumps_policy(policy, fmt), fmt)

    @given(policies(), st.sampled_from(["toml", "json"]))
    @settings(max_examples=60)
    def test_generated(self, policy: Any, fmt: Any) -> None:
        """Property: any valid policy written out reads back equal."""
        checked = check_policy(policy)
        assert checked == loads_policy(dumps_policy(checked, fmt), fmt)


class TestBands:
    """Approval bands cover every amount from 0 kr exactly once."""

    @given(band_schedules, st.integers(0, 2 * 10**9).map(Money.from_ore))
    @settings(max_examples=200)
    def test_every_amount_in_exactly_one_band(self, schedule: BandSchedule, amount: Any) -> None:
        """Property: each amount falls in exactly one band of a checked schedule."""
        policy = loads_policy(BASE)
        check_policy(attrs.evolve(policy, approval_bands=(schedule,)))
        assert 1 == sum(band.contains(amount) for band in schedule.bands)

    @given(st.integers(0, 10**9).map(Money.from_ore))
    @settings(max_examples=200)
    def test_builtin_bands(self, amount: Any) -> None:
        """Property: each amount falls in exactly one band of På egne ben."""
        bands = builtin_policy("pa_egne_ben").approval_bands[0].bands
        assert 1 == sum(band.contains(amount) for band in bands)


class TestSchema:
    """The JSON Schema of policy files."""

    def test_schema_describes_policy(self) -> None:
        """The schema's root is the policy, with its required keys."""
        schema = policy_schema()
        assert {"id", "name", "payment_type"} <= set(schema["$defs"]["Policy"]["required"])

    def test_parameter_value_is_a_literal(self) -> None:
        """A parameter value may be any literal of the declared types."""
        value = policy_schema()["$defs"]["ParameterValue"]["properties"]["value"]
        assert {"string", "integer", "number", "boolean", "array", "null"} == {
            o["type"] for o in value["anyOf"]
        }

    def test_value_types_listed(self) -> None:
        """The declared types are the expression language's types."""
        assert [k.value for k in ValueType] == policy_schema()["$defs"]["ValueType"]["enum"]


def test_decimal_parameters_stay_exact() -> None:
    """A decimal parameter keeps its exact value."""
    text = (
        BASE
        + '\n[[parameters]]\nname = "w"\ntype = "decimal"\n'
        + "values = [{ valid_from = 2022-01-01, value = 0.1 }]\n"
    )
    assert Decimal("0.1") == loads_policy(text).parameters[-1].values[0].value


class TestEmbeddedExample:
    """The innbyggernes_modell example names the built-in policies."""

    def schemes(self) -> list[PayoutScheme]:
        """Every payout scheme of the Trondheim example."""
        from samskaping.examples import load_example
        from samskaping.model import iter_projects

        document = load_example("innbyggernes_modell")
        return [
            scheme for _, project in iter_projects(document) for scheme in project.payout_schemes
        ]

    def test_every_builtin_is_named(self) -> None:
        """Each built-in policy is used by a scheme of the example."""
        named = {scheme.policy for scheme in self.schemes()}
        assert set(builtin_policy_names()) == named

    def test_types_agree(self) -> None:
        """Each scheme has the payout type of the policy it names."""
        pairs = [
            (s.payment_type, builtin_policy(s.policy).payment_type)
            for s in self.schemes()
            if s.policy
        ]
        assert [] == [pair for pair in pairs if pair[0] is not pair[1]]

    def test_scheme_pots_allow_their_policy(self) -> None:
        """Each scheme's pot allows its policy's payout type."""
        wrong = [
            s.id
            for s in self.schemes()
            if s.policy
            and s.pot
            and s.pot.allowed_types
            and builtin_policy(s.policy).payment_type not in s.pot.allowed_types
        ]
        assert [] == wrong
