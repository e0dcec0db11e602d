"""Articles: ``new``, ``list`` and ``show`` (``edit`` has a module of its own: :mod:`beritatui.cli.edit`)."""

from __future__ import annotations

import sys
from typing import Any

import click

from beritatui.cli.base import command, command_session, handle_errors, option, split_tag_options
from beritatui.cli.completion import complete_slugs, complete_tags, complete_units
from beritatui.cli.output import (
    field_lines,
    paged,
    print_json,
    print_table,
    site_time,
    site_zone,
    times_as_site_iso,
)
from beritatui.core import articles, corrections, listing, notes, units, visibility, workflow
from beritatui.core.charcheck import shown
from beritatui.core.content import bylines_display
from beritatui.core.errors import ValidationError
from beritatui.core.models import STATUSES, Article, User
from beritatui.core.notes import NumberedNote
from beritatui.core.site import get_settings
from beritatui.core.textfile import TooLarge, UnreadableText, named_path, read_text_file
from beritatui.i18n import N_, _, ngettext


def read_body(path: str) -> str:
    """The body a person names: a UTF-8 file (never through a symlink, at most the body limit), or stdin for ``-``."""
    if path == "-":
        try:
            return _stdin_text()
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise ValidationError(_("Cannot read {path}: {reason}").format(path=path, reason=reason)) from exc
    try:
        return read_text_file(named_path(path), articles.MAX_BODY_BYTES)
    except TooLarge as exc:  # refused before a byte is read, in the words of the body limit itself
        raise ValidationError(_("The body is larger than 2 MB")) from exc
    except UnreadableText as exc:
        raise ValidationError(_("Cannot read {path}: {reason}").format(path=shown(path, 200), reason=exc.reason)) \
            from exc


def _stdin_text() -> str:
    """Standard input as UTF-8, whatever the locale says."""
    if sys.stdin is None:
        return ""
    raw = getattr(sys.stdin, "buffer", None)
    return raw.read().decode("utf-8") if raw is not None else sys.stdin.read()


def article_data(article: Article, actor: User, article_notes: list[NumberedNote] | None = None) -> dict[str, Any]:
    """Everything ``show --json`` prints: the snapshot plus reactions, the notes ``actor`` may read (their count,
    the open ones, and each in ``note_list``) and the public address."""
    from beritatui.cli.notes import note_data

    data = times_as_site_iso({**articles.snapshot(article), "expires_at": article.expires_at})
    article_notes = notes.notes_for(actor, article) if article_notes is None else article_notes
    data.update(
        correction_pending=corrections.pending_for(article) is not None,
        byline=bylines_display(articles.article_bylines(article.id)),
        reactions=articles.reactions_of(article.id),
        notes=len(article_notes),
        open_notes=sum(1 for note in article_notes if not note.resolved),
        note_list=[note_data(note) for note in article_notes],
        url=get_settings().article_url(article.slug, article.uuid),
        timezone=site_zone(),
        unit=units.get_unit(units.unit_of(article)).name,
    )
    return data


@command("new", help=N_("Create a draft. The Markdown body comes from --body-file or from stdin."))
@option("--title", required=True, help=N_("The headline."))
@option("--summary", help=N_("A sentence or two shown in lists and feeds."))
@option("--tag", "tag_names", multiple=True, metavar="TAG", shell_complete=complete_tags,
        help=N_("A tag (repeat, or separate with commas; the first is the primary tag)."))
@option("--byline", "bylines", multiple=True, metavar='"NAME (UNIT)"',
        help=N_("A byline (repeatable; default: your name and unit)."))
@option("--body-file", metavar="PATH", help=N_("Read the body from this UTF-8 file ('-' for stdin)."))
@option("--slug", help=N_("The web address part (default: made from the title)."))
@option("--unit", metavar="UNIT", shell_complete=complete_units,
        help=N_("The unit the article belongs to (default: your own unit)."))
@option("--json", "as_json", is_flag=True, help=N_("Print the new article as JSON."))
@handle_errors
def new_command(title: str, summary: str | None, tag_names: tuple[str, ...], bylines: tuple[str, ...],
                body_file: str | None, slug: str | None, unit: str | None, as_json: bool) -> None:
    from beritatui.cli.units import find_unit

    session = command_session()
    unit_id = find_unit(unit).id if unit is not None else None
    if body_file is not None:
        body = read_body(body_file)
    else:
        body = "" if sys.stdin is None or sys.stdin.isatty() else read_body("-")
    draft = articles.ArticleDraft(title=title, summary=summary, body=body, tags=split_tag_options(tag_names),
                                  bylines=[articles.parse_byline(b) for b in bylines] or None, slug=slug)
    article = articles.create_article(session.actor, draft, unit=unit_id)
    if as_json:
        print_json(article_data(article, session.actor))
    else:
        click.echo(_("Created draft {slug}: {title}").format(slug=article.slug, title=article.title))


def _collect_rows(query: listing.ArticleQuery, limit: int) -> tuple[list[listing.ArticleRow], bool]:
    """Follow the keyset cursor until ``limit`` rows; also say whether more exist."""
    rows: list[listing.ArticleRow] = []
    while len(rows) < limit:
        query.limit = min(limit - len(rows), listing.MAX_PAGE)
        page = listing.list_articles(query)
        rows.extend(page.rows)
        if page.next_cursor is None:
            return rows, False
        query.after = page.next_cursor
    return rows, True


def _row_data(row: listing.ArticleRow, unit_names: dict[int, str],
              pending: set[int] | frozenset[int] = frozenset()) -> dict[str, Any]:
    data = times_as_site_iso({
        "id": row.id, "uuid": row.uuid, "title": row.title, "slug": row.slug, "status": row.status,
        "version": row.version, "updated_at": row.updated_at, "published_at": row.published_at,
        "scheduled_at": row.scheduled_at, "expires_at": row.expires_at, "created_at": row.created_at,
    })
    data.update(tags=row.tags, bylines=[list(b) for b in row.bylines], byline=row.byline, reactions=row.reactions,
                unit=unit_names.get(row.unit_id) if row.unit_id is not None else unit_names.get(0),
                correction_pending=row.id in pending)
    return data


@command("list", help=N_("List articles, newest first (the trash only with --status trash)."))
@option("--status", type=click.Choice(STATUSES), help=N_("Only this status (default: all but the trash)."))
@option("--tag", shell_complete=complete_tags, help=N_("Only articles with this tag."))
@option("--author", help=N_("Only articles whose byline name contains this."))
@option("--unit", metavar="UNIT", shell_complete=complete_units,
        help=N_("Only articles of this unit and its sub-units (default: the units you belong to)."))
@option("--all-units", is_flag=True, help=N_("Articles of every unit (what you may read there)."))
@option("--byline-unit", metavar="TEXT", help=N_("Only articles whose byline unit contains this."))
@option("--search", "text", metavar="WORDS", help=N_("Full-text search: words, \"a phrase\", -excluded."))
@option("--sort", type=click.Choice(listing.SORTS), default="updated", show_default=True,
        help=N_("Order of the list."))
@option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help=N_("At most this many."))
@option("--json", "as_json", is_flag=True, help=N_("Print JSON instead of a table."))
@handle_errors
def list_command(status: str | None, tag: str | None, author: str | None, unit: str | None, all_units: bool,
                 byline_unit: str | None, text: str | None, sort: str, limit: int, as_json: bool) -> None:
    from beritatui.cli.units import find_unit

    session = command_session()
    scope = visibility.list_scope(session.actor, find_unit(unit).id if unit is not None else None,
                                  all_units=all_units)  # once per command: every page reuses it
    query = listing.ArticleQuery(status=status, tag=tag, author=author, unit=byline_unit, text=text, sort=sort,
                                 unit_ids=scope.unit_ids, reader=scope.reader)
    rows, more = _collect_rows(query, limit)
    if as_json:
        unit_names = units.names()
        unit_names[0] = unit_names.get(units.root_id(), "")  # a row without a unit is the root's
        pending = corrections.pending_ids(row.id for row in rows if row.status == "published")
        print_json([_row_data(row, unit_names, pending) for row in rows])
        return
    if not rows:
        click.echo(_("No articles match."))
        return
    when = "published_at" if sort == "published" else "created_at" if sort == "created" else "updated_at"
    headers = [_("ID"), _("Status"), _("Published") if sort == "published" else _("Updated"), _("Tag"), _("Title")]
    if sort == "created":
        headers[2] = _("Created")
    table = [[str(r.id), workflow.status_label(r.status), site_time(getattr(r, when)), r.primary_tag, r.title]
             for r in rows]
    unit_names = units.names()
    if len(unit_names if scope.unit_ids is None else scope.unit_ids) > 1:  # over several units: say whose each is
        headers.insert(3, _("Unit"))
        for row, cells in zip(rows, table, strict=True):
            cells.insert(3, unit_names.get(row.unit_id if row.unit_id is not None else units.root_id(), ""))
    print_table(headers, table, stretch=len(headers) - 1)
    count = ngettext("{n} article", "{n} articles", len(rows)).format(n=len(rows))
    click.echo(count + (" " + _("(more: raise --limit)") if more else ""))


@command("show", help=N_("Show one article: content, status, tags, byline, reactions, notes and times."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@handle_errors
def show_command(ref: str, as_json: bool) -> None:
    from beritatui.cli.notes import note_lines

    session = command_session()
    article = visibility.readable_article(session.actor, ref)
    article_notes = notes.notes_for(session.actor, article)
    data = article_data(article, session.actor, article_notes)
    if as_json:
        print_json(data)
        return
    tallies = " · ".join(f"{name} {count}" for name, count in data["reactions"].items() if count) or "—"
    lines = field_lines([
        (_("Title"), article.title),
        (_("Slug"), article.slug),
        (_("Status"), workflow.status_label(article.status)
         + (" · " + _("correction pending (beritatui correction diff {slug})").format(slug=article.slug)
            if data["correction_pending"] else "")),
        (_("Unit"), data["unit"]),
        (_("Byline"), data["byline"] or "—"),
        (_("Tags"), ", ".join(data["tags"]) or "—"),
        (_("Summary"), article.summary or "—"),
        (_("Created"), f"{site_time(article.created_at)} ({article.created_by.login})"),
        (_("Updated"), f"{site_time(article.updated_at)} ({article.updated_by.login})"),
        (_("Published"), site_time(article.published_at)),
        (_("Scheduled"), site_time(article.scheduled_at)),
        (_("Until"), site_time(article.expires_at)),
        (_("Version"), str(article.version)),
        (_("Reactions"), tallies),
        (_("Notes"), _("{n} ({open} open)").format(n=data["notes"], open=data["open_notes"])),
        (_("Address"), data["url"]),
        (_("Length"), articles.describe_reading(article.body_text)),
        (_("Time zone"), data["timezone"]),
    ])
    if data["note_list"]:
        lines += ["", *note_lines(article_notes)]
    if article.body:
        lines += ["", article.body]
    paged(lines)


COMMANDS = (new_command, list_command, show_command)
