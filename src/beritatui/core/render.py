"""Markdown to sanitized HTML and plain text.

markdown-it-py parses CommonMark with tables and strikethrough, raw HTML off;
nh3 then keeps only an explicit allow-list of tags, attributes and URL schemes,
so an article body can never carry script into the website.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "s", "del", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
    "code": {"class"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
_STYLE_OK = re.compile(r"^text-align:(left|right|center)$")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
        ["table", "strikethrough"]
    )


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "style":
        return value if _STYLE_OK.match(value.replace(" ", "")) else None
    if tag == "code" and attribute == "class":
        return value if re.fullmatch(r"language-[A-Za-z0-9_+-]{1,32}", value) else None
    return value


def render_html(markdown: str) -> str:
    """Sanitized HTML for a Markdown body."""
    raw = _parser().render(markdown)
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_attribute_filter,
        strip_comments=True,
    ).strip()


_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|pre|tr|table|ul|ol)>|<br\s*/?>|<hr\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")


def html_to_text(body_html: str) -> str:
    """Plain text of sanitized HTML: blocks become lines, list items get a bullet."""
    text = re.sub(r"<li>", "• ", body_html, flags=re.I)
    text = _BLOCK_END.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line).strip()


def render(markdown: str) -> tuple[str, str]:
    """``(body_html, body_text)`` for a Markdown body."""
    body_html = render_html(markdown)
    return body_html, html_to_text(body_html)
