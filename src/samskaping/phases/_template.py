"""A commented TOML project template that follows a phase model, to start a document from."""

from __future__ import annotations

from samskaping.l10n import DEFAULT_LANG, Lang, check_lang
from samskaping.phases._load import builtin
from samskaping.phases._model import PhaseModel

__all__ = ["describe_phase_model", "project_template"]

#: The template's comments, in each language.
_TEXT: dict[str, dict[Lang, str]] = {
    "head": {
        "nb": "Et prosjektdokument for samskaping. Fyll inn det du vet; la resten stå tomt.\n"
        "# Hver verdi kan ha `source` (hvor den kommer fra) og `note` (hva kilden ikke sier).\n"
        "# Feltene står i docs/documents.md. Kontroller dokumentet: samskaping validate FIL",
        "nn": "Eit prosjektdokument for samskaping. Fyll inn det du veit; la resten stå tomt.\n"
        "# Kvar verdi kan ha `source` (kvar han kjem frå) og `note` (kva kjelda ikkje seier).\n"
        "# Felta står i docs/documents.md. Kontroller dokumentet: samskaping validate FIL",
        "en": "A co-creation project document. Fill in what you know; leave the rest out.\n"
        "# Any value can carry `source` (where it comes from) and `note` (what the source\n"
        "# leaves open). The fields are in docs/documents.md. Check it: samskaping validate FILE",
    },
    "status": {
        "nb": "active, completed, ended (før tiden) eller unknown (ikke oppgitt)",
        "nn": "active, completed, ended (før tida) eller unknown (ikkje oppgitt)",
        "en": "active, completed, ended (early) or unknown (not stated)",
    },
    "period": {
        "nb": "Prosjektperioden (ÅÅÅÅ-MM-DD); slutt kan utelates mens prosjektet pågår.",
        "nn": "Prosjektperioden (ÅÅÅÅ-MM-DD); slutt kan utelatast medan prosjektet går.",
        "en": "The project period (YYYY-MM-DD); leave out the end while it runs.",
    },
    "actors": {
        "nb": "Aktørene: minst prosjekteier og prosjektleder. roles: se docs/documents.md.",
        "nn": "Aktørane: minst prosjekteigar og prosjektleiar. roles: sjå docs/documents.md.",
        "en": "The actors: at least the project owner and manager. roles: see docs/documents.md.",
    },
    "phases": {
        "nb": "Fasene i {model}, i rekkefølge. Legg til start og end når de er kjent.",
        "nn": "Fasane i {model}, i rekkjefølgje. Legg til start og end når dei er kjende.",
        "en": "The phases of {model}, in order. Add start and end when they are known.",
    },
    "gate": {
        "nb": "Beslutningspunktet {gate} ({name}) avslutter fasen; dokumenter: {documents}.",
        "nn": "Avgjerdspunktet {gate} ({name}) avsluttar fasen; dokument: {documents}.",
        "en": "Gate {gate} ({name}) closes this phase; documents: {documents}.",
    },
    "partners": {
        "nb": "Innbyggernes modell krever minst tre samskapingsaktører (rollen partner).",
        "nn": "Innbyggjarane sin modell krev minst tre samskapingsaktørar (rolla partner).",
        "en": "The Citizens' Model requires at least three co-creation partners.",
    },
    "optional": {
        "nb": "Valgfri fase.",
        "nn": "Valfri fase.",
        "en": "An optional phase.",
    },
}


def _c(key: str, lang: Lang, **params: str) -> str:
    return _TEXT[key][lang].format(**params)


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def project_template(
    phase_model: str | PhaseModel = "prosjektveiviseren", *, lang: Lang = DEFAULT_LANG
) -> str:
    """A commented TOML project document that follows ``phase_model`` and validates.

    Each phase of the model is listed with its key, and each gate with the documents it
    asks for, as comments, so the keys to write need no Python call to discover.

    >>> from samskaping.io import loads
    >>> loads(project_template("omradesatsing", lang="en"), format="toml").phase_model
    'omradesatsing'

    Raises:
        PhaseModelError: If ``phase_model`` names no built-in model.
    """
    lang = check_lang(lang)
    model = builtin(phase_model) if isinstance(phase_model, str) else phase_model
    gates = {g.closes: g for g in model.gates}
    documents = {d.key: d.name.get(lang) for d in model.documents}
    lines = [
        f"# {_c('head', lang)}",
        "",
        'id = "mitt_prosjekt"',
        f"name = {_q(model.name.get(lang) + ' – ' + ('project' if lang == 'en' else 'prosjekt'))}",
        'owner_org = "Kommune"',
        f"phase_model = {_q(model.key)}",
        f"# status: {_c('status', lang)}",
        'status = "active"',
        "",
        f"# {_c('period', lang)}",
        "[period]",
        "start = 2025-01-01",
        "",
        f"# {_c('actors', lang)}",
        "[[actors]]",
        'id = "eier"',
        'name = "Prosjekteier"',
        'kind = "person"',
        'sector = "municipal"',
        'roles = ["project_owner", "benefit_responsible"]',
        "",
        "[[actors]]",
        'id = "leder"',
        'name = "Prosjektleder"',
        'kind = "person"',
        'sector = "municipal"',
        'roles = ["project_manager"]',
        "",
    ]
    if model.key == "innbyggernes_modell":  # its rule set asks for three partners
        lines.append(f"# {_c('partners', lang)}")
        for number in (1, 2, 3):
            lines.extend(
                (
                    "[[actors]]",
                    f'id = "partner_{number}"',
                    f'name = "Samarbeidspartner {number}"',
                    'sector = "voluntary"',
                    'roles = ["partner"]',
                    "",
                )
            )
    lines.append(f"# {_c('phases', lang, model=model.name.get(lang))}")
    for index, phase in enumerate(model.phases):
        # Only the first phase is written out: a listed phase counts as started, and a
        # started phase needs the gate before it decided. The others wait as comments.
        hold = "" if index == 0 else "# "
        optional = f" {_c('optional', lang)}" if phase.optional else ""
        lines.extend(("", f"# {phase.name.get(lang)}{optional}"))
        lines.extend((f"{hold}[[phases]]", f"{hold}key = {_q(phase.key)}"))
        gate = gates.get(phase.key)
        if gate is not None:
            names = ", ".join(f"{d} ({documents.get(d, d)})" for d in gate.documents) or "–"
            text = _c("gate", lang, gate=gate.key, name=gate.name.get(lang), documents=names)
            listed = ", ".join(_q(d) for d in gate.documents)
            lines.extend(
                (
                    f"# {text}",
                    "# [phases.gate_decision]",
                    f"# gate = {_q(gate.key)}",
                    '# outcome = "go"',
                    f"# documents = [{listed}]",
                )
            )
    return "\n".join(lines) + "\n"


def describe_phase_model(model: PhaseModel, lang: Lang = DEFAULT_LANG) -> str:
    """A phase model as text: its phase keys, gates and the documents each gate asks for."""
    lang = check_lang(lang)
    documents = {d.key: d.name.get(lang) for d in model.documents}
    gates = {g.closes: g for g in model.gates}
    lines = [f"{model.name.get(lang)} ({model.key})"]
    if model.description is not None:
        lines.append(model.description.get(lang))
    lines.append("")
    for phase in model.phases:
        lines.append(f"  {phase.key:<24} {phase.name.get(lang)}")
        gate = gates.get(phase.key)
        if gate is not None:
            lines.append(f"    {gate.key:<22} {gate.name.get(lang)}")
            lines.extend(f"      {d:<20} {documents.get(d, d)}" for d in gate.documents)
    return "\n".join(lines)
