"""Writing a document: a template that validates, the phase models' keys, suggestions."""

from __future__ import annotations

import pytest

from samskaping._cli import main
from samskaping.io import loads
from samskaping.phases import builtin_names, project_template
from samskaping.validation import has_errors, validate


class TestInit:
    """``samskaping init`` writes a commented template that validates."""

    @pytest.mark.parametrize("lang", ["nb", "nn", "en"])
    @pytest.mark.parametrize("model", builtin_names())
    def test_template_validates(self, model, lang):
        """The template for every built-in phase model, in every language, has no errors."""
        document = loads(project_template(model, lang=lang), format="toml")
        assert [] == [f.code for f in validate(document) if has_errors([f])]

    def test_cli_writes_the_file(self, tmp_path, capsys):
        """``init -o FILE`` writes the file, and ``validate FILE`` exits 0."""
        out = tmp_path / "prosjekt.toml"
        assert 0 == main(["init", "--phase-model", "omradesatsing", "-o", str(out)])
        assert 0 == main(["validate", str(out)])
        capsys.readouterr()

    def test_template_names_the_gate_documents(self):
        """The template lists the keys of the documents each gate asks for."""
        assert '"styringsdokument"' in project_template("prosjektveiviseren")


class TestPhaseModels:
    """``samskaping phase-models list|show NAME``."""

    def test_list(self, capsys):
        """The three built-in models are listed."""
        main(["phase-models", "list"])
        assert 3 == len(capsys.readouterr().out.splitlines())

    def test_show_gives_keys_and_documents(self, capsys):
        """``show`` gives phase keys, gates and document keys."""
        main(["phase-models", "show", "prosjektveiviseren"])
        out = capsys.readouterr().out
        assert "gjennomfore" in out
        assert "BP3" in out
        assert "styringsdokument" in out


class TestSuggestions:
    """Findings say which key to write."""

    def test_unknown_phase_key_gets_a_suggestion(self):
        """A misspelt phase key gets the closest key as a suggestion."""
        text = project_template("prosjektveiviseren", lang="en").replace('"ide"', '"idee"')
        finding = next(
            f for f in validate(loads(text, format="toml"), lang="en") if f.code == "phase.unknown"
        )
        assert "Did you mean 'ide'?" in finding.message


class TestFieldReference:
    """``docs/documents.md`` lists every field, generated from the JSON Schema."""

    def test_reference_is_current(self):
        """The committed page equals a fresh build (run scripts/build_field_reference.py)."""
        import importlib.util
        from pathlib import Path

        root = Path(__file__).resolve().parent.parent
        spec = importlib.util.spec_from_file_location(
            "build_field_reference", root / "scripts" / "build_field_reference.py"
        )
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        text = (root / "docs" / "documents.md").read_text(encoding="utf-8")
        assert text == module.updated(text)

    def test_every_field_is_listed(self):
        """Every property of every record in the schema has a row."""
        from samskaping.io import document_schema, field_reference

        reference = field_reference()
        missing = [
            f"{name}.{field}"
            for name, spec in document_schema()["$defs"].items()
            for field in spec.get("properties", {})
            if f"| `{field}`" not in reference
        ]
        assert [] == missing

    def test_codes_have_nb_labels(self):
        """Codes are listed with their Bokmål label."""
        from samskaping.io import field_reference

        assert "`completed` (fullført)" in field_reference()


class TestHelp:
    """Every sub-command's ``--help`` has a description and examples."""

    @staticmethod
    def _commands():
        from samskaping._cli import build_parser
        from samskaping._cli._help import _subcommands

        found = []
        stack = [("", build_parser())]
        while stack:
            prefix, parser = stack.pop()
            for name, _, sub in _subcommands(parser):
                words = f"{prefix} {name}".strip()
                found.append((words, sub))
                stack.append((words, sub))
        return found

    def test_every_command_has_a_description(self):
        """No sub-command is without a description."""
        assert [] == [words for words, sub in self._commands() if not sub.description]

    def test_every_command_has_examples(self):
        """Each sub-command's help ends with examples."""
        missing = [
            w for w, sub in self._commands() if not (sub.epilog or "").startswith("examples")
        ]
        assert [] == missing

    def test_unsupported_format_is_named(self, tmp_path, capsys):
        """A .yaml file gets a clear "unsupported format" error and exit code 2."""
        path = tmp_path / "prosjekt.yaml"
        path.write_text("id: p\n", encoding="utf-8")
        assert 2 == main(["validate", str(path)])
        assert "unsupported format '.yaml'" in capsys.readouterr().err

    def test_json_errors_when_json_is_asked_for(self, tmp_path, capsys):
        """``validate --format json`` prints structural errors as JSON."""
        import json

        path = tmp_path / "p.json"
        path.write_text('{"id": "p"}', encoding="utf-8")
        assert 2 == main(["validate", str(path), "--format", "json"])
        assert "$" == json.loads(capsys.readouterr().out)[0]["path"][0]
