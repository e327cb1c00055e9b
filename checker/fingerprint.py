"""Stable fingerprints of findings: the same problem keeps its print when other text moves."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from checker.finding import Finding
from checker.source import SourceFile


def _context(finding: Finding, source: SourceFile) -> str:
    """The line around a finding, whitespace-normalised: edits elsewhere do not change it."""
    line, _ = source.position(finding.start)
    return " ".join(source.line_text(line).split()).casefold()


def fingerprints(findings: Iterable[Finding], source: SourceFile) -> Iterator[tuple[Finding, str]]:
    """(finding, fingerprint) pairs; identical problems on identical lines are numbered in order.

    The print hashes the rule, the flagged text and its line's text — not offsets or line
    numbers, so a baseline or a SARIF upload survives edits in other paragraphs.
    """
    seen: dict[str, int] = {}
    for finding in sorted(findings, key=Finding.sort_key):
        basis = "\x1f".join((finding.rule, " ".join(finding.text.split()).casefold(), _context(finding, source)))
        digest = hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]
        count = seen.get(digest, 0)
        seen[digest] = count + 1
        yield finding, f"{digest}:{count}"
