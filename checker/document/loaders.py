"""Choose the loader for a source file by its extension: the one table of document formats."""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable

from checker.document import Document
from checker.document.furniture import detect
from checker.document.html import load_html
from checker.document.markdown import load_markdown
from checker.document.plain import load_plain
from checker.source import SourceFile

Loader = Callable[[SourceFile, dt.date | None], Document]

# Extension (lower case) -> loader. Anything not listed is read as plain text, so an
# article saved as ".text" or without an extension is still checked.
LOADERS: dict[str, Loader] = {
    ".txt": load_plain,
    ".text": load_plain,
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".html": load_html,
    ".htm": load_html,
}
# What a directory walk picks up.
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(LOADERS)


def loader_for(path: str) -> Loader:
    return LOADERS.get(os.path.splitext(path)[1].lower(), load_plain)


def load_document(source: SourceFile, option_date: dt.date | None = None,
                  templates: frozenset[str] = frozenset()) -> Document:
    """Load ``source`` with the loader its extension names (plain text by default), then tell
    its page furniture from its prose (``templates``: lines the run's other articles share)."""
    doc = loader_for(source.path)(source, option_date)
    blocks = detect(doc.text, doc.blocks, templates)
    return doc if blocks == doc.blocks else dataclasses.replace(doc, blocks=blocks)
