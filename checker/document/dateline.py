"""Find the article date in a dateline at the top of the text ("WASHINGTON, July 12 (Reuters) -")."""
from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
MONTH_RE = (r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?"
            r"|Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)")
WEEKDAY_RE = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?"

# A date standing for the article date: month-day-year, day-month-year, ISO or numeric (when
# the value shows day-first or month-first), with an optional weekday before it; the year
# may be missing in wire datelines.
_DATE = re.compile(
    rf"(?:(?P<wd>{WEEKDAY_RE}),?\s+)?"
    rf"(?:(?P<m1>{MONTH_RE})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{MONTH_RE})(?:,?\s+(?P<y2>\d{{4}}))?"
    rf"|(?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}})"
    rf"|(?P<n1>\d{{1,2}})/(?P<n2>\d{{1,2}})/(?P<ny>\d{{4}}))\b"
)
# Wire dateline: an upper-case place, a comma, the date, optional agency, then a dash.
_WIRE = re.compile(
    r"^[A-Z][A-Z .'\-]+(?:,\s*[A-Za-z .]+)?,\s+(?P<date>.+?)\s*(?:\((?:[A-Za-z .]+)\)\s*)?[-\u2013\u2014]"
)
# Web and CMS date lines put a label before the date ("Last Updated: Thursday, 26 July,
# 2005, 16:52 GMT" on BBC pages, "Published Dec. 8, 2023 3:12 p.m. ET", "Updated 10:32 AM
# EDT, Wed July 12, 2023", "Posted on ...").
_LABEL = re.compile(r"(?:(?:Last\s+)?[Uu]pdated|UPDATED|Published|PUBLISHED|(?:First\s+)?[Pp]osted|Date)"
                    r"(?:\s+on)?\s*:?\s*(?:\d{1,2}:\d\d\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:[A-Z]{2,4}\b)?,?\s*)?")
# How far into the text a dateline may sit, in blocks: masthead and headline lines come first.
DATELINE_BLOCKS = 6


def month_number(name: str) -> int | None:
    return MONTHS.get(name.lower().rstrip("."))


def default_year(option_date: dt.date | None) -> int | None:
    """The year a year-less dateline ("WASHINGTON, July 12 (Reuters) -") gets: the default
    article date's, else none (never the computer's clock's year: issue 16). The result cache
    keys on it too (issue 13)."""
    return option_date.year if option_date else None


def parse_date_match(m: re.Match[str], default_year: int | None) -> tuple[dt.date | None, bool]:
    """Turn a ``_DATE`` match into a date; ``(None, False)`` if it names no real day."""
    if m.group("y3"):
        year, month, day = int(m.group("y3")), int(m.group("m3")), int(m.group("d3"))
        inferred = False
    elif m.group("n1"):
        # "15/04/2024" reads one way only; "04/05/2024" two ways: no article date from it.
        a, b, year = int(m.group("n1")), int(m.group("n2")), int(m.group("ny"))
        if a > 12 and b <= 12:
            day, month = a, b
        elif b > 12 and a <= 12:
            month, day = a, b
        elif a == b:
            month = day = a
        else:
            return None, False
        inferred = False
    else:
        month = month_number(m.group("m1") or m.group("m2")) or 0
        day = int(m.group("d1") or m.group("d2"))
        year_text = m.group("y1") or m.group("y2")
        inferred = year_text is None
        if year_text is None and default_year is None:
            return None, False
        year = int(year_text) if year_text else int(default_year or 0)
    try:
        return dt.date(year, month, day), inferred
    except ValueError:
        return None, False


def find_dateline(text: str, blocks: list[tuple[int, int]], default_year: int | None
                  ) -> tuple[dt.date, int, int, bool] | None:
    """The first block near the top that is a date line or a wire dateline.

    Returns (date, start, end, year_inferred) with ``[start, end)`` the date's span.
    """
    for a, b in blocks[:DATELINE_BLOCKS]:
        line = text[a:b]
        first_line = line.split("\n", 1)[0]
        lead = len(first_line) - len(first_line.lstrip())
        label = _LABEL.match(first_line, lead)
        if label:
            lead = label.end()
        m = _DATE.match(first_line[lead:].rstrip())
        # A line that is only a date (with optional "Updated"/"Published" and time).
        if m and len(first_line[lead:].rstrip()) - m.end() <= 25 and not re.search(r"[.!?]\s*$", first_line[lead + m.end():].strip()[:1] or ""):
            date, inferred = parse_date_match(m, default_year)
            if date:
                return date, a + lead + m.start(), a + lead + m.end(), inferred
        w = _WIRE.match(first_line)
        if w:
            dm = _DATE.match(w.group("date"))
            if dm:
                date, inferred = parse_date_match(dm, default_year)
                if date:
                    s = a + w.start("date") + dm.start()
                    return date, s, s + (dm.end() - dm.start()), inferred
        if len(first_line.split()) > 25:
            break  # prose has started; no dateline below it
    return None
