"""The editable content of an article, as one type.

:class:`Content` is everything a person writes about an article (title, slug, summary, body,
tags, bylines, language, image and its description), whole.  The editor holds one, a revision
records one, an autosave slot and ``beritatui edit`` keep one as a payload, take-theirs and
restore save one back, and an import's :class:`~beritatui.feeds.importers.Source` and the bulk
loader's :class:`~beritatui.core.bulk.BulkArticle` are one with a little more (where it came
from, status and dates).  Adding a field to an article's content means adding it here (and to
the models, the migrations and the screens that show it).

:class:`ArticleDraft` is the *change request* a save takes: every field may be ``None``, meaning
"leave it as it is".  It is made from a content with :meth:`Content.as_draft` (every field) or
:meth:`Content.changes_from` (only what differs from another content).

Bylines are ``(name, unit)`` pairs, written two ways: the *display* form joins them with ", "
("Eko Prasetyo (Humas), Sari") for lists, the review screen and ``show``; the *field* form joins
them with "; " ("Eko Prasetyo (Humas); Sari"), for the editor's byline field and the text a diff
compares, because that form is read back and a unit may hold a comma ("Lapas Kelas IIA
Watampone, Bone"): only a semicolon separates two people.

Nothing here reads or writes the database except :meth:`Content.of_article` and the two
readers beside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from beritatui.core.models import Article, ArticleTag, Byline, Revision, Tag

Pair = tuple[str, str]

# The content fields, in the order the editor shows them (its widgets carry these ids).
FIELDS = ("title", "slug", "summary", "tags", "bylines", "language", "image_url", "image_alt", "body")
# The fields a revision written before schema version 5 did not record (then NULL).
VERSIONED_SINCE_5 = ("language", "image_url", "image_alt")


# -- bylines ----------------------------------------------------------------------------------------

def parse_byline(text: str) -> Pair:
    """``"A. Yudistira (Lapas Watampone)"`` -> ``("A. Yudistira", "Lapas Watampone")``."""
    text = " ".join(text.split())
    if text.endswith(")") and "(" in text:
        name, unit = text[:-1].rsplit("(", 1)
        return name.strip(), unit.strip()
    return text, ""


def format_byline(name: str, unit: str) -> str:
    return f"{name} ({unit})" if unit else name


def bylines_display(bylines: Iterable[Iterable[str]]) -> str:
    """``[("Eko", "Humas"), ("Sari", "")]`` -> ``"Eko (Humas), Sari"`` (how lists and ``show`` name the writers)."""
    return ", ".join(format_byline(name, unit) for name, unit in bylines)


def bylines_field(bylines: Iterable[Iterable[str]]) -> str:
    """``[("Eko", "Humas"), ("Sari", "")]`` -> ``"Eko (Humas); Sari"`` (the byline field; read back by
    :func:`parse_bylines_field`)."""
    return "; ".join(format_byline(name, unit) for name, unit in bylines)


def parse_bylines_field(text: str) -> list[Pair]:
    """The byline field's text as pairs: people are separated by ";" (a unit may hold a comma)."""
    return [parse_byline(part) for part in text.split(";") if part.strip()]


# -- the change request ----------------------------------------------------------------------------

@dataclass
class ArticleDraft:
    """What a person changes; ``None`` leaves a field as it is.  ``bylines`` are (name, unit) pairs."""

    title: str | None = None
    slug: str | None = None
    summary: str | None = None
    body: str | None = None
    tags: list[str] | None = None
    bylines: list[Pair] | None = None
    language: str | None = None
    image_url: str | None = None
    image_alt: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


# -- the content -----------------------------------------------------------------------------------

def _pairs(value: Iterable[Iterable[str]]) -> tuple[Pair, ...]:
    return tuple((str(name), str(unit)) for name, unit in value)


@dataclass(frozen=True)
class Content:
    """An article's editable content, whole.  Tags and bylines are kept as tuples (lists given are
    turned into tuples), so two contents compare equal exactly when a person would see no change."""

    title: str = ""
    slug: str = ""
    summary: str = ""
    body: str = ""
    tags: tuple[str, ...] = ()
    bylines: tuple[Pair, ...] = ()
    language: str = ""
    image_url: str = ""
    image_alt: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.tags, tuple):
            object.__setattr__(self, "tags", tuple(self.tags))
        if not (isinstance(self.bylines, tuple) and all(type(b) is tuple for b in self.bylines)):
            object.__setattr__(self, "bylines", _pairs(self.bylines))

    # -- from ------------------------------------------------------------------------------------

    @classmethod
    def of_article(cls, article: Article) -> Content:
        """The article's content as the database holds it now (reads its tags and bylines)."""
        return cls(title=article.title, slug=article.slug, summary=article.summary, body=article.body,
                   tags=tuple(tag_names(article.id)), bylines=tuple(bylines_of(article.id)),
                   language=article.language, image_url=article.image_url, image_alt=article.image_alt)

    @classmethod
    def of_revision(cls, revision: Revision, base: Content | None = None) -> Content:
        """What ``revision`` recorded; a field it did not record (language and image, in a revision
        written before schema version 5) is ``base``'s, or empty without one."""
        def recorded(name: str) -> str:
            value = getattr(revision, name)
            return value if value is not None else (getattr(base, name) if base is not None else "")

        return cls(title=revision.title, slug=revision.slug, summary=revision.summary, body=revision.body,
                   tags=tuple(revision.tags or ()), bylines=_pairs(revision.bylines or ()),
                   **{name: recorded(name) for name in VERSIONED_SINCE_5})

    @classmethod
    def from_payload(cls, payload: Any, base: Content | None = None) -> Content:
        """The content a payload holds (an autosave slot, a snapshot, a conflict's side), over ``base``.

        A field the payload lacks, holds as ``None`` or holds in a shape that is not the content's
        (a slot written by another version, or by hand) is ``base``'s (empty without one): text is
        never blanked by a payload that cannot say it.
        """
        base = base if base is not None else EMPTY
        payload = payload if isinstance(payload, Mapping) else {}
        found: dict[str, Any] = {}
        for name in FIELDS:
            value = payload.get(name)
            if name == "tags":
                ok = isinstance(value, list | tuple) and all(isinstance(tag, str) for tag in value)
            elif name == "bylines":
                ok = isinstance(value, list | tuple) and all(
                    isinstance(b, list | tuple) and len(b) == 2 and all(isinstance(part, str) for part in b)
                    for b in value)
            else:
                ok = isinstance(value, str)
            if ok:
                found[name] = value
        return replace(base, **found) if found else base

    # -- to --------------------------------------------------------------------------------------

    def as_payload(self) -> dict[str, Any]:
        """Plain JSON data: tags a list, bylines ``[name, unit]`` lists (an autosave slot, ``show --json``)."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name in FIELDS}
        data["tags"] = list(self.tags)
        data["bylines"] = [list(b) for b in self.bylines]
        return data

    def revision_fields(self) -> dict[str, Any]:
        """The columns of a :class:`~beritatui.core.models.Revision` that record this content."""
        return self.as_payload()

    def as_draft(self, *, slug: bool = True) -> ArticleDraft:
        """A change request for every field.  ``slug=False`` leaves the slug to follow the title; an empty
        language asks for none (the article keeps its own, a new one gets the site's)."""
        return ArticleDraft(title=self.title, slug=self.slug if slug else None, summary=self.summary,
                            body=self.body, tags=list(self.tags), bylines=list(self.bylines),
                            language=self.language or None, image_url=self.image_url, image_alt=self.image_alt)

    def changes_from(self, current: Content, *, slug: bool = True) -> ArticleDraft:
        """A change request for only the fields that differ from ``current`` (the slug only if ``slug``)."""
        full = self.as_draft(slug=slug)
        for name in FIELDS:
            if getattr(self, name) == getattr(current, name):
                setattr(full, name, None)
        return full

    # -- changed ---------------------------------------------------------------------------------

    def with_changes(self, draft: ArticleDraft) -> Content:
        """This content with a change request applied (its ``None`` fields leave ours as they are)."""
        return replace(self, **draft.as_dict())

    def replace(self, **changes: Any) -> Content:
        return replace(self, **changes)

    def differing(self, other: Content) -> list[str]:
        """The names of the fields in which ``other`` differs, in :data:`FIELDS` order."""
        return [name for name in FIELDS if getattr(self, name) != getattr(other, name)]


EMPTY = Content()


# -- reading an article's lists ----------------------------------------------------------------------

def tag_names(article_id: int) -> list[str]:
    """The article's tag names in their order (the first is primary)."""
    query = (Tag.select(Tag.name).join(ArticleTag).where(ArticleTag.article == article_id)
             .order_by(ArticleTag.position).tuples())
    return [name for (name,) in query]


def bylines_of(article_id: int) -> list[Pair]:
    """The article's bylines in their order, as (name, unit) pairs."""
    query = Byline.select(Byline.name, Byline.unit).where(Byline.article == article_id).order_by(
        Byline.position).tuples()
    return [(name, unit) for name, unit in query]
