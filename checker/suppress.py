"""Inline suppression: ``<!-- copydesk: ... -->`` comments and front matter turn findings off.

The Markdown and HTML loaders record every ``<!-- copydesk: ... -->`` comment in
``Document.directives`` as ``(source_start, source_end, body)`` and front matter
``copydesk: {disable: [...]}`` in ``Document.metadata["copydesk"]``; this module reads those
records after the checks have run (``Engine.postprocess``):

* ``disable=RULES`` ... ``enable`` (or ``enable=RULES``): no findings of RULES in between;
  a ``disable`` without its ``enable`` runs to the end of the file;
* ``ignore-next-line=RULES reason="..."``: no findings of RULES starting on the next line
  that is not blank and not itself made of directives (so several can be stacked);
* front matter ``copydesk: {disable: [RULES]}``: none in the whole article.

RULES is a comma-separated list of rule ids, families (``names``) or ``all``; leaving it
out means ``all``. A directive that cannot be understood is a finding of
``copydesk.bad_suppression`` (never a crash), and one that suppressed nothing is a finding
of ``copydesk.unused_suppression`` when that rule is on (``--report-unused-suppressions``),
as ruff does with RUF100 and ESLint with ``--report-unused-disable-directives``. Both are
made here rather than by a check because only this step knows what was suppressed.
Plain text has no comments: it uses ``per_path`` in copydesk.yaml instead.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from checker.finding import Finding

if TYPE_CHECKING:
    from checker.config import Config
    from checker.document import Document
    from checker.rules import RuleSpec

BAD = "copydesk.bad_suppression"
UNUSED = "copydesk.unused_suppression"
COMMANDS = ("disable", "enable", "ignore-next-line")
FRONT_MATTER_KEYS = ("disable",)

_PREFIX = re.compile(r"^\s*copydesk\s*:\s*", re.IGNORECASE)
_DIRECTIVE = re.compile(
    r"""^(?P<command>[A-Za-z][\w-]*)
        (?:(?:\s*=\s*|\s+)(?P<rules>[^\s,"=]+(?:\s*,\s*[^\s,"=]+)*))?
        (?:\s+reason\s*=\s*"(?P<reason>[^"]*)")?
        \s*$""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Directive:
    """One understood suppression: what it covers and where it was written (source offsets)."""

    command: str
    selectors: tuple[str, ...]  # rule ids, families or "all"
    start: int
    end: int
    reason: str = ""


@dataclass
class _Scope:
    """Where one selector of a directive applies: a source span, one source line, or the file."""

    directive: Directive
    selector: str
    start: int = 0
    end: int = 0
    line: int | None = None
    # Narrower 'enable=RULE' inside a wider 'disable': (selector, source offset it starts at).
    reenabled: list[tuple[str, int]] = field(default_factory=list)
    used: bool = False

    def covers(self, finding: Finding, line_of: Any) -> bool:
        if self.line is not None:
            if line_of(finding.start) != self.line:
                return False
        elif not self.start <= finding.start < self.end:
            return False
        if not selector_matches(self.selector, finding.rule):
            return False
        return not any(finding.start >= at and selector_matches(sel, finding.rule) for sel, at in self.reenabled)


def selector_matches(selector: str, rule_id: str) -> bool:
    """``all``, the rule's id, or its family (``names`` / ``names.*``)."""
    selector = selector.rstrip(".*") if selector.endswith(".*") else selector
    return selector == "all" or selector == rule_id or rule_id.startswith(selector + ".")


@dataclass
class Parsed:
    """The directives of one document and the problems found while reading them."""

    directives: list[Directive] = field(default_factory=list)
    problems: list[tuple[int, int, str]] = field(default_factory=list)  # source span, message


def _unknown(selectors: Iterable[str], known: Iterable[str]) -> list[str]:
    known = set(known)
    families = {k.split(".", 1)[0] for k in known}
    out = []
    for selector in selectors:
        bare = selector[:-2] if selector.endswith(".*") else selector
        if bare != "all" and bare not in known and bare not in families:
            out.append(selector)
    return out


def _hint(selector: str, known: Iterable[str]) -> str:
    known = sorted(set(known) | {k.split(".", 1)[0] for k in known})
    close = difflib.get_close_matches(selector, known, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def parse_directive(body: str) -> tuple[str, tuple[str, ...], str] | str:
    """``(command, selectors, reason)`` from a comment body, or a message saying what is wrong."""
    text = _PREFIX.sub("", body, count=1).strip()
    match = _DIRECTIVE.match(text)
    if not match:
        return (f"cannot read suppression {text!r}; write 'disable=RULES', 'enable' or "
                f"'ignore-next-line=RULES reason=\"...\"'")
    command = match["command"].lower()
    if command not in COMMANDS:
        close = difflib.get_close_matches(command, COMMANDS, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f"; valid: {', '.join(COMMANDS)}"
        return f"unknown suppression command {command!r}{hint}"
    rules = match["rules"]
    selectors = tuple(s.strip() for s in rules.split(",")) if rules else ("all",)
    if match["reason"] is not None and command == "enable":
        return "'enable' takes no reason"
    return command, selectors, match["reason"] or ""


def parse_document(doc: Document, known: Iterable[str]) -> Parsed:
    """Read the loader's directive records and front matter into Directives and problems."""
    known = list(known)
    parsed = Parsed()
    for record in sorted(doc.directives, key=lambda r: (r[0], r[1])):
        start, end, body = int(record[0]), int(record[1]), str(record[2])
        result = parse_directive(body)
        if isinstance(result, str):
            parsed.problems.append((start, end, result))
            continue
        command, selectors, reason = result
        unknown = _unknown(selectors, known)
        for selector in unknown:
            parsed.problems.append((start, end, f"{selector!r} names no known rule or family{_hint(selector, known)}"))
        selectors = tuple(s for s in selectors if s not in unknown)
        if selectors:
            parsed.directives.append(Directive(command, selectors, start, end, reason))
    front = doc.metadata.get("copydesk") if isinstance(doc.metadata, Mapping) else None
    if front is not None:
        start, end = _front_matter_span(doc)
        if not isinstance(front, Mapping):
            parsed.problems.append((start, end, "front matter 'copydesk' must be a mapping such as "
                                                "{disable: [names.variant]}"))
            return parsed
        for key in front:
            if key not in FRONT_MATTER_KEYS:
                parsed.problems.append((start, end, f"front matter 'copydesk.{key}' is not a known key; "
                                                    f"valid: {', '.join(FRONT_MATTER_KEYS)}"))
        value = front.get("disable", [])
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            parsed.problems.append((start, end, "front matter 'copydesk.disable' must be a list of rule ids"))
            return parsed
        unknown = _unknown(value, known)
        for selector in unknown:
            parsed.problems.append((start, end, f"front matter disables {selector!r}, which names no known "
                                                f"rule or family{_hint(selector, known)}"))
        selectors = tuple(v for v in value if v not in unknown)
        if selectors:
            parsed.directives.append(Directive("front-matter", selectors, start, end))
    return parsed


def _front_matter_span(doc: Document) -> tuple[int, int]:
    """Where front matter problems point: the loader's span if it gave one, else line 1."""
    span = doc.metadata.get("copydesk_span") or doc.metadata.get("front_matter_span")
    if isinstance(span, (tuple, list)) and len(span) == 2:
        return int(span[0]), int(span[1])
    first = doc.source.line_text(1)
    return 0, len(first)


def _directive_lines(doc: Document, directives: Iterable[tuple[int, int, Any]]) -> dict[int, list[tuple[int, int]]]:
    lines: dict[int, list[tuple[int, int]]] = {}
    for start, end, _ in directives:
        first, _ = doc.source.position(start)
        last, _ = doc.source.position(max(end - 1, start))
        for line in range(first, last + 1):
            lines.setdefault(line, []).append((start, end))
    return lines


def _next_line(doc: Document, end: int, directive_lines: Mapping[int, list[tuple[int, int]]]) -> int | None:
    """The first line after ``end`` with text that is not a directive."""
    source = doc.source
    line, _ = source.position(max(end - 1, 0))
    line += 1
    while line <= source.line_count:
        text = source.line_text(line)
        if text.strip():
            spans = directive_lines.get(line)
            if not spans:
                return line
            line_start = source.text.rfind("\n", 0, spans[0][0]) + 1
            rest = list(text)
            for a, b in spans:
                for i in range(max(a - line_start, 0), min(b - line_start, len(rest))):
                    rest[i] = " "
            if "".join(rest).strip():
                return line
        line += 1
    return None


def _covers_selector(wide: str, narrow: str) -> bool:
    """Whether selector ``wide`` includes everything selector ``narrow`` names."""
    wide, narrow = (x[:-2] if x.endswith(".*") else x for x in (wide, narrow))
    return wide == "all" or wide == narrow or narrow.startswith(wide + ".")


def scopes(doc: Document, parsed: Parsed) -> tuple[list[_Scope], list[tuple[int, int, str]]]:
    """Turn directives into the spans they cover; an ``enable`` with nothing open is a problem."""
    out: list[_Scope] = []
    problems: list[tuple[int, int, str]] = []
    open_: list[_Scope] = []
    directive_lines = _directive_lines(doc, doc.directives)
    end_of_file = len(doc.source.text)
    for directive in parsed.directives:
        if directive.command == "front-matter":
            out.extend(_Scope(directive, sel, 0, end_of_file) for sel in directive.selectors)
        elif directive.command == "disable":
            new = [_Scope(directive, sel, directive.end, end_of_file) for sel in directive.selectors]
            open_.extend(new)
            out.extend(new)
        elif directive.command == "ignore-next-line":
            line = _next_line(doc, directive.end, directive_lines)
            if line is None:
                problems.append((directive.start, directive.end, "'ignore-next-line' has no line after it"))
            else:
                out.extend(_Scope(directive, sel, line=line) for sel in directive.selectors)
        elif directive.command == "enable":
            matched = False
            for scope in list(open_):
                for wanted in directive.selectors:
                    if _covers_selector(wanted, scope.selector):
                        scope.end = directive.start
                        open_.remove(scope)
                        matched = True
                        break
                    if _covers_selector(scope.selector, wanted):
                        scope.reenabled.append((wanted, directive.start))
                        matched = True
            if not matched:
                wanted = ",".join(directive.selectors)
                problems.append((directive.start, directive.end,
                                 f"'enable={wanted}' has no 'disable' of it open before it"
                                 if wanted != "all" else "'enable' has no 'disable' open before it"))
    return out, problems


def apply_suppressions(doc: Document, findings: list[Finding], config: Config,
                       specs: Mapping[str, RuleSpec]) -> list[Finding]:
    """Drop suppressed findings; add findings for bad and (when on) unused suppressions."""
    if not doc.directives and "copydesk" not in doc.metadata:
        return findings
    parsed = parse_document(doc, specs)
    covered, problems = scopes(doc, parsed)

    def line_of(offset: int) -> int:
        return doc.source.position(offset)[0]

    kept: list[Finding] = []
    for finding in findings:
        suppressed = False
        for scope in covered:
            if scope.covers(finding, line_of):
                scope.used = True
                suppressed = True
        if not suppressed:
            kept.append(finding)

    extra: list[tuple[str, int, int, str]] = [(BAD, a, b, m) for a, b, m in parsed.problems + problems]
    active = [rule for rule, spec in specs.items() if config.rule_enabled(rule, spec.enabled)]
    idle: dict[Directive, list[str]] = {}
    for scope in covered:
        # A selector of rules that are all off in this run cannot be judged unused.
        if not scope.used and any(selector_matches(scope.selector, rule) for rule in active):
            idle.setdefault(scope.directive, []).append(scope.selector)
    for directive, selectors in idle.items():
        what = "front matter 'copydesk.disable'" if directive.command == "front-matter" else f"'{directive.command}'"
        extra.append((UNUSED, directive.start, directive.end,
                      f"{what} of {', '.join(repr(s) for s in selectors)} suppressed nothing; remove it"))
    for rule, start, end, message in extra:
        spec = specs.get(rule)
        if spec is None or not config.rule_enabled(rule, spec.enabled):
            continue
        finding = Finding(rule=rule, category=spec.category, severity=config.severity_for(rule, spec.level),
                          start=start, end=end, text=doc.source.text[start:end],
                          message=spec.format_message(problem=message, text=doc.source.text[start:end]),
                          confidence=spec.confidence)
        if finding.confidence >= config.min_confidence:
            kept.append(finding)
    return sorted(set(kept), key=Finding.sort_key)


__all__ = ["BAD", "UNUSED", "Directive", "apply_suppressions", "parse_directive", "parse_document",
           "selector_matches"]
