"""Crossings no lexicon lists: generic phrases and unlisted named crossings.

Read from ``crossing_phrases.tsv``: a generic phrase (``المنافذ الحدودية``, ``معبر غير شرعي``)
is a crossing with ``named=False``; a head word, one to three name words and a closing
adjective (``منفذ الحديثة البري``, ``مركز الرويشد الحدودي``) an unlisted named crossing. With
``propose`` (the decision stage follows), a bare plural crossing word (``المنافذ``, ``منافذها``)
is a generic candidate too, which that stage weighs (``منافذ البيع`` are shops). All
have ``canonical=None``; they never overlap a listed crossing or actor, and the gazetteer drops
the places and NER-only names inside them (``الرويشد`` of ``مركز الرويشد الحدودي``).

>>> from extract import Pipeline
>>> from extract.normalize import Normalizer
>>> from extract.tokenize import Tokenizer
>>> doc = Pipeline([Normalizer(), Tokenizer()])("أغلقت السلطات المنافذ الحدودية ومنفذ الرويشد البري")
>>> [(c.text, c.named, c.extractor) for c in crossing_phrases(doc, [])]
[('المنافذ الحدودية', False, 'gazetteer:crossings:generic'), ('منفذ الرويشد البري', True, 'gazetteer:crossings:pattern')]
"""

from __future__ import annotations

from bisect import bisect_left
from functools import cache, lru_cache

from ..doc import CrossingMention, Document, Span, Token
from ..lexicons import read_tsv
from ..normalize import fold
from ..tokenize import lookup_forms
from .wordstarts import WordStartPattern, whole_words

_MAX_NAME_WORDS = 3


@cache
def _phrases() -> tuple[tuple[tuple[str, ...], ...], frozenset[str], frozenset[str]]:
    """Generic phrases (longest first), head words and closing adjectives."""
    rows = read_tsv("crossing_phrases.tsv")
    generic = sorted((tuple(fold(r["phrase"]).split()) for r in rows if r["kind"] == "generic"), key=lambda p: -len(p))
    heads = frozenset(fold(r["phrase"]) for r in rows if r["kind"] == "head")
    suffixes = frozenset(fold(r["phrase"]) for r in rows if r["kind"] == "suffix")
    return tuple(generic), heads, suffixes


@cache
def _bare_words() -> frozenset[str]:
    """Plural crossing words that alone may name crossings (proposals only)."""
    return frozenset(fold(r["phrase"]) for r in read_tsv("crossing_phrases.tsv") if r["kind"] == "bare")


@cache
def _not_land() -> frozenset[str]:
    """Words that, right after a bare plural, make its crossings airports or sea ports."""
    return frozenset(fold(r["phrase"]) for r in read_tsv("crossing_phrases.tsv") if r["kind"] == "not_land")


def _land(tokens: list[Token], i: int) -> bool:
    """Whether the bare plural at ``i`` may be land crossings: no air or sea word right after it
    (``المنافذ الجوية والبحرية``, ``منافذ المطارات``); ``المنافذ البرية والجوية`` are."""
    following = tokens[i + 1] if i + 1 < len(tokens) and tokens[i + 1].sentence == tokens[i].sentence else None
    return following is None or not _forms(following.norm).keys() & _not_land()


def _bare(norm: str) -> str:
    return norm[2:] if norm.startswith("ال") and len(norm) > 3 else norm


@lru_cache(maxsize=100_000)
def _forms(norm: str) -> dict[str, int]:
    """A word's forms with its clitics and article peeled → where the form starts in it."""
    forms: dict[str, int] = {}
    for skip, stem in lookup_forms(norm):
        forms.setdefault(_bare(stem), skip)
    return forms


@cache
def _openers() -> WordStartPattern:
    """Where a generic phrase, a named crossing or a bare plural can begin: one of their first
    words as a word."""
    generic, heads, _ = _phrases()
    return whole_words(heads | {p[0] for p in generic} | _bare_words())


def _first_word(token: Token) -> dict[str, int]:
    return _forms(token.norm)


def _generic_at(tokens: list[Token], i: int) -> int | None:
    """The token after a generic phrase starting at ``i``."""
    generic, _, _ = _phrases()
    forms = _first_word(tokens[i])
    for phrase in generic:
        end = i + len(phrase)
        if end <= len(tokens) and phrase[0] in forms and all(
                _bare(tokens[i + k].norm) == word and tokens[i + k].sentence == tokens[i].sentence
                for k, word in enumerate(phrase[1:], 1)):
            return end
    return None


def _named_at(tokens: list[Token], i: int) -> int | None:
    """The token after ``head NAME… suffix`` starting at ``i``."""
    _, heads, suffixes = _phrases()
    if not _first_word(tokens[i]).keys() & heads:
        return None
    for j in range(i + 1, min(len(tokens), i + 2 + _MAX_NAME_WORDS)):
        token = tokens[j]
        if token.sentence != tokens[i].sentence or not token.norm.isalpha():
            return None
        if _bare(token.norm) in suffixes:
            return j + 1 if j > i + 1 else None
    return None


def _skip(token: Token, words: frozenset[str] | set[str]) -> int:
    """Characters of clitics before the form of ``token`` that is one of ``words``."""
    return next(skip for form, skip in _first_word(token).items() if form in words)


def crossing_phrases(doc: Document, listed: list[Span], propose: bool = False) -> list[CrossingMention]:
    """Generic and unlisted named crossings of ``doc`` that overlap none of ``listed``; with
    ``propose``, bare plural crossing words too."""
    tokens, found = doc.tokens, []
    starts = [t.nstart for t in tokens]
    opening = sorted({bisect_left(starts, m.start()) for m in _openers().finditer(doc.norm_text)})
    after = 0
    for i in opening:
        if i < after or i >= len(tokens):
            continue
        end, extractor, named = _named_at(tokens, i), "pattern", True
        if end is None:
            end, extractor, named = _generic_at(tokens, i), "generic", False
        if end is None and propose and _first_word(tokens[i]).keys() & _bare_words() and _land(tokens, i):
            end, extractor = i + 1, "bare"
        if end is None:
            continue
        generic, heads, _ = _phrases()
        skip = _skip(tokens[i], heads if named else _bare_words() if extractor == "bare" else {p[0] for p in generic})
        start, stop = doc.original_span(tokens[i].nstart + skip, tokens[end - 1].nend)
        if not any(m.start < stop and start < m.end for m in listed):
            found.append(CrossingMention(text=doc.text[start:stop], start=start, end=stop,
                                         sentence=doc.sentence_index(start), extractor=f"gazetteer:crossings:{extractor}",
                                         confidence=None, named=named))
        after = end
    return found
