"""Plain-text pages as the institution's website shows them: title, body, ``Penulis:`` line, reactions.

The text is escaped so that nothing in it turns into Markdown structure by accident.
"""

from __future__ import annotations

import re
from pathlib import Path

from beritatui.core.content import parse_byline
from beritatui.core.models import REACTIONS
from beritatui.i18n import _

from .source import ImportProblem, Source

REACTION_HEADING = re.compile(r"^what'?s your reaction\??$", re.I)
BYLINE_LINE = re.compile(r"^penulis\s*:\s*(.*)$", re.I)
BULLET = re.compile(r"^\s*[•●▪·◦‣∙]\s*")
MARKDOWN_START = re.compile(r"^(\s{0,3})(#{1,6}\s|>|[-+*]\s|\d{1,9}[.)]\s|=+\s*$|-+\s*$|```|~~~)")


def read_plain_text(path: Path, text: str) -> Source:
    """Title line (often repeated), body, ``Penulis: NAME (UNIT)``, then a "What's Your Reaction?" block."""
    lines = [line.replace("\u00a0", " ").rstrip() for line in text.splitlines()]
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise ImportProblem(_("the file is empty"))
    title = " ".join(lines.pop(0).split())
    lines = _drop_repeated_title(lines, title)
    lines, reactions = _split_reactions(lines)
    bylines: list[tuple[str, str]] = []
    for index in range(len(lines) - 1, -1, -1):
        match = BYLINE_LINE.match(lines[index].strip())
        if match:
            name = match.group(1).strip()
            bylines = [parse_byline(name)] if name else []
            del lines[index:]
            break
    return Source(origin=str(path), title=title, body=plain_to_markdown(lines), bylines=bylines,
                  reactions=reactions)


def _drop_repeated_title(lines: list[str], title: str) -> list[str]:
    for index, line in enumerate(lines):
        if line.strip():
            if " ".join(line.split()) == title:
                return lines[index + 1:]
            break
    return lines


def _split_reactions(lines: list[str]) -> tuple[list[str], dict[str, int] | None]:
    for index, line in enumerate(lines):
        if REACTION_HEADING.match(line.strip()):
            words = [part.strip().lower() for part in lines[index + 1:] if part.strip()]
            counts: dict[str, int] = {}
            for name, count in zip(words[::2], words[1::2], strict=False):
                if name in REACTIONS and count.isdigit():
                    counts[name] = int(count)
            return lines[:index], counts
    return lines, None


def _escape_line(line: str) -> str:
    """Plain text must not turn into Markdown structure by accident (a line starting with ``#`` or ``1.``)."""
    match = MARKDOWN_START.match(line)
    if not match:
        return line
    indent = match.group(1)
    return indent + "\\" + line[len(indent):]


def _escape_inline(line: str) -> str:
    """Characters that would start emphasis, code or a link in Markdown stay literal."""
    for char in ("*", "_", "`", "["):
        line = line.replace(char, "\\" + char)
    return line


def plain_to_markdown(lines: list[str]) -> str:
    """Paragraphs stay paragraphs; ``•`` bullet lines become a Markdown list."""
    out: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            if out and out[-1] != "":
                out.append("")
            continue
        if BULLET.match(line):
            item = "- " + _escape_inline(_escape_line(BULLET.sub("", line)))
            if out and out[-1] != "" and not out[-1].startswith("- "):
                out.append("")
            out.append(item)
            continue
        if out and out[-1].startswith("- "):
            out.append("")
        out.append(_escape_inline(_escape_line(line)))
    return "\n".join(out).strip() + "\n"
