"""Tell structure from prose: title and masthead lines, datelines, bylines, subheads, body;
and a contributor's tagline ("Clark Boyd is technology correspondent for The World.")."""
from __future__ import annotations

import re

from checker.document import Block

_TERMINAL = re.compile(r"[.!?:;\"\u201d\u2019')\]]\s*$")
_BYLINE = re.compile(r"^(?:By|BY|Von|Par)\s+[A-Z][\w.'\-]+(?:\s+[A-Z][\w.'\-]+){0,4}(?:\s*(?:,|and|&)\s*.*)?$")
# A contributor's tagline closing an article: "<Name> is [the] <...> correspondent|editor|...
# for|of|at <outlet>", one sentence. It credits the writer as a byline does.
_ROLES = ("correspondent|editor|reporter|writer|columnist|presenter|analyst|contributor|producer|"
          "journalist|commentator|broadcaster|author")
_TAGLINE = re.compile(r"^(?:[A-Z][\w'.\-]*\s+){1,3}is\s+(?:(?:a|an|the)\s+)?(?:[\w\-]+\s+){0,4}"
                      rf"(?:{_ROLES})\s+(?:for|of|at|with|on)\s+[^.!?]*\.?$")
# Lines of a hard-wrapped paragraph are at most this long; longer lines are one paragraph each.
WRAP_WIDTH = 100
# Header lines (mastheads, headlines) are short; a longer line is prose.
HEADER_MAX_WORDS = 25
SUBHEAD_MAX_WORDS = 12


def split_paragraphs(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split blank-line blocks into lines when the text is one paragraph per line (not wrapped)."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        chunk = text[a:b]
        if "\n" not in chunk:
            out.append((a, b))
            continue
        lines = chunk.split("\n")
        if max(len(line) for line in lines) <= WRAP_WIDTH:
            out.append((a, b))
            continue
        pos = a
        for line in lines:
            stripped = line.strip()
            if stripped:
                lead = len(line) - len(line.lstrip())
                out.append((pos + lead, pos + lead + len(stripped)))
            pos += len(line) + 1
    return out


def is_prose(line: str, first: bool = False) -> bool:
    """A sentence rather than a header line. The first line of an article may be a headline
    ending in '?', '!' or a quote mark ("Who do you think you are?"); only '.' ends it as prose."""
    if first and "\n" not in line and len(line.split()) <= HEADER_MAX_WORDS and not re.search(r"[.;:,]\s*$", line):
        return False
    return bool(_TERMINAL.search(line)) or len(line.split()) > HEADER_MAX_WORDS


def classify(text: str, spans: list[tuple[int, int]], dateline: tuple[int, int] | None,
             kinds: dict[int, str] | None = None) -> tuple[Block, ...]:
    """Kinds for plain-text blocks; ``kinds`` carries kinds a loader already knows (by start)."""
    kinds = kinds or {}
    blocks: list[Block] = []
    in_header = True
    for a, b in spans:
        line = text[a:b]
        kind = kinds.get(a)
        if kind is None:
            if dateline and a <= dateline[0] < b and len(line) - (dateline[1] - dateline[0]) < 40:
                kind = "dateline"
            elif _BYLINE.match(line):
                kind = "byline"
            elif in_header and not is_prose(line, first=not blocks):
                kind = "title"
            elif not is_prose(line) and len(line.split()) <= SUBHEAD_MAX_WORDS:
                kind = "heading"
            else:
                kind = "body"
        if kind == "body":
            in_header = False
        blocks.append(Block(a, b, kind))
    return tuple(blocks)


def is_tagline(line: str) -> bool:
    """A contributor's line ("Clark Boyd is technology correspondent for The World, ..."): it
    credits the writer, as a byline does. Only meant for an article's closing paragraph; it
    stays a body block, so that the names check still compares its name with the story's."""
    return bool(_TAGLINE.match(line))
