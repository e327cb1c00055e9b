"""The Document: the plain text that checks see, its blocks, and the map back to the source."""
from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from checker.finding import Confidence, Finding, Related
from checker.source import SourceFile

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from checker.document.dates import DateLayer
    from checker.document.people import PeopleLayer
    from checker.rules import RuleSpec

# Block kinds. Checks of prose look at "body" (and "quote"); the others are structure.
# "furniture" is page furniture found by checker/document/furniture.py (Block.furniture says which).
BLOCK_KINDS = ("title", "heading", "dateline", "byline", "caption", "body", "list", "table", "furniture")


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph-level unit of the document text: ``[start, end)`` in document text offsets."""

    start: int
    end: int
    kind: str = "body"
    # What page furniture the block is ("caption", "timestamp", ...); empty for prose.
    furniture: str = ""


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of document text produced from ``[src_start, src_end)`` of the source.

    An identity segment copies the source character for character; a replacement segment
    (an HTML entity, a CRLF turned into LF) maps each of its characters to the whole run.
    """

    start: int
    end: int
    src_start: int
    src_end: int
    identity: bool


@dataclass(frozen=True, slots=True)
class ArticleDate:
    """The date the article speaks from, where it came from, and its span (if in the text)."""

    date: dt.date
    origin: str  # "front-matter", "dateline", "option", "metadata"
    start: int | None = None  # document text offsets of the dateline, when there is one
    end: int | None = None
    year_inferred: bool = False


class TextBuilder:
    """Builds document text from pieces of the source, keeping the offset map exact."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[str] = []
        self.segments: list[Segment] = []
        self.length = 0

    def copy(self, src_start: int, src_end: int) -> None:
        """Copy ``source[src_start:src_end]`` into the text unchanged."""
        if src_end <= src_start:
            return
        text = self.source[src_start:src_end]
        last = self.segments[-1] if self.segments else None
        if last and last.identity and last.src_end == src_start and last.end == self.length:
            self.segments[-1] = Segment(last.start, self.length + len(text), last.src_start, src_end, True)
        else:
            self.segments.append(Segment(self.length, self.length + len(text), src_start, src_end, True))
        self.parts.append(text)
        self.length += len(text)

    def replace(self, src_start: int, src_end: int, text: str) -> None:
        """Put ``text`` in place of ``source[src_start:src_end]`` (entities, line breaks)."""
        if not text:
            return
        self.segments.append(Segment(self.length, self.length + len(text), src_start, src_end, False))
        self.parts.append(text)
        self.length += len(text)

    def copy_text(self, src_start: int, src_end: int) -> None:
        """Copy source text, turning CRLF and lone CR into LF so checks see one line break."""
        pos = src_start
        while pos < src_end:
            cr = self.source.find("\r", pos, src_end)
            if cr < 0:
                self.copy(pos, src_end)
                return
            self.copy(pos, cr)
            if cr + 1 < src_end and self.source[cr + 1] == "\n":
                self.replace(cr, cr + 2, "\n")
                pos = cr + 2
            else:
                self.replace(cr, cr + 1, "\n")
                pos = cr + 1

    def text(self) -> str:
        return "".join(self.parts)


def blocks_from_text(text: str, base: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Paragraph spans of ``text[base:end]``: runs of non-blank lines, trimmed of whitespace."""
    end = len(text) if end is None else end
    spans = []
    pos = base
    while pos < end:
        nxt = text.find("\n\n", pos, end)
        stop = end if nxt < 0 else nxt
        a, b = pos, stop
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))
        pos = stop + 2 if nxt >= 0 else end
    return spans


# A sentence-like boundary: end punctuation (and closing quotes or brackets), then space.
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+")


# spaCy's memory follows tokens, not characters: prose runs about 5 characters a token, an
# entity flood ("&amp;" x 100,000 -> 100,000 one-character tokens) 1. A text weighs its
# length, or 5 per token-like unit where that is more (100,000 ampersands weigh 500,000).
CHARS_PER_TOKEN = 5
_TOKENISH = re.compile(r"\w+|[^\w\s]")
MIN_CUT = 200


def text_weight(text: str, start: int = 0, end: int | None = None) -> int:
    """How heavy ``text[start:end]`` is for spaCy, in characters of ordinary prose."""
    end = len(text) if end is None else end
    if (end - start) // CHARS_PER_TOKEN == 0:
        return end - start
    tokens = _TOKENISH.subn("", text[start:end] if start or end < len(text) else text)[1]  # counted in C
    return max(end - start, tokens * CHARS_PER_TOKEN)


def cut_block(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """``[start, end)`` of ``text`` as spans of at most ``limit`` characters, trimmed of spaces.

    Each cut is at the last sentence-like boundary of the window's second half, else at its
    last whitespace, else after exactly ``limit`` characters (a run with no space at all).
    """
    spans = []
    pos = start
    while end - pos > limit:
        cut = -1
        for match in _SENTENCE_END.finditer(text, pos + limit // 2, pos + limit):
            cut = match.end()
        if cut < 0:
            space = max(text.rfind(" ", pos + limit // 2, pos + limit), text.rfind("\n", pos + limit // 2, pos + limit))
            cut = space + 1 if space > pos else pos + limit
        spans.extend(blocks_from_text(text, pos, cut))
        pos = cut
    spans.extend(blocks_from_text(text, pos, end))
    return spans


@dataclass(frozen=True)
class Document:
    """An article as the checks see it. Immutable; annotation layers are computed once."""

    source: SourceFile
    text: str
    segments: tuple[Segment, ...]
    blocks: tuple[Block, ...]
    format: str = "plain"
    metadata: Mapping[str, Any] = field(default_factory=dict)
    article_date: ArticleDate | None = None
    # Suppression directives found by the loader (comments, front matter): raw records.
    directives: tuple[Any, ...] = ()
    spacy: Doc | None = None

    @property
    def path(self) -> str:
        return self.source.path

    # ----- offsets -------------------------------------------------------------------
    @cached_property
    def _starts(self) -> list[int]:
        return [s.start for s in self.segments]

    @cached_property
    def _block_starts(self) -> list[int]:
        return [b.start for b in self.blocks]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s[0] for s in self.sentences]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of document text to a span of the source text."""
        if not self.segments:
            return start, end
        starts = self._starts
        seg = self.segments[max(bisect.bisect_right(starts, start) - 1, 0)]
        src_start = seg.src_start + (start - seg.start) if seg.identity else seg.src_start
        if end <= start:
            return src_start, src_start
        last = end - 1
        seg = self.segments[max(bisect.bisect_right(starts, last) - 1, 0)]
        src_end = seg.src_start + (last - seg.start) + 1 if seg.identity else seg.src_end
        return src_start, max(src_end, src_start)

    def source_offset(self, offset: int) -> int:
        return self.source_span(offset, offset)[0]

    # ----- very long documents ----------------------------------------------------------
    def split(self, limit: int) -> list[Document]:
        """Cut a document heavier than ``limit`` into documents of whole blocks.

        Each piece maps to the same source, so its findings point into the whole file. A
        block heavier than ``limit`` is first cut into blocks at sentence-like boundaries
        (``cut_block``), so no piece handed to spaCy weighs more than ``limit`` whatever the
        file (issue 13: one 1 MB paragraph took 3.2 GB). The weight (``text_weight``) is the
        length in characters, or more for text denser in tokens than prose.
        """
        if not self.blocks or text_weight(self.text) <= limit:
            return [self]
        blocks_in: list[tuple[Block, int]] = []
        for block in self.blocks:
            weight = text_weight(self.text, block.start, block.end)
            if weight <= limit:
                blocks_in.append((block, weight))
                continue
            # As many characters per cut as make ``limit`` at this block's density.
            chars = max(MIN_CUT, limit * (block.end - block.start) // weight)
            for a, b in cut_block(self.text, block.start, block.end, chars):
                blocks_in.append((Block(a, b, block.kind), text_weight(self.text, a, b)))
        pieces: list[list[Block]] = [[]]
        total = 0
        for block, weight in blocks_in:
            if pieces[-1] and total + weight > limit:
                pieces.append([])
                total = 0
            pieces[-1].append(block)
            total += weight
        out = []
        starts = self._starts
        for index, blocks in enumerate(pieces):
            a, b = blocks[0].start, blocks[-1].end
            segments = []
            # Only the segments that overlap [a, b): an entity flood has one per entity.
            first = max(bisect.bisect_right(starts, a) - 1, 0)
            for seg in self.segments[first:bisect.bisect_left(starts, b)]:
                if seg.end <= a or seg.start >= b:
                    continue
                lo, hi = max(seg.start, a), min(seg.end, b)
                if seg.identity:
                    segments.append(Segment(lo - a, hi - a, seg.src_start + lo - seg.start, seg.src_start + hi - seg.start, True))
                else:
                    segments.append(Segment(lo - a, hi - a, seg.src_start, seg.src_end, False))
            date = self.article_date
            if date is not None and date.start is not None and not (index == 0 and a <= date.start < b):
                date = ArticleDate(date.date, date.origin, None, None, date.year_inferred)
            elif date is not None and date.start is not None:
                date = ArticleDate(date.date, date.origin, date.start - a, (date.end or date.start) - a, date.year_inferred)
            out.append(Document(self.source, self.text[a:b], tuple(segments),
                                tuple(Block(x.start - a, x.end - a, x.kind, x.furniture) for x in blocks),
                                self.format, self.metadata, date, self.directives if index == 0 else ()))
        return out

    # ----- structure -----------------------------------------------------------------
    def block_at(self, offset: int) -> Block | None:
        index = bisect.bisect_right(self._block_starts, offset) - 1
        if index >= 0 and self.blocks[index].start <= offset < self.blocks[index].end:
            return self.blocks[index]
        return None

    def body_blocks(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "body"]

    @cached_property
    def sentences(self) -> tuple[tuple[int, int], ...]:
        """Sentence spans in document text, never crossing a block boundary."""
        if self.spacy is None:
            return tuple((b.start, b.end) for b in self.blocks)
        cuts = sorted({b.start for b in self.blocks} | {b.end for b in self.blocks})
        spans: list[tuple[int, int]] = []
        for sent in self.spacy.sents:
            a, b = sent.start_char, sent.end_char
            inner = [c for c in cuts[bisect.bisect_right(cuts, a):bisect.bisect_left(cuts, b)]]
            for cut in inner + [b]:
                piece = self.text[a:cut]
                stripped = piece.strip()
                if stripped:
                    lead = len(piece) - len(piece.lstrip())
                    spans.append((a + lead, a + lead + len(stripped)))
                a = cut
        return tuple(spans)

    def sentence_spans(self) -> list[Span]:
        """spaCy spans of the sentences (requires an annotated document)."""
        assert self.spacy is not None
        out = []
        for a, b in self.sentences:
            span = self.spacy.char_span(a, b, alignment_mode="expand")
            if span is not None:
                out.append(span)
        return out

    def sentence_of(self, offset: int) -> tuple[int, int]:
        sents = self.sentences
        index = bisect.bisect_right(self._sentence_starts, offset) - 1
        if index >= 0 and sents[index][0] <= offset < sents[index][1]:
            return sents[index]
        return (offset, offset)

    # ----- annotation layers (computed once, on first use) ----------------------------
    @cached_property
    def dates(self) -> DateLayer:
        from checker.document.dates import extract_dates

        return extract_dates(self)

    @cached_property
    def people(self) -> PeopleLayer:
        from checker.document.people import extract_people

        return extract_people(self)

    # ----- findings ------------------------------------------------------------------
    def finding(
        self,
        spec: RuleSpec,
        start: int,
        end: int,
        message: str | None = None,
        *,
        suggestion: str | None = None,
        related: Iterable[tuple[int, int] | tuple[int, int, str]] = (),
        confidence: Confidence | float | None = None,
        data: Mapping[str, str] | None = None,
        **fields: Any,
    ) -> Finding:
        """Make a Finding from document-text offsets; the message template gets ``fields``."""
        src_start, src_end = self.source_span(start, end)
        rel = []
        for item in related:
            a, b = self.source_span(item[0], item[1])
            rel.append(Related(a, b, self.source.text[a:b], item[2] if len(item) > 2 else ""))  # type: ignore[misc]
        if isinstance(confidence, float):
            confidence = Confidence.from_score(confidence)
        text = self.source.text[src_start:src_end]
        if message is None:
            message = spec.format_message(text=text, suggestion=suggestion or "", **fields)
        return Finding(
            rule=spec.id,
            category=spec.category,
            severity=spec.level,
            start=src_start,
            end=src_end,
            text=text,
            message=message,
            suggestion=suggestion,
            confidence=confidence or spec.confidence,
            related=tuple(rel),
            data=tuple(sorted((data or {}).items())),
        )
