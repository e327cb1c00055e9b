"""names.variant: should-flag and should-not-flag sentences, the seed, and the perturber."""
from __future__ import annotations

import datetime as dt
import random

import pytest
import yaml

from checker import check_text
from checker.document.people import edit_kind, similarity
from eval.perturb import Article
from eval.perturb import names as name_perturber
from tests.conftest import SEEDS, run_json


def name_findings(text: str) -> list[tuple[str, str | None]]:
    return [(f.text, f.suggestion) for f in check_text(text, path="a.txt") if f.rule == "names.variant"]


# (article body, the flagged spellings with their suggestions)
FLAG = [
    pytest.param("Chinese officials met US Undersecretary of Defense Eli Ratner on Wednesday.\n\n"
                 "Radner also underscored the department's commitment to open communications, a spokesman said.\n",
                 [("Radner", "Ratner")], id="ratner-radner-t/d"),
    pytest.param("Pentagon spokesman Lt. Col. Martin Mayners said the talks were useful.\n\n"
                 "Meiners said the negotiation lasted about 90 minutes.\n",
                 [("Meiners", "Mayners")], id="mayners-meiners-ei/ay-sentence-start"),
    pytest.param("\u201cWe have reached out,\u201d Colin Kall, the Pentagon's top policy adviser, told a forum.\n\n"
                 "But Kahl said in London that China seemed concerned.\n\n"
                 "\u201cYou are not a power in the Pacific,\u201d Cal said.\n",
                 [("Kahl", "Kall"), ("Cal", "Kall")], id="kall-kahl-cal"),
    pytest.param("Home Secretary Charles Clarke defended the plans on Monday.\n\n"
                 "Mr Clarke said the cards would be voluntary at first. Critics disagreed, but Mr Clarkke insisted "
                 "the scheme was needed.\n",
                 [("Clarkke", "Clarke")], id="doubled-letter"),
    pytest.param("Prime Minister Tony Blair said the election would be fought on the economy.\n\n"
                 "Mr Blair told reporters he was confident. Later Mr Balir said the campaign had begun.\n",
                 [("Balir", "Blair")], id="transposition-with-honorific"),
    pytest.param("Actress Kate Winslet was nominated for the award.\n\n"
                 "The director said Kate Wnslet had been a joy to work with.\n",
                 [("Wnslet", "Winslet")], id="two-full-names-same-first-name"),
]

# Articles with no name variant: different people, places and organisations.
PASS = [
    pytest.param("Chinese President Xi Jinping received Ambassador Xie Feng in Beijing.\n\n"
                 "Xi said relations were improving. Xie said he would return to Washington.\n", id="xi-jinping-xie-feng"),
    pytest.param("President Joe Biden spoke to reporters on Monday.\n\n"
                 "His son Hunter Biden was not at the event. Biden said he loved his son.\n", id="joe-hunter-biden"),
    pytest.param("Secretary of State John Kerry met John Kelly, the White House chief of staff.\n\n"
                 "Kerry said the meeting was useful. Kelly said little.\n", id="john-kerry-john-kelly"),
    pytest.param("Baseball great Cal Ripken said he was delighted.\n\n"
                 "Cal said he would spend the summer in California with his family.\n", id="cal-california"),
    pytest.param("Striker Michael Jordon scored twice on Saturday.\n\n"
                 "Jordon said the team would fly to Jordan on Monday for a friendly.\n", id="jordon-jordan-country"),
    pytest.param("Jack Law, chief executive of Alcohol Focus Scotland, said the remark was ill-advised.\n\n"
                 "Mr Law said young people drank too much. Chef Nigella Lawson said she agreed.\n", id="law-lawson"),
    pytest.param("Keane topped the charts this week. Keane beat Chaka Khan to the top spot, and Keane "
                 "played three shows.\n\nKeane said they were thrilled.\n", id="band-named-more-often"),
    pytest.param("Officials said on Monday that the talks had stalled.\n\n"
                 "Residents said they were worried about the plan.\n", id="plural-nouns-at-sentence-start"),
    pytest.param("Arsenal's Andrea Masi and Sol Campbell trained on Monday.\n\n"
                 "Maso, the Italian prop, and Masi both played.\n", id="vowel-for-vowel-different-people"),
]


@pytest.mark.parametrize("text, expected", FLAG)
def test_flags_variant(text: str, expected: list[tuple[str, str]]) -> None:
    assert name_findings(text) == expected


@pytest.mark.parametrize("text", PASS)
def test_does_not_flag(text: str) -> None:
    assert name_findings(text) == []


def test_tie_reports_the_conflict_without_choosing() -> None:
    text = "Mr Kall said the talks went well.\n\nLater, Mr Kahl said the talks would resume.\n"
    found = [f for f in check_text(text, path="a.txt") if f.rule == "names.variant"]
    assert [(f.text, f.suggestion) for f in found] == [("Kahl", None)]
    assert "'Kall' and 'Kahl'" in found[0].message
    assert [r.text for r in found[0].related] == ["Kall"]


def test_related_points_at_the_other_spellings() -> None:
    text = ("Pentagon spokesman Lt. Col. Martin Mayners said the talks were useful.\n\n"
            "Meiners said the negotiation lasted about 90 minutes.\n")
    (finding,) = [f for f in check_text(text, path="a.txt") if f.rule == "names.variant"]
    assert [r.text for r in finding.related] == ["Mayners"]
    assert text[finding.start:finding.end] == "Meiners"


@pytest.mark.parametrize("a, b, kind", [("campbell", "campbbell", "double"), ("roddick", "rodidck", "transpose"),
                                        ("masi", "maso", "vowel"), ("blair", "bair", "other")])
def test_edit_kind(a: str, b: str, kind: str) -> None:
    assert edit_kind(a, b) == kind


def test_phonetic_keys_agree_on_the_seed_pairs() -> None:
    for a, b in [("Ratner", "Radner"), ("Meiners", "Mayners"), ("Kall", "Kahl"), ("Cal", "Kahl")]:
        assert similarity(a, b).phonetic >= 2, (a, b)
    assert similarity("Kerry", "Kelly").phonetic < 2


def test_seed_name_findings_match_gold() -> None:
    _, report = run_json(str(SEEDS / "pentagon-talks.txt"))
    found = sorted(f["text"] for f in report["files"][0]["findings"] if f["category"] == "name")
    # With the seed's style sheet, Kahl is right: Kall and Cal are flagged, and Mayners.
    assert found == ["Cal", "Kall", "Mayners", "Radner"]


def test_perturber_misspells_one_later_mention() -> None:
    text = ("Minister quits\n\nHome Secretary David Blunkett resigned on Wednesday.\n\n"
            "Mr Blunkett said he had done nothing wrong. Friends of Mr Blunkett said he was upset.\n")
    article = Article("x", text, dt.date(2004, 12, 15))
    result = name_perturber.perturb(article, random.Random(3), [article])
    assert result is not None
    (entry,) = result.findings
    assert entry["expected"] == "Blunkett" and entry["text"] != "Blunkett"
    index = -1
    for _ in range(entry["occurrence"]):
        index = result.text.find(entry["text"], index + 1)
    assert index > text.index("David Blunkett")
    assert result.text.count("Blunkett") == text.count("Blunkett") - 1
    yaml.safe_dump(result.findings)  # the gold entry is plain YAML
