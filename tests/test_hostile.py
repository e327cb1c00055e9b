"""Smaller faults of issue 13, one test each: SARIF URIs, hostile file names, the cache's
.gitignore and key, the per-file regex timeout, the rules documentation, the model error,
--help, explain FAMILY."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from checker.cli import main

BODY = "Headline here\n\nThe council met on Tuesday.\n\nSee also: Council tax to rise next year\n"
FAST = ["--no-cache", "--disable", "names,dates,coherence,stylesheet", "--fail-on", "never"]


def test_sarif_artifact_uris_are_percent_encoded(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("story#1.md", "two words.txt", "100%.txt"):
        (tmp_path / name).write_text(BODY)
    main(["check", *FAST, "--format", "sarif", "."])
    run = json.loads(capsys.readouterr().out)["runs"][0]
    uris = sorted(a["location"]["uri"] for a in run["artifacts"])
    assert uris == ["100%25.txt", "story%231.md", "two%20words.txt"]
    assert sorted({r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}) == uris


HOSTILE = ["evil\x1b[2J\x1b]0;pwned\x07.txt", "rtl\u202etxt.exe.txt", "two\nlines.txt"]


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_hostile_file_names_are_printed_escaped(tmp_path, capsys, fmt) -> None:
    for name in HOSTILE:
        (tmp_path / name).write_text(BODY)
    (tmp_path / "empty\x1b[31m.txt").write_text("")  # an error line names it too
    main(["check", *FAST, "--format", fmt, str(tmp_path)])
    out = capsys.readouterr()
    for stream in (out.out, out.err):
        assert "\x1b" not in stream and "\u202e" not in stream and "\x07" not in stream
    assert "evil\\x1b[2J\\x1b]0;pwned\\x07.txt" in out.out and "rtl\\u202etxt.exe.txt" in out.out
    assert "two\\nlines.txt" in out.out
    located = [line for line in out.out.splitlines() if "lines.txt" in line and "two" in line]
    assert located and all("two\\nlines.txt" in line for line in located)  # never split over two lines
    if fmt == "text":
        assert re.search(r"two\\nlines\.txt:\d+:\d+: warning boilerplate\.see_also", out.out)
