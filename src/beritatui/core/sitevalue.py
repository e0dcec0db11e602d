"""The site's settings as one value (what feeds and times are built from).

Apart from :mod:`beritatui.core.site`, which reads and checks them in the database, so that
an export's worker processes can receive this value without importing the database layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class SiteSettings:
    title: str
    description: str
    base_url: str
    home_page_url: str
    language: str
    timezone: str
    article_url_template: str
    feed_page_size: int
    icon: str
    favicon: str
    export_dir: str
    tombstone_days: int = 30  # how long feed.json lists an article that left the site

    def article_url(self, slug: str, uuid: str = "") -> str:
        return self.article_url_template.format(base_url=self.base_url, slug=slug, uuid=uuid)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
