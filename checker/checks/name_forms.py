"""Name variants beyond a misspelt surname: given names, case, glue, hyphens, name order (issue 15).

``checker.document.people.find_variants`` compares surnames. Real rewrites also vary in ways
a surname comparison cannot see, and each has its own evidence:

* a given name written two ways with the surname agreeing (Jon / John Smith, Sergei /
  Sergey, Bill / William): one person unless the article shows two (a relative word in the
  sentence, honorifics of two genders, two different ages);
* a known surname in capitals or lower case (MERKEL, "boris johnson", "Putin and trump"):
  lower case only where the place is a person's (after the given name, a title or an
  honorific, before a speech verb or 's, beside another person in "X and y");
* a surname glued to the next word by a bad conversion (Brownsaid, Macronadded);
* a hyphen or space inside a name (Jae-in / Jae In / Jaein, Duncan Smith / Duncan-Smith);
* an East Asian name turned round (Koizumi Junichiro after Junichiro Koizumi).

Each function returns ``FormVariant`` records; ``checks/names.py`` turns them into findings.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from checker.document.namekeys import given_relation
from checker.document.people import HONORIFICS, PROSE_KINDS, SPEECH_VERBS, TITLES, Mention

if TYPE_CHECKING:
    from checker.document import Document
    from checker.document.people import PeopleLayer


@dataclass(frozen=True, slots=True)
class FormVariant:
    start: int
    end: int
    text: str
    suggestion: str
    kind: str  # given-<relation>, case, glue, hyphen, order
    related: tuple[tuple[int, int, str], ...]
    confidence: float
    reason: str  # what the suggestion rests on: "introduction", "majority", "style-sheet"


# Words that show two people of one surname in a sentence ("his brother", "the couple").
RELATIVES = frozenset("""
brother brothers sister sisters son sons daughter daughters father mother dad mum parents wife husband
widow widower couple twin twins cousin cousins uncle aunt nephew niece sibling siblings grandson
granddaughter grandfather grandmother family partner fiancee fiance stepson stepdaughter
""".split())
GLUE_WORDS = ("said", "says", "told", "tells", "added", "adds", "and", "has", "had", "was", "is", "who", "will",
              "would", "also", "insisted", "explained", "stressed", "noted", "commented", "believes")
_MALE = frozenset({"mr", "sir", "lord", "baron", "father", "brother", "king", "prince"})
_FEMALE = frozenset({"mrs", "ms", "miss", "dame", "lady", "baroness", "sister", "queen", "princess"})
# Confidence by the kind of evidence, measured on the dev split of eval/names_real.py.
CONFIDENCE = {"case": 0.9, "glue": 0.85, "hyphen": 0.8, "order": 0.8, "given-translit": 0.8,
              "given-diacritic": 0.85, "given-case": 0.85, "given-hyphen": 0.8, "given-spelling": 0.7,
              "given-nickname": 0.6}


def _prose(doc: Document) -> list[tuple[int, int]]:
    return [(b.start, b.end) for b in doc.blocks if b.kind in PROSE_KINDS or b.kind == "headline"]


def _inside(spans: Sequence[tuple[int, int]], a: int, b: int) -> bool:
    return any(s <= a and b <= e for s, e in spans)


def _sentence(doc: Document, offset: int) -> str:
    if doc.spacy is None:
        return ""
    span = doc.spacy.char_span(offset, offset + 1, alignment_mode="expand")
    return span.sent.text if span is not None else ""


def _ages(doc: Document, m: Mention) -> str:
    after = re.match(r",\s*(\d{1,3}),", doc.text[m.end:m.end + 8])
    return after.group(1) if after else ""


def _gender(m: Mention) -> str:
    return "m" if m.honorific in _MALE else "f" if m.honorific in _FEMALE else ""


def _full_intro(layer: PeopleLayer) -> dict[str, list[tuple[int, Mention]]]:
    """Surname -> its full-name mentions with person evidence, in text order."""
    out: dict[str, list[tuple[int, Mention]]] = {}
    for i, m in enumerate(layer.mentions):
        if m.is_full and not m.candidate:
            out.setdefault(m.surname, []).append((i, m))
    return out


def given_variants(doc: Document, layer: PeopleLayer, known_given: Mapping[str, str] | None = None
                   ) -> list[FormVariant]:
    """Full names with one surname whose given names are one name written two ways.

    ``known_given`` maps a full name a style sheet lists to its given name: the listed form
    is right whatever the order in the article.
    """
    known_given = known_given or {}
    out: list[FormVariant] = []
    for surname, fulls in _full_intro(layer).items():
        by_given: dict[str, list[Mention]] = {}
        for _, m in fulls:
            if len(m.parts) == 2 and len(m.given.rstrip(".")) > 1:
                by_given.setdefault(m.given, []).append(m)
        if len(by_given) < 2:
            continue
        forms = list(by_given)  # in order of first use
        listed = known_given.get(surname, "")
        sentences = {g: " ".join(_sentence(doc, m.start) for m in ms).lower() for g, ms in by_given.items()}
        for a_index, a in enumerate(forms):
            for b in forms[a_index + 1:]:
                relation = given_relation(a, b)
                if not relation:
                    continue
                ms = by_given[a] + by_given[b]
                genders = {_gender(m) for m in ms} - {""}
                ages = {_ages(doc, m) for m in ms} - {""}
                if len(genders) > 1 or len(ages) > 1:
                    continue
                words = set(re.findall(r"[a-z]+", sentences[a] + " " + sentences[b]))
                if words & RELATIVES or f"{surname.lower()}s" in words:
                    continue  # "his brother", "the couple", "the Smiths": two people
                # The right form: the style sheet's, else the first introduction, else the majority.
                if listed in (a, b):
                    right, reason = listed, "style-sheet"
                elif len(by_given[b]) > len(by_given[a]) and relation not in ("nickname",):
                    right, reason = b, "majority"
                else:
                    right, reason = a, "introduction"
                wrong = b if right == a else a
                first_right = by_given[right][0]
                for m in by_given[wrong]:
                    start, end, text = m.parts[0]
                    out.append(FormVariant(start, end, text, right, f"given-{relation}",
                                           ((first_right.parts[0][0], first_right.parts[0][1],
                                             f"spelled '{right}' here"),),
                                           CONFIDENCE.get(f"given-{relation}", 0.6), reason))
    return out


def _acts_as_person(m: Mention) -> bool:
    return bool(m.evidence & {"title", "speech", "object", "possessive", "appos"} or m.honorific)


def _person_surnames(layer: PeopleLayer) -> dict[str, tuple[str, int]]:
    """Surnames of people introduced in full with person evidence -> (full name, mention index).

    Some mention of the surname must act as a person (speak, carry a title or honorific): a
    name the tagger alone calls a person ("Mac Mini") lends its words to no case check.
    """
    out: dict[str, tuple[str, int]] = {}
    acting = {m.surname for m in layer.mentions if not m.candidate and _acts_as_person(m)}
    for i, m in enumerate(layer.mentions):
        if m.is_full and not m.candidate and not m.non_person and len(m.surname) >= 3 and m.surname in acting:
            out.setdefault(m.surname, (" ".join(p[2] for p in m.parts), i))
    return out


_DETERMINERS = frozenset("the a an this that these those his her its their our my your some any no every".split())


def lower_person_slot(doc: Document, start: int, end: int, given: str, others: Iterable[str]) -> bool:
    """Is the lower-case word at [start, end) where a person's name stands?

    Sure places, for any word: after the person's given name, an honorific or a title;
    beside another person's surname ("Putin and trump"). Places a common word also takes
    ("show said"), only for a word rare in English (Zipf frequency below 4.5, the
    frequency of "Trump" is 4.9 and of "show" 5.7): the subject of a verb, before a speech
    verb or 's, after one ("said hewitt"). Never after a determiner ("the show").
    """
    text = doc.text
    before = re.search(r"([\w.]+)\s+$", text[max(0, start - 30):start])
    prev = before.group(1).lower().rstrip(".") if before else ""
    if prev in _DETERMINERS:
        return False
    if before and (before.group(1) == given or prev in HONORIFICS or prev in TITLES):
        return True
    for o in others:
        if re.search(rf"\b{re.escape(o)}\s+and\s+$", text[max(0, start - 40):start]) or \
                re.match(rf"\s+and\s+{re.escape(o)}\b", text[end:end + 40]):
            return True
    from wordfreq import zipf_frequency  # imported when needed: it costs 0.3 s at start-up

    if zipf_frequency(text[start:end], "en") >= 4.5:
        return False
    after = re.match(r"(?:'s|’s)|\s+(\w+)", text[end:end + 20])
    nxt = (after.group(1) or "'s").lower() if after else ""
    if nxt == "'s" or nxt in SPEECH_VERBS or prev in SPEECH_VERBS:
        return True
    if doc.spacy is not None:
        span = doc.spacy.char_span(start, end, alignment_mode="expand")
        if span is not None and len(span) == 1:
            token = span[0]
            return token.dep_ in ("nsubj", "nsubjpass") and token.head.pos_ in ("VERB", "AUX")
    return False


def surface_variants(doc: Document, layer: PeopleLayer) -> list[FormVariant]:
    """Known surnames in capitals, lower case or glued to the next word; names with a hyphen
    or space changed; East Asian names turned round."""
    text = doc.text
    prose = _prose(doc)
    people = _person_surnames(layer)
    out: list[FormVariant] = []
    seen: set[tuple[int, int]] = set()
    # Any person the article names can stand beside a lower-cased name ("Putin and merkel").
    surnames = sorted({m.surname for m in layer.mentions if not m.candidate and not m.non_person})
    for surname, (_full, index) in people.items():
        intro = layer.mentions[index]
        related = ((intro.surname_span[0], intro.surname_span[1], f"spelled '{surname}' here"),)
        given = intro.given
        for m in re.finditer(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", text, re.IGNORECASE):
            a, b, found = m.start(), m.end(), m.group(0)
            if found == surname or not _inside(prose, a, b):
                continue
            if found.isupper() and len(found) >= 4:
                # Not a line or headline in capitals: a neighbour in lower case.
                window = text[max(0, a - 30):b + 30]
                if sum(1 for w in re.findall(r"[A-Za-z]{3,}", window) if w.isupper()) > 1:
                    continue
            elif not (found.islower() and all(
                    lower_person_slot(doc, o.start(), o.end(), given, [s for s in surnames if s != surname])
                    for o in re.finditer(rf"(?<![\w-]){re.escape(found)}(?![\w-])", text))):
                continue  # not in a person's place, or used as a word elsewhere ("the field")
            seen.add((a, b))
            out.append(FormVariant(a, b, found, surname, "case", related, CONFIDENCE["case"], "introduction"))
        glue = "|".join(GLUE_WORDS)
        for m in re.finditer(rf"(?<![\w-]){re.escape(surname)}({glue})(?![\w-])", text):
            a, b = m.start(), m.end()
            if not _inside(prose, a, b) or m.group(0).lower() in layer.lower_words:
                continue
            out.append(FormVariant(a, b, m.group(0), f"{surname} {m.group(1)}", "glue", related,
                                   CONFIDENCE["glue"], "introduction"))
    out.extend(_hyphen_variants(doc, layer, prose, seen))
    out.extend(_order_variants(layer))
    return sorted(out, key=lambda v: v.start)


def _hyphen_variants(doc: Document, layer: PeopleLayer, prose: Sequence[tuple[int, int]],
                     seen: set[tuple[int, int]]) -> list[FormVariant]:
    """One name with a hyphen, a space or nothing between two of its words (Duncan Smith /
    Duncan-Smith, Jae-in / Jae In / Jaein): the first writing is the article's."""
    text = doc.text
    names: dict[str, None] = {}
    name_parts: set[str] = set()
    for m in layer.mentions:
        if not m.candidate and not m.non_person and (m.strong or _acts_as_person(m)):
            for a, b in zip(m.parts, m.parts[1:], strict=False):
                names.setdefault(f"{a[2]} {b[2]}")
            name_parts.update(p[2] for p in m.parts)
    # Hyphenated names the harvest cuts at the hyphen ("Kilroy-Silk"), when one piece is
    # part of a person's name ("Euro-Sceptic", "High-Speed" are not).
    for hyphened in re.finditer(r"\b[A-Z][a-z]+-[A-Za-z][a-z]+\b", text):
        if set(hyphened.group(0).split("-")) & name_parts:
            names.setdefault(hyphened.group(0))
    out = []
    done: set[str] = set()
    for name in names:
        pieces = re.split(r"[\s-]", name)
        if len(pieces) != 2 or min(len(p) for p in pieces) < 2:
            continue
        key = "".join(pieces).lower()
        if key in done:
            continue
        done.add(key)
        pattern = rf"(?<![\w-]){re.escape(pieces[0])}(?:[ -]?){re.escape(pieces[1])}(?![\w-])"
        hits = [h for h in re.finditer(pattern, text, re.IGNORECASE) if _inside(prose, h.start(), h.end())
                and h.group(0)[0].isupper() and h.group(0)[len(pieces[0]):][:2].strip("- ")[:1].isalpha()]
        forms: dict[str, list[re.Match[str]]] = {}
        for h in hits:
            forms.setdefault(h.group(0), []).append(h)
        if len(forms) < 2:
            continue
        # Only separators and the case after them may differ ("Jae-in" / "Jae In"), and the
        # separators must ("Mac Mini" / "Mac mini" is case, not a hyphen).
        if len({re.sub(r"[\s-]", "", f).lower() for f in forms}) != 1:
            continue
        if len({re.sub(r"[^\s-]", "", f) for f in forms}) < 2:
            continue
        # A double-barrelled surname ("Mr Kilroy-Silk") is written both ways by careful
        # copy (the BBC corpus does); the class is hyphens and spaces inside given names.
        if any(re.search(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Lord|Lady|Dame)\.?\s+$", text[max(0, h.start() - 8):h.start()])
               for hs in forms.values() for h in hs):
            continue
        if any(f.replace(" ", "").replace("-", "") == f for f in forms) and \
                re.sub(r"[\s-]", "", next(iter(forms))).lower() in layer.lower_words:
            continue
        order = sorted(forms, key=lambda f: (-len(forms[f]), forms[f][0].start()))
        right = order[0]
        first = forms[right][0]
        for wrong in order[1:]:
            for h in forms[wrong]:
                if (h.start(), h.end()) in seen:
                    continue
                out.append(FormVariant(h.start(), h.end(), h.group(0), right, "hyphen",
                                       ((first.start(), first.end(), f"written '{right}' here"),),
                                       CONFIDENCE["hyphen"], "majority"))
    return out


def _order_variants(layer: PeopleLayer) -> list[FormVariant]:
    """A two-word name written the other way round after its introduction."""
    out = []
    firsts: dict[tuple[str, str], Mention] = {}
    for m in layer.mentions:
        if m.candidate or len(m.parts) != 2:
            continue
        words = (m.parts[0][2], m.parts[1][2])
        turned = (words[1], words[0])
        if turned in firsts and words not in firsts:
            right = firsts[turned]
            out.append(FormVariant(m.start, m.end, m.text, " ".join(turned), "order",
                                   ((right.start, right.end, f"written '{right.text}' here"),),
                                   CONFIDENCE["order"], "introduction"))
            continue
        firsts.setdefault(words, m)
    return out
