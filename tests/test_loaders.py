"""Markdown and HTML loaders: the text checks see, its blocks and metadata, offsets exact."""
from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.document import Document
from checker.document.html import load_html
from checker.document.loaders import SUPPORTED_SUFFIXES, load_document
from checker.document.markdown import load_markdown
from checker.errors import InputError
from checker.source import SourceFile

OPTION = dt.date(2023, 7, 1)
# What a loader may hide inside a word: tags, emphasis, code ticks, escapes, entities.
_MARKUP = re.compile(r"<[^>]*>|[*_~`\\]")


def md(text: str) -> Document:
    return load_markdown(SourceFile("x.md", text), OPTION)


def page(text: str) -> Document:
    return load_html(SourceFile("x.html", text), OPTION)


def assert_invariants(doc: Document) -> None:
    """Segments tile the text; identity segments copy the source; blocks are paragraphs."""
    src, text = doc.source.text, doc.text
    pos = 0
    for seg in doc.segments:
        assert seg.start == pos < seg.end
        assert 0 <= seg.src_start <= seg.src_end <= len(src)
        if seg.identity:
            assert src[seg.src_start:seg.src_end] == text[seg.start:seg.end]
        pos = seg.end
    assert pos == len(text)
    for index in range(len(text)):
        s, e = doc.source_span(index, index + 1)
        assert 0 <= s <= e <= len(src)
    s, e = doc.source_span(0, len(text))
    assert 0 <= s <= e <= len(src)
    # Paragraphs are separated by exactly one blank line and never contain one.
    pieces = [text[b.start:b.end] for b in doc.blocks]
    assert text == "\n\n".join(pieces)
    for piece in pieces:
        assert piece and piece == piece.strip() and "\n\n" not in piece


def assert_words_map(doc: Document, exact: tuple[str, ...] = ()) -> None:
    """Every word of the text maps to a source span holding it; verbatim unless markup is inside."""
    src = doc.source.text
    for m in re.finditer(r"\w+", doc.text):
        s, e = doc.source_span(m.start(), m.end())
        got = src[s:e]
        if got == m.group():
            continue
        assert m.group() not in exact, (m.group(), got)
        assert re.search(r"[<&*_~`\\]", got), (m.group(), got)
        # Markup was dropped or an entity decoded inside the word: its letters are still
        # there, in order.
        assert m.group() in html.unescape(_MARKUP.sub("", got)) or _subsequence(m.group(), html.unescape(got)), \
            (m.group(), got)


def _subsequence(word: str, text: str) -> bool:
    rest = iter(text)
    return all(ch in rest for ch in word)


def kinds_of(doc: Document) -> dict[str, str]:
    return {doc.text[b.start:b.end]: b.kind for b in doc.blocks}


# ----- Markdown --------------------------------------------------------------------------

# (id, source, expected text, expected kinds by block text)
MD_CASES = [
    ("emphasis",
     "Officials met Eli **Ratner** and *Colin* Kahl on __Tuesday__; ~~Radner~~ left.\n",
     "Officials met Eli Ratner and Colin Kahl on Tuesday; Radner left.",
     {}),
    ("links",
     "Read [Xie Feng's *remarks*](https://example.com/a_(b) \"t\") and [the memo][m], not [sic].\n"
     "See <https://x.org>, www.example.com/path, http://a.b/c.\n\n[m]: https://m.example\n",
     "Read Xie Feng's remarks and the memo, not [sic].\nSee , , .",
     {}),
    ("code is not prose",
     "Before.\n\n```python\nRadner = 'Kahl'\n```\n\n    Meiners indented\n\nAfter `Mayners` ends.\n\n~~~\nCal\n~~~\n",
     "Before.\n\nAfter  ends.",
     {}),
    ("headings",
     "# Pentagon *talks*\n\nSetext title\n============\n\nSub head\n---\n\n## Closing ##\n\nBody text here.\n",
     "Pentagon talks\n\nSetext title\n\nSub head\n\nClosing\n\nBody text here.",
     {"Pentagon talks": "heading", "Setext title": "heading", "Sub head": "heading",
      "Closing": "heading", "Body text here.": "body"}),
    ("lists and quotes",
     "Intro line of the article.\n\n- first item\n- second **item**\n  continued\n  - nested\n\n1. numbered\n\n"
     "> Quoted *words* here.\n> More quote.\n\nPlain paragraph.\n",
     "Intro line of the article.\n\nfirst item\n\nsecond item\ncontinued\n\nnested\n\nnumbered\n\n"
     "Quoted words here.\nMore quote.\n\nPlain paragraph.",
     {"first item": "list", "second item\ncontinued": "list", "nested": "list", "numbered": "list",
      "Quoted words here.\nMore quote.": "body", "Plain paragraph.": "body"}),
    ("table",
     "Roster follows.\n\n| Name | Role |\n|---|:---:|\n| Eli **Ratner** | policy \\| chief |\n\nAfter table.\n",
     "Roster follows.\n\nName\n\nRole\n\nEli Ratner\n\npolicy | chief\n\nAfter table.",
     {"Name": "table", "Eli Ratner": "table", "policy | chief": "table", "After table.": "body"}),
    ("entities and inline html",
     "Tom &amp; Jerry&#8217;s&nbsp;show with <span class=\"x\">Eli</span> Ratner<br/>.\n",
     "Tom & Jerry\u2019s show with Eli Ratner.",
     {}),
    ("images dropped",
     "![Radner portrait](r.png) Caption words.\n",
     "Caption words.",
     {}),
    ("raw html blocks",
     "<script>\nvar Radner;\n</script>\n\n<div>Text in a div.</div>\n\n<!--\nKahl\n-->\nLast.\n",
     "Text in a div.\n\nLast.",
     {}),
    ("escapes and intraword underscores",
     "Not \\*emphasis\\* and snake_case_name 5 * 3.\n",
     "Not *emphasis* and snake_case_name 5 * 3.",
     {}),
    ("wrapped dateline paragraph",
     "WASHINGTON, July 12 (Reuters) - Eli\nRatner met\nofficials.\n\nSecond para.\n",
     "WASHINGTON, July 12 (Reuters) - Eli\nRatner met\nofficials.\n\nSecond para.",
     {"Second para.": "body"}),
    ("footnotes",
     "Text with a note[^1].\n\n[^1]: The note text.\n",
     "Text with a note.\n\nThe note text.",
     {}),
    ("text after a comment line",
     "<!-- copydesk: ignore-next-line --> Shown text\ncontinues here.\n",
     "Shown text\ncontinues here.",
     {}),
    ("markup in a word",
     "Martin Mey**ners** and Caf&eacute; owner.\n",
     "Martin Meyners and Caf\u00e9 owner.",
     {}),
]


@pytest.mark.parametrize("eol", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize(("source", "expected", "kinds"), [c[1:] for c in MD_CASES], ids=[c[0] for c in MD_CASES])
def test_markdown_text(source: str, expected: str, kinds: dict[str, str], eol: str) -> None:
    doc = md(source.replace("\n", eol))
    assert doc.format == "markdown"
    assert doc.text == expected
    assert_invariants(doc)
    assert_words_map(doc, exact=("Ratner", "Colin", "Tuesday", "Feng", "memo", "Eli", "Jerry", "show"))
    got = kinds_of(doc)
    for block, kind in kinds.items():
        assert got[block] == kind, block


def test_markdown_word_maps_to_source_word() -> None:
    source = "Officials met Eli **Ratner** on Tuesday.\r\n\r\nThen [Colin Kahl](http://k.example) spoke.\r\n"
    doc = md(source)
    for word in ("Ratner", "Colin", "Kahl", "spoke"):
        a = doc.text.index(word)
        s, e = doc.source_span(a, a + len(word))
        assert source[s:e] == word
    a = doc.text.index("Eli")
    s, e = doc.source_span(a, doc.text.index("Tuesday") + len("Tuesday"))
    assert source[s:e] == "Eli **Ratner** on Tuesday"


FRONT = ("---\ntitle: Pentagon talks\ndate: 2023-12-08\nauthor: Jane Doe\n"
         "copydesk: {disable: [names.variant]}\n---\n")


def test_front_matter_is_metadata_not_prose() -> None:
    source = FRONT + "WASHINGTON, July 12 (Reuters) - Eli Ratner met officials.\n"
    doc = md(source)
    assert doc.text == "WASHINGTON, July 12 (Reuters) - Eli Ratner met officials."
    assert doc.metadata["title"] == "Pentagon talks"
    assert doc.metadata["date"] == dt.date(2023, 12, 8)
    assert doc.metadata["author"] == "Jane Doe"
    assert doc.metadata["copydesk"] == {"disable": ["names.variant"]}
    s, e = doc.metadata["copydesk_span"]
    assert source[s:e] == "copydesk: {disable: [names.variant]}"
    assert source[slice(*doc.metadata["front_matter_span"])] == FRONT.rstrip("\n")
    assert doc.article_date is not None
    assert (doc.article_date.date, doc.article_date.origin) == (dt.date(2023, 12, 8), "front-matter")
    assert_invariants(doc)
    assert_words_map(doc, exact=("Ratner", "WASHINGTON"))


@pytest.mark.parametrize(("value", "expected"), [
    ("2023-12-08", dt.date(2023, 12, 8)),
    ("'2023-12-08'", dt.date(2023, 12, 8)),
    ("2023-12-08T10:30:00Z", dt.date(2023, 12, 8)),
    ("'2023-12-08 10:30'", dt.date(2023, 12, 8)),
])
def test_front_matter_date_forms(value: str, expected: dt.date) -> None:
    doc = md(f"---\ndate: {value}\n---\nText.\n")
    assert doc.metadata["date"] == expected
    assert doc.article_date is not None and doc.article_date.date == expected


@pytest.mark.parametrize(("source", "date", "origin"), [
    (FRONT + "WASHINGTON, July 12 (Reuters) - Text.\n", dt.date(2023, 12, 8), "front-matter"),
    ("---\ntitle: x\n---\nWASHINGTON, July 12 (Reuters) - Text.\n", dt.date(2023, 7, 12), "dateline"),
    ("# Headline\n\nWASHINGTON, July 12 (Reuters) - Text.\n", dt.date(2023, 7, 12), "dateline"),
    ("Just text without a date.\n", OPTION, "option"),
], ids=["front matter wins", "dateline", "dateline under heading", "option"])
def test_markdown_article_date_priority(source: str, date: dt.date, origin: str) -> None:
    doc = md(source)
    assert doc.article_date is not None
    assert (doc.article_date.date, doc.article_date.origin) == (date, origin)


@pytest.mark.parametrize(("source", "line"), [
    ("---\ntitle: [unclosed\n---\nText.\n", 3),
    ("---\ntitle: a\n  b: c\n---\nText.\n", 3),
    ("---\ndate: 2023-02-30\n---\nText.\n", 2),
    ("---\ntitle: x\ndate: July 12\n---\nText.\n", 3),
    ("---\n- a\n- b\n---\nText.\n", 2),
    ("---\ntitle: never closed\nText.\n", 1),
], ids=["unclosed flow", "bad indent", "impossible date", "not iso date", "not a mapping", "no closing fence"])
def test_malformed_front_matter(source: str, line: int) -> None:
    with pytest.raises(InputError) as info:
        md(source)
    message = str(info.value)
    assert message.startswith(f"x.md: malformed front matter on line {line}: ")
    assert "\n" not in message


def test_front_matter_only_at_the_very_top() -> None:
    doc = md("Text first.\n\n---\ntitle: x\n---\n")
    assert doc.metadata == {}
    assert "Text first." in doc.text


def test_markdown_directives_keep_source_offsets() -> None:
    inline = "<!-- copydesk: ignore-next-line names -->"
    block = "<!-- copydesk: disable=dates.*\n     reason=\"wire copy\" -->"
    source = (f"Eli Ratner spoke {inline} briefly.\r\n\r\n{block}\r\nNext para.\r\n\r\n"
              "<!-- an ordinary comment -->\r\n\r\n```\r\n<!-- copydesk: disable names -->\r\n```\r\n")
    doc = md(source)
    assert [(s, e) for s, e, _ in doc.directives] == [
        (source.index(inline), source.index(inline) + len(inline)),
        (source.index(block), source.index(block) + len(block)),
    ]
    assert [source[s:e] for s, e, _ in doc.directives] == [inline, block]
    assert doc.directives[0][2] == "copydesk: ignore-next-line names"
    assert "copydesk" not in doc.text and "ordinary" not in doc.text
    assert doc.text == "Eli Ratner spoke  briefly.\n\nNext para."


# ----- HTML ------------------------------------------------------------------------------

ARTICLE_PAGE = """<!DOCTYPE html>
<html><head><title>Pentagon &amp; talks</title>
<meta name="author" content="Jane Doe">
<script>var Radner = "<p>x</p>";</script>
</head>
<body>
<nav><a href="/">Home</a> Kahl</nav>
<article>
<h1>China&#8217;s   ambassador
  heads to the Pentagon</h1>
<p>WASHINGTON, July 12 (Reuters) - Eli <b>Ratner</b> met Xie&nbsp;Feng &amp; others.<br>New line.</p>
<figure><img src="a.png" alt="Cal"><figcaption>A photo of Eli Ratner</figcaption></figure>
<ul><li>one <i>item</i></li><li>two</li></ul>
<table><tr><th>Name</th><td>Eli Ratner</td></tr></table>
<aside>Related: Cal</aside>
</article>
<footer>Complete News World</footer>
</body></html>
"""

# (id, source, expected text, expected kinds by block text)
HTML_CASES = [
    ("article page", ARTICLE_PAGE,
     "China\u2019s ambassador heads to the Pentagon\n\n"
     "WASHINGTON, July 12 (Reuters) - Eli Ratner met Xie Feng & others.\n\nNew line.\n\n"
     "A photo of Eli Ratner\n\none item\n\ntwo\n\nName\n\nEli Ratner",
     {"China\u2019s ambassador heads to the Pentagon": "heading", "A photo of Eli Ratner": "caption",
      "one item": "list", "two": "list", "Name": "table", "Eli Ratner": "table", "New line.": "body"}),
    ("no article element",
     "<html><body><header>Masthead</header><div>First para.</div>\n<div>Second <b>para</b>.</div>"
     "<footer>Footer</footer></body></html>",
     "First para.\n\nSecond para.",
     {"First para.": "body"}),
    ("main element",
     "<body><div>Teaser text.</div><main><p>Main text.</p></main><div>Trailer.</div></body>",
     "Main text.",
     {}),
    ("article inside aside does not count",
     "<body><aside><article>Teaser.</article></aside><div>Story text.</div></body>",
     "Story text.",
     {}),
    ("entities and whitespace",
     "<p>Tom &amp; Jerry&#8217;s&nbsp; show\n\t and   more &#x2019;q&#8217; Caf&eacute; &bogus; AT&amp;T</p>",
     "Tom & Jerry\u2019s show and more \u2019q\u2019 Caf\u00e9 &bogus; AT&T",
     {}),
    ("nested tags",
     "<div><p>Eli <span><b><i>Ratner</i></b></span> met<br>officials</p>"
     "<ul><li>one</li><li><p>two</p></li></ul></div>",
     "Eli Ratner met\n\nofficials\n\none\n\ntwo",
     {"one": "list", "two": "list"}),
    ("malformed",
     "<p>Unclosed <b>bold <i>italic</p><p>Next</div></span> para</b></p></x>",
     "Unclosed bold italic\n\nNext para",
     {}),
    ("skipped elements",
     "<p>Keep</p><script>var Radner = '<p>x</p>';</script><style>p{color:red}</style>"
     "<noscript>Kahl</noscript><template>Cal</template><form>Mayners<input></form>"
     "<svg><title>Meiners</title><text>Meiners</text></svg><iframe>x</iframe><p>Also</p>",
     "Keep\n\nAlso",
     {}),
    ("article header kept, page header skipped",
     "<body><header>Site masthead</header><article><header><h1>Headline here</h1><p>By Jane Doe</p>"
     "</header><p>Body text.</p><footer>Share this</footer></article></body>",
     "Headline here\n\nBy Jane Doe\n\nBody text.",
     {"Headline here": "heading", "By Jane Doe": "byline", "Body text.": "body"}),
    ("title without head",
     "<title>Page title</title><p>Body text.</p>",
     "Body text.",
     {}),
    ("inline skipped element keeps the space",
     "<p>Eli <script>Radner</script>Ratner</p>",
     "Eli Ratner",
     {}),
    ("markup in a word",
     "<p>Martin Mey<em>ners</em> and Caf&eacute;.</p>",
     "Martin Meyners and Caf\u00e9.",
     {}),
]


@pytest.mark.parametrize("eol", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize(("source", "expected", "kinds"), [c[1:] for c in HTML_CASES], ids=[c[0] for c in HTML_CASES])
def test_html_text(source: str, expected: str, kinds: dict[str, str], eol: str) -> None:
    doc = page(source.replace("\n", eol))
    assert doc.format == "html"
    assert doc.text == expected
    assert_invariants(doc)
    assert_words_map(doc, exact=("Ratner", "Feng", "WASHINGTON", "Jerry", "show", "Eli"))
    got = kinds_of(doc)
    for block, kind in kinds.items():
        assert got[block] == kind, block


def test_html_word_maps_to_source_word() -> None:
    doc = page(ARTICLE_PAGE)
    text, source = doc.text, doc.source.text
    a = text.index("Eli Ratner met")
    s, e = doc.source_span(a, a + len("Eli Ratner"))
    assert source[s:e] == "Eli <b>Ratner"
    a = text.index("Xie Feng")
    s, e = doc.source_span(a, a + len("Xie Feng"))
    assert source[s:e] == "Xie&nbsp;Feng"
    a = text.index("\u2019s")
    s, e = doc.source_span(a, a + 1)
    assert source[s:e] == "&#8217;"
    a = text.index("ambassador heads")
    s, e = doc.source_span(a, a + len("ambassador heads"))
    assert source[s:e] == "ambassador\n  heads"


def test_html_metadata() -> None:
    doc = page(ARTICLE_PAGE)
    assert doc.metadata == {"title": "Pentagon & talks", "author": "Jane Doe"}
    assert "Pentagon & talks" not in doc.text


@pytest.mark.parametrize(("head", "body", "date", "origin"), [
    ('<meta property="article:published_time" content="2023-12-08T10:00:00Z">'
     '<meta name="date" content="2023-11-01">', "<p>WASHINGTON, July 12 (Reuters) - x.</p>",
     dt.date(2023, 12, 8), "metadata"),
    ('<meta name="date" content="2023-11-01">', "<p>WASHINGTON, July 12 (Reuters) - x.</p>",
     dt.date(2023, 11, 1), "metadata"),
    ('<meta name="date" content="soon">', "<p>WASHINGTON, July 12 (Reuters) - x.</p>",
     dt.date(2023, 7, 12), "dateline"),
    ("", "<p>No date here, none at all.</p>", OPTION, "option"),
], ids=["published_time first", "name=date", "bad meta date: dateline", "option"])
def test_html_article_date_priority(head: str, body: str, date: dt.date, origin: str) -> None:
    doc = page(f"<html><head>{head}</head><body>{body}</body></html>")
    assert doc.article_date is not None
    assert (doc.article_date.date, doc.article_date.origin) == (date, origin)
    if origin == "metadata":
        assert doc.metadata["date"] == date


def test_html_directives_keep_source_offsets() -> None:
    head = "<!-- copydesk: disable names.variant -->"
    body = "<!--copydesk: ignore-next-line dates\n reason=\"x\"-->"
    source = (f"<html><head>{head}</head><body><p>One &amp; {body} two</p>"
              "<!-- ordinary --><!x><script><!-- copydesk: disable all --></script></body></html>")
    doc = page(source)
    assert [source[s:e] for s, e, _ in doc.directives] == [head, body]
    assert [b for _, _, b in doc.directives] == ["copydesk: disable names.variant",
                                                  "copydesk: ignore-next-line dates\n reason=\"x\""]
    assert doc.text == "One & two"


@pytest.mark.parametrize("source", [
    "<div>" * 20000 + "deep text" + "</div>" * 20000,
    "<b>" * 20000 + "unclosed text",
    "</p>" * 1000 + "stray ends",
    "<![foo[ x ]]> marked section <![if !IE]>x<![endif]>",
    "<p attr='unterminated>text",
    "a < b && c > d &#xffffffff; &#99999999999; &",
    "<!-- never closed",
    "",
], ids=["deep", "unclosed", "stray end tags", "marked sections", "bad attribute", "stray symbols",
        "open comment", "empty"])
def test_html_never_raises(source: str) -> None:
    doc = page(source)
    assert_invariants(doc)
    assert_words_map(doc)


# ----- dispatcher ------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "fmt"), [
    ("a.md", "markdown"), ("a.MARKDOWN", "markdown"), ("a.html", "html"), ("dir.x/a.HTM", "html"),
    ("a.txt", "plain"), ("noext", "plain"), ("a.rst", "plain"),
])
def test_load_document_by_extension(path: str, fmt: str) -> None:
    doc = load_document(SourceFile(path, "Eli **Ratner** <b>met</b> officials.\n"), OPTION)
    assert doc.format == fmt


def test_supported_suffixes() -> None:
    assert {".md", ".markdown", ".html", ".htm", ".txt"} <= set(SUPPORTED_SUFFIXES)


# ----- properties ------------------------------------------------------------------------

MD_TOKENS = [
    "#", "# ", "## ", "*", "**", "_", "__", "~~", "`", "``", "```", "~~~", "[", "]", "(", ")", "![", "](",
    "<", ">", "> ", "<!--", "-->", "<!-- copydesk: x -->", "---", "===", "|", "| a |", "|---|", "- ", "1. ",
    "2) ", "&amp;", "&#8217;", "&nbsp;", "&bogus;", "\\", "\n", "\r\n", "\r", " ", "    ", "\t", "Eli",
    "Ratner", "word.", "http://x.y/z", "www.a.b", "<b>", "</b>", "<script>", "</script>", "[r]: http://x",
    "[r]", "July 12, 2023", ":", "'", '"',
]
HTML_TOKENS = [
    "<p>", "</p>", "<div>", "</div>", "<article>", "</article>", "<main>", "<script>", "</script>", "<style>",
    "<!--", "-->", "<!-- copydesk: x -->", "<br>", "<br/>", "&amp;", "&#8217;", "&#x2019;", "&nbsp;",
    "&bogus;", "&", "&#", "<", ">", "</", "<![foo[", "]]>", "<!DOCTYPE html>", "<?pi?>", "<b>", "</b>",
    "<h1>", "</h1>", "<li>", "<td>", "<title>", "</title>", '<meta name="date" content="2023-07-12">',
    "<nav>", "</nav>", "\n", "\r\n", "\r", " ", "\t", "word", "Eli Ratner", "<a href='x'>", "</a>",
    '<img alt="x">', "=", '"', "'", "<!", "<!x>",
]


def _texts(tokens: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(st.sampled_from(tokens), st.text(max_size=4)), max_size=50).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front=st.booleans(), body=_texts(MD_TOKENS), yaml_text=_texts([":", "-", " ", "\n", "a", "[", "date", "'"]))
def test_markdown_property(front: bool, body: str, yaml_text: str) -> None:
    text = f"---\n{yaml_text}\n---\n{body}" if front else body
    try:
        doc = md(text)
    except InputError as exc:
        assert text.startswith("---")
        assert "malformed front matter on line" in str(exc)
        return
    assert_invariants(doc)
    assert_words_map(doc)
    for s, e, _ in doc.directives:
        assert text[s:s + 4] == "<!--" and text[e - 3:e] == "-->"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=_texts(HTML_TOKENS))
def test_html_property(body: str) -> None:
    doc = page(body)
    assert_invariants(doc)
    assert_words_map(doc)
    for s, e, _ in doc.directives:
        assert body[s:s + 4] == "<!--" and body[e - 1] == ">"

