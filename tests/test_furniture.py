"""The furniture pass (issue 14): what it flags and names, what it leaves alone, that furniture
never feeds other families, the run's template lines (one process and --jobs), HTML evidence."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker import check_text
from checker.engine import check_paths
from checker.evaluate import collect

BODY = ("The minister said on Monday that the plan would go ahead, after months of talks with "
        "the unions and the rail companies. Critics called it rushed and costly.\n\n"
        "The opposition said it would vote against the bill next month, and several members of "
        "the governing party are expected to join them in the division lobby.\n\n")
MORE = ("Ministers hope the first trains will run within a decade, although the engineers who "
        "surveyed the route have warned that the tunnels could take longer to dig.\n\n"
        "A public consultation on the route opens in the spring and will run for twelve weeks.\n\n")
HEAD = "Minister unveils plan for new rail line\n\n"


def furniture(text: str, path: str = "a.txt") -> list[tuple[str, str, str]]:
    return [(f.rule, f.text, f.message) for f in check_text(text, path=path) if f.category == "boilerplate"]


# (line as a real page leaks it, the kind its message must name)
FLAG = [
    ("Photo: Meg Kinnard, AP", "credit"),
    ("(Image credit: Ceres Robotics)", "credit"),
    ("Published 10:02 AM EST Nov 19, 2019", "timestamp"),
    ("Updated an hour ago", "timestamp"),
    ("By Phil Helsel", "byline"),
    ("Share via Email", "share"),
    ("Sharing is caring!", "share"),
    ("Let our news meet your inbox. The news and stories that matter, delivered weekday mornings.", "newsletter"),
    ("Disclosure: ZDNet may earn a commission from some of the products featured on this page.", "advertisement"),
    ("View Comments", "comment"),
    ("You may also like...", "related"),
]


@pytest.mark.parametrize(("line", "kind"), FLAG)
def test_flags_real_furniture_and_names_its_kind(line: str, kind: str) -> None:
    found = furniture(HEAD + BODY + line + "\n\n" + MORE)
    assert [(rule, text) for rule, text, _ in found] == [(found[0][0], line)]
    assert kind in found[0][2]


PASS = [
    "Critics say the money would be better spent on buses.",
    "How the plan will work",
    "The cost of the line",
    "\u201cWe have waited long enough,\u201d said one commuter.",
    "1. Book your tickets early",
]


@pytest.mark.parametrize("line", PASS)
def test_leaves_prose_subheads_and_list_items_alone(line: str) -> None:
    assert furniture(HEAD + BODY + line + "\n\n" + MORE) == []


CAPTION = "Ely Radner speaks at the Pentagon on Tuesday, July 12, 2023. (AP Photo/Alex Brandon)"
STORY = ("Pentagon talks resume\n\nChinese Ambassador Xie Feng discussed defense ties in conversations with "
         "Assistant Secretary of Defense Ely Ratner, according to a Pentagon briefing on Thursday.\n\n"
         "Ratner also underscored the department's commitment to open military communications, a spokesman "
         "said.\n\nThe Chinese Embassy in Washington did not immediately respond to a request for comment.\n\n")


def test_a_caption_feeds_neither_names_nor_dates() -> None:
    # Radner beside Ratner, and Tuesday, July 12, 2023 (a Wednesday): both would be flagged in
    # the prose; inside a caption they are furniture, so neither family reads them.
    as_prose = CAPTION.replace(" (AP Photo/Alex Brandon)", "")
    prose = {f.rule for f in check_text(STORY + as_prose + "\n", path="a.txt")}
    assert {"names.variant", "dates.weekday_mismatch"} <= prose
    found = check_text(STORY + CAPTION + "\n", path="a.txt")
    assert [(f.rule, f.text) for f in found if f.category != "non-sequitur"] == [("boilerplate.furniture", CAPTION)]
    assert "credit" in found[-1].message or "caption" in found[-1].message


def test_list_shaped_page_repeats_subheads_without_a_repeated_headline() -> None:
    # A fitness plan repeats its subheads day after day (issue 14's false alarm).
    meals = ["Small meals keep your energy steady through the day, and they make it easier to hit your "
             "protein target without feeling too full.",
             "On the second day, add a handful of nuts to the mid-morning meal and swap the pasta at lunch "
             "for brown rice or lentils.",
             "By the third day most people find the rhythm easy, so plan the meals the night before and "
             "pack them for work."]
    text = "A seven-day fitness plan for busy people\n\n" + BODY + "".join(
        f"Day {i + 1}\n\nEat every 2-3 hours\n\n{meal}\n\n" for i, meal in enumerate(meals))
    assert [r for r, _, _ in furniture(text)] == []


def test_headline_repeated_once_is_still_flagged() -> None:
    head = "Minister unveils plan for new rail line"
    assert [r for r, _, _ in furniture(f"{head}\n\n{BODY}{head}\n\n{MORE}")] == ["boilerplate.repeated_headline"]


def _folder(tmp_path: Path, count: int) -> list[str]:
    paths = []
    for i in range(count):
        path = tmp_path / f"story{i}.txt"
        body = BODY.replace("minister", ["minister", "mayor", "governor", "premier", "senator", "chancellor"][i])
        more = MORE.replace("twelve", ["six", "eight", "ten", "twelve", "fourteen", "sixteen"][i])
        path.write_text(f"Story number {i} about trains\n\n{body}Join the Daily Bugle on Signal today\n\n{more}",
                        encoding="utf-8")
        paths.append(str(path))
    return paths


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_line_shared_by_many_articles_of_the_run_is_the_site_template(tmp_path: Path, jobs: int) -> None:
    paths = _folder(tmp_path, 5)
    result = check_paths([str(tmp_path)], jobs=jobs)
    flagged = {(Path(f.path).name, x.text) for f in result.files for x in f.findings if x.category == "boilerplate"}
    assert flagged == {(Path(p).name, "Join the Daily Bugle on Signal today") for p in paths}
    messages = {x.message for f in result.files for x in f.findings}
    assert messages == {"page furniture in the body: a line the other articles of this run repeat (the site's template)"}
    # One article alone has no template to learn from: the line is left alone.
    alone = check_paths([paths[0]])
    assert [x for x in alone.files[0].findings if x.category == "boilerplate"] == []


def test_html_evidence_and_exact_offsets(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><article><h1>Minister unveils plan for new rail line</h1>"
        f"<p>{BODY.split(chr(10))[0]}</p>"
        "<figure><img src='a.jpg'><figcaption>The minister on a train &amp; a platform</figcaption></figure>"
        "<div class='share-bar'><a href='#'>Facebook</a> <a href='#'>Twitter</a></div>"
        "<div class='related-stories'><p>Ten things we learned this week</p></div>"
        f"<p>{BODY.split(chr(10))[2]}</p></article></body></html>", encoding="utf-8")
    result = check_paths([str(page)])
    source = result.files[0].source
    assert source is not None
    found = [(f.text, f.message.rsplit(": ", 1)[1]) for f in result.files[0].findings if f.category == "boilerplate"]
    assert found == [("The minister on a train &amp; a platform", "a photo caption"),
                     ("Facebook</a> <a href='#'>Twitter", "a share or social prompt"),
                     ("Ten things we learned this week", "a related-story link or headline")]
    assert all(source.text[f.start:f.end] == f.text for f in result.files[0].findings)


def test_eval_reads_the_furniture_sets_gold_files(tmp_path: Path) -> None:
    (tmp_path / "001.txt").write_text(HEAD + BODY + MORE + "Share via Email\n", encoding="utf-8")
    (tmp_path / "001.yaml").write_text(
        'extractor: "boilerpipe"\npage_id: abc\nfindings:\n  - {category: boilerplate, text: "Share via Email"}\n',
        encoding="utf-8")
    (tmp_path / "copydesk.yaml").write_text("disable: [coherence]\n", encoding="utf-8")
    pairs, problems = collect([str(tmp_path)])
    assert pairs == [(str(tmp_path / "001.txt"), str(tmp_path / "001.yaml"))] and problems == []
    from checker.evaluate import evaluate

    ev = evaluate([str(tmp_path)], categories=("boilerplate",), cache=False)
    assert (ev.tallies["boilerplate"].tp, ev.tallies["boilerplate"].fp) == (1, 0)


def test_seed_keeps_its_two_furniture_findings(root: Path) -> None:
    from tests.conftest import run_json

    _, data = run_json("--fail-on", "never", str(root / "seeds" / "pentagon-talks.txt"))
    found = [(f["rule"], f["text"]) for f in data["files"][0]["findings"] if f["category"] == "boilerplate"]
    assert found == [("boilerplate.section_line", "Complete News World"),
                     ("boilerplate.see_also", "See also\u00a0 US warns China: Leave Philippine ships alone")]
    assert json.dumps(found)  # plain data, as the JSON report gives it
