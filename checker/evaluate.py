"""Score copydesk against gold files: load and validate them, match findings, count per category.

Matching follows DESIGN.md and the reference scorer (../shared/tools/gold_score.py) so the
two give the same figures on the same run:

* a finding hits a gold entry when the category is the same and the spans overlap; an
  ``accept:`` list names other substrings that count (their first occurrence);
* for ``date`` a finding anywhere in the entry's sentence also counts;
* an entry with ``scope: place`` or ``scope: org`` is neutral: a hit is no false alarm and a
  miss costs nothing; an entry with ``alt_category`` counts in its category, and a finding of
  another category on it is no false alarm either; ``ignore_spans`` are neutral spans;
* precision counts findings (every finding on a gold entry is correct), recall counts entries;
* false alarms per 1,000 words are taken over the articles whose gold list is empty.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from checker.errors import RuleError
from checker.finding import CATEGORIES, Finding
from checker.yamlload import LineDict, LineList, iso_date, line_of, load_yaml_file, unknown_key

# The categories a gold file may use; "other" is for user rules and is never scored.
GOLD_CATEGORIES = tuple(c for c in CATEGORIES if c != "other")
GOLD_SUFFIX = ".gold.yaml"
# extractor, extractor_version, page_id: the furniture set's provenance (../shared/realworld/furniture).
TOP_KEYS = ("date", "findings", "ignore_spans", "note", "kind", "source", "extractor", "extractor_version",
            "page_id")
ENTRY_KEYS = ("category", "text", "occurrence", "expected", "accept", "needs", "note", "scope",
              "alt_category", "start", "end", "kind")
NEUTRAL_SCOPES = ("place", "org")


@dataclass(frozen=True, slots=True)
class GoldEntry:
    """One thing a careful editor would flag, located in the article text."""

    category: str
    text: str
    start: int
    end: int
    line: int  # in the gold file
    expected: str | None = None
    accept: tuple[tuple[int, int], ...] = ()
    neutral: bool = False  # scope: place|org — neither a hit nor a miss counts
    alt_category: str | None = None

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        return ((self.start, self.end),) + self.accept


@dataclass(frozen=True)
class GoldFile:
    path: str
    article: str
    date: dt.date | None
    entries: tuple[GoldEntry, ...]
    ignore_spans: tuple[tuple[int, int], ...] = ()

    @property
    def clean(self) -> bool:
        """A clean control: the editor would flag nothing in it."""
        return not self.entries


def gold_path_for(article: str) -> str:
    return os.path.splitext(article)[0] + GOLD_SUFFIX


def article_for_gold(gold: str) -> str | None:
    """The article beside a gold file (NAME.txt, .md, .html ...), if there is one."""
    from checker.document.loaders import SUPPORTED_SUFFIXES

    stem = gold[: -len(GOLD_SUFFIX)]
    for suffix in SUPPORTED_SUFFIXES:
        if os.path.isfile(stem + suffix):
            return stem + suffix
    return None


def plain_gold_article(path: str) -> str | None:
    """The article of a gold file named NAME.yaml (not .gold.yaml): an article NAME.txt, .md ...
    beside it, and a top-level ``findings:`` in the file (so a copydesk.yaml is never one)."""
    from checker.document.loaders import SUPPORTED_SUFFIXES

    stem = path[: -len(".yaml")]
    article = next((stem + s for s in SUPPORTED_SUFFIXES if os.path.isfile(stem + s)), None)
    if article is None:
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            return article if any(line.startswith("findings:") for line in handle) else None
    except (OSError, UnicodeDecodeError):
        return None


def find_occurrence(text: str, needle: str, occurrence: int) -> tuple[int, int] | None:
    index = -1
    for _ in range(occurrence):
        index = text.find(needle, index + 1)
        if index < 0:
            return None
    return index, index + len(needle)


def _entry(raw: Any, index: int, line: int | None, text: str, path: str) -> GoldEntry:
    where = raw.line_of if isinstance(raw, LineDict) else (lambda _k: line)
    prefix = f"findings[{index}]"
    if not isinstance(raw, dict):
        raise RuleError(path, line, prefix, f"must be a mapping with category and text (got {type(raw).__name__})")
    for key in raw:
        if key not in ENTRY_KEYS:
            raise unknown_key(path, where(key), f"{prefix}.{key}", [f"{prefix}.{k}" for k in ENTRY_KEYS])
    for key in ("category", "text"):
        if key not in raw:
            raise RuleError(path, line, f"{prefix}.{key}", "is required")
    category = raw["category"]
    if category not in GOLD_CATEGORIES:
        raise RuleError(path, where("category"), f"{prefix}.category",
                        f"must be one of {', '.join(GOLD_CATEGORIES)} (got {category!r})")
    needle = raw["text"]
    if not isinstance(needle, str) or not needle:
        raise RuleError(path, where("text"), f"{prefix}.text", f"must be a non-empty string (got {needle!r})")
    occurrence = raw.get("occurrence", 1)
    if isinstance(occurrence, bool) or not isinstance(occurrence, int) or occurrence < 1:
        raise RuleError(path, where("occurrence"), f"{prefix}.occurrence",
                        f"must be a whole number from 1 (got {occurrence!r})")
    for key in ("expected", "needs", "note", "kind"):
        if key in raw and raw[key] is not None and not isinstance(raw[key], str):
            raise RuleError(path, where(key), f"{prefix}.{key}", f"must be a string (got {raw[key]!r})")
    scope = raw.get("scope")
    if scope is not None and scope not in NEUTRAL_SCOPES:
        raise RuleError(path, where("scope"), f"{prefix}.scope",
                        f"must be one of {', '.join(NEUTRAL_SCOPES)} (got {scope!r})")
    alt = raw.get("alt_category")
    if alt is not None and alt not in GOLD_CATEGORIES:
        raise RuleError(path, where("alt_category"), f"{prefix}.alt_category",
                        f"must be one of {', '.join(GOLD_CATEGORIES)} (got {alt!r})")
    span: tuple[int, int] | None = None
    if "start" in raw or "end" in raw:
        start, end = raw.get("start"), raw.get("end")
        if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
            raise RuleError(path, where("start"), f"{prefix}.start", "start and end must both be whole numbers")
        if not 0 <= start <= end <= len(text) or text[start:end] != needle:
            raise RuleError(path, where("start"), f"{prefix}.start",
                            f"[{start}, {end}) of the article is {text[start:end][:40]!r}, not the entry's text")
        span = (start, end)
    else:
        span = find_occurrence(text, needle, occurrence)
        if span is None:
            count = text.count(needle)
            detail = "does not occur in the article" if count == 0 else \
                f"occurs {count} time{'s' if count != 1 else ''} in the article, not {occurrence}"
            raise RuleError(path, where("text"), f"{prefix}.text", f"{needle[:60]!r} {detail}")
    accept = raw.get("accept") or []
    if not isinstance(accept, list) or not all(isinstance(a, str) and a for a in accept):
        raise RuleError(path, where("accept"), f"{prefix}.accept", "must be a list of non-empty strings")
    alts = []
    for k, alternative in enumerate(accept):
        found = find_occurrence(text, alternative, 1)
        if found is None:
            item_line = accept.line_of(k) if isinstance(accept, LineList) else where("accept")
            raise RuleError(path, item_line, f"{prefix}.accept", f"{alternative[:60]!r} does not occur in the article")
        alts.append(found)
    return GoldEntry(category, needle, span[0], span[1], line or 0, raw.get("expected"), tuple(alts),
                     scope in NEUTRAL_SCOPES, alt)


def load_gold(path: str, article: str, text: str) -> GoldFile:
    """Validate a gold file against its article's text; errors name file, line and field."""
    data = load_yaml_file(path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise RuleError(path, getattr(data, "line", 1), None, "a gold file must be a mapping with a 'findings' list")
    for key in data:
        if key not in TOP_KEYS:
            raise unknown_key(path, line_of(data, key), key, TOP_KEYS)
    date = iso_date(data, "date", path)
    raw_entries = data.get("findings")
    if raw_entries is None:
        raw_entries = []
    if not isinstance(raw_entries, list):
        raise RuleError(path, line_of(data, "findings"), "findings", "must be a list (empty for a clean article)")
    entries = tuple(
        _entry(raw, i, raw_entries.line_of(i) if isinstance(raw_entries, LineList) else None, text, path)
        for i, raw in enumerate(raw_entries))
    ignore = data.get("ignore_spans") or []
    if not isinstance(ignore, list):
        raise RuleError(path, line_of(data, "ignore_spans"), "ignore_spans", "must be a list of {start, end}")
    spans = []
    for i, item in enumerate(ignore):
        if not (isinstance(item, dict) and isinstance(item.get("start"), int) and isinstance(item.get("end"), int)
                and 0 <= item["start"] <= item["end"] <= len(text)):
            raise RuleError(path, line_of(ignore, i), f"ignore_spans[{i}]",
                            "must be {start: N, end: M} within the article")
        spans.append((item["start"], item["end"]))
    return GoldFile(path, article, date, entries, tuple(spans))


def collect(paths: Iterable[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """(article, gold file) pairs from files and folders, sorted; and the problems seen.

    A folder contributes every article with a gold file beside it; an article named on the
    command line must have one; a gold file named brings its article.
    """
    from checker.document.loaders import SUPPORTED_SUFFIXES

    pairs: dict[str, str] = {}
    problems: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if name.endswith(GOLD_SUFFIX):
                        full = os.path.join(root, name)
                        article = article_for_gold(full)
                        if article is None:
                            problems.append(f"{full}: no article beside this gold file")
                        else:
                            pairs[article] = full
                    elif name.endswith(".yaml"):
                        # NAME.yaml beside NAME.txt with a findings list: the furniture set's
                        # layout (../shared/realworld/furniture/dev/004.yaml); .gold.yaml wins.
                        full = os.path.join(root, name)
                        article = plain_gold_article(full)
                        if article is not None:
                            pairs.setdefault(article, full)
        elif path.endswith(GOLD_SUFFIX) and os.path.isfile(path):
            article = article_for_gold(path)
            if article is None:
                problems.append(f"{path}: no article beside this gold file")
            else:
                pairs[article] = path
        elif os.path.isfile(path) and os.path.splitext(path)[1].lower() in SUPPORTED_SUFFIXES:
            gold = gold_path_for(path)
            if os.path.isfile(gold):
                pairs[path] = gold
            else:
                problems.append(f"{path}: no gold file ({os.path.basename(gold)}) beside it")
        else:
            problems.append(f"{path}: no such article, gold file or folder")
    return sorted(pairs.items()), problems


# ----- matching ------------------------------------------------------------------------------

def sentence_of(text: str, pos: int) -> tuple[int, int]:
    """The sentence around ``pos`` as the reference scorer cuts it (at '. ' and line breaks)."""
    a = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos))
    ends = [x for x in (text.find(". ", pos), text.find("\n", pos)) if x >= 0]
    b = min(ends) if ends else len(text)
    return a + 1, b + 1


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class Tally:
    tp: int = 0       # gold entries found
    fn: int = 0       # gold entries missed
    correct: int = 0  # findings on a gold entry
    fp: int = 0       # findings on nothing

    @property
    def precision(self) -> float | None:
        return self.correct / (self.correct + self.fp) if self.correct + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p and r:
            return 2 * p * r / (p + r)
        return 0.0 if p is not None and r is not None else None

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.fn += other.fn
        self.correct += other.correct
        self.fp += other.fp


@dataclass(frozen=True)
class Error:
    """A miss or a false alarm, with where it is and the sentence around it, for people."""

    kind: str  # "miss" or "false alarm"
    path: str
    category: str
    start: int
    end: int
    text: str
    sentence: str
    rule: str = ""
    expected: str | None = None
    line: int = 0
    column: int = 0


@dataclass
class Evaluation:
    categories: tuple[str, ...]
    tallies: dict[str, Tally]
    articles: int = 0
    words: int = 0
    clean_articles: int = 0
    clean_words: int = 0
    clean_fp: int = 0
    errors: list[Error] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def overall(self) -> Tally:
        total = Tally()
        for c in self.categories:
            total.add(self.tallies[c])
        return total

    @property
    def fp_per_1k(self) -> float | None:
        return 1000 * self.clean_fp / self.clean_words if self.clean_words else None


def score_file(gold: GoldFile, text: str, findings: Sequence[Finding], categories: Sequence[str],
               evaluation: Evaluation, position: Any = None) -> None:
    """Match one article's findings against its gold entries and add to ``evaluation``."""
    finds = [f for f in findings if f.category in categories]
    neutral = list(gold.ignore_spans)
    scored: list[GoldEntry] = []
    for entry in gold.entries:
        if entry.category not in categories:
            continue
        if entry.neutral:
            neutral.extend(entry.spans)
            continue
        if entry.alt_category:
            neutral.extend(entry.spans)
        scored.append(entry)
    used: list[bool | None] = [False] * len(finds)
    for entry in scored:
        tally = evaluation.tallies[entry.category]
        sentences = [sentence_of(text, s[0]) for s in entry.spans] if entry.category == "date" else []
        hit = False
        for k, f in enumerate(finds):
            if f.category != entry.category:
                continue
            span = (f.start, f.end)
            if any(_overlap(span, s) for s in entry.spans) or any(_overlap(span, s) for s in sentences):
                hit = True
                used[k] = True
        if hit:
            tally.tp += 1
        else:
            tally.fn += 1
            evaluation.errors.append(_error("miss", gold.article, entry.category, entry.start, entry.end,
                                            entry.text, text, position, expected=entry.expected))
    for k, f in enumerate(finds):
        if not used[k] and any(_overlap((f.start, f.end), z) for z in neutral):
            used[k] = None
            continue
        if used[k]:
            evaluation.tallies[f.category].correct += 1
        else:
            evaluation.tallies[f.category].fp += 1
            evaluation.errors.append(_error("false alarm", gold.article, f.category, f.start, f.end, f.text,
                                            text, position, rule=f.rule, expected=f.suggestion))
    words = len(text.split())
    evaluation.articles += 1
    evaluation.words += words
    if gold.clean:
        evaluation.clean_articles += 1
        evaluation.clean_words += words
        evaluation.clean_fp += sum(1 for u in used if u is False)


def _error(kind: str, path: str, category: str, start: int, end: int, found: str, text: str,
           position: Any, rule: str = "", expected: str | None = None) -> Error:
    a, b = sentence_of(text, start)
    line, column = position(start) if position else (0, 0)
    return Error(kind, path, category, start, end, found, " ".join(text[a:b].split()), rule, expected, line, column)


def evaluate(paths: Sequence[str], *, categories: Sequence[str] = GOLD_CATEGORIES, config: str | None = None,
             date: dt.date | None = None, jobs: int = 1, overrides: Mapping[str, Any] | None = None,
             cache: bool = True) -> Evaluation:
    """Check the articles that have gold files under ``paths`` and score them.

    Each article gets its gold file's ``date:`` as its default article date (as ``--date``
    would give it); ``date`` is the fallback for gold files without one.
    """
    import time

    from checker.engine import check_paths
    from checker.source import read_source

    pairs, problems = collect(paths)
    evaluation = Evaluation(tuple(categories), {c: Tally() for c in categories}, problems=problems)
    golds: list[GoldFile] = []
    for article, gold_path in pairs:
        source = read_source(article)  # an unreadable article is the user's error: InputError
        golds.append(load_gold(gold_path, article, source.text))
    dates = {g.article: g.date for g in golds if g.date is not None}
    started = time.perf_counter()
    result = check_paths([g.article for g in golds], config=config, date=date, jobs=jobs,
                         overrides=overrides, dates=dates, cache=cache)
    evaluation.seconds = time.perf_counter() - started
    by_path = {f.path: f for f in result.files}
    for gold in golds:
        checked = by_path.get(gold.article)
        if checked is None or checked.source is None:
            evaluation.problems.append(f"{gold.article}: not checked: {checked.error if checked else 'missing'}")
            continue
        if checked.error:
            evaluation.problems.append(f"{gold.article}: {checked.error}")
        score_file(gold, checked.source.text, checked.findings, categories, evaluation, checked.source.position)
    return evaluation


# ----- output ------------------------------------------------------------------------------------

def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _row(name: str, t: Tally) -> dict[str, Any]:
    return {"category": name, "tp": t.tp, "fp": t.fp, "fn": t.fn, "correct": t.correct,
            "precision": t.precision, "recall": t.recall, "f1": t.f1}


def as_dict(ev: Evaluation, show_errors: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "version": 1,
        "categories": [_row(c, ev.tallies[c]) for c in ev.categories],
        "overall": _row("overall", ev.overall),
        "articles": ev.articles,
        "words": ev.words,
        "clean": {"articles": ev.clean_articles, "words": ev.clean_words, "false_alarms": ev.clean_fp,
                  "per_1k_words": ev.fp_per_1k},
        "cost": {"seconds": round(ev.seconds, 3),
                 "words_per_second": round(ev.words / ev.seconds) if ev.seconds else None},
        "problems": ev.problems,
    }
    if show_errors:
        out["errors"] = [{"kind": e.kind, "path": e.path, "line": e.line, "column": e.column,
                          "category": e.category, "rule": e.rule, "start": e.start, "end": e.end,
                          "text": e.text, "expected": e.expected, "sentence": e.sentence} for e in ev.errors]
    return out


def render_text(ev: Evaluation, show_errors: bool = False) -> str:
    lines = [f"{'category':14s} {'TP':>4s} {'FP':>4s} {'FN':>4s} {'precision':>9s} {'recall':>6s} {'F1':>5s}"]
    for name, t in [(c, ev.tallies[c]) for c in ev.categories] + [("overall", ev.overall)]:
        lines.append(f"{name:14s} {t.tp:4d} {t.fp:4d} {t.fn:4d} {_fmt(t.precision):>9s} "
                     f"{_fmt(t.recall):>6s} {_fmt(t.f1):>5s}")
    lines.append(f"clean articles: {ev.clean_fp} false alarm{'s' if ev.clean_fp != 1 else ''} in "
                 f"{ev.clean_words} words of {ev.clean_articles} articles = {_fmt(ev.fp_per_1k)} per 1,000 words")
    rate = f" ({ev.words / ev.seconds:.0f} words/s)" if ev.seconds else ""
    lines.append(f"checked {ev.articles} articles, {ev.words} words in {ev.seconds:.1f} s{rate}")
    for problem in ev.problems:
        lines.append(f"problem: {problem}")
    if show_errors and ev.errors:
        lines.append("")
        for e in sorted(ev.errors, key=lambda e: (e.path, e.start, e.kind)):
            what = f"missed {e.category}" if e.kind == "miss" else f"false {e.category} ({e.rule})"
            hint = f" (expected {e.expected!r})" if e.expected else ""
            lines.append(f"{e.path}:{e.line}:{e.column}: {what}: {e.text[:80]!r}{hint}")
            lines.append(f"    {e.sentence[:300]}")
    return "\n".join(lines) + "\n"


def render_markdown(ev: Evaluation, **_: Any) -> str:
    """The README table: per category and overall, then the clean-article false-alarm rate."""
    lines = ["| category | TP | FP | FN | precision | recall | F1 |", "|---|---:|---:|---:|---:|---:|---:|"]
    for name, t in [(c, ev.tallies[c]) for c in ev.categories] + [("**overall**", ev.overall)]:
        lines.append(f"| {name} | {t.tp} | {t.fp} | {t.fn} | {_fmt(t.precision)} | {_fmt(t.recall)} | {_fmt(t.f1)} |")
    lines.append("")
    lines.append(f"False alarms on clean articles: {ev.clean_fp} in {ev.clean_words:,} words of "
                 f"{ev.clean_articles} articles = {_fmt(ev.fp_per_1k)} per 1,000 words.")
    return "\n".join(lines) + "\n"


def render(fmt: str, ev: Evaluation, show_errors: bool = False) -> str:
    import json

    if fmt == "json":
        return json.dumps(as_dict(ev, show_errors), ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        return render_markdown(ev)
    return render_text(ev, show_errors)
