"""Approval chains: who approves an article in review, step by step, and the four-eyes rule.

A unit's ``review_steps`` (inherited, core.unit_settings) list who approves, in order: ``unit`` (an
editor of the article's own unit), ``parent`` (an editor of its parent unit; the root's: of the root)
and ``root`` (an editor of the root).  Unset, empty or made only of unknown words: ``unit``, one step,
which is what publishing was before chains.

- Each submit starts a new **round** (``article.review_round``); the approvals of earlier rounds stay in
  the ``approval`` table as history and no longer count.  The article is at the step after the last one
  approved in its round.
- ``approve`` approves the current step, but never the last one: ``publish`` and ``schedule`` *are* the
  last step's approval (they refuse before it), so the last approver chooses now or later.
- One person approves at most one step of a round.
- **Four-eyes**: unless the unit's ``self_approval`` is ``on``, nobody approves a step of, publishes or
  schedules an article they wrote (``created_by``) or are on the byline of (a byline name equal to their
  display name, ignoring case).  When it is on and they do, the approval and its audit event say so
  (``self_approved``).

:mod:`core.transitions` asks :func:`final_step` before a publish or schedule and :func:`record` after
it; everything else (approve, the queue's question "does this await me") is here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from beritatui.core import audit, clock, unit_settings, units
from beritatui.core.database import current_database
from beritatui.core.errors import InvalidTransition, PermissionDenied, ValidationError
from beritatui.core.models import Approval, Article, Byline, User
from beritatui.i18n import N_, _

STEP_NAMES = ("unit", "parent", "root")
DEFAULT_STEPS = ("unit",)
STEP_LABELS = {"unit": N_("unit"), "parent": N_("parent"), "root": N_("root")}
MAX_NOTE = 2000


def parse_steps(text: str | None) -> tuple[str, ...]:
    """The chain a ``review_steps`` value names; unknown words are left out, nothing left: ``unit``."""
    words = [word.strip().lower() for word in (text or "").split(",")]
    steps = tuple(word for word in words if word in STEP_NAMES)
    return steps or DEFAULT_STEPS


def steps_for(unit_id: int | None) -> tuple[str, ...]:
    return parse_steps(unit_settings.value(unit_id, "review_steps", "unit"))


def parse_on(text: str | None) -> bool:
    """A ``self_approval`` value: ``on`` (or true, yes, 1) allows it; anything else, or unset, does not."""
    return (text or "").strip().lower() in ("on", "true", "yes", "1")


def self_approval_on(unit_id: int | None) -> bool:
    return parse_on(unit_settings.value(unit_id, "self_approval", "off"))


def approver_unit(step: str, unit_id: int | None) -> int:
    """The unit whose editors approve ``step`` for an article of ``unit_id``."""
    unit_id = unit_id if unit_id is not None else units.root_id()
    if step == "root":
        return units.root_id()
    if step == "parent":
        path = units.ancestor_ids(unit_id)
        return path[-2] if len(path) > 1 else path[-1]
    return unit_id


@dataclass(frozen=True)
class Done:
    """One step approved in the article's current round."""

    step: int
    name: str
    login: str
    at: datetime
    note: str = ""
    self_approved: bool = False


@dataclass(frozen=True)
class Chain:
    """Where an article stands in its approval chain.

    ``position`` is the step awaiting approval (from 1); an article not in review has no round open,
    so nothing is done and it is at step 1 (what scheduling a draft would approve).
    """

    article_id: int
    unit_id: int
    steps: tuple[str, ...]
    round: int
    done: tuple[Done, ...]
    self_approval: bool = False

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def position(self) -> int:
        return min(len(self.done) + 1, self.total)

    @property
    def current(self) -> str:
        return self.steps[self.position - 1]

    @property
    def at_last(self) -> bool:
        return self.position == self.total

    @property
    def approvers(self) -> int:
        """The unit whose editors approve the current step."""
        return approver_unit(self.current, self.unit_id)

    def label(self) -> str:
        """"step 2/2 (parent)"."""
        return _("step {n}/{total} ({name})").format(n=self.position, total=self.total,
                                                     name=_(STEP_LABELS[self.current]))

    def done_lines(self) -> list[str]:
        """"unit: approved by lukman" for each step done (``done[i].at`` is when, for the surface to show)."""
        return [_("{name}: approved by {login}").format(name=_(STEP_LABELS.get(d.name, d.name)), login=d.login)
                for d in self.done]


# --- reading chains ---------------------------------------------------------------------------------

class Rules:
    """Each unit's steps and self-approval, read once per unit for a batch of articles (the queue's)."""

    def __init__(self, *, every_unit: bool = False) -> None:
        """``every_unit``: read every unit's rules at once (three queries), for a list over many units."""
        self.cache: dict[int, tuple[tuple[str, ...], bool]] = {}
        self.everywhere = (unit_settings.effective_everywhere(("review_steps", "self_approval"))
                           if every_unit else None)

    def of(self, unit_id: int) -> tuple[tuple[str, ...], bool]:
        if unit_id not in self.cache:
            if self.everywhere is not None and unit_id in self.everywhere:
                found = self.everywhere[unit_id]
            else:
                found = unit_settings.effective(unit_id)
            steps = parse_steps(found["review_steps"].value if "review_steps" in found else None)
            self.cache[unit_id] = (steps, parse_on(found["self_approval"].value if "self_approval" in found else None))
        return self.cache[unit_id]


def chains_of(articles: Iterable[Article], rules: Rules | None = None) -> dict[int, Chain]:
    """The chain of each article (one query for the approvals of all of them)."""
    articles = list(articles)
    rules = rules or Rules()
    in_review = {a.id: a.review_round or 0 for a in articles if a.status == "review"}
    done: dict[int, list[Done]] = {i: [] for i in in_review}
    if in_review:
        query = Approval.select().where(Approval.article.in_(list(in_review))).order_by(Approval.step)
        for row in query:
            if row.round == in_review[row.article_id]:
                done[row.article_id].append(Done(row.step, row.step_name, row.login, row.at, row.note,
                                                 row.self_approved))
    found = {}
    root: int | None = None  # read once: an article without a unit (a bulk corpus) is the root's
    for article in articles:
        unit_id = article.unit_id
        if unit_id is None:
            root = root if root is not None else units.root_id()
            unit_id = root
        steps, self_ok = rules.of(unit_id)
        found[article.id] = Chain(article.id, unit_id, steps, article.review_round or 0,
                                  tuple(done.get(article.id, ())), self_ok)
    return found


def chain_of(article: Article) -> Chain:
    return chains_of([article])[article.id]


def is_own(actor: User, article_created_by: int | None, byline_names: Iterable[str]) -> bool:
    """Whether ``actor`` wrote the article or is on its byline (their display name, ignoring case)."""
    if actor.id is not None and article_created_by == actor.id:
        return True
    me = (actor.display_name or "").strip().casefold()
    return bool(me) and any(name.strip().casefold() == me for name in byline_names)


def _byline_names(article_id: int) -> list[str]:
    return [row.name for row in Byline.select(Byline.name).where(Byline.article == article_id)]


# --- the rule -----------------------------------------------------------------------------------------

def blocker(actor: User, chain: Chain, own: bool, *, final: bool) -> str | None:
    """Why ``actor`` may not approve the chain's current step now, as a code, or ``None``.

    ``final``: by publishing or scheduling (the last step); otherwise by ``approve`` (not the last).
    Codes: ``last``, ``not-yet``, ``not-approver``, ``twice``, ``own``.
    """
    if not final and chain.at_last:
        return "last"
    if final and not chain.at_last:
        return "not-yet"
    if not units.holds(actor, "editor", chain.approvers):
        return "not-approver"
    if any(d.login == actor.login for d in chain.done):
        return "twice"
    if own and not chain.self_approval:
        return "own"
    return None


def awaits_line(chain: Chain) -> str:
    """"step 1/2 (unit) awaits an editor of Rutan Makassar"."""
    unit = units.get_unit(chain.approvers)
    return _("{step} awaits an editor of {unit}").format(step=chain.label(), unit=unit.name)


def message(code: str, chain: Chain, article: Article, actor: User) -> str:
    """The one line a refusal reads."""
    if code == "last":
        return _("{title!r} is at its last step, {step}: `beritatui publish {slug}` publishes it, "
                 "`beritatui publish {slug} --at TIME` schedules it").format(
            title=article.title, step=chain.label(), slug=article.slug)
    if code == "not-yet":
        if article.status != "review":
            return _("{title!r} needs {total} approvals: submit it for review first").format(
                title=article.title, total=chain.total)
        return _("Not yet: {awaits} (`beritatui approve {slug}`)").format(awaits=awaits_line(chain), slug=article.slug)
    if code == "not-approver":
        return _("You cannot approve this: {awaits}").format(awaits=awaits_line(chain))
    if code == "twice":
        step = next(d for d in chain.done if d.login == actor.login)
        return _("You approved step {n} of this round already: another editor approves {step}").format(
            n=step.step, step=chain.label())
    return _("You wrote {title!r} or are on its byline: another editor must approve it (four-eyes rule; "
             "the unit's self_approval is off)").format(title=article.title)


@dataclass(frozen=True)
class Pending:
    """An approval checked and about to be written (:func:`record`)."""

    chain: Chain
    self_approved: bool
    note: str = ""


def check(actor: User, article: Article, *, final: bool, note: str = "") -> Pending:
    """Raise unless ``actor`` may approve ``article``'s current step now (``final``: by publishing)."""
    chain = chain_of(article)
    own = is_own(actor, article.created_by_id, _byline_names(article.id))
    code = blocker(actor, chain, own, final=final)
    if code is not None:
        error = InvalidTransition if code in ("last", "not-yet") else PermissionDenied
        raise error(message(code, chain, article, actor))
    return Pending(chain, self_approved=own, note=note)


def final_step(actor: User, action: str, article: Article) -> Pending | None:
    """For ``publish`` and ``schedule``: check they may approve the last step (call after workflow.check)."""
    if action not in ("publish", "schedule"):
        return None
    return check(actor, article, final=True)


def round_updates(action: str, article: Article) -> dict[str, Any]:
    """The article's columns an action changes here: a submit (or scheduling a draft) opens a new round."""
    if action == "submit" or (action == "schedule" and article.status == "draft"):
        return {"review_round": (article.review_round or 0) + 1}
    return {}


def record(pending: Pending, article: Article, actor: User) -> dict[str, Any]:
    """Write the approval (in the caller's transaction); returns what its audit event carries."""
    step = len(pending.chain.done) + 1
    Approval.insert(article=article.id, round=article.review_round or 0, step=step,
                    step_name=pending.chain.current, login=actor.login, at=clock.utcnow(), note=pending.note,
                    article_version=article.version, self_approved=pending.self_approved).execute()
    details: dict[str, Any] = {"step": step, "of": pending.chain.total, "step_name": pending.chain.current,
                               "round": article.review_round or 0}
    if pending.self_approved:
        details["self_approved"] = True
    return details


def approve(actor: User, ref: str | int, note: str | None = None, base_version: int | None = None) -> Chain:
    """Approve the current step of an article in review (not the last: that is ``publish``).

    Returns the chain as it is now.  The article itself does not change (no new version: an open editor
    meets no conflict); ``base_version``: refuse if it changed since the approver read it.
    """
    from beritatui.core.lookup import article_at
    from beritatui.core.users import refreshed

    text = (note or "").strip()
    if len(text) > MAX_NOTE:
        raise ValidationError(_("A note has at most {n} characters").format(n=MAX_NOTE))
    with current_database().atomic():
        actor = refreshed(actor)
        article = article_at(ref, base_version)
        if article.status != "review":
            from beritatui.core.workflow import status_label

            raise InvalidTransition(_("Only an article in review is approved; this one is {status}").format(
                status=status_label(article.status)))
        pending = check(actor, article, final=False, note=text)
        details = record(pending, article, actor)
        audit.record(actor.login, "article.approve", article.id, status=article.status, version=article.version,
                     note=text, **details)
        return chain_of(article)

