"""The resident daemon, for real: a daemon process on a socket in a temporary folder.

One daemon is started for the module, from a copy of the package in a temporary folder
(so the last test can edit that copy's code and see the daemon go stale without touching
the checkout). Every check through it is compared byte for byte with the same command
run in-process (``main()`` in this process, whose pipeline other test modules share).
Fallback runs check a folder whose configuration needs no spaCy, so they stay fast.
"""
from __future__ import annotations

import os
import shutil
import socket
import time
from pathlib import Path

import pytest

from checker import daemon
from checker.cli import main
from tests.conftest import ROOT, SEEDS, run_cli

FURNITURE = ("Storm hits coast\n\nThe storm reached the coast on Monday, officials said.\n\n"
             "See also: Ten tips for surviving a storm\n\nResidents were told to stay indoors.\n")

pytestmark = pytest.mark.skipif(not hasattr(socket, "send_fds"), reason="needs Unix-domain descriptor passing")


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    base = tmp_path_factory.mktemp("daemon")
    package = base / "pkg"
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "checker", package / "checker", ignore=ignore)
    shutil.copytree(ROOT / "rules", package / "rules", ignore=ignore)
    runtime = base / "run"
    work = base / "articles"
    (work / "desk").mkdir(parents=True)
    shutil.copy(SEEDS / "pentagon-talks.txt", work / "desk" / "pentagon-talks.txt")
    (work / "desk" / "storm.txt").write_text(FURNITURE, encoding="utf-8")
    (work / "plain").mkdir()
    (work / "plain" / "copydesk.yaml").write_text("disable: [names, dates, coherence, stylesheet]\n", encoding="utf-8")
    (work / "plain" / "storm.txt").write_text(FURNITURE, encoding="utf-8")
    env = {"PYTHONPATH": str(package), "COPYDESK_DAEMON_DIR": str(runtime)}
    started = run_cli("daemon", "start", "--idle-timeout", "2", cwd=work, env=env)
    assert started.returncode == 0, started.stderr[-2000:]
    assert "daemon started" in started.stderr
    yield {"package": package, "runtime": runtime, "work": work, "env": env}
    run_cli("daemon", "stop", cwd=work, env=env)


@pytest.fixture()
def same(setup, capsys, monkeypatch):  # type: ignore[no-untyped-def]
    """``same(*args, cwd=...)``: run ``copydesk ARGS`` through the daemon and in-process; assert
    identical output and status."""
    def run(*args: str, cwd: Path | None = None) -> tuple[str, int]:
        cwd = cwd or setup["work"]
        remote = run_cli(*args, "--daemon", cwd=cwd, env=setup["env"])
        assert "checking in-process" not in remote.stderr, remote.stderr
        monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(args), local=True)
        local = capsys.readouterr()
        assert remote.stdout == local.out
        assert remote.stderr == local.err
        assert remote.returncode == code
        return remote.stdout, code
    return run


def test_status_reports_the_loaded_pipeline(setup) -> None:  # type: ignore[no-untyped-def]
    status = run_cli("daemon", "status", cwd=setup["work"], env=setup["env"])
    assert status.returncode == 0
    assert "daemon running" in status.stdout and "parser" in status.stdout
    folder = setup["runtime"]
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / daemon.SOCKET_NAME).stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_output_is_the_in_process_output_with_paths_relative_to_the_client(setup, same, fmt: str) -> None:  # type: ignore[no-untyped-def]
    out, code = same("check", "--no-cache", "--format", fmt, "desk")
    assert code == 1
    assert "desk/storm.txt" in out and "desk/pentagon-talks.txt" in out
    # From a subfolder, the same files by other relative paths.
    sub, _ = same("check", "--no-cache", "--format", fmt, "storm.txt", cwd=setup["work"] / "desk")
    assert "desk/" not in sub and "storm.txt" in sub


def test_configuration_is_read_again_for_every_request(setup, same) -> None:  # type: ignore[no-untyped-def]
    config = setup["work"] / "desk" / "copydesk.yaml"
    try:
        config.write_text("disable: [coherence]\n", encoding="utf-8")
        before, _ = same("check", "--no-cache", "--format", "json", "desk/storm.txt")
        config.write_text("disable: [coherence, boilerplate]\n", encoding="utf-8")
        after, code = same("check", "--no-cache", "--format", "json", "desk/storm.txt")
    finally:
        config.unlink()
    assert "boilerplate.see_also" in before
    assert "boilerplate.see_also" not in after and code == 0


def test_jobs_and_environment_reach_the_worker(setup, same, tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    same("check", "--no-cache", "--jobs", "2", "--format", "json", "desk")
    # COPYDESK_DAEMON=1 asks for the daemon as --daemon does.
    remote = run_cli("check", "--no-cache", "desk", cwd=setup["work"], env={**setup["env"], "COPYDESK_DAEMON": "1"})
    assert "checking in-process" not in remote.stderr and "desk/storm.txt" in remote.stdout
    # The worker runs in the client's environment: GitHub's step summary goes where the client's says.
    args = ("check", "--no-cache", "--format", "github", "desk/storm.txt")
    summaries = tmp_path / "remote.md", tmp_path / "local.md"
    run_cli(*args, "--daemon", cwd=setup["work"], env={**setup["env"], "GITHUB_STEP_SUMMARY": str(summaries[0])})
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summaries[1]))
    monkeypatch.chdir(setup["work"])
    main(list(args), local=True)
    capsys.readouterr()
    assert summaries[0].read_text(encoding="utf-8") == summaries[1].read_text(encoding="utf-8") != ""


def test_another_copydesk_checks_in_process(setup) -> None:  # type: ignore[no-untyped-def]
    # The checkout's own package, not the daemon's copy: refused, checked in-process.
    env = {"COPYDESK_DAEMON_DIR": str(setup["runtime"])}
    args = ("check", "--no-cache", "--format", "json", "plain/storm.txt")
    remote = run_cli(*args, "--daemon", cwd=setup["work"], env=env)
    local = run_cli(*args, cwd=setup["work"], env=env)
    assert remote.stderr.count("\n") == 1 and "another copydesk" in remote.stderr
    assert "checking in-process" in remote.stderr
    assert remote.stdout == local.stdout
    assert daemon.request("status", setup["runtime"]) is not None  # still serving its own copydesk


def test_stale_daemon_stops_and_the_client_checks_in_process(setup) -> None:  # type: ignore[no-untyped-def]
    edited = setup["package"] / "checker" / "finding.py"
    stat = edited.stat()
    os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    args = ("check", "--no-cache", "--format", "json", "plain/storm.txt")
    remote = run_cli(*args, "--daemon", cwd=setup["work"], env=setup["env"])
    assert "stale" in remote.stderr and "checking in-process" in remote.stderr
    assert remote.stdout == run_cli(*args, cwd=setup["work"], env=setup["env"]).stdout
    absent = run_cli(*args, "--daemon", cwd=setup["work"], env=setup["env"])
    assert "no daemon is running" in absent.stderr and absent.stdout == remote.stdout
    status = run_cli("daemon", "status", cwd=setup["work"], env=setup["env"])
    assert status.returncode == 1 and "no daemon running" in status.stdout


def test_idle_daemon_exits(tmp_path: Path) -> None:
    served = daemon.Daemon(tmp_path, idle_minutes=0.01)
    served.claim()
    served.bind()
    start = time.monotonic()
    served.serve()  # returns after 0.6 s without a request
    assert 0.5 <= time.monotonic() - start < 30
    assert served.listener is not None
    served.listener.close()


@pytest.mark.parametrize(("mode", "private"), [(0o700, True), (0o750, False), (0o777, False)])
def test_runtime_folder_must_be_private(tmp_path: Path, monkeypatch, mode: int, private: bool) -> None:
    folder = tmp_path / "run"
    folder.mkdir()
    folder.chmod(mode)
    monkeypatch.setenv(daemon.ENV_DIR, str(folder))
    if private:
        assert daemon.runtime_dir() == folder
    else:
        with pytest.raises(daemon.DaemonError, match="not private"):
            daemon.runtime_dir()
        code, why = daemon.run_remote(["check", "x.txt"])
        assert code is None and "not private" in why
