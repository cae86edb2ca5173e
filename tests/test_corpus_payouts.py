"""The hostile corpus of the payout paths: populations, cohorts, pots, requests.

Each case file sits next to a manifest (``expected.toml`` in its folder) that states
its outcome: the library's own error (its class and a fragment naming the path, or
the row and column) or the exact amount. Every case is run; no case may end in any
other exception (a traceback) or in a different amount. Files whose names start with
``_`` are helpers (a policy, a persons table), not cases.
"""

from __future__ import annotations

import datetime
import json
import tomllib
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import samskaping
import samskaping.payouts
from samskaping import Money, SamskapingError
from samskaping.io import parse, read_text, structure
from samskaping.model import Pot
from samskaping.payouts import (
    Cohort,
    CollectiveRequest,
    Request,
    RequestBatch,
    UnreadColumnsWarning,
    allocate,
    builtin_policy,
    decide_collective,
    evaluate,
    load_policy,
    payment_plan,
    pot_status,
    simulate,
)

CORPUS = Path(__file__).parent / "corpus"
ENGINES = ("python", "numpy")


def manifest(folder: str) -> dict[str, dict[str, Any]]:
    """The expected outcome of each case in a folder."""
    data: dict[str, dict[str, Any]] = tomllib.loads(
        (CORPUS / folder / "expected.toml").read_text(encoding="utf-8")
    )
    return data


def cases(folder: str) -> list[tuple[str, dict[str, Any]]]:
    """The cases of a folder, in name order."""
    return sorted(manifest(folder).items())


def error_class(name: str) -> type[SamskapingError]:
    """A library error class by name."""
    found = getattr(samskaping.payouts, name, None) or getattr(samskaping, name)
    assert issubclass(found, SamskapingError)
    return found  # type: ignore[no-any-return]


def policy_for(folder: str, name: str) -> Any:
    """A built-in policy, or a helper policy file of the folder."""
    if name.endswith(".toml"):
        return load_policy(CORPUS / folder / name)
    return builtin_policy(name)


def read(path: Path, type_: Any) -> Any:
    """A case file read as the command line reads it."""
    fmt = "json" if path.suffix == ".json" else "toml"
    return structure(parse(read_text(path), fmt, source=path.name), type_, source=path.name)


def expect_error(entry: dict[str, Any], run: Any) -> None:
    """Run, and check the library's own error with its fragment (never another exception)."""
    with pytest.raises(SamskapingError) as info:
        run()
    assert isinstance(info.value, error_class(entry["error"])), repr(info.value)
    assert entry["match"] in str(info.value)
    if "hidden" in entry:
        assert entry["hidden"] not in str(info.value)


def test_corpus_size() -> None:
    """The payout corpus holds at least 150 cases beyond the first 59 policies."""
    sizes = [len(manifest(f)) for f in ("populations", "cohorts", "pots", "requests")]
    policies = len([p for p in (CORPUS / "policies").iterdir() if p.name != "expectations.json"])
    assert sum(sizes) + policies - 59 >= 150


@pytest.mark.parametrize("folder", ["populations", "cohorts", "pots", "requests"])
def test_every_file_is_a_case(folder: str) -> None:
    """Every file of a folder is in its manifest (helpers start with '_')."""
    files = {p.name for p in (CORPUS / folder).iterdir()}
    listed = set(manifest(folder)) | {"expected.toml"}
    assert set() == {f for f in files - listed if not f.startswith("_")}


def _population(path: Path) -> Any:
    if path.suffix == ".csv":
        return path
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["columns"] if isinstance(data, dict) and "columns" in data else data


@pytest.mark.parametrize(("name", "entry"), cases("populations"), ids=lambda v: str(v)[:40])
def test_population(name: str, entry: dict[str, Any]) -> None:
    """A population case gives its error (row and column) or its exact total, on both engines."""
    path = CORPUS / "populations" / name
    policy = policy_for("populations", entry["policy"])
    day = datetime.date.fromisoformat(str(entry["as_of"]))
    persons = entry.get("persons")
    options: dict[str, Any] = {
        "strict": entry.get("strict", True),
        "passthrough": tuple(entry.get("passthrough", ())),
        "persons": None if persons is None else _population(CORPUS / "populations" / persons),
    }
    sources = [_population(path)]
    if entry.get("frames"):
        sources.append(pd.DataFrame(sources[0]))
    for source in sources:
        for engine in ENGINES:

            def run(source: Any = source, engine: str = engine) -> Any:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    result = simulate(policy, source, day, engine=engine, **options)  # type: ignore[arg-type]
                warned = any(issubclass(w.category, UnreadColumnsWarning) for w in caught)
                assert entry.get("warns", False) == warned
                return result

            if "error" in entry:
                expect_error(entry, run)
                continue
            result = run()
            assert Money(entry["total"]) == result.total
            assert all(not amount.is_negative() for amount in result.amounts)


@pytest.mark.parametrize(("name", "entry"), cases("cohorts"), ids=lambda v: str(v)[:40])
def test_cohort(name: str, entry: dict[str, Any]) -> None:
    """A cohort case gives its load error at a path, or its plan's exact total."""
    path = CORPUS / "cohorts" / name
    if "error" in entry:
        expect_error(entry, lambda: read(path, Cohort))
        return
    plan = payment_plan(
        builtin_policy(entry["policy"]), read(path, Cohort), months=entry.get("months")
    )
    assert Money(entry["total"]) == plan.total
    keys = [(p.household_ref, p.date) for p in plan.payments]
    assert len(keys) == len(set(keys))
    assert all(p.amount > Money(0) for p in plan.payments)


@pytest.mark.parametrize(("name", "entry"), cases("pots"), ids=lambda v: str(v)[:40])
def test_pot(name: str, entry: dict[str, Any]) -> None:
    """A pot case gives its error, or what is available and its status."""
    path = CORPUS / "pots" / name
    day = datetime.date(2022, 3, 1)
    if "error" in entry and entry.get("on") != "available":
        expect_error(entry, lambda: read(path, Pot))
        return
    pot = read(path, Pot)
    if "error" in entry:
        expect_error(entry, lambda: pot.available)
        return
    assert Money(entry["available"]) == pot.available
    assert entry["status"] == pot_status(pot, day).value


def _request(path: Path, entry: dict[str, Any]) -> None:
    policy = builtin_policy(entry["policy"])
    day = datetime.date.fromisoformat(str(entry["as_of"]))
    fmt = "json" if path.suffix == ".json" else "toml"
    data = parse(read_text(path), fmt, source=path.name)
    pot = policy.pot
    assert pot is not None
    if "pot" in entry:
        pot = Pot(id="corpus", total=Money(entry["pot"]))
    if policy.collective is not None:
        decision, _ = decide_collective(policy, structure(data, CollectiveRequest), pot, day)
        assert decision.funded >= Money(0)
        return
    if "requests" in data:
        batch = structure(data, RequestBatch, source=path.name)
        result, _ = allocate(policy, batch.requests, pot, day)
        assert Money(entry["granted_total"]) == result.total_granted
        assert entry["deferred"] == [d.request_id for d in result.deferred]
        assert entry["rejected"] == [d.request_id for d in result.rejected]
        return
    decision, _ = evaluate(policy, structure(data, Request, source=path.name), pot, day)
    assert entry["status"] == decision.status.value
    assert Money(entry["amount"]) == decision.amount
    if "reason" in entry:
        assert entry["reason"] == decision.reasons[0].code


@pytest.mark.parametrize(("name", "entry"), cases("requests"), ids=lambda v: str(v)[:40])
def test_request(name: str, entry: dict[str, Any]) -> None:
    """A request case gives its error at a path, or its decision's status and exact amount."""
    path = CORPUS / "requests" / name
    if "error" in entry:
        expect_error(entry, lambda: _request(path, entry))
        return
    _request(path, entry)
