"""Reporters: golden files for every format, SARIF against the OASIS schema, escaping, --output.

Golden files live in tests/golden/; volatile fields (the version, the SARIF source root) are
masked. Regenerate them with ``COPYDESK_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_reporters.py``
and read the diff before committing it.
"""
from __future__ import annotations

import dataclasses
import html
import json
import os
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from checker import __version__
from checker.engine import FileResult, RunResult
from checker.finding import Confidence, Finding, Related, Severity
from checker.reporters import formats, render
from checker.reporters.common import region, utf8_column
from checker.reporters.html import Mark, highlight, script_json
from checker.reporters.output import OutputError, Target, parse_target, refuse_inputs, write_atomic
from checker.rules import RuleSpec
from checker.source import SourceFile
from tests.conftest import ROOT, SEEDS, SHARED, run_cli

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("COPYDESK_UPDATE_GOLDEN") == "1"
SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
SEED = SEEDS / "pentagon-talks.txt"

# An article built to break reporters: markup and quotes that must stay text, a '%' and
# ':' and ',' that GitHub commands must encode, multi-byte characters before a finding
# (UTF-8 columns for reviewdog), a finding across a line break, one of no width, and a
# rule that no rule pack defines.
TEXT = (
    "Minister Ana Lopez spoke on Tuesday.\n"
    "\n"
    "Lopes said the plan <script>alert(1)</script> was \"final\" & binding.\n"
    "\n"
    "Read more: \"><img src=x onerror=alert(1)> 50% off, a:b\n"
    "\n"
    "Café owners 😀 met Lopez again,\n"
    "and a second line.\n"
)


def _at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return start, start + len(needle)


def _finding(rule: str, category: str, severity: Severity, span: tuple[int, int], message: str,
             **kwargs: Any) -> Finding:
    return Finding(rule=rule, category=category, severity=severity, start=span[0], end=span[1],
                   text=TEXT[span[0]:span[1]], message=message, **kwargs)


def sample_result() -> RunResult:
    source = SourceFile("articles/hostile.txt", TEXT)
    lopez1, lopez2 = _at(TEXT, "Lopez"), _at(TEXT, "Lopez", 1)
    findings = (
        _finding("names.variant", "name", Severity.WARNING, _at(TEXT, "Lopes"),
                 "'Lopes' looks like a misspelling of 'Lopez' (Ana Lopez, line 1)", suggestion="Lopez",
                 confidence=Confidence.MEDIUM,
                 related=(Related(*lopez1, "Lopez", "introduced here"), Related(*lopez2, "Lopez")),
                 data=(("forms", "Lopez|Lopes"),)),
        _finding("stylesheet.term", "style-sheet", Severity.ERROR, _at(TEXT, "<script>alert(1)</script>"),
                 "markup in the copy: '<script>alert(1)</script>'", suggestion="</script><b>x</b>"),
        _finding("boilerplate.see_also", "boilerplate", Severity.WARNING,
                 _at(TEXT, "Read more: \"><img src=x onerror=alert(1)> 50% off, a:b"),
                 "page furniture in the body: a link box ('Read more: \"><img src=x onerror=alert(1)> 50% off, a:b')"),
        _finding("other.emoji", "other", Severity.INFO, _at(TEXT, "😀"), "an emoji in the copy"),
        _finding("dates.span", "date", Severity.ERROR, _at(TEXT, "met Lopez again,\nand a second"),
                 "a finding across a line break"),
        _finding("other.point", "other", Severity.INFO, (_at(TEXT, "Tuesday")[1], _at(TEXT, "Tuesday")[1]),
                 "nothing attributes this"),
    )
    rules = (
        RuleSpec(id="names.variant", type="names", category="name", level=Severity.WARNING, message="{text}",
                 description="A surname that changes spelling is nearly always a typo. Second sentence.",
                 link="https://example.org/rules#names"),
        RuleSpec(id="stylesheet.term", type="substitution", category="style-sheet", level=Severity.ERROR,
                 message="{text}", description="Markup <b>in</b> a description stays text.",
                 link="javascript:alert(1)"),
        RuleSpec(id="boilerplate.see_also", type="existence", category="boilerplate", level=Severity.WARNING,
                 message="page furniture in the body: a link box ('{match}')", description="",
                 link="https://example.org/rules#boilerplate"),
        RuleSpec(id="dates.span", type="dates", category="date", level=Severity.ERROR, message="{text}",
                 description="Dates that disagree.", enabled=False),
    )
    return RunResult(files=(
        FileResult("articles/missing.txt", error="no such file or directory"),
        FileResult("articles/hostile.txt", tuple(sorted(findings, key=Finding.sort_key)), source),
        FileResult("articles/clean.txt", (), SourceFile("articles/clean.txt", "A clean article.\n")),
    ), rules=rules)


def _mask(text: str) -> str:
    text = text.replace(f"copydesk {__version__}", "copydesk <VERSION>")
    text = re.sub(r'("(?:semanticVersion|version)": )"' + re.escape(__version__) + '"', r'\1"<VERSION>"', text)
    return re.sub(r'"uri": "file://[^"]*"', '"uri": "<SRCROOT>"', text)


def _golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    actual = _mask(actual)
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"no golden file {path}; run with COPYDESK_UPDATE_GOLDEN=1 to create it")
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        import difflib

        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                            f"golden/{name}", "actual", n=2))
        pytest.fail(f"{name} differs from its golden file (COPYDESK_UPDATE_GOLDEN=1 to accept):\n{diff[:4000]}")


@pytest.fixture(scope="module")
def sample() -> RunResult:
    return sample_result()


def _load_schema() -> dict[str, Any] | None:
    # The OASIS schema lives in ../shared (it is not ours to ship: the OASIS TC repository it
    # comes from carries no open licence); a clone without it skips the validation.
    return json.loads(SCHEMA.read_text(encoding="utf-8")) if SCHEMA.is_file() else None


@pytest.fixture(scope="module")
def sarif_schema() -> dict[str, Any]:
    schema = _load_schema()
    if schema is None:
        pytest.skip(f"the OASIS SARIF schema is not present ({SCHEMA})")
    return schema


@pytest.fixture(scope="module")
def sarif_schema_if_present() -> dict[str, Any] | None:
    return _load_schema()


# ----- golden files ------------------------------------------------------------------------
@pytest.mark.parametrize("fmt, name", [
    ("sarif", "sample.sarif"), ("github", "sample.github.txt"), ("rdjson", "sample.rdjson"),
    ("junit", "sample.junit.xml"), ("html", "sample.html"), ("json", "sample.json"), ("text", "sample.txt"),
])
def test_golden(sample: RunResult, fmt: str, name: str) -> None:
    _golden(name, render(fmt, sample, colour=False, quiet=False))


def test_golden_step_summary(sample: RunResult) -> None:
    from checker.reporters.github import step_summary

    _golden("sample.summary.md", step_summary(sample))


def test_every_format_has_a_golden_file() -> None:
    covered = {"sarif", "github", "rdjson", "junit", "html", "json", "text"}
    assert set(formats()) - covered == set(), "a new reporter needs a golden file in test_golden"


def test_mask_leaves_no_version_or_root(sample: RunResult) -> None:
    masked = _mask(render("sarif", sample))
    assert f'"{__version__}"' not in masked and "file://" not in masked


# ----- SARIF -------------------------------------------------------------------------------
def test_sarif_validates_against_oasis_schema(sample: RunResult, sarif_schema: dict[str, Any]) -> None:
    log = json.loads(render("sarif", sample))
    jsonschema.Draft4Validator(sarif_schema).validate(log)


def test_sarif_invalid_log_is_rejected_by_the_schema(sarif_schema: dict[str, Any]) -> None:
    # The validation above can fail: a result without a message is not SARIF.
    log = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "a"}]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(sarif_schema).validate(log)


def test_sarif_content(sample: RunResult) -> None:
    run = json.loads(render("sarif", sample))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(ids) and {"other.emoji", "other.point", "names.variant"} <= set(ids)
    by_id = {r["id"]: r for r in rules}
    assert by_id["names.variant"]["helpUri"] == "https://example.org/rules#names"
    assert by_id["names.variant"]["shortDescription"]["text"] == "A surname that changes spelling is nearly always a typo."
    assert by_id["names.variant"]["name"] == "NamesVariant"
    assert "helpUri" not in by_id["stylesheet.term"]  # javascript: is not a help page
    assert by_id["dates.span"]["defaultConfiguration"] == {"level": "error", "enabled": False}
    results = run["results"]
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels == {"names.variant": "warning", "stylesheet.term": "error", "boilerplate.see_also": "warning",
                      "other.emoji": "note", "dates.span": "error", "other.point": "note"}
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    variant = next(r for r in results if r["ruleId"] == "names.variant")
    reg = variant["locations"][0]["physicalLocation"]["region"]
    assert (reg["startLine"], reg["startColumn"], reg["endLine"], reg["endColumn"]) == (3, 1, 3, 6)
    assert [x["physicalLocation"]["region"]["startLine"] for x in variant["relatedLocations"]] == [1, 7]
    assert variant["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "Lopez"
    span = next(r for r in results if r["ruleId"] == "dates.span")["locations"][0]["physicalLocation"]["region"]
    assert (span["startLine"], span["endLine"]) == (7, 8)
    assert run["columnKind"] == "unicodeCodePoints"
    assert [a["location"]["uri"] for a in run["artifacts"]] == ["articles/hostile.txt", "articles/clean.txt"]
    assert run["invocations"][0]["executionSuccessful"] is False  # articles/missing.txt
    prints = [r["partialFingerprints"]["copydeskFingerprint/v1"] for r in results]
    assert len(set(prints)) == len(prints)


def test_sarif_fingerprints_survive_edits_elsewhere(sample: RunResult) -> None:
    def prints(text: str, shift: int) -> dict[str, str]:
        file = sample.files[1]
        moved = tuple(dataclasses.replace(
            f, start=f.start + shift, end=f.end + shift,
            related=tuple(dataclasses.replace(r, start=r.start + shift, end=r.end + shift) for r in f.related))
            for f in file.findings)
        result = RunResult((FileResult(file.path, moved, SourceFile(file.path, text)),), sample.rules)
        run = json.loads(render("sarif", result))["runs"][0]
        return {r["ruleId"]: r["partialFingerprints"]["copydeskFingerprint/v1"] for r in run["results"]}

    before = prints(TEXT, 0)
    extra = "A new first paragraph, added by an editor.\n\n"
    after = prints(extra + TEXT, len(extra))
    assert before == after
    # ...but an edit of the flagged line itself gives a new print.
    edited = TEXT.replace("Lopes said the plan", "Lopes said the plan, he insisted,")
    assert prints(edited, 0)["names.variant"] != before["names.variant"]


# ----- GitHub ------------------------------------------------------------------------------
@pytest.mark.parametrize("needle, expected", [
    ("Lopes", "::warning file=articles/hostile.txt,line=3,col=1,endColumn=6,title=names.variant (name)::"
              "'Lopes' looks like a misspelling of 'Lopez' (Ana Lopez, line 1)%0ASuggestion: Lopez%0AConfidence: medium"),
    ("😀", "::notice file=articles/hostile.txt,line=7,col=13,endColumn=14,title=other.emoji (other)::an emoji in the copy"),
    ("met Lopez", "::error file=articles/hostile.txt,line=7,endLine=8,title=dates.span (date)::a finding across a line break"),
    ("50% off", "50%25 off, a:b')"),
])
def test_github_annotations(sample: RunResult, needle: str, expected: str) -> None:
    lines = render("github", sample).splitlines()
    source = sample.files[1].source
    assert source is not None
    line_no = source.position(TEXT.index(needle))[0]
    matching = [x for x in lines if f"line={line_no}," in x and expected in x]
    assert matching, f"no annotation containing {expected!r} in:\n" + "\n".join(lines)


def test_github_property_escaping() -> None:
    from checker.reporters.github import _escape_data, _escape_property

    assert _escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"
    assert _escape_data("a:b,c%d\r\ne") == "a:b,c%25d%0D%0Ae"


def test_github_error_file_and_one_line_per_annotation(sample: RunResult) -> None:
    lines = render("github", sample).splitlines()
    assert lines[0] == "::error file=articles/missing.txt,title=copydesk::no such file or directory"
    assert all(x.startswith("::") for x in lines) and len(lines) == 7


# ----- rdjson ------------------------------------------------------------------------------
def test_rdjson_columns_count_utf8_bytes() -> None:
    # The example of reviewdog.proto: in 'a𐐀b', b is at byte column 6.
    source = SourceFile("x.txt", "a𐐀b\n")
    assert utf8_column(source, 1, 3) == 6
    assert utf8_column(source, 1, 2) == 2


def test_rdjson_content(sample: RunResult) -> None:
    data = json.loads(render("rdjson", sample))
    assert data["source"]["name"] == "copydesk" and data["severity"] == "ERROR"
    diags = {d["code"]["value"]: d for d in data["diagnostics"]}
    emoji = diags["other.emoji"]
    # 'Café owners ' is 12 characters but 13 bytes: the emoji starts at byte column 14.
    assert emoji["location"]["range"] == {"start": {"line": 7, "column": 14}, "end": {"line": 7, "column": 18}}
    assert emoji["severity"] == "INFO"
    variant = diags["names.variant"]
    assert variant["suggestions"] == [{"range": variant["location"]["range"], "text": "Lopez"}]
    assert variant["code"]["url"] == "https://example.org/rules#names"
    assert len(variant["related_locations"]) == 2


# ----- JUnit -------------------------------------------------------------------------------
def test_junit_counts(sample: RunResult) -> None:
    root = ET.fromstring(render("junit", sample))
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("8", "6", "1")
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert suites["articles/missing.txt"].find("testcase/error") is not None
    clean = suites["articles/clean.txt"]
    assert clean.get("tests") == "1" and clean.find("testcase/failure") is None
    failures = suites["articles/hostile.txt"].findall("testcase/failure")
    assert {f.get("type") for f in failures} == {"error", "warning", "info"}


def test_junit_strips_characters_xml_cannot_hold() -> None:
    text = "Bad \x0b byte here.\n"
    source = SourceFile("x.txt", text)
    finding = Finding("other.x", "other", Severity.WARNING, 0, 10, text[:10], "has \x0b inside")
    xml = render("junit", RunResult((FileResult("x.txt", (finding,), source),)))
    root = ET.fromstring(xml)  # would raise on an unescaped control character
    assert "\ufffd" in root.find("testsuite/testcase/failure").get("message")  # type: ignore[union-attr]


# ----- HTML --------------------------------------------------------------------------------
class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.data: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.data.append(data)


def test_html_escapes_the_article(sample: RunResult) -> None:
    page = render("html", sample)
    parser = _Elements()
    parser.feed(page)
    tags = [t for t, _ in parser.tags]
    assert tags.count("script") == 2  # the data block and the page's own script, nothing from the article
    assert "img" not in tags
    assert not any(k.startswith("on") for _, attrs in parser.tags for k in attrs)
    text = "".join(parser.data)
    assert "<script>alert(1)</script>" in text and '"><img src=x onerror=alert(1)>' in text
    assert "javascript:" not in page.split('id="copydesk-data"')[0]  # no link from the bad rule


def test_html_data_block_cannot_close_its_script(sample: RunResult) -> None:
    page = render("html", sample)
    start = page.index('<script type="application/json" id="copydesk-data">') + len(
        '<script type="application/json" id="copydesk-data">')
    block = page[start:page.index("</script>", start)]
    data = json.loads(block)
    assert "<" not in block and ">" not in block
    assert any(f["suggestion"] == "</script><b>x</b>" for f in data["findings"])
    assert "javascript" not in json.dumps(data["rules"])
    assert script_json({"a": "</script>\u2028&"}) == '{"a":"\\u003c/script\\u003e\\u2028\\u0026"}'


def test_html_is_self_contained(sample: RunResult) -> None:
    page = render("html", sample)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    parser = _Elements()
    parser.feed(page)
    for tag, attrs in parser.tags:
        assert "src" not in attrs or tag == "script" and attrs.get("src") is None, (tag, attrs)
        assert tag != "link", "no external stylesheet"
    assert "http://" not in page.replace("https://example.org", "")


@pytest.mark.parametrize("marks, expected", [
    # (start, end, kind, ref) -> the marked-up text of "abcdef"
    ([], "abcdef"),
    ([(1, 3, "f", "0")], 'a<mark class="hl cat-name sev-warning" data-f="0" tabindex="0" role="button" id="f0">bc</mark>def'),
    # overlapping findings: the shared piece names both and is coloured by the more severe
    ([(0, 4, "f", "0"), (2, 6, "f", "1")],
     '<mark class="hl cat-name sev-warning" data-f="0" tabindex="0" role="button" id="f0">ab</mark>'
     '<mark class="hl cat-date sev-error multi" data-f="0 1" tabindex="0" role="button" id="f1">cd</mark>'
     '<mark class="hl cat-date sev-error" data-f="1" tabindex="0" role="button">ef</mark>'),
    ([(2, 4, "r", "0:0")], 'ab<mark class="rel" data-r="0:0">cd</mark>ef'),
    ([(3, 3, "f", "0")], 'abc<mark class="hl point cat-name sev-warning" data-f="0" tabindex="0" role="button" id="f0"></mark>def'),
])
def test_highlight_pieces(marks: list[tuple[int, int, str, str]], expected: str) -> None:
    findings = {0: {"id": 0, "category": "name", "severity": "warning"},
                1: {"id": 1, "category": "date", "severity": "error"}}
    assert highlight("abcdef", [Mark(*m) for m in marks], findings) == expected


def test_highlight_escapes_every_piece() -> None:
    findings = {0: {"id": 0, "category": "name", "severity": "warning"}}
    out = highlight('<a href="x">&</a>', [Mark(3, 9, "f", "0")], findings)
    assert re.sub(r"</?mark[^>]*>", "", out) == "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"


# ----- regions -----------------------------------------------------------------------------
@pytest.mark.parametrize("text, span, expected", [
    ("abc\ndef\n", (0, 3), (1, 1, 1, 4)),
    ("abc\ndef\n", (0, 4), (1, 1, 1, 4)),  # a span that takes the line break ends on its line
    ("abc\r\ndef\n", (0, 5), (1, 1, 1, 4)),
    ("abc\ndef\n", (2, 6), (1, 3, 2, 3)),
    ("abc\ndef\n", (5, 5), (2, 2, 2, 2)),
])
def test_region(text: str, span: tuple[int, int], expected: tuple[int, int, int, int]) -> None:
    r = region(SourceFile("x", text), *span)
    assert (r.line, r.column, r.end_line, r.end_column) == expected


# ----- output targets ----------------------------------------------------------------------
@pytest.mark.parametrize("value, ok", [
    ("sarif:out.sarif", True), ("html:reports/a:b.html", True), ("sarif", False), ("sarif:", False),
    ("nope:x.txt", False), (":x", False),
])
def test_parse_target(value: str, ok: bool) -> None:
    if ok:
        target = parse_target(value, formats())
        assert f"{target.format}:{target.path}" == value
    else:
        with pytest.raises(OutputError):
            parse_target(value, formats())


def test_refuse_inputs(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("x\n")
    with pytest.raises(OutputError, match="one of the files being checked"):
        refuse_inputs([Target("json", str(tmp_path / "." / "a.txt"))], [str(article)])
    refuse_inputs([Target("json", str(tmp_path / "b.json"))], [str(article)])


def test_write_atomic_replaces_whole_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "r.json"
    write_atomic(str(target), "first\n")
    write_atomic(str(target), "second\n")
    assert target.read_text() == "second\n"
    assert [p.name for p in target.parent.iterdir()] == ["r.json"]
    with pytest.raises(OutputError, match="is a directory"):
        write_atomic(str(tmp_path / "sub"), "x")


def test_progress_bar_only_on_a_terminal() -> None:
    import io

    from checker.progress import ProgressBar, progress_bar

    assert progress_bar(io.StringIO()) is None

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    bar = progress_bar(stream)
    assert isinstance(bar, ProgressBar)
    bar(1, 3)
    bar(3, 3)
    bar.close()
    assert "copydesk:" in stream.getvalue() and "/3 [" in stream.getvalue()
    quiet = Tty()
    single = ProgressBar(quiet)
    single(1, 1)  # one file: no bar
    assert quiet.getvalue() == ""


# ----- the real command line on the seed ---------------------------------------------------
@pytest.fixture(scope="module")
def seed_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    out = tmp_path_factory.mktemp("reports")
    summary = out / "summary.md"
    proc = run_cli("check", "--format", "github", str(SEED.relative_to(ROOT)),
                   "-o", f"sarif:{out / 'r.sarif'}", "-o", f"rdjson:{out / 'r.rdjson'}",
                   "-o", f"junit:{out / 'r.xml'}", "-o", f"html:{out / 'r.html'}", "-o", f"json:{out / 'r.json'}",
                   env={"GITHUB_STEP_SUMMARY": str(summary)})
    return proc, out


def test_seed_all_outputs_at_once(seed_run: tuple[Any, Path], sarif_schema_if_present: dict[str, Any] | None) -> None:
    proc, out = seed_run
    assert proc.returncode == 1, proc.stderr
    findings = json.loads((out / "r.json").read_text())["files"][0]["findings"]
    assert findings, "the seed has findings"
    annotations = [x for x in proc.stdout.splitlines() if x.startswith("::")]
    assert len(annotations) == len(findings)
    assert all(re.match(r"::(error|warning|notice) file=seeds/pentagon-talks\.txt,line=\d+,", x) for x in annotations)
    sarif = json.loads((out / "r.sarif").read_text())
    if sarif_schema_if_present is not None:
        jsonschema.Draft4Validator(sarif_schema_if_present).validate(sarif)
    assert len(sarif["runs"][0]["results"]) == len(findings)
    assert len(json.loads((out / "r.rdjson").read_text())["diagnostics"]) == len(findings)
    assert ET.parse(out / "r.xml").getroot().get("failures") == str(len(findings))
    page = (out / "r.html").read_text()
    assert page.count('class="item ') == len(findings)
    summary = (out / "summary.md").read_text()
    assert summary.startswith("## copydesk") and f"**{len(findings)} findings**" in summary
    assert "progress" not in proc.stderr and "\r" not in proc.stderr  # no bar when stderr is a pipe


def test_output_refuses_an_input_file(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("A short article.\n\nSee also  Other story here\n")
    before = article.read_text()
    proc = run_cli("check", str(article), "-o", f"json:{article}")
    assert proc.returncode == 2 and "one of the files being checked" in proc.stderr
    assert article.read_text() == before


def test_bad_output_spec_is_a_usage_error() -> None:
    proc = run_cli("check", str(SEED), "-o", "pdf:x.pdf")
    assert proc.returncode == 2 and "unknown format 'pdf'" in proc.stderr


def test_html_format_goes_to_reports_by_default(tmp_path: Path) -> None:
    proc = run_cli("check", "--format", "html", str(SEED), cwd=tmp_path)
    page = tmp_path / "reports" / "pentagon-talks.html"
    assert proc.returncode == 1 and proc.stdout == ""
    assert page.exists() and "reports/pentagon-talks.html" in proc.stderr
    assert "Radner" in page.read_text()
    # Issue 15: the name panel lists people, one cluster per person with each spelling's count.
    text = page.read_text()
    panel = text[text.index('id="names"'):]
    panel = panel[:panel.index("</section>")]
    entries = [html.unescape(re.sub(r"<[^>]+>", " ", li)) for li in re.findall(r'<li class="entity".*?</li>', panel)]
    assert not any(word in " ".join(entries) for word in ("Pentagon", "Chinese Embassy", "Taiwan"))
    ratner = [e for e in entries if "Radner" in e]
    assert len(ratner) == 1 and "Radner ×1" in ratner[0] and "Eli Ratner ×1" in ratner[0]


# ----- HTML: Markdown and HTML articles are shown as the reader sees them -----------------
MARKDOWN = ("---\ntitle: Talks\ndate: 2023-12-08\n---\n\n# Pentagon talks\n\n"
            "Some **bold** words and [a link](http://x.org) by Eli Ratner.\n\n"
            "<!-- copydesk: disable=names.variant -->\n\nRadner said so &amp; left.\n")
HTML_ARTICLE = ("<html><head><title>T</title></head><body><article><h1>Talks</h1>"
                "<p>Eli <b>Ratner</b> met &amp; talked.</p><p>Radner left.</p></article></body></html>\n")


@pytest.mark.parametrize("path, text, needles, hidden", [
    ("a.md", MARKDOWN, ["Ratner", "Radner", "bold words"], ["**", "](http", "copydesk: disable", "title: Talks"]),
    ("a.html", HTML_ARTICLE, ["Ratner", "Radner", "met &amp; talked"], ["<p>", "&lt;b&gt;", "&amp;amp;"]),
])
def test_html_shows_marked_up_articles_without_markup(path: str, text: str, needles: list[str],
                                                      hidden: list[str]) -> None:
    from checker.document.loaders import load_document

    source = SourceFile(path, text)
    doc = load_document(source)
    spec = RuleSpec(id="names.variant", type="names", category="name", level=Severity.WARNING, message="{text}")
    findings = []
    for needle in needles:
        shown = html.unescape(needle)
        start = doc.text.index(shown)
        findings.append(doc.finding(spec, start, start + len(shown), f"about {shown}"))
    # A finding on markup (the front matter or a tag) becomes a point, not lost text.
    findings.append(Finding("copydesk.bad_suppression", "other", Severity.WARNING, 1, 4, text[1:4], "markup"))
    result = RunResult((FileResult(path, tuple(findings), source, document=doc),), (spec,))
    page = render("html", result)
    article = page[page.index('<div class="text">'):page.index("</div>", page.index('<div class="text">'))]
    for number, needle in enumerate(needles):
        pieces = re.findall(rf'<mark [^>]*data-f="[^"]*\b{number}\b[^"]*"[^>]*>([^<]*)</mark>', article)
        assert "".join(pieces) == needle
    for bit in hidden:
        assert bit not in article
    assert article.count("hl point") == 1
    assert "shown without its" in page


def test_check_paths_reports_progress(tmp_path: Path) -> None:
    from checker.engine import check_paths

    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("A short article.\n\nSee also  Another story here\n")
    calls: list[tuple[int, int]] = []
    result = check_paths([str(tmp_path)], progress=lambda done, total: calls.append((done, total)))
    assert len(result.files) == 2
    assert calls == [(0, 2), (1, 2), (2, 2)]
