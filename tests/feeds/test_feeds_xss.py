"""Nothing executable reaches the website: an XSS corpus in titles and bodies, and whatever people type."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beritatui.core.charcheck import hidden_character
from beritatui.core.errors import ValidationError
from beritatui.core.tags import check_tag_name
from beritatui.feeds.export import export_feeds

VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"javascript:alert(1)\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<img src=`javascript:alert(1)`>",
    "<img \"\"\"><script>alert(1)</script>\">",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg/onload=alert(1)//",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\"></object>",
    "<embed src=javascript:alert(1)>",
    "<a href=\"javascript:alert(1)\">klik</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">klik</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">klik</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">klik</a>",
    "<a href=\"vbscript:msgbox(1)\">klik</a>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<div style=\"width: expression(alert(1))\">x</div>",
    "<style>@import 'javascript:alert(1)';</style>",
    "<link rel=stylesheet href=javascript:alert(1)>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<form action=javascript:alert(1)><input type=submit></form>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<base href=\"javascript:/\">",
    "<table background=\"javascript:alert(1)\">",
    "<td style=\"text-align:center;background:url(javascript:alert(1))\">x</td>",
    "<!--<script>alert(1)//-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![gambar](javascript:alert(1))",
    "![gambar](x \"onerror=alert(1)\")",
    "[klik](vbscript:msgbox(1))",
    "<http://example.go.id/\" onmouseover=\"alert(1)>",
    "<javascript:alert(1)>",
    "[ref]: javascript:alert(1)\n\n[ref]",
    "```html\n<script>alert(1)</script>\n```",
    "<scr\x00ipt>alert(1)</script>",
    "<img src=x onerror=\"&#97;lert(1)\">",
    "<p onclick=alert(1)>paragraf</p>",
    "<a href=\"  javascript:alert(1)\">spasi</a>",
]
SAFE_TAGS = {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "s", "del", "code", "pre",
             "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td"}
SAFE_ATTRIBUTES = {"href", "title", "src", "alt", "start", "style", "class", "rel"}


class _Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML (text content is harmless)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    def handle_comment(self, data):
        self.found.append(("!--", []))


def _assert_safe_html(html: str) -> None:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.found:
        assert tag in SAFE_TAGS, (tag, html)
        for name, value in attrs:
            assert name in SAFE_ATTRIBUTES, (tag, name, html)
            value = value or ""
            if name in ("href", "src"):
                scheme = re.match(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):", value)
                assert scheme is None or scheme.group(1).lower() in ("http", "https", "mailto"), value
            if name == "style":
                assert re.fullmatch(r"text-align:\s*(left|right|center);?", value), value


def _assert_clean(kit, out):
    for path in kit.feed_files(out):
        data = kit.check(path)  # no raw < or > anywhere in the bytes
        for item in data["items"]:
            _assert_safe_html(item["content_html"])


def test_xss_corpus_never_survives_export(desk, kit, tmp_path):
    assert len(VECTORS) >= 50
    for number, vector in enumerate(VECTORS):
        kit.publish(desk, f"Judul {number} {vector}"[:255],
                    f"Paragraf pembuka.\n\n{vector}\n\n- butir {vector}\n\n> {vector}", tags=["Keamanan"])
    out = tmp_path / "out"
    report = export_feeds(out, actor=desk)
    assert report.articles == len(VECTORS)
    _assert_clean(kit, out)
    titles = {item["title"] for path in kit.feed_files(out) for item in json.loads(path.read_bytes())["items"]}
    assert "Judul 0 <script>alert(1)</script>" in titles  # kept as plain text, escaped in the bytes


typed = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=120)


def _valid_tag(text: str) -> bool:
    try:
        check_tag_name(text)
    except ValidationError:
        return False
    return True


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=typed.filter(lambda t: any(c.isalnum() for c in t) and hidden_character(t) is None), body=typed,
       tag=typed.filter(_valid_tag))
def test_whatever_people_type_exports_as_valid_safe_json(desk, kit, tmp_path_factory, title, body, tag):
    kit.publish(desk, title, body, tags=[tag])
    out = tmp_path_factory.mktemp("out")
    export_feeds(out, actor=desk)
    _assert_clean(kit, out)
    assert export_feeds(out, actor=desk).written == 0
