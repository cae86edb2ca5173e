"""Phase models as data (DOMAIN §3): phases, the gates between them, documents, checklists."""

from __future__ import annotations

import attrs

from samskaping.l10n import LocalText
from samskaping.model import Role, identifier

__all__ = ["ChecklistItem", "DocumentKind", "GateSpec", "PhaseModel", "PhaseSpec"]


@attrs.frozen(kw_only=True)
class PhaseSpec:
    """A phase of a phase model (*fase*).

    ``repeatable`` phases may run more than once in a row (prosjektveiviseren's
    Gjennomføre); ``optional`` phases may be skipped.
    """

    key: str = attrs.field(validator=identifier)
    name: LocalText
    description: LocalText | None = None
    repeatable: bool = False
    optional: bool = False
    expectations: tuple[LocalText, ...] = ()
    source: str | None = None


@attrs.frozen(kw_only=True)
class DocumentKind:
    """A kind of document a gate needs, e.g. the *styringsdokument*."""

    key: str = attrs.field(validator=identifier)
    name: LocalText
    source: str | None = None


@attrs.frozen(kw_only=True)
class ChecklistItem:
    """A yes-or-no question on a gate's checklist."""

    key: str = attrs.field(validator=identifier)
    question: LocalText


@attrs.frozen(kw_only=True)
class GateSpec:
    """A decision gate (*beslutningspunkt*) that closes a phase.

    ``closes`` is the phase it ends; the next phase of the model may start only after
    a decision of ``go`` or ``go_with_changes``. ``decided_by`` is the role that must
    take the decision and ``documents`` the document kinds it must be shown.
    ``requires_roles`` are roles that must have been appointed by this gate (BP2
    needs a *gevinstansvarlig*).
    """

    key: str = attrs.field(validator=identifier)
    name: LocalText
    closes: str = attrs.field(validator=identifier)
    decided_by: Role
    documents: tuple[str, ...] = ()
    requires_roles: tuple[Role, ...] = ()
    checklist: tuple[ChecklistItem, ...] = ()
    source: str | None = None


@attrs.frozen(kw_only=True)
class PhaseModel:
    """A phase model (*fasemodell*): ordered phases, gates, documents and checklists."""

    key: str = attrs.field(validator=identifier)
    name: LocalText
    description: LocalText | None = None
    source: str | None = None
    phases: tuple[PhaseSpec, ...]
    gates: tuple[GateSpec, ...] = ()
    documents: tuple[DocumentKind, ...] = ()

    def phase_index(self, key: str) -> int | None:
        """The position of the phase ``key`` in the model, or ``None``."""
        for index, phase in enumerate(self.phases):
            if phase.key == key:
                return index
        return None

    def gate_closing(self, phase_key: str) -> GateSpec | None:
        """The gate that closes the phase ``phase_key``, if the model has one."""
        for gate in self.gates:
            if gate.closes == phase_key:
                return gate
        return None

    def document(self, key: str) -> DocumentKind | None:
        """The document kind ``key``, if the model defines it."""
        for document in self.documents:
            if document.key == key:
                return document
        return None
