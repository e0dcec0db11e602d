"""``beritatui audit``: the trail newest first, its filters, JSON, keyset pages, who may read it, bad input."""

from __future__ import annotations

import json

import pytest

from beritatui.core import tags


def events(result) -> list[dict]:
    return json.loads(result.stdout)


def test_the_whole_trail_newest_first_with_filters(cli, wati_draft):
    cli.ok("submit", wati_draft.slug, login="wati")
    cli.ok("publish", wati_draft.slug, login="eko")
    everything = events(cli.ok("audit", "--json"))
    assert [e["id"] for e in everything] == sorted((e["id"] for e in everything), reverse=True)
    acts = [e["action"] for e in events(cli.ok("audit", "--article", wati_draft.slug, "--json"))]
    assert acts[0] == "article.publish" and acts[-1] == "article.create" and "article.submit" in acts
    assert {e["login"] for e in events(cli.ok("audit", "--user", "eko", "--json"))} == {"eko"}
    published = events(cli.ok("audit", "--action", "publish", "--json"))
    assert [e["slug"] for e in published] == [wati_draft.slug]
    assert published[0]["at"].endswith(("+08:00", "+07:00", "+09:00", "+00:00"))
    table = cli.ok("audit", "--user", "wati").stdout
    assert "article.submit" in table and "When" in table.splitlines()[0]


def test_pages_go_on_with_before(cli, wati_draft):
    first = cli.ok("audit", "--limit", "2", "--json")
    assert len(events(first)) == 2
    assert "--before" in first.stderr
    older = int(first.stderr.rsplit("--before", 1)[1].split()[0])
    second = events(cli.ok("audit", "--limit", "2", "--before", older, "--json"))
    assert second and all(e["id"] < older for e in second)


def test_writers_read_only_their_own_articles_events(cli, wati_draft, newsroom):
    tags.create_tag(newsroom.admin, "Liputan")
    seen = events(cli.ok("audit", "--json", login="budi"))
    assert seen == []
    mine = events(cli.ok("audit", "--json", login="wati"))
    assert mine and {e["article"] for e in mine} == {wati_draft.id}
    assert "tag.create" in {e["action"] for e in events(cli.ok("audit", "--json"))}
    assert "tag.create" not in {e["action"] for e in events(cli.ok("audit", "--json", login="eko"))}


def test_one_event_in_full(cli, wati_draft):
    newest = events(cli.ok("audit", "--json", "--limit", "1"))[0]
    shown = cli.ok("audit", "show", newest["id"]).stdout
    assert newest["action"] in shown
    cli.refused("audit", "show", newest["id"], login="budi")  # not theirs: as if there were none


@pytest.mark.parametrize("args", [
    ("--since", "kemarin"), ("--until", "31/31/2026 10:00"), ("--article", "tidak-ada"), ("--unit", "Tidak Ada"),
    ("--since", "2026-12-02", "--until", "2026-12-01"),
])
def test_bad_input_is_one_clear_line(cli, args):
    cli.refused("audit", *args)


def test_an_empty_match_says_so(cli):
    result = cli.ok("audit", "--action", "tag.merge")
    assert result.stdout.strip() == "No audit events match."
    assert cli("audit", "--limit", "0").exit_code == 2
