"""The editor's one-line status: words, reading time, saved or unsaved, when it goes on and comes off the
site, who else is here."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from beritatui.core.articles import describe_reading
from beritatui.i18n import _, format_datetime


class StatusLine(Static):
    """Kept as plain state so the editor can update any part without knowing the others."""

    DEFAULT_CSS = """
    StatusLine { height: 1; width: 100%; background: $panel; color: $foreground; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__("", id=id)
        self.reading = describe_reading("")
        self.saved_at: datetime | None = None
        self.version: int | None = None
        self.dirty = False
        self.others: list[str] = []
        self.notice = ""
        self.timezone: str | None = None
        self.publishes: datetime | None = None
        self.until: datetime | None = None

    def set_reading(self, body: str) -> None:
        self.show_reading(describe_reading(body))

    def show_reading(self, reading: str) -> None:
        """A reading description counted elsewhere (a worker, for long articles)."""
        self.reading = reading
        self.redraw()

    def set_saved(self, saved_at: datetime | None, version: int | None) -> None:
        self.saved_at, self.version, self.dirty = saved_at, version, False
        self.redraw()

    def set_dirty(self, dirty: bool) -> None:
        if dirty != self.dirty:
            self.dirty = dirty
            self.redraw()

    def set_others(self, names: list[str]) -> None:
        self.others = names
        self.redraw()

    def set_times(self, publishes: datetime | None, until: datetime | None) -> None:
        """When a scheduled article goes on the site, and when a scheduled or published one comes off it."""
        self.publishes, self.until = publishes, until
        self.redraw()

    def describe_times(self) -> str:
        """"publishes 1 Dec 09:00 · until 8 Dec 17:00" in the site's time zone ("" for neither)."""
        parts = []
        if self.publishes is not None:
            parts.append(_("publishes {when}").format(when=format_datetime(self.publishes, self.timezone,
                                                                           "d MMM HH:mm")))
        if self.until is not None:
            parts.append(_("until {when}").format(when=format_datetime(self.until, self.timezone, "d MMM HH:mm")))
        return " · ".join(parts)

    def set_notice(self, notice: str) -> None:
        self.notice = notice
        self.redraw()

    def describe_state(self) -> str:
        if self.dirty:
            return _("unsaved")
        if self.version is None:
            return _("new, not saved yet")
        when = format_datetime(self.saved_at, self.timezone, "HH:mm") if self.saved_at else "?"
        return _("saved {time} · v{version}").format(time=when, version=self.version)

    def redraw(self) -> None:
        text = Text(self.reading)
        text.append(" · ")
        text.append(self.describe_state(), style="bold" if self.dirty else "")
        times = self.describe_times()
        if times:
            text.append(" · ")
            text.append(times, style="cyan")
        if self.others:
            text.append(" · ")
            text.append(_("also open: {names}").format(names=", ".join(self.others)), style="bold reverse")
        if self.notice:
            text.append(" · ")
            text.append(self.notice, style="italic")
        self.update(text)
