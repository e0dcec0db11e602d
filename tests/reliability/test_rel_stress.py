"""Several processes, each a different login, editing one SQLite file at once (bench/stress_editors.py, short)."""

from __future__ import annotations

from beritatui.core.articles import ArticleDraft, create_article, save_article

from .conftest import run_bench


def test_four_editors_for_ten_seconds_lose_nothing(tmp_path):
    code, output, figures = run_bench(
        "stress_editors", ["--procs", "4", "--seconds", "10", "--seed", "5", "--work", str(tmp_path / "run")],
        tmp_path / "figures.json", timeout=180)
    assert code == 0, output
    assert figures["worker_exit_codes"] == [0, 0, 0, 0], output
    assert figures["acknowledged_saves"] > 20, output
    assert figures["lost_saves"] == 0, figures["problems"]
    assert figures["stale_probes"] > 0 and figures["stale_probe_conflicts"] == figures["stale_probes"], output
    assert figures["false_conflicts"] == 0, output
    assert figures["operational_errors"] == 0 and figures["unexpected_errors"] == 0, figures["problems"]
    assert figures["check_problems"] == [] and figures["feed_problems"] == 0, figures["problems"]
    assert figures["feed_files"] > 0, output
    assert {"save", "submit", "note", "export", "tag"} <= set(figures["per_op"]), figures["per_op"]
    assert "p99" in output
    assert figures["busy_database"] == 0, output  # the core waits its turn for the write lock
    assert "save latency: p50 " in output and figures["save_latency"]["count"] > 0, output


def _entry(article, base, version, body, **extra):
    from beritatui.core.articles import get_article

    sent = get_article(article.id).body if body is None else body
    return {"op": "save", "outcome": "ok", "article": article.id, "base": base, "version": version,
            "sha": _sha(sent), "sent": _sha(sent), "ms": 1.0, **extra}


def _sha(text):
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def test_the_checks_catch_a_lost_update(newsroom, stress_bench, tmp_path):
    """The harness must be able to fail: two acknowledgements of one version, a stale save accepted,
    an acknowledged body that is not in the history, a conflict that names no newer version."""
    article = create_article(newsroom.editor, ArticleDraft(title="Razia Kamar Hunian", body="Awal."))
    saved = save_article(newsroom.editor, article.id, 1, ArticleDraft(body="Kedua."))
    honest = [_entry(saved, 1, 2, "Kedua.")]
    result = stress_bench.verify(newsroom.path, honest, tmp_path / "no-feeds")
    assert result["lost_saves"] == 0 and result["problems"] == [], result
    lying = honest + [
        _entry(saved, 1, 2, "Kedua."),  # the same version produced twice
        _entry(saved, 2, 3, "Ketiga yang hilang."),  # acknowledged but never stored
        {"op": "stale-save", "outcome": "stale-accepted", "article": saved.id, "base": 1, "version": 2,
         "ms": 1.0, "probe": True},
        {"op": "save", "outcome": "conflict", "base": 2, "theirs": 2, "ms": 1.0},
    ]
    result = stress_bench.verify(newsroom.path, lying, tmp_path / "no-feeds")
    assert result["lost_saves"] >= 3, result
    assert result["false_conflicts"] == 1, result
    joined = "\n".join(result["problems"])
    assert "versions produced twice" in joined and "missing as a revision" in joined
    assert "stale saves accepted" in joined
