"""The one table of output formats: ``--format NAME`` -> the function that renders a run."""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checker.engine import RunResult

    Reporter = Callable[..., str]

REPORTERS: dict[str, str] = {
    "text": "checker.reporters.text:render",
    "json": "checker.reporters.json:render",
    "sarif": "checker.reporters.sarif:render",
    "github": "checker.reporters.github:render",
    "rdjson": "checker.reporters.rdjson:render",
    "junit": "checker.reporters.junit:render",
    "html": "checker.reporters.html:render",
}


def formats() -> list[str]:
    return sorted(REPORTERS)


def get_reporter(name: str) -> Reporter:
    module_name, _, func = REPORTERS[name].partition(":")
    return getattr(importlib.import_module(module_name), func)  # type: ignore[no-any-return]


def render(name: str, result: RunResult, **options: object) -> str:
    return get_reporter(name)(result, **options)
