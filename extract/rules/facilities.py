"""Facility and event names: a head noun (``facility_heads.tsv``) and the name after it.

``مستشفى عسير المركزي``, ``طريق خريص - الرياض القديم``, ``مسجد الملك عبدالله``: a facility
head (indefinite, so the construct state) right before a name another stage found (a place, an
actor, a name NER tagged) makes one place of the head, the name and the adjectives after it
(nisbas in ـي/ـية, the organisation adjectives, the listed ones: ``القديم``); a road or bridge
goes on over a dash to a second name (``طريق بيروت – دمشق الدولي``). The names inside are no
mentions of their own. A facility a lexicon names from its head (``مطار القاهرة``) keeps its id
and takes the adjectives after it (``مطار القاهرة الدولي``).

``مهرجان أبها للتسوق``, ``جائزة الملك فيصل``, ``دوري أبطال آسيا``, ``جامعة تبوك``, ``أمانة
الأحساء``: the place or person in the name of an event (its head, at most one more word, then
the name) or of a body named after its seat is not mentioned as such.

>>> from extract import Pipeline
>>> doc = Pipeline.default(ner=None)("نقل المصاب إلى مستشفى عسير المركزي.")
>>> [(p.text, p.place_type, p.canonical) for p in doc.places]
[('مستشفى عسير المركزي', 'hospital', None)]
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from functools import cache
from typing import Any

from ..doc import CrossingMention, Document, PlaceMention, Span, Token
from ..lexicons import read_tsv
from ..tokenize import lookup_forms
from .organisations import adjective
from .persons import is_title

_DASHES = frozenset("-–—")
_CONNECTED = frozenset({"road", "bridge"})  # facilities that join two names over a dash


@cache
def _heads() -> dict[str, tuple[str, str]]:
    """Folded head (no article) or adjective → (kind, place type)."""
    return {r["head"]: (r["kind"], r["place_type"]) for r in read_tsv("facility_heads.tsv")}


def _head(token: Token) -> tuple[int, str, str] | None:
    """``(peeled characters, kind, place type)`` when a word is an indefinite head (kind
    ``facility`` or ``name``; one word may stand between a name head and its name)."""
    heads = _heads()
    for skip, stem in lookup_forms(token.norm):
        found = heads.get(stem)
        if found and found[0] in ("facility", "name"):
            return skip, *found
    return None


def opens_name(word: str) -> bool:
    """Whether a folded word without clitics is a facility or name head (``جامعه``)."""
    return _heads().get(word, ("",))[0] in ("facility", "name")


class _Names:
    """The mentions found so far, by the tokens they open and cover."""

    def __init__(self, doc: Document, layers: dict[str, list[Any]]):
        self.tokens = doc.tokens
        self.starts = [t.start for t in doc.tokens]
        self.opening: dict[int, Span] = {}
        for m in (m for layer in layers.values() for m in layer):
            first = self.first(m)
            if first >= 0 and self.tokens[first].start == m.start and (
                    first not in self.opening or m.end > self.opening[first].end):
                self.opening[first] = m  # the longest name opening at a word's start

    def first(self, m: Span) -> int:
        return bisect_right(self.starts, m.start) - 1

    def after(self, m: Span) -> int:
        """The token after a mention's last."""
        return bisect_right(self.starts, m.end - 1)


def facilities(doc: Document, layers: dict[str, list[Any]]) -> None:
    """Turn the names after facility heads into facility places and drop those in the names of
    events and bodies, in ``layers`` (``places``, ``actors``, ``crossings``)."""
    if not any(_head(t) for t in doc.tokens):
        return
    names = _Names(doc, layers)
    tokens = doc.tokens
    i = 0
    while i < len(tokens) - 1:
        found = _head(tokens[i]) if tokens[i].norm.isalpha() else None
        end = _name_end(doc, names, i, found) if found else None
        if found is None or end is None:
            i += 1
            continue
        skip, kind, place_type = found
        start, stop = doc.original_span(tokens[i].nstart + skip, tokens[end - 1].nend)
        inside = [m for layer in layers.values() for m in layer if m.start < stop and start < m.end]
        if any(isinstance(m, CrossingMention) or m.start < start or m.end > stop for m in inside):
            i += 1
            continue  # a crossing, or a name reaching out of it: not this reading
        own = next((m for m in inside if m.start == start and isinstance(m, PlaceMention)), None)
        for k in ("places", "actors"):
            layers[k] = [m for m in layers[k] if m not in inside]
        if own is not None:
            layers["places"].append(replace(own, text=doc.text[start:stop], end=stop))
        elif kind == "facility":
            layers["places"].append(PlaceMention(text=doc.text[start:stop], start=start, end=stop,
                                                 sentence=tokens[i].sentence, extractor="rules:facilities",
                                                 confidence=0.6, place_type=place_type or None))
        i = end


def _name_end(doc: Document, names: _Names, i: int, head: tuple[int, str, str]) -> int | None:
    """The token after the facility's or name's words opened by ``tokens[i]``, or None."""
    tokens = doc.tokens
    _, kind, place_type = head
    own = names.opening.get(i)
    if own is not None:  # the head opens a lexicon name: مطار القاهرة
        listed = kind == "facility" and isinstance(own, PlaceMention)
        return _adjectives(tokens, names.after(own), tokens[i].sentence) if listed else None
    j = i + 1
    if kind == "name" and j not in names.opening and _plain_word(tokens, j, tokens[i].sentence):
        j += 1  # دوري أبطال آسيا, أمانة محافظة جدة
        if j not in names.opening and _joined_word(tokens, j, tokens[i].sentence):
            j += 1  # غرفة تجارة وصناعة البحرين
    if j >= len(tokens):
        return None
    if j not in names.opening and is_title(tokens[j]) and j + 1 in names.opening:
        j += 1  # مسجد الملك عبدالعزيز: a title before the person
    name = names.opening.get(j)
    if name is not None and tokens[j].sentence == tokens[i].sentence:
        end = names.after(name)
    elif place_type in _CONNECTED:  # طريق الجديدة - عرعر: an unknown name before the dash
        dash = next((k for k in (j + 1, j + 2) if k < len(tokens) and tokens[k].norm in _DASHES
                     and all(_nameable(tokens[n], tokens[i].sentence) for n in range(j, k))), None)
        if dash is None or dash + 1 not in names.opening:
            return None
        end = dash
    else:
        return None
    if kind == "name":
        return end
    if place_type in _CONNECTED and end + 1 < len(tokens) and tokens[end].norm in _DASHES \
            and (second := names.opening.get(end + 1)) is not None:
        end = names.after(second)  # طريق بيروت – دمشق
    return _adjectives(tokens, end, tokens[i].sentence)


def _plain_word(tokens: list[Token], j: int, sentence: int) -> bool:
    """A word that may stand between a name head and its name: an indefinite noun."""
    return j < len(tokens) and _nameable(tokens[j], sentence) and not tokens[j].norm.startswith("ال")


def _joined_word(tokens: list[Token], j: int, sentence: int) -> bool:
    """An indefinite noun joined by و to the word before it (``وصناعة``)."""
    if j >= len(tokens) or tokens[j].sentence != sentence:
        return False
    rest = tokens[j].norm[1:]
    return tokens[j].norm.startswith("و") and rest.isalpha() and len(rest) > 2 and not rest.startswith("ال")


def _nameable(token: Token, sentence: int) -> bool:
    """A word that may be part of a name: letters, no clitic-like first letter."""
    norm = token.norm
    return token.sentence == sentence and norm.isalpha() and len(norm) > 2 and not norm.startswith(("و", "ل", "ب", "ف"))


def _adjectives(tokens: list[Token], j: int, sentence: int) -> int:
    """The token after the adjectives from ``tokens[j]`` on (``الدولي``, ``العام المركزي``)."""
    heads = _heads()
    while j < len(tokens) and tokens[j].sentence == sentence and (
            adjective(tokens[j].norm) or heads.get(tokens[j].norm, ("",))[0] == "adjective"):
        j += 1
    return j
