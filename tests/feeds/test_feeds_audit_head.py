"""Every export publishes the audit chain's head: audit-head.json and feed.json's ``_beritatui.audit_head``.

Anyone holding either later proves what the history was (``audit verify --against``); both change only
when events were added, so a re-export with nothing new writes nothing.
"""

from __future__ import annotations

import json

from beritatui.core import audit, audit_chain
from beritatui.core.database import current_database
from beritatui.feeds.export import export_feeds

HEAD = "audit-head.json"


def test_the_export_publishes_the_head_in_both_files_and_feed_json_stays_json_feed_1_1(desk, kit, tmp_path):
    kit.publish(desk, "Kunjungan Ombudsman ke Rutan", tags=["Pelayanan Publik"])
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    head = audit_chain.head(current_database(), skip_exports=True)
    held = json.loads((out / HEAD).read_bytes())
    assert held == {"events": head.events, "hash": head.hash, "time": head.at, "site": "https://lapas.example.go.id",
                    "title": held["title"], "unit": "Organisation"}
    assert held["time"].endswith("Z") and len(head.hash) == 64 and head.events > 5
    feed = kit.check(out / "feed.json")
    assert feed["_beritatui"] == {"audit_head": {"events": head.events, "hash": head.hash}}
    assert audit_chain.read_head(out / HEAD) == audit_chain.read_head(out / "feed.json") == head
    assert audit_chain.against(current_database(), head).ok
    for other in kit.feed_files(out):  # only the main feed's first page carries it
        if other.name != "feed.json":
            assert "audit_head" not in json.dumps(kit.check(other).get("_beritatui", {})), other


def test_a_re_export_without_new_events_writes_nothing_and_a_new_event_rewrites_only_the_head(desk, kit, tmp_path):
    kit.publish(desk, "Pentas Seni Warga Binaan", tags=["Pembinaan"])
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    before = kit.snapshot(out)
    again = export_feeds(out, actor=desk)
    assert again.written == 0 and kit.snapshot(out) == before
    with current_database().atomic():
        audit.record("ani", "site.set", None, key="title", value="Berita Lapas")
    third = export_feeds(out, actor=desk)
    after = kit.snapshot(out)
    assert third.changed_paths == ["feed.json", HEAD]
    assert {name for name in after if after[name] != before.get(name)} == {"feed.json", HEAD,
                                                                             ".beritatui-export.json"}
    held = json.loads((out / HEAD).read_bytes())["events"]
    assert held > json.loads(before[HEAD][0])["events"]
    assert held == audit_chain.head(current_database(), skip_exports=True).events  # the site.set event
    assert audit_chain.against(current_database(), audit_chain.read_head(out / HEAD)).ok


def test_a_dry_run_writes_no_head(desk, kit, tmp_path):
    out = tmp_path / "out"
    report = export_feeds(out, actor=desk, dry_run=True)
    assert HEAD in report.changed_paths and not out.exists()
