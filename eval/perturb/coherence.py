"""Perturber for non-sequiturs: insert one sentence taken from another article of the pool.

The intrusion task of Shen et al., "Evaluating Document Coherence Modelling" (TACL 2021,
the INSteD set), made the way newsroom accidents make it: a sentence of another story
lands either as a paragraph of its own between two paragraphs ("boundary", a bad merge or
a CMS paste) or between two sentences of a paragraph ("mid", a rewriter's invention, as
the California sentence of seeds/pentagon-talks.txt).

The intruder is a sentence of 8 to 40 words of its own article. ``plain`` intruders are
also declarative sentences with no quotation marks and no opening pronoun or connective
("He said ...", "But ..."): what a careful editor would flag with confidence. Intruders
that are not ``plain`` are taken as they come (three in ten of the corpus's sentences
open on a pronoun or connective, two in ten quote someone): accidents do not choose their
sentence, and the seed's own intruder opens on "It". A set of plain intruders alone
taught the model that such an opener never starts an intruder.
"""
from __future__ import annotations

import random
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval.perturb import Article, Perturbed

CATEGORY = "non-sequitur"

MIN_WORDS = 8
MAX_WORDS = 40
# Sentences opening with these lean on the sentence before them in their own article.
_ANAPHORIC = {
    "he", "she", "it", "they", "we", "i", "you", "this", "these", "those", "that", "his", "her",
    "its", "their", "but", "and", "or", "so", "yet", "however", "also", "meanwhile", "instead",
    "still", "then", "there", "here", "such", "both", "neither", "nor", "another", "other",
    "others", "the former", "the latter", "mr", "mrs", "ms", "dr",
}
# Double quotes of any kind, an opening single quote: the sentence quotes someone.
_QUOTE = re.compile(r"[\"\u201c\u201d\u2018]|(?:^|\s)'")
# A sentence ends at . ! or ? (optionally closed by a quote or bracket) before a capital.
_SENT_END = re.compile(r"(?<=[.!?])[\"\u201d\u2019)]?\s+(?=[\"\u201c\u2018(]?[A-Z0-9])")


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph (a plain splitter: BBC copy writes "Mr" without a point)."""
    out = []
    pos = 0
    for m in _SENT_END.finditer(paragraph):
        piece = paragraph[pos:m.start()].strip() + paragraph[m.start():m.end()].strip()
        if piece.strip():
            out.append(piece.strip())
        pos = m.end()
    tail = paragraph[pos:].strip()
    if tail:
        out.append(tail)
    return out


def paragraphs(text: str) -> tuple[str, list[str]]:
    """The headline line and the body paragraphs of a corpus article."""
    parts = [p.strip() for p in text.strip().split("\n\n") if p.strip()]
    return parts[0], parts[1:]


def good_intruder(sentence: str, plain: bool = True) -> bool:
    words = sentence.split()
    if not MIN_WORDS <= len(words) <= MAX_WORDS or sentence[-1:] not in ".!?":
        return False
    if not plain:
        return True
    if _QUOTE.search(sentence):
        return False
    first = words[0].strip(",").lower()
    two = " ".join(words[:2]).lower()
    return first not in _ANAPHORIC and two not in _ANAPHORIC


def candidates(article: Article, plain: bool = True) -> list[str]:
    _, body = paragraphs(article.text)
    return [s for p in body for s in split_sentences(p) if good_intruder(s, plain)]


def perturb(article: Article, rng: random.Random, pool: Sequence[Article], plain: bool = True) -> Perturbed | None:
    head, body = paragraphs(article.text)
    if len(body) < 3:
        return None
    donors = [a for a in pool if a.name != article.name]
    if not donors:
        return None
    intruder = ""
    for _ in range(10):
        options = candidates(rng.choice(donors), plain)
        if options:
            pick = rng.choice(options)
            if pick not in article.text:
                intruder = pick
                break
    if not intruder:
        return None
    text, kind = _insert(head, body, intruder, rng)
    gold = {"category": CATEGORY, "text": intruder, "occurrence": 1,
            "note": f"sentence inserted from another article ({kind})"}
    return Perturbed(text=text, findings=[gold], kind=kind)


# ----- the kinds of intruder that real rewrites make (issue 17) -----------------------------
# Each is built from real text where the issue names a source: captions of real pages (the
# furniture set, ../shared/realworld/furniture: its dev pages for the tune half, its holdout
# pages for the held-out half), sentences of other BBC articles, names of other articles.
# Broadcast leftovers and filler verdicts have no such source: their frames are ours, half
# used for each half (so the held-out half never sees a tuned frame), filled with the names
# and places of other articles. Figures on them are upper bounds.
REAL_KINDS = ("caption", "broadcast", "filler", "swap", "other")
BROADCAST_FRAMES = (
    ("Let's go live to our correspondent in {place}.",
     "We'll have more on that story from {place} after the break.",
     "You're watching the news, and now we cross live to {place}.",
     "Our reporter {person} is standing by in {place} with the latest."),
    ("Our correspondent {person} joins us now from {place}.",
     "Stay with us for the latest from {place} after these messages.",
     "Now over to {person} in the studio for the rest of the day's headlines.",
     "And we can go straight to {place}, where our reporter is following events."),
)
FILLER_FRAMES = (
    ("Which is just as well.", "And that is saying something.", "Make of that what you will.",
     "Which says it all, really.", "Time will tell."),
    ("So there you have it.", "Which is no bad thing.", "Nobody should be surprised by that.",
     "And so it goes.", "That much is obvious."),
)
# Credit and source tails of a caption line ("...Credit...Doug Mills/The New York Times").
_CREDIT = re.compile(r"\s*(?:Credit\W|Photo(?:graph)?:|Image:|Picture:|\((?:Photo|Image|Credit)|\|"
                     r"|Getty Images|\bAP Photo|\(AP\)|\(Reuters\)|\(AFP\)).*$", re.S)


def caption_sentences(furniture: Path, split: str) -> list[str]:
    """Caption lines of the furniture set's English pages of ``split`` (dev, holdout), each
    made a sentence: credit tail cut, a full stop added; 6 to 40 words."""
    import csv

    with (furniture / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        english = {row["file"] for row in csv.DictReader(fh, delimiter="\t") if row["lang"] == "en"}
    out: list[str] = []
    with (furniture / "labels.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["split"] != split or row["file"] not in english or "caption" not in row["kind"]:
                continue
            text = (furniture / split / f"{row['file']}.txt").read_text(encoding="utf-8")
            line = _CREDIT.sub("", text[int(row["start"]):int(row["end"])]).strip()
            line = re.sub(r"\s*\([^)]*\)\s*$", "", line).rstrip(" ,;:-\u2014")
            if not line or not line[0].isupper() or not MIN_WORDS - 2 <= len(line.split()) <= MAX_WORDS:
                continue
            if line[-1] not in ".!?":
                line += "."
            if line not in out:
                out.append(line)
    return out


def _names(nlp: Any, text: str, labels: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in nlp(text).ents if e.label_ in labels and len(e.text) > 2]


def _insert(head: str, body: list[str], sentence: str, rng: random.Random) -> tuple[str, str]:
    """The article with ``sentence`` at a paragraph boundary or mid-paragraph, and where.
    Never before the first paragraph: the lead is where the story is set up."""
    splittable = [i for i, p in enumerate(body) if len(split_sentences(p)) >= 2]
    where = "boundary" if not splittable or rng.random() < 0.5 else "mid"
    if where == "boundary":
        at = rng.randint(1, len(body))
        body = body[:at] + [sentence] + body[at:]
    else:
        index = rng.choice(splittable)
        sents = split_sentences(body[index])
        cut = rng.randint(1, len(sents))
        body = list(body)
        body[index] = " ".join(sents[:cut] + [sentence] + sents[cut:])
    return head + "\n\n" + "\n\n".join(body) + "\n", where


def perturb_kind(article: Article, kind: str, rng: random.Random, pool: Sequence[Article], *,
                 captions: Sequence[str], half: int, nlp: Any) -> Perturbed | None:
    """One intruder of ``kind`` (one of REAL_KINDS) in ``article``. ``half`` (0 tune, 1 held
    out) picks the frames; ``nlp`` is a spaCy pipeline with NER (names of other articles)."""
    head, body = paragraphs(article.text)
    if len(body) < 3:
        return None
    donors = [a for a in pool if a.name != article.name]
    sentence = ""
    if kind == "other":
        for _ in range(10):
            options = candidates(rng.choice(donors), plain=False)
            if options and (pick := rng.choice(options)) not in article.text:
                sentence = pick
                break
    elif kind == "caption":
        sentence = rng.choice(list(captions))
    elif kind == "filler":
        sentence = rng.choice(FILLER_FRAMES[half])
    elif kind == "broadcast":
        for _ in range(10):
            found = _names(nlp, rng.choice(donors).text, ("PERSON", "GPE"))
            places = [n for n, label in found if label == "GPE" and n not in article.text]
            people = [n for n, label in found if label == "PERSON" and len(n.split()) >= 2 and n not in article.text]
            if places and people:
                frame = rng.choice(BROADCAST_FRAMES[half])
                sentence = frame.format(place=rng.choice(places), person=rng.choice(people))
                break
    elif kind == "swap":
        return _swap(article, head, body, rng, donors, nlp)
    if not sentence:
        return None
    text, where = _insert(head, body, sentence, rng)
    return Perturbed(text=text, kind=kind, findings=[{
        "category": CATEGORY, "text": sentence, "occurrence": 1,
        "note": f"{kind} intruder ({where})"}])


def _swap(article: Article, head: str, body: list[str], rng: random.Random, donors: Sequence[Article],
          nlp: Any) -> Perturbed | None:
    """A sentence of the article whose subject (a person, place or organisation named in its
    first words) is swapped for a name of the same kind from another article, found nowhere
    in this one."""
    spots = []
    for p_index, para in enumerate(body):
        for s_index, sentence in enumerate(split_sentences(para)):
            if not MIN_WORDS <= len(sentence.split()) <= MAX_WORDS:
                continue
            doc = nlp(sentence)
            for e in doc.ents:
                if e.label_ in ("PERSON", "GPE", "ORG") and e.start <= 2:
                    spots.append((p_index, s_index, sentence, e.text, e.label_))
                    break
    rng.shuffle(spots)
    for p_index, s_index, sentence, name, label in spots:
        for _ in range(5):
            others = [n for n, lab in _names(nlp, rng.choice(donors).text, (label,))
                      if n not in article.text and n.split()[-1] not in article.text]
            if others:
                new = sentence.replace(name, rng.choice(others), 1)
                sents = split_sentences(body[p_index])
                sents[s_index] = new
                body = list(body)
                body[p_index] = " ".join(sents)
                text = head + "\n\n" + "\n\n".join(body) + "\n"
                return Perturbed(text=text, kind="swap", findings=[{
                    "category": CATEGORY, "text": new, "occurrence": 1,
                    "note": f"swap intruder: '{name}' replaced ({label})"}])
    return None
