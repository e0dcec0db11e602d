"""Editorial notes and the inbox: ``notes`` (read an article's notes), ``note`` (add, reply, resolve, reopen)
and ``inbox`` (what awaits me).  Who may read or resolve a note is :mod:`beritatui.core.notes`'s rule."""

from __future__ import annotations

from typing import Any

import click

from beritatui.cli.base import TGroup, command, command_session, group, handle_errors, option
from beritatui.cli.completion import complete_slugs
from beritatui.cli.output import fit, print_json, site_iso, site_time, site_zone
from beritatui.core import articles, notes
from beritatui.core.models import Article
from beritatui.core.notes import NumberedNote
from beritatui.i18n import N_, _, ngettext

# -- what the commands print ----------------------------------------------------------------------


def note_data(note: NumberedNote) -> dict[str, Any]:
    """One note as ``notes --json`` (and ``show --json``, ``inbox --json``) print it."""
    return {"number": note.number, "login": note.login, "name": note.name, "created_at": site_iso(note.created_at),
            "text": note.text, "resolved": note.resolved, "resolved_by": note.resolved_by,
            "resolved_at": site_iso(note.resolved_at)}


def note_state(note: NumberedNote) -> str:
    if not note.resolved:
        return _("open")
    return _("resolved by {login}, {when}").format(login=note.resolved_by or "?", when=site_time(note.resolved_at))


def note_lines(found: list[NumberedNote]) -> list[str]:
    """Each note as a heading line (number, who, when, open or resolved) and its text indented under it."""
    lines = []
    for note in found:
        who = note.name if note.name == note.login else f"{note.name} ({note.login})"
        lines.append(f"#{note.number}  {who} · {site_time(note.created_at)} · {note_state(note)}")
        lines.extend("    " + line if line else "" for line in note.text.splitlines())
    return lines


# -- notes ---------------------------------------------------------------------------------------


@command("notes", help=N_("List an article's editorial notes: number, who, when (site time), text, open or "
                          "resolved. Editors read every note; a writer reads the notes on their own articles "
                          "and the notes they wrote."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@handle_errors
def notes_command(ref: str, as_json: bool) -> None:
    session = command_session()
    article = articles.get_article(ref)
    found = notes.notes_for(session.actor, article)
    if as_json:
        print_json({"article": {"id": article.id, "slug": article.slug, "title": article.title},
                    "timezone": site_zone(), "notes": [note_data(note) for note in found]})
        return
    if not found:
        click.echo(_("No notes on {title}.").format(title=article.title))
        return
    for line in note_lines(found):
        click.echo(line)


# -- note: add (the default), resolve, reopen -------------------------------------------------------


class NoteGroup(TGroup):
    """``note SLUG TEXT`` is ``note add SLUG TEXT`` (how ``note`` was called before it had subcommands)."""

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None,
                                                                              list[str]]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["add", *args]
        return super().resolve_command(ctx, args)


@group("note", cls=NoteGroup,
       help=N_("Add an editorial note (never published), or resolve or reopen one. `note SLUG TEXT` adds a note, "
               "as `note add SLUG TEXT` does; a reply is a note on the same article."))
def note_group() -> None:
    pass


def _add(ref: str, text: str) -> None:
    session = command_session()
    article = articles.get_article(ref)
    note = notes.add_note(session.actor, article.id, text)
    number = notes.list_notes(article.id).index(note) + 1
    click.echo(_("Note {n} added to {title}").format(n=number, title=article.title))


@note_group.command("add", help=N_("Add a note (or a reply) to an article; it is never published."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@click.argument("text")
@handle_errors
def note_add_command(ref: str, text: str) -> None:
    _add(ref, text)


def _resolve(ref: str, number: int, resolved: bool) -> None:
    session = command_session()
    article: Article = articles.get_article(ref)
    note = notes.resolve_number(session.actor, article.id, number, resolved)
    done = _("Note {n} on {title} is resolved") if resolved else _("Note {n} on {title} is open again")
    click.echo(done.format(n=note.number, title=article.title))


@note_group.command("resolve", help=N_(
    "Mark note N of an article done; its author, the article's writer or an editor may. N is the note's number "
    "on that article as `beritatui notes SLUG` prints it (1, 2, ... in the order written), not a row id."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@click.argument("number", metavar="N", type=click.IntRange(min=1))
@handle_errors
def note_resolve_command(ref: str, number: int) -> None:
    _resolve(ref, number, True)


@note_group.command("reopen", help=N_(
    "Open note N of an article again; the same people as for resolve may. N is the note's number on that "
    "article as `beritatui notes SLUG` prints it (1, 2, ... in the order written), not a row id."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@click.argument("number", metavar="N", type=click.IntRange(min=1))
@handle_errors
def note_reopen_command(ref: str, number: int) -> None:
    _resolve(ref, number, False)


# -- inbox ---------------------------------------------------------------------------------------


def _first_line(text: str, width: int = 60) -> str:
    return fit(text.splitlines()[0] if text else "", width)


@command("inbox", help=N_("What awaits you now: articles you may review, your drafts with open notes, and your "
                          "articles that went live or were corrected since you last looked. Reading it marks "
                          "those as seen, unless --peek."))
@option("--json", "as_json", is_flag=True, help=N_("Print JSON (stable; see docs/cli.md)."))
@option("--peek", is_flag=True, help=N_("Do not mark anything as seen (for a cron mail: the news stay new)."))
@handle_errors
def inbox_command(as_json: bool, peek: bool) -> None:
    from beritatui.core.inbox import inbox

    session = command_session()
    found = inbox(session.actor, mark_seen=not peek)
    if as_json:
        print_json({
            "login": found.login, "timezone": site_zone(), "since": site_iso(found.since),
            "looked_at": site_iso(found.looked_at), "marked_seen": not peek,
            "review": [{"id": item.article_id, "slug": item.slug, "title": item.title, "byline": item.byline,
                        "sent_at": site_iso(item.sent_at), "step": item.step} for item in found.review],
            "notes": [{"id": item.article_id, "slug": item.slug, "title": item.title,
                       "open_notes": [note_data(note) for note in item.open_notes]} for item in found.notes],
            "news": [{"id": item.article_id, "slug": item.slug, "title": item.title, "what": item.what,
                      "at": site_iso(item.at), "by": item.by} for item in found.news],
            "corrections": [{"id": item.article_id, "slug": item.slug, "title": item.title, "writers": item.byline,
                             "saved_at": site_iso(item.sent_at)} for item in found.corrections],
        })
        return
    if found.empty:
        click.echo(_("Nothing awaits you."))
        return
    if found.review:
        click.echo(_("To review ({n}):").format(n=len(found.review)))
        for item in found.review:
            click.echo("  " + _("{slug}  {title} · {byline} · sent {when} · {step}").format(
                slug=item.slug, title=fit(item.title, 50), byline=item.byline or "—", when=site_time(item.sent_at),
                step=item.step))
    if found.corrections:
        click.echo(_("Corrections to publish ({n}):").format(n=len(found.corrections)))
        for item in found.corrections:
            click.echo("  " + _("{slug}  {title} · by {writers} · saved {when}").format(
                slug=item.slug, title=fit(item.title, 50), writers=item.byline, when=site_time(item.sent_at)))
    if found.notes:
        click.echo(_("Your drafts with open notes ({n}):").format(n=len(found.notes)))
        for item in found.notes:
            latest = item.open_notes[-1]
            count = ngettext("{n} open note", "{n} open notes", len(item.open_notes)).format(n=len(item.open_notes))
            click.echo("  " + _("{slug}  {title} · {count}, last #{number} {login}: {text}").format(
                slug=item.slug, title=fit(item.title, 50), count=count, number=latest.number, login=latest.login,
                text=_first_line(latest.text)))
    if found.news:
        heading = (_("News since {when} ({n}):").format(when=site_time(found.since), n=len(found.news))
                   if found.since else _("News of the last week ({n}):").format(n=len(found.news)))
        click.echo(heading)
        what = {"published": _("published"), "corrected": _("corrected")}
        for item in found.news:
            click.echo("  " + _("{slug}  {title} · {what} {when} by {login}").format(
                slug=item.slug, title=fit(item.title, 50), what=what.get(item.what, item.what),
                when=site_time(item.at), login=item.by))


COMMANDS = (notes_command, note_group, inbox_command)
