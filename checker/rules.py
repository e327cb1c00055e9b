"""Load and validate YAML rule packs into RuleSpecs; every error names file, line and field."""
from __future__ import annotations

import os
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker.errors import RuleError
from checker.finding import CATEGORIES, Confidence, Severity
from checker.yamlload import LineDict, LineList, line_of, load_yaml_file, unknown_key

SCOPES = ("text", "body", "paragraph", "sentence", "heading", "title")
COMMON_FIELDS = ("id", "type", "category", "level", "message", "description", "link", "scope",
                 "enabled", "confidence")


def builtin_rules_dir() -> Path:
    """Shipped packs: inside the installed package, or the repository's rules/ in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "rules", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    return here / "rules"


@dataclass(frozen=True)
class Option:
    """One type-specific field of a rule: its Python type, whether required, its default."""

    kind: type | tuple[type, ...]
    default: Any = None
    required: bool = False
    help: str = ""
    choices: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class RuleSpec:
    """A validated rule: common fields plus the options of its type."""

    id: str
    type: str
    category: str
    level: Severity
    message: str
    description: str = ""
    link: str = ""
    scope: str = "body"
    enabled: bool = True
    confidence: Confidence = Confidence.HIGH
    options: Mapping[str, Any] = field(default_factory=dict)
    path: str = ""
    line: int | None = None
    field_lines: Mapping[str, int] = field(default_factory=dict, repr=False, compare=False)

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]

    def error(self, field_name: str | None, message: str) -> RuleError:
        """A RuleError pointing at this rule's field in its pack."""
        line = self.field_lines.get(field_name, self.line) if field_name else self.line
        return RuleError(self.path, line, field_name, message)

    def format_message(self, **fields: Any) -> str:
        try:
            return self.message.format_map(_Defaulting(fields))
        except (ValueError, IndexError, AttributeError):
            return self.message


class _Defaulting(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _type_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false",
             list: "a list", dict: "a mapping"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _check_type(value: Any, kind: type | tuple[type, ...]) -> bool:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        return False
    if float in kinds and isinstance(value, int) and not isinstance(value, bool):
        return True
    return isinstance(value, kinds)


def validate_rule(raw: Any, path: str, line: int | None,
                  option_table: Callable[[str], Mapping[str, Option] | None],
                  valid_types: list[str]) -> RuleSpec:
    """Check one rule mapping from a pack and return its RuleSpec."""
    if not isinstance(raw, dict):
        raise RuleError(path, line, None, f"each rule must be a mapping, got {type(raw).__name__}")
    where = raw.line_of if isinstance(raw, LineDict) else (lambda _k: line)

    def need_str(key: str, default: str | None = None) -> str:
        value = raw.get(key, default)
        if value is None:
            raise RuleError(path, where(key) if key in raw else line, key, "is required")
        if not isinstance(value, str) or not value.strip():
            raise RuleError(path, where(key), key, f"must be a non-empty string (got {value!r})")
        return value

    rule_id = need_str("id")
    if "." not in rule_id or any(c.isspace() for c in rule_id):
        raise RuleError(path, where("id"), "id", f"must look like 'family.name' (got {rule_id!r})")
    rule_type = need_str("type")
    options_schema = option_table(rule_type)
    if options_schema is None:
        raise RuleError(path, where("type"), "type",
                        f"unknown rule type {rule_type!r}; valid types: {', '.join(valid_types)}")
    category = raw.get("category", "other")
    if category not in CATEGORIES:
        raise RuleError(path, where("category"), "category",
                        f"must be one of {', '.join(CATEGORIES)} (got {category!r})")
    level = raw.get("level", "warning")
    if level not in ("error", "warning", "info"):
        raise RuleError(path, where("level"), "level", f"must be one of error, warning, info (got {level!r})")
    confidence = raw.get("confidence", "high")
    if confidence not in ("high", "medium", "low"):
        raise RuleError(path, where("confidence"), "confidence", f"must be one of high, medium, low (got {confidence!r})")
    scope = raw.get("scope", "body")
    if scope not in SCOPES:
        raise RuleError(path, where("scope"), "scope", f"must be one of {', '.join(SCOPES)} (got {scope!r})")
    message = need_str("message", "{text}")
    try:
        list(string.Formatter().parse(message))
    except ValueError as exc:
        raise RuleError(path, where("message"), "message", f"is not a valid template: {exc}") from None
    for key in ("description", "link"):
        if key in raw and not isinstance(raw[key], str):
            raise RuleError(path, where(key), key, "must be a string")
    if "enabled" in raw and not isinstance(raw["enabled"], bool):
        raise RuleError(path, where("enabled"), "enabled", "must be true or false")

    options: dict[str, Any] = {}
    for key, value in raw.items():
        if key in COMMON_FIELDS:
            continue
        if key not in options_schema:
            raise unknown_key(path, where(key), key, list(COMMON_FIELDS) + list(options_schema))
        opt = options_schema[key]
        if not _check_type(value, opt.kind):
            raise RuleError(path, where(key), key, f"must be {_type_name(opt.kind)} (got {value!r})")
        if opt.choices is not None and value not in opt.choices:
            raise RuleError(path, where(key), key, f"must be one of {', '.join(map(str, opt.choices))} (got {value!r})")
        options[key] = value
    for key, opt in options_schema.items():
        if key not in options:
            if opt.required:
                raise RuleError(path, raw.line if isinstance(raw, LineDict) else line, key,
                                f"is required for rules of type {rule_type!r}")
            options[key] = opt.default
    field_lines = dict(raw.key_lines) if isinstance(raw, LineDict) else {}
    return RuleSpec(
        id=rule_id, type=rule_type, category=category, level=Severity.parse(level),
        message=message, description=raw.get("description", "").strip(), link=raw.get("link", ""),
        scope=scope, enabled=raw.get("enabled", True), confidence=Confidence.parse(confidence),
        options=options, path=path, line=raw.line if isinstance(raw, LineDict) else line,
        field_lines=field_lines,
    )


def load_pack(path: str | os.PathLike[str]) -> list[RuleSpec]:
    """Load one rule pack (a mapping with a ``rules:`` list)."""
    from checker.registry import option_table, rule_types

    path = str(path)
    data = load_yaml_file(path)
    if data is None:
        return []
    if not isinstance(data, dict):
        raise RuleError(path, getattr(data, "line", 1), None, "a rule pack must be a mapping with a 'rules' list")
    for key in data:
        if key not in ("rules", "description"):
            raise unknown_key(path, line_of(data, key), key, ["rules", "description"])
    rules = data.get("rules") or []
    if not isinstance(rules, list):
        raise RuleError(path, line_of(data, "rules"), "rules", "must be a list of rules")
    specs = []
    seen: dict[str, int | None] = {}
    for index, raw in enumerate(rules):
        spec = validate_rule(raw, path, rules.line_of(index) if isinstance(rules, LineList) else None,
                             option_table, rule_types())
        if spec.id in seen:
            raise spec.error("id", f"duplicate rule id {spec.id!r} (first on line {seen[spec.id]})")
        seen[spec.id] = spec.line
        specs.append(spec)
    return specs


def builtin_packs() -> list[Path]:
    return sorted(builtin_rules_dir().glob("*.yaml"))


def is_rule_pack(path: Path) -> bool:
    """Style sheets live beside packs in rules/; packs are the files with a top-level 'rules'."""
    try:
        head = path.read_text(encoding="utf-8")
    except OSError:
        return False
    return any(line.startswith("rules:") for line in head.splitlines())
