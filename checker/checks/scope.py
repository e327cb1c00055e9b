"""Which parts of a document a rule's ``scope`` covers, as document-text regions."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checker.document import Document

_PROSE = ("body", "list", "table", "caption")


def regions(doc: Document, scope: str) -> list[tuple[int, int]]:
    """Spans a rule with this scope searches; a match never crosses two of them."""
    if scope == "text":
        return [(b.start, b.end) for b in doc.blocks]
    if scope in ("body", "paragraph"):
        return [(b.start, b.end) for b in doc.blocks if b.kind in _PROSE]
    if scope == "sentence":
        prose = [(b.start, b.end) for b in doc.blocks if b.kind in _PROSE]
        return [s for s in doc.sentences if any(a <= s[0] < b for a, b in prose)]
    if scope == "heading":
        return [(b.start, b.end) for b in doc.blocks if b.kind == "heading"]
    if scope == "title":
        return [(b.start, b.end) for b in doc.blocks if b.kind == "title"]
    raise ValueError(f"unknown scope {scope!r}")
