"""The review queue of one person: the articles in review whose current step awaits *them*.

An article is in ``actor``'s queue when they may approve its current step now (core.review_steps:
the step's editors, not someone who approved an earlier step of the round, not its writer unless the
unit allows self-approval), the last step being publishing it.  ``beritatui review``, the terminal app's
review screen and ``beritatui inbox`` all read this list, so they agree.

Only the units where ``actor`` is an editor can hold such articles (a parent's editor is an editor of
its sub-units too).  The query narrows those to the steps ``actor`` approves in each unit (by how many
steps of the round are done), leaves out their own articles where the unit does not allow that and
the rounds they approved a step of; the core's rule (:func:`review_steps.blocker`) then has the last
word on each row (bylines, a chain that changed), a batch at a time, oldest first, until the page is full.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import reduce

from peewee import Tuple, fn

from beritatui.core import listing, review_steps, units
from beritatui.core.models import Approval, Article, Byline, User

BATCH = 200


@dataclass(frozen=True)
class QueueItem:
    """One article awaiting the person's step, with its chain (the steps done, by whom)."""

    row: listing.ArticleRow
    chain: review_steps.Chain


def _approved_in_round(**where: object):  # noqa: ANN202 - a peewee expression
    """How many steps of the article's current round are approved (a subquery per article)."""
    query = Approval.select(fn.COUNT(Approval.id)).where(
        (Approval.article == Article.id) & (Approval.round == fn.COALESCE(Article.review_round, 0)))
    for name, value in where.items():
        query = query.where(getattr(Approval, name) == value)
    return fn.COALESCE(query, 0)


def _candidates(actor: User, editor_of: list[int], rules: review_steps.Rules):  # noqa: ANN202 - a condition
    """The SQL side of the rule, so the page does not walk what cannot await ``actor``: per unit, the steps
    ``actor`` approves there (by how many are done), their own articles only where self-approval is on, and
    nothing whose round they approved a step of already.  :func:`review_steps.blocker` decides each row."""
    root = units.root_id()
    groups: dict[tuple[tuple[int, ...], int, bool], list[int]] = {}
    for unit_id in editor_of:
        steps, self_ok = rules.of(unit_id)
        mine = tuple(p for p in range(1, len(steps) + 1)
                     if units.holds(actor, "editor", review_steps.approver_unit(steps[p - 1], unit_id)))
        if mine:
            groups.setdefault((mine, len(steps), self_ok), []).append(unit_id)
    done = _approved_in_round()
    terms = []
    for (mine, total, self_ok), unit_ids in groups.items():
        # Cheap tests first (they come from the index), so a row they reject never runs a subquery.
        term = Article.created_by != actor.id if not self_ok else None
        in_units = Article.unit.in_(unit_ids)
        if root in unit_ids:
            in_units = in_units | Article.unit.is_null()
        term = in_units if term is None else term & in_units
        if set(mine) != set(range(1, total + 1)):  # not every step is theirs: which one is it at?
            at = [p - 1 for p in mine if p < total]
            position = done.in_(at) if at else None
            if total in mine:
                last = done >= total - 1
                position = last if position is None else (position | last)
            term = term & position
        if total > 1:  # one step of a round each: not one they approved already
            term = term & (_approved_in_round(login=actor.login) == 0)
        terms.append(term)
    if not terms:
        return None
    return reduce(operator.or_, terms)


def queue_for(actor: User, limit: int = 200) -> list[QueueItem]:
    """What awaits ``actor``'s approval, oldest first (by when the article last changed)."""
    from beritatui.core.users import refreshed

    actor = refreshed(actor)
    editor_of = units.units_where(actor, "editor")
    rules = review_steps.Rules(every_unit=len(editor_of) > 3)
    condition = _candidates(actor, editor_of, rules)
    if condition is None:
        return []
    query = (Article.select(Article.id, Article.status, Article.unit, Article.review_round, Article.created_by,
                            Article.updated_at)
             .where((Article.status == "review") & condition)
             .order_by(Article.updated_at.asc(), Article.id.asc()))
    found: list[tuple[Article, review_steps.Chain]] = []
    after, size = None, min(BATCH, limit + 10)  # the query leaves out nearly all that is not the person's
    while len(found) < limit:
        page = query if after is None else query.where(Tuple(Article.updated_at, Article.id) > Tuple(*after))
        batch = list(page.limit(size))
        if not batch:
            break
        chains = review_steps.chains_of(batch, rules)
        names = _byline_names([a.id for a in batch])
        for article in batch:
            chain = chains[article.id]
            own = review_steps.is_own(actor, article.created_by_id, names.get(article.id, ()))
            if review_steps.blocker(actor, chain, own, final=chain.at_last) is None:
                found.append((article, chain))
        if len(batch) < size:
            break
        last = batch[-1]
        after = (Article.updated_at.db_value(last.updated_at), last.id)
    found = found[:limit]
    rows = {row.id: row for row in listing.rows_for([article.id for article, _chain in found])}
    return [QueueItem(rows[article.id], chain) for article, chain in found if article.id in rows]


def _byline_names(ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    for row in Byline.select(Byline.article, Byline.name).where(Byline.article.in_(ids)):
        names.setdefault(row.article_id, []).append(row.name)
    return names
