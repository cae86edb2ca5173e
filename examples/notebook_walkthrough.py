"""A researcher's walk through Innbyggernes modell, as a script (the notebook equivalent).

Each section is one notebook cell: load the Trondheim programme, look at its nine
sub-projects, score the utenfor-regnskapet cases and the co-creation assessments,
simulate a payout policy over a generated population, build pandas frames (if pandas
is installed), and write the HTML report to the working directory.

    python examples/notebook_walkthrough.py

In Jupyter, paste the cells one by one: the project, decisions, payment plans,
simulation results and the report data display themselves as HTML tables there.
"""

from __future__ import annotations

import datetime
import importlib.util
import random
from decimal import Decimal
from pathlib import Path

import samskaping
from samskaping import Money, scoring
from samskaping.model import Programme, iter_projects
from samskaping.payouts import SimulationResult, compare, load_policy, simulate
from samskaping.report import render_report, report_text
from samskaping.validation import validate

#: What the source reports: nine sub-projects, three ended early (002:452, 002:542-573).
SUB_PROJECTS = 9
ENDED_EARLY = 3
#: The generated population: its size, and the share on long-term social assistance.
SIZE = 5_000
ASSISTANCE_SHARE = 0.35
#: Fritid for alle's cap per household (002:505).
HOUSEHOLD_CAP = Money(120_000)


def cell_programme() -> Programme:
    """Cell 1: the programme, validated with Innbyggernes modell's own rules."""
    programme = samskaping.load_example("innbyggernes_modell")
    assert isinstance(programme, Programme)
    print(f"{programme.name}: {len(programme.projects)} sub-projects, {programme.funding}")
    findings = validate(programme, rules=("core", "innbyggernes_modell"), lang="en")
    print("validation errors:", [f.code for f in findings if f.severity.value == "error"])
    return programme


def cell_subprojects(programme: Programme) -> list[dict[str, object]]:
    """Cell 2: the sub-projects (*delprosjekter*) as rows."""
    rows: list[dict[str, object]] = []
    for path, project in iter_projects(programme):
        if project is programme:
            continue
        frame = project.budget.frame if project.budget else None
        rows.append(
            {
                "path": path,
                "id": project.id,
                "name": project.name,
                "status": project.status.value,
                "frame": None if frame is None else frame.amount,
                "payment_types": ", ".join(s.payment_type.value for s in project.payout_schemes),
                "end_reason": project.end_reason,
            }
        )
    for row in rows:
        print(f"  {row['status']!s:10} {row['frame']!s:>11} {row['name']}")
    ended = [row["name"] for row in rows if row["status"] == "ended"]
    print("ended early:", ended)
    assert (len(rows), len(ended)) == (SUB_PROJECTS, ENDED_EARLY)
    return rows


def cell_utenfor(programme: Programme) -> scoring.UtenforReport:
    """Cell 3: utenfor-regnskapet, with the consistency check of table 13."""
    consistency = scoring.check_consistency(programme.assessments.utenfor)
    print("table 13 rows where helped != participants x effect:", consistency.flagged)
    profile = scoring.cost_profile("illustrative_low_income")  # invented; results say so
    report = scoring.utenfor_report(programme, profile)
    for case in report.results:
        verdict = "profitable" if case.profitable else "not profitable"
        print(
            f"  {case.case:24} helped/year {case.helped_per_year:>6} "
            f"break-even {case.break_even_year or 'never'}  {verdict}"
        )
    assert all(case.illustrative_profile for case in report.results)
    return report


def cell_assessments(programme: Programme) -> None:
    """Cell 4: the idea diamond and the staff survey, start against end."""
    assessments = scoring.assessment_report(programme)
    print(report_text(assessments, "en").splitlines()[0])
    if assessments.idea_diamond_change is not None:
        print("idea diamond, largest growth:", assessments.idea_diamond_change.largest_growth)
    before, after = programme.assessments.surveys
    for item in scoring.survey_deltas(before, after).items:
        print(f"  survey item {item.item}: {item.before} -> {item.after}")


def cell_simulation() -> SimulationResult:
    """Cell 5: Fritid for alle over a generated population; the two engines agree."""
    rng = random.Random(2022)
    population = {
        "type": [rng.choice(["single_parent", "couple"]) for _ in range(SIZE)],
        "children": [rng.choice([0, 1, 2, 3, 4, 5, 6, 7]) for _ in range(SIZE)],
        "need_weight": [str(rng.choice([1, 1, 2, 3])) for _ in range(SIZE)],
        "long_term_social_assistance": [rng.random() < ASSISTANCE_SHARE for _ in range(SIZE)],
        "request.amount": [rng.randrange(20_000, 160_001, 1_000) for _ in range(SIZE)],
        "request.purpose": [
            rng.choice(["home_furnishing", "room_division", "buy_own_home", "leisure_activities"])
            for _ in range(SIZE)
        ],
    }
    fritid = load_policy("fritid_for_alle")
    as_of = datetime.date(2022, 8, 1)
    # Fritid for alle does not read the need weight: keep the column for the record.
    result = simulate(fritid, population, as_of, passthrough=("need_weight",))
    print(
        f"{fritid.name}: {result.reached} of {result.households} households reached, "
        f"total {result.total}; within the pot of {result.pot_total}: {result.within_pot}"
    )
    for summary in result.by_type:
        print(f"  {summary.type:14} median {summary.median}  max {summary.maximum}")
    assert simulate(fritid, population, as_of, engine="python", passthrough=("need_weight",)) == (
        result
    )
    assert max(result.amounts) <= HOUSEHOLD_CAP

    unconditional = compare(
        [load_policy("flyktningfamilien")],
        {"children": population["children"], "in_cohort": [True] * SIZE},
        datetime.date(2022, 3, 1),
    )
    print(f"Flyktningfamilien for all {SIZE} households: {unconditional.results[0].total} a month")
    return result


def cell_frames(
    subprojects: list[dict[str, object]],
    utenfor: scoring.UtenforReport,
    result: SimulationResult,
) -> None:
    """Cell 6: pandas frames, when the optional extra is installed."""
    if importlib.util.find_spec("pandas") is None:
        print("pandas is not installed; to_records() gives the same rows as dicts")
        return
    import pandas as pd  # noqa: PLC0415  (optional extra)

    projects_frame = pd.DataFrame.from_records(subprojects)
    print(projects_frame[["id", "status", "frame"]].to_string(index=False))
    households_frame = result.to_pandas()
    print(households_frame.groupby("status")["amount_ore"].agg(["count", "sum"]))
    years = pd.concat(
        [case.to_pandas().assign(case=case.case) for case in utenfor.results], ignore_index=True
    )
    print(years.groupby("case")["net"].sum().head())
    assert households_frame["amount_ore"].sum() == result.total.ore
    assert projects_frame["frame"].sum() == Decimal(15_500_000)


def cell_report(programme: Programme) -> Path:
    """Cell 7: the whole report as one self-contained HTML file."""
    out = Path("innbyggernes_modell.html")
    out.write_text(render_report(programme, format="html", lang="nb"), encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")
    return out


def main() -> None:
    """Run every cell in order."""
    programme = cell_programme()
    subprojects = cell_subprojects(programme)
    utenfor = cell_utenfor(programme)
    cell_assessments(programme)
    result = cell_simulation()
    cell_frames(subprojects, utenfor, result)
    cell_report(programme)


if __name__ == "__main__":
    main()
