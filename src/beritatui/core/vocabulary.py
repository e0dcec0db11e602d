"""The newsroom's fixed word lists, in a module of their own.

Kept apart from the models so that code which only needs the names (an export's worker
processes) does not import the database layer.
"""

from beritatui.i18n import N_, _

STATUSES = ("draft", "review", "scheduled", "published", "archived", "trash")
ROLES = ("writer", "editor", "admin")
# The login that runs scheduled publishing when no person acts (core.users.system_user); an editor everywhere.
SYSTEM_LOGIN = "beritatui"
REACTIONS = ("like", "dislike", "love", "funny", "angry", "sad", "wow")

# A tag whose name starts with this mark is internal: the newsroom's own (#perlu-foto), never in a feed.
INTERNAL_TAG_MARK = "#"


def is_internal_tag(name: str) -> bool:
    """Whether a tag name is internal (``#perlu-foto``): kept off the site, its slug marked as such.

    The one place this rule is written; here rather than in ``core.tags`` so that the models, the slug
    rules and the export's worker processes can ask without importing the database layer.
    """
    return name.startswith(INTERNAL_TAG_MARK)

# Why a revision was written (``Revision.reason``), as the history shows it: every reason the code writes.
REVISION_REASONS = {
    "save": N_("save"),
    "submit": N_("submit"),
    "publish": N_("publish"),
    "correction": N_("correction"),
    "correction-pending": N_("correction, pending review"),  # the live article kept its text (core.corrections)
    "correction-dropped": N_("correction dropped"),
    "restore": N_("restore"),
    "import": N_("import"),
    "merge": N_("merge"),
    "conflict-yours": N_("conflict: yours"),
    "conflict-theirs": N_("conflict: theirs"),
    "conflict-mine": N_("conflict: mine"),
    "autosave-recovered": N_("recovered text"),
    "kept": N_("kept, not saved"),  # a refused save's text, kept without changing the article (restore brings it back)
}


def reason_label(reason: str) -> str:
    """A revision's reason in the person's language (a reason this table does not know, as stored)."""
    return _(REVISION_REASONS[reason]) if reason in REVISION_REASONS else reason
