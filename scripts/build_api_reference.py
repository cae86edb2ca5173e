"""Generate the API reference (docs/reference/*.md) from ``__all__`` and docstrings.

One page per public package. Each public name gets its signature (from
``inspect.signature``), its docstring (prose as written, Google sections such as
Args, Returns, Raises and Attributes as lists, doctest examples as ``pycon`` blocks),
and for classes their attrs fields, enum members, properties and public methods.
Constants and type aliases are documented by the ``#:`` comment above their
assignment in the source, as Sphinx reads them.

The output is deterministic: the same source gives the same bytes, so a test can
check that the committed reference is up to date. It never contains ``python``
fences, because the docs test would run them.

    PYTHONPATH=src python scripts/build_api_reference.py            # writes docs/reference/
    PYTHONPATH=src python scripts/build_api_reference.py --check    # exit 1 if out of date
"""

from __future__ import annotations

import argparse
import enum
import importlib
import inspect
import re
import sys
import textwrap
import types
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final

import attrs

ROOT: Final = Path(__file__).resolve().parent.parent
OUT: Final = ROOT / "docs" / "reference"

#: The public packages, in the order of the reference's index.
PACKAGES: Final = (
    "samskaping",
    "samskaping.model",
    "samskaping.phases",
    "samskaping.validation",
    "samskaping.io",
    "samskaping.l10n",
    "samskaping.payouts",
    "samskaping.scoring",
    "samskaping.profile",
    "samskaping.report",
    "samskaping.ledger",
    "samskaping.serve",
    "samskaping.examples",
    "samskaping.plot",
)

#: What each package is for, in the index.
PURPOSES: Final = {
    "samskaping": "the public door: documents, validation, money, errors and the most used names",
    "samskaping.model": "the entities of a project (*prosjekt*): immutable values",
    "samskaping.phases": "phase models (*fasemodeller*) as data",
    "samskaping.validation": "domain rules that return findings",
    "samskaping.io": "reading and writing JSON and TOML, the converter, JSON Schema",
    "samskaping.l10n": "labels in nb, nn and en; babel formatting",
    "samskaping.payouts": "the payout rule engine (*utbetalinger*)",
    "samskaping.plot": "optional plots for sweeps, distributions, fairness and pots (matplotlib)",
    "samskaping.scoring": "risk, goal attainment, utenfor-regnskapet and assessments",
    "samskaping.profile": "a municipality's configuration as one value (*kommunens profil*)",
    "samskaping.report": "the report in text, Markdown, JSON and HTML",
    "samskaping.ledger": "the decision ledger: a tamper-evident record of payouts",
    "samskaping.serve": "the rule engine and the ledger as an HTTP service (the serve extra)",
    "samskaping.examples": "the embedded example documents",
}

_SECTIONS: Final = {
    "Args": "Arguments",
    "Arguments": "Arguments",
    "Parameters": "Arguments",
    "Keyword Args": "Keyword arguments",
    "Returns": "Returns",
    "Return": "Returns",
    "Yields": "Yields",
    "Raises": "Raises",
    "Attributes": "Attributes",
    "Example": "Example",
    "Examples": "Examples",
    "Note": "Note",
    "Notes": "Notes",
    "See Also": "See also",
    "Warning": "Warning",
}
_ITEM_SECTIONS: Final = frozenset({"Arguments", "Keyword arguments", "Raises", "Attributes"})
_ROLE: Final = re.compile(r":(?:py:)?(?:func|class|meth|mod|attr|data|exc|obj|const):`(~?)([^`]+)`")
_ITEM: Final = re.compile(r"^(\*{0,2}[A-Za-z_][\w.]*)(?:\s*\(([^)]*)\))?\s*:\s*(.*)$")
_LINE: Final = 88


# --- reading the source ---------------------------------------------------------------


def _home(module: str) -> str:
    """The public package a (possibly private) module belongs to."""
    best = "samskaping"
    for package in PACKAGES:
        if (module == package or module.startswith(package + ".")) and len(package) > len(best):
            best = package
    return best


def _comment_docs(package: str) -> dict[str, str]:
    """``#:`` comments above module-level assignments in a package's own source files."""
    # The source of the package imported (the checkout's src/, or an installed wheel).
    folder = Path(str(importlib.import_module(package).__file__)).parent
    files = sorted(folder.rglob("*.py")) if package != "samskaping" else [folder / "__init__.py"]
    if package == "samskaping":
        files += [folder / "_errors.py", folder / "_money.py"]
    docs: dict[str, str] = {}
    assignment = re.compile(r"^([A-Za-z_]\w*)\s*(?::[^=]*)?=")
    for file in files:
        comment: list[str] = []
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.startswith("#:"):
                comment.append(line[2:].strip())
                continue
            match = assignment.match(line)
            if match and comment:
                docs.setdefault(match.group(1), " ".join(comment))
            comment = []
    return docs


# --- docstrings to Markdown -----------------------------------------------------------


class Linker:
    """Turns reST roles and double backticks into Markdown, linking public names."""

    def __init__(self, anchors: Mapping[str, tuple[str, str]], page: str) -> None:
        self.anchors = anchors  # dotted or bare name -> (package, name)
        self.page = page

    def link(self, target: str, *, short: bool) -> str:
        """A code span for ``target``, linked when it names a documented public name."""
        shown = target.rsplit(".", 1)[-1] if short else target
        where = self.anchors.get(target)
        if where is None and "." not in target:
            where = self.anchors.get(f"{self.page}.{target}")
        if where is None:
            return f"`{shown}`"
        package, name = where
        file = "" if package == self.page else f"{package}.md"
        anchor = f"#{name.lower()}" if name else ""
        return f"[`{shown}`]({file}{anchor})"

    def inline(self, text: str) -> str:
        """Prose with roles linked, ``code`` as `code`, and stray ``<`` escaped."""
        text = _ROLE.sub(lambda m: self.link(m.group(2), short=bool(m.group(1))), text)
        text = text.replace("``", "`")
        parts = re.split(r"(`[^`]*`)", text)
        for index in range(0, len(parts), 2):
            parts[index] = parts[index].replace("<", "&lt;")
        return "".join(parts)


def _blocks(lines: list[str]) -> Iterator[tuple[str, list[str]]]:
    """Split docstring lines into ('prose' | 'doctest' | 'literal', lines) blocks."""
    current: list[str] = []
    kind = "prose"
    for line in [*lines, ""]:
        if not line.strip():
            if current:
                yield kind, current
            current, kind = [], "prose"
            continue
        if not current:
            if line.lstrip().startswith(">>>"):
                kind = "doctest"
            elif line.startswith(" "):
                kind = "literal"
        current.append(line)


def _prose(lines: list[str], linker: Linker) -> list[str]:
    out: list[str] = []
    for kind, block in _blocks(lines):
        if kind == "doctest":
            body = textwrap.dedent("\n".join(block))
            out += ["```pycon", body, "```", ""]
        elif kind == "literal":
            out += ["```text", textwrap.dedent("\n".join(block)), "```", ""]
        else:
            out += [linker.inline(line.strip()) for line in block] + [""]
    return out


def _split_sections(doc: str) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The prose before the first section, and each (section, body lines)."""
    lines = inspect.cleandoc(doc).splitlines()
    prose: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    current: list[str] | None = None
    for line in lines:
        header = line.rstrip(":") if line.endswith(":") and not line.startswith(" ") else None
        if header in _SECTIONS:
            current = []
            sections.append((_SECTIONS[header], current))
        elif current is None:
            prose.append(line)
        elif line and not line.startswith(" "):
            current = None  # prose after a section
            prose.append(line)
        else:
            current.append(line)
    return prose, sections


def _items(body: list[str]) -> list[tuple[str, str | None, str]]:
    """The ``name (type): text`` items of an Args/Raises/Attributes section."""
    body = textwrap.dedent("\n".join(body)).splitlines()
    items: list[tuple[str, str | None, str]] = []
    for line in body:
        match = _ITEM.match(line) if line and not line.startswith(" ") else None
        if match:
            items.append((match.group(1), match.group(2), match.group(3).strip()))
        elif items and line.strip():
            name, kind, text = items[-1]
            items[-1] = (name, kind, f"{text} {line.strip()}".strip())
    return items


def _sections(
    sections: list[tuple[str, list[str]]], linker: Linker, *, skip: frozenset[str] = frozenset()
) -> list[str]:
    out: list[str] = []
    for title, body in sections:
        if title in skip:
            continue
        out += [f"**{title}**", ""]
        if title in _ITEM_SECTIONS:
            for name, kind, text in _items(body):
                typed = f" ({linker.inline(kind)})" if kind else ""
                shown = linker.link(name, short=True) if title == "Raises" else f"`{name}`"
                out.append(f"- {shown}{typed}: {linker.inline(text)}")
            out.append("")
        else:
            out += _prose(textwrap.dedent("\n".join(body)).splitlines(), linker)
    return out


def _summary(doc: str | None) -> str:
    if not doc:
        return ""
    first = inspect.cleandoc(doc).split("\n\n", 1)[0]
    return " ".join(line.strip() for line in first.splitlines())


# --- signatures -----------------------------------------------------------------------


def _annotation(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, type):
        return value.__name__
    return inspect.formatannotation(value).replace("typing.", "")


def _default(value: object) -> str:
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    text = repr(value)
    if " at 0x" in text:  # pragma: no cover  (would make the output differ between runs)
        text = f"<{type(value).__name__}>"
    return text


def _parameters(signature: inspect.Signature) -> list[str]:
    parts: list[str] = []
    star_done = False
    for parameter in signature.parameters.values():
        if parameter.kind is parameter.KEYWORD_ONLY and not star_done:
            parts.append("*")
            star_done = True
        if parameter.kind is parameter.VAR_POSITIONAL:
            star_done = True
            text = f"*{parameter.name}"
        elif parameter.kind is parameter.VAR_KEYWORD:
            text = f"**{parameter.name}"
        else:
            text = parameter.name
        if parameter.annotation is not parameter.empty:
            text += f": {_annotation(parameter.annotation)}"
        if parameter.default is not parameter.empty:
            joiner = " = " if parameter.annotation is not parameter.empty else "="
            text += f"{joiner}{_default(parameter.default)}"
        parts.append(text)
        if parameter.kind is parameter.POSITIONAL_ONLY:
            nxt = list(signature.parameters.values())
            if nxt.index(parameter) == len(nxt) - 1 or (
                nxt[nxt.index(parameter) + 1].kind is not parameter.POSITIONAL_ONLY
            ):
                parts.append("/")
    return parts


def _signature(prefix: str, name: str, function: Callable[..., Any], *, drop_self: bool) -> str:
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return f"{prefix}{name}(...)"
    if drop_self:
        params = list(signature.parameters.values())[1:]
        signature = signature.replace(parameters=params)
    parts = _parameters(signature)
    returns = ""
    if signature.return_annotation is not signature.empty and prefix != "class ":
        returns = f" -> {_annotation(signature.return_annotation)}"
    one_line = f"{prefix}{name}({', '.join(parts)}){returns}"
    if len(one_line) <= _LINE:
        return one_line
    inner = "".join(f"    {part},\n" for part in parts)
    return f"{prefix}{name}(\n{inner}){returns}"


def _text_block(text: str) -> list[str]:
    return ["```text", text, "```", ""]


# --- entries --------------------------------------------------------------------------


def _is_attrs(obj: object) -> bool:
    return inspect.isclass(obj) and attrs.has(obj)


def _own_doc(obj: object) -> str | None:
    if inspect.isclass(obj):
        doc = obj.__dict__.get("__doc__")
        return doc if isinstance(doc, str) and doc.strip() else None
    doc = getattr(obj, "__doc__", None)
    return doc if isinstance(doc, str) and doc.strip() else None


def _is_alias(obj: object) -> bool:
    # A Protocol class has a metaclass from typing, yet it is a class, not an alias.
    return isinstance(obj, types.UnionType) or (
        type(obj).__module__ == "typing" and not inspect.isclass(obj)
    )


def kind_of(obj: object) -> str:
    """What a public object is, in the words of the reference."""
    if _is_alias(obj):
        return "type"
    if inspect.isclass(obj):
        if issubclass(obj, BaseException):
            return "exception"
        if issubclass(obj, enum.Enum):
            return "enum"
        return "class"
    if callable(obj) and not isinstance(obj, type):
        return "function"
    return "data"


def docstring(package: str, name: str) -> str | None:
    """The documentation of a public name: its docstring, or its ``#:`` comment."""
    module = importlib.import_module(package)
    obj = getattr(module, name)
    if kind_of(obj) not in {"data", "type"}:
        return _own_doc(obj)
    if name == "__version__":  # package metadata (PEP 396), not an API with a docstring
        return "The version of the library, as released."
    for where in (package, *PACKAGES):
        text = _comment_docs(where).get(name)
        if text:
            return text
    return None


def _field_type(cls: type, field: attrs.Attribute[Any]) -> str:
    """A field's type as written in the source.

    cattrs resolves string annotations in place (``attrs.resolve_types``) when it first
    structures a class, so ``field.type`` depends on what ran before; the class's own
    ``__annotations__`` keep the text as written.
    """
    for klass in cls.__mro__:
        written = inspect.get_annotations(klass).get(field.name)
        if written is not None:
            return _annotation(written)
    return _annotation(field.type)


def _field_default(field: attrs.Attribute[Any]) -> str | None:
    default: Any = field.default
    if default is attrs.NOTHING:
        return None
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        factory = getattr(default, "factory", None)
        named = getattr(factory, "__name__", "")
        return f"{named}()" if named and named != "<lambda>" else "(computed)"
    return _default(default)


def _class_entry(name: str, cls: type, linker: Linker) -> list[str]:
    out: list[str] = []
    doc = _own_doc(cls) or ""
    prose, sections = _split_sections(doc)
    kind = kind_of(cls)
    bases = [b.__name__ for b in cls.__bases__ if b is not object]
    base_text = f"({', '.join(bases)})" if bases else ""
    if kind == "enum":
        out += _text_block(f"class {name}{base_text}")
    elif "__init__" in cls.__dict__:
        out += _text_block(_signature("class ", name, cls, drop_self=False))
    else:
        out += _text_block(f"class {name}{base_text}")
    out += _prose(prose, linker)
    described = {
        n: text for title, body in sections if title == "Attributes" for n, _, text in _items(body)
    }
    if _is_attrs(cls):
        out += ["**Fields**", ""]
        for field in attrs.fields(cls):
            if field.name.startswith("_"):
                continue
            text = f"- `{field.name}`: `{_field_type(cls, field)}`"
            default = _field_default(field)
            if default is not None:
                text += f" = `{default}`"
            if field.name in described:
                text += f". {linker.inline(described.pop(field.name))}"
            out.append(text)
        out.append("")
        if described:
            out += ["**Attributes**", ""]
            out += [f"- `{n}`: {linker.inline(t)}" for n, t in described.items()]
            out.append("")
        out += _sections(sections, linker, skip=frozenset({"Attributes"}))
    else:
        out += _sections(sections, linker)
    if kind == "enum":
        out += ["**Members**", ""]
        members: list[enum.Enum] = list(cls.__members__.values())  # type: ignore[attr-defined]
        out += [f"- `{member.name}` = `{member.value!r}`" for member in members]
        out.append("")
    out += _members(name, cls, linker)
    return out


def _public_members(cls: type) -> Iterator[tuple[str, object]]:
    seen: set[str] = set()
    for klass in cls.__mro__:
        if klass is object or not klass.__module__.startswith("samskaping"):
            continue
        for member, value in sorted(klass.__dict__.items()):
            if member.startswith("_") or member in seen:
                continue
            seen.add(member)
            if attrs.has(cls) and member in {f.name for f in attrs.fields(cls)}:
                continue
            if isinstance(value, property | classmethod | staticmethod) or inspect.isfunction(
                value
            ):
                yield member, value


def _members(name: str, cls: type, linker: Linker) -> list[str]:
    out: list[str] = []
    properties = []
    methods: list[tuple[str, Any]] = []
    for member, value in _public_members(cls):
        if isinstance(value, property):
            properties.append((member, value))
        else:
            methods.append((member, value))
    if properties:
        out += ["**Properties**", ""]
        for member, value in properties:
            summary = linker.inline(_summary(value.__doc__)) if value.__doc__ else ""
            returns = ""
            if value.fget is not None:
                hint = inspect.signature(value.fget).return_annotation
                if hint is not inspect.Signature.empty:
                    returns = f": `{_annotation(hint)}`"
            out.append(f"- `{member}`{returns}" + (f". {summary}" if summary else ""))
        out.append("")
    if methods:
        out += ["**Methods**", ""]
        for member, value in methods:
            function = value.__func__ if isinstance(value, classmethod | staticmethod) else value
            prefix = "classmethod " if isinstance(value, classmethod) else ""
            drop = not isinstance(value, staticmethod)
            sig = _signature("", f"{name}.{member}", function, drop_self=drop)
            out += _text_block(prefix + sig)
            doc = _own_doc(function) or ""
            prose, sections = _split_sections(doc) if doc else ([], [])
            out += _prose(prose, linker)
            out += _sections(sections, linker)
    return out


def _data_entry(package: str, name: str, value: object, linker: Linker) -> list[str]:
    out: list[str] = []
    doc = docstring(package, name) or ""
    if _is_alias(value):
        args = getattr(value, "__args__", ())
        if type(value).__name__ == "_LiteralGenericAlias":
            shown = f"Literal[{', '.join(repr(a) for a in args)}]"
        else:
            shown = " | ".join(getattr(a, "__name__", repr(a)) for a in args)
        out += _text_block(f"{name} = {shown}")
    elif isinstance(value, Mapping):
        keys = ", ".join(repr(k) for k in value)
        text = f"{name}: {type(value).__name__}  # keys: {keys}"
        if all(isinstance(v, str | int | enum.Enum) for v in value.values()):
            rows = "\n".join(f"    {k!r}: {_default(v)}," for k, v in value.items())
            text = f"{name} = {{\n{rows}\n}}"
        out += _text_block(text)
    else:
        out += _text_block(f"{name} = {_default(value)}")
    out += [linker.inline(doc), ""] if doc else []
    return out


def _entry(package: str, name: str, linker: Linker) -> list[str]:
    module = importlib.import_module(package)
    obj = getattr(module, name)
    kind = kind_of(obj)
    out = [f"## `{name}`", ""]
    local = kind in {"data", "type"}
    home = package if local else _home(getattr(obj, "__module__", package) or package)
    if not local and home != package and name in _public_names(home):
        summary = linker.inline(_summary(_own_doc(obj)))
        out += [f"*{kind}*, documented in {linker.link(f'{home}.{name}', short=False)}.", ""]
        out += [summary, ""] if summary else []
        return out
    out += [f"*{kind}*", ""]
    if kind in {"class", "enum", "exception"}:
        out += _class_entry(name, obj, linker)
    elif kind == "function":
        out += _text_block(_signature("", name, obj, drop_self=False))
        prose, sections = _split_sections(_own_doc(obj) or "")
        out += _prose(prose, linker)
        out += _sections(sections, linker)
    else:
        out += _data_entry(package, name, obj, linker)
    return out


def _public_names(package: str) -> tuple[str, ...]:
    return tuple(importlib.import_module(package).__all__)


def public_names() -> list[tuple[str, str]]:
    """Every (package, name) the reference documents."""
    return [(package, name) for package in PACKAGES for name in _public_names(package)]


def _anchors() -> dict[str, tuple[str, str]]:
    anchors: dict[str, tuple[str, str]] = {}
    for package in PACKAGES:
        anchors[package] = (package, "")
        for name in _public_names(package):
            obj = getattr(importlib.import_module(package), name)
            anchors.setdefault(f"{package}.{name}", (package, name))
            module = getattr(obj, "__module__", None)
            if isinstance(module, str) and module.startswith("samskaping"):
                anchors.setdefault(f"{module}.{name}", (package, name))
    for package in PACKAGES:  # documented homes win for bare names of other pages
        for name in _public_names(package):
            anchors.setdefault(name, (package, name))
    return anchors


def _overview(package: str, linker: Linker) -> list[str]:
    out = ["| name | kind | summary |", "|---|---|---|"]
    module = importlib.import_module(package)
    for name in _public_names(package):
        obj = getattr(module, name)
        kind = kind_of(obj)
        doc = docstring(package, name) if kind in {"data", "type"} else _own_doc(obj)
        summary = linker.inline(_summary(doc)).replace("|", "\\|")
        out.append(f"| [`{name}`](#{name.lower()}) | {kind} | {summary} |")
    return [*out, ""]


def render_package(package: str, anchors: Mapping[str, tuple[str, str]]) -> str:
    """The Markdown page of one package."""
    module = importlib.import_module(package)
    linker = Linker(anchors, package)
    lines = [
        f"# `{package}`",
        "",
        "<!-- Generated by scripts/build_api_reference.py from the docstrings; do not edit. -->",
        "",
    ]
    prose, sections = _split_sections(module.__doc__ or "")
    lines += _prose(prose, linker)
    lines += _sections(sections, linker)
    lines += _overview(package, linker)
    for name in _public_names(package):
        lines += _entry(package, name, linker)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).rstrip() + "\n"


def render_index() -> str:
    """The index page of the reference."""
    lines = [
        "# API reference",
        "",
        "<!-- Generated by scripts/build_api_reference.py from the docstrings; do not edit. -->",
        "",
        "Every public name of every public package, from its `__all__` and its docstring.",
        "Anything else (modules whose names start with `_`) is private and may change.",
        "Regenerate these pages with `PYTHONPATH=src python scripts/build_api_reference.py`",
        "(see [Building the docs](../building.md)).",
        "",
        "| package | what it holds | names |",
        "|---|---|---|",
    ]
    for package in PACKAGES:
        count = len(_public_names(package))
        lines.append(f"| [`{package}`]({package}.md) | {PURPOSES[package]} | {count} |")
    return "\n".join(lines) + "\n"


def render_all() -> dict[str, str]:
    """Every page of the reference, by file name."""
    anchors = _anchors()
    pages = {"index.md": render_index()}
    for package in PACKAGES:
        pages[f"{package}.md"] = render_package(package, anchors)
    return pages


def write(folder: Path) -> list[Path]:
    """Write the reference into ``folder``, removing stale pages; return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = render_all()
    for stale in sorted(folder.glob("*.md")):
        if stale.name not in pages:
            stale.unlink()
    written = []
    for file_name, text in pages.items():
        path = folder / file_name
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Write the reference, or with ``--check`` say whether it is up to date."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write (docs/reference)")
    parser.add_argument("--check", action="store_true", help="exit 1 if the folder is stale")
    args = parser.parse_args(argv)
    if args.check:
        pages = render_all()
        stale = [
            name
            for name, text in pages.items()
            if not (args.out / name).is_file()
            or (args.out / name).read_text(encoding="utf-8") != text
        ]
        extra = sorted(p.name for p in args.out.glob("*.md") if p.name not in pages)
        for name in [*stale, *extra]:
            print(f"out of date: {args.out / name}")
        return 1 if stale or extra else 0
    for path in write(args.out):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
