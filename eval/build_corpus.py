"""Build the labelled development corpus: seeded perturbations of real articles plus clean controls.

usage: python eval/build_corpus.py [OUT] [--corpus DIR] [--seed N] [--limit N]
                                   [--clean-share F] [--families names,dates,...]

Reads the real articles in ../shared/corpus (never copied into the repository), and writes
into OUT (default: a new temporary folder, printed on the last line) for each article
NAME.txt and NAME.gold.yaml, and MANIFEST.tsv saying what was done to each. Then

    copydesk eval OUT [--cats name] [--show-errors]

scores the checks on it. The same seed, corpus and perturbers give byte-identical output.

* Each article gets an article date (the gold file's ``date:``, which ``copydesk eval``
  passes as the default article date): the articles are BBC News of 2004-05 and carry no
  dateline, so the date is the day after the latest "weekday day month" the article names,
  in the year (2004 or 2005) where those weekdays fall right; without one, a seeded day in
  the latest year of 2004-05 the article names (2005 if none). Dates a check reads from
  the text then agree with the article date, so clean controls stay clean.
* A share ``--clean-share`` of the articles is left unchanged (clean controls, an empty
  gold list); the others are dealt round-robin to the perturber families. A family that
  finds no place for its error in an article (no person named twice ...) hands the article
  to the next family; an article no family can use becomes a clean control.
* Families are the modules eval/perturb/<family>.py listed in PERTURBERS; one that is not
  there yet is skipped with a note, so the builder works while they are being written.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import random
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `eval.perturb` and `checker` importable
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from eval.perturb import Article, Perturbed  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
# family -> module; the family's CATEGORY is the gold category it produces.
PERTURBERS = {
    "names": "eval.perturb.names",
    "dates": "eval.perturb.dates",
    "coherence": "eval.perturb.coherence",
    "boilerplate": "eval.perturb.boilerplate",
}
# About a third clean controls: enough clean words (≈ 55,000 of the 165,514) for a false-alarm
# rate per 1,000 words with a resolution of 0.02, while each family still gets ≈ 30 articles.
CLEAN_SHARE = 0.33
SEED = 20240705
YEARS = (2004, 2005)

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_DAY_DATE = re.compile(
    r"\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+(?:the\s+)?"
    r"(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>January|February|March|April|May|June|July|August|"
    r"September|October|November|December)|(?P<m2>January|February|March|April|May|June|July|August|"
    r"September|October|November|December)\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?)\b")
_YEAR = re.compile(r"\b(200[0-5])\b")


def load_family(name: str) -> Any | None:
    try:
        return importlib.import_module(PERTURBERS[name])
    except ImportError as exc:
        print(f"note: perturber family {name!r} skipped ({exc})", file=sys.stderr)
        return None


def read_corpus(folder: Path) -> list[Article]:
    """The corpus articles, sorted by name, with placeholder dates (set by ``article_date``)."""
    out = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out.append(Article(path.stem, text.rstrip("\n") + "\n", dt.date(2005, 1, 1)))
    return out


def article_date(text: str, rng: random.Random) -> dt.date:
    """A date the article can have been published on (see the module docstring)."""
    mentions = []
    for m in _DAY_DATE.finditer(text):
        month = _MONTHS.index((m.group("m1") or m.group("m2")).lower()) + 1
        mentions.append((_WEEKDAYS.index(m.group("wd").lower()), month, int(m.group("d1") or m.group("d2"))))
    if mentions:
        best: tuple[int, dt.date] | None = None
        for year in YEARS:
            days = []
            for weekday, month, day in mentions:
                try:
                    date = dt.date(year, month, day)
                except ValueError:
                    continue
                if date.weekday() == weekday:
                    days.append(date)
            if days and (best is None or len(days) > best[0]):
                best = (len(days), max(days) + dt.timedelta(days=1))
        if best is not None:
            return best[1]
    years = [int(y) for y in _YEAR.findall(text) if int(y) in YEARS]
    year = max(years) if years else YEARS[-1]
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def assign(articles: list[Article], families: list[str], rng: random.Random, clean_share: float
           ) -> list[tuple[Article, list[str]]]:
    """Each article with the families to try in order ([] for a clean control)."""
    order = list(articles)
    rng.shuffle(order)
    n_clean = round(len(order) * clean_share) if families else len(order)
    out: list[tuple[Article, list[str]]] = [(a, []) for a in order[:n_clean]]
    for i, article in enumerate(order[n_clean:]):
        first = i % len(families)
        out.append((article, families[first:] + families[:first]))
    return sorted(out, key=lambda item: item[0].name)


def gold_yaml(date: dt.date, source: str, kind: str, findings: list[dict[str, Any]]) -> str:
    header = (f"# Development corpus entry built by eval/build_corpus.py from {source} of the shared corpus.\n"
              f"# kind: {kind}\n")
    body = yaml.safe_dump({"date": date.isoformat(), "source": source, "kind": kind, "findings": findings},
                          allow_unicode=True, sort_keys=False, width=1000)
    return header + body


def build(out: Path, corpus: Path, seed: int = SEED, limit: int | None = None, clean_share: float = CLEAN_SHARE,
          families: list[str] | None = None) -> list[dict[str, str]]:
    """Write the corpus into ``out``; returns the manifest rows."""
    from checker.evaluate import load_gold

    rng = random.Random(seed)
    articles = read_corpus(corpus)
    if not articles:
        raise SystemExit(f"error: no articles (*.txt) in {corpus}")
    if limit is not None and limit < len(articles):
        articles = sorted(rng.sample(articles, limit), key=lambda a: a.name)
    # Dates come from a generator of their own so that they do not shift when families change.
    date_rng = random.Random(seed + 1)
    articles = [Article(a.name, a.text, article_date(a.text, date_rng)) for a in articles]
    modules = {}
    for name in families or list(PERTURBERS):
        if name not in PERTURBERS:
            raise SystemExit(f"error: unknown family {name!r}; families: {', '.join(PERTURBERS)}")
        module = load_family(name)
        if module is not None:
            modules[name] = module
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for article, tries in assign(articles, list(modules), rng, clean_share):
        # One generator per article, seeded from the run seed and its name: an article's
        # perturbation does not change when other articles are added or fail.
        local = random.Random(f"{seed}:{article.name}")
        result: Perturbed | None = None
        family = "clean"
        for name in tries:
            result = modules[name].perturb(article, local, articles)
            if result is not None:
                family = name
                break
        text = result.text if result is not None else article.text
        findings = [dict(f) for f in result.findings] if result is not None else []
        kind = f"{family}/{result.kind}" if result is not None and result.kind else family
        txt_path = out / f"{article.name}.txt"
        gold_path = out / f"{article.name}.gold.yaml"
        txt_path.write_text(text, encoding="utf-8")
        gold_path.write_text(gold_yaml(article.date, f"{article.name}.txt", kind, findings), encoding="utf-8")
        # A perturber that writes a gold entry the scorer would refuse is a bug: stop here.
        load_gold(str(gold_path), str(txt_path), text)
        rows.append({"name": article.name, "family": family, "kind": kind, "entries": str(len(findings)),
                     "date": article.date.isoformat()})
    with open(out / "MANIFEST.tsv", "w", encoding="utf-8") as handle:
        handle.write("name\tfamily\tkind\tentries\tdate\n")
        for row in rows:
            handle.write("\t".join(row[k] for k in ("name", "family", "kind", "entries", "date")) + "\n")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_corpus", description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", help="output folder (default: a new temporary folder)")
    parser.add_argument("--corpus", default=os.environ.get("COPYDESK_CORPUS", str(DEFAULT_CORPUS)))
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--limit", type=int, help="use this many articles (a seeded sample)")
    parser.add_argument("--clean-share", type=float, default=CLEAN_SHARE)
    parser.add_argument("--families", help=f"comma-separated subset of {', '.join(PERTURBERS)}")
    args = parser.parse_args(argv)
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="copydesk-devcorpus-"))
    families = [f.strip() for f in args.families.split(",") if f.strip()] if args.families else None
    rows = build(out, Path(args.corpus), args.seed, args.limit, args.clean_share, families)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["kind"]] = counts.get(row["kind"], 0) + 1
    print(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())), file=sys.stderr)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
