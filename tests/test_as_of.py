"""One rule for ``--as-of``: the document's own date, else today in Europe/Oslo."""

from __future__ import annotations

import argparse
import datetime
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import samskaping._cli as cli
from samskaping._cli import _as_of

REQUEST = """
id = "r1"
amount = 12000
purpose = "holiday"

[household]
ref = "hh-1"
attributes = { youth_age = 19, in_contact_with_services = true }
"""
POPULATION = "id,type,children,in_cohort\na,single_parent,4,true\nb,couple,2,true\n"


def _commands(
    parser: argparse.ArgumentParser, words: tuple[str, ...] = ()
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield " ".join(words), parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*words, name))


def _as_of_actions() -> dict[str, argparse.Action]:
    found = {}
    for name, parser in _commands(cli.build_parser()):
        for action in parser._actions:
            if "--as-of" in action.option_strings:
                found[name] = action
    return found


@pytest.fixture
def frozen_today(monkeypatch: pytest.MonkeyPatch) -> datetime.date:
    """Today in Europe/Oslo, fixed to one date for the test."""
    day = datetime.date(2024, 5, 17)
    monkeypatch.setattr(_as_of, "today", lambda: day)
    return day


class TestOneRule:
    """Every command with ``--as-of`` follows and states the same rule."""

    def test_the_commands_with_a_date(self) -> None:
        """The commands that take ``--as-of`` are the ones the rule names."""
        expected = {
            "report",
            "score goals",
            "payout evaluate",
            "payout simulate",
            "payout sweep",
            "ledger decide",
            "ledger collective",
        }
        assert expected == set(_as_of_actions())

    @pytest.mark.parametrize("command", ["report", "score goals"])
    def test_document_commands_state_the_documents_date(self, command: str) -> None:
        """A command on a document says its default is the document's own date."""
        assert _as_of.DOCUMENT_HELP == _as_of_actions()[command].help

    @pytest.mark.parametrize(
        "command",
        [
            "payout evaluate",
            "payout simulate",
            "payout sweep",
            "ledger decide",
            "ledger collective",
        ],
    )
    def test_live_commands_state_today(self, command: str) -> None:
        """A command on an input with no date says its default is today in Europe/Oslo."""
        assert _as_of.LIVE_HELP == _as_of_actions()[command].help

    def test_no_command_requires_a_date(self) -> None:
        """``--as-of`` is optional everywhere: the rule gives the default."""
        assert [] == [name for name, a in _as_of_actions().items() if a.required]

    def test_today_is_a_date(self) -> None:
        """Today in Europe/Oslo is a calendar date, within a day of the machine's."""
        gap = abs(_as_of.today() - datetime.datetime.now(datetime.UTC).date())
        assert gap <= datetime.timedelta(days=1)


class TestDefaults:
    """What each command uses when ``--as-of`` is not given."""

    def test_payout_evaluate_uses_today(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], frozen_today: datetime.date
    ) -> None:
        """``payout evaluate`` without ``--as-of`` decides as of today."""
        request = tmp_path / "request.toml"
        request.write_text(REQUEST, encoding="utf-8")
        cli.main(
            ["payout", "evaluate", "--policy", "pa_egne_ben", "--request", str(request),
             "--format", "json"]
        )  # fmt: skip
        assert frozen_today.isoformat() == json.loads(capsys.readouterr().out)["as_of"]

    def test_payout_simulate_uses_today(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], frozen_today: datetime.date
    ) -> None:
        """``payout simulate`` without ``--as-of`` simulates as of today."""
        population = tmp_path / "population.csv"
        population.write_text(POPULATION, encoding="utf-8")
        cli.main(
            ["payout", "simulate", "--policy", "flyktningfamilien", "--population",
             str(population), "--format", "json"]
        )  # fmt: skip
        assert frozen_today.isoformat() == json.loads(capsys.readouterr().out)["as_of"]

    def test_payout_sweep_uses_today_for_a_dateless_grid(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], frozen_today: datetime.date
    ) -> None:
        """``payout sweep`` runs a grid with no dates as of today."""
        population = tmp_path / "population.csv"
        population.write_text(POPULATION, encoding="utf-8")
        grid = tmp_path / "grid.toml"
        grid.write_text("[parameters]\nrate_per_child = [1400]\n", encoding="utf-8")
        cli.main(
            ["payout", "sweep", "--policy", "flyktningfamilien", "--population",
             str(population), "--grid", str(grid), "--format", "json"]
        )  # fmt: skip
        scenarios = json.loads(capsys.readouterr().out)["scenarios"]
        assert frozen_today.isoformat() == scenarios[0]["as_of"]

    def test_report_uses_the_documents_end(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``report`` without ``--as-of`` is as of the end of the document's period."""
        cli.main(["report", "--example", "innbyggerbasen", "--format", "json"])
        data = json.loads(capsys.readouterr().out)
        assert data["summary"]["end"] == data["as_of"]

    def test_a_given_date_wins(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``--as-of DATE`` is honoured over the document's own date."""
        cli.main(
            ["report", "--example", "innbyggerbasen", "--format", "json", "--as-of", "2022-01-31"]
        )
        assert "2022-01-31" == json.loads(capsys.readouterr().out)["as_of"]
