"""Mount the payout service inside your own application.

A municipality's portal already has its own web application. ``create_app`` returns the
whole samskaping API (dry runs, decisions through the ledger, pots, the API page) as one
ASGI application, so it can be mounted under a path of yours, next to your own routes:

    /                 your portal's own page
    /payouts/...      the samskaping API (/payouts/v1/..., /payouts/openapi.json, ...)

    python examples/payout_service.py            # build, call every part once, print (a self-test)
    python examples/payout_service.py --serve    # serve on 127.0.0.1:8080 until Ctrl-C

Needs the serve extra: pip install "samskaping[serve]".
"""

import argparse
import pathlib
import tempfile
from http import HTTPStatus

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from samskaping.ledger import open_ledger
from samskaping.payouts import load_policy
from samskaping.serve import Role, ServeConfig, TokenEntry, create_app, hash_token

# In production the tokens come from your secret store and only their digests are kept
# in the configuration (samskaping serve --new-token prints both).
TOKENS = {"kari": "kari-token-0123456789abcdef", "ola": "ola-token-0123456789abcdef"}
CONFIG = ServeConfig(
    tokens=(
        TokenEntry(actor="kari", sha256=hash_token(TOKENS["kari"]), roles=(Role.WORKER,)),
        TokenEntry(actor="ola", sha256=hash_token(TOKENS["ola"]), roles=(Role.APPROVER,)),
    )
)


async def home(_request: Request) -> JSONResponse:
    """Your own application's route."""
    return JSONResponse({"portal": "Innbyggerportalen", "payouts": "/payouts/"})


def build(ledger_path: pathlib.Path) -> Starlette:
    """Your application, with the payout service mounted under /payouts."""
    ledger = open_ledger(str(ledger_path))
    policy = load_policy("pa_egne_ben")
    ledger.register_policy(policy, actor="setup")  # the same text again changes nothing
    ledger.open_pot(policy_id=policy.id, actor="setup")
    payouts = create_app(ledger, policies={"pa_egne_ben": policy}, config=CONFIG)
    return Starlette(routes=[Route("/", home), Mount("/payouts", app=payouts)])


def self_test() -> None:
    """Call your route and the mounted API in-process, print the answers."""
    folder = pathlib.Path(tempfile.mkdtemp())
    with TestClient(build(folder / "ledger.db")) as client:
        print(client.get("/").json())

        kari = {"Authorization": f"Bearer {TOKENS['kari']}"}
        ola = {"Authorization": f"Bearer {TOKENS['ola']}"}
        request = {
            "id": "r-001",
            "household": {
                "ref": "ung-07",
                "attributes": {"youth_age": 19, "in_contact_with_services": True},
            },
            "amount": "20000.00",
            "purpose": "driving_licence",
        }
        body = {"pot": "pa_egne_ben", "as_of": "2022-03-01", "request": request, "lang": "en"}
        created = client.post("/payouts/v1/decisions", json=body, headers=kari)
        print(created.status_code, created.headers["location"], created.json()["status"])
        assert created.status_code == HTTPStatus.CREATED
        assert created.headers["location"] == "/payouts/v1/decisions/r-001"
        assert "ung-07" not in created.text  # the household is shown by pseudonym only

        again = client.post("/payouts/v1/decisions", json=body, headers=kari)
        print(again.status_code, "the same decision:", again.json()["seq"] == created.json()["seq"])
        assert again.status_code == HTTPStatus.OK

        own = client.post("/payouts/v1/decisions/r-001/approve", headers=kari)
        print(own.status_code, own.json()["message"])
        # A worker cannot approve, least of all their own proposal.
        assert own.status_code == HTTPStatus.FORBIDDEN

        approved = client.post("/payouts/v1/decisions/r-001/approve", headers=ola)
        print(approved.status_code, approved.json()["status"], approved.json()["signers"])
        assert approved.json()["status"] == "granted"

        wrong = dict(body, request=dict(request, id="r-002", amount="ten"))
        problems = client.post("/payouts/v1/decisions", json=wrong, headers=kari).json()
        print([(p["path"], p["message"]) for p in problems["problems"]])

        pot = client.get("/payouts/v1/pots/pa_egne_ben", headers=ola).json()
        print("available:", pot["available"])
        assert pot["available"] == "980000.00"
        servers = client.get("/payouts/openapi.json").json()["servers"]
        assert servers == [{"url": "/payouts"}]


def main(argv: list[str] | None = None) -> None:
    """Run the self-test, or serve with --serve."""
    parser = argparse.ArgumentParser(description="Mount the payout service in your own app.")
    parser.add_argument("--serve", action="store_true", help="serve until Ctrl-C")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    if not args.serve:
        self_test()
        return
    uvicorn.run(build(pathlib.Path("ledger.db")), host="127.0.0.1", port=args.port)


if __name__ == "__main__":
    main()
