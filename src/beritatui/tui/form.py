"""The editor's form: the fields an article's content is typed into, read as a Content and filled from one.

:class:`ArticleForm` is mixed into :class:`~beritatui.tui.editor.EditorScreen`; each field's widget has
the content field's name as its id (``#title``, ``#tags``, … ``#body``), so a
:class:`~beritatui.core.content.Content` goes in and out field by field.  Tags are typed comma
separated, bylines in the byline field form ("Name (Unit); Name (Unit)", see core.content).  The form
also locks itself for an article that may not be edited, and shows the slug the title would get until
someone types one (the session decides which: :class:`~beritatui.tui.session.EditSession`).
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, TextArea

from beritatui.core import tags
from beritatui.core.articles import preview_slug
from beritatui.core.content import FIELDS, Content, bylines_field, parse_bylines_field
from beritatui.i18n import _
from beritatui.tui.widgets.body import BodyArea
from beritatui.tui.widgets.fields import FieldInput
from beritatui.tui.widgets.statusline import StatusLine
from beritatui.tui.work import core_work

DETAILS = ("bylines", "language", "image_url", "image_alt")  # the fields behind "More fields" (F3)
NO_UNIT = 0  # the unit field's value while it has no unit to offer (no unit id is 0)


class ArticleForm:
    """The form's part of the editor screen; it uses the screen's ``tag_suggester``, ``editing`` (the
    :class:`~beritatui.tui.session.EditSession`), ``read_only_reason``, ``refresh_status()`` and ``_last_field``."""

    _filling = False  # set while the program fills the fields: their change events are not typing

    def compose_form(self) -> ComposeResult:
        with Vertical(id="meta"):
            with Horizontal(classes="row"):
                yield Label(_("Title"), classes="label")
                yield FieldInput(id="title", compact=True, placeholder=_("Headline"))
            with Horizontal(classes="row"):
                yield Label(_("Slug"), classes="label")
                yield FieldInput(id="slug", compact=True, placeholder=_("follows the title"))
                yield Label(_("Tags"), classes="label short")
                yield FieldInput(id="tags", compact=True, suggester=self.tag_suggester,
                                 placeholder=_("comma separated; the first is primary"))
            with Horizontal(classes="row"):
                yield Label(_("Summary"), classes="label")
                yield FieldInput(id="summary", compact=True, placeholder=_("One or two sentences for lists and feeds"))
                yield Label(_("Unit"), classes="label short")
                # A new draft's unit: only the units this person may write in (filled when the editor loads).
                yield Select([(_("loading…"), NO_UNIT)], id="unit", compact=True, allow_blank=False, disabled=True)
                yield Label("", id="unit-name")  # a saved article's unit, in place of the field (it does not move)
            with Vertical(id="details"):
                with Horizontal(classes="row"):
                    yield Label(_("Byline"), classes="label")
                    yield FieldInput(id="bylines", compact=True, placeholder=_("Name (Unit); Name (Unit)"))
                with Horizontal(classes="row"):
                    yield Label(_("Language"), classes="label")
                    yield FieldInput(id="language", compact=True, placeholder="id")
                    yield Label(_("Image"), classes="label short")
                    yield FieldInput(id="image_url", compact=True, placeholder="https://")
                with Horizontal(classes="row"):
                    yield Label(_("Image alt"), classes="label")
                    yield FieldInput(id="image_alt", compact=True, placeholder=_("What the image shows"))

    # -- reading and filling ---------------------------------------------------------------------

    def content(self) -> Content:
        """What the person has typed, as content."""
        get = lambda name: self.query_one(f"#{name}", Input).value  # noqa: E731 - a tiny local accessor
        return Content(title=get("title"), slug=get("slug"), summary=get("summary"),
                       tags=tags.split_tags(get("tags")), bylines=parse_bylines_field(get("bylines")),
                       language=get("language"), image_url=get("image_url"), image_alt=get("image_alt"),
                       body=self.query_one("#body", TextArea).text)

    def values(self) -> dict[str, Any]:
        """What the person has typed, as a content payload (tags a list, bylines ``[name, unit]`` lists)."""
        return self.content().as_payload()

    def fill(self, content: Content) -> None:
        """Put ``content`` into the fields (only those that differ, so the cursor stays where it is)."""
        self._filling = True
        try:
            for name in FIELDS:
                if name == "body":
                    area = self.query_one("#body", BodyArea)
                    if area.text != content.body:
                        area.fit_highlighting(len(content.body))
                        area.load_text(content.body)
                    continue
                value = getattr(content, name)
                if name == "tags":
                    value = ", ".join(value)
                elif name == "bylines":
                    value = bylines_field(value)
                widget = self.query_one(f"#{name}", FieldInput)
                if widget.value != value:
                    widget.load_value(value)
            self.editing.auto_slug = self.query_one("#slug", Input).value
        finally:
            self._filling = False
        self.refresh_status()

    def apply_read_only(self) -> None:
        """Lock every field when the article may not be edited (the slug too, when it may not change now)."""
        status = self.query_one(StatusLine)
        read_only = self.read_only_reason is not None
        for widget in self.query(Input):
            widget.disabled = read_only
        self.query_one("#slug", Input).disabled = read_only or not self.editing.may_change_slug
        self.query_one("#body", TextArea).read_only = read_only
        status.set_notice(_("read only: {reason}").format(reason=self.read_only_reason) if read_only else "")
        if read_only:
            self.query_one("#body", TextArea).focus()
            self.notify(_("Opened read only: {reason}").format(reason=self.read_only_reason), severity="warning")

    # -- the unit: chosen for a new draft, shown for a saved article ------------------------------

    def show_unit(self, options: list[tuple[str, int]], unit_id: int | None, *, locked: bool) -> None:
        """The unit field's choices and value; ``locked``: a saved article's unit, shown read only."""
        field = self.query_one("#unit", Select)
        self._unit_names = {value: label.strip() for label, value in options}
        self._filling = True
        try:
            field.set_options(options or [(_("none you may write in"), NO_UNIT)])
            if unit_id in self._unit_names:
                field.value = unit_id
        finally:
            self._filling = False
        field.disabled = locked or len(options) < 2  # one unit to write in: shown, nothing to choose, no Tab stop
        field.display = not locked
        shown = self.query_one("#unit-name", Label)
        shown.display = locked
        shown.update(self._unit_names.get(unit_id, "") if locked else "")

    def choose_unit(self, unit_id: int | None) -> None:
        """A new draft's unit field set to ``unit_id`` (a recovered text's), if it is one of its choices;
        otherwise the draft goes where the field shows."""
        field = self.query_one("#unit", Select)
        if unit_id in getattr(self, "_unit_names", {}) and not field.disabled:
            field.value = unit_id
        elif isinstance(field.value, int) and field.value != NO_UNIT:
            self.editing.unit_id = field.value

    def lock_unit(self, unit_id: int) -> None:
        """A new draft was saved in ``unit_id``: from now on its unit is shown, not chosen."""
        self.show_unit([(getattr(self, "_unit_names", {}).get(unit_id, ""), unit_id)], unit_id, locked=True)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "unit" and not self._filling:
            self.editing.unit_id = event.value if isinstance(event.value, int) and event.value != NO_UNIT else None

    # -- the slug follows the title until someone types one -----------------------------------------

    @work(thread=True, exclusive=True, group="editor-slug")
    def follow_title(self, title: str) -> None:
        with core_work(self.app):
            slug = preview_slug(title, self.editing.article) if title.strip() else ""
            self.app.call_from_thread(self.show_auto_slug, slug)

    def show_auto_slug(self, slug: str) -> None:
        field = self.query_one("#slug", FieldInput)
        if not self.editing.take_auto_slug(field.value, slug):
            return
        self._filling = True
        try:
            field.load_value(slug)
        finally:
            self._filling = False


    def title_for_people(self) -> str:
        """How dialogs name this editor's article: its title as typed, or "new draft"."""
        title = " ".join(self.query_one("#title", Input).value.split()) if self.is_mounted else ""
        article = self.editing.article
        return title or (article.title if article is not None else _("new draft"))

    def preview_text(self) -> str:
        """The article as a reader meets it: headline, summary, body."""
        get = lambda name: self.query_one(f"#{name}", Input).value.strip()  # noqa: E731
        head = f"# {get('title')}\n\n" if get("title") else ""
        summary = f"*{get('summary')}*\n\n" if get("summary") else ""
        return head + summary + self.query_one("#body", TextArea).text

    # -- the cursor, kept in the slot for a recovery -----------------------------------------------

    def cursor_place(self) -> tuple[str, int | list[int]]:
        """The field the cursor is (or was last) in, and its position there (body: ``[row, column]``)."""
        focused = self.focused  # the screen's own focus: kept while a dialog is on top
        name = focused.id if focused is not None and focused.id in FIELDS else self._last_field
        if name == "body":
            row, column = self.query_one("#body", TextArea).cursor_location
            return name, [row, column]
        return name, self.query_one(f"#{name}", Input).cursor_position

    def place_cursor(self, focus: Any, cursor: Any) -> None:
        """Put the cursor back where a slot says it was (anything unreadable leaves it where it is)."""
        if focus not in FIELDS:
            return
        if focus == "body":
            area = self.query_one("#body", TextArea)
            if isinstance(cursor, list) and len(cursor) == 2 and all(isinstance(n, int) for n in cursor):
                row = max(0, min(cursor[0], area.document.line_count - 1))
                area.move_cursor((row, max(0, min(cursor[1], len(area.document.get_line(row))))))
            widget: Input | TextArea = area
        else:
            widget = self.query_one(f"#{focus}", Input)
            if isinstance(cursor, int) and not isinstance(cursor, bool):
                widget.cursor_position = max(0, min(cursor, len(widget.value)))
        if focus in DETAILS:
            self.add_class("-details")
        if not widget.disabled:
            widget.focus()
