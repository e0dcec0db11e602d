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
