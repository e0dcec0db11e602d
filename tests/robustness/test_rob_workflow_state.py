"""The workflow under random use: people of every role doing every action, in any order, on a moving clock.

The test keeps its own model of the rules (written out again here, not read from
``core.workflow``), so a wrong entry in the real table shows up as a disagreement
rather than being trusted.  After every step it checks the promises a newsroom
relies on: only editors publish, versions never go back, every published article
has a publish revision and an audit event, trash and restore return an article
to where it was, a save or transition from a stale version changes nothing, no
article stays on the site once its expiry (``until``) has come, and an edit of a published
article waits as its pending correction until an editor who did not write it publishes it.

The newsroom has two units under the root: Lapas (one step, ``self_approval`` on: a one-person unit)
and Rutan (two steps, ``unit`` then ``parent``, four-eyes).  Each unit has an editor of its own (lukman,
rusdi); the root's people act everywhere.  The model predicts who may approve which step, and the audit
trail is checked for the four-eyes rule: nobody approved two steps of a round, nobody approved their
own article where the unit does not allow it.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from beritatui.core import (
    clock,
    correction_review,
    corrections,
    review_steps,
    transitions,
    unit_admin,
    unit_settings,
)
from beritatui.core.articles import ArticleDraft, MovedOn, create_article, save_article
from beritatui.core.database import close_database, current_database, open_database
from beritatui.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationError
from beritatui.core.models import Approval, Article, AuditEvent, Revision, User
from beritatui.core.review_queue import queue_for
from beritatui.core.revisions import restore_revision
from beritatui.core.users import SYSTEM_LOGIN, add_user, set_role

START = datetime(2026, 11, 29, 1, 0, tzinfo=UTC)
PEOPLE = ("ani", "eko", "wati", "budi", "lukman", "rusdi")
UNIT_EDITORS = {"lukman": "lapas", "rusdi": "rutan"}  # editors of one unit only
UNITS = ("root", "lapas", "rutan")
STEPS = {"root": ("unit",), "lapas": ("unit",), "rutan": ("unit", "parent")}
SELF_APPROVAL = {"root": False, "lapas": True, "rutan": False}
EDITOR_ROLES = ("editor", "admin")

# The rules, written again: action -> (statuses it starts from, status it ends in; None = before the trash).
SOURCES = {
    "approve": ({"review"}, "review"),  # a step of the chain; the article itself does not change
    "submit": ({"draft"}, "review"),
    "request-changes": ({"review"}, "draft"),
    "publish": ({"review"}, "published"),
    "schedule": ({"draft", "review"}, "scheduled"),
    "unschedule": ({"scheduled"}, "draft"),
    "unpublish": ({"published"}, "archived"),
    "reopen": ({"archived"}, "draft"),
    "trash": ({"draft", "review", "scheduled", "published", "archived"}, "trash"),
    "restore": ({"trash"}, None),
}
ACTIONS = tuple(SOURCES)
TITLES = ("Kunjungan Keluarga Warga Binaan", "Senam Pagi Bersama", "Razia Kamar Hunian",
          "Pelatihan Barista", "Donor Darah Petugas", "Upacara Hari Bakti")


@dataclass
class Expected:
    """What the test believes about one article."""

    author: str
    status: str = "draft"
    previous: str | None = None
    scheduled_at: datetime | None = None
    expires_at: datetime | None = None
    version: int = 1
    pending: str | None = None  # the body of its pending correction (published articles only)
    writers: frozenset[str] = frozenset()  # who wrote into that correction
    unit: str = "root"
    approved: list[str] | None = None  # who approved the steps of the current round, in order


def chain_allows(editor_of, login: str, action: str, expected: Expected) -> bool:
    """The approval chain as a newsroom states it: ``approve`` any step but the last, ``publish`` and
    ``schedule`` the last; the step's editors (``parent`` of a unit under the root: the root's); one step
    per person per round; not one's own article unless the unit allows it."""
    steps = STEPS[expected.unit]
    done = (expected.approved or []) if expected.status == "review" else []
    position = min(len(done) + 1, len(steps))
    if (action != "approve") != (position == len(steps)):
        return False
    approvers = expected.unit if steps[position - 1] == "unit" else "root"
    if not editor_of(login, approvers) or login in done:
        return False
    return expected.author != login or SELF_APPROVAL[expected.unit]


def may(editor_of, login: str, action: str, expected: Expected) -> bool:
    """The role and chain rules as a newsroom states them (``editor_of(login, unit)``: the role part)."""
    editor = editor_of(login, expected.unit)
    if action in ("publish", "schedule", "approve"):
        return editor and chain_allows(editor_of, login, action, expected)
    if editor:
        return True
    is_author = expected.author == login
    before = expected.previous if expected.status == "trash" else expected.status
    if action == "submit":
        return is_author
    if action in ("trash", "restore"):
        return is_author and before == "draft"
    return False


def may_edit(editor: bool, is_author: bool, expected: Expected) -> bool:
    """An editor of the unit, or the author of a draft; the author of a published article proposes a correction."""
    if expected.status == "trash":
        return False
    return editor or (is_author and expected.status in ("draft", "published"))


class NewsroomWorkflow(RuleBasedStateMachine):
    """One newsroom database per run; the template is copied so each run starts from the same four people."""

    template: Path
    workdir: Path

    articles = Bundle("articles")

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(dir=self.workdir))
        path = self.dir / "newsroom.db"
        shutil.copyfile(self.template, path)
        open_database(str(path))
        current_database().execute_sql("PRAGMA synchronous = OFF")  # a throwaway copy: no need to wait for the disk
        self.now = START
        clock.freeze(self.now)
        self.units = self.make_units()
        self.expected: dict[int, Expected] = {}
        self.roles = {login: User.get(User.login == login).role for login in PEOPLE}
        self.initial_roles = dict(self.roles)
        self.audit_count = AuditEvent.select().count()
        self.counter = 0
        self.until_given: datetime | None = None

    def teardown(self) -> None:
        clock.freeze(None)
        close_database()
        shutil.rmtree(self.dir, ignore_errors=True)

    # -- helpers ---------------------------------------------------------------------------------

    @staticmethod
    def make_units() -> dict[str, int]:
        """Lapas and Rutan under the root, an editor in each, and their review rules."""
        from beritatui.core import units

        ani = User.get(User.login == "ani")
        lapas = unit_admin.add_unit(ani, "Lapas Watampone", parent=units.root_id())
        rutan = unit_admin.add_unit(ani, "Rutan Makassar", parent=units.root_id())
        add_user(ani, "lukman", display_name="Lukman", role="editor", member_of=lapas.id)
        add_user(ani, "rusdi", display_name="Rusdi", role="editor", member_of=rutan.id)
        with current_database().atomic():
            unit_settings.store(lapas.id, "self_approval", "on")
            unit_settings.store(rutan.id, "review_steps", "unit,parent")
        return {"root": units.root_id(), "lapas": lapas.id, "rutan": rutan.id}

    def editor_of(self, login: str, unit: str) -> bool:
        if login in UNIT_EDITORS:
            return UNIT_EDITORS[login] == unit
        return self.roles[login] in EDITOR_ROLES

    def user(self, login: str) -> User:
        return User.get(User.login == login)

    def state_of(self, article_id: int) -> tuple:
        """Everything a refused or stale action must leave exactly as it was."""
        article = Article.get_by_id(article_id)
        return (article.status, article.previous_status, article.version, article.title, article.body,
                article.scheduled_at, article.published_at, article.expires_at, Revision.select().where(
                    Revision.article == article_id).count(), AuditEvent.select().count())

    def attempt(self, login: str, action: str, article_id: int, call) -> None:
        """Run ``call``; the outcome must be the one the rules above predict."""
        expected = self.expected[article_id]
        status_ok = expected.status in SOURCES[action][0]
        allowed = may(self.editor_of, login, action, expected)
        before = self.state_of(article_id)
        approvals = Approval.select().count()
        try:
            article = call()
        except (PermissionDenied, InvalidTransition) as exc:
            assert not (status_ok and allowed), (login, action, expected, exc)
            if not status_ok:
                assert isinstance(exc, InvalidTransition), (login, action, expected, exc)
            assert self.state_of(article_id) == before, (login, action)
            assert Approval.select().count() == approvals
            return
        assert status_ok and allowed, (login, self.roles[login], action, expected)
        if action == "approve":
            assert (article.position, article.done[-1].login) == (len(expected.approved or []) + 2, login)
            assert self.state_of(article_id)[:9] == before[:9]  # the article itself does not change
            expected.approved = [*(expected.approved or []), login]
            return
        if action in ("submit", "publish", "schedule"):
            assert Approval.select().count() == approvals + (action != "submit")
        if action == "submit":
            expected.approved = []
        self.follow(action, article, expected)

    def follow(self, action: str, article: Article, expected: Expected) -> None:
        target = SOURCES[action][1]
        if action == "restore":
            target = expected.previous
            if target == "scheduled" and (expected.scheduled_at is None or expected.scheduled_at <= self.now):
                target = "draft"
            if target == "published" and expected.expires_at is not None and expected.expires_at <= self.now:
                target = "archived"  # its time on the site ended while it was in the trash
        if action == "trash":
            expected.previous = expected.status
        elif action == "restore":
            expected.previous = None
        if target == "scheduled" and action == "schedule":
            expected.scheduled_at = article.scheduled_at
        elif target not in ("scheduled", "trash"):
            expected.scheduled_at = None
        if action in ("publish", "schedule"):
            expected.expires_at = self.until_given
        elif target not in ("scheduled", "published", "trash"):
            expected.expires_at = None
        assert article.expires_at == expected.expires_at, (action, article.expires_at, expected)
        expected.status = target
        expected.pending, expected.writers = None, frozenset()  # a move leaves a pending correction behind
        assert article.status == target, (action, article.status, target)
        assert article.version == expected.version + 1, (action, article.version, expected.version)
        expected.version = article.version

    # -- rules -----------------------------------------------------------------------------------

    @initialize(target=articles, login=st.sampled_from(PEOPLE))
    def first_article(self, login):
        return self.create(login, 0)

    @initialize(target=articles, login=st.sampled_from(["wati", "budi"]))
    def a_writers_article(self, login):
        return self.create(login, 1, "rutan")

    @precondition(lambda self: len(self.expected) < 4)  # few articles, so each travels far
    @rule(target=articles, login=st.sampled_from(PEOPLE), which=st.integers(0, len(TITLES) - 1),
          unit=st.sampled_from(UNITS))
    def create(self, login, which, unit="root"):
        unit = UNIT_EDITORS.get(login, unit)  # a unit's editor writes in their unit
        self.counter += 1
        article = create_article(self.user(login), ArticleDraft(
            title=f"{TITLES[which]} {self.counter}", body=f"Paragraf pertama nomor {self.counter}.",
            tags=["Humas"]), unit=self.units[unit])
        self.expected[article.id] = Expected(author=login, unit=unit)
        return article.id

    @rule(article_id=articles, login=st.sampled_from(PEOPLE), stale=st.booleans(), wording=st.text(max_size=30))
    def save(self, article_id, login, stale, wording):
        expected = self.expected[article_id]
        self.counter += 1
        draft = ArticleDraft(body=f"Isi baru {self.counter}. {wording}")
        if stale:
            base = expected.version - 1 if expected.version > 1 else expected.version + 1
            before = self.state_of(article_id)
            kept = 0
            try:
                save_article(self.user(login), article_id, base, draft)
            except Conflict as conflict:
                assert conflict.theirs["version"] == expected.version
                if isinstance(conflict, MovedOn) and conflict.kept is not None:
                    kept = 1  # the refused text is kept as a revision that leaves the article as it is
                    last = Revision.select().where(Revision.article == article_id).order_by(
                        Revision.number.desc()).first()
                    assert (last.reason, last.number, last.body) == ("kept", conflict.kept, draft.body)
            else:
                raise AssertionError("a save from a stale version was accepted")
            after = self.state_of(article_id)
            assert after[:8] == before[:8] and after[8:] == (before[8] + kept, before[9] + kept)
            return
        allowed = may_edit(self.editor_of(login, expected.unit), expected.author == login, expected)
        before = self.state_of(article_id)
        try:
            article = save_article(self.user(login), article_id, expected.version, draft)
        except PermissionDenied:
            assert not allowed, (login, expected)
            assert self.state_of(article_id) == before
            return
        assert allowed, (login, self.roles[login], expected)
        assert article.version == expected.version + 1 and article.status == expected.status
        expected.version = article.version
        if expected.status == "published":  # the live text stays; the edit waits for review
            assert article.body == before[4], (article_id, "a correction went live unreviewed")
            expected.pending, expected.writers = draft.body, expected.writers | {login}

    @rule(article_id=articles, login=st.sampled_from(PEOPLE))
    def publish_the_correction(self, article_id, login):
        """An editor who did not write it takes the pending correction live, with its public note."""
        expected = self.expected[article_id]
        allowed = (expected.status == "published" and expected.pending is not None
                   and self.editor_of(login, expected.unit)
                   and (login not in expected.writers or SELF_APPROVAL[expected.unit]))
        before = self.state_of(article_id)
        try:
            article = correction_review.publish_correction(self.user(login), article_id, "Angka diperbaiki")
        except (PermissionDenied, InvalidTransition, NotFound):
            assert not allowed, (login, self.roles[login], expected)
            assert self.state_of(article_id) == before
            return
        assert allowed, (login, self.roles[login], expected)
        assert (article.body, article.version, article.modified_at) == (expected.pending, expected.version + 1,
                                                                        self.now)
        expected.version, expected.pending, expected.writers = article.version, None, frozenset()

    @rule(article_id=articles, writer=st.sampled_from(PEOPLE), approver=st.sampled_from(PEOPLE))
    def a_correction_and_its_review(self, article_id, writer, approver):
        """An article on the site, an edit of it and someone publishing that: the four-eyes rule's own journey."""
        for action in ("submit", "publish"):
            if self.expected[article_id].status in SOURCES[action][0]:
                self.act("ani", action, article_id)  # ani is the admin throughout
        self.save(article_id, writer, False, "ralat")
        self.publish_the_correction(article_id, approver)

    @rule(article_id=articles, login=st.sampled_from(PEOPLE))
    def drop_the_correction(self, article_id, login):
        expected = self.expected[article_id]
        allowed = expected.pending is not None and (login in expected.writers
                                                    or self.editor_of(login, expected.unit))
        before = self.state_of(article_id)
        try:
            correction_review.drop_correction(self.user(login), article_id)
        except (PermissionDenied, NotFound):
            assert not allowed, (login, expected)
            assert self.state_of(article_id)[:8] == before[:8]
            return
        assert allowed, (login, expected)
        after = self.state_of(article_id)
        assert after[4] == before[4] and after[2] == expected.version + 1  # the live text stays
        expected.version, expected.pending, expected.writers = after[2], None, frozenset()

    @rule(article_id=articles, login=st.sampled_from(PEOPLE),
          action=st.sampled_from(["submit", "publish", "request-changes"]))
    def stale_transition(self, article_id, login, action):
        expected = self.expected[article_id]
        before = self.state_of(article_id)
        calls = {"submit": lambda: transitions.submit(self.user(login), article_id, base_version=expected.version - 1),
                 "publish": lambda: transitions.publish(self.user(login), article_id,
                                                        base_version=expected.version - 1),
                 "request-changes": lambda: transitions.request_changes(
                     self.user(login), article_id, "Perbaiki judul", base_version=expected.version - 1)}
        try:
            calls[action]()
        except Conflict:
            pass
        else:
            raise AssertionError(f"{action} from a stale version was accepted")
        assert self.state_of(article_id) == before

    def act(self, login: str, action: str, article_id: int, minutes: int = 60, until: int | None = None) -> None:
        """Take ``action`` as ``login`` through the core and compare the outcome with the rules; ``until``:
        minutes after the publication that a ``publish`` or ``schedule`` ends."""
        actor = self.user(login)
        at = self.now + timedelta(minutes=minutes)
        self.until_given = None
        if action in ("publish", "schedule") and until is not None:
            self.until_given = (at if action == "schedule" else self.now) + timedelta(minutes=until)
        if action == "schedule":
            call = lambda: transitions.schedule(actor, article_id, at, until=self.until_given)  # noqa: E731
        elif action == "publish":
            call = lambda: transitions.publish(actor, article_id, until=self.until_given)  # noqa: E731
        elif action == "request-changes":
            call = lambda: transitions.request_changes(actor, article_id, "Judul terlalu panjang")  # noqa: E731
        elif action == "approve":
            call = lambda: review_steps.approve(actor, article_id, "Sudah dicek")  # noqa: E731
        else:
            function = getattr(transitions, action)
            call = lambda: function(actor, article_id)  # noqa: E731
        self.attempt(login, action, article_id, call)

    @rule(article_id=articles, login=st.sampled_from(PEOPLE), action=st.sampled_from(ACTIONS),
          minutes=st.integers(1, 600), until=st.one_of(st.none(), st.integers(1, 900)))
    def any_action(self, article_id, login, action, minutes, until):
        self.act(login, action, article_id, minutes, until)

    @rule(article_id=articles, data=st.data(), steps=st.integers(1, 5))
    def a_journey_the_status_allows(self, article_id, data, steps):
        """Actions that fit the status, often by the author, so articles travel the whole workflow."""
        for _ in range(steps):
            expected = self.expected[article_id]
            fitting = [a for a in ACTIONS if expected.status in SOURCES[a][0]]
            action = data.draw(st.sampled_from(fitting), label="action")
            login = data.draw(st.sampled_from((*PEOPLE, expected.author, expected.author)), label="login")
            self.act(login, action, article_id, data.draw(st.integers(1, 600), label="minutes"),
                     data.draw(st.one_of(st.none(), st.integers(1, 900)), label="until"))

    @rule(article_id=articles, login=st.sampled_from(PEOPLE), minutes=st.one_of(st.none(), st.integers(1, 900)))
    def set_expiry(self, article_id, login, minutes):
        """Who may unpublish may say when it comes off the site (only while it is scheduled or published)."""
        expected = self.expected[article_id]
        start = expected.scheduled_at if expected.status == "scheduled" else self.now
        until = None if minutes is None else start + timedelta(minutes=minutes)
        allowed = self.editor_of(login, expected.unit) and expected.status in ("scheduled", "published")
        before = self.state_of(article_id)
        try:
            article = transitions.set_expiry(self.user(login), article_id, until)
        except (PermissionDenied, InvalidTransition):
            assert not allowed, (login, expected)
            assert self.state_of(article_id) == before
            return
        assert allowed, (login, self.roles[login], expected)
        assert (article.expires_at, article.version, article.status) == (until, expected.version, expected.status)
        expected.expires_at = until

    @rule(minutes=st.integers(0, 720))
    def time_passes_and_publish_due_runs(self, minutes):
        self.now += timedelta(minutes=minutes)
        clock.freeze(self.now)
        due_now = transitions.run_due()
        done, expired = {a.id for a in due_now.published}, {a.id for a in due_now.expired}
        for article_id, expected in self.expected.items():
            ends = (expected.status in ("scheduled", "published") and expected.expires_at is not None
                    and expected.expires_at <= self.now)
            due = not ends and expected.status == "scheduled" and expected.scheduled_at <= self.now
            assert (article_id in done, article_id in expired) == (due, ends), (article_id, expected)
            if ends:
                expected.status, expected.scheduled_at, expected.expires_at = "archived", None, None
                expected.version += 1
                expected.pending, expected.writers = None, frozenset()
            elif due:
                expected.status, expected.scheduled_at = "published", None
                expected.version += 1

    @rule(article_id=articles, login=st.sampled_from(PEOPLE), back=st.integers(1, 5))
    def revert(self, article_id, login, back):
        expected = self.expected[article_id]
        count = Revision.select().where(Revision.article == article_id).count()
        number = max(1, count - back)
        allowed = may_edit(self.editor_of(login, expected.unit), expected.author == login, expected)
        before = self.state_of(article_id)
        try:
            article = restore_revision(self.user(login), article_id, number)
        except (PermissionDenied, ValidationError) as exc:
            assert not allowed or isinstance(exc, ValidationError), (login, expected, exc)
            assert self.state_of(article_id) == before
            return
        assert allowed, (login, self.roles[login], expected)
        assert article.version in (expected.version, expected.version + 1)
        if expected.status == "published" and article.version != expected.version:
            assert article.body == before[4]  # brought back into the pending correction, not onto the site
            expected.pending = corrections.pending_for(article).body
            expected.writers = expected.writers | {login}
        expected.version = article.version

    @rule(login=st.sampled_from(["eko", "wati", "budi"]), role=st.sampled_from(["writer", "editor"]))
    def admin_changes_a_role(self, login, role):
        set_role(self.user("ani"), login, role)
        self.roles[login] = role

    @precondition(lambda self: bool(self.expected))
    @rule(login=st.sampled_from(["wati", "budi"]))
    def writer_tries_to_change_a_role(self, login):
        if self.roles[login] in EDITOR_ROLES:
            return
        count = AuditEvent.select().count()
        try:
            set_role(self.user(login), login, "editor")
        except PermissionDenied:
            pass
        else:
            raise AssertionError("a writer made themselves an editor")
        assert AuditEvent.select().count() == count

    # -- invariants ------------------------------------------------------------------------------

    @invariant()
    def the_database_agrees_with_the_model(self):
        for article_id, expected in self.expected.items():
            article = Article.get_by_id(article_id)
            assert (article.status, article.version) == (expected.status, expected.version), (
                article_id, article.status, article.version, expected)

    @invariant()
    def a_pending_correction_is_the_one_the_model_expects(self):
        for article_id, expected in self.expected.items():
            pending = corrections.pending_for(Article.get_by_id(article_id))
            assert (pending.body if pending else None) == expected.pending, (article_id, expected)
            if pending is not None:
                assert set(pending.writers) == expected.writers

    @invariant()
    def only_editors_publish(self):
        """Replay the audit trail: whoever published or scheduled was an editor at that moment."""
        roles = dict(self.initial_roles)
        for event in AuditEvent.select().order_by(AuditEvent.id):
            if event.action == "user.set-role":
                roles[event.details["target"]] = event.details["role"]
            elif event.action == "user.add":
                roles[event.details["target"]] = event.details["role"]
            elif event.action in ("article.publish", "article.schedule", "article.unpublish",
                                  "article.set-expiry", "article.correction-published"):
                assert roles.get(event.login) in EDITOR_ROLES, (event.action, event.login, roles)
                assert (event.login not in event.details.get("writers", [])  # four eyes, unless the unit
                        or event.details.get("self_approved")), event.details  # lets one person do both
            elif event.action == "article.publish-due":
                assert event.login == SYSTEM_LOGIN
                assert AuditEvent.select().where((AuditEvent.article == event.article)
                                                 & (AuditEvent.action == "article.schedule")
                                                 & (AuditEvent.id < event.id)).exists(), event.article

    @invariant()
    def published_articles_have_a_publish_revision_and_event(self):
        for article in Article.select().where(Article.status == "published"):
            assert Revision.select().where((Revision.article == article.id) & (Revision.reason == "publish")).exists()
            assert AuditEvent.select().where((AuditEvent.article == article.id) & AuditEvent.action.in_(
                ["article.publish", "article.publish-due"])).exists()
            assert article.published_at is not None

    @invariant()
    def nothing_stays_on_the_site_past_its_expiry(self):
        for article in Article.select().where(Article.status.in_(["published", "scheduled"])):
            assert article.expires_at is None or article.expires_at > self.now, (article.id, article.expires_at)
        for article in Article.select().where(Article.status.not_in(["published", "scheduled", "trash"])):
            assert article.expires_at is None, (article.id, article.status)
        for event in AuditEvent.select().where(AuditEvent.action == "article.expire"):
            assert event.login == SYSTEM_LOGIN

    @invariant()
    def four_eyes_and_one_step_each_in_every_round(self):
        """Every round's approvals: steps 1, 2, … by different people, none by the writer where the unit does
        not allow it (and where it does, flagged); a publish or schedule by a person approved the last step."""
        rounds: dict[tuple[int, int], list[Approval]] = {}
        for row in Approval.select().order_by(Approval.id):
            rounds.setdefault((row.article_id, row.round), []).append(row)
        for (article_id, _round), rows in rounds.items():
            expected = self.expected[article_id]
            assert [r.step for r in rows] == list(range(1, len(rows) + 1)), rows
            assert len({r.login for r in rows}) == len(rows) <= len(STEPS[expected.unit])
            for row in rows:
                own = row.login == expected.author
                assert row.self_approved == own and (not own or SELF_APPROVAL[expected.unit]), (row.login, expected)
        for event in AuditEvent.select().where(AuditEvent.action.in_(["article.publish", "article.schedule"])):
            assert event.details["step"] == event.details["of"] == len(STEPS[self.expected[event.article].unit])

    @invariant()
    def each_queue_holds_what_awaits_that_person(self):
        """The review queue (core.review_queue) of every person is what the model says awaits their step."""
        for login in PEOPLE:
            expected = set()
            for article_id, article in self.expected.items():
                if article.status != "review":
                    continue
                steps = STEPS[article.unit]
                action = "publish" if len(article.approved or []) + 1 >= len(steps) else "approve"
                if may(self.editor_of, login, action, article):
                    expected.add(article_id)
            assert {item.row.id for item in queue_for(self.user(login))} == expected, login

    @invariant()
    def the_audit_trail_only_grows(self):
        count = AuditEvent.select().count()
        assert count >= self.audit_count
        self.audit_count = count

    @invariant()
    def revisions_number_without_gaps_and_versions_never_go_back(self):
        for article_id in self.expected:
            rows = list(Revision.select(Revision.number, Revision.article_version).where(
                Revision.article == article_id).order_by(Revision.number))
            assert [r.number for r in rows] == list(range(1, len(rows) + 1))
            versions = [r.article_version for r in rows]
            assert versions == sorted(versions)
        assert current_database().execute_sql("PRAGMA foreign_key_check").fetchall() == []


def test_the_workflow_keeps_its_promises_under_random_use(newsroom_template, tmp_path):
    NewsroomWorkflow.template = newsroom_template
    NewsroomWorkflow.workdir = tmp_path
    run_state_machine_as_test(NewsroomWorkflow, settings=settings(
        max_examples=40, stateful_step_count=50, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
