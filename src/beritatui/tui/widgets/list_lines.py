"""The one-line bars around the article list: its status views, what it shows, unsaved text waiting."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import Static

from beritatui.i18n import N_, _, format_datetime
from beritatui.tui.widgets.cells import clip

if TYPE_CHECKING:
    from beritatui.core.listing import ArticleQuery


@dataclass(frozen=True)
class View:
    """One status view of the list: its key, the status it shows (``None``: all but the trash), its words."""

    key: str
    status: str | None
    label: str
    description: str


VIEWS = (
    View("1", None, N_("All"), N_("Show all articles (not the trash)")),
    View("2", "draft", N_("Drafts"), N_("Show drafts")),
    View("3", "review", N_("Review"), N_("Show articles in review")),
    View("4", "scheduled", N_("Scheduled"), N_("Show scheduled articles")),
    View("5", "published", N_("Published"), N_("Show published articles")),
    View("6", "archived", N_("Archived"), N_("Show archived articles")),
    View("7", "trash", N_("Trash"), N_("Show the trash")),
)
SORT_LABELS = {"updated": N_("updated"), "published": N_("published")}


class ViewsLine(Static):
    """The views, the one shown reversed; the review view with how many articles wait in it."""

    def show(self, current: View, counts: dict[str, int]) -> None:
        text = Text()
        for view in VIEWS:
            label = _(view.label)
            if view.status == "review" and counts.get("review"):
                label = f"{label} ({counts['review']})"
            style = "reverse bold" if view is current else ""
            text.append(f" {view.key} {label} ", style=style)
        self.update(text)


class ListStatusLine(Static):
    """Below the list: how far down it the rows reach, whether there is more, the sort and the filters."""

    def show(self, shown: int, more_below: bool, query: ArticleQuery) -> None:
        parts = [_("{shown} shown").format(shown=shown)]
        if more_below:
            parts.append(_("more below"))
        parts.append(_("sorted by {sort}").format(sort=_(SORT_LABELS[query.sort])))
        if query.tag:
            parts.append(_("tag: {tag}").format(tag=query.tag))
        if query.text:
            parts.append(_("search: {text}").format(text=query.text))
        self.say(" · ".join(parts))

    def say(self, message: str) -> None:
        """Something else for a while (an export's progress), as plain text."""
        self.update(Text(message))


class RecoverLine(Static):
    """Above the footer while this login left unsaved text in autosave slots: which, and the key that
    recovers the newest (hidden while there is none)."""

    def show(self, found: Sequence[Any], zone: str, key: str) -> None:
        """``found``: the waiting texts (:class:`beritatui.tui.slots.Waiting`), newest first."""
        self.display = bool(found)
        if not found:
            return
        items = "; ".join(
            (_("\u201c{title}\u201d {when}") if entry.article_id is not None
             else _("new draft \u201c{title}\u201d {when}")).format(
                title=clip(entry.title, 28), when=format_datetime(entry.saved_at, zone, "d MMM HH:mm"))
            for entry in found)
        self.update(Text(_("{key} recovers unsaved text: {items}").format(key=key, items=items)
                         if len(found) == 1 else
                         _("{key} recovers unsaved text (newest first): {items}").format(key=key, items=items),
                         no_wrap=True, overflow="ellipsis"))
