"""Archive memory: how an archive spells each person, and the articles that spell one differently.

An article's own check (``names.variant``) sees one article. Across an archive the usual
spelling of a person is known from how many articles use it: six articles with "Chancellor
Gordon Brown" and one with "Chancellor Gordon Browne" make the seventh the odd one out.

The work is in two parts so that it runs where the data is:

* ``article_people`` runs beside the checks (on a worker, with the annotated document):
  the people an article names in full, one small record per distinct full name, with the
  span of its first mention in source offsets. Nothing else of the article travels.
* ``ArchiveMemory`` is the reduction: article counts per full name, then clusters of
  spellings by the same matcher as ``names.variant`` (``variant_pair`` with the rule's
  thresholds), compared only within one first name and one blocking key (a phonetic key or
  a one-deletion form of the surname), so its work and memory grow with the number of
  distinct names, not with the number of articles.

Only full names are remembered: "Mr Brown" alone is too common a surname to tie to one
person across an archive.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from checker.document.people import VariantSettings, fold, phonetic_keys, variant_pair

if TYPE_CHECKING:
    from checker.document import Document
    from checker.rules import RuleSpec

Key = tuple[str, str]  # (given name, surname) as written


def article_people(doc: Document) -> list[dict[str, Any]]:
    """The people an article names in full: one record per distinct (given, surname).

    Each record holds the source span of the surname in its first full mention (with line
    and column, so a finding can be written without the article at hand) and how many
    mentions of that surname spelling the article has.
    """
    layer = doc.people
    surname_uses = Counter(m.surname for m in layer.mentions if not m.candidate)
    out: dict[Key, dict[str, Any]] = {}
    for m in layer.mentions:
        if not m.is_full or m.candidate or m.non_person:
            continue
        key = (m.given, m.surname)
        if key in out:
            continue
        start, end = doc.source_span(*m.surname_span)
        line, column = doc.source.position(start)
        end_line, end_column = doc.source.position(end)
        out[key] = {"given": m.given, "surname": m.surname, "mentions": surname_uses[m.surname],
                    "start": start, "end": end, "line": line, "column": column,
                    "end_line": end_line, "end_column": end_column, "text": doc.source.text[start:end]}
    return list(out.values())


def blocking_keys(surname: str) -> set[str]:
    """Keys two spellings of one surname share when ``variant_pair`` could call them one name:
    a phonetic key (when the sound agrees) or a form with one letter deleted (one edit, a
    swap of two letters). Two-edit variants that keep no key in common are not compared."""
    folded = fold(surname)
    keys = {f"p{i}:{k}" for i, k in enumerate(phonetic_keys(surname)) if k}
    keys.add(f"d:{folded}")
    keys.update(f"d:{folded[:i]}{folded[i + 1:]}" for i in range(len(folded)))
    return keys


@dataclass(frozen=True)
class Cluster:
    """Spellings of one person's full name across the archive, the usual one first."""

    usual: Key
    forms: tuple[tuple[Key, int], ...]  # (form, articles using it), most used first
    scores: Mapping[Key, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"usual": " ".join(self.usual),
                "forms": [{"name": " ".join(k), "articles": n} for k, n in self.forms]}


@dataclass
class ArchiveMemory:
    """Article counts per full name; ``clusters()`` groups spellings of one person."""

    settings: VariantSettings
    counts: Counter[Key] = field(default_factory=Counter)
    articles: int = 0

    def add(self, people: Iterable[Mapping[str, Any]]) -> None:
        self.articles += 1
        for key in {(p["given"], p["surname"]) for p in people}:
            self.counts[key] += 1

    def clusters(self) -> list[Cluster]:
        """Spellings joined to the most used spelling they are a variant of (never chained:
        a form joins a cluster's usual spelling, so Brown, Browne, Browner stay anchored)."""
        by_given: dict[str, list[Key]] = {}
        for key in self.counts:
            by_given.setdefault(fold(key[0]), []).append(key)
        out: list[Cluster] = []
        for keys in by_given.values():
            if len(keys) < 2:
                continue
            keys.sort(key=lambda k: (-self.counts[k], k))
            roots: dict[str, list[Key]] = {}  # blocking key -> usual spellings seen so far
            members: dict[Key, list[tuple[Key, float]]] = {}
            for key in keys:
                best: tuple[float, Key] | None = None
                blocks = blocking_keys(key[1])
                candidates = {r for b in blocks for r in roots.get(b, ())}
                for root in sorted(candidates):
                    sim = variant_pair(key[1], root[1], self.settings)
                    if sim is not None and (best is None or sim.score > best[0]):
                        best = (sim.score, root)
                if best is None:
                    members[key] = []
                    for b in blocks:
                        roots.setdefault(b, []).append(key)
                else:
                    members[best[1]].append((key, best[0]))
            for root, joined in members.items():
                if joined:
                    forms = ((root, self.counts[root]), *((k, self.counts[k]) for k, _ in joined))
                    out.append(Cluster(root, tuple(forms), {k: s for k, s in joined}))
        out.sort(key=lambda c: (-sum(n for _, n in c.forms), c.usual))
        return out


@dataclass(frozen=True)
class SpellingRule:
    """The options of ``archive.spelling`` (rules/archive.yaml)."""

    min_articles: int
    max_share: float


def deviations(clusters: Iterable[Cluster], rule: SpellingRule) -> dict[Key, tuple[Cluster, float]]:
    """Spellings rare beside their cluster's usual one: form -> (cluster, similarity score)."""
    out: dict[Key, tuple[Cluster, float]] = {}
    for cluster in clusters:
        usual_count = cluster.forms[0][1]
        if usual_count < rule.min_articles:
            continue
        for key, count in cluster.forms[1:]:
            if count <= rule.max_share * usual_count:
                out[key] = (cluster, cluster.scores.get(key, 0.0))
    return out


def article_findings(people: Iterable[Mapping[str, Any]], flagged: Mapping[Key, tuple[Cluster, float]],
                     spec: RuleSpec) -> Iterator[dict[str, Any]]:
    """``archive.spelling`` findings of one article, in the JSON contract's finding shape."""
    from checker.finding import Confidence

    people = list(people)
    own = {(p["given"], p["surname"]) for p in people}
    for person in people:
        key = (person["given"], person["surname"])
        if key not in flagged:
            continue
        cluster, score = flagged[key]
        if cluster.usual in own:
            continue  # both spellings in one article: names.variant's case, not the archive's
        usual_count = cluster.forms[0][1]
        here = dict(cluster.forms)[key]
        usual = cluster.usual[1]
        message = spec.format_message(
            text=person["text"], suggestion=usual, usual=usual, usual_articles=usual_count,
            usual_full=" ".join(cluster.usual), articles=here, here=person["surname"])
        yield {"rule": spec.id, "category": spec.category, "severity": str(spec.level),
               "confidence": str(Confidence.from_score(score)),
               "start": person["start"], "end": person["end"], "line": person["line"],
               "column": person["column"], "end_line": person["end_line"], "end_column": person["end_column"],
               "text": person["text"], "suggestion": usual, "message": message, "related": [],
               "data": {"forms": "|".join(" ".join(k) for k, _ in cluster.forms),
                        "articles": "|".join(str(n) for _, n in cluster.forms)}}


def stylesheet_yaml(clusters: Iterable[Cluster], flagged: Mapping[Key, tuple[Cluster, float]]) -> str:
    """A starter style sheet (checker/stylesheet.py format) from the archive's clusters: for each
    with one most-used spelling, that full name, the others as ``wrong`` and the counts in
    ``note``; a tie is left as a comment, since the archive cannot say which is right. An
    editor reviews it before use: the majority is not always right, and two people can
    share a first name and a near-identical surname."""
    import yaml

    people = []
    ties = []
    for cluster in clusters:
        counts = ", ".join(f"'{' '.join(k)}' {n}" for k, n in cluster.forms)
        if cluster.forms[0][1] == cluster.forms[1][1]:
            ties.append(f"#   {counts}")
            continue
        wrong = [" ".join(k) for k, _ in cluster.forms[1:]]
        flags = "; flagged by archive.spelling" if any(k in flagged for k, _ in cluster.forms[1:]) else ""
        people.append({"name": " ".join(cluster.usual), "aliases": [cluster.usual[1]], "wrong": wrong,
                       "note": f"from the archive, articles per spelling: {counts}{flags}"})
    head = ("# A starter style sheet written by 'copydesk audit --stylesheet': the most used spelling of\n"
            "# each person, the others as 'wrong'. Review it before use: the majority is not always\n"
            "# right, and two people can share a first name and a near-identical surname.\n")
    body = yaml.safe_dump({"stylesheet": "Archive spellings", "people": people}, sort_keys=False,
                          allow_unicode=True)
    if ties:
        body += "# Spellings used equally often (which is right?):\n" + "\n".join(ties) + "\n"
    return head + body
