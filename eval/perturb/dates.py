"""Date errors the way rewrites and re-posts make them, seeded into real articles.

Kinds (one per article, chosen at random among those the article offers a place for):

* ``weekday_date``: a rewrite turns "on Wednesday" into "on Wednesday, 12 January" and
  gets the date wrong by one to three days (dates.weekday_mismatch).
* ``dateline_weekday``: a re-post template prints a dateline whose weekday is wrong
  ("Tuesday, 12 January 2005" for a Wednesday) (dates.weekday_mismatch).
* ``stale_dateline``: a re-post months later keeps the body ("on Monday", "last week",
  "10 January") under a new dateline, in one of the common wire formats. If the body names
  no explicit day, the rewrite first turns one "on Monday" into its date, as wire copy
  does for older events (dates.stale_dateline).
* ``relative_flip``: "said last week" becomes "said next week", "will ... next month"
  becomes "will ... last month" (dates.tense).
* ``relative_attached``: a rewrite adds a date to "last month" that is not in last month
  (dates.relative_conflict).
* ``tense_date``: "said on Monday" becomes "said on <a date after the article date>"
  (dates.tense).
* ``impossible``: a day-month date becomes one that does not exist ("31 April")
  (dates.impossible).

Every date a kind writes is computed from the article date the builder chose, the way a
reader of the article would resolve it (checker/document/dates.py does the same).
"""
from __future__ import annotations

import calendar
import datetime as dt
import random
import re
from collections.abc import Callable, Sequence
from typing import Any

from eval.perturb import Article, Perturbed

CATEGORY = "date"

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
_ABBR = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
_WD = "|".join(WEEKDAYS)
# "on Monday" not followed by a date or a possessive (those already carry a date or an event).
_ON_WEEKDAY = re.compile(rf"\b[Oo]n (?P<wd>{_WD})\b(?!['\u2019]s|,? \d|,? (?:{'|'.join(MONTHS)}))")
_DAY_DATE = re.compile(rf"(?<![\w/.-])(?P<d>\d{{1,2}}) (?P<m>{'|'.join(MONTHS)})\b(?! \d)")
_RECENT = re.compile(rf"\b(?:(?:on )?(?:{_WD})\b(?!['\u2019]s|,? \d|,? (?:{'|'.join(MONTHS)}))|(?:earlier |later )?(?:this|last|next) (?:week|month)"
                     r"|yesterday|tomorrow)", re.I)
# Past-tense verbs that introduce a date directly in news copy ("said on Monday", "met last week").
_PAST_VERB = re.compile(r"(?:\b\w\w+ed|\bsaid|\btold|\bmet|\bwon|\blost|\brose|\bfell|\bmade|\btook|\bgave"
                        r"|\bcame|\bwent|\bsaw|\bheld|\bpaid|\bsold|\bbought|\bleft|\bbegan|\bspoke|\bwrote)$")


def _body_start(text: str) -> int:
    cut = text.find("\n\n")
    return cut + 2 if cut >= 0 else 0


def _occurrence(text: str, needle: str, pos: int) -> int:
    """1-based occurrence number of ``needle`` starting at ``pos`` in ``text``."""
    count, i = 0, text.find(needle)
    while 0 <= i <= pos:
        count += 1
        i = text.find(needle, i + 1)
    return count


def _entry(text: str, needle: str, pos: int, note: str, expected: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"category": CATEGORY, "text": needle, "occurrence": _occurrence(text, needle, pos)}
    if expected:
        entry["expected"] = expected
    entry["note"] = note
    return entry


def _fmt_day(day: dt.date, rng: random.Random, year: bool = False) -> str:
    if rng.random() < 0.5:
        out = f"{day.day} {MONTHS[day.month - 1]}"
        return f"{out} {day.year}" if year else out
    out = f"{MONTHS[day.month - 1]} {day.day}"
    return f"{out}, {day.year}" if year else out


def _last_weekday(weekday: int, ref: dt.date) -> dt.date:
    """The reader's day for "on <weekday>" in past-tense copy: on or before the article date."""
    return ref - dt.timedelta(days=(ref.weekday() - weekday) % 7)


def _sentence_before(text: str, pos: int) -> str:
    start = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos), 0)
    return text[start:pos]


def _in_quote(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    return text.count('"', line_start, pos) % 2 == 1


def _body_matches(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    start = _body_start(text)
    return [m for m in pattern.finditer(text, start) if not _in_quote(text, m.start())]


# ----- kinds --------------------------------------------------------------------------
def weekday_date(article: Article, rng: random.Random) -> Perturbed | None:
    text, ref = article.text, article.date
    spots = _body_matches(_ON_WEEKDAY, text)
    if not spots:
        return None
    m = rng.choice(spots)
    weekday = WEEKDAYS.index(m.group("wd"))
    true_day = _last_weekday(weekday, ref)
    wrong = true_day + dt.timedelta(days=rng.choice((-3, -2, -1, 1, 2, 3)))
    phrase = f"{m.group('wd')}, {_fmt_day(wrong, rng)}"
    new = text[:m.start("wd")] + phrase + text[m.end("wd"):]
    return Perturbed(new, [_entry(new, phrase, m.start("wd"),
                                  f"{_fmt_day(wrong, rng, True)} is a {WEEKDAYS[wrong.weekday()]}")],
                     "weekday_date")


def _dateline(day: dt.date, rng: random.Random, weekday: str | None = None) -> tuple[str, str, str]:
    """(line to put on top, the date text inside it, wire prefix or '') in a common format."""
    style = rng.randrange(5)
    wd = weekday or WEEKDAYS[day.weekday()]
    month, abbr = MONTHS[day.month - 1], _ABBR[day.month - 1]
    if style == 0:
        date = f"{wd}, {day.day} {month} {day.year}" if weekday else f"{day.day} {month} {day.year}"
        return date, date, ""
    if style == 1:
        date = f"{wd}, {month} {day.day}, {day.year}" if weekday else f"{month} {day.day}, {day.year}"
        return date, date, ""
    if style == 2:
        date = f"{wd}, {day.day} {month}, {day.year}" if weekday else f"{day.day} {month}, {day.year}"
        return f"Last Updated: {date}, {rng.randrange(7, 20):02d}:{rng.randrange(60):02d} GMT", date, ""
    if style == 3:
        date = f"{wd}, {abbr} {day.day}, {day.year}" if weekday else f"{abbr} {day.day}, {day.year}"
        return f"Published {date} {rng.randrange(1, 12)}:{rng.randrange(60):02d} p.m. ET", date, ""
    date = f"{abbr} {day.day}" if not weekday else f"{wd}, {abbr} {day.day}"
    place = rng.choice(("LONDON", "WASHINGTON", "BRUSSELS", "NEW YORK", "PARIS"))
    agency = rng.choice(("Reuters", "AP", "AFP"))
    return "", date, f"{place}, {date} ({agency}) - "


def _with_dateline(text: str, line: str, prefix: str) -> tuple[str, int]:
    """Put a dateline on top (a line of its own, or a wire prefix of the first body paragraph)."""
    if line:
        return f"{line}\n\n{text}", 0
    start = _body_start(text)
    return text[:start] + prefix + text[start:], start


def dateline_weekday(article: Article, rng: random.Random) -> Perturbed | None:
    ref = article.date
    wrong = WEEKDAYS[(ref.weekday() + rng.choice((1, 2, 3, 4, 5, 6))) % 7]
    line, date, prefix = _dateline(ref, rng, weekday=wrong)
    new, base = _with_dateline(article.text, line, prefix)
    pos = new.find(date, base)
    return Perturbed(new, [_entry(new, date, pos, f"{ref.isoformat()} is a {WEEKDAYS[ref.weekday()]}")],
                     "dateline_weekday")


def _recent(text: str) -> list[re.Match[str]]:
    """Recency phrases, less weekdays inside names ("Sheffield Wednesday", "Sunday Times")."""
    out = []
    for m in _body_matches(_RECENT, text):
        before, after = text[max(0, m.start() - 15):m.start()], text[m.end():m.end() + 3]
        if re.search(r"(?<![.!?\n] )\b[A-Z][a-z]+ $", before) and not re.search(r"\b(?:On|By|Since|Until) $", before):
            continue
        if re.match(r" [A-Z][a-z]", after) and not m.group(0).lower().startswith(("this", "last", "next")):
            continue
        out.append(m)
    return out


def stale_dateline(article: Article, rng: random.Random) -> Perturbed | None:
    text, ref = article.text, article.date
    recent = _recent(text)
    explicit = [m for m in _body_matches(_DAY_DATE, text) if _near(m, ref)]
    if not explicit:
        spots = _body_matches(_ON_WEEKDAY, text)
        if not spots or len(recent) - 1 < 2:
            return None
        m = rng.choice(spots)
        day = _last_weekday(WEEKDAYS.index(m.group("wd")), ref)
        # Older than a week: wire copy gives the date ("on 10 January"), not the weekday.
        day -= dt.timedelta(days=7 * rng.choice((0, 1)))
        text = text[:m.start("wd")] + _fmt_day(day, rng) + text[m.end("wd"):]
    elif len(recent) < 2:
        return None
    later = ref + dt.timedelta(days=rng.randrange(90, 271))
    line, date, prefix = _dateline(later, rng)
    new, base = _with_dateline(text, line, prefix)
    pos = new.find(date, base)
    return Perturbed(new, [_entry(new, date, pos, f"re-posted {(later - ref).days} days after the events the "
                                                  f"body calls recent ({ref.isoformat()})")], "stale_dateline")


def _near(m: re.Match[str], ref: dt.date) -> bool:
    month, day = MONTHS.index(m.group("m")) + 1, int(m.group("d"))
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            if -45 <= (dt.date(year, month, day) - ref).days <= 7:
                return True
        except ValueError:
            pass
    return False


_FLIPS = {"last week": "next week", "last month": "next month", "yesterday": "tomorrow", "last year": "next year",
          "earlier this month": "later this month", "earlier this week": "later this week",
          "next week": "last week", "next month": "last month", "tomorrow": "yesterday", "next year": "last year",
          "later this month": "earlier this month", "later this week": "earlier this week"}
_PAST_SIDE = ("last week", "last month", "yesterday", "last year", "earlier this month", "earlier this week")
_FLIP_RE = re.compile(r"\b(" + "|".join(_FLIPS) + r")\b(?!['\u2019]s)")


def relative_flip(article: Article, rng: random.Random) -> Perturbed | None:
    text = article.text
    spots = []
    for m in _body_matches(_FLIP_RE, text):
        before = text[max(0, m.start() - 40):m.start()].rstrip()
        if m.group(1) in _PAST_SIDE and _PAST_VERB.search(before):
            spots.append(m)
        elif m.group(1) not in _PAST_SIDE and re.search(
                r"\bwill(?: \w+){1,4}$", _sentence_before(text, m.start()).rstrip()):
            spots.append(m)
    if not spots:
        return None
    m = rng.choice(spots)
    flipped = _FLIPS[m.group(1)]
    new = text[:m.start()] + flipped + text[m.end():]
    return Perturbed(new, [_entry(new, flipped, m.start(), f"'{m.group(1)}' became '{flipped}' in a clause "
                                                          f"whose tense says otherwise", m.group(1))], "relative_flip")


_ATTACHABLE = re.compile(r"\b(last month|last week|earlier this month|next week|next month)\b(?!['\u2019]s|,)")


def relative_attached(article: Article, rng: random.Random) -> Perturbed | None:
    text, ref = article.text, article.date
    spots = _body_matches(_ATTACHABLE, text)
    if not spots:
        return None
    m = rng.choice(spots)
    phrase = m.group(1)
    if phrase in ("last month", "earlier this month"):
        back = rng.randrange(70, 120)
        wrong = ref - dt.timedelta(days=back)
    elif phrase == "last week":
        wrong = ref - dt.timedelta(days=rng.randrange(30, 60))
    else:  # next week / next month: a day already past
        wrong = ref - dt.timedelta(days=rng.randrange(5, 40))
    addition = f", on {_fmt_day(wrong, rng)},"
    new = text[:m.end()] + addition + text[m.end():]
    return Perturbed(new, [_entry(new, phrase, m.start(), f"{_fmt_day(wrong, rng, True)} is not {phrase} "
                                                          f"of {ref.isoformat()}")], "relative_attached")


def tense_date(article: Article, rng: random.Random) -> Perturbed | None:
    text, ref = article.text, article.date
    spots = [m for m in _body_matches(_ON_WEEKDAY, text)
             if _PAST_VERB.search(text[max(0, m.start() - 30):m.start()].rstrip())]
    if not spots:
        return None
    m = rng.choice(spots)
    later = ref + dt.timedelta(days=rng.randrange(2, 12))
    date = _fmt_day(later, rng)
    new = text[:m.start("wd")] + date + text[m.end("wd"):]
    return Perturbed(new, [_entry(new, date, m.start("wd"), f"past tense for {later.isoformat()}, after the "
                                                            f"article date {ref.isoformat()}")], "tense_date")


def impossible(article: Article, rng: random.Random) -> Perturbed | None:
    text = article.text
    spots = _body_matches(_DAY_DATE, text)
    if spots:
        m = rng.choice(spots)
        month = MONTHS.index(m.group("m")) + 1
        if month in (1, 3, 5, 7, 8, 10, 12):
            month = rng.choice((2, 4, 6, 9, 11))
        day = 30 if month == 2 else calendar.monthrange(2001, month)[1] + 1
        date = f"{day} {MONTHS[month - 1]}"
        new = text[:m.start()] + date + text[m.end():]
        return Perturbed(new, [_entry(new, date, m.start(), "no such day")], "impossible")
    spots = _body_matches(_ON_WEEKDAY, text)
    if not spots:
        return None
    m = rng.choice(spots)
    month = rng.choice((2, 4, 6, 9, 11))
    day = 30 if month == 2 else calendar.monthrange(2001, month)[1] + 1
    date = rng.choice((f"{day} {MONTHS[month - 1]}", f"{MONTHS[month - 1]} {day}"))
    new = text[:m.start("wd")] + date + text[m.end("wd"):]
    return Perturbed(new, [_entry(new, date, m.start("wd"), "no such day")], "impossible")


KINDS: dict[str, Callable[[Article, random.Random], Perturbed | None]] = {
    "weekday_date": weekday_date,
    "dateline_weekday": dateline_weekday,
    "stale_dateline": stale_dateline,
    "relative_flip": relative_flip,
    "relative_attached": relative_attached,
    "tense_date": tense_date,
    "impossible": impossible,
}


# Kinds most articles offer a place for come last, so that the rare ones are not crowded out
# (on the 200 BBC articles: dateline_weekday 200, impossible 76, weekday_date 55 places;
# relative_attached 21, tense_date 9, relative_flip 4, stale_dateline 8).
COMMON = ("weekday_date", "impossible", "dateline_weekday")


def perturb(article: Article, rng: random.Random, pool: Sequence[Article]) -> Perturbed | None:
    """One date error in ``article``: a rare kind when it has a place for one, else a common one."""
    rare = [k for k in KINDS if k not in COMMON]
    common = list(COMMON[:2])
    rng.shuffle(rare)
    rng.shuffle(common)
    common.append(COMMON[2])
    for kind in rare + common:
        result = KINDS[kind](article, rng)
        if result is not None:
            return result
    return None


# ----- the forms of issue 16 ---------------------------------------------------------------
# Each kind writes one form a date takes in news copy, wrong (``correct=False``, with a gold
# entry) or right (``correct=True``, no entry: the precision control for that form), at a
# place the real article offers: a past-tense "on <weekday>", a future "will ... on
# <weekday>", a "Month YYYY", a "last month". Used by eval/dates_dev.py; the builder's
# perturb() above does not draw them.
_WD_ABBR = (("Mon", "Mon."), ("Tue", "Tues", "Tue."), ("Wed", "Wed."), ("Thu", "Thurs", "Thurs."),
            ("Fri", "Fri."), ("Sat", "Sat."), ("Sun", "Sun."))
_ORDINAL = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}
_MONTH_YEAR = re.compile(rf"\b(?P<m>{'|'.join(MONTHS)}) (?P<y>(?:19|20)\d\d)\b")
_WILL_WEEKDAY = re.compile(rf"\bwill (?:\w+ ){{1,4}}?on (?P<wd>{_WD})\b(?!['\u2019]s|,? \d)")
_LAST_MONTH = re.compile(r"\b(?P<verb>\w+ed) last month\b(?!['\u2019]s)")


def _ordinal(n: int) -> str:
    return f"{n}{_ORDINAL.get(n, 'th')}"


def _past_weekday_spots(text: str) -> list[re.Match[str]]:
    return [m for m in _body_matches(_ON_WEEKDAY, text)
            if _PAST_VERB.search(text[max(0, m.start() - 30):m.start()].rstrip())]


def _day_text(form: str, day: dt.date, wd: str, rng: random.Random) -> str:
    """``day`` with the weekday ``wd`` in one of the forms."""
    month, abbr = MONTHS[day.month - 1], _ABBR[day.month - 1]
    short = rng.choice(_WD_ABBR[WEEKDAYS.index(wd)])
    if form == "parenthetical":
        return f"{wd} ({rng.choice((abbr, month))} {day.day})"
    if form == "abbreviated":
        return f"{short}, {abbr} {day.day}"
    if form == "ordinal":
        return rng.choice((f"{wd}, {month} {_ordinal(day.day)}", f"{wd}, the {_ordinal(day.day)} of {month}"))
    if form == "numeric":
        if day.day > 12:   # evident day-first or month-first
            return rng.choice((f"{wd}, {day.day:02d}/{day.month:02d}/{day.year}",
                               f"{wd}, {day.month:02d}/{day.day:02d}/{day.year}"))
        return f"{wd}, {day.isoformat()}"
    if form == "two_digit_year":
        return f"{wd}, {abbr} {day.day}, '{day.year % 100:02d}"
    return f"{wd}, {day.day} {month}"


def _weekday_form(form: str) -> Callable[[Article, random.Random, bool], Perturbed | None]:
    def make(article: Article, rng: random.Random, correct: bool) -> Perturbed | None:
        """'said on Wednesday' becomes 'said on Wednesday (Jan. 12)' and the like, the day wrong or right."""
        text, ref = article.text, article.date
        spots = _past_weekday_spots(text)
        if not spots:
            return None
        m = rng.choice(spots)
        wd = m.group("wd")
        day = _last_weekday(WEEKDAYS.index(wd), ref)
        shown = day if correct else day + dt.timedelta(days=rng.choice((-3, -2, -1, 1, 2, 3)))
        phrase = _day_text(form, shown, wd, rng)
        new = text[:m.start("wd")] + phrase + text[m.end("wd"):]
        findings = [] if correct else [_entry(new, phrase, m.start("wd"), f"{shown.isoformat()} is a "
                                              f"{WEEKDAYS[shown.weekday()]}, not a {wd} ({form})")]
        return Perturbed(new, findings, f"weekday_{form}")
    return make


def lead_date(article: Article, rng: random.Random, correct: bool) -> Perturbed | None:
    """A paragraph with 'said on Wednesday' gets a lead date: 'Jan. 12 - ...' (the weekday's day, or not)."""
    text, ref = article.text, article.date
    # The first sentence of a paragraph: the lead date heads it.
    spots = [m for m in _past_weekday_spots(text)
             if not re.search(r"[.!?]\s", text[text.rfind("\n", 0, m.start()) + 1:m.start()])]
    if not spots:
        return None
    m = rng.choice(spots)
    wd = m.group("wd")
    day = _last_weekday(WEEKDAYS.index(wd), ref)
    shown = day if correct else day + dt.timedelta(days=rng.choice((-2, -1, 1, 2)))
    lead = f"{_ABBR[shown.month - 1]} {shown.day}"
    para = text.rfind("\n", 0, m.start()) + 1
    new = text[:para] + f"{lead} \u2014 " + text[para:]
    findings = [] if correct else [_entry(new, lead, para, f"lead date {shown.isoformat()} is a "
                                          f"{WEEKDAYS[shown.weekday()]}; the sentence says {wd}")]
    return Perturbed(new, findings, "weekday_lead_date")


def impossible_form(article: Article, rng: random.Random, correct: bool) -> Perturbed | None:
    """'on Wednesday' becomes a date that does not exist in one of the forms (or a real one)."""
    text, ref = article.text, article.date
    month_years = _body_matches(_MONTH_YEAR, text)
    if month_years and rng.random() < 0.5:
        m = rng.choice(month_years)
        year = m.group("y")
        bad = year if correct else year[:2] + year[2] + year[2:]   # "2004" -> "20004"
        phrase = f"{m.group('m')} {bad}"
        new = text[:m.start()] + phrase + text[m.end():]
        return Perturbed(new, [] if correct else [_entry(new, phrase, m.start(), "mistyped year")],
                         "impossible_year")
    spots = _past_weekday_spots(text)
    if not spots:
        return None
    m = rng.choice(spots)
    day = _last_weekday(WEEKDAYS.index(m.group("wd")), ref)
    leap = calendar.isleap(day.year)
    if correct:
        phrase = rng.choice((f"{day.day:02d}/{day.month:02d}/{day.year}" if day.day > 12 else day.isoformat(),
                             f"{MONTHS[day.month - 1]} {day.day}, {day.year}"))
        kind = "impossible_control"
    else:
        choices = [f"{rng.choice((13, 31))}/{rng.choice((13, 31))}/{day.year}", f"{day.year}-02-30",
                   f"{rng.choice(('April', 'June', 'September', 'November'))} 31, {day.year}"]
        if not leap:
            choices.append(f"February 29, {day.year}")
        phrase = rng.choice(choices)
        kind = "impossible_" + ("numeric" if "/" in phrase or "-" in phrase else "day")
    new = text[:m.start("wd")] + phrase + text[m.end("wd"):]
    return Perturbed(new, [] if correct else [_entry(new, phrase, m.start("wd"), "no such day")], kind)


def range_form(article: Article, rng: random.Random, correct: bool) -> Perturbed | None:
    """A day-month date becomes a range, the right way round or inverted ('14-3 March')."""
    text = article.text
    spots = [m for m in _body_matches(_DAY_DATE, text) if 4 <= int(m.group("d")) <= 25]
    if not spots:
        return None
    m = rng.choice(spots)
    d, k = int(m.group("d")), rng.randrange(1, 4)
    a, b = (d, d + k) if correct else (d, d - k)
    phrase = rng.choice((f"{a}\u2013{b} {m.group('m')}", f"{m.group('m')} {a}-{b}"))
    new = text[:m.start()] + phrase + text[m.end():]
    return Perturbed(new, [] if correct else [_entry(new, phrase, m.start(), "range ends before it starts")],
                     "range_inverted")


def tense_form(article: Article, rng: random.Random, correct: bool) -> Perturbed | None:
    """'will ... on Monday' dated before the article date, or 'said on Monday' as a present
    perfect dated after it ('has said on 14 March'); right: a date on the tense's own side."""
    text, ref = article.text, article.date
    future = _body_matches(_WILL_WEEKDAY, text)
    # "he announced on Monday", "Ministers agreed on Monday": a subject before the verb, not
    # "the plan, announced on Monday" (a participle a present perfect cannot replace).
    past = [m for m in _past_weekday_spots(text)
            if re.search(r"\b(?:he|she|it|they|we|[A-Z][a-z]+) \w+ed $", text[max(0, m.start() - 40):m.start()])]
    if not future and not past:
        return None
    if future and (not past or rng.random() < 0.5):
        m = rng.choice(future)
        day = ref + dt.timedelta(days=rng.randrange(2, 9) * (1 if correct else -1))
        phrase = _fmt_day(day, rng)
        new = text[:m.start("wd")] + phrase + text[m.end("wd"):]
        return Perturbed(new, [] if correct else [_entry(new, phrase, m.start("wd"), "future tense, earlier date")],
                         "tense_future_before")
    m = rng.choice(past)
    verb = re.search(r"\b(\w+ed) $", text[max(0, m.start() - 20):m.start()])
    assert verb is not None
    vstart = max(0, m.start() - 20) + verb.start(1)
    day = ref + dt.timedelta(days=rng.randrange(3, 25) * (-1 if correct else 1))
    phrase = _fmt_day(day, rng)
    new = text[:vstart] + "has " + text[vstart:m.start("wd")] + phrase + text[m.end("wd"):]
    pos = m.start("wd") + 4
    return Perturbed(new, [] if correct else [_entry(new, phrase, pos, "present perfect, later date")],
                     "tense_perfect_after")


def relative_month(article: Article, rng: random.Random, correct: bool) -> Perturbed | None:
    """'rose last month' becomes 'rose in <Month> last month' (last month's name, or another month's)."""
    text, ref = article.text, article.date
    spots = _body_matches(_LAST_MONTH, text)
    if not spots:
        return None
    m = rng.choice(spots)
    last = (ref.replace(day=1) - dt.timedelta(days=1)).month
    month = last if correct else (last - 1 - rng.randrange(2, 6)) % 12 + 1
    insert = f"in {MONTHS[month - 1]} "
    pos = m.end("verb") + 1
    new = text[:pos] + insert + text[pos:]
    findings = [] if correct else [_entry(new, "last month", pos + len(insert),
                                          f"last month is {MONTHS[last - 1]}, not {MONTHS[month - 1]}")]
    return Perturbed(new, findings, "relative_named_month")


_EVENTS = ("meeting", "talks", "summit", "hearing", "vote", "election", "referendum", "announcement", "visit",
           "speech", "ruling", "verdict", "attack", "crash", "protest", "launch", "conference", "debate",
           "ceremony", "funeral", "trial", "budget", "statement", "auction", "premiere")
# "the vote" as a noun of its own, not the head of a compound ("the budget deficit").
_THE_EVENT = re.compile(rf"\b[Tt]he (?P<event>{'|'.join(_EVENTS)})\b(?![-\w])"
                        r"(?=[.,;:]|\s+(?:of|on|in|at|was|is|will|had|has|would|and|to|for|that|which)\b)")


def event_dates(article: Article, rng: random.Random, correct: bool) -> Perturbed | None:
    """An event named twice ("the vote" ... "the vote") is dated at both mentions, on two
    different days ("Tuesday's vote" ... "Thursday's vote") or, right, on the same day."""
    text = article.text
    by_event: dict[str, list[re.Match[str]]] = {}
    for m in _body_matches(_THE_EVENT, text):
        by_event.setdefault(m.group("event"), []).append(m)
    # Events the article already dates ("Sunday's auction") are left alone.
    twice = sorted(e for e, ms in by_event.items() if len(ms) >= 2
                   and not re.search(rf"(?:{_WD})['\u2019]s {e}\b", text))
    if not twice:
        return None
    event = rng.choice(twice)
    first, second = by_event[event][0], by_event[event][1]
    wd1 = rng.randrange(7)
    wd2 = wd1 if correct else (wd1 + rng.randrange(1, 7)) % 7
    a, b = f"{WEEKDAYS[wd1]}'s {event}", f"{WEEKDAYS[wd2]}'s {event}"
    new = text[:first.start()] + a + text[first.end():second.start()] + b + text[second.end():]
    pos = new.find(b, first.start() + len(a))
    findings = [] if correct else [_entry(new, b, pos, f"the {event} was dated {WEEKDAYS[wd1]} before")]
    return Perturbed(new, findings, "event_two_dates")


FORM_KINDS: dict[str, Callable[[Article, random.Random, bool], Perturbed | None]] = {
    **{f"weekday_{form}": _weekday_form(form) for form in ("parenthetical", "abbreviated", "ordinal", "numeric",
                                                          "two_digit_year")},
    "event_dates": event_dates,
    "lead_date": lead_date,
    "impossible_form": impossible_form,
    "range_form": range_form,
    "tense_form": tense_form,
    "relative_month": relative_month,
}
