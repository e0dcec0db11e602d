"""What one source record is: an article as read from a file, and the problem that stops one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from beritatui.core.content import Content


class ImportProblem(Exception):
    """A file or feed item that cannot be imported; the message says why."""


@dataclass(frozen=True, kw_only=True)
class Source(Content):
    """One article as read from a file, before it meets the database: its content, and where it came from."""

    origin: str
    uuid: str = ""
    published_at: datetime | None = None
    modified_at: datetime | None = None
    draft: bool = False
    reactions: dict[str, int] | None = None
    # An item of a beritatui feed page: it carries the HTML, not the Markdown (that is in the
    # export's articles/<slug>.json), so it may create an article but never overwrites one.
    page_form: bool = False
