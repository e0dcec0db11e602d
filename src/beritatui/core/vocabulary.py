"""The newsroom's fixed word lists, in a module of their own.

Kept apart from the models so that code which only needs the names (an export's worker
processes) does not import the database layer.
"""

STATUSES = ("draft", "review", "scheduled", "published", "archived", "trash")
ROLES = ("writer", "editor", "admin")
REACTIONS = ("like", "dislike", "love", "funny", "angry", "sad", "wow")
