"""``beritatui audit verify [--against FILE] [--json]``: walk the audit trail's hash chain (core.audit_chain).

A click command on its own (``verify_command``): the ``audit`` group (cli/audit.py) attaches it.
"""

from __future__ import annotations

from pathlib import Path

import click

from beritatui.cli.base import command, fail, handle_errors, open_database_only, option
from beritatui.cli.output import print_json
from beritatui.i18n import N_, _


@command("verify", help=N_("Recompute the audit trail's hash chain and name the first event changed, removed "
                                 "or reordered. Exit 1 if the chain is broken."))
@option("--against", "held", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False),
              help=N_("An audit-head.json or exported feed.json kept from earlier: check its head is still in the "
                      "chain."))
@option("--json", "as_json", is_flag=True, help=N_("Print the result as JSON."))
@handle_errors
def verify_command(held: Path | None, as_json: bool) -> None:
    from beritatui.core import audit_chain
    from beritatui.core.database import current_database

    head = audit_chain.read_head(held.expanduser()) if held is not None else None
    open_database_only()
    db = current_database()
    result = audit_chain.against(db, head) if head is not None else audit_chain.verify(db)
    if as_json:
        data = result.as_dict()
        if head is not None:
            data["against"] = {"events": head.events, "hash": head.hash}
        print_json(data)
    elif result.ok:
        click.echo(_("OK: the audit chain holds {n} events; head {hash}").format(n=result.events, hash=result.head))
        if head is not None:
            click.echo(_("The held head (event {n}) is in the chain: the history up to it is unchanged").format(
                n=head.events))
    if not result.ok:
        fail(result.problem or "")
