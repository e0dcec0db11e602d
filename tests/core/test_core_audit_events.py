"""Every change of state and every permission-relevant act leaves an audit event (issue 15's list).

One newsroom goes through the whole list, and each act is looked up by the action it must record,
with the short before/after details the viewer shows.
"""

from __future__ import annotations

from datetime import timedelta

from beritatui.core import (
    audit_query,
    clock,
    correction_review,
    maintenance,
    site,
    tags,
    transitions,
    unit_admin,
    users,
)
from beritatui.core.articles import ArticleDraft, create_article, save_article
from beritatui.core.database import close_database, open_database
from beritatui.core.models import AuditEvent
from beritatui.core.review_steps import approve

# (what the issue names, the action recorded)
EXPECTED = [
    ("create", "article.create"), ("save", "article.save"), ("submit", "article.submit"),
    ("approve", "article.approve"), ("request changes", "article.request-changes"),
    ("publish", "article.publish"), ("schedule", "article.schedule"),
    ("correction", "article.correction-published"), ("unpublish", "article.unpublish"),
    ("trash", "article.trash"), ("restore", "article.restore"),
    ("tag rename", "tag.rename"), ("tag merge", "tag.merge"), ("tag delete", "tag.delete"),
    ("user added", "user.add"), ("role change", "user.set-role"), ("role in a unit", "user.grant"),
    ("role revoked", "user.revoke"), ("user deactivated", "user.deactivate"),
    ("site setting", "settings.set"), ("import", "import"), ("export", "export"),
    ("backup", "backup"), ("restore-backup", "restore-backup"),
]


def last(action: str) -> AuditEvent:
    event = AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.id.desc()).first()
    assert event is not None, f"no {action} event"
    return event


def test_every_listed_act_is_recorded(newsroom, sample_draft, tmp_path):
    room = newsroom
    ed, admin, writer = room.editor, room.admin, room.writer
    draft = create_article(writer, sample_draft())
    draft = save_article(writer, draft.id, draft.version, ArticleDraft(body="Teks baru."))
    transitions.submit(writer, draft.id)
    transitions.request_changes(ed, draft.id, "Tambahkan foto.")
    transitions.submit(writer, draft.id)
    live = transitions.publish(ed, draft.id)
    save_article(ed, live.id, live.version, ArticleDraft(body="Teks yang diralat."))
    correction_review.publish_correction(admin, live.id, "Nama pejabat diperbaiki.")
    transitions.unpublish(ed, live.id)
    transitions.trash(ed, live.id)
    transitions.restore(ed, live.id)
    later = create_article(writer, sample_draft())
    transitions.schedule(ed, later.id, clock.utcnow() + timedelta(days=1))
    tags.create_tag(ed, "Liputan")
    tags.create_tag(ed, "Reportase")
    tags.rename_tag(ed, "Liputan", "Liputan Khusus")
    tags.merge_tags(ed, "Liputan Khusus", "Reportase")
    tags.delete_tag(ed, "Reportase")
    users.add_user(admin, "rina", role="writer")
    users.set_role(admin, "rina", "editor")
    lapas = unit_admin.add_unit(admin, "Lapas Watampone")
    unit_admin.grant(admin, "rina", lapas.id, "editor")
    unit_admin.revoke(admin, "rina", lapas.id)
    users.deactivate(admin, "rina")
    site.set_setting(admin, "base_url", "https://lapas.example.go.id")
    site.set_setting(admin, "title", "Humas Lapas")
    site.set_setting(admin, "title", "Humas Lapas Watampone")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "kabar.md").write_text("---\ntitle: Kabar dari Blok B\n---\nIsi kabar.\n", encoding="utf-8")
    from beritatui.feeds.export import export_feeds
    from beritatui.feeds.importers.run import import_paths

    import_paths(ed, [tmp_path / "in" / "kabar.md"])
    export_feeds(tmp_path / "out", actor=ed)
    export_feeds(tmp_path / "dry", actor=ed, dry_run=True)
    copy = maintenance.backup(admin, tmp_path / "copy.db")
    recorded = {e.action for e in AuditEvent.select(AuditEvent.action)}
    missing = [name for name, action in EXPECTED if action not in {"restore-backup", "article.approve"}
               and action not in recorded]  # approve: a two-step chain (below); restore: in the restored copy
    assert missing == []

    # the short before/after the viewer shows
    assert audit_query.what("tag.rename", last("tag.rename").details) == "tag renamed: Liputan → Liputan Khusus"
    assert last("user.set-role").details["previous"] == "writer"
    assert last("settings.set").details["previous"] == "Humas Lapas"
    exported = last("export").details
    assert exported["articles"] == 0 and exported["written"] >= 1 and exported["out_dir"].endswith("out")  # unpublished
    assert AuditEvent.select().where(AuditEvent.action == "export").count() == 1  # a dry run records nothing
    assert last("backup").details["path"] == str(copy)
    assert (last("import").details["created"], last("import").login) == (1, "eko")

    close_database()
    target = tmp_path / "restored.db"
    maintenance.restore(copy, str(target), login="ani")
    open_database(str(target))
    assert last("restore-backup").login == "ani"



def test_a_step_of_a_two_step_chain_is_recorded_as_approve(newsroom):
    from beritatui.core import unit_settings
    from beritatui.core.database import current_database

    lapas = unit_admin.add_unit(newsroom.admin, "Lapas Watampone")
    with current_database().atomic():
        unit_settings.store(lapas.id, "review_steps", "unit,root")
    article = create_article(newsroom.writer, ArticleDraft(title="Panen kangkung", body="Isi."), unit=lapas.id)
    transitions.submit(newsroom.writer, article.id)
    approve(newsroom.editor, article.id, note="Angka sudah dicek")
    transitions.publish(newsroom.admin, article.id)
    event = last("article.approve")
    assert (event.login, event.article, event.details["note"]) == ("eko", article.id, "Angka sudah dicek")
