"""Python's cyclic garbage collector, paused from the launch until the first screen is painted.

Starting the app creates a few hundred thousand objects that live as long as
the process (Textual's modules and classes, widgets, styles, the first page of
rows).  While they pile up the collector walks them again and again and finds
next to nothing to free: a launch spent about 90 ms of CPU there, a bare
Textual app 35 ms.  So ``beritatui`` pauses it while it starts; once the first
screen is painted the app moves everything alive by then out of the
collector's way (:func:`gc.freeze`) and turns it back on.  Textual pauses the
collector the same way while it scrolls.

Frozen objects are never scanned, which is what keeps a key press quick: a
full collection over the ~130 000 objects of an editor open on a 20 000-word
article took 50 ms (160 ms on a busy machine), and such a collection landing
during a key is that key's delay.  So the objects are not simply handed back
later; :func:`refreeze` hands them back, frees what has become garbage among
them with one full collection, and freezes what is still alive — first a
little after the first paint, then every few minutes, each time only once
nobody has pressed a key for a moment.  Collections in between scan only what
was made since (about 40 000 objects, 5–20 ms), and nothing stays uncollected
longer than one period.
"""

from __future__ import annotations

import gc
from typing import Any

HAND_BACK_AFTER = 10.0  # seconds after the first paint: long after the person has started working
REFREEZE_EVERY = 300.0  # seconds between two full collections of the frozen objects
QUIET_SECONDS = 1.0  # a full collection waits for this long without a key
RETRY_SECONDS = 2.0


def pause() -> bool:
    """Turn the collector off for the launch; True when it was on (and so must be resumed)."""
    was_on = gc.isenabled()
    gc.disable()
    return was_on


def resume(app: Any | None = None) -> None:
    """Turn it back on, skipping what the launch built; ``app`` refreezes those objects later and periodically."""
    gc.freeze()
    gc.enable()
    if app is not None:
        app.set_timer(HAND_BACK_AFTER, lambda: refreeze(app), name="collect and refreeze long-lived objects")


def refreeze(app: Any | None = None) -> None:
    """Hand the frozen objects back, free the garbage among them (one full collection), freeze the rest.

    With ``app``: only when no key came for ``QUIET_SECONDS`` (else a little later), and again every
    ``REFREEZE_EVERY`` seconds.
    """
    if app is not None:
        from time import monotonic

        if monotonic() - getattr(app, "last_key_at", 0.0) < QUIET_SECONDS:
            app.set_timer(RETRY_SECONDS, lambda: refreeze(app), name="collect when the typing pauses")
            return
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    if app is not None:
        app.set_timer(REFREEZE_EVERY, lambda: refreeze(app), name="collect and refreeze long-lived objects")
