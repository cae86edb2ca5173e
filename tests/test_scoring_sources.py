"""Documents built from the source reports' figures, for the scoring tests.

Every figure here is printed in a source (file:line in the ``source`` fields and the
comments); nothing is invented. Where the source has no figure (Stovner's risks have
no probability or consequence, 000:462-518) the field is left out. The other scoring
test modules import these builders.
"""

from __future__ import annotations

from decimal import Decimal

import samskaping
from samskaping import Money
from samskaping import model as m

# --- Stovner, Prosjekt Innbyggerbasen (000) ----------------------------------------------

#: Stovner's six risks: 2 moderat, 2 alvorlig, 2 lav (000:462-518; the notes' R1-R6).
STOVNER_GRADES = ("moderat", "moderat", "alvorlig", "alvorlig", "lav", "lav")


def stovner_risks() -> tuple[m.Risk, ...]:
    """The six risks with only the grade the report gives (no S or K: 000:462-518)."""
    titles = (
        "Manglende rekruttering av innbyggere til arbeidsgruppen",
        "Lav grad av deltakelse fra bydelens ansatte",
        "Manglende overføring til drift etter endt prosjektperiode",
        "Utfordrende å oppnå høy deltakelse på alle møteplasser",
        "Lav risiko (tittel ikke oppgitt)",
        "Lav risiko (tittel ikke oppgitt)",
    )
    return tuple(
        m.Risk(id=f"r{i}", title=title, assessed_band=grade, source="000:462-518")
        for i, (title, grade) in enumerate(zip(titles, STOVNER_GRADES, strict=True), start=1)
    )


def stovner_deliverables() -> tuple[m.Deliverable, ...]:
    """9 deliverables: 6 working models of which 5 continued, and 3 proposals (000:121-127)."""
    continued = tuple(
        m.Deliverable(
            id=f"d{i}",
            title=title,
            phase="gjennomfore",
            kind=m.DeliverableKind.WORKING_MODEL,
            status=m.DeliverableStatus.CONTINUED,
            continued_by=m.Continuation(unit="bydelen"),
            source="000:126",
        )
        for i, title in enumerate(
            (
                "Røde Kors familiesenter",
                "Babytreff i Åpen barnehage",
                "Facebook-gruppa",
                "Kvinnenettverket",
                "Familiedag på Bydelstorget",
            ),
            start=1,
        )
    )
    discarded = m.Deliverable(
        id="d6",
        title="6. arbeidsmodell (ikke navngitt i kilden)",
        phase="gjennomfore",
        kind=m.DeliverableKind.WORKING_MODEL,
        status=m.DeliverableStatus.DISCARDED,
        discard_reason="ikke levedyktig på grunn av besøkstall (000:430-432)",
    )
    proposals = tuple(
        m.Deliverable(
            id=f"d{i}", title="forslag", phase="gjennomfore", kind=m.DeliverableKind.PROPOSAL
        )
        for i in (7, 8, 9)
    )
    return (*continued, discarded, *proposals)


def stovner_goal() -> m.Goal:
    """The overarching goal, which the project judged *høy* (000:87-94)."""
    return m.Goal(
        id="overordnet",
        title="Etablere universelle møteplasser i samskaping",
        assessed_attainment=m.AttainmentLevel.HIGH,
        assessment_reasons=(
            "5 av 6 leveranser er videreført i drift (000:89)",
            "mange innbyggere bruker møteplassene (000:91-92)",
        ),
        source="000:23-25, 000:87-94",
    )


def rode_kors() -> m.MeetingPlace:
    """Røde Kors familiesenter: 148 opening days, 4 785 visits, 465 + 765 unique (000:316-318)."""
    return m.MeetingPlace(
        id="rode-kors",
        name="Røde Kors familiesenter",
        kind=m.MeetingPlaceKind.DROP_IN,
        opening_days=148,
        visits=4785,
        unique_adults=465,
        unique_children=765,
        unique_participants=1230,
        status=m.MeetingPlaceStatus.KEPT,
        source="000:314-319",
    )


def babytreff() -> m.MeetingPlace:
    """Babytreff: 15 answers, 14 × 5 smileys and 1 × 4 (000:330-331)."""
    return m.MeetingPlace(
        id="babytreff",
        name="Babytreff i Åpen barnehage",
        kind=m.MeetingPlaceKind.SERIES,
        status=m.MeetingPlaceStatus.KEPT,
        feedback=(
            m.Feedback(
                question="Alt i alt hvor mange smilefjes vil du gi tilbudet?",
                ratings=(m.RatingCount(rating=5, count=14), m.RatingCount(rating=4, count=1)),
                source="000:330-331",
            ),
        ),
        source="000:323-333",
    )


def stovner() -> m.Project:
    """Stovner's project with the figures the scoring reads."""
    return m.Project(
        id="innbyggerbasen",
        name="Prosjekt Innbyggerbasen – spør hør gjør",
        owner_org="Bydel Stovner",
        deliverables=stovner_deliverables(),
        risks=stovner_risks(),
        goals=(stovner_goal(),),
        benefits=(
            m.Benefit(
                id="innbyggere",
                title="Innbyggernes gevinst",
                beneficiary=m.Beneficiary.CITIZENS,
                assessed_realised=True,
                source="000:145-153",
            ),
            m.Benefit(
                id="virksomheten",
                title="Virksomhetens gevinst",
                beneficiary=m.Beneficiary.ORGANISATION,
                assessed_realised=True,
                source="000:192-209",
            ),
        ),
        meeting_places=(rode_kors(), babytreff()),
    )


# --- Trondheim, Innbyggernes modell (002) ------------------------------------------------

#: Table 18's yes answers (002:3341-3360); the other nine are "Tja".
TABLE_18_YES = frozenset({1, 2, 3, 4, 5, 7, 8, 13, 14, 15, 16})


def table_18() -> tuple[m.ConsiderationAnswer, ...]:
    """Trondheim's self-assessment of the 20 considerations: 11 ja, 9 tja (002 table 18)."""
    return tuple(
        m.ConsiderationAnswer(
            number=n,
            answer=m.ConsiderationResponse.YES
            if n in TABLE_18_YES
            else m.ConsiderationResponse.MAYBE,
            source=f"002:{3340 + n}",
        )
        for n in range(1, 21)
    )


def diamond_start() -> m.IdeaDiamond:
    """The idea diamond at the start: 3, 3, 2, 2 (002:3293-3320)."""
    return m.IdeaDiamond(
        label="start", strategic_anchoring=3, local_anchoring=3, reflection=2, experimentation=2
    )


def diamond_end() -> m.IdeaDiamond:
    """The idea diamond at the end: 4, 4, 4, 5 (002:3293-3320)."""
    return m.IdeaDiamond(
        label="slutt", strategic_anchoring=4, local_anchoring=4, reflection=4, experimentation=5
    )


_LOW_BENEFIT = m.UtenforTargetGroup.LOW_INCOME_BENEFIT_PARENTS
_LOW_IMMIGRANT = m.UtenforTargetGroup.LOW_INCOME_IMMIGRANT_PARENTS

#: Table 13 (002:2975-2992): id, target group, ages, p0, p1, N, printed helped, investment.
TABLE_13 = (
    ("brundalen", _LOW_BENEFIT, 0, 5, "0.40", "0.80", 50, "10", 1_500_000),
    ("flyktningfamilien", _LOW_IMMIGRANT, 6, 9, "0.70", "0.73", 106, "2", 1_000_000),
    ("fritid", _LOW_BENEFIT, 10, 15, "0.30", "0.70", 66, "20", 1_000_000),
    ("stodig-start", _LOW_BENEFIT, 6, 9, "0.70", "0.72", 35, "0.7", 1_000_000),
    ("veien", _LOW_BENEFIT, 16, 20, "0.50", "0.90", 100, "20", 1_500_000),
    ("lademoen", _LOW_IMMIGRANT, 0, 5, "0.30", "0.45", 116, "17", 500_000),
)

#: Table 14 (002:3010-3027): id, target group, ages, p0, p1, N, printed helped, break-even.
TABLE_14 = (
    ("brundalen", _LOW_BENEFIT, 0, 5, "0.60", "0.70", 60, "6", 2033),
    ("flyktningfamilien", _LOW_IMMIGRANT, 6, 9, "0.50", "0.60", 50, "5", 2048),
    ("fritid", _LOW_BENEFIT, 10, 15, "0.50", "0.60", 70, "7", 2033),
    ("stodig-start", _LOW_BENEFIT, 6, 9, "0.40", "0.50", 35, "3.5", 2039),
    ("veien", _LOW_BENEFIT, 16, 19, "0.40", "0.50", 20, "2", 2041),
    ("lademoen", _LOW_IMMIGRANT, 0, 5, "0.5", "0.60", 60, "6", 2053),
)


def table_13_cases() -> tuple[m.UtenforCase, ...]:
    """The municipality's assumptions: one year of investment (002:2975-2994)."""
    return tuple(
        m.UtenforCase(
            id=f"t13-{key}",
            name=key,
            target_group=group,
            age_from=low,
            age_to=high,
            success_without=Decimal(p0),
            success_with=Decimal(p1),
            start_year=2023,
            years_running=1,
            years_per_participant=1,
            participants_per_year=n,
            investment_per_year=Money(invest),
            reported=m.UtenforReported(helped_per_year=Decimal(helped), source="002:2975-2992"),
        )
        for key, group, low, high, p0, p1, n, helped, invest in TABLE_13
    )


def table_14_cases() -> tuple[m.UtenforCase, ...]:
    """The researchers' assumptions: 1 MNOK a year for 5 years from 2023 (002:2996-3027)."""
    return tuple(
        m.UtenforCase(
            id=f"t14-{key}",
            name=key,
            target_group=group,
            age_from=low,
            age_to=high,
            success_without=Decimal(p0),
            success_with=Decimal(p1),
            start_year=2023,
            years_running=5,
            years_per_participant=5,
            participants_per_year=n,
            investment_per_year=Money(1_000_000),
            horizon_years=40,
            reported=m.UtenforReported(
                helped_per_year=Decimal(helped),
                break_even_year=year,
                profitable=True,
                source="002:3010-3046",
            ),
        )
        for key, group, low, high, p0, p1, n, helped, year in TABLE_14
    )


def staff_survey_rounds() -> tuple[m.SurveyRound, m.SurveyRound]:
    """The means the report prints for 2022 and 2023 (002:1455, 002:2035, 002:2040, 002:2071)."""
    means_2022 = (("C5", "4.4"), ("C7", "4.5"), ("C8", "4.4"))
    means_2023 = (("C5", "3.6"), ("C7", "4.5"), ("C8", "4.3"))
    leaders = (("L3", "4.0", "2.4"),)

    def reported(pairs: tuple[tuple[str, str], ...], year: int) -> tuple[m.ReportedMean, ...]:
        rows = [m.ReportedMean(item=item, mean=Decimal(mean)) for item, mean in pairs]
        rows += [
            m.ReportedMean(
                item=item,
                mean=Decimal(before if year == 2022 else after),
                role="subproject_leader",
            )
            for item, before, after in leaders
        ]
        return tuple(rows)

    return (
        m.SurveyRound(
            id="ansatte-2022",
            instrument="staff_2023",
            year=2022,
            invited=67,
            respondents=59,
            reported_means=reported(means_2022, 2022),
            source="002:1078, 002:1179",
        ),
        m.SurveyRound(
            id="ansatte-2023",
            instrument="staff_2023",
            year=2023,
            invited=67,
            respondents=25,
            reported_means=reported(means_2023, 2023),
            source="002:1162-1179",
        ),
    )


def trondheim() -> m.Programme:
    """Innbyggernes modell with the assessments the scoring reads."""
    return m.Programme(
        id="innbyggernes-modell",
        name="Innbyggernes modell",
        owner_org="Trondheim kommune",
        assessments=m.Assessments(
            idea_diamonds=(diamond_start(), diamond_end()),
            considerations=table_18(),
            systems_change=m.SystemsChangeAssessment(
                touched=tuple(m.SystemsCondition), source="002:3088-3096"
            ),
            utenfor=table_14_cases(),
            surveys=staff_survey_rounds(),
        ),
    )


class TestSourceDocuments:
    """The documents built from the sources are valid documents."""

    def test_stovner_round_trips(self) -> None:
        """The Stovner document survives JSON and back."""
        document = stovner()
        assert document == samskaping.loads(samskaping.dumps(document))

    def test_trondheim_round_trips(self) -> None:
        """The Trondheim document survives TOML and back."""
        document = trondheim()
        assert document == samskaping.loads(samskaping.dumps(document, "toml"), "toml")

    def test_stovner_has_six_working_models(self) -> None:
        """Stovner has 9 deliverables, 6 of them working models (000:121-124)."""
        kinds = [d.kind for d in stovner().deliverables]
        assert 9 == len(kinds)
        assert 6 == kinds.count(m.DeliverableKind.WORKING_MODEL)
