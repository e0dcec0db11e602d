"""Editorial notes on an article: who may read them, who may resolve them, and their numbers.  Never exported.

The rules, here once (the command line and the terminal app only call them):

- **Reading.** Editors and admins read every note of every article; an article's writer (the login that
  created it) reads every note of that article, whatever its status; anyone reads the notes they wrote
  themselves.  Nobody else sees a note: a writer does not read the remarks on a colleague's article.
- **Resolving and reopening.** The note's author, an editor or admin, and the article's writer (so a
  writer whose draft was sent back closes the loop once the change is made).  Whoever may resolve a note
  may also read it.
- **Replying.** A reply is a note on the same article (:func:`add_note`); anyone who may use the database
  may add one.

A note's **number** is its place among all the notes of its article, in the order they were written
(1, 2, 3, ...).  Notes are never deleted, so a number never changes; a reader who sees only some of the
notes sees their real numbers (3 and 5, say), the ones everybody else uses too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from beritatui.core import audit, clock, workflow
from beritatui.core.database import current_database
from beritatui.core.errors import NotFound, PermissionDenied, ValidationError
from beritatui.core.models import Article, Note, User
from beritatui.core.users import refreshed
from beritatui.i18n import _

MAX_NOTE = 10_000


@dataclass(frozen=True)
class NumberedNote:
    """A note as a person reads it: its number on the article, who wrote it (login and name), and its state."""

    id: int
    number: int
    article_id: int
    login: str
    name: str
    created_at: datetime
    text: str
    resolved: bool
    resolved_by: str | None
    resolved_at: datetime | None


def _check(text: str) -> str:
    from beritatui.core.validation import strip_controls

    text = strip_controls(text or "", keep="\n\t").strip()  # " \x1b Foto" is "Foto", not " Foto"
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
    """A note (or a reply: a note on the same article) by ``actor``."""
    from beritatui.core.articles import get_article

    text = _check(text)
    with current_database().atomic():
        return add_note_in_transaction(actor, get_article(ref).id, text)


def list_notes(ref: str | int, include_resolved: bool = True) -> list[Note]:
    """Every note of the article in the order written, for nobody in particular (see :func:`notes_for`)."""
    from beritatui.core.articles import get_article

    query = Note.select().where(Note.article == get_article(ref).id).order_by(Note.id)
    if not include_resolved:
        query = query.where(Note.resolved == False)  # noqa: E712
    return list(query)


# -- who may read and resolve ------------------------------------------------------------------------


def reads_all_notes(actor: User, article: Article) -> bool:
    """Whether ``actor`` reads every note of ``article``: an editor or admin, or the article's writer."""
    return workflow.is_editor_of(actor, article) or article.created_by_id == actor.id


def may_read(actor: User, article: Article, note: Note | NumberedNote) -> bool:
    """Whether ``actor`` may read ``note`` (of ``article``): see the module's rules."""
    return reads_all_notes(actor, article) or note.login == actor.login


def resolve_problem(actor: User, article: Article, note: Note | NumberedNote) -> str | None:
    """Why ``actor`` may not resolve or reopen ``note``, or ``None``."""
    if workflow.is_editor_of(actor, article) or note.login == actor.login or article.created_by_id == actor.id:
        return None
    return _("Only the note's author, the article's writer or an editor may resolve it")


def may_resolve(actor: User, article: Article, note: Note | NumberedNote) -> bool:
    return resolve_problem(actor, article, note) is None


# -- reading, numbered -------------------------------------------------------------------------------


def _numbered(article: Article, rows: list[Note]) -> list[NumberedNote]:
    logins = {note.login for note in rows} | {note.resolved_by for note in rows if note.resolved_by}
    names = {user.login: user.display_name for user in User.select(User.login, User.display_name)
             .where(User.login.in_(list(logins)))} if logins else {}
    return [NumberedNote(id=note.id, number=number, article_id=article.id, login=note.login,
                         name=names.get(note.login) or note.login, created_at=note.created_at, text=note.text,
                         resolved=bool(note.resolved), resolved_by=note.resolved_by, resolved_at=note.resolved_at)
            for number, note in enumerate(rows, start=1)]


def notes_for(actor: User, ref: str | int | Article) -> list[NumberedNote]:
    """The notes of an article that ``actor`` may read (their role as the database has it now), numbered.

    An article ``actor`` may not read at all (core.visibility) is refused, not answered with no notes.
    """
    from beritatui.core.visibility import readable_article

    actor = refreshed(actor)
    article = readable_article(actor, ref)
    rows = list(Note.select().where(Note.article == article.id).order_by(Note.id))
    return [note for note in _numbered(article, rows) if may_read(actor, article, note)]


def count_for(actor: User, article: Article) -> tuple[int, int]:
    """(notes, open notes) of ``article`` that ``actor`` may read."""
    found = notes_for(actor, article)
    return len(found), sum(1 for note in found if not note.resolved)


# -- resolving ---------------------------------------------------------------------------------------


def _set_resolved(actor: User, article: Article, note: Note, resolved: bool) -> None:
    problem = resolve_problem(actor, article, note)
    if problem:
        raise PermissionDenied(problem)
    Note.update(resolved=resolved, resolved_by=actor.login if resolved else None,
                resolved_at=clock.utcnow() if resolved else None).where(Note.id == note.id).execute()
    audit.record(actor.login, "note.resolve" if resolved else "note.reopen", article.id, note=note.id)


def resolve_note(actor: User, note_id: int, resolved: bool = True) -> Note:
    """Mark a note done (or open again, ``resolved=False``), by its row id: see the module's rules."""
    with current_database().atomic():
        actor = refreshed(actor)
        note = Note.get_or_none(Note.id == note_id)
        if note is None:
            raise NotFound(_("No note {id}").format(id=note_id))
        _set_resolved(actor, Article.get_by_id(note.article_id), note, resolved)
    return Note.get_by_id(note_id)


def resolve_number(actor: User, ref: str | int, number: int, resolved: bool = True) -> NumberedNote:
    """Resolve (or reopen) the article's note number ``number``, as :func:`notes_for` numbers them.

    A note the actor may not read is "not found" (its existence is not theirs to learn); one they may read
    but not resolve is refused.
    """
    from beritatui.core.articles import get_article

    with current_database().atomic():
        actor = refreshed(actor)
        article = get_article(ref)
        note = None
        if 0 < number < 2**31:
            note = (Note.select().where(Note.article == article.id).order_by(Note.id)
                    .offset(number - 1).limit(1).first())
        if note is None or not may_read(actor, article, note):
            raise NotFound(_("{title} has no note {n}").format(title=article.title, n=number))
        if bool(note.resolved) != resolved:
            _set_resolved(actor, article, note, resolved)
        elif resolve_problem(actor, article, note):
            raise PermissionDenied(resolve_problem(actor, article, note))
    return next(found for found in notes_for(actor, article) if found.number == number)
