"""Boilerplate that needs more than a pattern: furniture blocks the furniture pass found, and a
headline line repeated inside the body."""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from checker.checks.base import Check
from checker.rules import Option

if TYPE_CHECKING:
    from checker.document import Document
    from checker.finding import Finding


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


class Furniture(Check):
    """A block the furniture pass (checker/document/furniture.py) took for page furniture.

    The pass runs when the document is loaded, so that no other family reads a caption or a
    photo date as prose; this check only reports what it found, naming the kind.
    """

    OPTIONS = {"kinds": Option(dict, {}, help="how each furniture kind is named in the message")}

    def run(self, doc: Document) -> Iterator[Finding]:
        names = self.options["kinds"]
        for block in doc.blocks:
            if block.furniture:
                what = names.get(block.furniture, block.furniture)
                yield doc.finding(self.spec, block.start, block.end, kind=what, data={"kind": block.furniture})


class RepeatedHeadline(Check):
    """A title or headline line that appears again, verbatim, after the body has begun.

    A headline printed twice at the top (title and h1 of a scraped page) is layout, not
    furniture inside the article, so only copies below the first body paragraph count.
    Only the article's own headline counts (the title lines above the body, or the
    metadata title): subheads that a list-shaped page repeats ("Eat every 2-3 hours" on
    each day of a fitness plan, "Also at Walmart" under each deal) are its structure.
    """

    OPTIONS = {"min_words": Option(int, 4, help="shorter lines are too generic to compare"),
               "max_copies": Option(int, 2, help="a line printed more often is a list's repeated subhead")}

    def run(self, doc: Document) -> Iterator[Finding]:
        titles: dict[str, tuple[int, int]] = {}
        copies: dict[str, int] = {}
        for block in doc.blocks:
            key = _norm(doc.text[block.start:block.end])
            copies[key] = copies.get(key, 0) + 1
        for block in doc.blocks:
            if block.kind == "body":
                break
            if block.kind in ("title", "heading") and len(doc.text[block.start:block.end].split()) >= self.options["min_words"]:
                titles.setdefault(_norm(doc.text[block.start:block.end]), (block.start, block.end))
        meta_title = doc.metadata.get("title")
        body_started = False
        for block in doc.blocks:
            if not body_started:
                body_started = block.kind == "body"
                continue
            # Any kind: a repeated headline ending in '?' or a quote mark looks like prose.
            key = _norm(doc.text[block.start:block.end])
            if copies.get(key, 0) > self.options["max_copies"]:
                continue
            first = titles.get(key)
            if first and first[0] < block.start:
                yield doc.finding(self.spec, block.start, block.end, related=[first])
            elif isinstance(meta_title, str) and key == _norm(meta_title) and len(key.split()) >= self.options["min_words"]:
                yield doc.finding(self.spec, block.start, block.end)


class SectionLine(Check):
    """A short line made of site-navigation words ("Complete News World", "BBC News | Sport").

    A line counts when it is short, has no sentence punctuation, contains at least one
    navigation word and at most ``max_other_words`` words that are not navigation words
    (a brand). Headlines rarely pass: "World Cup final" has two non-navigation words.
    """

    OPTIONS = {
        "section_words": Option(list, required=True, help="navigation and section words"),
        "max_words": Option(int, 4),
        "max_other_words": Option(int, 1),
    }
    SEPARATORS = "|>/»›·•-–—:"

    def run(self, doc: Document) -> Iterator[Finding]:
        words = {w.casefold() for w in self.options["section_words"]}
        for block in doc.blocks:
            line = doc.text[block.start:block.end]
            if "\n" in line or line.rstrip()[-1:] in ".!?\"”":
                continue
            tokens = [t for t in line.replace("|", " ").split() if t.strip(self.SEPARATORS)]
            if not tokens or len(tokens) > self.options["max_words"]:
                continue
            if not all(t[:1].isupper() or t[:1].isdigit() for t in tokens):
                continue
            nav = sum(1 for t in tokens if t.strip(self.SEPARATORS).casefold() in words)
            if nav and len(tokens) - nav <= self.options["max_other_words"]:
                yield doc.finding(self.spec, block.start, block.end)
