"""How the commands print: JSON, times on the site's clock, tables and fields fitted to the terminal,
colour (``NO_COLOR``), ``$PAGER`` for long outputs, and a progress bar on a terminal."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any

import click

from beritatui.core.site import get_settings
from beritatui.i18n import format_datetime


def print_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str))


# --- times, in the site's zone -------------------------------------------------


def site_zone() -> str:
    return get_settings().timezone


def site_time(moment: datetime | None, fmt: str = "yyyy-MM-dd HH:mm") -> str:
    """A stored UTC time as the site's clock shows it."""
    return format_datetime(moment, site_zone(), fmt) if moment else "—"


def site_iso(moment: datetime | None) -> str | None:
    from beritatui.core.timeparse import rfc3339

    return rfc3339(moment, site_zone()) if moment else None


def times_as_site_iso(data: dict[str, Any]) -> dict[str, Any]:
    return {key: site_iso(value) if isinstance(value, datetime) else value for key, value in data.items()}


# --- tables and fields -----------------------------------------------------------


def fit(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def table_lines(headers: list[str], rows: list[list[str]], *, stretch: int | None = None) -> list[str]:
    """Columns padded to their widest cell; column ``stretch`` is cut to fit the terminal."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    if stretch is not None:
        room = shutil.get_terminal_size((100, 24)).columns - sum(w + 2 for i, w in enumerate(widths) if i != stretch)
        widths[stretch] = max(len(headers[stretch]), min(widths[stretch], max(20, room)))
    return ["  ".join(fit(cell, widths[i]).ljust(widths[i]) for i, cell in enumerate(cells)).rstrip()
            for cells in [headers, *rows]]


def print_table(headers: list[str], rows: list[list[str]], *, stretch: int | None = None) -> None:
    for line in table_lines(headers, rows, stretch=stretch):
        click.echo(line)


def field_lines(pairs: list[tuple[str, str]]) -> list[str]:
    """``Label:  value`` lines with the values aligned (labels are translated first)."""
    width = max(len(label) for label, _value in pairs) + 1
    return [f"{(label + ':').ljust(width)}  {value}" for label, value in pairs]


def print_fields(pairs: list[tuple[str, str]]) -> None:
    for line in field_lines(pairs):
        click.echo(line)


# --- colour, pager, terminal -------------------------------------------------------


def is_terminal(stream: Any) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):  # a closed stream
        return False


def has_terminal() -> bool:
    """A person at a terminal: keys come in on stdin and the screen goes out on stdout."""
    return is_terminal(sys.stdin) and is_terminal(sys.stdout)


def colour_wanted() -> bool:
    """Colour unless ``NO_COLOR`` is set to anything but the empty string (https://no-color.org)."""
    return not os.environ.get("NO_COLOR")


def styled(text: str, **style: Any) -> str:
    """``click.style`` unless ``NO_COLOR`` asks for none (click removes styles itself when not on a terminal)."""
    return click.style(text, **style) if style and colour_wanted() else text


# A pager that is no pager: print straight to the terminal (git reads an empty PAGER the same way).
_NO_PAGER = {"", "cat"}


def paged(lines: list[str]) -> None:
    """Long output (``show``, ``diff``, ``history``) through ``$PAGER`` on a terminal, as git does.

    Only when stdout (and stdin, which the pager reads keys from) is a terminal: piped or
    redirected output is printed as it is and no pager ever starts.  ``PAGER=cat`` or an empty
    ``PAGER`` prints straight away; without ``PAGER``, ``less`` (else ``more``, else nothing).
    ``LESS`` defaults to ``-FRX`` as in git: a text that fits on the screen is printed and ``less``
    quits by itself, colours pass, and the screen is not cleared afterwards.
    """
    pager = os.environ.get("PAGER")
    if not has_terminal() or (pager is not None and pager.strip() in _NO_PAGER):
        for line in lines:
            click.echo(line)
        return
    os.environ.setdefault("LESS", "-FRX")
    os.environ.setdefault("LV", "-c")
    click.echo_via_pager(line + "\n" for line in lines)


def with_progress(run: Callable[[Callable[[int, int], None] | None], Any], show: bool, label: str) -> Any:
    """Run ``run(progress)`` with a rich progress bar on a terminal, plainly otherwise."""
    if not show or not sys.stderr.isatty():
        return run(None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)
        return run(lambda done, total: bar.update(task, completed=done, total=total))
