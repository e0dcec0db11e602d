"""Tags: unique case-insensitively, ordered per article (the first is primary), ``#name`` internal."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from peewee import JOIN, fn

from beritatui.core import audit, clock, slugs
from beritatui.core.charcheck import refuse_hidden, shown
from beritatui.core.database import current_database
from beritatui.core.errors import NotFound, ValidationError
from beritatui.core.models import Article, ArticleTag, Tag, User

# Re-exported: the rule that a "#name" tag is internal (written once, in core.vocabulary).
from beritatui.core.vocabulary import INTERNAL_TAG_MARK as INTERNAL_TAG_MARK
from beritatui.core.vocabulary import is_internal_tag as is_internal_tag
from beritatui.i18n import _

MAX_TAG = 64
MAX_TAGS_PER_ARTICLE = 50


def name_key(name: str) -> str:
    return name.casefold()


def check_tag_name(name: str) -> str:
    name = " ".join("".join(ch for ch in name if ch.isspace() or unicodedata.category(ch) != "Cc").split())
    if not name or name == INTERNAL_TAG_MARK:
        raise ValidationError(_("A tag name cannot be empty"))
    if "," in name:
        raise ValidationError(_("A tag name cannot contain a comma: {name!r}").format(name=shown(name)))
    if len(name) > MAX_TAG:  # never echo a huge input back in full
        raise ValidationError(_("A tag name is at most {max} characters: {name!r}").format(
            max=MAX_TAG, name=shown(name, MAX_TAG)))
    refuse_hidden(name, _("The tag name {name!r}").format(name=shown(name, MAX_TAG)))
    return name


def check_tag_names(names: list[str]) -> list[str]:
    """Cleaned names in order, duplicates (case-insensitive) dropped, at most 50."""
    seen: set[str] = set()
    clean = []
    for raw in names:
        if not raw.strip():
            continue
        name = check_tag_name(raw)
        if name_key(name) not in seen:
            seen.add(name_key(name))
            clean.append(name)
    if len(clean) > MAX_TAGS_PER_ARTICLE:
        raise ValidationError(_("At most {max} tags per article").format(max=MAX_TAGS_PER_ARTICLE))
    return clean


def split_tags(text: str) -> list[str]:
    """``"Humas, Pelayanan Publik"`` -> ``["Humas", "Pelayanan Publik"]``."""
    return [part.strip() for part in text.split(",") if part.strip()]


def find_tag(name_or_slug: str) -> Tag:
    tag = Tag.get_or_none((Tag.name_key == name_key(name_or_slug.strip())) | (Tag.slug == name_or_slug.strip()))
    if tag is None:
        raise NotFound(_("No tag {name!r}").format(name=name_or_slug))
    return tag


def _unique_tag_slug(name: str, exclude: int | None = None) -> str:
    def taken(slug: str) -> bool:
        query = Tag.select().where(Tag.slug == slug)
        return (query.where(Tag.id != exclude) if exclude else query).exists()

    return slugs.unique_slug(slugs.tag_slug(name), taken)


def get_or_create_tag(name: str) -> Tag:
    """Inside a write transaction: the tag with this name (any case), created if new."""
    name = check_tag_name(name)
    tag = Tag.get_or_none(Tag.name_key == name_key(name))
    if tag is None:
        tag = Tag.create(name=name, name_key=name_key(name), slug=_unique_tag_slug(name), created_at=clock.utcnow())
    return tag


def assign_tags(article_id: int, names: list[str], actor: User) -> list[Tag]:
    """Replace the article's tags with ``names`` in order (inside the caller's transaction)."""
    ArticleTag.delete().where(ArticleTag.article == article_id).execute()
    tags = [get_or_create_tag(name) for name in check_tag_names(names)]
    for position, tag in enumerate(tags):
        ArticleTag.create(article=article_id, tag=tag.id, position=position)
    return tags


@dataclass(frozen=True)
class TagCount:
    id: int
    name: str
    slug: str
    count: int

    @property
    def internal(self) -> bool:
        return is_internal_tag(self.name)


def list_tags(include_trash: bool = False) -> list[TagCount]:
    """Every tag with the number of articles carrying it, by name."""
    join_on = ArticleTag.tag == Tag.id
    count = fn.COUNT(Article.id)
    query = (
        Tag.select(Tag.id, Tag.name, Tag.slug, count.alias("n"))
        .join(ArticleTag, JOIN.LEFT_OUTER, on=join_on)
        .join(Article, JOIN.LEFT_OUTER, on=(ArticleTag.article == Article.id) & (
            True if include_trash else Article.status != "trash"))
        .group_by(Tag.id)
        .order_by(Tag.name_key)
    )
    return [TagCount(row.id, row.name, row.slug, row.n) for row in query.objects()]


def tag_names(prefix: str = "", limit: int = 20) -> list[str]:
    """Names for completion, most used first."""
    query = (
        Tag.select(Tag.name, fn.COUNT(ArticleTag.article).alias("n"))
        .join(ArticleTag, JOIN.LEFT_OUTER)
        .group_by(Tag.id)
        .order_by(fn.COUNT(ArticleTag.article).desc(), Tag.name_key)
        .limit(limit)
    )
    if prefix:
        query = query.where(Tag.name_key.startswith(name_key(prefix)))
    return [row.name for row in query]


def _require_editor(actor: User) -> User:
    """The actor as they are now, if an editor (inside the write transaction)."""
    from beritatui.core.users import require

    return require(actor, "editor", _("Only an editor may manage tags"))


def _tagged_ids(tag_id: int) -> list[int]:
    return [row[0] for row in ArticleTag.select(ArticleTag.article).where(ArticleTag.tag == tag_id).tuples()]


def _touch_articles(ids: list[int]) -> None:
    """Articles whose tags changed must be re-exported and re-indexed (set-based: this runs inside the
    write transaction of a rename or merge, which must stay short even for thousands of articles)."""
    from beritatui.core.search import reindex_many

    now = Article.updated_at.db_value(clock.utcnow())
    db = current_database()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        db.execute_sql(f"UPDATE article SET modified_at = ?, updated_at = ?, version = version + 1 "
                       f"WHERE id IN ({', '.join('?' * len(chunk))})", (now, now, *chunk))
    reindex_many(ids)


def create_tag(actor: User, name: str) -> Tag:
    with current_database().atomic():
        actor = _require_editor(actor)
        name = check_tag_name(name)
        if Tag.select().where(Tag.name_key == name_key(name)).exists():
            raise ValidationError(_("The tag {name!r} exists already").format(name=name))
        tag = get_or_create_tag(name)
        audit.record(actor.login, "tag.create", name=name)
    return tag


def rename_tag(actor: User, old: str, new: str) -> Tag:
    with current_database().atomic():
        actor = _require_editor(actor)
        new = check_tag_name(new)
        tag = find_tag(old)
        clash = Tag.get_or_none((Tag.name_key == name_key(new)) & (Tag.id != tag.id))
        if clash is not None:
            raise ValidationError(
                _("The tag {name!r} exists already; merge into it instead").format(name=clash.name))
        Tag.update(name=new, name_key=name_key(new), slug=_unique_tag_slug(new, exclude=tag.id)).where(
            Tag.id == tag.id).execute()
        _touch_articles(_tagged_ids(tag.id))
        audit.record(actor.login, "tag.rename", old=tag.name, new=new)
    return Tag.get_by_id(tag.id)


def merge_tags(actor: User, source: str, target: str) -> Tag:
    """Move every article from ``source`` to ``target`` (keeping positions), then drop ``source``."""
    with current_database().atomic():
        actor = _require_editor(actor)
        src, dst = find_tag(source), find_tag(target)
        if src.id == dst.id:
            raise ValidationError(_("A tag cannot be merged into itself"))
        moved = _tagged_ids(src.id)
        current_database().execute_sql(  # where the article has both, the source's link goes
            "DELETE FROM article_tag WHERE tag_id = ? AND article_id IN "
            "(SELECT article_id FROM article_tag WHERE tag_id = ?)", (src.id, dst.id))
        ArticleTag.update(tag=dst.id).where(ArticleTag.tag == src.id).execute()  # positions stay
        _touch_articles(moved)
        Tag.delete().where(Tag.id == src.id).execute()
        audit.record(actor.login, "tag.merge", source=src.name, target=dst.name)
    return Tag.get_by_id(dst.id)


def delete_tag(actor: User, name: str) -> None:
    """Remove a tag; its articles keep their other tags."""
    with current_database().atomic():
        actor = _require_editor(actor)
        tag = find_tag(name)
        ids = _tagged_ids(tag.id)
        ArticleTag.delete().where(ArticleTag.tag == tag.id).execute()
        Tag.delete().where(Tag.id == tag.id).execute()
        _touch_articles(ids)
        audit.record(actor.login, "tag.delete", name=tag.name, articles=len(ids))
