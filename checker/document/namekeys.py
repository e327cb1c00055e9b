"""Keys that make one name's spellings compare equal: romanisations, diacritics, case, glue.

Writers, wires and translation engines spell one name differently (issue 15): Pinyin and
Wade-Giles (Zhou / Chou), Korean systems (Yoon / Yun, Park / Pak), Arabic (Gaddafi /
Qaddafi / Kadhafi), Russian and Ukrainian endings (Zelensky / Zelenskiy / Zelenskyy),
diacritics kept, dropped or written out (Müller / Muller / Mueller). ``spelling_key`` maps
them to one key with the rewrites of ``rules/data/name-spellings.yaml``; ``given_relation``
says how two given names of one surname relate (a nickname, a romanisation, a slip).
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz.distance import OSA, JaroWinkler


def _data_path() -> Path:
    from checker.rules import builtin_rules_dir

    return builtin_rules_dir() / "data" / "name-spellings.yaml"


@lru_cache(maxsize=1)
def _tables() -> tuple[tuple[tuple[str, str, str], ...], dict[str, str]]:
    """(rewrites as (anchor, from, to), surname spelling -> key) from the data file."""
    data: dict[str, Any] = yaml.safe_load(_data_path().read_text(encoding="utf-8")) or {}
    rewrites = []
    for old, new in data.get("rewrites", ()):
        anchor = "^" if old.startswith("^") else "$" if old.endswith("$") and len(old) > 1 else ""
        rewrites.append((anchor, old.strip("^$"), new))
    surnames: dict[str, str] = {}
    for spellings in data.get("surnames", ()):
        key = _plain(str(spellings[0]))
        for s in spellings:
            surnames.setdefault(_plain(str(s)), key)
    return tuple(rewrites), surnames


@lru_cache(maxsize=8192)
def _plain(name: str) -> str:
    """Lower case, combining accents off, letters only (ß, ø, ł kept for the rewrites)."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if c.isalpha()).lower()


@lru_cache(maxsize=8192)
def spelling_key(name: str) -> str:
    """One key for the spellings of one name across romanisations and diacritics."""
    rewrites, surnames = _tables()
    text = _plain(name)
    if text in surnames:
        return "=" + surnames[text]
    for anchor, old, new in rewrites:
        if anchor == "^":
            if text.startswith(old):
                text = new + text[len(old):]
        elif anchor == "$":
            if text.endswith(old):
                text = text[:-len(old)] + new
        else:
            text = text.replace(old, new)
    # Doubled letters are single in one system and double in another (Mohammed / Mohamed).
    out: list[str] = []
    for c in text:
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


@lru_cache(maxsize=1)
def _nicknames() -> dict[str, frozenset[str]]:
    """Key -> keys of the names it is a nickname of or has as a nickname (the `nicknames` package data)."""
    try:
        from nicknames import NickNamer
    except ImportError:  # pragma: no cover - a declared dependency; without it no nickname evidence
        return {}
    namer = NickNamer()
    out: dict[str, set[str]] = {}
    for canonical, nicks in namer.nickname_lookup.items():
        for nick in nicks:
            a, b = spelling_key(canonical), spelling_key(nick)
            out.setdefault(a, set()).add(b)
            out.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in out.items()}


def nickname_pair(a: str, b: str) -> bool:
    """One is a nickname of the other (Bill / William, Tony / Antony)."""
    return spelling_key(b) in _nicknames().get(spelling_key(a), frozenset())


def surface_kind(a: str, b: str) -> str:
    """How two different writings of one name differ on the surface, or "" when they differ in letters.

    "case" (MERKEL / Merkel), "hyphen" (Jae-in / Jae In / Jaein), "diacritic" (Müller / Muller).
    """
    if a == b:
        return ""
    if a.lower() == b.lower():
        return "case"
    ja, jb = "".join(c for c in a if c.isalpha()), "".join(c for c in b if c.isalpha())
    if ja.lower() == jb.lower():
        return "hyphen"
    if _plain(a) == _plain(b):
        return "diacritic"
    return ""


def given_relation(a: str, b: str) -> str:
    """How two given names relate when they can name one person, else "".

    "case", "hyphen", "diacritic", "translit" (Sergei / Sergey, Mohammed / Mohamed),
    "nickname" (Bill / William), "spelling" (one slip in a name of four letters or more, or
    two in a long name that keeps its sound: Katherine / Kathrine). Initials never relate
    here; they are short forms, not variants.
    """
    if a == b or len(_plain(a)) < 2 or len(_plain(b)) < 2:
        return ""
    kind = surface_kind(a, b)
    if kind:
        return kind
    if spelling_key(a) == spelling_key(b):
        return "translit"
    if nickname_pair(a, b):
        return "nickname"
    pa, pb = _plain(a), _plain(b)
    shorter = min(len(pa), len(pb))
    edits = OSA.distance(pa, pb)
    if edits == 1 and shorter >= 4 and pa[0] == pb[0]:
        return "spelling"
    if edits == 2 and shorter >= 6 and JaroWinkler.similarity(pa, pb) >= 0.9:
        return "spelling"
    return ""
