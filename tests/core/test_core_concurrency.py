"""Optimistic concurrency: a save from a stale version is refused whole, in one process or across two."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest

from beritatui.core.articles import ArticleDraft, create_article, get_article, save_article
from beritatui.core.database import close_database, current_database, open_database
from beritatui.core.errors import Conflict
from beritatui.core.models import AuditEvent, Revision


def _footprint(article_id: int) -> tuple:
    article = get_article(article_id)
    fts = current_database().execute_sql(
        "SELECT title, body FROM article_fts WHERE rowid = ?", (article_id,)).fetchone()
    return (article.version, article.title, article.body, article.updated_at,
            Revision.select().where(Revision.article == article_id).count(), AuditEvent.select().count(), fts)


def test_stale_save_raises_conflict_and_writes_nothing(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Pelatihan Menjahit", body="Versi awal."))
    base = article.version
    save_article(newsroom.editor, article.id, base, ArticleDraft(body="Versi editor."))
    before = _footprint(article.id)
    with pytest.raises(Conflict) as conflict:
        save_article(newsroom.writer, article.id, base, ArticleDraft(title="Pelatihan Menjahit Baju",
                                                                     body="Versi penulis."))
    assert _footprint(article.id) == before
    assert conflict.value.base_version == base
    assert conflict.value.theirs["body"] == "Versi editor."
    assert conflict.value.theirs["version"] == base + 1
    assert conflict.value.yours == {"title": "Pelatihan Menjahit Baju", "body": "Versi penulis."}
    assert "Eko Prasetyo" in str(conflict.value)


def test_saving_from_the_current_version_succeeds_and_bumps_it(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Pelatihan Menjahit"))
    saved = save_article(newsroom.writer, article.id, article.version, ArticleDraft(body="Baru."))
    assert saved.version == article.version + 1


def test_a_save_that_changes_nothing_keeps_the_version(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Pelatihan Menjahit", body="Sama."))
    saved = save_article(newsroom.writer, article.id, article.version, ArticleDraft(body="Sama."))
    assert saved.version == article.version
    assert Revision.select().where(Revision.article == article.id).count() == 1


CHILD = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from beritatui.core.articles import ArticleDraft, save_article
    from beritatui.core.database import open_database
    from beritatui.core.errors import Conflict
    from beritatui.core.users import get_user

    db, article_id, base, login, ready, go = sys.argv[1:7]
    open_database(db)
    actor = get_user(login)
    Path(ready).touch()
    while not Path(go).exists():
        time.sleep(0.005)
    try:
        save_article(actor, int(article_id), int(base), ArticleDraft(body="Isi dari " + login))
    except Conflict:
        print("conflict")
    else:
        print("saved")
""")


def test_two_processes_saving_from_the_same_version_one_wins(newsroom, tmp_path):
    article = create_article(newsroom.writer, ArticleDraft(title="Kunjungan Kerja Kakanwil", body="Awal."))
    close_database()
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    children = []
    for login in ("eko", "ani"):
        ready = tmp_path / f"ready-{login}"
        cmd = [sys.executable, "-c", CHILD, str(newsroom.path), str(article.id), str(article.version),
               login, str(ready), str(go)]
        children.append((ready, subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                                 text=True, env=env)))
    for ready, child in children:
        while not ready.exists():
            assert child.poll() is None, child.stderr.read()
            time.sleep(0.01)
    go.touch()
    outcomes = []
    for _ready, child in children:
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        outcomes.append(out.strip())
    assert sorted(outcomes) == ["conflict", "saved"]
    open_database(str(newsroom.path))
    final = get_article(article.id)
    winner = ["eko", "ani"][outcomes.index("saved")]
    assert (final.version, final.body) == (article.version + 1, "Isi dari " + winner)
    assert Revision.select().where(Revision.article == article.id).count() == 2
