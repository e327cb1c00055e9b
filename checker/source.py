"""SourceFile: a decoded article and the map from offsets to lines and columns."""
from __future__ import annotations

import bisect
import codecs
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from checker.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Control characters other than tab, newline, carriage return and form feed mark a binary file.
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class SourceFile:
    """The decoded text of one file; offsets everywhere are code-point offsets into ``text``."""

    path: str
    text: str
    encoding: str = "utf-8"
    warnings: tuple[str, ...] = ()
    _line_starts: list[int] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        starts = [0]
        starts.extend(m.end() for m in _LINE_BREAK.finditer(self.text))
        object.__setattr__(self, "_line_starts", starts)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a code-point offset."""
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line without its line break."""
        start = self._line_starts[line - 1]
        end = self._line_starts[line] if line < len(self._line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    @property
    def line_count(self) -> int:
        return len(self._line_starts)


def decode(path: str, data: bytes) -> SourceFile:
    """Decode bytes the way an editor would: BOM, then UTF-8, then cp1252 with a warning."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return SourceFile(path, data[len(bom):].decode(encoding), encoding + " (BOM)")
            except UnicodeDecodeError as exc:
                raise InputError(path, f"not valid {encoding} despite its byte-order mark (byte {exc.start + len(bom)})") from None
    if _BINARY.search(data[:8192]) or b"\x00" in data:
        raise InputError(path, "binary file, not an article (it contains control bytes)")
    try:
        return SourceFile(path, data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        line = data.count(b"\n", 0, first_bad) + 1
        return SourceFile(path, text, encoding,
                          (f"not UTF-8 (first bad byte on line {line}); decoded as {encoding}",))
    raise InputError(path, "cannot decode the file")  # pragma: no cover - latin-1 decodes anything


@contextmanager
def input_errors(path: str) -> Iterator[None]:
    """Turn the OS's reasons for not reading ``path`` into one-line InputErrors naming it."""
    try:
        yield
    except FileNotFoundError:
        raise InputError(path, "no such file or directory") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory") from None
    except PermissionError:
        raise InputError(path, "permission denied: cannot read the file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read the file: {exc.strerror or exc}") from None


def too_large(path: str, size: int | None) -> None:
    if size is not None and size > MAX_BYTES:
        raise InputError(path, f"file is {size // (1024 * 1024)} MB; copydesk checks files up to {MAX_BYTES // (1024 * 1024)} MB")


def read_bytes(path: str) -> bytes:
    """The bytes of one local article; every failure becomes an InputError naming the file
    (``check`` and the workers of ``copydesk audit`` both read through here)."""
    with input_errors(path):
        too_large(path, os.path.getsize(path))
        with open(path, "rb") as handle:
            return handle.read()


def read_source(path: str) -> SourceFile:
    """Read and decode one article; every failure becomes an InputError naming the file."""
    source = decode(path, read_bytes(path))
    if not source.text.strip():
        raise InputError(path, "empty file: nothing to check")
    return source
