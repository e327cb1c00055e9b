"""The client's side of copydesk audit: list the articles, feed the cluster, write lines as they finish, then the archive pass."""
from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from checker.audit.results import AuditError, ResultsWriter, latest, latest_articles, prepare_results
from checker.audit.worker import Options, _plugin_class, audit_file, is_url, unchanged

if TYPE_CHECKING:
    from checker.rules import RuleSpec

# Articles per task when checking whether audited articles changed (reading and hashing is
# milliseconds; a task costs the scheduler about as much).
SKIP_BATCH = 64
INSTALL_HINT = "copydesk audit needs Dask: pip install 'copydesk[cluster]'"


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
