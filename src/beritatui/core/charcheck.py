"""Characters nobody can see, refused in names colleagues must tell apart; and input echoed back, capped.

A right-to-left override (U+202E) turns ``Humas`` into a title that reads backwards; a
zero-width space (U+200B) makes a second tag ``Hu<ZWSP>mas`` that looks exactly like
``Humas``.  Titles, tags, slugs, bylines and logins are names people choose between on a
screen, so an invisible formatting character in them is refused with one line that names it
(its code point and Unicode name), never silently kept or silently dropped.

What is refused: every character of Unicode category ``Cf`` (format), which includes the
zero-width characters U+200B–U+200F, the bidi embeddings and overrides U+202A–U+202E, the
invisible operators U+2060–U+2064, the bidi isolates U+2066–U+2069, the byte order mark /
zero-width no-break space U+FEFF, the soft hyphen U+00AD, the Arabic letter mark U+061C, the
Mongolian vowel separator U+180E, the interlinear annotation marks U+FFF9–U+FFFB and the
tag characters U+E0000–U+E007F.  Two exceptions, because a written language needs them:

- the Arabic, Syriac and Kaithi signs that are printed (U+0600–U+0605, U+06DD, U+070F,
  U+0890–U+0891, U+08E2, U+110BD, U+110CD): they are visible, and part of how numbers and
  abbreviations are written in those scripts;
- ZERO WIDTH NON-JOINER (U+200C) and ZERO WIDTH JOINER (U+200D) *between two letters, marks
  or symbols of a non-Latin script* (Persian, Arabic, the Indic scripts, Javanese, emoji
  sequences such as a family or a flag): there they change how the word is drawn, so the
  difference shows.  Next to an ASCII or Latin character, a digit, a space or punctuation
  (where a look-alike of an Indonesian or English name would hide) they are refused.

Control characters (category ``Cc``: ESC, BEL, ...) are a different matter: nobody means
them, and they are dropped where text is cleaned (``validation.strip_controls``).
"""

from __future__ import annotations

import unicodedata

from beritatui.core.errors import ValidationError
from beritatui.i18n import _

SHOWN_MAX = 80  # at most this many characters of a person's input are echoed in a message
_VISIBLE_FORMAT = frozenset(
    [*range(0x0600, 0x0606), 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x110BD, 0x110CD])
_JOINERS = frozenset((0x200C, 0x200D))
_SYMBOL_CATEGORIES = ("So", "Sk")  # emoji, and the skin-tone modifiers in emoji sequences


def shown(text: str, limit: int = SHOWN_MAX) -> str:
    """``text`` as it may be echoed in a one-line message: on one line, at most ``limit`` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + "…"


def _joins_a_script(ch: str | None) -> bool:
    """Whether a joiner next to ``ch`` can only be part of a non-Latin word (where it is visible)."""
    if ch is None or ch.isascii():
        return False
    category = unicodedata.category(ch)
    if not (category[0] in "LM" or category in _SYMBOL_CATEGORIES):
        return False
    return not unicodedata.name(ch, "").startswith("LATIN ")


def hidden_character(text: str) -> str | None:
    """The first invisible formatting character of ``text`` that is refused (see the module), else ``None``."""
    if text.isprintable():  # no character of any "Other" category at all: the common case, in C
        return None
    for index, ch in enumerate(text):
        if unicodedata.category(ch) != "Cf" or ord(ch) in _VISIBLE_FORMAT:
            continue
        if ord(ch) in _JOINERS:
            before = text[index - 1] if index > 0 else None
            after = text[index + 1] if index + 1 < len(text) else None
            if _joins_a_script(before) and _joins_a_script(after):
                continue
        return ch
    return None


def describe(ch: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}".rstrip()


def refuse_hidden(text: str, what: str) -> str:
    """``text`` unchanged, or :class:`ValidationError` naming the first invisible character.

    ``what`` is the translated subject of the sentence ("The title", "A tag name", ...).
    """
    ch = hidden_character(text)
    if ch is not None:
        raise ValidationError(
            _("{what} contains {character}, an invisible formatting character that makes look-alike names; "
              "remove it").format(what=what, character=describe(ch)))
    return text
