"""Report and baseline writes respect what is already at the path (issue 13): a symlink's
target is replaced and the link kept, a FIFO or a character device is written directly,
and one target that cannot be written does not stop the others."""
from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from checker.cli import main

BODY = "Headline here\n\nThe council met on Tuesday.\n\nSee also: Council tax to rise next year\n"
FAST = ["--no-cache", "--disable", "names,dates,coherence,stylesheet", "--fail-on", "never"]


@pytest.fixture
def article(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(BODY)
    return folder / "a.txt"


def test_output_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path, article, capsys) -> None:
    target = tmp_path / "real" / "report.json"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert main(["check", *FAST, "-o", f"json:{link}", str(article)]) == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text())["files"][0]["findings"][0]["rule"] == "boilerplate.see_also"
    assert not list(tmp_path.glob(".copydesk-*")) and not list(target.parent.glob(".copydesk-*"))


def test_baseline_through_a_symlink_writes_its_target(tmp_path, article, capsys) -> None:
    target = tmp_path / "baseline-real.json"
    link = tmp_path / "baseline.json"
    link.symlink_to(target.name)  # a relative link, as in a repository
    assert main(["check", *FAST, "--write-baseline", str(link), str(article)]) == 0
    assert link.is_symlink() and json.loads(target.read_text())["tool"] == "copydesk"


def test_output_to_a_fifo_reaches_its_reader(tmp_path, article, capsys) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    assert main(["check", *FAST, "-o", f"json:{fifo}", str(article)]) == 0
    reader.join(timeout=60)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still a FIFO, not a file renamed over it
    assert json.loads(got[0])["files"][0]["findings"][0]["rule"] == "boilerplate.see_also"


@pytest.mark.skipif(os.geteuid() == 0, reason="as root a regression would replace /dev/null for the whole machine")
def test_output_to_a_character_device_is_written_directly(article, capsys) -> None:
    assert main(["check", *FAST, "-o", "json:/dev/null", str(article)]) == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert "error" not in capsys.readouterr().err


def test_a_failing_output_does_not_stop_the_later_ones(tmp_path, article, capsys) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    later = tmp_path / "later.sarif"
    code = main(["check", *FAST, "-o", f"json:{blocker}/x.json", "-o", f"sarif:{later}", str(article)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"cannot write report to {blocker}/x.json" in err
    assert json.loads(later.read_text())["version"] == "2.1.0"
