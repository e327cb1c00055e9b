"""--jobs N: check contiguous slices of the file list in worker processes, merge in order."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from checker.engine import Engine, FileResult
from checker.rules import RuleSpec


def _work(args: tuple[list[str], str | None, dt.date | None, Mapping[str, Any] | None,
                      Mapping[str, dt.date] | None, bool]
          ) -> tuple[list[FileResult], tuple[RuleSpec, ...]]:
    files, config, date, overrides, dates, cache = args
    # A worker gets several slices; its engine (rule sets, config lookups) is built once.
    key = (config, date, repr(sorted((overrides or {}).items())), cache)
    engine = _engines.get(key)
    if engine is None:
        engine = _engines[key] = Engine(config, date, overrides, cache=cache)
    engine.dates = dict(dates or {})
    return engine.check_paths(files), engine.rules()


_engines: dict[tuple[Any, ...], Engine] = {}


def check_parallel(files: Sequence[str], config: str | None, date: dt.date | None,
                   overrides: Mapping[str, Any] | None, jobs: int, *,
                   dates: Mapping[str, dt.date] | None = None, cache: bool = False
                   ) -> tuple[list[FileResult], tuple[RuleSpec, ...]]:
    """Split files into ``jobs`` slices balanced by size; results come back in input order."""
    import os

    sizes = []
    for path in files:
        try:
            sizes.append(os.path.getsize(path))
        except OSError:
            sizes.append(0)
    total = sum(sizes) or 1
    # Contiguous slices of about equal bytes, a few per worker so a slow slice does not idle the rest.
    pieces = max(1, min(len(files), jobs * 4))
    slices: list[list[str]] = [[] for _ in range(pieces)]
    acc = 0
    for path, size in zip(files, sizes, strict=True):
        index = min(pieces - 1, acc * pieces // total)
        slices[index].append(path)
        acc += size
    slices = [s for s in slices if s]
    results: list[FileResult] = []
    rules: dict[str, RuleSpec] = {}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for file_results, specs in pool.map(_work, [(s, config, date, overrides, {p: dates[p] for p in s if p in dates} if dates else None, cache)
                                                for s in slices]):
            results.extend(file_results)
            for spec in specs:
                rules.setdefault(spec.id, spec)
    return results, tuple(sorted(rules.values(), key=lambda s: s.id))
