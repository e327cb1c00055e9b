"""Measure names.variant and stylesheet.* on names as they really vary (issue 15).

usage: python -m eval.names_real [--mode variants|stylesheet] [--split dev|holdout]
                                 [--per-class N] [--out DIR] [--jobs N] [--no-build]

The 200 real BBC articles of ../shared/corpus (never copied into the repository) are split
by a hash of their names: ``dev`` (tuned on) and ``holdout`` (reported, never tuned on).

* ``variants``: for each class of eval/perturb/name_variants.py up to N articles of the split
  get one mention of one person written another way (category ``name``); the unchanged
  articles of the split are the clean controls.
* ``stylesheet``: every mention of one person is written the other way (only a style sheet
  can tell), or a title before a name is made wrong for the article date: another listed
  person's title (``title_other``), "Deputy" dropped or added (``title_deputy``), "former"
  dropped from a former holder (``title_former``). The style sheet lists only true facts:
  each person named in full in the split's articles as the article names them, the surname
  as an alias, and the titles the article gives them (from 2000; to mid-2004 when the
  article says "former"). Category ``style-sheet``; the same sheet runs on the unchanged
  articles as controls.

A finding counts when its category is the gold's and its span overlaps the gold span (the
rule of ../shared/tools/gold_score.py); recall is given per class.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import yaml

from eval.perturb import Article
from eval.perturb import name_variants as nv
from eval.perturb.name_variants import people

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATE = dt.date(2005, 1, 15)
TITLE_HEADS = ("Minister", "Secretary", "Chancellor", "President", "Leader", "leader", "General", "Governor",
               "Mayor", "Chairman", "Commissioner", "Ambassador", "Chief", "chief", "Captain", "Coach", "Manager",
               "spokesman", "spokeswoman", "Speaker", "Director", "director", "chairman", "executive", "boss")
TITLE_RE = re.compile(r"(?<![\w-])((?:(?:former|Former|Deputy|deputy|Shadow|shadow) )?(?:(?:[A-Z][a-z]+|chief|vice|senior) ){0,3}"
                      r"(?:" + "|".join(TITLE_HEADS) + r")) $")
HONORIFIC_WORDS = frozenset("mr mrs ms dr sir lord lady said".split())
SENTENCE_WORDS = frozenset("But And Earlier Later Then The When After Meanwhile Now So Yet Also As If While".split())
TITLE_CLASSES = ("title_other", "title_deputy", "title_former")


def split_of(name: str) -> str:
    return "holdout" if zlib.crc32(name.encode()) % 2 else "dev"


def articles(corpus: Path, split: str) -> list[Article]:
    return [Article(p.stem, p.read_text(encoding="utf-8"), DATE) for p in sorted(corpus.glob("*.txt"))
            if split_of(p.stem) == split]


def titled(text: str) -> list[tuple[str, str, str, int]]:
    """(title, given, surname, start of title) for "Title Given Surname" with a known person."""
    out = []
    for surname, _, first in people(text):
        for m in re.finditer(rf"(?<![\w-]){re.escape(first)} {re.escape(surname)}(?![\w-])", text):
            t = TITLE_RE.search(text[max(0, m.start() - 60):m.start()])
            if t and t.group(1).split()[0] in SENTENCE_WORDS:
                continue  # "But President", "Earlier Foreign Secretary": not a title's words
            if t:
                out.append((t.group(1), first, surname, m.start() - len(t.group(1)) - 1))
    return out


def sheet_entries(text: str) -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    lower = set(re.findall(r"\b[a-z]+\b", text))
    for surname, _, first in people(text):
        if len(first) < 2 or not first[:1].isupper():
            continue
        name = f"{first} {surname}"
        # A true-facts sheet of people: the name as the article writes it, and no common
        # noun the tagger took for a surname ("Grammy Awards", "Spider Man", "Hip Hop").
        if name not in text or surname.lower() in lower or {first.lower(), surname.lower()} & HONORIFIC_WORDS:
            continue
        entries.setdefault(name, {"name": name, "aliases": [surname], "titles": []})
    for title, first, surname, _ in titled(text):
        entry = entries.get(f"{first} {surname}")
        if entry is None:
            continue
        former = title.lower().startswith("former ")
        clean = title[7:] if former else title
        item = {"title": clean, "from": dt.date(2000, 1, 1)}
        if former:
            item["to"] = dt.date(2004, 6, 30)
        if all(t["title"] != clean for t in entry["titles"]):
            entry["titles"].append(item)
    return entries


def title_perturb(article: Article, rng: random.Random, kind: str) -> dict[str, Any] | None:
    text = article.text
    found = titled(text)
    rng.shuffle(found)
    for title, first, surname, start in found:
        former = title.lower().startswith("former ")
        if kind == "title_former":
            if not former:
                continue
            wrong = title[7:]
        elif former:
            continue
        elif kind == "title_deputy":
            if title.lower().startswith("deputy "):
                wrong = title[7:]
            else:
                wrong = "Deputy " + title
        else:
            others = [t for t, f, s, _ in found if (f, s) != (first, surname) and not t.lower().startswith("former")
                      and t.lower() != title.lower() and t.split()[-1].lower() not in title.lower()]
            if not others:
                continue
            wrong = rng.choice(others)
        new_text = text[:start] + wrong + text[start + len(title):]
        occurrence = new_text.count(wrong, 0, start) + 1
        return {"text": new_text, "findings": [{"category": "style-sheet", "text": wrong, "occurrence": occurrence,
                                                 "expected": title, "note": f"{kind}: {title} -> {wrong}"}],
                "kind": kind}
    return None


def build(corpus: Path, out: Path, mode: str, split: str, per_class: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    items = articles(corpus, split)
    for sub in ("clean", "perturbed"):
        (out / sub).mkdir(parents=True, exist_ok=True)
        for old in (out / sub).glob("*"):
            old.unlink()
    counts: dict[str, int] = {}
    for article in items:
        (out / "clean" / f"{article.name}.txt").write_text(article.text, encoding="utf-8")
        (out / "clean" / f"{article.name}.gold.yaml").write_text(yaml.safe_dump({"findings": []}), encoding="utf-8")
    # A glued name is one mention run into the next word while the others stay right: the
    # article's own conflict, names.variant's, so the style-sheet set leaves it out.
    classes = list(nv.CLASSES) if mode == "variants" else [c for c in nv.CLASSES if c != "glue"] + list(TITLE_CLASSES)
    category = "style-sheet" if mode == "stylesheet" else "name"
    for kind in classes:
        order = list(items)
        rng.shuffle(order)
        made = 0
        for article in order:
            if made >= per_class:
                break
            local = random.Random(rng.random())
            if kind in TITLE_CLASSES:
                result = title_perturb(article, local, kind)
            else:
                p = nv.perturb_mode(article, local, kind, all_mentions=mode == "stylesheet")
                result = None if p is None else {"text": p.text, "findings": p.findings, "kind": p.kind}
            if result is None:
                continue
            for f in result["findings"]:
                f["category"] = category
            made += 1
            stem = f"{article.name}.{kind}"
            (out / "perturbed" / f"{stem}.txt").write_text(result["text"], encoding="utf-8")
            (out / "perturbed" / f"{stem}.gold.yaml").write_text(
                yaml.safe_dump({"kind": kind, "findings": result["findings"]}, allow_unicode=True), encoding="utf-8")
        counts[kind] = made
    if mode == "stylesheet":
        entries: dict[str, dict[str, Any]] = {}
        for article in items:
            for name, entry in sheet_entries(article.text).items():
                entries.setdefault(name, entry)
        people_list = []
        for entry in entries.values():
            if not entry["titles"]:
                del entry["titles"]
            people_list.append(entry)
        (out / "sheet.yaml").write_text(yaml.safe_dump({"stylesheet": "BBC true facts", "people": people_list},
                                                      allow_unicode=True, sort_keys=False), encoding="utf-8")
        (out / "copydesk.yaml").write_text(yaml.safe_dump({"stylesheets": ["sheet.yaml"]}), encoding="utf-8")
    else:
        (out / "copydesk.yaml").write_text("{}\n", encoding="utf-8")
    return counts


def run(out: Path, sub: str, jobs: int, enable: str) -> dict[str, list[dict[str, Any]]]:
    proc = subprocess.run([sys.executable, "-m", "checker", "check", "--format", "json", "--jobs", str(jobs),
                           "--no-cache", "--config", str(out / "copydesk.yaml"), "--date", DATE.isoformat(),
                           "--disable", "all", "--enable", enable, str(out / sub)],
                          capture_output=True, text=True, check=False, cwd=out)
    report = json.loads(proc.stdout)
    return {Path(f["path"]).name: f["findings"] for f in report["files"]}


def gold_span(text: str, finding: dict[str, Any]) -> tuple[int, int] | None:
    i = -1
    for _ in range(finding.get("occurrence", 1)):
        i = text.find(finding["text"], i + 1)
        if i < 0:
            return None
    return i, i + len(finding["text"])


def score(out: Path, mode: str, jobs: int, show: bool) -> None:
    category = "style-sheet" if mode == "stylesheet" else "name"
    sibling = "name" if category == "style-sheet" else "style-sheet"
    enable = "names,stylesheet"
    pert = run(out, "perturbed", jobs, enable)
    clean = run(out, "clean", jobs, enable)
    per_class: dict[str, list[int]] = {}
    fp = 0
    lines = []
    for gold_path in sorted((out / "perturbed").glob("*.gold.yaml")):
        stem = gold_path.name[:-len(".gold.yaml")]
        text = (out / "perturbed" / f"{stem}.txt").read_text(encoding="utf-8")
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        findings = pert.get(f"{stem}.txt", [])
        spans = [gold_span(text, g) for g in gold["findings"]]
        hit = False
        for f in findings:
            on_gold = any(s and f["start"] < s[1] and s[0] < f["end"] for s in spans)
            if f["category"] == category and on_gold:
                hit = True
            elif f["category"] in (category, sibling) and on_gold:
                continue  # neutral: the sibling category on the gold span
            elif f["category"] == category:
                fp += 1
                lines.append(f"  FP {stem}: {f['text']!r} -> {f.get('suggestion')!r} ({f['rule']})")
        row = per_class.setdefault(gold["kind"], [0, 0])
        row[0] += hit
        row[1] += 1
        if not hit:
            lines.append(f"  miss {stem}: {gold['findings'][0]['note']}")
    words = 0
    clean_fp = 0
    for path in sorted((out / "clean").glob("*.txt")):
        words += len(path.read_text(encoding="utf-8").split())
        for f in clean.get(path.name, []):
            if f["category"] == category:
                clean_fp += 1
                lines.append(f"  clean FP {path.stem}: {f['text']!r} -> {f.get('suggestion')!r} ({f['rule']})")
    tp = sum(r[0] for r in per_class.values())
    total = sum(r[1] for r in per_class.values())
    precision = tp / (tp + fp + clean_fp) if tp + fp + clean_fp else 0.0
    recall = tp / total if total else 0.0
    print(f"{mode}: {total} perturbed articles, {len(list((out / 'clean').glob('*.txt')))} clean")
    for kind, (hit, n) in sorted(per_class.items()):
        print(f"  {kind:14s} recall {hit}/{n} = {hit / n:.2f}")
    print(f"found {tp}/{total}  R {recall:.3f}  P {precision:.3f} (false: {fp} in perturbed, {clean_fp} in clean, "
          f"{words} clean words = {1000 * clean_fp / max(words, 1):.3f} per 1k)")
    if show:
        print("\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("variants", "stylesheet"), default="variants")
    parser.add_argument("--split", choices=("dev", "holdout"), default="dev")
    parser.add_argument("--per-class", type=int, default=15)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--out")
    parser.add_argument("--corpus", default=str(SHARED / "corpus"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--show", action="store_true", help="print every miss and false alarm")
    args = parser.parse_args(argv)
    out = Path(args.out or f"/tmp/copydesk-names-real-{args.mode}-{args.split}")
    if not args.no_build:
        counts = build(Path(args.corpus), out, args.mode, args.split, args.per_class, args.seed)
        print("built:", ", ".join(f"{k} {v}" for k, v in counts.items()))
    score(out, args.mode, args.jobs, args.show)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
