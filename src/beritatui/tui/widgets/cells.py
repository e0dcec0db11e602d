"""Text for the cells of the list screens' tables."""

from __future__ import annotations


def clip(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` cells with an ellipsis, so columns never spill."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
