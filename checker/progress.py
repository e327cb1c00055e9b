"""A progress bar on stderr for multi-file runs, only when stderr is a terminal (CI logs stay clean)."""
from __future__ import annotations

import os
from typing import IO, Any


class ProgressBar:
    """``bar(done, total)`` as ``check_paths(progress=...)`` calls it; the bar appears for 2+ files."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self._bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if total < 2:
            return
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=total, file=self.stream, unit="file", desc="copydesk", leave=False,
                             dynamic_ncols=True)
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def progress_bar(stream: IO[str]) -> ProgressBar | None:
    """A bar when ``stream`` is a terminal; ``None`` (silence) for pipes, files and CI logs."""
    try:
        interactive = stream.isatty()
    except (AttributeError, ValueError):
        interactive = False
    if not interactive or os.environ.get("TERM") == "dumb":
        return None
    return ProgressBar(stream)
