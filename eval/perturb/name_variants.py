"""Perturber for names as they really vary (issue 15): one person's name written two ways.

Not a typist's slip (that is eval/perturb/names.py) but the ways writers, wires and
translation engines differ: a given name spelled or romanised another way (Mohammed /
Mohamed, Sergei / Sergey), a nickname for the full given name (Bill / William), a surname
in another romanisation (Zelensky / Zelenskiy, Gaddafi / Qaddafi, Zhou / Chou, Park / Pak,
Ohtani / Otani), a diacritic added or written out (Muller / Müller / Mueller), a mention
in capitals or lower case (MERKEL, boris johnson), a surname glued to the next word
(Brownsaid), a hyphen or space inside a name (Jae-in / Jae In, Duncan Smith / Duncan-Smith),
an East Asian name turned round (Koizumi Junichiro / Junichiro Koizumi).

The variation tables here are the perturber's own, written from the romanisation systems
and the given-name variant lists (the `nicknames` package data, Apache-2.0), not from the
checker's keys; where a class has no place in an article (no Russian name to give another
ending) it returns None. One mention changes; the others keep the article's spelling, so
the gold names the changed one with the article's spelling as ``expected``.

``STYLESHEET`` mode (``all_mentions=True``) changes every mention of the person instead,
as a rewrite that spells a name wrong throughout does: only a style sheet can tell.
"""
from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache

from eval.perturb import Article, Perturbed
from eval.perturb.names import misspell
from eval.perturb.names import people as _people_uncached

CATEGORY = "name"
CLASSES = ("given", "nickname", "translit", "diacritic", "case", "glue", "hyphen", "order")

# Real given-name variant sets: each line one name as different people and papers spell it.
GIVEN_SETS = [
    "Mohammed Mohamed Muhammad Mohammad Mohamad", "Jon John", "Katherine Catherine Kathryn Katharine",
    "Sergei Sergey Serguei", "Steven Stephen", "Philip Phillip", "Geoffrey Jeffrey", "Alan Allan Allen",
    "Brian Bryan", "Sean Shaun Shawn", "Ann Anne", "Sara Sarah", "Matthew Mathew", "Nicholas Nicolas",
    "Isabel Isobel Isabelle", "Mark Marc", "Carl Karl", "Eric Erik", "Frederick Frederic", "Graham Graeme",
    "Ian Iain", "Neil Neal", "Rachel Rachael", "Stuart Stewart", "Teresa Theresa", "Deborah Debra",
    "Dmitry Dmitri Dmitriy", "Yuri Yury Yuriy", "Mikhail Michail", "Alexei Alexey Aleksei Alexi",
    "Yulia Yuliya Julia", "Viktor Victor", "Andrei Andrey", "Nikolai Nikolay", "Vladimir Wladimir",
    "Gerhard Gerard", "Jacques Jaques", "Francois François", "Jose José", "Luis Luiz", "Ahmed Ahmad",
    "Hussein Husein Hussain", "Osama Usama", "Yasser Yasir", "Abdullah Abdallah", "Omar Umar",
    "Jeremy Jeremie", "Kenneth Kenith", "Lindsay Lindsey", "Tony Toni", "Gordon Gordan", "Roy Roi",
    "Martin Martyn", "Dennis Denis", "Anthony Antony", "Catherine Katharine", "Jonathan Johnathan",
    "Michael Micheal", "David Dafydd", "Elizabeth Elisabeth", "Charles Charls", "Patrick Patric",
]

# Surname romanisations by origin: (test that the name is of that origin, rewrites).
_RUSSIAN = re.compile(r"(ov|ev|yov|in|sky|ski|skiy|enko|chuk|uk|ko|kin|shin|vich|ich)$|kh|zh", re.I)
_ARABIC = re.compile(r"^(al|el|abd|abu|bin|ibn|qa|qu)|dh|gh|^(mu|mo)h|(allah|ullah|afi|awi)$", re.I)
_JAPANESE = re.compile(r"(moto|mura|kawa|yama|shita|zumi|saki|hara|uchi|guchi|hashi|oka|ichi|ishi)$", re.I)
_GERMANIC = re.compile(r"(er|mann|berg|burg|stein|feld|sch)", re.I)
_GREEK = re.compile(r"(ou|os|is|as|kis|poulos|glou)$", re.I)
TRANSLIT_RULES: list[tuple[re.Pattern[str], list[tuple[str, str]]]] = [
    (_RUSSIAN, [(r"sky$", "skiy"), (r"sky$", "ski"), (r"sky$", "skyy"), (r"skiy$", "sky"), (r"kh", "h"),
                (r"zh", "j"), (r"yev$", "ev"), (r"([aeiou])ev$", r"\1yev"), (r"ei$", "ey"), (r"ey$", "ei"),
                (r"y$", "i"), (r"i$", "y"), (r"ya", "ia"), (r"yu", "iu"), (r"ts", "tz"), (r"ov$", "off"),
                (r"ii$", "iy"), (r"^Yu", "Ju"), (r"^Ye", "E")]),
    (_ARABIC, [(r"^Q", "G"), (r"^Q", "K"), (r"^G", "Q"), (r"dh", "d"), (r"^K", "Q"), (r"ou", "u"), (r"u", "ou"),
               (r"ee", "i"), (r"^Al ", "Al-"), (r"^Al-", "Al "), (r"^El", "Al"), (r"mm", "m"), (r"([^m])m([^m])", r"\1mm\2"),
               (r"ei", "ai"), (r"ai", "ei")]),
    (_JAPANESE, [(r"oh", "o"), (r"ou", "o"), (r"uu", "u"), (r"oo", "o"), (r"o([^aeiouh])", r"oh\1"), (r"shi", "si"),
                 (r"tsu", "tu"), (r"ji", "zi")]),
    (_GERMANIC, [(r"sch", "sh"), (r"mann$", "man"), (r"ss", "ß"), (r"ue", "ü"), (r"ü", "ue"), (r"oe", "ö"),
                 (r"ei", "ai")]),
    (_GREEK, [(r"c", "k"), (r"k", "c"), (r"ou", "u"), (r"ph", "f"), (r"y", "i"), (r"os$", "us")]),
]
# Pinyin and Wade-Giles, Korean systems: whole surnames.
SURNAME_SETS = [
    "Zhou Chou", "Deng Teng", "Jiang Chiang", "Zhang Chang", "Zhao Chao", "Xu Hsu", "Xie Hsieh", "Qian Chien",
    "Zheng Cheng", "Cai Tsai", "Cao Tsao", "Zeng Tseng", "Zhu Chu", "Guo Kuo", "Gao Kao", "Huang Hwang",
    "Dong Tung", "Wen Wen", "Hu Hu", "Wang Wong", "Li Lee", "Liu Lau", "Chen Chan", "Yang Yeung",
    "Park Pak", "Lee Yi Rhee", "Kim Gim", "Choi Choe", "Yoon Yun", "Jung Chung Jeong", "Kang Gang", "Moon Mun",
    "Roh Noh", "Ban Pan", "Ahn An", "Kwon Gwon", "Shin Sin", "Seo Suh",
]
EAST_ASIAN = {w for line in SURNAME_SETS for w in line.split()} | set(
    "Koizumi Abe Tanaka Suzuki Sato Takahashi Watanabe Yamamoto Nakamura Kobayashi Kato Yoshida Yamada "
    "Sasaki Matsui Nakata Ichiro Okada Fukuda Aso Hatoyama Kan Noda Ono Ohtani Hu Wen Jin Mao Kim".split())
GLUE_WORDS = ("said", "says", "added", "told", "and", "has", "was", "is", "who", "will", "also", "had", "would")


@lru_cache(maxsize=512)
def _people_cached(text: str) -> tuple[tuple[str, int, str], ...]:
    return tuple(_people_uncached(text))


def people(text: str) -> list[tuple[str, int, str]]:
    """eval/perturb/names.py's people of an article, parsed once per text."""
    return list(_people_cached(text))


def _with_case(new: str, old: str) -> str:
    return new[:1].upper() + new[1:] if old[:1].isupper() else new


def given_variant(given: str, rng: random.Random) -> tuple[str, str] | None:
    for line in GIVEN_SETS:
        names = line.split()
        if given in names and len(names) > 1:
            return rng.choice([n for n in names if n != given]), "variant list"
    if len(given) >= 5:
        slip = misspell(given, rng)
        if slip is not None:
            return slip[0], f"slip {slip[1]}"
    return None


def nickname_variant(given: str, rng: random.Random) -> tuple[str, str] | None:
    from nicknames import NickNamer

    namer = NickNamer()
    options = sorted(namer.nicknames_of(given) | namer.canonicals_of(given))
    options = [o for o in options if len(o) >= 3 and o != given.lower()]
    if not options:
        return None
    return rng.choice(options).capitalize(), "nickname"


def translit_variant(surname: str, rng: random.Random) -> tuple[str, str] | None:
    for line in SURNAME_SETS:
        names = line.split()
        if surname in names and len(set(names)) > 1:
            return rng.choice([n for n in names if n != surname]), "romanisation table"
    options = []
    for test, rules in TRANSLIT_RULES:
        if not test.search(surname):
            continue
        for pattern, repl in rules:
            new = re.sub(pattern, repl, surname, count=1)
            if new != surname and new.lower() != surname.lower():
                options.append((new, pattern))
    if not options:
        return None
    new, pattern = rng.choice(options)
    return _with_case(new, surname), f"rule {pattern}"


_ACCENTS = {"a": "áàä", "e": "éèë", "i": "í", "o": "óöø", "u": "úü", "c": "ç", "n": "ñ"}


def diacritic_variant(surname: str, rng: random.Random) -> tuple[str, str] | None:
    decomposed = unicodedata.normalize("NFKD", surname)
    if decomposed != surname:  # accents there: drop them, or write an umlaut out
        folded = "".join(c for c in decomposed if not unicodedata.combining(c))
        out = surname.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae")
        return rng.choice([v for v in (folded, out) if v != surname] or [folded]), "fold"
    places = [i for i, c in enumerate(surname) if c in _ACCENTS and i > 0]
    if not places:
        return None
    i = rng.choice(places)
    mark = rng.choice(_ACCENTS[surname[i]])
    new = surname[:i] + mark + surname[i + 1:]
    if mark in "üöä" and rng.random() < 0.3:
        return new, "umlaut"
    return new, "accent"


def case_variant(text: str, rng: random.Random) -> tuple[str, str] | None:
    return (text.upper(), "upper") if rng.random() < 0.5 else (text.lower(), "lower")


def perturb_mode(article: Article, rng: random.Random, kind: str, all_mentions: bool = False) -> Perturbed | None:
    """One perturbation of class ``kind``; None when the article has no place for it."""
    text = article.text
    body_start = text.find("\n\n") + 2 if "\n\n" in text else 0
    found = people(text)
    rng.shuffle(found)
    for surname, intro_end, first in found:
        if intro_end < body_start or len(surname) < 3 or not first[:1].isupper() or len(first) < 2:
            continue
        if kind in ("given", "nickname") and re.search(rf"(?<![\w-]){re.escape(first)} (?!{re.escape(surname)}\b)", text):
            continue  # "Porto" alone elsewhere: not a given name
        full = f"{first} {surname}"
        fulls = [m.start() for m in re.finditer(rf"(?<![\w-]){re.escape(full)}(?![\w-])", text)]
        bare = [m.start() for m in re.finditer(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", text)
                if m.start() >= intro_end and m.start() not in {f + len(first) + 1 for f in fulls}]
        result = _apply(text, kind, rng, first, surname, fulls, bare, all_mentions)
        if result is not None:
            new_text, wrong, expected, note, position = result
            # Every changed mention is a gold finding (all of them when all_mentions); the
            # changed spelling occurs nowhere else, as _apply checks.
            occurrences = range(1, new_text.count(wrong) + 1) if all_mentions else \
                [new_text.count(wrong, 0, position) + 1]
            findings = [{"category": CATEGORY, "text": wrong, "occurrence": k, "expected": expected,
                         "note": f"{kind} ({note}): {expected} -> {wrong}"} for k in occurrences]
            return Perturbed(new_text, findings, kind)
    return None


def _replace(text: str, positions: list[int], old_len: int, new: str) -> str:
    for p in sorted(positions, reverse=True):
        text = text[:p] + new + text[p + old_len:]
    return text


def _apply(text: str, kind: str, rng: random.Random, first: str, surname: str, fulls: list[int],
           bare: list[int], all_mentions: bool) -> tuple[str, str, str, str, int] | None:
    words = set(re.findall(r"\w+", text))
    given_kinds: dict[str, Callable[[str, random.Random], tuple[str, str] | None]] = {
        "given": given_variant, "nickname": nickname_variant}
    if kind in given_kinds:
        if len(fulls) < (1 if all_mentions else 2):
            return None
        new = given_kinds[kind](first, rng)
        if new is None or new[0] in words:
            return None
        targets = fulls if all_mentions else [rng.choice(fulls[1:])]
        new_text = _replace(text, targets, len(first), new[0])
        return new_text, new[0], first, new[1], targets[0]
    if kind == "order":
        # East Asian names first; the BBC corpus of 2004-05 has almost none, so any
        # two-word name stands in for them when the article has no East Asian one
        # (the figure shows the mechanism, not its real frequency).
        if surname not in EAST_ASIAN and first not in EAST_ASIAN and rng.random() < 0.5:
            return None
        if len(fulls) < (1 if all_mentions else 2):
            return None
        targets = fulls if all_mentions else [rng.choice(fulls[1:])]
        wrong = f"{surname} {first}"
        return _replace(text, targets, len(first) + 1 + len(surname), wrong), wrong, f"{first} {surname}", "turned", targets[0]
    if kind == "hyphen":
        pieces = [(first, "given"), (surname, "surname")]
        for name, _ in pieces:
            if "-" in name:
                new = name.replace("-", rng.choice([" ", ""])) if rng.random() < 0.7 else name.replace("-", " ")
                break
        else:
            # a compound name: "Iain Duncan Smith" -> "Iain Duncan-Smith"
            m = re.search(rf"\b{re.escape(first)} ([A-Z][a-z]{{2,}}) {re.escape(surname)}\b", text)
            if m is not None:
                name, new = f"{m.group(1)} {surname}", f"{m.group(1)}-{surname}"
            else:
                # No compound name in the article: the separator between the given name
                # and the surname changes instead (Jae In / Jae-in as Tony-Blair), a stand-in
                # the BBC corpus needs for want of real compound names.
                name, new = f"{first} {surname}", f"{first}-{surname}"
        positions = [m.start() for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)]
        if len(positions) < (1 if all_mentions else 2):
            return None
        targets = positions if all_mentions else [rng.choice(positions[1:])]
        if new.replace(" ", "") in words:
            return None
        return _replace(text, targets, len(name), new), new, name, "hyphen", targets[0]
    # Surname classes: a later bare mention (or every mention of the surname).
    surname_positions = sorted(set(bare) | {f + len(first) + 1 for f in fulls})
    if not surname_positions or (not all_mentions and not bare):
        return None
    if kind == "glue":
        later = [p for p in (surname_positions if all_mentions else bare)
                 if re.match(r" ({})\b".format("|".join(GLUE_WORDS)), text[p + len(surname):p + len(surname) + 8])]
        if not later:
            return None
        p = rng.choice(later)
        word = re.match(r" (\w+)", text[p + len(surname):]).group(1)  # type: ignore[union-attr]
        glued = surname + word
        new_text = text[:p + len(surname)] + text[p + len(surname) + 1:]
        return new_text, glued, surname, f"glued to '{word}'", p
    makers: dict[str, Callable[[str, random.Random], tuple[str, str] | None]] = {
        "translit": translit_variant, "diacritic": diacritic_variant, "case": case_variant}
    if kind not in makers:
        raise ValueError(f"unknown class {kind!r}")
    new = makers[kind](surname, rng)
    if new is None or new[0] in words or new[0] == surname:
        return None
    targets = surname_positions if all_mentions else [rng.choice(bare)]
    return _replace(text, targets, len(surname), new[0]), new[0], surname, new[1], targets[0]


def perturb(article: Article, rng: random.Random, pool: Sequence[Article]) -> Perturbed | None:
    """The eval/perturb interface: one class drawn at random among those the article allows."""
    kinds = list(CLASSES)
    rng.shuffle(kinds)
    for kind in kinds:
        result = perturb_mode(article, rng, kind)
        if result is not None:
            return result
    return None
