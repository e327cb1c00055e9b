"""Find and layer configuration: copydesk.yaml, .copydesk.yaml or [tool.copydesk], walking up."""
from __future__ import annotations

import datetime as dt
import fnmatch
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from checker.errors import ConfigError, RuleError
from checker.finding import Confidence, Severity
from checker.yamlload import LineDict, iso_date, line_of, load_yaml_file, unknown_key

CONFIG_NAMES = ("copydesk.yaml", ".copydesk.yaml", "copydesk.yml", ".copydesk.yml")
KEYS = {
    "model": "spaCy pipeline to load (package name or path)",
    "rules": "extra rule packs (paths relative to this file)",
    "stylesheets": "newsroom style sheets (paths relative to this file)",
    "disable": "rule ids or families to turn off ('dates', 'names.variant')",
    "enable": "rule ids or families to turn on again",
    "severity": "rule id or family -> error, warning or info",
    "options": "rule id -> {field: value} overrides of a rule's options",
    "exclude": "glob patterns of files not to check",
    "date": "article date (YYYY-MM-DD) for articles without one",
    "min_confidence": "drop findings below this confidence (low, medium, high)",
    "per_path": "glob -> {disable: [...], enable: [...], severity: {...}}",
    "builtin": "load the shipped rule packs (default true)",
    "max_block_chars": "most characters handed to the spaCy pipeline at once (longer paragraphs are cut)",
}
# The most characters spaCy gets at once: bounds the memory a file needs whatever its size
# (issue 13; the curve of peak memory against input size is in the README, measured by
# benchmarks/bad_input.py). Long news features are ~60,000 characters.
MAX_BLOCK_CHARS = 100_000
MIN_BLOCK_CHARS = 1_000


@dataclass(frozen=True)
class Config:
    """Settings for a set of files; ``path`` is the file they came from ('' for defaults)."""

    path: str = ""
    root: str = "."
    model: str | None = None
    rules: tuple[str, ...] = ()
    stylesheets: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    enable: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    date: dt.date | None = None
    min_confidence: Confidence = Confidence.LOW
    per_path: tuple[tuple[str, Mapping[str, Any]], ...] = ()
    builtin: bool = True
    max_block_chars: int = MAX_BLOCK_CHARS
    # Line of each rule-naming field ('disable', 'per_path.GLOB.severity'...), for errors.
    lines: Mapping[str, int | None] = field(default_factory=dict, compare=False, repr=False)

    def rule_names(self) -> list[tuple[str, str, int | None]]:
        """Every rule id or family this file names: (field, name, line), in file order."""
        out = [("disable", x, self.lines.get("disable")) for x in self.disable]
        out += [("enable", x, self.lines.get("enable")) for x in self.enable]
        out += [(f"severity.{x}", x, self.lines.get("severity")) for x in self.severity]
        for pattern, section in self.per_path:
            line = self.lines.get(f"per_path.{pattern}")
            out += [(f"per_path.{pattern}.{key}", x, line) for key in ("disable", "enable") for x in section.get(key, ())]
            out += [(f"per_path.{pattern}.severity.{x}", x, line) for x in section.get("severity", {})]
        return out

    def key(self) -> tuple[Any, ...]:
        """What decides the rule set (two files with equal keys share one)."""
        return (self.model, self.rules, self.stylesheets, self.disable, self.enable,
                tuple(sorted((k, int(v)) for k, v in self.severity.items())),
                repr(sorted(self.options.items())), self.builtin)

    def for_file(self, path: str) -> Config:
        """This config with the ``per_path`` sections that match ``path`` applied."""
        rel = _relative(path, self.root)
        result = self
        for pattern, section in self.per_path:
            if _glob_match(rel, pattern):
                result = replace(
                    result,
                    disable=result.disable + tuple(section.get("disable", ())),
                    enable=result.enable + tuple(section.get("enable", ())),
                    severity={**result.severity, **section.get("severity", {})},
                )
        return result

    def is_excluded(self, path: str) -> bool:
        rel = _relative(path, self.root)
        return any(_glob_match(rel, pattern) for pattern in self.exclude)

    def rule_enabled(self, rule_id: str, default: bool) -> bool:
        """Later, more specific settings win: an id beats its family; enable beats disable at equal rank."""
        def rank(items: tuple[str, ...]) -> int:
            best = -1
            for item in items:
                item = item.rstrip(".*")
                if item == rule_id:
                    best = max(best, 2)
                elif item in ("all", "") or rule_id.startswith(item + "."):
                    best = max(best, 1 if item not in ("all", "") else 0)
            return best
        off, on = rank(self.disable), rank(self.enable)
        if off < 0 and on < 0:
            return default
        return on >= off

    def severity_for(self, rule_id: str, default: Severity) -> Severity:
        if rule_id in self.severity:
            return self.severity[rule_id]
        family = rule_id.split(".", 1)[0]
        return self.severity.get(family, default)


# Families that are real without a rule pack naming them ('copydesk audit' makes archive.*).
KNOWN_FAMILIES = ("all", "archive")


def unknown_rule_name(name: str, rule_ids: Iterable[str]) -> str | None:
    """Why ``name`` (an id, a family, 'family.*' or 'all') names no rule, or None if it does."""
    import difflib

    ids = set(rule_ids)
    known = ids | {i.split(".", 1)[0] for i in ids} | set(KNOWN_FAMILIES)
    bare = name[:-2] if name.endswith(".*") else name
    if bare in known:
        return None
    close = difflib.get_close_matches(bare, sorted(known), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else "; 'copydesk rules' lists them"
    return f"names no rule or family: {name!r}{hint}"


def check_rule_names(config: Config, rule_ids: Iterable[str]) -> None:
    """Unknown rule ids and families are errors, like unknown keys: a misspelt
    ``severity: {namez: error}`` must not quietly pass CI (issue 13)."""
    ids = list(rule_ids)
    for where, name, line in config.rule_names():
        problem = unknown_rule_name(name, ids)
        if problem is not None:
            raise RuleError(config.path or "configuration", line, where, problem)


def _relative(path: str, root: str) -> str:
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        return Path(path).as_posix()


def _glob_match(rel: str, pattern: str) -> bool:
    pattern = pattern.rstrip("/")
    if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(rel, pattern + "/*"):
        return True
    parts = rel.split("/")
    # A pattern without a slash matches any path component, as in .gitignore.
    return "/" not in pattern and any(fnmatch.fnmatch(p, pattern) for p in parts)


def _str_list(data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleError(path, line_of(data, key), key, "must be a list of strings")
    return tuple(value)


def _severity_map(value: Any, path: str, data: Any, key: str) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise RuleError(path, line_of(data, key), key, "must map rule ids to error, warning or info")
    out = {}
    for rule, level in value.items():
        if level not in ("error", "warning", "info"):
            raise RuleError(path, line_of(value, rule), f"{key}.{rule}",
                            f"must be one of error, warning, info (got {level!r})")
        out[str(rule)] = Severity.parse(level)
    return out


def parse_config(data: Any, path: str) -> Config:
    """Validate a configuration mapping (from YAML or pyproject) into a Config."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise RuleError(path, getattr(data, "line", None), None, "configuration must be a mapping")
    for key in data:
        if key not in KEYS:
            raise unknown_key(path, line_of(data, key), key, list(KEYS))
    base = os.path.dirname(os.path.abspath(path)) if path else os.getcwd()

    def paths(key: str) -> tuple[str, ...]:
        return tuple(os.path.normpath(os.path.join(base, p)) for p in _str_list(data, key, path))

    model = data.get("model")
    if model is not None and not isinstance(model, str):
        raise RuleError(path, line_of(data, "model"), "model", "must be a string")
    date = iso_date(data, "date", path)
    options = data.get("options", {})
    if not isinstance(options, dict) or not all(isinstance(v, dict) for v in options.values()):
        raise RuleError(path, line_of(data, "options"), "options", "must map rule ids to {field: value}")
    min_conf = data.get("min_confidence", "low")
    if min_conf not in ("low", "medium", "high"):
        raise RuleError(path, line_of(data, "min_confidence"), "min_confidence", "must be low, medium or high")
    per_path = data.get("per_path", {})
    if not isinstance(per_path, dict):
        raise RuleError(path, line_of(data, "per_path"), "per_path", "must map globs to settings")
    sections = []
    for pattern, section in per_path.items():
        if not isinstance(section, dict):
            raise RuleError(path, line_of(per_path, pattern), f"per_path.{pattern}", "must be a mapping")
        for key in section:
            if key not in ("disable", "enable", "severity"):
                raise RuleError(path, line_of(section, key), f"per_path.{pattern}.{key}",
                                "is not a known key; valid keys: disable, enable, severity")
        parsed: dict[str, Any] = {
            "disable": _str_list(section, "disable", path),
            "enable": _str_list(section, "enable", path),
            "severity": _severity_map(section.get("severity", {}), path, section, "severity"),
        }
        sections.append((str(pattern), parsed))
    builtin = data.get("builtin", True)
    if not isinstance(builtin, bool):
        raise RuleError(path, line_of(data, "builtin"), "builtin", "must be true or false")
    block_chars = data.get("max_block_chars", MAX_BLOCK_CHARS)
    if isinstance(block_chars, bool) or not isinstance(block_chars, int) or block_chars < MIN_BLOCK_CHARS:
        raise RuleError(path, line_of(data, "max_block_chars"), "max_block_chars",
                        f"must be a whole number of at least {MIN_BLOCK_CHARS:,} (got {block_chars!r})")
    lines = {key: line_of(data, key) for key in ("disable", "enable", "severity")}
    lines.update({f"per_path.{pattern}": line_of(per_path, pattern) for pattern in per_path})
    return Config(
        max_block_chars=block_chars, lines=lines,
        path=path, root=base, model=model, rules=paths("rules"), stylesheets=paths("stylesheets"),
        disable=_str_list(data, "disable", path), enable=_str_list(data, "enable", path),
        severity=_severity_map(data.get("severity", {}), path, data, "severity"),
        options={str(k): dict(v) for k, v in options.items()},
        exclude=_str_list(data, "exclude", path), date=date,
        min_confidence=Confidence.parse(min_conf), per_path=tuple(sections), builtin=builtin,
    )


def load_config_file(path: str) -> Config:
    if path.endswith(".toml"):
        try:
            with open(path, "rb") as handle:
                data = tomllib.load(handle).get("tool", {}).get("copydesk", {})
        except FileNotFoundError:
            raise ConfigError(path, "configuration file not found") from None
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(path, f"cannot read: {exc}") from None
        return parse_config(_to_linedict(data), path)
    return parse_config(load_yaml_file(path), path)


def _to_linedict(data: Any) -> Any:
    if isinstance(data, dict):
        out = LineDict({k: _to_linedict(v) for k, v in data.items()})
        out.key_lines = {}
        return out
    return data


def _pyproject_has_section(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return "copydesk" in tomllib.load(handle).get("tool", {})
    except (OSError, tomllib.TOMLDecodeError):
        return False


class ConfigFinder:
    """Finds the nearest configuration for each file, walking up as ruff does; caches per folder."""

    def __init__(self, explicit: str | None = None) -> None:
        self.explicit = load_config_file(explicit) if explicit else None
        self._by_dir: dict[str, Config] = {}
        self._broken: dict[str, ConfigError] = {}

    def for_path(self, path: str) -> Config:
        """The configuration for ``path``; raises the ConfigError of a broken one (every
        file under it gets the same error, once parsed)."""
        if self.explicit is not None:
            return self.explicit
        folder = os.path.dirname(os.path.abspath(path))
        broken = self._broken.get(folder)
        if broken is not None:
            raise broken
        found = self._by_dir.get(folder)
        if found is None:
            try:
                found = self._search(folder)
            except ConfigError as exc:
                self._broken[folder] = exc
                raise
            self._by_dir[folder] = found
        return found

    def _search(self, folder: str) -> Config:
        current = Path(folder)
        for directory in (current, *current.parents):
            cached = self._by_dir.get(str(directory))
            if cached is not None:
                return cached
            broken = self._broken.get(str(directory))
            if broken is not None:
                raise broken
            for name in CONFIG_NAMES:
                candidate = directory / name
                if candidate.is_file():
                    return load_config_file(str(candidate))
            pyproject = directory / "pyproject.toml"
            if pyproject.is_file() and _pyproject_has_section(pyproject):
                return load_config_file(str(pyproject))
        return Config(root=os.getcwd())
