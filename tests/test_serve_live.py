"""The service as users run it: ``samskaping serve`` on loopback, over real HTTP."""

from __future__ import annotations

import concurrent.futures
import http.client
import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parent.parent / "scripts" / "serve_schemathesis.py"
ACTORS = {"kari": "worker", "ola": "approver", "worker": "worker", "auditor": "auditor"}


def _load():
    spec = importlib.util.spec_from_file_location("serve_schemathesis", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def live():
    """The helper script, loaded as a module."""
    return _load()


@pytest.fixture(scope="module")
def server(live, tmp_path_factory):
    """`samskaping serve` on a free loopback port: its base URL and log file."""
    with live.running_service(tmp_path_factory.mktemp("live"), ACTORS) as running:
        yield running


def _connect(base):
    host, port = base.removeprefix("http://").split(":")
    return http.client.HTTPConnection(host, int(port), timeout=10)


def _call(base, method, path, token=None, body=None):
    connection = _connect(base)
    try:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None if body is None else json.dumps(body)
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


class TestLive:
    """One running service, called over the network."""

    def test_decision_over_http(self, live, server):
        """A decision is recorded over HTTP (201 and Location) and approved by another."""
        base, _log = server
        body = {
            "pot": "pa_egne_ben",
            "as_of": "2022-03-01",
            "request": {
                "id": "live-1",
                "household": {
                    "ref": "ung-07",
                    "attributes": {"youth_age": 19, "in_contact_with_services": True},
                },
                "amount": "20000.00",
                "purpose": "driving_licence",
            },
        }
        created = _call(base, "POST", "/v1/decisions", live.token_of("kari"), body)
        approved = _call(base, "POST", "/v1/decisions/live-1/approve", live.token_of("ola"))
        assert 201 == created[0]
        assert "/v1/decisions/live-1" == created[1]["location"]
        assert "granted" == json.loads(approved[2])["status"]

    def test_unauthenticated(self, server):
        """Without a token the live service answers 401."""
        assert 401 == _call(server[0], "GET", "/v1/pots")[0]

    def test_keep_alive(self, server):
        """Several requests share one HTTP/1.1 connection."""
        connection = _connect(server[0])
        statuses = []
        for _ in range(3):
            connection.request("GET", "/health")
            response = connection.getresponse()
            response.read()
            statuses.append((response.status, response.version))
        connection.close()
        assert [(200, 11)] * 3 == statuses

    def test_schemathesis(self, live, server, capsys):
        """Schemathesis as a worker and as an auditor finds no 5xx, no schema break.

        Bounded: one example per operation here; ``.ci/run`` runs more.
        """
        base, log = server
        status = live.check(base, log, max_examples=1, timeout=120)
        assert 0 == status, capsys.readouterr().out

    def test_no_personal_data_in_log(self, server):
        """The service's log holds no household reference."""
        assert "ung-07" not in server[1].read_text("utf-8")


SIMULATION = {
    "policy": "pa_egne_ben",
    "as_of": "2022-03-01",
    "population": {
        "household.youth_age": [17, 30, 19],
        "household.in_contact_with_services": [True, True, False],
        "request.amount": ["1000", "2000", "500"],
        "request.purpose": ["driving_licence", "driving_licence", "driving_licence"],
    },
}


@pytest.fixture(scope="module")
def workers(live, tmp_path_factory):
    """`samskaping serve --workers 2` on a free loopback port: its base URL and log file."""
    actors = {"researcher": "researcher"}
    with live.running_service(tmp_path_factory.mktemp("workers"), actors, workers=2) as running:
        yield running


def _concurrently(call, clients=16, each=20):
    """``call()`` from many clients at once, so that both workers take connections."""
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        futures = [pool.submit(lambda: [call() for _ in range(each)]) for _ in range(clients)]
        return [answer for future in futures for answer in future.result()]


def _job_statuses(live, base):
    """Submit a job, then ask for it from many clients at once (either worker answers)."""
    token = live.token_of("researcher")
    status, headers, _ = _call(base, "POST", "/v1/simulation-jobs", token, SIMULATION)
    assert 202 == status
    return {
        answer[0]
        for answer in _concurrently(lambda: _call(base, "GET", headers["location"], token), each=5)
    }


def _counted_health(metrics: bytes) -> float:
    total = 0.0
    for line in metrics.decode().splitlines():
        if line.startswith("samskaping_http_requests_total{") and 'route="/health"' in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


class TestSeveralWorkers:
    """Two worker processes answer as one service."""

    def test_job_found_by_every_worker(self, live, workers):
        """A background job's status is found whichever worker answers (never 404)."""
        assert _job_statuses(live, workers[0]) <= {200, 202}

    def test_metrics_add_up_every_worker(self, workers):
        """/metrics counts the requests every worker answered, not one worker's share."""
        base = workers[0]
        before = _counted_health(_call(base, "GET", "/metrics")[2])
        _concurrently(lambda: _call(base, "GET", "/health"))
        after = _counted_health(_call(base, "GET", "/metrics")[2])
        assert 16 * 20 == after - before
