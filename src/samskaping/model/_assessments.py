"""Assessments recorded with a project: inputs for the scoring functions.

The scoring functions in :mod:`samskaping.scoring` read these values; the values
themselves belong to the document, so they live in the model.
"""

from __future__ import annotations

import attrs

__all__ = ["Assessments"]


@attrs.frozen(kw_only=True)
class Assessments:
    """Assessments recorded for a project or programme (all optional)."""
