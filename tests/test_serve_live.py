"""The service as users run it: ``samskaping serve`` on loopback, over real HTTP."""

from __future__ import annotations

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
