"""Inputs declared personal are hidden in traces, renders and errors unless revealed."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest

from samskaping import Money
from samskaping.model import Pot
from samskaping.payouts import (
    Household,
    PolicyError,
    Request,
    dumps_policy,
    evaluate,
    loads_policy,
    policy_schema,
)
from samskaping.report import render_decision, render_trace

FNR = "01017012345"
DAY = datetime.date(2022, 1, 1)
POLICY_TEXT = """
id = "fnr_demo"
name = "Demo"
version = "1"
payment_type = "conditional"
amount = "request.amount"

[[inputs]]
name = "household.fnr"
type = "str"
personal = true

[[inputs]]
name = "household.district"
type = "str"

[[derived]]
name = "fnr_copy"
type = "str"
expr = "household.fnr"

[[eligibility]]
id = "has_fnr"
expr = "fnr_copy != '' and household.district != ''"
"""
POLICY = loads_policy(POLICY_TEXT, "toml")
REQUEST = Request(
    id="r1",
    household=Household(ref="h1", attributes={"fnr": FNR, "district": "Heimdal"}),
    amount=Money(100),
)


def decide() -> object:
    """The demo request decided with a trace."""
    return evaluate(POLICY, REQUEST, Pot(id="p", total=Money(1000)), DAY, trace=True)[0]


class TestHidden:
    """A personal value never appears unless asked for."""

    def test_render_decision_hides(self) -> None:
        """The rendered decision with its trace does not show the number (was printed verbatim)."""
        assert FNR not in render_decision(decide(), "en")  # type: ignore[arg-type]

    def test_render_trace_hides(self) -> None:
        """The rendered trace shows the input as hidden."""
        text = render_trace(decide().trace, "en")  # type: ignore[attr-defined]
        assert "The input household.fnr is [hidden]" in text

    def test_derived_value_hidden(self) -> None:
        """A value derived from a personal input is hidden too."""
        text = render_trace(decide().trace, "en")  # type: ignore[attr-defined]
        assert "The derived value fnr_copy is [hidden]" in text

    def test_other_inputs_shown(self) -> None:
        """Inputs not declared personal are shown as before."""
        assert "Heimdal" in render_trace(decide().trace, "en")  # type: ignore[attr-defined]

    def test_json_hides(self) -> None:
        """The decision's JSON does not hold the number."""
        assert FNR not in json.dumps(decide().to_dict())  # type: ignore[attr-defined]

    def test_revealed_on_request(self) -> None:
        """With reveal_identifiers=True the value is shown, as household references are."""
        decision = decide()
        assert FNR in render_decision(decision, "en", reveal_identifiers=True)  # type: ignore[arg-type]
        assert FNR in json.dumps(decision.to_dict(reveal_identifiers=True))  # type: ignore[attr-defined]

    def test_not_kept_on_the_decision(self) -> None:
        """The decision's recorded inputs (for fairness reports) leave personal values out."""
        names = [name for name, _ in decide().inputs]  # type: ignore[attr-defined]
        assert "household.fnr" not in names
        assert "household.district" in names

    def test_request_repr_hides_attribute_values(self) -> None:
        """A request's repr names its attributes but not their values."""
        assert FNR not in repr(REQUEST)
        assert "'fnr'" in repr(REQUEST)

    def test_bad_default_not_echoed(self) -> None:
        """A malformed default of a personal input is not repeated in the error."""
        text = POLICY_TEXT.replace("personal = true", "personal = true\ndefault = 12345678901")
        with pytest.raises(PolicyError) as info:
            loads_policy(text, "toml")
        assert "12345678901" not in str(info.value)

    def test_cli_trace_hides(self, tmp_path: Path) -> None:
        """The command payout evaluate --trace prints no personal value (it did)."""
        policy = tmp_path / "policy.toml"
        policy.write_text(POLICY_TEXT, encoding="utf-8")
        request = tmp_path / "request.toml"
        request.write_text(
            'id = "r1"\namount = "100"\n[household]\nref = "h1"\n'
            f'attributes = {{ fnr = "{FNR}", district = "Heimdal" }}\n',
            encoding="utf-8",
        )
        pot = tmp_path / "pot.toml"
        pot.write_text('id = "p"\ntotal = "1000"\n', encoding="utf-8")
        args = [sys.executable, "-m", "samskaping", "payout", "evaluate", "--policy", str(policy)]
        args += ["--request", str(request), "--pot", str(pot), "--as-of", "2022-01-01", "--trace"]
        for extra in ([], ["--format", "json"]):
            out = subprocess.run([*args, *extra], capture_output=True, text=True, check=False)  # noqa: S603
            assert 0 == out.returncode
            assert FNR not in out.stdout + out.stderr


class TestDeclared:
    """personal is part of the policy format."""

    def test_round_trip(self) -> None:
        """The personal flag survives dumping and loading."""
        again = loads_policy(dumps_policy(POLICY, "json"), "json")
        assert [True, False] == [d.personal for d in again.inputs]

    def test_schema_has_personal(self) -> None:
        """The policy JSON Schema declares personal as a boolean."""
        schema = json.dumps(policy_schema())
        assert '"personal"' in schema
