"""Adoption: the baseline (only new findings), and 'copydesk init'."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from checker import baseline
from checker.cli import main
from checker.config import KEYS, parse_config
from checker.engine import check_paths
from checker.starter import STARTER

CONFIG = "disable: [names, dates, coherence, stylesheet]\n"
P1 = "The minister said on Monday that the plan would go ahead, and critics called it rushed."
P2 = "The opposition said it would vote against the bill when it comes before parliament next month."
SEE = "See also: Flood warnings for the north"
SEE2 = "Read more: Rivers burst their banks"


def article(*blocks: str) -> str:
    return "\n\n".join(blocks) + "\n"


@pytest.fixture()
def desk(tmp_path: Path) -> Path:
    (tmp_path / "copydesk.yaml").write_text(CONFIG)
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "floods.md").write_text(article(P1, SEE, P2, SEE2))
    return tmp_path


def new_findings(desk: Path, base: Path) -> list[str]:
    """Rule and text of each finding not in the baseline."""
    result = baseline.apply(check_paths([str(desk / "news")]), baseline.load(str(base)), str(base))
    return [f"{f.rule}:{f.text}" for _, f in result.findings]


def record(desk: Path, base: Path) -> int:
    return baseline.write(check_paths([str(desk / "news")]), str(base))


# (what changed, the new article, the findings reported against the baseline)
EDITS = [
    ("nothing", article(P1, SEE, P2, SEE2), []),
    ("a paragraph added at the top", article("A new opening paragraph, added after the baseline was written.", P1, SEE,
                                             P2, SEE2), []),
    ("another paragraph rewritten", article(P1, SEE, P2.replace("next month", "in the spring"), SEE2), []),
    ("paragraphs moved", article(P2, SEE2, P1, SEE), []),
    ("the flagged line itself edited", article(P1, "See also: Flood warnings for the south", P2, SEE2),
     ["boilerplate.see_also:See also: Flood warnings for the south"]),
    ("the same problem once more", article(P1, SEE, P2, SEE2, SEE), [f"boilerplate.see_also:{SEE}"]),
    ("a new problem", article(P1, SEE, P2, SEE2, "Advertisement"), ["boilerplate.share_prompt:Advertisement"]),
]


@pytest.mark.parametrize(("name", "text", "expected"), EDITS, ids=[e[0] for e in EDITS])
def test_baseline_survives_edits_elsewhere(desk: Path, name: str, text: str, expected: list[str]) -> None:
    base = desk / "copydesk-baseline.json"
    assert record(desk, base) == 2
    (desk / "news" / "floods.md").write_text(text)
    assert new_findings(desk, base) == expected


def test_baseline_file_is_stable_and_reviewable(desk: Path) -> None:
    base = desk / "ci" / "baseline.json"
    record(desk, base)
    first = base.read_text()
    record(desk, base)
    assert base.read_text() == first, "the same run writes the same bytes"
    data = json.loads(first)
    assert data["version"] == 1
    assert base.stat().st_mode & 0o644 == 0o644, "readable by others, as any file in a repository"
    # Paths are relative to the baseline's folder, so the file works from any directory.
    assert list(data["findings"]) == ["../news/floods.md"]
    assert [(e["rule"], e["line"], e["text"]) for e in data["findings"]["../news/floods.md"]] == [
        ("boilerplate.see_also", 3, SEE), ("boilerplate.see_also", 7, SEE2)]


def test_baseline_works_from_another_directory(desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = desk / "baseline.json"
    record(desk, base)
    monkeypatch.chdir(desk / "news")
    result = baseline.apply(check_paths(["floods.md"]), baseline.load("../baseline.json"), "../baseline.json")
    assert result.findings == []


def test_baseline_is_written_atomically(desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = desk / "baseline.json"
    base.write_text("the old baseline\n")
    result = check_paths([str(desk / "news")])

    def broken(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(Exception, match="No space left"):
        baseline.write(result, str(base))
    assert base.read_text() == "the old baseline\n", "a failed write leaves the old baseline intact"
    assert sorted(p.name for p in desk.iterdir()) == ["baseline.json", "copydesk.yaml", "news"], "no temp file left"


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "baseline not found"),
        ("{not json", "invalid JSON"),
        ('{"version": 7, "findings": {}}', "not a copydesk baseline"),
        ('{"version": 1, "findings": {"a.md": [{"rule": "x"}]}}', "'fingerprint'"),
    ],
)
def test_bad_baseline_is_a_usage_error(desk: Path, capsys, content: str | None, says: str) -> None:
    base = desk / "baseline.json"
    if content is not None:
        base.write_text(content)
    assert main(["check", "--baseline", str(base), str(desk / "news")]) == 2
    err = capsys.readouterr().err
    assert says in err and "baseline.json" in err and "Traceback" not in err


def test_cli_write_then_check_against_baseline(desk: Path, capsys) -> None:
    base = desk / "baseline.json"
    news = str(desk / "news")
    assert main(["check", "-q", news]) == 1
    capsys.readouterr()
    assert main(["check", "-q", "--write-baseline", str(base), news]) == 0, "recording today's findings is a success"
    assert "recorded 2 finding(s)" in capsys.readouterr().err
    assert main(["check", "-q", "--baseline", str(base), news]) == 0
    assert "0 findings" in capsys.readouterr().out
    with open(desk / "news" / "floods.md", "a") as handle:
        handle.write("\nAdvertisement\n")
    assert main(["check", "-q", "--baseline", str(base), news]) == 1
    out = capsys.readouterr().out
    assert "boilerplate.share_prompt" in out and "boilerplate.see_also" not in out


# ----- copydesk init ----------------------------------------------------------------------

def test_starter_config_parses_and_documents_every_key(tmp_path: Path) -> None:
    config = parse_config(yaml.safe_load(STARTER), str(tmp_path / "copydesk.yaml"))
    assert config.builtin and config.disable == () and config.per_path == ()
    missing = [key for key in KEYS if f"{key}:" not in STARTER]
    assert missing == [], f"copydesk init does not mention {missing}"
    commented = [line for line in STARTER.splitlines() if line.startswith("#")]
    assert len(commented) >= len(KEYS)
    # The commented-out examples are valid too, once uncommented (they come after the defaults,
    # and the last of two equal keys wins in YAML).
    lines = [line[2:] if line.startswith("# ") and (line[2:].split(":")[0] in KEYS or line.startswith("#   "))
             else line for line in STARTER.splitlines()]
    examples = parse_config(yaml.safe_load("\n".join(lines)), str(tmp_path / "copydesk.yaml"))
    assert examples.per_path[0][0] == "wire/*.txt" and examples.exclude and examples.enable


def test_init_writes_and_refuses_to_overwrite(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    assert (tmp_path / "copydesk.yaml").read_text() == STARTER
    assert (tmp_path / "copydesk.yaml").stat().st_mode & 0o644 == 0o644
    (tmp_path / "copydesk.yaml").write_text("disable: [dates]\n")
    capsys.readouterr()
    assert main(["init"]) == 2
    assert "already exists; use --force" in capsys.readouterr().err
    assert (tmp_path / "copydesk.yaml").read_text() == "disable: [dates]\n"
    assert main(["init", "--force"]) == 0
    assert (tmp_path / "copydesk.yaml").read_text() == STARTER
    assert main(["init", "desk/copydesk.yaml"]) == 2, "a missing folder is an error, not a traceback"
    assert "cannot write" in capsys.readouterr().err


def test_starter_config_is_used_by_check(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    (tmp_path / "a.txt").write_text(article(P1, SEE))
    assert main(["check", "-q", "--disable", "names,dates,coherence,stylesheet", "a.txt"]) == 1
    assert "boilerplate.see_also" in capsys.readouterr().out
