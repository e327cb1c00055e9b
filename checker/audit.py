"""copydesk audit: check an archive on Dask (a local cluster or a scheduler's), resumably, then the archive pass.

The per-article work is the engine's own (``Engine.check_documents``), run on Dask workers
that each build the engine and load the pipeline once (``AuditPlugin``). Workers read the
articles where they sit (a shared folder, or an fsspec URL such as ``s3://bucket/news/``);
the client sends only paths and receives one small record per article, as it finishes.

RESULTS.jsonl (append-only, one JSON object a line):

* an article: the JSON contract's file shape ``{"path", "findings"}`` plus ``sha256`` (of the
  file's bytes), ``words`` and ``people`` (its full names, for the archive pass);
* an unreadable file: the contract's error shape ``{"path", "message"}`` (retried on a rerun);
* after the last article, the archive block: ``{"kind": "archive", "path", "findings"}`` per
  article with ``archive.*`` findings and one ``{"kind": "archive-summary", ...}``.

A rerun with the same file skips articles whose path and hash are already there, drops the
old archive block, appends the rest and writes a new block over the whole file; a line is
flushed as soon as its article finishes, so an interruption loses only articles in flight.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from checker.errors import CopydeskError, InputError

if TYPE_CHECKING:
    from checker.engine import Engine, RunResult
    from checker.rules import RuleSpec

ARCHIVE_KINDS = ("archive", "archive-summary")
# Articles per task when checking whether audited articles changed (reading and hashing is
# milliseconds; a task costs the scheduler about as much).
SKIP_BATCH = 64
INSTALL_HINT = "copydesk audit needs Dask: pip install 'copydesk[cluster]'"


class AuditError(CopydeskError):
    pass


def is_url(path: str) -> bool:
    return "://" in path


# ----- the results file ----------------------------------------------------------------------

def read_records(path: str) -> Iterator[dict[str, Any]]:
    """Every complete record of a results file; a torn last line (a crash mid-write) is skipped."""
    try:
        handle = open(path, encoding="utf-8")
    except FileNotFoundError:
        return
    except OSError as exc:
        raise AuditError(f"{path}: cannot read the results: {exc.strerror or exc}") from None
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.endswith("\n"):
                return
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                raise AuditError(f"{path}:{number}: not a results line (invalid JSON)") from None
            if not isinstance(record, dict) or "path" not in record and record.get("kind") != "archive-summary":
                raise AuditError(f"{path}:{number}: not a results line (no 'path')")
            yield record


@dataclass
class ResultsState:
    """What a results file holds: the last record of each path, and the archive block at its end."""

    articles: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: dict[str, dict[str, Any]] = field(default_factory=dict)
    archive: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    summary: dict[str, Any] | None = None


def load_state(path: str, *, with_people: bool = True) -> ResultsState:
    state = ResultsState()
    for record in read_records(path):
        kind = record.get("kind")
        if kind == "archive":
            state.archive[record["path"]] = record["findings"]
        elif kind == "archive-summary":
            state.summary = record
        else:
            if state.summary is not None or state.archive:  # an article after a block: that block is stale
                state.archive, state.summary = {}, None
            if "message" in record and "findings" not in record:
                state.articles.pop(record["path"], None)
                state.errors[record["path"]] = record
            else:
                state.errors.pop(record["path"], None)
                if not with_people:
                    record.pop("people", None)
                state.articles[record["path"]] = record
    return state


def prepare_results(path: str) -> None:
    """Make the file ready to append: drop a torn last line and the archive block at the end."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise AuditError(f"{path}: cannot read the results: {exc.strerror or exc}") from None
    keep = data.rfind(b"\n") + 1
    # The archive block is a run of archive lines at the end; find where it starts.
    cut = keep
    while cut > 0:
        start = data.rfind(b"\n", 0, cut - 1) + 1
        try:
            record = json.loads(data[start:cut])
        except json.JSONDecodeError:
            break
        if not isinstance(record, dict) or record.get("kind") not in ARCHIVE_KINDS:
            break
        cut = start
    if cut < len(data):
        with open(path, "r+b") as handle:
            handle.truncate(cut)


class ResultsWriter:
    """Appends one line per record and flushes it, so a crash loses nothing already written."""

    def __init__(self, path: str) -> None:
        folder = os.path.dirname(os.path.abspath(path))
        os.makedirs(folder, exist_ok=True)
        try:
            self.handle: IO[str] = open(path, "a", encoding="utf-8")
        except OSError as exc:
            raise AuditError(f"{path}: cannot write the results: {exc.strerror or exc}") from None

    def write(self, record: Mapping[str, Any]) -> None:
        self.handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        self.handle.flush()

    def close(self) -> None:
        self.handle.close()


# ----- the workers ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Options:
    """What every worker needs to build the same engine as ``copydesk check``."""

    config: str | None = None
    date: dt.date | None = None
    overrides: tuple[tuple[str, Any], ...] = ()

    @property
    def token(self) -> str:
        return hashlib.sha256(repr(self).encode()).hexdigest()[:16]


_ENGINES: dict[str, Engine] = {}


def worker_engine(options: Options) -> Engine:
    """The engine of this process for these options: built, and its pipeline loaded, once."""
    engine = _ENGINES.get(options.token)
    if engine is None:
        from checker.document.nlp import load_pipeline
        from checker.engine import Engine

        engine = Engine(options.config, options.date, dict(options.overrides), keep_documents=True)
        config = engine.config_for(os.path.join(os.getcwd(), "article.txt"))
        needs = engine.ruleset(config).needs
        if needs:
            load_pipeline(config.model, needs)
        _ENGINES[options.token] = engine
    return engine


def _plugin_class() -> type:
    from distributed.diagnostics.plugin import WorkerPlugin

    class AuditPlugin(WorkerPlugin):  # type: ignore[misc]
        """Builds the engine and loads the pipeline when a worker starts (and when a restarted one does)."""

        name = "copydesk-audit"

        def __init__(self, options: Options) -> None:
            self.options = options

        def setup(self, worker: Any) -> None:
            worker_engine(self.options)

    return AuditPlugin


def _read_bytes(path: str) -> bytes:
    from checker.source import MAX_BYTES

    try:
        if is_url(path):
            import fsspec

            fs, inner = fsspec.core.url_to_fs(path)
            size = fs.size(inner)
            if size is not None and size > MAX_BYTES:
                raise InputError(path, f"file is {size // (1024 * 1024)} MB; copydesk checks files up to "
                                       f"{MAX_BYTES // (1024 * 1024)} MB")
            with fs.open(inner, "rb") as handle:
                return handle.read()  # type: ignore[no-any-return]
        from checker.source import read_source

        if os.path.isdir(path):
            read_source(path)  # raises the usual one-line error
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            read_source(path)
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise InputError(path, "no such file or directory") from None
    except PermissionError:
        raise InputError(path, "permission denied: cannot read the file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory") from None
    except OSError as exc:
        raise InputError(path, f"cannot read the file: {exc.strerror or exc}") from None


def audit_file(shown: str, where: str, known: str | None, options: Options) -> dict[str, Any]:
    """Check one article on a worker: its results line, or ``{"skip": True}`` when its hash is ``known``."""
    from checker.archive import article_people
    from checker.document.loaders import load_document
    from checker.reporters.json import file_dict
    from checker.source import decode

    engine = worker_engine(options)
    try:
        data = _read_bytes(where)
        digest = hashlib.sha256(data).hexdigest()
        if digest == known:
            return {"skip": True, "path": shown}
        source = decode(where, data)
        if not source.text.strip():
            raise InputError(where, "empty file: nothing to check")
        config = engine.config_for(os.path.join(os.getcwd(), "article.txt") if is_url(where) else where)
        doc = load_document(source, engine.default_date(where, config))
        if not doc.text.strip():
            raise InputError(where, "empty article: no text to check outside front matter and markup")
    except InputError as exc:
        return {"path": shown, "message": exc.message}
    result = engine.check_documents([(doc, config)])[0]
    record = file_dict(result)
    record["path"] = shown
    if result.error:
        record["problems"] = result.error
    record["sha256"] = digest
    record["words"] = len(doc.text.split())
    annotated = result.document if result.document is not None and result.document.spacy is not None else None
    record["people"] = article_people(annotated) if annotated is not None else []
    return record


def unchanged(items: list[tuple[str, str, str]]) -> list[str]:
    """On a worker: the articles of a batch whose bytes still hash to their recorded sha256."""
    out = []
    for shown, where, sha in items:
        try:
            data = _read_bytes(where)
        except InputError:
            continue  # audited again, to record the error
        if hashlib.sha256(data).hexdigest() == sha:
            out.append(shown)
    return out


# ----- the client ----------------------------------------------------------------------------

def expand(paths: Sequence[str], config: str | None) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    """(path as shown, path the workers open) of every article named, and the names that are not there."""
    from checker.config import ConfigFinder
    from checker.engine import expand_paths

    local = [p for p in paths if not is_url(p)]
    files, missing = expand_paths(local, ConfigFinder(config))
    out = [(p, os.path.abspath(p)) for p in files]
    errors = [{"path": m.path, "message": m.error} for m in missing]
    for url in (p for p in paths if is_url(p)):
        import fsspec

        from checker.document.loaders import SUPPORTED_SUFFIXES

        try:
            fs, inner = fsspec.core.url_to_fs(url)
            if fs.isdir(inner):
                names = sorted(n for n in fs.find(inner)
                               if os.path.splitext(n)[1].lower() in SUPPORTED_SUFFIXES and not n.endswith(".gold.yaml"))
                out.extend((fs.unstrip_protocol(n),) * 2 for n in names)
            elif fs.exists(inner):
                out.append((url, url))
            else:
                errors.append({"path": url, "message": "no such file or directory"})
        except (OSError, ValueError, ImportError) as exc:
            errors.append({"path": url, "message": f"cannot list: {exc}"})
    return out, errors


@dataclass
class AuditReport:
    """What one ``copydesk audit`` run did, with the figures docs/scale.md is built from."""

    checked: int = 0
    skipped: int = 0
    errors: int = 0
    words: int = 0
    seconds: float = 0.0
    workers: int = 0
    worker_memory: list[int] = field(default_factory=list)  # resident bytes per worker at the end
    summary: dict[str, Any] = field(default_factory=dict)


def _connect(workers: int | None, scheduler: str | None) -> tuple[Any, Any]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise AuditError(INSTALL_HINT) from None
    if scheduler:
        try:
            return Client(scheduler, timeout="20s"), None
        except (OSError, TimeoutError) as exc:
            raise AuditError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    import logging

    cluster = LocalCluster(n_workers=workers or 1, threads_per_worker=1, processes=True,
                           dashboard_address=":0", silence_logs=logging.ERROR)
    return Client(cluster), cluster


def run_audit(paths: Sequence[str], out: str, *, workers: int | None = None, scheduler: str | None = None,
              client: Any = None, config: str | None = None, date: dt.date | None = None,
              overrides: Mapping[str, Any] | None = None,
              progress: Callable[[int, int, int], None] | None = None,
              stylesheet: str | None = None) -> AuditReport:
    """Audit articles into ``out`` (appending what is not there yet), then run the archive pass.

    ``client`` (a ``distributed.Client``) wins over ``scheduler`` and ``workers``; without
    any, a LocalCluster of one worker is started and closed again. ``progress(done, total,
    words)`` is called as articles finish.
    """
    # Empty overrides are no overrides: the command line and the API then share the workers' engine.
    options = Options(config, date, tuple(sorted((k, v) for k, v in (overrides or {}).items() if v)))
    archive_spec, settings, rule = archive_rule(options)  # a bad configuration stops the run before any work
    files, missing = expand(paths, config)
    prepare_results(out)
    known = {p: sha for p, (_, sha) in latest(out).items() if sha is not None}
    report = AuditReport()
    writer = ResultsWriter(out)
    own = client is None
    cluster = None
    started = time.perf_counter()
    try:
        for record in missing:
            writer.write(record)
            report.errors += 1
        if own:
            client, cluster = _connect(workers, scheduler)
        try:
            from distributed import as_completed
        except ImportError:
            raise AuditError(INSTALL_HINT) from None
        client.register_plugin(_plugin_class()(options), name="copydesk-audit")
        report.workers = len(client.scheduler_info().get("workers", {}))
        window = max(8, 4 * sum(client.nthreads().values()))
        done = 0
        # Articles already in the file: hashed on the workers in batches (one task per article
        # would cost the scheduler more than the hashing), and only the changed ones audited.
        recorded = [(shown, where, known[shown]) for shown, where in files if shown in known]
        same: set[str] = set()
        checks = [client.submit(unchanged, recorded[start:start + SKIP_BATCH], pure=False)
                  for start in range(0, len(recorded), SKIP_BATCH)]
        for future in as_completed(checks):
            try:
                found = future.result()
            except Exception:  # noqa: BLE001 - a batch lost with its workers: its articles are audited again
                found = []
            same.update(found)
            future.release()
            done += len(found)
            report.skipped += len(found)
            if progress is not None and found:
                progress(done, len(files), report.words)
        del checks
        pending = iter([item for item in files if item[0] not in same])
        queue = as_completed()
        inflight: dict[Any, str] = {}

        def submit(count: int) -> None:
            for shown, where in (item for _, item in zip(range(count), pending, strict=False)):
                future = client.submit(audit_file, shown, where, known.get(shown), options, pure=False)
                inflight[future.key] = shown
                queue.add(future)

        submit(window)
        for future in queue:
            try:
                record = future.result()
            except Exception as exc:  # noqa: BLE001 - one lost article (a worker killed too often) must not stop the audit
                record = {"path": inflight[future.key], "message": f"not audited: {type(exc).__name__}: {exc}"}
            inflight.pop(future.key, None)
            future.release()
            submit(1)
            done += 1
            if record.get("skip"):
                report.skipped += 1
            else:
                writer.write(record)
                if "message" in record and "findings" not in record:
                    report.errors += 1
                else:
                    report.checked += 1
                    report.words += int(record.get("words", 0))
            if progress is not None:
                progress(done, len(files), report.words)
        report.seconds = time.perf_counter() - started
        report.worker_memory = sorted(client.run(_rss).values())
        writer.close()
        report.summary = archive_pass(out, archive_spec, settings, rule, stylesheet)
    finally:
        writer.close()
        if own and client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    return report


def _rss() -> int:
    import psutil

    return int(psutil.Process().memory_info().rss)


# ----- the archive pass ----------------------------------------------------------------------

def archive_rule(options: Options) -> tuple[RuleSpec | None, Any, Any]:
    """The archive.spelling spec (None when the configuration turns it off), the names.variant
    matcher's settings and the rule's thresholds, from the configuration in force here."""
    from checker.archive import SpellingRule
    from checker.checks.base import RuleContext
    from checker.document.people import VariantSettings
    from checker.engine import Engine
    from checker.registry import check_class

    engine = Engine(options.config, options.date, dict(options.overrides))
    config = engine.config_for(os.path.join(os.getcwd(), "article.txt"))
    specs = {s.id: s for s in engine.ruleset(config).specs}
    names = specs.get("names.variant")
    settings = (getattr(check_class(names.type)(names, RuleContext()), "settings", VariantSettings())
                if names is not None else VariantSettings())
    spec = specs.get("archive.spelling")
    if spec is None or not config.rule_enabled(spec.id, True):
        return None, settings, None
    return spec, settings, SpellingRule(spec.options["min_articles"], spec.options["max_share"])


def latest(out: str) -> dict[str, tuple[int, str | None]]:
    """Path -> (line number, sha256 or None for an error) of its last article or error record.

    The one index the client keeps per article (a path and a hash, about 150 bytes); the
    records themselves are read again as a stream when needed."""
    index: dict[str, tuple[int, str | None]] = {}
    for number, record in enumerate(read_records(out)):
        if "kind" not in record:
            index[record["path"]] = (number, record.get("sha256") if "findings" in record else None)
    return index


def latest_articles(out: str, index: Mapping[str, tuple[int, str | None]]) -> Iterator[dict[str, Any]]:
    """The current record of every audited article, streamed in file order."""
    for number, record in enumerate(read_records(out)):
        if "kind" not in record and "findings" in record and index.get(record["path"], (-1,))[0] == number:
            yield record


def archive_pass(out: str, spec: RuleSpec | None, settings: Any, rule: Any,
                 stylesheet: str | None = None) -> dict[str, Any]:
    """Count full names over every article of the results file, cluster them, and append the
    archive block. Streaming reads: memory holds the distinct names, not the articles."""
    from checker.archive import ArchiveMemory, article_findings, deviations, stylesheet_yaml

    index = latest(out)
    memory = ArchiveMemory(settings)
    for record in latest_articles(out, index):
        memory.add(record.get("people", ()))
    clusters = memory.clusters()
    flagged = deviations(clusters, rule) if rule is not None else {}
    found: list[tuple[str, list[dict[str, Any]]]] = []
    if spec is not None and flagged:
        for record in latest_articles(out, index):
            items = list(article_findings(record.get("people", ()), flagged, spec))
            if items:
                found.append((record["path"], items))
    writer = ResultsWriter(out)
    try:
        for path, items in sorted(found):
            writer.write({"kind": "archive", "path": path, "findings": items})
        summary = {"kind": "archive-summary", "articles": memory.articles, "names": len(memory.counts),
                   "findings": sum(len(items) for _, items in found),
                   "clusters": [c.as_dict() for c in clusters]}
        writer.write(summary)
    finally:
        writer.close()
    if stylesheet:
        from checker.reporters.output import write_atomic

        write_atomic(stylesheet, stylesheet_yaml(clusters, flagged))
    return summary


# ----- reports from the results --------------------------------------------------------------

def merged_files(state: ResultsState) -> list[dict[str, Any]]:
    """Article records in path order with their archive findings merged in (contract file shape)."""
    out = []
    for path in sorted(state.articles):
        record = state.articles[path]
        findings = list(record["findings"]) + list(state.archive.get(path, ()))
        findings.sort(key=lambda f: (f["start"], f["end"], f["rule"], f["message"]))
        item: dict[str, Any] = {"path": path, "findings": findings}
        if record.get("warnings"):
            item["warnings"] = record["warnings"]
        out.append(item)
    return out


def json_report(state: ResultsState) -> dict[str, Any]:
    """The JSON contract, straight from the results (no article is read again)."""
    from checker.reporters.json import VERSION

    report: dict[str, Any] = {"version": VERSION, "files": merged_files(state),
                              "errors": [{"path": p, "message": r["message"]} for p, r in sorted(state.errors.items())]}
    if state.summary is not None:
        report["archive"] = {k: v for k, v in state.summary.items() if k != "kind"}
    return report


def _finding(item: Mapping[str, Any]) -> Any:
    from checker.finding import Confidence, Finding, Related, Severity

    return Finding(rule=item["rule"], category=item["category"], severity=Severity.parse(item["severity"]),
                   start=item["start"], end=item["end"], text=item["text"], message=item["message"],
                   suggestion=item.get("suggestion"), confidence=Confidence.parse(item.get("confidence", "high")),
                   related=tuple(Related(r["start"], r["end"], r["text"], r.get("message", ""))
                                 for r in item.get("related", ())),
                   data=tuple(sorted((item.get("data") or {}).items())))


def run_result(state: ResultsState, config: str | None) -> RunResult:
    """A RunResult for the reporters that show the article (SARIF regions, the HTML page): each
    article is read again, and one changed since the audit is an error, not a wrong region."""
    from checker.engine import Engine, FileResult, RunResult
    from checker.source import decode

    files: list[FileResult] = []
    for item in merged_files(state):
        path = item["path"]
        record = state.articles[path]
        try:
            data = _read_bytes(path if is_url(path) else os.path.abspath(path))
        except InputError as exc:
            files.append(FileResult(path, error=f"{exc.message} (audited, but cannot be shown)"))
            continue
        if hashlib.sha256(data).hexdigest() != record.get("sha256"):
            files.append(FileResult(path, error="changed since it was audited; audit it again to report it"))
            continue
        source = decode(path, data)
        files.append(FileResult(path, tuple(_finding(f) for f in item["findings"]), source,
                                warnings=tuple(item.get("warnings", ()))))
    files.extend(FileResult(p, error=r["message"]) for p, r in sorted(state.errors.items()))
    files.sort(key=lambda f: f.path)
    engine = Engine(config)
    cfg = engine.config_for(os.path.join(os.getcwd(), "article.txt"))
    used = {f.rule for file in files for f in file.findings}
    rules = tuple(s for s in engine.ruleset(cfg).specs if s.id in used or cfg.rule_enabled(s.id, s.enabled))
    return RunResult(tuple(files), rules)


def render_results(results: str, fmt: str, config: str | None = None) -> tuple[str, RunResult | None]:
    """The report of a results file in ``fmt``: JSON from the records alone, others via ``run_result``."""
    if not os.path.exists(results):
        raise AuditError(f"{results}: no such results file")
    state = load_state(results, with_people=False)
    if fmt == "json":
        return json.dumps(json_report(state), ensure_ascii=False, indent=2) + "\n", None
    from checker.reporters import render

    result = run_result(state, config)
    return ("" if fmt == "html" else render(fmt, result, colour=False, quiet=False)), result


def describe(report: AuditReport, stream: IO[str] = sys.stderr) -> None:
    """The run's figures and the archive's variant clusters, for the terminal."""
    rate = report.checked / report.seconds if report.seconds else 0.0
    print(f"copydesk audit: {report.checked} article(s) checked, {report.skipped} already done, "
          f"{report.errors} error(s), {report.words} words in {report.seconds:.1f} s "
          f"({rate:.2f} articles/s on {report.workers} worker(s))", file=stream)
    summary = report.summary
    clusters = summary.get("clusters", [])
    print(f"archive: {summary.get('articles', 0)} articles, {summary.get('names', 0)} distinct full names, "
          f"{len(clusters)} spelling cluster(s), {summary.get('findings', 0)} archive finding(s)", file=stream)
    for cluster in clusters[:20]:
        forms = ", ".join(f"'{f['name']}' {f['articles']}" for f in cluster["forms"])
        print(f"  {cluster['usual']}: {forms}", file=stream)
    if len(clusters) > 20:
        print(f"  ... {len(clusters) - 20} more in the results file's archive-summary line", file=stream)


# ----- the command ---------------------------------------------------------------------------

def command(args: Any, overrides: Mapping[str, Any]) -> int:
    """``copydesk audit``: run an audit, or (``--from``) render a report of its results."""

    if args.results:
        if args.paths or args.out or args.workers or args.scheduler or args.stylesheet:
            raise AuditError("--from renders a report; it takes no PATH, --out, --workers, --scheduler or --stylesheet")
        return _report(args)
    if not args.paths or not args.out:
        raise AuditError("an audit needs PATH... and --out RESULTS.jsonl (or --from RESULTS.jsonl for a report)")
    if args.format or args.output:
        raise AuditError("--format and --output render a report: 'copydesk audit --from RESULTS.jsonl --format ...'")
    if args.workers is not None and args.workers < 1:
        raise AuditError("--workers must be at least 1")
    if os.path.abspath(args.out) in {os.path.abspath(p) for p in args.paths if not is_url(p)}:
        raise AuditError(f"--out {args.out} is one of the articles; choose another path")
    bar = _bar()
    try:
        report = run_audit(args.paths, args.out, workers=args.workers or (None if args.scheduler else os.cpu_count()),
                           scheduler=args.scheduler, config=args.config, date=args.date, overrides=overrides,
                           progress=bar, stylesheet=args.stylesheet)
    finally:
        if bar is not None:
            bar.close()
    describe(report)
    if args.stylesheet:
        print(f"copydesk: starter style sheet written to {args.stylesheet}", file=sys.stderr)
    return _exit_status(args.out, args.fail_on)


def _exit_status(out: str, fail_on: str) -> int:
    """2 when a file could not be audited, 1 for findings at or above ``fail_on``; streamed."""
    from checker.finding import Severity

    index = latest(out)
    if any(sha is None for _, sha in index.values()):
        return 2
    if fail_on == "never":
        return 0
    threshold = Severity.parse(fail_on)
    for record in latest_articles(out, index):
        if any(Severity.parse(f["severity"]) >= threshold for f in record["findings"]):
            return 1
    for record in read_records(out):
        if record.get("kind") == "archive" and any(Severity.parse(f["severity"]) >= threshold
                                                   for f in record["findings"]):
            return 1
    return 0


def _report(args: Any) -> int:
    from checker.reporters import formats
    from checker.reporters.output import Target, parse_target, write_targets

    fmt = args.format or "text"
    targets = [parse_target(value, formats()) for value in args.output]
    if fmt == "html":
        targets.append(Target("html", os.path.join("reports", "copydesk-audit.html")))
    text, result = render_results(args.results, fmt, args.config)
    if targets:
        if result is None:
            result = run_result(load_state(args.results, with_people=False), args.config)
        for target in write_targets(result, targets):
            if target.format == "html":
                print(f"copydesk: HTML report written to {target.path}", file=sys.stderr)
    sys.stdout.write(text)
    return _exit_status(args.results, args.fail_on)


class _Bar:
    """tqdm on a terminal: articles with rate and ETA, words per second beside them."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=0, file=sys.stderr, unit="article", desc="copydesk audit", dynamic_ncols=True)
        self.started = time.perf_counter()

    def __call__(self, done: int, total: int, words: int) -> None:
        if self.bar.total != total:
            self.bar.total = total
        self.bar.update(done - self.bar.n)
        elapsed = time.perf_counter() - self.started
        self.bar.set_postfix_str(f"{words / elapsed:.0f} words/s" if elapsed else "", refresh=False)

    def close(self) -> None:
        self.bar.close()


def _bar() -> _Bar | None:
    try:
        interactive = sys.stderr.isatty()
    except (AttributeError, ValueError):
        interactive = False
    if not interactive or os.environ.get("TERM") == "dumb":
        return None
    return _Bar()
