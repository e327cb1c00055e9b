"""Names, titles and terms that differ from the configured newsroom style sheets."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from checker.checks.base import Check, RuleContext
from checker.checks.generic import compile_pattern, finditer, word_pattern
from checker.checks.name_forms import lower_person_slot
from checker.checks.scope import regions
from checker.document.namekeys import given_relation, spelling_key, surface_kind
from checker.document.people import DEPARTMENTS, HONORIFICS, PARTICLES, PROSE_KINDS, TITLES, Mention, fold, similarity
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

    def _close(self, a: str, b: str, given: bool = False) -> bool:
        """Is the article's word ``a`` the listed word ``b`` written another way?

        Beyond letter slips: the same romanisation key (Zelenskiy / Zelenskyy, Yun / Yoon),
        a diacritic dropped (Niinisto / Niinistö), another case (trump / Trump), and for a
        given name a nickname or a variant (Bill / William, Kathrine / Katherine): the sheet
        says which form the newsroom uses.
        """
        if a == b:
            return True
        if surface_kind(a, b) or spelling_key(a) == spelling_key(b):
            return True
        if given and given_relation(a, b):
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
                if same and all(self._close(a, b, k < len(words) - 1)
                                for k, (a, b) in enumerate(zip(words, listed, strict=True))):
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
            turned = f"{words[-1]} {words[0]}" if len(words) == 2 else ""
            person = next((p for p in self.people if turned in p.accepted), None)
            if person is None:
                # A turned name ("Howard Michael") is no conflict names.variant can see.
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
        for start, end, person in self._case_variants(doc):
            if (start, end) not in seen:
                seen.add((start, end))
                yield doc.finding(self.spec, start, end, suggestion=person.name, confidence=0.8,
                                  listed=person.name, why="is another case of")
        for a, b in regions(doc, self.spec.scope):
            for pattern, person in self.patterns:
                for match in finditer(self.spec, pattern, doc.text, a, b, doc.source):
                    if (match.start(), match.end()) in seen:
                        continue
                    seen.add((match.start(), match.end()))
                    yield doc.finding(self.spec, match.start(), match.end(), suggestion=person.name,
                                      listed=person.name, why="is listed as a wrong form of")


    def _case_variants(self, doc: Document) -> Iterator[tuple[int, int, SheetPerson]]:
        """Listed names in capitals or lower case, or with a hyphen or space changed, which the
        harvest of capitalised words misses ("Donald trump", "Putin and trump", "Tony-Blair").
        A full name always; a surname alone where a person stands, and only when the article
        never writes it as listed (else names.variant has it)."""
        text = doc.text
        prose = [(b.start, b.end) for b in doc.blocks if b.kind in PROSE_KINDS or b.kind == "headline"]
        surnames = [p.name.split()[-1] for p in self.people]
        taken: list[tuple[int, int]] = []
        for person in self.people:
            listed_surname = person.name.split()[-1]
            for form in sorted(set(person.accepted), key=len, reverse=True):
                single = len(form.split()) == 1
                if single and len(form) < 3:
                    continue
                if single and re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text):
                    continue
                # Between the words of a full name a hyphen, a space or nothing (Jae-in / Jae In).
                pattern = r"[\s-]?".join(re.escape(w) for w in re.split(r"[\s-]+", form))
                for m in re.finditer(rf"(?<![\w-]){pattern}(?![\w-])", text, re.IGNORECASE):
                    found = m.group(0)
                    if found in person.accepted or not any(a <= m.start() and m.end() <= b for a, b in prose):
                        continue
                    if [w for w in found.split() if w.lower() not in PARTICLES] == \
                            [w for w in form.split() if w.lower() not in PARTICLES]:
                        continue  # "van Nistelrooy" / "Van Nistelrooy": the particle's case is house style
                    if not single and not found[:1].isupper():
                        continue  # "hip hop", "said Mr": words before they are a listed name
                    if any(w.isupper() and len(w) > 1 for w in re.split(r"[\s-]", found)):
                        # Not a line or headline in capitals: few other capitalised words around it.
                        window = text[max(0, m.start() - 30):m.start()] + " " + text[m.end():m.end() + 30]
                        if any(w.isupper() for w in re.findall(r"[A-Za-z]{3,}", window)):
                            continue
                    if single and not re.search(r"[\s-]?".join(re.escape(w) for w in person.name.split()), text,
                                                re.IGNORECASE):
                        continue  # a word is a listed surname only in an article that names the person
                    if single:
                        if found.isupper():
                            window = text[max(0, m.start() - 30):m.end() + 30]
                            if len(found) < 4 or sum(1 for w in re.findall(r"[A-Za-z]{3,}", window) if w.isupper()) > 1:
                                continue
                        elif not (found.islower() and lower_person_slot(
                                doc, m.start(), m.end(), person.name.split()[0],
                                [s for s in surnames if s != listed_surname])):
                            continue
                        elif not all(lower_person_slot(doc, o.start(), o.end(), person.name.split()[0],
                                                        [s for s in surnames if s != listed_surname])
                                     for o in re.finditer(rf"(?<![\w-]){re.escape(found)}(?![\w-])", text)):
                            continue  # the word is used as a word elsewhere ("the field")
                    if any(a < m.end() and m.start() < b for a, b in taken):
                        continue  # "blinken" inside a flagged "Antony blinken"
                    taken.append((m.start(), m.end()))
                    yield m.start(), m.end(), person


_CONNECTORS = {"of", "for", "the", "and", "to", "-", "on", "at", "in"}
# Words that rank a title: a deputy is not the minister, an assistant secretary not the secretary.
RANK_WORDS = frozenset({"deputy", "vice", "assistant", "under", "undersecretary", "shadow", "acting", "junior",
                        "associate"})
# Words of a role, not of a title ("his rival Chancellor Gordon Brown").
ROLE_WORDS = frozenset({"rival", "counterpart", "colleague", "partner", "fellow", "new", "current", "incumbent",
                        "veteran", "embattled", "beleaguered", "top"})
# Words before a title that say it is no longer (or not yet) held.
NOT_NOW = frozenset({"former", "ex", "then", "onetime", "one-time", "late", "previous", "outgoing", "retired",
                     "future", "incoming", "designate", "ex-"})


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
        "former_grace_days": Option(int, 90, help="a title that ended this recently is not yet held against copy"),
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
        """The words are among a listed title's, and no rank word of that title is left out
        ("Prime Minister" for a Deputy Prime Minister does not fit)."""
        pool: set[str] = set()
        for title in titles:
            for form in title.forms:
                pool |= title_words(form)
        if not words <= pool:
            return False
        matching = [t for t in titles if any((title_words(f) - RANK_WORDS) & words for f in t.forms)]
        return not matching or any(not (title_words(f) & RANK_WORDS) - words for t in matching for f in t.forms)

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
            if text.lower().endswith(" under"):
                continue  # "shadow chancellor under John Smith": another person's title, not his
            # Lower-case words that are no title words are the sentence's, not the title's
            # ("the final days of Nazi leader").
            # Only title words are compared: the other words name the organisation or
            # place ("Ryanair deputy chief executive", "Lib Dem chairman", "BT chief
            # executive"), which a sheet's title often leaves out.
            vocabulary = TITLES | DEPARTMENTS | RANK_WORDS
            words = {w for w in title_words(text) if w in vocabulary}
            words = words - self.ignore - ROLE_WORDS
            shorts = {f.lower() for t in person.titles for f in t.forms}
            if not words or text.lower() in shorts:
                continue
            held = [t for t in person.titles if t.held_on(day)]
            if self.fits(words, shorts, held):
                continue
            other_times = [t for t in person.titles if not t.held_on(day)]
            if self.fits(words, shorts, other_times):
                # A title held before or after the article's date: right with "former" (or
                # "then", "future") in front, wrong as the current title.
                before = doc.text[max(0, m.title_span[0] - 20):m.title_span[0]].lower()
                if set(before.replace("-", " - ").split()[-2:]) & NOT_NOW or before.rstrip().endswith("ex-") \
                        or set(text.lower().replace("-", " ").split()) & NOT_NOW:
                    continue
                past = next(t for t in other_times if self.fits(words, shorts, [t]))
                if past.end is not None and (day - past.end).days <= self.options["former_grace_days"]:
                    continue
                if past.end is not None and past.end < day:
                    when = f"until {past.end.isoformat()}"
                elif past.start is not None:
                    when = f"only from {past.start.isoformat()}"
                else:
                    continue
                now = held[0].title if held else "no listed title"
                yield doc.finding(self.spec, span[0], span[1],
                                  f"'{doc.text[span[0]:span[1]]}': the style sheet has {person.name} as {past.title} "
                                  f"{when}, {now} on {day.isoformat()}",
                                  suggestion=f"former {past.title}" if past.end and past.end < day else None,
                                  confidence=0.7)
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
