"""Reading risk configurations: the built-in one and a municipality's own TOML or JSON."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from samskaping.io import format_of, parse, read_text, structure
from samskaping.scoring._common import load_data_file
from samskaping.scoring.risk._check import check_risk_config
from samskaping.scoring.risk._config import RiskConfig

__all__ = ["load_risk_config", "read_risk_config", "risk_config"]


@cache
def risk_config() -> RiskConfig:
    """The built-in scales, band sets and rules (``data/scales/risk.toml``).

    >>> [scale.name for scale in risk_config().scales]
    ['default_5x5', 'pmbok', 'dsb_2014']
    >>> [rule.name for rule in risk_config().rules]
    ['product_3', 'prosjektportalen_sum', 'pmbok_pi', 'cell_table_5x5']
    """
    return check_risk_config(load_data_file(RiskConfig, "scales", "risk.toml"), source="risk.toml")


def read_risk_config(
    text: str,
    format: Literal["json", "toml"] = "toml",
    *,
    source: str | None = None,
    builtin: bool = True,
) -> RiskConfig:
    """Read scales, band sets and rules from TOML or JSON text, in the built-in file's shape.

    With ``builtin`` the result also holds the built-in entries (the text's entries
    replace built-ins of the same name).

    >>> from samskaping.scoring import risk_matrix
    >>> own = read_risk_config('''
    ... [[rules]]
    ... name = "strict"
    ... title = { nb = "Streng", nn = "Streng", en = "Strict" }
    ... kind = "product"
    ... band_set = "lav_moderat_alvorlig"
    ... thresholds = [
    ...   { band = "lav", below = 3 }, { band = "moderat", below = 6 }, { band = "alvorlig" },
    ... ]
    ... ''')
    >>> risk_matrix(rule="strict", config=own).band_for(2, 3).code
    'alvorlig'

    Raises:
        DocumentError: If the text is malformed or refers to unknown names.
    """
    config: RiskConfig = structure(parse(text, format, source=source), RiskConfig, source=source)
    if builtin:
        config = risk_config().merged(config)
    return check_risk_config(config, source=source)


def load_risk_config(path: str | Path, *, builtin: bool = True) -> RiskConfig:
    """Read a risk config file (``.toml`` or ``.json``); see :func:`read_risk_config`.

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "own.toml"
    >>> lines = ['[[band_sets]]', 'name = "two"', 'title = { nb = "To", nn = "To", en = "Two" }',
    ...          '[[band_sets.bands]]', 'code = "ok"', 'colour = "#00aa00"',
    ...          'label = { nb = "ok", nn = "ok", en = "ok" }',
    ...          '[[band_sets.bands]]', 'code = "ikke_ok"', 'colour = "#aa0000"',
    ...          'label = { nb = "ikke ok", nn = "ikkje ok", en = "not ok" }']
    >>> _ = path.write_text(chr(10).join(lines), encoding="utf-8")
    >>> load_risk_config(path).band_set("two").codes()
    ('ok', 'ikke_ok')

    Raises:
        DocumentError: If the file cannot be read or is malformed.
    """
    file = Path(path)
    format = format_of(file, "toml")
    return read_risk_config(read_text(file), format, source=file.name, builtin=builtin)
