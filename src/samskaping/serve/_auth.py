"""Who is calling, and what each role may do: the permission matrix.

Two ways in, as configured:

* ``token``: ``Authorization: Bearer <token>``. Only the SHA-256 digest of each token
  is kept (tokens are 32 random bytes, so a fast digest is enough: nothing to guess).
* ``proxy``: a reverse proxy that has logged the user in (OIDC with ID-porten or
  Entra ID) passes the user and their groups in headers. Only requests from the
  configured proxy addresses are believed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final

import attrs

__all__ = [
    "PERMISSIONS",
    "Action",
    "Principal",
    "Role",
    "hash_token",
    "new_token",
]


class Role(StrEnum):
    """The roles a caller can hold."""

    WORKER = "worker"  #: proposes decisions (*veileder*)
    APPROVER = "approver"  #: approves or rejects decisions
    GROUP_MEMBER = "group_member"  #: records group (collective) decisions
    AUDITOR = "auditor"  #: reads and verifies, never writes
    RESEARCHER = "researcher"  #: dry runs and pseudonymised exports only
    ADMIN = "admin"  #: registers policies and pots


class Action(StrEnum):
    """What an endpoint does, for the permission matrix."""

    READ_POLICIES = "read_policies"
    DRY_RUN = "dry_run"
    SIMULATE = "simulate"
    DOCUMENTS = "documents"
    PROPOSE = "propose"
    RECORD_COLLECTIVE = "record_collective"
    READ_DECISION = "read_decision"
    APPROVE = "approve"
    REVERSE = "reverse"
    HOUSEHOLD_HISTORY = "household_history"
    ACCESS_EXPORT = "access_export"
    READ_LEDGER = "read_ledger"
    VERIFY = "verify"
    EXPORT = "export"
    ADMINISTER = "administer"


_ALL: Final = frozenset(Role)
_W, _A, _G, _U, _R, _D = (
    Role.WORKER,
    Role.APPROVER,
    Role.GROUP_MEMBER,
    Role.AUDITOR,
    Role.RESEARCHER,
    Role.ADMIN,
)

#: The permission matrix: which roles may take each action (docs/deployment.md).
PERMISSIONS: Final[Mapping[Action, frozenset[Role]]] = MappingProxyType(
    {
        Action.READ_POLICIES: _ALL,
        Action.DRY_RUN: _ALL,
        Action.SIMULATE: frozenset({_W, _A, _U, _R, _D}),
        Action.DOCUMENTS: frozenset({_W, _A, _G, _U, _D}),
        Action.PROPOSE: frozenset({_W}),
        Action.RECORD_COLLECTIVE: frozenset({_G}),
        Action.READ_DECISION: frozenset({_W, _A, _G, _U}),
        Action.APPROVE: frozenset({_A}),
        Action.REVERSE: frozenset({_A}),
        Action.HOUSEHOLD_HISTORY: frozenset({_W, _A}),
        Action.ACCESS_EXPORT: frozenset({_W, _A}),
        Action.READ_LEDGER: frozenset({_W, _A, _G, _U, _D}),
        Action.VERIFY: frozenset({_U, _D}),
        Action.EXPORT: frozenset({_U, _R}),
        Action.ADMINISTER: frozenset({_D}),
    }
)

#: Roles that may see household references and personal inputs in answers.
SEES_PERSONAL_DATA: Final = frozenset({_W, _A})


@attrs.frozen(kw_only=True)
class Principal:
    """An authenticated caller: who (``actor``, as recorded in the ledger) and their roles."""

    actor: str
    roles: frozenset[Role]

    def may(self, action: Action) -> bool:
        """Whether one of the caller's roles allows ``action``."""
        return bool(self.roles & PERMISSIONS[action])

    @property
    def sees_personal_data(self) -> bool:
        """Whether answers to this caller may show household references."""
        return bool(self.roles & SEES_PERSONAL_DATA)


def hash_token(token: str) -> str:
    """The SHA-256 hex digest kept in the configuration instead of the token itself."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> tuple[str, str]:
    """A new random bearer token and its digest: give the token, keep the digest."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def digest_matches(token: str, digest: str) -> bool:
    """Whether ``token`` has ``digest``, compared in constant time."""
    return hmac.compare_digest(hash_token(token), digest)
