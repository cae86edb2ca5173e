"""The payout engine's labels: every code has text in nb, nn and en."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

import samskaping.payouts
from samskaping.l10n import LANGS, default_catalogue, enum_label
from samskaping.payouts import (
    ApproverBody,
    AssetOwner,
    CohortKind,
    CollectiveRule,
    DecisionBody,
    DecisionStatus,
    FairnessPrinciple,
    GatekeeperDecision,
    PotStatus,
    ProposalStatus,
    Proration,
    TraceKind,
    ValueType,
    builtin_policy,
    builtin_policy_names,
)

ENUMS = (
    ApproverBody,
    AssetOwner,
    CohortKind,
    CollectiveRule,
    DecisionBody,
    DecisionStatus,
    FairnessPrinciple,
    GatekeeperDecision,
    PotStatus,
    ProposalStatus,
    Proration,
    TraceKind,
    ValueType,
)
#: The engine's source, where the package under test is (a checkout's src/ or an installed wheel).
SOURCE = Path(str(samskaping.payouts.__file__)).parent
LABELS = resources.files("samskaping") / "data" / "labels" / "payouts.toml"


def leaves(table: Any, prefix: str = "") -> Iterator[tuple[str, dict[str, str]]]:
    """Every label key of a TOML table with its texts."""
    for name, value in table.items():
        key = f"{prefix}.{name}" if prefix else name
        if all(isinstance(v, str) for v in value.values()):
            yield key, value
        else:
            yield from leaves(value, key)


ALL = dict(leaves(tomllib.loads(LABELS.read_text(encoding="utf-8"))))


def codes(pattern: str) -> set[str]:
    """Codes written in the engine's source that match ``pattern``."""
    found: set[str] = set()
    for path in SOURCE.glob("*.py"):
        found.update(re.findall(pattern, path.read_text(encoding="utf-8")))
    return found


@pytest.mark.parametrize("member", [m for e in ENUMS for m in e], ids=str)
@pytest.mark.parametrize("lang", LANGS)
def test_every_enum_value(member: Any, lang: Any) -> None:
    """Every value of every payout enum has a label in every language."""
    assert enum_label(member, lang)


@pytest.mark.parametrize("key", sorted(ALL))
def test_every_key_in_three_languages(key: str) -> None:
    """Every key of payouts.toml has nb, nn and en, with the same placeholders."""
    texts = ALL[key]
    assert set(LANGS) == set(texts)
    fields = {lang: set(re.findall(r"{(\w+)}", texts[lang])) for lang in LANGS}
    assert fields["nb"] == fields["nn"] == fields["en"]


def test_reason_codes_have_texts() -> None:
    """Every reason code the engine writes has a text."""
    written = codes(r'Reason\(\s*code="(\w+)"')
    written |= {f"pot_{s.value}" for s in PotStatus if s is not PotStatus.OPEN}
    written |= {f"collective_{r.value}" for r in CollectiveRule}
    missing = sorted(c for c in written if f"payouts.reason.{c}" not in default_catalogue().texts)
    assert [] == missing


def test_flag_codes_have_texts() -> None:
    """Every flag code the engine writes has a text."""
    written = codes(r'Flag\(\s*code="(\w+)"')
    missing = sorted(c for c in written if f"payouts.flag.{c}" not in default_catalogue().texts)
    assert [] == missing


@pytest.mark.parametrize("name", builtin_policy_names())
def test_builtin_purposes_and_schemes_labelled(name: str) -> None:
    """Every purpose and referral scheme of a built-in policy has a label."""
    policy = builtin_policy(name)
    texts = default_catalogue().texts
    keys = [f"payouts.purpose.{p.code}" for p in policy.purposes if p.label is None]
    keys += [f"payouts.scheme.{r.scheme}" for r in policy.referrals]
    keys += [f"payouts.category.{p.category}" for p in policy.purposes if p.category]
    assert [] == [k for k in keys if k not in texts]


BOKMAL_ONLY = re.compile(
    r"\b(ikke|allerede|bare|hvem|hva|gir|noen|sier|avgjør|mye|jeg)\b", re.IGNORECASE
)


def test_nynorsk_has_no_bokmal_words() -> None:
    """The Nynorsk texts use Nynorsk forms (ikkje, allereie, berre ...), not Bokmål ones."""
    found = sorted(k for k, t in ALL.items() if BOKMAL_ONLY.search(t["nn"]))
    assert [] == found


def test_exclusion_reasons_have_texts() -> None:
    """Every reason a payment plan gives for excluding a household has a text."""
    written = codes(r'Excluded\(household_ref=member\.ref, reason="(\w+)"\)')
    assert {"cohort_fixed", "nothing_to_pay"} == written
    assert [] == [c for c in written if f"payouts.exclusion.{c}" not in default_catalogue().texts]
