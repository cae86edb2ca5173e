"""The HTTP service, through Starlette's test client."""

from __future__ import annotations

import json
import logging
import time
from typing import Any, ClassVar

import pytest
from starlette.testclient import TestClient

from samskaping.serve import PERMISSIONS, Action, Principal, Role, create_app
from serve_support import (
    ACTORS,
    collective_body,
    config,
    decide_body,
    evaluate_body,
    headers,
    ledger_app,
    request,
)


@pytest.fixture
def served(tmp_path):
    """A client over a new ledger with the built-in pots open, and the ledger."""
    app, ledger = ledger_app(tmp_path / "ledger.db")
    with TestClient(app) as client:
        yield client, ledger
    ledger.close()


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One client for the read-only and permission tests (nothing they do is recorded)."""
    app, ledger = ledger_app(tmp_path_factory.mktemp("ledger") / "ledger.db")
    with TestClient(app) as client:
        yield client
    ledger.close()


def _document() -> dict[str, Any]:
    import samskaping
    from samskaping.io import dumps

    return json.loads(dumps(samskaping.load_example("innbyggerbasen")))


def _operations(client) -> list[tuple[str, str, dict[str, Any]]]:
    document = client.get("/openapi.json").json()
    return [
        (method.upper(), path, item)
        for path, methods in document["paths"].items()
        for method, item in methods.items()
    ]


def _concrete(path: str) -> str:
    return (
        path.replace("{name}", "pa_egne_ben")
        .replace("{decision_id}", "no-such-decision")
        .replace("{seq}", "999999")
        .replace("{pot_id}", "pa_egne_ben")
        .replace("{job_id}", "no-such-job")
    )


class TestPermissionMatrix:
    """Every protected operation, for every role, and without credentials."""

    def test_every_action_is_used(self, shared):
        """Each action of the matrix guards at least one endpoint."""
        used = {item["x-action"] for _m, _p, item in _operations(shared) if "x-action" in item}
        assert {a.value for a in Action} == used

    def test_unauthenticated_gets_401(self, shared):
        """An unauthenticated call to any protected endpoint gets 401 and a challenge."""
        statuses = {
            (method, path): shared.request(method, _concrete(path)).status_code
            for method, path, item in _operations(shared)
            if "x-roles" in item
        }
        assert {401} == set(statuses.values())

    def test_wrong_token_gets_401(self, shared):
        """A token that is not configured gets 401."""
        response = shared.get("/v1/policies", headers={"Authorization": "Bearer nope"})
        assert 401 == response.status_code

    @pytest.mark.parametrize("role", list(Role))
    def test_each_cell(self, shared, role):
        """A role gets 403 exactly where the matrix says no, and is let in elsewhere."""
        actor = next(a for a, roles in ACTORS.items() if roles == (role,))
        wrong = []
        for method, path, item in _operations(shared):
            if "x-roles" not in item:
                continue
            allowed = role.value in item["x-roles"]
            body = {} if method == "POST" else None
            status = shared.request(
                method, _concrete(path), headers=headers(actor), json=body
            ).status_code
            if (status == 403) == allowed or status == 401:
                wrong.append((method, path, status))
        assert [] == wrong

    def test_auditor_write_is_403(self, shared):
        """An auditor cannot propose a decision."""
        response = shared.post("/v1/decisions", headers=headers("auditor"), json=decide_body())
        assert 403 == response.status_code

    def test_personal_data_roles(self):
        """Only workers and approvers see household references."""
        seers = {r for r in Role if Principal(actor="x", roles=frozenset({r})).sees_personal_data}
        assert {Role.WORKER, Role.APPROVER} == seers

    def test_matrix_is_documented(self):
        """docs/deployment.md shows the matrix exactly as the code enforces it."""
        from pathlib import Path

        text = (Path(__file__).parent.parent / "docs" / "deployment.md").read_text("utf-8")
        rows = {}
        for line in text.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 7 and cells[0].strip("`") in {a.value for a in Action}:
                rows[Action(cells[0].strip("`"))] = frozenset(
                    role for role, cell in zip(Role, cells[1:], strict=True) if cell == "yes"
                )
        assert dict(PERMISSIONS) == rows


class TestFourEyes:
    """Nobody approves their own proposal or signs twice (enforced by the ledger)."""

    def test_worker_cannot_approve_own_20000(self, served):
        """A worker's own 20 000 kr decision cannot be approved by that worker."""
        client, _ = served
        created = client.post("/v1/decisions", headers=headers("worker"), json=decide_body())
        assert "pending_approval" == created.json()["status"]
        response = client.post("/v1/decisions/r-001/approve", headers=headers("worker"))
        assert 403 == response.status_code

    def test_worker_and_approver_cannot_approve_own(self, served):
        """Holding both roles does not let one person sign their own proposal."""
        client, _ = served
        client.post("/v1/decisions", headers=headers("both"), json=decide_body())
        response = client.post("/v1/decisions/r-001/approve", headers=headers("both"))
        assert 403 == response.status_code

    def test_second_person_commits(self, served):
        """A different approver's signature grants it."""
        client, _ = served
        client.post("/v1/decisions", headers=headers("worker"), json=decide_body())
        response = client.post("/v1/decisions/r-001/approve", headers=headers("approver"))
        assert "granted" == response.json()["status"]

    def test_reject(self, served):
        """An approver can reject a pending decision, with a reason."""
        client, _ = served
        client.post("/v1/decisions", headers=headers("worker"), json=decide_body())
        response = client.post(
            "/v1/decisions/r-001/reject", headers=headers("approver"), json={"reason": "no"}
        )
        assert "refused" == response.json()["status"]


class TestIdempotency:
    """Request ids make decisions idempotent."""

    def test_created_201_with_location(self, served):
        """A new decision is 201 with a Location naming it."""
        client, _ = served
        response = client.post("/v1/decisions", headers=headers("worker"), json=decide_body())
        assert 201 == response.status_code
        assert "/v1/decisions/r-001" == response.headers["location"]

    def test_location_reads_it(self, served):
        """The Location answers with the same decision."""
        client, _ = served
        created = client.post("/v1/decisions", headers=headers("worker"), json=decide_body())
        read = client.get(created.headers["location"], headers=headers("auditor"))
        assert created.json()["seq"] == read.json()["seq"]

    def test_same_body_200_same_decision(self, served):
        """The same body again is 200 with the same decision, recorded once."""
        client, ledger = served
        first = client.post("/v1/decisions", headers=headers("worker"), json=decide_body())
        again = client.post("/v1/decisions", headers=headers("worker"), json=decide_body())
        assert 200 == again.status_code
        assert first.json()["seq"] == again.json()["seq"]
        assert 1 == ledger.pot_state("pa_egne_ben").decisions

    def test_different_body_409(self, served):
        """The same request id with a different body is 409."""
        client, _ = served
        client.post("/v1/decisions", headers=headers("worker"), json=decide_body())
        changed = decide_body(amount="1000.00")
        response = client.post("/v1/decisions", headers=headers("worker"), json=changed)
        assert 409 == response.status_code

    def test_idempotency_key_must_match(self, served):
        """An Idempotency-Key that is not the request's id is 422 at $.request.id."""
        client, _ = served
        response = client.post(
            "/v1/decisions",
            headers=headers("worker", **{"Idempotency-Key": "other"}),
            json=decide_body(),
        )
        assert ["$.request.id"] == [p["path"] for p in response.json()["problems"]]

    def test_idempotency_key_matching(self, served):
        """An Idempotency-Key equal to the request id is accepted."""
        client, _ = served
        response = client.post(
            "/v1/decisions",
            headers=headers("worker", **{"Idempotency-Key": "r-001"}),
            json=decide_body(),
        )
        assert 201 == response.status_code


class TestProblems:
    """Invalid input gets 422 with JSON paths; other failures their own status."""

    def test_wrong_input_type_422(self, shared):
        """A policy input of the wrong type is 422 with its path, not a rejection."""
        body = evaluate_body(
            request=request(household={"ref": "h", "attributes": {"youth_age": "x"}})
        )
        response = shared.post("/v1/dry-run/evaluate", headers=headers("worker"), json=body)
        assert ["$.request.household.attributes.youth_age"] == [
            p["path"] for p in response.json()["problems"]
        ]

    def test_wrong_input_type_on_decide_422(self, served):
        """The same check guards recorded decisions."""
        client, _ = served
        body = decide_body(household={"ref": "h", "attributes": {"youth_age": True}})
        response = client.post("/v1/decisions", headers=headers("worker"), json=body)
        assert 422 == response.status_code

    def test_structural_problems_all_located(self, shared):
        """Every structural problem is listed with its path."""
        body = {"policy": "pa_egne_ben", "as_of": "2022-13-01", "request": {"id": 5}}
        response = shared.post("/v1/dry-run/evaluate", headers=headers("worker"), json=body)
        paths = {p["path"] for p in response.json()["problems"]}
        assert {"$.as_of", "$.request.id", "$.request.household"} <= paths

    def test_not_json_422(self, shared):
        """A body that is not JSON is 422."""
        response = shared.post(
            "/v1/dry-run/evaluate", headers=headers("worker"), content=b"{not json"
        )
        assert 422 == response.status_code

    def test_unknown_policy_404(self, shared):
        """An unknown policy is 404 pointing at $.policy."""
        body = evaluate_body(policy="nope")
        response = shared.post("/v1/dry-run/evaluate", headers=headers("worker"), json=body)
        assert 404 == response.status_code
        assert "$.policy" == response.json()["problems"][0]["path"]

    def test_405(self, shared):
        """A method an endpoint does not take is 405."""
        assert 405 == shared.put("/v1/policies", headers=headers("worker")).status_code

    def test_404(self, shared):
        """An unknown path is 404, as JSON."""
        response = shared.get("/v1/nothing-here")
        assert 404 == response.status_code
        assert "error" == response.json()["kind"]

    def test_413_body(self):
        """A body over the limit is 413, refused before it is read."""
        with TestClient(create_app(None, config=config(max_body_bytes=100))) as client:
            response = client.post(
                "/v1/dry-run/evaluate", headers=headers("worker"), json=evaluate_body()
            )
        assert 413 == response.status_code

    def test_413_batch(self):
        """A batch over the limit is 413."""
        with TestClient(create_app(None, config=config(max_batch=1))) as client:
            body = {
                "policy": "pa_egne_ben",
                "as_of": "2022-03-01",
                "requests": [request("a"), request("b")],
            }
            response = client.post("/v1/dry-run/batch", headers=headers("worker"), json=body)
        assert 413 == response.status_code

    def test_bad_content_length_400(self):
        """A Content-Length that is not a number is 400, not a dropped connection."""
        import asyncio

        app = create_app(None, config=config())
        sent: list[dict[str, Any]] = []
        scope = {
            "type": "http",
            "method": "POST",
            "path": "/v1/dry-run/evaluate",
            "raw_path": b"/v1/dry-run/evaluate",
            "query_string": b"",
            "headers": [
                (b"authorization", headers("worker")["Authorization"].encode()),
                (b"content-length", b"abc"),
            ],
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 80),
            "scheme": "http",
            "http_version": "1.1",
            "root_path": "",
        }

        async def receive():
            return {"type": "http.request", "body": b"{}", "more_body": False}

        async def send(message):
            sent.append(message)

        asyncio.run(app(scope, receive, send))
        assert 400 == sent[0]["status"]

    def test_no_stack_trace_on_500(self, caplog):
        """An unexpected failure is a JSON 500 with no trace, logged without its message."""

        def broken(_request):
            raise RuntimeError("secret ung-07")

        app = create_app(None, config=config(), auth=broken)
        with (
            caplog.at_level(logging.INFO, "samskaping.serve"),
            TestClient(app, raise_server_exceptions=False) as client,
        ):
            response = client.get("/v1/policies")
        assert 500 == response.status_code
        assert "Traceback" not in response.text
        assert "ung-07" not in response.text + caplog.text


class TestLogsAndHeaders:
    """Structured logs with request ids, no personal data; safe headers; CORS off."""

    def test_log_lines_are_json_with_request_id(self, shared, caplog):
        """Each request is logged as JSON with its request id and route template."""
        with caplog.at_level(logging.INFO, "samskaping.serve"):
            shared.get(
                "/v1/policies/pa_egne_ben", headers=headers("worker", **{"X-Request-Id": "abc-1"})
            )
        lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "samskaping.serve"]
        assert "abc-1" == lines[-1]["request_id"]
        assert "/v1/policies/{name}" == lines[-1]["route"]

    def test_no_household_in_logs(self, served, caplog):
        """A decision and a history read leave no household reference in the log."""
        client, _ = served
        with caplog.at_level(logging.DEBUG):
            client.post("/v1/decisions", headers=headers("worker"), json=decide_body())
            client.post(
                "/v1/households/history", headers=headers("worker"), json={"household": "ung-07"}
            )
        assert 2 <= len([r for r in caplog.records if r.name == "samskaping.serve"])
        assert "ung-07" not in caplog.text

    def test_request_id_echoed(self, shared):
        """The response carries the request id."""
        response = shared.get("/health", headers={"X-Request-Id": "r-42"})
        assert "r-42" == response.headers["x-request-id"]

    def test_cors_off(self, shared):
        """No cross-origin header is sent unless origins are configured."""
        response = shared.get("/health", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in response.headers

    def test_cors_when_configured(self):
        """Configured origins get the cross-origin header."""
        app = create_app(None, config=config(cors_origins=("https://kommune.example",)))
        with TestClient(app) as client:
            response = client.get("/health", headers={"Origin": "https://kommune.example"})
        assert "https://kommune.example" == response.headers["access-control-allow-origin"]


class TestPersonalData:
    """Household references reach only roles allowed to see them, and reads are recorded."""

    def test_decision_hides_household(self, served):
        """A recorded decision shows the household by pseudonym only."""
        client, _ = served
        response = client.post("/v1/decisions", headers=headers("worker"), json=decide_body())
        assert "ung-07" not in response.text

    def test_history_read_is_recorded(self, served):
        """A history read is recorded in the ledger with who read it and why."""
        client, ledger = served
        client.post("/v1/decisions", headers=headers("worker"), json=decide_body())
        client.post(
            "/v1/households/history", headers=headers("approver"), json={"household": "ung-07"}
        )
        access = [e for e in ledger.entries() if e.kind.value == "access"]
        assert [("approver", "history")] == [(e.actor, e.payload["purpose"]) for e in access]

    def test_access_export_is_recorded(self, served):
        """An access export (innsyn) is recorded with purpose innsyn."""
        client, ledger = served
        client.post("/v1/decisions", headers=headers("worker"), json=decide_body())
        response = client.post(
            "/v1/households/access-export", headers=headers("worker"), json={"household": "ung-07"}
        )
        access = [e.payload["purpose"] for e in ledger.entries() if e.kind.value == "access"]
        assert 200 == response.status_code
        assert ["innsyn"] == access

    def test_researcher_export_pseudonymised(self, served):
        """The export for researchers holds no household reference."""
        client, _ = served
        client.post("/v1/decisions", headers=headers("worker"), json=decide_body())
        response = client.get("/v1/ledger/export", headers=headers("researcher"))
        assert 200 == response.status_code
        assert "ung-07" not in response.text

    def test_unknown_household_404(self, served):
        """History of a household the ledger does not know is 404 without repeating it."""
        client, _ = served
        response = client.post(
            "/v1/households/history", headers=headers("worker"), json={"household": "zz-99"}
        )
        assert 404 == response.status_code
        assert "zz-99" not in response.text


class TestAuthModes:
    """Bearer tokens hashed at rest, or a trusted proxy's headers."""

    def _proxy_app(self):
        from samskaping.serve import RoleGroup

        return create_app(
            None,
            config=config(
                auth="proxy",
                role_groups=(RoleGroup(group="saksbehandlere", role=Role.WORKER),),
            ),
        )

    def test_proxy_trusted(self):
        """A request from the proxy with user and group headers is let in."""
        with TestClient(self._proxy_app(), client=("127.0.0.1", 5000)) as client:
            response = client.get(
                "/v1/policies",
                headers={"X-Forwarded-User": "kari", "X-Forwarded-Groups": "saksbehandlere"},
            )
        assert 200 == response.status_code

    def test_proxy_untrusted_address(self):
        """The same headers from another address are not believed."""
        with TestClient(self._proxy_app(), client=("10.0.0.9", 5000)) as client:
            response = client.get("/v1/policies", headers={"X-Forwarded-User": "kari"})
        assert 401 == response.status_code

    def test_proxy_without_role(self):
        """A logged-in user without a mapped group gets 403."""
        with TestClient(self._proxy_app(), client=("127.0.0.1", 5000)) as client:
            response = client.get("/v1/policies", headers={"X-Forwarded-User": "kari"})
        assert 403 == response.status_code

    def test_config_file_and_env(self, tmp_path):
        """Configuration is read from TOML, and the environment overrides it."""
        from samskaping.serve import hash_token, load_config

        path = tmp_path / "serve.toml"
        path.write_text(
            f'max_batch = 5\n[[tokens]]\nactor = "kari"\nsha256 = "{hash_token("t")}"\n'
            'roles = ["worker"]\n',
            encoding="utf-8",
        )
        loaded = load_config(path, environ={"SAMSKAPING_SERVE_MAX_BATCH": "7"})
        assert 7 == loaded.max_batch
        assert "kari" == loaded.tokens[0].actor

    def test_config_typo_is_an_error(self, tmp_path):
        """A misspelt key in the configuration is an error with its path."""
        from samskaping import DocumentError
        from samskaping.serve import load_config

        path = tmp_path / "serve.toml"
        path.write_text("max_bach = 5\n", encoding="utf-8")
        with pytest.raises(DocumentError, match="max_bach"):
            load_config(path, environ={})

    def test_plain_token_refused_in_config(self):
        """A token put in the configuration instead of its digest is refused."""
        from samskaping import DocumentError
        from samskaping.serve import load_config

        tokens = json.dumps([{"actor": "a", "sha256": "my-secret", "roles": ["worker"]}])
        with pytest.raises(DocumentError):
            load_config(environ={"SAMSKAPING_SERVE_TOKENS": tokens})


def _wait_for_job(client, location, actor):
    for _ in range(200):
        body = client.get(location, headers=headers(actor)).json()
        if body["status"] in {"done", "failed"}:
            return body
        time.sleep(0.02)
    raise AssertionError("the job did not finish")


POPULATION = {
    "household.youth_age": [17, 30, 19],
    "household.in_contact_with_services": [True, True, False],
    "request.amount": ["1000", "2000", "500"],
    "request.purpose": ["driving_licence", "driving_licence", "driving_licence"],
}


class TestEveryEndpoint:
    """Each endpoint in /openapi.json is called by a test that checks its answer."""

    CALLED: ClassVar[set[str]] = set()

    def call(self, client, operation, method, path, actor=None, **kwargs):
        """Call an operation and note that it was called."""
        self.CALLED.add(operation)
        return client.request(method, path, headers=headers(actor), **kwargs)

    def test_all(self, served):  # noqa: PLR0915  (one walk through the whole API)
        """Every operation answers as documented, with a valid OpenAPI 3.1 document."""
        from openapi_spec_validator import validate

        client, _ = served
        c = self.call
        document = c(client, "openapi", "GET", "/openapi.json").json()
        validate(document)
        assert {"kind": "health", "status": "ok"} == c(client, "health", "GET", "/health").json()
        assert c(client, "ready", "GET", "/ready").json()["ledger"]
        assert "samskaping_http_requests_total" in c(client, "metrics", "GET", "/metrics").text
        policies = c(client, "list_policies", "GET", "/v1/policies", "researcher").json()
        assert "pa_egne_ben" in [p["name"] for p in policies["policies"]]
        policy = c(client, "get_policy", "GET", "/v1/policies/pa_egne_ben", "worker").json()
        assert "pa_egne_ben" == policy["policy"]["id"]
        terms = c(
            client,
            "policy_terms",
            "GET",
            "/v1/policies/pa_egne_ben/terms?as_of=2022-03-01",
            "worker",
        ).json()
        assert "min_age" in [p["name"] for p in terms["parameters"]]
        history = c(
            client, "policy_parameters", "GET", "/v1/policies/pa_egne_ben/parameters", "worker"
        ).json()
        assert "002:558" == history["parameters"][0]["values"][0]["source"]
        schema = c(client, "policy_schema", "GET", "/v1/schemas/policy", "worker").json()
        assert "$defs" in schema
        dry = c(
            client,
            "dry_run_evaluate",
            "POST",
            "/v1/dry-run/evaluate",
            "researcher",
            json=evaluate_body(trace=True, lang="nn"),
        ).json()
        assert "granted" == dry["status"]
        assert dry["trace_text"]
        batch = c(
            client,
            "dry_run_batch",
            "POST",
            "/v1/dry-run/batch",
            "worker",
            json={
                "policy": "pa_egne_ben",
                "as_of": "2022-03-01",
                "requests": [request("a"), request("b")],
            },
        ).json()
        assert 2 == len(batch["decisions"])
        allocation = c(
            client,
            "dry_run_allocate",
            "POST",
            "/v1/dry-run/allocate",
            "worker",
            json={"policy": "pa_egne_ben", "as_of": "2022-03-01", "requests": [request("a")]},
        ).json()
        assert "allocation" == allocation["kind"]
        plan = c(
            client,
            "dry_run_plan",
            "POST",
            "/v1/dry-run/plan",
            "worker",
            json={
                "policy": "flyktningfamilien",
                "cohort": {"id": "c", "members": [{"ref": "f1", "children": [{}, {}]}]},
                "months": 3,
            },
        ).json()
        assert "9600.00" == plan["total"]
        collective = c(
            client,
            "dry_run_collective",
            "POST",
            "/v1/dry-run/collective",
            "member",
            json={
                "policy": "stodig_start",
                "as_of": "2022-03-01",
                "request": {
                    "id": "g1",
                    "group": "grp-1",
                    "proposals": [{"id": "p1", "title": "Boat", "cost": "800"}],
                },
            },
        ).json()
        assert "collective_decision" == collective["kind"]
        simulation = {"policy": "pa_egne_ben", "as_of": "2022-03-01", "population": POPULATION}
        result = c(
            client, "simulate", "POST", "/v1/simulations", "researcher", json=simulation
        ).json()
        assert 3 == result["households"]
        job = c(
            client,
            "submit_simulation",
            "POST",
            "/v1/simulation-jobs",
            "researcher",
            json=simulation,
        )
        assert 202 == job.status_code
        self.CALLED.add("simulation_status")
        finished = _wait_for_job(client, job.headers["location"], "researcher")
        assert "done" == finished["status"]
        assert 3 == finished["result"]["households"]
        other = client.get(job.headers["location"], headers=headers("auditor"))
        assert 404 == other.status_code
        findings = c(
            client,
            "validate_document",
            "POST",
            "/v1/documents/validate",
            "worker",
            json=_document(),
        ).json()
        assert "findings" == findings["kind"]
        report = c(
            client,
            "report_document",
            "POST",
            "/v1/documents/report?format=html&lang=en",
            "auditor",
            json=_document(),
        )
        assert report.headers["content-type"].startswith("text/html")
        created = c(
            client, "create_decision", "POST", "/v1/decisions", "worker", json=decide_body()
        )
        assert 201 == created.status_code
        many = c(
            client,
            "create_decisions",
            "POST",
            "/v1/decisions/batch",
            "worker",
            json={
                "pot": "pa_egne_ben",
                "as_of": "2022-03-01",
                "requests": [request("b-1", amount="500")],
            },
        ).json()
        assert "granted" == many["decisions"][0]["status"]
        read = c(client, "read_decision", "GET", "/v1/decisions/r-001", "auditor").json()
        assert "pending_approval" == read["status"]
        approved = c(client, "approve_decision", "POST", "/v1/decisions/r-001/approve", "approver")
        assert "granted" == approved.json()["status"]
        client.post("/v1/decisions", headers=headers("worker"), json=decide_body("r-002"))
        rejected = c(
            client,
            "reject_decision",
            "POST",
            "/v1/decisions/r-002/reject",
            "approver",
            json={"reason": "not needed"},
        )
        assert "refused" == rejected.json()["status"]
        seq = created.json()["seq"]
        reversed_ = c(
            client,
            "reverse_entry",
            "POST",
            f"/v1/entries/{seq}/reverse",
            "approver",
            json={"reason": "paid twice"},
        )
        assert 201 == reversed_.status_code
        history_ = c(
            client,
            "household_history",
            "POST",
            "/v1/households/history",
            "worker",
            json={"household": "ung-07"},
        ).json()
        assert "household_history" == history_["kind"]
        export = c(
            client,
            "access_export",
            "POST",
            "/v1/households/access-export",
            "approver",
            json={"household": "ung-07"},
        ).json()
        assert "ung-07" == export["ref"]
        pots = c(client, "list_pots", "GET", "/v1/pots", "auditor").json()
        assert "pa_egne_ben" in [p["pot_id"] for p in pots["pots"]]
        pot = c(client, "pot_state", "GET", "/v1/pots/pa_egne_ben", "auditor").json()
        assert "999500.00" == pot["available"]
        head = c(client, "ledger_head", "GET", "/v1/ledger/head", "auditor").json()["head"]
        verify = c(client, "ledger_verify", "GET", f"/v1/ledger/verify?head={head}", "auditor")
        assert verify.json()["ok"]
        jsonl = c(client, "ledger_export", "GET", "/v1/ledger/export", "auditor")
        assert jsonl.text.count("\n") > 5
        csv_ = client.get("/v1/ledger/export?format=csv", headers=headers("researcher"))
        assert csv_.text.startswith("seq")
        registered = c(
            client,
            "register_policy",
            "POST",
            "/v1/admin/policies",
            "admin",
            json={"name": "pa_egne_ben"},
        )
        assert 201 == registered.status_code
        opened = c(
            client,
            "open_pot",
            "POST",
            "/v1/admin/pots",
            "admin",
            json={
                "policy": "pa_egne_ben",
                "pot": {"id": "pa_egne_ben_2023", "total": "5000.00"},
            },
        )
        assert 201 == opened.status_code
        group = c(
            client,
            "create_collective_decision",
            "POST",
            "/v1/collective-decisions",
            "member",
            json=collective_body(),
        )
        assert 201 == group.status_code
        assert "800.00" == group.json()["funded"]
        read_group = c(
            client,
            "read_collective_decision",
            "GET",
            group.headers["location"],
            "auditor",
        ).json()
        assert group.json()["seq"] == read_group["seq"]
        documented = {item["operationId"] for _m, _p, item in _operations(client)}
        assert documented == self.CALLED


class TestPage:
    """The interactive API page works offline: its assets come from the app."""

    def test_page(self, shared):
        """The page is HTML in a declared language, with a strict content policy."""
        response = shared.get("/")
        assert '<html lang="en">' in response.text
        assert "script-src 'self'" in response.headers["content-security-policy"]

    def test_assets_local(self, shared):
        """Every asset the page names is served by the app, none from elsewhere."""
        page = shared.get("/").text
        assert "http" not in page.split("<body>")[0]
        statuses = [shared.get(f"/assets/{name}").status_code for name in ("api.css", "api.js")]
        assert [200, 200] == statuses

    def test_unknown_asset(self, shared):
        """An unknown asset is 404."""
        assert 404 == shared.get("/assets/x.js").status_code

    def test_ready_fails_when_closed(self, tmp_path):
        """/ready is 503 when the ledger cannot answer."""
        app, ledger = ledger_app(tmp_path / "l.db")
        ledger.close()
        with TestClient(app) as client:
            assert 503 == client.get("/ready").status_code


async def _asgi_post(app, path, body, actor):
    """POST through the ASGI interface directly, so that many calls can run at once."""
    data = json.dumps(body).encode()
    scope = {
        "type": "http",
        "method": "POST",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [
            (b"authorization", headers(actor)["Authorization"].encode()),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(data)).encode()),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
        "scheme": "http",
        "http_version": "1.1",
        "root_path": "",
    }
    sent: list[dict[str, Any]] = []

    async def receive():
        return {"type": "http.request", "body": data, "more_body": False}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"], json.loads(sent[1]["body"])


class TestConcurrentDecisions:
    """Decisions that arrive together are recorded together, each with its own answer."""

    def test_money_conserved_under_concurrency(self, tmp_path):
        """Concurrent decisions, a retry and a reused id each get their own status.

        Forty decisions, the first again (200) and the second with another body (409);
        the pot balances to the øre.
        """
        import asyncio

        app, ledger = ledger_app(tmp_path / "ledger.db")
        bodies = [decide_body(f"c-{i}", amount="25000.00") for i in range(40)]
        bodies.append(decide_body("c-0", amount="25000.00"))  # the same again: 200
        bodies.append(decide_body("c-1", amount="1.00"))  # a different body: 409

        async def everything():
            return await asyncio.gather(
                *(_asgi_post(app, "/v1/decisions", body, "worker") for body in bodies)
            )

        answers = asyncio.run(everything())
        state = ledger.pot_state("pa_egne_ben")
        ledger.close()
        statuses = sorted(status for status, _ in answers)
        assert [200] + [201] * 40 + [409] == statuses
        assert state.total == state.available + state.committed + state.disbursed
        assert 40 == state.decisions


class TestCommandLine:
    """`samskaping serve`: arguments, tokens, exit codes."""

    def test_new_token_entry_is_valid_config(self, tmp_path, capsys):
        """--new-token prints a token once and an entry the configuration accepts."""
        from samskaping._cli import main
        from samskaping.serve import hash_token, load_config

        assert 0 == main(["serve", "--new-token", "kari", "--role", "worker"])
        printed = capsys.readouterr().out
        token = next(ln for ln in printed.splitlines() if ln.startswith("# token: "))[9:]
        path = tmp_path / "serve.toml"
        path.write_text(printed, encoding="utf-8")
        assert hash_token(token) == load_config(path, environ={}).tokens[0].sha256

    def test_new_token_needs_a_role(self, capsys):
        """--new-token without a role is refused with exit code 2."""
        from samskaping._cli import main

        assert 2 == main(["serve", "--new-token", "kari"])
        assert "--role" in capsys.readouterr().err

    def test_db_required(self, capsys):
        """Without --db the command says so and exits with 2."""
        from samskaping._cli import main

        assert 2 == main(["serve"])
        assert "--db" in capsys.readouterr().err

    def test_bad_config_exit_2(self, tmp_path, capsys):
        """A configuration with a typo stops the start with exit 2 and no traceback."""
        from samskaping._cli import main

        path = tmp_path / "serve.toml"
        path.write_text("max_bach = 1\n", encoding="utf-8")
        code = main(["serve", "--db", str(tmp_path / "l.db"), "--config", str(path)])
        err = capsys.readouterr().err
        assert 2 == code
        assert "Traceback" not in err


class TestDecisionTrace:
    """The trace is recorded always, and rendered in the answer's decision on request."""

    def test_trace_only_on_request(self, served):
        """Without "trace": true the decision has no trace; with it, it has."""
        client, _ = served
        plain = client.post("/v1/decisions", headers=headers("worker"), json=decide_body("t-1"))
        body = decide_body("t-2")
        body["trace"] = True
        traced = client.post("/v1/decisions", headers=headers("worker"), json=body)
        assert plain.json()["decision"]["trace"] is None
        assert traced.json()["decision"]["trace"]

    def test_trace_recorded_either_way(self, served):
        """The record in the answer holds the trace without asking."""
        client, _ = served
        plain = client.post("/v1/decisions", headers=headers("worker"), json=decide_body("t-1"))
        assert plain.json()["record"]["outcome"]["trace"]
