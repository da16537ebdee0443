"""Snippets returned as plain-text parts, never HTML from the database.

PostgreSQL's ts_headline marks the matched words with control characters (which stored text cannot hold:
writes strip them). It works on the accent-folded text (so `entretiens a distance` highlights
`entretiens à distance`); f_unaccent maps one character to one character, so each fragment is found in the
folded text and cut from the original at the same place, keeping accents and case.
"""

from __future__ import annotations

from api.knowledge.repository import SNIPPET_GAP, SNIPPET_START, SNIPPET_STOP
from api.knowledge.schemas import SnippetPart

GAP = " … "


def _marked_parts(fragment: str) -> list[tuple[str, bool]]:
    parts: list[tuple[str, bool]] = []
    highlighted = False
    current = ""
    for char in fragment:
        if char in (SNIPPET_START, SNIPPET_STOP):
            if current:
                parts.append((current, highlighted))
            current = ""
            highlighted = char == SNIPPET_START
        else:
            current += char
    if current:
        parts.append((current, highlighted))
    return parts


def snippet_parts(headline: str | None, *, original: str, folded: str, fallback_words: int = 30) -> list[SnippetPart]:
    """The headline's fragments as parts of the original text, highlighted where the query matched."""
    result: list[SnippetPart] = []
    if headline and len(original) == len(folded):
        for index, fragment in enumerate(headline.split(SNIPPET_GAP)):
            parts = _marked_parts(fragment)
            plain = "".join(text for text, _ in parts)
            start = folded.find(plain)
            if start < 0 or not plain.strip():
                continue
            if index and result:
                result.append(SnippetPart(text=GAP, highlight=False))
            position = start
            for text, highlighted in parts:
                result.append(SnippetPart(text=original[position : position + len(text)], highlight=highlighted))
                position += len(text)
    if not result:
        words = original.split()
        text = " ".join(words[:fallback_words]) + (" …" if len(words) > fallback_words else "")
        result = [SnippetPart(text=text, highlight=False)] if text else []
    return _merge(result)


def _merge(parts: list[SnippetPart]) -> list[SnippetPart]:
    merged: list[SnippetPart] = []
    for part in parts:
        text = part.text.replace("\n", " ")
        if merged and merged[-1].highlight == part.highlight:
            merged[-1] = SnippetPart(text=merged[-1].text + text, highlight=part.highlight)
        else:
            merged.append(SnippetPart(text=text, highlight=part.highlight))
    return merged
