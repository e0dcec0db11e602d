"""Shell completion, click's own (``_BERITATUI_COMPLETE=bash_source beritatui``): slugs, tags, logins,
units, site setting keys and file names, answered from :mod:`beritatui.core.completion`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from beritatui.core import config as configmod


def completion_database(ctx: click.Context) -> str:
    """The database a completion reads: ``--db`` as typed so far on the line, else as every command finds it."""
    return configmod.resolve_database(ctx.find_root().params.get("db"), configmod.load_config())


def completer(kind: str) -> Callable[[click.Context, click.Parameter, str], list[Any]]:
    """A ``shell_complete`` callback answering from ``core.completion`` (read-only; nothing on any problem)."""

    def complete(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        from beritatui.core import completion

        try:
            if kind == "setting":
                values = completion.setting_keys(incomplete)
            else:
                ask = {"slug": completion.article_slugs, "tag": completion.tag_names, "login": completion.logins,
                       "unit": completion.unit_slugs}
                values = ask[kind](completion_database(ctx), incomplete)
        except Exception:  # noqa: BLE001 - a broken config file, anything: a completion answers nothing
            return []
        return [CompletionItem(value) for value in values]

    return complete


def complete_files(_ctx: click.Context, _param: click.Parameter, _incomplete: str) -> list[Any]:
    from click.shell_completion import CompletionItem

    return [CompletionItem("", type="file")]  # the shell completes file names itself


complete_slugs = completer("slug")
complete_tags = completer("tag")
complete_logins = completer("login")
complete_units = completer("unit")
complete_settings = completer("setting")
