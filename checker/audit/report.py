"""Reports of copydesk audit's results: the JSON contract from the lines alone, other formats with the articles read again."""
from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any

from checker.audit.results import AuditError, ResultsState, load_state
from checker.audit.worker import _read_bytes, is_url
from checker.errors import InputError

if TYPE_CHECKING:
    from checker.audit.run import AuditReport
    from checker.engine import RunResult


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
