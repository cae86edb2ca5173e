"""Split tuple-packed asserts in test files into one assert per fact.

``assert (2, True) == (code, "x" in err)`` becomes ``assert 2 == code`` and
``assert "x" in err``: a ``True`` element asserts the other side, a ``False`` one its
negation, ``None`` becomes ``is None``, anything else ``==`` in the same order. The
source text of each element is kept (numbers such as ``262_000`` stay as written); an
assert with a comment inside, or a ``!=`` between tuples, is left alone and listed.
Run ``ruff format`` on the files afterwards.

    python scripts/split_packed_asserts.py tests/test_*.py
"""

from __future__ import annotations

import ast
import io
import sys
import tokenize
from pathlib import Path

_NEGATED = {
    ast.In: "not in",
    ast.NotIn: "in",
    ast.Is: "is not",
    ast.IsNot: "is",
    ast.Eq: "!=",
    ast.NotEq: "==",
    ast.Lt: ">=",
    ast.LtE: ">",
    ast.Gt: "<=",
    ast.GtE: "<",
}
_LOOSE = (ast.BoolOp, ast.Compare, ast.IfExp, ast.NamedExpr, ast.Lambda)


def _elements(node: ast.expr) -> list[ast.expr] | None:
    """The items of a tuple literal of two or more (or of ``(x,) * n``), else None."""
    if (
        isinstance(node, ast.Tuple)
        and len(node.elts) > 1
        and not any(isinstance(e, ast.Starred) for e in node.elts)
    ):
        return list(node.elts)
    if (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Mult)
        and isinstance(node.left, ast.Tuple)
        and len(node.left.elts) == 1
        and isinstance(node.right, ast.Constant)
        and isinstance(node.right.value, int)
    ):
        return list(node.left.elts) * node.right.value
    return None


def _text(source: str, node: ast.expr) -> str:
    text = ast.get_source_segment(source, node) or ast.unparse(node)
    if "\n" in text and not (text[0] in "([{" or text.endswith((")", "]", "}"))):
        text = f"({text})"
    return text


def _operand(source: str, node: ast.expr) -> str:
    text = _text(source, node)
    loose = isinstance(node, _LOOSE) or (
        isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)
    )
    return f"({text})" if loose and not text.startswith("(") else text


def _negated(source: str, node: ast.expr) -> str:
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _NEGATED:
        operator = _NEGATED[type(node.ops[0])]
        return f"{_text(source, node.left)} {operator} {_text(source, node.comparators[0])}"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return _text(source, node.operand)
    return f"not {_operand(source, node)}"


def _is(node: ast.expr, value: object) -> bool:
    return isinstance(node, ast.Constant) and node.value is value


def _fact(source: str, left: ast.expr, right: ast.expr) -> str:
    """One fact from a pair of elements, in the order written."""
    for constant, other in ((left, right), (right, left)):
        if _is(constant, True):  # noqa: FBT003  (the literal looked for)
            return _text(source, other)
        if _is(constant, False):  # noqa: FBT003
            return _negated(source, other)
        if _is(constant, None):
            return f"{_operand(source, other)} is None"
    return f"{_operand(source, left)} == {_operand(source, right)}"


def _has_comment(lines: list[str], first: int, last: int) -> bool:
    text = "".join(lines[first - 1 : last])
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except tokenize.TokenError:
        return True
    return any(t.type == tokenize.COMMENT for t in tokens)


def split_file(path: Path) -> tuple[int, list[int]]:
    """Rewrite ``path``; return how many asserts were split and the lines left alone."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    edits: list[tuple[int, int, str]] = []
    skipped: list[int] = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Assert) and isinstance(node.test, ast.Compare)):
            continue
        if len(node.test.ops) != 1:
            continue
        left, right = _elements(node.test.left), _elements(node.test.comparators[0])
        if left is None or right is None:
            continue
        last = node.end_lineno or node.lineno
        alone = (
            not lines[node.lineno - 1][: node.col_offset].strip()
            and not lines[last - 1][node.end_col_offset or 0 :].strip()
        )
        if (
            not isinstance(node.test.ops[0], ast.Eq)
            or len(left) != len(right)
            or not alone
            or _has_comment(lines, node.lineno, last)
        ):
            skipped.append(node.lineno)
            continue
        indent = " " * node.col_offset
        message = f", {_text(source, node.msg)}" if node.msg else ""
        facts = (_fact(source, a, b) for a, b in zip(left, right, strict=True))
        edits.append((node.lineno, last, "".join(f"{indent}assert {f}{message}\n" for f in facts)))
    for first, last, text in sorted(edits, reverse=True):
        lines[first - 1 : last] = [text]
    if edits:
        path.write_text("".join(lines), encoding="utf-8")
    return len(edits), sorted(skipped)


def main(argv: list[str]) -> int:
    """Split the asserts of each file named; print what was done and what was left."""
    total = 0
    for name in argv:
        count, skipped = split_file(Path(name))
        total += count
        if count or skipped:
            print(
                f"{name}: {count} split" + (f"; left alone at lines {skipped}" if skipped else "")
            )
    print(f"{total} asserts split")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
