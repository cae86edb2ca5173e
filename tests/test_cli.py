"""The command line: exit codes, outputs and error messages without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from samskaping._cli import main

VALID = Path(__file__).parent / "data" / "valid_project.toml"
CORPUS = Path(__file__).parent / "corpus" / "documents"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI and return (exit code, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


class TestValidate:
    """`samskaping validate`."""

    def test_clean_file_exits_zero(self, capsys):
        """A valid document exits 0 and says it has no findings."""
        code, out, _ = run(capsys, "validate", str(VALID))
        assert 0 == code
        assert "Prøveprosjekt: ingen funn.\n" == out

    def test_findings_exit_one(self, capsys, tmp_path):
        """Validation errors exit 1 and are printed with path and code."""
        broken = tmp_path / "p.toml"
        broken.write_text(
            VALID.read_text(encoding="utf-8").replace('status = "completed"', 'status = "ended"'),
            encoding="utf-8",
        )
        code, out, _ = run(capsys, "validate", str(broken), "--lang", "en")
        assert 1 == code
        assert (
            "error: $.end_reason: The project was ended early without a stated reason. "
            "[project.end_reason_missing]" in out
        )

    def test_json_shape(self, capsys, tmp_path):
        """JSON output is a list of objects with code, severity, path and message."""
        broken = tmp_path / "p.toml"
        broken.write_text(
            VALID.read_text(encoding="utf-8").replace('status = "completed"', 'status = "ended"'),
            encoding="utf-8",
        )
        _, out, _ = run(capsys, "validate", str(broken), "--format", "json", "--lang", "nn")
        assert [
            {
                "code": "project.end_reason_missing",
                "severity": "error",
                "path": "$.end_reason",
                "message": "Prosjektet er avslutta før tida utan oppgjeven grunn.",
            }
        ] == json.loads(out)

    def test_malformed_file_exits_two_without_traceback(self, capsys):
        """A structurally invalid file exits 2 with its problems and no traceback."""
        code, out, err = run(capsys, "validate", str(CORPUS / "many_problems.json"))
        assert 2 == code
        assert "" == out
        assert "$.budget.frame: expected an amount in NOK" in err
        assert "Traceback" not in err

    def test_unreadable_file_exits_two(self, capsys, tmp_path):
        """A missing file exits 2."""
        code, _, err = run(capsys, "validate", str(tmp_path / "none.json"))
        assert 2 == code
        assert "cannot read the file" in err

    def test_unknown_example_exits_two(self, capsys):
        """An unknown example name exits 2 and lists the known ones."""
        code, _, err = run(capsys, "validate", "--example", "nowhere")
        assert 2 == code
        assert "unknown example 'nowhere'" in err

    def test_unknown_rule_set_exits_two(self, capsys):
        """An unknown rule set exits 2."""
        code, _, _ = run(capsys, "validate", str(VALID), "--rules", "core,bogus")
        assert 2 == code


class TestSchema:
    """`samskaping schema`."""

    def test_prints_a_json_schema(self, capsys):
        """The schema is JSON with the document's definitions."""
        code, out, _ = run(capsys, "schema")
        schema = json.loads(out)
        assert 0 == code
        assert "https://json-schema.org/draft/2020-12/schema" == schema["$schema"]
        assert {"Project", "Programme", "Budget"} <= set(schema["$defs"])

    def test_valid_document_validates_against_schema(self, capsys):
        """A document written by the library validates against the published schema."""
        jsonschema = pytest.importorskip("jsonschema")
        import samskaping

        _, out, _ = run(capsys, "schema")
        document = json.loads(samskaping.dumps(samskaping.load(VALID)))
        jsonschema.validate(document, json.loads(out))

    def test_malformed_document_fails_schema(self, capsys):
        """A document with an unknown key fails the schema too."""
        jsonschema = pytest.importorskip("jsonschema")
        _, out, _ = run(capsys, "schema")
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({"id": "p", "name": "n", "budsjett": 1}, json.loads(out))


class TestHelp:
    """No command prints help and exits 2."""

    def test_no_command(self, capsys):
        """Running with no command is a usage error."""
        code, _, err = run(capsys)
        assert 2 == code
        assert "usage:" in err
