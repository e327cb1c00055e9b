"""The HTML report in a real headless Chromium: highlights, panel counts, clicks, filters, escaping.

Needs Debian's chromium and chromium-driver and the selenium package (.ci/install-browser
installs them). Outside CI a missing browser skips the test with its reason (a fresh clone
passes); with CI=true a missing browser is a failure, so CI cannot pass without running it;
COPYDESK_SKIP_BROWSER=1 skips it anywhere. It saves a screenshot
of the seed's report as reports/browser-test.png; with COPYDESK_UPDATE_GOLDEN=1 also as
reports/seed-report.png, the picture the README shows.
"""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from checker.reporters import render
from tests.conftest import ROOT, SEEDS, run_cli
from tests.test_reporters import sample_result

CHROMIUM = os.environ.get("COPYDESK_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("COPYDESK_CHROMEDRIVER", "/usr/bin/chromedriver")

if os.environ.get("COPYDESK_SKIP_BROWSER") == "1":
    pytest.skip("COPYDESK_SKIP_BROWSER=1", allow_module_level=True)
if os.environ.get("CI", "").lower() not in ("true", "1") and not (
        os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER) and importlib.util.find_spec("selenium")):
    # Outside CI a clone without a browser still passes; in CI (CI=true, as GitHub Actions and
    # .ci/run set it) a missing browser fails the fixture below, so CI cannot pass without it.
    pytest.skip(f"no Chromium here ({CHROMIUM}, {CHROMEDRIVER}); .ci/install-browser installs it, "
                "and with CI=true the test runs", allow_module_level=True)

from selenium import webdriver  # noqa: E402 - after the skip: without a browser there is no selenium either
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

pytestmark = pytest.mark.slow

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,1000", "--hide-scrollbars"]
# '#fde68a', the name category's colour in report.css, as the browser computes it.
NAME_BACKGROUND = ("rgb(253, 230, 138)", "rgba(253, 230, 138, 1)")


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    for path in (CHROMIUM, CHROMEDRIVER):
        assert os.path.exists(path), f"{path} is missing: run .ci/install-browser (or set COPYDESK_SKIP_BROWSER=1)"
    profile = tempfile.mkdtemp(prefix="copydesk-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("html")
    proc = run_cli("check", str((SEEDS / "pentagon-talks.txt").relative_to(ROOT)), "--format", "json",
                   "-o", f"html:{out / 'seed.html'}")
    assert proc.returncode in (0, 1), proc.stderr
    return out / "seed.html", json.loads(proc.stdout)["files"][0]


def _open(driver: webdriver.Chrome, page: Path) -> None:
    driver.get(page.resolve().as_uri())
    driver.get_log("browser")  # start each page with an empty console log


def _console_errors(driver: webdriver.Chrome) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_seed_report_in_chromium(browser: webdriver.Chrome, seed_report: tuple[Path, dict[str, Any]]) -> None:
    page, report = seed_report
    findings = report["findings"]
    assert findings, "the seed has findings to show"
    _open(browser, page)

    # Every finding is highlighted in place, over exactly its text.
    marks = browser.find_elements(By.CSS_SELECTOR, "mark.hl[data-f]")
    shown = {i for m in marks for i in m.get_attribute("data-f").split()}
    assert shown == {str(i) for i in range(len(findings))}
    for number, finding in enumerate(findings):
        text = browser.execute_script(
            "return Array.from(document.querySelectorAll('mark[data-f~=\"' + arguments[0] + '\"]'))"
            ".map(m => m.textContent).join('')", str(number))
        assert text == finding["text"], (number, finding["rule"])

    # The panel counts per category agree with the JSON report.
    expected = Counter(f["category"] for f in findings)
    for category in ("name", "date", "non-sequitur", "boilerplate", "style-sheet", "other"):
        count = browser.find_element(By.CSS_SELECTOR, f'[data-count-cat="{category}"]').text
        assert int(count) == expected.get(category, 0), category
    assert int(browser.find_element(By.ID, "shown-count").text) == len(findings)

    # Category colour: a name finding is painted with the name colour.
    name_marks = [m for m in marks if "cat-name" in m.get_attribute("class").split()]
    if expected.get("name"):
        assert name_marks
        colour = browser.execute_script("return getComputedStyle(arguments[0]).backgroundColor", name_marks[0])
        assert colour in NAME_BACKGROUND, colour

    # Clicking a finding with related spans shows rule, message, suggestion, confidence and links them.
    with_related = [i for i, f in enumerate(findings) if f["related"]]
    linked = next((i for i in with_related if findings[i]["category"] == "name"), with_related[0] if with_related else None)
    assert linked is not None, "the seed has a finding with related spans (a name variant)"
    finding = findings[linked]
    mark = browser.find_element(By.CSS_SELECTOR, f'mark[data-f~="{linked}"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", mark)
    mark.click()
    detail = browser.find_element(By.ID, "detail")
    assert detail.is_displayed()
    assert finding["rule"] in detail.text and finding["message"] in detail.text
    assert detail.find_element(By.CSS_SELECTOR, "dd.confidence").text == finding["confidence"]
    if finding["suggestion"]:
        assert detail.find_element(By.CSS_SELECTOR, "dd.suggestion").text == finding["suggestion"]
    related = browser.find_elements(By.CSS_SELECTOR, "mark.rel.linked")
    assert "".join(r.text for r in related) == "".join(r["text"] for r in finding["related"])
    assert "active" in mark.get_attribute("class").split()

    # A related link scrolls to its span and flashes it.
    detail.find_element(By.CSS_SELECTOR, ".related button").click()
    assert browser.find_elements(By.CSS_SELECTOR, "mark.rel.flash")

    # Hovering shows the message in a tooltip.
    ActionChains(browser).move_to_element(mark).perform()
    tip = browser.find_element(By.ID, "tip")
    assert tip.is_displayed() and finding["message"] in tip.text

    # Filters: hiding a category greys its highlights and drops its list items.
    category = finding["category"]
    browser.find_element(By.CSS_SELECTOR, f'input.filter-cat[value="{category}"]').click()
    off = browser.find_elements(By.CSS_SELECTOR, f"mark.hl.cat-{category}.off")
    assert off and all("off" in m.get_attribute("class") for m in off)
    assert int(browser.find_element(By.ID, "shown-count").text) == len(findings) - expected[category]
    browser.find_element(By.CSS_SELECTOR, f'input.filter-cat[value="{category}"]').click()
    assert int(browser.find_element(By.ID, "shown-count").text) == len(findings)

    # A click in the side panel selects the finding in the text.
    item = browser.find_element(By.CSS_SELECTOR, f'li.item[data-f="{linked}"] button')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", item)
    item.click()
    assert "selected" in browser.find_element(By.CSS_SELECTOR, f'li.item[data-f="{linked}"]').get_attribute("class")

    # Name clusters and resolved dates, where the document layers provide them: a click links
    # every mention in the text.
    data = browser.execute_script("return copydeskReport.data.entities")
    for kind in ("name", "date"):
        entity = next((x for x in data if x["kind"] == kind), None)
        if entity is None:
            continue
        button = browser.find_element(By.CSS_SELECTOR, f'li.entity[data-e="{entity["id"]}"] button')
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
        button.click()
        linked_marks = browser.find_elements(By.CSS_SELECTOR, f'mark.ent.linked[data-e~="{entity["id"]}"]')
        assert "".join(m.text for m in linked_marks) == "".join(x["text"] for x in entity["mentions"])

    # No request left the page, and the page logged no error (a CSP violation would be one).
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert _console_errors(browser) == []

    # The picture: the seed with its first name finding selected.
    browser.execute_script("window.scrollTo(0, 0)")
    browser.execute_script("copydeskReport.select(arguments[0])", linked)
    browser.execute_script("document.getElementById('tip').hidden = true; window.scrollTo(0, 0);"
                           "document.getElementById('panel').scrollTop = 0")
    reports = ROOT / "reports"
    reports.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(reports / "browser-test.png"))
    if os.environ.get("COPYDESK_UPDATE_GOLDEN") == "1":
        assert browser.save_screenshot(str(reports / "seed-report.png"))
    assert (reports / "browser-test.png").stat().st_size > 10_000


def test_hostile_article_renders_as_text(browser: webdriver.Chrome, tmp_path: Path) -> None:
    page = tmp_path / "hostile.html"
    page.write_text(render("html", sample_result()), encoding="utf-8")
    _open(browser, page)
    # Nothing from the article ran or became an element.
    assert browser.execute_script("return document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert browser.execute_script("return document.scripts.length") == 2
    text = browser.find_element(By.CSS_SELECTOR, ".article .text").text
    assert "<script>alert(1)</script>" in text
    assert '"><img src=x onerror=alert(1)>' in text
    # The data block kept '</script>' inside a suggestion as data, and the card shows it as text.
    mark = browser.find_element(By.CSS_SELECTOR, "mark.hl.cat-style-sheet")
    mark.click()
    detail = browser.find_element(By.ID, "detail")
    assert detail.find_element(By.CSS_SELECTOR, "dd.suggestion").text == "</script><b>x</b>"
    assert detail.find_elements(By.TAG_NAME, "b") == []
    # A rule link that is not http(s) is not a link.
    assert detail.find_elements(By.CSS_SELECTOR, "a[href^='javascript']") == []
    # Overlapping and zero-width findings are all clickable.
    assert len(browser.find_elements(By.CSS_SELECTOR, "mark.hl.point")) == 1
    assert _console_errors(browser) == []
