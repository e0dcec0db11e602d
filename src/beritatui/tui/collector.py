"""Python's cyclic garbage collector, paused from the launch until the first screen is painted.

Starting the app creates a few hundred thousand objects that live as long as
the process (Textual's modules and classes, widgets, styles, the first page of
rows).  While they pile up the collector walks them again and again and finds
next to nothing to free: a launch spent about 90 ms of CPU there, a bare
Textual app 35 ms.  So ``beritatui`` pauses it while it starts; once the first
screen is painted the app moves everything alive by then out of the
collector's way (:func:`gc.freeze`) and turns it back on.  A little later
those objects are handed back, so a cycle left over from starting up is still
freed by a later full collection.  Textual pauses the collector the same way
while it scrolls.
"""

from __future__ import annotations

import gc
from typing import Any

HAND_BACK_AFTER = 10.0  # seconds after the first paint: long after the person has started working


def pause() -> bool:
    """Turn the collector off for the launch; True when it was on (and so must be resumed)."""
    was_on = gc.isenabled()
    gc.disable()
    return was_on


def resume(app: Any | None = None) -> None:
    """Turn it back on, skipping what the launch built; ``app`` hands those objects back a little later."""
    gc.freeze()
    gc.enable()
    if app is not None:
        app.set_timer(HAND_BACK_AFTER, gc.unfreeze, name="hand back startup objects to the collector")
