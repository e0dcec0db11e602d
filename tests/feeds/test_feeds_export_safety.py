"""The export directory belongs to the newsroom's group: what a colleague plants there never sends the
export's writes, reads or removals anywhere else, and a manifest edited by hand never names a file outside.

The attacks are the real ones, tried with real OS logins (``os_logins``: a writer, an editor and an
admin in one group, a setgid directory): a writer plants symlinks in the group-writable export
directory, pointing at the admin's private 0600 files, and the admin runs the export.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from beritatui.core.users import add_user
from beritatui.feeds.export import DIRTY, LOCK, MANIFEST, ExportError, export_feeds

SECRET = b"Catatan pribadi kepala humas: jangan disebarkan.\n"


def _export_as_admin(site, out: Path, *extra: str):
    return site.run("admin", "export", "--out", out, *extra)


# -- 6: temporary files, the lock, the marker, the manifest and the folders --------------------------

def test_temporary_files_planted_for_the_next_pids_never_reach_a_private_file(logins_site):
    """Today's names were ``.feed.json.<pid>.tmp``: the writer plants one for each of the next few thousand
    pids (in the export directory and in ``articles/``), each a symlink to the admin's private file."""
    out = logins_site.folder("feeds")
    secret = logins_site.private("admin", "rahasia-pid.txt")
    last_pid = int(Path("/proc/sys/kernel/ns_last_pid").read_text())
    pid_max = int(Path("/proc/sys/kernel/pid_max").read_text())
    logins_site.as_writer("""
        import os, sys
        out, secret, first, pid_max = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        os.mkdir(os.path.join(out, "articles"))
        names = [(out, "feed.json"), (out, ".beritatui-export.json"),
                 (os.path.join(out, "articles"), "penyuluhan-hukum-bagi-warga-binaan.json")]
        for n in range(4000):
            pid = (first + n - 1) % pid_max + 1
            for folder, name in names:
                os.symlink(secret, os.path.join(folder, f".{name}.{pid}.tmp"))
        """, out, secret, last_pid + 1, pid_max)
    result = _export_as_admin(logins_site, out)
    assert result.returncode == 0, result.stderr
    logins_site.untouched(secret)
    for rel in ("feed.json", MANIFEST, "articles/penyuluhan-hukum-bagi-warga-binaan.json"):
        assert stat.S_ISREG(os.lstat(out / rel).st_mode), rel  # a file of its own, not the planted link
    assert json.loads((out / "feed.json").read_text())["items"]


def test_a_symlinked_articles_folder_is_refused_and_the_sweep_never_unlinks_through_it(logins_site):
    """A killed run's marker makes the next export sweep leftover ``.*.tmp`` files: with ``articles/``
    swapped for a link to the admin's private folder, today's sweep removed the admin's own files there
    (and the export wrote its article files into that folder)."""
    out = logins_site.folder("feeds")
    private = logins_site.private_dir("admin", "konsep")
    keep = private / ".draf-pidato.md.tmp"
    keep.write_bytes(SECRET)
    os.chown(keep, *os.stat(private)[4:6])
    logins_site.as_writer("""
        import os, sys
        out, private = sys.argv[1], sys.argv[2]
        os.symlink(private, os.path.join(out, "articles"))
        open(os.path.join(out, ".beritatui-export.dirty"), "w").close()
        """, out, private)
    result = _export_as_admin(logins_site, out)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert "articles" in lines[0] and "symbolic link" in lines[0]
    assert keep.read_bytes() == SECRET
    assert sorted(os.listdir(private)) == [keep.name]  # nothing written there either


def test_a_symlinked_lock_is_refused_and_creates_nothing_where_it_points(logins_site):
    """Opening the lock followed a link: a link to a name in the admin's home created a file there."""
    out = logins_site.folder("feeds")
    private = logins_site.private_dir("admin", "kunci")
    target = private / "dibuat-oleh-ekspor"
    logins_site.as_writer("import os, sys; os.symlink(sys.argv[2], os.path.join(sys.argv[1], sys.argv[3]))",
               out, target, LOCK)
    result = _export_as_admin(logins_site, out)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and LOCK in lines[0] and "symbolic link" in lines[0]
    assert not os.path.lexists(target)
    assert not (out / "feed.json").exists()


def test_a_symlinked_marker_and_manifest_are_replaced_never_followed(logins_site):
    """The dirty marker was touched through a link (the admin's file got a new mtime, or was created);
    the manifest was read through one.  Both names are simply replaced by the export's own files."""
    out = logins_site.folder("feeds")
    marker_target = logins_site.private("admin", "rahasia-penanda.txt")
    manifest_target = logins_site.private("admin", "rahasia-manifes.txt")
    logins_site.as_writer("""
        import os, sys
        out = sys.argv[1]
        os.symlink(sys.argv[2], os.path.join(out, ".beritatui-export.dirty"))
        os.symlink(sys.argv[3], os.path.join(out, ".beritatui-export.json"))
        """, out, marker_target, manifest_target)
    result = _export_as_admin(logins_site, out, "--json")
    assert result.returncode == 0, result.stderr
    logins_site.untouched(marker_target)
    logins_site.untouched(manifest_target)
    assert not os.path.lexists(out / DIRTY)
    assert stat.S_ISREG(os.lstat(out / MANIFEST).st_mode)
    assert json.loads((out / MANIFEST).read_text().splitlines()[0] + "}}")["format"]
    assert any(MANIFEST in warning for warning in json.loads(result.stdout)["warnings"])


# -- 7: the manifest is not trusted ----------------------------------------------------------------

def _hostile_manifest(out: Path, pages: list[str], slugs: list[str]) -> None:
    """The real manifest, plus pages and article entries naming files outside the export directory
    (the uuids sort after every real one, so the file stays well-formed)."""
    head, *lines = (out / MANIFEST).read_text(encoding="utf-8").splitlines()
    data = json.loads(head + "}}")
    data["pages"].update({rel: "0123456789abcdef" for rel in pages})
    entries = [line.rstrip(",") for line in lines[:-1] if line.strip()]
    entries += [json.dumps(f"ffffffff-ffff-4fff-8fff-{n:012d}") + ":" + json.dumps(f"00000000deadbeef {slug}")
                for n, slug in enumerate(slugs)]
    (out / MANIFEST).write_text(json.dumps(data, separators=(",", ":"))[:-2] + "\n" + ",\n".join(entries)
                                + "\n}}\n", encoding="utf-8")


def test_paths_in_an_edited_manifest_never_leave_the_export_directory(desk, kit, tmp_path):
    kit.publish(desk, "Penyuluhan Hukum bagi Warga Binaan", tags=["Humas"])
    out = tmp_path / "situs" / "feeds"
    export_feeds(out, actor=desk)
    victims = {
        "outside": tmp_path / "situs" / "outside.json",
        "x": tmp_path / "situs" / "x.json",
        "abs": tmp_path / "abs" / "path.json",
        "slug-up": tmp_path / "situs" / "naik.json",
        "slug-abs": tmp_path / "abs" / "mutlak.json",
    }
    for victim in victims.values():
        victim.parent.mkdir(parents=True, exist_ok=True)
        victim.write_bytes(SECRET)
    _hostile_manifest(out, ["../outside.json", str(victims["abs"]), "articles/../../x.json", "tags/../../x.json"],
                      ["../../naik", str(victims["slug-abs"])[:-5], "bukan slug", "Besar"])
    report = export_feeds(out, actor=desk)
    for victim in victims.values():
        assert victim.read_bytes() == SECRET, victim
    assert report.removed == 0
    assert len(report.warnings) == 8 and all("manifest entry" in warning for warning in report.warnings)
    assert "8 warnings" in report.summary()
    kit.check(out / "feed.json")
    assert export_feeds(out, actor=desk).warnings == []  # the manifest written after it is the export's own


def test_a_writer_editing_the_manifest_cannot_make_the_admins_export_remove_a_private_file(logins_site):
    out = logins_site.folder("feeds")
    first = _export_as_admin(logins_site, out)
    assert first.returncode == 0, first.stderr
    secret = logins_site.private("admin", "rahasia-manifes-2.json")
    logins_site.as_writer("""
        import json, sys
        out, secret = sys.argv[1], sys.argv[2]
        path = out + "/.beritatui-export.json"
        head, *lines = open(path).read().splitlines()
        data = json.loads(head + "}}")
        data["pages"][secret] = "0123456789abcdef"
        data["pages"]["../" * 12 + secret.lstrip("/")] = "0123456789abcdef"
        entries = [line.rstrip(",") for line in lines[:-1]]
        entries.append('"ffffffff-ffff-4fff-8fff-000000000000":' + json.dumps("0 " + "../" * 13 + secret.lstrip("/")[:-5]))
        open(path, "w").write(json.dumps(data, separators=(",", ":"))[:-2] + "\\n" + ",\\n".join(entries) + "\\n}}\\n")
        """, out, secret)
    result = _export_as_admin(logins_site, out, "--json")
    assert result.returncode == 0, result.stderr
    logins_site.untouched(secret)
    report = json.loads(result.stdout)
    assert report["removed"] == 0 and len(report["warnings"]) == 3


# -- durability --------------------------------------------------------------------------------------

def test_every_file_is_on_disk_before_its_rename_and_every_folder_after(desk, kit, tmp_path, monkeypatch):
    """Each temporary file is on disk before it is renamed into place (its own fdatasync, or a flush of
    the file system while it was there), then ``articles/``, ``tags/`` and the export directory are
    synced after their last renames, the manifest's last of all."""
    from beritatui.feeds import files

    for n in range(5):
        kit.publish(desk, f"Kunjungan Keluarga Warga Binaan {n}", tags=["Humas", "Pembinaan"])
    out = tmp_path / "feeds"
    events: list[tuple[str, tuple[int, int], str]] = []
    real = {name: getattr(os, name) for name in ("fsync", "fdatasync", "replace")}

    def identity(info: os.stat_result) -> tuple[int, int]:
        return info.st_dev, info.st_ino

    def synced(fd):
        info = os.fstat(fd)
        events.append(("dir-sync" if stat.S_ISDIR(info.st_mode) else "sync", identity(info), ""))
        return real["fsync"](fd)

    def replaced(src, dst, *, src_dir_fd=None, dst_dir_fd=None):
        events.append(("rename", identity(os.stat(src, dir_fd=src_dir_fd, follow_symlinks=False)), str(dst)))
        events.append(("into", identity(os.fstat(dst_dir_fd) if dst_dir_fd is not None
                                        else os.stat(os.path.dirname(dst) or ".")), str(dst)))
        return real["replace"](src, dst, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd)

    real_flush = files.flush

    def flushed(folder):
        for sub in (out, out / "articles", out / "tags"):  # every file present now is on disk after the flush
            for entry in (os.scandir(sub) if sub.is_dir() else ()):
                events.append(("sync", identity(entry.stat(follow_symlinks=False)), ""))
        return real_flush(folder)

    monkeypatch.setattr(os, "fsync", synced)
    monkeypatch.setattr(os, "fdatasync", synced)
    monkeypatch.setattr(os, "replace", replaced)
    monkeypatch.setattr(files, "flush", flushed)
    report = export_feeds(out, actor=desk)
    monkeypatch.undo()
    renames = [(i, event) for i, event in enumerate(events) if event[0] == "rename"]
    assert len(renames) == report.written + 1  # every file, and the manifest
    for i, (_kind, file_id, name) in renames:
        assert ("sync", file_id, "") in events[:i], f"{name} was renamed before it was synced"
    for folder in (out, out / "articles", out / "tags"):
        folder_id = identity(os.stat(folder))
        last_rename = max(i for i, event in enumerate(events) if event[0] == "into" and event[1] == folder_id)
        assert ("dir-sync", folder_id, "") in events[last_rename:], f"{folder} not synced after its renames"
    top = identity(os.stat(out))
    manifest = max(i for i, event in renames if event[2].endswith(MANIFEST))
    assert ("dir-sync", top, "") in events[manifest:], "the manifest's rename was not synced"
    pages = [i for i, event in renames if events[i + 1][1] == top and not event[2].endswith(MANIFEST)]
    top_synced = [i for i, event in enumerate(events) if event == ("dir-sync", top, "")]
    assert any(max(pages) < i < manifest for i in top_synced), "the pages' renames were not synced before the manifest's"


# -- the lock waits ---------------------------------------------------------------------------------

_HOLD = """
import fcntl, os, sys
fd = os.open(os.path.join(sys.argv[1], ".beritatui-export.lock"), os.O_RDWR | os.O_CREAT, 0o666)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.readline()
"""


def _hold_the_lock(out: Path) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(out)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def _process_env() -> dict[str, str]:
    """The environment of a beritatui process acting as this OS login (found from the uid, not LOGNAME/USER)."""
    import beritatui

    env = {key: value for key, value in os.environ.items() if key not in ("LOGNAME", "USER", "LNAME", "USERNAME")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(beritatui.__file__).resolve().parents[1]),
                                                     env.get("PYTHONPATH", "")]))
    return env


def test_a_second_export_waits_for_the_first_then_runs(newsroom, desk, kit, tmp_path):
    """Two real processes: one holds the directory's lock (as a running export does); the export started
    meanwhile says once that it waits, and runs when the lock is released."""
    import pwd

    login = pwd.getpwuid(os.geteuid()).pw_name
    add_user(newsroom.admin, login, display_name="Operator Server", role="editor")
    kit.publish(desk, "Penyuluhan Hukum bagi Warga Binaan", tags=["Humas"])
    out = tmp_path / "feeds"
    out.mkdir()
    holder = _hold_the_lock(out)
    try:
        second = subprocess.Popen([sys.executable, "-m", "beritatui", "--db", str(newsroom.path), "export", "--out",
                                   str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env=_process_env())
        notice = second.stderr.readline()  # blocks until the export says it waits (or ends)
        assert notice.strip() == "Waiting for another export to finish…", notice + second.stderr.read()
        assert second.poll() is None and not (out / "feed.json").exists()
    finally:
        holder.communicate("\n", timeout=30)
    stdout, stderr = second.communicate(timeout=120)
    assert second.returncode == 0, stderr
    assert stderr == "" and "written, 0 unchanged, 0 removed" in stdout
    kit.check(out / "feed.json")


def test_past_the_bound_the_waiting_export_refuses_with_the_known_message(desk, kit, tmp_path, monkeypatch):
    from beritatui.feeds.export import write as export_module

    kit.publish(desk, "Panen Sayur di Kebun Lapas")
    out = tmp_path / "feeds"
    out.mkdir()
    monkeypatch.setattr(export_module, "LOCK_WAIT", 0.6)
    monkeypatch.setattr(export_module, "LOCK_NOTICE", 0.2)
    told: list[bool] = []
    holder = _hold_the_lock(out)
    try:
        with pytest.raises(ExportError) as refused:
            export_feeds(out, actor=desk, waiting=lambda: told.append(True))
    finally:
        holder.communicate("\n", timeout=30)
    assert str(refused.value).startswith("Another export is writing to ")
    assert told == [True]
    assert not (out / "feed.json").exists()
    assert export_feeds(out, actor=desk).written > 0  # released: the next one runs
