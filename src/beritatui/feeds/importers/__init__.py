"""``beritatui import``: articles from Markdown with front matter, JSON Feeds and plain-text pages.

Each file becomes one or more :class:`Source` records, then each record is
created or updated through the same core functions an editor uses (so every
rule, the rendering and the search index apply), with a revision of reason
``import``.  A record is matched by its id/uuid first, then by slug, so
importing the same source twice updates instead of duplicating.  A file that
cannot be read is reported with its path and the reason, and skipped.

What comes in is not trusted:

* Files are opened inside the directory descriptors of the walk, never through a symbolic
  link (one found while walking is reported and skipped, as is anything but a regular file):
  a colleague's link to a file only the importing editor may read never ends up in the feed.
* YAML front matter may not use anchors or aliases (a few hundred bytes of them expand to
  gigabytes), and is at most 64 KiB; JSON is refused before parsing when it nests too deeply
  or holds too many values; every reason shown is one short line (:func:`core.textfile.brief`).
* What arrives is a draft: only an editor who asks (``status``, or ``keep_status`` for what the
  source says) puts imported text anywhere else, and an article already past the draft stage is
  never changed by an import that did not ask.

Where each part lives: :mod:`.run` (``import_paths``, the order of an import), :mod:`.walk` (which
files), :mod:`.reading` (a file's text and its format), one reader per format (:mod:`.markdown`,
:mod:`.feed`, :mod:`.plaintext`) with the shared :mod:`.fields`, :mod:`.source` (the record),
:mod:`.apply` (one record into the database) and :mod:`.report` (what was done and skipped).
"""

from __future__ import annotations

# The package's names, as callers (the CLI, tests, benchmarks) import them.
from .apply import apply_source as apply_source
from .feed import html_to_markdown as html_to_markdown
from .feed import read_feed as read_feed
from .markdown import read_markdown as read_markdown
from .plaintext import plain_to_markdown as plain_to_markdown
from .plaintext import read_plain_text as read_plain_text
from .reading import read_sources as read_sources
from .reading import read_text as read_text
from .report import ImportReport as ImportReport
from .run import import_paths as import_paths
from .source import ImportProblem as ImportProblem
from .source import Source as Source
from .walk import Found as Found
from .walk import walk as walk
