"""Skip re-checking unchanged files: results stored under a hash of everything that decides them.

The key of one file's result is a SHA-256 over: the file's bytes; the effective
configuration for that file (after per-path sections and command-line overrides) and the
default article date it gets; the contents of every rule pack and style sheet in use; the
spaCy model's name and version; the copydesk version and a fingerprint of copydesk's own
code (so a developer's edit to a check never serves stale results). Change any of them
and the file is checked again. Entries are written atomically (temp file + rename), so
parallel workers and interrupted runs never leave a half-written entry; an unreadable or
corrupt entry is a miss, never an error.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker import __version__
from checker.atomic import write_atomic
from checker.document.dateline import default_year
from checker.finding import Confidence, Finding, Related, Severity

if TYPE_CHECKING:
    from checker.config import Config
    from checker.engine import FileResult

CACHE_DIR_NAME = ".copydesk_cache"
GITIGNORE = "# Created by copydesk: the result cache, never to be committed.\n*\n"
# Bump when the stored layout changes.
FORMAT = 1


@cache
def code_fingerprint() -> str:
    """Size and mtime of every module of the package: cheap, and changes with any edit."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@cache
def _model_id(name: str | None) -> str:
    """The resolved model name and its package version (a retrained model changes results)."""
    from importlib import metadata

    from checker.document.nlp import resolve_model

    try:
        model = resolve_model(name)
    except Exception:  # noqa: BLE001 - no model: the check itself will report it
        return f"unresolved:{name}"
    try:
        return f"{model}=={metadata.version(model)}"
    except metadata.PackageNotFoundError:
        return model  # a path: its files are not hashed; pass --no-cache after retraining


def _file_hash(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return "unreadable"


def default_dir(config: Config) -> str:
    """``.copydesk_cache`` beside the configuration file, else in the working directory."""
    override = os.environ.get("COPYDESK_CACHE_DIR")
    if override:
        return override
    base = os.path.dirname(os.path.abspath(config.path)) if config.path else os.getcwd()
    return os.path.join(base, CACHE_DIR_NAME)


class ResultCache:
    """Per-file results keyed by content hash; one instance per engine."""

    def __init__(self, directory: str | None = None) -> None:
        self.directory = directory
        self._config_keys: dict[tuple[Any, ...], str] = {}
        self._ignored: set[str] = set()

    def _config_key(self, config: Config) -> str:
        """Hash of the effective configuration and the contents of the packs it loads."""
        from checker.rules import builtin_packs

        key = (config.key(), config.min_confidence, config.builtin)
        found = self._config_keys.get(key)
        if found is None:
            digest = hashlib.sha256()
            digest.update(repr((config.model, config.rules, config.stylesheets, config.disable, config.enable,
                                sorted((k, int(v)) for k, v in config.severity.items()),
                                sorted((k, sorted(v.items())) for k, v in config.options.items()),
                                int(config.min_confidence), config.builtin)).encode())
            packs = [str(p) for p in builtin_packs()] if config.builtin else []
            for pack in packs + list(config.rules) + list(config.stylesheets):
                digest.update(f"{pack}:{_file_hash(pack)}\n".encode())
            digest.update(_model_id(config.model).encode())
            digest.update(code_fingerprint().encode())
            found = digest.hexdigest()
            self._config_keys[key] = found
        return found

    def key(self, data: bytes, config: Config, date: dt.date | None, salt: str = "") -> str:
        digest = hashlib.sha256(f"copydesk {__version__} cache {FORMAT}\n".encode())
        digest.update(self._config_key(config).encode())
        # A year-less dateline takes the year of --date (issue 13); the key follows it.
        digest.update(f"date:{date} year:{default_year(date)}\n".encode())
        if salt:  # the run's template lines (engine.template_key): other files decide them
            digest.update(f"salt:{salt}\n".encode())
        digest.update(hashlib.sha256(data).digest())
        return digest.hexdigest()

    def _entry_path(self, config: Config, key: str) -> str:
        return os.path.join(self.directory or default_dir(config), f"v{FORMAT}", key[:2], key + ".json")

    def lookup(self, path: str, config: Config, date: dt.date | None,
               salt: str = "") -> tuple[str | None, FileResult | None]:
        """(key, stored result) for a file; (None, None) when the file cannot be read."""
        from checker.engine import FileResult
        from checker.source import decode

        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return None, None  # the normal load reports it
        key = self.key(data, config, date, salt)
        try:
            with open(self._entry_path(config, key), encoding="utf-8") as handle:
                stored = json.load(handle)
            source = decode(path, data)
            findings = tuple(_finding(f) for f in stored["findings"])
        except Exception:  # noqa: BLE001 - a corrupt or foreign entry is a miss, never an error
            return key, None
        return key, FileResult(path, findings, source, warnings=source.warnings)

    def store(self, key: str, config: Config, result: FileResult) -> None:
        """Write one result; results with errors are not stored (they may be transient)."""
        if result.error or result.source is None:
            return
        target = self._entry_path(config, key)
        payload = json.dumps({"findings": [_finding_dict(f) for f in result.findings]}, ensure_ascii=False)
        try:
            write_atomic(target, payload, durable=False)
            self._ignore(self.directory or default_dir(config))
        except OSError:
            pass  # a read-only checkout still gets checked, just not cached

    def _ignore(self, directory: str) -> None:
        """A ``.gitignore`` of the cache's own, so ``git add .`` never commits it (as
        pytest and ruff do for theirs)."""
        if directory in self._ignored:
            return
        path = os.path.join(directory, ".gitignore")
        if not os.path.exists(path):
            write_atomic(path, GITIGNORE, newline="\n", durable=False)
        self._ignored.add(directory)


def _finding_dict(f: Finding) -> dict[str, Any]:
    return {"rule": f.rule, "category": f.category, "severity": int(f.severity), "start": f.start, "end": f.end,
            "text": f.text, "message": f.message, "suggestion": f.suggestion, "confidence": int(f.confidence),
            "related": [[r.start, r.end, r.text, r.message] for r in f.related],
            "data": [list(item) for item in f.data]}


def _finding(d: dict[str, Any]) -> Finding:
    return Finding(rule=d["rule"], category=d["category"], severity=Severity(d["severity"]), start=d["start"],
                   end=d["end"], text=d["text"], message=d["message"], suggestion=d["suggestion"],
                   confidence=Confidence(d["confidence"]),
                   related=tuple(Related(*r) for r in d["related"]),
                   data=tuple((str(k), str(v)) for k, v in d["data"]))
