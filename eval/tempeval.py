"""Measure the date resolver against TempEval-3's annotated TIMEX3 values, per form.

usage: python -m eval.tempeval [--repo GITDIR] [--sets platinum,tbaq] [--limit N] [--show-misses]

Every TIMEX3 of type DATE whose annotated value is one day (YYYY-MM-DD) is a test item: the
document text (tags stripped) is loaded with the document creation time (DCT) as the
article date, the date layer runs with the real spaCy pipeline, and the item counts as
resolved when an expression of the layer overlaps the TIMEX3 and resolves to exactly the
annotated day. Items are grouped by the form of the annotated text (explicit with or
without a year, numeric, weekday, relative day word, "N days ago", other).

Sets:
* ``platinum``: the TempEval-3 platinum test set (20 documents, 2013), annotations CC BY 3.0,
  copied into ``eval/data/te3-platinum/`` with its attribution; held out (never tuned on).
* ``tbaq``: TimeBank and AQUAINT (TBAQ-cleaned, 257 documents, 1989-2000), the development
  set. Their terms do not let us copy them: they are read from the repository
  ``qiangning/StructTempRel-EMNLP17`` fetched on this machine (``--repo``, a git directory
  with or without a work tree), never stored in ours.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import html
import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PLATINUM = ROOT / "eval" / "data" / "te3-platinum"
DEFAULT_REPO = Path("/work/.mirror/qiangning+StructTempRel-EMNLP17/repo")
TBAQ_PATH = "data/TempEval3/Training/TBAQ-cleaned"

_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_DAY = re.compile(r"^\d{4}-\d\d-\d\d$")
_MONTH_WORD = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?(?:\s|$)", re.I)
_WEEKDAY_WORD = re.compile(r"\b(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\b",
                           re.I)
_DAYWORDS = re.compile(r"\b(?:today|tonight|yesterday|tomorrow|this morning|this afternoon|this evening|last night)\b",
                       re.I)


@dataclasses.dataclass(frozen=True)
class Timex:
    start: int
    end: int
    text: str
    value: str


@dataclasses.dataclass(frozen=True)
class TmlDoc:
    name: str
    dct: dt.date
    text: str
    timexes: tuple[Timex, ...]


def parse_tml(name: str, raw: str) -> TmlDoc | None:
    """The TEXT of a TimeML file with tags stripped, its DCT and its DATE TIMEX3 spans."""
    dct_m = re.search(r'<DCT>.*?value="(\d{4}-\d\d-\d\d)', raw, re.S)
    body_m = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    if not dct_m or not body_m:
        return None
    body = body_m.group(1)
    out: list[str] = []
    length = 0
    open_timex: list[tuple[int, dict[str, str]]] = []
    timexes: list[Timex] = []
    pos = 0
    for m in _TAG.finditer(body):
        chunk = html.unescape(body[pos:m.start()])
        out.append(chunk)
        length += len(chunk)
        pos = m.end()
        closing, tag = m.group(1), m.group(2)
        if tag != "TIMEX3":
            continue
        if not closing:
            open_timex.append((length, dict(_ATTR.findall(m.group(3)))))
        elif open_timex:
            start, attrs = open_timex.pop()
            if attrs.get("type") == "DATE":
                timexes.append(Timex(start, length, "", attrs.get("value", "")))
    tail = html.unescape(body[pos:])
    out.append(tail)
    text = "".join(out)
    timexes = [dataclasses.replace(t, text=text[t.start:t.end]) for t in timexes]
    return TmlDoc(name, dt.date.fromisoformat(dct_m.group(1)), text, tuple(timexes))


def form_of(text: str) -> str:
    """The form a day-level date takes in the text (the rows of the report)."""
    t = " ".join(text.split())
    if re.search(r"\d{1,4}[/-]\d{1,2}[/-]\d{2,4}", t):
        return "numeric"
    if _MONTH_WORD.search(t) and re.search(r"\d", t):
        return "explicit with year" if re.search(r"\b(1[89]|20)\d\d\b", t) else "explicit, year inferred"
    if _WEEKDAY_WORD.search(t):
        return "weekday"
    if _DAYWORDS.search(t):
        return "relative day word"
    if re.search(r"\bago\b", t, re.I):
        return "N days ago"
    return "other (anaphoric, holidays)"


TARGET_FORMS = ("explicit with year", "explicit, year inferred", "numeric", "weekday", "relative day word",
                "N days ago")


def platinum_docs() -> Iterator[tuple[str, str]]:
    for path in sorted(PLATINUM.glob("*.tml")):
        yield path.stem, path.read_text(encoding="utf-8")


def repo_docs(repo: Path, under: str) -> Iterator[tuple[str, str]]:
    """Files of the fetched repository (a work tree or a bare git directory)."""
    tree = repo / under
    if tree.is_dir():
        for path in sorted(tree.rglob("*.tml")):
            yield path.stem, path.read_text(encoding="utf-8")
        return
    names = subprocess.run(["git", "-C", str(repo), "ls-tree", "-r", "--name-only", "HEAD", under],
                           capture_output=True, text=True, check=True).stdout.split()
    for name in sorted(n for n in names if n.endswith(".tml")):
        raw = subprocess.run(["git", "-C", str(repo), "show", f"HEAD:{name}"], capture_output=True, check=True).stdout
        yield Path(name).stem, raw.decode("utf-8", errors="replace")


def evaluate(docs: list[TmlDoc], show_misses: bool = False) -> dict[str, tuple[int, int]]:
    """Per form: (items, resolved to the annotated day)."""
    from checker.document.loaders import load_document
    from checker.document.nlp import annotate, load_pipeline
    from checker.source import SourceFile

    nlp = load_pipeline(None, {"tagger", "parser"})
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    loaded = [load_document(SourceFile(f"{d.name}.txt", d.text), d.dct) for d in docs]
    parsed = annotate(nlp, [doc.text for doc in loaded])
    for d, doc, sp in zip(docs, loaded, parsed, strict=True):
        doc = dataclasses.replace(doc, spacy=sp)
        layer = doc.dates
        # The plain loader keeps the text as it is; offsets of the TML text are document offsets.
        for t in d.timexes:
            if not _DAY.match(t.value):
                continue
            form = form_of(t.text)
            gold = dt.date.fromisoformat(t.value)
            hits = [e for e in layer if e.start < t.end and t.start < e.end and e.kind != "duration"]
            ok = any(e.is_day and e.first == gold for e in hits)
            totals[form][0] += 1
            totals[form][1] += int(ok)
            if show_misses and not ok:
                got = [(e.text, str(e.first), str(e.last), e.tense) for e in hits]
                context = " ".join(d.text[max(0, t.start - 60):t.end + 40].split())
                print(f"MISS {d.name} dct={d.dct} [{form}] {t.text!r} gold={t.value} got={got}\n    {context}")
    return {form: (n, ok) for form, (n, ok) in totals.items()}


def render(name: str, result: dict[str, tuple[int, int]], n_docs: int) -> str:
    lines = [f"### {name} ({n_docs} documents)\n", "| form | dates | resolved to the annotated day | share |",
             "|---|---:|---:|---:|"]
    target = [0, 0]
    for form in (*TARGET_FORMS, "other (anaphoric, holidays)"):
        n, ok = result.get(form, (0, 0))
        if form in TARGET_FORMS:
            target[0] += n
            target[1] += ok
        lines.append(f"| {form} | {n} | {ok} | {ok / n:.3f} |" if n else f"| {form} | 0 | 0 | - |")
    n, ok = target
    lines.append(f"| **explicit and relative day-level dates** | {n} | {ok} | {ok / n:.3f} |" if n else "")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tempeval", description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", default=str(DEFAULT_REPO), help="the fetched StructTempRel-EMNLP17 git directory")
    parser.add_argument("--sets", default="platinum,tbaq")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args(argv)
    for name in args.sets.split(","):
        if name == "platinum":
            raw = list(platinum_docs())
            title = "TempEval-3 platinum (held out)"
        elif name == "tbaq":
            repo = Path(args.repo)
            if not repo.exists():
                print(f"tempeval: {repo}: no such repository; fetch qiangning/StructTempRel-EMNLP17 first",
                      file=sys.stderr)
                return 2
            raw = list(repo_docs(repo, TBAQ_PATH))
            title = "TimeBank + AQUAINT (development)"
        else:
            print(f"tempeval: unknown set {name!r} (platinum, tbaq)", file=sys.stderr)
            return 2
        docs = [d for d in (parse_tml(n, r) for n, r in raw[: args.limit]) if d is not None]
        result = evaluate(docs, args.show_misses)
        print(render(title, result, len(docs)))
        print(f"forms seen: {dict(Counter({f: n for f, (n, _) in result.items()}))}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
