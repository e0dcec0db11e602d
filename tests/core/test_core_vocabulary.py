"""The revision reasons: one table of labels, covering every reason the code writes anywhere."""

from __future__ import annotations

import ast
from pathlib import Path

from beritatui.core import transitions
from beritatui.core.vocabulary import REVISION_REASONS, reason_label

SRC = Path(__file__).resolve().parents[2] / "src" / "beritatui"


def _literals(node: ast.AST) -> set[str]:
    """The strings an expression can be: a constant, or either side of ``a if c else b`` / ``a or b``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _literals(node.body) | _literals(node.orelse)
    if isinstance(node, ast.BoolOp):
        return set().union(*(_literals(value) for value in node.values))
    return set()


def _reasons_written() -> set[str]:
    """Every reason given as ``reason=...``, as ``write_revision``'s third argument, or kept in a ``reason``
    or ``revision_reason`` name or attribute on its way to a save."""
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                if name != "format":  # a message's {reason} is not a revision's
                    found |= {s for k in node.keywords if k.arg == "reason" for s in _literals(k.value)}
                if name == "write_revision" and len(node.args) >= 3:
                    found |= _literals(node.args[2])
            elif isinstance(node, ast.Assign):
                names = {getattr(t, "id", getattr(t, "attr", None)) for t in node.targets}
                if names & {"reason", "revision_reason"}:
                    found |= _literals(node.value)
    found.discard("")  # a message's empty reason (core/site.py), never a revision's
    return found | set(transitions.REVISION_REASONS.values())


def test_every_reason_the_code_writes_has_a_label():
    written = _reasons_written()
    assert {"save", "correction", "import", "conflict-yours", "merge", "autosave-recovered"} <= written  # the scan sees
    assert sorted(written - set(REVISION_REASONS)) == []


def test_a_reason_is_shown_by_its_label_and_an_unknown_one_as_stored():
    assert reason_label("conflict-theirs") == "conflict: theirs"
    assert reason_label("autosave-recovered") == "recovered text"
    assert reason_label("impor-lama") == "impor-lama"
