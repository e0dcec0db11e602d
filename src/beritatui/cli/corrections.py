"""``correction show|diff|drop``: a published article's pending correction, before an editor publishes it
(``beritatui publish SLUG --correction "note"``, in :mod:`beritatui.cli.workflow`)."""

from __future__ import annotations

import click

from beritatui.cli.base import command_session, group, handle_errors
from beritatui.cli.completion import complete_slugs
from beritatui.cli.output import field_lines, paged, site_time
from beritatui.i18n import N_, _

# The content's fields as a person names them (the same words as the editor's conflict dialog).
FIELD_LABELS = {
    "title": N_("title"), "slug": N_("slug"), "summary": N_("summary"), "tags": N_("tags"),
    "bylines": N_("byline"), "language": N_("language"), "image_url": N_("image URL"),
    "image_alt": N_("image description"), "body": N_("body"),
}


@group("correction", help=N_("A published article's pending correction: show it, compare it with the live text, "
                             "or drop it. An editor publishes it with: publish SLUG --correction \"note\"."))
def correction_group() -> None:
    pass


@correction_group.command("show", help=N_("Show the pending correction: who wrote it, when, what it changes, "
                                          "and its text."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@handle_errors
def correction_show_command(ref: str) -> None:
    from beritatui.core import correction_review

    command_session()
    view = correction_review.pending_view(ref)
    pending = view.correction
    lines = field_lines([
        (_("Article"), f"{view.article.title} ({view.article.slug})"),
        (_("Status"), _("correction pending; the live version stays on the site until an editor publishes it")),
        (_("Written by"), ", ".join(pending.writers or [pending.login])),
        (_("Started"), site_time(pending.created_at)),
        (_("Last saved"), site_time(pending.updated_at)),
        (_("From version"), str(pending.base_version)),
        (_("Changes"), ", ".join(_(FIELD_LABELS[name]) for name in view.changed) or "—"),
        (_("Title"), view.content.title),
    ])
    if view.content.body:
        lines += ["", view.content.body]
    paged(lines)


@correction_group.command("diff", help=N_("Show what the pending correction changes in the live article."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@handle_errors
def correction_diff_command(ref: str) -> None:
    from beritatui.cli.history import diff_style
    from beritatui.core import correction_review

    command_session()
    lines = correction_review.diff_lines(ref)
    if not lines:
        click.echo(_("No differences."))
        return
    paged([diff_style(line) for line in lines])


@correction_group.command("drop", help=N_("Drop the pending correction (its text stays in the history); the live "
                                          "article stays as it is."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@handle_errors
def correction_drop_command(ref: str) -> None:
    from beritatui.core import correction_review

    session = command_session()
    dropped = correction_review.drop_correction(session.actor, ref)
    click.echo(_("Correction dropped; the live text stays: {title}").format(title=dropped.article.title))


COMMANDS = (correction_group,)
