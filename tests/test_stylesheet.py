"""Style sheets: loading errors that name file, line and field; name, title and term checks."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from checker import check_text
from checker.errors import RuleError
from checker.stylesheet import load_stylesheets
from tests.conftest import ROOT, SEEDS, run_json

EXAMPLE = ROOT / "rules" / "stylesheets" / "example-newsroom.yaml"


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("sheet")
    path = folder / "copydesk.yaml"
    path.write_text(f"stylesheets: [{EXAMPLE}]\n", encoding="utf-8")
    return str(path)


def sheet_findings(text: str, config: str, date: dt.date | None = dt.date(2023, 7, 12)) -> list[tuple[str, str, str | None]]:
    return [(f.rule, f.text, f.suggestion) for f in check_text(text, path="a.txt", config=config, date=date)
            if f.category == "style-sheet"]


FLAG = [
    pytest.param("Chinese Ambassador Xi Feng discussed defense ties with officials.\n",
                 [("stylesheet.name", "Xi Feng", "Xie Feng")], id="xi-feng"),
    pytest.param("Secretary of State Anthony Blinken visited Beijing last month.\n",
                 [("stylesheet.name", "Anthony Blinken", "Antony Blinken")], id="anthony-blinken"),
    pytest.param("The talks were led by Eli Ratner, a Pentagon official.\n",
                 [("stylesheet.name", "Eli Ratner", "Ely Ratner")], id="eli-ratner"),
    pytest.param("Officials met US Undersecretary of Defense Ely Ratner on Wednesday.\n",
                 [("stylesheet.title", "Undersecretary of Defense", "Assistant Secretary of Defense")],
                 id="title-contradicted"),
    pytest.param("The jets came from Rosoboron Export, the state arms exporter.\n",
                 [("stylesheet.term", "Rosoboron Export", "Rosoboronexport")], id="organisation"),
    pytest.param("Talks on indo pacific security resumed on Monday.\n",
                 [("stylesheet.term", "indo pacific", "Indo-Pacific")], id="term-ignorecase"),
]

PASS = [
    pytest.param("Chinese President Xi Jinping met Ambassador Xie Feng on Monday.\n", id="another-listed-person"),
    pytest.param("Secretary of State Antony Blinken and Treasury Secretary Janet Yellen visited Beijing.\n",
                 id="listed-forms-and-titles"),
    pytest.param("White House chief of staff John Kelly met reporters on Monday.\n", id="john-kelly-not-kerry"),
    pytest.param("Hunter Biden and Joe Biden attended the dinner.\n", id="unlisted-people"),
    pytest.param("Assistant Secretary of Defense Ely Ratner said the talks were useful.\n", id="title-right"),
    pytest.param("Chinese Defense Minister Li Shangfu met his counterpart in Singapore.\n", id="title-held-then"),
]


@pytest.mark.parametrize("text, expected", FLAG)
def test_flags(text: str, expected: list[tuple[str, str, str]], config: str) -> None:
    assert sheet_findings(text, config) == expected


@pytest.mark.parametrize("text", PASS)
def test_does_not_flag(text: str, config: str) -> None:
    assert sheet_findings(text, config) == []


def test_former_holder_called_current(config: str) -> None:
    """Issue 15: a title the sheet says ended is flagged as current, not with "former", and
    not within former_grace_days of its end (the seed's Li Shangfu, 45 days after)."""
    text = "Chinese Defense Minister Li Shangfu met his counterpart in Singapore.\n"
    assert [f[:2] for f in sheet_findings(text, config, dt.date(2024, 6, 1))] == [("stylesheet.title", "Minister")]
    assert sheet_findings(text.replace("Chinese Defense", "Former Chinese Defense"), config, dt.date(2024, 6, 1)) == []
    assert sheet_findings(text, config, dt.date(2023, 12, 8)) == []


SHEET_VARIANTS = [
    pytest.param("Secretary of State Tony Blinken visited Beijing.\n", "Tony Blinken", id="nickname-of-listed"),
    pytest.param("US officials said Antony blinken would visit Beijing.\n", "Antony blinken", id="lower-case-surname"),
    pytest.param("US officials said Blinken Antony would visit Beijing.\n", "Blinken Antony", id="turned-round"),
    pytest.param("Officials said Lloyd Austen would visit Beijing.\n", "Lloyd Austen", id="letter-slip"),
]


@pytest.mark.parametrize("text, flagged", SHEET_VARIANTS)
def test_near_misses_beyond_letter_slips(text: str, flagged: str, config: str) -> None:
    assert [(rule, found) for rule, found, _ in sheet_findings(text, config)] == [("stylesheet.name", flagged)]


def test_rank_word_left_out(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text("people:\n  - name: John Prescott\n    titles:\n      - {title: Deputy Prime Minister, from: 1997}\n"
                     "  - name: Tony Blair\n    titles:\n      - {title: Prime Minister, from: 1997}\n",
                     encoding="utf-8")
    config = tmp_path / "copydesk.yaml"
    config.write_text(f"stylesheets: [{sheet}]\n", encoding="utf-8")
    day = dt.date(2005, 1, 15)
    assert [f[:2] for f in sheet_findings("Prime Minister John Prescott spoke.\n", str(config), day)] == \
        [("stylesheet.title", "Prime Minister")]
    assert sheet_findings("Deputy Prime Minister John Prescott spoke.\n", str(config), day) == []
    assert sheet_findings("Prime Minister Tony Blair spoke.\n", str(config), day) == []


def test_sheet_settles_the_variant(config: str) -> None:
    text = ("\u201cWe have reached out,\u201d Colin Kall, the Pentagon's top policy adviser, told a forum.\n\n"
            "But Kahl said in London that China seemed concerned.\n")
    found = [(f.rule, f.text, f.suggestion) for f in check_text(text, path="a.txt", config=config)
             if f.category in ("name", "style-sheet")]
    assert found == [("names.variant", "Kall", "Kahl")]


def test_default_configuration_uses_no_sheet() -> None:
    text = "Chinese Ambassador Xi Feng discussed defense ties with Anthony Blinken.\n"
    assert [f for f in check_text(text, path="a.txt") if f.category == "style-sheet"] == []


def test_seed_style_sheet_findings_match_gold() -> None:
    _, report = run_json(str(SEEDS))
    found = sorted(f["text"] for f in report["files"][0]["findings"] if f["category"] == "style-sheet")
    assert found == ["Anthony Blinken", "Eli Ratner", "Undersecretary of Defense", "Xi Feng"]


BAD = [
    ("people:\n  - name: Ely Ratner\n    nmae: x\n", 3, "people[0].nmae", "did you mean 'name'"),
    ("people:\n  - aliases: [Ratner]\n", 2, "people[0].name", "is required"),
    ("people:\n  - name: Ratner\n", 2, "people[0].name", "full name"),
    ("people:\n  - name: Ely Ratner\n    titles:\n      - title: Assistant Secretary\n        from: someday\n",
     5, "people[0].titles[0].from", "must be a date"),
    ("people:\n  - name: Ely Ratner\n    titles:\n      - {title: X, from: 2023, to: 2021}\n",
     4, "people[0].titles[0].to", "is before"),
    ("people:\n  - name: Ely Ratner\n    aliases: Ratner Ely\n    wrong: [1]\n", 4, "people[0].wrong",
     "list of non-empty strings"),
    ("terms:\n  - use: Indo-Pacific\n", 2, "terms[0].wrong", "is required"),
    ("peple: []\n", 1, "peple", "did you mean 'people'"),
]


@pytest.mark.parametrize("body, line, field, words", BAD)
def test_bad_field_names_file_line_and_field(tmp_path: Path, body: str, line: int, field: str, words: str) -> None:
    path = tmp_path / "sheet.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_stylesheets([str(path)])
    err = info.value
    assert (err.path, err.line, err.field) == (str(path), line, field)
    assert words in str(err)


def test_example_sheet_loads() -> None:
    (sheet,) = load_stylesheets([str(EXAMPLE)])
    names = {p.name for p in sheet.people}
    assert {"Ely Ratner", "Xie Feng", "Martin Meiners", "Colin Kahl", "Antony Blinken", "Janet Yellen",
            "John Kerry", "Lloyd Austin", "Li Shangfu"} <= names


def test_no_article_date_no_title_judgement(config: str) -> None:
    text = "Officials met US Undersecretary of Defense Ely Ratner on Wednesday.\n"
    assert sheet_findings(text, config, None) == []
