"""The audit chain's head in every feed set: ``audit-head.json`` and feed.json's ``_beritatui.audit_head``.

Whoever keeps a copy of either can later prove what the history was up to that head: ``beritatui audit
verify --against FILE`` (core.audit_chain, docs/security.md).  Both are made from the head read in the
export's own read transaction, so they name the events as of the snapshot the feeds were made from, and
they change only when events were added: a re-export with nothing new leaves both files as they are.
"""

from __future__ import annotations

from beritatui.core.audit_chain import Head
from beritatui.core.sitevalue import SiteSettings
from beritatui.feeds import files, jsonfeed

NAME = "audit-head.json"


def extension(head: Head) -> str:
    """The members feed.json's ``_beritatui`` object gets (JSON text, without braces)."""
    return f'"audit_head":{{"events":{head.events},"hash":{jsonfeed.dumps(head.hash)}}}'


def file_bytes(head: Head, settings: SiteSettings, unit: str) -> bytes:
    """``audit-head.json``: the head, when its newest event happened, and whose feed set this is."""
    data = {"events": head.events, "hash": head.hash, "time": head.at or None, "site": settings.base_url,
            "title": settings.title, "unit": unit}
    return (jsonfeed.dumps(data) + "\n").encode("utf-8")


def place(disk, data: bytes, tally) -> None:  # noqa: ANN001 - write.Disk, report.Tally (no cycle)
    """Written (atomically: a synced temporary file renamed over it) only when its bytes change."""
    folder = disk.top
    if folder is not None and files.same_bytes(folder, NAME, data):
        tally.unchanged()
        return
    tally.written(NAME)
    if disk.dry_run:
        return
    temp = files.write_new(folder, NAME, data, sync=True)
    disk.rename(folder, temp, NAME)
