"""What the machine-readable reporters share: regions, display paths, the rule table of a run."""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from checker.finding import Confidence, Severity
from checker.rules import RuleSpec

if TYPE_CHECKING:
    from checker.engine import RunResult
    from checker.source import SourceFile

TOOL_NAME = "copydesk"
TOOL_URI = "https://github.com/copydesk/copydesk"


@dataclass(frozen=True, slots=True)
class Region:
    """1-based lines and columns of ``[start, end)``; ``end_column`` is exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int

    @property
    def multiline(self) -> bool:
        return self.end_line != self.line


def region(source: SourceFile, start: int, end: int) -> Region:
    """The region of a span; a span that stops after a line break ends at that line's end.

    A finding that covers a whole line including its newline would otherwise end at column 1
    of the next line, which GitHub and editors show as one more line than was flagged.
    """
    line, column = source.position(start)
    end = max(end, start)
    if end > start and source.text[end - 1] in "\r\n":
        while end > start and source.text[end - 1] in "\r\n":
            end -= 1
    end_line, end_column = source.position(end)
    return Region(line, column, end_line, end_column)


def utf8_column(source: SourceFile, line: int, column: int) -> int:
    """The 1-based column in UTF-8 bytes (reviewdog counts bytes, not characters)."""
    return len(source.line_text(line)[:column - 1].encode("utf-8")) + 1


def printable(text: str) -> str:
    """Text safe to print on a terminal or in a CI log line: control characters (escape
    sequences, newlines that would split a ``path:line:col`` line) and invisible format
    characters (RTL overrides, zero-width marks) shown as Python escapes (issue 13)."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def display_path(path: str) -> str:
    """A path as CI services want it: relative to the working directory when inside it, '/'-separated."""
    if os.path.isabs(path):
        try:
            rel = os.path.relpath(path)
        except ValueError:  # another drive on Windows
            rel = path
        if not rel.startswith(".."):
            path = rel
    path = path.replace(os.sep, "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def rule_table(result: RunResult) -> list[RuleSpec]:
    """The rules of a run sorted by id, plus a stand-in for any finding's rule it does not list.

    Findings made outside the rule packs (by the engine itself, or a check of another
    configuration) still need an entry, or SARIF's ``ruleIndex`` would point nowhere.
    """
    specs = {s.id: s for s in result.rules}
    for _, finding in result.findings:
        if finding.rule not in specs:
            specs[finding.rule] = RuleSpec(id=finding.rule, type="", category=finding.category,
                                           level=finding.severity, message="{text}",
                                           confidence=Confidence.HIGH)
    return sorted(specs.values(), key=lambda s: s.id)


def first_sentence(text: str) -> str:
    """The first sentence of a description: SARIF's short description, a tooltip's title."""
    text = " ".join(text.split())
    for stop in (". ", "? ", "! "):
        cut = text.find(stop)
        if 0 < cut:
            text = text[:cut + 1]
    return text


def severity_counts(severities: Iterable[Severity]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for severity in severities:
        counts[str(severity)] += 1
    return counts
