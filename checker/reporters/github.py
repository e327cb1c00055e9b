"""GitHub Actions workflow commands (annotations on the pull request) and the job summary."""
from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING

from checker.reporters.common import display_path, printable, region, severity_counts

if TYPE_CHECKING:
    from checker.engine import RunResult
    from checker.finding import Finding
    from checker.source import SourceFile

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    """The message part of a workflow command: '%', CR and LF are encoded (as actions/toolkit)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """A property value: additionally ':' and ',' that would end the value."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(path: str, finding: Finding, source: SourceFile) -> str:
    """One ``::warning file=...::message`` line; columns only when the span stays on one line
    (GitHub ignores or misplaces ``col``/``endColumn`` across lines)."""
    reg = region(source, finding.start, finding.end)
    props = [("file", printable(display_path(path))), ("line", str(reg.line))]
    if reg.multiline:
        props.append(("endLine", str(reg.end_line)))
    else:
        props += [("col", str(reg.column)), ("endColumn", str(reg.end_column))]
    props.append(("title", f"{finding.rule} ({finding.category})"))
    message = finding.message
    if finding.suggestion:
        message += f"\nSuggestion: {finding.suggestion}"
    if finding.confidence.name != "HIGH":
        message += f"\nConfidence: {finding.confidence}"
    head = ",".join(f"{key}={_escape_property(value)}" for key, value in props)
    return f"::{COMMANDS[str(finding.severity)]} {head}::{_escape_data(message)}"


def render(result: RunResult, **_: object) -> str:
    out: list[str] = []
    for file in result.files:
        if file.source is None:
            out.append(f"::error file={_escape_property(printable(display_path(file.path)))},title=copydesk::"
                       f"{_escape_data(file.error or 'not checked')}")
            continue
        for finding in file.findings:
            out.append(annotation(file.path, finding, file.source))
        if file.error:
            out.append(f"::error file={_escape_property(printable(display_path(file.path)))},title=copydesk::"
                       f"{_escape_data(file.error)}")
    return "".join(line + "\n" for line in out)


def _cell(text: str) -> str:
    """Text for a Markdown table cell: no line breaks, no column bars, no HTML."""
    text = " ".join(text.split()).replace("|", "\\|")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def step_summary(result: RunResult) -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY``: totals, counts by category and rule, files."""
    findings = [f for _, f in result.findings]
    counts = severity_counts(f.severity for f in findings)
    checked = sum(1 for f in result.files if f.source is not None)
    lines = ["## copydesk", ""]
    lines.append(f"**{len(findings)} finding{'s' if len(findings) != 1 else ''}** in {checked} "
                 f"file{'s' if checked != 1 else ''}: {counts['error']} errors, {counts['warning']} warnings, "
                 f"{counts['info']} notices.")
    if result.errors:
        lines.append(f"{len(result.errors)} file{'s' if len(result.errors) != 1 else ''} could not be checked.")
    if findings:
        lines += ["", "| category | rule | findings |", "|---|---|---:|"]
        by_rule = Counter((f.category, f.rule) for f in findings)
        for (category, rule), n in sorted(by_rule.items()):
            lines.append(f"| {_cell(category)} | `{_cell(rule)}` | {n} |")
        lines += ["", "| file | errors | warnings | notices |", "|---|---:|---:|---:|"]
        for file in result.files:
            if file.findings:
                c = severity_counts(f.severity for f in file.findings)
                lines.append(f"| {_cell(printable(display_path(file.path)))} | {c['error']} | {c['warning']} | {c['info']} |")
    if result.errors:
        lines += ["", "Not checked:", ""]
        lines += [f"- {_cell(display_path(path))}: {_cell(message)}" for path, message in result.errors]
    return "\n".join(lines) + "\n"


def append_step_summary(result: RunResult, environ: Mapping[str, str] | None = None) -> str | None:
    """Append the summary to the file GitHub names in ``GITHUB_STEP_SUMMARY``; returns that path."""
    path = (os.environ if environ is None else environ).get("GITHUB_STEP_SUMMARY")
    if not path:
        return None
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(step_summary(result))
    return path
