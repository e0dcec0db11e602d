"""A unified diff as coloured text; the +/- marks stay, so it reads without colour too (NO_COLOR)."""

from __future__ import annotations

from rich.text import Text

from beritatui.core.revisions import diff_line_kind

STYLES = {"header": "bold", "hunk": "cyan", "added": "green", "removed": "red", "context": ""}


def coloured_diff(lines: list[str]) -> Text:
    text = Text()
    for line in lines:
        text.append(line + "\n", style=STYLES[diff_line_kind(line)])
    return text
