"""The baseline: today's findings by fingerprint, so that only new ones are reported.

An article repository adopts copydesk without fixing its archive first (as ruff's
``--add-noqa`` or detekt's baseline): ``--write-baseline FILE`` records every finding of a
run, ``--baseline FILE`` then drops the findings recorded there. Findings are matched by
``checker.fingerprint`` (rule, flagged text and the text of its line), so edits elsewhere
in an article do not bring recorded findings back, while a new instance of the same
problem is reported. Paths are stored relative to the baseline file, so the baseline
works from any working directory and in CI checkouts.
"""
from __future__ import annotations

import dataclasses
import json
import os
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from checker.atomic import write_atomic
from checker.errors import ConfigError
from checker.fingerprint import fingerprints

if TYPE_CHECKING:
    from checker.engine import RunResult

VERSION = 1


def _key(path: str, baseline_path: str) -> str:
    """A file's name in the baseline: relative to the baseline's folder, with / separators."""
    base = os.path.dirname(os.path.abspath(baseline_path))
    try:
        return Path(os.path.relpath(os.path.abspath(path), base)).as_posix()
    except ValueError:  # another drive on Windows
        return Path(os.path.abspath(path)).as_posix()


def _digest(fingerprint: str) -> str:
    """The fingerprint without its occurrence number (matching counts occurrences itself)."""
    return fingerprint.rsplit(":", 1)[0]


def build(result: RunResult, baseline_path: str) -> dict[str, object]:
    """The baseline document for a run: per file, one entry per finding, sorted."""
    files: dict[str, list[dict[str, object]]] = {}
    for file in result.files:
        if file.source is None or not file.findings:
            continue
        entries = []
        for finding, fingerprint in fingerprints(file.findings, file.source):
            line, _ = file.source.position(finding.start)
            # rule, text and line are for people reviewing the baseline's diff; only the
            # fingerprint is matched.
            entries.append({"fingerprint": fingerprint, "rule": finding.rule, "line": line,
                            "text": finding.text[:200]})
        files[_key(file.path, baseline_path)] = entries
    return {"version": VERSION, "tool": "copydesk",
            "findings": {key: files[key] for key in sorted(files)}}


def write(result: RunResult, baseline_path: str) -> int:
    """Write the baseline atomically (temporary file, then rename); returns the count recorded."""
    data = build(result, baseline_path)
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    try:
        write_atomic(baseline_path, text, newline="\n")
    except OSError as exc:
        raise ConfigError(baseline_path, f"cannot write the baseline: {exc.strerror or exc}") from None
    findings = data["findings"]
    assert isinstance(findings, dict)
    return sum(len(v) for v in findings.values())


def load(baseline_path: str) -> dict[str, Counter[str]]:
    """Recorded fingerprints per file, counted; a bad file is a ConfigError naming it."""
    try:
        with open(baseline_path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise ConfigError(baseline_path, "baseline not found; create it with --write-baseline") from None
    except OSError as exc:
        raise ConfigError(baseline_path, f"cannot read the baseline: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(baseline_path, f"not a copydesk baseline (invalid JSON: {exc.msg})", exc.lineno) from None
    if not isinstance(data, Mapping) or data.get("version") != VERSION or not isinstance(data.get("findings"), Mapping):
        raise ConfigError(baseline_path, f"not a copydesk baseline (expected version {VERSION} with 'findings')")
    out: dict[str, Counter[str]] = {}
    for key, entries in data["findings"].items():
        if not isinstance(entries, list) or not all(isinstance(e, Mapping) and isinstance(e.get("fingerprint"), str)
                                                    for e in entries):
            raise ConfigError(baseline_path, f"'findings.{key}' must be a list of entries with a 'fingerprint'")
        out[str(key)] = Counter(_digest(e["fingerprint"]) for e in entries)
    return out


def apply(result: RunResult, recorded: Mapping[str, Counter[str]], baseline_path: str) -> RunResult:
    """The run without the findings recorded in the baseline (as many of each as recorded)."""
    files = []
    for file in result.files:
        known = recorded.get(_key(file.path, baseline_path))
        if not known or file.source is None or not file.findings:
            files.append(file)
            continue
        left = Counter(known)
        keep = []
        for finding, fingerprint in fingerprints(file.findings, file.source):
            digest = _digest(fingerprint)
            if left[digest] > 0:
                left[digest] -= 1
            else:
                keep.append(finding)
        files.append(dataclasses.replace(file, findings=tuple(keep)))
    return dataclasses.replace(result, files=tuple(files))
