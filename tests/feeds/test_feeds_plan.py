"""The export's plan, built in memory from rows and what a previous run left: no database, no disk.

Which pages and article files an export rebuilds is decided before anything is written
(``feeds/export/plan.py``); these tests give it published rows and the previous run's page keys
and check its decisions, the feed geometry they rest on, and that its two ways of visiting rows
(every row, or only the changed ones) hand each row to the same pages.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from beritatui.core.sitevalue import SiteSettings
from beritatui.feeds.export import main_page_path
from beritatui.feeds.export.plan import Feed, Since, make
from beritatui.feeds.export.source import Published, Row

SITE = SiteSettings(title="Berita Lapas", description="", base_url="https://lapas.example.go.id",
                    home_page_url="", language="id", timezone="Asia/Makassar",
                    article_url_template="{base_url}/berita/{slug}", feed_page_size=3, icon="", favicon="",
                    export_dir="")
TAGS = {1: ("Pembinaan", "pembinaan"), 2: ("Kunjungan", "kunjungan")}


def _row(n: int, tags: tuple[int, ...] = (), version: int = 1) -> Row:
    return Row((n, f"00000000-0000-0000-0000-{n:012d}", f"penyuluhan-hukum-warga-binaan-{n}", f"{n:08x}{version:08x}",
                tags))


def _published(rows: list[Row]) -> Published:
    """Rows in feed order (newest first), with each public tag's rows in the same order, by slug."""
    tags = [(tag_id, name, slug, [row for row in rows if tag_id in row.tag_ids])
            for tag_id, (name, slug) in sorted(TAGS.items(), key=lambda item: item[1][1])]
    return Published(rows, [tag for tag in tags if tag[3]], dict(TAGS))


def _first_run(found: Published):
    return make(found, SITE, Since(full=True), recovering=False, present=lambda rel: False)


def _since(before: Published, now: Published, pages: dict[str, str]) -> Since:
    """What the manifest of a finished run over ``before`` says of ``now``: its page keys, the articles
    whose fingerprint moved or that are new, and the slugs of those that left or were renamed."""
    old = {row.uuid: row for row in before.rows}
    current = {row.uuid: row for row in now.rows}
    changed = {row.id for row in now.rows if row.uuid not in old or old[row.uuid].fingerprint != row.fingerprint}
    stale = [row.slug for uuid, row in old.items() if uuid not in current or current[uuid].slug != row.slug]
    return Since(full=False, pages=pages, changed=changed, stale_slugs=stale)


def _pages(plan) -> dict[str, list[int]]:
    """The article ids on each rebuilt page, as the plan's batches hand them out."""
    shown: dict[str, list[int]] = {}
    for batch in plan.batches():
        for row, _changed, slots in batch:
            for feed, number in slots:
                shown.setdefault(feed.path(number), []).append(row.id)
    return shown


def test_seven_articles_in_pages_of_three_number_the_archive_from_the_oldest():
    """feed.json shows 7 6 5; the oldest archive page is feed-2.json (3 2 1), the newest one feed-3.json (4)."""
    rows = [_row(n) for n in range(7, 0, -1)]
    feed = Feed("Berita Lapas", rows, main_page_path, 3)
    assert feed.pages == 3
    assert [feed.path(number) for number in range(3)] == ["feed.json", "feed-3.json", "feed-2.json"]
    assert [[row.id for row in feed.page_rows(number)] for number in range(3)] == [[7, 6, 5], [4], [3, 2, 1]]
    assert [feed.page_of(position) for position in range(7)] == [0, 0, 0, 1, 2, 2, 2]
    assert [feed.following(number) for number in range(3)] == ["feed-3.json", "feed-2.json", None]
    assert Feed("Berita Lapas", [], main_page_path, 3).pages == 1  # nothing published: one empty page


@given(n=st.integers(0, 60), size=st.integers(1, 9))
def test_every_row_is_on_exactly_the_page_page_of_names(n, size):
    rows = [_row(k) for k in range(n, 0, -1)]
    feed = Feed("Berita Lapas", rows, main_page_path, size)
    on_pages = [row for number in range(feed.pages) for row in feed.page_rows(number)]
    assert sorted(on_pages) == sorted(rows) and len(on_pages) == n
    for position, row in enumerate(rows):
        assert row in feed.page_rows(feed.page_of(position))
    assert all(feed.count(number) == len(feed.page_rows(number)) <= size for number in range(feed.pages))
    assert len({feed.path(number) for number in range(feed.pages)}) == feed.pages


def test_a_first_run_builds_every_page_and_every_article_file():
    found = _published([_row(n, (1,) if n % 2 else (2,)) for n in range(8, 0, -1)])
    plan = _first_run(found)
    assert plan.walk and not list(plan.kept())
    assert set(plan.keys) == {"feed.json", "feed-2.json", "feed-3.json", "tags/pembinaan.json",
                             "tags/pembinaan.page2.json", "tags/kunjungan.json", "tags/kunjungan.page2.json"}
    assert all(changed for batch in plan.batches() for _row_, changed, _slots in batch)
    shown = _pages(plan)
    assert shown["feed.json"] == [8, 7, 6] and shown["tags/pembinaan.page2.json"] == [1]
    assert sorted(shown) == sorted(plan.keys)


def test_against_its_own_keys_a_plan_keeps_every_page_and_builds_nothing():
    found = _published([_row(n, (1,)) for n in range(7, 0, -1)])
    again = make(found, SITE, _since(found, found, _first_run(found).keys), recovering=False,
                 present=lambda rel: True)
    assert not any(again.rebuild.values()) and not again.changed and list(again.batches()) == []
    assert {rel for rel, _rows in again.kept()} == set(again.keys)
    assert again.unchanged_articles == 7 and not again.moves_anything
    assert not again.manifest_moved and again.stale() == set()


def test_a_new_article_rebuilds_the_first_page_and_the_newest_archive_page_only():
    before = _published([_row(n, (1,)) for n in range(7, 0, -1)])
    now = _published([_row(8, (1,)), *before.rows])
    plan = make(now, SITE, _since(before, now, _first_run(before).keys), recovering=False,
                present=lambda rel: True)
    rebuilt = {feed.path(number) for feed, numbers in plan.rebuild.items() for number in numbers}
    # feed.json: 8 7 6, then feed-3.json: 5 4 (was 4), and feed-2.json keeps 3 2 1; the tag feed alike.
    assert rebuilt == {"feed.json", "feed-3.json", "tags/pembinaan.json", "tags/pembinaan.page3.json"}
    assert {rel for rel, _rows in plan.kept()} == {"feed-2.json", "tags/pembinaan.page2.json"}
    assert plan.changed == {8} and not plan.walk and plan.unchanged_articles == 7
    shown = _pages(plan)
    assert shown == {"feed.json": [8, 7, 6], "feed-3.json": [5, 4], "tags/pembinaan.json": [8, 7, 6],
                     "tags/pembinaan.page3.json": [5, 4]}
    files = [row.id for batch in plan.batches() for row, changed, _slots in batch if changed]
    assert files == [8]  # rows 7 6 5 4 are visited for their pages; only the new article's file is built
    assert plan.moves_anything and plan.manifest_moved


def test_a_page_missing_on_disk_is_rebuilt_though_its_key_matches():
    found = _published([_row(n) for n in range(7, 0, -1)])
    plan = make(found, SITE, _since(found, found, _first_run(found).keys), recovering=False,
                present=lambda rel: rel != "feed-2.json")
    assert {plan.main.path(number) for number in plan.rebuild[plan.main]} == {"feed-2.json"}
    assert _pages(plan) == {"feed-2.json": [3, 2, 1]} and not plan.changed


def test_after_a_killed_run_every_row_is_visited_and_every_file_rebuilt():
    found = _published([_row(n, (2,)) for n in range(5, 0, -1)])
    plan = make(found, SITE, _since(found, found, _first_run(found).keys), recovering=True,
                present=lambda rel: True)
    assert plan.walk and not list(plan.kept()) and plan.changed == {1, 2, 3, 4, 5}
    assert plan.items == 5 + 5 + 5  # every article file, and each row on the main feed and its tag's
    assert sorted(_pages(plan)) == sorted(plan.keys)


def test_a_manifest_that_could_not_be_read_makes_a_full_run():
    found = _published([_row(n) for n in range(4, 0, -1)])
    plan = make(found, SITE, Since(full=True), recovering=False, present=lambda rel: True)
    assert plan.full and plan.walk and not list(plan.kept()) and plan.changed == set()
    assert plan.items == 4  # the page slots: with a full run every article file is built anyway


def test_stale_files_are_those_of_articles_that_left_and_pages_no_longer_made():
    before = _published([_row(n, (1,)) for n in range(7, 0, -1)])
    renamed = Row((5, before.rows[2].uuid, "penyuluhan-hukum-warga-binaan-2", "0" * 16, ()))  # takes 2's old slug
    now = _published([row for row in before.rows if row.id not in (2, 5, 6)] + [renamed])
    plan = make(now, SITE, _since(before, now, _first_run(before).keys), recovering=False,
                present=lambda rel: True)
    # 6 left and 5 was renamed onto the slug 2 had (2 left): 6's and 5's old files go, 2's slug is in use.
    assert plan.stale() == {"articles/penyuluhan-hukum-warga-binaan-6.json",
                            "articles/penyuluhan-hukum-warga-binaan-5.json",
                            "feed-3.json", "tags/pembinaan.page3.json"}
    assert "articles/penyuluhan-hukum-warga-binaan-2.json" in plan.wanted()


@settings(max_examples=60, deadline=None)
@given(tag_sets=st.lists(st.sets(st.sampled_from([1, 2])), min_size=0, max_size=25))
def test_visiting_every_row_and_visiting_only_rebuilt_pages_hand_out_the_same_slots(tag_sets):
    """The walk counts each row's place in every feed as it goes; the other way reads the rebuilt pages'
    rows: with every page rebuilt, both must give each row the same pages, in each feed's order."""
    rows = [_row(len(tag_sets) - k, tuple(sorted(tags))) for k, tags in enumerate(tag_sets)]
    found = _published(rows)
    walked = _first_run(found)
    visited = make(found, SITE, Since(full=False, changed={row.id for row in rows}), recovering=False,
                   present=lambda rel: True)
    assert not visited.walk and visited.keys == walked.keys
    assert _pages(visited) == _pages(walked)
