"""Safe YAML loading that remembers the line of every key, for errors that name the place."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from checker.errors import RuleError

# Rule packs are small; a document with more nodes than this is refused (billion-laughs style
# inputs are refused earlier, since aliases are not allowed at all).
MAX_NODES = 200_000


class LineDict(dict):  # type: ignore[type-arg]
    """A mapping that knows the 1-based line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):  # type: ignore[type-arg]
    """A sequence that knows the 1-based line of itself and of each item."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                None, None, "anchors and aliases (*name) are not allowed in copydesk files", event.start_mark)
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise yaml.MarkedYAMLError(None, None, f"more than {MAX_NODES} YAML nodes", self.peek_event().start_mark)
        return super().compose_node(parent, index)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)  # type: ignore[no-untyped-call]
        try:
            hash(key)
        except TypeError:
            raise yaml.MarkedYAMLError(None, None, "a mapping key must be a plain value", key_node.start_mark) from None
        if key in result:
            raise yaml.MarkedYAMLError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)  # type: ignore[no-untyped-call]
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)  # type: ignore[no-untyped-call]
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    # "2005-13-01" looks like a date to YAML; PyYAML then raises a bare ValueError with no line.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[no-untyped-call]
    except ValueError as exc:
        raise yaml.MarkedYAMLError(None, None, f"{node.value!r} is not a real date ({exc})", node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)  # type: ignore[arg-type]
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)  # type: ignore[arg-type]
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)  # type: ignore[arg-type]


def load_yaml_text(text: str, path: str) -> Any:
    """Parse YAML text; any problem becomes a RuleError with the file and line."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        if "could not determine a constructor" in str(problem):
            problem = f"{problem.split('for the tag')[-1].strip()} tags are not allowed (only plain YAML)"
        raise RuleError(path, line, None, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise RuleError(path, None, None, f"invalid YAML: {exc}") from None


def load_yaml_file(path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise RuleError(path, None, None, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(path, None, None, f"cannot read: {exc}") from None
    return load_yaml_text(text, path)


def line_of(container: Any, key: Any) -> int | None:
    if isinstance(container, LineDict):
        return container.line_of(key)
    if isinstance(container, LineList) and isinstance(key, int):
        return container.line_of(key)
    return getattr(container, "line", None)


def unknown_key(path: str, line: int | None, key: Any, valid: Sequence[str]) -> RuleError:
    """The error for a key that is not allowed here, with the nearest valid key suggested."""
    import difflib

    close = difflib.get_close_matches(str(key), list(valid), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f"; valid keys: {', '.join(sorted(valid))}"
    return RuleError(path, line, str(key), f"is not a known key{hint}")


def iso_date(data: Any, key: str, path: str) -> Any:
    """``data[key]`` as a date: YAML's own dates or 'YYYY-MM-DD' strings; None when absent."""
    import datetime as dt

    value = data.get(key)
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise RuleError(path, line_of(data, key), key, f"must be YYYY-MM-DD (got {value!r})") from None
    if isinstance(value, dt.datetime) or (value is not None and not isinstance(value, dt.date)):
        raise RuleError(path, line_of(data, key), key, f"must be YYYY-MM-DD (got {value!r})")
    return value
