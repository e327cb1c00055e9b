"""The rule type of ``archive.*`` findings, which ``copydesk audit`` makes across an archive, not a check."""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from checker.checks.base import Check
from checker.rules import Option

if TYPE_CHECKING:
    from checker.document import Document
    from checker.finding import Finding


class ArchiveSpelling(Check):
    """``archive.spelling``: an article that spells a person otherwise than most of the archive.

    One article cannot know how its archive spells a person, so the findings come from the
    reduction in ``checker.archive`` after ``copydesk audit`` has read every article. The
    rule lives in a pack so that its message, level, thresholds and on/off state are
    configured and documented like any other (``copydesk rules``, ``copydesk explain``).
    """

    OPTIONS = {
        "min_articles": Option(int, 3, help="the usual spelling must be in at least this many articles"),
        "max_share": Option(float, 0.25, help="a spelling is flagged when it is in at most this share of "
                                              "the articles that use the usual one"),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if self.options["min_articles"] < 1:
            raise self.spec.error("min_articles", "must be at least 1")
        if not 0 < self.options["max_share"] < 1:
            raise self.spec.error("max_share", "must be between 0 and 1")

    def run(self, doc: Document) -> Iterator[Finding]:
        return iter(())
