"""Our export against Hugo on the same corpus: ``python bench/hugo_compare.py [N] [--db DB]``.

Writes the corpus's published articles as a Hugo site whose only outputs are
JSON Feeds (home, sections, tag terms, one per page), times ``hugo`` building
it and ``beritatui export`` (full, into an empty directory) in the same run,
alternating the two ``--rounds`` times; prints every round, the best and the
median.  Without hugo on PATH it says how to install it and times only ours.
Our modules are byte-compiled first, as an installed program has them.
"""

from __future__ import annotations

import sys

# A script in bench/ must not let a sibling file shadow the standard library (bench/typing.py is a script).
if sys.path and sys.path[0] == __import__("os").path.dirname(__import__("os").path.abspath(__file__)):
    sys.path.pop(0)

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

HUGO_CONFIG = """baseURL = "https://example.go.id/"
languageCode = "id"
title = "Berita"
disableKinds = ["RSS", "sitemap", "robotsTXT", "404"]

[mediaTypes."application/feed+json"]
suffixes = ["json"]

[outputFormats.jsonfeed]
mediaType = "application/feed+json"
baseName = "feed"
isPlainText = true

[outputs]
home = ["jsonfeed"]
page = ["json"]
section = ["jsonfeed"]
taxonomy = ["jsonfeed"]
term = ["jsonfeed"]
"""

ITEM = ('(dict "id" .Permalink "url" .Permalink "title" .Title "content_html" .Content '
        '"summary" .Summary "date_published" (.Date.Format "2006-01-02T15:04:05-07:00") '
        '"date_modified" (.Lastmod.Format "2006-01-02T15:04:05-07:00") "tags" .Params.tags)')
LIST_LAYOUT = (
    '{{- $items := slice -}}\n'
    '{{- range .RegularPages -}}{{- $items = $items | append (slice ' + ITEM + ') -}}{{- end -}}\n'
    '{{- dict "version" "https://jsonfeed.org/version/1.1" "title" .Site.Title "home_page_url" .Site.BaseURL '
    '"feed_url" .Permalink "items" $items | jsonify -}}\n'
)
SINGLE_LAYOUT = (
    '{{- dict "version" "https://jsonfeed.org/version/1.1" "title" .Title "items" (slice ' + ITEM
    + ') | jsonify -}}\n'
)


def write_hugo_site(db: Path, site: Path) -> int:
    """The published articles as content/berita/<slug>.md with Hugo front matter; returns how many."""
    from beritatui.core.database import open_database
    from beritatui.core.models import Article, ArticleTag, Byline, Tag

    open_database(str(db))
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (site / "layouts" / "_default" / "list.jsonfeed.json").write_text(LIST_LAYOUT, encoding="utf-8")
    (site / "layouts" / "_default" / "single.json").write_text(SINGLE_LAYOUT, encoding="utf-8")
    content = site / "content" / "berita"
    content.mkdir(parents=True)
    count = 0
    query = Article.select().where(Article.status == "published").order_by(Article.id)
    for article in query.iterator():
        tags = [name for (name,) in Tag.select(Tag.name).join(ArticleTag).where(
            ArticleTag.article == article.id).order_by(ArticleTag.position).tuples() if not name.startswith("#")]
        author = Byline.select().where(Byline.article == article.id).order_by(Byline.position).first()
        front = {"title": article.title, "slug": article.slug, "date": article.published_at.isoformat(),
                 "lastmod": article.modified_at.isoformat(), "tags": tags, "summary": article.summary,
                 "author": author.name if author else ""}
        (content / f"{article.slug}.md").write_text(
            "---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in front.items()) + "---\n"
            + article.body + "\n", encoding="utf-8")
        count += 1
    return count


def compile_bytecode() -> None:
    """Byte-compile beritatui's modules, as an installed program has them.

    ``pip install`` compiles a package's bytecode, and Python caches it on first import; but where
    ``PYTHONDONTWRITEBYTECODE`` is set (this machine sets it), a source checkout is compiled again
    at every start, which a site's export never pays.  The files go to ``__pycache__`` folders,
    where Python itself would put them (git ignores them).
    """
    import importlib.util

    spec = importlib.util.find_spec("beritatui")
    if spec is not None and spec.submodule_search_locations:
        subprocess.run([sys.executable, "-m", "compileall", "-q", *spec.submodule_search_locations],
                       check=True, capture_output=True)


def time_ours(db: Path, out: Path) -> float:
    """``bench/export.py --phase full`` in its own process: interpreter start, imports and the export."""
    started = time.perf_counter()
    subprocess.run([sys.executable, str(HERE / "export.py"), "--phase", "full", "--db", str(db), "--out", str(out)],
                   check=True, capture_output=True)
    return time.perf_counter() - started


def time_hugo(hugo: str, site: Path, out: Path) -> float:
    started = time.perf_counter()
    build = subprocess.run([hugo, "--quiet", "-s", str(site), "-d", str(out)], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if build.returncode != 0:
        print(f"hugo failed: {build.stderr.strip()[:2000]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, nargs="?", default=10_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--rounds", type=int, default=2,
                        help="alternate ours and hugo this many times (each into a new directory)")
    parser.add_argument("--dir", type=Path, default=None,
                        help="where the outputs go (default: the temp dir); e.g. a tmpfs such as /dev/shm, to time "
                             "the work without the disk's file-creation costs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="beritatui-hugo-", dir=args.dir) as tmp:
        os.environ.setdefault("BERITATUI_CONFIG", str(Path(tmp) / "config.toml"))
        db = args.db
        if db is None:
            db = Path(tmp) / "corpus.db"
            subprocess.run([sys.executable, str(HERE / "corpus.py"), str(args.n), str(db)], check=True)
        compile_bytecode()
        hugo = shutil.which("hugo")
        if hugo is None:
            print(f"beritatui export (full): {time_ours(db, Path(tmp) / 'ours'):.1f} s")
            print("hugo is not installed; to compare, install it (Debian/Ubuntu: sudo apt-get install -y hugo) "
                  "and run this again.")
            return
        site = Path(tmp) / "hugo"
        count = write_hugo_site(db, site)
        version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip()
        print(f"{count} published articles; {version}; outputs under {tmp}; load average "
              f"{os.getloadavg()[0]:.1f}")
        # Outputs are kept until the end: deleting thousands of files just before a run slows the
        # next run's file creation on ext4, whichever program it is.
        ours, theirs = [], []
        for round_number in range(1, args.rounds + 1):
            ours.append(time_ours(db, Path(tmp) / f"ours-{round_number}"))
            theirs.append(time_hugo(hugo, site, Path(tmp) / f"public-{round_number}"))
            print(f"round {round_number}: beritatui export (full) {ours[-1]:.1f} s, hugo {theirs[-1]:.1f} s, "
                  f"ratio {ours[-1] / theirs[-1]:.2f}")
        print(f"best: beritatui {min(ours):.1f} s, hugo {min(theirs):.1f} s, ratio {min(ours) / min(theirs):.2f}")
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")
        print(f"median: beritatui {statistics.median(ours):.1f} s, hugo {statistics.median(theirs):.1f} s, "
              f"ratio {statistics.median(ours) / statistics.median(theirs):.2f}")


if __name__ == "__main__":
    main()
