"""Load a plain-text article: the text as it is, with line breaks normalised to LF."""
from __future__ import annotations

import datetime as dt

from checker.document import ArticleDate, Document, TextBuilder, blocks_from_text
from checker.document.dateline import default_year, find_dateline
from checker.document.structure import classify, split_paragraphs
from checker.source import SourceFile


def article_date_from(text: str, spans: list[tuple[int, int]], metadata_date: dt.date | None,
                      option_date: dt.date | None) -> ArticleDate | None:
    """Front matter > a dateline near the top > ``--date``."""
    if metadata_date:
        return ArticleDate(metadata_date, "front-matter")
    # A year-less wire dateline ("LONDON, Dec. 8 (Reuters) -") takes the year of --date; with
    # no --date it gives no article date (never the computer's clock's year: issue 16).
    found = find_dateline(text, spans, default_year(option_date))
    if found:
        date, start, end, inferred = found
        return ArticleDate(date, "dateline", start, end, inferred)
    if option_date:
        return ArticleDate(option_date, "option")
    return None


def load_plain(source: SourceFile, option_date: dt.date | None = None) -> Document:
    builder = TextBuilder(source.text)
    builder.copy_text(0, len(source.text))
    text = builder.text()
    spans = split_paragraphs(text, blocks_from_text(text))
    article_date = article_date_from(text, spans, None, option_date)
    dateline = (article_date.start, article_date.end) if article_date and article_date.start is not None else None
    blocks = classify(text, spans, dateline)  # type: ignore[arg-type]
    return Document(source, text, tuple(builder.segments), blocks, "plain", {}, article_date)
