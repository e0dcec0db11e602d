"""Markdown with Hugo/Jekyll front matter, read through bounded YAML and JSON handlers only.

Front matter may not use YAML anchors or aliases (a few hundred bytes of them expand to gigabytes),
nest deeply, or exceed 64 KiB.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import JSONHandler, YAMLHandler

from beritatui.core.content import parse_byline
from beritatui.core.site import get_settings
from beritatui.core.textfile import brief, load_json
from beritatui.i18n import _

from .fields import as_moment, as_names, as_reactions, as_text, as_uuid
from .source import ImportProblem, Source

MAX_FRONT_MATTER = 64 * 1024  # Hugo and Jekyll front matter is a few hundred bytes
MAX_YAML_DEPTH = 32


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing anchors and aliases and nesting beyond :data:`MAX_YAML_DEPTH`.

    Aliases are how a few hundred bytes ("billion laughs") become gigabytes once expanded, and
    nobody writes them in a Hugo or Jekyll header.
    """

    def __init__(self, stream: str):
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise ImportProblem(_("the front matter uses a YAML anchor or alias (& or *); they are not accepted"))
        self.depth += 1
        try:
            if self.depth > MAX_YAML_DEPTH:
                raise ImportProblem(_("the front matter is nested more than {n} levels deep").format(
                    n=MAX_YAML_DEPTH))
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _front_matter_size(text: str) -> None:
    if len(text) > MAX_FRONT_MATTER:
        raise ImportProblem(_("the front matter is larger than {n} KiB").format(n=MAX_FRONT_MATTER // 1024))


class _YAMLFrontMatter(YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> Any:
        _front_matter_size(fm)
        return yaml.load(fm, Loader=_FrontMatterLoader)  # noqa: S506 - a SafeLoader without aliases


class _JSONFrontMatter(JSONHandler):
    def load(self, fm: str, **kwargs: object) -> Any:
        _front_matter_size(fm)
        return load_json(fm, max_depth=MAX_YAML_DEPTH)


_FRONT_MATTER = (_YAMLFrontMatter(), _JSONFrontMatter())


def _front_matter(text: str) -> frontmatter.Post:
    """The front matter and body, through the bounded handlers only (never python-frontmatter's own choice)."""
    stripped = text.strip()
    handler = next((handler for handler in _FRONT_MATTER if handler.detect(stripped)), None)
    if handler is None:
        return frontmatter.Post(stripped)
    return frontmatter.loads(text, handler=handler)


def read_markdown(path: Path, text: str) -> Source:
    """Hugo/Jekyll fields: title, slug, date, lastmod, draft, tags, categories, summary/description, author, unit, image."""
    try:
        post = _front_matter(text)
    except RecursionError as exc:
        raise ImportProblem(_("the front matter is nested too deeply")) from exc
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        raise ImportProblem(_("broken front matter: {reason}").format(reason=brief(str(exc), 200))) from exc
    meta = post.metadata
    if not isinstance(meta, dict):
        raise ImportProblem(_("the front matter is not a set of fields"))
    title = as_text(meta.get("title"), "title")
    if not title:
        raise ImportProblem(_("no title in the front matter"))
    tz = get_settings().timezone
    unit = as_text(meta.get("unit"), "unit")
    authors = meta.get("authors", meta.get("author"))
    author_list = [authors] if isinstance(authors, str) else authors if isinstance(authors, list) else []
    bylines = []
    for author in author_list:
        name, own_unit = parse_byline(str(author))
        bylines.append((name, own_unit or unit))
    images = meta.get("images")
    image = meta.get("image") or meta.get("featured_image") or (images[0] if isinstance(images, list) and images
                                                                 else "")
    slug = as_text(meta.get("slug"), "slug")
    if not slug:
        slug = path.parent.name if path.stem in ("index", "_index") else path.stem
    return Source(
        origin=str(path), title=title, body=post.content, uuid=as_uuid(meta.get("uuid") or meta.get("id")),
        slug=slug, summary=as_text(meta.get("summary") or meta.get("description"), "summary"),
        tags=as_names(meta.get("tags")) + as_names(meta.get("categories")), bylines=bylines,
        language=as_text(meta.get("language") or meta.get("lang"), "language"), image_url=as_text(image, "image"),
        image_alt=as_text(meta.get("image_alt"), "image_alt"),
        published_at=as_moment(meta.get("date") or meta.get("publishDate"), tz),
        modified_at=as_moment(meta.get("lastmod"), tz), draft=bool(meta.get("draft", False)),
        reactions=as_reactions(meta.get("reactions")),
    )
