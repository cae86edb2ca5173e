"""The notebook views: a project's card and a result's table of rows."""

from __future__ import annotations

import datetime
import subprocess
import sys

import pytest

import samskaping
import samskaping.report
from samskaping import InvalidInputError
from samskaping.model import Project
from samskaping.payouts import (
    Child,
    Cohort,
    CohortMember,
    builtin_policy,
    payment_plan,
    simulate,
)

DAY = datetime.date(2022, 3, 1)


class TestProjectCard:
    """``Project._repr_html_`` shows who, when and how much at a glance."""

    def test_no_card_without_the_report(self):
        """Before the report is imported, a project has no card (a notebook shows its repr)."""
        code = "from samskaping.model import Project;print(Project(id='p', name='n')._repr_html_())"
        out = subprocess.run(  # noqa: S603  (this interpreter, a fixed line of code)
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        assert "None" == out.strip()

    def test_card_names_the_project(self):
        """The card shows the project's name."""
        card = samskaping.load_example("innbyggerbasen")._repr_html_()
        assert "Prosjekt Innbyggerbasen" in card

    def test_card_shows_the_budget_frame(self):
        """The card shows the budget frame, formatted in Bokmål."""
        card = samskaping.load_example("innbyggerbasen")._repr_html_()
        assert "6\xa0278\xa0000,00" in card

    def test_card_counts_the_deliverables(self):
        """A project with deliverables has a row counting them."""
        card = samskaping.load_example("innbyggerbasen")._repr_html_()
        assert "<td>9</td>" in card

    def test_card_of_a_programme_counts_its_projects(self):
        """A programme's card counts its projects."""
        programme = samskaping.load_example("innbyggernes_modell")
        card = programme._repr_html_()
        assert f"<td>{len(programme.projects)}</td>" in card

    def test_card_without_a_period(self):
        """A project with no period shows a dash for it."""
        card = Project(id="p", name="Bare navn")._repr_html_()
        assert "<td>–</td>" in card

    def test_card_escapes_the_name(self):
        """A name with markup is escaped."""
        card = Project(id="p", name="<b>x</b>")._repr_html_()
        assert "&lt;b&gt;x&lt;/b&gt;" in card


class TestRecordsTable:
    """A result made of rows shows at most 50 of them as an HTML table."""

    def test_a_long_result_shows_fifty_rows_and_counts_the_rest(self):
        """Sixty households: fifty rows and a line saying ten more."""
        result = simulate(
            builtin_policy("flyktningfamilien"),
            {"children": [1] * 60, "in_cohort": [True] * 60},
            DAY,
        )
        assert "… 10 more" in result._repr_html_()

    def test_a_short_result_has_no_more_line(self):
        """Two households: no line about more rows."""
        result = simulate(
            builtin_policy("flyktningfamilien"), {"children": [1, 2], "in_cohort": [True] * 2}, DAY
        )
        assert "more" not in result._repr_html_()

    def test_dates_are_shown_as_iso(self):
        """A payment plan's dates are shown as YYYY-MM-DD."""
        cohort = Cohort(id="c", members=(CohortMember(ref="f1", children=(Child(),)),))
        plan = payment_plan(builtin_policy("flyktningfamilien"), cohort)
        assert str(plan.payments[0].date.isoformat()) in plan._repr_html_()

    def test_an_empty_result_shows_a_dash(self):
        """A result with no rows is its title and a dash."""
        result = simulate(
            builtin_policy("flyktningfamilien"), {"children": [], "in_cohort": []}, DAY
        )
        assert "SimulationResult</strong>: –" in result._repr_html_()

    def test_to_pandas_without_pandas_is_a_clear_error(self, monkeypatch):
        """Without pandas, ``to_pandas`` says which extra to install."""
        import builtins

        real_import = builtins.__import__

        def no_pandas(name, *args, **kwargs):
            if name == "pandas":
                raise ImportError(name)
            return real_import(name, *args, **kwargs)

        result = simulate(
            builtin_policy("flyktningfamilien"), {"children": [1], "in_cohort": [True]}, DAY
        )
        monkeypatch.setattr(builtins, "__import__", no_pandas)
        with pytest.raises(InvalidInputError, match=r"samskaping\[pandas\]"):
            result.to_pandas()
