"""Evaluate a project the way a researcher would in a notebook, as a plain script.

Loads the embedded Stovner example, validates it in English, breaks a copy on purpose
(phase order, a gate document, a reference) to show the findings, and writes the full
report as HTML and JSON next to the script's working directory.

    python examples/evaluate_a_project.py
"""

from __future__ import annotations

import json
from pathlib import Path

import attrs

import samskaping
from samskaping.report import render_report
from samskaping.validation import validate


def main() -> None:
    """Run the walk-through."""
    project = samskaping.load_example("innbyggerbasen")
    print(f"{project.name}: {len(project.deliverables)} deliverables, {len(project.risks)} risks")

    for finding in validate(project, lang="en"):
        print(" ", finding)

    # A copy with a dangling reference: a risk owned by someone who is not an actor.
    risks = (attrs.evolve(project.risks[0], owner="nobody"), *project.risks[1:])
    broken = attrs.evolve(project, risks=risks)
    errors = [f for f in validate(broken, lang="en") if f.severity.value == "error"]
    print("errors in the broken copy:", [(f.code, f.path) for f in errors])

    Path("innbyggerbasen.html").write_text(render_report(project, format="html"), encoding="utf-8")
    data = json.loads(render_report(project, format="json", lang="en"))
    print("report sections in JSON:", sorted(data))


if __name__ == "__main__":
    main()
