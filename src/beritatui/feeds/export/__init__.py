"""``beritatui export``: the published articles as static JSON Feed files for the website, one feed set per
unit, each in that unit's own ``export_dir`` (:mod:`.scopes`: whose articles, which directory).

Layout (under the export directory, served at the website's root)::

    feed.json, feed-2.json, …          every published article, newest first
    tags/<slug>.json, tags/<slug>.page2.json, …   one feed per public tag
    articles/<slug>.json               one article (a feed with one item); withdrawn while its tombstone lasts
    changes.json, changes-2.json, …    the public change log (a feed of events, newest first)
    redirects.json                     old article path -> present path
    .beritatui-export.json             the manifest the next export compares with

An export is a pipeline, read top to bottom in :func:`.run.run`:

``source``    what is published, read once (rows of id, uuid, slug, fingerprint, tags)
``manifest``  what the previous run wrote; what changed since (and, at the end, the new manifest)
``plan``      which pages and files to rebuild: decided with no file written
``encode``    items per batch, in this process or on the worker team (:mod:`beritatui.feeds.workers`)
``write``     bytes onto disk in crash-safe order; the only code that creates the export directory
``report``    the counts, paths, warnings and progress of a run, owned by one ``Tally``
``layout``    the names in the export directory, and which ones a manifest may name
``history``   the public events of the audit trail: the change log, tombstones, redirects
``extras``    their files (changes pages, redirects.json, withdrawn files), planned and written
``scopes``    one feed set per unit: its settings, its articles (``unit IN (…)``), its directory

Why it is built this way:

* Atomic: every file is written to a temporary file in its own directory and
  renamed into place.  Article files go first, then tag feeds, then the main
  feed; a feed's pages are renamed last page first; files that left the set
  are removed last, and the manifest is written after everything.  A crash at
  any moment leaves each file old or new, and every link resolvable.
* Incremental: the manifest holds a fingerprint per article and a key per page
  (the ordered fingerprints on it).  Only articles whose fingerprint moved and
  pages whose key moved are rebuilt; bytes that come out the same are not
  rewritten, so mtimes stay and rsync/CDNs see only real changes.
* One pass, little memory: the published articles are read once, in feed order,
  through a covering index (id, uuid, slug and fingerprint only); each article
  that must be rebuilt is loaded once and streamed into its own file and into
  every page that shows it (pages are written item by item to their temporary
  files); the manifest is read and written as a stream, one article a line.
* Nothing followed, nothing trusted: the directory is the newsroom group's, so
  every file is created, compared, renamed and removed inside directories
  opened once without following a symlink (:mod:`beritatui.feeds.files`), and
  every path the manifest names is checked to be one of the export's own
  (slugs must look like slugs) or ignored with a warning in the report.
* Durable before it says so: article files and pages are staged in temporary
  files (by the writer threads and worker processes), put on disk by one
  ``syncfs`` of their file system, and only then renamed; ``articles/``,
  ``tags/`` and the export directory are synced once each after their renames;
  the manifest is ``fdatasync``-ed before its rename and the directory after it,
  before the export reports.
* One at a time: an export waits (up to :data:`.write.LOCK_WAIT` seconds) for another
  one writing the same directory to end, then runs.
"""

from __future__ import annotations

from .layout import DIRTY, LOCK, MANIFEST, SLUG, article_path, main_page_path, tag_page_path
from .report import ExportError, ExportReport, Progress
from .run import check_ready, export_feeds, resolve_out_dir
from .scopes import Outcome, Scope, UnitsExport, export_units, scope_of, single_unit
from .source import Published, Row, Units, public_tag_names, published

__all__ = [
    "DIRTY", "LOCK", "MANIFEST", "SLUG", "ExportError", "ExportReport", "Outcome", "Progress", "Published", "Row",
    "Scope", "Units", "UnitsExport", "article_path", "check_ready", "export_feeds", "export_units",
    "main_page_path", "public_tag_names", "published", "resolve_out_dir", "scope_of", "single_unit",
    "tag_page_path",
]
