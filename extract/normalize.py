"""Normalized text plus an offset map back to the original.

Matchers search the normalized string; every hit is mapped back with
:meth:`NormalizedText.to_original` so that reported spans index the original
article text. Folding is built on ``camel_tools.utils`` (dediacritization,
alef / alef-maqsura / teh-marbuta folding) plus Unicode NFKC for presentation
forms, Arabic-Indic digits, quotes, dashes, Arabic punctuation, invisible marks.

>>> normalize("قُوّاتُ «قسد» ١٢٣").text
'قوات "قسد" 123'
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np
import regex
from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
)

from .registry import register_component

# Characters with a fixed replacement, applied after NFKC (so presentation
# forms are first expanded, then folded). An empty string deletes the char.
_DOUBLE_QUOTES = "\"“”„‟«»″‶〝〞＂"
_SINGLE_QUOTES = "'‘’‚‛′‵‹›`´"
_DASHES = "‐‑‒–—―−"
_INVISIBLE = (
    "\u00ad\u061c\u0640\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064"
    "\u2066\u2067\u2068\u2069\ufeff"
)
_EXTRA_DIACRITICS = "".join(
    chr(c) for c in [*range(0x0610, 0x061B), *range(0x0653, 0x0660), *range(0x06D6, 0x06EE)]
)
_FIXED: dict[str, str] = {
    **{q: '"' for q in _DOUBLE_QUOTES},
    **{q: "'" for q in _SINGLE_QUOTES},
    **{d: "-" for d in _DASHES},
    **{c: "" for c in _INVISIBLE + _EXTRA_DIACRITICS},
    **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # Extended (Persian) digits
    "،": ",", "؛": ";", "؟": "?", "٪": "%", "٫": ".", "٬": ",", "۔": ".",
    "ی": "ي", "ې": "ي", "ک": "ك", "ہ": "ه", "ۀ": "ه", "ە": "ه", "ھ": "ه",
    "\t": " ", "\r": "\n", "\x0b": "\n", "\x0c": "\n", "\u2028": "\n", "\u2029": "\n",
    "\u00a0": " ",
}


def fold(s: str) -> str:
    """Normalize a short string (a lexicon alias, a token) without an offset map.

    >>> fold("إقليم كردستان العراق")
    'اقليم كردستان العراق'
    """
    return normalize(s).text


def _fold_char(ch: str) -> str:
    """The normalized form of one original character."""
    if ch in _FIXED:
        return _FIXED[ch]
    if ch < " " and ch != "\n" or "\x7f" <= ch <= "\x9f":
        return " "  # control characters become spaces, keeping words apart
    out = unicodedata.normalize("NFKC", ch)
    out = "".join(_FIXED.get(c, c) for c in out)
    out = dediac_ar(out)
    out = normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(out)))
    return out.lower() if out.isascii() else out


def _build_table() -> dict[int, str]:
    table = {}
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        folded = _fold_char(ch)
        if folded != ch:
            table[cp] = folded
    return table


_TABLE: dict[int, str] = _build_table()
# Characters whose replacement is not exactly one character: the places where
# the offset map stops being the identity.
_UNEVEN = regex.compile(
    "[" + "".join(regex.escape(chr(cp)) for cp, rep in sorted(_TABLE.items()) if len(rep) != 1) + "]"
)


# Per code point: how many characters it becomes (0 = deleted, 1 = kept or replaced, n = expanded).
_WIDTHS = np.ones(0x110000, dtype=np.int64)
for _cp, _rep in _TABLE.items():
    _WIDTHS[_cp] = len(_rep)


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A normalized string and, per normalized char, the original range it came from.

    Deleted characters (diacritics, tatweel, invisible marks) are attached to the
    preceding output character, so a word's span keeps its own diacritics.
    ``starts``/``ends`` are ``None`` when the map is the identity.
    """

    text: str
    original_length: int
    starts: np.ndarray | None = None
    ends: np.ndarray | None = None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized span ``[start, end)`` to original offsets."""
        if self.starts is None or self.ends is None:  # both or neither
            return start, end
        if start >= end:
            pos = int(self.starts[start]) if start < len(self.text) else self.original_length
            return pos, pos
        return int(self.starts[start]), int(self.ends[end - 1])

    def spans_to_original(self, starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
        """:meth:`to_original` for many non-empty spans at once."""
        if self.starts is None or self.ends is None:
            return starts, ends
        return self.starts[starts].tolist(), self.ends[np.asarray(ends, dtype=np.int64) - 1].tolist()

    def from_original(self, start: int, end: int) -> tuple[int, int]:
        """Map an original span to the smallest normalized span covering it."""
        if self.starts is None or self.ends is None:
            return start, end
        return int(np.searchsorted(self.ends, start, side="right")), int(np.searchsorted(self.starts, end, side="left"))


def normalize(text: str) -> NormalizedText:
    """Normalize ``text`` for matching and keep the offset map back to it."""
    folded = text.translate(_TABLE)
    if len(folded) == len(text) and not _UNEVEN.search(text):
        return NormalizedText(folded, len(text))
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    widths = _WIDTHS[codes]
    kept = np.flatnonzero(widths)
    following = np.append(kept[1:], len(text))[: kept.size]
    repeats = widths[kept]
    return NormalizedText(folded, len(text), np.repeat(kept, repeats), np.repeat(following, repeats))


@register_component("normalize", assigns=("doc.normalized",))
class Normalizer:
    """Pipeline stage: sets ``doc.normalized`` (text + offset map)."""

    name = "normalize"

    def __call__(self, doc):
        doc.normalized = normalize(doc.text)
        return doc
