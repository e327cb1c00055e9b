"""Date checks: time that disagrees with itself, with the calendar or with the article date.

Every check reads the resolved expressions of ``Document.dates`` (checker/document/dates.py)
and never re-parses text. Dates are in nearly every sentence of news, so each check fires
only on a contradiction the text itself states: a weekday attached to its date, a
relative phrase attached to an explicit date, a tense attached to a dated event.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from checker.checks.base import Check, RuleContext
from checker.document.dates import WEEKDAY_NAMES, DateExpr, numeric_reading
from checker.rules import Option, RuleSpec

if TYPE_CHECKING:
    from checker.document import Document
    from checker.finding import Finding

# Text allowed between a relative phrase and the explicit date it is attached to:
# "last month, on March 3", "on March 3 last month", "next week (July 17)".
_ATTACH_GAP = re.compile(r"\s*[,(]?\s*(?:on|in)?\s*[)]?\s*", re.I)


def _fmt(day: dt.date) -> str:
    return f"{WEEKDAY_NAMES[day.weekday()]}, {day.strftime('%B')} {day.day}, {day.year}"


def _fmt_interval(first: dt.date, last: dt.date) -> str:
    if first == last:
        return _fmt(first)
    return f"{first.isoformat()} to {last.isoformat()}"


def _strings(spec: RuleSpec, name: str, value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise spec.error(name, "must be a list of non-empty strings")
    return [v.lower() for v in value]


def _non_negative(spec: RuleSpec, name: str, value: object) -> int:
    if not isinstance(value, int) or value < 0:
        raise spec.error(name, f"must be a whole number of 0 or more (got {value!r})")
    return value


class _DateCheck(Check):
    NEEDS = frozenset({"tagger", "parser"})


class WeekdayMismatch(_DateCheck):
    """A weekday attached to a date that falls on another day ("Tuesday, July 12, 2023").

    Attached means written beside it ("Friday, Oct. 4", "Friday (Oct. 4)", "Oct. 4 (Fri)")
    or dating the same verb in the same sentence ("met on Friday ... on Oct. 4"), or a
    sentence under a lead date ("Aug. 2 - Shares slid on Wednesday").
    """

    OPTIONS = {
        "inferred_year_window_days": Option(
            int, 120, help="flag a year-less date only when the year a reader infers puts it this close to "
                           "the article date; farther away another year may be meant"),
        "inferred_year_confidence": Option(float, 0.7, help="confidence when the year was inferred"),
        "numeric_order": Option(str, "auto", help="how numeric dates read: mdy (04/05 = April 5), dmy "
                                                  "(04/05 = 4 May) or auto (only when the value or the "
                                                  "article shows it)"),
        "sentence_confidence": Option(float, 0.7, help="confidence for a weekday that dates the same verb "
                                                       "as a date elsewhere in its sentence"),
    }

    def __init__(self, spec: RuleSpec, context: RuleContext | None = None) -> None:
        super().__init__(spec, context)
        self.window = _non_negative(spec, "inferred_year_window_days", self.options["inferred_year_window_days"])
        self.order = str(self.options["numeric_order"])
        if self.order not in ("auto", "mdy", "dmy"):
            raise spec.error("numeric_order", f"must be auto, mdy or dmy (got {self.order!r})")

    def _day(self, e: DateExpr, ref: dt.date | None) -> dt.date | None:
        """The day a date names, if it is one a weekday can be checked against."""
        day = e.first
        if day is None and e.numeric is not None and self.order != "auto":
            day = numeric_reading(e.numeric, self.order)
        if day is None or e.granularity != "day":
            return None
        if e.year_inferred and (ref is None or abs((day - ref).days) > self.window):
            return None
        return day

    def _finding(self, doc: Document, e: DateExpr, day: dt.date, named: int, confidence: float,
                 related: list[tuple[int, int]] | None = None) -> Finding:
        actual = day.weekday()
        suggestion = None
        if e.weekday_span is not None:
            a, b = e.weekday_span
            suggestion = doc.text[e.start:a] + WEEKDAY_NAMES[actual] + doc.text[b:e.end]
        if e.year_inferred:
            confidence = min(confidence, float(self.options["inferred_year_confidence"]))
        return doc.finding(self.spec, e.start, e.end, suggestion=suggestion, confidence=confidence,
                           related=related or [], named=WEEKDAY_NAMES[named], actual=WEEKDAY_NAMES[actual],
                           date=f"{day.strftime('%B')} {day.day}, {day.year}", data={"date": day.isoformat()})

    def run(self, doc: Document) -> Iterator[Finding]:
        layer = doc.dates
        ref = layer.article_date
        exprs = list(layer)
        for e in exprs:
            if e.kind != "date":
                continue
            day = self._day(e, ref)
            if day is None:
                continue
            if e.weekday is not None:
                if day.weekday() != e.weekday:
                    yield self._finding(doc, e, day, e.weekday, 0.9)
                continue
            for w in _same_day_weekdays(doc, e, exprs):
                if w.weekday is not None and w.weekday != day.weekday():
                    yield self._finding(doc, e, day, w.weekday, float(self.options["sentence_confidence"]),
                                        related=[(w.start, w.end)])
                    break


def _same_day_weekdays(doc: Document, date: DateExpr, exprs: list[DateExpr]) -> Iterator[DateExpr]:
    """Bare weekdays of the date's sentence that name the same day as the date.

    The same verb dated twice ("was held on Friday in Geneva on Oct. 4"), or a sentence
    opened by a lead date and a dash ("Aug. 2 - Shares slid on Wednesday").
    """
    lead = _LEAD.match(doc.text, date.end) is not None and (
        date.start == date.sentence[0] or doc.text[max(0, date.start - 1):date.start] in ("", "\n"))
    for w in exprs:
        if w.kind != "weekday" or w.modifier or w.text.endswith(("'s", "\u2019s")) or w.in_dateline:
            continue
        if lead and date.end < w.start and not _SENTENCE_END.search(doc.text, date.end, w.start):
            yield w
        elif w.sentence == date.sentence and w.verb is not None and w.verb == date.verb \
                and not _verb_between(doc, w, date):
            yield w


def _verb_between(doc: Document, a: DateExpr, b: DateExpr) -> bool:
    """A verb stands between two expressions: they may date two clauses ("said on Monday he
    would travel on July 20"), whatever the parse made their head."""
    start, end = min(a.end, b.end), max(a.start, b.start)
    spacy_doc = doc.spacy
    if spacy_doc is None:
        return True
    return any(start <= t.idx < end and t.pos_ in ("VERB", "AUX") for t in spacy_doc)


# A lead date: "Aug. 2 -", "Aug. 2 —" at the head of a paragraph or sentence.
_LEAD = re.compile(r"\s*[-\u2013\u2014:]\s")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)(?![a-z])")


class ImpossibleDate(_DateCheck):
    """A date that does not exist: February 30, April 31, 31/31/2023, February 29, 2023."""

    NEEDS = frozenset()

    def run(self, doc: Document) -> Iterator[Finding]:
        for e in doc.dates:
            if e.kind == "date" and not e.valid:
                yield doc.finding(self.spec, e.start, e.end, confidence=0.95)


class RelativeConflict(_DateCheck):
    """A relative phrase that contradicts the explicit date attached to it, given the article date.

    "last month, on March 3" in a July story; "next Tuesday, July 4" in a July 12 story.
    """

    OPTIONS = {
        "tolerance_days": Option(int, 3, help="slack around the interval a relative phrase stands for"),
        "modifier_window_days": Option(int, 14, help="how far 'next'/'last' before a weekday reach"),
        "phrases": Option(list, required=True, help="relative phrases checked against an attached date"),
    }

    def __init__(self, spec: RuleSpec, context: RuleContext | None = None) -> None:
        super().__init__(spec, context)
        self.tolerance = dt.timedelta(days=_non_negative(spec, "tolerance_days", self.options["tolerance_days"]))
        self.window = _non_negative(spec, "modifier_window_days", self.options["modifier_window_days"])
        self.phrases = set(_strings(spec, "phrases", self.options["phrases"]))

    def _phrase(self, e: DateExpr) -> str:
        return " ".join(e.text.lower().split())

    def _named_month(self, rel: DateExpr, exprs: list[DateExpr]) -> DateExpr | None:
        """A named month that dates the same verb as a relative month phrase and lies outside it:
        "will open in June next month" in a July story."""
        if rel.kind != "relative" or rel.granularity != "month" or rel.verb is None or not rel.resolved \
                or self._phrase(rel) not in self.phrases:
            return None
        for other in exprs:
            if other.kind == "month" and other.verb == rel.verb and other.sentence == rel.sentence \
                    and other.first is not None and other.last is not None and not other.modifier.startswith(
                        ("since", "until", "till", "by", "before", "after", "from", "through", "between")):
                assert rel.first is not None and rel.last is not None
                if other.last < rel.first or other.first > rel.last:
                    return other
        return None

    def run(self, doc: Document) -> Iterator[Finding]:
        layer = doc.dates
        ref = layer.article_date
        if ref is None:
            return
        exprs = [e for e in layer if not e.in_dateline]
        for e in exprs:
            # "next Tuesday, July 12": the modifier puts the day within a fortnight after (before) the article date.
            if e.kind == "date" and e.modifier in ("last", "next") and e.is_day and e.first is not None:
                delta = (e.first - ref).days
                ok = 0 < delta <= self.window if e.modifier == "next" else -self.window <= delta < 0
                if not ok:
                    yield doc.finding(self.spec, e.start, e.end, confidence=0.8, phrase=e.modifier,
                                      date=_fmt(e.first), article=_fmt(ref))
        for rel in exprs:
            named = self._named_month(rel, exprs)
            if named is not None:
                assert rel.first is not None and rel.last is not None and named.first is not None
                yield doc.finding(self.spec, rel.start, rel.end, related=[(named.start, named.end)], confidence=0.75,
                                  phrase=rel.text, date=named.text, article=_fmt(ref),
                                  span=_fmt_interval(rel.first, rel.last))
        for i, rel in enumerate(exprs):
            if rel.kind != "relative" or not rel.resolved or (
                    self._phrase(rel) not in self.phrases and rel.modifier != "ago"):
                continue
            if doc.text[rel.end:rel.end + 2] in ("'s", "\u2019s"):
                continue  # "last month's figures" dates figures, not the event beside it
            for other in (exprs[i - 1] if i > 0 else None, exprs[i + 1] if i + 1 < len(exprs) else None):
                if other is None or other.kind != "date" or not other.is_day or other.first is None:
                    continue
                gap = doc.text[min(rel.end, other.end):max(rel.start, other.start)]
                if not _ATTACH_GAP.fullmatch(gap):
                    continue
                assert rel.first is not None and rel.last is not None
                # Slack for "last week" (the past seven days?) and "a week ago"; months and
                # years have hard edges ("earlier this month, on June 28" in a July story).
                slack = self.tolerance if rel.granularity in ("day", "week") else dt.timedelta(0)
                if rel.first - slack <= other.first <= rel.last + slack:
                    continue
                yield doc.finding(self.spec, rel.start, rel.end, related=[(other.start, other.end)],
                                  confidence=0.85 if not other.year_inferred else 0.75,
                                  phrase=rel.text, date=_fmt(other.first), article=_fmt(ref),
                                  span=_fmt_interval(rel.first, rel.last))
                break


class StaleDateline(_DateCheck):
    """A dateline far from the events the body presents as current.

    The seed (seeds/pentagon-talks.gold.yaml): dateline December 8, 2023 over a body that
    dates its events July 10 and calls them "earlier this month", "last month", "next week".
    Fires when every explicit current date in the body is at least ``min_gap_days`` from the
    dateline (none near it) and the body uses at least ``min_recency`` phrases that place
    events within weeks of "now".
    """

    NEEDS = frozenset()
    OPTIONS = {
        "min_gap_days": Option(int, 60, help="explicit body dates at least this far from the dateline"),
        "max_gap_days": Option(int, 330, help="dates farther than this are history, not the story's now"),
        "min_recency": Option(int, 2, help="how many recency phrases the body must use"),
        "recency_modifiers": Option(list, required=True, help="modifiers of relative phrases that mean 'now'"),
        "recency_units": Option(list, required=True, help="granularities those phrases must have"),
        "weekday_counts": Option(bool, True, help="a bare weekday ('on Wednesday') counts as a recency phrase"),
        "max_related": Option(int, 8),
    }

    def __init__(self, spec: RuleSpec, context: RuleContext | None = None) -> None:
        super().__init__(spec, context)
        self.min_gap = _non_negative(spec, "min_gap_days", self.options["min_gap_days"])
        self.max_gap = _non_negative(spec, "max_gap_days", self.options["max_gap_days"])
        self.min_recency = _non_negative(spec, "min_recency", self.options["min_recency"])
        self.modifiers = set(_strings(spec, "recency_modifiers", self.options["recency_modifiers"]))
        self.units = set(_strings(spec, "recency_units", self.options["recency_units"]))

    def run(self, doc: Document) -> Iterator[Finding]:
        ad = doc.article_date
        if ad is None or ad.origin != "dateline" or ad.start is None or ad.end is None:
            return
        ref = ad.date
        body = [e for e in doc.dates if not e.in_dateline]
        current = [e for e in body if e.kind == "date" and e.is_day and e.first is not None
                   and abs((e.first - ref).days) <= self.max_gap]
        if not current or any(abs((e.first - ref).days) < self.min_gap for e in current if e.first):
            return
        recency = [e for e in body if (e.kind == "relative" and e.modifier in self.modifiers
                                       and e.granularity in self.units)
                   or (self.options["weekday_counts"] and e.kind == "weekday" and not e.modifier)]
        if len(recency) < self.min_recency:
            return
        # The side of the dateline most explicit dates are on; the gap to the nearest of them.
        before = [e for e in current if e.first and e.first < ref]
        after = [e for e in current if e not in before]
        side = before if len(before) >= len(after) else after
        nearest = min(side, key=lambda e: abs((e.first - ref).days) if e.first else 0)
        gap = abs((ref - nearest.first).days) if nearest.first else 0
        evidence = sorted(side + recency, key=lambda e: e.start)[: self.options["max_related"]]
        yield doc.finding(
            self.spec, ad.start, ad.end, related=[(e.start, e.end) for e in evidence], confidence=0.8,
            date=_fmt(ref), gap_days=str(gap), gap_months=str(round(gap / 30.4)),
            direction="after" if side is before else "before", evidence=nearest.text)


class EventConflict(_DateCheck):
    """One event given two different days: "the meeting on Wednesday" ... "Tuesday's meeting"."""

    OPTIONS = {"events": Option(list, required=True, help="nouns for events that happen once in a story")}

    def __init__(self, spec: RuleSpec, context: RuleContext | None = None) -> None:
        super().__init__(spec, context)
        self.events = set(_strings(spec, "events", self.options["events"]))

    def run(self, doc: Document) -> Iterator[Finding]:
        first_seen: dict[str, DateExpr] = {}
        for e in doc.dates:
            if e.in_dateline or not e.event or e.event not in self.events or e.event_modified:
                continue
            if e.kind not in ("date", "weekday") or e.modifier:
                continue
            prior = first_seen.get(e.event)
            if prior is None:
                first_seen[e.event] = e
                continue
            pw, ew = _weekday_named(prior), _weekday_named(e)
            if prior.kind == "date" and e.kind == "date" and prior.is_day and e.is_day:
                differ = prior.first != e.first     # "the March 3 vote" ... "the vote on March 10"
            elif pw is not None and ew is not None:
                differ = pw != ew
            else:
                differ = False
            if differ:
                yield doc.finding(self.spec, e.start, e.end, related=[(prior.start, prior.end)], confidence=0.6,
                                  event=e.event, other=prior.text)


def _weekday_named(e: DateExpr) -> int | None:
    """The weekday an expression names or, for a resolved day, falls on."""
    if e.weekday is not None:
        return e.weekday
    if e.kind == "date" and e.is_day and e.first is not None:
        return e.first.weekday()
    return None


class TenseConflict(_DateCheck):
    """A dated event in the wrong tense for the article date: "will visit on July 3" in a July 12 story."""

    OPTIONS = {
        "window_days": Option(int, 31, help="explicit dates farther than this from the article date are not "
                                            "judged (another year, or a wrong article date, may be meant)"),
        "written_year_window_days": Option(int, 366, help="the same for a date with its year written"),
        "schedule_verbs": Option(list, required=True, help="past-tense verbs that date a future event"),
        "future_phrases": Option(list, required=True, help="relative phrases that lie after the article date"),
        "past_phrases": Option(list, required=True, help="relative phrases that lie before the article date"),
    }

    def __init__(self, spec: RuleSpec, context: RuleContext | None = None) -> None:
        super().__init__(spec, context)
        self.window = _non_negative(spec, "window_days", self.options["window_days"])
        self.written_window = _non_negative(spec, "written_year_window_days",
                                            self.options["written_year_window_days"])
        self.schedule = set(_strings(spec, "schedule_verbs", self.options["schedule_verbs"]))
        self.future = set(_strings(spec, "future_phrases", self.options["future_phrases"]))
        self.past = set(_strings(spec, "past_phrases", self.options["past_phrases"]))

    def run(self, doc: Document) -> Iterator[Finding]:
        layer = doc.dates
        ref = layer.article_date
        if ref is None:
            return
        for e in layer:
            if e.in_dateline or e.tense not in ("past", "future") or not e.resolved or e.verb is None:
                continue
            if e.verb_lemma in self.schedule:
                continue
            assert e.first is not None and e.last is not None
            phrase = " ".join(e.text.lower().split())
            if e.kind == "relative":
                # "later this month" starts on the article date, "earlier this month" ends on it.
                after = phrase in self.future and e.first >= ref
                before = phrase in self.past and e.last <= ref
            elif e.kind == "weekday" and e.modifier in ("next", "last"):
                after, before = e.modifier == "next", e.modifier == "last"   # "agreed next Sunday"
            elif e.kind == "date" and e.granularity == "day" and abs((e.first - ref).days) <= (
                    self.window if e.year_inferred else self.written_window):
                # A year-less date already took the side its tense points to when a reader
                # would (checker/document/dates.py infer_year): here it lies on the other side.
                after, before = e.first > ref, e.last < ref
            else:
                continue
            if (after and e.tense == "past") or (before and e.tense == "future"):
                vs, ve = e.verb
                yield doc.finding(self.spec, e.start, e.end, related=[(vs, ve)], confidence=0.75,
                                  tense=e.tense, verb=doc.text[vs:ve], date=_fmt_interval(e.first, e.last),
                                  relation="after" if after else "before", article=_fmt(ref))
