"""The review queue of one person: the articles in review whose current step awaits *them*.

An article is in ``actor``'s queue when they may approve its current step now (core.review_steps:
the step's editors, not someone who approved an earlier step of the round, not its writer unless the
unit allows self-approval), the last step being publishing it.  ``beritatui review``, the terminal app's
review screen and ``beritatui inbox`` all read this list, so they agree.

Only the units where ``actor`` is an editor can hold such articles (a parent's editor is an editor of
its sub-units too), so the query starts there, oldest first, and reads a batch at a time until the
page is full.
"""

from __future__ import annotations

from dataclasses import dataclass

from beritatui.core import listing, review_steps, units
from beritatui.core.models import Article, User

BATCH = 200


@dataclass(frozen=True)
class QueueItem:
    """One article awaiting the person's step, with its chain (the steps done, by whom)."""

    row: listing.ArticleRow
    chain: review_steps.Chain


def queue_for(actor: User, limit: int = 200) -> list[QueueItem]:
    """What awaits ``actor``'s approval, oldest first (by when the article last changed)."""
    from beritatui.core.users import refreshed

    actor = refreshed(actor)
    editor_of = units.units_where(actor, "editor")
    if not editor_of:
        return []
    query = Article.select(Article.id, Article.status, Article.unit, Article.review_round, Article.created_by,
                           Article.updated_at).where(Article.status == "review")
    if units.root_id() not in editor_of:
        query = query.where(Article.unit.in_(editor_of))
    query = query.order_by(Article.updated_at.asc(), Article.id.asc())
    rules = review_steps.Rules()
    found: list[QueueItem] = []
    after = None
    while len(found) < limit:
        batch = list((query if after is None else query.where(
            (Article.updated_at > after[0]) | ((Article.updated_at == after[0]) & (Article.id > after[1]))))
            .limit(BATCH))
        if not batch:
            break
        chains = review_steps.chains_of(batch, rules)
        rows = {row.id: row for row in listing.rows_for([a.id for a in batch])}
        for article in batch:
            row, chain = rows.get(article.id), chains[article.id]
            if row is None:
                continue
            own = review_steps.is_own(actor, row.created_by, [name for name, _unit in row.bylines])
            if review_steps.blocker(actor, chain, own, final=chain.at_last) is None:
                found.append(QueueItem(row, chain))
        if len(batch) < BATCH:
            break
        after = (batch[-1].updated_at, batch[-1].id)
    return found[:limit]
