"""Sentences, word tokens and clitic-aware lookup forms, on the normalized text.

Tokens are runs of letters, numbers (``1,200``, ``23.12.2019`` stay whole) or a
single other character. Sentences end at ``. ! ? ;`` (``؟ ؛`` after
normalization) followed by a space, and at line breaks; never inside a number
or after an abbreviation (``د.``, initials).
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

import regex

from .doc import Document, Sentence, Token
from .lexicons import read_lines
from .registry import register_component

_TOKEN = regex.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)*|\S")
_TERMINATORS = frozenset(".!?;")
_CLOSERS = frozenset("\"')]}")
_FINAL_PUNCT = _TERMINATORS | _CLOSERS
_LINE_BREAK = regex.compile(r"\n+")
_CONJUNCTIONS = ("و", "ف")
_PREPOSITIONS = ("ب", "ك", "ل")
_MIN_STEM = 2


def token_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every token in ``text``.

    >>> [("والحسكة ودير الزور"[a:b]) for a, b in token_spans("والحسكة ودير الزور")]
    ['والحسكة', 'ودير', 'الزور']
    """
    return [m.span() for m in _TOKEN.finditer(text)]


@lru_cache(maxsize=200_000)
def lookup_forms(form: str) -> tuple[tuple[int, str], ...]:
    """Forms under which a normalized token can be looked up, with clitics peeled.

    Each item is ``(skip, stem)``: the stem starts ``skip`` characters into the
    token. Conjunctions (و ف) then prepositions (ب ك ل) are peeled; ``لل`` is
    ل + the fused article, looked up as ``ال…`` from the token's start.

    >>> lookup_forms("والحسكه")
    ((0, 'والحسكه'), (1, 'الحسكه'))
    >>> lookup_forms("للتحالف")
    ((0, 'للتحالف'), (1, 'لتحالف'), (0, 'التحالف'))
    """
    forms = [(0, form)]
    conj = [(0, form)]
    if form[:1] in _CONJUNCTIONS and len(form) - 1 >= _MIN_STEM:
        conj.append((1, form[1:]))
        forms.append((1, form[1:]))
    for skip, stem in conj:
        if stem[:1] in _PREPOSITIONS and len(stem) - 1 >= _MIN_STEM:
            forms.append((skip + 1, stem[1:]))
        if stem.startswith("لل") and len(stem) - 2 >= _MIN_STEM:
            forms.append((skip, "ال" + stem[2:]))
    return tuple(dict.fromkeys(forms))


def _is_abbreviation(prev: Token) -> bool:
    if not prev.norm.isalpha():
        return False
    return len(prev.norm) == 1 or prev.norm in _abbreviations()


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    return frozenset(read_lines("abbreviations.txt"))


def _is_final_punct(tok: Token) -> bool:
    return tok.norm in _FINAL_PUNCT


def _ends_sentence(norm: str, tokens: list[Token], i: int) -> bool:
    """Whether a sentence ends right after token ``i``.

    A sentence ends after a run of attached punctuation (``.``, ``..``, ``."``)
    that holds a terminator and is followed by a space, or at a line break.
    """
    tok = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is not None and "\n" in norm[tok.nend:nxt.nstart]:
        return True
    if not _is_final_punct(tok) or (nxt is not None and nxt.nstart == tok.nend):
        return False  # not punctuation, or the run goes on ("..", "a.b")
    first = i
    while first > 0 and tokens[first - 1].nend == tokens[first].nstart and _is_final_punct(tokens[first - 1]):
        first -= 1
    run = tokens[first:i + 1]
    if not any(t.norm in _TERMINATORS for t in run):
        return False
    if run[0].norm == "." and len(run) == 1 and first > 0:
        prev = tokens[first - 1]
        if prev.nend == run[0].nstart and _is_abbreviation(prev):
            return False
    return True


@register_component("tokenize", requires=("doc.normalized",), assigns=("doc.sentences", "doc.tokens"))
class Tokenizer:
    """Pipeline stage: fills ``doc.tokens`` and ``doc.sentences``."""

    name = "tokenize"

    def __call__(self, doc: Document) -> Document:
        norm = doc.norm_text
        spans = token_spans(norm)
        starts, ends = doc.normalized.spans_to_original([a for a, _ in spans], [b for _, b in spans])
        text = doc.text
        doc.tokens = tokens = [
            Token(i, start, end, text[start:end], norm[nstart:nend], nstart, nend, 0)
            for i, ((nstart, nend), start, end) in enumerate(zip(spans, starts, ends))
        ]
        doc.sentences = []
        first = 0
        for i in _boundary_candidates(norm, tokens):
            if _ends_sentence(norm, tokens, i):
                self._add_sentence(doc, first, i + 1)
                first = i + 1
        if first < len(tokens):
            self._add_sentence(doc, first, len(tokens))
        return doc

    @staticmethod
    def _add_sentence(doc: Document, first: int, last: int) -> None:
        index = len(doc.sentences)
        head, tail = doc.tokens[first], doc.tokens[last - 1]
        for tok in doc.tokens[first:last]:
            tok.sentence = index
        doc.sentences.append(
            Sentence(index, head.start, tail.end, doc.text[head.start:tail.end],
                     head.nstart, tail.nend, first, last)
        )


def _boundary_candidates(norm: str, tokens: list[Token]) -> list[int]:
    """Indices of tokens a sentence may end after: final punctuation, or a line break follows."""
    candidates = {i for i, tok in enumerate(tokens) if tok.norm in _FINAL_PUNCT}
    for match in _LINE_BREAK.finditer(norm):
        i = bisect_right(tokens, match.start(), key=lambda t: t.nstart) - 1
        if i >= 0:
            candidates.add(i)
    return sorted(candidates)
