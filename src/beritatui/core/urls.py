"""Which addresses may go out in a feed: absolute ``http``/``https`` URLs with a host, nothing else.

Every URL the export writes comes from a site setting or an article's image, and a website puts
them in links and ``<img src>``.  So a ``javascript:`` or ``data:`` address, a relative one, one
with a user name (``https://trusted@evil.example``), and any character a URI may not hold as is
(quotes, ``<``, ``>``, spaces, control characters, backslashes, non-ASCII: percent-encode them)
are refused where the value comes in, and left out or refused again where it goes out.  This is
also what the JSON Feed schema's ``uri`` format asks, so the rule keeps every file valid.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MAX_LENGTH = 2000
# RFC 3986's characters, less the single quote (a sub-delimiter, but it ends an HTML attribute).
_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]*\Z")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_NAME = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = re.compile(_NAME + r"\Z|\[[0-9A-Fa-f:.]+\]\Z")
# The export's own check of a stored value (an image URL saved by an older release): the usual
# address (a host name, no port, no percent sign) in one regular expression; anything else is
# given to the whole check.
_QUICK = re.compile(r"https?://" + _NAME + r"(?:[/?#][A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=]*)?\Z")
SAMPLE_SLUG = "contoh-berita"
SAMPLE_UUID = "0b7e4a52-5a1d-4f0e-9a57-2f7d3c9e1a10"
SAMPLE_BASE = "https://example.org"


def http_url_problem(value: str) -> str | None:
    """Why ``value`` may not go out as an address (translated, one line), or None when it may."""
    from beritatui.i18n import _  # here: the export's worker processes check addresses without messages

    if len(value) > MAX_LENGTH:
        return _("it is longer than {n} characters").format(n=MAX_LENGTH)
    if not _CHARACTERS.match(value):
        return _("it holds a character an address may not (a quote, <, >, a space, a control character, "
                 "a backslash or a non-ASCII letter: percent-encode it)")
    if _BAD_PERCENT.search(value):
        return _("a % must start a percent-encoded byte (%XX)")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises on a port that is not a number from 0 to 65535
    except ValueError:
        return _("it is not a well-formed address")
    if parts.scheme not in ("http", "https"):
        return _("it must start with http:// or https://")
    if "@" in parts.netloc:
        return _("it may not carry a user name or password")
    host = parts.netloc.rsplit(":", 1)[0] if not parts.netloc.endswith("]") else parts.netloc
    if not parts.hostname or not _HOST.match(host):
        return _("it has no host name")
    return None


def is_http_url(value: str) -> bool:
    """The export's quick check: a plain ``http(s)://host[:port][/…]`` address, nothing :func:`http_url_problem` refuses."""
    return bool(_QUICK.match(value)) or http_url_problem(value) is None


def template_problem(template: str, base_url: str = "") -> str | None:
    """Why ``article_url_template`` cannot give article addresses, or None.

    The scheme and host must not depend on the article: the template starts with ``{base_url}``
    (then ``/``, ``?``, ``#`` or nothing) or with ``http(s)://`` and a literal host; and the
    address it gives for a sample slug and uuid (with ``base_url``, or a sample one) must pass
    :func:`http_url_problem`.
    """
    from beritatui.i18n import _

    if template.startswith("{base_url}"):
        rest = template[len("{base_url}"):]
        fixed = not rest or rest[0] in "/?#"
    else:
        match = re.match(r"(?i)https?://([^/?#]*)", template)
        fixed = bool(match) and "{" not in match.group(1) and "}" not in match.group(1)
    if not fixed:
        return _("it must start with {field} or with http(s):// and a host that does not depend on the article").format(
            field="{base_url}")
    try:
        sample = template.format(base_url=base_url or SAMPLE_BASE, slug=SAMPLE_SLUG, uuid=SAMPLE_UUID)
    except (KeyError, IndexError, ValueError):
        return _("it is not a well-formed template")
    return http_url_problem(sample)
