"""--jobs N gives the same bytes as one process; the result cache gives the same bytes as a fresh run."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from checker.engine import Engine
from tests.conftest import CORPUS, SEEDS, run_cli

FURNITURE = ("Storm hits coast\n\nThe storm reached the coast on Monday, officials said.\n\n"
             "See also: Ten tips for surviving a storm\n\nResidents were told to stay indoors.\n")

COUNCIL = ("Council approves budget\n\nThe council approved the budget on Tuesday after a long debate.\n\n"
           "Councillor Anna Berg said the plan would protect libraries.\n\nBerg said the vote was close.\n")


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed, a made-up article with furniture, and a few real corpus articles (in a temp folder)."""
    folder = tmp_path_factory.mktemp("jobs")
    shutil.copy(SEEDS / "pentagon-talks.txt", folder / "pentagon-talks.txt")
    (folder / "storm.txt").write_text(FURNITURE, encoding="utf-8")
    (folder / "council.txt").write_text(COUNCIL, encoding="utf-8")  # a third file without ../shared
    if CORPUS.is_dir():
        for path in sorted(CORPUS.glob("*.txt"))[::40]:  # one of each topic
            shutil.copy(path, folder / path.name)
    return folder


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_jobs_2_output_is_byte_identical_to_jobs_1(articles: Path, fmt: str) -> None:
    one = run_cli("check", "--no-cache", "--format", fmt, "--jobs", "1", "--date", "2005-03-01", str(articles))
    two = run_cli("check", "--no-cache", "--format", fmt, "--jobs", "2", "--date", "2005-03-01", str(articles))
    assert one.returncode in (0, 1), one.stderr[-2000:]
    assert len(list(articles.glob("*.txt"))) >= 3
    assert "storm.txt" in one.stdout  # the run saw the files (furniture is found)
    assert two.returncode == one.returncode
    assert two.stdout == one.stdout


def test_cache_hit_gives_identical_output(articles: Path, tmp_path: Path) -> None:
    env = {"COPYDESK_CACHE_DIR": str(tmp_path / "cache")}
    args = ("check", "--format", "json", "--date", "2005-03-01", str(articles))
    fresh = run_cli(*args[:1], "--no-cache", *args[1:])
    first = run_cli(*args, env=env)
    stored = list((tmp_path / "cache").rglob("*.json"))
    second = run_cli(*args, env=env)
    assert first.stdout == fresh.stdout
    assert len(stored) == len(list(articles.glob("*.txt")))
    assert second.stdout == fresh.stdout and second.returncode == fresh.returncode
    parallel = run_cli("check", "--format", "json", "--jobs", "2", "--date", "2005-03-01", str(articles), env=env)
    assert parallel.stdout == fresh.stdout


class _NoChecking(Engine):
    def check_documents(self, docs):  # type: ignore[no-untyped-def]
        if docs:
            raise AssertionError(f"checked {[d.path for d, _ in docs]} although the cache holds them")
        return []


def test_unchanged_files_are_not_checked_again_and_changed_ones_are(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "copydesk.yaml").write_text("disable: [names, dates, coherence, stylesheet]\n", encoding="utf-8")
    storm = folder / "storm.txt"
    storm.write_text(FURNITURE, encoding="utf-8")
    paths = [str(storm)]
    first = Engine(cache=True).check_paths(paths)
    again = _NoChecking(cache=True).check_paths(paths)
    assert [f.findings for f in again] == [f.findings for f in first]
    assert again[0].source is not None and again[0].source.text == FURNITURE
    # Another default article date is another key: checked again.
    with pytest.raises(AssertionError, match="although the cache holds"):
        _NoChecking(cache=True, date=__import__("datetime").date(2005, 1, 1)).check_paths(paths)
    # An edited article is checked again, and its new finding is reported.
    storm.write_text(FURNITURE + "\nRead more: Storm season begins\n", encoding="utf-8")
    edited = Engine(cache=True).check_paths(paths)
    assert len(edited[0].findings) == len(first[0].findings) + 1
    # A changed configuration is another key too.
    (folder / "copydesk.yaml").write_text("disable: [names, dates, coherence, stylesheet, boilerplate.see_also]\n",
                                          encoding="utf-8")
    changed = Engine(cache=True).check_paths(paths)
    assert all(f.rule != "boilerplate.see_also" for f in changed[0].findings)


def test_corrupt_cache_entry_is_a_miss(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path / "cache"))
    storm = tmp_path / "storm.txt"
    storm.write_text(FURNITURE, encoding="utf-8")
    first = Engine(cache=True, overrides={"disable": ("names", "dates", "coherence", "stylesheet")}
                   ).check_paths([str(storm)])
    for entry in (tmp_path / "cache").rglob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    again = Engine(cache=True, overrides={"disable": ("names", "dates", "coherence", "stylesheet")}
                   ).check_paths([str(storm)])
    assert [f.findings for f in again] == [f.findings for f in first]
    assert not [p for p in (tmp_path / "cache").rglob(".tmp-*")]
    assert os.listdir(tmp_path / "cache")
