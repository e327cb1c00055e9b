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
FAST = ["--no-cache", "--fail-on", "never"]  # the default rules: every bad-input row runs them


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


# ----- what is read: symlinks leaving the tree, copydesk's own reports -------------------------

def test_a_symlink_to_a_file_outside_the_checked_folder_is_not_read(tmp_path, capsys) -> None:
    secret = tmp_path / "home" / ".env"
    secret.parent.mkdir()
    secret.write_text("AWS_SECRET=hunter2hunter2\n\nSee also: secrets\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "a.txt").write_text(BODY)
    (repo / "inside.txt").symlink_to("a.txt")  # inside the tree: read
    (repo / "story.txt").symlink_to(secret)
    report = tmp_path / "report.html"
    for args in ([str(repo)], [str(repo / "story.txt")]):  # walked, and named (pre-commit names files)
        code = main(["check", *FAST, "--format", "json", "-o", f"html:{report}", *args])
        data = json.loads(capsys.readouterr().out)
        assert code == 2
        (error,) = data["errors"]
        assert error["path"].endswith("story.txt") and error["message"].startswith("symbolic link to a file outside")
        assert "hunter2" not in json.dumps(data) and "hunter2" not in report.read_text()
    assert sorted(Path(f["path"]).name for f in data["files"] if "findings" in f) == []
    code = main(["check", *FAST, "--format", "json", str(repo)])
    names = [Path(f["path"]).name for f in json.loads(capsys.readouterr().out)["files"] if "findings" in f]
    assert names == ["a.txt", "inside.txt"]
    code = main(["check", *FAST, "--format", "json", "--follow-symlinks", str(repo)])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["errors"] == [] and "See also: secrets" in json.dumps(data)


def test_the_default_html_report_is_not_checked_by_the_next_run(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(BODY)
    (tmp_path / "b.html").write_text("<html><body><p>The council met.</p><p>See also: More news</p></body></html>")
    assert main(["check", *FAST, "--format", "html", "."]) == 0
    assert (tmp_path / "reports" / "copydesk-report.html").is_file()
    assert main(["check", *FAST, "--format", "html", "."]) == 0  # not refused as "one of the inputs"
    capsys.readouterr()
    main(["check", *FAST, "--format", "json", "."])
    names = sorted(Path(f["path"]).name for f in json.loads(capsys.readouterr().out)["files"])
    assert names == ["a.txt", "b.html"]
