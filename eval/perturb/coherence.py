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
    splittable = [i for i, p in enumerate(body) if len(split_sentences(p)) >= 2]
    kind = "boundary" if not splittable or rng.random() < 0.5 else "mid"
    if kind == "boundary":
        # Never before the first paragraph: the lead is where the story is set up.
        at = rng.randint(1, len(body))
        body = body[:at] + [intruder] + body[at:]
    else:
        index = rng.choice(splittable)
        sents = split_sentences(body[index])
        cut = rng.randint(1, len(sents))
        body = list(body)
        body[index] = " ".join(sents[:cut] + [intruder] + sents[cut:])
    text = head + "\n\n" + "\n\n".join(body) + "\n"
    gold = {"category": CATEGORY, "text": intruder, "occurrence": 1,
            "note": f"sentence inserted from another article ({kind})"}
    return Perturbed(text=text, findings=[gold], kind=kind)
