"""coherence.non_sequitur with ``method: semantic`` (built in, opt-in): the real all-MiniLM-L6-v2
weights shipped in checker/models/, run by checker.encoder."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from test_coherence import (  # module-scoped fixtures (nlp, spec) and the tables of tests/test_coherence.py
    HARBOUR,
    INTRUDER,
    ROOT,
    SHOULD_FLAG,
    SHOULD_PASS,
    article,
    nlp,  # noqa: F401
    run,
    spec,  # noqa: F401
    with_line,
)

from checker.checks import coherence

pytestmark = [pytest.mark.semantic]


def test_the_weights_ship_with_the_package():
    assert coherence.semantic_available()


@pytest.mark.parametrize("name,text,expected", SHOULD_FLAG, ids=[c[0] for c in SHOULD_FLAG])
def test_should_flag(nlp, spec, name, text, expected):  # noqa: F811
    # The toy story's intruder at the rule's own decision (no bar lowered, unlike lexical).
    (finding,) = run(nlp, spec, text, method="semantic")
    assert text[finding.start:finding.end] == expected
    assert "similar" in finding.message and "'Japanese'" in finding.message
    assert finding.confidence >= 0.7


@pytest.mark.parametrize("name,text", SHOULD_PASS, ids=[c[0] for c in SHOULD_PASS])
def test_should_pass(nlp, spec, name, text):  # noqa: F811
    assert run(nlp, spec, text, method="semantic") == []


def test_a_related_sentence_without_shared_words_passes(nlp, spec):  # noqa: F811
    # Shares no content word with the story but is about it: what embeddings add to lexical cohesion.
    related = "Boats queued offshore for hours last summer because only one vessel could dock at a time."
    assert run(nlp, spec, article(with_line(HARBOUR, 6, related)), method="semantic") == []


def test_similarities_are_cosines_of_the_nearest_and_the_neighbours():
    texts = ["The ferry terminal will open next year.", "The new ferry terminal has two berths.",
             "Ferry operators welcomed the terminal.", INTRUDER]
    sims = coherence.similarities(texts, 4, top_k=2, window=1)
    assert len(sims) == 4 and all(-1.0 <= a <= 1.0 and -1.0 <= b <= 1.0 for a, b in sims)
    # The intruder is the least similar to its nearest and to its one neighbour.
    assert min(range(4), key=lambda i: sims[i][0]) == 3
    assert sims[3][1] < sims[1][1]


def test_seed_has_no_false_alarm(nlp, spec):  # noqa: F811
    text = (ROOT / "seeds" / "pentagon-talks.txt").read_text(encoding="utf-8")
    california = "It’s an odd thing to hear coming from the coastal state of California."
    assert {f.text for f in run(nlp, spec, text, method="semantic")} <= {california}


def test_seed_california_sentence_through_the_semantic_method(nlp, spec):  # noqa: F811
    text = (ROOT / "seeds" / "pentagon-talks.txt").read_text(encoding="utf-8")
    findings = run(nlp, spec, text, method="semantic")
    assert [f.text for f in findings] == ["It’s an odd thing to hear coming from the coastal state of California."]


SEMANTIC = "options:\n  coherence.non_sequitur: {method: semantic}\n"


def test_cli_semantic_run_is_quiet_and_offline(tmp_path):
    # One line of configuration runs the encoder: nothing on stderr, no network, no torch.
    (tmp_path / "copydesk.yaml").write_text(SEMANTIC)
    path = tmp_path / "story.txt"
    path.write_text(article(with_line(HARBOUR, 6, INTRUDER)), encoding="utf-8")
    code = ("import runpy, sys\n"
            "sys.argv = ['copydesk', 'check', '--no-cache', '--format', 'json', sys.argv[1]]\n"
            "try:\n    runpy.run_module('checker', run_name='__main__')\n"
            "finally:\n    sys.stderr.write('torch imported\\n' if 'torch' in sys.modules else '')\n")
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=tmp_path,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    (result,) = json.loads(proc.stdout)["files"]
    assert [f["text"] for f in result["findings"] if f["category"] == "non-sequitur"] == [INTRUDER]


def stories_with_intruders(folder, places) -> list[str]:
    """The harbour story once per place with the intruder there, and once clean."""
    paths = []
    for i, at in enumerate(places):
        path = folder / f"story-{i}.txt"
        path.write_text(article(with_line(HARBOUR, at, INTRUDER)), encoding="utf-8")
        paths.append(str(path))
    (folder / "story-clean.txt").write_text(article(HARBOUR), encoding="utf-8")
    return [*paths, str(folder / "story-clean.txt")]


def outputs_with_jobs_1_and_2(paths, cwd) -> list[str]:
    outputs = []
    for jobs in ("1", "2"):
        proc = subprocess.run([sys.executable, "-m", "checker", "check", "--no-cache", "--format", "json",
                               "--jobs", jobs, *paths], capture_output=True, text=True, cwd=cwd, timeout=600)
        # 1: findings (the lexical bars may let the toy story's intruder through: 0).
        assert proc.returncode in (0, 1), proc.stderr
        outputs.append(proc.stdout)
    return outputs


def test_jobs_2_with_the_encoder_loaded_in_the_parent_matches_jobs_1(tmp_path):
    # The parent of --jobs checks one file (loading the encoder) before forking its workers.
    # Same output as one process, byte for byte.
    (tmp_path / "copydesk.yaml").write_text(SEMANTIC)
    outputs = outputs_with_jobs_1_and_2(stories_with_intruders(tmp_path, (3, 5, 7)), tmp_path)
    assert outputs[0] == outputs[1]
    flagged = [f["text"] for r in json.loads(outputs[0])["files"] for f in r["findings"]
               if f["category"] == "non-sequitur"]
    assert flagged == [INTRUDER] * 3
