"""What an article's fields may hold: the limits, and the cleaning every input gets before it is saved.

Control characters are dropped, whitespace collapsed, hidden characters and over-long fields
refused (with a message naming the limit), so every surface (editor, CLI, import, bulk loader)
puts the same clean text into the database.
"""

from __future__ import annotations

import unicodedata

from beritatui.core import urls
from beritatui.core.charcheck import refuse_hidden
from beritatui.core.content import ArticleDraft
from beritatui.core.errors import ValidationError
from beritatui.core.tags import check_tag_names
from beritatui.i18n import _

MAX_TITLE = 255
MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_SUMMARY = 2000
MAX_BYLINES = 20
MAX_NAME = 128
SPACE_CONTROLS = "\t\n\v\f\r\x1c\x1d\x1e\x1f\x85"  # whitespace, collapsed rather than dropped


def strip_controls(text: str, keep: str = "") -> str:
    """``text`` without control characters (except those in ``keep``).

    An ESC or BEL in a title would reach every terminal that lists it; nobody types
    them on purpose, so they never enter the database.  Invisible *format* characters
    (bidi overrides, zero-width spaces) are not dropped here but refused where a name
    must be told apart from another (:mod:`beritatui.core.charcheck`).
    """
    if text.isprintable():
        return text
    return "".join(ch for ch in text if ch in keep or unicodedata.category(ch) != "Cc")


def clean_body(body: str) -> str:
    # measured before control characters are dropped too: 50 MB of NUL bytes is a wrong file, not an empty body
    if len(body) > MAX_BODY_BYTES or len(body.encode("utf-8")) > MAX_BODY_BYTES:
        raise ValidationError(_("The body is larger than 2 MB"))
    body = strip_controls(body.replace("\r\n", "\n"), keep="\n\t")
    if len(body.encode("utf-8")) > MAX_BODY_BYTES:
        raise ValidationError(_("The body is larger than 2 MB"))
    return body



def clean_draft(draft: ArticleDraft) -> ArticleDraft:
    """Validate and normalize a draft; raises with a message naming the limit."""
    if draft.title is not None:
        draft.title = " ".join(strip_controls(draft.title, keep=SPACE_CONTROLS).split())
        refuse_hidden(draft.title, _("The title"))
        if not draft.title:
            raise ValidationError(_("A title is required"))
        if len(draft.title) > MAX_TITLE:
            raise ValidationError(
                _("The title is {n} characters; at most {max} are allowed").format(n=len(draft.title), max=MAX_TITLE)
            )
    if draft.slug is not None:
        refuse_hidden(draft.slug, _("The slug"))
    if draft.body is not None:
        draft.body = clean_body(draft.body)
    if draft.summary is not None:
        draft.summary = strip_controls(draft.summary, keep="\n\t").strip()
        if len(draft.summary) > MAX_SUMMARY:
            raise ValidationError(_("The summary is at most {max} characters").format(max=MAX_SUMMARY))
    if draft.tags is not None:
        draft.tags = check_tag_names(draft.tags)
    if draft.bylines is not None:
        draft.bylines = clean_bylines(draft.bylines)
    for name in ("image_url", "image_alt", "language"):
        value = getattr(draft, name)
        if value is not None:
            setattr(draft, name, strip_controls(value).strip())
    if draft.image_url:
        if not draft.image_url.startswith(("http://", "https://")):
            raise ValidationError(_("The image URL must start with http:// or https://"))
        problem = urls.http_url_problem(draft.image_url)  # quotes, <, >, spaces, no host: refused too
        if problem is not None:
            raise ValidationError(_("The image URL is not usable: {reason}").format(reason=problem))
    if draft.language is not None and len(draft.language) > 16:
        raise ValidationError(_("The language code is at most 16 characters"))
    return draft


def clean_bylines(bylines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    clean = []
    for name, unit in bylines:
        name, unit = (" ".join(strip_controls(part, keep=SPACE_CONTROLS).split()) for part in (name, unit))
        if not name:
            continue
        refuse_hidden(name, _("A byline name"))
        refuse_hidden(unit, _("A byline unit"))
        if len(name) > MAX_NAME or len(unit) > MAX_NAME:
            raise ValidationError(_("A byline name or unit is at most {max} characters").format(max=MAX_NAME))
        clean.append((name, unit))
    if len(clean) > MAX_BYLINES:
        raise ValidationError(_("At most {max} bylines").format(max=MAX_BYLINES))
    return clean

