"""The Indonesian catalog is complete, compiled and consistent with the English messages."""

from __future__ import annotations

import re
import string
from datetime import UTC, datetime, timedelta

import pytest

from beritatui import i18n
from beritatui.i18n import catalog


def test_every_message_in_the_source_has_an_indonesian_translation():
    assert catalog.untranslated("id") == []


def test_the_compiled_catalog_matches_the_po_file():
    assert catalog.compiled(catalog.read_catalog("id")) == catalog.mo_path("id").read_bytes()


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_translations_keep_the_same_placeholders():
    broken = []
    for message in catalog.read_catalog("id"):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not message.id or not all(strings):
            continue
        try:
            wanted = set().union(*(_fields(i) for i in ids))
            got = set().union(*(_fields(s) for s in strings))
        except ValueError:
            broken.append(ids[0])
            continue
        if got != wanted:
            broken.append(ids[0])
    assert broken == []


@pytest.fixture
def indonesian():
    i18n.set_language("id")
    yield
    i18n.set_language("en")


def test_switching_language_changes_messages(indonesian):
    assert i18n._("A title is required") != "A title is required"
    i18n.set_language("en")
    assert i18n._("A title is required") == "A title is required"


def test_relative_times_are_localized(indonesian):
    now = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
    text = i18n.format_relative(now - timedelta(hours=3), now)
    assert re.search(r"3 jam", text)


def test_dates_are_shown_in_the_requested_zone():
    moment = datetime(2026, 11, 29, 1, 30, tzinfo=UTC)
    assert "9:30" in i18n.format_datetime(moment, "Asia/Makassar", "short")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("id_ID.UTF-8", "id"), ("en_US.UTF-8", "en"), ("C", "en"), ("in", "id"), ("ID", "id"), ("fr_FR", "en")],
)
def test_language_codes_are_normalized(value, expected):
    assert i18n.normalize_language(value) == expected
