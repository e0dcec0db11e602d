"""Items per batch, in this process or on the worker team (:mod:`beritatui.feeds.workers` is the worker side).

Each article that must be rebuilt is encoded once, for its own file and for every page that shows
it.  A big job (an SQLite file, a second core, enough items) goes to two worker processes, which
also stage the article files; up to :data:`AHEAD` batches are in flight, and the answers come back
in the order the batches were planned.  An article a worker found changed since the plan (its
own read is newer than this run's snapshot) is encoded here, from the snapshot.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from beritatui.core.database import current_database
from beritatui.core.sitevalue import SiteSettings
from beritatui.feeds import jsonfeed, workers

from .layout import article_path
from .plan import Feed, Slot
from .source import Published

AHEAD = 8
# A batch's slots with its items: encoded here (by article id), and built by a worker (by article id).
Encoded = tuple[list[Slot], dict[int, jsonfeed.EncodedItem], dict[int, workers.Built]]


class Encoder:
    """The run's encoding, with its worker team once one is started."""

    def __init__(self, settings: SiteSettings, *, dry_run: bool):
        self.settings, self.dry_run = settings, dry_run
        self.team: workers.Team | None = None

    def start_team(self, items: int, articles: Callable[[], int | None]) -> None:
        """Worker processes for a big job (on an SQLite file; a dry run builds nothing to share).

        ``articles`` opens (creating it) the ``articles/`` folder the workers write into.
        """
        database_file = current_database().database
        if (self.team is not None or self.dry_run or not workers.usable(items)
                or not os.path.isfile(database_file)):
            return
        try:
            self.team = workers.Team(os.path.abspath(database_file), self.settings,
                                     articles())  # type: ignore[arg-type]
        except OSError:  # no process could be started (a limit, no interpreter to run): one process it is
            self.team = None

    def items(self, batches: Iterable[list[Slot]], found: Published) -> Iterator[Encoded]:
        """Each batch with its items, in the order of ``batches``."""
        waiting: deque[tuple[list[Slot], dict[int, list[str]]]] = deque()
        for batch in batches:
            tags = {row.id: found.tag_names(row) for row, changed, slots in batch if changed or slots}
            if self.team is None:
                yield batch, jsonfeed.encode_items(self.settings, list(tags), tags), {}
                continue
            fingerprints = {row.id: row.fingerprint for row, _c, _s in batch}
            paths = {row.id: article_path(row.slug) for row, changed, _s in batch if changed}
            self.team.add(workers.Batch(list(tags), tags, fingerprints, paths))
            waiting.append((batch, tags))
            while len(waiting) > AHEAD:
                yield self._answer(*waiting.popleft())
        if self.team is not None:
            self.team.finish()
        while waiting:
            yield self._answer(*waiting.popleft())

    def _answer(self, batch: list[Slot], tags: dict[int, list[str]]) -> Encoded:
        """A worker's answer for ``batch``; articles that moved on since the plan are encoded from this snapshot."""
        assert self.team is not None
        built, moved = self.team.next_answer()
        own = jsonfeed.encode_items(self.settings, moved, {i: tags[i] for i in moved}) if moved else {}
        return batch, own, built

    def stop(self) -> None:
        """The workers stopped (waited for; killed if still at work after a failure)."""
        if self.team is not None:
            self.team.stop()
            self.team = None


def page_head(settings: SiteSettings, feed: Feed, number: int) -> bytes:
    """A page's bytes before its first item: the feed object, open at ``"items":[``."""
    rel, following = feed.path(number), feed.following(number)
    head = jsonfeed.FeedHead(
        title=feed.title, home_page_url=settings.home_page_url, feed_url=jsonfeed.feed_url(settings, rel),
        next_url=jsonfeed.feed_url(settings, following) if following else None)
    # feed.json's own ``_beritatui`` object (the tombstones, the audit chain's head): the one place a feed
    # head carries one.
    extension = f',"{jsonfeed.EXTENSION}":{{{feed.extension}}}' if number == 0 and feed.extension else ""
    return (jsonfeed.head_json(settings, head) + extension + ',"items":[').encode("utf-8")


def article_file(settings: SiteSettings, slug: str, item: jsonfeed.EncodedItem) -> bytes:
    """``articles/<slug>.json``: a feed whose one item is the whole article."""
    return jsonfeed.article_feed_bytes(settings, article_path(slug), item)
