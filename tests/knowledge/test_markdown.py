"""The Markdown renderer leaves every known injection inert."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from api.knowledge import workflow
from api.knowledge.markdown import plain_text, render_html, url_scheme

INJECTIONS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=https://evil.example></iframe>",
    '<a href="javascript:alert(1)">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;avascript&#58;alert(1))",
    "[click](java%0Ascript:alert(1))",
    "[click](<java\tscript:alert(1)>)",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![x](javascript:alert(1))",
    "![x](mailto:someone@example.org)",
    "<javascript:alert(1)>",
    '[a](https://example.org "title\\" onmouseover=\\"alert(1)")',
    '[a](https://example.org "x" onclick="alert(1)")',
    "[a](https://example.org 'it''s' onfocus=alert(1))",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "<!-- <script>alert(1)</script> -->",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "[ref]\n\n[ref]: javascript:alert(1)",
    '<object data="javascript:alert(1)"></object>',
    "```html\n<script>alert(1)</script>\n```",
]
ALLOWED_TAGS = {"p", "a", "img", "em", "strong", "code", "pre", "ul", "ol", "li", "h1", "h2", "h3", "blockquote", "br"}
ALLOWED_ATTRIBUTES = {"href", "src", "alt", "title", "rel", "class"}


class _Inspector(HTMLParser):
    """Parses the HTML as a browser would and collects every tag and attribute it meets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _assert_inert(html: str) -> None:
    inspector = _Inspector()
    inspector.feed(html)
    for tag, attributes in inspector.tags:
        assert tag in ALLOWED_TAGS, html
        for name, value in attributes:
            assert name in ALLOWED_ATTRIBUTES, html
            if name in ("href", "src"):
                scheme = url_scheme(value or "")
                assert scheme is None or scheme in ("http", "https", "mailto"), html
                assert not re.match(r"^\s*(javascript|data|vbscript)", value or "", re.IGNORECASE), html


@pytest.mark.parametrize("source", INJECTIONS)
def test_an_injection_renders_inert(source: str) -> None:
    html = render_html(source)
    _assert_inert(html)
    assert "<script" not in html.lower() and "<svg" not in html.lower() and "<iframe" not in html.lower()


def test_a_link_title_with_quotes_stays_inside_its_attribute() -> None:
    html = render_html('[a](https://example.org "say \\"hi\\" onmouseover=alert(1)")')
    assert 'title="say &quot;hi&quot; onmouseover=alert(1)"' in html


def test_allowed_links_render_with_rel() -> None:
    html = render_html(
        "[w](https://example.org) [m](mailto:a@example.org) [r](/api/v1/knowledge/items) ![i](/logo.png)"
    )
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">w</a>' in html
    assert 'href="mailto:a@example.org"' in html and 'href="/api/v1/knowledge/items"' in html
    assert '<img src="/logo.png" alt="i" />' in html


def test_a_refused_image_shows_its_alt_text() -> None:
    assert render_html("![the alt](mailto:x@example.org)").strip() == "<p>the alt</p>"


def test_plain_text_drops_syntax_and_link_targets() -> None:
    assert plain_text("# Title\n\nSome **bold** [link](https://x.org).\n\n- a\n- b") == "Title\nSome bold link.\na\nb"


class TestWorkflowTable:
    def test_only_the_secretariat_publishes_and_archives(self) -> None:
        owner = frozenset({"owner_editor"})
        assert workflow.can_transition("draft", "submit", owner)
        for status, action in (("in_review", "publish"), ("published", "archive"), ("in_review", "return_to_draft")):
            assert not workflow.can_transition(status, action, owner)  # type: ignore[arg-type]
            assert workflow.can_transition(status, action, frozenset({"secretariat"}))  # type: ignore[arg-type]

    def test_authors_edit_drafts_only(self) -> None:
        owner = frozenset({"owner_editor"})
        assert workflow.can_edit("draft", owner)  # type: ignore[arg-type]
        assert not any(workflow.can_edit(s, owner) for s in ("in_review", "published", "archived"))  # type: ignore[arg-type]
        assert all(workflow.can_edit(s, frozenset({"secretariat"})) for s in ("draft", "published"))  # type: ignore[arg-type]
