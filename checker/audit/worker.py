"""The workers' side of copydesk audit: one engine per worker process, and the per-article task.

A Dask worker plugin builds the engine and loads the pipeline when a worker starts (again in
a worker the nanny restarts); tasks read their article where it sits (a path every worker
sees, or an fsspec URL) and return its results line, never the text.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from checker.errors import InputError

if TYPE_CHECKING:
    from checker.engine import Engine


def is_url(path: str) -> bool:
    return "://" in path


@dataclass(frozen=True)
class Options:
    """What every worker needs to build the same engine as ``copydesk check``."""

    config: str | None = None
    date: dt.date | None = None
    overrides: tuple[tuple[str, Any], ...] = ()

    @property
    def token(self) -> str:
        return hashlib.sha256(repr(self).encode()).hexdigest()[:16]


_ENGINES: dict[str, Engine] = {}


def worker_engine(options: Options) -> Engine:
    """The engine of this process for these options: built, and its pipeline loaded, once."""
    engine = _ENGINES.get(options.token)
    if engine is None:
        from checker.document.nlp import load_pipeline
        from checker.engine import Engine

        engine = Engine(options.config, options.date, dict(options.overrides), keep_documents=True)
        config = engine.config_for(os.path.join(os.getcwd(), "article.txt"))
        needs = engine.ruleset(config).needs
        if needs:
            load_pipeline(config.model, needs)
        _ENGINES[options.token] = engine
    return engine


def _plugin_class() -> type:
    from distributed.diagnostics.plugin import WorkerPlugin

    class AuditPlugin(WorkerPlugin):  # type: ignore[misc]
        """Builds the engine and loads the pipeline when a worker starts (and when a restarted one does)."""

        name = "copydesk-audit"

        def __init__(self, options: Options) -> None:
            self.options = options

        def setup(self, worker: Any) -> None:
            worker_engine(self.options)

    return AuditPlugin


def _read_bytes(path: str) -> bytes:
    from checker.source import input_errors, read_bytes, too_large

    if not is_url(path):
        return read_bytes(path)
    import fsspec

    with input_errors(path):
        fs, inner = fsspec.core.url_to_fs(path)
        too_large(path, fs.size(inner))
        with fs.open(inner, "rb") as handle:
            return handle.read()  # type: ignore[no-any-return]


def audit_file(shown: str, where: str, known: str | None, options: Options) -> dict[str, Any]:
    """Check one article on a worker: its results line, or ``{"skip": True}`` when its hash is ``known``."""
    from checker.archive import article_people
    from checker.document.loaders import load_document
    from checker.reporters.json import file_dict
    from checker.source import decode

    engine = worker_engine(options)
    try:
        data = _read_bytes(where)
        digest = hashlib.sha256(data).hexdigest()
        if digest == known:
            return {"skip": True, "path": shown}
        source = decode(where, data)
        if not source.text.strip():
            raise InputError(where, "empty file: nothing to check")
        config = engine.config_for(os.path.join(os.getcwd(), "article.txt") if is_url(where) else where)
        doc = load_document(source, engine.default_date(where, config))
        if not doc.text.strip():
            raise InputError(where, "empty article: no text to check outside front matter and markup")
    except InputError as exc:
        return {"path": shown, "message": exc.message}
    result = engine.check_documents([(doc, config)])[0]
    record = file_dict(result)
    record["path"] = shown
    if result.error:
        record["problems"] = result.error
    record["sha256"] = digest
    record["words"] = len(doc.text.split())
    annotated = result.document if result.document is not None and result.document.spacy is not None else None
    record["people"] = article_people(annotated) if annotated is not None else []
    return record


def unchanged(items: list[tuple[str, str, str]]) -> list[str]:
    """On a worker: the articles of a batch whose bytes still hash to their recorded sha256."""
    out = []
    for shown, where, sha in items:
        try:
            data = _read_bytes(where)
        except InputError:
            continue  # audited again, to record the error
        if hashlib.sha256(data).hexdigest() == sha:
            out.append(shown)
    return out
