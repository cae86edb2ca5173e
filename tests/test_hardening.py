"""Hardening: the command line's contract, safe text in every format, bounded costs, dates.

Each test names the defect it guards against; each failed before its fix.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import samskaping
from samskaping import DocumentError, Money
from samskaping._cli import main
from samskaping.l10n import format_money
from samskaping.model import Project
from samskaping.report import Unavailable, compose, render_report, report_data
from samskaping.validation import validate
from strategies import documents

DOC = '{"id": "p", "name": "Prosjekt"}'
#: Examples per fuzz target: modest in the suite; CI runs more (``.ci/run``, about 30 s).
#: The findings that name what the report and the scores refuse.
AGREEMENT_CODES = frozenset(
    {
        "risk.scale_unknown",
        "risk.level_outside_scale",
        "risk.band_unknown",
        "feedback.scale_reversed",
        "feedback.rating_outside_scale",
        "survey.instrument_unknown",
        "utenfor.cost_profile_unknown",
        "participation.activity_unknown",
        "goal.gas_weights_zero",
        "money.sum_too_large",
    }
)
FUZZ_EXAMPLES = int(os.environ.get("SAMSKAPING_FUZZ_EXAMPLES", "150"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI in this process: (exit code, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def shell(
    *argv: str, env: dict[str, str] | None = None, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m samskaping`` in a child process, as a user would."""
    return subprocess.run(  # noqa: S603  (our own module, fixed arguments)
        [sys.executable, "-m", "samskaping", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )


class TestWriteErrors:
    """Write errors end with exit 2 and one line naming the file (they were tracebacks)."""

    def test_output_to_a_directory(self, capsys, tmp_path):
        """``report -o DIR`` names the directory."""
        code, _, err = run(capsys, "report", "-o", str(tmp_path))
        assert 2 == code
        assert 1 == len(err.splitlines())
        assert str(tmp_path) in err

    def test_output_to_a_missing_folder(self, capsys, tmp_path):
        """``report -o missing/x.html`` says the folder does not exist."""
        code, _, err = run(capsys, "report", "-o", str(tmp_path / "no" / "x.html"))
        assert 2 == code
        assert "No such file or directory" in err

    def test_output_to_a_full_disk(self, capsys):
        """``report -o /dev/full`` says the disk is full."""
        code, _, err = run(capsys, "report", "-o", "/dev/full")
        assert 2 == code
        assert "No space left on device" in err

    def test_svg_to_a_directory(self, capsys, tmp_path):
        """``score risk --svg DIR`` names the directory."""
        code, _, err = run(
            capsys, "score", "risk", "--example", "innbyggerbasen", "--svg", str(tmp_path)
        )
        assert 2 == code
        assert 1 == len(err.splitlines())
        assert "Is a directory" in err

    def test_full_standard_output(self):
        """Standard output on a full disk: exit 2 and one line, nothing more at exit."""
        with Path("/dev/full").open("w") as full:
            done = subprocess.run(
                [sys.executable, "-m", "samskaping", "report"],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                timeout=120,
                check=False,
            )
        expected = ["samskaping: error: cannot write to standard output: No space left on device"]
        assert 2 == done.returncode
        assert expected == done.stderr.splitlines()

    def test_closed_standard_output(self):
        """A closed standard output: exit 2 and one line (it was an AttributeError)."""
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                (
                    "import os, sys; os.close(1); sys.argv[0] = 'samskaping'; "
                    "from samskaping._cli import main; sys.exit(main(['report']))"
                ),
            ],
            capture_output=False,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
        assert 2 == done.returncode
        assert "standard output" in done.stderr

    def test_pipe_closed_by_the_reader_is_quiet(self):
        """``samskaping report | head -1`` ends quietly: no message, exit 0."""
        reader = subprocess.Popen(
            [sys.executable, "-m", "samskaping", "report", "--format", "html"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert reader.stdout is not None
        reader.stdout.read(10)
        reader.stdout.close()
        _, err = reader.communicate(timeout=120)
        assert 0 == reader.returncode
        assert b"" == err


class TestDebug:
    """``--debug`` and ``SAMSKAPING_DEBUG`` show the traceback; without them, one line."""

    def test_debug_flag_shows_the_traceback(self, capsys, tmp_path, monkeypatch):
        """``--debug`` prints the traceback and then the one-line message."""
        monkeypatch.delenv("SAMSKAPING_DEBUG", raising=False)
        code, _, err = run(capsys, "--debug", "report", "-o", str(tmp_path))
        assert 2 == code
        assert "Traceback" in err
        assert err.rstrip().endswith("Is a directory")

    def test_environment_variable_shows_the_traceback(self, capsys, tmp_path, monkeypatch):
        """``SAMSKAPING_DEBUG=1`` does the same as ``--debug``."""
        monkeypatch.setenv("SAMSKAPING_DEBUG", "1")
        code, _, err = run(capsys, "report", "-o", str(tmp_path))
        assert 2 == code
        assert "Traceback" in err

    def test_no_traceback_by_default(self, capsys, tmp_path, monkeypatch):
        """Without either (or with ``SAMSKAPING_DEBUG=0``), the error is one line."""
        monkeypatch.setenv("SAMSKAPING_DEBUG", "0")
        code, _, err = run(capsys, "report", "-o", str(tmp_path))
        assert 2 == code
        assert 1 == len(err.splitlines())


class TestInputs:
    """Only regular files, ``-`` and dataset directories are read; empty values are refused."""

    def test_fifo_is_refused_at_once(self, capsys, tmp_path):
        """A FIFO as FILE is refused (it blocked forever)."""
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        code, _, err = run(capsys, "validate", str(fifo))
        assert 2 == code
        assert "not a regular file" in err

    def test_library_refuses_a_fifo(self, tmp_path):
        """``samskaping.load`` refuses a FIFO too, without opening it."""
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        with pytest.raises(DocumentError, match="not a regular file"):
            samskaping.load(fifo)

    def test_device_is_refused(self, capsys):
        """``/dev/zero`` never ends: refused."""
        code, _, err = run(capsys, "report", "/dev/zero")
        assert 2 == code
        assert "not a regular file" in err

    def test_standard_input(self):
        """``-`` reads the document from standard input."""
        done = shell("validate", "-", "--format", "json", input=DOC)
        assert 1 == done.returncode
        assert "roles.project_owner" in done.stdout

    @pytest.mark.parametrize("option", ["--example", "-o", "--as-of"])
    def test_empty_value_is_refused(self, capsys, option):
        """An empty option value is refused (``--example ''`` used the default)."""
        code, _, err = run(capsys, "report", option, "")
        assert 2 == code
        assert 1 == len(err.splitlines())

    def test_long_value_is_cut_in_the_message(self, capsys):
        """A 100 000-character ``--as-of`` is echoed as a short prefix."""
        code, _, err = run(capsys, "report", "--as-of", "9" * 100_000)
        assert 2 == code
        assert len(err) < 300

    def test_long_key_is_cut_in_the_message(self, capsys, tmp_path):
        """A 2 MB unknown key is echoed as a short prefix."""
        path = tmp_path / "key.json"
        path.write_text('{"id": "p", "name": "x", "' + "k" * 2_000_000 + '": 1}', encoding="utf-8")
        code, _, err = run(capsys, "validate", str(path))
        assert 2 == code
        assert len(err) < 300
        assert "unknown key" in err

    def test_control_characters_in_messages_are_escaped(self, capsys):
        r"""An ESC in an option value is shown as ``\\x1b`` in the message."""
        code, _, err = run(capsys, "report", "--example", "\x1b]0;x\x07")
        assert 2 == code
        assert "\x1b" not in err
        assert "\\x1b" in err

    def test_csv_field_past_the_limit(self, capsys, tmp_path):
        """A CSV field longer than the csv module's limit is one clear line."""
        path = tmp_path / "p.csv"
        path.write_text("id,children\nh1," + "1" * 200_000 + "\n", encoding="utf-8")
        code, _, err = run(
            capsys, "payout", "simulate", "--policy", "flyktningfamilien", "--population", str(path)
        )
        assert 2 == code
        assert "field limit" in err


class TestNumbers:
    """Huge exponents give clear messages, quickly."""

    def test_overflow_message(self):
        """``1e999999999`` as an amount: "at most", not "invalid value (Overflow ...)"."""
        with pytest.raises(DocumentError) as info:
            samskaping.loads('{"id": "p", "name": "x", "budget": {"frame": 1e999999999}}')
        assert "at most" in str(info.value)
        assert "Overflow" not in str(info.value)

    def test_huge_whole_number_is_refused_quickly(self):
        """``1e999999999`` as a count is refused without building a billion-digit int."""
        with pytest.raises(DocumentError, match="at most"):
            samskaping.loads('{"id": "p", "name": "x", "citizens_reached": 1e999999999}')

    def test_negative_zero_is_zero(self):
        """A frame of ``-0.0`` renders as 0,00 kr, not -0,00 kr."""
        document = samskaping.loads('{"id": "p", "name": "x", "budget": {"frame": -0.0}}')
        assert "0,00\xa0kr" == format_money(document.budget.frame)

    def test_negative_zero_money(self):
        """``Money("-0.00")`` is zero without a sign."""
        assert "0.00" == str(Money("-0.00").amount)


def markdown(text: str) -> str:
    """The Markdown escaper (imported here, so that this module loads without it)."""
    from samskaping.report._escape import markdown as escape

    return escape(text)


def visible(text: str) -> str:
    """The plain-text escaper."""
    from samskaping.report._escape import visible as escape

    return escape(text)


def rich_markup(text: str) -> str:
    """The rich escaper."""
    from samskaping.report._escape import rich_markup as escape

    return escape(text)


class TestText:
    """Lone surrogates are refused; each renderer escapes its own syntax."""

    def test_lone_surrogate_is_refused_with_its_path(self):
        r"""A JSON ``\\ud800`` escape is refused at its path (every text output crashed)."""
        with pytest.raises(DocumentError) as info:
            samskaping.loads('{"id": "p", "name": "x", "description": "\\ud800"}')
        assert ["$.description"] == [p.path for p in info.value.problems]

    def test_surrogate_pair_is_a_character(self):
        """A proper pair (an emoji) loads."""
        document = samskaping.loads('{"id": "p", "name": "\\ud83d\\ude00"}')
        assert "\U0001f600" == document.name

    def test_markdown_heading_cannot_be_added(self):
        """A description cannot add a ``## heading`` to the Markdown report."""
        out = render_report(Project(id="p", name="P", description="x\n## Falsk"), format="markdown")
        assert [] == [line for line in out.splitlines() if line.startswith("## Falsk")]

    def test_markdown_html_is_escaped(self):
        """``<script>`` does not survive in Markdown."""
        out = render_report(Project(id="p", name="<script>alert(1)</script>"), format="markdown")
        assert "<script>" not in out
        assert "&lt;script&gt;" in out

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("[x](http://e)", "\\[x\\](http://e)"),
            ("a | b", "a \\| b"),
            ("*em* _u_", "\\*em\\* \\_u\\_"),
            ("- list", "\\- list"),
            ("1. list", "1\\. list"),
            ("<b>", "&lt;b&gt;"),
            ("2024-01-01", "2024-01-01"),
        ],
    )
    def test_markdown_escape(self, text, expected):
        """Links, tables, emphasis, lists and HTML are literal; ordinary text is unchanged."""
        assert expected == markdown(text)

    def test_plain_text_shows_control_characters(self):
        """ESC, BEL and CR are shown as visible escapes in the text report."""
        out = render_report(Project(id="p", name="\x1b]0;pwned\x07\rX"), format="text")
        assert "\x1b" not in out
        assert "\x07" not in out
        assert "\r" not in out
        assert "\\x1b]0;pwned\\x07\\x0dX" in out

    def test_visible_keeps_ordinary_text(self):
        """Letters, spaces and non-breaking spaces pass unchanged."""
        assert "Bærum 1\xa0234,00\xa0kr" == visible("Bærum 1\xa0234,00\xa0kr")

    def test_rich_markup_is_escaped(self):
        """``[link=…]`` and ``[/]`` are literal in rich."""
        assert "\\[link=x]y\\[/link] \\[/]" == rich_markup("[link=x]y[/link] [/]")

    def test_rich_report_survives_markup(self):
        """``[/]`` in a risk title no longer crashes the colour terminal report."""
        from rich.console import Console

        from samskaping.report._rich import render_rich

        document = samskaping.loads(
            '{"id": "p", "name": "[link=https://e.example]x[/link]", '
            '"risks": [{"id": "r", "title": "[/]", "probability": 2, "consequence": 2}]}'
        )
        buffer = io.StringIO()
        render_rich(compose(report_data(document)), Console(file=buffer, force_terminal=True))
        assert "\x1b]8;" not in buffer.getvalue()
        assert "[link=" in buffer.getvalue()

    def test_html_stays_escaped(self):
        """HTML escapes as before: no tag from the data survives."""
        out = render_report(Project(id="p", name='"><script>x</script>'), format="html")
        assert "<script>x" not in out
        assert "&lt;script&gt;x" in out


class TestUnknownKeys:
    """Suggestions are computed only for the problems shown."""

    def test_many_unknown_keys_are_capped(self):
        """100 000 unknown keys: 200 listed and the rest counted."""
        keys = ", ".join(f'"k{i}": 1' for i in range(100_000))
        with pytest.raises(DocumentError) as info:
            samskaping.loads('{"id": "p", "name": "x", ' + keys + "}")
        assert 201 == len(info.value.problems)
        assert "... and 99800 more problems" == info.value.problems[-1].message

    def test_suggestion_still_given(self):
        """A typo still gets its did-you-mean."""
        with pytest.raises(DocumentError, match="did you mean 'description'"):
            samskaping.loads('{"id": "p", "name": "x", "descripton": "y"}')

    def test_suggestions_only_for_shown_problems(self, monkeypatch):
        """The did-you-mean search runs at most MAX_PROBLEMS times."""
        import difflib

        from samskaping.io import _converter

        calls = []
        real = difflib.get_close_matches
        monkeypatch.setattr(
            _converter.difflib,
            "get_close_matches",
            lambda *a, **k: calls.append(1) or real(*a, **k),
        )
        keys = ", ".join(f'"k{i}": 1' for i in range(5000))
        with pytest.raises(DocumentError):
            samskaping.loads('{"id": "p", "name": "x", ' + keys + "}")
        assert _converter.MAX_PROBLEMS >= len(calls)


class TestValidateAgreesWithReport:
    """What report and score refuse is a validate finding with a path."""

    @pytest.mark.parametrize(
        ("text", "code", "path"),
        [
            ('"risk_scale": "nope"', "risk.scale_unknown", "$.risk_scale"),
            (
                '"risks": [{"id": "r", "title": "t", "probability": 9, "consequence": 1}]',
                "risk.level_outside_scale",
                "$.risks[0].probability",
            ),
            (
                '"risks": [{"id": "r", "title": "t", "assessed_band": "enorm"}]',
                "risk.band_unknown",
                "$.risks[0].assessed_band",
            ),
            (
                (
                    '"meeting_places": [{"id": "m", "name": "m", "kind": "event", "feedback": '
                    '[{"question": "q", "scale_min": 5, "scale_max": 1}]}]'
                ),
                "feedback.scale_reversed",
                "$.meeting_places[0].feedback[0].scale_max",
            ),
            (
                (
                    '"budget": {"frame": 1, "costs": [{"year": 2024, "amount": 900000000000000}, '
                    '{"year": 2024, "amount": 900000000000000}]}'
                ),
                "money.sum_too_large",
                "$.budget.costs",
            ),
            (
                (
                    '"budget": {"frame": 1, "allocations": [{"phase": "a", "amount": 9e14},'
                    ' {"phase": "b", "amount": 9e14}]}'
                ),
                "money.sum_too_large",
                "$.budget.allocations",
            ),
            (
                '"goals": [{"id": "g", "title": "t", "gas_score": 1, "weight": 0}]',
                "goal.gas_weights_zero",
                "$.goals",
            ),
        ],
    )
    def test_finding(self, text, code, path):
        """The refused input is a finding with its code and path."""
        document = samskaping.loads('{"id": "p", "name": "x", ' + text + "}")
        assert [(code, path)] == [(f.code, f.path) for f in validate(document) if f.code == code]

    def test_custom_rule_with_a_new_code(self):
        """A caller's rule with its own code gives a finding (it was a bare KeyError)."""

        def my_rule(_scope):
            yield "my.check", "$.name", {"value": 1}

        findings = validate(Project(id="p", name="P"), rules=[my_rule])
        assert [("my.check", "error", "my.check (value=1)")] == [
            (f.code, f.severity.value, f.message) for f in findings
        ]


class TestDates:
    """Any date loading accepts renders; nothing computes a year past 9999."""

    def test_phase_ending_in_9999(self):
        """A phase ending in 9999 renders in every format (the timeline made a tick for 10000)."""
        document = samskaping.loads(
            '{"id": "p", "name": "x", "period": {"start": "9990-01-01", "end": "9999-12-31"}, '
            '"phases": [{"key": "a", "start": "9999-01-01", "end": "9999-12-31"}]}'
        )
        outputs = [render_report(document, format=f) for f in ("text", "markdown", "json", "html")]
        assert 4 == len([o for o in outputs if o])

    def test_timeline_ticks_are_few(self):
        """A timeline over 9999 years has at most about 20 year ticks."""
        from samskaping.report._svg import TimelineBar, timeline_svg

        svg = timeline_svg(
            [TimelineBar(label="a", start=datetime.date.min, end=datetime.date.max)], title="t"
        )
        assert 21 >= svg.count("<line")

    def test_plan_from_december_9999(self, capsys, tmp_path):
        """``payout plan --start 9999-12-01`` is a clear error, not a ValueError traceback."""
        cohort = tmp_path / "c.toml"
        cohort.write_text('id = "c"\n[[members]]\nref = "h"\nchildren = [{}]\n', encoding="utf-8")
        code, _, err = run(
            capsys,
            "payout",
            "plan",
            "--policy",
            "flyktningfamilien",
            "--cohort",
            str(cohort),
            "--start",
            "9999-12-01",
        )
        assert 2 == code
        assert "after the year 9999" in err

    def test_week_date_is_not_a_date(self):
        """``2024-W01-1`` is refused: dates are YYYY-MM-DD."""
        with pytest.raises(DocumentError, match="expected a date"):
            samskaping.loads('{"id": "p", "name": "x", "period": {"start": "2024-W01-1"}}')


class TestProperties:
    """Invariants over generated documents and text."""

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
    @given(documents)
    def test_validate_never_raises(self, document):
        """``validate`` returns findings for any well-formed document; it never raises."""
        assert isinstance(validate(document), tuple)

    @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
    @given(documents)
    def test_every_format_renders(self, document):
        """Every format (text, Markdown, HTML, JSON and rich) renders any loadable document."""
        from rich.console import Console

        from samskaping.report._rich import render_rich

        outputs = [render_report(document, format=f) for f in ("text", "markdown", "json", "html")]
        json.loads(outputs[2])
        render_rich(compose(report_data(document)), Console(file=io.StringIO()))
        assert 4 == len([o for o in outputs if o])

    @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
    @given(documents)
    def test_a_section_not_computed_has_a_validate_error(self, document):
        """A section the report cannot compute names errors that ``validate`` reports."""
        data = report_data(document)
        codes = {f.code for f in validate(document) if f.severity.value == "error"}
        for facts in (data.goals, data.risks, data.utenfor, data.assessments):
            if isinstance(facts, Unavailable):
                assert set(facts.codes) <= codes
                assert set(facts.codes) & AGREEMENT_CODES

    @settings(max_examples=FUZZ_EXAMPLES, deadline=None)
    @given(st.text(max_size=300))
    def test_loads_fuzz_text(self, text):
        """``loads`` on any text gives a document or a DocumentError, nothing else."""
        for fmt in ("json", "toml"):
            with contextlib.suppress(DocumentError):
                samskaping.loads(text, fmt)

    @settings(max_examples=FUZZ_EXAMPLES, deadline=None)
    @given(
        st.dictionaries(
            st.sampled_from(["id", "name", "description", "status", "budget", "risks", "x", "é"]),
            st.recursive(
                st.none()
                | st.booleans()
                | st.integers()
                | st.text(max_size=20)
                | st.floats(allow_nan=False)
                | st.just("\ud800"),
                lambda inner: (
                    st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=3)
                ),
                max_leaves=10,
            ),
            max_size=6,
        )
    )
    def test_loads_fuzz_structures(self, data):
        """``loads`` on JSON built from odd values: a document or a DocumentError."""
        text = json.dumps({"id": "p", "name": "x", **data})
        try:
            document = samskaping.loads(text)
        except DocumentError:
            return
        render_report(document, format="text")

    @settings(max_examples=200, deadline=None)
    @given(st.text())
    def test_escaped_text_has_no_control_characters(self, text):
        """``visible`` and ``markdown`` leave no control character but none at all."""
        for escaped in (visible(text), markdown(text)):
            assert [] == [c for c in escaped if ord(c) < 32 or 0x7F <= ord(c) <= 0x9F]


def _example_copy(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A copy of an embedded example with ``old`` (found once) replaced by ``new``."""
    from samskaping.examples import source_text

    text = source_text(name)
    assert 1 == text.count(old)
    path = tmp_path / f"{name}.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _unknown_risk_scale(tmp_path: Path) -> Path:
    """Innbyggerbasen with a ``risk_scale`` that does not exist."""
    old = 'owner_org = "Bydel'
    return _example_copy(tmp_path, "innbyggerbasen", old, f'risk_scale = "ukjent"\n{old}')


class TestReportWithErrors:
    """A document ``validate`` flags still gets a report: the section says why it is missing."""

    def test_unknown_risk_scale_is_reported(self, tmp_path, capsys):
        """An unknown ``risk_scale``: the report prints (exit 0), not exit 2."""
        path = _unknown_risk_scale(tmp_path)
        code, out, err = run(capsys, "report", str(path), "--lang", "en", "--plain")
        assert code == 0
        assert err == ""
        assert "Uncertainties and risks" in out
        assert "This section could not be computed" in out
        assert "No risks" not in out

    def test_unknown_risk_scale_says_so_in_every_language(self, tmp_path):
        """The notice is localised: no raw code, and no English in nb or nn."""
        path = _unknown_risk_scale(tmp_path)
        document = samskaping.load(path)
        notices = {"nb": "kunne ikke beregnes", "nn": "kunne ikkje reknast ut", "en": "could not"}
        for lang, notice in notices.items():
            for fmt in ("text", "markdown", "html"):
                text = render_report(document, format=fmt, lang=lang)
                assert notice in text
                assert "risk.scale_unknown" not in text
                if lang != "en":
                    assert "could not be computed" not in text

    def test_unknown_survey_instrument_is_reported(self, tmp_path, capsys):
        """An unknown survey instrument: the report prints, the section says why."""
        path = _example_copy(
            tmp_path,
            "innbyggernes_modell",
            'id = "ansatte_2022"\ninstrument = "staff_2023"',
            'id = "ansatte_2022"\ninstrument = "ukjent"',
        )
        code, out, err = run(capsys, "report", str(path), "--lang", "en", "--plain")
        assert code == 0
        assert err == ""
        assert "This section could not be computed" in out

    def test_unknown_cost_profile_is_reported(self, tmp_path, capsys):
        """An unknown utenfor cost profile: the report prints, the utenfor section says why."""
        old = 'id = "t13_brundalen"'
        path = _example_copy(
            tmp_path, "innbyggernes_modell", old, f'{old}\ncost_profile = "ukjent"'
        )
        code, out, err = run(capsys, "report", str(path), "--format", "json")
        assert code == 0
        assert err == ""
        assert ["utenfor.cost_profile_unknown"] == json.loads(out)["utenfor"]["codes"]

    def test_json_keeps_the_unavailable_section(self, tmp_path, capsys):
        """JSON marks the section unavailable with the finding's code."""
        path = _unknown_risk_scale(tmp_path)
        code, out, _ = run(capsys, "report", str(path), "--format", "json")
        assert 0 == code
        assert {"unavailable": True, "codes": ["risk.scale_unknown"]} == json.loads(out)["risks"]
