"""Inline suppression: comments in Markdown and HTML, front matter, per-path config for plain text."""
from __future__ import annotations

from pathlib import Path

import pytest

from checker.cli import main
from checker.engine import check_paths
from checker.finding import Finding
from checker.suppress import parse_directive, selector_matches

# Only the deterministic furniture rules run, so the tests pin suppression, not NLP.
CONFIG = "disable: [names, dates, coherence, stylesheet]\n"
PARA = "The minister said on Monday that the plan would go ahead, and critics called it rushed."
SEE = "See also: Flood warnings for the north"
SHARE = "Advertisement"


# ----- the directive grammar -----------------------------------------------------------

@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("copydesk: disable=names.variant", ("disable", ("names.variant",), "")),
        ("copydesk: disable=names.variant,dates", ("disable", ("names.variant", "dates"), "")),
        ("copydesk: disable = names.variant , dates", ("disable", ("names.variant", "dates"), "")),
        ("copydesk: disable names.variant", ("disable", ("names.variant",), "")),
        ("copydesk: disable", ("disable", ("all",), "")),
        ("copydesk: enable", ("enable", ("all",), "")),
        ("copydesk: enable=names", ("enable", ("names",), "")),
        ('copydesk: ignore-next-line=dates.stale_dateline reason="wire copy"',
         ("ignore-next-line", ("dates.stale_dateline",), "wire copy")),
        ('copydesk: ignore-next-line reason="quoted as published"', ("ignore-next-line", ("all",), "quoted as published")),
        ("COPYDESK:Disable=boilerplate", ("disable", ("boilerplate",), "")),
    ],
)
def test_directive_is_read(body: str, expected: tuple[str, tuple[str, ...], str]) -> None:
    assert parse_directive(body) == expected


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("copydesk: disabel=names", "did you mean 'disable'"),
        ("copydesk: ignore=names", "unknown suppression command"),
        ('copydesk: disable=names reason="never closed', "cannot read"),
        ("copydesk: disable=names=dates", "cannot read"),
        ("copydesk: ", "cannot read"),
        ("copydesk: disable=,", "cannot read"),
        ('copydesk: enable reason="x"', "takes no reason"),
    ],
)
def test_malformed_directive_says_what_is_wrong(body: str, says: str) -> None:
    result = parse_directive(body)
    assert isinstance(result, str) and says in result


@pytest.mark.parametrize(
    ("selector", "rule", "matches"),
    [
        ("all", "names.variant", True),
        ("names", "names.variant", True),
        ("names.*", "names.variant", True),
        ("names.variant", "names.variant", True),
        ("names.var", "names.variant", False),
        ("name", "names.variant", False),
        ("dates", "names.variant", False),
    ],
)
def test_selector(selector: str, rule: str, matches: bool) -> None:
    assert selector_matches(selector, rule) is matches


# ----- in articles ---------------------------------------------------------------------

def findings(tmp_path: Path, name: str, text: str, config: str = CONFIG, **overrides: object) -> list[Finding]:
    (tmp_path / "copydesk.yaml").write_text(config)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = check_paths([str(path)], overrides=overrides or None)
    (file,) = result.files
    assert file.error is None, file.error
    assert file.source is not None
    for f in file.findings:  # every finding points at its own text in the source
        assert file.source.text[f.start:f.end] == f.text
    return list(file.findings)


def lines(found: list[Finding], text: str, rule_prefix: str = "boilerplate") -> list[int]:
    return [text.count("\n", 0, f.start) + 1 for f in found if f.rule.startswith(rule_prefix)]


def md(*blocks: str) -> str:
    return "\n\n".join(blocks) + "\n"


MD_CASES = [
    # (name, article, lines of furniture still flagged)
    ("no directive", md(PARA, SEE, PARA, SEE), [3, 7]),
    ("disable ... enable",
     md(PARA, "<!-- copydesk: disable=boilerplate.see_also -->", SEE, "<!-- copydesk: enable -->", SEE), [9]),
    ("disable to the end of the file", md(PARA, SEE, "<!-- copydesk: disable=boilerplate -->", SEE, SHARE), [3]),
    ("a family", md(PARA, "<!-- copydesk: disable=boilerplate -->", SEE, SHARE), []),
    ("all", md(PARA, "<!-- copydesk: disable -->", SEE, SHARE), []),
    ("another rule is not suppressed",
     md(PARA, "<!-- copydesk: disable=boilerplate.share_prompt -->", SEE, SHARE), [5]),
    ("enable one rule of two",
     md(PARA, "<!-- copydesk: disable=boilerplate.see_also,boilerplate.share_prompt -->", SEE,
        "<!-- copydesk: enable=boilerplate.see_also -->", SEE, SHARE), [9]),
    ("enable one rule of a family",
     md(PARA, "<!-- copydesk: disable=boilerplate -->", SEE, "<!-- copydesk: enable=boilerplate.see_also -->",
        SEE, SHARE), [9]),
    ("ignore-next-line",
     md(PARA, '<!-- copydesk: ignore-next-line=boilerplate.see_also reason="wire copy" -->\n' + SEE, SEE), [6]),
    ("ignore-next-line skips blank lines",
     md(PARA, "<!-- copydesk: ignore-next-line=boilerplate.see_also -->", SEE, SEE), [7]),
    ("stacked ignore-next-line",
     md(PARA, "<!-- copydesk: ignore-next-line=boilerplate.see_also -->\n"
              "<!-- copydesk: ignore-next-line=boilerplate.share_prompt -->\n" + SEE, SHARE), [7]),
    ("ignore-next-line for another rule",
     md(PARA, "<!-- copydesk: ignore-next-line=boilerplate.share_prompt -->\n" + SEE), [4]),
    ("front matter",
     "---\ntitle: Floods\ncopydesk: {disable: [boilerplate.see_also]}\n---\n\n" + md(PARA, SEE, SHARE), [10]),
]


@pytest.mark.parametrize(("name", "text", "expected"), MD_CASES, ids=[c[0] for c in MD_CASES])
def test_markdown_suppression(tmp_path: Path, name: str, text: str, expected: list[int]) -> None:
    found = findings(tmp_path, "a.md", text)
    assert lines(found, text) == expected
    assert not [f for f in found if f.rule.startswith("copydesk.")], "a well-formed directive is not a finding"


def html(*paragraphs: str) -> str:
    return "<html><body><article>\n" + "\n".join(paragraphs) + "\n</article></body></html>\n"


def test_html_suppression(tmp_path: Path) -> None:
    text = html(f"<p>{PARA}</p>", "<!-- copydesk: disable=boilerplate.see_also -->", f"<p>{SEE}</p>",
                "<!-- copydesk: enable -->", f"<p>{SEE}</p>",
                '<!-- copydesk: ignore-next-line=boilerplate.share_prompt reason="sponsor label" -->',
                f"<p>{SHARE}</p>", f"<p>{SHARE}</p>")
    found = findings(tmp_path, "a.html", text)
    assert lines(found, text) == [6, 9]
    assert [f.rule for f in found] == ["boilerplate.see_also", "boilerplate.share_prompt"]


BAD_CASES = [
    ("unknown command", "<!-- copydesk: disabel=boilerplate -->", "did you mean 'disable'"),
    ("misspelt rule", "<!-- copydesk: disable=boilerplate.see_aslo -->", "did you mean 'boilerplate.see_also'"),
    ("unknown family", "<!-- copydesk: ignore-next-line=nosuchfamily -->", "names no known rule"),
    ("enable with nothing open", "<!-- copydesk: enable -->", "no 'disable' open"),
    ("unclosed quote", '<!-- copydesk: disable=boilerplate reason="oops -->', "cannot read"),
    ("ignore-next-line at the end", "<!-- copydesk: ignore-next-line=boilerplate -->", "no line after it"),
]


@pytest.mark.parametrize(("name", "comment", "says"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_malformed_directive_is_a_finding(tmp_path: Path, name: str, comment: str, says: str) -> None:
    text = md(PARA, SEE, comment)
    found = findings(tmp_path, "a.md", text)
    bad = [f for f in found if f.rule == "copydesk.bad_suppression"]
    assert len(bad) == 1 and says in bad[0].message, [f.message for f in found]
    assert bad[0].text == comment and bad[0].category == "other"
    assert lines(found, text) == [3], "a bad directive suppresses nothing"


def test_malformed_front_matter_is_a_finding(tmp_path: Path) -> None:
    text = "---\ntitle: Floods\ncopydesk: {disable: [boilerplate.see_aslo], enabel: [x]}\n---\n\n" + md(PARA, SEE)
    found = findings(tmp_path, "a.md", text)
    messages = sorted(f.message for f in found if f.rule == "copydesk.bad_suppression")
    assert len(messages) == 2
    assert "did you mean 'boilerplate.see_also'" in messages[0] + messages[1]
    assert any("'copydesk.enabel' is not a known key" in m for m in messages)
    assert lines(found, text) == [8]


# ----- unused suppressions ------------------------------------------------------------

UNUSED_TEXT = md(PARA, "<!-- copydesk: ignore-next-line=boilerplate.see_also -->", PARA,
                 "<!-- copydesk: disable=boilerplate.see_also,boilerplate.share_prompt -->", SEE)


def test_unused_suppressions_are_off_by_default(tmp_path: Path) -> None:
    found = findings(tmp_path, "a.md", UNUSED_TEXT)
    assert [f.rule for f in found] == []


def test_unused_suppressions_are_reported_on_request(tmp_path: Path) -> None:
    found = findings(tmp_path, "a.md", UNUSED_TEXT, enable=("copydesk.unused_suppression",))
    unused = [f for f in found if f.rule == "copydesk.unused_suppression"]
    assert [lines([f], UNUSED_TEXT, "copydesk") for f in unused] == [[3], [7]]
    assert "'boilerplate.see_also'" in unused[0].message
    # Of the two rules on line 7 only share_prompt suppressed nothing.
    assert "'boilerplate.share_prompt'" in unused[1].message and "see_also" not in unused[1].message


def test_a_suppression_of_a_rule_turned_off_is_not_unused(tmp_path: Path) -> None:
    text = md(PARA, "<!-- copydesk: ignore-next-line=boilerplate.see_also -->", PARA)
    found = findings(tmp_path, "a.md", text, enable=("copydesk.unused_suppression",),
                     disable=("boilerplate.see_also",))
    assert found == []


def test_cli_report_unused_suppressions(tmp_path: Path, capsys) -> None:
    (tmp_path / "copydesk.yaml").write_text(CONFIG)
    path = tmp_path / "a.md"
    path.write_text(md(PARA, "<!-- copydesk: disable=boilerplate -->", PARA))
    assert main(["check", "-q", str(path)]) == 0
    assert "copydesk.unused_suppression" not in capsys.readouterr().out
    assert main(["check", "-q", "--report-unused-suppressions", str(path)]) == 1
    out = capsys.readouterr().out
    assert "a.md:3:1: warning copydesk.unused_suppression" in out


def test_rules_and_explain_document_the_suppression_rules(capsys) -> None:
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "copydesk.bad_suppression" in out and "copydesk.unused_suppression" in out
    assert main(["explain", "copydesk.unused_suppression"]) == 0
    out = capsys.readouterr().out
    assert "off by default" in out and "silenced no finding" in out


# ----- plain text: per-path configuration ------------------------------------------------

def test_plain_text_uses_per_path_config(tmp_path: Path) -> None:
    (tmp_path / "copydesk.yaml").write_text(CONFIG + 'per_path:\n  "wire/*.txt":\n    disable: [boilerplate.see_also]\n')
    (tmp_path / "wire").mkdir()
    (tmp_path / "desk").mkdir()
    text = md(PARA, SEE, SHARE)
    for folder in ("wire", "desk"):
        (tmp_path / folder / "a.txt").write_text(text)
    result = check_paths([str(tmp_path / "wire" / "a.txt"), str(tmp_path / "desk" / "a.txt")])
    wire, desk = result.files
    # boilerplate.furniture is a rule of its own: disabling the pattern rule leaves the line to it.
    assert [f.rule for f in wire.findings] == ["boilerplate.furniture", "boilerplate.share_prompt"]
    assert [f.rule for f in desk.findings] == ["boilerplate.see_also", "boilerplate.share_prompt"]


def test_comment_syntax_in_plain_text_is_just_text(tmp_path: Path) -> None:
    text = md(PARA, "<!-- copydesk: disable=boilerplate -->", SEE)
    found = findings(tmp_path, "a.txt", text)
    assert lines(found, text) == [5]


# ----- robustness and parallel runs ----------------------------------------------------------

def test_any_comment_body_is_read_or_explained() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet=st.sampled_from('copydesk:=, "abl.-_\tnxr*'), max_size=40) | st.text(max_size=40))
    def read(body: str) -> None:
        result = parse_directive("copydesk: " + body)
        assert isinstance(result, str) or (result[0] in ("disable", "enable", "ignore-next-line") and result[1])

    read()


def test_suppression_is_the_same_with_jobs(tmp_path: Path) -> None:
    (tmp_path / "copydesk.yaml").write_text(CONFIG)
    paths = []
    for index, text in enumerate(case[1] for case in MD_CASES[:4]):
        path = tmp_path / f"a{index}.md"
        path.write_text(text)
        paths.append(str(path))
    one = check_paths(paths, overrides={"enable": ("copydesk.unused_suppression",)})
    two = check_paths(paths, jobs=2, overrides={"enable": ("copydesk.unused_suppression",)})
    assert [f.findings for f in one.files] == [f.findings for f in two.files]
    # 5 since issue 14: the first case prints its paragraph twice, and a paragraph's second
    # copy is furniture (boilerplate.furniture).
    assert sum(len(f.findings) for f in one.files) == 5
