"""The item under a list screen's table cursor."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from textual.screen import Screen
from textual.widgets import DataTable

T = TypeVar("T")


def under_cursor(screen: Screen, items: Sequence[T]) -> T | None:
    """``items[cursor row]`` of the screen's table; none while the screen is still being built or taken
    down (Textual removes a closing screen's widgets one by one, and key checks may come in between)."""
    tables = screen.query(DataTable) if screen.is_mounted and items else ()
    if not tables:
        return None
    index = tables.first().cursor_row
    return items[index] if 0 <= index < len(items) else None
