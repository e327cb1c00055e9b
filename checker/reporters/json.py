"""The JSON contract of DESIGN.md: one object with files, findings and errors."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from checker.engine import FileResult, RunResult
    from checker.finding import Finding
    from checker.source import SourceFile

VERSION = 1


def finding_dict(finding: Finding, source: SourceFile) -> dict[str, Any]:
    line, column = source.position(finding.start)
    end_line, end_column = source.position(finding.end)
    related = []
    for rel in finding.related:
        rline, rcol = source.position(rel.start)
        item: dict[str, Any] = {"start": rel.start, "end": rel.end, "line": rline, "column": rcol, "text": rel.text}
        if rel.message:
            item["message"] = rel.message
        related.append(item)
    out: dict[str, Any] = {
        "rule": finding.rule,
        "category": finding.category,
        "severity": str(finding.severity),
        "confidence": str(finding.confidence),
        "start": finding.start,
        "end": finding.end,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "text": finding.text,
        "suggestion": finding.suggestion,
        "message": finding.message,
        "related": related,
    }
    if finding.data:
        out["data"] = dict(finding.data)
    return out


def file_dict(file: FileResult) -> dict[str, Any]:
    out: dict[str, Any] = {"path": file.path, "findings": []}
    if file.source is not None:
        out["findings"] = [finding_dict(f, file.source) for f in file.findings]
    if file.warnings:
        out["warnings"] = list(file.warnings)
    return out


def as_dict(result: RunResult) -> dict[str, Any]:
    return {
        "version": VERSION,
        "files": [file_dict(f) for f in result.files if f.source is not None],
        "errors": [{"path": path, "message": message} for path, message in result.errors],
    }


def render(result: RunResult, **_: object) -> str:
    return json.dumps(as_dict(result), ensure_ascii=False, indent=2) + "\n"
