"""Slug rules: python-slugify, lower-case ASCII, at most 80 characters cut on a word boundary."""

from __future__ import annotations

from collections.abc import Callable

from slugify import slugify

from beritatui.core.vocabulary import INTERNAL_TAG_MARK, is_internal_tag

MAX_LENGTH = 80
FALLBACK_PREFIX = "artikel"


def base_slug(text: str, uuid: str) -> str:
    """The slug a title asks for, before collisions; ``artikel-<8 hex>`` when nothing is left."""
    slug = slugify(text or "", max_length=MAX_LENGTH, word_boundary=True, lowercase=True)
    return slug or f"{FALLBACK_PREFIX}-{uuid.replace('-', '')[:8]}"


def normalize_slug(text: str) -> str:
    """A slug a person typed, made valid (may be empty)."""
    return slugify(text or "", max_length=MAX_LENGTH, word_boundary=True, lowercase=True)


def unique_slug(wanted: str, taken: Callable[[str], bool]) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``… (kept within 80 characters) where taken."""
    if not taken(wanted):
        return wanted
    n = 2
    while True:
        suffix = f"-{n}"
        stem = wanted[: MAX_LENGTH - len(suffix)].rstrip("-")
        candidate = f"{stem}{suffix}"
        if not taken(candidate):
            return candidate
        n += 1


def tag_slug(name: str) -> str:
    """Slug of a tag name; internal tags (``#…``) keep a marker so they never collide with public ones."""
    internal = is_internal_tag(name)
    slug = slugify(name.lstrip(INTERNAL_TAG_MARK), max_length=MAX_LENGTH, word_boundary=True, lowercase=True)
    if internal:
        slug = f"internal-{slug}" if slug else "internal"
    return slug or "tag"
