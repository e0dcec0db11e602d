"""Three-way merge of an article's content: what you changed and what they changed since the same base.

A field only one side changed takes that side; a field both changed, differently, is a conflict (yours
is kept in the result, theirs is in the history).  The body merges line by line (``merge3``): blocks
both changed become ``<<<<<<< yours`` … ``=======`` … ``>>>>>>> theirs``, which the core refuses to
publish until a person resolves them (:func:`beritatui.core.markers.conflict_marker_problem`).

The TUI's conflict screen and ``beritatui edit`` both merge here, so a save that meets a newer version
merges the same way wherever it was typed.  Plain data work: it may run in a worker, and is tested
directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from merge3 import Merge3

from beritatui.core.content import FIELDS, Content
from beritatui.core.revisions import as_text, unified_diff
from beritatui.i18n import _

MERGED_FIELDS = tuple(name for name in FIELDS if name != "body")  # merged whole; the body line by line


@dataclass
class MergeResult:
    """The merged fields (a content payload), whether they merged cleanly, and which fields both sides changed."""

    fields: dict[str, Any]
    clean: bool
    conflicted: list[str] = field(default_factory=list)

    @property
    def content(self) -> Content:
        return Content.from_payload(self.fields)


def _plain(data: Content | Mapping[str, Any]) -> Mapping[str, Any]:
    return data.as_payload() if isinstance(data, Content) else data


def _norm(name: str, value: Any) -> Any:
    """Compare lists of bylines as lists of lists, whatever the source used."""
    if name == "bylines" and value is not None:
        return [list(b) for b in value]
    if name == "tags" and value is not None:
        return list(value)
    return value


def merge_body(base: str, yours: str, theirs: str) -> tuple[str, bool]:
    """Three-way merge of the body; conflicts carry ``<<<<<<< yours`` … ``>>>>>>> theirs`` markers."""
    if yours == theirs:
        return yours, True
    merger = Merge3(base.splitlines(True), yours.splitlines(True), theirs.splitlines(True))
    clean = not any(region[0] == "conflict" for region in merger.merge_regions())
    lines = list(merger.merge_lines(name_a="yours", name_b="theirs"))
    text = "".join(lines)
    return text, clean


def merge_fields(base: Content | Mapping[str, Any], yours: Content | Mapping[str, Any],
                 theirs: Content | Mapping[str, Any], *, untouched: Iterable[str] = ()) -> MergeResult:
    """Take the one side that changed a field; both changing it differently is a conflict (yours kept).

    A field in ``untouched`` (or that ``yours`` leaves out, or holds as ``None``) is one you did not
    touch: theirs wins.
    """
    base, theirs = _plain(base), _plain(theirs)
    yours = {**_plain(yours), **dict.fromkeys(untouched)}
    merged: dict[str, Any] = {}
    conflicted: list[str] = []
    for name in MERGED_FIELDS:
        b, y, t = _norm(name, base.get(name)), _norm(name, yours.get(name)), _norm(name, theirs.get(name))
        if y is None or y == b or y == t:
            merged[name] = t
        elif t == b:
            merged[name] = y
        else:
            merged[name] = y
            conflicted.append(name)
    body, body_clean = merge_body(base.get("body") or "", yours.get("body") or "", theirs.get("body") or "")
    merged["body"] = body
    if not body_clean:
        conflicted.append("body")
    return MergeResult(merged, not conflicted, conflicted)


def describe_merge(result: MergeResult, theirs: Content | Mapping[str, Any],
                   yours: Content | Mapping[str, Any]) -> list[str]:
    """The diff a person reads: the merged result against theirs, or theirs against yours on overlap."""
    theirs_text = as_text(Content.from_payload(_plain(theirs)))
    if result.clean:
        return unified_diff(theirs_text, as_text(result.content), _("theirs"), _("merged"))
    yours_body = _plain(yours).get("body") or ""
    return unified_diff(theirs_text, as_text(result.content.replace(body=yours_body)), _("theirs"), _("yours"))
