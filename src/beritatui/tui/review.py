"""The review queue: editors read what awaits their step of the approval chain, oldest first, and approve it,
publish or schedule it (the last step), or send it back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Markdown, Static

from beritatui.core import clock, listing, notes, review_steps, revisions, transitions, workflow
from beritatui.core.articles import article_bylines, article_tags, get_article, reactions_of
from beritatui.core.content import bylines_display
from beritatui.core.errors import ValidationError
from beritatui.core.models import Article
from beritatui.core.review_queue import QueueItem, queue_for
from beritatui.core.timeparse import parse_time, to_site
from beritatui.core.users import get_user
from beritatui.i18n import N_, _, format_datetime, format_relative
from beritatui.tui.bindings import TranslatedBindings
from beritatui.tui.typeahead import TypeAhead
from beritatui.tui.widgets.confirm import ConfirmationModal, TextPromptModal
from beritatui.tui.widgets.diff import coloured_diff
from beritatui.tui.widgets.footer import Footer
from beritatui.tui.widgets.schedule import ScheduleAnswer, ScheduleModal
from beritatui.tui.work import core_work

# The keys' actions that move the article through the workflow, and the workflow action each one is.
WORKFLOW_KEYS = {"approve": "publish", "schedule": "schedule", "request_changes": "request-changes"}
DONE = {"publish": N_("Published {title}"), "request-changes": N_("Sent back to the writer: {title}")}
LAST_STEP_KEYS = ("approve", "schedule")  # publish and schedule are the last step's approval


@dataclass
class Current:
    """The article under review, with what the reviewer reads beside it."""

    article: Article
    markdown: str
    byline: str
    tags: list[str]
    reactions: int
    notes: list[tuple[str, Any, str, bool]] = field(default_factory=list)
    diff: list[str] = field(default_factory=list)
    baseline: str = ""


def article_markdown(article: Article) -> str:
    """The article as the reader will see it: headline, summary, body."""
    summary = f"*{article.summary}*\n\n" if article.summary else ""
    return f"# {article.title}\n\n{summary}{article.body}"


class ReviewScreen(TypeAhead, TranslatedBindings, Screen[None]):
    """One article at a time from the queue; ``j``/``k`` move through it."""

    CSS_PATH = "review.tcss"
    HELP_TITLE = N_("Review queue")
    REBUILDABLE = True
    BINDINGS = [
        Binding("j", "move(1)", N_("Next"), id="review.next", show=False),
        Binding("k", "move(-1)", N_("Previous"), id="review.previous", show=False),
        # One key approves: the current step before the last (``approve_step``), publishing at the last;
        # check_action offers the one that applies, so the footer shows "Approve" or "Publish".
        Binding("a", "approve_step", N_("Approve"), id="review.approve_step"),
        Binding("a", "approve", N_("Publish"), id="review.approve"),
        Binding("S", "schedule", N_("Schedule"), id="review.schedule"),
        Binding("c", "request_changes", N_("Request changes"), id="review.request_changes"),
        Binding("m", "note", N_("Note"), id="review.note", show=False),
        Binding("e", "edit", N_("Edit"), id="review.edit", show=False),
        Binding("D", "toggle_diff", N_("Diff"), id="review.diff"),
        Binding("escape", "back", N_("Back"), id="review.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.queue: list[listing.ArticleRow] = []
        self.chains: dict[int, review_steps.Chain] = {}
        self.index = 0
        self.current: Current | None = None
        self.show_diff = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="position")
        yield Static("", id="meta")
        yield Static("", id="chain")
        with VerticalScroll(id="content"):
            yield Markdown("", id="article")
            yield Static("", id="diff")
        yield Static("", id="notes")
        yield Footer()

    def on_mount(self) -> None:
        actor = self.app.session.actor
        if not workflow.may_publish(actor):
            self.app.notify(_("Only editors review articles; ask an editor"), severity="error")
            self.app.call_later(self.dismiss)
            return
        self.query_one("#position", Static).update(_("Loading the review queue…"))
        self.load_queue()

    def on_screen_resume(self) -> None:
        if self.current is not None:
            self.load_queue(keep=self.current.article.id)

    # -- loading ---------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="review-queue")
    def load_queue(self, keep: int | None = None) -> None:
        with core_work(self.app):
            items = queue_for(self.app.session.actor)
            self.app.call_from_thread(self.show_queue, items, keep)

    def show_queue(self, items: list[QueueItem], keep: int | None) -> None:
        rows = [item.row for item in items]
        self.queue = rows
        self.chains = {item.row.id: item.chain for item in items}
        ids = [row.id for row in rows]
        if keep in ids:
            self.index = ids.index(keep)
        self.index = max(0, min(self.index, len(rows) - 1))
        if not rows:
            self.current = None
            self.query_one("#position", Static).update(_("Nothing is waiting for review."))
            self.query_one("#meta", Static).update("")
            self.query_one("#chain", Static).update("")
            self.query_one("#notes", Static).update("")
            self.query_one("#article", Markdown).update("")
            self.query_one("#diff", Static).update("")
            self.refresh_bindings()
            return
        self.load_current(rows[self.index].id)

    @work(thread=True, exclusive=True, group="review-article")
    def load_current(self, article_id: int) -> None:
        with core_work(self.app):
            article = get_article(article_id)
            current = Current(
                article=article, markdown=article_markdown(article),
                byline=bylines_display(article_bylines(article.id)),
                tags=[t.name for t in article_tags(article.id)],
                reactions=sum(reactions_of(article.id).values()),
            )
            for note in notes.list_notes(article.id):
                current.notes.append((self.person(note.login), note.created_at, note.text, note.resolved))
            baseline = revisions.review_baseline(article.id)
            if baseline is not None:
                current.baseline = _("revision {n}").format(n=baseline.number)
                current.diff = revisions.unified_diff(revisions.as_text(baseline), revisions.as_text(article),
                                                      current.baseline, _("in review"))
            self.app.call_from_thread(self.show_current, current)

    @staticmethod
    def person(login: str) -> str:
        try:
            return get_user(login).display_name
        except Exception:  # noqa: BLE001 - a removed login still shows as its name
            return login

    def show_current(self, current: Current) -> None:
        ids = [row.id for row in self.queue]
        if current.article.status != "review" or current.article.id not in ids:
            self.load_queue()  # it left the queue meanwhile (someone published or sent it back)
            return
        self.index = ids.index(current.article.id)
        self.current = current
        article = current.article
        position = _("In review {n} of {total}").format(n=self.index + 1, total=len(self.queue))
        if len(self.queue) > 1:
            position += " " + _("(j/k: next/previous)")
        self.query_one("#position", Static).update(Text.assemble((position, "bold"), " · ", article.title))
        meta = _("{byline} · tags: {tags} · sent {when} · {reactions} reactions").format(
            byline=current.byline or "-", tags=", ".join(current.tags) or "-",
            when=format_relative(article.updated_at, clock.utcnow()), reactions=current.reactions)
        self.query_one("#meta", Static).update(meta)
        self.show_chain(self.chains.get(article.id))
        self.query_one("#article", Markdown).update(current.markdown)
        self.show_notes(current)
        self.show_diff_view()
        self.refresh_bindings()

    def show_chain(self, chain: review_steps.Chain | None) -> None:
        """"step 2/2 (parent) — unit: approved by lukman 2 hr. ago": the step that awaits you, the steps done
        (when, as the notes say it: an approval of yesterday must not read as today's)."""
        if chain is None:
            self.query_one("#chain", Static).update("")
            return
        text = Text(chain.label(), style="bold")
        now = clock.utcnow()
        done = [f"{line} {format_relative(d.at, now)}" for line, d in zip(chain.done_lines(), chain.done, strict=True)]
        if done:
            text.append(" — " + "; ".join(done))
        self.query_one("#chain", Static).update(text)

    def show_notes(self, current: Current) -> None:
        if not current.notes:
            self.query_one("#notes", Static).update(Text(_("No notes yet (m adds one)"), style="italic"))
            return
        text = Text()
        for name, at, body, resolved in current.notes:
            text.append(f"{name}, {format_relative(at, clock.utcnow())}: ", style="bold")
            text.append(body, style="strike" if resolved else "")
            text.append("\n")
        text.rstrip()
        self.query_one("#notes", Static).update(text)

    def show_diff_view(self) -> None:
        self.set_class(self.show_diff, "-diff")
        if self.current is None:
            return
        if self.current.diff:
            diff: Text | str = coloured_diff(self.current.diff)
        elif self.current.baseline:
            diff = _("No changes since {baseline}").format(baseline=self.current.baseline)
        else:
            diff = _("First submission: there is no published or sent-back version to compare with")
        self.query_one("#diff", Static).update(diff)

    # -- actions ---------------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        if not self.queue:
            return
        self.index = (self.index + step) % len(self.queue)
        self.load_current(self.queue[self.index].id)

    def action_toggle_diff(self) -> None:
        self.show_diff = not self.show_diff
        self.show_diff_view()

    def action_back(self) -> None:
        self.dismiss()

    def action_edit(self) -> None:
        if self.current is not None:
            from beritatui.tui.editor import EditorScreen

            self.app.push_screen(EditorScreen(self.current.article.id))

    def action_approve(self) -> None:
        current = self.current
        if current is None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.run_transition("publish", current.article)

        self.app.push_screen(ConfirmationModal(_("Publish \u201c{title}\u201d now?").format(
            title=current.article.title)), answer)

    def action_approve_step(self) -> None:
        """Approve the step that awaits you, with an optional word for the next approver."""
        current = self.current
        if current is None:
            return

        def answer(text: str | None) -> None:
            if text is not None:
                self.approve_step(current.article, text)

        self.app.push_screen(TextPromptModal(
            _("Approve “{title}”: a note for the next approver (optional)").format(
                title=current.article.title), required=False), answer)

    @work(thread=True, group="review-action")
    def approve_step(self, article: Article, note: str) -> None:
        with core_work(self.app):
            chain = review_steps.approve(self.app.session.actor, article.id, note or None,
                                         base_version=article.version)
            self.app.call_from_thread(self.after_action, _("Approved {title}; {awaits}").format(
                title=article.title, awaits=review_steps.awaits_line(chain)))

    def action_schedule(self, problem: str = "", typed: ScheduleAnswer | None = None,
                        in_until: bool = False) -> None:
        """The schedule dialog: when it publishes and, optionally, until when (``problem``: why the times
        ``typed`` were refused, shown above them, the field at fault focused)."""
        current = self.current
        if current is None:
            return
        tz = self.app.settings.timezone
        question = _("Publish at, and until (optional): YYYY-MM-DD HH:MM, {zone}").format(zone=tz)
        if problem:
            question = f"{problem}\n{question}"
        suggestion = format_datetime(
            to_site(clock.utcnow() + timedelta(days=1), tz).replace(hour=9, minute=0), tz, "yyyy-MM-dd HH:mm")
        at, until = (typed.at, typed.until) if typed is not None else (suggestion, "")

        def answer(given: ScheduleAnswer | None) -> None:
            if given is not None:
                self.schedule(current.article, given)

        self.app.push_screen(ScheduleModal(question, at=at, until=until, focus_until=in_until), answer)

    @work(thread=True, group="review-action")
    def schedule(self, article: Article, given: ScheduleAnswer) -> None:
        """Through the core's ``schedule`` (which refuses an until in the past or not after the publication)."""
        tz = self.app.settings.timezone
        with core_work(self.app):
            in_until = False  # which field the refusal is about, so the dialog comes back focused there
            try:
                at = parse_time(given.at, tz)
                in_until = True
                until = parse_time(given.until, tz) if given.until else None
                if until is not None:
                    transitions.check_until(until, at)
                in_until = False
                done = transitions.ACTIONS["schedule"](self.app.session.actor, article.id, at, until=until,
                                                       base_version=article.version)
            except ValidationError as exc:
                self.app.call_from_thread(self.action_schedule, str(exc), given, in_until)
                return
            if done.expires_at is not None:
                message = _("Scheduled {title} for {when}, until {until}").format(
                    title=done.title, when=format_datetime(at, tz, "medium"),
                    until=format_datetime(done.expires_at, tz, "medium"))
            else:
                message = _("Scheduled {title} for {when}").format(title=done.title,
                                                                   when=format_datetime(at, tz, "medium"))
            self.app.call_from_thread(self.after_action, message)

    def action_request_changes(self) -> None:
        current = self.current
        if current is None:
            return

        def answer(text: str | None) -> None:
            if text:
                self.run_transition("request-changes", current.article, text)

        self.app.push_screen(TextPromptModal(_("What should change? (a note for the writer, required)")), answer)

    def action_note(self) -> None:
        current = self.current
        if current is None:
            return

        def answer(text: str | None) -> None:
            if text:
                self.add_note(current.article, text)

        self.app.push_screen(TextPromptModal(_("Editorial note (not published)")), answer)

    @work(thread=True, group="review-action")
    def add_note(self, article: Article, text: str) -> None:
        with core_work(self.app):
            notes.add_note(self.app.session.actor, article.id, text)
            self.app.call_from_thread(self.after_action, _("Note added"))

    @work(thread=True, group="review-action")
    def run_transition(self, action: str, article: Article, note: str = "") -> None:
        """``publish`` or ``request-changes`` (with the note), refused if the article changed meanwhile."""
        notes_given = (note,) if action == "request-changes" else ()
        with core_work(self.app):
            done = transitions.ACTIONS[action](self.app.session.actor, article.id, *notes_given,
                                               base_version=article.version)
            self.app.call_from_thread(self.after_action, _(DONE[action]).format(title=done.title))

    def after_action(self, message: str) -> None:
        self.notify(message)
        self.load_queue(keep=self.current.article.id if self.current else None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        chain = self.chains.get(self.current.article.id) if self.current is not None else None
        if action == "approve_step":
            return chain is not None and not chain.at_last
        if action in LAST_STEP_KEYS and chain is not None and not chain.at_last:
            return False
        if action in WORKFLOW_KEYS:
            return self.current is not None and workflow.allowed(self.app.session.actor, WORKFLOW_KEYS[action],
                                                                 self.current.article)
        if action in ("note", "edit", "toggle_diff"):
            return self.current is not None
        if action == "move":
            return len(self.queue) > 1
        return True
