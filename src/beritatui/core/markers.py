"""Unresolved merge markers: where a three-way merge left both texts, and why they may not go public.

A merge that overlaps (:mod:`beritatui.core.merge`) writes its conflict blocks into the text; a
person resolves them.  The rule that finds them lives here so the save, the transitions and the
editor all refuse the same thing.
"""

from __future__ import annotations

import re

from beritatui.i18n import _

#
# A three-way merge that overlaps writes blocks like
#
#     <<<<<<< yours
#     our paragraph
#     =======
#     their paragraph
#     >>>>>>> theirs
#
# into the body.  Such a block is *unresolved* when, outside fenced code, a line that starts with seven
# ``<`` (then a space or the end of the line) is followed by a line of exactly seven ``=`` (trailing
# blanks allowed) and then by a line that starts with seven ``>`` (then a space or the end of the line).
# Each piece alone is ordinary Markdown: ``=======`` under a line is a setext heading, ``>>>>>>>`` a
# deeply nested quote; a fenced code block may show a conflict on purpose.  A one-line title is refused
# when it is itself a marker line (the editor keeps the title whole, so only a paste puts one there).

_MARK_OPEN = re.compile(r"<{7}(?: |$)")
_MARK_SPLIT = re.compile(r"={7}[ \t]*$")
_MARK_CLOSE = re.compile(r">{7}(?: |$)")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def conflict_block_line(text: str) -> int | None:
    """The 1-based line where the first unresolved merge block of ``text`` starts, or ``None``."""
    if "<<<<<<<" not in text:
        return None
    fence: str | None = None  # the fence that opened the code block we are in
    opened: int | None = None
    split = False
    for number, line in enumerate(text.splitlines(), 1):
        found = _FENCE.match(line)
        if fence is not None:
            if found and found.group(1)[0] == fence[0] and len(found.group(1)) >= len(fence) \
                    and not line[found.end():].strip():
                fence = None
            continue
        if found and not (found.group(1)[0] == "`" and "`" in line[found.end():]):
            fence = found.group(1)
            opened, split = None, False
            continue
        if _MARK_OPEN.match(line):
            opened, split = number, False
        elif opened is not None and _MARK_SPLIT.match(line):
            split = True
        elif opened is not None and split and _MARK_CLOSE.match(line):
            return opened
    return None


def _is_marker_line(text: str) -> bool:
    text = text.strip()
    return bool(_MARK_OPEN.match(text) or _MARK_CLOSE.match(text) or _MARK_SPLIT.match(text))


def conflict_marker_problem(title: str | None, summary: str | None, body: str | None) -> str | None:
    """Why these fields may not go public (unresolved merge markers), or ``None``; ``None`` fields are skipped."""
    if title is not None and _is_marker_line(title):
        return _("The title is a conflict marker line ({title}); write the headline").format(title=title.strip())
    for label, text in ((_("summary"), summary), (_("body"), body)):
        line = conflict_block_line(text) if text else None
        if line is not None:
            return _("The {field} still has an unresolved conflict (<<<<<<< … ======= … >>>>>>>) from line "
                     "{line}: keep the text you want and delete the marker lines").format(field=label, line=line)
    return None

