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
