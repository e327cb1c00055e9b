"""Person mentions, harvested beyond NER, with exact spans, and the people they refer to.

spaCy's small English model misses people that news copy makes obvious: it finds no
PERSON in "Undersecretary of Defense Eli Ratner" and tags "Meiners said" as an ORG
(seeds/pentagon-talks.txt). So a mention is a run of capitalised proper-noun tokens that
is a PERSON entity *or* behaves like a person: it follows a title or honorific ("Lt. Col.",
"Secretary", "Mr", "spokesman"), it is the subject of a speech verb ("Kahl said", "said
Meiners"), the object of "told", a possessive, or stands in apposition to a role noun.

The layer keeps every mention's span in document-text offsets and groups mentions by
exact reference (news style: full name first, surname after). Fuzzy grouping of variant
spellings (``find_variants``) takes its thresholds from the caller's rule options.

Word lists here are English grammar of news copy (honorifics, titles, speech verbs), not
tunable thresholds; a rule pack adds its own with ``extra_titles``.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import jellyfish
from rapidfuzz.distance import OSA, JaroWinkler

from checker.document.namekeys import spelling_key

if TYPE_CHECKING:
    from spacy.tokens import Token

    from checker.document import Document

# Honorifics and titles that precede a name ("Mr Law", "Lt. Col. Martin Meiners").
HONORIFICS = frozenset("""
mr mrs ms miss mx dr prof professor sir dame lord lady baroness baron earl duke duchess
rev reverend fr father sister brother rabbi imam sheikh ayatollah
""".split())
TITLES = frozenset("""
president vice prime minister secretary undersecretary under deputy assistant chancellor
ambassador envoy senator sen rep representative congressman congresswoman governor gov mayor
judge justice king queen prince princess pope cardinal bishop archbishop emperor empress
chairman chairwoman chair chief director commissioner inspector superintendent constable
general gen lt lieutenant col colonel maj major capt captain cmdr commander adm admiral
sgt sergeant cpl corporal pte private marshal brig brigadier officer agent detective
spokesman spokeswoman spokesperson adviser advisor aide official executive boss leader
coach manager striker midfielder defender goalkeeper keeper winger forward captain skipper
player champion star singer actor actress director producer writer author novelist
journalist editor correspondent reporter analyst economist strategist professor lecturer
founder owner chief-executive ceo cfo coo mp mep mps peer councillor candidate rival
counterpart colleague partner wife husband son daughter brother mother father
""".split()) | HONORIFICS
# Words that finish a title after "of"/"for": "Secretary of Defense", "Minister for Europe".
DEPARTMENTS = frozenset("""
defense defence state treasury health education justice commerce energy agriculture labor
labour interior transportation transport homeland security foreign affairs trade industry
culture sport sports media environment finance economy home office culture communications
housing police immigration policy staff army navy air force marines armed forces
""".split())
# Verbs whose subject (or, for tell/ask, object) is a person in news copy.
SPEECH_VERBS = frozenset("""
say tell add state claim insist argue explain warn note write ask reply announce confirm
deny admit believe describe accuse urge suggest predict recall acknowledge complain agree
disagree tweet told said says saying added stressed stress emphasise emphasize reveal
comment respond concede declare maintain point think feel hope want
""".split())
OBJECT_VERBS = frozenset("tell ask inform thank urge accuse interview quote".split())
ROLE_DEPS = frozenset({"appos"})
# Particles inside a name ("Leonardo da Vinci", "Ludwig van Beethoven").
PARTICLES = frozenset("da de del della der di du la le van von bin ibn al el ter den dos das".split())
# Entities that are not people; a run inside one needs a title to count as a person.
NON_PERSON = frozenset({"GPE", "ORG", "NORP", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART",
                        "LAW", "LANGUAGE", "DATE", "TIME", "MONEY", "QUANTITY", "PERCENT",
                        "ORDINAL", "CARDINAL"})
PLACE_LIKE = NON_PERSON - {"ORG", "PRODUCT", "WORK_OF_ART"}
PROSE_KINDS = ("body", "list", "table", "caption", "quote")


@dataclass(frozen=True, slots=True)
class Mention:
    """One mention of a person: ``[start, end)`` in document text, its name parts and evidence."""

    start: int
    end: int
    text: str
    parts: tuple[tuple[int, int, str], ...]  # (start, end, text) of each name token
    evidence: frozenset[str]  # ner, title, speech, object, possessive, appos
    title: str = ""  # the title or role phrase right before the name, lower-cased
    title_span: tuple[int, int] | None = None  # its span in document text
    honorific: str = ""  # mr, ms, lord ... when the name follows one
    non_person: bool = False  # the run lies in a non-PERSON entity (ORG, GPE ...)

    @property
    def is_full(self) -> bool:
        return len(self.parts) >= 2

    @property
    def surname(self) -> str:
        return self.parts[-1][2]

    @property
    def surname_span(self) -> tuple[int, int]:
        return self.parts[-1][0], self.parts[-1][1]

    @property
    def given(self) -> str:
        return self.parts[0][2] if self.is_full else ""

    @property
    def strong(self) -> bool:
        """Evidence that does not rest on a speech verb alone."""
        return bool(self.evidence & {"ner", "title"}) and not (self.non_person and "title" not in self.evidence)

    @property
    def candidate(self) -> bool:
        """A bare proper noun with nothing to say it names a person."""
        return "propn" in self.evidence


@dataclass(frozen=True, slots=True)
class Person:
    """Mentions that refer to one person by exact spelling: a full name and its short forms."""

    name: str  # the first full form, else the bare form
    mentions: tuple[int, ...]  # indexes into PeopleLayer.mentions


@dataclass(frozen=True)
class PeopleLayer:
    """Person mentions in text order (with bare proper-noun candidates, evidence "propn"),
    and the persons they name by exact reference."""

    mentions: tuple[Mention, ...] = ()
    persons: tuple[Person, ...] = ()
    # lower-cased words that also occur in the article as ordinary lower-case words
    lower_words: frozenset[str] = field(default_factory=frozenset)

    def person_mentions(self) -> list[Mention]:
        """Mentions with evidence of a person (bare proper-noun candidates left out)."""
        return [m for m in self.mentions if not m.candidate]

    def person_of(self, index: int) -> Person | None:
        for person in self.persons:
            if index in person.mentions:
                return person
        return None


# ----- harvesting -------------------------------------------------------------------------

def _is_cap(token: Token) -> bool:
    text = token.text
    return bool(text) and text[0].isupper() and any(c.isalpha() for c in text)


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def _norm_word(text: str) -> str:
    return text.lower().rstrip(".")


def _is_nameish(token: Token, titles: frozenset[str], lower: frozenset[str] = frozenset()) -> bool:
    if not _is_cap(token) or _is_acronym(token.text) or _norm_word(token.text) in titles:
        return False
    if not all(c.isalpha() or c in "-'’." for c in token.text):
        return False
    if token.ent_type_ == "PERSON":
        return True
    if token.tag_ in ("NNP", "NNPS"):
        return True
    # The tagger calls a sentence-initial surname a plural noun ("Meiners said"): accept it
    # as the subject of a speech verb when the word never occurs in lower case.
    return (token.tag_ in ("NNS", "NN") and token.dep_ in ("nsubj", "nsubjpass") and not token.is_stop
            and token.text.lower() not in lower and _speech_role(token) == "speech")


def _title_before(tokens: Sequence[Token], start: int, titles: frozenset[str]) -> tuple[str, int | None, str]:
    """The title phrase that ends right before token ``start``: its text, first index, honorific."""
    i = start - 1
    first = None
    honorific = ""
    saw_title = False
    sent_start = tokens[start].sent.start
    while i >= sent_start:
        tok = tokens[i]
        word = _norm_word(tok.text)
        if tok.text in (".",) and i > sent_start and _norm_word(tokens[i - 1].text) in titles:
            i -= 1
            continue
        if word in titles:
            saw_title = True
            first = i
            if word in HONORIFICS and not honorific and i == start - 1:
                honorific = word
            i -= 1
            continue
        if word in DEPARTMENTS and tok.text[:1].isupper():
            first = i
            i -= 1
            continue
        if word in ("of", "for", "-") and first is not None:
            i -= 1
            continue
        if saw_title and (tok.ent_type_ in NON_PERSON or (tok.tag_ in ("NNP", "NNPS", "JJ") and _is_cap(tok))):
            first = i  # "US Treasury Secretary", "Pentagon spokesman"
            i -= 1
            continue
        break
    if not saw_title or first is None:
        return "", None, ""
    # A title is never "of Defense": trim connectors left at the front.
    while first < start and _norm_word(tokens[first].text) in ("of", "for", "-", "."):
        first += 1
    return " ".join(t.text for t in tokens[first:start]).replace(" .", ".").lower(), first, honorific


def _speech_role(root: Token) -> str:
    head = root.head
    if head is root:
        return ""
    lemma = head.lemma_.lower() or head.text.lower()
    if root.dep_ in ("nsubj", "nsubjpass") and (lemma in SPEECH_VERBS or head.text.lower() in SPEECH_VERBS):
        return "speech"
    if root.dep_ in ("dobj", "dative") and lemma in OBJECT_VERBS:
        return "object"
    return ""


def harvest_mentions(doc: Document, extra_titles: Iterable[str] = ()) -> list[Mention]:
    """Person mentions in the prose blocks of an annotated document, in text order."""
    sp = doc.spacy
    if sp is None:
        return []
    titles = TITLES | frozenset(w.lower() for w in extra_titles)
    prose = [(b.start, b.end) for b in doc.blocks if b.kind in PROSE_KINDS]
    tokens = list(sp)
    lower = frozenset(t.text for t in tokens if t.text.islower() and t.is_alpha)
    out: list[Mention] = []
    i = 0
    n = len(tokens)
    block_index = 0
    while i < n:
        tok = tokens[i]
        while block_index < len(prose) and prose[block_index][1] <= tok.idx:
            block_index += 1
        if block_index >= len(prose):
            break
        if tok.idx < prose[block_index][0] or not _is_nameish(tok, titles, lower):
            i += 1
            continue
        # A run of name tokens, particles allowed inside, never across a sentence or block.
        j = i + 1
        block_end = prose[block_index][1]
        while j < n and tokens[j].idx < block_end and not tokens[j].is_sent_start:
            if _is_nameish(tokens[j], titles, lower):
                j += 1
            elif (tokens[j].text.lower() in PARTICLES and j + 1 < n and _is_nameish(tokens[j + 1], titles)
                  and not tokens[j + 1].is_sent_start):
                j += 2
            else:
                break
        mention = _make_mention(doc, tokens, i, j, titles)
        if mention is not None:
            out.append(mention)
        i = j
    return out


def _make_mention(doc: Document, tokens: Sequence[Token], i: int, j: int,
                  titles: frozenset[str]) -> Mention | None:
    run = list(tokens[i:j])
    # Leading department words and non-person entity tokens belong to the title
    # ("Defense Eli Ratner", "Treasury Janet Yellen"), as long as a name is left.
    k = 0
    while k < len(run) - 1 and (
            (_norm_word(run[k].text) in DEPARTMENTS)
            or (run[k].ent_type_ in NON_PERSON and run[k + 1].ent_type_ == "PERSON")
            or (run[k].ent_type_ in ("NORP", "GPE") and run[k + 1].ent_iob_ != "I")
            or (run[k].ent_type_ in NON_PERSON and run[k].ent_iob_ != "I" and run[k + 1].ent_iob_ != "I"
                and run[k + 1].ent_type_ not in NON_PERSON)):
        k += 1
    run = run[k:]
    start_index = i + k
    # Names end before a possessive clitic; "Kahl's" is the name "Kahl".
    while run and run[-1].text in ("'s", "’s", "'", "’"):
        run.pop()
    if not run or len(run) > 4:
        return None
    evidence: set[str] = set()
    if any(t.ent_type_ == "PERSON" for t in run):
        evidence.add("ner")
    non_person = any(t.ent_type_ in NON_PERSON for t in run) and "ner" not in evidence
    title, first, honorific = _title_before(tokens, start_index, titles)
    if first is not None:
        evidence.add("title")
    root = run[-1]
    for t in run:
        if t.head.i < run[0].i or t.head.i > run[-1].i or t.head is t:
            root = t
            break
    role = _speech_role(root)
    if role:
        evidence.add(role)
    if root.dep_ == "poss" or (root.i + 1 < len(tokens) and tokens[root.i + 1].text in ("'s", "’s")):
        evidence.add("possessive")
    if any(c.dep_ in ROLE_DEPS and not _is_cap(c) for c in root.children):
        evidence.add("appos")
    if non_person and "title" not in evidence and not (evidence & {"speech", "object"}):
        evidence.discard("possessive")
    if not evidence:
        # A bare proper noun with no sign of a person: kept as a candidate that can only
        # join a person introduced in full ("without Campbbell" after "Sol Campbell"),
        # never when the tagger calls it a place.
        evidence.add("propn")
        if any(t.ent_type_ in PLACE_LIKE for t in run):
            evidence.add("place")  # joins a person only by a typist's slip (Rodidck)
    parts = tuple((t.idx, t.idx + len(t.text), t.text.rstrip(".")) for t in run
                  if t.text.lower() not in PARTICLES or t is run[0] or t is run[-1])
    parts = tuple(p for p in parts if p[2])
    if not parts:
        return None
    start, end = run[0].idx, run[-1].idx + len(run[-1].text)
    title_span = None
    if first is not None:
        title_span = (tokens[first].idx, tokens[start_index - 1].idx + len(tokens[start_index - 1].text))
    return Mention(start, end, doc.text[start:end], parts, frozenset(evidence), title, title_span,
                   honorific, non_person)


def extract_people(doc: Document, extra_titles: Iterable[str] = ()) -> PeopleLayer:
    """Mentions and the people they name, by exact reference (full name, then its parts)."""
    mentions = harvest_mentions(doc, extra_titles)
    lower: set[str] = set()
    if doc.spacy is not None:
        lower = {t.text for t in doc.spacy if t.text.islower() and t.is_alpha}
    persons: list[tuple[str, list[int]]] = []
    by_part: dict[str, int] = {}
    for index, m in enumerate(mentions):
        if m.is_full and not m.candidate:
            key = " ".join(p[2] for p in m.parts)
            target = next((p for p, (name, _) in enumerate(persons) if name == key), None)
            if target is None:
                target = len(persons)
                persons.append((key, []))
            persons[target][1].append(index)
            for part in m.parts:
                by_part.setdefault(part[2], target)
    for index, m in enumerate(mentions):
        if m.is_full or m.candidate:
            continue
        target = by_part.get(m.surname)
        if target is None:
            target = next((p for p, (name, _) in enumerate(persons) if name == m.surname), None)
        if target is None:
            target = len(persons)
            persons.append((m.surname, []))
        persons[target][1].append(index)
    return PeopleLayer(tuple(mentions), tuple(Person(name, tuple(sorted(ix))) for name, ix in persons),
                       frozenset(lower))


# ----- comparing names --------------------------------------------------------------------

@lru_cache(maxsize=4096)
def fold(name: str) -> str:
    """Lower case, accents off, letters only: the form names are compared in."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if c.isalpha()).lower()


@lru_cache(maxsize=4096)
def phonetic_keys(name: str) -> tuple[str, str, str]:
    """Metaphone, NYSIIS and Soundex of a name.

    Chosen by measurement on eval/names_dev.py (200 BBC articles): of 171 seeded slips,
    Metaphone agreed on 69 %, Soundex on 78 %, NYSIIS on 44 %; of 44 pairs of different
    people's names two edits apart, Match Rating agreed on 39 (so it is not used), Metaphone
    on 2, Soundex on 5, NYSIIS on 6.
    """
    folded = fold(name)
    if not folded:
        return "", "", ""
    return jellyfish.metaphone(folded), jellyfish.nysiis(folded), jellyfish.soundex(folded)


@dataclass(frozen=True, slots=True)
class Similarity:
    edits: int  # optimal string alignment distance (a transposition is one edit)
    jaro_winkler: float
    phonetic: int  # how many phonetic keys agree (Metaphone, NYSIIS, Soundex)
    length: int  # length of the shorter folded form
    kind: str = "other"  # transpose, double, vowel (one edit), diacritic, translit or other

    @property
    def score(self) -> float:
        """0..1 evidence that two spellings are one name.

        A swapped or doubled letter is a typist's slip whatever it does to the sound, so it
        counts as agreeing keys would.
        """
        closeness = max(0.0, 1.0 - self.edits / max(self.length, 1))
        phonetic = 3 if self.kind in ("transpose", "double") else self.phonetic
        return round(0.4 * closeness + 0.3 * self.jaro_winkler + 0.3 * phonetic / 3, 3)


@lru_cache(maxsize=8192)
def similarity(a: str, b: str) -> Similarity:
    fa, fb = fold(a), fold(b)
    ka, kb = phonetic_keys(a), phonetic_keys(b)
    phon = sum(1 for x, y in zip(ka, kb, strict=True) if x and x == y)
    edits = OSA.distance(fa, fb)
    return Similarity(edits, JaroWinkler.similarity(fa, fb), phon, min(len(fa), len(fb)),
                      edit_kind(fa, fb) if edits == 1 else "other")


@dataclass(frozen=True)
class VariantSettings:
    """Thresholds for calling two spellings one name; values come from rules/names.yaml."""

    min_length: int = 3
    max_edits: int = 2
    max_edit_ratio: float = 0.5
    min_phonetic: int = 1
    one_edit_min_length: int = 5
    context_one_edit_min_length: int = 4
    weak_one_edit_min_length: int = 7
    strong_phonetic: int = 2
    min_confidence: float = 0.5


@dataclass(frozen=True)
class VariantGroup:
    """Spellings judged to be one person's name, with their mentions and the canonical form."""

    forms: tuple[str, ...]  # distinct spellings, in order of first use
    mentions: Mapping[str, tuple[int, ...]]  # spelling -> indexes of mentions using it
    canonical: str | None  # None: a tie with no evidence, report the conflict
    reason: str  # "style-sheet", "introduction", "majority", "tie"
    confidence: float
    canonical_full: str = ""  # the full name the canonical form comes from, when there is one


def edit_kind(a: str, b: str) -> str:
    """What one edit between two folded spellings did: transpose, double, vowel or other."""
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1:
            return "transpose"
        if len(diff) == 1 and a[diff[0]] in "aeiouy" and b[diff[0]] in "aeiouy":
            return "vowel"
        return "other"
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long[k]), len(short))
    extra = long[i]
    if (i > 0 and long[i - 1] == extra) or (i + 1 < len(long) and long[i + 1] == extra):
        return "double"
    return "other"


def variant_pair(a: str, b: str, settings: VariantSettings, strict: bool = False,
                 relaxed: bool = False) -> Similarity | None:
    """The similarity of two spellings when they pass the thresholds, else None."""
    if a == b:
        return None
    sim = similarity(a, b)
    fa, fb = fold(a), fold(b)
    if sim.length < settings.min_length or a.lower() == b.lower():
        return None
    if fa == fb:
        # A diacritic kept in one mention and dropped in another (Niinistö / Niinisto).
        return Similarity(0, 1.0, 3, sim.length, "diacritic")
    if spelling_key(a) == spelling_key(b):
        # One name in two romanisations (Zelensky / Zelenskiy, Yoon / Yun, Ohtani / Otani):
        # the key of rules/data/name-spellings.yaml agrees, whatever the edit distance.
        return Similarity(sim.edits, sim.jaro_winkler, 3, sim.length, "translit")
    # A plural or a family ("the Cotterills", "Dems") is not a misspelling.
    if (fa + "s" == fb and not fa.endswith("s")) or (fb + "s" == fa and not fb.endswith("s")):
        return None
    if sim.edits == 0 or sim.edits > settings.max_edits:
        return None
    kind = sim.kind
    if not strict and kind in ("transpose", "double") and sim.length >= settings.context_one_edit_min_length:
        return sim
    if strict and sim.edits == 1:
        # Weak evidence (a bare proper noun, a word also used in lower case): only the
        # slips of a typist's hand count, a doubled or dropped double letter or two letters
        # swapped (Campbbell, Rodidck), or a long name losing one letter. A vowel for a
        # vowel is how different names differ (Masi / Maso, Miller / Muller).
        if kind == "vowel":
            return None
        if kind in ("transpose", "double") and sim.length >= settings.context_one_edit_min_length:
            return sim
        if sim.length >= settings.weak_one_edit_min_length:
            return sim
    # Short names change a lot with two edits (Cal / Kahl): then the sound must agree fully.
    ratio_ok = sim.edits / sim.length <= settings.max_edit_ratio
    need = settings.strong_phonetic if strict or not ratio_ok else settings.min_phonetic
    if sim.phonetic >= need:
        return sim
    # One edit in a long name is a slip whatever it does to the sound (Wilson / Wislon);
    # in a shorter one only with context, the same title on both ("Mr Bair", "Mr Blair").
    min_length = settings.context_one_edit_min_length if relaxed else settings.one_edit_min_length
    if not strict and ratio_ok and sim.edits == 1 and sim.length >= min_length:
        return sim
    return None


_MALE = frozenset({"mr", "sir", "lord", "baron", "earl", "duke", "father", "brother", "king", "prince"})
_FEMALE = frozenset({"mrs", "ms", "miss", "dame", "lady", "baroness", "duchess", "sister", "queen", "princess"})


def _genders(layer: PeopleLayer, indexes: Iterable[int]) -> set[str]:
    out = set()
    for i in indexes:
        h = layer.mentions[i].honorific
        if h in _MALE:
            out.add("m")
        elif h in _FEMALE:
            out.add("f")
    return out


def _givens_agree(mine: set[str], theirs: set[str]) -> bool:
    """Some first name in common; an initial agrees with the names it starts ("M Dawson")."""
    if mine & theirs:
        return True
    initials = {g[0] for g in mine | theirs if len(g) == 1}
    return any(len(g) == 1 and any(t[:1] == g and len(t) > 1 for t in theirs) for g in mine) or \
        any(len(g) == 1 and any(t[:1] == g and len(t) > 1 for t in mine) for g in theirs) if initials else False


def find_variants(layer: PeopleLayer, settings: VariantSettings,
                  known: Mapping[str, str] | None = None) -> list[VariantGroup]:
    """Spellings of one person's name that differ, decided from spelling, sound and context.

    ``known`` maps surnames a style sheet lists to the sheet's full name; a listed spelling
    settles which form is right (the sheet's spelling over the others). The work is over distinct
    spellings, never over tokens: an article has tens of them.
    """
    known = known or {}
    mentions = layer.mentions
    uses: dict[str, list[int]] = {}
    full_givens: dict[str, set[str]] = {}
    parts_of_full: set[str] = set()
    for index, m in enumerate(mentions):
        uses.setdefault(m.surname, []).append(index)
        if m.is_full and not m.candidate:
            full_givens.setdefault(m.surname, set()).add(m.given)
            parts_of_full.update(p[2] for p in m.parts[:-1])
    order = sorted(uses, key=lambda f: uses[f][0])
    anchors = [f for f in order if f in full_givens]
    loose = [f for f in order if f not in full_givens and f not in parts_of_full]

    def weak(form: str) -> bool:
        ms = [mentions[i] for i in uses[form]]
        return (form.lower() in layer.lower_words or all(m.non_person for m in ms)
                or not any(m.strong for m in ms))

    def acts_as_person(form: str) -> bool:
        return any(mentions[i].evidence & {"title", "speech", "object"} or mentions[i].honorific
                   for i in uses[form])

    def candidate_only(form: str) -> bool:
        return all(mentions[i].candidate for i in uses[form])

    def place_only(form: str) -> bool:
        return all("place" in mentions[i].evidence for i in uses[form])

    def givens(form: str) -> set[str]:
        return {mentions[i].given for i in uses[form] if mentions[i].is_full}

    def same_context(form: str, group: list[str]) -> bool:
        """The same honorific or title word on both sides ("Mr Bair" after "Mr Blair")."""
        mine = {mentions[i].honorific for i in uses[form]} | {w for i in uses[form] for w in mentions[i].title.split()}
        mine.discard("")
        theirs = {mentions[i].honorific for f in group for i in uses[f]}
        theirs |= {w for f in group for i in uses[f] for w in mentions[i].title.split()}
        return bool(mine & theirs)

    groups: list[list[str]] = [[a] for a in anchors]
    scores: dict[str, float] = {}
    # Two full introductions: one person only with the same first name and surnames one
    # edit apart (Kate Winslet / Kate Wnslet); John Kerry and John Kelly stay two people.
    for gi in range(len(groups)):
        for gj in range(gi + 1, len(groups)):
            if not groups[gi] or not groups[gj]:
                continue
            a, b = groups[gi][0], groups[gj][0]
            if not _givens_agree(full_givens[a], full_givens[b]) or len(_genders(layer, uses[a] + uses[b])) > 1:
                continue
            sim = variant_pair(a, b, settings, relaxed=True)
            if (sim is not None and (sim.edits == 1 or sim.phonetic >= settings.strong_phonetic)
                    and len(uses[b]) <= len(uses[a])):
                groups[gi].extend(groups[gj])
                groups[gj] = []
                scores[b] = sim.score
    groups = [g for g in groups if g]
    anchored = len(groups)
    for form in loose:
        is_candidate = candidate_only(form)
        strict = weak(form)
        best: tuple[float, int] | None = None
        tied = False
        for gi, group in enumerate(groups):
            if is_candidate and gi >= anchored:
                break  # a bare proper noun joins only a person introduced in full
            if len(_genders(layer, uses[form] + [i for f in group for i in uses[f]])) > 1:
                continue
            own_givens = givens(form)
            if own_givens and not _givens_agree(own_givens, {g for f in group for g in full_givens.get(f, ())}):
                continue  # Shane Williams is not Martyn Williams
            relaxed = not strict and same_context(form, group)
            group_best = None
            for other in group:
                if other in full_givens:
                    sim = variant_pair(form, other, settings, strict=strict, relaxed=relaxed)
                    if sim is not None and place_only(form) and sim.kind not in ("transpose", "double"):
                        sim = None  # "Jordan" the country is no slip for "Michael Jordon"
                elif not is_candidate and acts_as_person(form) and acts_as_person(other):
                    # Two forms, neither introduced: only people who speak or carry a title
                    # ("Kahl said", "Cal said"), never two NER guesses ("Hip", "Hop").
                    sim = variant_pair(form, other, settings, strict=True)
                else:
                    sim = None
                if sim is not None and (group_best is None or sim.score > group_best):
                    group_best = sim.score
            # A slip is rarer than the spelling it slips from: "Keane" four times is a
            # band, not a misspelling of "Chaka Khan" named once. A form that acts as a
            # person (speaks, carries a title) one slip or one romanisation away from a
            # full introduction is the same person's name however often it is repeated
            # ("Antony Blinken ... Blinkin said ... Blinkin", issue 13).
            if (group_best is not None and len(uses[form]) > sum(len(uses[f]) for f in group)
                    and not (acts_as_person(form) and any(
                        f in full_givens and (similarity(form, f).edits == 1 or spelling_key(form) == spelling_key(f))
                        for f in group))):
                group_best = None
            if group_best is None:
                continue
            if best is None or group_best > best[0]:
                best, tied = (group_best, gi), False
            elif group_best == best[0]:
                tied = True
        if best is None or tied:
            if not is_candidate:
                groups.append([form])
            continue
        groups[best[1]].append(form)
        scores[form] = best[0]
    out = []
    for group in groups:
        if len(group) < 2:
            continue
        forms = tuple(sorted(group, key=lambda f: uses[f][0]))
        out.append(_decide(layer, forms, uses, full_givens, known, scores, weak))
    return [g for g in out if g is not None]


def _decide(layer: PeopleLayer, forms: tuple[str, ...], uses: Mapping[str, list[int]],
            full_givens: Mapping[str, set[str]], known: Mapping[str, str], scores: Mapping[str, float],
            weak: object) -> VariantGroup | None:
    mentions = layer.mentions
    listed = [f for f in forms if f in known]
    canonical: str | None
    canonical_full = ""
    if len(listed) == 1:
        canonical, reason = listed[0], "style-sheet"
        canonical_full = known[listed[0]]
    else:
        intros = [i for f in forms for i in uses[f] if mentions[i].is_full]
        if intros:
            first = min(intros)
            canonical, reason = mentions[first].surname, "introduction"
            canonical_full = " ".join(p[2] for p in mentions[first].parts)
        else:
            counts = sorted(((len(uses[f]), f) for f in forms), reverse=True)
            if counts[0][0] > counts[1][0]:
                canonical, reason = counts[0][1], "majority"
            else:
                canonical, reason = None, "tie"
    # Confidence: how alike the spellings are, plus context. A deviating form used as a
    # person (title, speech verb) after the introduction is the news pattern of a typo.
    deviating = [f for f in forms if f != canonical]
    sim_scores = [scores.get(f, 0.0) or similarity(f, canonical or forms[0]).score for f in deviating]
    confidence = min(sim_scores) if sim_scores else 0.0
    context = 0.0
    for f in deviating:
        ms = [mentions[i] for i in uses[f]]
        if any(m.evidence & {"title", "speech", "ner"} for m in ms):
            context += 0.1
        if callable(weak) and weak(f):
            context -= 0.2
    if reason == "style-sheet":
        context += 0.1
    confidence = max(0.0, min(1.0, confidence + context / max(len(deviating), 1)))
    return VariantGroup(forms, {f: tuple(uses[f]) for f in forms}, canonical, reason, round(confidence, 3),
                        canonical_full)
