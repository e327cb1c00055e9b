"""Command line: argument parsing, exit codes and wiring; no checking logic lives here."""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from checker import __version__
from checker.errors import CopydeskError
from checker.finding import Confidence, Severity

if TYPE_CHECKING:
    from checker.rules import RuleSpec

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_ERROR, f"copydesk: error: {message}\n(see 'copydesk {self.prog.split()[-1]} --help')\n"
                  if " " in self.prog else f"copydesk: error: {message}\n")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {value!r}") from None


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE", help="use this configuration instead of searching for one")
    p.add_argument("--date", type=_date, metavar="YYYY-MM-DD",
                   help="article date for articles with no front-matter date and no dateline")
    p.add_argument("--disable", action="append", default=[], metavar="RULE",
                   help="turn off a rule or family (repeatable, comma-separated)")
    p.add_argument("--enable", action="append", default=[], metavar="RULE",
                   help="turn on a rule or family (repeatable, comma-separated)")
    p.add_argument("--min-confidence", choices=["low", "medium", "high"], help="drop less certain findings")
    p.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                   help="check files in N processes (at most one per CPU unless --force-jobs)")
    p.add_argument("--force-jobs", action="store_true", help="allow --jobs above the number of CPUs")
    p.add_argument("--no-cache", dest="cache", action="store_false",
                   help="check every file again instead of reusing results of unchanged files")


def build_parser() -> argparse.ArgumentParser:
    from checker.reporters import formats

    parser = _Parser(prog="copydesk", description="Editorial QA: checks that a news article agrees with itself.")
    parser.add_argument("--version", action="version", version=f"copydesk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = sub.add_parser("check", help="check articles (files or folders)",
                           description="Check articles and report what a copy editor would flag.")
    check.add_argument("paths", nargs="+", metavar="PATH",
                       help="articles (.txt, .md, .markdown, .html, .htm) or folders to walk for them")
    check.add_argument("--format", "-f", choices=formats(), default="text",
                       help="what goes to standard output (default: text; html writes reports/NAME.html)")
    check.add_argument("--fail-on", choices=["error", "warning", "info", "never"], default="warning",
                       help="exit 1 when a finding is at least this severe (default: warning)")
    check.add_argument("--quiet", "-q", action="store_true", help="one line per finding, no source excerpt")
    check.add_argument("--color", choices=["auto", "always", "never"], default="auto",
                       help="colour the text output (default: auto, when stdout is a terminal and NO_COLOR is unset)")
    check.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in this baseline")
    check.add_argument("--write-baseline", metavar="FILE",
                       help="record every finding of this run in FILE (exit 0), for --baseline later")
    check.add_argument("--report-unused-suppressions", action="store_true",
                       help="report suppression comments that suppressed nothing")
    check.add_argument("--output", "-o", action="append", default=[], metavar="FORMAT:PATH",
                       help="also write a report in FORMAT to PATH (repeatable), e.g. sarif:copydesk.sarif")
    check.add_argument("--follow-symlinks", action="store_true",
                       help="read symlinked files whose target is outside the folders given (not read by default)")
    check.add_argument("--daemon", action="store_true",
                       help="check in the running 'copydesk daemon' (also COPYDESK_DAEMON=1); in-process if none")
    _add_common(check)

    rules = sub.add_parser("rules", help="list every rule with its description")
    rules.add_argument("--config", metavar="FILE")
    explain = sub.add_parser("explain", help="print the documentation of one rule, or list a family's rules")
    explain.add_argument("rule", metavar="RULE", help="a rule id (names.variant) or a family (names)")
    explain.add_argument("--config", metavar="FILE")
    daemon = sub.add_parser("daemon", help="keep the spaCy pipeline loaded in a background process",
                            description="A resident process that keeps the loaded pipeline, for fast one-article "
                                        "runs ('copydesk check --daemon'). 'run' serves in the foreground.")
    daemon.add_argument("action", choices=["start", "stop", "restart", "status", "run"])
    daemon.add_argument("--idle-timeout", type=float, default=30.0, metavar="MINUTES",
                        help="exit after this long without a request (default: 30; 0: never)")
    _add_audit(sub, formats())
    init = sub.add_parser("init", help="write a commented starter copydesk.yaml")
    init.add_argument("path", nargs="?", default="copydesk.yaml", metavar="PATH")
    init.add_argument("--force", action="store_true", help="replace an existing file")

    evaluate = sub.add_parser("eval", help="score the checks against gold files (NAME.gold.yaml beside NAME.txt)",
                              description="Check articles that have gold files and print true and false positives, "
                                          "misses, precision, recall and F1 per category, and false alarms per "
                                          "1,000 words on articles whose gold list is empty.")
    evaluate.add_argument("paths", nargs="+", metavar="PATH", help="articles, gold files or folders")
    evaluate.add_argument("--format", "-f", choices=["text", "json", "markdown"], default="text")
    evaluate.add_argument("--show-errors", action="store_true", help="list each miss and false alarm with its sentence")
    evaluate.add_argument("--cats", metavar="CATEGORIES", help="score only these categories (comma-separated)")
    _add_common(evaluate)
    return parser


def _add_audit(sub: argparse._SubParsersAction, formats: list[str]) -> None:  # type: ignore[type-arg]
    audit = sub.add_parser(
        "audit", help="audit an archive on Dask, resumably (pip install 'copydesk[cluster]')",
        description="Check many articles on a Dask cluster (a local one by default, or a scheduler's), appending "
                    "a line per article to RESULTS.jsonl and skipping articles already there; then report how the "
                    "archive spells its people (archive.* findings). With --from, render a report of the results.")
    audit.add_argument("paths", nargs="*", metavar="PATH", help="articles, folders or fsspec URLs (s3://...)")
    audit.add_argument("--out", metavar="RESULTS.jsonl", help="the results file, appended to (resumable)")
    where = audit.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, metavar="N", help="a local cluster of N worker processes (default: cores)")
    where.add_argument("--scheduler", metavar="ADDRESS", help="an existing Dask scheduler, e.g. tcp://10.0.0.5:8786")
    audit.add_argument("--stylesheet", metavar="FILE", help="also write the archive's spellings as a starter style sheet")
    audit.add_argument("--from", dest="results", metavar="RESULTS.jsonl", help="render a report of these results")
    audit.add_argument("--format", "-f", choices=formats, help="with --from: the report's format (default: text)")
    audit.add_argument("--output", "-o", action="append", default=[], metavar="FORMAT:PATH",
                       help="with --from: also write a report in FORMAT to PATH (repeatable)")
    audit.add_argument("--fail-on", choices=["error", "warning", "info", "never"], default="warning",
                       help="exit 1 when a finding is at least this severe (default: warning)")
    audit.add_argument("--config", metavar="FILE", help="use this configuration (readable on every worker)")
    audit.add_argument("--date", type=_date, metavar="YYYY-MM-DD",
                       help="article date for articles with no front-matter date and no dateline")
    audit.add_argument("--disable", action="append", default=[], metavar="RULE")
    audit.add_argument("--enable", action="append", default=[], metavar="RULE")
    audit.add_argument("--min-confidence", choices=["low", "medium", "high"], help="drop less certain findings")


def cmd_audit(args: argparse.Namespace) -> int:
    from checker.audit import command

    return command(args, _overrides(args))


def _overrides(args: argparse.Namespace) -> dict[str, object]:
    split = lambda items: tuple(x.strip() for item in items for x in item.split(",") if x.strip())  # noqa: E731
    out: dict[str, object] = {"disable": split(args.disable), "enable": split(args.enable)}
    if getattr(args, "report_unused_suppressions", False):
        out["enable"] = (*out["enable"], "copydesk.unused_suppression")  # type: ignore[misc]
    if args.min_confidence:
        out["min_confidence"] = Confidence.parse(args.min_confidence)
    return out


def _cap_jobs(jobs: int, force: bool) -> int:
    """``--jobs`` beyond the CPUs only slows a run and multiplies its memory (``--jobs 1000``
    forked a thousand processes, issue 13): capped, with a note, unless forced."""
    if jobs <= 1:
        return jobs
    from checker.parallel import usable_cpus

    cpus = usable_cpus()
    if jobs > cpus and not force:
        print(f"copydesk: --jobs {jobs} lowered to {cpus}, the number of CPUs available "
              f"(--force-jobs keeps it)", file=sys.stderr)
        return cpus
    return jobs


def cmd_check(args: argparse.Namespace) -> int:
    from checker.engine import check_paths
    from checker.progress import progress_bar
    from checker.reporters import formats, render
    from checker.reporters.output import Target, default_html_path, parse_target, refuse_inputs, write_targets

    if args.jobs < 1:
        print("copydesk: error: --jobs must be at least 1", file=sys.stderr)
        return EXIT_ERROR
    args.jobs = _cap_jobs(args.jobs, args.force_jobs)
    targets = [parse_target(value, formats()) for value in args.output]
    if args.format == "html":  # a page is not for stdout: reports/NAME.html
        targets.append(Target("html", default_html_path(args.paths)))
    refuse_inputs(targets, args.paths)
    recorded = None
    if args.baseline:
        from checker import baseline

        recorded = baseline.load(args.baseline)  # a bad baseline stops the run before any work
    bar = progress_bar(sys.stderr)
    try:
        result = check_paths(args.paths, config=args.config, date=args.date, jobs=args.jobs,
                             overrides=_overrides(args), cache=args.cache, progress=bar,
                             follow_symlinks=args.follow_symlinks,
                             keep_documents=any(t.format == "html" for t in targets))
    finally:
        if bar is not None:
            bar.close()
    if args.write_baseline:
        from checker import baseline

        count = baseline.write(result, args.write_baseline)
        print(f"copydesk: recorded {count} finding(s) in {args.write_baseline}", file=sys.stderr)
    if recorded is not None:
        result = baseline.apply(result, recorded, args.baseline)
    colour = args.color == "always" or (args.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    if args.format != "html":
        sys.stdout.write(render(args.format, result, colour=colour, quiet=args.quiet))
    failed: list[str] = []
    for target in write_targets(result, targets, failed):
        if target.format == "html":
            print(f"copydesk: HTML report written to {target.path}", file=sys.stderr)
    for message in failed:
        print(f"copydesk: error: {message}", file=sys.stderr)
    if "github" in {args.format, *(t.format for t in targets)}:
        from checker.reporters.github import append_step_summary

        append_step_summary(result)
    if args.format != "text":
        from checker.reporters.common import printable

        for path, message in result.errors:
            print(f"{printable(path)}: error: {message}", file=sys.stderr)
    if result.errors or failed:
        return EXIT_ERROR
    if args.fail_on != "never" and not args.write_baseline:
        threshold = Severity.parse(args.fail_on)
        if any(f.severity >= threshold for _, f in result.findings):
            return EXIT_FINDINGS
    return EXIT_OK


def _specs(config: str | None) -> list:  # type: ignore[type-arg]
    from checker.config import ConfigFinder
    from checker.engine import Ruleset

    cfg = ConfigFinder(config).for_path(os.path.join(os.getcwd(), "x"))
    return list(Ruleset(cfg).specs)


def cmd_rules(args: argparse.Namespace) -> int:
    for spec in _specs(args.config):
        state = "" if spec.enabled else " (off by default)"
        print(f"{spec.id:32s} {spec.category:12s} {spec.level!s:8s}{state}")
        if spec.description:
            print(f"    {' '.join(spec.description.split())}")
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    specs = {s.id: s for s in _specs(args.config)}
    spec = specs.get(args.rule)
    family = [s for s in specs.values() if s.family == args.rule.rstrip(".*")]
    if spec is None and family:
        print(f"{args.rule.rstrip('.*')}: {len(family)} rule{'s' if len(family) != 1 else ''} "
              f"('copydesk explain RULE' for one)")
        for item in family:
            state = "" if item.enabled else " (off by default)"
            print(f"  {item.id:32s} {item.category:12s} {item.level!s:8s}{state}".rstrip())
            if item.description:
                print(f"      {_first_sentence(item.description)}")
        return EXIT_OK
    if spec is None:
        import difflib

        close = difflib.get_close_matches(args.rule, list(specs) + sorted({s.family for s in specs.values()}), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else "; 'copydesk rules' lists them"
        print(f"copydesk: error: no rule {args.rule!r}{hint}", file=sys.stderr)
        return EXIT_ERROR
    print(f"{spec.id}  ({spec.type}, category {spec.category}, level {spec.level}, "
          f"{'on' if spec.enabled else 'off'} by default)")
    print(f"defined in {spec.path}:{spec.line}")
    if spec.description:
        print()
        print(" ".join(spec.description.split()))
    print(f"\nmessage: {spec.message}")
    _print_options(spec)
    if spec.link:
        print(f"more: {spec.link}")
    return EXIT_OK


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    end = text.find(". ")
    return text if end < 0 else text[:end + 1]


def _print_options(spec: RuleSpec) -> None:
    """The rule type's options with the values in force (the pack's, then the config's)."""
    from checker.registry import option_table

    table = option_table(spec.type) or {}
    if not table:
        return
    print("\noptions (set them under 'options: {RULE: {...}}' in copydesk.yaml):")
    for name, option in table.items():
        value = spec.options.get(name, option.default)
        if isinstance(value, Mapping):
            shown = "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
        else:
            shown = repr(value) if isinstance(value, str) else str(value)
        choices = f" (one of {', '.join(map(str, option.choices))})" if option.choices else ""
        print(f"  {name} = {shown}{choices}")
        if option.help:
            print(f"      {option.help}")


def cmd_eval(args: argparse.Namespace) -> int:
    from checker.evaluate import GOLD_CATEGORIES, evaluate, render

    if args.jobs < 1:
        print("copydesk: error: --jobs must be at least 1", file=sys.stderr)
        return EXIT_ERROR
    args.jobs = _cap_jobs(args.jobs, args.force_jobs)
    cats = tuple(c.strip() for c in args.cats.split(",") if c.strip()) if args.cats else GOLD_CATEGORIES
    unknown = [c for c in cats if c not in GOLD_CATEGORIES]
    if unknown:
        print(f"copydesk: error: unknown category {unknown[0]!r}; categories: {', '.join(GOLD_CATEGORIES)}",
              file=sys.stderr)
        return EXIT_ERROR
    ev = evaluate(args.paths, categories=cats, config=args.config, date=args.date, jobs=args.jobs,
                  overrides=_overrides(args), cache=args.cache)
    sys.stdout.write(render(args.format, ev, args.show_errors))
    return EXIT_ERROR if ev.problems else EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    from checker.starter import write_starter

    write_starter(args.path, force=args.force)
    print(f"copydesk: wrote {args.path}; 'copydesk rules' lists the rule ids it can name", file=sys.stderr)
    return EXIT_OK


def cmd_daemon(args: argparse.Namespace) -> int:
    from checker import daemon

    try:
        if args.action == "status":
            answer = daemon.request("status")
            print(daemon.describe(answer))
            return EXIT_OK if answer is not None else EXIT_FINDINGS
        if args.action in ("stop", "restart"):
            print(daemon.stop(), file=sys.stderr)
        if args.action in ("start", "restart"):
            print(daemon.start(args.idle_timeout), file=sys.stderr)
        if args.action == "run":
            return daemon.run_foreground(args.idle_timeout)
    except daemon.DaemonError as exc:
        print(f"copydesk: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


COMMANDS = {"check": cmd_check, "rules": cmd_rules, "explain": cmd_explain, "eval": cmd_eval, "init": cmd_init,
            "daemon": cmd_daemon, "audit": cmd_audit}


def main(argv: Sequence[str] | None = None, *, local: bool = False) -> int:
    """The command line; ``local`` (set inside a daemon worker) never hands the run to a daemon."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "check" and not local and (args.daemon or os.environ.get("COPYDESK_DAEMON") == "1"):
        from checker.daemon import run_remote

        code, why = run_remote(list(sys.argv[1:] if argv is None else argv))
        if code is not None:
            return code
        print(f"copydesk: {why}; checking in-process", file=sys.stderr)
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        return COMMANDS[args.command](args)
    except CopydeskError as exc:
        print(f"copydesk: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


def entry() -> None:
    """The ``copydesk`` command: run, flush, and leave without tearing the process down.

    Freeing a loaded spaCy pipeline object by object at interpreter exit takes 0.2-0.3 s
    of a 3 s one-article run, all of it after the output is complete; like mypy's
    ``hard_exit``, flush the streams and end the process at once. Everything copydesk
    writes (reports, the cache, baselines) is written and closed inside ``main``.
    """
    code = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (copydesk check | head): not an error
        pass
    try:
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
