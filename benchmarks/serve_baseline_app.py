"""The load test's baseline: a bare Starlette endpoint with one durable SQLite insert.

The same durability as the ledger (WAL, ``synchronous=FULL``, one transaction per
request) and nothing else: no parsing beyond ``json.loads``, no rules, no hash chain.
Served by uvicorn with the same workers as ``samskaping serve`` (bench_serve.py starts
it with ``BASELINE_DB`` set).
"""

import json
import os
import sqlite3

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

_DB = os.environ.get("BASELINE_DB", "baseline.db")
_conn = sqlite3.connect(_DB, timeout=60, isolation_level=None, check_same_thread=False)
_conn.execute("PRAGMA journal_mode=WAL")
_conn.execute("PRAGMA synchronous=FULL")
_conn.execute("CREATE TABLE IF NOT EXISTS t (id TEXT PRIMARY KEY, body TEXT)")


async def insert(request: Request) -> Response:
    body = await request.body()
    data = json.loads(body)
    _conn.execute("BEGIN IMMEDIATE")
    _conn.execute("INSERT OR IGNORE INTO t VALUES (?, ?)", (data["request"]["id"], body.decode()))
    _conn.execute("COMMIT")
    return Response(b'{"ok":true}', 201, media_type="application/json")


async def health(_request: Request) -> Response:
    return Response(b"ok")


app = Starlette(routes=[Route("/insert", insert, methods=["POST"]), Route("/health", health)])
