"""Property tests that tests/core and tests/cli do not already cover: slugs through renames, HTML from
obfuscated links, and the feeds commands on files with any content."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlparse

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beritatui.cli import cli as beritatui_cli
from beritatui.core import users
from beritatui.core.articles import ArticleDraft, create_article, save_article
from beritatui.core.errors import ValidationError
from beritatui.core.models import Article
from beritatui.core.render import ALLOWED_SCHEMES, ALLOWED_TAGS, render

from .conftest import dump

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HOSTILE_TITLES = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["😀🎉", "مرحبا بالعالم", "שלום עולם", " " * 10_000, "\x00\x1b[2J\x07", "\u202eterbalik",
                     "Rapat\u200bKoordinasi", "ＦＵＬＬ ＷＩＤＴＨ", "İstanbul", "-" * 90, "a" * 300, "Ⅻ ½ ²"]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(titles=st.lists(HOSTILE_TITLES, min_size=2, max_size=5))
def test_slugs_stay_unique_and_valid_while_titles_change(newsroom, titles):
    """The slug follows the title on every save of a draft; two drafts never end with the same slug."""
    first = create_article(newsroom.writer, ArticleDraft(title="Judul Sementara"))
    second = create_article(newsroom.writer, ArticleDraft(title="Judul Sementara"))
    for n, title in enumerate(titles):
        article = Article.get_by_id((first, second)[n % 2].id)
        try:
            save_article(newsroom.writer, article.id, article.version, ArticleDraft(title=title))
        except ValidationError:
            continue
    slugs = [a.slug for a in Article.select(Article.slug)]
    assert len(slugs) == len(set(slugs))
    assert all(SLUG.match(s) and len(s) <= 80 for s in slugs), slugs


SCHEMES = st.sampled_from(["javascript", "JaVaScRiPt", "vbscript", "data", "file", "jav&#x61;script",
                           "java&#9;script", "&#106;avascript", "javascript&colon;", " javascript", "java\u0000script"])


@settings(max_examples=100, deadline=None)
@given(scheme=SCHEMES, form=st.sampled_from(["[a]({u})", "![a]({u})", "<{u}>", "[a]: {u}\n\n[a]",
                                             "[a](<{u}>)", '<a href="{u}">a</a>']),
       padding=st.text(max_size=10))
def test_obfuscated_link_schemes_never_reach_the_html(scheme, form, padding):
    """Text that merely mentions ``javascript:`` is fine; an element or URL attribute carrying it is not."""
    html, _text = render(padding + form.format(u=f"{scheme}:alert(1)") + padding)
    parser = _Elements()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, html
        for name, value in attrs:
            assert not name.startswith("on"), html
            if name in ("href", "src") and value:
                found = urlparse(value.strip()).scheme.lower()
                assert found in ALLOWED_SCHEMES | {""}, html


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


FILE_BYTES = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: t.encode("utf-8")),
    st.builds(lambda d: json.dumps(d).encode(), st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
        max_leaves=8)),
    st.sampled_from([b"---\ntitle: [\n---\n", b"---\n---\n", b'{"version": "https://jsonfeed.org/version/1", '
                     b'"items": [{"id": 1}]}', b"\xef\xbb\xbf", b"\xff\xfe"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=FILE_BYTES, command=st.sampled_from(["import", "reactions import", "import --dry-run"]),
       suffix=st.sampled_from([".md", ".json", ".txt"]))
def test_feeds_commands_on_any_file_answer_without_a_traceback(cli, newsroom, tmp_path, content, command, suffix):
    path = tmp_path / f"berkas{suffix}"
    path.write_bytes(content)
    cli.monkeypatch.setattr(users, "current_login", lambda: "eko")
    before = dump(newsroom.path)
    result = CliRunner().invoke(beritatui_cli, ["--db", str(newsroom.path), *command.split(), str(path)])
    assert result.exit_code in (0, 1), (command, content, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), (command, content, result.exception)
    assert "Traceback" not in result.output and "Unexpected error" not in result.output, result.output
    if result.exit_code == 1 or "dry-run" in command:
        assert dump(newsroom.path) == before, (command, content)
