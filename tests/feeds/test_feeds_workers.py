"""Big exports hand their items to worker processes: the files must be exactly what one process writes."""

from __future__ import annotations

import os
import sqlite3
import sys

import pytest

from beritatui.core import site
from beritatui.core.database import current_database
from beritatui.feeds import workers
from beritatui.feeds.export import ExportError, article_path, export_feeds, published

from .test_feeds_export import _seed


@pytest.fixture
def team_always(monkeypatch):
    """Workers for any export, however small (the threshold is only about when they pay off)."""
    monkeypatch.setattr(workers, "PARALLEL_MIN", 1)


def _files(out):
    """Every file's bytes but the lock's (an empty file, opened by each run)."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.endswith(".lock")}


def test_workers_write_the_bytes_one_process_writes(desk, kit, tmp_path, monkeypatch):
    _seed(kit, desk, n=9)
    alone = tmp_path / "alone"
    export_feeds(alone, actor=desk)
    monkeypatch.setattr(workers, "PARALLEL_MIN", 1)
    teams = _spy_on_teams(monkeypatch)
    shared = tmp_path / "shared"
    report = export_feeds(shared, actor=desk)
    assert len(teams) == 1 and teams[0].sent == teams[0].taken >= 1
    assert all(proc.returncode is not None for proc in teams[0].procs)  # no worker outlives the export
    assert report.written == len(_files(alone)) - 1  # every file but the manifest is counted
    assert _files(shared) == _files(alone)
    for path in kit.feed_files(shared):
        kit.check(path)


def _spy_on_teams(monkeypatch) -> list[workers.Team]:
    teams: list[workers.Team] = []
    real = workers.Team

    def start(*args):
        teams.append(real(*args))
        return teams[-1]

    monkeypatch.setattr(workers, "Team", start)
    return teams


def test_a_full_rebuild_by_workers_rewrites_nothing_that_is_the_same(desk, kit, tmp_path, team_always):
    _seed(kit, desk, n=5)
    out = tmp_path / "out"
    first = export_feeds(out, actor=desk)
    before = {path: p.stat().st_mtime_ns for path, p in ((str(p), p) for p in out.rglob("*.json"))}
    again = export_feeds(out, actor=desk, full=True)
    assert first.written > 0 and again.written == 0
    assert {str(p): p.stat().st_mtime_ns for p in out.rglob("*.json")} == before


def test_an_article_that_moved_on_is_left_to_the_exporter(desk, kit, tmp_path):
    """A worker reading a newer state than the plan (fingerprint differs) neither writes it nor returns it."""
    articles = _seed(kit, desk, n=3)
    rows = {row.id: row for row in published().rows}
    ids = [a.id for a in articles]
    stale = ids[1]
    found = published()
    batch = workers.Batch(ids, {i: found.tag_names(rows[i]) for i in ids},
                          {i: "0" * 16 if i == stale else rows[i].fingerprint for i in ids},
                          {i: article_path(rows[i].slug) for i in ids})
    connection = sqlite3.connect(current_database().database)
    out = tmp_path / "out"
    (out / "articles").mkdir(parents=True)
    folder = os.open(out / "articles", os.O_RDONLY | os.O_DIRECTORY)
    try:
        built, moved = workers.build(connection, site.get_settings(), folder, batch, set())
    finally:
        os.close(folder)
    assert moved == [stale] and set(built) == set(ids) - {stale}
    assert all(built[i].written and built[i].temp for i in built)
    staged = {p.name for p in (out / "articles").iterdir()}
    assert staged == {built[i].temp for i in built}  # staged for the exporter to rename, nothing in place yet
    assert all(name.startswith(".") and name.endswith(".tmp") for name in staged)


def test_a_worker_that_cannot_write_stops_the_export_with_its_reason(desk, kit, tmp_path, team_always):
    _seed(kit, desk, n=3)
    out = tmp_path / "out"
    out.mkdir()
    (out / "articles").write_text("not a folder", encoding="utf-8")
    with pytest.raises(ExportError, match="is not a directory") as failure:
        export_feeds(out, actor=desk)
    assert "Traceback" not in str(failure.value)
    assert not (out / "feed.json").exists()  # pages are only renamed once every article file is in place


def test_a_worker_that_dies_is_reported_not_waited_for(desk, kit, tmp_path, team_always, monkeypatch):
    _seed(kit, desk, n=3)
    monkeypatch.setattr(sys, "executable", "/bin/false")
    with pytest.raises(ExportError, match="export worker stopped"):
        export_feeds(tmp_path / "out", actor=desk)


def test_workers_are_not_started_for_a_dry_run_or_a_small_job(desk, kit, tmp_path, monkeypatch):
    _seed(kit, desk, n=3)
    monkeypatch.setattr(workers, "Team", lambda *a: pytest.fail("no workers expected"))
    export_feeds(tmp_path / "small", actor=desk)
    monkeypatch.setattr(workers, "PARALLEL_MIN", 1)
    export_feeds(tmp_path / "dry", actor=desk, dry_run=True)
    assert not (tmp_path / "dry").exists() or not any((tmp_path / "dry").rglob("*.json"))


def test_a_worker_that_cannot_read_the_database_says_why(desk, kit, tmp_path, team_always, monkeypatch):
    """Any failure in a worker comes back as the export's one-line reason (its own error output is not shown)."""
    _seed(kit, desk, n=3)
    real = workers.Team

    def elsewhere(database_file, settings, out):
        return real(str(tmp_path / "tidak-ada.db"), settings, out)

    monkeypatch.setattr(workers, "Team", elsewhere)
    with pytest.raises(ExportError, match="OperationalError") as failure:
        export_feeds(tmp_path / "out", actor=desk)
    assert "Traceback" not in str(failure.value)


def test_when_no_worker_can_start_one_process_does_the_export(desk, kit, tmp_path, team_always, monkeypatch):
    _seed(kit, desk, n=3)
    alone = tmp_path / "alone"
    export_feeds(alone, actor=desk)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    report = export_feeds(tmp_path / "out", actor=desk)
    assert report.written == len(_files(alone)) - 1 and _files(tmp_path / "out") == _files(alone)
