"""The real pre-commit runs this checkout's hook (.pre-commit-hooks.yaml) in a fresh repository.

pre-commit clones the checkout at its HEAD commit and installs it into its own virtualenv
with pip, so this tests what is committed, not the working tree. The first run builds that
environment (spaCy and the model come from PyPI): this file took 1m11s-2m01s cold on 2 cores;
a run at the same commit reuses it (about 8 s) when PRE_COMMIT_HOME is set to a kept
folder. By default the environment (355 MB) goes to pytest's temporary folder, so test runs
at ever-new commits do not fill ~/.cache/pre-commit.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow

CLEAN = """\
---
title: Council approves new library
date: 2024-03-14
---

# Council approves new library

The city council approved plans for a new public library in the town centre.

The building will stand on the site of the old bus depot, the council said.

Local residents welcomed the decision at a meeting in the town hall.
"""


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def article_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout of copydesk")
    pytest.importorskip("pre_commit", reason="pre-commit is in the 'test' extra")
    head = _git("rev-parse", "HEAD", cwd=ROOT)
    if not _git("ls-tree", "--name-only", head, ".pre-commit-hooks.yaml", cwd=ROOT):
        pytest.fail(".pre-commit-hooks.yaml is not committed at HEAD")
    repo = tmp_path_factory.mktemp("articles")
    _git("init", "-q", cwd=repo)
    shutil.copy(SEEDS / "pentagon-talks.txt", repo / "seed.txt")
    (repo / "clean.md").write_text(CLEAN, encoding="utf-8")
    (repo / "notes.yaml").write_text("not: an article\n")  # text, but not an article suffix
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT.as_posix()}\n    rev: {head}\n    hooks:\n      - id: copydesk\n")
    _git("add", "-A", cwd=repo)
    return repo


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> str:
    return os.environ.get("PRE_COMMIT_HOME") or str(tmp_path_factory.mktemp("pre-commit-home"))


def pre_commit(repo: Path, home: str, *files: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "VIRTUAL_ENV"))}
    env["PRE_COMMIT_HOME"] = home
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--color", "never", "--files", *files],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=900)


def test_hook_fails_on_the_seed(article_repo: Path, home: str) -> None:
    proc = pre_commit(article_repo, home, "seed.txt")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "copydesk" in proc.stdout and "Failed" in proc.stdout
    assert "seed.txt:29:1: warning boilerplate.see_also" in proc.stdout


def test_hook_passes_on_a_clean_article(article_repo: Path, home: str) -> None:
    proc = pre_commit(article_repo, home, "clean.md", "notes.yaml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout


def test_hook_skips_files_that_are_not_articles(article_repo: Path, home: str) -> None:
    proc = pre_commit(article_repo, home, "notes.yaml", ".pre-commit-config.yaml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "(no files to check)Skipped" in proc.stdout
