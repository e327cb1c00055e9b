"""Date expressions in an article, found and resolved against the article date to intervals.

A reader resolves "Dec. 28" in a January 2 story as last December, "on Wednesday" in a
past-tense sentence as the Wednesday just gone, "last month" as the calendar month before
the article date. This module does the same, with the grammar written by hand: of the
maintained libraries, dateparser resolves a phrase to one point (not an interval), has no
notion of an attached weekday or of the reader's year inference, and costs about 0.4 s of
import on a cold run; python-dateutil parses only absolute dates. Month arithmetic and
weekday sums are a few lines of ``datetime``.

Each expression keeps its span in document text, what kind it is, its granularity, the
interval ``[first, last]`` it stands for (None when it cannot be resolved), the weekday it
names, and, when the document has a dependency parse, the tense of the verb it modifies
and the event noun it dates ("Tuesday's meeting"). Checks read ``Document.dates``; the
HTML report draws ``DateLayer.timeline()``.
"""
from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

    from checker.document import Document

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WD_ABBR = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4,
            "sat": 5, "sun": 6}
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")
_MONTHS = {name.lower(): i + 1 for i, name in enumerate(MONTH_NAMES)}
_MONTHS.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
                "sept": 9, "oct": 10, "nov": 11, "dec": 12})
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}

_WD_FULL = "|".join(WEEKDAY_NAMES)
# A weekday in front of a date: full names, or wire abbreviations ("Tues.", "Wed").
_WD = rf"(?:{_WD_FULL}|(?:Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\.?(?!\w))"
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?(?!\w))")
_MONTH_FULL = "|".join(MONTH_NAMES)
_YEAR = r"(?:1[89]|20)\d\d(?![\d\w])"

# Two-letter weekdays ("Tu, Oct. 4") only count in front of a date; alone they are words.
_WD_SHORT = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)\.?(?!\w)"
_WD_TWO = ("mo", "tu", "we", "th", "fr", "sa", "su")
# A written year: four digits, or two after an apostrophe ("March 3, '24").
_YEAR_W = rf"(?:{_YEAR}|['\u2019]\d\d(?!\d))"
# A mistyped year: five digits that start like a year ("June 20019"), not a count ("May 20000 fans").
_BAD_YEAR = (r"(?:19|20)\d{3}(?!\d)(?![.,]\d)"
             r"(?!\s+(?!(?:wa|ha|i|thi|a|it|plu|u)s\b)(?:people|[a-z]+s)\b)")
_DASH = r"\s*[-\u2013\u2014]\s*"
_ORD = r"(?:st|nd|rd|th)?"

# An explicit day: month-day, day-month (also "the 7th of October"), ISO or numeric, a
# day range ("March 3-14", "3-14 March"), with a weekday before it (and a "last"/"next"/
# "this" before that), a weekday in brackets after it, or the date in brackets after the
# weekday ("on Friday (Oct. 4)").
_EXPLICIT = re.compile(
    rf"(?<![\w/.-])(?:(?P<mod>[Ll]ast|[Nn]ext|[Tt]his)\s+)?"
    rf"(?:(?P<wd>{_WD}|{_WD_SHORT})(?:,?\s+(?:the\s+)?|\s*(?P<paren>\()\s*))?"
    rf"(?:(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}}){_ORD}(?:{_DASH}(?P<e1>\d{{1,2}}){_ORD})?(?![\d:.,]\d)(?!\w)"
    rf"(?:,?\s+(?:(?P<y1>{_YEAR_W})|(?P<yb1>{_BAD_YEAR})))?"
    rf"|(?P<m4>{_MONTH})\s+(?P<yb4>{_BAD_YEAR})"
    rf"|(?P<d2>\d{{1,2}}){_ORD}(?:{_DASH}(?P<e2>\d{{1,2}}){_ORD})?\s+(?:of\s+)?(?P<m2>{_MONTH})"
    rf"(?:,?\s+(?:(?P<y2>{_YEAR_W})|(?P<yb2>{_BAD_YEAR})))?"
    rf"|(?P<y3>\d{{4}})-(?P<m3>\d\d)-(?P<d3>\d\d)(?!\d)"
    rf"|(?P<n1>\d{{1,2}})/(?P<n2>\d{{1,2}})/(?P<ny>\d{{4}}|\d\d)(?![\d/]))"
    rf"(?(paren)\s*\))"
    rf"(?:,?\s*\((?P<wd2>{_WD})\))?"
)
# A month: with a year, or after a word that makes "May" and "March" months.
_MONTH_EXPR = re.compile(
    rf"(?<![\w-])(?:(?P<mod>(?i:early|late|mid|in|since|until|till|by|during|from|before|after|through"
    rf"|last|next|this|between|of))(?:-|\s+))?(?P<m>{_MONTH_FULL})(?:,?\s+(?P<y>{_YEAR}))?(?![\w-])"
)
_YEAR_EXPR = re.compile(
    rf"(?<![\w-])(?P<mod>(?i:in|since|until|by|during|from|before|after|throughout))\s+"
    rf"(?:(?i:early|late|mid)[\s-])?(?P<y>{_YEAR})(?![-/]\d)"
)
_WEEKDAY = re.compile(
    rf"(?<![\w-])(?:(?P<mod>(?i:last|next|this|on|from|until|by|since|early|late))\s+)?(?P<wd>{_WD_FULL})"
    r"(?P<poss>['\u2019]s)?(?:\s+(?P<part>morning|afternoon|evening|night))?(?!\w)"
)
# A weekday inside a name: followed by a capitalised word that is not a month ("Sunday
# Times", "Saturday Night Live"), or after a capitalised word ("Super Tuesday", "Good Friday").
_IN_NAME = re.compile(rf"\s+(?!(?:{_MONTH_FULL})\b)[A-Z][a-z]", re.A)
# Names whose first word is capitalised before a weekday; any other capitalised word
# before one ("Clinton Saturday vowed", "in Tanzania Friday") leaves it a day.
_NAME_BEFORE = re.compile(r"\b(?:Super|Good|Black|Holy|Ash|Palm|Easter|Cyber|Bloody|Maundy|Shrove|Whit|Low|Blue"
                          r"|Giving|Mad|Spy|Plough|Passion|Trinity|Pentecost|Red|Green|Tragic)\s+$")
_RELATIVE = re.compile(
    r"(?<![\w-])(?:(?P<edge>earlier|later)\s+)?(?P<mod>this|last|next|the\s+past|the\s+previous|the\s+coming"
    r"|the\s+following)\s+(?P<unit>week|month|year|weekend)(?!\w)", re.I)
_DAYWORD = re.compile(r"(?<![\w-])(?P<w>yesterday|today|tonight|tomorrow|last\s+night|this\s+morning)(?!\w)", re.I)
_AGO = re.compile(
    r"(?<![\w-])(?P<n>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+few|several"
    r"|a\s+couple\s+of)\s+(?P<unit>day|week|month|year|decade)s?\s+ago(?!\w)", re.I)
_DURATION = re.compile(
    r"(?<![\w-])(?:(?:for|about|around|nearly|almost|over|some|roughly|more\s+than|less\s+than|up\s+to|within)\s+)?"
    r"(?P<n>\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|a\s+few|several)\s+"
    r"(?P<unit>seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)(?!\s+ago)(?!\w)", re.I)

# How far a reader follows the clause's tense to place a year-less date before taking the
# nearest reading instead. Tense-consistent readings in TimeBank+AQUAINT (eval/tempeval.py
# --sets tbaq) lie up to 195 days away; "On 1 January ... came into effect" in an October
# BBC story (clean articles of eval/dates_dev.py, seed 17) is 280 days back. Beyond 300 days
# (an inconsistent reading under about 65 days) the reader takes the near day.
TENSE_REACH_DAYS = 300

# Blocks whose text is searched: prose, the dateline itself (its weekday can be wrong too),
# and header lines (a match preview's "Tuesday, 1 March" line dates the story's event).
_KINDS = ("body", "list", "table", "caption", "dateline", "title", "heading")
# Verbs heading these dependency labels are the verbs a date expression modifies.
_ADVERBIAL_DEPS = ("npadvmod", "advmod", "tmod", "obl", "nmod:tmod")
# Prepositions whose object dates the verb's own event ("met on Monday", "met in May");
# "until", "by", "to", "for", "ahead of" date something else (a deadline, a new date).
_EVENT_PREPS = ("on", "in", "at", "during")


@dataclass(frozen=True, slots=True)
class DateExpr:
    """One date or time expression and what it resolves to against the article date."""

    start: int                 # document text offsets
    end: int
    text: str
    kind: str                  # "date" | "month" | "year" | "weekday" | "relative" | "duration"
    granularity: str           # "day" | "week" | "month" | "year" | "" (durations)
    first: dt.date | None = None   # the interval the expression stands for, when resolved
    last: dt.date | None = None
    weekday: int | None = None     # the weekday it names (0 = Monday), if any
    weekday_span: tuple[int, int] | None = None
    modifier: str = ""         # "last", "next", "this", "earlier this", "ago", ... (lower case)
    year_inferred: bool = False
    valid: bool = True         # False: the text names a day that does not exist
    in_dateline: bool = False
    tense: str = ""            # tense of the verb it modifies: "past" | "future" | "present" | ""
    verb: tuple[int, int] | None = None
    verb_lemma: str = ""
    event: str = ""            # lemma of the noun it dates ("meeting" in "Tuesday's meeting")
    event_span: tuple[int, int] | None = None
    event_modified: bool = False   # the event noun has other modifiers ("first", "second", ...)
    sentence: tuple[int, int] = (0, 0)
    # A year-less "Oct. 7" (or "March 3-14") keeps its month, first and last day: the year is
    # chosen after the parse, by the tense of its clause (see ``infer_year``).
    month_day: tuple[int, int, int] | None = None
    # An ambiguous numeric date ("04/05/2024") keeps its numbers: (first, second, year).
    numeric: tuple[int, int, int] | None = None
    # The tense a reader leans on to place the expression: the verb's own tense, else the
    # clause's ("planned to leave on Thursday" leans future). Never used to flag.
    lean: str = ""
    guessed: bool = False      # a bare weekday placed with no tense to go by (news default: past)
    is_range: bool = False     # "March 3-14": first and last are the two ends

    @property
    def resolved(self) -> bool:
        return self.first is not None and self.last is not None

    @property
    def is_day(self) -> bool:
        """Resolved to exactly one day."""
        return self.first is not None and self.first == self.last


@dataclass(frozen=True)
class DateLayer:
    """All date expressions of a document, in text order, and the date they were resolved against."""

    article_date: dt.date | None
    expressions: tuple[DateExpr, ...] = field(default_factory=tuple)

    def __iter__(self) -> Iterator[DateExpr]:
        return iter(self.expressions)

    def __len__(self) -> int:
        return len(self.expressions)

    def of_kind(self, *kinds: str) -> list[DateExpr]:
        return [e for e in self.expressions if e.kind in kinds]

    def in_span(self, start: int, end: int) -> list[DateExpr]:
        return [e for e in self.expressions if start <= e.start and e.end <= end]

    def timeline(self) -> list[DateExpr]:
        """Resolved expressions ordered by the day they begin (the HTML report's timeline)."""
        return sorted((e for e in self.expressions if e.resolved and e.kind != "duration"),
                      key=lambda e: (e.first, e.start))  # type: ignore[arg-type, return-value]


# ----- calendar arithmetic ----------------------------------------------------------
def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def infer_year(month: int, day: int, ref: dt.date, lean: str = "") -> int | None:
    """The year a reader gives a year-less date.

    The valid candidate nearest the article date, unless the clause's tense points the
    other way and a candidate on that side lies within ``TENSE_REACH_DAYS``: "the Oct. 23
    slaying" in a May story is last October (195 days back, not 170 ahead); "the March 9
    fire" in a March 6 story stays three days ahead whatever the tense (last year's is 362
    days back), and a past-tense verb with it is then a contradiction.
    """
    found: list[dt.date] = []
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            found.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not found:
        return None
    nearest = min(found, key=lambda d: (abs((d - ref).days), d))
    side = [d for d in found if (d <= ref if lean == "past" else d >= ref)] if lean in ("past", "future") else []
    if side:
        best = min(side, key=lambda d: abs((d - ref).days))
        if abs((best - ref).days) <= TENSE_REACH_DAYS:
            return best.year
    return nearest.year


def day_exists(year: int | None, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    return day <= (calendar.monthrange(year, month)[1] if year else (29 if month == 2 else
                                                                     calendar.monthrange(2001, month)[1]))


def _weekday_of(text: str | None) -> int | None:
    if not text:
        return None
    word = text.rstrip(".").lower()
    if word in _WD_TWO:
        return _WD_TWO.index(word)
    for i, name in enumerate(WEEKDAY_NAMES):
        if word == name.lower():
            return i
    return _WD_ABBR.get(word)


def _number(text: str) -> int | None:
    text = " ".join(text.lower().split())
    if text.isdigit():
        return int(text)
    return _NUMBERS.get(text)


# ----- resolution ---------------------------------------------------------------------
def _year(text: str) -> int:
    """A written year; two digits are this century below 70 ("'24"), else the last ("'98")."""
    digits = int(text.lstrip("'\u2019"))
    if digits >= 100:
        return digits
    return digits + (2000 if digits < 70 else 1900)


def numeric_reading(numeric: tuple[int, int, int], order: str) -> dt.date | None:
    """The day a numeric date names read month-first ("mdy") or day-first ("dmy")."""
    a, b, year = numeric
    month, day = (a, b) if order == "mdy" else (b, a)
    return dt.date(year, month, day) if day_exists(year, month, day) else None


def _resolve_explicit(m: re.Match[str]) -> dict[str, object]:
    """The fields of an explicit-day match that need no article date.

    ``first``/``last`` stay None for a year-less date (``month_day`` is kept and the year
    chosen after the parse) and for an ambiguous numeric one (``numeric`` is kept).
    """
    if m.group("y3"):
        y, mo, d = int(m.group("y3")), int(m.group("m3")), int(m.group("d3"))
        if not day_exists(y, mo, d):
            return {"valid": False}
        return {"first": dt.date(y, mo, d), "last": dt.date(y, mo, d)}
    if m.group("n1"):
        a, b, y = int(m.group("n1")), int(m.group("n2")), _year(m.group("ny"))
        readings = {order: numeric_reading((a, b, y), order) for order in ("mdy", "dmy")}
        valid = {order: day for order, day in readings.items() if day is not None}
        if not valid:
            return {"valid": False}
        days = set(valid.values())
        if len(days) == 1:   # evident from the value (a number above 12), or both read alike
            day = days.pop()
            return {"first": day, "last": day, "numeric": (a, b, y)}
        # Month-first and day-first both exist and differ: no day until an order is known.
        return {"numeric": (a, b, y)}
    if m.group("m4"):   # "June 20019"
        return {"valid": False, "granularity": "month"}
    mo = _MONTHS[(m.group("m1") or m.group("m2")).rstrip(".").lower()]
    d = int(m.group("d1") or m.group("d2"))
    end_text = m.group("e1") or m.group("e2")
    end = int(end_text) if end_text else d
    if m.group("yb1") or m.group("yb2") or end < d:
        return {"valid": False, "is_range": end_text is not None}   # mistyped year; "March 14-3"
    year_text = m.group("y1") or m.group("y2")
    if year_text:
        y = _year(year_text)
        if not (day_exists(y, mo, d) and day_exists(y, mo, end)):
            return {"valid": False}
        return {"first": dt.date(y, mo, d), "last": dt.date(y, mo, end), "is_range": end != d}
    if not (day_exists(None, mo, d) and day_exists(None, mo, end)):
        return {"valid": False, "year_inferred": True}
    return {"month_day": (mo, d, end), "year_inferred": True, "is_range": end != d}


def _place_year(expr: DateExpr, ref: dt.date | None) -> DateExpr:
    """Give a year-less date its year, by the article date and the lean of its clause."""
    if expr.month_day is None or ref is None:
        return expr
    month, day, end = expr.month_day
    year = infer_year(month, day, ref, expr.lean)
    if year is None or not day_exists(year, month, end):   # February 29 (or "February 27-29") in no leap year
        return _replace(expr, valid=False)
    return _replace(expr, first=dt.date(year, month, day), last=dt.date(year, month, end))


def _weekday_candidates(weekday: int, ref: dt.date) -> tuple[dt.date, dt.date]:
    """The named weekday on or before the article date and on or after it."""
    back = (ref.weekday() - weekday) % 7
    ahead = (weekday - ref.weekday()) % 7
    return ref - dt.timedelta(days=back), ref + dt.timedelta(days=ahead)


def _resolve_relative(mod: str, unit: str, edge: str, ref: dt.date) -> tuple[dt.date, dt.date] | None:
    mod = " ".join(mod.lower().split())
    if mod not in ("this", "last", "next"):
        return None  # "the following week" is relative to another event, not to the article date
    delta = {"this": 0, "last": -1, "next": 1}[mod]
    if unit == "week":
        monday, sunday = week_bounds(ref)
        first, last = monday + dt.timedelta(weeks=delta), sunday + dt.timedelta(weeks=delta)
    elif unit == "weekend":
        saturday = ref + dt.timedelta(days=(5 - ref.weekday()) % 7)
        if ref.weekday() == 6:
            saturday = ref - dt.timedelta(days=1)
        first = saturday + dt.timedelta(weeks=delta)
        last = first + dt.timedelta(days=1)
    elif unit == "month":
        first, last = month_bounds(*add_months(ref.year, ref.month, delta))
    else:
        first, last = dt.date(ref.year + delta, 1, 1), dt.date(ref.year + delta, 12, 31)
    if mod == "this" and edge == "earlier":
        last = ref
    elif mod == "this" and edge == "later":
        first = ref
    return first, last


def _resolve_ago(n: int, unit: str, ref: dt.date) -> tuple[dt.date, dt.date, str]:
    if unit == "day":
        day = ref - dt.timedelta(days=n)
        return day, day, "day"
    if unit == "week":   # "two weeks ago" is the day 14 days back; checks add their slack
        day = ref - dt.timedelta(weeks=n)
        return day, day, "week"
    if unit == "month":
        return (*month_bounds(*add_months(ref.year, ref.month, -n)), "month")
    years = n * (10 if unit == "decade" else 1)
    return dt.date(ref.year - years, 1, 1), dt.date(ref.year - years, 12, 31), "year"


# ----- extraction -------------------------------------------------------------------
def _regions(doc: Document) -> list[tuple[int, int, bool]]:
    return [(b.start, b.end, b.kind == "dateline") for b in doc.blocks if b.kind in _KINDS]


def _candidates(text: str, a: int, b: int, ref: dt.date | None) -> Iterator[tuple[int, DateExpr]]:
    """(priority, expression) for every pattern match in ``text[a:b]``; lower priority wins overlaps."""
    for m in _EXPLICIT.finditer(text, a, b):
        fields = _resolve_explicit(m)
        wd_text = m.group("wd") or m.group("wd2")
        wd_group = "wd" if m.group("wd") else "wd2"
        weekday = _weekday_of(wd_text)
        mod = (m.group("mod") or "").lower()
        if mod and weekday is None:
            # "last 12 March" is no phrase; start at the date itself.
            continue
        base = DateExpr(m.start(), m.end(), m.group(0), "date", "day", weekday=weekday,
                        weekday_span=m.span(wd_group) if wd_text else None, modifier=mod)
        yield 0, _replace(base, **fields)
    for m in _MONTH_EXPR.finditer(text, a, b):
        mod = (m.group("mod") or "").lower()
        if not m.group("y") and not mod:
            continue  # "May" alone is a verb or a name as often as a month
        month = _MONTHS[m.group("m").lower()]
        first = last = None
        inferred = False
        if m.group("y"):
            first, last = month_bounds(int(m.group("y")), month)
        elif ref is not None:
            if mod in ("last", "next", "this"):
                year = ref.year
                if mod == "last" and month >= ref.month:
                    year -= 1
                elif mod == "next" and month <= ref.month:
                    year += 1
            else:
                year = infer_year(month, 15, ref) or ref.year
            first, last = month_bounds(year, month)
            inferred = True
        start = m.start("m") if mod not in ("early", "late", "mid", "last", "next", "this") else m.start()
        yield 1, DateExpr(start, m.end(), text[start:m.end()], "month", "month", first, last,
                          modifier=mod, year_inferred=inferred)
    for m in _YEAR_EXPR.finditer(text, a, b):
        year = int(m.group("y"))
        yield 1, DateExpr(m.start("y"), m.end("y"), m.group("y"), "year", "year",
                          dt.date(year, 1, 1), dt.date(year, 12, 31), modifier=m.group("mod").lower())
    for m in _WEEKDAY.finditer(text, a, b):
        if not m.group("poss") and not m.group("part") and _IN_NAME.match(text, m.end("wd"), b) \
                or _NAME_BEFORE.search(text[max(a, m.start("wd") - 12):m.start("wd")]):
            continue  # "The Sunday Times", "Super Tuesday", "Good Friday": names, not days
        mod = (m.group("mod") or "").lower()
        start = m.start() if mod in ("last", "next", "this") else m.start("wd")
        yield 2, DateExpr(start, m.end(), text[start:m.end()], "weekday", "day", None, None,
                          _weekday_of(m.group("wd")), m.span("wd"), mod if mod in ("last", "next", "this") else "")
    for m in _RELATIVE.finditer(text, a, b):
        unit = m.group("unit").lower()
        mod = " ".join(m.group("mod").lower().split())
        edge = (m.group("edge") or "").lower()
        span = _resolve_relative(mod, unit, edge, ref) if ref else None
        kind = "duration" if mod in ("the past", "the previous") and not edge else "relative"
        gran = "week" if unit == "weekend" else unit
        yield 3, DateExpr(m.start(), m.end(), m.group(0), kind, gran, span[0] if span else None,
                          span[1] if span else None, modifier=f"{edge} {mod}".strip())
    for m in _DAYWORD.finditer(text, a, b):
        word = " ".join(m.group("w").lower().split())
        offset = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(word, 0)
        day = ref + dt.timedelta(days=offset) if ref else None
        yield 3, DateExpr(m.start(), m.end(), m.group(0), "relative", "day", day, day, modifier=word)
    for m in _AGO.finditer(text, a, b):
        n = _number(m.group("n"))
        unit = m.group("unit").lower()
        first = last = None
        gran = unit if unit != "decade" else "year"
        if n is not None and ref is not None:
            first, last, gran = _resolve_ago(n, unit, ref)
        yield 3, DateExpr(m.start(), m.end(), m.group(0), "relative", gran, first, last, modifier="ago")
    for m in _DURATION.finditer(text, a, b):
        yield 4, DateExpr(m.start(), m.end(), m.group(0), "duration", "")


def _select(found: list[tuple[int, DateExpr]]) -> list[DateExpr]:
    """Keep the best non-overlapping expressions: higher priority first, then longer, then earlier."""
    taken: list[DateExpr] = []
    for _, expr in sorted(found, key=lambda p: (p[0], -(p[1].end - p[1].start), p[1].start)):
        if all(expr.end <= t.start or expr.start >= t.end for t in taken):
            taken.append(expr)
    return sorted(taken, key=lambda e: e.start)


# ----- grammar from the parse -----------------------------------------------------------
def verb_tense(verb: Token) -> str:
    """Tense and aspect of a verb's clause from the tagger and parser, not from word lists.

    "will meet" -> future; "met", "has met", "was held", "were meeting" -> past;
    "would meet", "is meeting" (a planned event) and bare infinitives -> "" (no claim).
    """
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    for aux in auxes:
        if aux.lower_ in ("will", "'ll", "shall", "wo"):
            return "future"
        if aux.tag_ == "MD":
            return ""  # would, could, might, may: conditional or future in the past
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return ""
    for aux in auxes:
        if aux.tag_ == "VBD":
            return "past"   # was held, had met, were meeting
        if aux.tag_ in ("VBZ", "VBP") and aux.lemma_ == "have" and verb.tag_ == "VBN":
            return "past"   # has met
        if aux.tag_ in ("VBZ", "VBP"):
            return "present"
    if verb.tag_ == "VBD" or (verb.tag_ == "VBN" and verb.dep_ in ("acl", "advcl")):
        return "past"   # met; "the plan, announced on February 19"; "Announced on Monday, the plan ..."
    if verb.tag_ in ("VBZ", "VBP"):
        return "present"
    return ""


def _governing_verb(span_tokens: list[Token]) -> Token | None:
    """The verb whose event the expression dates, if it modifies one directly."""
    ids = {t.i for t in span_tokens}
    roots = [t for t in span_tokens if t.head.i not in ids or t.head.i == t.i]
    if not roots:
        return None
    root = roots[-1]
    head = root.head
    if root.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in _EVENT_PREPS:
        verb = head.head
    elif root.dep_ in _ADVERBIAL_DEPS:
        verb = head
    else:
        return None
    return verb if verb.pos_ in ("VERB", "AUX") and verb.i not in ids else None


def _lean_of(verb: Token) -> str:
    """Which side of the article date a verb's clause leans to, for placing a date (not for flagging).

    Its tense, and beyond it: "will", modals ("would be travelling Thursday", "could come as
    early as Tuesday"), a to-infinitive ("planned to leave on Thursday") and a progressive
    present ("are meeting Tuesday") lean to the future.
    """
    tense = verb_tense(verb)
    if tense in ("past", "future"):
        return tense
    if any(c.dep_ == "aux" and c.lemma_ == "have" and c.tag_ in ("VBZ", "VBP") for c in verb.children):
        return "past"   # "have been searching since the Oct. 23 slaying"
    if any(c.dep_ in ("aux", "auxpass") and c.tag_ == "MD" for c in verb.children):
        return "future"
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return "future"
    if tense == "present":
        return "future" if verb.tag_ == "VBG" else "present"
    return ""


def _clause_lean(span_tokens: list[Token]) -> str:
    """The lean of the nearest verb above the expression ("the Oct. 23 slaying" in a past clause)."""
    ids = {t.i for t in span_tokens}
    roots = [t for t in span_tokens if t.head.i not in ids or t.head.i == t.i]
    if not roots:
        return ""
    node = roots[-1]
    for _ in range(8):
        if node.head.i == node.i:
            break
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            lean = _lean_of(node)
            if lean:
                return lean
    return ""


def _event_noun(span_tokens: list[Token]) -> Token | None:
    """The noun an expression dates: "Tuesday's meeting", "the meeting on Wednesday", "the July 12 vote"."""
    ids = {t.i for t in span_tokens}
    for t in span_tokens:
        head = t.head
        if head.i in ids:
            continue
        if t.dep_ in ("poss", "compound", "nmod", "npadvmod") and head.pos_ == "NOUN":
            return head
        if t.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ == "on" and head.head.pos_ == "NOUN":
            return head.head
    return None


def _annotate(expr: DateExpr, doc: Document) -> DateExpr:
    sentence = doc.sentence_of(expr.start)
    spacy_doc = doc.spacy
    if expr.in_dateline or spacy_doc is None or not spacy_doc.has_annotation("DEP"):
        return _replace(expr, sentence=sentence)
    span = spacy_doc.char_span(expr.start, expr.end, alignment_mode="expand")
    if span is None:
        return _replace(expr, sentence=sentence)
    tokens = list(span)
    verb = _governing_verb(tokens)
    fields: dict[str, object] = {"sentence": sentence}
    if verb is not None:
        fields.update(tense=verb_tense(verb), verb=(verb.idx, verb.idx + len(verb.text)),
                      verb_lemma=(verb.lemma_ or verb.text).lower())
    fields["lean"] = (_lean_of(verb) if verb is not None else "") or _clause_lean(tokens)
    noun = _event_noun(tokens)
    if noun is not None:
        others = [c for c in noun.children if c.i not in {t.i for t in tokens}
                  and c.dep_ in ("amod", "nummod", "compound", "poss", "nmod")]
        fields.update(event=(noun.lemma_ or noun.text).lower(), event_span=(noun.idx, noun.idx + len(noun.text)),
                      event_modified=bool(others))
    return _replace(expr, **fields)


def _replace(expr: DateExpr, **fields: object) -> DateExpr:
    return dataclasses.replace(expr, **fields)  # type: ignore[arg-type]


def _resolve_weekday(expr: DateExpr, ref: dt.date | None) -> DateExpr:
    """A weekday alone is a day within a week of the article date (news style).

    "last Friday" is the Friday before the article date, "next Friday" the one after it;
    a bare weekday is the one just gone in a past clause, the coming one in a future (or
    progressive, modal, to-infinitive) clause, and, with no tense to go by, the one just
    gone (``guessed``): news reports what happened. The article date's own weekday is
    the article date on either side.
    """
    if ref is None or expr.weekday is None or expr.kind != "weekday":
        return expr
    past, future = _weekday_candidates(expr.weekday, ref)
    if expr.modifier == "last":
        past = past if past < ref else past - dt.timedelta(days=7)
        return _replace(expr, first=past, last=past)
    if expr.modifier == "next":
        future = future if future > ref else future + dt.timedelta(days=7)
        return _replace(expr, first=future, last=future)
    # "Tuesday's declaration" dates a noun: the clause around it says nothing of its side.
    lean = expr.tense or ("" if expr.text.endswith(("'s", "\u2019s")) else expr.lean)
    if lean in ("future", "present"):   # "talks resume Monday"
        return _replace(expr, first=future, last=future)
    return _replace(expr, first=past, last=past, guessed=lean != "past")


def _evident_order(exprs: list[DateExpr]) -> str:
    """The numeric order the article shows by a value that reads only one way ("15/04/2024")."""
    orders = {("dmy" if a > 12 else "mdy") for e in exprs if e.numeric for a, b, _ in [e.numeric]
              if (a > 12) != (b > 12)}
    return orders.pop() if len(orders) == 1 else ""


def extract_dates(doc: Document) -> DateLayer:
    """Find and resolve every date expression in the prose and dateline of ``doc``."""
    ad = doc.article_date
    ref = ad.date if ad else None
    # A wire dateline ("LONDON, Dec. 8 (Reuters) - ...") sits inside the first body paragraph.
    dl = (ad.start, ad.end) if ad is not None and ad.start is not None and ad.end is not None else None
    exprs: list[DateExpr] = []
    for a, b, is_dateline in _regions(doc):
        found = list(_candidates(doc.text, a, b, ref))
        for expr in _select(found):
            if is_dateline or (dl and expr.start < dl[1] and dl[0] < expr.end):
                expr = _replace(expr, in_dateline=True)
            expr = _annotate(expr, doc)
            exprs.append(_resolve_weekday(_place_year(expr, ref), ref))
    order = _evident_order(exprs)
    if order:
        exprs = [_replace(e, first=day, last=day) if e.numeric and e.first is None
                 and (day := numeric_reading(e.numeric, order)) is not None else e for e in exprs]
    return DateLayer(ref, tuple(exprs))


__all__ = ["DateExpr", "DateLayer", "extract_dates", "infer_year", "numeric_reading", "verb_tense", "WEEKDAY_NAMES",
           "MONTH_NAMES", "day_exists", "month_bounds", "week_bounds", "add_months"]
