"""Configuration: found by walking up from each file, layered, validated with file:line:key."""
from __future__ import annotations

import pytest

from checker.config import ConfigFinder, load_config_file
from checker.errors import RuleError
from checker.finding import Severity


def test_nearest_config_wins(tmp_path) -> None:
    (tmp_path / "copydesk.yaml").write_text("disable: [names]\n")
    sub = tmp_path / "desk" / "politics"
    sub.mkdir(parents=True)
    (tmp_path / "desk" / ".copydesk.yaml").write_text("disable: [dates]\n")
    finder = ConfigFinder()
    deep = finder.for_path(str(sub / "a.md"))
    top = finder.for_path(str(tmp_path / "b.md"))
    assert deep.disable == ("dates",) and deep.path.endswith(".copydesk.yaml")
    assert top.disable == ("names",)


def test_pyproject_section_is_found(tmp_path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.copydesk]\ndisable = ["coherence"]\n')
    cfg = ConfigFinder().for_path(str(tmp_path / "a.txt"))
    assert cfg.disable == ("coherence",)


def test_pyproject_without_section_is_skipped(tmp_path) -> None:
    (tmp_path / "copydesk.yaml").write_text("disable: [dates]\n")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert ConfigFinder().for_path(str(inner / "a.txt")).disable == ("dates",)


def test_explicit_config_overrides_discovery(tmp_path) -> None:
    (tmp_path / "copydesk.yaml").write_text("disable: [names]\n")
    other = tmp_path / "other.yaml"
    other.write_text("disable: [boilerplate]\n")
    assert ConfigFinder(str(other)).for_path(str(tmp_path / "a.txt")).disable == ("boilerplate",)


@pytest.mark.parametrize(
    ("rule", "disable", "enable", "default", "expected"),
    [
        ("names.variant", ["names"], [], True, False),
        ("names.variant", ["names"], ["names.variant"], True, True),
        ("names.variant", ["names.variant"], ["names"], True, False),   # the more specific setting wins
        ("dates.tense", [], [], False, False),
        ("dates.tense", [], ["dates"], False, True),
        ("dates.tense", ["all"], [], True, False),
        ("dates.tense", ["names.*"], [], True, True),
    ],
)
def test_rule_enabled(tmp_path, rule, disable, enable, default, expected) -> None:
    path = tmp_path / "copydesk.yaml"
    path.write_text(f"disable: {disable}\nenable: {enable}\n")
    assert load_config_file(str(path)).rule_enabled(rule, default) is expected


def test_severity_and_per_path(tmp_path) -> None:
    path = tmp_path / "copydesk.yaml"
    path.write_text("severity: {names: error, dates.tense: info}\n"
                    "per_path:\n  'wire/*.txt': {disable: [dates]}\n")
    cfg = load_config_file(str(path))
    assert cfg.severity_for("names.variant", Severity.WARNING) is Severity.ERROR
    assert cfg.severity_for("dates.tense", Severity.WARNING) is Severity.INFO
    assert cfg.severity_for("boilerplate.see_also", Severity.WARNING) is Severity.WARNING
    wire = cfg.for_file(str(tmp_path / "wire" / "a.txt"))
    assert not wire.rule_enabled("dates.stale_dateline", True)
    assert cfg.for_file(str(tmp_path / "desk" / "a.txt")).rule_enabled("dates.stale_dateline", True)


def test_exclude_globs(tmp_path) -> None:
    path = tmp_path / "copydesk.yaml"
    path.write_text("exclude: ['drafts/', '*.tmp.md']\n")
    cfg = load_config_file(str(path))
    assert cfg.is_excluded(str(tmp_path / "drafts" / "x.md"))
    assert cfg.is_excluded(str(tmp_path / "a" / "b.tmp.md"))
    assert not cfg.is_excluded(str(tmp_path / "a" / "b.md"))


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("disabel: [names]\n", 1, "'disabel' is not a known key; did you mean 'disable'?"),
        ("model: en\nseverity: {names: loud}\n", 2, "'severity.names' must be one of error, warning, info"),
        ("date: 12/08/2023\n", 1, "'date' must be YYYY-MM-DD"),
        ("disable: names\nexclude: 3\n", 2, "'exclude' must be a list of strings"),
        ("per_path:\n  'a/*': {disabel: [x]}\n", 2, "'per_path.a/*.disabel' is not a known key"),
        ("min_confidence: sure\n", 1, "'min_confidence' must be low, medium or high"),
    ],
)
def test_bad_config(tmp_path, text: str, line: int, expected: str) -> None:
    path = tmp_path / "copydesk.yaml"
    path.write_text(text)
    with pytest.raises(RuleError) as info:
        load_config_file(str(path))
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert expected in str(info.value)
