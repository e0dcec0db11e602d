"""What an import is handed is not trusted: planted symlinks, devices and FIFOs, hostile YAML and JSON,
megabytes in an error, and text that would go straight to the site.

The hostile inputs are the real ones.  Those that exhausted memory or hung the import run in a child
process with an address-space limit and a timeout, so a regression fails the test instead of the machine.
"""

from __future__ import annotations

import json
import os
import pwd
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from beritatui.core import transitions
from beritatui.core.articles import ArticleDraft, create_article
from beritatui.core.models import Article
from beritatui.core.users import add_user
from beritatui.feeds.importers import import_paths

EDITOR_SECRET = b"---\ntitle: Rahasia Meja Redaksi\n---\nDaftar narasumber yang dilindungi: Bu Sri, Pak Anwar.\n"
MEMORY = 2 << 30  # a child import may use 2 GiB of address space; a billion laughs needs far more


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _process_env() -> dict[str, str]:
    """A beritatui process acting as this OS login (found from the uid, not from LOGNAME/USER)."""
    import beritatui

    env = {key: value for key, value in os.environ.items() if key not in ("LOGNAME", "USER", "LNAME", "USERNAME")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(beritatui.__file__).resolve().parents[1]),
                                                     env.get("PYTHONPATH", "")]))
    return env


@pytest.fixture
def as_process(newsroom, tmp_path):
    """``as_process("import", path)``: ``python -m beritatui`` in a child process, as this OS login (an editor)."""
    add_user(newsroom.admin, pwd.getpwuid(os.geteuid()).pw_name, display_name="Operator Humas", role="editor")

    def run(*args: object, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "beritatui", "--db", str(newsroom.path), *map(str, args)],
                              capture_output=True, text=True, timeout=timeout, env=_process_env(), cwd=tmp_path,
                              preexec_fn=_limited)

    return run


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr[:2000]
    return lines[0]


# -- 9: symlinks, devices, FIFOs -----------------------------------------------------------------------

def test_an_editors_import_never_follows_a_writers_symlinks(logins_site):
    """The writer plants, in the folder the editor imports, links to a file only the editor may read, to
    /etc/passwd, and to a folder of the editor's; the editor imports with --status published."""
    inbox = logins_site.folder("kiriman")
    secret = logins_site.private("editor", "narasumber.md", EDITOR_SECRET)
    hidden = logins_site.private_dir("editor", "arsip")
    (hidden / "lama.md").write_bytes(EDITOR_SECRET.replace(b"Rahasia Meja", b"Arsip Rahasia"))
    os.chown(hidden / "lama.md", *os.stat(hidden)[4:6])
    logins_site.as_writer("""
        import os, sys
        inbox, secret, hidden = sys.argv[1:4]
        os.symlink(secret, os.path.join(inbox, "bocoran.md"))
        os.symlink("/etc/passwd", os.path.join(inbox, "passwd.txt"))
        os.symlink(hidden, os.path.join(inbox, "arsip"))
        with open(os.path.join(inbox, "kegiatan.md"), "w") as f:
            f.write("---\\ntitle: Pelatihan Menjahit Warga Binaan\\n---\\nPelatihan berlangsung sepuluh hari.\\n")
        """, inbox, secret, hidden)
    result = logins_site.run("editor", "import", inbox, "--status", "published", "--json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["created"] == 1 and report["skipped"] == 3
    skipped = {Path(problem["path"]).name: problem["reason"] for problem in report["problems"]}
    assert set(skipped) == {"bocoran.md", "passwd.txt", "arsip"}
    assert all("symbolic link" in reason for reason in skipped.values())
    with sqlite3.connect(f"file:{logins_site.db}?mode=ro", uri=True) as db:
        texts = " ".join(title + body for title, body in db.execute("SELECT title, body FROM article"))
    assert "Rahasia" not in texts and "narasumber" not in texts and "root:" not in texts
    assert "Pelatihan Menjahit Warga Binaan" in texts
    logins_site.untouched(secret, EDITOR_SECRET)


def test_a_symlink_named_directly_is_refused_too(newsroom, tmp_path):
    """``import kiriman/*.md`` names each file: a planted link among them is refused, not followed."""
    target = tmp_path / "pribadi.md"
    target.write_bytes(EDITOR_SECRET)
    (tmp_path / "kiriman").mkdir()
    (tmp_path / "kiriman" / "berita.md").symlink_to(target)
    report = import_paths(newsroom.editor, [tmp_path / "kiriman" / "berita.md"], status="published")
    assert (report.created, report.skipped) == (0, 1) and "symbolic link" in report.problems[0][1]
    assert Article.select().count() == 0


def test_dev_zero_is_refused_at_once_with_one_line(as_process):
    result = as_process("import", "/dev/zero")
    assert result.returncode == 1
    assert _one_line(result) == ("Skipped /dev/zero: not a regular file (a device, a FIFO, a socket or a "
                                 "directory)")


def test_fifos_are_refused_never_waited_on(as_process, tmp_path):
    inbox = tmp_path / "kiriman"
    inbox.mkdir()
    os.mkfifo(inbox / "berita.md")
    (inbox / "baik.txt").write_text("Senam Pagi Bersama\n\nWarga binaan senam pagi.\n", encoding="utf-8")
    os.mkfifo(tmp_path / "reaksi.json")
    os.mkfifo(tmp_path / "langsung.md")
    walked = as_process("import", inbox, timeout=30)
    assert walked.returncode == 1
    assert "berita.md: not a regular file" in _one_line(walked)
    assert "1 created" in walked.stdout
    named = as_process("import", tmp_path / "langsung.md", timeout=30)
    assert "not a regular file" in _one_line(named)
    tallies = as_process("reactions", "import", tmp_path / "reaksi.json", timeout=30)
    assert tallies.returncode == 1 and "not a regular file" in _one_line(tallies)


# -- 10: what arrives is a draft -------------------------------------------------------------------------

PLAIN = """Warga Binaan Ikuti Lomba Kebersihan Blok Hunian

Seluruh blok hunian mengikuti lomba kebersihan.

Penulis: Siti Rahmawati (Lapas Watampone)
"""
HUGO = "---\ntitle: Pelatihan Barista untuk Warga Binaan\ndate: 2025-03-14\n---\nPelatihan tiga hari.\n"
JEKYLL = "---\ntitle: Rapat Persiapan Hari Bakti\ndraft: true\n---\nPanitia dibentuk.\n"


def _inbox(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "kiriman"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _statuses() -> dict[str, str]:
    return {article.title: article.status for article in Article.select()}


def test_imports_arrive_as_drafts_and_the_summary_says_so(cli, tmp_path):
    inbox = _inbox(tmp_path, {"lomba.txt": PLAIN, "barista.md": HUGO})
    result = cli.ok("import", inbox, login="eko")
    assert result.stdout.strip() == "2 created, 0 updated, 0 unchanged, 0 skipped; 2 as drafts"
    assert set(_statuses().values()) == {"draft"}


def test_an_editor_who_asks_publishes_and_the_summary_counts_each_status(cli, tmp_path):
    inbox = _inbox(tmp_path, {"lomba.txt": PLAIN, "barista.md": HUGO, "rapat.md": JEKYLL})
    kept = cli.ok("import", inbox, "--keep-status", "--json", login="eko")
    assert json.loads(kept.stdout)["statuses"] == {"draft": 1, "published": 2}
    assert _statuses()["Rapat Persiapan Hari Bakti"] == "draft"
    assert _statuses()["Warga Binaan Ikuti Lomba Kebersihan Blok Hunian"] == "published"
    again = cli.ok("import", inbox, "--status", "published", login="eko")
    assert again.stdout.strip() == "0 created, 1 updated, 2 unchanged, 0 skipped; 1 published"
    both = cli.refused("import", inbox, "--status", "draft", "--keep-status", login="eko", code=2)
    assert "--keep-status" in both.stderr
    writer = cli.refused("import", inbox, "--status", "published", login="wati")
    assert "editor" in writer.stderr


def test_an_import_that_did_not_ask_never_changes_a_published_article(cli, newsroom, tmp_path):
    article = create_article(newsroom.editor, ArticleDraft(title="Pelatihan Barista untuk Warga Binaan",
                                                           body="Pelatihan dua hari."))
    transitions.submit(newsroom.editor, article.id)
    article = transitions.publish(newsroom.admin, article.id)  # four-eyes: another editor publishes eko's article
    inbox = _inbox(tmp_path, {f"{article.slug}.md": HUGO})
    result = cli("import", inbox, login="eko")
    assert result.exit_code == 1
    assert "is published" in result.stderr and "--status" in result.stderr
    assert "0 created, 0 updated, 0 unchanged, 1 skipped" in result.stdout
    kept = Article.get_by_id(article.id)
    assert (kept.status, kept.body, kept.version) == ("published", "Pelatihan dua hari.", article.version)
    (inbox / f"{article.slug}.md").write_text(HUGO.replace("tiga hari", "dua hari"), encoding="utf-8")
    same = cli.ok("import", inbox, login="eko")  # nothing would change: reported unchanged, left as it is
    assert "0 created, 0 updated, 1 unchanged, 0 skipped" in same.stdout
    assert Article.get_by_id(article.id).status == "published"


# -- 11: hostile YAML and JSON, and error lines ------------------------------------------------------------

BILLION_LAUGHS = """---
a: &a [ha,ha,ha,ha,ha,ha,ha,ha,ha]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
title: T
tags: *i
---
"""


def test_a_billion_laughs_front_matter_is_refused_at_once(as_process, tmp_path):
    assert len(BILLION_LAUGHS.encode()) <= 345
    bomb = tmp_path / "tawa.md"
    bomb.write_text(BILLION_LAUGHS, encoding="utf-8")
    result = as_process("import", bomb, timeout=60)
    assert result.returncode == 1
    line = _one_line(result)
    assert "anchor or alias" in line and len(line) < 400


def test_smaller_laughs_never_print_megabytes(cli, tmp_path):
    """Seven levels expand to 4.8 million strings: the date error quoted all of them (29 MB) in one line."""
    bomb = tmp_path / "tawa.md"
    bomb.write_text(BILLION_LAUGHS.split("h: &h")[0] + "title: T\ndate: *g\n---\n", encoding="utf-8")
    result = cli("import", bomb, login="eko")
    assert result.exit_code == 1 and len(result.stderr) < 500
    assert "anchor or alias" in result.stderr


def test_every_reason_shown_is_one_short_line(cli, tmp_path):
    """A megabyte date in a feed item, a file name holding terminal escapes: the line shown is capped and
    holds no control character."""
    inbox = tmp_path / "kiriman"
    inbox.mkdir()
    item = {"title": "Senam Pagi", "content_text": "Isi.", "date_published": "2025-" + "x" * 1_000_000}
    (inbox / "feed.json").write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [item]}),
                                     encoding="utf-8")
    (inbox / "\x1b]0;dibajak\x07\x1b[2Jjudul.md").write_text("tanpa front matter", encoding="utf-8")
    result = cli("import", inbox, login="eko")
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 1 and len(lines) == 2
    assert all(len(line) < 1000 and line.isprintable() for line in lines), [line[:200] for line in lines]


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("dalam.json", '{"version":"https://jsonfeed.org/version/1.1","items":' + "[" * 50_000 + "]" * 50_000 + "}",
     "nested more than 32 levels deep"),
    ("banyak.json", '{"version":"https://jsonfeed.org/version/1.1","items":[' + "0," * 2_000_000 + "0]}",
     "more than 1000000 values"),
    ("dalam.md", "---\ntitle: " + "[" * 20_000 + "]" * 20_000 + "\n---\nIsi.\n", "nested more than 32 levels deep"),
    ("besar.md", "---\ntitle: Besar\nsummary: " + "kata " * 20_000 + "\n---\nIsi.\n", "larger than 64 KiB"),
], ids=["deep-json", "many-json-values", "deep-yaml", "big-front-matter"])
def test_parsing_is_bounded_before_it_starts(as_process, tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = as_process("import", path, timeout=60)
    assert result.returncode == 1
    line = _one_line(result)
    assert reason in line and "Error" not in line, line[:300]


def test_json_front_matter_is_bounded_the_same_way(newsroom, tmp_path):
    path = tmp_path / "json.md"
    path.write_text("{\n" + '"title": ' + "[" * 100 + "]" * 100 + "\n}\nIsi.\n", encoding="utf-8")
    report = import_paths(newsroom.editor, [path])
    assert report.skipped == 1 and "nested" in report.problems[0][1]

