"""The collector's refreeze: garbage among frozen objects is freed, what is alive goes out of the scans again."""

from __future__ import annotations

import gc
import weakref

from beritatui.tui import collector


class Node:
    """A cycle: only the cyclic collector frees it."""


def test_refreeze_frees_frozen_garbage_and_freezes_what_lives():
    gc.collect()
    lost, kept = Node(), Node()
    lost.me, kept.me = lost, kept
    gone, alive = weakref.ref(lost), weakref.ref(kept)
    gc.freeze()
    try:
        del lost
        gc.collect()
        assert gone() is not None  # frozen: no collection sees it
        collector.refreeze()
        assert gone() is None and alive() is kept
        assert gc.get_freeze_count() > 0 and gc.isenabled()
    finally:
        gc.unfreeze()


def test_refreeze_waits_while_keys_are_coming():
    class App:
        last_key_at = float("inf")  # a key just now
        timers: list[float] = []

        def set_timer(self, delay, callback, name=None):  # noqa: ANN001, ANN201
            self.timers.append(delay)

    app = App()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        collector.refreeze(app)
        assert app.timers == [collector.RETRY_SECONDS] and gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


class Clocked:
    """An app as the collector sees it: when the last key came, and the timers it is asked for."""

    def __init__(self, last_key_at: float) -> None:
        self.last_key_at = last_key_at
        self.intervals: list[float] = []
        self.timers: list[float] = []

    def set_interval(self, delay, callback, name=None):  # noqa: ANN001, ANN201
        self.intervals.append(delay)

    def set_timer(self, delay, callback, name=None):  # noqa: ANN001, ANN201
        self.timers.append(delay)


def _cycle() -> weakref.ref:
    lost = Node()
    lost.me = lost
    return weakref.ref(lost)


def test_full_collections_wait_for_a_pause_in_the_typing(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(collector, "_now", lambda: now[0])
    thresholds = gc.get_threshold()
    try:
        app = Clocked(last_key_at=now[0])
        collector.resume(app)
        assert gc.get_threshold()[2] == collector.NEVER  # CPython starts no full collection by itself
        assert app.intervals == [collector.TIDY_QUIET / 2]
        gone = _cycle()
        now[0] += collector.TIDY_EVERY + 0.1
        app.last_key_at = now[0] - 0.05  # a key a moment ago: typing goes on
        assert collector.tidy(app) is False and gone() is not None
        app.last_key_at = now[0] - collector.TIDY_QUIET  # the typing paused
        assert collector.tidy(app) is True and gone() is None
        gone = _cycle()
        now[0] += collector.TIDY_QUIET
        assert collector.tidy(app) is False  # paused, but one ran a moment ago
        now[0] += collector.TIDY_AT_LATEST
        app.last_key_at = now[0]  # keys that never pause: it runs anyway, memory stays bounded
        assert collector.tidy(app) is True and gone() is None
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
