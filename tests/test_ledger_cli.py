"""``samskaping ledger ...``: commands, formats and exit codes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from samskaping._cli import main

REQUEST = """
id = "r-001"
amount = 20000
purpose = "gift_card_sports"

[household]
ref = "h-042"
attributes = { youth_age = 19, in_contact_with_services = true }
"""

BATCH = """
[[requests]]
id = "b-1"
amount = 500
purpose = "gift_card_sports"
household = { ref = "h-1", attributes = { youth_age = 19, in_contact_with_services = true } }

[[requests]]
id = "b-2"
amount = 700
purpose = "gift_card_sports"
household = { ref = "h-2", attributes = { youth_age = 40, in_contact_with_services = true } }
"""


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A ledger made by ``ledger init`` with a 20 000 kr decision pending."""
    path = str(tmp_path / "ledger.db")
    (tmp_path / "request.toml").write_text(REQUEST, encoding="utf-8")
    assert main(["ledger", "init", path, "--policy", "pa_egne_ben", "--actor", "anne"]) == 0
    decide = ["ledger", "decide", path, "--request", str(tmp_path / "request.toml"),
              "--as-of", "2021-09-01", "--actor", "anne"]  # fmt: skip
    assert main(decide) == 0
    return path


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, object]:
    capsys.readouterr()
    code = main([*argv, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


class TestCommands:
    """Each command, its output and its exit code."""

    def test_init_records_the_exact_policy_text(self, db: str) -> None:
        """Init registers the built-in policy's file text as it is."""
        from importlib import resources

        with sqlite3.connect(db) as conn:
            payload = json.loads(
                conn.execute("SELECT payload FROM entries WHERE seq = 1").fetchone()[0]
            )
        text = (resources.files("samskaping") / "data/policies/pa_egne_ben.toml").read_text("utf-8")
        assert payload["text"] == text

    def test_decide_records_pending(self, db: str, capsys: pytest.CaptureFixture[str]) -> None:
        """The decided request is pending approval."""
        code, data = _json(capsys, ["ledger", "history", db])
        assert code == 0
        assert [e["payload"].get("status") for e in data["entries"]][-1] == "pending_approval"  # type: ignore[index]

    def test_a_file_of_many_requests(self, db: str, tmp_path: Path) -> None:
        """A batch file is decided in one go; a rejected request makes exit code 1."""
        (tmp_path / "batch.toml").write_text(BATCH, encoding="utf-8")
        argv = ["ledger", "decide", db, "--request", str(tmp_path / "batch.toml"),
                "--as-of", "2021-09-01", "--actor", "anne"]  # fmt: skip
        assert main(argv) == 1

    def test_approve_twice_is_refused(self, db: str) -> None:
        """The proposer approving is refused with exit code 2."""
        assert main(["ledger", "approve", db, "r-001", "--actor", "anne"]) == 2

    def test_approve_by_another(self, db: str, capsys: pytest.CaptureFixture[str]) -> None:
        """A second person's approval grants it."""
        code, data = _json(capsys, ["ledger", "approve", db, "r-001", "--actor", "bjørn"])
        assert code == 0
        assert data["status"] == "granted"  # type: ignore[index]

    def test_reject(self, db: str, capsys: pytest.CaptureFixture[str]) -> None:
        """A rejection refuses it."""
        argv = ["ledger", "reject", db, "r-001", "--actor", "bjørn", "--reason", "no"]
        code, data = _json(capsys, argv)
        assert code == 0
        assert data["status"] == "refused"  # type: ignore[index]

    def test_reverse(self, db: str, capsys: pytest.CaptureFixture[str]) -> None:
        """A reversal points at the entry."""
        argv = ["ledger", "reverse", db, "3", "--actor", "bjørn", "--reason", "wrong"]
        code, data = _json(capsys, argv)
        assert code == 0
        assert data["payload"]["entry"] == 3  # type: ignore[index]

    def test_pot(self, db: str, capsys: pytest.CaptureFixture[str]) -> None:
        """The pot's balance, with the reserved money."""
        code, data = _json(capsys, ["ledger", "pot", db])
        assert code == 0
        assert data["pots"][0]["reserved"] == "20000.00"  # type: ignore[index]

    def test_history_hides_the_reference(self, db: str, capsys: pytest.CaptureFixture[str]) -> None:
        """A household's history shows no reference unless asked."""
        code, data = _json(capsys, ["ledger", "history", db, "--household", "h-042"])
        assert code == 0
        assert "ref" not in data  # type: ignore[operator]

    def test_history_reveals_when_asked(self, db: str, capsys: pytest.CaptureFixture[str]) -> None:
        """--reveal-identifiers shows it."""
        argv = ["ledger", "history", db, "--household", "h-042", "--reveal-identifiers"]
        _code, data = _json(capsys, argv)
        assert data["ref"] == "h-042"  # type: ignore[index]

    def test_verify_ok(self, db: str) -> None:
        """An untouched ledger verifies: exit code 0."""
        assert main(["ledger", "verify", db]) == 0

    def test_verify_tampered(self, db: str, capsys: pytest.CaptureFixture[str]) -> None:
        """An edited entry: exit code 1, and the entry is named."""
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE entries SET actor = 'eve' WHERE seq = 3")
        code, data = _json(capsys, ["ledger", "verify", db])
        assert code == 1
        assert data["first_bad"] == 3  # type: ignore[index]

    def test_verify_against_a_head(self, db: str) -> None:
        """--head with an unknown hash fails: exit code 1."""
        assert main(["ledger", "verify", db, "--head", "ab" * 32]) == 1

    def test_head(self, db: str, capsys: pytest.CaptureFixture[str]) -> None:
        """Head prints 64 hex digits."""
        capsys.readouterr()
        main(["ledger", "head", db])
        assert len(capsys.readouterr().out.strip()) == 64

    @pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
    def test_export(self, db: str, tmp_path: Path, fmt: str) -> None:
        """Export writes the file in the chosen format."""
        out = tmp_path / f"out.{fmt}"
        assert main(["ledger", "export", db, "--format", fmt, "-o", str(out)]) == 0
        assert out.exists()

    def test_forget_needs_force(self, db: str) -> None:
        """Within the retention period forget is refused: exit code 2."""
        argv = ["ledger", "forget", db, "--household", "h-042", "--actor", "anne"]
        assert main(argv) == 2

    def test_forced_forget(self, db: str) -> None:
        """With --force and a reason it is done, and the ledger verifies."""
        argv = ["ledger", "forget", db, "--household", "h-042", "--actor", "anne",
                "--force", "--reason", "asked"]  # fmt: skip
        assert main(argv) == 0
        assert main(["ledger", "verify", db]) == 0

    def test_a_missing_ledger(self, tmp_path: Path) -> None:
        """A ledger file that does not exist is bad input: exit code 2."""
        assert main(["ledger", "verify", str(tmp_path / "nope.db")]) == 2

    def test_several_pots_need_pot(self, db: str, tmp_path: Path) -> None:
        """With several pots, decide needs --pot."""
        from samskaping.ledger import open_ledger
        from samskaping.payouts import load_policy

        with open_ledger(db) as ledger:
            ledger.register_policy(load_policy("fritid_for_alle"), actor="anne")
            ledger.open_pot(policy_id="fritid_for_alle", actor="anne")
        (tmp_path / "batch.toml").write_text(BATCH, encoding="utf-8")
        argv = ["ledger", "decide", db, "--request", str(tmp_path / "batch.toml"), "--actor", "a"]
        assert main(argv) == 2


class TestRequestFiles:
    """Request files are JSON or TOML by their suffix, read once."""

    def test_yaml_request_is_an_unsupported_format(
        self, db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A ``.yaml`` request file is refused as an unsupported format, not misread as TOML."""
        (tmp_path / "request.yaml").write_text(REQUEST, encoding="utf-8")
        capsys.readouterr()
        argv = ["ledger", "decide", db, "--request", str(tmp_path / "request.yaml"),
                "--as-of", "2021-09-01", "--actor", "anne"]  # fmt: skip
        main(argv)
        assert "unsupported format" in capsys.readouterr().err

    def test_yaml_request_exits_2(self, db: str, tmp_path: Path) -> None:
        """A ``.yaml`` request file is bad input: exit 2."""
        (tmp_path / "request.yaml").write_text(REQUEST, encoding="utf-8")
        argv = ["ledger", "decide", db, "--request", str(tmp_path / "request.yaml"),
                "--as-of", "2021-09-01", "--actor", "anne"]  # fmt: skip
        assert 2 == main(argv)


GROUP = """
id = "g-1"
group = "gruppe-3"
members = ["m-1", "m-2"]

[[proposals]]
id = "boat"
title = "Båt"
cost = 800
split_among_members = true

[[proposals]]
id = "trip"
title = "Tur"
cost = 5000

[recorded]
selected = ["boat"]
decided_by = "project_group"
date = "2021-09-01"
"""


class TestCollective:
    """``ledger collective``: a group's decision recorded against a collective pot."""

    @pytest.fixture
    def group_db(self, tmp_path: Path) -> tuple[str, str]:
        """A ledger with Stødig start's pot open, and a group's request file."""
        path = str(tmp_path / "ledger.db")
        assert main(["ledger", "init", path, "--policy", "stodig_start"]) == 0
        request = tmp_path / "group.toml"
        request.write_text(GROUP, encoding="utf-8")
        return path, str(request)

    def _run(self, group_db: tuple[str, str], *more: str) -> int:
        path, request = group_db
        return main(["ledger", "collective", path, "--request", request, "--as-of",
                     "2021-09-01", "--actor", "gro", *more])  # fmt: skip

    def test_records_and_commits(
        self, group_db: tuple[str, str], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The funded proposal's cost is committed; exit 0."""
        capsys.readouterr()
        code = self._run(group_db)
        first = capsys.readouterr().out.splitlines()[0]
        assert 0 == code
        assert "g-1: partial 800.00 kr of 2000000.00 kr (entry 3)" == first

    def test_json_hides_the_group(
        self, group_db: tuple[str, str], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The JSON answer shows the group by pseudonym; members are nowhere."""
        capsys.readouterr()
        self._run(group_db, "--format", "json")
        out = capsys.readouterr().out
        assert "800.00" == json.loads(out)["funded"]
        assert "gruppe-3" not in out
        assert "m-1" not in out

    def test_repeated_is_the_same(self, group_db: tuple[str, str]) -> None:
        """The same request again records nothing new; the chain verifies."""
        self._run(group_db)
        self._run(group_db)
        assert main(["ledger", "verify", group_db[0]]) == 0

    def test_nothing_funded_exits_1(self, group_db: tuple[str, str], tmp_path: Path) -> None:
        """A decision that funds nothing exits with 1."""
        request = tmp_path / "none.toml"
        request.write_text(GROUP.replace('selected = ["boat"]', "selected = []"), encoding="utf-8")
        assert 1 == main(["ledger", "collective", group_db[0], "--request", str(request),
                          "--actor", "gro"])  # fmt: skip

    def test_not_collective_exits_2(self, db: str, tmp_path: Path) -> None:
        """A pot whose policy is not collective: exit 2, no traceback."""
        request = tmp_path / "group.toml"
        request.write_text(GROUP, encoding="utf-8")
        assert 2 == main(["ledger", "collective", db, "--request", str(request),
                          "--actor", "gro"])  # fmt: skip
