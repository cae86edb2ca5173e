"""Collective decisions over HTTP: recorded by group members, read back, never overspent."""

from __future__ import annotations

import asyncio

import pytest
from starlette.testclient import TestClient

from samskaping import Money
from samskaping.serve import PERMISSIONS, Action, Role
from serve_support import collective_body, decide_body, headers, ledger_app
from test_serve import _asgi_post

PATH = "/v1/collective-decisions"


@pytest.fixture
def served(tmp_path):
    """A client over a new ledger with the built-in pots open, and the ledger."""
    app, ledger = ledger_app(tmp_path / "ledger.db")
    with TestClient(app) as client:
        yield client, ledger
    ledger.close()


class TestRecording:
    """A group member records the group's decision; its money is committed."""

    def test_created_201_with_location(self, served):
        """A new collective decision is 201 with a Location naming it."""
        client, _ = served
        response = client.post(PATH, headers=headers("member"), json=collective_body())
        assert 201 == response.status_code
        assert f"{PATH}/g-001" == response.headers["location"]

    def test_funded_sum_committed(self, served):
        """The selected proposal's cost is committed from the pot, to the øre."""
        client, ledger = served
        client.post(PATH, headers=headers("member"), json=collective_body())
        assert Money(800) == ledger.pot_state("stodig_start").committed

    def test_answer_has_the_engines_decision(self, served):
        """The answer holds the decision: each proposal's status, texts in the language asked."""
        client, _ = served
        body = collective_body()
        body["lang"] = "nb"
        data = client.post(PATH, headers=headers("member"), json=body).json()
        statuses = [(o["proposal"], o["status"]) for o in data["decision"]["outcomes"]]
        assert [("boat", "funded"), ("trip", "not_selected")] == statuses
        assert data["decision"]["reasons"][0]["text"]

    def test_location_reads_it(self, served):
        """The Location answers with the same decision, for an auditor."""
        client, _ = served
        created = client.post(PATH, headers=headers("member"), json=collective_body())
        read = client.get(created.headers["location"], headers=headers("auditor"))
        assert created.json()["seq"] == read.json()["seq"]
        assert "partial" == read.json()["status"]

    def test_no_references_in_answers(self, served):
        """Neither the group's nor the members' references, nor the minutes, are answered."""
        client, _ = served
        created = client.post(PATH, headers=headers("member"), json=collective_body())
        read = client.get(created.headers["location"], headers=headers("member"))
        text = created.text + read.text
        assert [] == [s for s in ("gruppe-3", "m-1", "m-2", "Referat") if s in text]

    def test_chain_verifies(self, served):
        """After a collective decision the chain verifies over HTTP."""
        client, _ = served
        client.post(PATH, headers=headers("member"), json=collective_body())
        assert client.get("/v1/ledger/verify", headers=headers("auditor")).json()["ok"]

    def test_export_is_pseudonymised(self, served):
        """The researchers' export holds the entry, without the group or members."""
        client, _ = served
        client.post(PATH, headers=headers("member"), json=collective_body())
        text = client.get("/v1/ledger/export", headers=headers("researcher")).text
        assert "collective_decision" in text
        assert "gruppe-3" not in text
        assert "m-1" not in text


class TestIdempotency:
    """Request ids make collective decisions idempotent."""

    def test_same_body_200(self, served):
        """The same body again is 200 with the same decision, recorded once."""
        client, ledger = served
        first = client.post(PATH, headers=headers("member"), json=collective_body())
        again = client.post(PATH, headers=headers("member"), json=collective_body())
        assert 200 == again.status_code
        assert first.json()["seq"] == again.json()["seq"]
        assert 1 == ledger.pot_state("stodig_start").decisions

    def test_different_body_409(self, served):
        """The same request id with other proposals is 409."""
        client, _ = served
        client.post(PATH, headers=headers("member"), json=collective_body())
        changed = collective_body(proposals=[{"id": "boat", "title": "Båt", "cost": "900.00"}])
        assert 409 == client.post(PATH, headers=headers("member"), json=changed).status_code

    def test_individual_id_409(self, served):
        """An id already decided as an individual decision is 409."""
        client, _ = served
        client.post("/v1/decisions", headers=headers("worker"), json=decide_body("g-001"))
        assert (
            409 == client.post(PATH, headers=headers("member"), json=collective_body()).status_code
        )

    def test_idempotency_key_must_match(self, served):
        """An Idempotency-Key that is not the request's id is 422 at $.request.id."""
        client, _ = served
        response = client.post(
            PATH, headers=headers("member", **{"Idempotency-Key": "x"}), json=collective_body()
        )
        assert 422 == response.status_code
        assert "$.request.id" == response.json()["problems"][0]["path"]


class TestPermissions:
    """Only group members record; readers of decisions read."""

    @pytest.mark.parametrize("actor", ["worker", "approver", "auditor", "researcher", "admin"])
    def test_others_may_not_record(self, served, actor):
        """Every role but group_member gets 403, and nothing is recorded."""
        client, ledger = served
        response = client.post(PATH, headers=headers(actor), json=collective_body())
        assert 403 == response.status_code
        assert 0 == ledger.pot_state("stodig_start").decisions

    def test_unauthenticated_401(self, served):
        """Without credentials: 401."""
        client, _ = served
        assert 401 == client.post(PATH, json=collective_body()).status_code

    @pytest.mark.parametrize(
        ("actor", "status"),
        [("member", 200), ("worker", 200), ("approver", 200), ("auditor", 200),
         ("researcher", 403), ("admin", 403)],
    )  # fmt: skip
    def test_who_reads(self, served, actor, status):
        """Reading follows read_decision: the researcher and the admin get 403."""
        client, _ = served
        client.post(PATH, headers=headers("member"), json=collective_body())
        assert status == client.get(f"{PATH}/g-001", headers=headers(actor)).status_code

    def test_matrix(self):
        """record_collective belongs to group_member alone."""
        assert frozenset({Role.GROUP_MEMBER}) == PERMISSIONS[Action.RECORD_COLLECTIVE]


class TestProblems:
    """Invalid input is 422 with its path; unknown things are 404."""

    def test_not_a_collective_policy_422(self, served):
        """A conditional policy is 422 at $.policy."""
        client, _ = served
        body = collective_body()
        body["policy"] = "pa_egne_ben"
        response = client.post(PATH, headers=headers("member"), json=body)
        assert 422 == response.status_code
        assert "$.policy" == response.json()["problems"][0]["path"]

    def test_repeated_proposal_ids_422(self, served):
        """Two proposals with one id are 422 at $.request.proposals."""
        client, _ = served
        twice = [{"id": "boat", "title": "Båt", "cost": "800.00"}] * 2
        response = client.post(
            PATH, headers=headers("member"), json=collective_body(proposals=twice)
        )
        assert 422 == response.status_code
        assert "$.request.proposals" == response.json()["problems"][0]["path"]

    def test_structural_problems_located(self, served):
        """A cost that is not an amount is 422 with its path."""
        client, _ = served
        bad = [{"id": "boat", "title": "Båt", "cost": "lots"}]
        response = client.post(PATH, headers=headers("member"), json=collective_body(proposals=bad))
        paths = [p["path"] for p in response.json()["problems"]]
        assert ["$.request.proposals[0].cost"] == paths

    def test_unknown_pot_404(self, served):
        """A pot that is not open is 404."""
        client, _ = served
        body = collective_body()
        body["pot"] = "nope"
        assert 404 == client.post(PATH, headers=headers("member"), json=body).status_code

    def test_unknown_decision_404(self, served):
        """Reading an unknown id is 404."""
        client, _ = served
        assert 404 == client.get(f"{PATH}/nope", headers=headers("member")).status_code

    def test_individual_decision_is_not_collective_404(self, served):
        """An individual decision's id is not a collective decision."""
        client, _ = served
        client.post("/v1/decisions", headers=headers("worker"), json=decide_body())
        assert 404 == client.get(f"{PATH}/r-001", headers=headers("member")).status_code


class TestConcurrency:
    """Group and individual decisions arriving together never overspend one pot."""

    def test_money_conserved(self, tmp_path):
        """Twelve group decisions and twelve individual ones race for a 30 000 kr pot."""
        app, ledger = ledger_app(tmp_path / "ledger.db")
        pot = {
            "id": "felles",
            "total": "30000.00",
            "allowed_types": ["conditional", "collective"],
        }
        with TestClient(app) as client:
            opened = client.post(
                "/v1/admin/pots",
                headers=headers("admin"),
                json={"policy": "pa_egne_ben", "pot": pot},
            )
        assert 201 == opened.status_code
        calls = []
        for i in range(12):
            group = collective_body(f"g-{i}")
            group.update(pot="felles", policy="stodig_start")
            group["request"]["proposals"] = [{"id": "p", "title": "Tur", "cost": "2500.00"}]
            group["request"]["recorded"]["selected"] = ["p"]
            calls.append((PATH, group, "member"))
            single = decide_body(f"i-{i}", amount="2500.00")
            single["pot"] = "felles"
            calls.append(("/v1/decisions", single, "worker"))

        async def everything():
            return await asyncio.gather(*(_asgi_post(app, *call) for call in calls))

        answers = asyncio.run(everything())
        state = ledger.pot_state("felles")
        granted = sum(
            (
                Money(e.payload["amount"])
                for e in ledger.entries(pot_id="felles")
                if e.kind.value in {"decision", "collective_decision"}
                and e.payload["status"] in {"granted", "partial", "pending_approval"}
            ),
            Money(0),
        )
        verified = ledger.verify().ok
        ledger.close()
        assert [] == [s for s, _ in answers if s >= 300]
        assert granted == state.committed
        assert state.committed <= state.total
        assert verified


class TestDocument:
    """The OpenAPI document describes both operations, and answers match it."""

    def test_answers_match_the_schema(self, served):
        """A new decision, a repeat and a read each validate against the documented schema."""
        from jsonschema import Draft202012Validator

        client, _ = served
        document = client.get("/openapi.json").json()
        operation = document["paths"][PATH]["post"]
        schema = operation["responses"]["201"]["content"]["application/json"]["schema"]
        validator = Draft202012Validator(schema)
        answers = [
            client.post(PATH, headers=headers("member"), json=collective_body()).json(),
            client.post(PATH, headers=headers("member"), json=collective_body()).json(),
            client.get(f"{PATH}/g-001", headers=headers("auditor")).json(),
        ]
        assert [[], [], []] == [[e.message for e in validator.iter_errors(a)] for a in answers]

    def test_body_schema_is_named(self, served):
        """The request body refers to its own component, with the collective request in it."""
        client, _ = served
        document = client.get("/openapi.json").json()
        body = document["paths"][PATH]["post"]["requestBody"]["content"]["application/json"]
        component = document["components"]["schemas"]["CollectiveDecideCall"]
        assert "#/components/schemas/CollectiveDecideCall" == body["schema"]["$ref"]
        assert {"pot", "as_of", "request"} == set(component["required"])
