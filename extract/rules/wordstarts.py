"""Phrase patterns tried only where one of their first words begins.

A lexicon pattern such as ``(?<!\\p{L})(?:و)?(?:قافله|رتل)(?!\\p{L})`` can only match where a
run of letters begins that is one of its phrases' first words, maybe after a clitic.
Scanning a text with ``finditer`` tries the whole alternation at every character; listing
the letter runs first and trying the pattern only at the few that can open a phrase finds
the same matches several times faster.

>>> import regex
>>> cue = WordStartPattern(regex.compile(r"(?<!\\p{L})(?:و)?(?:قافله|رتل)(?!\\p{L})"),
...                        opening_runs(["قافله", "رتل"], clitics=("", "و")))
>>> [m.group() for m in cue.finditer("دخلت قافله ورتل وقافلتان")]
['قافله', 'ورتل']
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import accumulate

import regex

from ..lexicons import alternation

# The strings one optional proclitic can spell before a word (و ف ب ل, or none).
ONE_CLITIC = ("", "و", "ف", "ب", "ل")
# Regex source of what may stand before a word: a conjunction, then a preposition and/or the
# article, or the fused لل (وبالسفن، للمنافذ).
CLITIC_PREFIX = "(?:[وف])?(?:لل|[بلك]?(?:ال)?)"
# Every string CLITIC_PREFIX can spell.
PREFIXES = tuple(conj + rest for conj in ("", "و", "ف")
                 for rest in ("", "لل", "ب", "ل", "ك", "ال", "بال", "لال", "كال"))
_LETTERS = regex.compile(r"\p{L}+")
_LETTERS_OR_DIGITS = regex.compile(r"(\p{L}+|\d+)")


def opening_runs(phrases: Iterable[str], clitics: Iterable[str] = ("",)) -> frozenset[str] | None:
    """The letter runs a match of ``phrases`` can begin with: each phrase's first letters,
    after each of ``clitics`` (the literal strings the pattern lets stand before a phrase).
    None when a phrase does not begin with a letter (then no run can be required)."""
    firsts = set()
    for phrase in phrases:
        run = _LETTERS.match(phrase)
        if run is None:
            return None
        firsts.add(run.group())
    return frozenset(clitic + first for clitic in clitics for first in firsts)


@lru_cache(maxsize=16)
def _runs(text: str) -> tuple[list[int], list[str]]:
    """Where each letter run and each digit run not after a letter begins in ``text``, and
    the run; computed once for the several patterns tried on one text."""
    parts = _LETTERS_OR_DIGITS.split(text)  # text between runs, run, text between runs, run, …
    offsets = list(accumulate(map(len, parts), initial=0))
    positions, runs = [], []
    for k in range(1, len(parts), 2):
        run = parts[k]
        if not run[0].isdigit() or parts[k - 1] or k == 1:  # digits right after letters open nothing
            positions.append(offsets[k])
            runs.append(run)
    return positions, runs


def any_of(*openers: frozenset[str] | None) -> frozenset[str] | None:
    """The union of several opener sets (None if any is None)."""
    return None if None in openers else frozenset().union(*openers)


class WordStartPattern:
    """A compiled pattern whose matches begin only at a letter run (not after a letter) in
    ``openers``, or, with ``digits``, at a digit after neither a letter nor a digit.

    ``finditer`` and ``search`` give what the pattern's own would, on the same window."""

    def __init__(self, pattern: regex.Pattern, openers: frozenset[str] | None, digits: bool = False):
        self.pattern = pattern
        self.openers = openers
        self.digits = digits

    def starts(self, text: str, pos: int = 0, endpos: int | None = None) -> list[int]:
        """Where in ``text[pos:endpos]`` a match may begin, in order."""
        end = len(text) if endpos is None else endpos
        positions, runs = _runs(text)
        lo, hi = bisect_left(positions, pos), bisect_left(positions, end)
        if lo == hi:
            return []
        openers = self.openers
        if self.digits:
            found = [at for at, run in zip(positions[lo:hi - 1], runs[lo:hi - 1]) if run in openers or run.isdigit()]
        else:
            found = [at for at, run in zip(positions[lo:hi - 1], runs[lo:hi - 1]) if run in openers]
        last, run = positions[hi - 1], runs[hi - 1][:end - positions[hi - 1]]  # the window may end inside it
        if run in openers or (self.digits and run.isdigit()):
            found.append(last)
        return found

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None,
                 timeout: float | None = None) -> Iterator[regex.Match]:
        """Non-overlapping matches left to right, as ``pattern.finditer`` finds them."""
        end = len(text) if endpos is None else endpos
        if self.openers is None:
            yield from self.pattern.finditer(text, pos, end, timeout=timeout)
            return
        after = pos
        for start in self.starts(text, pos, end):
            if start >= after and (match := self.pattern.match(text, start, end, timeout=timeout)):
                yield match
                after = match.end()

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> regex.Match | None:
        """The first match, as ``pattern.search`` finds it."""
        return next(self.finditer(text, pos, endpos), None)


def whole_words(words: Iterable[str], capture: bool = False) -> WordStartPattern:
    """Any of ``words`` (normalized) as a whole word, after the clitics and article
    ``CLITIC_PREFIX`` allows; with ``capture``, the word without them is group 1.

    >>> [m.group(1) for m in whole_words(["معبر", "منفذ"], capture=True).finditer("عبر المعبر ومنفذ منفذين")]
    ['معبر', 'منفذ']
    """
    words = sorted(set(words))
    body = f"({alternation(words)})" if capture else f"(?:{alternation(words)})"
    pattern = regex.compile(rf"(?<!\p{{L}}){CLITIC_PREFIX}{body}(?!\p{{L}})")
    return WordStartPattern(pattern, opening_runs(words, PREFIXES))
