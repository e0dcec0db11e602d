"""The sample newsroom (core/demo.py) and ``beritatui demo``."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import platformdirs
import pytest

from beritatui.core import articles, clock, listing, revisions
from beritatui.core.database import close_database, open_database
from beritatui.core.demo import build_demo
from beritatui.core.models import STATUSES, Article, Note, Reactions, Revision, Tag, User
from beritatui.core.site import get_settings
from beritatui.core.users import make_admin

NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)


def _fingerprint(path) -> list[tuple]:
    """Everything a screenshot could show, in a comparable form."""
    open_database(str(path))
    make = make_admin("ani", "Ani Rahmawati", "Kanwil Sulawesi Selatan")
    build_demo(make, now=NOW)
    rows = []
    for article in Article.select().order_by(Article.id):
        data = articles.snapshot(article)
        rows.append((data["uuid"], data["slug"], data["status"], data["version"], data["created_at"],
                     data["updated_at"], data["published_at"], data["scheduled_at"], tuple(data["tags"]),
                     tuple(map(tuple, data["bylines"])), tuple(articles.reactions_of(article.id).items())))
    rows.append(tuple((r.article_id, r.number, r.reason, r.login, r.created_at) for r in Revision.select()))
    close_database()
    return rows


def test_build_demo_is_deterministic(tmp_path):
    assert _fingerprint(tmp_path / "a.db") == _fingerprint(tmp_path / "b.db")


def test_build_demo_leaves_the_clock_alone(newsroom):
    clock.freeze(NOW)
    build_demo(newsroom.admin, now=NOW)
    assert clock.utcnow() == NOW
    clock.freeze(None)


@pytest.fixture
def demo_room(db_path):
    open_database(str(db_path))
    admin = make_admin("ani", "Ani Rahmawati", "Kanwil Sulawesi Selatan")
    return build_demo(admin, now=NOW)


def test_the_demo_has_every_status_and_the_things_around_articles(demo_room):
    counts = listing.count_by_status()
    assert all(counts[status] >= 1 for status in STATUSES)
    assert 10 <= Article.select().count() <= 14
    roles = {u.role for u in User.select().where(User.active == True)}  # noqa: E712
    assert roles == {"admin", "editor", "writer"}
    units = {b for a in Article.select() for _n, b in articles.article_bylines(a.id)}
    assert {"Lapas Watampone", "Rutan Makassar", "Kanwil Sulawesi Selatan", "Bapas Bone"} <= units
    tag_names = {t.name for t in Tag.select()}
    assert {"Humas", "Pelayanan Publik", "Pembinaan", "Kesehatan", "Inovasi", "#internal-review"} <= tag_names
    assert Note.select().count() >= 3 and Note.select().where(Note.resolved == True).exists()  # noqa: E712
    assert Reactions.select().where(Reactions.like > 0).count() >= 4
    reasons = {r.reason for r in Revision.select()}
    assert {"save", "submit", "publish", "correction"} <= reasons
    assert get_settings().timezone == "Asia/Makassar"


def test_every_demo_body_has_paragraphs_and_a_list(demo_room):
    for article in demo_room.articles.values():
        assert "\n\n" in article.body, article.slug
        assert "\n- " in article.body, article.slug
        assert "<ul>" in article.body_html


def test_demo_timeline_is_consistent(demo_room):
    for article in demo_room.articles.values():
        assert article.created_at <= article.updated_at <= NOW
        if article.status == "scheduled":
            assert article.scheduled_at > NOW
        history = revisions.list_revisions(article.id)
        assert [r.number for r in history] == list(range(len(history), 0, -1))


def test_demo_command_builds_once_and_reports_the_path(bare_cli, tmp_path):
    path = tmp_path / "contoh.db"
    first = bare_cli.ok("demo", "--no-open", "--db", path, db=False, login="tamu")
    assert "13 articles" in first.stdout and str(path) in first.stdout
    open_database(str(path))
    assert User.get(User.login == "tamu").role == "admin"
    ids = [a.id for a in Article.select()]
    close_database()
    again = bare_cli.ok("demo", "--no-open", "--db", path, db=False, login="tamu")
    assert "Built" not in again.stdout
    open_database(str(path))
    assert [a.id for a in Article.select()] == ids
    close_database()
    bare_cli.ok("demo", "--no-open", "--db", path, "--reset", db=False, login="tamu")
    open_database(str(path))
    assert Article.select().count() == len(ids)


def test_demo_defaults_to_the_user_data_dir_not_the_main_database(bare_cli, db_path):
    bare_cli.ok("demo", "--no-open", db=False)
    assert (platformdirs.user_data_path("beritatui") / "demo.db").exists()
    assert not (platformdirs.user_data_path("beritatui") / "beritatui.db").exists()


def test_demo_reset_refuses_the_main_database(bare_cli, tmp_path, monkeypatch):
    main = tmp_path / "utama.db"
    monkeypatch.setenv("BERITATUI_DB", str(main))
    bare_cli.ok("init", db=False)
    result = bare_cli.refused("demo", "--db", main, "--reset", "--no-open", db=False)
    assert "main database" in result.stderr
    assert main.exists()


def test_demo_opens_the_app_on_the_demo_database(bare_cli, tmp_path, monkeypatch):
    from beritatui.cli import maintenance
    from beritatui.tui import launch

    monkeypatch.setattr(maintenance, "has_terminal", lambda: True)  # CliRunner's streams are not a terminal
    seen = []
    monkeypatch.setattr(launch, "run_tui", lambda state: seen.append(state.spec))
    path = tmp_path / "contoh.db"
    bare_cli.ok("demo", "--db", path, db=False)
    assert seen == [str(path)]


def test_demo_without_the_app_says_how_to_use_it(bare_cli, tmp_path, monkeypatch):
    from beritatui.cli import maintenance

    monkeypatch.setattr(maintenance, "has_terminal", lambda: True)  # CliRunner's streams are not a terminal
    monkeypatch.setitem(sys.modules, "beritatui.tui.launch", None)
    path = tmp_path / "contoh.db"
    result = bare_cli.ok("demo", "--db", path, db=False)
    assert f"beritatui --db {path} list" in result.stdout
