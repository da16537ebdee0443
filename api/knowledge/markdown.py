"""Markdown to safe HTML (and to plain text for search and snippets).

markdown-it-py in CommonMark mode with raw HTML disabled, so `<script>`, `<iframe>`, `<svg onload>` and event
handlers written in the text come out as escaped text; the renderer escapes every attribute, so a link title
with quotes cannot open a new attribute. Link and image targets are checked after markdown-it has decoded
entities and percent-encoded the URL: links may point to http(s), mailto or a relative path; images to http(s)
or a relative path only. Anything else (`javascript:`, `data:`, `vbscript:`, `file:`...) is not linked: the
link's text (or the image's alt text) is rendered as plain text instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES = frozenset({"http", "https"})
# Browsers drop ASCII whitespace and control characters inside a URL's scheme (`java\tscript:`).
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see in `url`, lower-cased; None for a relative URL; "" when the part
    before the first colon is not a well-formed scheme (`java%09script:`), which is never allowed."""
    cleaned = _IGNORED_IN_SCHEME.sub("", url)
    head = re.split(r"[/?#]", cleaned, maxsplit=1)[0]
    if ":" not in head:
        return None
    found = _SCHEME.match(head)
    return found.group(1).lower() if found else ""


def is_safe_link(url: str, *, image: bool = False) -> bool:
    """Links: http(s), mailto or relative; images: http(s) or relative."""
    scheme = url_scheme(url)
    if scheme is None:
        return True
    return scheme in (IMAGE_SCHEMES if image else LINK_SCHEMES)


def _validate_link(url: str) -> bool:
    # The image/link distinction is made by the render rules below; here refuse what is never allowed.
    return is_safe_link(url)


class _SafeRenderer(RendererHTML):
    def link_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        token.attrSet("rel", "nofollow noopener noreferrer")
        return self.renderToken(tokens, idx, options, env)

    def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        source = str(token.attrGet("src") or "")
        if not is_safe_link(source, image=True):
            # Not an image from an allowed place: show its alt text, escaped.
            return self.renderInlineAsText(token.children or [], options, env)
        return super().image(tokens, idx, options, env)


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.renderer = _SafeRenderer(parser)
    parser.validateLink = _validate_link  # type: ignore[method-assign]
    return parser


_MARKDOWN = _parser()


def render_html(source: str) -> str:
    """Safe HTML for `source` (Markdown)."""
    return str(_MARKDOWN.render(source))


_BLOCK_ENDS = frozenset({"paragraph_close", "heading_close", "list_item_close", "blockquote_close", "tr_close"})


def _inline_text(children: Sequence[Token]) -> list[str]:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n" if child.type == "hardbreak" else " ")
        elif child.type == "image":
            parts.extend(_inline_text(child.children or []))
    return parts


def plain_text(source: str) -> str:
    """The words of `source` without Markdown syntax or link targets: what search indexes and snippets show."""
    parts: list[str] = []
    for token in _MARKDOWN.parse(source):
        if token.type == "inline":
            parts.extend(_inline_text(token.children or []))
        elif token.type in ("code_block", "fence"):
            parts.append(token.content.rstrip("\n"))
            parts.append("\n")
        elif token.type in _BLOCK_ENDS:
            parts.append("\n")
    text = "".join(parts)
    return re.sub(r"\n{2,}", "\n", text).strip()


def strip_controls(value: str) -> str:
    """Drop C0 control characters other than tab and newlines (they have no place in prose, and snippets use
    some as markers)."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", value)
