"""Tags: ``tag`` (one article's tags) and ``tags`` (list, rename, merge, delete).  Notes are :mod:`~beritatui.cli.notes`."""

from __future__ import annotations

import click

from beritatui.cli.base import command, command_session, fail, group, handle_errors, option, split_tag_options
from beritatui.cli.completion import complete_slugs, complete_tags
from beritatui.cli.output import print_json, print_table
from beritatui.core import articles, tags
from beritatui.i18n import N_, _, ngettext


@command("tag", help=N_("Add or remove tags on one article."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@option("--add", "add", multiple=True, metavar="TAG", shell_complete=complete_tags, help=N_("A tag to add (repeatable)."))
@option("--remove", "remove", multiple=True, metavar="TAG", shell_complete=complete_tags, help=N_("A tag to remove (repeatable)."))
@handle_errors
def tag_command(ref: str, add: tuple[str, ...], remove: tuple[str, ...]) -> None:
    if not add and not remove:
        raise click.UsageError(_("Give --add TAG or --remove TAG"))
    session = command_session()
    article = articles.tag_article(session.actor, ref, split_tag_options(add), split_tag_options(remove))
    names = [t.name for t in articles.article_tags(article.id)]
    click.echo(_("Tags of {title}: {tags}").format(title=article.title, tags=", ".join(names) or "—"))


@group("tags", invoke_without_command=True, help=N_("List tags with their article counts; rename, merge or delete."))
@option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@click.pass_context
@handle_errors
def tags_group(ctx: click.Context, as_json: bool) -> None:
    if ctx.invoked_subcommand is not None:
        return
    command_session()
    found = tags.list_tags()
    if as_json:
        print_json([{"id": t.id, "name": t.name, "slug": t.slug, "count": t.count, "internal": t.internal}
                    for t in found])
        return
    if not found:
        click.echo(_("No tags yet."))
        return
    print_table([_("Tag"), _("Slug"), _("Articles")], [[t.name, t.slug, str(t.count)] for t in found], stretch=0)


@tags_group.command("rename", help=N_("Rename a tag everywhere it is used."))
@click.argument("old", shell_complete=complete_tags)
@click.argument("new")
@handle_errors
def tags_rename_command(old: str, new: str) -> None:
    session = command_session()
    tag = tags.rename_tag(session.actor, old, new)
    click.echo(_("Renamed {old} to {new}").format(old=old, new=tag.name))


@tags_group.command("merge", help=N_("Move every article from SOURCE to TARGET, then remove SOURCE."))
@click.argument("source", shell_complete=complete_tags)
@click.argument("target", shell_complete=complete_tags)
@handle_errors
def tags_merge_command(source: str, target: str) -> None:
    session = command_session()
    tag = tags.merge_tags(session.actor, source, target)
    click.echo(_("Merged {source} into {target}").format(source=source, target=tag.name))


@tags_group.command("delete", help=N_("Delete a tag; its articles keep their other tags."))
@click.argument("name", shell_complete=complete_tags)
@option("--yes", "-y", is_flag=True, help=N_("Do not ask for confirmation."))
@handle_errors
def tags_delete_command(name: str, yes: bool) -> None:
    session = command_session()
    tag = tags.find_tag(name)
    count = next((t.count for t in tags.list_tags(include_trash=True) if t.id == tag.id), 0)
    if not yes:
        question = ngettext("Delete the tag {name} from {n} article?", "Delete the tag {name} from {n} articles?",
                            count).format(name=tag.name, n=count)
        try:
            confirmed = click.confirm(question, default=False)
        except click.exceptions.Abort:
            confirmed = False
        if not confirmed:
            fail(_("Nothing was deleted."))
    tags.delete_tag(session.actor, tag.name)
    click.echo(_("Deleted the tag {name}").format(name=tag.name))


COMMANDS = (tag_command, tags_group)
