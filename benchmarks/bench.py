"""The benchmark: copydesk against bare spaCy on the same model and articles, in one run.

usage: python benchmarks/bench.py [--corpus DIR] [--limit N] [--runs N] [--out FILE]

Every figure is the median of ``--runs`` runs, each in a fresh process (so nothing is
warm that a user's run would not have warm), all on the same articles of ../shared/corpus:

* bare spaCy: ``nlp.pipe`` over the articles with the full model copydesk resolves
  (words per second, timed after the model is loaded);
* copydesk, one process, in-process steady state: ``Engine.check_paths`` over the same
  articles after one article has warmed it up (words per second) — the figure to hold
  against bare spaCy, since both exclude start-up;
* ``copydesk check`` end to end (start-up included), ``--jobs 1`` and ``--jobs 2``, with
  ``--no-cache``: the speed-up of ``--jobs 2``;
* cold start of ``copydesk check`` on one article (the pre-commit case), without the cache
  and with a warm cache, and what it is made of (Python and copydesk imports, ``import
  spacy``, model load, the word-frequency table the non-sequitur check reads, checking);
* separately, not as the cold start: one article through a running ``copydesk daemon``
  (``check --daemon --no-cache``; the daemon is started and warmed before the timing);
* peak resident memory of each command (``ru_maxrss`` of the process and the workers it waited for);
* with ``--baseline DIR`` (a checkout of an earlier copydesk with its own ``.venv``, e.g.
  ``git archive`` of main), the figures of issue 17 side by side, runs alternating between
  the two: the one-article cold run of ``copydesk check`` (no cache), the in-process
  throughput against bare spaCy, and the installed size of what ``copydesk`` requires
  (its own files and its dependencies, no extras). ``--side-by-side-only`` skips the rest.

It prints the ratios against the targets and writes the result as JSON (default
benchmarks/results/bench-<UTC date>.json). Not a test: figures depend on the machine
and on what else runs on it; the JSON records the load average before and after and the
CPU time (user + sys) of each command beside its wall time. ``--jobs 1`` and ``--jobs 2``
runs alternate, so a change of load in between hits both.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
SEED_ARTICLE = ROOT / "seeds" / "pentagon-talks.txt"
TARGETS = {"throughput_ratio_1proc": 0.85, "jobs2_speedup": 1.7, "cold_start_s": 1.5, "peak_rss_mb": 500}

# Run in a fresh interpreter: bare spaCy over the files listed in argv[2:], model argv[1].
_BARE = """
import json, sys, time
t0 = time.perf_counter()
import spacy
t1 = time.perf_counter()
import importlib
model = sys.argv[1]
nlp = importlib.import_module(model).load()
t2 = time.perf_counter()
texts = [open(p, encoding="utf-8").read() for p in sys.argv[2:]]
t3 = time.perf_counter()
docs = list(nlp.pipe(texts, batch_size=64))
t4 = time.perf_counter()
print(json.dumps({"import_spacy_s": t1 - t0, "load_model_s": t2 - t1, "pipe_s": t4 - t3,
                  "components": nlp.pipe_names, "tokens": sum(len(d) for d in docs)}))
"""

# copydesk in one process: warm up on one article, then time check_paths over all of them.
_ENGINE = """
import json, sys, time
t0 = time.perf_counter()
from checker.engine import Engine
t1 = time.perf_counter()
engine = Engine(None, None, {})
engine.check_paths(sys.argv[1:2])
t2 = time.perf_counter()
results = engine.check_paths(sys.argv[1:])
t3 = time.perf_counter()
from checker.document.nlp import _cache
components = sorted({name for nlp in _cache.values() for name in nlp.pipe_names})
print(json.dumps({"import_s": t1 - t0, "warmup_s": t2 - t1, "check_s": t3 - t2, "components": components,
                  "findings": sum(len(r.findings) for r in results),
                  "errors": [r.error for r in results if r.error][:3]}))
"""

# Where one cold run's time goes.
_COLD = """
import json, sys, time
t0 = time.perf_counter()
import checker.cli, checker.engine
t1 = time.perf_counter()
import spacy
t2 = time.perf_counter()
from checker.engine import Engine
engine = Engine(None, None, {})
from checker.config import ConfigFinder
cfg = engine.config_for(sys.argv[1])
ruleset = engine.ruleset(cfg)
t3 = time.perf_counter()
from checker.document.nlp import load_pipeline
load_pipeline(cfg.model, ruleset.needs)
t4 = time.perf_counter()
try:  # what coherence.non_sequitur's first word lookup costs (import and table load)
    from wordfreq import zipf_frequency
    zipf_frequency("the", "en")
except ImportError:
    pass
t5 = time.perf_counter()
engine.check_paths(sys.argv[1:2])
t6 = time.perf_counter()
print(json.dumps({"import_copydesk_s": t1 - t0, "import_spacy_s": t2 - t1, "rules_s": t3 - t2,
                  "load_model_s": t4 - t3, "word_table_s": t5 - t4, "check_one_s": t6 - t5}))
"""


def run_rss(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str, float]:
    """(wall seconds, peak RSS in MB, stdout, CPU seconds) of one command; wait4 gives the child's
    own peak RSS and the CPU time of it and the children it waited for."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT, env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd[:4])} ...\n"
                             f"{err.read().decode()[-2000:]}")
        # Linux reports ru_maxrss in KiB; it covers the process and the children it waited for.
        return wall, usage.ru_maxrss / 1024, out.read().decode(), usage.ru_utime + usage.ru_stime


# Run by each interpreter: the bytes installed for copydesk without extras, i.e. the files
# of every distribution in the closure of its requirements, plus the package folder of an
# editable install (whose files a dist's RECORD does not list).
_SIZE = """
import importlib.metadata as md, json, os, re, sys
import checker
seen, todo, size = set(), ["copydesk"], 0
while todo:
    name = re.sub(r"[-_.]+", "-", todo.pop()).lower()
    if name in seen:
        continue
    seen.add(name)
    try:
        dist = md.distribution(name)
    except md.PackageNotFoundError:
        continue
    for f in dist.files or []:
        path = dist.locate_file(f)
        if os.path.isfile(path):
            size += os.path.getsize(path)
    for req in dist.requires or []:
        if "extra ==" not in req:
            todo.append(re.split(r"[ ;<>=!~\\[(]", req.strip())[0])
folder = os.path.dirname(checker.__file__)
if "site-packages" not in folder:
    for root, _, names in os.walk(folder):
        size += sum(os.path.getsize(os.path.join(root, n)) for n in names if "__pycache__" not in root)
print(json.dumps({"installed_mb": size / 2**20, "distributions": len(seen)}))
"""


def side_by_side(baseline: Path, files: list[str], words: int, runs: int) -> dict[str, Any]:
    """Issue 17's figures for this checkout and ``baseline`` in one run, alternating."""
    trees = {"now": (ROOT, sys.executable), "baseline": (baseline, str(baseline / ".venv" / "bin" / "python"))}
    article = str(SEED_ARTICLE)
    out: dict[str, Any] = {}
    cold: dict[str, list[float]] = {k: [] for k in trees}
    engine: dict[str, list[float]] = {k: [] for k in trees}
    bare: list[float] = []
    for _ in range(max(runs, 5)):
        for name, (tree, py) in trees.items():
            cold[name].append(_in(tree, [py, "-m", "checker", "check", "--no-cache", "--fail-on", "never", article]))
    from checker.document.nlp import resolve_model

    for _ in range(runs):
        bare.append(words / json.loads(run_rss([sys.executable, "-c", _BARE, resolve_model(None), *files])[2])["pipe_s"])
        for name, (tree, py) in trees.items():
            engine[name].append(words / json.loads(_out(tree, [py, "-c", _ENGINE, *files]))["check_s"])
    bare_wps = statistics.median(bare)
    for name, (tree, py) in trees.items():
        size = json.loads(_out(tree, [py, "-c", _SIZE]))
        wps = statistics.median(engine[name])
        out[name] = {"tree": str(tree), "cold_run_s": round(statistics.median(cold[name]), 3),
                     "cold_runs_s": [round(c, 3) for c in cold[name]],
                     "words_per_s": round(wps), "throughput_ratio": round(wps / bare_wps, 3),
                     "installed_mb": round(size["installed_mb"], 1)}
    out["bare_spacy_words_per_s"] = round(bare_wps)
    now, base = out["now"], out["baseline"]
    out["targets"] = {
        "cold_run_vs_baseline": {"target": 1.5, "value": round(now["cold_run_s"] / base["cold_run_s"], 3)},
        "throughput_ratio": {"target": 0.80, "value": now["throughput_ratio"]},
        "installed_growth_mb": {"target": 60, "value": round(now["installed_mb"] - base["installed_mb"], 1)},
    }
    for key, item in out["targets"].items():
        better = item["value"] >= item["target"] if key == "throughput_ratio" else item["value"] <= item["target"]
        item["met"] = better
    return out


def _in(tree: Path, cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=tree, check=True, capture_output=True)
    return time.perf_counter() - start


def _out(tree: Path, cmd: list[str]) -> str:
    return subprocess.run(cmd, cwd=tree, check=True, capture_output=True, text=True).stdout


def daemon_runs(cmd: list[str], runs: int) -> dict[str, Any]:
    """Start a daemon in a private temporary folder, time ``cmd --daemon`` through it, stop it."""
    with tempfile.TemporaryDirectory() as folder:
        env = {"COPYDESK_DAEMON_DIR": folder}
        start = time.perf_counter()
        run_rss([*cmd[:3], "daemon", "start", "--idle-timeout", "10"], env)
        start_s = time.perf_counter() - start
        status = [sys.executable, "-c", "import json; from checker import daemon; print(json.dumps(daemon.request('status')))"]
        try:
            run_rss([*cmd, "--daemon"], env)  # the daemon's first request
            timed = [run_rss([*cmd, "--daemon"], env) for _ in range(runs)]
            answer = json.loads(subprocess.run(status, cwd=ROOT, env={**os.environ, **env}, capture_output=True,
                                               text=True, check=True).stdout) or {}
            rss = None
            try:
                with open(f"/proc/{answer.get('pid')}/status", encoding="ascii") as proc_status:
                    rss = next((round(int(line.split()[1]) / 1024) for line in proc_status
                                if line.startswith("VmRSS:")), None)
            except OSError:
                pass
        finally:
            run_rss([*cmd[:3], "daemon", "stop"], env)
    if answer.get("requests") != runs + 1:  # a run that fell back to in-process would not count
        raise SystemExit(f"the daemon served {answer.get('requests')} of {runs + 1} runs")
    return {"walls": [t[0] for t in timed], "cpus": [t[3] for t in timed], "output": timed[-1][2],
            "start_s": start_s, "rss_mb": rss}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=os.environ.get("COPYDESK_CORPUS", str(DEFAULT_CORPUS)))
    parser.add_argument("--limit", type=int, help="use the first N articles (default: all)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", help="JSON result file (default: benchmarks/results/bench-<date>.json)")
    parser.add_argument("--baseline", type=Path, help="a checkout of an earlier copydesk with its own .venv: "
                        "cold run, throughput and installed size side by side with it")
    parser.add_argument("--side-by-side-only", action="store_true", help="with --baseline: only those figures")
    args = parser.parse_args(argv)

    py = sys.executable
    copydesk = [py, "-m", "checker"]
    files = [str(p) for p in sorted(Path(args.corpus).glob("*.txt"))][: args.limit]
    if not files:
        raise SystemExit(f"no articles in {args.corpus}")
    words = sum(len(Path(f).read_text(encoding="utf-8").split()) for f in files)
    sys.path.insert(0, str(ROOT))
    from checker import __version__
    from checker.document.nlp import resolve_model

    model = resolve_model(None)
    load_before = os.getloadavg()
    print(f"{len(files)} articles, {words} words, model {model}, {args.runs} runs each; "
          f"load average {load_before[0]:.1f}", file=sys.stderr)

    def med(values: list[float]) -> float:
        return statistics.median(values)

    compared: dict[str, Any] | None = None
    if args.baseline:
        if not (args.baseline / ".venv" / "bin" / "python").exists():
            raise SystemExit(f"{args.baseline}: no .venv/bin/python (make one: python3 -m venv .venv && "
                             ".venv/bin/pip install -e .)")
        compared = side_by_side(args.baseline, files, words, args.runs)
        for key, item in compared["targets"].items():
            print(f"{key:26s} {item['value']:>8} (target {item['target']}) {'met' if item['met'] else 'MISSED'}")
        print("  now: " + json.dumps(compared["now"]) + "\n  baseline: " + json.dumps(compared["baseline"]))
        if args.side_by_side_only:
            out = Path(args.out) if args.out else ROOT / "benchmarks" / "results" / "side-by-side.json"
            out.parent.mkdir(parents=True, exist_ok=True)
            compared.update(corpus={"articles": len(files), "words": words}, runs=args.runs,
                            when=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                            load=[load_before, os.getloadavg()])
            out.write_text(json.dumps(compared, indent=2) + "\n", encoding="utf-8")
            print(f"written {out}")
            return 0

    bare = [json.loads(run_rss([py, "-c", _BARE, model, *files])[2]) for _ in range(args.runs)]
    bare_wps = med([words / b["pipe_s"] for b in bare])
    print(f"bare spaCy nlp.pipe: {bare_wps:.0f} words/s ({', '.join(bare[0]['components'])})", file=sys.stderr)

    engine = [json.loads(run_rss([py, "-c", _ENGINE, *files])[2]) for _ in range(args.runs)]
    engine_wps = med([words / e["check_s"] for e in engine])
    print(f"copydesk in-process: {engine_wps:.0f} words/s", file=sys.stderr)

    cli_args = ["check", "--no-cache", "--format", "json", "--fail-on", "never"]
    one, two = [], []
    for _ in range(args.runs):  # alternating, so a change of load hits both
        one.append(run_rss([*copydesk, *cli_args, "--jobs", "1", *files]))
        two.append(run_rss([*copydesk, *cli_args, "--jobs", "2", *files]))
    # Compared across adjacent runs: code edited between distant runs would also differ.
    if one[-1][2] != two[-1][2]:
        print("warning: --jobs 2 output differs from --jobs 1", file=sys.stderr)
    one_wall, two_wall = med([r[0] for r in one]), med([r[0] for r in two])
    one_cpu, two_cpu = med([r[3] for r in one]), med([r[3] for r in two])
    print(f"copydesk check end to end: --jobs 1 {one_wall:.1f} s ({one_cpu:.1f} s CPU), "
          f"--jobs 2 {two_wall:.1f} s ({two_cpu:.1f} s CPU)", file=sys.stderr)

    article = str(SEED_ARTICLE)
    cold_runs = max(args.runs, 5)
    cold = [run_rss([*copydesk, "check", "--no-cache", "--fail-on", "never", article]) for _ in range(cold_runs)]
    with tempfile.TemporaryDirectory() as cache_dir:
        env = {"COPYDESK_CACHE_DIR": cache_dir}
        run_rss([*copydesk, "check", "--fail-on", "never", article], env)
        warm = [run_rss([*copydesk, "check", "--fail-on", "never", article], env) for _ in range(cold_runs)]
    parts = [json.loads(run_rss([py, "-c", _COLD, article])[2]) for _ in range(cold_runs)]
    breakdown = {k: round(med([p[k] for p in parts]), 3) for k in parts[0]}
    python_start = med([run_rss([py, "-c", "pass"])[0] for _ in range(cold_runs)])
    resident = daemon_runs([*copydesk, "check", "--no-cache", "--fail-on", "never", article], cold_runs)
    if resident["output"] != cold[-1][2]:
        print("warning: output through the daemon differs from the in-process output", file=sys.stderr)

    result: dict[str, Any] = {
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "copydesk": __version__,
        "python": platform.python_version(),
        "machine": {"cpus": os.cpu_count(), "load_before": load_before, "load_after": os.getloadavg()},
        "corpus": {"path": args.corpus, "articles": len(files), "words": words},
        "model": model,
        "runs": args.runs,
        "bare_spacy": {"words_per_s": round(bare_wps), "components": bare[0]["components"],
                       "import_spacy_s": round(med([b["import_spacy_s"] for b in bare]), 3),
                       "load_model_s": round(med([b["load_model_s"] for b in bare]), 3)},
        "copydesk_in_process": {"words_per_s": round(engine_wps), "components": engine[0]["components"],
                                "errors": engine[0]["errors"], "findings": engine[0]["findings"]},
        "copydesk_cli": {
            "jobs1_s": round(one_wall, 2), "jobs2_s": round(two_wall, 2),
            "jobs1_words_per_s": round(words / one_wall), "jobs2_words_per_s": round(words / two_wall),
            "jobs1_cpu_s": round(one_cpu, 2), "jobs2_cpu_s": round(two_cpu, 2),
            "jobs2_identical_output": one[-1][2] == two[-1][2],
            "peak_rss_mb_jobs1": round(med([r[1] for r in one])), "peak_rss_mb_jobs2": round(med([r[1] for r in two])),
        },
        "cold_start": {"no_cache_s": round(med([c[0] for c in cold]), 3),
                       "no_cache_cpu_s": round(med([c[3] for c in cold]), 3),
                       "cache_hit_s": round(med([w[0] for w in warm]), 3),
                       "python_alone_s": round(python_start, 3),
                       "peak_rss_mb": round(med([c[1] for c in cold])),
                       "breakdown_s": breakdown},
        # Not the cold start: the daemon had loaded the pipeline before these runs.
        "daemon": {"one_article_s": round(med(resident["walls"]), 3),
                   "client_cpu_s": round(med(resident["cpus"]), 3),
                   "identical_output": resident["output"] == cold[-1][2],
                   "start_s": round(resident["start_s"], 2), "daemon_rss_mb": resident["rss_mb"]},
    }
    ratios = {
        "throughput_ratio_1proc": engine_wps / bare_wps,
        "throughput_ratio_1proc_end_to_end": (words / one_wall) / (words / med([b["pipe_s"] + b["load_model_s"] +
                                                                                  b["import_spacy_s"] for b in bare])),
        "jobs2_speedup": one_wall / two_wall,
        "cold_start_s": result["cold_start"]["no_cache_s"],
        "cold_start_cache_hit_s": result["cold_start"]["cache_hit_s"],
        "peak_rss_mb": max(result["copydesk_cli"]["peak_rss_mb_jobs1"], result["cold_start"]["peak_rss_mb"]),
    }
    result["ratios"] = {k: round(v, 3) for k, v in ratios.items()}
    if compared is not None:
        result["side_by_side"] = compared
    met = {
        "throughput_ratio_1proc": ratios["throughput_ratio_1proc"] >= TARGETS["throughput_ratio_1proc"],
        "jobs2_speedup": ratios["jobs2_speedup"] >= TARGETS["jobs2_speedup"],
        "cold_start_s": ratios["cold_start_s"] <= TARGETS["cold_start_s"],
        "peak_rss_mb": ratios["peak_rss_mb"] <= TARGETS["peak_rss_mb"],
    }
    result["targets"] = {k: {"target": TARGETS[k], "value": round(ratios[k], 3), "met": met[k]} for k in TARGETS}

    out = Path(args.out) if args.out else ROOT / "benchmarks" / "results" / f"bench-{result['when'][:10]}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    for key, item in result["targets"].items():
        sign = "≥" if key in ("throughput_ratio_1proc", "jobs2_speedup") else "≤"
        print(f"{key:26s} {item['value']:>8} (target {sign} {item['target']}) {'met' if item['met'] else 'MISSED'}")
    print(f"cold start with a warm cache: {ratios['cold_start_cache_hit_s']:.2f} s; breakdown: "
          + ", ".join(f"{k} {v:.2f}" for k, v in breakdown.items()))
    print(f"one article through a running daemon (not a cold start): {result['daemon']['one_article_s']:.2f} s "
          f"(daemon started in {result['daemon']['start_s']:.1f} s, {result['daemon']['daemon_rss_mb']} MB resident)")
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
