"""Perturber for names: misspell ONE later mention of a person named at least twice.

The slips are the ones rewrites and typists make (seeds/pentagon-talks.txt: Ratner /
Radner, Meiners / Mayners, Kahl / Kall): a dropped or doubled letter, two letters
swapped, t/d, c/k, s/z, ph/f, and vowel pairs heard alike (ei/ay, ie/ei, ou/ow). The
first mention (the full-name introduction) stays right, so the gold names the later,
wrong one with the right spelling as ``expected``.

People are found with spaCy's PERSON entities of two or more words, independently of
copydesk's own harvesting, and only surnames of four letters or more are touched.
"""
from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from typing import Any

from eval.perturb import Article, Perturbed

CATEGORY = "name"

MIN_LENGTH = 4
VOWELS = "aeiou"
_SOUND_ALIKE = [("ei", "ay"), ("ay", "ei"), ("ie", "ei"), ("ei", "ie"), ("ou", "ow"), ("ow", "ou"),
                ("ee", "ea"), ("ea", "ee"), ("ai", "ay"), ("y", "ie"), ("ph", "f"), ("f", "ph"),
                ("ck", "k"), ("s", "z"), ("z", "s"), ("c", "k"), ("k", "c"), ("t", "d"), ("d", "t")]

_nlp: Any = None


def _pipeline() -> Any:
    global _nlp
    if _nlp is None:
        from checker.document.nlp import load_pipeline

        _nlp = load_pipeline(None, {"tagger", "parser", "ner"})
    return _nlp


def _drop(word: str, rng: random.Random) -> str | None:
    doubled = [i for i in range(1, len(word)) if word[i] == word[i - 1]]
    inner = doubled or [i for i in range(1, len(word) - 1)]
    i = rng.choice(inner)
    return word[:i] + word[i + 1:]


def _double(word: str, rng: random.Random) -> str | None:
    places = [i for i in range(1, len(word)) if word[i] not in VOWELS and word[i] != word[i - 1]
              and (i + 1 == len(word) or word[i + 1] != word[i])]
    if not places:
        return None
    i = rng.choice(places)
    return word[:i] + word[i] + word[i:]


def _swap(word: str, rng: random.Random) -> str | None:
    places = [i for i in range(1, len(word) - 1) if word[i] != word[i + 1]]
    if not places:
        return None
    i = rng.choice(places)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def _sound(word: str, rng: random.Random) -> str | None:
    options = []
    lower = word.lower()
    for old, new in _SOUND_ALIKE:
        start = lower.find(old, 0)
        while start >= 0:
            options.append((start, old, new))
            start = lower.find(old, start + 1)
    if not options:
        return None
    start, old, new = rng.choice(options)
    piece = word[start:start + len(old)]
    if piece[:1].isupper():
        new = new[:1].upper() + new[1:]
    return word[:start] + new + word[start + len(old):]


OPERATIONS: dict[str, Callable[[str, random.Random], str | None]] = {
    "drop": _drop, "double": _double, "swap": _swap, "sound": _sound,
}


def misspell(word: str, rng: random.Random) -> tuple[str, str] | None:
    """A plausible slip of ``word`` and its kind, or None."""
    kinds = list(OPERATIONS)
    rng.shuffle(kinds)
    for kind in kinds:
        new = OPERATIONS[kind](word, rng)
        if new and new != word and new.lower() != word.lower() and new[:1].isupper() and new.isalpha():
            return new, kind
    return None


def people(text: str) -> list[tuple[str, int, str]]:
    """(surname, end of its first full-name mention, first name) of people named in full.

    A surname the tagger puts in other entities more often than in PERSON ones ("Sri
    Lanka", "Manchester United") is not taken for a person's.
    """
    doc = _pipeline()(text)
    out: dict[str, tuple[int, str]] = {}
    as_person: dict[str, int] = {}
    as_other: dict[str, int] = {}
    for ent in doc.ents:
        for token in ent:
            table = as_person if ent.label_ == "PERSON" else as_other
            table[token.text] = table.get(token.text, 0) + 1
        if ent.label_ != "PERSON" or len(ent) < 2:
            continue
        words = [t.text for t in ent if t.is_alpha]
        if len(words) < 2 or not all(w[:1].isupper() for w in words):
            continue
        out.setdefault(words[-1], (ent.end_char, words[0]))
    return sorted(((s, end, first) for s, (end, first) in out.items() if as_person.get(s, 0) > as_other.get(s, 0)),
                  key=lambda item: item[1])


_HONORIFIC = {"Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Lord", "Lady", "Dame", "Prof"}


def _other_person(text: str, position: int, first: str) -> bool:
    """The occurrence follows another first name: Cherie Blair is not Tony Blair."""
    before = re.search(r"([A-Z][\w'-]*)\.?\s+$", text[max(0, position - 40):position])
    if before is None:
        return False
    word = before.group(1)
    return word != first and word not in _HONORIFIC and not (len(word) == 1 and first.startswith(word))


def perturb(article: Article, rng: random.Random, pool: Sequence[Article]) -> Perturbed | None:
    text = article.text
    body_start = text.find("\n\n") + 2 if "\n\n" in text else 0
    candidates = []
    found = people(text)
    given = {surname: first for surname, _, first in found}
    for surname, intro_end, _ in found:
        if len(surname) < MIN_LENGTH or intro_end < body_start:
            continue
        later = [m.start() for m in re.finditer(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", text)
                 if m.start() >= intro_end and not _other_person(text, m.start(), given.get(surname, ""))]
        if later:
            candidates.append((surname, later))
    if not candidates:
        return None
    surname, later = rng.choice(candidates)
    position = rng.choice(later)
    words = set(re.findall(r"\w+", text))
    for _ in range(8):
        slip = misspell(surname, rng)
        if slip is not None and slip[0] not in words:
            break
    else:
        return None
    wrong, kind = slip
    new_text = text[:position] + wrong + text[position + len(surname):]
    occurrence = new_text.count(wrong, 0, position) + 1
    finding = {"category": CATEGORY, "text": wrong, "occurrence": occurrence, "expected": surname,
               "note": f"{kind}: {surname} -> {wrong}"}
    return Perturbed(new_text, [finding], kind)
