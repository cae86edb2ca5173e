"""The payout rule engine (*utbetalinger*): policies as data, decisions, plans and simulations.

Three payout types from Innbyggernes modell (002 table 2): conditional (*betinget*),
unconditional (*ubetinget*) and collective (*kollektiv*). A policy is data (TOML or
JSON) with effective-dated parameters and rules in a small typed expression language,
checked when it is loaded. Decisions are pure functions of the policy, the request,
the pot and the date, and carry their reasons, flags, approvers and a documentation
record (002:1630-1632).

>>> from samskaping.payouts import load_policy
>>> load_policy("flyktningfamilien").payment_type
<PaymentType.UNCONDITIONAL: 'unconditional'>
"""

from samskaping.payouts._compiled import check_policy
from samskaping.payouts._decision import (
    Approvers,
    Decision,
    DecisionStatus,
    DocumentationRecord,
    Flag,
    Reason,
    Trace,
    TraceKind,
    TraceStep,
)
from samskaping.payouts._engine import evaluate, evaluate_many
from samskaping.payouts._errors import PolicyError
from samskaping.payouts._expr_ast import ValueType
from samskaping.payouts._load import (
    builtin_policy,
    builtin_policy_names,
    dumps_policy,
    load_policy,
    loads_policy,
    policy_from_data,
    policy_schema,
)
from samskaping.payouts._policy import (
    ApprovalBand,
    ApproverBody,
    AssetOwner,
    BandSchedule,
    Cap,
    CohortKind,
    CollectiveRule,
    CollectiveTerms,
    DecisionBody,
    Derived,
    FlagRule,
    Gatekeeper,
    InputDecl,
    Label,
    Parameter,
    ParameterValue,
    Policy,
    Proration,
    Purpose,
    Referral,
    Rule,
    UnconditionalTerms,
)
from samskaping.payouts._pots import PotStatus, PotUpdate, commit, disburse, pot_status, release
from samskaping.payouts._render import flag_text, reason_text, render_decision, render_trace
from samskaping.payouts._request import STANDARD_INPUTS, Household, Request

__all__ = [
    "STANDARD_INPUTS",
    "ApprovalBand",
    "ApproverBody",
    "Approvers",
    "AssetOwner",
    "BandSchedule",
    "Cap",
    "CohortKind",
    "CollectiveRule",
    "CollectiveTerms",
    "Decision",
    "DecisionBody",
    "DecisionStatus",
    "Derived",
    "DocumentationRecord",
    "Flag",
    "FlagRule",
    "Gatekeeper",
    "Household",
    "InputDecl",
    "Label",
    "Parameter",
    "ParameterValue",
    "Policy",
    "PolicyError",
    "PotStatus",
    "PotUpdate",
    "Proration",
    "Purpose",
    "Reason",
    "Referral",
    "Request",
    "Rule",
    "Trace",
    "TraceKind",
    "TraceStep",
    "UnconditionalTerms",
    "ValueType",
    "builtin_policy",
    "builtin_policy_names",
    "check_policy",
    "commit",
    "disburse",
    "dumps_policy",
    "evaluate",
    "evaluate_many",
    "flag_text",
    "load_policy",
    "loads_policy",
    "policy_from_data",
    "policy_schema",
    "pot_status",
    "reason_text",
    "release",
    "render_decision",
    "render_trace",
]
