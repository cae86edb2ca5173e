"""Validation speed on generated projects, and how it grows with size.

Generates a valid project with N deliverables, N risks and 20 phases (sub-phases,
gate decisions, actors, budget), validates it repeatedly and reports the median time.
Sizes 1 000, 10 000 and 100 000 show the growth; a linear validator keeps the time per
item flat.

    python benchmarks/bench_validate.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import time

from samskaping import Money
from samskaping.model import (
    Actor,
    Budget,
    Deliverable,
    DeliverableKind,
    DeliverableStatus,
    GateDecision,
    GateOutcome,
    Mitigation,
    Period,
    Phase,
    Project,
    Risk,
    Role,
    Sector,
)
from samskaping.validation import validate

DOCS = {
    "BP3": ("styringsdokument", "gevinstrealiseringsplan", "usikkerhetsanalyse"),
    "BP4": ("avslutningsanbefaling",),
}


def generate(size: int, phases: int = 20) -> Project:
    """A valid project: planlegge, then `phases - 2` rounds of gjennomføre, then avslutte."""
    start = datetime.date(2020, 1, 1)
    keys = ["planlegge", *["gjennomfore"] * (phases - 2), "avslutte"]
    built = []
    for index, key in enumerate(keys):
        begin = start + datetime.timedelta(days=30 * index)
        end = begin + datetime.timedelta(days=29)
        decision = None
        if key == "planlegge" or (key == "gjennomfore" and index == len(keys) - 2):
            gate = "BP3" if key == "planlegge" else "BP4"
            decision = GateDecision(
                gate=gate, outcome=GateOutcome.GO, date=end, decided_by="eier", documents=DOCS[gate]
            )
        built.append(Phase(key=key, start=begin, end=end, gate_decision=decision))
    actors = (
        Actor(
            id="eier",
            name="Eier",
            sector=Sector.MUNICIPAL,
            roles=(Role.PROJECT_OWNER, Role.BENEFIT_RESPONSIBLE),
        ),
        Actor(id="leder", name="Leder", sector=Sector.MUNICIPAL, roles=(Role.PROJECT_MANAGER,)),
    )
    deliverables = tuple(
        Deliverable(
            id=f"d{i}",
            title=f"Leveranse {i}",
            phase="gjennomfore",
            kind=DeliverableKind.WORKING_MODEL,
            status=DeliverableStatus.DISCARDED if i % 7 == 0 else DeliverableStatus.TESTING,
            discard_reason="Lavt oppmøte" if i % 7 == 0 else None,
        )
        for i in range(size)
    )
    risks = tuple(
        Risk(
            id=f"r{i}",
            title=f"Risiko {i}",
            probability=1 + i % 5,
            consequence=1 + (i * 3) % 5,
            owner="leder",
            mitigations=(Mitigation(description="Tiltak", owner="eier"),),
        )
        for i in range(size)
    )
    end = start + datetime.timedelta(days=30 * phases)
    return Project(
        id="generert",
        name="Generert",
        phase_model="prosjektveiviseren",
        period=Period(start=start, end=end),
        phases=tuple(built),
        actors=actors,
        deliverables=deliverables,
        risks=risks,
        budget=Budget(frame=Money(10_000_000)),
    )


def median_seconds(project: Project, repeat: int) -> float:
    """Median wall time of validate(project) over `repeat` runs (after one warm-up)."""
    validate(project)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        validate(project)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(f"{'size':>8} {'findings':>9} {'median ms':>10} {'µs per item':>12}")
    base = None
    for size in (1_000, 10_000, 100_000):
        project = generate(size)
        findings = validate(project)
        seconds = median_seconds(
            project, args.repeat if size < 100_000 else max(3, args.repeat // 2)
        )
        per_item = seconds / (2 * size) * 1e6
        base = base or per_item
        print(
            f"{size:>8} {len(findings):>9} {seconds * 1000:>10.1f} {per_item:>12.2f}   ({per_item / base:.2f}× the 1k cost per item)"
        )
    print("target: 1 000 deliverables + 1 000 risks + 20 phases under 50 ms")


if __name__ == "__main__":
    main()
