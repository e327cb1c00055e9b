"""The one table of check types: rule ``type:`` in a pack -> the class that runs it."""
from __future__ import annotations

import importlib
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checker.checks.base import Check
    from checker.rules import Option

# Imported lazily so that a run loads only the checks it uses (cold start matters for
# pre-commit). Keep sorted by family; a type listed twice is a bug caught by the tests.
CHECK_TYPES: dict[str, str] = {
    # generic, in the spirit of Vale
    "existence": "checker.checks.generic:Existence",
    "substitution": "checker.checks.generic:Substitution",
    "consistency": "checker.checks.generic:Consistency",
    # boilerplate
    "furniture": "checker.checks.boilerplate:Furniture",
    "repeated_headline": "checker.checks.boilerplate:RepeatedHeadline",
    "section_line": "checker.checks.boilerplate:SectionLine",
    # dates
    "weekday_mismatch": "checker.checks.dates:WeekdayMismatch",
    "impossible_date": "checker.checks.dates:ImpossibleDate",
    "relative_conflict": "checker.checks.dates:RelativeConflict",
    "stale_dateline": "checker.checks.dates:StaleDateline",
    "event_conflict": "checker.checks.dates:EventConflict",
    "tense_conflict": "checker.checks.dates:TenseConflict",
    # names and style sheets
    "names_variant": "checker.checks.names:NameVariant",
    "stylesheet_name": "checker.checks.stylesheet:StylesheetName",
    "stylesheet_title": "checker.checks.stylesheet:StylesheetTitle",
    "stylesheet_term": "checker.checks.stylesheet:StylesheetTerm",
    # coherence
    "non_sequitur": "checker.checks.coherence:NonSequitur",
    # archive: made by 'copydesk audit' across an archive (checker/archive.py)
    "archive_spelling": "checker.checks.archive:ArchiveSpelling",
    # copydesk's own: bad and unused suppression comments (made in Engine.postprocess)
    "suppression": "checker.checks.suppression:SuppressionFinding",
}


def rule_types() -> list[str]:
    return sorted(CHECK_TYPES)


@cache
def check_class(rule_type: str) -> type[Check]:
    module_name, _, class_name = CHECK_TYPES[rule_type].partition(":")
    module = importlib.import_module(module_name)
    cls: type[Check] = getattr(module, class_name)
    return cls


def option_table(rule_type: str) -> Mapping[str, Option] | None:
    if rule_type not in CHECK_TYPES:
        return None
    return check_class(rule_type).OPTIONS
