"""Who may do what, through the command line: every rule, tried by every kind of person.

ani is the admin, eko an editor, wati the writer who wrote the article, budi another
writer, and ``orang-asing`` an OS login the newsroom does not know.  Each case builds
the article in the status the rule needs, runs the command as each of them, and
checks the answer: done, or one line on stderr with exit 1 and not one row changed.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest

from beritatui.core import clock, corrections, site, transitions
from beritatui.core.articles import ArticleDraft, create_article, save_article
from beritatui.core.models import Article, AuditEvent, Reactions, User

from .conftest import dump

EDITORS = {"ani", "eko"}
AUTHOR_OR_EDITOR = EDITORS | {"wati"}
KNOWN = {"ani", "eko", "wati", "budi"}


def _article(newsroom, status: str) -> Article:
    """wati's article, brought to ``status`` by the people allowed to (``trash:X``: trashed from X)."""
    article = create_article(newsroom.writer, ArticleDraft(
        title="Bakti Sosial Petugas Lapas", body="Petugas membagikan sembako.", tags=["Humas", "Sosial"]))
    article = save_article(newsroom.writer, article.id, article.version, ArticleDraft(body="Petugas berbagi."))
    editor = newsroom.editor
    before_trash, _sep, _rest = status.partition(":")
    target = _rest if before_trash == "trash" else status
    if target in ("review", "published", "archived"):
        transitions.submit(newsroom.writer, article.id)
    if target in ("published", "archived"):
        transitions.publish(editor, article.id)
    if target == "archived":
        transitions.unpublish(editor, article.id)
    if target == "scheduled":
        transitions.schedule(editor, article.id, clock.utcnow() + timedelta(days=2))
    if before_trash == "trash":
        transitions.trash(editor if target != "draft" else newsroom.writer, article.id)
    return Article.get_by_id(article.id)


def _files(tmp_path, article):
    reactions = tmp_path / "reaksi.json"
    reactions.write_text(json.dumps({article.slug: {"like": 7}}), encoding="utf-8")
    markdown = tmp_path / "impor.md"
    markdown.write_text("---\ntitle: Upacara Hari Bakti\nstatus: draft\n---\nUpacara berlangsung khidmat.\n",
                        encoding="utf-8")
    return {"reactions": reactions, "markdown": markdown, "out": tmp_path / "situs"}


# (rule name, article status, argv (slug and files filled in), who may, how to see it happened)
RULES = [
    ("submit", "draft", ["submit", "{slug}"], AUTHOR_OR_EDITOR, lambda a, u: a.status == "review"),
    ("request-changes", "review", ["request-changes", "{slug}", "--note", "Perbaiki judul"], EDITORS,
     lambda a, u: a.status == "draft"),
    ("publish", "review", ["publish", "{slug}"], EDITORS, lambda a, u: a.status == "published"),
    ("schedule", "review", ["publish", "{slug}", "--at", "2099-01-02 09:00"], EDITORS,
     lambda a, u: a.status == "scheduled"),
    ("schedule a draft", "draft", ["publish", "{slug}", "--at", "2099-01-02 09:00"], EDITORS,
     lambda a, u: a.status == "scheduled"),
    ("unschedule", "scheduled", ["unschedule", "{slug}"], EDITORS, lambda a, u: a.status == "draft"),
    ("unpublish", "published", ["unpublish", "{slug}"], EDITORS, lambda a, u: a.status == "archived"),
    ("reopen", "archived", ["reopen", "{slug}"], EDITORS, lambda a, u: a.status == "draft"),
    ("trash own draft", "draft", ["trash", "{slug}"], AUTHOR_OR_EDITOR, lambda a, u: a.status == "trash"),
    ("trash in review", "review", ["trash", "{slug}"], EDITORS, lambda a, u: a.status == "trash"),
    ("trash published", "published", ["trash", "{slug}"], EDITORS, lambda a, u: a.status == "trash"),
    ("restore own draft", "trash:draft", ["restore", "{slug}"], AUTHOR_OR_EDITOR, lambda a, u: a.status == "draft"),
    ("restore from review", "trash:review", ["restore", "{slug}"], EDITORS, lambda a, u: a.status == "review"),
    ("edit draft", "draft", ["edit", "{slug}"], AUTHOR_OR_EDITOR, lambda a, u: "Relawan" in a.body),
    ("edit in review", "review", ["edit", "{slug}"], EDITORS, lambda a, u: "Relawan" in a.body),
    # A published article's edit waits as its pending correction (the author may propose one, core.corrections).
    ("edit published (correction)", "published", ["edit", "{slug}"], AUTHOR_OR_EDITOR,
     lambda a, u: "Relawan" not in a.body and "Relawan" in corrections.pending_for(a).body),
    ("edit in trash", "trash:draft", ["edit", "{slug}"], set(), None),
    ("revert draft", "draft", ["revert", "{slug}", "--to", "1"], AUTHOR_OR_EDITOR, lambda a, u: "sembako" in a.body),
    ("revert in review", "review", ["revert", "{slug}", "--to", "1"], EDITORS, lambda a, u: "sembako" in a.body),
    ("tag a draft", "draft", ["tag", "{slug}", "--add", "Kemanusiaan"], AUTHOR_OR_EDITOR,
     lambda a, u: a.version > u),
    ("tag a published article", "published", ["tag", "{slug}", "--remove", "Sosial"], AUTHOR_OR_EDITOR,
     lambda a, u: a.version > u and "Sosial" not in corrections.pending_for(a).tags),
    ("rename a tag", "draft", ["tags", "rename", "Sosial", "Kegiatan Sosial"], EDITORS, lambda a, u: a.version > u),
    ("merge tags", "draft", ["tags", "merge", "Sosial", "Humas"], EDITORS, lambda a, u: a.version > u),
    ("delete a tag", "draft", ["tags", "delete", "Sosial", "--yes"], EDITORS, lambda a, u: a.version > u),
    ("add a user", "draft", ["user", "add", "sari", "--name", "Sari", "--role", "writer"], {"ani"},
     lambda a, u: User.get_or_none(User.login == "sari") is not None),
    ("change a role", "draft", ["user", "set-role", "budi", "editor"], {"ani"},
     lambda a, u: User.get(User.login == "budi").role == "editor"),
    ("deactivate a user", "draft", ["user", "deactivate", "budi"], {"ani"},
     lambda a, u: not User.get(User.login == "budi").active),
    ("change a site setting", "draft", ["site", "set", "title", "Berita Lapas Watampone"], {"ani"},
     lambda a, u: site.get_settings().title == "Berita Lapas Watampone"),
    ("import reactions", "published", ["reactions", "import", "{reactions}"], EDITORS,
     lambda a, u: Reactions.get(Reactions.article == a.id).like == 7),
    ("import articles", "draft", ["import", "{markdown}"], EDITORS,
     lambda a, u: Article.select().where(Article.title == "Upacara Hari Bakti").exists()),
    ("export feeds", "published", ["export", "--out", "{out}"], KNOWN, lambda a, u: True),
    ("add a note", "review", ["note", "{slug}", "Foto kurang jelas"], KNOWN,
     lambda a, u: AuditEvent.select().where(AuditEvent.action == "note.add").exists()),
    ("write a new draft", "draft", ["new", "--title", "Jalan Sehat Bersama"], KNOWN,
     lambda a, u: Article.select().where(Article.title == "Jalan Sehat Bersama").exists()),
]


def _who_to_try(allowed: set[str]) -> tuple[str, ...]:
    """The people whose answer differs for this rule: the editor and the author always; the admin where only an
    admin may; the other writer where authorship matters."""
    logins = ["eko", "wati"]
    if "eko" not in allowed or "budi" in allowed:
        logins.append("ani")
    if "wati" in allowed:
        logins.append("budi")
    return tuple(logins)


CASES = [pytest.param(*rule, login, id=f"{rule[0]}-{login}") for rule in RULES for login in _who_to_try(rule[3])]


@pytest.mark.parametrize(("rule", "status", "argv", "allowed", "happened", "login"), CASES)
def test_each_rule_through_the_command_line(cli, newsroom, tmp_path, rule, status, argv, allowed, happened, login):
    site.set_setting(newsroom.admin, "base_url", "https://lapas.example.go.id")
    article = _article(newsroom, status)
    files = _files(tmp_path, article)
    args = [a.format(slug=article.slug, **files) for a in argv]
    before = dump(newsroom.path)
    env = {"VISUAL": "sed -i s/Petugas/Relawan/"}
    if login in allowed:
        result = cli(*args, login=login, env=env)
        assert result.exit_code == 0, (rule, login, result.output)
        assert happened(Article.get_by_id(article.id), article.version), (rule, login)
    else:
        cli.refused(*args, login=login, env=env)
        assert dump(newsroom.path) == before, (rule, login)


@pytest.mark.parametrize(("rule", "status", "argv"), [r[:3] for r in RULES[::3]], ids=[r[0] for r in RULES[::3]])
def test_a_login_the_newsroom_does_not_know_may_do_nothing(cli, newsroom, tmp_path, rule, status, argv):
    site.set_setting(newsroom.admin, "base_url", "https://lapas.example.go.id")
    article = _article(newsroom, status)
    args = [a.format(slug=article.slug, **_files(tmp_path, article)) for a in argv]
    before = dump(newsroom.path)
    result = cli.refused(*args, login="orang-asing", env={"VISUAL": "sed -i s/Petugas/Relawan/"})
    assert "orang-asing" in result.stderr, result.stderr
    assert dump(newsroom.path) == before


def test_publish_due_is_done_by_the_system_whoever_runs_it(cli, newsroom):
    """Scheduled publishing runs for anyone (cron, or simply opening the database) and is recorded as the system."""
    article = _article(newsroom, "scheduled")
    clock.freeze(article.scheduled_at + timedelta(minutes=1))
    cli.ok("publish-due", login="budi")
    assert Article.get_by_id(article.id).status == "published"
    event = AuditEvent.select().where(AuditEvent.action == "article.publish-due").get()
    assert event.login != "budi" and not User.get(User.login == event.login).active


def test_the_demo_command_never_makes_anyone_admin_of_a_real_newsroom(cli, newsroom, wati_draft):
    """Regression: ``beritatui --db REAL demo --no-open`` used to make any unknown or deactivated login its admin."""
    cli.ok("user", "deactivate", "budi")
    before = dump(newsroom.path)
    for login in ("orang-asing", "budi"):
        result = cli.refused("demo", "--no-open", login=login)
        assert "not a demo" in result.stderr, result.stderr
    assert dump(newsroom.path) == before
    assert User.get_or_none(User.login == "orang-asing") is None
    assert User.get(User.login == "budi").role == "writer"


def test_demo_reset_refuses_a_database_that_is_not_a_demo(cli, newsroom, wati_draft, tmp_path):
    """Regression: ``demo --db OTHER --reset`` deleted any database that was not the configured main one."""
    other = tmp_path / "kanwil.db"
    other.write_bytes(newsroom.path.read_bytes())
    result = cli.refused("demo", "--db", other, "--reset", "--no-open")
    assert "not a demo database" in result.stderr
    assert other.read_bytes() == newsroom.path.read_bytes()


def test_a_visitor_of_a_real_demo_still_becomes_its_admin(cli, tmp_path):
    demo_db = tmp_path / "contoh.db"
    cli.ok("demo", "--db", demo_db, "--no-open", login="tamu")
    cli.ok("demo", "--db", demo_db, "--no-open", login="tamu2")
    with sqlite3.connect(demo_db) as connection:
        roles = dict(connection.execute("SELECT login, role FROM user WHERE login LIKE 'tamu%'").fetchall())
    connection.close()
    assert roles == {"tamu": "admin", "tamu2": "admin"}
