"""SARIF 2.1.0 for code scanning: rules with their documentation, results with regions and fingerprints."""
from __future__ import annotations

import json
import os
import re
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker import __version__
from checker.fingerprint import fingerprints
from checker.reporters.common import TOOL_NAME, TOOL_URI, display_path, first_sentence, region, rule_table

if TYPE_CHECKING:
    from checker.engine import RunResult
    from checker.finding import Finding
    from checker.rules import RuleSpec
    from checker.source import SourceFile

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
# Key of our own fingerprint in partialFingerprints; bump the version if its basis changes,
# so that code scanning does not match old alerts against prints made another way.
FINGERPRINT_KEY = "copydeskFingerprint/v1"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
# SARIF asks for URIs: only absolute http(s) links become helpUri.
_HTTP = re.compile(r"^https?://\S+$")


def _rule_name(rule_id: str) -> str:
    """SARIF's ``name`` is an identifier-like word: ``names.variant`` -> ``NamesVariant``."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[._\-\s]+", rule_id) if part)


def rule_descriptor(spec: RuleSpec) -> dict[str, Any]:
    description = " ".join(spec.description.split())
    short = first_sentence(description) if description else spec.message
    out: dict[str, Any] = {
        "id": spec.id,
        "name": _rule_name(spec.id),
        "shortDescription": {"text": short},
        "fullDescription": {"text": description or spec.message},
        "defaultConfiguration": {"level": LEVELS[str(spec.level)], "enabled": spec.enabled},
        "properties": {"category": spec.category, "tags": list(dict.fromkeys((spec.category, spec.family)))},
    }
    if _HTTP.match(spec.link or ""):
        out["helpUri"] = spec.link
    help_text = description or spec.message
    if spec.link:
        help_text += f"\n\nMore: {spec.link}"
    out["help"] = {"text": help_text}
    return out


def _location(uri: str, index: int, source: SourceFile, start: int, end: int) -> dict[str, Any]:
    reg = region(source, start, end)
    snippet = source.text[start:end]
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": uri, "uriBaseId": "SRCROOT", "index": index},
            "region": {"startLine": reg.line, "startColumn": reg.column,
                       "endLine": reg.end_line, "endColumn": reg.end_column,
                       "snippet": {"text": snippet}},
        }
    }


def _result(finding: Finding, fingerprint: str, rule_index: int, uri: str, index: int,
            source: SourceFile) -> dict[str, Any]:
    location = _location(uri, index, source, finding.start, finding.end)
    out: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[str(finding.severity)],
        "message": {"text": finding.message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": {"category": finding.category, "confidence": str(finding.confidence)},
    }
    if finding.related:
        out["relatedLocations"] = []
        for number, rel in enumerate(finding.related, 1):
            item = _location(uri, index, source, rel.start, rel.end)
            item["id"] = number
            item["message"] = {"text": rel.message or f"'{rel.text}'"}
            out["relatedLocations"].append(item)
    if finding.suggestion is not None:
        reg = location["physicalLocation"]["region"]
        out["fixes"] = [{
            "description": {"text": f"Replace with '{finding.suggestion}'"},
            "artifactChanges": [{
                "artifactLocation": {"uri": uri, "uriBaseId": "SRCROOT", "index": index},
                "replacements": [{
                    "deletedRegion": {k: reg[k] for k in ("startLine", "startColumn", "endLine", "endColumn")},
                    "insertedContent": {"text": finding.suggestion},
                }],
            }],
        }]
    if finding.data:
        out["properties"]["data"] = dict(finding.data)
    return out


def as_dict(result: RunResult, *, root: str | None = None) -> dict[str, Any]:
    """The SARIF log of a run; ``root`` (default: the working directory) is SRCROOT."""
    rules = rule_table(result)
    rule_index = {spec.id: i for i, spec in enumerate(rules)}
    artifacts: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for file in result.files:
        uri = display_path(file.path)
        # A URI reference: '#', '%', spaces and the like percent-encoded (RFC 3986), '/' kept.
        link = urllib.parse.quote(uri, safe="/")
        if file.source is None:
            notifications.append({"level": "error", "message": {"text": f"{uri}: {file.error}"},
                                  "descriptor": {"id": "input-error"}})
            continue
        index = len(artifacts)
        # No "length": SARIF counts bytes, and the decoded text no longer knows them.
        artifacts.append({"location": {"uri": link, "uriBaseId": "SRCROOT"},
                          "encoding": file.source.encoding.split(" ")[0]})
        for finding, fingerprint in fingerprints(file.findings, file.source):
            results.append(_result(finding, fingerprint, rule_index[finding.rule], link, index, file.source))
        if file.error:  # checked, but some rule failed on it
            notifications.append({"level": "error", "message": {"text": f"{uri}: {file.error}"},
                                  "descriptor": {"id": "rule-error"}})
        for warning in file.warnings:
            notifications.append({"level": "warning", "message": {"text": f"{uri}: {warning}"},
                                  "descriptor": {"id": "input-warning"}})
    root_uri = Path(os.path.abspath(root or os.getcwd())).as_uri().rstrip("/") + "/"
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": TOOL_NAME,
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": TOOL_URI,
                "rules": [rule_descriptor(spec) for spec in rules],
            }},
            "invocations": [{
                "executionSuccessful": not any(n["level"] == "error" for n in notifications),
                "toolExecutionNotifications": notifications,
            }],
            "originalUriBaseIds": {"SRCROOT": {"uri": root_uri}},
            "artifacts": artifacts,
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def render(result: RunResult, **_: object) -> str:
    return json.dumps(as_dict(result), ensure_ascii=False, indent=2) + "\n"
