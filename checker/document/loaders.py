"""Choose a loader by file extension (temporary: plain only until markdown/html land)."""
from __future__ import annotations

import datetime as dt

from checker.document import Document
from checker.document.plain import load_plain
from checker.source import SourceFile

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")


def load_document(source: SourceFile, option_date: dt.date | None = None) -> Document:
    return load_plain(source, option_date)
