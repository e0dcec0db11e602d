"""Markdown rendering: whatever a person types, the HTML stays inside the allow-list."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlparse

from hypothesis import given, settings
from hypothesis import strategies as st

from beritatui.core.render import ALLOWED_ATTRIBUTES, ALLOWED_SCHEMES, ALLOWED_TAGS, render, render_html


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.elements


def assert_safe(html: str) -> None:
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), name
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set()), (tag, name)
            if name in ("href", "src") and value:
                scheme = urlparse(value.strip()).scheme
                assert scheme == "" or scheme.lower() in ALLOWED_SCHEMES, value


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[klik](javascript:alert(1))",
    "[klik](JAVASCRIPT:alert(1))",
    "[klik](java\tscript:alert(1))",
    "![foto](data:text/html;base64,PHNjcmlwdD4=)",
    "[x](vbscript:msgbox)",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil></iframe>",
    "<style>body{}</style>",
    '<div style="background:url(javascript:x)">',
    "```html\n<script>x</script>\n```",
    "| a | b |\n|:-:|--:|\n| <b onclick=x>1</b> | 2 |",
    "<!-- komentar -->",
    "[a](<javascript:alert(1)>)",
    "&lt;script&gt;",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<https://contoh.go.id>",
    "<mailto:humas@contoh.go.id>",
    "<javascript:alert(1)>",
]
MARKDOWN_BITS = st.sampled_from(
    HOSTILE + ["**tebal**", "_miring_", "# Judul", "- butir", "1. satu", "> kutipan", "`kode`", "---", "\n\n",
               "~~coret~~", "[tautan](https://contoh.go.id)", "![foto](https://contoh.go.id/a.jpg)", "<", ">", "\"",
               "'", "=", "(", ")", "[", "]", "!", ":", "&", "#", "|"]
)


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.one_of(MARKDOWN_BITS, st.text(max_size=20)), max_size=12))
def test_rendered_html_stays_inside_the_allow_list(parts):
    html, _text = render("".join(parts))
    assert_safe(html)


def test_each_hostile_sample_is_neutralised():
    for sample in HOSTILE:
        assert_safe(render_html(sample))


def test_raw_html_is_escaped_not_kept():
    html = render_html("Halo <b>dunia</b> <script>alert(1)</script>")
    assert "&lt;b&gt;dunia&lt;/b&gt;" in html
    assert "&lt;script&gt;" in html
    assert "<script" not in html and "<b>" not in html


def test_links_get_noopener_noreferrer():
    (tag, attrs), = [e for e in elements(render_html("[Kanwil](https://contoh.go.id/berita)")) if e[0] == "a"]
    assert attrs["href"] == "https://contoh.go.id/berita"
    assert attrs["rel"] == "noopener noreferrer"


def test_javascript_links_lose_their_href():
    for _tag, attrs in elements(render_html("[klik](javascript:alert(1))")):
        assert "href" not in attrs or not attrs["href"].lower().startswith("javascript")


def test_tables_and_strikethrough_render():
    html = render_html("| Blok | Jumlah |\n|:--|--:|\n| A | 12 |\n\n~~batal~~")
    assert "<table>" in html and 'style="text-align:right"' in html and "<s>batal</s>" in html


def test_code_language_class_is_kept_but_nothing_else():
    assert 'class="language-python"' in render_html("```python\nx = 1\n```")
    assert "class=" not in render_html('```python" onmouseover="x\nx = 1\n```')


def test_plain_text_has_lines_and_bullets():
    _html, text = render("# Judul\n\nParagraf **satu**.\n\n- kangkung\n- bayam\n\nA &amp; B")
    assert text == "Judul\nParagraf satu.\n• kangkung\n• bayam\nA & B"
