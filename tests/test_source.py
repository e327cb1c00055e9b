"""Decoding and the offset -> line/column map: every encoding users send, exact offsets."""
from __future__ import annotations

import codecs

import pytest

from checker.errors import InputError
from checker.source import SourceFile, decode, read_source


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (b"Ratner said.", "Ratner said.", "utf-8"),
        (codecs.BOM_UTF8 + b"Ratner said.", "Ratner said.", "utf-8 (BOM)"),
        (codecs.BOM_UTF16_LE + "Kahl sagte: „Ja“.".encode("utf-16-le"), "Kahl sagte: „Ja“.", "utf-16-le (BOM)"),
        (codecs.BOM_UTF16_BE + "Meiners".encode("utf-16-be"), "Meiners", "utf-16-be (BOM)"),
        ("Café Müller".encode("latin-1"), "Café Müller", "cp1252"),
        ("“Quoted” – dash".encode("cp1252"), "“Quoted” – dash", "cp1252"),
    ],
)
def test_decode(data: bytes, text: str, encoding: str) -> None:
    source = decode("a.txt", data)
    assert source.text == text
    assert source.encoding == encoding


def test_non_utf8_is_decoded_with_a_warning_naming_the_line() -> None:
    source = decode("a.txt", b"line one\nline two caf\xe9\n")
    assert source.warnings and "line 2" in source.warnings[0] and "cp1252" in source.warnings[0]


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"%PDF-1.4\n\x00\x01\x02", b"abc\x00def"])
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(InputError, match="binary file"):
        decode("x.txt", data)


@pytest.mark.parametrize("content", [b"", b"   \n\n\t  \n"])
def test_empty_file_is_an_input_error(tmp_path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match="empty file"):
        read_source(str(path))


def test_missing_and_directory(tmp_path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_source(str(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="directory"):
        read_source(str(tmp_path))


@pytest.mark.parametrize(
    ("text", "offset", "position"),
    [
        ("a\nb\nc", 4, (3, 1)),
        ("a\r\nb\r\nc", 6, (3, 1)),     # CRLF: offsets count both characters
        ("a\rb\rc", 4, (3, 1)),         # lone CR ends a line too
        ("😀 Kahl", 2, (1, 3)),        # columns count code points, not UTF-16 units or bytes
        ("first\n\nthird", 7, (3, 1)),
    ],
)
def test_positions(text: str, offset: int, position: tuple[int, int]) -> None:
    assert SourceFile("x", text).position(offset) == position


def test_line_text_strips_line_break() -> None:
    source = SourceFile("x", "one\r\ntwo\r\n")
    assert source.line_text(1) == "one"
    assert source.line_text(2) == "two"
