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

Those in-between full collections are the last source of slow keys: CPython
starts one by itself whenever enough objects have survived, in the middle of
typing, and over a 20 000-word article with its preview open they took 30–75 ms
each, about twice a second.  So the app does not leave their moment to chance:
automatic full collections are off (the young generations still run as usual),
and :func:`tidy` runs one when the typing pauses for :data:`TIDY_QUIET` seconds
(at most every :data:`TIDY_EVERY` s).  If keys never pause, one runs after
:data:`TIDY_AT_LATEST` seconds anyway, so memory stays bounded.  (Freezing the
survivors of each one as well made them cheaper, but kept every replaced preview
of a long article alive until the next refreeze: 25 MiB more over 2 000 keys.)
"""

from __future__ import annotations

import gc
from typing import Any

HAND_BACK_AFTER = 10.0  # seconds after the first paint: long after the person has started working
REFREEZE_EVERY = 300.0  # seconds between two full collections of the frozen objects
QUIET_SECONDS = 1.0  # a full collection waits for this long without a key
RETRY_SECONDS = 2.0
TIDY_QUIET = 0.25  # seconds without a key before a full collection of the young survivors
TIDY_EVERY = 2.0  # at most one such collection per this many seconds
TIDY_AT_LATEST = 30.0  # even while keys never pause
NEVER = 1 << 30  # a threshold no count reaches: CPython starts no full collection by itself
_last_tidy = [0.0]


def pause() -> bool:
    """Turn the collector off for the launch; True when it was on (and so must be resumed)."""
    was_on = gc.isenabled()
    gc.disable()
    return was_on


def resume(app: Any | None = None) -> None:
    """Turn it back on, skipping what the launch built; with ``app``, full collections come at pauses in the
    typing (:func:`tidy`), and the frozen objects are refrozen later and periodically (:func:`refreeze`)."""
    gc.freeze()
    gc.enable()
    if app is not None:
        young, middle, _full = gc.get_threshold()
        gc.set_threshold(young, middle, NEVER)
        _last_tidy[0] = _now()
        app.set_interval(TIDY_QUIET / 2, lambda: tidy(app), name="full collections when the typing pauses")
        app.set_timer(HAND_BACK_AFTER, lambda: refreeze(app), name="collect and refreeze long-lived objects")


def _now() -> float:
    from time import monotonic

    return monotonic()


def tidy(app: Any) -> bool:
    """A full collection of what is not frozen: at a pause in the typing, or when long overdue.

    Returns whether it collected (the timer calls it four times a second; most calls only look at the clock).
    """
    now = _now()
    since = now - _last_tidy[0]
    paused = now - getattr(app, "last_key_at", 0.0) >= TIDY_QUIET
    if not ((paused and since >= TIDY_EVERY) or since >= TIDY_AT_LATEST):
        return False
    gc.collect()
    _last_tidy[0] = _now()
    return True


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
