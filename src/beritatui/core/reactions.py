"""The website's reaction tallies per article (like, dislike, love, funny, angry, sad, wow)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from beritatui.core import audit
from beritatui.core.database import current_database
from beritatui.core.errors import ValidationError
from beritatui.core.models import REACTIONS, Article, Reactions, User
from beritatui.core.textfile import UnreadableText, brief, load_json, read_text_file
from beritatui.core.users import require
from beritatui.i18n import _

MAX_COUNT = 2**53 - 1  # fits SQLite's integer and a JSON reader's number exactly
MAX_FILE_BYTES = 16 * 1024 * 1024  # a tally file for 100,000 articles is a few MB; more is a wrong file
MAX_VALUES = 2_000_000  # 100,000 articles of seven tallies are 800,000 values


def read_tallies_file(path: Path) -> Any:
    """The JSON in a tallies file, refusing what is too large (before reading it), binary or not UTF-8."""

    def refuse(reason: object) -> ValidationError:
        return ValidationError(_("Cannot read {path}: {reason}").format(path=brief(str(path)), reason=brief(str(reason))))

    try:
        return load_json(read_text_file(path, MAX_FILE_BYTES), max_depth=8, max_values=MAX_VALUES)
    except UnreadableText as exc:
        raise refuse(exc.reason) from exc
    except ValueError as exc:
        raise refuse(exc) from exc


def check_tallies(counts: Any) -> dict[str, int]:
    """Validated counts: only known reactions, whole numbers >= 0."""
    if not isinstance(counts, dict):
        raise ValidationError(_("Reactions must be an object of name: count"))
    clean = {}
    for name, value in counts.items():
        if name not in REACTIONS:
            raise ValidationError(
                _("Unknown reaction {name!r}; known: {known}").format(name=name[:80], known=", ".join(REACTIONS)))
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
            raise ValidationError(_("The count for {name!r} must be a whole number >= 0").format(name=name))
        clean[name] = value
    return clean


def set_tallies(article_id: int, counts: dict[str, int]) -> None:
    """Inside a write transaction: store the given counts (others stay)."""
    updates = check_tallies(counts)
    if not Reactions.select().where(Reactions.article == article_id).exists():
        Reactions.create(article=article_id)
    if updates:
        Reactions.update(**updates).where(Reactions.article == article_id).execute()


def import_tallies(actor: User, data: dict[str, Any]) -> tuple[int, list[str]]:
    """Update tallies from ``{"slug": {"like": 0, …}}``; returns (updated, unknown slugs)."""
    with current_database().atomic():
        actor = require(actor, "editor", _("Only an editor may import reactions"))
        if not isinstance(data, dict):
            raise ValidationError(_("The reactions file must hold an object keyed by slug"))
        checked = {slug: check_tallies(counts) for slug, counts in data.items()}
        unknown: list[str] = []
        updated = 0
        for slug, counts in checked.items():
            article = Article.get_or_none(Article.slug == slug)
            if article is None:
                unknown.append(slug)
                continue
            set_tallies(article.id, counts)
            updated += 1
        audit.record(actor.login, "reactions.import", updated=updated, unknown=len(unknown))
    return updated, unknown
