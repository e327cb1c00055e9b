"""Rule-pack validation: every mistake gets one line naming the file, the line and the field."""
from __future__ import annotations

import textwrap

import pytest

from checker.errors import RuleError
from checker.registry import CHECK_TYPES, check_class
from checker.rules import builtin_packs, is_rule_pack, load_pack

GOOD = """\
rules:
  - id: house.wordy
    type: existence
    category: other
    level: info
    message: "'{match}' is wordy"
    tokens: [in order to]
"""

# (pack text, line, field or text expected in the message)
BAD = [
    (GOOD.replace("level: info", "level: warn"), 5, "'level' must be one of error, warning, info (got 'warn')"),
    (GOOD.replace("type: existence", "type: existance"), 3, "unknown rule type 'existance'; valid types:"),
    (GOOD.replace("tokens: [in order to]", "patterns: ['(unclosed']"), 7, "'patterns' has an invalid regular expression"),
    (GOOD.replace("tokens:", "tokenz:"), 7, "'tokenz' is not a known key; did you mean 'tokens'?"),
    (GOOD.replace("category: other", "category: names"), 4, "'category' must be one of name, date"),
    (GOOD.replace("id: house.wordy", "id: wordy"), 2, "'id' must look like 'family.name'"),
    (GOOD.replace("    scope", "") + "    scope: everywhere\n", 8, "'scope' must be one of"),
    (GOOD.replace("tokens: [in order to]", "ignorecase: yes please"), 7, "'ignorecase' must be true or false"),
    (GOOD + "  - id: house.wordy\n    type: existence\n    tokens: [x]\n", 8, "duplicate rule id 'house.wordy'"),
    ("rules:\n  - id: a.b\n    type: [existence\n", 4, "invalid YAML"),
    ("rules: !!python/object:os.system\n  - x\n", 1, "tags are not allowed"),
    ("base: &b {id: a.b, type: existence, tokens: [x]}\nrules:\n  - *b\n", 3, "anchors and aliases"),
    ("rules:\n  - just a string\n", 2, "each rule must be a mapping"),
    ("rulez: []\n", 1, "'rulez' is not a known key; did you mean 'rules'?"),
    ("rules:\n  - id: a.b\n    type: substitution\n", 2, "'swap' is required for rules of type 'substitution'"),
    ("rules:\n  - id: a.b\n    type: consistency\n    either: [[only-one]]\n", 4, "'either' each group must list two or more forms"),
    ("rules:\n  - id: a.b\n    type: existence\n    message: 'bad {template'\n    tokens: [x]\n", 4, "'message' is not a valid template"),
]


@pytest.mark.parametrize(("text", "line", "expected"), BAD)
def test_bad_packs_name_file_line_and_field(tmp_path, text: str, line: int, expected: str) -> None:
    pack = tmp_path / "house.yaml"
    pack.write_text(text)
    with pytest.raises(RuleError) as info:
        for spec in load_pack(pack):
            check_class(spec.type)(spec)
    message = str(info.value)
    assert message.startswith(f"{pack}:{line}: "), message
    assert expected in message
    assert "\n" not in message


def test_good_pack_loads_with_defaults(tmp_path) -> None:
    pack = tmp_path / "house.yaml"
    pack.write_text(GOOD)
    (spec,) = load_pack(pack)
    assert spec.id == "house.wordy" and spec.family == "house"
    assert spec.scope == "body" and spec.options["ignorecase"] is False
    assert spec.line == 2 and spec.field_lines["tokens"] == 7


def test_every_shipped_pack_is_valid_and_documented() -> None:
    packs = [p for p in builtin_packs() if is_rule_pack(p)]
    assert packs, "no rule packs shipped"
    ids = set()
    for pack in packs:
        for spec in load_pack(pack):
            check_class(spec.type)(spec)
            assert spec.id not in ids
            ids.add(spec.id)
            assert spec.description, f"{spec.id} has no description"
            assert spec.id.split(".")[0] in {"boilerplate", "names", "stylesheet", "dates", "coherence", "copydesk",
                                              "archive"}


def test_registry_points_at_real_classes() -> None:
    for rule_type in CHECK_TYPES:
        cls = check_class(rule_type)
        assert hasattr(cls, "run") and isinstance(cls.OPTIONS, dict)


def test_pack_file_missing(tmp_path) -> None:
    with pytest.raises(RuleError, match="file not found"):
        load_pack(tmp_path / "none.yaml")


def test_textwrap_pack_with_comment_lines_counts_lines(tmp_path) -> None:
    pack = tmp_path / "p.yaml"
    pack.write_text(textwrap.dedent("""\
        # a comment
        # another
        rules:
          - id: x.y
            type: existence
            tokens: [a]
            level: fatal
        """))
    with pytest.raises(RuleError, match=r"p.yaml:7: 'level'"):
        load_pack(pack)
