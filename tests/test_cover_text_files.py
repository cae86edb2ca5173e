"""Reading and writing text: formats, sizes and label catalogues, each refusal named."""

from __future__ import annotations

import pytest

import samskaping
from samskaping import DocumentError, InvalidInputError
from samskaping.l10n import Catalogue


class TestDocumentText:
    """``loads`` and ``dumps`` know JSON and TOML, and refuse what is too big."""

    def test_an_unknown_format_is_refused_on_reading(self):
        """Reading YAML is a DocumentError naming the formats known."""
        with pytest.raises(DocumentError, match="expected 'json' or 'toml'"):
            samskaping.loads("id: p", "yaml")

    def test_an_unknown_format_is_refused_on_writing(self):
        """Writing YAML is refused the same way."""
        with pytest.raises(DocumentError, match="expected 'json' or 'toml'"):
            samskaping.dumps(samskaping.load_example("borgen"), "yaml")

    def test_a_list_cannot_be_written_as_toml(self):
        """TOML holds tables only: a list is refused."""
        with pytest.raises(DocumentError, match="only a table"):
            samskaping.dumps([1, 2], "toml")

    def test_too_many_bytes(self):
        """A document of more than 10 MiB is refused before it is parsed."""
        with pytest.raises(DocumentError, match="more than"):
            samskaping.loads(b" " * (10 * 1024 * 1024 + 1))

    def test_too_many_characters(self):
        """Text of more than 10 Mi characters is refused before it is parsed."""
        with pytest.raises(DocumentError, match="more than"):
            samskaping.loads(" " * (10 * 1024 * 1024 + 1))


class TestCatalogueFiles:
    """A label catalogue read from files lists every problem of every file."""

    def test_an_unreadable_file(self, tmp_path):
        """A file that is not TOML is named."""
        path = tmp_path / "labels.toml"
        path.write_text("not = = toml", encoding="utf-8")
        with pytest.raises(DocumentError, match=r"cannot read labels\.toml"):
            Catalogue.from_files([path])

    def test_an_unknown_language(self, tmp_path):
        """A text in a language other than nb, nn or en is refused at its path."""
        path = tmp_path / "labels.toml"
        path.write_text('[greeting]\nnb = "Hei"\nsv = "Hej"\n', encoding="utf-8")
        with pytest.raises(DocumentError, match=r"\$\.greeting\.sv"):
            Catalogue.from_files([path])

    def test_a_key_defined_twice(self, tmp_path):
        """The same key in two files is refused."""
        first, second = tmp_path / "a.toml", tmp_path / "b.toml"
        first.write_text('[greeting]\nnb = "Hei"\n', encoding="utf-8")
        second.write_text('[greeting]\nnb = "Hallo"\n', encoding="utf-8")
        with pytest.raises(DocumentError, match="defined twice"):
            Catalogue.from_files([first, second])

    def test_a_message_without_its_parameter(self, tmp_path):
        """Filling a message without the parameter it needs names the label."""
        path = tmp_path / "labels.toml"
        path.write_text('[greeting]\nnb = "Hei, {name}"\n', encoding="utf-8")
        with pytest.raises(InvalidInputError, match="greeting"):
            Catalogue.from_files([path]).message("greeting", "nb")
