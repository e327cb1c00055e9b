"""--jobs N: check files in worker processes forked from a warmed parent, largest first; merge in input order.

Where the speed-up went (issue 3, 200 corpus articles on 2 cores): every worker imported
spaCy, loaded the model and the word-frequency table itself (about 2 s of CPU each, so a
second worker cost a second start-up), and the files went in 8 contiguous slices, so the
last slice could run alone for an eighth of the run. Now the parent loads the pipelines
and checks the smallest file (which warms every check) before forking, so workers start
warm and share the model's pages copy-on-write; the other files go largest first in
pieces that shrink to single files at the end (guided self-scheduling), so the workers
finish together.
"""
from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from checker.document.nlp import BATCH_SIZE, load_pipeline, runs_torch
from checker.engine import Engine, FileResult
from checker.errors import ConfigError
from checker.rules import RuleSpec

_engines: dict[tuple[Any, ...], Engine] = {}


def _engine(config: str | None, date: dt.date | None, overrides: Mapping[str, Any] | None, cache: bool) -> Engine:
    # One engine per process and set of options: rule sets and config lookups are built once
    # (and, built in the parent before the fork, not at all in the workers).
    key = (config, date, repr(sorted((overrides or {}).items())), cache)
    engine = _engines.get(key)
    if engine is None:
        engine = _engines[key] = Engine(config, date, overrides, cache=cache)
    return engine


def _work(args: tuple[list[str], str | None, dt.date | None, Mapping[str, Any] | None,
                      Mapping[str, dt.date] | None, bool, frozenset[str]]
          ) -> tuple[list[FileResult], tuple[RuleSpec, ...]]:
    files, config, date, overrides, dates, cache, templates = args
    engine = _engine(config, date, overrides, cache)
    engine.dates = dict(dates or {})
    engine.templates = templates
    return engine.check_paths(files), engine.rules()


def plan(sizes: Sequence[int], jobs: int, most: int = BATCH_SIZE) -> list[list[int]]:
    """Indexes of files in pieces: largest files first, each piece at most ``most`` files and
    at most 1/(2*jobs) of the bytes still to go, so pieces shrink to single files at the end."""
    order = sorted(range(len(sizes)), key=lambda i: (-sizes[i], i))
    remaining = sum(sizes)
    pieces: list[list[int]] = []
    piece: list[int] = []
    size = 0
    for index in order:
        piece.append(index)
        size += sizes[index]
        if len(piece) >= most or size * 2 * jobs >= remaining:
            pieces.append(piece)
            remaining -= size
            piece, size = [], 0
    if piece:
        pieces.append(piece)
    return pieces


def torch_ran() -> bool:
    """Whether PyTorch has run in this process: a loaded pipeline has a PyTorch component
    (the sentence encoder of ``method: semantic`` runs in numpy). Imported is not enough to
    tell: spaCy's thinc imports torch whenever it is installed, and a process that has only
    imported it forks safely (and keeps the warm start)."""
    if "torch" not in sys.modules:
        return False
    return runs_torch()


def _fork_context() -> Any:
    """fork where it is the safe default (Linux): workers inherit the parent's loaded pipelines."""
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None


def check_parallel(files: Sequence[str], config: str | None, date: dt.date | None,
                   overrides: Mapping[str, Any] | None, jobs: int, *,
                   dates: Mapping[str, dt.date] | None = None, cache: bool = False,
                   templates: frozenset[str] = frozenset()
                   ) -> tuple[list[FileResult], tuple[RuleSpec, ...]]:
    """Check files in ``jobs`` processes; results come back in input order. ``templates``:
    the run's template lines, found by the parent over all the files (engine.run_templates)."""
    sizes = []
    for path in files:
        try:
            sizes.append(os.path.getsize(path))
        except OSError:
            sizes.append(0)
    dates = dates or {}
    context = _fork_context()
    done: dict[int, FileResult] = {}
    rules: dict[str, RuleSpec] = {}
    todo = list(range(len(files)))
    if context is not None:
        # Warm the parent: its pipelines, checks and word tables are inherited by every worker.
        engine = _engine(config, date, overrides, cache)
        configs = []
        for path in files:
            try:
                configs.append(engine.config_for(path))
            except ConfigError:
                pass  # a broken copydesk.yaml: its files get the error from their worker
        for needs in {(c.model, engine.ruleset(c).needs) for c in configs}:
            if needs[1]:
                load_pipeline(*needs)
        first = min(todo, key=lambda i: (sizes[i], i))
        engine.dates = {files[first]: dates[files[first]]} if files[first] in dates else {}
        engine.templates = templates
        done[first] = engine.check_paths([files[first]])[0]
        for spec in engine.rules():
            rules.setdefault(spec.id, spec)
        todo.remove(first)
        if torch_ran():
            # The model has run PyTorch (a transformer pipeline), whose thread
            # pools do not survive fork: a forked worker hangs in its first parallel
            # region. Start the workers fresh; each loads its own pipelines.
            context = multiprocessing.get_context("spawn")
        else:
            # Objects made so far are never collected in the workers, and their pages stay shared.
            gc.freeze()
    try:
        pieces = [[todo[i] for i in piece] for piece in plan([sizes[i] for i in todo], jobs)]
        make = lambda piece: (_work, ([files[i] for i in piece], config, date, overrides,  # noqa: E731
                                      {files[i]: dates[files[i]] for i in piece if files[i] in dates}, cache,
                                      templates))
        retry: list[list[int]] = []
        for piece, outcome in _run_in_slots(pieces, make, jobs, context):
            if outcome is None:
                # The worker died (the OOM killer, a kill -9): its files once more, one per task.
                retry.extend([i] for i in piece)
                continue
            file_results, specs = outcome
            done.update(zip(piece, file_results, strict=True))
            for spec in specs:
                rules.setdefault(spec.id, spec)
        for piece, outcome in _run_in_slots(sorted(retry), make, jobs, context):
            if outcome is None:
                (index,) = piece
                done[index] = FileResult(files[index], error=LOST)
                continue
            file_results, specs = outcome
            done.update(zip(piece, file_results, strict=True))
            for spec in specs:
                rules.setdefault(spec.id, spec)
    finally:
        gc.unfreeze()
    return [done[i] for i in range(len(files))], tuple(sorted(rules.values(), key=lambda s: s.id))


LOST = ("the worker process checking this file died twice (killed, perhaps by the system for lack of "
        "memory); the file was not checked")


def _run_in_slots(pieces: Sequence[list[int]], make: Callable[[list[int]], tuple[Callable[..., Any], Any]],
                  jobs: int, context: Any) -> Iterator[tuple[list[int], Any]]:
    """Run pieces in ``jobs`` one-worker pools, each fed a piece when it is free; yields
    (piece, result) as they finish, or (piece, None) for a piece whose worker died. One pool
    per worker tells exactly whose worker died (a shared pool breaks for every piece in it);
    a dead worker's pool is replaced by a fresh one."""
    queue = list(pieces)
    queue.reverse()
    slots: list[ProcessPoolExecutor | None] = [None] * min(jobs, len(pieces))
    running: dict[Future[Any], tuple[int, list[int]]] = {}
    try:
        while queue or running:
            for slot, pool in enumerate(slots):
                if queue and not any(s == slot for s, _ in running.values()):
                    if pool is None:
                        pool = slots[slot] = ProcessPoolExecutor(max_workers=1, mp_context=context,
                                                                 initializer=die_with_parent, initargs=(os.getpid(),))
                    piece = queue.pop()
                    func, args = make(piece)
                    running[pool.submit(func, args)] = (slot, piece)
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                slot, piece = running.pop(future)
                try:
                    yield piece, future.result()
                except BrokenProcessPool:
                    dead = slots[slot]
                    slots[slot] = None
                    if dead is not None:
                        dead.shutdown(wait=True, cancel_futures=True)
                    yield piece, None
    finally:
        for pool in slots:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)


def die_with_parent(parent: int) -> None:
    """In a worker: be killed when the parent dies (Linux ``PR_SET_PDEATHSIG``), so a parent
    killed by TERM or KILL leaves no worker blocked on its pipe (issue 13)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the call: nobody would signal us
        os._exit(1)


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask where there is one)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1
