"""Arabic numbers and quantities, on normalized text (see :func:`extract.normalize.fold`).

Two small layers that compose, Duckling-style:

* numbers — digits (``1,200``) and number words (``خمسه وعشرين``, ``ثلاثمئه``,
  ``ثلاثه الاف``) → an integer: :data:`NUMBER` (a regex source) and :func:`parse_number`;
* quantities — a number with an approximation, a bound or a range (``نحو 30``,
  ``اكثر من 100``, ``بين 20 و30``), or a vague multiple (``عشرات``, ``مئات``,
  ``بضعه``) → ``low``/``high`` bounds: :func:`find_quantities`.

The words live in ``lexicons/numbers.tsv`` and ``lexicons/quantity_words.tsv``.

>>> parse_number("خمسه وعشرين")
25
>>> parse_number("الف ومئتان")
1200
>>> [(q.low, q.high, q.approximate) for q in find_quantities("قافله تضم اكثر من 100 شاحنه")]
[(101, None, True)]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from ..lexicons import alternation, read_tsv
from ..normalize import fold
from .wordstarts import ONE_CLITIC, WordStartPattern, any_of, opening_runs

_DIGITS = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?"
_DIGITS_RE = regex.compile(rf"(?:{_DIGITS})")
# Number words that may follow the first one directly (multipliers, teens) or after و.
_BIG = ("hundred", "hundreds", "thousand", "thousands", "million", "millions", "dozen", "dozens")
_MULTIPLIER = {"thousand": 1000, "thousands": 1000, "million": 1_000_000, "millions": 1_000_000,
               "dozen": 12, "dozens": 12}
_COUNTED_ALONE = ("thousand", "million", "dozen")  # ألف, مليونان, دزينة: a number on their own
_TIMEOUT = 1.0
_NON_SPACE = regex.compile(r"\S+")
_MAX_DIGITS = 15  # longer digit runs are ids or noise, not counts (and overflow floats)
# Quantity words that stand before a number, in the order their kinds are tried.
_PREFIX_KINDS = ("about", "more_than", "at_least", "less_than", "at_most", "between", "from")


@dataclass(frozen=True, slots=True)
class NumberWord:
    """A number word's value and its role in the number grammar (see ``numbers.tsv``)."""

    value: int
    role: str


@cache
def number_words() -> dict[str, NumberWord]:
    """Normalized number word → value and role."""
    return {fold(row["word"]): NumberWord(int(row["value"]), row["role"]) for row in read_tsv("numbers.tsv")}


_WORD = rf"(?:{alternation(number_words())})(?!\p{{L}})"
NUMBER_WORDS = rf"{_WORD}(?:\s+(?:و\s*)?{_WORD})*"
"""Regex source matching a cardinal written in words only (``واحد وعشرين``)."""
NUMBER_CORE = rf"(?:{_DIGITS}|{_WORD})(?:\s+(?:و\s*)?{_WORD}|\s+و\s*(?:{_DIGITS}))*"
NUMBER = rf"(?<![\p{{L}}\d]){NUMBER_CORE}"
"""Regex source matching a cardinal in normalized text; check the match with :func:`parse_number`."""


def _split_conjunctions(text: str) -> list[tuple[bool, str]]:
    """Words of a number with a flag for a preceding و (``وعشرين`` or ``و عشرين``)."""
    words = number_words()
    out: list[tuple[bool, str]] = []
    conj = False
    for tok in text.split():
        if tok == "و":
            conj = True
            continue
        if tok.startswith("و") and tok not in words and (tok[1:] in words or _DIGITS_RE.fullmatch(tok[1:])):
            out.append((True, tok[1:]))
        else:
            out.append((conj, tok))
        conj = False
    return out


def _step(state: tuple[float, float, str | None], conj: bool, word: str) -> tuple[float, float, str] | None:
    """Add one word to ``(total, current, last role)``; None when it cannot continue the number."""
    total, current, last = state
    if _DIGITS_RE.fullmatch(word):
        if len(word) > _MAX_DIGITS or last is not None and not (conj and last in _BIG):
            return None  # digits open a number, or follow a multiplier after و (4 آلاف و500)
        return total, current + float(word.replace(",", "")), "digits"
    entry = number_words().get(word)
    if entry is None:
        return None
    role, value = entry.role, entry.value
    after_big = conj and last in _BIG
    start = last is None
    if role == "unit" and (start or after_big):
        return total, current + value, role
    if role == "ten" and last == "unit" and not conj:
        return total, current + value, "teen"
    if role in ("ten", "tens") and (start or after_big or (role == "tens" and conj and last == "unit")):
        return total, current + value, role
    if role == "hundred" and (last == "unit" or last == "digits" and current < 10) and not conj:  # ٣ مئة
        return total, current * value, role
    if role in ("hundred", "hundreds") and (start or (conj and last in _MULTIPLIER)):
        return total, current + value, role
    if role in _MULTIPLIER and current and not conj and last not in _MULTIPLIER:
        return total + current * _MULTIPLIER[role], 0.0, role
    if role in _COUNTED_ALONE and (start or (conj and last == "million" and role == "thousand")):
        return total + value, 0.0, role
    return None


def _parse_prefix(text: str) -> tuple[int | None, int]:
    """Value of the longest valid number at the start of ``text`` and how many words it used."""
    state: tuple[float, float, str | None] = (0.0, 0.0, None)
    used = 0
    for conj, word in _split_conjunctions(text):
        nxt = _step(state, conj, word)
        if nxt is None:
            break
        state, used = nxt, used + 1
    value = state[0] + state[1]
    if not used or value != int(value):
        return None, 0
    return int(value), used


def parse_number(text: str) -> int | None:
    """Integer value of a normalized cardinal (digits or words), or None if it is not one.

    >>> parse_number("ثلاثه الاف وخمسمئه"), parse_number("اثنا عشر"), parse_number("1,200")
    (3500, 12, 1200)
    >>> parse_number("ثلاثه اربعه") is None
    True
    """
    value, used = _parse_prefix(text)
    return value if used and used == len(_split_conjunctions(text)) else None


@dataclass(frozen=True, slots=True)
class Quantity:
    """A quantity expression at normalized offsets ``[start, end)``.

    ``low``/``high`` are inclusive bounds (None = open or unknown); ``kind`` is one of
    exact, about, more_than, at_least, less_than, at_most, range, vague.
    """

    start: int
    end: int
    low: int | None
    high: int | None
    approximate: bool
    kind: str


@cache
def _quantity_words() -> dict[str, dict[str, tuple[int | None, int | None]]]:
    """kind → normalized phrase → (low, high)."""
    table: dict[str, dict[str, tuple[int | None, int | None]]] = {}
    for row in read_tsv("quantity_words.tsv"):
        bounds = (int(row["low"]) if row["low"] else None, int(row["high"]) if row["high"] else None)
        table.setdefault(row["kind"], {})[fold(row["phrase"])] = bounds
    return table


@cache
def _patterns() -> tuple[regex.Pattern, regex.Pattern]:
    words = _quantity_words()
    prefixes = [p for kind in _PREFIX_KINDS for p in words[kind]]
    clitic = r"(?:[وفبل](?=[\p{L}\d]))?"
    number = rf"(?<![\p{{L}}\d]){clitic}(?P<n1>{NUMBER_CORE})"
    numeric = regex.compile(
        rf"(?:(?<!\p{{L}})(?P<prefix>{alternation(prefixes)})\s+)?{number}"
        rf"(?:\s*(?P<sep>{alternation(words['range_sep'])})\s*(?P<n2>{NUMBER_CORE}))?"
    )
    vague = regex.compile(
        rf"(?:(?<!\p{{L}})(?P<prefix>{alternation(prefixes)})\s+)?(?<![\p{{L}}\d]){clitic}"
        rf"(?P<vague>{alternation(words['vague'])})(?!\p{{L}})"
        rf"(?:\s+(?P<scale>{alternation(words['vague_scale'])})(?!\p{{L}}))?"
    )
    return numeric, vague


def _kind_of(prefix: str | None) -> str:
    if prefix is None:
        return "exact"
    words = _quantity_words()
    return next(kind for kind in _PREFIX_KINDS if prefix in words[kind])


def _words_end(text: str, used: int) -> int:
    """Offset in ``text`` just after its first ``used`` number words (a lone و is not a word)."""
    count = 0
    for tok in _NON_SPACE.finditer(text):
        if tok[0] != "و":
            count += 1
        if count == used:
            return tok.end()
    return len(text)


def _numeric_quantity(match: regex.Match) -> Quantity | None:
    low, used = _parse_prefix(match["n1"])
    if low is None:
        return None
    kind = _kind_of(match["prefix"])
    start = match.start("prefix") if match["prefix"] else match.start("n1")
    end = match.start("n1") + _words_end(match["n1"], used)
    leftover = match["n1"][end - match.start("n1"):].strip()
    if leftover.startswith("و"):  # "بين عشرين وثلاثين": the second end came with the first
        sep, high_text, range_end = "و", leftover[1:], match.end("n1")
    else:
        sep, high_text, range_end = match["sep"], match["n2"], match.end()
    high = parse_number(high_text) if high_text and not (leftover and not leftover.startswith("و")) else None
    if high is not None and high > low and (sep != "و" or kind == "between"):
        return Quantity(start, range_end, low, high, True, "range")
    if kind in ("between", "from"):
        return Quantity(match.start("n1"), end, low, low, False, "exact")
    bounds = {
        "exact": (low, low, False),
        "about": (low, low, True),
        "more_than": (low + 1, None, True),
        "at_least": (low, None, True),
        "less_than": (None, low - 1, True),
        "at_most": (None, low, True),
    }[kind]
    return Quantity(start, end, *bounds, kind)


def _vague_quantity(match: regex.Match) -> Quantity:
    words = _quantity_words()
    low, high = words["vague"][match["vague"]]
    if match["scale"] and low is not None:
        scale = words["vague_scale"][match["scale"]][0]
        low, high = low * scale, (high + 1) * scale - 1
    start = match.start("prefix") if match["prefix"] else match.start("vague")
    return Quantity(start, match.end(), low, high, True, "vague")


@cache
def _scanners() -> tuple[WordStartPattern, WordStartPattern]:
    """The numeric and vague patterns, tried only where a prefix (``اكثر``), a number word or
    vague word (maybe after a clitic: ``وثلاثه``), a lone clitic (``و30``) or digits begin."""
    numeric, vague = _patterns()
    words = _quantity_words()
    prefixes = opening_runs(p for kind in _PREFIX_KINDS for p in words[kind])
    numbers = any_of(opening_runs(number_words(), ONE_CLITIC), frozenset(ONE_CLITIC[1:]))
    return (WordStartPattern(numeric, any_of(prefixes, numbers), digits=True),
            WordStartPattern(vague, any_of(prefixes, opening_runs(words["vague"], ONE_CLITIC))))


def find_quantities(text: str) -> list[Quantity]:
    """All quantity expressions in normalized ``text``, left to right, not overlapping.

    >>> [(q.low, q.high, q.kind) for q in find_quantities("دخول مئات الشاحنات و30 اليه")]
    [(200, 999, 'vague'), (30, 30, 'exact')]
    """
    numeric, vague = _scanners()
    found = [q for m in numeric.finditer(text, timeout=_TIMEOUT) if (q := _numeric_quantity(m))]
    found += [_vague_quantity(m) for m in vague.finditer(text, timeout=_TIMEOUT)]
    found.sort(key=lambda q: (q.start, -(q.end - q.start)))
    result: list[Quantity] = []
    for quantity in found:
        if not result or quantity.start >= result[-1].end:
            result.append(quantity)
    return result
