"""Generic rule types a newsroom writes in YAML: existence, substitution, consistency."""
from __future__ import annotations

import time
import weakref
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import regex

from checker.checks.base import Check, RuleContext
from checker.checks.scope import regions
from checker.rules import Option, RuleSpec

if TYPE_CHECKING:
    from checker.document import Document
    from checker.finding import Finding

# A user's pattern gets this long on one article (all its regions together) before it is
# abandoned: catastrophic backtracking must not hang a CI run.
REGEX_TIMEOUT_S = 1.0


class RuleTimeout(Exception):
    """A rule's regular expression ran too long on one input."""


def compile_pattern(spec: RuleSpec, field: str, pattern: str, ignorecase: bool) -> regex.Pattern[str]:
    try:
        return regex.compile(pattern, regex.IGNORECASE if ignorecase else 0)
    except regex.error as exc:
        raise spec.error(field, f"has an invalid regular expression {pattern!r}: {exc}") from None


def word_pattern(phrase: str) -> str:
    """A literal phrase as a regex matching whole words, any run of whitespace between them."""
    words = [regex.escape(w) for w in phrase.split()]
    body = r"\s+".join(words)
    left = r"(?<!\w)" if phrase[:1].isalnum() else ""
    right = r"(?!\w)" if phrase[-1:].isalnum() else ""
    return f"{left}{body}{right}"


# Seconds each rule has spent matching on each file; weak keys, so a file's entry goes with it.
_spent: weakref.WeakKeyDictionary[Any, dict[str, float]] = weakref.WeakKeyDictionary()


def finditer(spec: RuleSpec, pattern: regex.Pattern[str], text: str, start: int, end: int,
             source: Any = None) -> Iterator[Any]:
    """Matches of ``pattern`` in ``text[start:end]``, within the rule's time budget for the file.

    The budget (REGEX_TIMEOUT_S) is per rule and per file (``source``, shared by the pieces of
    a long file), not per region: 60 paragraphs that each take 0.7 s must not run 42 s with
    no word (issue 13).
    """
    spent = _spent.setdefault(source, {}) if source is not None else {}
    used = spent.get(spec.id, 0.0)
    if used >= REGEX_TIMEOUT_S:
        raise _timeout(spec, pattern)
    matches = pattern.finditer(text, start, end, timeout=REGEX_TIMEOUT_S - used)
    while True:
        began = time.perf_counter()
        try:
            match = next(matches)
        except StopIteration:
            return
        except TimeoutError:
            raise _timeout(spec, pattern) from None
        finally:
            used += time.perf_counter() - began
            spent[spec.id] = used
        if used > REGEX_TIMEOUT_S:
            raise _timeout(spec, pattern)
        yield match


def _timeout(spec: RuleSpec, pattern: regex.Pattern[str]) -> RuleTimeout:
    return RuleTimeout(f"{spec.path}:{spec.line}: rule {spec.id}: pattern {pattern.pattern!r} "
                       f"ran over {REGEX_TIMEOUT_S:g} s on this file and was stopped")


def _strings(spec: RuleSpec, field: str, value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise spec.error(field, "must be a list of non-empty strings")
    return list(value)


class Existence(Check):
    """Flag every occurrence of listed words, phrases or regular expressions."""

    OPTIONS = {
        "tokens": Option(list, [], help="words or phrases, matched as whole words"),
        "patterns": Option(list, [], help="regular expressions"),
        "ignorecase": Option(bool, False),
        "exceptions": Option(list, [], help="matched text that is never flagged"),
        "suggestion": Option(str, None, help="what to write instead, if anything"),
    }

    def __init__(self, spec: RuleSpec, context: RuleContext | None = None) -> None:
        super().__init__(spec, context)
        ic = bool(self.options["ignorecase"])
        tokens = _strings(spec, "tokens", self.options["tokens"])
        patterns = _strings(spec, "patterns", self.options["patterns"])
        if not tokens and not patterns:
            raise spec.error("tokens", "an existence rule needs 'tokens' or 'patterns'")
        self.patterns = [compile_pattern(spec, "tokens", word_pattern(t), ic) for t in tokens]
        self.patterns += [compile_pattern(spec, "patterns", p, ic) for p in patterns]
        exceptions = _strings(spec, "exceptions", self.options["exceptions"])
        self.exceptions = {e.lower() if ic else e for e in exceptions}
        self.ignorecase = ic

    def run(self, doc: Document) -> Iterator[Finding]:
        seen: set[tuple[int, int]] = set()
        for a, b in regions(doc, self.spec.scope):
            for pattern in self.patterns:
                for m in finditer(self.spec, pattern, doc.text, a, b, doc.source):
                    if m.end() == m.start() or (m.start(), m.end()) in seen:
                        continue
                    key = m.group(0).lower() if self.ignorecase else m.group(0)
                    if key in self.exceptions:
                        continue
                    seen.add((m.start(), m.end()))
                    yield doc.finding(self.spec, m.start(), m.end(), suggestion=self.options["suggestion"],
                                      match=m.group(0))


def match_case(found: str, replacement: str) -> str:
    """Give the replacement the capitalisation of the text it replaces."""
    if found.isupper() and len(found) > 1:
        return replacement.upper()
    if found[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


class Substitution(Check):
    """Flag a wrong form and suggest the right one (case-aware)."""

    OPTIONS = {
        "swap": Option(dict, required=True, help="wrong form -> right form"),
        "ignorecase": Option(bool, True),
        "regex": Option(bool, False, help="treat the wrong forms as regular expressions"),
    }

    def __init__(self, spec: RuleSpec, context: RuleContext | None = None) -> None:
        super().__init__(spec, context)
        swap = self.options["swap"]
        if not swap:
            raise spec.error("swap", "must map at least one wrong form to a right form")
        self.pairs = []
        for wrong, right in swap.items():
            if not isinstance(wrong, str) or not isinstance(right, str) or not wrong:
                raise spec.error("swap", f"entries must be 'wrong: right' strings (got {wrong!r}: {right!r})")
            source = wrong if self.options["regex"] else word_pattern(wrong)
            self.pairs.append((compile_pattern(spec, "swap", source, self.options["ignorecase"]), right))

    def run(self, doc: Document) -> Iterator[Finding]:
        for a, b in regions(doc, self.spec.scope):
            for pattern, right in self.pairs:
                for m in finditer(self.spec, pattern, doc.text, a, b, doc.source):
                    found = m.group(0)
                    suggestion = m.expand(right) if self.options["regex"] else match_case(found, right)
                    if found == suggestion:
                        continue
                    yield doc.finding(self.spec, m.start(), m.end(), suggestion=suggestion, match=found)


class Consistency(Check):
    """Either form, never both: flag the less used one (on a tie, the one that came second)."""

    OPTIONS = {
        "either": Option(list, required=True, help="groups of interchangeable forms"),
        "ignorecase": Option(bool, False),
    }

    def __init__(self, spec: RuleSpec, context: RuleContext | None = None) -> None:
        super().__init__(spec, context)
        self.groups = []
        for group in self.options["either"]:
            if not isinstance(group, list) or len(group) < 2 or not all(isinstance(g, str) and g for g in group):
                raise spec.error("either", f"each group must list two or more forms (got {group!r})")
            self.groups.append([(form, compile_pattern(spec, "either", word_pattern(form), self.options["ignorecase"]))
                                for form in group])

    def run(self, doc: Document) -> Iterator[Finding]:
        spans = regions(doc, self.spec.scope)
        for group in self.groups:
            hits: dict[str, list[tuple[int, int]]] = {}
            for form, pattern in group:
                for a, b in spans:
                    hits.setdefault(form, []).extend((m.start(), m.end()) for m in finditer(self.spec, pattern, doc.text, a, b, doc.source))
            used = [(form, h) for form, h in hits.items() if h]
            if len(used) < 2:
                continue
            # The majority form wins; on a tie the form used first.
            used.sort(key=lambda item: (-len(item[1]), item[1][0][0]))
            keep_form, keep_hits = used[0]
            for _form, form_hits in used[1:]:
                for start, end in form_hits:
                    yield doc.finding(self.spec, start, end, suggestion=keep_form, related=keep_hits[:3],
                                      match=doc.text[start:end], other=keep_form)
