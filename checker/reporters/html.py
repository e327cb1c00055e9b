"""One self-contained HTML page: each article with every finding highlighted in place.

The page makes no network request (inline CSS and JS, and a Content-Security-Policy that
forbids fetching anything). Every piece of article text goes through ``html.escape``; the
data the script reads is JSON inside ``<script type="application/json">`` with ``<``, ``>``
and ``&`` written as ``\\u003c`` etc., so ``</script>`` in an article cannot end the block.
"""
from __future__ import annotations

import bisect
import datetime as dt
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

from checker import __version__
from checker.finding import CATEGORIES, Severity
from checker.reporters.common import display_path, first_sentence, region, rule_table

if TYPE_CHECKING:
    from checker.document import Document
    from checker.engine import RunResult
    from checker.source import SourceFile

CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
       "base-uri 'none'; form-action 'none'")
_HTTP = re.compile(r"^https?://[^\s\"'<>]+$")


GENERATOR_MARK = '<meta name="generator" content="copydesk">'

def _asset(name: str) -> str:
    text = resources.files("checker.reporters").joinpath("html_assets", name).read_text(encoding="utf-8")
    # The assets are inlined: a closing tag inside them would end the <style>/<script> early.
    assert "</script" not in text.lower() and "</style" not in text.lower(), name
    return text


def _css_class(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-") or "other"


def script_json(data: Any) -> str:
    """JSON that is safe inside a <script> element: no '<', '>' or '&' appear literally."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# ----- what is marked in the text ------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Mark:
    """A span of the source to wrap: a finding, a span related to one, or an entity mention."""

    start: int
    end: int
    kind: str  # "f" finding, "r" related span, "e" entity mention (name cluster, date)
    ref: str  # finding number, "finding:related" or entity number


@dataclass
class FileView:
    """Everything the page shows for one file, in source offsets."""

    index: int
    path: str
    source: SourceFile
    findings: list[dict[str, Any]] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    article_date: dict[str, Any] | None = None
    document: Document | None = None


def _position(source: SourceFile, offset: int) -> dict[str, int]:
    line, column = source.position(offset)
    return {"line": line, "column": column}


_PERSON_EVIDENCE = frozenset({"ner", "title", "speech", "object", "appos"})


def _is_person(mentions: list[Any]) -> bool:
    """Some mention says a person: a PERSON entity, a title or honorific, a speaker; not a run
    the tagger put in an organisation or place ("the Pentagon said", "Chinese Embassy", "Taiwan")."""
    return any(not m.non_person and (m.evidence & _PERSON_EVIDENCE or m.honorific)
               or ("title" in m.evidence and m.honorific) for m in mentions)


def _people(doc: Document, findings: tuple[Any, ...] = ()) -> Iterator[tuple[str, str, list[tuple[int, int]]]]:
    """People of the people layer, one cluster per person with every spelling the name
    checks found for them: (name, spellings with counts, document-text spans of its mentions).

    Two exact-reference persons are one cluster when a ``names.variant`` finding lies in one
    and points (``related``) into the other (Smith / Smyth). Persons with more than one
    spelling come first (what an editor looks at), then the most mentioned.
    """
    layer = doc.people
    mentions = getattr(layer, "mentions", ())
    persons = []
    for person in getattr(layer, "persons", ()):
        ms = [mentions[ref] if isinstance(ref, int) else ref for ref in person.mentions]
        if ms:
            persons.append((person.name, ms))
    parent = list(range(len(persons)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def owner(start: int, end: int) -> int | None:
        for k, (_, ms) in enumerate(persons):
            for m in ms:
                a, b = doc.source_span(m.start, m.end)
                if a < end and start < b:
                    return k
        return None

    for finding in findings:
        if not str(getattr(finding, "rule", "")).startswith("names."):
            continue
        here = owner(finding.start, finding.end)
        for rel in getattr(finding, "related", ()):
            there = owner(rel.start, rel.end)
            if here is not None and there is not None:
                parent[root(here)] = root(there)
    clusters: dict[int, list[tuple[str, list[Any]]]] = {}
    for k, person in enumerate(persons):
        clusters.setdefault(root(k), []).append(person)
    rows = []
    for members in clusters.values():
        ms = [m for _, group in members for m in group]
        if not _is_person(ms):
            continue  # "the Pentagon said", "Chinese Embassy", "Taiwan"
        # Named by its first full name, else its first spelling.
        full = [(group[0].start, name) for name, group in members if len(name.split()) > 1]
        name = min(full)[1] if full else min((group[0].start, name) for name, group in members)[1]
        ms = sorted(ms, key=lambda m: m.start)
        counts: dict[str, int] = {}
        for m in ms:
            counts[m.text] = counts.get(m.text, 0) + 1
        rows.append((name, counts, ms))
    rows.sort(key=lambda c: (-len(c[1]), -len(c[2]), c[2][0].start))
    for name, counts, ms in rows:
        spellings = " · ".join(f"{text} ×{n}" for text, n in counts.items())
        yield str(name), spellings, [(m.start, m.end) for m in ms]


def _day_range(first: Any, last: Any, granularity: str) -> str:
    """A resolved date as an editor reads it: a day, a month, a year, or first – last."""
    if last is None or last == first:
        return first.isoformat()
    if granularity == "month" and first.day == 1 and (last + dt.timedelta(days=1)).day == 1:
        return first.strftime("%Y-%m")
    if granularity == "year" and (first.month, first.day, last.month, last.day) == (1, 1, 12, 31):
        return str(first.year)
    return f"{first.isoformat()} – {last.isoformat()}"


def _dates(doc: Document) -> Iterator[tuple[str, str, list[tuple[int, int]]]]:
    """Resolved dates of the date layer in calendar order, one entry per date with all the
    expressions that resolve to it: (the date, "", their spans)."""
    layer = doc.dates
    timeline = layer.timeline() if hasattr(layer, "timeline") else list(layer)
    groups: dict[str, list[tuple[int, int]]] = {}
    for expr in timeline:
        first, last = getattr(expr, "first", None), getattr(expr, "last", None)
        if first is None:
            continue
        value = _day_range(first, last, getattr(expr, "granularity", ""))
        if getattr(expr, "year_inferred", False):
            value += " (year inferred)"
        groups.setdefault(value, []).append((expr.start, expr.end))
    for value, spans in groups.items():
        yield value, "", spans


def _layers(view: FileView, doc: Document, findings: tuple[Any, ...] = ()) -> None:
    """Name clusters, resolved dates and the article date, where the document offers them."""
    if doc.article_date is not None:
        ad = doc.article_date
        view.article_date = {"date": ad.date.isoformat(), "origin": ad.origin}
        if ad.year_inferred:
            view.article_date["year_inferred"] = True
    builders: tuple[tuple[str, Any], ...] = (("name", lambda d: _people(d, findings)), ("date", _dates))
    for kind, builder in builders:
        try:
            items = list(builder(doc))
        except Exception:  # noqa: BLE001 - a layer that is missing or broken is left out of the page
            continue
        for label, value, spans in items:
            number = len(view.entities)
            mentions = []
            for a, b in spans:
                sa, sb = doc.source_span(a, b)
                if sb <= sa:
                    continue
                mentions.append({"text": view.source.text[sa:sb], **_position(view.source, sa)})
                view.marks.append(Mark(sa, sb, "e", f"{view.index}-{number}"))
            if mentions:
                view.entities.append({"id": f"{view.index}-{number}", "kind": kind, "label": label,
                                      "value": value, "mentions": mentions})


def _views(result: RunResult) -> list[FileView]:
    views: list[FileView] = []
    number = 0
    for file in result.files:
        if file.source is None:
            continue
        view = FileView(len(views), display_path(file.path), file.source)
        for finding in file.findings:
            reg = region(file.source, finding.start, finding.end)
            related = []
            for k, rel in enumerate(finding.related):
                related.append({"text": rel.text, "message": rel.message, **_position(file.source, rel.start)})
                view.marks.append(Mark(rel.start, rel.end, "r", f"{number}:{k}"))
            view.findings.append({
                "id": number, "file": view.index, "rule": finding.rule, "category": finding.category,
                "severity": str(finding.severity), "confidence": str(finding.confidence),
                "message": finding.message, "suggestion": finding.suggestion, "text": finding.text,
                "line": reg.line, "column": reg.column, "end_line": reg.end_line, "end_column": reg.end_column,
                "related": related, "data": dict(finding.data),
            })
            view.marks.append(Mark(finding.start, finding.end, "f", str(number)))
            number += 1
        if file.document is not None:
            view.document = file.document
            _layers(view, file.document, tuple(file.findings))
        views.append(view)
    return views


# ----- the article text with its marks ---------------------------------------------------
def highlight(text: str, marks: list[Mark], findings: dict[int, dict[str, Any]]) -> str:
    """The escaped text with each run of characters wrapped in one <mark> naming what covers it.

    Overlapping findings cannot nest as elements, so the text is cut at every mark boundary
    and each piece lists all the marks over it (``data-f``, ``data-r``, ``data-e``).
    """
    cuts = sorted({0, len(text)} | {m.start for m in marks} | {m.end for m in marks})
    points = sorted((m for m in marks if m.end <= m.start and m.kind == "f"), key=lambda m: m.start)
    spans = [m for m in marks if m.end > m.start]
    starts = sorted(spans, key=lambda m: m.start)
    out: list[str] = []
    active: list[Mark] = []
    pos_index = 0
    point_index = 0
    for a, b in zip(cuts, cuts[1:], strict=False):
        while point_index < len(points) and points[point_index].start <= a:
            f = findings[int(points[point_index].ref)]
            out.append(f'<mark class="hl point cat-{_css_class(f["category"])} sev-{f["severity"]}" '
                       f'data-f="{f["id"]}" tabindex="0" role="button" id="f{f["id"]}"></mark>')
            point_index += 1
        while pos_index < len(starts) and starts[pos_index].start <= a:
            active.append(starts[pos_index])
            pos_index += 1
        active = [m for m in active if m.end > a]
        piece = html.escape(text[a:b], quote=True)
        if not active:
            out.append(piece)
            continue
        fids = sorted({int(m.ref) for m in active if m.kind == "f"})
        rels = sorted({m.ref for m in active if m.kind == "r"})
        ents = sorted({m.ref for m in active if m.kind == "e"})
        classes = ["hl"] if fids else []
        attrs = []
        if fids:
            # Colour by the most severe finding over the piece, then the earliest.
            top = max((findings[i] for i in fids), key=lambda f: (Severity.parse(f["severity"]), -f["id"]))
            classes += [f"cat-{_css_class(top['category'])}", f"sev-{top['severity']}"]
            if len(fids) > 1:
                classes.append("multi")
            attrs.append(f'data-f="{" ".join(map(str, fids))}" tabindex="0" role="button"')
            starters = [i for i in fids if any(m.kind == "f" and int(m.ref) == i and m.start == a for m in active)]
            if starters:
                attrs.append(f'id="f{starters[0]}"')
        if rels:
            classes.append("rel")
            attrs.append(f'data-r="{" ".join(rels)}"')
        if ents:
            classes.append("ent")
            attrs.append(f'data-e="{" ".join(ents)}"')
        out.append(f'<mark class="{" ".join(classes)}" {" ".join(attrs)}>{piece}</mark>')
    for m in points[point_index:]:
        f = findings[int(m.ref)]
        out.append(f'<mark class="hl point cat-{_css_class(f["category"])} sev-{f["severity"]}" '
                   f'data-f="{f["id"]}" tabindex="0" role="button" id="f{f["id"]}"></mark>')
    return "".join(out)


class ReaderText:
    """Maps source offsets to the text a reader sees (Markdown and HTML without their markup).

    Findings point into the source; the page shows the document text, so each span is moved
    through the document's segments. A span that starts inside markup moves to the next
    visible character, one that ends inside markup to the previous one.
    """

    def __init__(self, doc: Document) -> None:
        self.text = doc.text
        self.segments = [seg for seg in doc.segments if seg.src_end > seg.src_start]
        self.starts = [seg.src_start for seg in self.segments]

    def start(self, offset: int) -> int:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.segments[i].src_end:
            seg = self.segments[i]
            return seg.start + (offset - seg.src_start) if seg.identity else seg.start
        return self.segments[i + 1].start if i + 1 < len(self.segments) else len(self.text)

    def end(self, offset: int) -> int:
        i = bisect.bisect_right(self.starts, offset - 1) - 1
        if i < 0:
            return 0
        seg = self.segments[i]
        if offset - 1 < seg.src_end:
            return seg.start + (offset - seg.src_start) if seg.identity else seg.end
        return seg.end

    def span(self, start: int, end: int) -> tuple[int, int]:
        a = self.start(start)
        return a, max(a, self.end(end)) if end > start else a


def _shown(view: FileView) -> tuple[str, list[Mark], str]:
    """The text to show, the marks over it, and a note on what it is."""
    doc = view.document
    if doc is None or doc.format == "plain" or not doc.segments:
        return view.source.text, view.marks, ""
    reader = ReaderText(doc)
    marks = [Mark(*reader.span(m.start, m.end), m.kind, m.ref) for m in view.marks]
    marks = [m for m in marks if m.end > m.start or m.kind == "f"]
    return reader.text, marks, f"shown without its {doc.format} markup; lines and columns are the source file's"


def _article(view: FileView) -> str:
    by_id = {f["id"]: f for f in view.findings}
    text, marks, note = _shown(view)
    e = html.escape
    meta = [f'{len(view.findings)} finding{"s" if len(view.findings) != 1 else ""}']
    if view.article_date:
        inferred = " (year inferred)" if view.article_date.get("year_inferred") else ""
        meta.append(f'article date {e(view.article_date["date"])} from the {e(view.article_date["origin"])}{inferred}')
    if view.source.warnings:
        meta += [e(w) for w in view.source.warnings]
    if note:
        meta.append(e(note))
    return (f'<section class="article" id="file-{view.index}" data-file="{view.index}">\n'
            f'<h2 class="path">{e(view.path)}</h2>\n'
            f'<p class="meta">{" · ".join(meta)}</p>\n'
            f'<div class="text">{highlight(text, marks, by_id)}</div>\n'
            f'</section>')


def _panel(views: list[FileView], result: RunResult) -> str:
    e = html.escape
    findings = [f for v in views for f in v.findings]
    counts = {c: 0 for c in CATEGORIES}
    for f in findings:
        counts[f["category"]] = counts.get(f["category"], 0) + 1
    severities = {s: sum(1 for f in findings if f["severity"] == s) for s in ("error", "warning", "info")}
    rows = []
    for category, n in counts.items():
        cls = _css_class(category)
        rows.append(f'<li><label><input type="checkbox" class="filter-cat" value="{e(category)}" checked>'
                    f'<span class="swatch cat-{cls}"></span><span class="cat-label">{e(category)}</span>'
                    f'<span class="count" data-count-cat="{e(category)}">{n}</span></label></li>')
    sev_rows = [f'<label><input type="checkbox" class="filter-sev" value="{s}" checked>{s} '
                f'<span class="count" data-count-sev="{s}">{n}</span></label>' for s, n in severities.items()]
    many = len(views) > 1
    groups = []
    for category in counts:
        items = [f for f in findings if f["category"] == category]
        if not items:
            continue
        lis = []
        for f in items:
            where = f"{e(views[f['file']].path)}:" if many else "line "
            lis.append(f'<li class="item sev-{f["severity"]}" data-f="{f["id"]}" data-cat="{e(category)}" '
                       f'data-sev="{f["severity"]}"><button type="button">'
                       f'<span class="where">{where}{f["line"]}:{f["column"]}</span> '
                       f'<span class="rule">{e(f["rule"])}</span> '
                       f'<span class="msg">{e(f["message"])}</span></button></li>')
        groups.append(f'<li class="group" data-cat="{e(category)}"><h4><span class="swatch cat-{_css_class(category)}">'
                      f'</span>{e(category)} <span class="count">{len(items)}</span></h4>'
                      f'<ol>{"".join(lis)}</ol></li>')
    entity_sections = []
    for kind, title in (("name", "Name clusters"), ("date", "Resolved dates")):
        entities = [(v, x) for v in views for x in v.entities if x["kind"] == kind]
        if not entities:
            continue
        lis = []
        for view, x in entities:
            spellings = list(dict.fromkeys(m["text"] for m in x["mentions"]))
            where = f'{e(view.path)}: ' if many else ""
            count = len(x["mentions"])
            if kind == "name":
                # One person, each spelling with its count ("Smith ×3 · Smyth ×1").
                label = e(x["label"])
                forms = "" if spellings == [x["label"]] else e(x["value"]) + " · "
            else:
                label = e(x["label"]) + (f' → <span class="value">{e(x["value"])}</span>' if x["value"] else "")
                forms = "" if spellings == [x["label"]] else e(" · ".join(spellings)) + " · "
            lis.append(f'<li class="entity" data-e="{e(x["id"])}"><button type="button">{where}{label}'
                       f'<span class="spellings">{forms}{count} mention{"s" if count != 1 else ""}</span>'
                       f'</button></li>')
        entity_sections.append(f'<section class="entities" id="{kind}s"><h3>{title}</h3><ol>{"".join(lis)}</ol></section>')
    errors = ""
    if result.errors:
        errors = ('<section id="errors"><h3>Not checked</h3><ul>' +
                  "".join(f"<li>{e(display_path(p))}: {e(m)}</li>" for p, m in result.errors) + "</ul></section>")
    return (f'<aside id="panel">\n'
            f'<section id="summary"><h3>Findings by category</h3><ul id="cats">{"".join(rows)}</ul>'
            f'<p id="sevs">{" ".join(sev_rows)}</p></section>\n'
            f'<div id="detail" hidden></div>\n'
            f'<section id="findings"><h3>Findings <span class="count" id="shown-count">{len(findings)}</span></h3>'
            f'<ol id="list">{"".join(groups)}</ol></section>\n'
            f'{"".join(entity_sections)}{errors}\n'
            f'</aside>')


def page_data(views: list[FileView], result: RunResult) -> dict[str, Any]:
    rules = {}
    for spec in rule_table(result):
        link = spec.link if _HTTP.match(spec.link or "") else ""
        rules[spec.id] = {"description": " ".join(spec.description.split()),
                          "summary": first_sentence(spec.description) if spec.description else "",
                          "link": link}
    return {
        "version": 1,
        "files": [{"path": v.path} for v in views],
        "findings": [f for v in views for f in v.findings],
        "entities": [x for v in views for x in v.entities],
        "rules": rules,
    }


def render(result: RunResult, **_: object) -> str:
    views = _views(result)
    paths = ", ".join(v.path for v in views[:3]) + (" …" if len(views) > 3 else "")
    total = sum(len(v.findings) for v in views)
    e = html.escape
    head = (f'<header><h1>copydesk report</h1><p>{total} finding{"s" if total != 1 else ""} in '
            f'{len(views)} file{"s" if len(views) != 1 else ""}'
            f'{f"; {len(result.errors)} not checked" if result.errors else ""}'
            f' · <span class="version">copydesk {e(__version__)}</span></p></header>')
    articles = "\n".join(_article(v) for v in views) or '<p class="empty">No article was checked.</p>'
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        # The walk leaves pages with this mark alone: a report is never checked as an article.
        f'{GENERATOR_MARK}\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>copydesk report: {e(paths)}</title>\n"
        f"<style>\n{_asset('report.css')}</style>\n</head>\n<body>\n"
        f"{head}\n"
        f'<div class="layout">\n<main id="articles">\n{articles}\n</main>\n{_panel(views, result)}\n</div>\n'
        '<div id="tip" role="tooltip" hidden></div>\n'
        f'<script type="application/json" id="copydesk-data">{script_json(page_data(views, result))}</script>\n'
        f"<script>\n{_asset('report.js')}</script>\n"
        "</body>\n</html>\n"
    )


__all__ = ["GENERATOR_MARK", "render", "highlight", "script_json", "page_data"]
