"""Perturbers for the development corpus: each makes one kind of seeded editorial error.

The interface every module in this folder follows (the builder, eval/build_corpus.py,
lists them in its PERTURBERS table):

    CATEGORY: str   # gold category: name | date | non-sequitur | boilerplate | style-sheet

    def perturb(article: Article, rng: random.Random, pool: Sequence[Article]) -> Perturbed | None

``article`` is a real corpus article (read from ../shared/corpus, never copied into the
repository) with the article date the builder chose for it; ``pool`` holds the other articles
(for intruder sentences); ``rng`` is seeded by the builder so output is deterministic.
Return None when the article offers no place for this error (no person named twice, ...).
Gold entries follow DESIGN.md: category, text, occurrence (1-based), expected, accept.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Article:
    name: str          # file stem, e.g. "politics_019"
    text: str          # headline line, blank line, body (as in the corpus)
    date: dt.date      # the article date the builder gave it


@dataclass(frozen=True)
class Perturbed:
    text: str
    findings: list[dict[str, Any]] = field(default_factory=list)
    kind: str = ""     # short label of the perturbation, for per-kind figures
