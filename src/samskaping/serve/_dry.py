"""The endpoints that need no ledger: policies, dry runs, plans, simulations, documents."""

from __future__ import annotations

import asyncio
import datetime
import json
from collections.abc import Mapping
from typing import Any, Final

from starlette.responses import Response

from samskaping._errors import Problem
from samskaping.io import structure, unstructure
from samskaping.l10n import today_in_oslo
from samskaping.model import Document
from samskaping.payouts import (
    Policy,
    allocate,
    decide_collective,
    dumps_policy,
    evaluate,
    evaluate_many,
    payment_plan,
    policy_schema,
    policy_terms,
    simulate,
)
from samskaping.profile import Profile
from samskaping.report import render_report, render_trace
from samskaping.serve._config import ServeConfig
from samskaping.serve._http import Call, HttpProblem, json_response
from samskaping.serve._jobs import JobStore
from samskaping.serve._wire import (
    AllocateCall,
    BatchCall,
    CollectiveCall,
    EvaluateCall,
    PlanCall,
    SimulateCall,
    input_problems,
)
from samskaping.validation import has_errors, validate

__all__ = ["DryRuns"]

_DATE_HELP: Final = "expected a date (YYYY-MM-DD)"
_REPORT_CSP: Final = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def policy_summary(name: str, policy: Policy) -> dict[str, Any]:
    """One policy in the list of policies."""
    return {
        "name": name,
        "id": policy.id,
        "title": policy.name,
        "payment_type": policy.payment_type.value,
        "version": policy.version,
        "source": policy.source,
        "pot": policy.pot.id if policy.pot else None,
    }


class DryRuns:
    """Handlers that record nothing: they read policies and run the pure engine."""

    def __init__(
        self, policies: Mapping[str, Policy], config: ServeConfig, profile: Profile
    ) -> None:
        self.policies = dict(policies)
        self.config = config
        self.profile = profile
        self.jobs = JobStore(config.max_jobs, config.jobs_dir)
        self._declared = {
            name: {d.name: d.type for d in policy.inputs} for name, policy in policies.items()
        }

    def policy(self, name: str, path: str = "$.policy") -> Policy:
        """The served policy of that name, or 404 pointing at where it was named."""
        found = self.policies.get(name)
        if found is None:
            raise HttpProblem(
                404,
                "no such policy; see GET /v1/policies",
                (Problem(path=path, message="no such policy"),),
            )
        return found

    def check_batch(self, count: int) -> None:
        if count > self.config.max_batch:
            raise HttpProblem(413, f"a batch holds at most {self.config.max_batch} requests")

    def _check_inputs(self, name: str, requests: list[tuple[str, Any]]) -> None:
        problems = [
            Problem(path=at, message=message)
            for path, request in requests
            for at, message in input_problems(self._declared.get(name, {}), request, path)
        ]
        if problems:
            raise HttpProblem(422, "an input has the wrong type", tuple(problems))

    def _pot(self, policy: Policy) -> Any:
        if policy.pot is None:
            raise HttpProblem(
                422,
                "the policy has no pot of its own",
                (Problem(path="$.policy", message="no pot"),),
            )
        return policy.pot

    # -- policies ---------------------------------------------------------------------

    async def list_policies(self, _call: Call) -> Response:
        """GET /v1/policies."""
        items = [policy_summary(n, p) for n, p in sorted(self.policies.items())]
        return json_response({"kind": "policies", "policies": items})

    async def get_policy(self, call: Call) -> Response:
        """GET /v1/policies/{name}: the policy as data."""
        policy = self.policy(call.path("name"), "$")
        data = json.loads(dumps_policy(policy, "json"))
        return json_response({"kind": "policy", "name": call.path("name"), "policy": data})

    async def terms(self, call: Call) -> Response:
        """GET /v1/policies/{name}/terms?as_of=: the parameters and bands in force."""
        policy = self.policy(call.path("name"), "$")
        raw = call.query("as_of")
        try:
            day = datetime.date.fromisoformat(raw) if raw else today_in_oslo()
        except ValueError:
            raise HttpProblem(
                422, "the date is not valid", (Problem(path="as_of", message=_DATE_HELP),)
            ) from None
        data = unstructure(policy_terms(policy, day))
        return json_response({"kind": "terms", **data})

    async def parameters(self, call: Call) -> Response:
        """GET /v1/policies/{name}/parameters: every value of each parameter, with sources."""
        policy = self.policy(call.path("name"), "$")
        items = [unstructure(p) for p in policy.parameters]
        return json_response({"kind": "parameters", "policy": policy.id, "parameters": items})

    async def schema(self, _call: Call) -> Response:
        """GET /v1/schemas/policy."""
        return json_response(policy_schema())

    # -- dry runs -----------------------------------------------------------------------

    async def evaluate(self, call: Call) -> Response:
        """POST /v1/dry-run/evaluate."""
        body: EvaluateCall = call.body
        policy = self.policy(body.policy)
        self._check_inputs(body.policy, [("$.request", body.request)])
        decision, after = evaluate(
            policy, body.request, self._pot(policy), body.as_of, trace=body.trace
        )
        data = decision.to_dict(lang=body.lang)
        if decision.trace is not None and body.lang is not None:
            data["trace_text"] = render_trace(decision.trace, body.lang, policy)
        data["pot_available_after"] = str(after.available.amount)
        return json_response(data)

    async def evaluate_batch(self, call: Call) -> Response:
        """POST /v1/dry-run/batch."""
        body: BatchCall = call.body
        policy = self.policy(body.policy)
        self.check_batch(len(body.requests))
        self._check_inputs(
            body.policy, [(f"$.requests[{i}]", r) for i, r in enumerate(body.requests)]
        )
        decisions, after = evaluate_many(
            policy, body.requests, self._pot(policy), body.as_of, trace=body.trace
        )
        items = []
        for decision in decisions:
            data = decision.to_dict(lang=body.lang)
            if decision.trace is not None and body.lang is not None:
                data["trace_text"] = render_trace(decision.trace, body.lang, policy)
            items.append(data)
        return json_response(
            {
                "kind": "decisions",
                "decisions": items,
                "pot_available_after": str(after.available.amount),
            }
        )

    async def allocate(self, call: Call) -> Response:
        """POST /v1/dry-run/allocate."""
        body: AllocateCall = call.body
        policy = self.policy(body.policy)
        self.check_batch(len(body.requests))
        self._check_inputs(
            body.policy, [(f"$.requests[{i}]", r) for i, r in enumerate(body.requests)]
        )
        result, _after = allocate(policy, body.requests, self._pot(policy), body.as_of)
        return json_response({"kind": "allocation", **result.to_dict(lang=body.lang)})

    async def plan(self, call: Call) -> Response:
        """POST /v1/dry-run/plan."""
        body: PlanCall = call.body
        policy = self.policy(body.policy)
        self.check_batch(len(body.cohort.members))
        plan = payment_plan(policy, body.cohort, start=body.start, end=body.end, months=body.months)
        return json_response({"kind": "payment_plan", **plan.to_dict()})

    async def collective(self, call: Call) -> Response:
        """POST /v1/dry-run/collective."""
        body: CollectiveCall = call.body
        policy = self.policy(body.policy)
        self.check_batch(len(body.request.proposals) + len(body.request.ballots))
        decision, _after = decide_collective(
            policy, body.request, self._pot(policy), body.as_of, trace=body.trace
        )
        return json_response({"kind": "collective_decision", **decision.to_dict(lang=body.lang)})

    # -- simulations --------------------------------------------------------------------

    def _population_size(self, body: SimulateCall, limit: int) -> int:
        sizes = {len(v) if isinstance(v, list | tuple) else -1 for v in body.population.values()}
        if -1 in sizes:
            raise HttpProblem(
                422,
                "the population is not valid",
                (Problem(path="$.population", message="expected a list of values per column"),),
            )
        size = max(sizes, default=0)
        if size > limit:
            raise HttpProblem(413, f"the population has more than {limit} households")
        return size

    def _simulate(self, body: SimulateCall) -> dict[str, Any]:
        policy = self.policy(body.policy)
        result = simulate(policy, dict(body.population), body.as_of, engine="python")
        return {"kind": "simulation", **result.to_dict()}

    async def simulate(self, call: Call) -> Response:
        """POST /v1/simulations: a bounded population, answered at once."""
        body: SimulateCall = call.body
        self.policy(body.policy)
        self._population_size(body, self.config.max_population)
        data = await asyncio.to_thread(self._simulate, body)
        return json_response(data)

    async def submit_job(self, call: Call) -> Response:
        """POST /v1/simulation-jobs: a larger population, run in the background."""
        body: SimulateCall = call.body
        self.policy(body.policy)
        self._population_size(body, self.config.max_job_population)
        job = self.jobs.submit(call.actor, lambda: self._simulate(body))
        if job is None:
            raise HttpProblem(503, "too many simulations are running; try again later")
        location = f"{call.http.scope.get('root_path', '')}/v1/simulation-jobs/{job.id}"
        return json_response(job.to_dict(), 202, headers={"Location": location})

    async def job_status(self, call: Call) -> Response:
        """GET /v1/simulation-jobs/{id}: only the caller who submitted it sees it."""
        job = self.jobs.get(call.path("job_id"), call.actor)
        if job is None:
            raise HttpProblem(404, "no such job")
        return json_response(job.to_dict())

    # -- documents ----------------------------------------------------------------------

    def _document(self, call: Call) -> Any:
        return structure(call.body, Document, source="body")

    async def validate(self, call: Call) -> Response:
        """POST /v1/documents/validate: the document's findings."""
        lang = _lang(call)
        findings = validate(self._document(call), lang=lang, profile=self.profile)
        return json_response(
            {
                "kind": "findings",
                "errors": has_errors(findings),
                "findings": [f.to_dict() for f in findings],
            }
        )

    async def report(self, call: Call) -> Response:
        """POST /v1/documents/report?format=html|json."""
        form: Any = call.query("format", "json")
        if form not in {"json", "html"}:
            raise HttpProblem(
                422, "unknown format", (Problem(path="format", message="expected json or html"),)
            )
        document = self._document(call)
        text = await asyncio.to_thread(
            render_report, document, format=form, lang=_lang(call), profile=self.profile
        )
        if form == "html":
            return Response(
                text.encode("utf-8"),
                media_type="text/html; charset=utf-8",
                headers={"Content-Security-Policy": _REPORT_CSP},
            )
        return Response(text.encode("utf-8"), media_type="application/json")


def _lang(call: Call) -> Any:
    lang = call.query("lang", "nb")
    if lang not in {"nb", "nn", "en"}:
        raise HttpProblem(
            422, "unknown language", (Problem(path="lang", message="expected nb, nn or en"),)
        )
    return lang
