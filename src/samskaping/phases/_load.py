"""Built-in phase models and loading a municipality's own."""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path

from samskaping._errors import DocumentError, Problem, UnknownNameError
from samskaping.io import Format, format_of, parse, read_text, structure
from samskaping.phases._model import PhaseModel

__all__ = ["builtin", "builtin_names", "load_phase_model", "loads_phase_model"]


def builtin_names() -> tuple[str, ...]:
    """The names of the built-in phase models."""
    folder = resources.files("samskaping") / "data" / "phase_models"
    return tuple(
        sorted(e.name.removesuffix(".toml") for e in folder.iterdir() if e.name.endswith(".toml"))
    )


@cache
def builtin(name: str) -> PhaseModel:
    """A built-in phase model: ``prosjektveiviseren``, ``omradesatsing`` or ``innbyggernes_modell``.

    >>> [p.key for p in builtin("omradesatsing").phases][:2]
    ['kunnskapsgrunnlag', 'planlegging_organisering']

    Raises:
        UnknownNameError: If there is no built-in model of that name.
    """
    if name not in builtin_names():
        raise UnknownNameError("phase model", name, builtin_names())
    text = (resources.files("samskaping") / "data" / "phase_models" / f"{name}.toml").read_text(
        "utf-8"
    )
    return loads_phase_model(text, "toml", source=f"{name}.toml")


def loads_phase_model(
    text: str, format: Format = "toml", *, source: str | None = None
) -> PhaseModel:
    """Read a phase model from TOML or JSON text and check that it hangs together.

    Raises:
        DocumentError: If the text is malformed, or keys repeat, or a gate closes an
            unknown phase or names an unknown document.
    """
    model: PhaseModel = structure(parse(text, format, source=source), PhaseModel, source=source)
    problems = list(_coherence(model))
    if problems:
        raise DocumentError(problems, source=source)
    return model


def load_phase_model(path: str | os.PathLike[str]) -> PhaseModel:
    """Read a phase model from a ``.toml`` or ``.json`` file (a municipality's variant)."""
    file = Path(path)
    return loads_phase_model(read_text(file), format_of(file, "toml"), source=file.name)


def _coherence(model: PhaseModel) -> Iterator[Problem]:
    phase_keys = [p.key for p in model.phases]
    if not phase_keys:
        yield Problem(path="$.phases", message="a phase model needs at least one phase")
    for index, key in enumerate(phase_keys):
        if key in phase_keys[:index]:
            yield Problem(path=f"$.phases[{index}].key", message=f"the phase {key!r} appears twice")
    document_keys = {d.key for d in model.documents}
    seen_gates: set[str] = set()
    closed: set[str] = set()
    for index, gate in enumerate(model.gates):
        where = f"$.gates[{index}]"
        if gate.key in seen_gates:
            yield Problem(path=f"{where}.key", message=f"the gate {gate.key!r} appears twice")
        seen_gates.add(gate.key)
        if gate.closes not in phase_keys:
            yield Problem(path=f"{where}.closes", message=f"no phase {gate.closes!r} in this model")
        elif gate.closes in closed:
            yield Problem(
                path=f"{where}.closes", message=f"the phase {gate.closes!r} has two gates"
            )
        closed.add(gate.closes)
        for d_index, document in enumerate(gate.documents):
            if document not in document_keys:
                yield Problem(
                    path=f"{where}.documents[{d_index}]",
                    message=f"no document kind {document!r} in this model's documents",
                )
