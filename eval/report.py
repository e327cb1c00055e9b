"""Regenerate the README's figures: build the development corpus, run copydesk eval, print Markdown.

usage: python eval/report.py [--corpus DIR] [--seed N] [--limit N] [--jobs N] [--out FOLDER]

Prints the per-category table of ``copydesk eval --format markdown`` for the development
corpus (eval/build_corpus.py, default seed) and for seeds/, then recall per perturbation
kind (which kinds of error the checks catch). The corpus goes to a temporary folder
unless --out names one.
"""
from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from checker.evaluate import evaluate, render_markdown  # noqa: E402
from eval.build_corpus import DEFAULT_CORPUS, SEED, build  # noqa: E402


def per_kind(folder: Path, misses: dict[str, int]) -> list[tuple[str, int, int]]:
    """(kind, entries, found) per perturbation kind, from the corpus MANIFEST."""
    totals: dict[str, list[int]] = {}
    with open(folder / "MANIFEST.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["family"] == "clean":
                continue
            entries = int(row["entries"])
            missed = misses.get(str(folder / f"{row['name']}.txt"), 0)
            item = totals.setdefault(row["kind"], [0, 0])
            item[0] += entries
            item[1] += entries - missed
    return [(kind, n, found) for kind, (n, found) in sorted(totals.items())]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="report", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=os.environ.get("COPYDESK_CORPUS", str(DEFAULT_CORPUS)))
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--out", help="build the corpus here (default: a temporary folder)")
    args = parser.parse_args(argv)
    folder = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="copydesk-devcorpus-"))
    rows = build(folder, Path(args.corpus), args.seed, args.limit)
    ev = evaluate([str(folder)], jobs=args.jobs, cache=False)
    misses: dict[str, int] = {}
    for error in ev.errors:
        if error.kind == "miss":
            misses[error.path] = misses.get(error.path, 0) + 1
    print(f"### Development corpus ({len(rows)} articles of ../shared/corpus, seed {args.seed}, "
          f"{ev.words:,} words)\n")
    print(render_markdown(ev))
    print("| perturbation kind | entries | found | recall |\n|---|---:|---:|---:|")
    for kind, n, found in per_kind(folder, misses):
        print(f"| {kind} | {n} | {found} | {found / n:.2f} |" if n else f"| {kind} | 0 | 0 | - |")
    seed = evaluate([str(ROOT / "seeds")], cache=False)
    print(f"\n### seeds/ ({seed.articles} article{'s' if seed.articles != 1 else ''})\n")
    print(render_markdown(seed))
    print(f"Checked in {ev.seconds:.0f} s with --jobs {args.jobs} ({ev.words / ev.seconds:.0f} words/s on this machine).")
    print(f"corpus folder: {folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
