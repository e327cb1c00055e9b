"""The Check base class: a pure function of (rule spec, annotated document) to findings."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from checker.rules import Option, RuleSpec

if TYPE_CHECKING:
    from checker.document import Document
    from checker.finding import Finding


class RuleContext:
    """What a check may need beyond its own spec, loaded once by the engine (style sheets)."""

    def __init__(self, stylesheets: tuple[Any, ...] = ()) -> None:
        self.stylesheets = stylesheets


class Check:
    """Subclasses declare OPTIONS (their rule fields) and NEEDS (spaCy components).

    ``__init__`` validates and compiles the options (raising ``spec.error(field, ...)``);
    ``run`` yields findings and never prints, reads files or looks up configuration.
    """

    OPTIONS: ClassVar[Mapping[str, Option]] = {}
    # spaCy components the check reads: any of "tagger", "parser", "ner", "lemmatizer", or
    # "sentences" for sentence boundaries alone. A rule set that needs none skips spaCy.
    NEEDS: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, spec: RuleSpec, context: RuleContext | None = None) -> None:
        self.spec = spec
        self.options = spec.options
        self.context = context or RuleContext()

    @property
    def needs(self) -> frozenset[str]:
        """What this rule reads: its type's NEEDS, plus sentences when its scope is 'sentence'."""
        return self.NEEDS | {"sentences"} if self.spec.scope == "sentence" else self.NEEDS

    def run(self, doc: Document) -> Iterator[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError
        yield
