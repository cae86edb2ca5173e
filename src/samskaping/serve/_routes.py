"""Every endpoint under ``/v1``, declared once: path, roles, body type, answers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from samskaping.serve._auth import Action
from samskaping.serve._dry import DryRuns
from samskaping.serve._http import Operation, Parameter
from samskaping.serve._wire import (
    AllocateCall,
    BatchCall,
    CollectiveCall,
    EvaluateCall,
    PlanCall,
    SimulateCall,
)

if TYPE_CHECKING:
    from samskaping.ledger import Ledger

__all__ = ["kind", "ledger_operations", "library_operations"]


def kind(name: str, **properties: Any) -> dict[str, Any]:
    """The schema of an answer: an object of a ``kind``, with some properties named."""
    return {
        "type": "object",
        "required": ["kind", *properties],
        "properties": {"kind": {"const": name}, **properties},
    }


_STR: Final = {"type": "string"}
_LANG: Final = Parameter(
    name="lang", schema={"enum": ["nb", "nn", "en"]}, description="The language of texts"
)
_DECISION: Final = kind("decision", request_id=_STR, status=_STR, amount=_STR)


def _document_schema() -> dict[str, Any]:
    from samskaping.io import document_schema  # noqa: PLC0415

    return document_schema()


def library_operations(dry: DryRuns) -> list[Operation]:
    """The endpoints that record nothing."""
    return [
        Operation(
            method="GET",
            path="/v1/policies",
            name="list_policies",
            summary="The policies served",
            tag="policies",
            action=Action.READ_POLICIES,
            handler=dry.list_policies,
            responses={200: ("The policies", kind("policies", policies={"type": "array"}))},
        ),
        Operation(
            method="GET",
            path="/v1/policies/{name}",
            name="get_policy",
            summary="A policy as data",
            tag="policies",
            action=Action.READ_POLICIES,
            handler=dry.get_policy,
            responses={200: ("The policy", kind("policy", policy={"type": "object"}))},
        ),
        Operation(
            method="GET",
            path="/v1/policies/{name}/terms",
            name="policy_terms",
            summary="A policy's parameters and approval bands in force on a date",
            tag="policies",
            action=Action.READ_POLICIES,
            handler=dry.terms,
            parameters=(
                Parameter(
                    name="as_of",
                    schema={"type": "string", "format": "date"},
                    description="The date (default: today)",
                ),
            ),
            responses={200: ("The terms", kind("terms", parameters={"type": "array"}))},
        ),
        Operation(
            method="GET",
            path="/v1/policies/{name}/parameters",
            name="policy_parameters",
            summary="Each parameter's value history, with sources",
            tag="policies",
            action=Action.READ_POLICIES,
            handler=dry.parameters,
            responses={200: ("The parameters", kind("parameters", parameters={"type": "array"}))},
        ),
        Operation(
            method="GET",
            path="/v1/schemas/policy",
            name="policy_schema",
            summary="The JSON Schema of a policy file",
            tag="policies",
            action=Action.READ_POLICIES,
            handler=dry.schema,
            responses={200: ("A JSON Schema (draft 2020-12)", {"type": "object"})},
        ),
        Operation(
            method="POST",
            path="/v1/dry-run/evaluate",
            name="dry_run_evaluate",
            summary="Decide one request without recording it; the trace on request",
            tag="dry runs",
            action=Action.DRY_RUN,
            handler=dry.evaluate,
            body=EvaluateCall,
            responses={200: ("The decision (household hidden)", _DECISION)},
        ),
        Operation(
            method="POST",
            path="/v1/dry-run/batch",
            name="dry_run_batch",
            summary="Decide requests one after another without recording them",
            tag="dry runs",
            action=Action.DRY_RUN,
            handler=dry.evaluate_batch,
            body=BatchCall,
            responses={200: ("The decisions", kind("decisions", decisions={"type": "array"}))},
        ),
        Operation(
            method="POST",
            path="/v1/dry-run/allocate",
            name="dry_run_allocate",
            summary="Allocate a batch against the pot in priority order",
            tag="dry runs",
            action=Action.DRY_RUN,
            handler=dry.allocate,
            body=AllocateCall,
            responses={200: ("The allocation", {"type": "object", "required": ["kind"]})},
        ),
        Operation(
            method="POST",
            path="/v1/dry-run/plan",
            name="dry_run_plan",
            summary="The payment plan of an unconditional policy for a cohort",
            tag="dry runs",
            action=Action.DRY_RUN,
            handler=dry.plan,
            body=PlanCall,
            responses={200: ("The plan", {"type": "object", "required": ["kind"]})},
        ),
        Operation(
            method="POST",
            path="/v1/dry-run/collective",
            name="dry_run_collective",
            summary="A collective decision on a group's proposals, not recorded",
            tag="dry runs",
            action=Action.DRY_RUN,
            handler=dry.collective,
            body=CollectiveCall,
            responses={200: ("The decision", {"type": "object", "required": ["kind"]})},
        ),
        Operation(
            method="POST",
            path="/v1/simulations",
            name="simulate",
            summary="Simulate a policy over a posted population (bounded in size)",
            tag="simulation",
            action=Action.SIMULATE,
            handler=dry.simulate,
            body=SimulateCall,
            responses={200: ("The simulation", {"type": "object", "required": ["kind"]})},
        ),
        Operation(
            method="POST",
            path="/v1/simulation-jobs",
            name="submit_simulation",
            summary="Simulate a larger population in the background",
            tag="simulation",
            action=Action.SIMULATE,
            handler=dry.submit_job,
            body=SimulateCall,
            responses={202: ("Accepted; see Location", kind("simulation_job", id=_STR))},
            errors=(503,),
        ),
        Operation(
            method="GET",
            path="/v1/simulation-jobs/{job_id}",
            name="simulation_status",
            summary="A background simulation's status and result (its submitter only)",
            tag="simulation",
            action=Action.SIMULATE,
            handler=dry.job_status,
            responses={200: ("The job", kind("simulation_job", id=_STR, status=_STR))},
        ),
        Operation(
            method="POST",
            path="/v1/documents/validate",
            name="validate_document",
            summary="Validate a posted document: its findings",
            tag="documents",
            action=Action.DOCUMENTS,
            handler=dry.validate,
            body=dict,
            body_schema=_document_schema(),
            parameters=(_LANG,),
            responses={200: ("The findings", kind("findings", findings={"type": "array"}))},
        ),
        Operation(
            method="POST",
            path="/v1/documents/report",
            name="report_document",
            summary="A report on a posted document, as JSON or HTML",
            tag="documents",
            action=Action.DOCUMENTS,
            handler=dry.report,
            body=dict,
            body_schema=_document_schema(),
            parameters=(
                _LANG,
                Parameter(
                    name="format", schema={"enum": ["json", "html"]}, description="json or html"
                ),
            ),
            responses={200: ("The report", {"type": "object"})},
            alternatives={"text/html": {"type": "string"}},
        ),
    ]


def ledger_operations(ledger: Ledger, dry: DryRuns) -> list[Operation]:
    """The endpoints that read or write the ledger."""
    from samskaping.serve._collective import collective_operations  # noqa: PLC0415
    from samskaping.serve._ledger import ledger_endpoints  # noqa: PLC0415

    return [*ledger_endpoints(ledger, dry), *collective_operations(ledger, dry)]
