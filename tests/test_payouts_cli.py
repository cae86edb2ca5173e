"""``samskaping payout evaluate|plan|simulate|policies``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import samskaping._cli as cli

REQUEST = """
id = "r1"
amount = 12000
purpose = "holiday"

[household]
ref = "hh-secret-77"
attributes = { youth_age = 19, in_contact_with_services = true }
"""
REJECTED = REQUEST.replace("youth_age = 19", "youth_age = 40")
BATCH = """
[[requests]]
id = "a"
amount = 100000
purpose = "home_furnishing"
household = { ref = "h1", children = 3, attributes = { long_term_social_assistance = true } }

[[requests]]
id = "b"
amount = 450000
purpose = "home_furnishing"

[requests.household]
ref = "h2"
children = 7
need_weight = 2
attributes = { long_term_social_assistance = true }
"""
COHORT = """
id = "ti_familier"

[[members]]
ref = "fam-01"
children = [{}, {}, {}, {}]

[[members]]
ref = "fam-02"
children = [{}, {}, {}, {}, {}, {}, {}, {}]
"""
COLLECTIVE = """
id = "runde1"
group = "veien"
members = ["u1", "u2", "u3"]
budget = 60000

[[proposals]]
id = "forerkort"
title = "Kjøreopplæring og førerkort"
cost = 45000
purpose = "driving_licence"
split_among_members = true
gatekeepers = [{ gatekeeper = "police" }, { gatekeeper = "driving_school" }]

[recorded]
selected = ["forerkort"]
decided_by = "citizen_group"
date = 2021-10-01
"""
POPULATION = (
    "id,type,children,in_cohort\na,single_parent,4,true\nb,couple,2,true\nc,couple,3,false\n"
)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    """Request, cohort, collective and population files."""
    paths: dict[str, str] = {}
    for name, text in {
        "request.toml": REQUEST,
        "rejected.toml": REJECTED,
        "batch.toml": BATCH,
        "cohort.toml": COHORT,
        "collective.toml": COLLECTIVE,
        "population.csv": POPULATION,
    }.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths[name] = str(path)
    return paths


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command line; return the exit code, standard output and standard error."""
    code = cli.main(["payout", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


class TestEvaluate:
    """``payout evaluate``."""

    def test_text(self, capsys: pytest.CaptureFixture[str], files: dict[str, str]) -> None:
        """A granted request prints its decision and exits 0."""
        code, out, _ = run(
            capsys,
            "evaluate",
            "--policy",
            "pa_egne_ben",
            "--request",
            files["request.toml"],
            "--as-of",
            "2022-03-01",
        )
        assert 0 == code
        assert "Avgjørelse: innvilget" in out

    def test_json(self, capsys: pytest.CaptureFixture[str], files: dict[str, str]) -> None:
        """JSON output has the documented shape, with the pot after the decision."""
        _, out, _ = run(
            capsys,
            "evaluate",
            "--policy",
            "pa_egne_ben",
            "--request",
            files["request.toml"],
            "--as-of",
            "2022-03-01",
            "--format",
            "json",
            "--trace",
            "--lang",
            "en",
        )
        data = json.loads(out)
        assert 1 == data["schema_version"]
        assert "granted" == data["status"]
        assert "with_colleague" == data["approvers"]["band"]
        assert "988000.00" == data["pot_after"]["available"]
        assert data["trace"]

    def test_rejected_exit_code(
        self, capsys: pytest.CaptureFixture[str], files: dict[str, str]
    ) -> None:
        """A rejected request exits 1."""
        code, _, _ = run(
            capsys,
            "evaluate",
            "--policy",
            "pa_egne_ben",
            "--request",
            files["rejected.toml"],
            "--as-of",
            "2022-03-01",
        )
        assert 1 == code

    def test_hides_household(
        self, capsys: pytest.CaptureFixture[str], files: dict[str, str]
    ) -> None:
        """The household reference is hidden unless revealed."""
        _, out, _ = run(
            capsys,
            "evaluate",
            "--policy",
            "pa_egne_ben",
            "--request",
            files["request.toml"],
            "--as-of",
            "2022-03-01",
            "--format",
            "json",
        )
        assert "hh-secret-77" not in out
        _, out, _ = run(
            capsys,
            "evaluate",
            "--policy",
            "pa_egne_ben",
            "--request",
            files["request.toml"],
            "--as-of",
            "2022-03-01",
            "--format",
            "json",
            "--reveal-identifiers",
        )
        assert "hh-secret-77" in out

    def test_batch_allocates(
        self, capsys: pytest.CaptureFixture[str], files: dict[str, str]
    ) -> None:
        """A file of several requests is allocated against the pot."""
        code, out, _ = run(
            capsys,
            "evaluate",
            "--policy",
            "fritid_for_alle",
            "--request",
            files["batch.toml"],
            "--as-of",
            "2022-08-01",
            "--format",
            "json",
        )
        data = json.loads(out)
        assert 0 == code
        assert "allocation" == data["kind"]
        assert ["b", "a"] == data["order"]

    def test_collective(self, capsys: pytest.CaptureFixture[str], files: dict[str, str]) -> None:
        """A collective policy decides the group's proposals."""
        code, out, _ = run(
            capsys,
            "evaluate",
            "--policy",
            "veien_til_forerkortet",
            "--request",
            files["collective.toml"],
            "--as-of",
            "2021-10-01",
            "--format",
            "json",
        )
        data = json.loads(out)
        assert 0 == code
        assert "awaiting_gatekeepers" == data["outcomes"][0]["status"]
        assert "15000.00" == data["outcomes"][0]["shares"][0]["amount"]

    def test_malformed_request(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A malformed request file exits 2 with every problem, no traceback."""
        path = tmp_path / "bad.toml"
        path.write_text('id = "r"\namount = "lots"\n', encoding="utf-8")
        code, _, err = run(
            capsys,
            "evaluate",
            "--policy",
            "pa_egne_ben",
            "--request",
            str(path),
            "--as-of",
            "2022-03-01",
        )
        assert 2 == code
        assert "$.amount" in err
        assert "Traceback" not in err

    def test_unknown_policy(
        self, capsys: pytest.CaptureFixture[str], files: dict[str, str]
    ) -> None:
        """An unknown policy exits 2 and lists the built-in ones."""
        code, _, err = run(
            capsys,
            "evaluate",
            "--policy",
            "nope",
            "--request",
            files["request.toml"],
            "--as-of",
            "2022-03-01",
        )
        assert 2 == code
        assert "pa_egne_ben" in err


class TestPlan:
    """``payout plan``."""

    def test_text(self, capsys: pytest.CaptureFixture[str], files: dict[str, str]) -> None:
        """The plan prints 19 200 kr a month for 12 children (4 and 8)."""
        code, out, _ = run(
            capsys,
            "plan",
            "--policy",
            "flyktningfamilien",
            "--cohort",
            files["cohort.toml"],
            "--months",
            "2",
        )
        assert 0 == code
        assert "19\xa0200,00\xa0kr" in out

    def test_json(self, capsys: pytest.CaptureFixture[str], files: dict[str, str]) -> None:
        """The plan's JSON lists payments by household index, without references."""
        _, out, _ = run(
            capsys,
            "plan",
            "--policy",
            "flyktningfamilien",
            "--cohort",
            files["cohort.toml"],
            "--format",
            "json",
        )
        data = json.loads(out)
        assert "230400.00" == data["total"]
        assert 24 == len(data["payments"])
        assert "fam-01" not in out


class TestSimulate:
    """``payout simulate``."""

    def test_compare_json(self, capsys: pytest.CaptureFixture[str], files: dict[str, str]) -> None:
        """Two policies on one population give two results."""
        code, out, _ = run(
            capsys,
            "simulate",
            "--policy",
            "flyktningfamilien",
            "--policy",
            "flyktningfamilien",
            "--population",
            files["population.csv"],
            "--as-of",
            "2022-03-01",
            "--format",
            "json",
        )
        data = json.loads(out)
        assert 0 == code
        assert 2 == len(data["results"])
        assert "9600.00" == data["results"][0]["total"]

    def test_text(self, capsys: pytest.CaptureFixture[str], files: dict[str, str]) -> None:
        """The text shows reach and the breakdown by household type."""
        _, out, _ = run(
            capsys,
            "simulate",
            "--policy",
            "flyktningfamilien",
            "--population",
            files["population.csv"],
            "--as-of",
            "2022-03-01",
            "--lang",
            "en",
        )
        assert "3 households, 2 reached" in out
        assert "single_parent" in out


class TestPolicies:
    """``payout policies``."""

    def test_text(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The built-in policies are listed by name."""
        code, out, _ = run(capsys, "policies")
        assert 0 == code
        assert 7 == len(out.strip().splitlines())

    def test_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The JSON list names each policy with its payout type and source."""
        _, out, _ = run(capsys, "policies", "--format", "json")
        data = json.loads(out)
        assert {"name", "title", "payment_type", "version", "source"} == set(data["policies"][0])

    def test_schema(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``--schema`` prints the JSON Schema of policy files."""
        _, out, _ = run(capsys, "policies", "--schema")
        assert "samskaping payout policy" == json.loads(out)["title"]


class TestJsonShapes:
    """The JSON shapes documented in docs/payouts.md are the ones printed."""

    def test_decision_keys(self, capsys: pytest.CaptureFixture[str], files: dict[str, str]) -> None:
        """A decision has exactly the documented keys."""
        _, out, _ = run(
            capsys,
            "evaluate",
            "--policy",
            "pa_egne_ben",
            "--request",
            files["request.toml"],
            "--as-of",
            "2022-03-01",
            "--format",
            "json",
        )
        expected = {
            "schema_version", "kind", "request_id", "household", "policy", "as_of", "payment_type",
            "status", "requested", "amount", "approvers", "reasons", "flags", "documentation",
            "trace", "inputs", "pot_after",
        }  # fmt: skip
        assert expected == set(json.loads(out))

    def test_plan_keys(self, capsys: pytest.CaptureFixture[str], files: dict[str, str]) -> None:
        """A payment plan has exactly the documented keys."""
        _, out, _ = run(
            capsys,
            "plan",
            "--policy",
            "flyktningfamilien",
            "--cohort",
            files["cohort.toml"],
            "--format",
            "json",
        )
        expected = {
            "schema_version", "kind", "policy", "cohort", "start", "end", "proration",
            "cohort_kind", "total", "by_date", "payments", "excluded",
        }  # fmt: skip
        assert expected == set(json.loads(out))

    def test_simulation_keys(
        self, capsys: pytest.CaptureFixture[str], files: dict[str, str]
    ) -> None:
        """A comparison and its results have exactly the documented keys."""
        _, out, _ = run(
            capsys,
            "simulate",
            "--policy",
            "flyktningfamilien",
            "--population",
            files["population.csv"],
            "--as-of",
            "2022-03-01",
            "--format",
            "json",
        )
        data = json.loads(out)
        result = {
            "schema_version", "kind", "policy", "as_of", "engine", "households", "reached",
            "reach_share", "total", "pot_total", "within_pot", "statuses", "reasons", "by_type",
        }  # fmt: skip
        assert {"schema_version", "kind", "as_of", "households", "results"} == set(data)
        assert result == set(data["results"][0])
