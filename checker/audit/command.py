"""copydesk audit on the command line: run an audit or render a report, the progress bar, the exit status."""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping
from typing import Any

from checker.audit.report import describe, render_results, run_result
from checker.audit.results import AuditError, latest, latest_articles, load_state, read_records
from checker.audit.run import run_audit
from checker.audit.worker import is_url


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
