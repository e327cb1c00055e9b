"""Measure the date checks on real articles under datelines that fit them, with the forms of issue 16.

usage: python -m eval.dates_dev [--out DIR] [--corpus DIR] [--split tune|holdout|all] [--seed N] [--jobs N]

Reads the 200 BBC articles of ../shared/corpus (never copied into the repository) and writes
into DIR (default /tmp/copydesk-dates-dev):

* ``clean/``: every article unchanged under a dateline that fits it, in one of five web
  and wire formats (gold: no finding). Date findings here are false alarms, counted per
  1,000 words.
* ``errors/``: for the articles of the split, one copy per form kind the article offers a
  place for (eval/perturb/dates.py FORM_KINDS: weekday in a parenthetical, abbreviated,
  ordinal, numeric or two-digit-year date, a lead date over a weekday, impossible and
  mistyped dates, inverted ranges, tense against the dateline, a named month against
  "last month"), each with its gold entry.
* ``controls/``: the same places written correctly (gold: no finding): the precision
  controls of each form.

The fitting dateline: the day after the latest "weekday, day month" the article names, in
the year (2004 or 2005) where its weekdays fall right (eval/build_corpus.py); else the
day after the latest day-month date it names outside a future sentence, in the latest
year it names; else a week before the first date it names in a future sentence; else a
seeded day of that year. The split is by article name (a stable
hash): ``tune`` was used while writing the checks, ``holdout`` only to report.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eval.build_corpus import article_date  # noqa: E402
from eval.perturb import Article, Perturbed  # noqa: E402
from eval.perturb import dates as perturber  # noqa: E402

SHARED = ROOT.parent / "shared"
_DAY_MONTH = re.compile(r"(?<![\w/.-])(?:(?P<d1>\d{1,2}) (?P<m1>[A-Z][a-z]+)|(?P<m2>[A-Z][a-z]+) (?P<d2>\d{1,2}))\b(?! \d)")
_FUTURE = re.compile(r"\b(?:will|would|due|expected|next|plans?|scheduled|to be)\b")
_YEAR = re.compile(r"\b(2004|2005)\b")


def split_of(name: str) -> str:
    return "tune" if int(hashlib.sha256(name.encode()).hexdigest(), 16) % 2 == 0 else "holdout"


def fitting_date(text: str, rng: random.Random) -> dt.date:
    """A publication date the article's own dates agree with (see the module docstring)."""
    from_weekdays = article_date(text, random.Random(0))
    if re.search(r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),? \d{1,2} [A-Z]|"
                 r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),? [A-Z][a-z]+ \d", text):
        return from_weekdays
    years = [int(y) for y in _YEAR.findall(text)]
    year = max(years) if years else 2005
    latest: dt.date | None = None
    coming: dt.date | None = None
    for m in _DAY_MONTH.finditer(text):
        month = perturber.MONTHS.index(m.group("m1") or m.group("m2")) + 1 \
            if (m.group("m1") or m.group("m2")) in perturber.MONTHS else 0
        if not month:
            continue
        start = max(text.rfind(". ", 0, m.start()), 0)
        end = text.find(". ", m.end())
        try:
            day = dt.date(year, month, int(m.group("d1") or m.group("d2")))
        except ValueError:
            continue
        if _FUTURE.search(text[start:end if end > 0 else len(text)]):
            coming = day if coming is None or day < coming else coming
        else:
            latest = day if latest is None or day > latest else latest
    if latest is not None:
        return latest + dt.timedelta(days=1)
    if coming is not None:   # only dates ahead: a week before the first of them
        return coming - dt.timedelta(days=7)
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def with_dateline(p: Perturbed, day: dt.date, rng: random.Random) -> tuple[str, list[dict], bool]:
    """The text under a dateline for ``day``; gold occurrences shifted past the dateline; whether
    the dateline is a year-less wire one."""
    line, _date, prefix = perturber._dateline(day, rng)
    text, base = perturber._with_dateline(p.text, line, prefix)
    added = f"{line}\n\n" if line else prefix
    findings = []
    for f in p.findings:
        f = dict(f)
        f["occurrence"] += added.count(f["text"])
        findings.append(f)
    return text, findings, not line


def write(folder: Path, name: str, text: str, findings: list[dict], kind: str, wire_year: int | None) -> None:
    if wire_year is not None:
        # A year-less wire dateline is checked as an editor would run it: with the year
        # given (here by a folder configuration, as --date would), not guessed.
        folder = folder / f"wire-{wire_year}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "copydesk.yaml").write_text(f"date: {wire_year}-07-01\n", encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / f"{name}.gold.yaml").write_text(yaml.safe_dump({"kind": kind, "findings": findings},
                                                             allow_unicode=True, sort_keys=False), encoding="utf-8")


def bbc_articles(corpus: Path, seed: int) -> list[tuple[str, str, dt.date]]:
    out = []
    for path in sorted(corpus.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out.append((path.stem, text, fitting_date(text, random.Random(f"{seed}:{path.stem}"))))
    return out


def tempeval_articles(repo: Path) -> list[tuple[str, str, dt.date]]:
    """TempEval-3 platinum and TimeBank+AQUAINT documents under their creation dates (never tuned on)."""
    from eval.tempeval import TBAQ_PATH, parse_tml, platinum_docs, repo_docs

    raw = list(platinum_docs()) + (list(repo_docs(repo, TBAQ_PATH)) if repo.exists() else [])
    out = []
    for name, tml in raw:
        doc = parse_tml(name, tml)
        if doc is not None:
            body = "\n\n".join(p.strip() for p in re.split(r"\n\s*\n", doc.text) if p.strip())
            out.append((name.replace(".", "_"), f"{name}\n\n{body}\n", doc.dct))
    return out


def build(articles: list[tuple[str, str, dt.date]], out: Path, split: str, seed: int) -> None:
    for stem, text, day in articles:
        rng = random.Random(f"{seed}:{stem}")
        clean, _, wire = with_dateline(Perturbed(text), day, rng)
        write(out / "clean", stem, clean, [], "clean", day.year if wire else None)
        if split != "all" and split_of(stem) != split:
            continue
        article = Article(stem, text, day)
        for kind, make in perturber.FORM_KINDS.items():
            for correct in (False, True):
                local = random.Random(f"{seed}:{stem}:{kind}")   # same place for error and control
                result = make(article, local, correct)
                if result is None:
                    continue
                final, findings, wire = with_dateline(result, day, random.Random(f"{seed}:{stem}"))
                # Names unique across folders: the scorer pairs reports and gold files by file name.
                write(out / ("controls" if correct else "errors"), f"{stem}__{kind}__{'ok' if correct else 'err'}",
                      final, findings, result.kind, day.year if wire else None)


def check(out: Path, subs: list[str], jobs: int) -> Path:
    report = out / f"{'+'.join(subs)}.json"
    with open(report, "w", encoding="utf-8") as handle:
        subprocess.run([sys.executable, "-m", "checker", "check", "--format", "json", "--jobs", str(jobs),
                        "--disable", "all", "--enable", "dates", *(str(out / s) for s in subs)],
                       stdout=handle, check=False, cwd=out)
    return report


def score(report: Path, out: Path, subs: list[str]) -> dict:
    golds = sorted(str(p) for s in subs for p in (out / s).rglob("*.gold.yaml"))
    proc = subprocess.run([sys.executable, str(SHARED / "tools" / "gold_score.py"), str(report), *golds,
                           "--cats", "date", "--json"], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout[proc.stdout.index("{"):])


def per_kind(report: Path, out: Path) -> dict[str, list[int]]:
    """kind -> [seeded, found, control copies, controls flagged] from the gold files and the report."""
    data = json.loads(report.read_text(encoding="utf-8"))
    flagged = {Path(f["path"]).name: [x for x in f["findings"] if x["category"] == "date"] for f in data["files"]}
    rows: dict[str, list[int]] = {}
    for sub in ("errors", "controls"):
        for gold in sorted((out / sub).rglob("*.gold.yaml")):
            meta = yaml.safe_load(gold.read_text(encoding="utf-8"))
            name = gold.name.replace(".gold.yaml", ".txt")
            text = (gold.parent / name).read_text(encoding="utf-8")
            row = rows.setdefault(meta["kind"], [0, 0, 0, 0])
            found = flagged.get(name, [])
            if sub == "errors":
                for entry in meta["findings"]:
                    row[0] += 1
                    pos = -1
                    for _ in range(entry["occurrence"]):
                        pos = text.find(entry["text"], pos + 1)
                    row[1] += any(x["start"] < pos + len(entry["text"]) + 200 and pos - 200 < x["end"] for x in found)
            else:
                row[2] += 1
                row[3] += bool(found)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dates_dev", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="/tmp/copydesk-dates-dev")
    parser.add_argument("--corpus", default=os.environ.get("COPYDESK_CORPUS", str(SHARED / "corpus")))
    parser.add_argument("--split", choices=("tune", "holdout", "all"), default="tune")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--source", choices=("bbc", "tempeval"), default="bbc",
                        help="bbc: ../shared/corpus; tempeval: TempEval-3 platinum + TBAQ (all held out)")
    parser.add_argument("--repo", default="/work/.mirror/qiangning+StructTempRel-EMNLP17/repo",
                        help="the fetched StructTempRel-EMNLP17 git directory (for --source tempeval)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    if args.source == "tempeval":
        build(tempeval_articles(Path(args.repo)), out, "all", args.seed)
    else:
        build(bbc_articles(Path(args.corpus), args.seed), out, args.split, args.seed)
    clean = score(check(out, ["clean"], args.jobs), out, ["clean"])
    seeded_report = check(out, ["errors", "controls"], args.jobs)
    seeded = score(seeded_report, out, ["errors", "controls"])
    print(f"### Date checks, {args.source}, split {args.split} (seed {args.seed}); scored by "
          "shared/tools/gold_score.py\n")
    print("clean articles under a fitting dateline:", json.dumps(clean.get("date", clean)))
    print("seeded forms and their controls (upper bound):", json.dumps(seeded.get("date", seeded)))
    print("\n| kind | seeded | found | controls | controls flagged |\n|---|---:|---:|---:|---:|")
    for kind, (n, found, c, cf) in sorted(per_kind(seeded_report, out).items()):
        print(f"| {kind} | {n} | {found} | {c} | {cf} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
