"""Properties that hold for any text: no crash, exact offsets, determinism, safe HTML."""
from __future__ import annotations

import html.parser
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.engine import Engine, RunResult, check_paths
from checker.reporters import render
from checker.source import SourceFile

# News-like words mixed with the characters that break parsers and reports.
WORDS = ["Ratner", "Radner", "said", "the", "Kahl", "Cal", "on", "Wednesday", "July", "12,", "2023",
         "last", "month", "See", "also:", "Mr", "Smith", "Secretary", "of", "State", ".", ",", "\"", "“", "”",
         "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "</textarea>", "javascript:alert(1)",
         "&amp;", "&", "<!--", "-->", "\u202e", "\u200b", "😀", "新闻", "عربي", "\t", "\r\n", "\r", "\n\n", "---",
         "# ", "**", "[link](http://x)", "<p>", "</div>", "February", "30", "next", "week", "It", "is", "California."]
texts = st.lists(st.sampled_from(WORDS), min_size=0, max_size=60).map(" ".join) | st.text(max_size=300)
suffixes = st.sampled_from(["txt", "md", "html"])

ENGINE = Engine(keep_documents=True)
FAST = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


def check_one(text: str, suffix: str) -> RunResult:
    from checker.document.loaders import load_document
    from checker.errors import InputError

    path = str(Path.cwd() / f"article.{suffix}")
    config = ENGINE.config_for(path)
    try:
        doc = load_document(SourceFile(path, text), None)
    except InputError:
        return RunResult(())
    result = ENGINE.check_documents([(doc, config)])[0]
    return RunResult((result,), ENGINE.rules())


@FAST
@given(texts, suffixes)
def test_any_text_checks_without_error_and_offsets_are_exact(text: str, suffix: str) -> None:
    result = check_one(text, suffix)
    for file in result.files:
        assert file.error is None or "internal error" not in file.error, file.error
        for f in file.findings:
            assert 0 <= f.start <= f.end <= len(text)
            assert text[f.start:f.end] == f.text
            for rel in f.related:
                assert text[rel.start:rel.end] == rel.text
    again = check_one(text, suffix)
    assert [f.findings for f in again.files] == [f.findings for f in result.files]


class _Collector(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Collector()
    parser.feed(page)
    parser.close()
    return parser.tags


BASELINE_TAGS = None
ALLOWED: set[str] = set()


@FAST
@given(texts, suffixes)
def test_html_report_never_contains_markup_from_the_article(text: str, suffix: str) -> None:
    global BASELINE_TAGS, ALLOWED
    if BASELINE_TAGS is None:
        BASELINE_TAGS = _tags(render("html", check_one("A plain line of text.", "txt")))
        seed = (Path(__file__).resolve().parent.parent / "seeds" / "pentagon-talks.txt").read_text(encoding="utf-8")
        ALLOWED = {tag for tag, _ in BASELINE_TAGS} | {tag for tag, _ in _tags(render("html", check_one(seed, "txt")))}
    page = render("html", check_one(text, suffix))
    tags = _tags(page)
    scripts = [attrs for tag, attrs in tags if tag == "script"]
    ours = [attrs for tag, attrs in BASELINE_TAGS if tag == "script"]
    assert scripts == ours  # the only scripts are ours, with our attributes
    for tag, attrs in tags:
        assert tag in ALLOWED, f"unexpected <{tag}> from the article"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"event handler {name} in the report"
            assert not (value or "").strip().lower().startswith("javascript:")


@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.lists(st.sampled_from(WORDS[:40]), min_size=5, max_size=60).map(" ".join), min_size=3, max_size=5))
def test_alone_or_among_others_and_jobs_give_the_same_findings(tmp_path_factory, bodies: list[str]) -> None:
    folder = tmp_path_factory.mktemp("corpus")
    paths = []
    for i, body in enumerate(bodies):
        path = folder / f"a{i}.txt"
        path.write_text(f"Headline number {i}\n\n{body}\n")
        paths.append(str(path))
    together = check_paths(paths)
    alone = [check_paths([p]).files[0] for p in paths]
    assert [f.findings for f in together.files] == [f.findings for f in alone]
    parallel = check_paths(paths, jobs=2)
    from checker.reporters.json import as_dict

    assert json.dumps(as_dict(parallel)) == json.dumps(as_dict(together))
