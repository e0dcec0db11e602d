"""How long an article is to read: its words and minutes, as the editor's status line and ``show`` say it."""

from __future__ import annotations

from beritatui.i18n import ngettext


def word_count(text: str) -> int:
    return len(text.split())


def reading_minutes(text: str, words_per_minute: int = 200) -> int:
    return max(1, round(word_count(text) / words_per_minute))


def describe_reading(text: str) -> str:
    words, minutes = word_count(text), reading_minutes(text)
    return ngettext("{n} word", "{n} words", words).format(n=words) + " · " + ngettext(
        "{n} min read", "{n} min read", minutes).format(n=minutes)
