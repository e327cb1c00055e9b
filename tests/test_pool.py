"""--jobs survives its workers (issue 13): a worker that dies has its files retried once in a
fresh worker, then reported as errors (exit 2) while every other file keeps its result;
workers die with their parent; --jobs is capped at the CPUs unless forced."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checker.cli import main
from tests.conftest import ROOT, SEEDS

BODY = "Headline here\n\nThe council met on Tuesday.\n\nSee also: Council tax to rise next year\n"
FAST = ["--no-cache", "--fail-on", "never", "--format", "json"]  # the default rules
PARENT = os.getpid()

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork and PR_SET_PDEATHSIG are Linux's")


class Killer:
    """A check that kills its own worker process on articles saying KILL (the OOM killer's way).
    With ONCE, only the first time (a marker file remembers it)."""

    OPTIONS: dict = {}
    NEEDS: frozenset = frozenset()

    def __init__(self, spec, context=None) -> None:  # type: ignore[no-untyped-def]
        self.spec = spec
        self.needs = frozenset()

    def run(self, doc):  # type: ignore[no-untyped-def]
        if "KILL" in doc.text and os.getpid() != PARENT:
            marker = Path(doc.path + ".killed")
            if "ONCE" not in doc.text or not marker.exists():
                marker.write_text("x")
                os.kill(os.getpid(), signal.SIGKILL)
        return iter(())


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    from checker import registry

    monkeypatch.setitem(registry.CHECK_TYPES, "killer_for_test", "tests.test_pool:Killer")
    (tmp_path / "killer.yaml").write_text("rules:\n  - id: house.killer\n    type: killer_for_test\n")
    (tmp_path / "copydesk.yaml").write_text("rules: [killer.yaml]\n")
    (tmp_path / "a0.txt").write_text(BODY)  # the smallest: the parent checks it before forking
    for i in range(1, 6):
        (tmp_path / f"a{i}.txt").write_text(BODY + "\nMore text. " * i * 5)
    return tmp_path


def test_a_worker_killed_twice_loses_only_its_file(folder, capsys) -> None:
    (folder / "poison.txt").write_text(BODY + "\nKILL this worker.\n" * 30)
    code = main(["check", *FAST, "--jobs", "2", str(folder)])
    data = json.loads(capsys.readouterr().out)
    assert code == 2
    (error,) = data["errors"]
    assert error["path"].endswith("poison.txt") and "worker process checking this file died twice" in error["message"]
    others = [f for f in data["files"] if not f["path"].endswith("poison.txt")]
    # Every other file keeps exactly the findings a run without --jobs gives it (the killer
    # check only kills workers, never the parent).
    assert main(["check", *FAST, str(folder)]) == 0
    alone = [f for f in json.loads(capsys.readouterr().out)["files"] if not f["path"].endswith("poison.txt")]
    assert len(others) == 6 and others == alone
    assert all("boilerplate.see_also" in [x["rule"] for x in f["findings"]] for f in others)


def test_a_worker_killed_once_is_retried_and_its_file_checked(folder, capsys) -> None:
    (folder / "flaky.txt").write_text(BODY + "\nKILL ONCE this worker.\n" * 30)
    code = main(["check", *FAST, "--jobs", "2", str(folder)])
    data = json.loads(capsys.readouterr().out)
    assert (folder / "flaky.txt.killed").exists()  # it did die once
    assert code == 0 and data["errors"] == []
    assert len(data["files"]) == 7
    assert main(["check", *FAST, str(folder)]) == 0
    assert data["files"] == json.loads(capsys.readouterr().out)["files"]
    assert all("boilerplate.see_also" in [x["rule"] for x in f["findings"]] for f in data["files"])


def test_jobs_is_capped_at_the_cpus_unless_forced(tmp_path, capsys, monkeypatch) -> None:
    from checker import parallel

    monkeypatch.setattr(parallel, "usable_cpus", lambda: 2)
    seen: list[int] = []
    real = parallel.check_parallel
    monkeypatch.setattr(parallel, "check_parallel", lambda *a, **k: (seen.append(a[4]), real(*a, **k))[1])
    for i in range(3):
        (tmp_path / f"a{i}.txt").write_text(BODY)
    assert main(["check", *FAST, "--jobs", "1000", str(tmp_path)]) == 0
    assert "--jobs 1000 lowered to 2" in capsys.readouterr().err
    assert main(["check", *FAST, "--jobs", "3", "--force-jobs", str(tmp_path)]) == 0
    assert "lowered" not in capsys.readouterr().err
    assert seen == [2, 3]


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killing_the_parent_leaves_no_worker_behind(tmp_path, sig) -> None:
    seed = (SEEDS / "pentagon-talks.txt").read_text()
    for i in range(8):
        (tmp_path / f"s{i}.txt").write_text(seed * (3 + i))
    proc = subprocess.Popen([sys.executable, "-m", "checker", "check", "--no-cache", "--jobs", "2", str(tmp_path)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        workers: list[int] = []
        while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
            time.sleep(0.2)
            workers = _children(proc.pid)
        assert len(workers) >= 2, "the workers never started"
        proc.send_signal(sig)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(map(_alive, workers)):
            time.sleep(0.2)
        assert not [w for w in workers if _alive(w)]
    finally:
        if proc.poll() is None:
            proc.kill()
