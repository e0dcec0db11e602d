"""Translated key bindings, and the keys a person sees for them.

Textual shows ``Binding.description`` exactly as written, and ``BINDINGS`` are
built when a module is imported, before the language is known.  So every
screen writes its ``BINDINGS`` in English with an ``id`` ("articles.new",
"editor.save") and a :class:`TranslatedBindings` mixin swaps each
description for ``_(description)`` on the instance when the screen is created.
The class-level English stays untouched, so a screen created after a language
switch shows the new language.

Use it like this (mixin first, so its ``__init__`` runs)::

    class EditorScreen(TranslatedBindings, Screen):
        BINDINGS = [Binding("ctrl+s", "save", "Save", id="editor.save")]

Extraction: write descriptions as ``N_("Save")`` in BINDINGS if you want the
lead's extraction to see them; ``N_`` returns the string unchanged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

# The keymap rule lives in the core, so `beritatui config check` refuses exactly what the app refuses.
from beritatui.core.config import UNSAFE_MODIFIERS, check_keymap  # noqa: F401 - re-exported for the screens
from beritatui.i18n import _

if TYPE_CHECKING:
    from textual.screen import Screen


def translate_bindings(node: DOMNode) -> None:
    """Replace ``node``'s binding descriptions (and tooltips) with their translations.

    The English originals are kept on the node the first time, so calling this
    again after :func:`beritatui.i18n.set_language` re-translates from English.
    """
    originals: BindingsMap | None = getattr(node, "_english_bindings", None)
    if originals is None:
        originals = node._bindings.copy()
        node._english_bindings = originals  # type: ignore[attr-defined]
    translated = BindingsMap()
    for _key, binding in originals:
        translated._add_binding(_translated(binding))
    node._bindings = translated


def _translated(binding: Binding) -> Binding:
    changes: dict[str, str] = {}
    if binding.description:
        changes["description"] = _(binding.description)
    if binding.tooltip:
        changes["tooltip"] = _(binding.tooltip)
    return dataclasses.replace(binding, **changes) if changes else binding


class TranslatedBindings:
    """Mixin for screens and widgets: descriptions shown in the current language."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - passes through to Textual
        super().__init__(*args, **kwargs)
        translate_bindings(self)  # type: ignore[arg-type]


@dataclass(frozen=True)
class KeyHelp:
    """One line of the help screen: keys, what they do, the binding id."""

    keys: str
    description: str
    binding_id: str
    action: str


def describe_keys(keys: str, app: object) -> str:
    """Keys as a person reads them ("ctrl+s" -> "^s", "question_mark" -> "?")."""
    shown = []
    for key in keys.split(","):
        key = key.strip()
        display = getattr(app, "get_key_display", None)
        if display is not None:
            shown.append(display(Binding(key, "")))
        else:
            shown.append(key)
    return " ".join(shown)


def key_help(bindings: Iterable[tuple[DOMNode, Binding]], app: object) -> list[KeyHelp]:
    """Group bindings by id (or action) so "j" and "down" for one action make one line."""
    lines: dict[str, tuple[list[str], str, str, str]] = {}
    for node, binding in bindings:
        if not binding.description or binding.system:
            continue
        if node.check_action(binding.action, ()) is False:  # hidden for this login or state
            continue
        ident = binding.id or f"{type(node).__name__}.{binding.action}"
        keys, _desc, _id, _action = lines.setdefault(ident, ([], binding.description, ident, binding.action))
        key = binding.key_display or describe_keys(binding.key, app)
        if key not in keys:
            keys.append(key)
    return [KeyHelp(" ".join(keys), desc, ident, action) for keys, desc, ident, action in lines.values()]


def screen_keys(screen: Screen) -> list[KeyHelp]:
    """The bindings a person can use on ``screen`` now: its focused widget, the screen, the app.

    What the help screen lists and the command palette offers, so neither can disagree with the footer.
    """
    pairs = []
    for node, bindings in screen._binding_chain:
        for _key, binding in bindings:
            if binding.id is not None:
                pairs.append((node, binding))
    return key_help(pairs, screen.app)
