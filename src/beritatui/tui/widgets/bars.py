"""Plain Unicode bar charts: one column group per period, eighth blocks, a few rows high.

Chosen over Textual's ``Sparkline`` for the report dashboard because a report must be read, not
only glanced at: ``Sparkline`` squeezes or stretches the data to its width and draws its smallest
value as the same low bar as a zero, and it tells high from low by a colour blend, which 16 colours
flatten and ``NO_COLOR`` removes.  Here a zero is a blank over a baseline dot, every period keeps
its own bars under its own label, the height alone carries the value, and the selected period is
drawn in reverse video (a style ``NO_COLOR`` keeps).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

EIGHTHS = " ▁▂▃▄▅▆▇█"


def bar_rows(values: list[int], height: int, width: int) -> list[str]:
    """The chart as ``height`` lines, top first; each value ``width`` characters wide, one space between."""
    return [" ".join(cells) for cells in bar_cells(values, height, width)]


def bar_cells(values: list[int], height: int, width: int) -> list[list[str]]:
    """The chart's cells: ``height`` rows (top first) of one ``width``-wide cell per value.

    A value's bar is ``value / max`` of the full height, in eighths of a row, and never less than one
    eighth when the value is not zero (so 1 beside 1000 still shows); a zero draws a dot on the baseline.
    """
    top = max(values, default=0)
    levels = [0 if v <= 0 or top <= 0 else max(1, round(v / top * height * 8)) for v in values]
    lines = []
    for row in range(height - 1, -1, -1):  # the top row first
        cells = []
        for level, value in zip(levels, values, strict=True):
            filled = min(8, max(0, level - row * 8))
            char = "·" if value <= 0 and row == 0 else EIGHTHS[filled]
            cells.append(char * width)
        lines.append(cells)
    return lines


class Bars(Static):
    """A titled bar chart of one series (``show(title, values, selected)``)."""

    DEFAULT_CSS = "Bars { height: auto; }"

    def __init__(self, height: int = 3, **kwargs) -> None:  # noqa: ANN003 - passes through to Static
        super().__init__("", markup=False, **kwargs)
        self.rows = height
        self.text = Text()  # what it shows (tests read the styles from here)

    def show(self, title: str, values: list[int], selected: int | None, width: int) -> None:
        text = Text(title, style="bold")
        for cells in bar_cells(values, self.rows, width):
            text.append("\n")
            for index, cell in enumerate(cells):
                if index:
                    text.append(" ")
                text.append(cell, style="reverse" if index == selected else "")
        self.text = text
        self.update(text)
