"""Measure names.variant on real articles: one misspelt mention each, plus clean controls.

usage: python -m eval.names_dev [--out DIR] [--corpus DIR] [--seed N] [--limit N] [--jobs N]

Reads the real articles from ../shared/corpus (never copied into the repository), writes
to DIR (default /tmp/copydesk-names-dev) a perturbed copy of every article the perturber
(eval/perturb/names.py) finds a place in and every article unchanged as a clean control,
each with its gold file, runs ``copydesk check --format json`` over both and scores the
report with ../shared/tools/gold_score.py (category ``name``).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import yaml

from eval.perturb import Article
from eval.perturb import names as perturber

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def build(corpus: Path, out: Path, seed: int, limit: int | None) -> tuple[int, int]:
    rng = random.Random(seed)
    files = sorted(p for p in corpus.glob("*.txt"))[:limit]
    articles = [Article(p.stem, p.read_text(encoding="utf-8"), dt.date(2005, 1, 15)) for p in files]
    perturbed = 0
    for sub in ("clean", "perturbed"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    for article in articles:
        (out / "clean" / f"{article.name}.txt").write_text(article.text, encoding="utf-8")
        (out / "clean" / f"{article.name}.gold.yaml").write_text(yaml.safe_dump({"findings": []}), encoding="utf-8")
        result = perturber.perturb(article, random.Random(rng.random()), articles)
        if result is None:
            continue
        perturbed += 1
        (out / "perturbed" / f"{article.name}.txt").write_text(result.text, encoding="utf-8")
        (out / "perturbed" / f"{article.name}.gold.yaml").write_text(
            yaml.safe_dump({"kind": result.kind, "findings": result.findings}, allow_unicode=True), encoding="utf-8")
    return len(articles), perturbed


def score(out: Path, sub: str, jobs: int) -> dict:
    report = out / f"{sub}.json"
    with open(report, "w", encoding="utf-8") as handle:
        subprocess.run([sys.executable, "-m", "checker", "check", "--format", "json", "--jobs", str(jobs),
                        "--disable", "all", "--enable", "names", str(out / sub)],
                       stdout=handle, check=False, cwd=out)
    golds = sorted(str(p) for p in (out / sub).glob("*.gold.yaml"))
    proc = subprocess.run([sys.executable, str(SHARED / "tools" / "gold_score.py"), str(report), *golds,
                           "--cats", "name", "--json"], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout[proc.stdout.index("{"):])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="/tmp/copydesk-names-dev")
    parser.add_argument("--corpus", default=str(SHARED / "corpus"))
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-build", action="store_true", help="score the folder as it is")
    args = parser.parse_args(argv)
    out = Path(args.out)
    if not args.no_build:
        total, perturbed = build(Path(args.corpus), out, args.seed, args.limit)
        print(f"{total} articles, {perturbed} perturbed")
    pert = score(out, "perturbed", args.jobs)
    clean = score(out, "clean", args.jobs)
    row = pert["categories"]["name"]
    fp_all = row["fp"] + clean["clean_fp"]
    correct = row["correct"]
    precision = correct / (correct + fp_all) if correct + fp_all else 0.0
    recall = row["R"] or 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"perturbed: found {row['tp']}/{row['tp'] + row['fn']}  R {recall:.3f}  "
          f"false in perturbed {row['fp']}")
    print(f"clean: {clean['clean_fp']} false alarms in {clean['clean_words']} words = "
          f"{clean['fp_per_1k'] or 0:.3f} per 1k")
    print(f"overall: P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}")
    for line in pert["misses"] + pert["alarms"] + clean["alarms"]:
        print("  ", line)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
