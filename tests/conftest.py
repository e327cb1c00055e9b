"""Shared fixtures: repository paths and a helper that runs the real command line."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
CORPUS = Path(os.environ.get("COPYDESK_CORPUS", SHARED / "corpus"))
# Peak resident memory (KiB) of the process that evaluates it, as an expression for a child's
# script. Not ru_maxrss: Linux carries it across exec, so a child forked from a big pytest
# process reports the parent's size (881 MB for a 108 MB run). VmHWM belongs to the new image.
PEAK_KB = ("next((int(l.split()[1]) for l in (open('/proc/self/status') if __import__('os').path.exists("
           "'/proc/self/status') else ()) if l.startswith('VmHWM:')), "
           "__import__('resource').getrusage(__import__('resource').RUSAGE_SELF).ru_maxrss)")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def run_cli(*args: str, cwd: Path | str | None = None, env: dict[str, str] | None = None,
            input: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m checker`` as a user would, in a subprocess."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("GITHUB_STEP_SUMMARY", None) if env is None or "GITHUB_STEP_SUMMARY" not in env else None
    return subprocess.run([sys.executable, "-m", "checker", *args], cwd=cwd or ROOT, env=full_env,
                          capture_output=True, text=True, input=input, timeout=300)


def run_json(*args: str, cwd: Path | str | None = None) -> tuple[int, dict[str, Any]]:
    proc = run_cli("check", "--format", "json", *args, cwd=cwd)
    try:
        data = json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise AssertionError(f"not JSON (exit {proc.returncode}): {proc.stdout[:500]} {proc.stderr[:500]}") from None
    return proc.returncode, data
