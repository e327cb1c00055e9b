"""Load and validate newsroom style sheets: people, their titles by date, organisations, terms.

A style sheet is a YAML file (see rules/stylesheets/example-newsroom.yaml)::

    stylesheet: Example Newsroom          # a name for messages
    people:
      - name: Ely Ratner                  # the canonical full name
        aliases: [Ratner]                 # other accepted forms
        wrong: [Eli Ratner]               # known wrong forms, flagged wherever they occur
        titles:
          - title: Assistant Secretary of Defense for Indo-Pacific Security Affairs
            from: 2021-07-15              # dates the title was held (either may be left out)
            to: 2025-01-20
            short: [Assistant Secretary of Defense]   # accepted short forms
    organisations:
      - {name: Rosoboronexport, wrong: [Rosoboron Export]}
    terms:
      - {use: Indo-Pacific, wrong: [Indo Pacific], ignorecase: true}

Every problem is a RuleError naming the file, the line and the field.
"""
from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from checker.errors import RuleError
from checker.yamlload import LineDict, LineList, line_of, load_yaml_file

TOP_KEYS = ("stylesheet", "description", "people", "organisations", "terms")
PERSON_KEYS = ("name", "aliases", "wrong", "titles", "note")
TITLE_KEYS = ("title", "from", "to", "short")
TERM_KEYS = {"organisations": ("name", "wrong", "ignorecase", "note"),
             "terms": ("use", "wrong", "ignorecase", "note")}


@dataclass(frozen=True, slots=True)
class SheetTitle:
    title: str
    start: dt.date | None = None
    end: dt.date | None = None
    short: tuple[str, ...] = ()

    def held_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.title, *self.short)


@dataclass(frozen=True, slots=True)
class SheetPerson:
    name: str
    aliases: tuple[str, ...] = ()
    wrong: tuple[str, ...] = ()
    titles: tuple[SheetTitle, ...] = ()
    line: int | None = None

    @property
    def accepted(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class SheetTerm:
    use: str
    wrong: tuple[str, ...]
    ignorecase: bool = False
    kind: str = "term"  # "term" or "organisation"
    line: int | None = None


@dataclass(frozen=True)
class StyleSheet:
    path: str
    name: str
    people: tuple[SheetPerson, ...] = ()
    terms: tuple[SheetTerm, ...] = ()


def _check_keys(path: str, data: LineDict, valid: Iterable[str], where: str) -> None:
    valid = list(valid)
    for key in data:
        if key not in valid:
            close = difflib.get_close_matches(str(key), valid, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; valid keys: {', '.join(valid)}"
            raise RuleError(path, line_of(data, key), f"{where}{key}", f"is not a known key{hint}")


def _mapping(path: str, value: Any, line: int | None, field: str) -> LineDict:
    if not isinstance(value, dict):
        raise RuleError(path, line, field, f"must be a mapping (got {type(value).__name__})")
    return value  # type: ignore[return-value]


def _text(path: str, data: LineDict, key: str, field: str, required: bool = False) -> str:
    value = data.get(key)
    if value is None:
        if required:
            raise RuleError(path, data.line, field, "is required")
        return ""
    if not isinstance(value, str) or not value.strip():
        raise RuleError(path, line_of(data, key), field, f"must be a non-empty string (got {value!r})")
    return " ".join(value.split())


def _texts(path: str, data: LineDict, key: str, field: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RuleError(path, line_of(data, key), field, "must be a list of non-empty strings")
    return tuple(" ".join(v.split()) for v in value)


def _date(path: str, data: LineDict, key: str, field: str) -> dt.date | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int) and 1000 <= value <= 9999:
        return dt.date(value, 1, 1) if key == "from" else dt.date(value, 12, 31)
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise RuleError(path, line_of(data, key), field, f"must be a date YYYY-MM-DD or a year (got {value!r})") from None


def _items(path: str, data: LineDict, key: str) -> list[tuple[Any, int | None, str]]:
    value = data.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise RuleError(path, line_of(data, key), key, "must be a list")
    lines = value.item_lines if isinstance(value, LineList) else [None] * len(value)
    return [(item, lines[i], f"{key}[{i}]") for i, item in enumerate(value)]


def _person(path: str, raw: Any, line: int | None, where: str) -> SheetPerson:
    data = _mapping(path, raw, line, where)
    _check_keys(path, data, PERSON_KEYS, f"{where}.")
    name = _text(path, data, "name", f"{where}.name", required=True)
    if len(name.split()) < 2:
        raise RuleError(path, line_of(data, "name"), f"{where}.name", f"must be a full name (got {name!r})")
    titles = []
    for raw_title, tline, twhere in _items(path, data, "titles"):
        twhere = f"{where}.{twhere}"
        tdata = _mapping(path, raw_title, tline, twhere)
        _check_keys(path, tdata, TITLE_KEYS, f"{twhere}.")
        start = _date(path, tdata, "from", f"{twhere}.from")
        end = _date(path, tdata, "to", f"{twhere}.to")
        if start and end and end < start:
            raise RuleError(path, line_of(tdata, "to"), f"{twhere}.to", f"is before 'from' ({start})")
        titles.append(SheetTitle(_text(path, tdata, "title", f"{twhere}.title", required=True), start, end,
                                 _texts(path, tdata, "short", f"{twhere}.short")))
    return SheetPerson(name, _texts(path, data, "aliases", f"{where}.aliases"),
                       _texts(path, data, "wrong", f"{where}.wrong"), tuple(titles), data.line)


def _term(path: str, raw: Any, line: int | None, where: str, section: str) -> SheetTerm:
    data = _mapping(path, raw, line, where)
    keys = TERM_KEYS[section]
    _check_keys(path, data, keys, f"{where}.")
    use = _text(path, data, keys[0], f"{where}.{keys[0]}", required=True)
    wrong = _texts(path, data, "wrong", f"{where}.wrong")
    if not wrong:
        raise RuleError(path, data.line, f"{where}.wrong", "is required: the forms to flag")
    ignorecase = data.get("ignorecase", False)
    if not isinstance(ignorecase, bool):
        raise RuleError(path, line_of(data, "ignorecase"), f"{where}.ignorecase", "must be true or false")
    return SheetTerm(use, wrong, ignorecase, "organisation" if section == "organisations" else "term", data.line)


def load_stylesheet(path: str) -> StyleSheet:
    data = load_yaml_file(path)
    if data is None:
        return StyleSheet(path, path)
    if not isinstance(data, LineDict):
        raise RuleError(path, getattr(data, "line", 1), None, "a style sheet must be a mapping with 'people', "
                        "'organisations' or 'terms'")
    if "rules" in data:
        raise RuleError(path, line_of(data, "rules"), "rules", "this is a rule pack, not a style sheet; list it "
                        "under 'rules:' in copydesk.yaml")
    _check_keys(path, data, TOP_KEYS, "")
    name = _text(path, data, "stylesheet", "stylesheet") or path
    people = tuple(_person(path, raw, line, where) for raw, line, where in _items(path, data, "people"))
    seen: dict[str, int | None] = {}
    for person in people:
        if person.name in seen:
            raise RuleError(path, person.line, "name", f"{person.name!r} is listed twice (first on line {seen[person.name]})")
        seen[person.name] = person.line
    terms = tuple(_term(path, raw, line, where, section) for section in ("organisations", "terms")
                  for raw, line, where in _items(path, data, section))
    return StyleSheet(path, name, people, terms)


def load_stylesheets(paths: Iterable[str]) -> list[StyleSheet]:
    """Load every configured style sheet, in order; the first error stops the run."""
    return [load_stylesheet(str(p)) for p in paths]
