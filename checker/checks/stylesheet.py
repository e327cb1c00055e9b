"""Names, titles and terms that differ from the configured newsroom style sheets."""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from checker.checks.base import Check, RuleContext
from checker.checks.generic import compile_pattern, finditer, word_pattern
from checker.checks.scope import regions
from checker.document.people import HONORIFICS, Mention, fold, similarity
from checker.rules import Option, RuleSpec

if TYPE_CHECKING:
    from checker.document import Document
    from checker.finding import Finding
    from checker.stylesheet import SheetPerson, SheetTitle


def _people(context: RuleContext) -> list[SheetPerson]:
    return [p for sheet in context.stylesheets for p in getattr(sheet, "people", ())]


class NameMatcher:
    """Finds the listed person a full name nearly spells (Jon Smyth -> John Smith)."""

    def __init__(self, people: list[SheetPerson], max_edits: int, sound_max_edits: int,
                 sound_min_length: int) -> None:
        self.people = people
        self.max_edits, self.sound_max_edits, self.sound_min_length = max_edits, sound_max_edits, sound_min_length

    def _close(self, a: str, b: str) -> bool:
        if a == b:
            return True
        sim = similarity(a, b)
        if fold(a) == fold(b) or sim.length < 2:
            return False
        if sim.edits <= self.max_edits:
            return True
        return (sim.edits <= self.sound_max_edits and sim.phonetic >= 2
                and sim.length >= self.sound_min_length)

    def near_miss(self, words: list[str]) -> SheetPerson | None:
        best = None
        for person in self.people:
            for form in person.accepted:
                listed = form.split()
                if len(listed) != len(words) or listed == words:
                    continue
                same = sum(1 for a, b in zip(words, listed, strict=True) if a == b)
                if same and all(self._close(a, b) for a, b in zip(words, listed, strict=True)):
                    if best is not None and best is not person:
                        return None  # close to two listed people: not ours to choose
                    best = person
        return best


NEAR_MISS_OPTIONS = {
    "max_edits": Option(int, 1, help="edits allowed in one word of a near-miss"),
    "sound_max_edits": Option(int, 2, help="edits allowed when the words also sound alike"),
    "sound_min_length": Option(int, 5, help="shortest word for the sound-alike allowance"),
}


def _matcher(check: Check) -> NameMatcher:
    o = check.options
    return NameMatcher(_people(check.context), o["max_edits"], o["sound_max_edits"], o["sound_min_length"])


class StylesheetName(Check):
    """A near-miss of a listed name (Jon Smyth -> John Smith), or a form the sheet lists as wrong.

    A full-name mention is a near-miss when it has as many words as a listed form, at least
    one word is the same and the others are one edit apart (or two with the same sound).
    A form that is itself another listed person is right. When the differing word is a
    surname the article also spells the listed way, the spelling conflict is the article's
    own and ``names.variant`` reports it, with the sheet settling which form is right.
    """

    NEEDS = frozenset({"tagger", "parser", "ner"})
    OPTIONS = NEAR_MISS_OPTIONS

    def __init__(self, spec: RuleSpec, context: RuleContext | None = None) -> None:
        super().__init__(spec, context)
        self.people = _people(self.context)
        self.matcher = _matcher(self)
        self.accepted = {form for p in self.people for form in p.accepted}
        self.patterns = [(compile_pattern(spec, "wrong", word_pattern(w), False), p) for p in self.people
                         for w in p.wrong]

    def run(self, doc: Document) -> Iterator[Finding]:
        if not self.people:
            return
        seen: set[tuple[int, int]] = set()
        surnames = {m.surname for m in doc.people.mentions}
        for m in doc.people.mentions:
            if not m.is_full or m.candidate:
                continue
            words = [p[2] for p in m.parts]
            if " ".join(words) in self.accepted:
                continue
            person = self.matcher.near_miss(words)
            if person is None:
                continue
            listed = person.name.split()
            if listed[-1] != words[-1] and listed[-1] in surnames:
                continue  # the article's own conflict: names.variant, settled by the sheet
            start, end = m.parts[0][0], m.parts[-1][1]
            seen.add((start, end))
            yield doc.finding(self.spec, start, end, suggestion=person.name, confidence=0.9,
                              listed=person.name, why="is close to")
        for a, b in regions(doc, self.spec.scope):
            for pattern, person in self.patterns:
                for match in finditer(self.spec, pattern, doc.text, a, b, doc.source):
                    if (match.start(), match.end()) in seen:
                        continue
                    seen.add((match.start(), match.end()))
                    yield doc.finding(self.spec, match.start(), match.end(), suggestion=person.name,
                                      listed=person.name, why="is listed as a wrong form of")


_CONNECTORS = {"of", "for", "the", "and", "to", "-", "on", "at", "in"}


def title_words(text: str) -> set[str]:
    """A title as a set of words: lower case, connectors out, 'under secretary' as one word."""
    words = [w.strip(",'’") for w in text.lower().replace("under secretary", "undersecretary").split()]
    return {w for w in words if w and w not in _CONNECTORS}


class StylesheetTitle(Check):
    """A title in apposition that the sheet contradicts for the article's date.

    "US Undersecretary of Defense Eli Ratner" in an article of December 2023: the sheet
    says Ratner was Assistant Secretary of Defense for Indo-Pacific Security Affairs then.
    A title fits when its words (places and organisations aside: "US", "Pentagon") are
    among the words of a title the person held that day, or it is a listed short form. A
    title the person held at another time is not flagged here: that is a date question.
    """

    NEEDS = frozenset({"tagger", "parser", "ner"})
    OPTIONS = {
        **NEAR_MISS_OPTIONS,
        "ignore_words": Option(list, [], help="title words never held against a person (courtesy words)"),
    }

    def __init__(self, spec: RuleSpec, context: RuleContext | None = None) -> None:
        super().__init__(spec, context)
        self.people = _people(self.context)
        self.matcher = _matcher(self)
        self.ignore = {w.lower() for w in self.options["ignore_words"]}

    def resolve(self, m: Mention) -> SheetPerson | None:
        words = [p[2] for p in m.parts]
        joined = " ".join(words)
        for person in self.people:
            if joined in person.accepted:
                return person
        return self.matcher.near_miss(words)

    def fits(self, words: set[str], shorts: set[str], titles: list[SheetTitle]) -> bool:
        pool: set[str] = set()
        for title in titles:
            for form in title.forms:
                pool |= title_words(form)
        return words <= pool

    def run(self, doc: Document) -> Iterator[Finding]:
        if not self.people or doc.spacy is None:
            return
        if doc.article_date is None:
            return  # which title someone held depends on when: no date, no judgement
        day = doc.article_date.date
        for m in doc.people.mentions:
            if m.title_span is None or not m.is_full:
                continue
            person = self.resolve(m)
            if person is None or not person.titles:
                continue
            span = self._title_span(doc, m)
            if span is None:
                continue
            text = doc.text[span[0]:span[1]]
            words = title_words(text) - self.ignore
            shorts = {f.lower() for t in person.titles for f in t.forms}
            if not words or text.lower() in shorts:
                continue
            held = [t for t in person.titles if t.held_on(day)]
            if self.fits(words, shorts, held) or (held != list(person.titles) and self.fits(words, shorts, list(person.titles))):
                continue
            if not held:
                continue
            right = held[0]
            yield doc.finding(self.spec, span[0], span[1], suggestion=(right.short or (right.title,))[0],
                              confidence=0.8, person=person.name, title=right.title,
                              date=day.isoformat())

    def _title_span(self, doc: Document, m: Mention) -> tuple[int, int] | None:
        """The title without the places, nationalities and organisations in front of it."""
        assert m.title_span is not None and doc.spacy is not None
        span = doc.spacy.char_span(m.title_span[0], m.title_span[1], alignment_mode="expand")
        if span is None:
            return None
        tokens = [t for t in span if not (t.ent_type_ in ("GPE", "NORP", "ORG") and t.i < span.end - 1
                                          and t.text.lower() not in _CONNECTORS)]
        tokens = [t for t in tokens if t.text.lower().rstrip(".") not in HONORIFICS]
        while tokens and tokens[0].text.lower() in _CONNECTORS:
            tokens.pop(0)
        if not tokens:
            return None
        return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


class StylesheetTerm(Check):
    """An organisation or term written in a form the sheet lists as wrong."""

    def __init__(self, spec: RuleSpec, context: RuleContext | None = None) -> None:
        super().__init__(spec, context)
        self.patterns: list[tuple[Any, str, str]] = []
        for sheet in self.context.stylesheets:
            for term in getattr(sheet, "terms", ()):
                for wrong in term.wrong:
                    self.patterns.append((compile_pattern(spec, "wrong", word_pattern(wrong), term.ignorecase),
                                          term.use, term.kind))

    def run(self, doc: Document) -> Iterator[Finding]:
        for a, b in regions(doc, self.spec.scope):
            for pattern, use, kind in self.patterns:
                for match in finditer(self.spec, pattern, doc.text, a, b, doc.source):
                    if match.group(0) == use:
                        continue
                    yield doc.finding(self.spec, match.start(), match.end(), suggestion=use, kind=kind)
