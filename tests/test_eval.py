"""copydesk eval: gold-file validation, matching as the reference scorer, the seed and a built corpus."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checker.errors import RuleError
from checker.evaluate import Evaluation, GoldFile, Tally, load_gold, score_file
from checker.finding import Finding, Severity
from tests.conftest import CORPUS, ROOT, SEEDS, SHARED, run_cli

ARTICLE = ("Storm hits coast\n\nThe storm reached Dover on Monday 3 May. Officials said so.\n\n"
           "Mr Smyth said roads were shut. Mr Smith added that schools would open.\n")


def _gold(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "a.gold.yaml"
    path.write_text(body, encoding="utf-8")
    return path


# ----- validation: each bad gold file names the file, the line and the field ------------------

BAD_GOLD = [
    # (gold text, line, field, words in the message)
    ("findings:\n  - {categroy: name, text: Smyth}\n", 2, "findings[0].categroy", "did you mean 'findings[0].category'"),
    ("findings:\n  - {category: names, text: Smyth}\n", 2, "findings[0].category", "must be one of"),
    ("findings:\n  - {category: name, text: Smythe}\n", 2, "findings[0].text", "does not occur in the article"),
    ("findings:\n  - {category: name, text: Smyth, occurrence: 2}\n", 2, "findings[0].text", "occurs 1 time"),
    ("findings:\n  - {category: name, text: Smyth, occurrence: 0}\n", 2, "findings[0].occurrence", "whole number"),
    ("findings:\n  - category: name\n    text: Smyth\n    accept: [Smithers]\n", 4, "findings[0].accept",
     "'Smithers' does not occur"),
    ("findings:\n  - {category: name}\n", 2, "findings[0].text", "is required"),
    ("date: 2005-13-01\nfindings: []\n", 1, None, "'2005-13-01' is not a real date"),
    ("date: last Tuesday\nfindings: []\n", 1, "date", "YYYY-MM-DD"),
    ("date: 2005-05-04\nfinding: []\n", 2, "finding", "did you mean 'findings'"),
    ("findings: {category: name}\n", 1, "findings", "must be a list"),
    ("findings:\n  - {category: name, text: Smyth, start: 0, end: 5}\n", 2, "findings[0].start", "not the entry's text"),
    ("findings:\n  - {category: name, text: Smyth, scope: city}\n", 2, "findings[0].scope", "place, org"),
]


@pytest.mark.parametrize(("body", "line", "field", "words"), BAD_GOLD)
def test_bad_gold_entries_name_file_line_and_field(tmp_path: Path, body: str, line: int, field: str | None,
                                                   words: str) -> None:
    path = _gold(tmp_path, body)
    with pytest.raises(RuleError) as info:
        load_gold(str(path), "a.txt", ARTICLE)
    err = info.value
    assert (err.path, err.line, err.field) == (str(path), line, field)
    assert words in str(err)


GOOD_GOLD = [
    ("findings: []\n", 0),
    ("", 0),
    ("date: 2005-05-04\nfindings:\n  - {category: name, text: Smyth, expected: Smith, accept: [Smith]}\n", 1),
    ("findings:\n  - {category: name, text: Mr, occurrence: 2, note: second one}\n", 1),
]


@pytest.mark.parametrize(("body", "count"), GOOD_GOLD)
def test_good_gold_files_load(tmp_path: Path, body: str, count: int) -> None:
    gold = load_gold(str(_gold(tmp_path, body)), "a.txt", ARTICLE)
    assert len(gold.entries) == count
    for entry in gold.entries:
        assert ARTICLE[entry.start:entry.end] == entry.text


def test_occurrence_picks_the_nth_match(tmp_path: Path) -> None:
    gold = load_gold(str(_gold(tmp_path, "findings:\n  - {category: name, text: Mr, occurrence: 2}\n")), "a.txt", ARTICLE)
    assert gold.entries[0].start == ARTICLE.index("Mr Smith")


# ----- matching: a table of (gold, findings) -> expected counts ---------------------------------

def _finding(category: str, text: str, occurrence: int = 1) -> Finding:
    start = -1
    for _ in range(occurrence):
        start = ARTICLE.index(text, start + 1)
    return Finding("x.rule", category, Severity.WARNING, start, start + len(text), text, "m")


SMYTH = "findings:\n  - {category: name, text: Smyth, accept: [Smith]}\n"
DATE = "findings:\n  - {category: date, text: Monday 3 May}\n"
PLACE = "findings:\n  - {category: name, text: Dover, scope: place}\n"
ALT = "findings:\n  - {category: name, text: Smyth, alt_category: style-sheet}\n"
MATCHING = [
    # name, gold, findings, (tp, fn, correct, fp) of the finding's category
    ("overlap hits", SMYTH, [("name", "Smyth")], "name", (1, 0, 1, 0)),
    ("partial overlap hits", SMYTH, [("name", "Mr Smyth")], "name", (1, 0, 1, 0)),
    ("accept span hits", SMYTH, [("name", "Smith")], "name", (1, 0, 1, 0)),
    ("other category is no hit", SMYTH, [("style-sheet", "Smyth")], "style-sheet", (0, 0, 0, 1)),
    ("miss", SMYTH, [], "name", (0, 1, 0, 0)),
    ("two findings on one entry are both correct", SMYTH, [("name", "Smyth"), ("name", "Smith")], "name", (1, 0, 2, 0)),
    ("elsewhere is a false alarm", SMYTH, [("name", "Dover")], "name", (0, 1, 0, 1)),
    ("date: same sentence hits", DATE, [("date", "storm")], "date", (1, 0, 1, 0)),
    ("date: next sentence does not", DATE, [("date", "Officials")], "date", (0, 1, 0, 1)),
    ("name: same sentence is not enough", SMYTH, [("name", "roads")], "name", (0, 1, 0, 1)),
    ("scope place: a hit is neutral", PLACE, [("name", "Dover")], "name", (0, 0, 0, 0)),
    ("scope place: a miss is neutral", PLACE, [], "name", (0, 0, 0, 0)),
    ("alt_category: the other category is neutral", ALT, [("style-sheet", "Smyth")], "style-sheet", (0, 0, 0, 0)),
    ("alt_category: still counted in its own", ALT, [], "name", (0, 1, 0, 0)),
]


@pytest.mark.parametrize(("gold_body", "found", "category", "counts"), [m[1:] for m in MATCHING],
                         ids=[m[0] for m in MATCHING])
def test_matching(tmp_path: Path, gold_body: str, found: list[tuple[str, str]], category: str,
                  counts: tuple[int, int, int, int]) -> None:
    gold = load_gold(str(_gold(tmp_path, gold_body)), "a.txt", ARTICLE)
    cats = ("name", "date", "non-sequitur", "boilerplate", "style-sheet")
    ev = Evaluation(cats, {c: Tally() for c in cats})
    score_file(gold, ARTICLE, [_finding(c, t) for c, t in found], cats, ev)
    t = ev.tallies[category]
    assert (t.tp, t.fn, t.correct, t.fp) == counts


def test_clean_article_false_alarm_rate() -> None:
    cats = ("name", "boilerplate")
    ev = Evaluation(cats, {c: Tally() for c in cats})
    gold = GoldFile("a.gold.yaml", "a.txt", None, ())
    score_file(gold, ARTICLE, [_finding("name", "Smyth"), _finding("other", "Dover")], cats, ev)
    words = len(ARTICLE.split())
    assert (ev.clean_articles, ev.clean_words, ev.clean_fp) == (1, words, 1)
    assert ev.fp_per_1k == pytest.approx(1000 / words)
    assert ev.tallies["name"].precision == 0.0 and ev.tallies["name"].recall is None


# ----- the command line on the seed and on a built corpus ------------------------------------

def _eval_json(*args: str) -> dict:
    proc = run_cli("eval", "--format", "json", "--no-cache", *args)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def test_eval_seed_counts_every_gold_entry_and_agrees_with_reference_scorer(tmp_path: Path) -> None:
    data = _eval_json(str(SEEDS), "--show-errors")
    rows = {r["category"]: r for r in data["categories"]}
    # seeds/pentagon-talks.gold.yaml: 4 name, 1 date, 1 non-sequitur, 2 boilerplate, 4 style-sheet entries.
    assert {c: r["tp"] + r["fn"] for c, r in rows.items()} == {
        "name": 4, "date": 1, "non-sequitur": 1, "boilerplate": 2, "style-sheet": 4}
    assert rows["boilerplate"]["tp"] == 2  # "See also ..." and "Complete News World"
    assert data["articles"] == 1 and data["clean"]["articles"] == 0
    misses = [e for e in data["errors"] if e["kind"] == "miss"]
    assert len(misses) == data["overall"]["fn"]
    assert all(e["sentence"] and e["line"] > 0 for e in data["errors"])
    scorer = SHARED / "tools" / "gold_score.py"
    if not scorer.is_file():
        pytest.skip("reference scorer not present")
    report = tmp_path / "report.json"
    proc = run_cli("check", "--format", "json", "--no-cache", "--date", "2023-12-08",
                   str(SEEDS / "pentagon-talks.txt"))
    report.write_text(proc.stdout, encoding="utf-8")
    ref = json.loads(subprocess.run([sys.executable, str(scorer), str(report), str(SEEDS / "pentagon-talks.gold.yaml"),
                                     "--json"], capture_output=True, text=True, check=True).stdout)
    for cat, r in ref["categories"].items():
        assert (rows[cat]["tp"], rows[cat]["fn"], rows[cat]["correct"], rows[cat]["fp"]) == \
            (r["tp"], r["fn"], r["correct"], r["fp"]), cat


def test_eval_markdown_table_has_every_category() -> None:
    proc = run_cli("eval", "--format", "markdown", "--no-cache", str(SEEDS))
    assert proc.returncode == 0, proc.stderr
    for cat in ("name", "date", "non-sequitur", "boilerplate", "style-sheet", "**overall**"):
        assert f"| {cat} |" in proc.stdout


def test_eval_rejects_a_bad_gold_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    gold = _gold(tmp_path, "findings:\n  - {category: name, text: Smythe}\n")
    proc = run_cli("eval", "--no-cache", str(tmp_path))
    assert proc.returncode == 2
    assert f"{gold}:2: 'findings[0].text' 'Smythe' does not occur in the article" in proc.stderr


def test_eval_article_without_gold_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    proc = run_cli("eval", "--no-cache", str(tmp_path / "a.txt"))
    assert proc.returncode == 2
    assert "no gold file (a.gold.yaml)" in proc.stdout


needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")


@needs_corpus
def test_built_corpus_is_deterministic_and_scored(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from eval.build_corpus import build

    rows = build(tmp_path / "a", CORPUS, limit=12)
    build(tmp_path / "b", CORPUS, limit=12)
    names = sorted(os.listdir(tmp_path / "a"))
    assert names == sorted(os.listdir(tmp_path / "b"))
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert len(rows) == 12 and any(r["family"] == "clean" for r in rows)
    assert any(r["family"] == "boilerplate" for r in rows)
    data = _eval_json(str(tmp_path / "a"), "--jobs", "2")
    expected: dict[str, int] = {}
    for row in rows:
        if row["family"] != "clean":
            import yaml

            gold = yaml.safe_load((tmp_path / "a" / f"{row['name']}.gold.yaml").read_text(encoding="utf-8"))
            for entry in gold["findings"]:
                expected[entry["category"]] = expected.get(entry["category"], 0) + 1
    got = {r["category"]: r["tp"] + r["fn"] for r in data["categories"] if r["tp"] + r["fn"]}
    assert got == expected
    assert data["articles"] == 12
    assert data["clean"]["articles"] == sum(1 for r in rows if r["family"] == "clean")
    assert data["clean"]["words"] > 0 and data["clean"]["per_1k_words"] is not None
