"""copydesk: editorial QA for news articles. Public API: check_paths, check_text, Finding, Severity."""
from __future__ import annotations

__version__ = "0.1.0"

from checker.finding import Confidence, Finding, Related, Severity  # noqa: E402


def check_paths(*args, **kwargs):  # type: ignore[no-untyped-def]
    """Check files and folders; see checker.engine.check_paths."""
    from checker.engine import check_paths as run

    return run(*args, **kwargs)


def check_text(*args, **kwargs):  # type: ignore[no-untyped-def]
    """Check a string; see checker.engine.check_text."""
    from checker.engine import check_text as run

    return run(*args, **kwargs)


__all__ = ["Confidence", "Finding", "Related", "Severity", "check_paths", "check_text", "__version__"]
