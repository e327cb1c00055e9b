"""Newsroom rules in YAML: existence, substitution, consistency, with scopes and case."""
from __future__ import annotations

from pathlib import Path

import pytest

from checker import check_text

PACK = """\
rules:
  - id: house.banned
    type: existence
    category: style-sheet
    message: "avoid '{match}'"
    tokens: [very unique, in order to]
    patterns: ['\\b\\d+ per cent\\b']
    ignorecase: true
    exceptions: [In order to]
  - id: house.spelling
    type: substitution
    category: style-sheet
    message: "use '{suggestion}', not '{match}'"
    swap: {Beijing's: Beijing’s, Kiev: Kyiv, e-mail: email}
    ignorecase: false
  - id: house.either
    type: consistency
    category: style-sheet
    message: "'{match}' and '{other}' both used; pick one"
    either: [[judgement, judgment], [towards, toward]]
  - id: house.headline
    type: existence
    category: other
    scope: heading
    message: "no question marks in headlines"
    patterns: ['\\?']
"""


@pytest.fixture(scope="module")
def config(tmp_path_factory) -> str:
    folder: Path = tmp_path_factory.mktemp("house")
    (folder / "house.yaml").write_text(PACK)
    (folder / "copydesk.yaml").write_text("builtin: false\nrules: [house.yaml]\n")
    return str(folder / "copydesk.yaml")


def found(text: str, config: str) -> list[tuple[str, str, str | None]]:
    return [(f.rule, f.text, f.suggestion) for f in check_text(text, path="a.txt", config=config)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It was a very unique day.", [("house.banned", "very unique", None)]),
        ("It was a Very  Unique day.", [("house.banned", "Very  Unique", None)]),
        ("Prices rose 5 per cent in May.", [("house.banned", "5 per cent", None)]),
        ("In order to win, they ran.", []),  # exception, case-exact
        ("They moved to Kiev in May.", [("house.spelling", "Kiev", "Kyiv")]),
        ("They moved to Kyiv in May.", []),
        ("Send an e-mail today.", [("house.spelling", "e-mail", "email")]),
        ("A Kievan chronicle.", []),  # whole words only
        ("His judgement was sound. Her judgement too. Their judgment less so.",
         [("house.either", "judgment", "judgement")]),
        ("She walked towards the door.", []),
    ],
)
def test_generic_rules(config: str, text: str, expected) -> None:
    assert found(text, config) == expected


def test_scope_heading_only_sees_headings(config: str) -> None:
    text = "# Is this a headline?\n\nIs this prose? It is.\n"
    assert found(text.replace("# ", ""), config) == []  # plain text: first line is a title, not a heading
    md = [(f.rule, f.text) for f in check_text(text, path="a.md", config=config)]
    assert md == [("house.headline", "?")]


def test_findings_point_into_the_source_with_crlf(config: str) -> None:
    text = "Title line\r\n\r\nThey moved to Kiev.\r\nThen to Kiev again, to send an e-mail.\r\n"
    for f in check_text(text, path="a.txt", config=config):
        assert text[f.start:f.end] == f.text


def test_catastrophic_pattern_is_stopped(tmp_path) -> None:
    (tmp_path / "slow.yaml").write_text("rules:\n  - id: house.slow\n    type: existence\n    patterns: ['(a|aa)+$']\n")
    (tmp_path / "copydesk.yaml").write_text("builtin: false\nrules: [slow.yaml]\n")
    from checker.errors import ConfigError

    with pytest.raises(ConfigError, match=r"slow.yaml:2: rule house.slow: pattern .* was stopped"):
        check_text("Headline\n\n" + "a" * 40 + "!", path="a.txt", config=str(tmp_path / "copydesk.yaml"))
