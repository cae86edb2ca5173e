"""A small payout service: the rule engine behind HTTP, with the standard library only.

    POST /evaluate   {"policy", "as_of", "request", "trace"?, "lang"?}  -> a decision (JSON)
    GET  /policies                                                     -> the policies served
    GET  /pots/<id>                                                    -> a pot's balance

Policies are loaded once at start-up and shared by every request: a policy is an
immutable value. Pots are values too: each decision returns a new pot, which the
service stores with a compare-and-swap, so two requests decided at the same time can
never spend the same money twice. Household references never leave the engine:
decisions are returned with the household hidden, and the access log does not show
request bodies. docs/tutorials/embed_in_a_service.md explains each choice.

    python examples/payout_service.py            # start, call itself, print, stop (a self-test)
    python examples/payout_service.py --serve    # serve on 127.0.0.1:8080 until Ctrl-C
"""

import argparse
import datetime
import json
import sys
import threading
import urllib.error
import urllib.request
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

import attrs

from samskaping import DocumentError, SamskapingError
from samskaping.io import parse, structure
from samskaping.model import PaymentType, Pot
from samskaping.payouts import (
    Decision,
    Policy,
    Request,
    builtin_policy_names,
    evaluate,
    load_policy,
    pot_to_dict,
)

SCHEMA_VERSION = 1
MAX_BODY = 64 * 1024  # a request is small; refuse anything larger before reading it
TIMEOUT = 10  # seconds, for every socket the self-test opens


@attrs.frozen(kw_only=True)
class EvaluateCall:
    """The body of POST /evaluate, read with the library's strict converter."""

    policy: str
    as_of: datetime.date
    request: Request
    trace: bool = False
    lang: Literal["nb", "nn", "en"] = "nb"


class PayoutEngine:
    """Policies loaded once, and the current value of each pot.

    In production the pots live in a database; ``decide`` shows the pattern to keep
    there: read the pot and its version, evaluate without holding a lock, and store
    the new pot only if nobody changed it in the meantime (else decide again).
    """

    def __init__(self, policies: dict[str, Policy]) -> None:
        self.policies = policies
        self._pots: dict[str, Pot] = {p.pot.id: p.pot for p in policies.values() if p.pot}
        self._answers: dict[tuple[str, str], dict[str, Any]] = {}
        self._lock = threading.Lock()

    @classmethod
    def with_builtin_policies(cls) -> "PayoutEngine":
        """The built-in conditional and unconditional policies (collective ones need votes)."""
        policies = {name: load_policy(name) for name in builtin_policy_names()}
        return cls(
            {n: p for n, p in policies.items() if p.payment_type is not PaymentType.COLLECTIVE}
        )

    def pot(self, pot_id: str) -> Pot | None:
        """The current value of a pot."""
        with self._lock:
            return self._pots.get(pot_id)

    def decide(self, call: EvaluateCall) -> tuple[Decision, Pot]:
        """Decide one request and store the pot it leaves (compare-and-swap)."""
        policy = self.policies[call.policy]
        assert policy.pot is not None  # every served policy has its own pot
        while True:
            before = self.pot(policy.pot.id)
            assert before is not None
            decision, after = evaluate(policy, call.request, before, call.as_of, trace=call.trace)
            with self._lock:
                if self._pots[policy.pot.id] is before:
                    self._pots[policy.pot.id] = after
                    return decision, after
            # Another request changed the pot while we decided: decide again on the new one.

    def answer(self, call: EvaluateCall) -> dict[str, Any]:
        """The JSON answer to a call; a retry of a decided request gets the same answer."""
        key = (call.policy, call.request.id)
        with self._lock:
            known = self._answers.get(key)
        if known is not None:
            return known
        decision, pot = self.decide(call)
        body = decision.to_dict(lang=call.lang)  # the household stays "[hidden]"
        body["pot_after"] = pot_to_dict(pot, call.as_of, decision.payment_type)
        with self._lock:
            return self._answers.setdefault(key, body)


class Handler(BaseHTTPRequestHandler):
    """HTTP in, JSON out. Every response has "schema_version" and "kind"."""

    engine: PayoutEngine  # set on the subclass made by make_server
    server_version = "samskaping-payouts/1"

    def log_message(self, format: str, *args: Any) -> None:
        # The default logs the request line only (never bodies); keep it off stdout.
        sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def _send(self, status: HTTPStatus, data: dict[str, Any]) -> None:
        body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: HTTPStatus, message: str, problems: list[dict[str, str]]) -> None:
        self._send(
            status,
            {
                "schema_version": SCHEMA_VERSION,
                "kind": "error",
                "message": message,
                "problems": problems,
            },
        )

    def do_GET(self) -> None:
        if self.path == "/policies":
            policies = [
                {
                    "name": name,
                    "title": policy.name,
                    "payment_type": policy.payment_type.value,
                    "version": policy.version,
                    "source": policy.source,
                    "pot": policy.pot.id if policy.pot else None,
                }
                for name, policy in sorted(self.engine.policies.items())
            ]
            self._send(
                HTTPStatus.OK,
                {"schema_version": SCHEMA_VERSION, "kind": "policies", "policies": policies},
            )
            return
        if self.path.startswith("/pots/"):
            pot = self.engine.pot(self.path.removeprefix("/pots/"))
            policy = next(
                (p for p in self.engine.policies.values() if pot and p.pot and p.pot.id == pot.id),
                None,
            )
            if pot is not None and policy is not None:
                today = datetime.date.today()  # noqa: DTZ011  (a calendar date)
                data = pot_to_dict(pot, today, policy.payment_type)
                self._send(HTTPStatus.OK, {"schema_version": SCHEMA_VERSION, "kind": "pot", **data})
                return
        self._error(HTTPStatus.NOT_FOUND, "no such resource", [])

    def do_POST(self) -> None:
        if self.path != "/evaluate":
            self._error(HTTPStatus.NOT_FOUND, "no such resource", [])
            return
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 < length <= MAX_BODY:
            self._error(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "expected a body of 1 to 65536 bytes", []
            )
            return
        try:
            data = parse(self.rfile.read(length), "json", source="request")
            wanted: EvaluateCall = structure(data, EvaluateCall, source="request")
        except DocumentError as error:
            problems = [{"path": p.path, "message": p.message} for p in error.problems]
            self._error(HTTPStatus.BAD_REQUEST, "the request could not be read", problems)
            return
        if wanted.policy not in self.engine.policies:
            problems = [{"path": "$.policy", "message": "no such policy; see GET /policies"}]
            self._error(HTTPStatus.NOT_FOUND, "unknown policy", problems)
            return
        try:
            body = self.engine.answer(wanted)
        except SamskapingError as error:  # e.g. an input of the wrong type for the policy
            self._error(HTTPStatus.UNPROCESSABLE_ENTITY, str(error), [])
            return
        self._send(HTTPStatus.OK, body)


def make_server(host: str, port: int, engine: PayoutEngine) -> ThreadingHTTPServer:
    """An HTTP server whose handlers share ``engine``."""
    handler = type("BoundHandler", (Handler,), {"engine": engine})
    return ThreadingHTTPServer((host, port), handler)


def call(base: str, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    """Send one request with urllib and return (status, JSON body), errors included."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(
        base + path, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def self_test() -> None:
    """Start on an ephemeral port, call every endpoint, print the answers, stop."""
    server = make_server("127.0.0.1", 0, PayoutEngine.with_builtin_policies())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        status, policies = call(base, "GET", "/policies")
        print(status, [p["name"] for p in policies["policies"]])
        assert status == HTTPStatus.OK
        assert "pa_egne_ben" in [p["name"] for p in policies["policies"]]

        request = {
            "policy": "pa_egne_ben",
            "as_of": "2022-03-01",
            "lang": "en",
            "request": {
                "id": "r-001",
                "household": {
                    "ref": "ung-07",
                    "attributes": {"youth_age": 19, "in_contact_with_services": True},
                },
                "amount": "12000.00",
                "purpose": "driving_licence",
            },
        }
        status, decision = call(base, "POST", "/evaluate", request)
        print(status, decision["status"], decision["amount"], decision["approvers"]["band"])
        print(" ", decision["reasons"][0]["text"])
        print("  pot after:", decision["pot_after"]["available"])
        assert status == HTTPStatus.OK
        assert decision["status"] == "granted"
        assert decision["household"] == "[hidden]"
        assert decision["pot_after"]["available"] == "988000.00"

        status, again = call(base, "POST", "/evaluate", request)  # a retry: the same answer
        print(status, "retry answered with the first decision:", again == decision)
        assert again == decision

        bad = {"policy": "pa_egne_ben", "as_of": "2022-13-01", "request": {"id": "r-002"}}
        status, error = call(base, "POST", "/evaluate", bad)
        print(status, [(p["path"], p["message"]) for p in error["problems"]])
        assert status == HTTPStatus.BAD_REQUEST
        assert "ung-07" not in json.dumps([policies, decision, again, error])

        status, pot = call(base, "GET", "/pots/pa_egne_ben")
        print(status, pot["available"], pot["status"])
        assert (status, pot["committed"]) == (HTTPStatus.OK, "12000.00")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=TIMEOUT)


def main(argv: list[str] | None = None) -> None:
    """Run the self-test, or serve with --serve."""
    parser = argparse.ArgumentParser(description="A payout service with the standard library.")
    parser.add_argument("--serve", action="store_true", help="serve until Ctrl-C")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    if not args.serve:
        self_test()
        return
    server = make_server(args.host, args.port, PayoutEngine.with_builtin_policies())
    print(f"serving on http://{args.host}:{server.server_address[1]} (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
