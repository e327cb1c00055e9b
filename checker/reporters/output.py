"""Where reports go: ``--output FORMAT:PATH`` targets, written atomically, never over an input."""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from checker.atomic import write_atomic as _write
from checker.errors import CopydeskError

if TYPE_CHECKING:
    from checker.engine import RunResult

REPORTS_DIR = "reports"


class OutputError(CopydeskError):
    """A bad ``--output`` value or a report that cannot be written (exit status 2)."""


@dataclass(frozen=True, slots=True)
class Target:
    format: str
    path: str


def parse_target(value: str, formats: Iterable[str]) -> Target:
    """``FORMAT:PATH`` -> Target; the first colon separates them, so PATH may hold colons."""
    fmt, sep, path = value.partition(":")
    valid = sorted(formats)
    if not sep or not path.strip():
        raise OutputError(f"--output {value!r}: expected FORMAT:PATH, e.g. sarif:copydesk.sarif "
                          f"(formats: {', '.join(valid)})")
    if fmt not in valid:
        raise OutputError(f"--output {value!r}: unknown format {fmt!r}; formats: {', '.join(valid)}")
    return Target(fmt, path)


def _same_file(a: str, b: str) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def refuse_inputs(targets: Iterable[Target], inputs: Iterable[str]) -> None:
    """An output path that is one of the articles would overwrite it with a report: refuse."""
    inputs = list(inputs)
    for target in targets:
        for path in inputs:
            if _same_file(target.path, path):
                raise OutputError(f"--output {target.format}:{target.path}: that is one of the files being "
                                  f"checked; choose another path for the report")


def default_html_path(inputs: list[str]) -> str:
    """``reports/NAME.html`` after the one article checked, ``reports/copydesk-report.html`` for many."""
    files = [p for p in inputs if not os.path.isdir(p)]
    if len(inputs) == 1 and len(files) == 1:
        stem = os.path.splitext(os.path.basename(files[0]))[0] or "copydesk-report"
        return os.path.join(REPORTS_DIR, f"{stem}.html")
    return os.path.join(REPORTS_DIR, "copydesk-report.html")


def write_atomic(path: str, text: str) -> None:
    """Write through a temporary file in the same folder and rename it into place, so a reader
    (a CI upload step, a browser) never sees half a report and a failed run leaves the old one.
    A symlink's target is replaced; a FIFO or ``/dev/stdout`` is written directly."""
    if os.path.isdir(path):
        raise OutputError(f"cannot write report to {path}: it is a directory")
    try:
        _write(path, text, newline="")
    except OSError as exc:
        raise OutputError(f"cannot write report to {path}: {exc.strerror or exc}") from None


def write_targets(result: RunResult, targets: Iterable[Target], failures: list[str] | None = None) -> list[Target]:
    """Render and write each target; refuses (before writing any) a target that is a checked file.

    A target that cannot be written does not stop the later ones: with ``failures`` its
    one-line message goes there (the caller exits 2), else the first failure is raised
    after every target was tried.
    """
    from checker.reporters import render

    targets = list(targets)
    refuse_inputs(targets, [f.path for f in result.files])
    written: list[Target] = []
    problems: list[str] = []
    for target in targets:
        try:
            write_atomic(target.path, render(target.format, result, colour=False, quiet=False))
        except OutputError as exc:
            problems.append(str(exc))
            continue
        written.append(target)
    if failures is not None:
        failures.extend(problems)
    elif problems:
        raise OutputError(problems[0])
    return written
