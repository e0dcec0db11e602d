"""``edit``: an article's body in the person's own text editor, as ``git commit`` does it.

The body goes to a scratch file, ``$EDITOR`` runs on it, and what was written is saved as a new
version against the version read before the editor opened.  When someone saved meanwhile, the two
are merged three ways as in the app (:mod:`beritatui.core.merge`) and saved if they do not overlap.
No text is ever lost on the way: an overlapping or refused save, a failed editor or a dropped SSH
connection keeps it (in ``unsaved/``, the autosave slot, or the scratch file itself), and the next
``edit`` offers it back.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from beritatui.cli.base import command, command_session, fail, handle_errors
from beritatui.cli.completion import complete_slugs
from beritatui.cli.output import site_time
from beritatui.core import articles, corrections
from beritatui.core import config as configmod
from beritatui.core.content import Content
from beritatui.core.database import close_database
from beritatui.core.errors import BeritaError, Conflict, PermissionDenied, ValidationError
from beritatui.core.models import Article
from beritatui.i18n import N_, _


class _Stopped(Exception):
    """This ``beritatui edit`` got a hang-up or a termination while ``$EDITOR`` ran."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


EDITOR_GRACE_SECONDS = 3.0  # after a hang-up, how long the editor may take to write its last words and exit


class _EditorRun:
    """``$EDITOR`` on the scratch file, with the signals a dropped SSH connection brings.

    While the editor runs, SIGHUP and SIGTERM end the wait (:class:`_Stopped`; the
    text is then kept, see :func:`_keep_after_stop`), and Ctrl-C and Ctrl-\\ belong
    to the editor, as with ``git commit`` (beritatui would otherwise end the editor
    and its unsaved buffer with it).  The handlers are Python's, so the editor
    itself starts with the default ones.
    """

    SIGNALS = ("SIGHUP", "SIGTERM")

    def __init__(self) -> None:
        self.proc: Any = None
        self.pending: int | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _EditorRun:
        import signal

        for name in self.SIGNALS:
            self._previous[getattr(signal, name)] = signal.signal(getattr(signal, name), self._stop)
        for name in ("SIGINT", "SIGQUIT"):
            self._previous[getattr(signal, name)] = signal.signal(getattr(signal, name), _ignore_signal)
        return self

    def __exit__(self, *exc: object) -> None:
        import signal

        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def _stop(self, signum: int, _frame: object) -> None:
        import signal

        for name in self.SIGNALS:  # one is enough: the rest of a hang-up must not interrupt keeping the text
            signal.signal(getattr(signal, name), signal.SIG_IGN)
        if self.proc is None:
            self.pending = signum
            return
        raise _Stopped(signum)

    def run(self, command: str, path: Path) -> int:
        """The editor's exit status (negative: the signal that ended it)."""
        import shlex
        import subprocess

        try:
            argv = [*shlex.split(command), str(path)]
            self.proc = subprocess.Popen(argv)
        except (OSError, ValueError) as exc:
            raise ValidationError(_("Cannot run the editor {editor!r}: {reason}").format(
                editor=command, reason=exc)) from exc
        if self.pending is not None:
            raise _Stopped(self.pending)
        return self.proc.wait()

    def stop_editor(self, signum: int) -> bool:
        """Pass the signal on and give the editor a moment to save and exit; whether it has exited."""
        import subprocess

        if self.proc is None:
            return True
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(signum)
                self.proc.wait(timeout=EDITOR_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                return False
            except OSError:
                pass
        return True


def _ignore_signal(_signum: int, _frame: object) -> None:
    """Ctrl-C while the editor runs is the editor's (a Python handler: the editor starts with the default)."""


def _say(message: str) -> None:
    """A line on stderr that may find no terminal any more (after a hang-up): never an error of its own."""
    try:
        click.echo(message, err=True)
    except (OSError, ValueError):
        pass


@dataclass
class _Waiting:
    """Unsaved text of this article and login, found when ``edit`` starts."""

    content: Content
    base_version: int
    saved_at: datetime
    slug_edited: bool
    slot: bool = False
    leftover: Any = None  # a core.unsaved.Leftover


def _waiting_texts(article: Article, login: str, current: Content) -> list[_Waiting]:
    """The autosave slot and the scratch files left by a killed ``edit``, newest first (duplicates once)."""
    from beritatui.core import autosave, unsaved

    found: list[_Waiting] = []
    slot = autosave.load(autosave.slot_for(article.uuid), login)
    if slot is not None:
        content = Content.from_payload(slot.payload, current)  # a field the slot lacks is the article's, never blank
        if content != current:
            found.append(_Waiting(content, slot.base_version or article.version, slot.saved_at,
                                  bool(slot.payload.get("slug_edited", article.slug_locked)), slot=True))
    for leftover in unsaved.leftovers(article.uuid):
        body = leftover.text.rstrip("\n")
        if body == current.body or any(w.content.body == body for w in found):
            leftover.remove()  # nothing in it that is not kept elsewhere already
            continue
        found.append(_Waiting(current.replace(body=body), leftover.base_version, leftover.saved_at,
                              article.slug_locked, leftover=leftover))
    return sorted(found, key=lambda waiting: waiting.saved_at, reverse=True)


def _let_go(waiting: _Waiting, article: Article, login: str, current: Content) -> None:
    """Unsaved text the person did not take: kept in a rescue file, then its slot or scratch file goes."""
    from beritatui.core import autosave, unsaved

    if waiting.slot:
        from beritatui.core.revisions import as_text

        only_body = waiting.content.replace(body=current.body) == current
        kept = unsaved.rescue(waiting.content.body if only_body else as_text(waiting.content), article.slug)
        autosave.discard(autosave.slot_for(article.uuid), login)
    else:
        kept = unsaved.rescue(waiting.leftover.text, article.slug)
        waiting.leftover.remove()
    click.echo(_("That text is kept in {path}").format(path=kept), err=True)


def _choose_start(article: Article, login: str, current: Content) -> _Waiting | None:
    """Offer each waiting text, newest first; the one taken (or ``None``), the others kept in rescue files."""
    chosen: _Waiting | None = None
    for candidate in _waiting_texts(article, login, current):
        if chosen is None:
            question = _("Unsaved text from {time} is waiting: use it?").format(time=site_time(candidate.saved_at))
            try:
                take = click.confirm(question, default=True)
            except click.exceptions.Abort:
                fail(_("Nothing was changed; the unsaved text is still waiting."))
            if take:
                chosen = candidate
                continue
        _let_go(candidate, article, login, current)
    if chosen is not None and chosen.base_version != article.version:
        click.echo(_("That text was started from version {base}; the article is now at version {now}. Saving it "
                     "merges in the changes made since; if they overlap yours, your text is kept in a file.").format(
                         base=chosen.base_version, now=article.version), err=True)
    return chosen


def _keep_after_stop(run: _EditorRun, stopped: _Stopped, scratch: Any, article: Article, login: str,
                     base: Content) -> None:
    """A hang-up or termination while the editor ran: the text goes to the autosave slot, then exit 128+N."""
    from beritatui.core import unsaved

    editor_gone = run.stop_editor(stopped.signum)
    if not scratch.changed():
        if editor_gone:
            scratch.remove()
        sys.exit(128 + stopped.signum)
    try:
        unsaved.keep_in_autosave(article, login, base, scratch.read(), scratch.base_version)
    except Exception:  # noqa: BLE001 - the scratch file stays, durable, and the next edit offers it
        scratch.release()
        _say(_("Stopped; your text is kept in {path}, and beritatui edit {slug} offers it back.").format(
            path=scratch.path, slug=article.slug))
    else:
        if editor_gone:
            scratch.remove()
        else:
            scratch.release()  # the editor may still write: its file stays for the next edit too
        _say(_("Stopped; your text is kept, and beritatui edit {slug} offers it back.").format(slug=article.slug))
    finally:
        close_database()
    sys.exit(128 + stopped.signum)


@command("edit", help=N_("Edit an article's body in your text editor, then save it as a new version."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@handle_errors
def edit_command(ref: str) -> None:
    from beritatui.core import autosave, unsaved

    session = command_session()
    login = session.actor.login
    article = articles.get_article(ref)
    problem = corrections.edit_problem(session.actor, article)
    if problem:
        raise PermissionDenied(problem)
    current = corrections.editing_content(article)  # a published article's pending correction, if any
    if corrections.pending_for(article) is not None:
        click.echo(_("A correction is pending: you continue it; the live version stays on the site until an "
                     "editor publishes it."), err=True)
    chosen = _choose_start(article, login, current)
    base = chosen.content if chosen is not None else current
    base_version = chosen.base_version if chosen is not None else article.version
    slug_edited = chosen.slug_edited if chosen is not None else article.slug_locked
    scratch = unsaved.start_scratch(article, base.body, base_version)
    if chosen is not None and chosen.leftover is not None:
        chosen.leftover.remove()  # its text is in the new scratch file now
    close_database()
    editor = configmod.editor_command(session.config.editor)
    rescued = keep_scratch = False
    try:
        with _EditorRun() as run:
            try:
                code = run.run(editor, scratch.path)
            except _Stopped as stopped:
                _keep_after_stop(run, stopped, scratch, article, login, base)
        if code < 0 and scratch.changed():  # the editor was killed (a hang-up of its own): keep, offer back
            unsaved.keep_in_autosave(article, login, base, scratch.read(), base_version)
            fail(_("The editor {editor!r} was stopped by a signal; your text is kept, and beritatui edit {slug} "
                   "offers it back.").format(editor=editor, slug=article.slug))
        if code != 0:
            raise ValidationError(_("The editor {editor!r} exited with status {code}; nothing was saved").format(
                editor=editor, code=code))
        text = scratch.read()
        content = base.replace(body=text.rstrip("\n"))
        if content == current:
            click.echo(_("No changes; nothing was saved."))
            if chosen is not None and chosen.slot:
                autosave.discard(autosave.slot_for(article.uuid), login)
            return
        try:
            saved = articles.save_article(session.actor, article.id, base_version,
                                          content.changes_from(current, slug=slug_edited))
        except Conflict as exc:
            base_then = current if base_version == article.version else None
            outcome = _merge_and_save(session.actor, article, exc, base_then, base_version, content, slug_edited)
            if isinstance(outcome, Conflict):
                rescued = True
                kept, keep_scratch = _rescue(text, article.slug, scratch)
                fail(_("Conflict, not saved: {message}.").format(message=outcome) + "\n"
                     + _("Your text is kept in {path}; compare it with: beritatui show {slug}").format(
                         path=kept, slug=article.slug))
            saved = outcome
            click.echo(_("{conflict}; your changes do not overlap theirs and were merged.").format(conflict=exc))
        if chosen is not None and chosen.slot:
            autosave.discard(autosave.slot_for(article.uuid), login)
        click.echo(_("Saved {title} (version {version}).").format(title=saved.title, version=saved.version))
    except (BeritaError, OSError, UnicodeDecodeError, KeyboardInterrupt) as exc:
        if not rescued and scratch.changed():
            kept, keep_scratch = _rescue(scratch.read(), article.slug, scratch)
            click.echo(_("Your text is kept in {path}").format(path=kept), err=True)
        if isinstance(exc, (BeritaError, KeyboardInterrupt)):
            raise
        raise ValidationError(str(exc)) from exc
    finally:
        if keep_scratch:
            scratch.release()  # no rescue file could be written: the scratch file itself is what is kept
        else:
            scratch.remove()


def _merge_and_save(actor: Any, article: Article, refused: Conflict, base: Content | None, base_version: int,
                    content: Content, slug_edited: bool) -> Article | Conflict:
    """After a save met a newer version: merge ``content`` three ways with what was saved meanwhile, as the
    app's editor does, and save the result (revision reason ``merge``) when the changes do not overlap.

    ``base`` is the content ``content`` was started from (``None``: look it up at ``base_version``).  Returns
    the saved article, or the conflict to report: the one given when the changes overlap, the status moved
    on (trashed, published…: never merged into) or the base is unknown; a newer one when someone saved again.
    """
    from beritatui.core import merge, revisions
    from beritatui.core.articles import MovedOn

    if isinstance(refused, MovedOn):
        return refused
    base = base if base is not None else revisions.content_at(article, base_version)
    if base is None:
        return refused
    theirs = Content.from_payload(refused.theirs)
    result = merge.merge_fields(base, content, theirs, untouched=() if slug_edited else ("slug",))
    if not result.clean:
        return refused
    try:
        return articles.save_article(actor, article.id, int(refused.theirs["version"]),
                                     result.content.changes_from(theirs, slug=slug_edited), reason="merge")
    except Conflict as again:
        return again


def _rescue(text: str, slug: str, scratch: Any) -> tuple[Path, bool]:
    """Keep text that could not be saved in ``unsaved/``; if even that fails, the scratch file stays (``True``)."""
    from beritatui.core import unsaved

    try:
        return unsaved.rescue(text, slug), False
    except OSError:
        return scratch.path, True


COMMANDS = (edit_command,)
