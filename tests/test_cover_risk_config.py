"""A municipality's own risk rules: each mistake in one is named at its path."""

from __future__ import annotations

import pytest

from samskaping import DocumentError, scoring

_TITLE = 'title = { nb = "Egen", nn = "Eigen", en = "Own" }'


def _problems(rule: str) -> list[str]:
    """The problems of a risk configuration holding one rule named ``own``."""
    with pytest.raises(DocumentError) as info:
        scoring.read_risk_config(f'[[rules]]\nname = "own"\n{_TITLE}\n{rule}\n')
    return [f"{p.path}: {p.message}" for p in info.value.problems]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (
            'kind = "product"\nband_set = "nowhere"\nthresholds = [{ band = "lav" }]',
            "unknown band set 'nowhere'",
        ),
        (
            'kind = "product"\nband_set = "lav_moderat_alvorlig"\nthresholds = []',
            "expected at least one threshold",
        ),
        (
            (
                'kind = "product"\nband_set = "lav_moderat_alvorlig"\n'
                'thresholds = [{ band = "lav" }, { band = "alvorlig", below = 5 }]'
            ),
            "the last threshold, and only the last, has no bound",
        ),
        (
            (
                'kind = "product"\nband_set = "lav_moderat_alvorlig"\n'
                'thresholds = [{ band = "lav", below = 6 }, { band = "moderat", below = 3 },'
                ' { band = "alvorlig" }]'
            ),
            "expected bounds that rise",
        ),
        (
            (
                'kind = "product"\nband_set = "lav_moderat_alvorlig"\n'
                'thresholds = [{ band = "alvorlig", below = 3 }, { band = "lav" }]'
            ),
            "expected bands from lowest to highest",
        ),
        (
            'kind = "cells"\nband_set = "lav_moderat_alvorlig"\ncells = []',
            "cells",
        ),
    ],
    ids=["band_set", "no_threshold", "open_bound", "falling", "order", "no_cells"],
)
def test_a_wrong_rule_is_refused(rule, expected):
    """The configuration is refused, and the problem says what is wrong with the rule."""
    assert any(expected in problem for problem in _problems(rule))


def test_a_right_rule_is_read():
    """A product rule with rising bounds is read and bands a score."""
    own = scoring.read_risk_config(
        f'[[rules]]\nname = "own"\n{_TITLE}\nkind = "product"\n'
        'band_set = "lav_moderat_alvorlig"\n'
        'thresholds = [{ band = "lav", below = 3 }, { band = "moderat", below = 6 },'
        ' { band = "alvorlig" }]\n'
    )
    assert "alvorlig" == scoring.risk_matrix(rule="own", config=own).band_for(2, 3).code
