"""Immutable finding records passed from checks to reporters."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field

CATEGORIES = ("name", "date", "non-sequitur", "boilerplate", "style-sheet", "other")


class Severity(enum.IntEnum):
    """How serious a finding is; ordered so that ``>=`` compares with ``--fail-on``."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: str) -> Severity:
        return cls[value.upper()]

    def __str__(self) -> str:
        return self.name.lower()


class Confidence(enum.IntEnum):
    """How sure a check is, independent of severity (as pylint's Confidence)."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3

    @classmethod
    def parse(cls, value: str) -> Confidence:
        return cls[value.upper()]

    @classmethod
    def from_score(cls, score: float) -> Confidence:
        """Map a 0..1 evidence score to a level: >= 0.8 high, >= 0.5 medium."""
        if score >= 0.8:
            return cls.HIGH
        if score >= 0.5:
            return cls.MEDIUM
        return cls.LOW

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Related:
    """Another span that explains a finding (other spellings, the conflicting date)."""

    start: int
    end: int
    text: str
    message: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: ``[start, end)`` are offsets into the decoded source file text."""

    rule: str
    category: str
    severity: Severity
    start: int
    end: int
    text: str
    message: str
    suggestion: str | None = None
    confidence: Confidence = Confidence.HIGH
    related: tuple[Related, ...] = field(default=())
    # Extra machine-readable data for reporters (name clusters, resolved dates).
    data: tuple[tuple[str, str], ...] = field(default=())

    def sort_key(self) -> tuple[int, int, str, str]:
        return (self.start, self.end, self.rule, self.message)
