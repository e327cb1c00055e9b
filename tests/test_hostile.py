"""Smaller faults of issue 13, one test each: SARIF URIs, hostile file names, the cache's
.gitignore and key, the per-file regex timeout, the rules documentation, the model error,
--help, explain FAMILY."""
from __future__ import annotations

import json
import re

import pytest

from checker.cli import main

BODY = "Headline here\n\nThe council met on Tuesday.\n\nSee also: Council tax to rise next year\n"
FAST = ["--no-cache", "--fail-on", "never"]  # the default rules: every bad-input row runs them


def test_sarif_artifact_uris_are_percent_encoded(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("story#1.md", "two words.txt", "100%.txt"):
        (tmp_path / name).write_text(BODY)
    main(["check", *FAST, "--format", "sarif", "."])
    run = json.loads(capsys.readouterr().out)["runs"][0]
    uris = sorted(a["location"]["uri"] for a in run["artifacts"])
    assert uris == ["100%25.txt", "story%231.md", "two%20words.txt"]
    assert sorted({r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}) == uris


HOSTILE = ["evil\x1b[2J\x1b]0;pwned\x07.txt", "rtl\u202etxt.exe.txt", "two\nlines.txt"]


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_hostile_file_names_are_printed_escaped(tmp_path, capsys, fmt) -> None:
    for name in HOSTILE:
        (tmp_path / name).write_text(BODY)
    (tmp_path / "empty\x1b[31m.txt").write_text("")  # an error line names it too
    main(["check", *FAST, "--format", fmt, str(tmp_path)])
    out = capsys.readouterr()
    for stream in (out.out, out.err):
        assert "\x1b" not in stream and "\u202e" not in stream and "\x07" not in stream
    assert "evil\\x1b[2J\\x1b]0;pwned\\x07.txt" in out.out and "rtl\\u202etxt.exe.txt" in out.out
    assert "two\\nlines.txt" in out.out
    located = [line for line in out.out.splitlines() if "lines.txt" in line and "two" in line]
    assert located and all("two\\nlines.txt" in line for line in located)  # never split over two lines
    if fmt == "text":
        assert re.search(r"two\\nlines\.txt:\d+:\d+: warning boilerplate\.see_also", out.out)


def test_the_cache_folder_ignores_itself_for_git(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COPYDESK_CACHE_DIR", raising=False)
    (tmp_path / "a.txt").write_text(BODY)
    main(["check", "--disable", "names,dates,coherence,stylesheet", "a.txt"])
    ignore = tmp_path / ".copydesk_cache" / ".gitignore"
    assert ignore.read_text().splitlines()[-1] == "*"


def test_a_year_less_dateline_takes_the_year_of_date_never_the_clock_and_so_does_the_cache(tmp_path, monkeypatch) -> None:
    """Issue 13 found the cache key blind to the clock's year that a year-less dateline took;
    issue 16 took the clock out: the year comes from --date, and the key follows --date."""
    import datetime as dt

    from checker.engine import Engine

    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path / "cache"))
    story = tmp_path / "wire.txt"
    story.write_text("WASHINGTON, July 12 (Reuters) - Officials met on Tuesday, July 12, and said the talks "
                     "went well.\n\nThe talks will resume next month, officials said.\n")
    (tmp_path / "copydesk.yaml").write_text("disable: [names, coherence, stylesheet]\n")
    results = {}
    for given in (None, dt.date(2022, 8, 1), dt.date(2023, 8, 1), None, dt.date(2022, 8, 1)):
        (result,) = Engine(date=given, cache=True).check_paths([str(story)])
        results.setdefault(given, set()).add(frozenset(f.rule for f in result.findings))
    # July 12, 2022 was a Tuesday, July 12, 2023 a Wednesday; with no --date the weekday is not
    # checked against a guessed year (and the cache, read twice for each, says the same).
    assert results[None] == {frozenset()}
    assert results[dt.date(2022, 8, 1)] == {frozenset()}
    assert results[dt.date(2023, 8, 1)] == {frozenset({"dates.weekday_mismatch"})}


def test_the_regex_time_budget_is_per_file_not_per_paragraph(tmp_path, capsys) -> None:
    """Many paragraphs that each stay under the limit must not add up to minutes in silence."""
    import time

    import regex

    from checker.checks.generic import REGEX_TIMEOUT_S

    pattern = regex.compile(r"(a|aa)+b")

    def paragraph(n: int) -> str:
        return f"The committee heard {'a' * n} in the hall."

    n = 16
    while True:  # a paragraph that takes a tenth of the budget or more, on this machine today
        began = time.perf_counter()
        pattern.search(paragraph(n))
        took = time.perf_counter() - began
        if took >= REGEX_TIMEOUT_S / 10 or n > 40:
            break
        n += 1
    assert took < REGEX_TIMEOUT_S, "one paragraph alone would time out: the case is not the one tested"
    count = int(3 * REGEX_TIMEOUT_S / took) + 2  # together, at least three budgets
    (tmp_path / "slow.yaml").write_text("rules:\n  - id: house.slow\n    type: existence\n    patterns: ['(a|aa)+b']\n")
    (tmp_path / "copydesk.yaml").write_text("rules: [slow.yaml]\n")
    (tmp_path / "a.txt").write_text("Headline here\n\n" + "\n\n".join(paragraph(n) for _ in range(count)) + "\n")
    code = main(["check", "--no-cache", "--format", "json", str(tmp_path / "a.txt")])
    (error,) = json.loads(capsys.readouterr().out)["errors"]
    assert code == 2
    assert "rule house.slow: pattern '(a|aa)+b' ran over 1 s on this file and was stopped" in error["message"]


def test_docs_rules_md_is_generated_from_the_packs_and_up_to_date() -> None:
    from checker import rulesdoc

    assert rulesdoc.DOC.read_text(encoding="utf-8") == rulesdoc.render(rulesdoc.builtin_specs()), \
        "docs/rules.md is out of date: run 'python -m checker.rulesdoc'"


def test_every_rule_help_link_into_docs_rules_md_has_its_section() -> None:
    from checker import rulesdoc

    headings = {rulesdoc.anchor(line.lstrip("# ")) for line in rulesdoc.DOC.read_text().splitlines()
                if line.startswith("## ")}
    links = [s.link for s in rulesdoc.builtin_specs() if "docs/rules.md" in s.link]
    assert links and all(link.split("#", 1)[1] in headings for link in links), links


def test_an_unknown_model_is_named_in_the_error(tmp_path, capsys) -> None:
    (tmp_path / "copydesk.yaml").write_text("model: no_such_model\n")
    (tmp_path / "a.txt").write_text(BODY)
    assert main(["check", "--no-cache", str(tmp_path / "a.txt")]) == 2
    err = capsys.readouterr().err
    assert "copydesk.yaml: cannot load the spaCy pipeline 'no_such_model' named by 'model:'" in err
    assert "no English spaCy pipeline is installed" not in err and "Traceback" not in err


def test_check_help_documents_path_format_and_color(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "PATH articles (.txt, .md, .markdown, .html, .htm) or folders to walk for them" in text
    assert "what goes to standard output" in text and "colour the text output" in text
    assert "--follow-symlinks" in text and "--force-jobs" in text


def test_explain_a_family_lists_its_rules(capsys) -> None:
    from checker.rulesdoc import builtin_specs

    assert main(["explain", "dates"]) == 0
    out = capsys.readouterr().out
    ids = sorted(s.id for s in builtin_specs() if s.family == "dates")
    assert out.startswith(f"dates: {len(ids)} rules")
    assert [line.split()[0] for line in out.splitlines() if line.startswith("  ") and not line.startswith("   ")] == ids
    assert main(["explain", "datez"]) == 2
    assert "did you mean 'dates'?" in capsys.readouterr().err


BLINKEN = ("WASHINGTON (AP) - Secretary of State Antony Blinken arrived in Beijing on Sunday for talks.\n\n"
           "{a} said the talks would be hard.\n\nOfficials said {b} met the foreign minister later.\n\n"
           "The visit ends on Tuesday.\n")


def _name_findings(text: str) -> list[tuple[str, str | None]]:
    from checker import check_text

    return [(f.text, f.suggestion) for f in check_text(text, path="a.txt") if f.rule == "names.variant"]


def test_a_misspelling_repeated_after_the_introduction_is_flagged() -> None:
    assert _name_findings(BLINKEN.format(a="Blinkin", b="Blinkin")) == [("Blinkin", "Blinken")] * 2


def test_a_second_misspelling_does_not_make_the_first_finding_vanish() -> None:
    one = _name_findings(BLINKEN.format(a="Blinkin", b="Blinken"))
    assert one == [("Blinkin", "Blinken")]
    two = _name_findings(BLINKEN.format(a="Blinkin", b="Blinkin"))
    assert set(one) <= set(two)
    assert _name_findings(BLINKEN.format(a="Blinkin", b="Blinkan")) == [("Blinkin", "Blinken"), ("Blinkan", "Blinken")]
