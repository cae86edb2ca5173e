"""Errors of the payout engine."""

from __future__ import annotations

from collections.abc import Iterable

from samskaping._errors import DocumentError, Problem

__all__ = ["PolicyError"]


class PolicyError(DocumentError):
    """A payout policy (*utbetalingsregelverk*) is malformed or inconsistent.

    Raised when a policy is loaded, never when it is evaluated. Like every
    :class:`~samskaping.DocumentError` it lists every problem with its JSON path;
    each message starts with the rule (or parameter, band, purpose) it concerns,
    e.g. ``$.eligibility[0].expr: rule 'has_children': unknown name ...``.

    Attributes:
        rules: The names of the rules, parameters and other items with problems,
            in the order of the problems, without repeats.
    """

    rules: tuple[str, ...]

    def __init__(
        self,
        problems: Iterable[Problem],
        *,
        source: str | None = None,
        rules: Iterable[str] = (),
    ) -> None:
        self.rules = tuple(dict.fromkeys(rules))
        super().__init__(problems, source=source)

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_policy_error, (self.problems, self.source, self.rules))


def _rebuild_policy_error(
    problems: tuple[Problem, ...], source: str | None, rules: tuple[str, ...]
) -> PolicyError:
    return PolicyError(problems, source=source, rules=rules)
