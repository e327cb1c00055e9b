"""The cost of copydesk audit: throughput with 1 and 2 local Dask workers, memory, and the archive pass.

usage: python benchmarks/audit_scale.py [--corpus DIR] [--limit N] [--runs N] [--names N,N,...] [--out FILE]

On the same articles of ../shared/corpus, in one run, alternating:

* baseline: ``Engine.check_paths`` in this process after one article has warmed it
  (what one ``copydesk check`` process does per article, start-up excluded);
* ``run_audit`` on a LocalCluster of 1 and of 2 worker processes (started and warmed before
  the timing; each timed run writes a fresh results file): wall time, articles/s, words/s,
  CPU seconds of the workers per article (user + sys, from psutil before and after), and
  the resident memory of each worker at the end;
* the archive pass over the results file, and, on synthetic names (not articles), how its
  time and memory grow with the number of distinct full names (tracemalloc peak).

Figures are medians of ``--runs``. Not a test: the machine's load changes them, so the load
average before and after is recorded, and CPU seconds per article (the core-hours figure)
are reported beside wall time. Writes benchmarks/results/audit-<UTC date>.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.archive import ArchiveMemory  # noqa: E402
from checker.audit import Options, archive_pass, archive_rule, run_audit  # noqa: E402
from checker.document.people import VariantSettings  # noqa: E402
from checker.engine import Engine  # noqa: E402

DATE = dt.date(2005, 3, 1)


def _cpu() -> float:
    import psutil

    times = psutil.Process().cpu_times()
    return float(times.user + times.system)


def baseline(files: list[str]) -> dict[str, float]:
    engine = Engine(date=DATE)
    engine.check_paths(files[:1])
    cpu, start = _cpu(), time.perf_counter()
    engine.check_paths(files)
    return {"seconds": time.perf_counter() - start, "cpu_seconds": _cpu() - cpu}


def audited(client: Any, files: list[str], folder: Path) -> dict[str, Any]:
    out = folder / f"results-{time.time_ns()}.jsonl"
    cpu_before = sum(client.run(_cpu).values())
    report = run_audit(files, str(out), client=client, date=DATE)
    cpu_after = sum(client.run(_cpu).values())
    started = time.perf_counter()
    options = Options(None, DATE)
    archive_pass(str(out), *archive_rule(options))
    return {"seconds": report.seconds, "cpu_seconds": cpu_after - cpu_before, "words": report.words,
            "checked": report.checked, "worker_rss": report.worker_memory,
            "archive_pass_seconds": time.perf_counter() - started,
            "bytes_per_article": out.stat().st_size / max(report.checked, 1)}


def synthetic_names(count: int, seed: int = 7) -> list[list[dict[str, str]]]:
    """Articles of synthetic full names: given names from a list of 400, surnames of 2-3 syllables."""
    rng = random.Random(seed)
    syllables = [a + b for a in "bcdfghjklmnprstvwz" for b in ("a", "e", "i", "o", "u", "ar", "en", "on")]
    givens = sorted({(rng.choice(syllables) + rng.choice(syllables)).title() for _ in range(600)})[:400]
    names = [(rng.choice(givens), "".join(rng.choice(syllables) for _ in range(rng.choice((2, 3)))).title())
             for _ in range(count)]
    # Each name in about 3 articles of 5 names: what the memory pass sees per distinct name.
    articles = []
    for _ in range(count * 3 // 5):
        articles.append([{"given": g, "surname": s} for g, s in rng.sample(names, 5)])
    return articles


def memory_pass(count: int) -> dict[str, float]:
    """Time (untraced) and traced peak memory of counting and clustering ``count`` synthetic names."""
    articles = synthetic_names(count)
    start = time.perf_counter()
    memory = ArchiveMemory(VariantSettings())
    for people in articles:
        memory.add(people)
    clusters = memory.clusters()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    traced = ArchiveMemory(VariantSettings())
    for people in articles:
        traced.add(people)
    traced.clusters()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"distinct_names": len(memory.counts), "articles": len(articles), "seconds": seconds,
            "peak_bytes": peak, "bytes_per_name": peak / max(len(memory.counts), 1), "clusters": len(clusters)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--names", default="10000,50000,200000")
    parser.add_argument("--out")
    args = parser.parse_args()
    from distributed import Client, LocalCluster

    corpus = sorted(Path(args.corpus).glob("*.txt"))
    step = max(1, len(corpus) // args.limit)
    files = [str(p) for p in corpus[::step][:args.limit]]
    load_before = os.getloadavg()
    clusters = {}
    for n in (1, 2):
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
                               silence_logs=logging.ERROR)
        clusters[n] = (cluster, Client(cluster))
    runs: dict[str, list[dict[str, Any]]] = {"baseline": [], "workers_1": [], "workers_2": []}
    with tempfile.TemporaryDirectory() as tmp:
        for n, (_, client) in clusters.items():  # warm: plugin set up, pipelines loaded, first article checked
            run_audit(files[:n], str(Path(tmp) / f"warm-{n}.jsonl"), client=client, date=DATE)
        for r in range(args.runs):
            order = [1, 2] if r % 2 == 0 else [2, 1]
            runs["baseline"].append(baseline(files))
            for n in order:
                runs[f"workers_{n}"].append(audited(clusters[n][1], files, Path(tmp)))
            print(f"run {r + 1}: " + ", ".join(f"{k} {v[-1]['seconds']:.1f} s" for k, v in runs.items()),
                  file=sys.stderr)
    for cluster, client in clusters.values():
        client.close()
        cluster.close()
    words = runs["workers_1"][0]["words"]
    summary: dict[str, Any] = {"articles": len(files), "words": words}
    for name, items in runs.items():
        seconds = statistics.median(i["seconds"] for i in items)
        cpu = statistics.median(i["cpu_seconds"] for i in items)
        row = {"seconds": seconds, "articles_per_s": len(files) / seconds, "words_per_s": words / seconds,
               "cpu_seconds_per_article": cpu / len(files)}
        if name != "baseline":
            row["worker_rss_mib"] = [round(b / 2**20) for b in items[-1]["worker_rss"]]
            row["archive_pass_seconds"] = statistics.median(i["archive_pass_seconds"] for i in items)
            row["bytes_per_article"] = items[-1]["bytes_per_article"]
        summary[name] = row
    summary["memory_pass_synthetic"] = [memory_pass(int(n)) for n in args.names.split(",")]
    result = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "cpus": os.cpu_count(),
              "load_before": load_before, "load_after": os.getloadavg(), "runs": runs, "summary": summary}
    out = Path(args.out or ROOT / "benchmarks" / "results" / f"audit-{dt.date.today().isoformat()}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=2))
    print(f"written to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
