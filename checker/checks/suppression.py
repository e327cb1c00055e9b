"""The rule type of copydesk's own suppression findings, which the engine makes, not a check."""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from checker.checks.base import Check

if TYPE_CHECKING:
    from checker.document import Document
    from checker.finding import Finding


class SuppressionFinding(Check):
    """``copydesk.bad_suppression`` / ``copydesk.unused_suppression``.

    Whether a suppression was used is only known after every check has run, so these
    findings come from ``checker.suppress`` in ``Engine.postprocess`` (as ruff's RUF100
    comes from its noqa pass). The rule still lives in a pack so that its message,
    description, level and on/off state are configured and documented like any other.
    """

    def run(self, doc: Document) -> Iterator[Finding]:
        return iter(())
