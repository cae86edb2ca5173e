"""``samskaping ledger``: the text and JSON forms of each command, and its options."""

from __future__ import annotations

import json
from importlib import resources

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

SMALL = """
id = "r-002"
amount = 500
purpose = "gift_card_sports"

[household]
ref = "h-043"
attributes = { youth_age = 19, in_contact_with_services = true }
"""


@pytest.fixture
def db(tmp_path):
    """A ledger initialised from a policy file, with a 20 000 kr decision pending."""
    policy = tmp_path / "policy.toml"
    text = (resources.files("samskaping") / "data/policies/pa_egne_ben.toml").read_text("utf-8")
    policy.write_text(text, encoding="utf-8")
    (tmp_path / "request.toml").write_text(REQUEST, encoding="utf-8")
    (tmp_path / "small.toml").write_text(SMALL, encoding="utf-8")
    path = str(tmp_path / "ledger.db")
    assert 0 == main(["ledger", "init", path, "--policy", str(policy), "--actor", "anne"])
    decide = ["ledger", "decide", path, "--request", str(tmp_path / "request.toml"),
              "--as-of", "2021-09-01", "--actor", "anne"]  # fmt: skip
    assert 0 == main(decide)
    return path


def _out(capsys, argv):
    """The exit code and standard output of one command."""
    capsys.readouterr()
    code = main(argv)
    return code, capsys.readouterr().out


def test_init_as_json_names_the_policy_hash(tmp_path, capsys):
    """``ledger init --format json`` prints the registered policy's hash and the pot."""
    path = str(tmp_path / "j.db")
    code, out = _out(capsys, ["ledger", "init", path, "--policy", "pa_egne_ben",
                              "--actor", "anne", "--format", "json"])  # fmt: skip
    assert 0 == code
    assert 64 == len(json.loads(out)["policy"])


def test_decide_with_a_named_pot_as_json(db, tmp_path, capsys):
    """``--pot`` names the pot, and JSON lists the decisions made."""
    argv = ["ledger", "decide", db, "--request", str(tmp_path / "small.toml"),
            "--pot", "pa_egne_ben", "--as-of", "2021-09-01", "--actor", "anne",
            "--format", "json"]  # fmt: skip
    code, out = _out(capsys, argv)
    assert 0 == code
    assert 1 == len(json.loads(out)["decisions"])


def test_approve_in_text(db, capsys):
    """A second person's approval is printed as one line with the new status."""
    code, out = _out(capsys, ["ledger", "approve", db, "r-001", "--actor", "bjørn"])
    assert 0 == code
    assert "granted" in out


def test_reverse_in_text(db, capsys):
    """A reversal is printed with the entry it reverses."""
    argv = ["ledger", "reverse", db, "3", "--actor", "bjørn", "--reason", "wrong"]
    code, out = _out(capsys, argv)
    assert 0 == code
    assert "reversal of entry 3" in out


def test_pot_in_text(db, capsys):
    """The pot's balance is printed in text, with what is reserved."""
    code, out = _out(capsys, ["ledger", "pot", db])
    assert 0 == code
    assert "20000.00" in out


def test_history_in_text_for_one_household(db, capsys):
    """A household's history in text starts with what it received, without its reference."""
    code, out = _out(capsys, ["ledger", "history", db, "--household", "h-042"])
    assert 0 == code
    assert "received" in out.splitlines()[0]


def test_history_in_text_hides_the_reference(db, capsys):
    """Without ``--reveal-identifiers`` the household's reference is not printed."""
    _, out = _out(capsys, ["ledger", "history", db, "--household", "h-042"])
    assert "h-042" not in out


def test_history_of_one_pot(db, capsys):
    """``--pot`` keeps the entries of that pot only."""
    code, out = _out(capsys, ["ledger", "history", db, "--pot", "pa_egne_ben", "--format", "json"])
    assert 0 == code
    assert {"pa_egne_ben"} == {e["pot_id"] for e in json.loads(out)["entries"]}


def test_history_in_text_lists_every_entry(db, capsys):
    """The whole history in text has one line per entry."""
    code, out = _out(capsys, ["ledger", "history", db])
    assert 0 == code
    assert 3 == len(out.splitlines())


def test_head_as_json(db, capsys):
    """``ledger head --format json`` prints the head hash in an object."""
    code, out = _out(capsys, ["ledger", "head", db, "--format", "json"])
    assert 0 == code
    assert 64 == len(json.loads(out)["head"])
