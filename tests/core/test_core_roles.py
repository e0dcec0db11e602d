"""Every service that needs a role reads it as the database has it now (core.users.require), inside its
transaction: a login demoted while its app is open (its ``User`` read at start) is refused at once."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from beritatui.core import bulk, notes, reactions, site, tags, transitions, users
from beritatui.core.articles import ArticleDraft, create_article
from beritatui.core.errors import PermissionDenied
from beritatui.core.models import AuditEvent, User
from beritatui.feeds import importers


def _editor_services(newsroom, tmp_path) -> dict[str, Callable[[User], object]]:
    article = create_article(newsroom.writer, ArticleDraft(title="Penyuluhan Hukum bagi Warga Binaan", body="Isi."))
    transitions.submit(newsroom.writer, article.id)
    note = notes.add_note(newsroom.writer, article.id, "Mohon dicek ejaannya.")
    tags.create_tag(newsroom.admin, "Humas")
    tags.create_tag(newsroom.admin, "Kehumasan")
    source = tmp_path / "penyuluhan.md"
    source.write_text("---\ntitle: Penyuluhan Narkoba di Lapas\n---\nMateri bahaya narkoba.\n", encoding="utf-8")
    return {
        "create a tag": lambda actor: tags.create_tag(actor, "Kemandirian"),
        "rename a tag": lambda actor: tags.rename_tag(actor, "Humas", "Hubungan Masyarakat"),
        "merge tags": lambda actor: tags.merge_tags(actor, "Kehumasan", "Humas"),
        "delete a tag": lambda actor: tags.delete_tag(actor, "Humas"),
        "import reactions": lambda actor: reactions.import_tallies(actor, {article.slug: {"like": 3}}),
        "import articles": lambda actor: importers.import_paths(actor, [source]),
        "set an imported state": lambda actor: bulk.set_imported_state(actor, article.id, "published"),
        "resolve someone's note": lambda actor: notes.resolve_note(actor, note.id),
        "publish": lambda actor: transitions.publish(actor, article.id),
    }


def _admin_services() -> dict[str, Callable[[User], object]]:
    return {
        "add a user": lambda actor: users.add_user(actor, "sari", display_name="Sari Dewi"),
        "set a role": lambda actor: users.set_role(actor, "budi", "editor"),
        "deactivate a user": lambda actor: users.deactivate(actor, "budi"),
        "change someone's profile": lambda actor: users.set_profile(actor, "budi", display_name="Budi S."),
        "change a site setting": lambda actor: site.set_setting(actor, "timezone", "Asia/Makassar"),
        "insert articles in bulk": lambda actor: bulk.insert_articles(
            actor, [bulk.BulkArticle(title="Arsip Kegiatan Pramuka", body="Isi arsip.")]),
    }


EDITOR_SERVICES = ["create a tag", "rename a tag", "merge tags", "delete a tag", "import reactions",
                   "import articles", "set an imported state", "resolve someone's note", "publish"]
ADMIN_SERVICES = ["add a user", "set a role", "deactivate a user", "change someone's profile",
                  "change a site setting", "insert articles in bulk"]


@pytest.mark.parametrize("service", EDITOR_SERVICES)
def test_an_editor_demoted_meanwhile_is_refused(newsroom, tmp_path, service):
    run = _editor_services(newsroom, tmp_path)[service]
    held = newsroom.editor  # read when eko's app opened
    users.set_role(newsroom.admin, "eko", "writer")
    events = AuditEvent.select().count()
    with pytest.raises(PermissionDenied):
        run(held)
    assert AuditEvent.select().count() == events  # nothing was done


@pytest.mark.parametrize("service", ADMIN_SERVICES)
def test_an_admin_demoted_meanwhile_is_refused(newsroom, service):
    run = _admin_services()[service]
    held = users.set_role(newsroom.admin, "eko", "admin")  # eko's app opens while eko is an admin
    users.set_role(newsroom.admin, "eko", "editor")
    events = AuditEvent.select().count()
    with pytest.raises(PermissionDenied):
        run(held)
    assert AuditEvent.select().count() == events


def test_require_returns_the_login_as_it_is_now(newsroom):
    users.set_profile(newsroom.admin, "eko", unit="Kanwil Sulawesi Selatan")
    current = users.require(newsroom.editor, "editor", "Hanya editor")
    assert current.unit == "Kanwil Sulawesi Selatan" and newsroom.editor.unit == "Rutan Makassar"
    with pytest.raises(PermissionDenied, match="^Hanya admin$"):
        users.require(newsroom.editor, "admin", "Hanya admin")
