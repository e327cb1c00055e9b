"""reviewdog's diagnostic format (rdjson): one DiagnosticResult with suggestions and related places."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from checker.reporters.common import TOOL_NAME, TOOL_URI, display_path, region, utf8_column

if TYPE_CHECKING:
    from checker.engine import RunResult
    from checker.finding import Finding
    from checker.source import SourceFile

SEVERITIES = {"error": "ERROR", "warning": "WARNING", "info": "INFO"}


def _range(source: SourceFile, start: int, end: int) -> dict[str, Any]:
    """An rdjson range; its columns count UTF-8 bytes (reviewdog.proto, message Position)."""
    reg = region(source, start, end)
    return {"start": {"line": reg.line, "column": utf8_column(source, reg.line, reg.column)},
            "end": {"line": reg.end_line, "column": utf8_column(source, reg.end_line, reg.end_column)}}


def diagnostic(path: str, finding: Finding, source: SourceFile, links: dict[str, str]) -> dict[str, Any]:
    span = _range(source, finding.start, finding.end)
    code: dict[str, Any] = {"value": finding.rule}
    if links.get(finding.rule):
        code["url"] = links[finding.rule]
    out: dict[str, Any] = {
        "message": finding.message,
        "location": {"path": display_path(path), "range": span},
        "severity": SEVERITIES[str(finding.severity)],
        "source": {"name": TOOL_NAME, "url": TOOL_URI},
        "code": code,
    }
    if finding.suggestion is not None:
        out["suggestions"] = [{"range": span, "text": finding.suggestion}]
    if finding.related:
        out["related_locations"] = [
            {"message": rel.message or f"'{rel.text}'",
             "location": {"path": display_path(path), "range": _range(source, rel.start, rel.end)}}
            for rel in finding.related
        ]
    return out


def as_dict(result: RunResult) -> dict[str, Any]:
    links = {spec.id: spec.link for spec in result.rules if spec.link}
    diagnostics = [diagnostic(file.path, f, file.source, links)
                   for file in result.files if file.source is not None for f in file.findings]
    worst = max((f.severity for _, f in result.findings), default=None)
    out: dict[str, Any] = {"source": {"name": TOOL_NAME, "url": TOOL_URI}}
    if worst is not None:
        out["severity"] = SEVERITIES[str(worst)]
    out["diagnostics"] = diagnostics
    return out


def render(result: RunResult, **_: object) -> str:
    return json.dumps(as_dict(result), ensure_ascii=False, indent=2) + "\n"
