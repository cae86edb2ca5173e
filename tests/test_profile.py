"""Profiles: a municipality's own phase models, scales, thresholds and policies."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

import samskaping
from samskaping._cli import main
from samskaping.io import loads
from samskaping.model import Severity
from samskaping.profile import Profile, RuleSettings, load_profile
from samskaping.report import render_report, report_data
from samskaping.scoring import goals_report
from samskaping.validation import validate

PHASE_MODEL = """
key = "bydelsmodell"
name = { nb = "Bydelsmodellen", nn = "Bydelsmodellen", en = "The district model" }

[[phases]]
key = "forberede"
name = { nb = "Forberede", nn = "Førebu", en = "Prepare" }

[[phases]]
key = "gjennomfore"
name = { nb = "Gjennomføre", nn = "Gjennomføre", en = "Carry out" }
"""

RISK = """
[[scales]]
name = "kommune_3x3"
title = { nb = "Kommunens 3 × 3", nn = "Kommunen sin 3 × 3", en = "The municipality's 3 × 3" }
default_rule = "kommune_produkt"
probability = [
  { level = 1, value = 1, label = { nb = "lav", nn = "låg", en = "low" } },
  { level = 2, value = 2, label = { nb = "middels", nn = "middels", en = "medium" } },
  { level = 3, value = 3, label = { nb = "høy", nn = "høg", en = "high" } },
]
consequence = [
  { level = 1, value = 1, label = { nb = "liten", nn = "lita", en = "small" } },
  { level = 2, value = 2, label = { nb = "middels", nn = "middels", en = "medium" } },
  { level = 3, value = 3, label = { nb = "stor", nn = "stor", en = "large" } },
]

[[rules]]
name = "kommune_produkt"
title = { nb = "S × K: 1-2 lav, 3-5 moderat, 6-9 alvorlig", nn = "S × K", en = "P × C" }
kind = "product"
band_set = "lav_moderat_alvorlig"
thresholds = [{ band = "lav", below = 3 }, { band = "moderat", below = 6 }, { band = "alvorlig" }]
"""

GOALS = """
[attainment]
medium_from = 30
high_from = 60
source = "the municipality's own thresholds"
"""

DOCUMENT = """
id = "bydel"
name = "Bydelsprosjektet"
phase_model = "bydelsmodell"
risk_scale = "kommune_3x3"
period = { start = 2023-01-01, end = 2024-12-31 }

[[actors]]
id = "eier"
name = "Bydelsdirektøren"
sector = "municipal"
roles = ["project_owner"]

[[actors]]
id = "leder"
name = "Prosjektlederen"
sector = "municipal"
roles = ["project_manager"]

[[phases]]
key = "forberede"
start = 2023-01-01
end = 2023-06-30

[[phases]]
key = "gjennomfore"
start = 2023-07-01
end = 2024-12-31

[[risks]]
id = "r1"
title = "Lite oppmøte"
probability = 2
consequence = 2

[[goals]]
id = "g1"
title = "Flere deltar"

[[goals.indicators]]
id = "i1"
name = "Deltakere"
unit = "count"
baseline = 0
target = 100
measurements = [{ date = 2024-06-30, value = 70 }]

[[payout_schemes]]
id = "stotte"
payment_type = "conditional"
policy = "bydelsstotte"
"""


def _policy_text() -> str:
    text = (resources.files("samskaping") / "data" / "policies" / "fritid_for_alle.toml").read_text(
        "utf-8"
    )
    return text.replace('id = "fritid_for_alle"', 'id = "bydelsstotte"', 1)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A profile folder with a phase model, a risk scale, thresholds and a policy of its own."""
    root = tmp_path_factory.mktemp("kommune")
    (root / "phase_models").mkdir()
    (root / "phase_models" / "bydelsmodell.toml").write_text(PHASE_MODEL, "utf-8")
    (root / "scales").mkdir()
    (root / "scales" / "risk.toml").write_text(RISK, "utf-8")
    (root / "scales" / "goals.toml").write_text(GOALS, "utf-8")
    (root / "policies").mkdir()
    (root / "policies" / "bydelsstotte.toml").write_text(_policy_text(), "utf-8")
    (root / "prosjekt.toml").write_text(DOCUMENT, "utf-8")
    return root


@pytest.fixture(scope="module")
def profile(folder: Path) -> Profile:
    """The folder's profile."""
    return load_profile(folder)


def _document() -> samskaping.model.Document:
    result: samskaping.model.Document = loads(DOCUMENT, "toml")
    return result


class TestDefault:
    """The built-in profile."""

    def test_default_is_built_in_data(self) -> None:
        """The default profile holds the built-in phase models."""
        assert "prosjektveiviseren" in Profile.default().phase_models

    def test_default_is_read_once(self) -> None:
        """The default profile is one value."""
        assert Profile.default() is Profile.default()

    def test_default_rule_sets_follow_the_model(self) -> None:
        """A document that follows innbyggernes_modell gets that model's rules too."""
        document = samskaping.load_example("innbyggernes_modell")
        assert ("core", "innbyggernes_modell") == RuleSettings().for_document(document)

    def test_library_and_cli_agree(self) -> None:
        """`validate` with no rules named gives what the report shows."""
        document = samskaping.load_example("innbyggernes_modell")
        codes = [f.code for f in validate(document)]
        assert codes == [f.code for f in report_data(document).findings]


class TestFolder:
    """A profile read from a folder."""

    def test_falls_back_to_default(self, profile: Profile) -> None:
        """What the folder leaves out comes from the built-in data."""
        assert "prosjektveiviseren" in profile.phase_models

    def test_own_phase_model(self, profile: Profile) -> None:
        """The folder's phase model is found by its file name."""
        assert ("forberede", "gjennomfore") == tuple(
            p.key for p in profile.phase_models["bydelsmodell"].phases
        )

    def test_own_thresholds(self, profile: Profile) -> None:
        """The folder's attainment thresholds replace the built-in ones."""
        assert Decimal(60) == profile.goals.attainment.high_from

    def test_other_goal_settings_kept(self, profile: Profile) -> None:
        """Tables the goals file leaves out keep the built-in values."""
        assert Profile.default().goals.gas == profile.goals.gas

    def test_own_scale_added(self, profile: Profile) -> None:
        """The folder's risk scale is added to the built-in ones."""
        assert {"default_5x5", "kommune_3x3"} <= {s.name for s in profile.risk.scales}

    def test_missing_folder(self, tmp_path: Path) -> None:
        """A folder that does not exist is an input error."""
        with pytest.raises(samskaping.SamskapingError):
            load_profile(tmp_path / "nowhere")

    def test_severity_override(self, tmp_path: Path) -> None:
        """validation.toml changes a finding's severity."""
        (tmp_path / "validation.toml").write_text(
            '[severities]\n"roles.project_owner" = "info"\n', "utf-8"
        )
        own = load_profile(tmp_path)
        findings = validate(samskaping.model.Project(id="p", name="P"), profile=own)
        owner = next(f for f in findings if f.code == "roles.project_owner")
        assert Severity.INFO == owner.severity


class TestValidateAndReport:
    """Validation and the report under a profile."""

    def test_default_profile_finds_unknown_names(self) -> None:
        """Without the profile, the model, the scale and the policy are unknown."""
        codes = {f.code for f in validate(_document())}
        assert {"phase_model.unknown", "risk.scale_unknown", "payout.policy_unknown"} <= codes

    def test_profile_validates_cleanly(self, profile: Profile) -> None:
        """Under the profile the document has no errors."""
        errors = [f for f in validate(_document(), profile=profile) if f.severity is Severity.ERROR]
        assert [] == errors

    def test_thresholds_change_the_verdict(self, profile: Profile) -> None:
        """70 % is middels under the built-in thresholds and hoy under the profile's."""
        built_in = goals_report(_document()).attainment.level
        own = report_data(_document(), profile=profile).goals.attainment.level
        assert "middels" == str(built_in)
        assert "hoy" == str(own)

    def test_scale_changes_the_band(self, profile: Profile) -> None:
        """2 × 2 on the profile's 3 × 3 scale is moderat."""
        data = report_data(_document(), profile=profile)
        assert "moderat" == data.risks.risks[0].band

    def test_policy_terms_reported(self, profile: Profile) -> None:
        """The scheme's own policy is read: its terms are in the report."""
        data = report_data(_document(), profile=profile)
        assert data.payouts[0].terms is not None

    def test_report_renders(self, profile: Profile) -> None:
        """The report renders under the profile, with the model's own phase names."""
        assert "Carry out" in render_report(_document(), lang="en", profile=profile)


class TestCommandLine:
    """--profile on the command line."""

    @pytest.mark.usefixtures("capsys")
    def test_validate_without_profile_fails(self, folder: Path) -> None:
        """Without --profile the document has errors (exit 1)."""
        assert 1 == main(["validate", str(folder / "prosjekt.toml")])

    @pytest.mark.usefixtures("capsys")
    def test_validate_with_profile(self, folder: Path) -> None:
        """With --profile it validates cleanly (exit 0)."""
        assert 0 == main(["validate", str(folder / "prosjekt.toml"), "--profile", str(folder)])

    def test_report_with_profile(self, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """With --profile the report's findings hold no error."""
        code = main(
            ["report", str(folder / "prosjekt.toml"), "--profile", str(folder), "--format", "json"]
        )
        data = json.loads(capsys.readouterr().out)
        assert 0 == code
        assert [] == [f for f in data["findings"] if f["severity"] == "error"]

    def test_score_goals_with_profile(
        self, folder: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`score goals` uses the profile's thresholds."""
        args = ["score", "goals", str(folder / "prosjekt.toml"), "--format", "json"]
        main([*args, "--profile", str(folder)])
        data = json.loads(capsys.readouterr().out)
        assert "hoy" == data["reports"][0]["attainment"]["level"]

    def test_payout_policies_lists_own(
        self, folder: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`payout policies --profile` lists the municipality's own policy."""
        main(["payout", "policies", "--profile", str(folder)])
        assert "bydelsstotte" in capsys.readouterr().out

    @pytest.mark.usefixtures("capsys")
    def test_missing_profile_is_input_error(self, folder: Path) -> None:
        """A --profile folder that does not exist ends with exit code 2."""
        assert 2 == main(["validate", str(folder / "prosjekt.toml"), "--profile", "/nowhere"])


class TestNoGlobalConfiguration:
    """No module-global configuration is read under an explicit profile."""

    def test_no_module_cache_read(self, profile: Profile, monkeypatch: pytest.MonkeyPatch) -> None:
        """With an explicit profile, validate, report and score never call the old loaders."""
        import samskaping.payouts._load as payouts_load
        import samskaping.phases._load as phases_load
        import samskaping.report._scoring_text as text
        import samskaping.scoring._reports as reports
        import samskaping.scoring.assessments._assessments as assessments
        import samskaping.scoring.goals._benefits as benefits
        import samskaping.scoring.goals._goals as goals
        import samskaping.scoring.meeting_places._meeting_places as meeting_places
        import samskaping.scoring.risk._load as risk_load
        import samskaping.scoring.risk._matrix as risk_matrix
        import samskaping.scoring.surveys._survey as survey
        import samskaping.scoring.utenfor._utenfor as utenfor
        import samskaping.validation._findings as findings
        from samskaping import phases, scoring

        def refuse(*_args: object, **_kwargs: object) -> None:
            raise AssertionError("a module-global configuration loader was read")

        # The package's own names first: its lazy loader would otherwise keep a stub.
        for name in ("risk_config", "goal_settings", "assessment_data", "survey_instrument"):
            monkeypatch.setattr(scoring, name, refuse)
        for module, name in (
            (risk_load, "risk_config"),
            (risk_matrix, "risk_config"),
            (text, "risk_config"),
            (goals, "goal_settings"),
            (goals, "attainment_thresholds"),
            (goals, "gas_settings"),
            (benefits, "benefit_settings"),
            (assessments, "assessment_data"),
            (meeting_places, "viability_threshold"),
            (survey, "survey_instrument"),
            (text, "survey_instrument"),
            (utenfor, "cost_profile"),
            (reports, "cost_profile"),
            (payouts_load, "builtin_policy"),
            (phases_load, "builtin"),
            (phases, "builtin"),
            (findings, "rule_catalogue"),
        ):
            monkeypatch.setattr(module, name, refuse)
        document = _document()
        validate(document, profile=profile)
        render_report(document, profile=profile)
        example = samskaping.load_example("innbyggernes_modell")
        assert render_report(example, format="json", profile=profile)

    @pytest.mark.usefixtures("capsys")
    def test_no_module_cache_read_by_score(
        self, folder: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """`score` under --profile reads no module-global configuration either."""
        self.test_no_module_cache_read(load_profile(folder), monkeypatch)
        codes = [
            main(["score", area, "--example", "innbyggerbasen", "--profile", str(folder)])
            for area in ("risk", "goals", "utenfor", "assessment")
        ]
        assert [0, 0, 0, 0] == codes


class TestDiamondScale:
    """The idea diamond's scale is the assessment data's."""

    @staticmethod
    def _project() -> samskaping.model.Project:
        diamond = samskaping.model.IdeaDiamond(
            strategic_anchoring=7, local_anchoring=3, reflection=2, experimentation=2
        )
        return samskaping.model.Project(
            id="p", name="P", assessments=samskaping.model.Assessments(idea_diamonds=(diamond,))
        )

    def test_outside_built_in_scale_is_a_finding(self) -> None:
        """A score of 7 lies outside the built-in 1-5 scale."""
        codes = [f.code for f in validate(self._project())]
        assert "idea_diamond.score_outside_scale" in codes

    def test_profile_scale_admits_it(self, tmp_path: Path) -> None:
        """A profile whose diamond runs 1-7 scores it, with no finding."""
        text = (
            resources.files("samskaping") / "data" / "assessments" / "idea_diamond.toml"
        ).read_text("utf-8")
        (tmp_path / "assessments").mkdir()
        (tmp_path / "assessments" / "idea_diamond.toml").write_text(
            text.replace("scale_max = 5", "scale_max = 7"), "utf-8"
        )
        own = load_profile(tmp_path)
        codes = [f.code for f in validate(self._project(), profile=own)]
        assert "idea_diamond.score_outside_scale" not in codes

    def test_report_under_profile_scale(self, tmp_path: Path) -> None:
        """The report scores the diamond on the profile's scale."""
        text = (
            resources.files("samskaping") / "data" / "assessments" / "idea_diamond.toml"
        ).read_text("utf-8")
        (tmp_path / "assessments").mkdir()
        (tmp_path / "assessments" / "idea_diamond.toml").write_text(
            text.replace("scale_max = 5", "scale_max = 7"), "utf-8"
        )
        data = report_data(self._project(), profile=load_profile(tmp_path))
        assert 1 == len(data.assessments.idea_diamonds)


class TestService:
    """The HTTP service serves a municipality's profile."""

    @staticmethod
    def _client(profile: Profile):
        from starlette.testclient import TestClient

        from samskaping.serve import create_app
        from serve_support import config

        return TestClient(create_app(None, profile=profile, config=config()))

    def test_own_policy_served(self, profile: Profile) -> None:
        """The profile's own policy is listed among the policies served."""
        from serve_support import headers

        with self._client(profile) as client:
            listed = client.get("/v1/policies", headers=headers("researcher")).json()
        assert "bydelsstotte" in {p["id"] for p in listed["policies"]}

    def test_document_validates_under_profile(self, profile: Profile) -> None:
        """A document that follows the profile's phase model has no errors over HTTP."""
        from samskaping.io import dumps
        from serve_support import headers

        body = json.loads(dumps(_document()))
        with self._client(profile) as client:
            answer = client.post(
                "/v1/documents/validate", json=body, headers=headers("worker")
            ).json()
        assert False is answer["errors"]

    def test_document_fails_without_profile(self) -> None:
        """The same document under the built-in profile has errors (its phase model is unknown)."""
        from samskaping.io import dumps
        from serve_support import headers

        body = json.loads(dumps(_document()))
        with self._client(Profile.default()) as client:
            answer = client.post(
                "/v1/documents/validate", json=body, headers=headers("worker")
            ).json()
        assert True is answer["errors"]
