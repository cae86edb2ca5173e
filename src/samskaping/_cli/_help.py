"""Every sub-command's ``--help``: a description and examples (one place for all)."""

from __future__ import annotations

import argparse
from typing import Final

__all__ = ["EXAMPLES", "complete_help"]

#: Examples for each command, by its words after ``samskaping``.
EXAMPLES: Final[dict[str, tuple[str, ...]]] = {
    "report": (
        "samskaping report --example borgen",
        "samskaping report prosjekt.toml --format html --lang nn -o rapport.html",
        "samskaping report prosjekt.toml --details   # with JSON paths, for developers",
    ),
    "validate": (
        "samskaping validate prosjekt.toml",
        "samskaping validate --example innbyggernes_modell --format json",
    ),
    "examples": ("samskaping examples list", "samskaping examples show borgen --format json"),
    "examples list": ("samskaping examples list",),
    "examples show": ("samskaping examples show innbyggerbasen",),
    "schema": ("samskaping schema > document.schema.json",),
    "import": (
        "samskaping import risks risikoregister.csv",
        "samskaping import deliverables leveranser.xlsx --kind arbeidsmodell -o leveranser.toml",
    ),
    "import deliverables": (
        "samskaping import deliverables prosjektleveranser.csv --kind rapport",
        "samskaping import deliverables leveranser.xlsx --phase gjennomfore -o leveranser.toml",
    ),
    "import risks": (
        "samskaping import risks risikoregister.csv",
        "samskaping import risks usikkerheter.xlsx -o risks.toml",
    ),
    "score": ("samskaping score risk --example innbyggerbasen",),
    "score risk": ("samskaping score risk prosjekt.toml --format json",),
    "score goals": ("samskaping score goals --example innbyggerbasen --as-of 2023-12-31",),
    "score utenfor": ("samskaping score utenfor --example innbyggernes_modell",),
    "score assessment": ("samskaping score assessment --example innbyggernes_modell --lang en",),
    "payout": ("samskaping payout policies", "samskaping payout evaluate --help"),
    "payout evaluate": (
        (
            "samskaping payout evaluate --policy pa_egne_ben --request soknad.toml "
            "--as-of 2022-03-01 --trace"
        ),
    ),
    "payout plan": (
        (
            "samskaping payout plan --policy flyktningfamilien --cohort kull.toml "
            "--start 2022-02-01 --end 2023-01-01"
        ),
    ),
    "payout simulate": (
        "samskaping payout simulate --policy flyktningfamilien --population husstander.csv",
    ),
    "payout policies": ("samskaping payout policies", "samskaping payout policies --schema"),
    "payout sweep": (
        (
            "samskaping payout sweep --policy flyktningfamilien --population husstander.parquet "
            "--grid rutenett.toml --plot kostnad.png"
        ),
        "samskaping payout sweep --policy P --population FILE --grid FILE --reform reform.toml",
    ),
    "ledger": (
        "samskaping ledger init utbetalinger.db --policy pa_egne_ben",
        "samskaping ledger verify utbetalinger.db --head HASH_KEPT_ELSEWHERE",
    ),
    "ledger init": (
        "samskaping ledger init utbetalinger.db --policy pa_egne_ben --actor anne",
        "samskaping ledger init postgresql://ledger@db/utbetalinger --policy min_policy.toml",
    ),
    "ledger decide": (
        "samskaping ledger decide utbetalinger.db --request soknad.toml --actor anne",
    ),
    "ledger collective": (
        "samskaping ledger collective utbetalinger.db --request gruppe.toml --actor gro",
        (
            "samskaping ledger collective utbetalinger.db --pot felles --policy stodig_start"
            " --request gruppe.json --actor gro --format json"
        ),
    ),
    "ledger approve": ("samskaping ledger approve utbetalinger.db r-1 --actor bjorn",),
    "ledger reject": (
        "samskaping ledger reject utbetalinger.db r-1 --actor bjorn --reason 'dobbel søknad'",
    ),
    "ledger reverse": (
        "samskaping ledger reverse utbetalinger.db 12 --actor anne --reason 'feil beløp'",
    ),
    "ledger pot": ("samskaping ledger pot utbetalinger.db --format json",),
    "ledger history": (
        "samskaping ledger history utbetalinger.db",
        "samskaping ledger history utbetalinger.db --household REF --reveal-identifiers",
    ),
    "ledger verify": (
        "samskaping ledger verify utbetalinger.db",
        "samskaping ledger verify utbetalinger.db --head HASH_KEPT_ELSEWHERE",
    ),
    "ledger head": ("samskaping ledger head utbetalinger.db > head.txt",),
    "ledger export": (
        "samskaping ledger export utbetalinger.db --format jsonl -o revisjon.jsonl",
        "samskaping ledger export utbetalinger.db --format parquet -o forskning.parquet",
    ),
    "ledger forget": (
        "samskaping ledger forget utbetalinger.db --household REF --actor personvernombud",
    ),
    "serve": (
        "samskaping serve --new-token kari --role worker > serve.toml",
        "samskaping serve --db ./ledger.db --config serve.toml --setup-builtin",
        "samskaping serve --db postgresql://ledger@db/utbetalinger --workers 4",
    ),
    "init": (
        "samskaping init -o prosjekt.toml",
        "samskaping init --phase-model omradesatsing --lang nn -o prosjekt.toml",
    ),
    "phase-models": (
        "samskaping phase-models list",
        "samskaping phase-models show prosjektveiviseren",
    ),
    "phase-models list": ("samskaping phase-models list --lang en",),
    "phase-models show": ("samskaping phase-models show innbyggernes_modell",),
}


def _subcommands(parser: argparse.ArgumentParser) -> list[tuple[str, str, argparse.ArgumentParser]]:
    found: list[tuple[str, str, argparse.ArgumentParser]] = []
    for action in parser._actions:  # noqa: SLF001  (argparse keeps sub-commands here)
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            helps = {a.dest: a.help or "" for a in action._choices_actions}  # noqa: SLF001
            found.extend((name, helps.get(name, ""), sub) for name, sub in action.choices.items())
    return found


def complete_help(parser: argparse.ArgumentParser, prefix: str = "") -> None:
    """Give each sub-command a description (its help, if it has none) and its examples."""
    for name, help_text, sub in _subcommands(parser):
        words = f"{prefix} {name}".strip()
        if not sub.description and help_text:
            sub.description = help_text[0].upper() + help_text[1:] + "."
        examples = EXAMPLES.get(words, ())
        if examples and not sub.epilog:
            sub.epilog = "examples:\n" + "\n".join(f"  {line}" for line in examples)
            sub.formatter_class = argparse.RawDescriptionHelpFormatter
        complete_help(sub, words)
