"""Truth in every output: the data says what its source says, and verdicts follow the source.

The quotes below are copied from the source reports with their line. Where the seed files
sit beside the repository (``../shared/seeds``), each quote is also checked against its
line, so a citation that points at the wrong line fails.
"""

from __future__ import annotations

import datetime
import os
import re
import tomllib
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

import samskaping
from samskaping import Programme
from samskaping.examples import load_example
from samskaping.scoring import RealisationStatus, benefits_realisation, risk_report

_HERE = Path(__file__).resolve().parent


def _seeds() -> Path | None:
    named = os.environ.get("SAMSKAPING_SOURCES")
    if named:
        return Path(named)
    for base in (_HERE.parent.parent, _HERE.parent.parent.parent):
        candidate = base / "shared" / "seeds"
        if candidate.is_dir():
            return candidate
    return None


SEEDS = _seeds()


def seed_line(file: str, line: int) -> str:
    """Line ``line`` (1-based) of seed file ``file`` ("000" … "004")."""
    assert SEEDS is not None
    (path,) = SEEDS.glob(f"{file}_*.txt")
    return path.read_text(encoding="utf-8").splitlines()[line - 1]


needs_seeds = pytest.mark.skipif(SEEDS is None, reason="the source reports are not beside the repo")


def _data(*parts: str) -> dict[str, object]:
    text = resources.files("samskaping").joinpath("data", *parts).read_text(encoding="utf-8")
    return tomllib.loads(text)


#: (reference, a quote that must be on that line).
CITED = [
    ("001:31", "Årlige aktivitetsplaner, med prioriterte tiltak"),
    ("002:1586", "Utbetaling av større beløp ble som hovedregel vurdert av et tverrfaglig team"),
    ("002:371", "«diagnose-fasen»"),
    ("004:21", "noen trinn er viktige å tenke gjennom"),
    ("002:361", "nærmere 38 millioner kroner"),
    ("000:152", "Den kortsiktige gevinsten vil sies & veere oppnadd"),
    ("000:209", "vurdert som oppnadd"),
    ("002:485", "Start: August 2021"),
    ("002:554", "Start: August 2021"),
    ("002:555", "Avsluttet: Juni 2022"),
    ("002:509", "Start: 2021"),
    # New source figures (what the sources hold): L5, the two roles, Kvinnenettverket,
    # the områdesatsing model's phase-4 expectations.
    ("002:4354", "gjennomsnittsskåre på 1,2"),
    ("002:4354", "steget til 3,7"),
    ("002:2662", "System-demonstratører"),
    ("002:2718", "Ansvarlig vokter og beslutningstaker"),
    ("000:368", "gjennomsnitt pa 25 besgkende"),
    ("001:35", "systemer for ledelse og styring"),
    ("001:36", "bredt sammensatt tverrfaglig organisasjon med lokalkunnskap"),
    ("001:37", "«små, synlige suksesser» (de 3 S-er)"),
    ("001:38", "slitasje i ledelse og deltagelse"),
    ("001:39", "rapporteringer og evalueringer aktivt"),
    ("001:40", "ta disse opp til drøfting og vurdering underveis"),
    ("001:41", "god informasjon og kommunikasjon"),
    ("001:42", "spres ut over hele innsatsperioden"),
    ("001:44", "etappe-vise utbygginger"),
    # Tidlig innsats i Brundalen's flexible pot and Praktisk grunnskole's car (policies).
    ("002:474", "Start: August 2021"),
    ("002:475", "Penger til disposisjon: 3 millioner"),
    ("002:481", "mottok delprosjektet 1 000 000 kroner i stedet for 500 000 kroner"),
    ("002:481", "elektrisk utstyr til barn/ungdom/foresatte, førerkort til ungdom og mat"),
    ("002:481", "I fellesskap drøftes behov og mulige løsninger"),
    ("002:1737", "barnehagepersonalet, og til en viss grad ansatte tilknyttet skole i området"),
    ("002:1741", "håndtert av personalet ved barnehagene og skolene"),
    ("002:1755", "ankerinstitusjoner for forvaltning av utbetaling uten vedtak"),
    ("002:1984", "fleksibel, men begrenset, pott med penger"),
    ("002:1984", "kan forvaltes av barnehager"),
    ("002:542", "Start: 2021"),
    ("002:543", "Avsluttet: Desember 2022"),
    ("002:544", "Penger til disposisjon: 1.5 millioner"),
    ("002:1876", "det ble kjøpt inn en bil som kunne brukes til kjøreopplæring"),
    ("002:1876", "initiert av elever og ansatte"),
    ("002:1525", "utgifter til bil etter bilkjøp"),
    # The four scenarios to 2040 and table 17.
    ("002:3185", "Alternative fremtidsscenarier fram mot 2040"),
    ("002:3190", "Trondheim viderefører nye måter å bruke penger på"),
    ("002:3191", "Trondheim viderefører nye former for samskaping"),
    ("002:3192", "Trondheim viderefører alle lovende læringspunkter fra Innbyggernes modell"),
    ("002:3212", "«I SKUFFEN»"),
    ("002:3214", "Mange prosjekter havner på «prosjektkirkegården»"),
    ("002:3222", "Trondheim kommune har i større skala testet ut grunninntekt"),
    ("002:3236", "Barnehager og skoler tas i bruk som ankerinstitusjoner i lokalsamfunnet"),
    ("002:3244", "Innbyggernes livskvalitet og verdighet er i sentrum"),
    ("002:3264", "det foretrukne fremtidsbildet"),
    ("002:3210", "Tabell 17. Tenkte påvirkningsfaktorer i fremtidsscenariene."),
    ("002:3202", "<b>Politiske</b>"),
    ("002:3203", "<b>Økonomiske</b>"),
    ("002:3204", "<b>Innovasjons-vilje</b>"),
    ("002:3205", "<b>Demografiske</b>"),
    ("002:3206", "<b>Sosio-kulturelle</b>"),
    ("002:3207", "<b>Juridiske</b>"),
    ("002:3208", "<b>Teknologiske</b>"),
    # Stovner's principles, focus areas, success factors and participants (OCR text).
    ("000:8", "Sentralt i bydelens strategi er 5"),
    ("000:9", "prinsipper: kontinuerlig forbedring, forebygging fremfor reparasjon,"),
    ("000:10", "behovsdrevet utvikling av tilbud og tjenester, myndighet sa neerme"),
    ("000:11", "brukeres som mulig og digital transformasjon"),
    ("000:19", "veere til stede og mete folk der de er"),
    ("000:20", "utvikle og teste ut nye arbeidsmater"),
    ("000:21", "lgfte og bruke medarbeidernes kompetanse og potensial"),
    ("000:256", "4 hovedfokusomrader som underbygger suksessfaktorene"),
    ("000:257", "5 av 6 leveranser"),
    ("000:259", "Samarbeidet med medarbeidere i tjenestene som skal drifte leveransene"),
    ("000:262", "Samarbeidet med frivilligheten"),
    ("000:264", "Samarbeidet og dialogen innbyggerne"),
    ("000:266", "Kommunikasjon internt og eksternt"),
    ("000:434", "en blanding av kvinner og menn"),
    ("000:435", "annet etnisk bakgrunn enn norsk"),
    ("000:441", "foreldre i alderen 20- 50 ar"),
    # KS: the supplementary keys and the implementation actions.
    ("003:51", "# Supplerende nøkler"),
    ("003:53", "Finansiering som viktig faktor til å få til ønsket effekt"),
    ("003:64", "Fra New Public Management (NPM) til arena for samskaping."),
    ("003:71", "Småskalaeksperimentering"),
    ("003:73", "# Tiltak for iverksetting i egen kommune"),
    ("003:75", "Finne ut hvilke prosjekter/områder der innbygger kan greie seg meg selv"),
    ("003:76", "«14.000 folk som kan noe»"),
    ("003:88", "tanquesky"),
    ("003:93", "Fokusere på kommunens rolle som tilrettelegger i samskappingsprosesser"),
]


class TestCitedLines:
    """Each quote the data rests on is on the line it is cited at."""

    @needs_seeds
    @pytest.mark.parametrize(("ref", "quote"), CITED)
    def test_quote_is_on_its_line(self, ref, quote):
        """The seed file's line holds the quote."""
        file, line = ref.split(":")
        assert quote in seed_line(file, int(line))


class TestDataErrors:
    """The data errors found in the audit are fixed."""

    def test_omradesatsing_says_aktivitetsplaner(self):
        """Phase 4 expects yearly *aktivitetsplaner* (001:31), not *handlingsplaner*."""
        phases = _data("phase_models", "omradesatsing.toml")["phases"]
        expectations = [e for p in phases for e in p.get("expectations", [])]  # type: ignore[attr-defined]
        assert "Årlige aktivitetsplaner med prioriterte tiltak" in [e["nb"] for e in expectations]

    def test_no_handlingsplaner_in_nn(self):
        """The Nynorsk label follows the source too."""
        phases = _data("phase_models", "omradesatsing.toml")["phases"]
        nn = [e["nn"] for p in phases for e in p.get("expectations", [])]  # type: ignore[attr-defined]
        assert "Årlege aktivitetsplanar med prioriterte tiltak" in nn

    def test_team_rule_cites_1586(self):
        """Fritid for alle's team band cites 002:1586, where the rule is."""
        policy = samskaping.payouts.load_policy("fritid_for_alle")
        sources = [b.source for bands in policy.approval_bands for b in bands.bands]
        assert ["002:1586, 002:503"] == sources

    def test_changed_policy_has_a_new_version(self):
        """Fritid for alle's text changed, so its version is no longer "2022"."""
        assert "2022.2" == samskaping.payouts.load_policy("fritid_for_alle").version

    def test_diagnosis_cites_the_text_not_the_caption(self):
        """The diagnosis phase cites 002:371, not the caption at 002:369."""
        phases = _data("phase_models", "innbyggernes_modell.toml")["phases"]
        assert "002:371" == phases[0]["source"]  # type: ignore[index]

    def test_borgen_steps_are_the_articles_own(self):
        """The four steps at 004:21-26 are the article's own advice, not Torfing's."""
        note = load_example("borgen").note or ""
        assert "Torfing's four steps" not in note


class TestVerdicts:
    """Verdicts follow the source."""

    def test_stovner_short_term_benefits_achieved(self):
        """«oppnådd» (000:152-153, 000:208-209): both short-term benefits are achieved."""
        result = benefits_realisation(load_example("innbyggerbasen"), datetime.date(2024, 6, 1))
        statuses = [s.status for s in (*result.citizens, *result.organisation)]
        assert 2 == statuses.count(RealisationStatus.ACHIEVED)

    def test_no_after_mitigation_without_residual_grades(self):
        """Stovner's risks have no residual grades, so nothing is counted "after mitigation"."""
        report = risk_report(load_example("innbyggerbasen"))
        assert 0 == report.profile.residual_scored

    def test_borgen_status_is_unknown(self):
        """The article does not say whether Borgen has ended: the status is unknown."""
        assert "unknown" == load_example("borgen").status.value

    def test_trondheim_funding_is_approximate(self):
        """«nærmere 38 millioner» (002:361) is marked approximate."""
        programme = load_example("innbyggernes_modell")
        assert isinstance(programme, Programme)
        assert programme.funding_approximate

    def test_report_shows_funding_as_approximate(self):
        """The report writes ca. 38 000 000 kr, not 38 000 000,00 kr."""
        text = samskaping.report.render_report(
            load_example("innbyggernes_modell"), format="text", lang="nb"
        )
        assert "ca. 38\xa0000\xa0000\xa0kr" in text


class TestProvenance:
    """Values not from a source are marked, and nothing cites a line it does not come from."""

    @staticmethod
    def _small_request():
        from samskaping.payouts import Household, Request

        return Request(
            id="r1",
            amount=samskaping.Money(5000),
            purpose="holiday",
            household=Household(
                ref="h", attributes={"youth_age": 19, "in_contact_with_services": True}
            ),
        )

    def test_band_without_source_cites_nothing(self):
        """På egne ben's "below 10 000 kr" band has no source, and the decision cites none."""
        from samskaping.payouts import evaluate

        policy = samskaping.payouts.load_policy("pa_egne_ben")
        decision, _ = evaluate(
            policy, self._small_request(), policy.pot, datetime.date(2022, 3, 1), trace=True
        )
        assert decision.approvers.source is None
        assert "design" == decision.approvers.basis.value

    def test_trace_marks_the_design_band(self):
        """The trace's band step says "design default" and cites no line."""
        from samskaping.payouts import evaluate
        from samskaping.report import render_trace

        policy = samskaping.payouts.load_policy("pa_egne_ben")
        decision, _ = evaluate(
            policy, self._small_request(), policy.pot, datetime.date(2022, 3, 1), trace=True
        )
        assert decision.trace is not None
        band_line = next(
            line
            for line in render_trace(decision.trace, "en").splitlines()
            if "worker_alone" in line
        )
        assert band_line.endswith("[design default, not from the source]")

    def test_fritid_cap_is_a_design_default(self):
        """The 120 000 kr cap is the largest amount given (002:505), not a rule: design."""
        policy = samskaping.payouts.load_policy("fritid_for_alle")
        (param,) = [p for p in policy.parameters if p.name == "household_max"]
        assert "design" == param.values[0].provenance.value

    def test_report_marks_assumed_gates(self):
        """Stovner's BP2-BP4 decisions show as assumed in the phase table."""
        text = samskaping.report.render_report(
            load_example("innbyggerbasen"), format="text", lang="en"
        )
        assert 3 == text.count("go [assumed]")


class TestCompleteReport:
    """The report shows what co-creation is about."""

    @staticmethod
    def _text(name: str, lang: str = "en") -> str:
        text = samskaping.report.render_report(load_example(name), format="text", lang=lang)
        return " ".join(text.split())

    def test_borgen_shows_its_eleven_activities(self):
        """All 11 involvement activities are listed, Løsningsjakten first (004:85-89)."""
        data = samskaping.report.report_data(load_example("borgen"), lang="en")
        assert 11 == len(data.involvement.activities)

    def test_borgen_activity_levels_are_marked_assumed(self):
        """The article gives no IAP2 levels, so each shown level is marked assumed."""
        assert 11 == self._text("borgen").count("consult [assumed]") + self._text("borgen").count(
            "involve [assumed]"
        ) + self._text("borgen").count("inform [assumed]") + self._text("borgen").count(
            "collaborate [assumed]"
        )

    def test_borgen_shows_road_map_shares(self):
        """25/40/35 % by who can realise the proposals (004:93-95)."""
        text = self._text("borgen")
        assert "25%" in text
        assert "40%" in text
        assert "35%" in text

    def test_borgen_shows_its_lessons(self):
        """The five lessons are in the report."""
        text = self._text("borgen", "nb")
        assert "Forventningsavklaring underveis" in text

    def test_borgen_shows_its_proposal(self):
        """The proposal of a local community committee is in the report (004:214)."""
        assert "lokalsamfunnsutvalg" in self._text("borgen", "nb")

    def test_borgen_status_not_active(self):
        """Borgen's status reads "not stated", not "active"."""
        assert "Status not stated" in self._text("borgen")

    def test_trondheim_budget_is_rolled_up(self):
        """The programme's budget is its sub-projects' money: 15 500 000 kr, computed."""
        text = self._text("innbyggernes_modell", "nb")
        assert "15 500 000,00 kr [beregnet]" in text  # spaces: the text is re-spaced

    def test_stovner_benefits_achieved(self):
        """Stovner's two short-term benefits read "oppnådd" (000:152-153, 000:208-209)."""
        text = self._text("innbyggerbasen", "nb")
        benefits = text[text.index("Gevinster -") : text.index("Usikkerheter og risiko -")]
        assert 2 == benefits.count(" oppnådd ")


class TestPictures:
    """The pictures draw what they must, inside their frame."""

    def test_running_phase_is_drawn_open_ended(self):
        """A phase with a start and no end is drawn to the report's date, with an open end."""
        from samskaping.report._svg import TimelineBar, timeline_svg

        bar = TimelineBar(
            label="Running",
            start=datetime.date(2024, 1, 1),
            end=datetime.date(2024, 6, 1),
            open_ended=True,
        )
        assert 'stroke-dasharray="3 2"' in timeline_svg([bar], title="t")

    def test_long_title_wraps(self):
        """A long label is split into lines, not cut off on the left."""
        from samskaping.report._svg import Bar, bar_chart_svg

        label = "Flere tilgjengelige møteplasser, fysiske og én digital, og systematisk involvering"
        svg = bar_chart_svg([Bar(label=label, value=Decimal(50), text="50 %")], title="t")
        assert svg.count("<tspan") >= 2

    def test_gate_label_stays_inside(self):
        """A gate at the right edge has its name to the left of the diamond."""
        from samskaping.report._svg import TimelineBar, timeline_svg

        bars = [
            TimelineBar(
                label="A",
                start=datetime.date(2021, 1, 1),
                end=datetime.date(2022, 1, 1),
                gate="BP3",
            )
        ]
        svg = timeline_svg(bars, title="t")
        gate = re.compile(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="(\w+)" fill="#2e7d32"')
        match = gate.search(svg)
        assert match is not None
        x, anchor = match.groups()
        right_end = float(x) + (7 * len("BP3") if anchor == "start" else 0)
        assert right_end <= 960

    def test_print_keeps_items_whole(self):
        """The print style keeps rows, notices and charts whole."""
        css = resources.files("samskaping").joinpath("data", "report", "report.css").read_text()
        assert "break-inside: avoid" in css


class TestWhatTheSourcesHold:
    """Figures the sources hold, added as data, each at its cited line."""

    def test_l5_means(self):
        """L5, political anchoring: 1.2 in 2022 and 3.7 in 2023 (002:4354)."""
        programme = load_example("innbyggernes_modell")
        assert programme.assessments is not None
        means = [
            (s.year, m.mean)
            for s in programme.assessments.surveys
            for m in s.reported_means
            if m.item == "L5"
        ]
        assert [(2022, Decimal("1.2")), (2023, Decimal("3.7"))] == means

    def test_l5_cites_its_line(self):
        """Both L5 means cite 002:4354."""
        programme = load_example("innbyggernes_modell")
        assert programme.assessments is not None
        sources = {
            m.source
            for s in programme.assessments.surveys
            for m in s.reported_means
            if m.item == "L5"
        }
        assert {"002:4354"} == sources

    def test_kvinnenettverket_mean_visits(self):
        """Kvinnenettverket's evenings had 25 visitors on average (000:367-368)."""
        places = {p.name: p for p in load_example("innbyggerbasen").meeting_places}
        assert Decimal(25) == places["Kvinnenettverket"].mean_visits

    def test_the_two_roles(self):
        """«System-demonstratører» (table 7), «Ansvarlig vokter og beslutningstaker» (table 10)."""
        from samskaping.model import CoCreationRole

        assert "system_demonstrator" == CoCreationRole.SYSTEM_DEMONSTRATOR.value
        assert "responsible_guardian" == CoCreationRole.RESPONSIBLE_GUARDIAN.value

    def test_phase_four_expectations(self):
        """The områdesatsing model's phase 4 lists the ten expectations of 001:31, 001:35-44."""
        from samskaping.phases import builtin

        phase = next(p for p in builtin("omradesatsing").phases if p.key == "gjennomforing")
        assert 10 == len(phase.expectations)
        assert "001:31, 001:35-44" == phase.source


class TestSourcePolicies:
    """Brundalen's flexible pot and Praktisk grunnskole's car, as built-in policies."""

    def test_brundalen_pot(self):
        """Brundalen's pot is the 3 MNOK from August 2021 (002:474-475)."""
        pot = samskaping.payouts.load_policy("tidlig_innsats_brundalen").pot
        assert pot is not None
        assert Decimal(3_000_000) == pot.total.amount
        assert datetime.date(2021, 8, 1) == pot.valid_from
        assert "002:474-475" == pot.source

    def test_brundalen_is_conditional(self):
        """Brundalen paid conditionally (table 1, 002:583)."""
        policy = samskaping.payouts.load_policy("tidlig_innsats_brundalen")
        assert "conditional" == policy.payment_type.value

    def test_brundalen_cites_the_recommendation(self):
        """The policy cites the pot run by the kindergarten and the recommendation."""
        source = samskaping.payouts.load_policy("tidlig_innsats_brundalen").source or ""
        assert "002:1737-1755" in source
        assert "002:1984" in source

    def test_brundalen_team_band_is_a_design_default(self):
        """The team's size is a design default: the source gives no number (002:1586)."""
        policy = samskaping.payouts.load_policy("tidlig_innsats_brundalen")
        band = policy.approval_bands[0].bands[0]
        assert "interdisciplinary_team" == band.approvers.value
        assert "design" == band.basis.value

    def test_brundalen_purposes(self):
        """The purposes are those 002:481 lists."""
        policy = samskaping.payouts.load_policy("tidlig_innsats_brundalen")
        assert {"002:481"} == {p.source for p in policy.purposes}

    def test_car_purpose(self):
        """Praktisk grunnskole's pupils bought a car for driving practice (002:1876)."""
        policy = samskaping.payouts.load_policy("praktisk_grunnskole")
        car = next(p for p in policy.purposes if p.code == "practice_car")
        assert car.running_cost
        assert "002:1876, 002:1525" == car.source

    def test_car_pot(self):
        """Praktisk grunnskole had 1.5 MNOK (002:544)."""
        pot = samskaping.payouts.load_policy("praktisk_grunnskole").pot
        assert pot is not None
        assert Decimal(1_500_000) == pot.total.amount

    def test_car_decision_is_labelled_a_design_default(self):
        """Who decides and who owns the car are design defaults, and say so."""
        terms = samskaping.payouts.load_policy("praktisk_grunnskole").collective
        assert terms is not None
        assert (terms.note or "").startswith("A design default")

    def test_example_names_both(self):
        """The Trondheim example's sub-projects run both policies."""
        from samskaping.model import iter_projects

        document = load_example("innbyggernes_modell")
        named = {s.policy for _, p in iter_projects(document) for s in p.payout_schemes}
        assert {"tidlig_innsats_brundalen", "praktisk_grunnskole"} <= named


class TestScenarios:
    """The four scenarios to 2040 and table 17 (002:3185-3264)."""

    def scenarios(self):
        """The Trondheim example's scenario set."""
        programme = load_example("innbyggernes_modell")
        assert programme.assessments.scenarios is not None
        return programme.assessments.scenarios

    def test_four_scenarios_to_2040(self):
        """Four scenarios, to 2040."""
        found = self.scenarios()
        assert 2040 == found.horizon
        assert (1, 2, 3, 4) == tuple(s.number for s in found.scenarios)

    def test_fourth_is_preferred(self):
        """Only the fourth is the preferred future (002:3264)."""
        assert [4] == [s.number for s in self.scenarios().scenarios if s.preferred]

    def test_table_17_factors(self):
        """Table 17 names seven factors, each citing its own line (002:3202-3208)."""
        factors = self.scenarios().factors
        assert [f"002:{n}, 002:3210" for n in range(3202, 3209)] == [f.source for f in factors]

    @needs_seeds
    def test_factor_forces_as_printed(self):
        """Each factor's forces are the text of its line."""
        factors = self.scenarios().factors
        wrong = [
            f.name
            for f in factors
            if f.forces not in seed_line("002", int(f.source.split(",")[0].split(":")[1]))
        ]
        assert [] == wrong


class TestStovnerStrategy:
    """Stovner's principles, focus areas, success factors and participants (000)."""

    def test_five_principles(self):
        """Five strategic principles (000:8-12)."""
        assert 5 == len(load_example("innbyggerbasen").principles)

    def test_three_focus_areas(self):
        """Three continued and adopted focus areas (000:16-21)."""
        areas = load_example("innbyggerbasen").focus_areas
        assert ["000:19", "000:20", "000:21"] == [a.source for a in areas]

    def test_four_success_factors(self):
        """Four main focus areas behind the success factors (000:256-266)."""
        assert 4 == len(load_example("innbyggerbasen").success_factors)

    def test_participants_aged_20_to_50(self):
        """Most participants were parents aged 20-50 (000:441)."""
        profile = load_example("innbyggerbasen").participant_profile
        assert profile is not None
        assert 20 == profile.adult_age_from
        assert 50 == profile.adult_age_to
        assert "000:434-443" == profile.source

    def test_old_documents_load(self):
        """A schema-version-1 document without the new fields still loads."""
        document = samskaping.loads('kind = "project"\nid = "p"\nname = "P"\n', "toml")
        assert () == document.principles
        assert document.participant_profile is None


class TestKsSupplement:
    """KS's supplementary keys and implementation actions (003:53-93)."""

    def test_nineteen_supplementary_keys(self):
        """Nineteen supplementary keys, one a line (003:53-71)."""
        from samskaping.scoring import assessment_data

        keys = assessment_data().ks_keys.supplementary
        assert [f"003:{n}" for n in range(53, 72)] == [k.source for k in keys]

    def test_nineteen_actions(self):
        """Nineteen implementation actions, one a line (003:75-93)."""
        from samskaping.scoring import assessment_data

        actions = assessment_data().ks_keys.actions
        assert [f"003:{n}" for n in range(75, 94)] == [a.source for a in actions]

    @needs_seeds
    def test_supplementary_nb_follows_its_line(self):
        """Each supplementary key's nb text starts as its line does."""
        from samskaping.scoring import assessment_data

        keys = assessment_data().ks_keys.supplementary
        wrong = [
            k.number
            for k in keys
            if k.label.nb[:12] not in seed_line("003", int(k.source.split(":")[1]))
        ]
        assert [] == wrong
