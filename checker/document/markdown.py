"""Load a Markdown article: its prose without the markup, front matter as metadata, offsets exact."""
from __future__ import annotations

import bisect
import datetime as dt
import html
import re
import string
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

from checker.document import Block, Document, TextBuilder
from checker.document.plain import article_date_from
from checker.document.structure import classify
from checker.errors import InputError
from checker.source import SourceFile

# A comment addressed to copydesk (``<!-- copydesk: disable names.variant -->``); parsing
# what it says is checker.suppress's job, the loader only records where it is.
DIRECTIVE = re.compile(r"\s*copydesk\s*:", re.IGNORECASE)
# Front matter keys kept in Document.metadata; the rest is the site generator's business.
METADATA_KEYS = ("title", "date", "author", "copydesk")
# Besides those, metadata holds "front_matter_span" and "copydesk_span": source spans that
# checker.suppress points its front-matter problems at.

_LINE = re.compile(r"[^\r\n]*(\r\n|\r|\n)?")
_FRONT_OPEN = re.compile(r"---[ \t]*(?:\r\n|\r|\n)")
_FRONT_CLOSE = re.compile(r"(?:---|\.\.\.)[ \t]*$")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+\-Z ]*)?$")
_DATE_VALUE = re.compile(r"\s*[^:#\s][^:#]*:\s*['\"]?(\d{4})-(\d{1,2})-(\d{1,2})")

_FENCE = re.compile(r"(`{3,}|~{3,})(.*)$")
_ATX = re.compile(r"#{1,6}(?:[ \t]+|$)")
_HR = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_SETEXT = re.compile(r"(?:=+|-+)[ \t]*$")
_MARKER = re.compile(r"([-+*]|(\d{1,9})[.)])([ \t]+|$)")
_RAW_OPEN = re.compile(r"<(script|pre|style|textarea)(?=[\s>]|$)", re.IGNORECASE)
_REF_DEF = re.compile(
    r"\[((?:[^\[\]\\]|\\.){1,999})\]:[ \t]*(?:<[^<>]*>|\S+)"
    r"(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?[ \t]*$"
)
# GFM footnotes: "[^1]" in the text is a marker; "[^1]: ..." opens the note, which is prose.
_FOOTNOTE_DEF = re.compile(r"\[\^[^\]\s]+\]:[ \t]*")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]+\]")
_DELIM_ROW = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")

_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9.+\-]{1,31}:[^\s<>]*|[\w.!#$%&'*+/=?^`{|}~\-]+@[\w\-]+(?:\.[\w\-]+)*)>")
_TAG = re.compile(
    r"</[A-Za-z][A-Za-z0-9\-]*\s*>"
    r"|<[A-Za-z][A-Za-z0-9\-]*(?:\s+[A-Za-z_:][\w.:\-]*(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*\s*/?>"
)
_BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>]+", re.IGNORECASE)
_URL_TRAILING = "?!.,:;*_~'\""
_URL_LEAD = " \t\n*_~(\"'"


def _is_punct(ch: str) -> bool:
    return ch in string.punctuation or unicodedata.category(ch)[0] in "PS"


# ----- front matter --------------------------------------------------------------------

def _front_matter(source: SourceFile) -> tuple[dict[str, Any], int]:
    """Metadata from YAML front matter and the offset where the Markdown body starts."""
    text = source.text
    opening = _FRONT_OPEN.match(text)
    if not opening:
        return {}, 0
    pos = opening.end()
    while pos <= len(text):
        m = _LINE.match(text, pos)
        assert m is not None  # _LINE matches the empty string, so always
        content_end = m.end() - len(m.group(1) or "")
        if _FRONT_CLOSE.match(text, pos, content_end):
            raw = text[opening.end():pos]
            meta = _metadata(source.path, raw)
            # Where suppression problems about front matter point (checker.suppress).
            meta["front_matter_span"] = (0, content_end)
            key = re.search(r"^copydesk[ \t]*:[^\r\n]*", raw, re.MULTILINE)
            if key and "copydesk" in meta:
                meta["copydesk_span"] = (opening.end() + key.start(), opening.end() + key.end())
            return meta, m.end()
        if m.end() == pos:
            break
        pos = m.end()
    raise InputError(source.path, "malformed front matter on line 1: '---' is never closed by a '---' line")


def _metadata(path: str, raw: str) -> dict[str, Any]:
    first = 2  # the YAML starts on the line after the opening '---'
    try:
        data = yaml.safe_load(raw)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first + (mark.line if mark else 0)
        problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        raise InputError(path, f"malformed front matter on line {line}: {problem}") from None
    except ValueError as exc:
        # PyYAML builds timestamps eagerly: ``date: 2023-02-30`` fails in the constructor,
        # which knows no line, so point at the first date-like value that is not a day.
        line = first
        for index, text in enumerate(raw.splitlines()):
            m = _DATE_VALUE.match(text)
            if m and not _real_day(*(int(g) for g in m.groups())):
                line = first + index
                break
        raise InputError(path, f"malformed front matter on line {line}: {exc}; write dates as YYYY-MM-DD") from None
    except yaml.YAMLError as exc:
        message = " ".join(str(exc).split())
        raise InputError(path, f"malformed front matter on line {first}: {message}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(path, f"malformed front matter on line {first}: expected 'key: value' lines, "
                               f"found a {type(data).__name__}")
    meta: dict[str, Any] = {}
    for key in METADATA_KEYS:
        if key in data and data[key] is not None:
            meta[key] = data[key]
    if "date" in meta:
        meta["date"] = _front_date(path, raw, meta["date"])
    # A 'copydesk' value of the wrong shape is left to checker.suppress, which reports it
    # as a finding at its place instead of refusing the whole article.
    return meta


def _real_day(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _key_line(raw: str, key: str) -> int:
    m = re.search(rf"^{re.escape(key)}\s*:", raw, re.MULTILINE)
    return 2 + (raw.count("\n", 0, m.start()) if m else 0)


def _front_date(path: str, raw: str, value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        m = _ISO_DATE.match(value.strip())
        if m and _real_day(*(int(g) for g in m.groups())):
            return dt.date(*(int(g) for g in m.groups()))
    raise InputError(path, f"malformed front matter on line {_key_line(raw, 'date')}: "
                           f"date {value!r} is not a date; write it as YYYY-MM-DD")


# ----- blocks --------------------------------------------------------------------------

@dataclass
class _Block:
    """Lines of one block: ``(content start, content end, end of its line break)``."""

    kind: str | None  # None: a paragraph, classified later with the plain-text rules
    depth: int  # blockquote depth where it opened (deeper '>' starts a new block)
    lines: list[tuple[int, int, int]] = field(default_factory=list)


def _split_lines(text: str, start: int) -> list[tuple[int, int, int]]:
    lines = []
    pos = start
    while pos < len(text):
        m = _LINE.match(text, pos)
        assert m is not None
        lines.append((pos, m.end() - len(m.group(1) or ""), m.end()))
        pos = m.end()
    return lines


def _quote_marks(text: str, a: int, e: int) -> list[int]:
    """Offsets after 0, 1, 2 ... blockquote markers at the start of ``text[a:e]``."""
    marks = [a]
    pos = a
    while True:
        p = pos
        while p < e and p - pos < 3 and text[p] == " ":
            p += 1
        if p < e and text[p] == ">":
            pos = p + 1
            if pos < e and text[pos] in " \t":
                pos += 1
            marks.append(pos)
        else:
            return marks


def _indent(text: str, a: int, e: int) -> tuple[int, int]:
    """Indentation in columns (tab stops of 4) and the offset of the first non-blank."""
    cols = 0
    pos = a
    while pos < e and text[pos] in " \t":
        cols = cols + 4 - cols % 4 if text[pos] == "\t" else cols + 1
        pos += 1
    return cols, pos


def _pipes(text: str, a: int, e: int) -> list[int]:
    out = []
    pos = a
    while pos < e:
        ch = text[pos]
        if ch == "\\":
            pos += 2
            continue
        if ch == "|":
            out.append(pos)
        pos += 1
    return out


def _cells(text: str, a: int, e: int) -> list[tuple[int, int]]:
    """Trimmed cell spans of a table row; outer pipes are optional."""
    cuts = [a - 1] + _pipes(text, a, e) + [e]
    cells = []
    for index in range(len(cuts) - 1):
        ca, ce = cuts[index] + 1, cuts[index + 1]
        while ca < ce and text[ca] in " \t":
            ca += 1
        while ce > ca and text[ce - 1] in " \t":
            ce -= 1
        edge = index == 0 or index == len(cuts) - 2
        if edge and ca == ce:
            continue  # the empty side of a leading or trailing pipe
        cells.append((ca, ce))
    return cells


def _normalize_label(label: str) -> str:
    return " ".join(label.split()).casefold()


class _BlockParser:
    """A line-oriented subset of CommonMark/GFM blocks: enough to find the prose."""

    def __init__(self, text: str, start: int) -> None:
        self.text = text
        self.lines = _split_lines(text, start)
        self.line_starts = [line[0] for line in self.lines]
        self.blocks: list[_Block] = []
        self.directives: list[tuple[int, int, str]] = []
        self.labels: set[str] = set()
        self.para: _Block | None = None

    def _close(self) -> None:
        if self.para is not None:
            self.blocks.append(self.para)
            self.para = None

    def _row(self, a: int, e: int, depth: int) -> None:
        # Each cell is its own block, as <td> is in HTML: a cell is a unit of text and
        # sentences must not run from one cell into the next.
        for ca, ce in _cells(self.text, a, e):
            if ca < ce:
                self.blocks.append(_Block("table", depth, [(ca, ce, ce)]))

    def _is_table(self, index: int, a: int, e: int, depth: int) -> bool:
        """A header row here and a delimiter row on the next line (GFM tables)."""
        if index >= len(self.lines) or not _pipes(self.text, a, e):
            return False
        na, ne, _ = self.lines[index]
        marks = _quote_marks(self.text, na, ne)
        if len(marks) - 1 != depth:
            return False
        _, first = _indent(self.text, marks[-1], ne)
        if not _pipes(self.text, first, ne) or not _DELIM_ROW.match(self.text, first, ne):
            return False
        return len(_cells(self.text, a, e)) == len(_cells(self.text, first, ne))

    def _may_start_item(self, m: re.Match[str], e: int) -> bool:
        para = self.para
        if para is None or para.kind == "list":
            return True
        # Interrupting a paragraph: CommonMark wants content and, when ordered, "1." —
        # so a wrapped line starting "2014. That year" stays in its paragraph.
        has_content = bool(self.text[m.end():e].strip())
        return has_content and (m.group(2) is None or m.group(2) == "1")

    def _comment(self, first: int) -> tuple[int, int | None]:
        """Skip an HTML comment block; returns the next line index and where text resumes."""
        text = self.text
        pos = first
        while True:
            close = text.find("-->", pos + 4)
            if close < 0:
                return len(self.lines), None  # unterminated: raw HTML to the end, as CommonMark
            end = close + 3
            body = text[pos + 4:close]
            if DIRECTIVE.match(body):
                self.directives.append((pos, end, body.strip()))
            index = bisect.bisect_right(self.line_starts, end - 1) - 1
            _, line_end, _ = self.lines[index]
            resume = end
            while resume < line_end and text[resume] in " \t":
                resume += 1
            if text.startswith("<!--", resume) and resume < line_end:
                pos = resume
                continue
            # Text after the comment on its line is shown by a browser, so it is checked.
            return index + 1, resume if resume < line_end else None

    def parse(self) -> list[_Block]:
        text, lines = self.text, self.lines
        fence: tuple[str, int, int] | None = None  # char, length, quote depth
        raw_close: str | None = None
        table_depth: int | None = None
        stack: list[int] = []  # content columns of the open list items, innermost last
        index = 0
        while index < len(lines):
            a, e, n = lines[index]
            index += 1
            if raw_close is not None:
                if raw_close in text[a:e].lower():
                    raw_close = None
                continue
            marks = _quote_marks(text, a, e)
            depth = len(marks) - 1
            if fence is not None:
                char, length, fence_depth = fence
                if depth >= fence_depth:
                    _, first = _indent(text, marks[fence_depth], e)
                    closing = text[first:e].rstrip(" \t")
                    if len(closing) >= length and closing == char * len(closing):
                        fence = None
                    continue
                fence = None  # the blockquote holding the fence ended
            if table_depth is not None:
                if depth == table_depth and text[marks[-1]:e].strip() and _pipes(text, marks[-1], e):
                    self._row(marks[-1], e, depth)
                    continue
                table_depth = None
            ind, first = _indent(text, marks[-1], e)
            if first >= e:
                self._close()
                continue
            para = self.para
            if (para is not None and para.kind is None and para.depth == depth and ind < 4
                    and _SETEXT.match(text, first, e)):
                para.kind = "heading"
                self._close()
                continue
            kept = bisect.bisect_right(stack, ind)  # list items this line is indented into
            rel = ind - (stack[kept - 1] if kept else 0)
            start: str | None = None
            m: re.Match[str] | None = None
            if rel < 4:
                if (m := _FENCE.match(text, first, e)) and not (m.group(1)[0] == "`" and "`" in m.group(2)):
                    start = "fence"
                elif _ATX.match(text, first, e):
                    start = "atx"
                elif _HR.match(text, first, e):
                    start = "hr"
                elif text.startswith("<!--", first):
                    start = "comment"
                elif _RAW_OPEN.match(text, first, e):
                    start = "raw"
                elif (m := _MARKER.match(text, first, e)) and self._may_start_item(m, e):
                    start = "item"
                elif self._is_table(index, first, e, depth):
                    start = "table"
            if start is None and para is not None:
                if depth <= para.depth:
                    # Continuation, lazy or not: a paragraph goes on until a blank line
                    # or a line that starts another block.
                    para.lines.append((first, e, n))
                    continue
                start = "para"  # a deeper '>' opens a new quote
            del stack[kept:]
            self._close()
            if start == "fence":
                assert m is not None
                fence = (m.group(1)[0], len(m.group(1)), depth)
            elif start == "atx":
                self._heading(first, e, depth)
            elif start == "comment":
                index, resume = self._comment(first)
                if resume is not None:
                    line_end, line_next = self.lines[index - 1][1:]
                    self.para = _Block("list" if stack else None, depth, [(resume, line_end, line_next)])
            elif start == "raw":
                opened = _RAW_OPEN.match(text, first, e)
                assert opened is not None
                closer = f"</{opened.group(1).lower()}>"
                if closer not in text[first:e].lower():
                    raw_close = closer
            elif start == "table":
                self._row(first, e, depth)
                index += 1  # the delimiter row
                table_depth = depth
            elif start == "item":
                assert m is not None
                self._item(m, ind, e, n, depth, stack)
            elif start == "hr":
                pass
            elif rel >= 4 and para is None:
                pass  # indented code: not prose
            elif para is None and _REF_DEF.match(text, first, e):
                label = _REF_DEF.match(text, first, e)
                assert label is not None
                self.labels.add(_normalize_label(label.group(1)))
            else:
                note = _FOOTNOTE_DEF.match(text, first, e)
                if note and note.end() >= e:
                    continue  # the note's text follows on indented lines
                content = note.end() if note else first
                self.para = _Block("list" if stack else None, depth, [(content, e, n)])
        self._close()
        return self.blocks

    def _heading(self, first: int, e: int, depth: int) -> None:
        text = self.text
        m = _ATX.match(text, first, e)
        assert m is not None
        cs, ce = m.end(), e
        while ce > cs and text[ce - 1] in " \t":
            ce -= 1
        hashes = ce
        while hashes > cs and text[hashes - 1] == "#":
            hashes -= 1
        if hashes < ce and (hashes == cs or text[hashes - 1] in " \t"):
            ce = hashes  # the optional closing sequence: "## Title ##"
            while ce > cs and text[ce - 1] in " \t":
                ce -= 1
        self.blocks.append(_Block("heading", depth, [(cs, ce, ce)]))

    def _item(self, m: re.Match[str], ind: int, e: int, n: int, depth: int, stack: list[int]) -> None:
        text = self.text
        marker = len(m.group(1))
        _, content = _indent(text, m.end(1), e)
        spaces = len(m.group(3))
        width = 1 if content >= e or spaces > 4 else spaces
        stack.append(ind + marker + width)
        if content < e:
            self.para = _Block("list", depth, [(content, e, n)])


# ----- inlines -------------------------------------------------------------------------

@dataclass
class _Delim:
    index: int
    length: int
    char: str
    can_open: bool
    can_close: bool
    left: int = 0  # characters still unmatched

    def __post_init__(self) -> None:
        self.left = self.length


class _Inline:
    """Inline markup of one block, over its lines joined by '\\n', mapped to the source."""

    def __init__(self, text: str, block: _Block, labels: set[str],
                 directives: list[tuple[int, int, str]]) -> None:
        self.labels = labels
        self.directives = directives
        parts: list[str] = []
        self.src_a: list[int] = []
        self.src_b: list[int] = []
        previous: tuple[int, int] | None = None
        for a, e, n in block.lines:
            if previous is not None:
                parts.append("\n")  # stands for the line break (and any '>' after it)
                self.src_a.append(previous[0])
                self.src_b.append(previous[1])
            parts.append(text[a:e])
            self.src_a.extend(range(a, e))
            self.src_b.extend(range(a + 1, e + 1))
            previous = (e, n)
        self.s = "".join(parts)
        self.keep = [True] * len(self.s)
        self.subst: dict[int, tuple[str, int]] = {}
        self.delims: list[_Delim] = []

    def _drop(self, a: int, b: int) -> None:
        for i in range(a, b):
            self.keep[i] = False

    def _pairs(self) -> None:
        """Code spans, then brackets and parentheses, matched in one pass each.

        Matching ahead of the scan keeps a paragraph of stray '[' or '`' linear, where
        searching forward from each of them would be quadratic.
        """
        s = self.s
        runs: list[tuple[int, int]] = []  # backtick runs: (start, end)
        pos = 0
        while pos < len(s):
            if s[pos] == "\\":
                pos += 2
            elif s[pos] == "`":
                end = pos
                while end < len(s) and s[end] == "`":
                    end += 1
                runs.append((pos, end))
                pos = end
            else:
                pos += 1
        # A run opens a code span closed by the next run of the same length.
        following: dict[int, int] = {}
        later: dict[int, int] = {}
        for index in range(len(runs) - 1, -1, -1):
            length = runs[index][1] - runs[index][0]
            if length in later:
                following[index] = later[length]
            later[length] = index
        self.code: dict[int, int] = {}  # opening run -> end of its code span
        self.ticks: dict[int, int] = {}  # a run that closes nothing -> its end (literal)
        index = 0
        while index < len(runs):
            start, end = runs[index]
            if index in following:
                self.code[start] = runs[following[index]][1]
                index = following[index] + 1
            else:
                self.ticks[start] = end
                index += 1
        self.close: dict[int, int] = {}  # '[' -> its ']', '(' -> its ')'
        open_brackets: list[int] = []
        open_parens: list[int] = []
        pos = 0
        while pos < len(s):
            ch = s[pos]
            if ch == "\\":
                pos += 2
                continue
            if ch == "`":
                pos = self.code.get(pos) or self.ticks.get(pos, pos + 1)
                continue
            if ch == "[":
                open_brackets.append(pos)
            elif ch == "]" and open_brackets:
                self.close[open_brackets.pop()] = pos
            elif ch == "(":
                open_parens.append(pos)
            elif ch == ")" and open_parens:
                self.close[open_parens.pop()] = pos
            pos += 1

    def _link(self, i: int) -> tuple[int, int] | None:
        """For a '[' at ``i`` that opens a link: (index of its ']', end of the link)."""
        s = self.s
        close = self.close.get(i)
        if close is None:
            return None
        if s.startswith("(", close + 1):
            end = self.close.get(close + 1)
            if end is not None:
                return close, end + 1
        label = s[i + 1:close]
        if s.startswith("[", close + 1):
            ref_end = self.close.get(close + 1)
            if ref_end is not None:
                ref = s[close + 2:ref_end] or label
                if _normalize_label(ref) in self.labels:
                    return close, ref_end + 1
        # "[sic]" and "[the official]" stay as written unless a reference defines them.
        if _normalize_label(label) in self.labels:
            return close, close + 1
        return None

    def _bare_url_end(self, i: int) -> int | None:
        s = self.s
        if i > 0 and s[i - 1] not in _URL_LEAD:
            return None
        m = _BARE_URL.match(s, i)
        if not m:
            return None
        end = m.end()
        while end > i:
            ch = s[end - 1]
            if ch in _URL_TRAILING:
                end -= 1
            elif ch == ")" and s.count("(", i, end) < s.count(")", i, end):
                end -= 1
            else:
                break
        prefix = 4 if s[i] in "wW" else s.index("//", i) + 2 - i
        return end if end > i + prefix else None

    def _delim(self, i: int) -> int:
        s = self.s
        ch = s[i]
        run = i
        while run < len(s) and s[run] == ch:
            run += 1
        length = run - i
        if ch == "~" and length > 2:
            return run
        before = s[i - 1] if i > 0 else " "
        after = s[run] if run < len(s) else " "
        left = not after.isspace() and (not _is_punct(after) or before.isspace() or _is_punct(before))
        right = not before.isspace() and (not _is_punct(before) or after.isspace() or _is_punct(after))
        if ch == "_":
            # Intraword underscores (snake_case, file_names) are not emphasis.
            can_open = left and (not right or _is_punct(before))
            can_close = right and (not left or _is_punct(after))
        else:
            can_open, can_close = left, right
        if can_open or can_close:
            self.delims.append(_Delim(i, length, ch, can_open, can_close))
        return run

    def scan(self) -> None:
        self._pairs()
        s = self.s
        link_tail: dict[int, int] = {}  # ']' of an open link -> end of its destination
        i = 0
        while i < len(s):
            if i in link_tail:
                end = link_tail.pop(i)
                self._drop(i, end)
                i = end
                continue
            ch = s[i]
            if ch == "\\" and i + 1 < len(s) and (s[i + 1] in string.punctuation or s[i + 1] == "\n"):
                self.keep[i] = False  # the escaped character is text, never markup
                i += 1 if s[i + 1] == "\n" else 2
            elif ch == "`":
                if i in self.code:
                    self._drop(i, self.code[i])  # a code span: not prose
                    i = self.code[i]
                else:
                    i = self.ticks.get(i, i + 1)
            elif ch == "<":
                i = self._angle(i)
            elif ch == "&":
                m = _ENTITY.match(s, i)
                if m:
                    value = html.unescape(m.group())
                    if value != m.group():
                        # No-break space and entity line breaks are spacing, not text.
                        self.subst[i] = (" " if value.isspace() else value, m.end())
                    i = m.end()
                else:
                    i += 1
            elif ch == "!" and s.startswith("[", i + 1) and (link := self._link(i + 1)):
                self._drop(i, link[1])  # images: neither the alt text nor the URL is prose
                i = link[1]
            elif ch == "[" and (note := _FOOTNOTE_REF.match(s, i)):
                self._drop(i, note.end())
                i = note.end()
            elif ch == "[" and (link := self._link(i)):
                self.keep[i] = False
                link_tail[link[0]] = link[1]
                i += 1
            elif ch in "*_~":
                i = self._delim(i)
            elif ch in "hHwW" and (url_end := self._bare_url_end(i)):
                self._drop(i, url_end)
                i = url_end
            else:
                i += 1
        self._emphasis()

    def _angle(self, i: int) -> int:
        s = self.s
        if s.startswith("<!--", i):
            close = s.find("-->", i + 4)
            if close < 0:
                return i + 1
            body = s[i + 4:close]
            if DIRECTIVE.match(body):
                self.directives.append((self.src_a[i], self.src_b[close + 2], body.strip()))
            self._drop(i, close + 3)
            return close + 3
        m = _AUTOLINK.match(s, i) or _TAG.match(s, i)
        if m:
            self._drop(i, m.end())
            return m.end()
        return i + 1

    def _emphasis(self) -> None:
        """Drop matched emphasis delimiters (a simplified CommonMark delimiter stack).

        One stack per kind of delimiter keeps matching linear in the number of runs.
        """
        stacks: dict[str, list[_Delim]] = {}
        for closer in self.delims:
            # GFM strikethrough pairs runs of equal length only ("~" with "~", "~~" with "~~").
            key = closer.char if closer.char != "~" else f"~{closer.length}"
            same = stacks.setdefault(key, [])
            while closer.can_close and closer.left and same:
                opener = same[-1]
                for other in stacks.values():
                    while other and other[-1].index > opener.index:
                        other.pop()  # delimiters between the pair can no longer match
                use = min(opener.left, closer.left)
                start = opener.index + opener.left - use
                self._drop(start, start + use)
                start = closer.index + closer.length - closer.left
                self._drop(start, start + use)
                opener.left -= use
                closer.left -= use
                if not opener.left:
                    same.pop()
            if closer.can_open and closer.left:
                same.append(closer)

    def items(self) -> list[tuple[str, int, int]]:
        """The kept text as (text, source start, source end) pieces."""
        out = []
        i = 0
        while i < len(self.s):
            if not self.keep[i]:
                i += 1
            elif i in self.subst:
                value, end = self.subst[i]
                out.append((value, self.src_a[i], self.src_b[end - 1]))
                i = end
            else:
                out.append((self.s[i], self.src_a[i], self.src_b[i]))
                i += 1
        return out


def _emit(builder: TextBuilder, items: list[tuple[str, int, int]]) -> None:
    """Append pieces; runs copied verbatim from the source stay identity segments."""
    source = builder.source
    run: list[int] = []  # [start, end) of a pending verbatim run
    line_blank = True
    for value, a, b in items:
        if value == "\n":
            if line_blank:
                continue  # a line emptied by removed markup must not make a paragraph break
            line_blank = True
        elif not value.isspace():
            line_blank = False
        if len(value) == 1 and b == a + 1 and source[a] == value:
            if run and run[1] == a:
                run[1] = b
                continue
            if run:
                builder.copy(run[0], run[1])
            run = [a, b]
            continue
        if run:
            builder.copy(run[0], run[1])
            run = []
        builder.replace(a, b, value)
    if run:
        builder.copy(run[0], run[1])


def _explicit_headings(blocks: tuple[Block, ...], kinds: dict[int, str]) -> list[Block]:
    """Markdown marks its subheads ('#', underlines), so a paragraph is never guessed one.

    The plain-text rules call a short line without final punctuation a subhead; in
    Markdown such a paragraph is prose (or furniture that boilerplate checks look for in
    the body). Title, dateline and byline guesses at the top stay.
    """
    return [Block(b.start, b.end, "body") if b.kind == "heading" and b.start not in kinds else b
            for b in blocks]


def load_markdown(source: SourceFile, option_date: dt.date | None = None) -> Document:
    metadata, body_start = _front_matter(source)
    parser = _BlockParser(source.text, body_start)
    blocks = parser.parse()
    builder = TextBuilder(source.text)
    spans: list[tuple[int, int]] = []
    kinds: dict[int, str] = {}
    directives = parser.directives
    previous_end = body_start
    for block in blocks:
        inline = _Inline(source.text, block, parser.labels, directives)
        inline.scan()
        items = inline.items()
        first, last = 0, len(items)
        while first < last and items[first][0].isspace():
            first += 1
        while last > first and items[last - 1][0].isspace():
            last -= 1
        items = items[first:last]
        if not items:
            continue
        if spans:
            # The paragraph break sits where the previous block ended in the source.
            builder.replace(previous_end, previous_end, "\n\n")
        start = builder.length
        _emit(builder, items)
        spans.append((start, builder.length))
        if block.kind:
            kinds[start] = block.kind
        previous_end = items[-1][2]
    text = builder.text()
    date = metadata.get("date")
    article_date = article_date_from(text, spans, date, option_date)
    dateline = None
    if article_date and article_date.start is not None and article_date.end is not None:
        dateline = (article_date.start, article_date.end)
    doc_blocks = tuple(_explicit_headings(classify(text, spans, dateline, kinds), kinds))
    return Document(source, text, tuple(builder.segments), doc_blocks, "markdown", metadata,
                    article_date, tuple(sorted(directives)))
