"""Peak memory and time of ``copydesk check`` against input size, with the default rules (issue 13).

usage: python benchmarks/bad_input.py [--corpus DIR] [--sizes 0.1,1,5] [--article-mb 20] [--limit-as GB] [--out FILE]

Each input is checked by ``copydesk check --no-cache --format json`` in a fresh process,
one at a time; the figures are that process's wall time, CPU time and peak resident memory
(``ru_maxrss``). The inputs are built in a temporary folder, never stored:

* a single paragraph of N MB (no blank line anywhere): the text of ../shared/corpus joined
  with spaces, repeated as needed (synthetic sentences when the corpus is absent);
* a multi-paragraph article of ``--article-mb`` MB (the corpus paragraphs repeated);
* the baseline, in the same run: one ordinary article (seeds/pentagon-talks.txt).

With ``--limit-as`` every run gets that address-space limit (``RLIMIT_AS``, as ``ulimit -v``)
and the JSON says whether it ended with a traceback. Not a test: figures depend on the
machine and its load (recorded before and after).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SEED = ROOT / "seeds" / "pentagon-talks.txt"
SYNTHETIC = ("The council approved the budget on Tuesday after a long debate. Councillor Anna Berg said the "
             "plan would protect libraries. Opposition members said the vote had come too soon.")


def corpus_paragraphs(corpus: Path) -> list[str]:
    paragraphs: list[str] = []
    for path in sorted(corpus.glob("*.txt")):
        text = path.read_text(encoding="utf-8").split("\n", 1)[-1]
        paragraphs.extend(" ".join(p.split()) for p in text.split("\n\n") if p.strip())
    return paragraphs or [SYNTHETIC]


def build(paragraphs: list[str], size: int, joiner: str) -> str:
    parts: list[str] = []
    total = 0
    while total < size:
        for paragraph in paragraphs:
            parts.append(paragraph)
            total += len(paragraph) + len(joiner)
            if total >= size:
                break
    return "A headline for a long story\n\n" + joiner.join(parts) + "\n"


def run(path: Path, limit_as: int | None) -> dict[str, Any]:
    def limit() -> None:
        if limit_as:
            resource.setrlimit(resource.RLIMIT_AS, (limit_as, limit_as))

    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, "-m", "checker", "check", "--no-cache", "--format", "json",
                           "--fail-on", "never", str(path)], cwd=ROOT, capture_output=True, text=True,
                          preexec_fn=limit if limit_as else None)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        data = json.loads(proc.stdout)
        findings, errors = sum(len(f["findings"]) for f in data["files"]), data["errors"]
    except json.JSONDecodeError:
        findings, errors = None, [proc.stdout[-300:]]
    return {"bytes": path.stat().st_size, "exit": proc.returncode, "wall_s": round(wall, 1),
            "cpu_s": round(usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime, 1),
            # ru_maxrss of the children is the largest of any child so far: runs go smallest first.
            "peak_rss_mb": round(usage.ru_maxrss / 1024), "findings": findings, "errors": errors,
            "traceback": "Traceback" in proc.stderr}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.1,1,5", help="single-paragraph sizes in MB (comma-separated)")
    parser.add_argument("--article-mb", type=float, default=20.0, help="size of the multi-paragraph article (0: none)")
    parser.add_argument("--limit-as", type=float, default=0.0, metavar="GB", help="address-space limit per run")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of articles to build inputs from")
    parser.add_argument("--out", default=None, help="JSON result (default benchmarks/results/bad-input-DATE.json)")
    args = parser.parse_args()
    limit_as = int(args.limit_as * 1e9) or None
    paragraphs = corpus_paragraphs(args.corpus)
    result: dict[str, Any] = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                              "load_before": os.getloadavg(), "cpus": os.cpu_count(),
                              "text": "corpus" if paragraphs != [SYNTHETIC] else "synthetic",
                              "limit_as_gb": args.limit_as or None, "runs": []}
    with tempfile.TemporaryDirectory() as tmp:
        inputs: list[tuple[str, Path]] = [("baseline: one article (seed)", SEED)]
        for mb in (float(x) for x in args.sizes.split(",") if x.strip()):
            path = Path(tmp, f"paragraph-{mb}MB.txt")
            path.write_text(build(paragraphs, int(mb * 1_000_000), " "), encoding="utf-8")
            inputs.append((f"single paragraph, {mb} MB", path))
        if args.article_mb:
            path = Path(tmp, f"article-{args.article_mb}MB.txt")
            path.write_text(build(paragraphs, int(args.article_mb * 1_000_000), "\n\n"), encoding="utf-8")
            inputs.append((f"article of paragraphs, {args.article_mb} MB", path))
        for name, path in inputs:
            row = {"input": name, **run(path, limit_as)}
            print(json.dumps(row), flush=True)
            result["runs"].append(row)
    result["load_after"] = os.getloadavg()
    out = Path(args.out or ROOT / "benchmarks" / "results" / f"bad-input-{dt.date.today()}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
