"""``samskaping score risk|goals|utenfor|assessment``."""
# ruff: noqa: S314  (the XML parsed is our own SVG)

from __future__ import annotations

import argparse
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import samskaping
from samskaping._cli import _COMMANDS, _score
from samskaping._errors import SamskapingError
from test_scoring_sources import stovner, trondheim


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the score command as the command line does; return (code, stdout, stderr)."""
    parser = argparse.ArgumentParser(prog="samskaping")
    _score.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    try:
        code = args.run(args)
    except SamskapingError as exc:
        sys.stderr.write(f"samskaping: error: {exc}\n")
        code = 2
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def stovner_file(tmp_path: Path) -> Path:
    """Stovner's document as a JSON file."""
    path = tmp_path / "stovner.json"
    samskaping.dump(stovner(), path)
    return path


@pytest.fixture
def trondheim_file(tmp_path: Path) -> Path:
    """Trondheim's document as a TOML file."""
    path = tmp_path / "trondheim.toml"
    samskaping.dump(trondheim(), path)
    return path


class TestScoreCommand:
    """The four areas print text or JSON."""

    def test_is_registered(self) -> None:
        """The score command is one of the command line's commands."""
        assert "score" in _COMMANDS

    def test_risk_text(self, stovner_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The risk text lists the three bands with two risks each."""
        code, out, _ = run(["score", "risk", str(stovner_file)], capsys)
        assert 0 == code
        assert ["lav 2", "moderat 2", "alvorlig 2"] == [
            " ".join(line.split()[:2]) for line in out.splitlines()[3:6]
        ]

    def test_risk_json_shape(self, stovner_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The JSON has schema_version 1, the area and one report per project."""
        _, out, _ = run(["score", "risk", str(stovner_file), "--format", "json"], capsys)
        data = json.loads(out)
        assert 1 == data["schema_version"]
        assert "risk" == data["area"]
        assert "innbyggerbasen" == data["document"]["id"]
        assert 1 == len(data["reports"])

    def test_risk_svg(
        self, stovner_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--svg writes a heat map that parses as XML."""
        picture = tmp_path / "map.svg"
        run(["score", "risk", str(stovner_file), "--svg", str(picture), "--lang", "en"], capsys)
        assert "svg" in ET.parse(picture).getroot().tag

    def test_goals_json(self, stovner_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The goals JSON gives Stovner's level hoy."""
        _, out, _ = run(
            ["score", "goals", str(stovner_file), "--format", "json", "--as-of", "2024-06-30"],
            capsys,
        )
        assert "hoy" == json.loads(out)["reports"][0]["attainment"]["level"]

    def test_goals_text_in_english(
        self, stovner_file: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--lang en writes the goals report in English."""
        _, out, _ = run(
            ["score", "goals", str(stovner_file), "--lang", "en", "--as-of", "2024-06-30"], capsys
        )
        assert "Level: high" in out

    def test_utenfor_with_profile(
        self, trondheim_file: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """With the illustrative profile, the utenfor results say so."""
        _, out, _ = run(
            [
                "score",
                "utenfor",
                str(trondheim_file),
                "--cost-profile",
                "illustrative_low_income",
                "--lang",
                "en",
            ],
            capsys,
        )
        assert "is illustrative" in out

    def test_utenfor_json_without_profile(
        self, trondheim_file: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without a profile the JSON has the consistency check and no results."""
        _, out, _ = run(["score", "utenfor", str(trondheim_file), "--format", "json"], capsys)
        report = json.loads(out)["reports"][0]
        assert [] == report["results"]
        assert [] == report["consistency"]["flagged"]

    def test_assessment_text(
        self, trondheim_file: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The assessment text reports 11 yes and 9 maybe."""
        _, out, _ = run(["score", "assessment", str(trondheim_file), "--lang", "en"], capsys)
        assert "11 yes, 9 maybe and 0 no." in out


class TestScoreErrors:
    """Bad input exits with 2 and a message, no traceback."""

    def test_bad_as_of(self, stovner_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A malformed --as-of is an input error."""
        code, _, err = run(["score", "goals", str(stovner_file), "--as-of", "30.06.2024"], capsys)
        assert 2 == code
        assert "YYYY-MM-DD" in err

    def test_unknown_scale(self, stovner_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown --scale is an input error naming the known ones."""
        code, _, err = run(["score", "risk", str(stovner_file), "--scale", "nope"], capsys)
        assert 2 == code
        assert "default_5x5" in err

    def test_bad_discount_rate(
        self, trondheim_file: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A discount rate that is not a number is an input error."""
        code, _, _ = run(
            ["score", "utenfor", str(trondheim_file), "--discount-rate", "lots"], capsys
        )
        assert 2 == code

    def test_no_document(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Neither FILE nor --example is an input error."""
        code, _, err = run(["score", "risk"], capsys)
        assert 2 == code
        assert "--example" in err

    def test_bad_risk_in_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A risk level outside the scale is reported with its path."""
        path = tmp_path / "bad.json"
        risk = '{"id": "r", "title": "t", "probability": 9, "consequence": 1}'
        path.write_text('{"id": "p", "name": "p", "risks": [' + risk + "]}")
        code, _, err = run(["score", "risk", str(path)], capsys)
        assert 2 == code
        assert "$.risks[0].probability" in err
