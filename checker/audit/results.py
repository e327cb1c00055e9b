"""RESULTS.jsonl of copydesk audit: read it (a torn last line skipped), index it, append to it.

One JSON object a line, appended as articles finish (see ``checker.audit``): article lines
in the contract's file shape, error lines in its error shape, and at the end the archive
block (``kind: archive`` and ``kind: archive-summary``) that each run rewrites.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from checker.errors import CopydeskError

ARCHIVE_KINDS = ("archive", "archive-summary")


class AuditError(CopydeskError):
    pass


def read_records(path: str) -> Iterator[dict[str, Any]]:
    """Every complete record of a results file; a torn last line (a crash mid-write) is skipped."""
    try:
        handle = open(path, encoding="utf-8")
    except FileNotFoundError:
        return
    except OSError as exc:
        raise AuditError(f"{path}: cannot read the results: {exc.strerror or exc}") from None
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.endswith("\n"):
                return
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                raise AuditError(f"{path}:{number}: not a results line (invalid JSON)") from None
            if not isinstance(record, dict) or "path" not in record and record.get("kind") != "archive-summary":
                raise AuditError(f"{path}:{number}: not a results line (no 'path')")
            yield record


@dataclass
class ResultsState:
    """What a results file holds: the last record of each path, and the archive block at its end."""

    articles: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: dict[str, dict[str, Any]] = field(default_factory=dict)
    archive: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    summary: dict[str, Any] | None = None


def load_state(path: str, *, with_people: bool = True) -> ResultsState:
    state = ResultsState()
    for record in read_records(path):
        kind = record.get("kind")
        if kind == "archive":
            state.archive[record["path"]] = record["findings"]
        elif kind == "archive-summary":
            state.summary = record
        else:
            if state.summary is not None or state.archive:  # an article after a block: that block is stale
                state.archive, state.summary = {}, None
            if "message" in record and "findings" not in record:
                state.articles.pop(record["path"], None)
                state.errors[record["path"]] = record
            else:
                state.errors.pop(record["path"], None)
                if not with_people:
                    record.pop("people", None)
                state.articles[record["path"]] = record
    return state


def prepare_results(path: str) -> None:
    """Make the file ready to append: drop a torn last line and the archive block at the end."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise AuditError(f"{path}: cannot read the results: {exc.strerror or exc}") from None
    keep = data.rfind(b"\n") + 1
    # The archive block is a run of archive lines at the end; find where it starts.
    cut = keep
    while cut > 0:
        start = data.rfind(b"\n", 0, cut - 1) + 1
        try:
            record = json.loads(data[start:cut])
        except json.JSONDecodeError:
            break
        if not isinstance(record, dict) or record.get("kind") not in ARCHIVE_KINDS:
            break
        cut = start
    if cut < len(data):
        with open(path, "r+b") as handle:
            handle.truncate(cut)


class ResultsWriter:
    """Appends one line per record and flushes it, so a crash loses nothing already written."""

    def __init__(self, path: str) -> None:
        folder = os.path.dirname(os.path.abspath(path))
        os.makedirs(folder, exist_ok=True)
        try:
            self.handle: IO[str] = open(path, "a", encoding="utf-8")
        except OSError as exc:
            raise AuditError(f"{path}: cannot write the results: {exc.strerror or exc}") from None

    def write(self, record: Mapping[str, Any]) -> None:
        self.handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        self.handle.flush()

    def close(self) -> None:
        self.handle.close()


def latest(out: str) -> dict[str, tuple[int, str | None]]:
    """Path -> (line number, sha256 or None for an error) of its last article or error record.

    The one index the client keeps per article (a path and a hash, about 150 bytes); the
    records themselves are read again as a stream when needed."""
    index: dict[str, tuple[int, str | None]] = {}
    for number, record in enumerate(read_records(out)):
        if "kind" not in record:
            index[record["path"]] = (number, record.get("sha256") if "findings" in record else None)
    return index


def latest_articles(out: str, index: Mapping[str, tuple[int, str | None]]) -> Iterator[dict[str, Any]]:
    """The current record of every audited article, streamed in file order."""
    for number, record in enumerate(read_records(out)):
        if "kind" not in record and "findings" in record and index.get(record["path"], (-1,))[0] == number:
            yield record
