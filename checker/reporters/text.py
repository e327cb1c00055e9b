"""Compiler-style text: path:line:col: severity rule message, the line, a caret underline."""
from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from checker.reporters.common import printable

if TYPE_CHECKING:
    from checker.engine import RunResult

_COLOURS = {"error": "\033[1;31m", "warning": "\033[1;33m", "info": "\033[1;36m"}
_RESET, _BOLD, _DIM, _GREEN = "\033[0m", "\033[1m", "\033[2m", "\033[32m"


def _width(text: str) -> int:
    """Terminal cells: wide East Asian characters take two, combining marks none."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def render(result: RunResult, *, colour: bool = False, quiet: bool = False, **_: object) -> str:
    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    out: list[str] = []
    counts = {"error": 0, "warning": 0, "info": 0}
    for file in result.files:
        name = printable(file.path)  # a file name never sends escapes or line breaks to the terminal
        for warning in file.warnings:
            out.append(f"{name}: note: {warning}")
        if file.source is None:
            continue
        for f in file.findings:
            sev = str(f.severity)
            counts[sev] += 1
            line, col = file.source.position(f.start)
            head = (f"{paint(_BOLD, name)}:{line}:{col}: {paint(_COLOURS[sev], sev)} "
                    f"{paint(_DIM, f.rule)} {f.message}")
            if f.confidence.name != "HIGH":
                head += paint(_DIM, f" [confidence: {f.confidence}]")
            out.append(head)
            if quiet:
                continue
            text = file.source.line_text(line)
            end_line, end_col = file.source.position(f.end)
            stop = end_col if end_line == line else len(text) + 1
            shown = text.replace("\t", " ")
            out.append(f"    {shown}")
            pad = _width(shown[:col - 1])
            out.append("    " + " " * pad + paint(_COLOURS[sev], "^" * max(1, _width(shown[col - 1:stop - 1]))))
            if f.suggestion:
                out.append(f"    {paint(_GREEN, 'suggestion:')} {f.suggestion}")
            for rel in f.related[:4]:
                rline, rcol = file.source.position(rel.start)
                note = f" ({rel.message})" if rel.message else ""
                out.append(paint(_DIM, f"    related: {name}:{rline}:{rcol}: '{rel.text}'{note}"))
    for path, message in result.errors:
        out.append(f"{printable(path)}: {paint(_COLOURS['error'], 'error:')} {message}")
    checked = sum(1 for f in result.files if f.source is not None)
    total = sum(counts.values())
    summary = (f"{total} finding{'s' if total != 1 else ''} ({counts['error']} errors, {counts['warning']} warnings, "
               f"{counts['info']} info) in {checked} file{'s' if checked != 1 else ''}")
    if result.errors:
        summary += f"; {len(result.errors)} file{'s' if len(result.errors) != 1 else ''} not checked"
    out.append(paint(_BOLD, summary))
    return "\n".join(out) + "\n"
