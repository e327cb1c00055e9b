"""What the furniture pass adds to a run (issue 14: at most 5% on the BBC corpus).

    python benchmarks/furniture_cost.py [FOLDER] [--files N] [--rounds R]

Side by side in one process: whole ``check_paths`` runs over the same files with the pass
on, and with it replaced by the identity (the blocks as the structure pass left them, and no
pre-pass over the run's files for template lines),
alternating, R rounds each, medians reported; and the pass's own time over every file.
The pipeline is loaded and warmed before the first timed run. No timed assertions: figures.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from checker import engine  # noqa: E402
from checker.document import loaders  # noqa: E402
from checker.document.furniture import detect, load_model  # noqa: E402
from checker.engine import check_paths  # noqa: E402
from checker.source import read_source  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", default=os.path.join("..", "shared", "corpus"))
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    files = sorted(os.path.join(args.folder, n) for n in os.listdir(args.folder) if n.endswith(".txt"))[:args.files]
    load_model()
    # The pass alone, over every file (documents loaded first, as the engine loads them).
    docs = [loaders.loader_for(p)(read_source(p), None) for p in files]
    started = time.perf_counter()
    for doc in docs:
        detect(doc.text, doc.blocks)
    alone = time.perf_counter() - started
    check_paths(files[:3])  # warm: pipeline, word tables, checks
    timings: dict[str, list[float]] = {"with the pass": [], "without": []}
    real, real_templates = loaders.detect, engine.run_templates
    for _ in range(args.rounds):
        for name in timings:
            on = name == "with the pass"
            # Off: no furniture pass and no pre-pass over the run's files for template lines.
            loaders.detect = real if on else (lambda text, blocks, templates=frozenset(): tuple(blocks))
            engine.run_templates = real_templates if on else (lambda files: frozenset())
            started = time.perf_counter()
            check_paths(files)
            timings[name].append(time.perf_counter() - started)
    loaders.detect, engine.run_templates = real, real_templates
    words = sum(len(d.text.split()) for d in docs)
    print(f"{len(files)} files, {words} words from {args.folder}")
    print(f"furniture pass alone: {alone:.2f} s ({1000 * alone / len(files):.1f} ms per file)")
    for name, values in timings.items():
        print(f"whole run {name}: median {statistics.median(values):.2f} s of {[round(v, 2) for v in values]}")
    base = statistics.median(timings["without"])
    print(f"added by the pass: {100 * (statistics.median(timings['with the pass']) - base) / base:+.1f}% (medians);"
          f" the pass alone is {100 * alone / base:.1f}% of the run without it")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
