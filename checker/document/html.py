"""Load an HTML page: its article text, whitespace collapsed, each character mapped to the source."""
from __future__ import annotations

import datetime as dt
import html
import re
from collections import Counter
from html.parser import HTMLParser

from checker.document import ArticleDate, Block, Document, TextBuilder
from checker.document.plain import article_date_from
from checker.document.structure import classify
from checker.source import SourceFile

# Same marker as in Markdown: ``<!-- copydesk: ... -->``; checker.suppress reads the body.
DIRECTIVE = re.compile(r"\s*copydesk\s*:", re.IGNORECASE)

# Elements whose text is never article prose: code, navigation, page chrome, forms.
SKIP = frozenset({"script", "style", "nav", "header", "footer", "aside", "noscript", "template",
                  "form", "svg", "iframe", "head", "title", "math", "select", "textarea", "button"})
# When a page has these, only the text inside them is the article.
ARTICLE = frozenset({"article", "main"})
# Elements that end one block of text and start another ("\n\n" in the document text).
BLOCK = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "br", "tr", "td", "th",
    "figcaption", "figure", "section", "article", "main", "pre", "ul", "ol", "dl", "dt", "dd",
    "table", "caption", "hr", "body", "address", "details", "summary", "fieldset", "hgroup",
    "nav", "header", "footer", "aside", "form",
})
# Kinds an element gives the blocks inside it; other blocks are classified from their text.
KINDS = {
    "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading",
    "h6": "heading", "figcaption": "caption", "li": "list", "dt": "list", "dd": "list",
    "td": "table", "th": "table", "caption": "table",
}
# Class and id names that page templates give their furniture: the text inside is furniture of
# that kind whatever it says (a block inside a figure caption, a share bar, a related box).
FURNITURE_CLASS = re.compile(
    r"(?:^|[\s_-])(?P<kind>share|sharing|social|related|recirc|newsletter|subscribe|signup|caption|"
    r"credit|byline|author-bio|promo|advert|advertisement|sponsor|sponsored|comments?|breadcrumbs?|"
    r"tags|read-?more|more-stories|most-read|trending)(?:$|[\s_-])", re.I)
CLASS_KINDS = {"share": "share prompt", "sharing": "share prompt", "social": "share prompt",
               "related": "related link", "recirc": "related link", "read-more": "related link",
               "readmore": "related link", "more-stories": "related link", "most-read": "related link",
               "trending": "related link", "newsletter": "newsletter", "subscribe": "newsletter",
               "signup": "newsletter", "caption": "caption", "credit": "credit", "byline": "byline",
               "author-bio": "byline", "promo": "promo", "advert": "ad", "advertisement": "ad",
               "sponsor": "ad", "sponsored": "ad", "comment": "comment prompt",
               "comments": "comment prompt", "breadcrumb": "navigation", "breadcrumbs": "navigation",
               "tags": "navigation"}
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "param", "source", "track", "wbr", "keygen"})
_WS = re.compile(r"\s+|\S+")
_META_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")
# Meta properties naming the publication date, best first: Open Graph's is the publication
# time by definition; a bare name="date" is sometimes the last change.
DATE_META = ("property:article:published_time", "name:date")

# An event: (kind, name or text, attributes, source start, source end).
Event = tuple[str, str, dict[str, str], int, int]


class _Collector(HTMLParser):
    """Records parser events with their exact source offsets; never builds a tree."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)  # entities arrive as events: exact offsets
        self.text = text
        # HTMLParser counts lines by "\n" only and columns in code points within them.
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.cursor = 0
        self.events: list[Event] = []

    def _offset(self, raw: str, search: bool = True) -> int | None:
        """Where the event ``raw`` starts: getpos(), checked against the text itself."""
        line, column = self.getpos()
        if 0 < line <= len(self.line_starts):
            offset = self.line_starts[line - 1] + column
            if self.text.startswith(raw, offset):
                self.cursor = offset + len(raw)
                return offset
        if not search:
            return None
        found = self.text.find(raw, self.cursor)
        if found < 0:
            return None
        self.cursor = found + len(raw)
        return found

    def _tag(self, kind: str, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or "<"
        offset = self._offset(raw)
        start = self.cursor if offset is None else offset
        values = {name.lower(): value or "" for name, value in attrs}
        self.events.append((kind, tag.lower(), values, start, start + len(raw)))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag("start", tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag("void", tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag.lower(), {}, self.cursor, self.cursor))

    def handle_data(self, data: str) -> None:
        offset = self._offset(data)
        if offset is not None:
            self.events.append(("data", data, {}, offset, offset + len(data)))

    def _reference(self, raw: str) -> None:
        offset = self._offset(raw)
        if offset is None:
            return
        end = offset + len(raw)
        if self.text.startswith(";", end):
            end += 1
            self.cursor = end
        self.events.append(("entity", self.text[offset:end], {}, offset, end))

    def handle_entityref(self, name: str) -> None:
        self._reference("&" + name)

    def handle_charref(self, name: str) -> None:
        self._reference("&#" + name)

    def handle_comment(self, data: str) -> None:
        offset = self._offset("<!--" + data, search=False)
        if offset is None:
            return  # a bogus comment ("<!x>", "</3>"): not a place for directives
        end = offset + 4 + len(data)
        close = self.text.find(">", end)
        end = len(self.text) if close < 0 else close + 1
        self.cursor = end
        self.events.append(("comment", data, {}, offset, end))

    def parse_html_declaration(self, i: int) -> int:
        # _markupbase raises AssertionError on marked sections it does not know
        # ("<![foo[ ... ]]>"); a browser shows nothing for them, so neither do we.
        try:
            return super().parse_html_declaration(i)
        except AssertionError:
            close = self.rawdata.find(">", i)
            return -1 if close < 0 else close + 1


class _Stack:
    """Open elements, kept flat: no recursion, however deep or broken the nesting."""

    def __init__(self) -> None:
        self.tags: list[tuple[str, bool]] = []  # (tag, whether it hides its text)
        self.open: Counter[str] = Counter()
        self.skip = 0
        self.article = 0
        self.kinds: list[str] = []
        self.furnished: list[bool] = []  # per open tag: whether it pushed a kind

    def push(self, tag: str, attrs: dict[str, str] | None = None) -> None:
        # An <article>'s own <header> holds its headline, byline and dateline; only the
        # page's header (masthead, menus) is chrome.
        hides = tag in SKIP and not (tag == "header" and self.open["article"])
        self.tags.append((tag, hides))
        self.open[tag] += 1
        self.skip += hides
        self.article += tag in ARTICLE
        # Not on the containers of the whole story: <article class="story tags-politics">.
        names = "" if tag in ARTICLE or tag in ("body", "html", "section") else \
            " ".join((attrs or {}).get(k) or "" for k in ("class", "id"))
        found = FURNITURE_CLASS.search(names) if names else None
        kind = "furniture:" + CLASS_KINDS[found.group("kind").lower()] if found else KINDS.get(tag)
        # Inside furniture, everything is that furniture (a <p> in a caption box).
        if self.kinds and self.kinds[-1].startswith("furniture:"):
            kind = self.kinds[-1]
        self.furnished.append(kind is not None)
        if kind is not None:
            self.kinds.append(kind)

    def close(self, tag: str) -> None:
        """Close ``tag`` and whatever was left open inside it; a stray end tag is ignored."""
        if not self.open[tag]:
            return
        while self.tags:
            top, hides = self.tags.pop()
            self.open[top] -= 1
            self.skip -= hides
            self.article -= top in ARTICLE
            if self.furnished.pop():
                self.kinds.pop()
            if top == tag:
                return

    def feed(self, event: Event) -> None:
        kind, tag = event[0], event[1]
        if kind == "start":
            if tag == "body":
                self.close("head")  # "<head>" left open must not hide the page
            if tag not in VOID:
                self.push(tag, event[2])
        elif kind == "end":
            self.close(tag)


def _collect(text: str) -> list[Event]:
    # After the last '>' no tag, comment or declaration can end, yet on close() HTMLParser
    # rescans from every '<' there to the end of the text: quadratic ("<a <a <a ...").
    # A same-length stand-in keeps offsets; the text is copied from the source, not this.
    cut = text.rfind(">") + 1
    parse_text = text[:cut] + text[cut:].replace("<", "\ufffc")
    parser = _Collector(parse_text)
    try:
        parser.feed(parse_text)
        parser.close()
    except Exception:  # noqa: BLE001 - the stdlib parser must not stop a check run
        # HTMLParser is lenient but not proven total; keep what it read so far rather
        # than fail a whole page over markup a browser would shrug at.
        pass
    return parser.events


def _meta_date(content: str) -> dt.date | None:
    m = _META_DATE.match(content)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


class _TextWriter:
    """Article text with whitespace runs collapsed and blocks separated by a blank line."""

    def __init__(self, source: str) -> None:
        self.builder = TextBuilder(source)
        self.spans: list[tuple[int, int]] = []
        self.kinds: dict[int, str] = {}
        self.block_start: int | None = None
        self.space: tuple[int, int] | None = None  # pending whitespace run in the source
        self.last_end = 0  # source offset where the last emitted text ended

    def brk(self) -> None:
        """A block boundary: whitespace at block edges is dropped, not collapsed."""
        if self.block_start is not None:
            self.spans.append((self.block_start, self.builder.length))
            self.block_start = None
        self.space = None

    def whitespace(self, a: int, b: int) -> None:
        if self.block_start is not None:
            self.space = (self.space[0] if self.space else a, b)

    def text(self, a: int, b: int, value: str | None, kind: str | None) -> None:
        """Emit ``value`` for ``source[a:b]`` (None: the source text itself)."""
        builder = self.builder
        if self.block_start is None:
            if self.spans:
                builder.replace(self.last_end, self.last_end, "\n\n")
            self.block_start = builder.length
            if kind:
                self.kinds[self.block_start] = kind
        elif self.space is not None:
            sa, sb = self.space
            if sb - sa == 1 and builder.source[sa] == " ":
                builder.copy(sa, sb)
            else:
                builder.replace(sa, sb, " ")
        self.space = None
        if value is None:
            builder.copy(a, b)
        else:
            builder.replace(a, b, value)
        self.last_end = b


def load_html(source: SourceFile, option_date: dt.date | None = None) -> Document:
    text = source.text
    events = _collect(text)

    # First pass: is there an <article> or <main> outside skipped parts of the page?
    stack = _Stack()
    article_mode = False
    for event in events:
        if event[0] == "start" and event[1] in ARTICLE and not stack.skip:
            article_mode = True
            break
        stack.feed(event)

    stack = _Stack()
    writer = _TextWriter(text)
    directives: list[tuple[int, int, str]] = []
    meta: dict[str, str] = {}
    title: list[str] | None = None  # text of the first <title>, while it is open
    title_done = False
    for event in events:
        kind, value, attrs, a, b = event
        if kind in ("start", "void", "end"):
            if kind != "end" and value == "meta":
                key = (f"property:{attrs['property'].lower()}" if attrs.get("property")
                       else f"name:{attrs.get('name', '').lower()}")
                meta.setdefault(key, attrs.get("content", ""))
            if value == "title" and kind == "start" and title is None and stack.skip == stack.open["head"]:
                title = []  # the page title, not an <svg><title> tooltip
            elif value == "title" and kind == "end" and title is not None:
                title_done = True
            if value in BLOCK and (kind != "end" or stack.open[value]):
                writer.brk()  # a stray end tag closes nothing, so it breaks nothing (as in browsers)
            stack.feed(event)
            continue
        if kind == "comment":
            if DIRECTIVE.match(value):
                directives.append((a, b, value.strip()))
            continue
        if title is not None and not title_done and stack.open["title"]:
            title.append(text[a:b] if kind == "data" else html.unescape(value))
            continue
        if stack.skip or (article_mode and not stack.article):
            continue
        block_kind = stack.kinds[-1] if stack.kinds else None
        if kind == "entity":
            unescaped = html.unescape(value)
            if unescaped == value:
                writer.text(a, b, None, block_kind)  # not an entity after all: "&bogus;"
            elif unescaped.isspace():
                writer.whitespace(a, b)  # &nbsp; is spacing, collapsed like any other
            else:
                writer.text(a, b, unescaped, block_kind)
            continue
        for m in _WS.finditer(value):
            ra, rb = a + m.start(), a + m.end()
            if m.group()[0].isspace():
                writer.whitespace(ra, rb)
            else:
                writer.text(ra, rb, None, block_kind)
    writer.brk()

    metadata: dict[str, object] = {}
    if title is not None:
        title_text = " ".join("".join(title).split())
        if title_text:
            metadata["title"] = title_text
    if meta.get("name:author", "").strip():
        metadata["author"] = " ".join(meta["name:author"].split())
    meta_date = next((d for key in DATE_META if (d := _meta_date(meta.get(key, "")))), None)
    if meta_date:
        metadata["date"] = meta_date

    doc_text = writer.builder.text()
    spans = writer.spans
    if meta_date:
        article_date: ArticleDate | None = ArticleDate(meta_date, "metadata")
    else:
        article_date = article_date_from(doc_text, spans, None, option_date)
    dateline = None
    if article_date and article_date.start is not None and article_date.end is not None:
        dateline = (article_date.start, article_date.end)
    blocks = classify(doc_text, spans, dateline, writer.kinds)
    # h1-h6 mark subheads; a short unpunctuated <p> is prose or furniture, not a subhead.
    blocks = tuple(Block(bl.start, bl.end, "body") if bl.kind == "heading" and bl.start not in writer.kinds else bl
                   for bl in blocks)
    return Document(source, doc_text, tuple(writer.builder.segments), blocks, "html", metadata,
                    article_date, tuple(directives))
