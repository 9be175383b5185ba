"""Bytes → text for scraped Arabic archives: BOMs, UTF-16, cp1256, mojibake.

>>> decode("قافلة".encode("cp1256")).encoding
'cp1256'
"""

from __future__ import annotations

import codecs
import io
from pathlib import Path
from typing import NamedTuple

import ftfy
import regex
from charset_normalizer import from_bytes

from ..errors import ExtractError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Encodings an Arabic archive is realistically in, tried by the detector.
_CANDIDATES = ["utf_8", "cp1256", "iso8859_6", "utf_16", "cp720", "cp864"]
_ARABIC_LETTER = regex.compile(r"[\u0621-\u064A]")
# UTF-8 Arabic read as cp1256 turns every letter into a pair starting with ط or ظ
# (U+0637/U+0638) followed by a Latin-1 range or Arabic char.
_CP1256_MOJIBAKE = regex.compile(r"(?:[طظ][\u0080-\u00ff\u0600-\u06ff\u2000-\u203f]){3,}")


# UTF-8 with at most one invalid byte sequence per this many valid non-ASCII characters is
# read as UTF-8 with U+FFFD in place of the bad bytes (a stray byte, a cut multi-byte char).
_UTF8_CHARS_PER_BAD_BYTE = 10


class DecodeError(ExtractError, ValueError):
    """The bytes are not text in any encoding we can recognise."""


class Decoded(NamedTuple):
    """Decoded article text, the encoding it was read as, and what was repaired on the way."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode(data: bytes) -> Decoded:
    """Decode article bytes, or raise :class:`DecodeError`."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"starts with a {encoding} byte-order mark but does not decode: {exc.reason}") from exc
    utf16 = _utf16_without_bom(data)
    if utf16:
        return Decoded(*utf16)
    try:
        return Decoded(repair_mojibake(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError:
        pass
    damaged = _damaged_utf8(data)
    if damaged is not None:
        return damaged
    windows = _as_cp1256(data)
    if windows is not None:
        return Decoded(windows, "cp1256")
    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None or best.encoding is None:
        raise DecodeError("not valid UTF-8 and no Arabic encoding (cp1256, ISO-8859-6, UTF-16) fits")
    text = str(best)
    if "\x00" in text:
        raise DecodeError(f"binary content (NUL bytes) when read as {best.encoding}")
    return Decoded(text, best.encoding)


REPLACED = "text holds U+FFFD replacement characters (invalid UTF-8 bytes in the file, or damage upstream)"


def _damaged_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few invalid bytes: decoded with U+FFFD for each, and a warning saying so."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    if sum(ord(c) > 0x7F for c in text) - bad < _UTF8_CHARS_PER_BAD_BYTE * bad:
        return None
    return Decoded(text, "utf-8", (f"{bad} invalid UTF-8 byte sequence(s) replaced with U+FFFD",))


def escape_surrogates(text: str) -> str:
    r"""``text`` with lone surrogates (undecodable file-name bytes, broken JSON escapes) written as
    ``\udcff`` escapes, so it can be written as UTF-8.

    >>> escape_surrogates("a\udcffb")
    'a\\udcffb'
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", errors="backslashreplace").decode("utf-8")
    return text


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: most high bytes are 0x00 (ASCII) or 0x06 (Arabic)."""
    if len(data) < 4 or len(data) % 2:
        return None
    for encoding, high_bytes in (("utf-16-le", data[1::2]), ("utf-16-be", data[0::2])):
        # ASCII has 0x00 as its high byte, Arabic 0x06
        if high_bytes.count(0) + high_bytes.count(6) > 0.6 * len(high_bytes) and high_bytes.count(0) < len(high_bytes):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                continue
    return None


def _as_cp1256(data: bytes) -> str | None:
    """Windows Arabic, the usual non-UTF-8 encoding of Arabic archives: accepted when most of
    the letters it yields are Arabic (a statistical detector can miss short or odd texts)."""
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        return None
    letters = sum(c.isalpha() for c in text)
    if not letters or "\x00" in text or len(_ARABIC_LETTER.findall(text)) < 0.6 * letters:
        return None
    return text


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as cp1256 or Latin-1/cp1252 somewhere upstream.

    >>> repair_mojibake("قافلة".encode("utf-8").decode("cp1256"))
    'قافلة'
    """
    if _CP1256_MOJIBAKE.search(text):
        try:
            fixed = text.encode("cp1256").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            fixed = text
        if len(_ARABIC_LETTER.findall(fixed)) > len(_ARABIC_LETTER.findall(text)) / 2:
            return fixed
    if "Ø" in text or "Ù" in text:
        return ftfy.fix_encoding(text)
    return text


def open_text(path: Path, sample_size: int = 1 << 20) -> io.TextIOWrapper:
    """Open a (possibly huge) text file for streaming, with its encoding detected on a sample;
    invalid bytes in UTF-8 are read as U+FFFD (``REPLACED`` says so for the text that has them)."""
    with open(path, "rb") as raw:
        sample = raw.read(sample_size)
    if not sample.strip():
        raise DecodeError("empty file")
    encoding = sample_encoding(sample)
    return open(path, encoding=encoding, newline="", errors="replace" if encoding == "utf-8" else "strict")


def sample_encoding(sample: bytes) -> str:
    """The encoding of a file, judged from its first bytes."""
    bom = next((encoding for bom, encoding in _BOMS if sample.startswith(bom)), None)
    wide = bom or wide_encoding(sample)
    if wide:
        return wide
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return decode(sample[: sample.rfind(b"\n") + 1] or sample).encoding


def wide_encoding(sample: bytes) -> str | None:
    """UTF-16 or UTF-32 (by a byte-order mark, or UTF-16 by its zero bytes) if the first bytes of a
    file are in it, else None."""
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return None if encoding.startswith("utf-8") else encoding
    utf16 = _utf16_without_bom(sample[: len(sample) // 2 * 2])
    return utf16[1] if utf16 else None
