"""Errors of the payout engine."""

from __future__ import annotations

from collections.abc import Iterable

from samskaping._errors import DocumentError, InvalidInputError, Problem, describe

__all__ = ["PolicyError", "PopulationError", "UnreadColumnsWarning"]


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


class PopulationError(InvalidInputError):
    """A population (*populasjon*) for a simulation has a cell or a column it cannot use.

    The message names the row and the column, never the cell's value (a population
    is personal data), e.g. ``population row 3, column 'request.amount': expected an
    amount of at least 0 kr``.

    Attributes:
        column: The column, as the input it stands for (``household.children``), or as
            given if the policy does not read it.
        row: The row, counted from 1 without the header; ``None`` for a whole column.
        suggestion: For a column the policy does not read, the input it may have meant.
    """

    def __init__(
        self,
        message: str,
        *,
        column: str,
        row: int | None = None,
        suggestion: str | None = None,
    ) -> None:
        self.column = column
        self.row = row
        self.suggestion = suggestion
        name = describe(column)
        where = f"population row {row}, column {name}" if row else f"population column {name}"
        super().__init__(f"{where}: {message}", what=column)

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_population_error, (self.args[0], self.column, self.row, self.suggestion))


def _rebuild_population_error(
    text: str, column: str, row: int | None, suggestion: str | None
) -> PopulationError:
    error = PopulationError("", column=column, row=row, suggestion=suggestion)
    error.args = (text,)
    return error


class UnreadColumnsWarning(UserWarning):
    """A population has columns the policy does not read, and ``strict=False`` let them through."""
