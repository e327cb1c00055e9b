"""copydesk audit on a real Dask LocalCluster: same findings as check, resumable, the archive's spellings.

One cluster of two worker processes serves the module (each worker loads spaCy once, about
2 s); the test that kills a worker runs last, and the nanny brings a fresh worker back.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import signal
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from checker.archive import ArchiveMemory, SpellingRule, blocking_keys, deviations
from checker.audit import Options, load_state, prepare_results, read_records, run_audit
from checker.document.people import VariantSettings
from checker.engine import check_paths
from checker.reporters.json import file_dict
from tests.conftest import CORPUS, SEEDS, run_cli

distributed = pytest.importorskip("distributed", reason="copydesk[cluster] is not installed")

DATE = dt.date(2005, 3, 1)
BUDGET = ("Budget plans unveiled\n\n"
          "Chancellor Gordon {name} set out his spending plans on Wednesday, promising more money for schools "
          "and hospitals in the year ahead. {name} told MPs the economy would grow by {growth}% this year.\n\n"
          "The Conservatives said the plans would mean higher taxes for working families.\n\n"
          "Shadow chancellor Oliver Letwin said the figures did not add up and accused the government of "
          "borrowing to pay for its promises. {topic}\n")
TOPICS = ["Business groups welcomed the cut in corporation tax.", "Unions said public sector pay was too low.",
          "Pensioners will get a one-off payment this winter.", "Fuel duty will rise in line with inflation.",
          "The housing market is expected to cool next year.", "Petrol prices rose again last month.",
          "Economists questioned the growth forecast."]
STORM = ("Storm hits coast\n\nThe storm reached the coast on Monday, officials said.\n\n"
         "See also: Ten tips for surviving a storm\n\nResidents were told to stay indoors.\n")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=":0", silence_logs=logging.ERROR)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def write_budget(folder: Path, spellings: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, name in enumerate(spellings):
        path = folder / f"budget-{i}.txt"
        path.write_text(BUDGET.format(name=name, growth=2 + i % 3, topic=TOPICS[i % len(TOPICS)]), encoding="utf-8")
        paths.append(path)
    return paths


def articles_of(out: Path) -> Counter[str]:
    return Counter(r["path"] for r in read_records(str(out)) if "kind" not in r)


def check_findings(paths: list[str]) -> dict[str, list[dict[str, Any]]]:
    result = check_paths(paths, date=DATE)
    return {f.path: file_dict(f)["findings"] for f in result.files if f.source is not None}


# ----- the archive pass ----------------------------------------------------------------------

def test_seventh_article_spelling_browne_is_flagged(client: Any, tmp_path: Path) -> None:
    paths = write_budget(tmp_path / "arts", ["Brown"] * 6 + ["Browne"])
    out = tmp_path / "results.jsonl"
    sheet = tmp_path / "archive-sheet.yaml"
    report = run_audit([str(tmp_path / "arts")], str(out), client=client, date=DATE, stylesheet=str(sheet))
    assert report.checked == 7 and report.errors == 0
    state = load_state(str(out))
    assert set(state.archive) == {str(paths[6])}
    (finding,) = state.archive[str(paths[6])]
    assert finding["rule"] == "archive.spelling" and finding["text"] == "Browne"
    assert finding["suggestion"] == "Brown"
    assert "'Brown' in 6 articles" in finding["message"] and "'Browne' here" in finding["message"]
    text = paths[6].read_text(encoding="utf-8")
    assert text[finding["start"]:finding["end"]] == "Browne"
    assert finding["line"] == 3
    assert state.summary is not None
    assert state.summary["clusters"] == [{"usual": "Gordon Brown", "forms": [
        {"name": "Gordon Brown", "articles": 6}, {"name": "Gordon Browne", "articles": 1}]}]
    # The starter style sheet is one copydesk itself can load, and it knows the wrong form.
    from checker.stylesheet import load_stylesheets

    (loaded,) = load_stylesheets([str(sheet)])
    (person,) = loaded.people
    assert person.name == "Gordon Brown" and person.wrong == ("Gordon Browne",)


def test_archive_thresholds_and_different_people() -> None:
    memory = ArchiveMemory(VariantSettings())
    for _ in range(6):
        memory.add([{"given": "Gordon", "surname": "Brown"}, {"given": "John", "surname": "Kerry"}])
    memory.add([{"given": "Gordon", "surname": "Browne"}, {"given": "John", "surname": "Kelly"},
                {"given": "James", "surname": "Browne"}])
    clusters = memory.clusters()
    # John Kelly is not a slip for John Kerry; James Browne is not Gordon Brown.
    assert [(c.usual, [k for k, _ in c.forms]) for c in clusters] == [
        (("Gordon", "Brown"), [("Gordon", "Brown"), ("Gordon", "Browne")])]
    assert set(deviations(clusters, SpellingRule(min_articles=3, max_share=0.25))) == {("Gordon", "Browne")}
    assert deviations(clusters, SpellingRule(min_articles=7, max_share=0.25)) == {}
    assert deviations(clusters, SpellingRule(min_articles=3, max_share=0.1)) == {}
    assert blocking_keys("Brown") & blocking_keys("Browne")


def test_two_spellings_in_comparable_numbers_are_left_alone(client: Any, tmp_path: Path) -> None:
    write_budget(tmp_path / "arts", ["Brown"] * 3 + ["Browne"] * 2)
    out = tmp_path / "results.jsonl"
    run_audit([str(tmp_path / "arts")], str(out), client=client, date=DATE)
    state = load_state(str(out))
    assert state.archive == {}
    assert state.summary is not None and len(state.summary["clusters"]) == 1  # reported as a cluster, not flagged


# ----- same findings as check, resumable ------------------------------------------------------

def test_audit_gives_check_findings_and_resumes(client: Any, tmp_path: Path) -> None:
    folder = tmp_path / "arts"
    folder.mkdir()
    shutil.copy(SEEDS / "pentagon-talks.txt", folder / "pentagon-talks.txt")
    (folder / "storm.txt").write_text(STORM, encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02 not an article")
    write_budget(folder / "budget", ["Brown", "Brown", "Brwon"])
    out = tmp_path / "results.jsonl"
    first = run_audit([str(folder / "storm.txt"), str(folder / "budget")], str(out), client=client, date=DATE)
    assert first.checked == 4
    second = run_audit([str(folder)], str(out), client=client, date=DATE)
    assert (second.checked, second.skipped, second.errors) == (1, 4, 1)  # the seed; binary.txt is an error
    assert all(n == 1 for n in articles_of(out).values())
    state = load_state(str(out))
    expected = check_findings([str(p) for p in sorted(folder.rglob("*.txt")) if p.name != "binary.txt"])
    assert {p: r["findings"] for p, r in state.articles.items()} == expected
    assert any(f["rule"] == "names.variant" for f in expected[str(folder / "pentagon-talks.txt")])
    assert any(f["rule"].startswith("boilerplate.") for f in expected[str(folder / "storm.txt")])
    assert set(state.errors) == {str(folder / "binary.txt")}
    assert set(state.errors[str(folder / "binary.txt")]) == {"path", "message"}  # the contract's error shape
    # A changed article is audited again; its newer line is the one that counts.
    (folder / "storm.txt").write_text(STORM.replace("Monday", "Tuesday"), encoding="utf-8")
    third = run_audit([str(folder)], str(out), client=client, date=DATE)
    assert (third.checked, third.skipped, third.errors) == (1, 4, 1)
    assert articles_of(out)[str(folder / "storm.txt")] == 2
    assert load_state(str(out)).articles[str(folder / "storm.txt")]["sha256"] != \
        state.articles[str(folder / "storm.txt")]["sha256"]


def test_a_torn_line_and_the_old_archive_block_are_dropped(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    good = {"path": "a.txt", "findings": [], "sha256": "x", "people": []}
    lines = [json.dumps(good), json.dumps({"kind": "archive", "path": "a.txt", "findings": []}),
             json.dumps({"kind": "archive-summary", "articles": 1, "clusters": []})]
    out.write_text("\n".join(lines) + "\n" + '{"path": "b.txt", "find', encoding="utf-8")
    assert [r["path"] for r in read_records(str(out)) if "kind" not in r] == ["a.txt"]
    prepare_results(str(out))
    assert out.read_text(encoding="utf-8") == json.dumps(good) + "\n"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the BBC corpus (../shared/corpus) is not here")
def test_forty_bbc_articles_same_as_check_and_each_once(client: Any, tmp_path: Path) -> None:
    corpus = sorted(CORPUS.glob("*.txt"))[::5][:40]
    folder = tmp_path / "bbc"
    folder.mkdir()
    for path in corpus:
        shutil.copyfile(path, folder / path.name)  # a temporary copy: a symlink out of the tree is refused (issue 13)
    out = tmp_path / "results.jsonl"
    run_audit([str(p) for p in sorted(folder.iterdir())[:15]], str(out), client=client, date=DATE)
    report = run_audit([str(folder)], str(out), client=client, date=DATE)
    assert (report.checked, report.skipped, report.errors) == (25, 15, 0)
    assert len(articles_of(out)) == 40 and set(articles_of(out).values()) == {1}
    state = load_state(str(out))
    assert {p: r["findings"] for p, r in state.articles.items()} == check_findings(
        [str(p) for p in sorted(folder.iterdir())])


# ----- the command line -------------------------------------------------------------------------

def test_cli_with_a_scheduler_address_and_reports(client: Any, tmp_path: Path) -> None:
    write_budget(tmp_path / "arts", ["Brown"] * 6 + ["Browne"])
    out = tmp_path / "results.jsonl"
    proc = run_cli("audit", str(tmp_path / "arts"), "--out", str(out), "--scheduler", client.scheduler.address,
                   "--date", "2005-03-01")
    assert proc.returncode == 1, proc.stderr[-2000:]  # the archive finding is a warning
    assert "Gordon Brown: 'Gordon Brown' 6, 'Gordon Browne' 1" in proc.stderr
    report = run_cli("audit", "--from", str(out), "--format", "json")
    data = json.loads(report.stdout)
    assert report.returncode == 1 and data["version"] == 1 and data["errors"] == []
    assert [f["rule"] for file in data["files"] for f in file["findings"]] == ["archive.spelling"]
    sarif = run_cli("audit", "--from", str(out), "--format", "sarif", "-o", f"html:{tmp_path / 'r.html'}")
    results = json.loads(sarif.stdout)["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["archive.spelling"]
    assert results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert "archive.spelling" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_cli_local_cluster(tmp_path: Path) -> None:
    (tmp_path / "storm.txt").write_text(STORM, encoding="utf-8")
    out = tmp_path / "results.jsonl"
    proc = run_cli("audit", str(tmp_path / "storm.txt"), "--out", str(out), "--workers", "1")
    assert proc.returncode == 1, proc.stderr[-2000:]
    (record,) = [r for r in read_records(str(out)) if "kind" not in r]
    assert [f["rule"] for f in record["findings"]] == [f["rule"] for f in check_findings([str(tmp_path / "storm.txt")])
                                                       [str(tmp_path / "storm.txt")]]
    bad = run_cli("audit", str(tmp_path), "--workers", "2")
    assert bad.returncode == 2 and "--out" in bad.stderr and "Traceback" not in bad.stderr


def test_fsspec_urls_are_read_by_the_workers(client: Any, tmp_path: Path) -> None:
    paths = write_budget(tmp_path / "arts", ["Brown"] * 3)
    out = tmp_path / "results.jsonl"
    report = run_audit([f"file://{tmp_path / 'arts'}"], str(out), client=client, date=DATE)
    assert report.checked == 3 and report.errors == 0
    state = load_state(str(out))
    assert sorted(state.articles) == [f"file://{p}" for p in paths]
    assert [r["findings"] for r in state.articles.values()] == list(check_findings([str(p) for p in paths]).values())
    assert all(r["people"][0]["surname"] == "Brown" for r in state.articles.values())


def test_ctrl_c_loses_only_articles_in_flight(client: Any, tmp_path: Path) -> None:
    import subprocess
    import sys
    import time

    paths = write_budget(tmp_path / "arts", ["Brown"] * 16)
    out = tmp_path / "results.jsonl"
    args = [sys.executable, "-m", "checker", "audit", str(tmp_path / "arts"), "--out", str(out),
            "--scheduler", client.scheduler.address, "--date", "2005-03-01"]
    # A shell starts background jobs with SIGINT ignored, and children inherit that: give the
    # audit the default disposition so that Python turns SIGINT into KeyboardInterrupt, as on a terminal.
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while (not out.exists() or out.read_text(encoding="utf-8").count("\n") < 2) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err[-2000:]
    written = articles_of(out)
    assert 2 <= sum(written.values()) < 16 and set(written.values()) == {1}
    again = run_audit([str(tmp_path / "arts")], str(out), client=client, date=DATE)
    assert again.skipped == sum(written.values()) and again.checked == 16 - again.skipped
    assert articles_of(out) == Counter({str(p): 1 for p in paths})


# ----- workers: loaded once, and a killed one loses nothing ------------------------------------------

def test_each_worker_loads_the_engine_once(client: Any, tmp_path: Path) -> None:
    write_budget(tmp_path / "arts", ["Brown"] * 8)
    run_audit([str(tmp_path / "arts")], str(tmp_path / "r.jsonl"), client=client, date=DATE)

    def loaded() -> tuple[list[str], int]:
        from checker.audit.worker import _ENGINES
        from checker.document.nlp import _cache

        return sorted(_ENGINES), len(_cache)

    counts = client.run(loaded)
    assert len(counts) == 2
    # One engine for these options and one pipeline, however many articles the worker checked.
    assert all(Options(None, DATE).token in engines and pipelines == 1 for engines, pipelines in counts.values())


def test_a_worker_killed_mid_audit_loses_no_article(client: Any, tmp_path: Path) -> None:
    paths = write_budget(tmp_path / "arts", ["Brown"] * 16)
    out = tmp_path / "results.jsonl"
    pids = client.run(os.getpid)
    victim = sorted(pids.items())[0]
    killed: list[int] = []

    def progress(done: int, total: int, words: int) -> None:
        if done == 2 and not killed:
            os.kill(victim[1], signal.SIGKILL)
            killed.append(done)

    report = run_audit([str(tmp_path / "arts")], str(out), client=client, date=DATE, progress=progress)
    assert killed, "the worker was never killed"
    assert report.errors == 0 and report.checked == 16
    assert articles_of(out) == Counter({str(p): 1 for p in paths})
    client.wait_for_workers(2, timeout=60)
    assert set(client.run(os.getpid).values()) != set(pids.values())
