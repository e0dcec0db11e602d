"""Editorial notes on an article.  Never exported."""

from __future__ import annotations

from beritatui.core import audit, clock
from beritatui.core.database import current_database
from beritatui.core.errors import NotFound, ValidationError
from beritatui.core.models import Note, User
from beritatui.core.users import require
from beritatui.i18n import _

MAX_NOTE = 10_000


def _check(text: str) -> str:
    from beritatui.core.validation import strip_controls

    text = strip_controls((text or "").strip(), keep="\n\t")
    if not text:
        raise ValidationError(_("A note cannot be empty"))
    if len(text) > MAX_NOTE:
        raise ValidationError(_("A note is at most {max} characters").format(max=MAX_NOTE))
    return text


def add_note_in_transaction(actor: User, article_id: int, text: str) -> Note:
    note = Note.create(article=article_id, login=actor.login, created_at=clock.utcnow(), text=_check(text))
    audit.record(actor.login, "note.add", article_id, note=note.id)
    return note


def add_note(actor: User, ref: str | int, text: str) -> Note:
    from beritatui.core.articles import get_article

    text = _check(text)
    with current_database().atomic():
        return add_note_in_transaction(actor, get_article(ref).id, text)


def list_notes(ref: str | int, include_resolved: bool = True) -> list[Note]:
    from beritatui.core.articles import get_article

    query = Note.select().where(Note.article == get_article(ref).id).order_by(Note.created_at, Note.id)
    if not include_resolved:
        query = query.where(Note.resolved == False)  # noqa: E712
    return list(query)


def resolve_note(actor: User, note_id: int, resolved: bool = True) -> Note:
    """Mark a note done (its author or an editor)."""
    with current_database().atomic():
        note = Note.get_or_none(Note.id == note_id)
        if note is None:
            raise NotFound(_("No note {id}").format(id=note_id))
        if note.login != actor.login:
            actor = require(actor, "editor", _("Only the note's author or an editor may resolve it"))
        Note.update(resolved=resolved, resolved_by=actor.login if resolved else None,
                    resolved_at=clock.utcnow() if resolved else None).where(Note.id == note_id).execute()
        audit.record(actor.login, "note.resolve" if resolved else "note.reopen", note.article_id, note=note_id)
    return Note.get_by_id(note_id)
