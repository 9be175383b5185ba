"""Gazetteer stage: actors, places and crossings with canonical ids, from the lexicons.

One engine serves the three lexicons (see :mod:`extract.rules.lexicon`): a trie over
normalized tokens, entered through a token's clitic-peeled lookup forms
(:func:`extract.tokenize.lookup_forms`), so ``والحسكة``, ``بريف``, ``للتحالف`` and
``لـ"التحالف الدولي"`` all find their names. The longest name wins; names never cross a
sentence; quote marks inside a name are skipped (``تنظيم "داعش``); a word written with
tanween (``دوماً``) is never a name.

Context words (``place_qualifiers.tsv``) decide what a name is:

* ``مدينة الرقة`` → the city, ``محافظة الحسكة`` → the governorate, ``قرية الصبحة`` → the
  village: the singular qualifier is part of the span;
* ``محافظتي الحسكة ودير الزور``, ``قاعدتي تل بيدر ورميلان``: a dual or plural qualifier
  distributes over the coordinated names and stays out of their spans;
* ``ريف دير الزور الشرقي`` → a derived sub-area ``deir_ez_zor_countryside_east`` (parent
  ``deir_ez_zor``); ``قاعدة الشدادي`` → the curated base if listed, else ``al_shaddadi_base``;
* ``معبر "الوليد”`` → the crossing; the trigger and a balanced closing quote are in the span.

A bare name shared by several entries resolves by ``disambiguation.tsv`` (cue words in the
sentence), else to the settlement reading (``الحسكة`` → the city, whose parent is the
governorate). Spans start after a peeled و/ف/ب/ك/ل; for the fused ``لل`` (``للتحالف``)
they start at the token's start.

ORG and LOC spans the NER stage put in ``doc.entities`` that no lexicon match overlaps are
kept as actors/places with ``canonical=None`` and their NER label, unless made only of
generic words (``generic_terms.txt``).

>>> from extract import Pipeline
>>> from extract.normalize import Normalizer
>>> from extract.tokenize import Tokenizer
>>> nlp = Pipeline([Normalizer(), Tokenizer(), GazetteerMatcher()])
>>> doc = nlp("دخلت قافلة للتحالف الدولي عبر معبر الوليد إلى ريف الحسكة الجنوبي.")
>>> [(m.text, m.canonical) for m in doc.actors + doc.crossings + doc.places]
[('للتحالف الدولي', 'international_coalition'), ('معبر الوليد', 'al_walid_iraq'), ('ريف الحسكة الجنوبي', 'al_hasakah_countryside_south')]
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Container
from dataclasses import dataclass, replace
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any, NamedTuple, cast

import regex

from ..doc import ActorMention, CrossingMention, Document, PlaceMention, Span, Token
from ..lexicons import read_lines, read_tsv
from ..normalize import fold
from ..registry import register_component
from ..tokenize import lookup_forms
from .crossing_phrases import crossing_phrases
from .datelines import dateline_sources
from .dates_grammar import before_relative_date
from .dates_grammar import lexicon as dates_lexicon
from .facilities import facilities, opens_name
from .lexicon import QUOTES, Entry, Lexicons, Qualifier, Rule, alias_key, load_lexicons
from .numbers import number_words
from .organisations import (
    adjective,
    chain_words,
    common_words,
    common_words_only,
    demonym_countries,
    demonyms,
    head_noun,
    nationalities,
    not_national,
    organisations,
)
from .persons import first_names, is_title, name_stop, name_word, persons
from .roles import outside_sports_clubs, outside_team_names, state_sides, states_as_agents

_END = ""  # trie key under which a node keeps the payloads of names ending there
_MARKS = QUOTES | {"#"}  # skipped between a context word and a name and inside a name
_TANWEEN = regex.compile("[\u064b-\u064d]")
# Reading of a bare name shared by entries of several types (no context word, no rule):
# the settlement first, administrative units last.
_TYPE_ORDER = (
    "country", "city", "town", "village", "neighbourhood", "camp", "base", "airbase", "airport",
    "oil_field", "gas_field", "field", "dam", "bridge", "prison", "region", "desert", "plain",
    "mountain", "river", "province", "governorate", "district", "subdistrict",
)
_KIND_ORDER = ("place", "crossing", "actor")
_NEW_PHRASE = ("و", "بال", "لل", "كال", "فال")
_SETTLEMENT_TYPES = frozenset({"village", "town", "city", "camp", "neighbourhood"})
_LAYER = {"actor": "actors", "place": "places", "crossing": "crossings"}


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _names_settlement(qualifier: Qualifier) -> bool:
    """A singular settlement word: قرية, بلدة, مدينة, مخيم, حي."""
    return (qualifier.role in ("type", "facility") and not qualifier.plural
            and bool(set(qualifier.types) & _SETTLEMENT_TYPES))


@cache
def _adjective_names() -> dict[str, frozenset[str]]:
    return {fold(row["name"]): frozenset(fold(w) for w in row["after"].split("|"))
            for row in read_tsv("adjective_names.tsv")}


@cache
def _place_name_heads() -> dict[str, str]:
    return {fold(row["head"]): row["place_type"] for row in read_tsv("place_name_heads.tsv")}


@cache
def _name_stops() -> frozenset[str]:
    """The stops of ``name_stops.txt`` and the one-word day words of the date lexicon (``أمس``,
    ``غدا``, ``الخميس``: بلدة العين أمس is بلدة العين)."""
    days = {form for kind in ("today", "weekday") for form in dates_lexicon().words[kind] if " " not in form}
    return frozenset(fold(word) for word in read_lines("name_stops.txt")) | days


class Hit(NamedTuple):
    """A lexicon entry reached by a name; ``contextual`` if through a context alias."""

    entry: Entry
    contextual: bool


def _token_at(tokens: list[Token], offset: int) -> int:
    """Index of the last token starting at or before an original offset (-1 if none)."""
    return bisect_right(tokens, offset, key=lambda t: t.start) - 1


def _token_range(tokens: list[Token], mention: Span) -> tuple[int, int]:
    """The indices of the first and last tokens a mention covers (the first one a clitic before
    it was peeled from)."""
    return _token_at(tokens, mention.start), _token_at(tokens, mention.end - 1)


def _tokens_over(tokens: list[Token], mention: Span) -> list[Token]:
    """The tokens a mention covers, with the one a clitic before it was peeled from."""
    first, last = _token_range(tokens, mention)
    return tokens[first:last + 1]


def nameable_tokens(doc: Document) -> list[bool]:
    """Per token, whether it can be part of a name: not a word with tanween (``دوماً`` is an
    adverb, no name)."""
    nameable = [True] * len(doc.tokens)
    for match in _TANWEEN.finditer(doc.text):
        i = _token_at(doc.tokens, match.start())
        if i >= 0 and doc.tokens[i].start <= match.start() < doc.tokens[i].end:
            nameable[i] = False
    return nameable


class TokenTrie:
    """Names as token sequences → payloads, matched against document tokens."""

    def __init__(self) -> None:
        self.root: dict = {}

    def add(self, tokens: tuple[str, ...], payload) -> None:
        node = self.root
        for token in tokens:
            node = node.setdefault(token, {})
        node.setdefault(_END, []).append(payload)

    def get(self, tokens: tuple[str, ...]) -> list:
        """Payloads of exactly this token sequence."""
        node = self.root
        for token in tokens:
            node = node.get(token)
            if node is None:
                return []
        return node.get(_END, [])

    def longest(self, tokens: list[Token], nameable: list[bool], first: int, stem: str) -> tuple[int, list] | None:
        """``(end, payloads)`` of the longest name that starts with ``stem`` (the form of
        ``tokens[first]``) and goes on with the following tokens of the same sentence;
        quotes and hashtag marks inside the name are skipped, tokens not ``nameable`` end it."""
        node = self.root.get(stem)
        if node is None:
            return None
        best = (first + 1, node[_END]) if _END in node else None
        sentence = tokens[first].sentence
        j = first + 1
        while j < len(tokens) and tokens[j].sentence == sentence:
            token = tokens[j]
            if token.norm in _MARKS:
                j += 1
                continue
            node = node.get(token.norm) if nameable[j] else None
            if node is None:
                break
            j += 1
            if _END in node:
                best = (j, node[_END])
        return best


@dataclass(frozen=True, slots=True)
class Candidate:
    """A name found at tokens ``[first, end)``: ``skip`` characters of the first token are a
    peeled clitic, ``form`` the index of the lookup form used (0: the token as written)."""

    first: int
    end: int
    skip: int
    form: int
    key: tuple[str, ...]
    hits: tuple[Hit, ...]


@dataclass(frozen=True, slots=True)
class Context:
    """The context word governing a name: at token ``index`` (``skip`` chars peeled), or
    ``carried`` over from an earlier name of a coordinated list."""

    qualifier: Qualifier
    index: int
    skip: int
    carried: bool = False


class Gazetteer:
    """The three lexicons compiled for matching (build once per process: :func:`compiled`)."""

    def __init__(self, lexicons: Lexicons):
        self.lexicons = lexicons
        self.names = TokenTrie()
        for entry in lexicons.entries:
            for alias in entry.aliases:
                self.names.add(alias_key(alias), Hit(entry, False))
                if entry.type in _ACRONYM_TYPES and _ARABIC_WORD.fullmatch(alias) and not alias.startswith("ال"):
                    self.names.add(alias_key("ال" + alias), Hit(entry, False))  # أوبك → الأوبك
            for alias in entry.context_aliases:
                self.names.add(alias_key(alias), Hit(entry, True))
        self.qualifiers: dict[str, Qualifier] = {}
        self.directions = TokenTrie()
        self.singular: dict[tuple[str, str], str] = {}
        for q in lexicons.qualifiers:
            key = alias_key(q.word)
            if q.role == "direction":
                self.directions.add(key, q)
                continue
            self.qualifiers[key[0]] = q
            if not q.plural:
                self.singular[q.role, q.id_suffix] = key[0]
        self.rules: dict[tuple[str, ...], list[Rule]] = defaultdict(list)
        for rule in lexicons.rules:
            self.rules[rule.alias].append(rule)
        self.by_id = {e.id: e for e in lexicons.entries}
        self.outlets = {alias_key(alias)[1:]: e for e in lexicons.entries if e.type == "media"
                        for alias in e.aliases if alias_key(alias)[0] in _OUTLET_HEADS}
        self.countries = {e.country: e.id for e in lexicons.entries
                          if e.kind == "place" and e.type == "country" and e.country}
        self.name_head = lru_cache(maxsize=200_000)(self._name_head)
        self._name_starts = lru_cache(maxsize=200_000)(self._lookup_stems)

    # -- finding names ------------------------------------------------------------------

    def candidates(self, tokens: list[Token], nameable: list[bool]) -> list[Candidate]:
        """Every name starting at every token, through each of its lookup forms."""
        found = []
        starts = self._name_starts
        for i in [i for i, token in enumerate(tokens) if nameable[i] and starts(token.norm)]:
            for form, skip, stem in starts(tokens[i].norm):
                match = self.names.longest(tokens, nameable, i, stem)
                if match and not (skip and match[0] == i + 1 and _peel_makes_common(tokens[i].norm)):
                    end, payloads = match
                    key = (stem,) + tuple(t.norm for t in tokens[i + 1:end] if t.norm not in _MARKS)
                    found.append(Candidate(i, end, skip, form, key, tuple(payloads)))
        return found

    @staticmethod
    def select(candidates: list[Candidate]) -> list[Candidate]:
        """Non-overlapping candidates: longest first; of two as long, the one ending later
        (Arabic modifiers follow their head: ``قوات الجيش السوري الحر`` is ``الجيش السوري الحر``);
        then the least peeled form."""
        taken: set[int] = set()
        chosen = []
        for cand in sorted(candidates, key=lambda c: (c.first - c.end, -c.first, c.form)):
            if taken.isdisjoint(range(cand.first, cand.end)):
                taken.update(range(cand.first, cand.end))
                chosen.append(cand)
        return sorted(chosen, key=lambda c: c.first)

    # -- context ------------------------------------------------------------------------

    def _lookup_stems(self, norm: str) -> tuple[tuple[int, int, str], ...]:
        """``(form index, skip, stem)`` of the lookup forms of a word that begin a name."""
        if not norm[:1].isalpha():
            return ()
        roots = self.names.root
        return tuple((form, skip, stem) for form, (skip, stem) in enumerate(lookup_forms(norm)) if stem in roots)

    def _name_head(self, norm: str) -> tuple[int, str] | None:
        """``(clitic length, place type)`` when a word opens an unknown place name: a singular
        settlement word (قرية, بلدة, مخيم…) or a toponym head (``place_name_heads.tsv``: تل, خربة…).
        Called as ``name_head``, cached per normalized form."""
        trigger = self.qualifier_of_form(norm)
        if trigger is not None and _names_settlement(trigger[1]):
            return trigger[0], trigger[1].types[0]
        heads = _place_name_heads()
        return next(((skip, heads[stem]) for skip, stem in lookup_forms(norm) if stem in heads), None)

    def qualifier_of(self, token: Token) -> tuple[int, Qualifier] | None:
        """``(peeled characters, qualifier)`` if the token is a context word (``بريف`` → ريف)."""
        return self.qualifier_of_form(token.norm)

    def qualifier_of_form(self, norm: str) -> tuple[int, Qualifier] | None:
        """:meth:`qualifier_of` for a normalized form."""
        for skip, stem in lookup_forms(norm):
            q = self.qualifiers.get(stem)
            if q:
                return skip, q
        return None

    def left_context(self, tokens: list[Token], cand: Candidate) -> Context | None:
        """The qualifier right before a name written without clitic (a quote or # may separate
        them; a quote only if it closes right after the name: ``قاعدة "البرج 22"`` is no base
        on a town named البرج)."""
        if cand.form != 0:
            return None
        j = cand.first - 1
        if j >= 0 and tokens[j].norm in _MARKS:
            if tokens[j].norm in QUOTES and (cand.end >= len(tokens) or tokens[cand.end].norm not in QUOTES):
                return None
            j -= 1
        if j < 0 or tokens[j].sentence != tokens[cand.first].sentence:
            return None
        found = self.qualifier_of(tokens[j])
        return Context(found[1], j, found[0]) if found else None

    @staticmethod
    def continues_list(tokens: list[Token], previous_end: int, cand: Candidate) -> bool:
        """Whether a name follows the previous one as the next item of a list (و / ،), quotes
        aside; the border the previous one lies on may stand between (``معبري اليعربية على
        الحدود العراقية والرمثا``)."""
        between = [t.norm for t in tokens[previous_end:cand.first] if t.norm not in _MARKS]
        joined_by_waw = cand.skip > 0 and tokens[cand.first].norm.startswith("و")
        if joined_by_waw and len(between) == 3 and between[:2] == ["علي", "الحدود"] and between[2].startswith("ال"):
            return True
        if any(t not in (",", "و") for t in between):
            return False
        return bool(between) or joined_by_waw

    # -- choosing among entries ---------------------------------------------------------

    def choose(self, hits: list[Hit], cand: Candidate, cues: Callable[[], set[str]],
               prefer: tuple[str, ...] = (), seen: Container[str] = ()) -> tuple[Entry, float]:
        """The entry a name stands for, with a confidence: the only one (1.0), a rule's pick
        (one of its ``cues()`` words in the sentence: 0.9; else the one entry the article has
        named already, of the ``seen`` ids: 0.9; else the rule's default: 0.7), else the first
        of the context word's ``prefer``red types (0.9) or of the bare-name types (0.7)."""
        entries = list({h.entry.id: h.entry for h in hits}.values())
        if len(entries) == 1:
            return entries[0], 1.0
        ids = {e.id for e in entries}
        rules = [rule for rule in self.rules.get(cand.key, ()) if rule.id in ids]
        picked = next((rule for rule in rules if rule.cues and rule.cues & cues()), None)
        if picked:
            return self.by_id[picked.id], 0.9
        named = [e for e in entries if e.id in seen]
        if rules and len(named) == 1:
            return named[0], 0.9  # التحالف after التحالف العربي
        default = next((rule for rule in rules if not rule.cues), None)
        if default:
            return self.by_id[default.id], 0.7

        def rank(e: Entry) -> tuple[int, int, int]:
            preferred = prefer.index(e.type) if e.type in prefer else len(prefer)
            typed = _TYPE_ORDER.index(e.type) if e.type in _TYPE_ORDER else len(_TYPE_ORDER)
            return preferred, typed, _KIND_ORDER.index(e.kind)

        ranked = sorted(entries, key=rank)
        decided_by_context = rank(ranked[0])[0] < rank(ranked[1])[0]
        return ranked[0], 0.9 if decided_by_context else 0.7

    # -- the stage ----------------------------------------------------------------------

    def match(self, doc: Document) -> list[Span]:
        """Actor, place and crossing mentions of a tokenized document, in text order."""
        matcher = _DocumentMatch(self, doc)
        return matcher.run()


class _DocumentMatch:
    """The state of matching one document: names seen so far, list context, sentence cues."""

    def __init__(self, gazetteer: Gazetteer, doc: Document):
        self.g = gazetteer
        self.doc = doc
        self.tokens = doc.tokens
        self.nameable = nameable_tokens(doc)
        self.seen: set[str] = set()
        self._cues: dict[int, set[str]] = {}
        self._home: set[str] | None = None

    @cached_property
    def candidates(self) -> list[Candidate]:
        """Every name at every token (:meth:`Gazetteer.candidates`), found once for the run and
        the article's country (:meth:`home_cue`)."""
        return self.g.candidates(self.tokens, self.nameable)

    def run(self) -> list[Span]:
        """Resolve the selected candidates left to right, carrying a plural context word over
        coordinated names; then quoted unknown crossings."""
        mentions: list[Span] = []
        chain: Context | None = None
        previous_end = -1
        consumed = 0
        for cand in self.g.select(self.candidates):
            if cand.first < consumed:
                continue
            context = self.g.left_context(self.tokens, cand)
            if context is None and chain and self.g.continues_list(self.tokens, previous_end, cand):
                context = Context(chain.qualifier, chain.index, chain.skip, carried=True)
            resolved = self.resolve(cand, context)
            chain = None
            if resolved is None:
                continue
            mention, end, governed = resolved
            mentions.append(mention)
            consumed = previous_end = end
            if governed and context.qualifier.plural:
                chain = context
        mentions = [m for m in mentions if not self.adjective_reading(m)]
        bracketed = self.bracketed_names(mentions)
        mentions = [m for m in mentions if not any(b.overlaps(m) for b in bracketed)]
        found = mentions + bracketed + self.quoted_crossings(mentions)
        return sorted(found + self.unknown_settlements(found), key=lambda m: m.start)

    def adjective_reading(self, mention: Span) -> bool:
        """``ليرة سورية``: a name that is also an adjective (``adjective_names.tsv``) after a word
        that is neither a preposition nor a context word describes that word, it names no place;
        a definite one (``السعودية``) only after a definite word (``الخطوط الجوية السعودية``)."""
        allowed = _adjective_names().get(fold(mention.text))
        if allowed is None:
            return False
        own = _token_at(self.tokens, mention.start)  # the token the name is in
        if own < 1 or self.tokens[own].start < mention.start:
            return False  # والسعودية، بسورية: a clitic coordinates or governs the name, no adjective
        before = self.tokens[own - 1]
        if before.sentence != self.tokens[own].sentence or not before.norm.isalpha():
            return False
        stems = [stem for _, stem in lookup_forms(before.norm)]
        if mention.text.startswith("ال") and not any(stem.startswith("ال") for stem in stems):
            return False  # السعودية describes only a definite word (الشركة السعودية); أكدت السعودية names the state
        return not (before.norm in allowed or self.g.qualifier_of(before) or any(stem in allowed for stem in stems))

    def bracketed_names(self, mentions: list[Span]) -> list[Span]:
        """``معبر اليعربية (ربيعة)``, ``عين العرب (كوباني)``: another name of the same entry in
        brackets right after a mention is a mention of it too, context aliases included, and
        takes the place of any other reading of those words."""
        tokens, found = self.tokens, []
        for mention in mentions:
            entry = self.g.by_id.get(mention.canonical) if mention.canonical else None
            i = bisect_left(tokens, mention.end, key=lambda t: t.start)
            if entry is None or i >= len(tokens) or tokens[i].norm != "(" \
                    or tokens[i].start != _skip_spaces(self.doc.text, mention.end):
                continue
            close = next((j for j in range(i + 1, min(i + 6, len(tokens))) if tokens[j].norm == ")"), None)
            names = {alias_key(a) for a in (*entry.aliases, *entry.context_aliases, entry.name_ar)}
            if close and tuple(t.norm for t in tokens[i + 1:close]) in names:
                found.append(self.mention(entry, i + 1, 0, close, mention.confidence or 1.0))
        return found

    def quoted_crossings(self, mentions: list[Span]) -> list[Span]:
        """``معبر "X"`` where no lexicon knows X (one to four words in quotes right after a
        singular trigger): a crossing without canonical id."""
        tokens = self.tokens
        found: list[Span] = []
        for i, token in enumerate(tokens[:-3]):
            if tokens[i + 1].norm not in QUOTES:
                continue
            trigger = self.g.qualifier_of(token)
            if trigger is None or trigger[1].role != "crossing" or trigger[1].plural:
                continue
            j = i + 2
            while j < min(len(tokens), i + 6) and tokens[j].norm[:1].isalpha() and tokens[j].sentence == token.sentence:
                j += 1
            if j == i + 2 or j == len(tokens) or tokens[j].norm not in QUOTES:
                continue
            text, start, stop, sentence = self.span(i, trigger[0], j + 1)
            if not any(m.start < stop and start < m.end for m in mentions):
                found.append(CrossingMention(text=text, start=start, end=stop, sentence=sentence, confidence=0.5,
                                             extractor="gazetteer:crossings:quoted"))
        return found

    def unknown_settlements(self, mentions: list[Span]) -> list[Span]:
        """``قرية عون الدادات``, ``بلدة معارة النعسان``, ``تل جمعة``: a singular settlement word or a
        toponym head followed by one or two words neither a lexicon nor the NER knows is a place
        without canonical id; the name ends at a
        function word (``name_stops.txt``) or day word, a context or direction word, punctuation, or a
        second word that is an adjective in ـية (``بلدة العين البقاعية`` → ``بلدة العين``)."""
        tokens = self.tokens
        found: list[Span] = []
        taken = mentions + [e for e in self.doc.entities if e.label in ("LOC", "ORG")]  # NER's reading wins
        starts, lasts = [t.start for t in tokens], [t.end - 1 for t in tokens]
        covered = {i for m in taken for i in range(bisect_left(lasts, m.start), bisect_left(starts, m.end))}
        name_head = self.g.name_head
        for i in [i for i, token in enumerate(tokens[:-1]) if name_head(token.norm) and not _inner_hamza(token)]:
            token = tokens[i]
            skip, place_type = name_head(token.norm)
            j = i + 1
            while j < min(len(tokens), i + 3) and j not in covered \
                    and self.name_word(tokens[j], token.sentence, second=j > i + 1):
                j += 1
            if j == i + 1:
                continue
            text, start, stop, sentence = self.span(i, skip, j)
            if not any(m.start < stop and start < m.end for m in taken + found):
                found.append(PlaceMention(text=text, start=start, end=stop, sentence=sentence, confidence=0.5,
                                          place_type=place_type, extractor="gazetteer:places:unknown_settlement"))
        return found

    def name_word(self, token: Token, sentence: int, second: bool) -> bool:
        """Whether ``token`` can be part of an unknown place name after a settlement word."""
        norm = token.norm
        if token.sentence != sentence or not norm.isalpha() or len(norm) < 2 or not self.nameable[token.index]:
            return False
        stops = _name_stops()
        if self.g.qualifier_of(token) or self.g.name_head(norm) or any(
                stem in self.g.lexicons.generic_terms or stem in stops for _, stem in lookup_forms(norm)):
            return False  # also a stop behind a clitic: مدينة بأكثر
        # a word in ـية is an adjective: second (بلدة العين البقاعية), or first without the
        # article (ولاية ديموقراطية جديدة)
        if norm.endswith("يه") and (second or not norm.startswith("ال")):
            return False
        if _POSSESSED.search(norm):
            return False  # قضاء إجازتهم: a noun with a possessive pronoun names no place
        # a second word with و or a preposition and the article starts something else (تل جمعة
        # وتل طويل), and so does a first one with ل and the article (ساحة للصراع)
        return not (second and norm.startswith(_NEW_PHRASE) or norm.startswith("لل"))

    def cues(self, cand: Candidate) -> Callable[[], set[str]]:
        """Lookup forms of every token of the candidate's sentence (disambiguation cue words),
        computed when first asked for."""
        sentence = self.tokens[cand.first].sentence

        def forms() -> set[str]:
            if sentence not in self._cues:
                s = self.doc.sentences[sentence]
                self._cues[sentence] = {stem for t in self.tokens[s.token_start:s.token_end]
                                        for _, stem in lookup_forms(t.norm)} | self.home_cue()
            return self._cues[sentence]

        return forms

    def home_cue(self) -> set[str]:
        """``{"@sa"}`` when the document is about one country (the cue ``@SA`` of
        ``disambiguation.tsv``): most of its unambiguous place names are that country's."""
        if self._home is None:
            readings = ({h.entry for h in cand.hits if not h.contextual} for cand in self.candidates)
            home = dominant(Counter(entry.country for found in readings
                                    if len(found) == 1 and (entry := next(iter(found))).kind == "place" and entry.country))
            self._home = {f"@{home.lower()}"} if home else set()
        return self._home

    def resolve(self, cand: Candidate, context: Context | None) -> tuple[Span, int, bool] | None:
        """``(mention, end token, governed by the context word)`` or None."""
        role = context.qualifier.role if context else None
        if role == "crossing":
            found = self.crossing(cand, context)
            if found:
                return found
        elif role is not None:
            found = self.place_in_context(cand, context)
            if found:
                return found
            if _names_settlement(context.qualifier) and not any(h.entry.kind == "place" for h in cand.hits):
                return None  # "قرية عون الدادات": the village, not the crossing named after it
        plain = [h for h in cand.hits if not h.contextual]
        anaphors = [h for h in cand.hits if h.contextual and self.anaphor(h)]
        # التحالف after التحالف العربي is that coalition, not the one its plain alias names
        hits = anaphors if anaphors and not any(h.entry.id in self.seen for h in plain) else plain or anaphors
        if not hits:
            return None
        entry, confidence = self.g.choose(hits, cand, self.cues(cand), seen=self.seen)
        return self.mention(entry, cand.first, cand.skip, cand.end, confidence), cand.end, False

    def anaphor(self, hit: Hit) -> bool:
        """An actor's context alias once the actor was named (``المرصد`` after ``المرصد السوري``);
        a place's or crossing's context alias always needs its context word."""
        return hit.entry.kind == "actor" and hit.entry.id in self.seen

    def crossing(self, cand: Candidate, context: Context) -> tuple[Span, int, bool] | None:
        """A name after a crossing trigger: the listed crossing, or an unlisted one at a known place."""
        hits = [h for h in cand.hits if h.entry.kind == "crossing"]
        start, skip = self.span_start(cand, context)
        if hits:
            entry, confidence = self.g.choose(hits, cand, self.cues(cand))
            return self.mention(entry, start, skip, cand.end, confidence), cand.end, True
        places = [h for h in cand.hits if h.entry.kind == "place"]
        if not places:
            return None
        place, _ = self.g.choose(places, cand, self.cues(cand))
        if place.type in _NO_CROSSING_AT:
            return None  # بوابة إيران، معبر أوروبا: a country's gate is a figure of speech
        text, begin, end, sentence = self.span(start, skip, cand.end)
        mention = CrossingMention(text=text, start=begin, end=end, sentence=sentence,
                                  extractor="gazetteer:crossings:unlisted", confidence=0.5,
                                  parent=place.id, countries=[place.country] if place.country else [])
        return mention, cand.end, True

    def place_in_context(self, cand: Candidate, context: Context) -> tuple[Span, int, bool] | None:
        """A name after a place qualifier or cue: the entry of the qualifier's types, a listed
        facility (plural facility words), or a derived sub-area/facility; None to fall back."""
        q = context.qualifier
        hits = [h for h in cand.hits if h.entry.kind == "place"]
        if not hits:
            return None
        cues = self.cues(cand)
        if q.role == "cue":
            entry, confidence = self.g.choose([h for h in hits if not h.contextual] or hits, cand, cues)
            return self.mention(entry, cand.first, cand.skip, cand.end, confidence), cand.end, False
        start, skip = self.span_start(cand, context)
        typed = [h for h in hits if h.entry.type in q.types]
        if typed:
            entry, confidence = self.g.choose(typed, cand, cues, prefer=q.types)
            return self.mention(entry, start, skip, cand.end, confidence), cand.end, True
        if q.role == "facility" and q.plural:
            listed = self.listed_facility(cand, q)
            if listed:
                return self.mention(listed, cand.first, cand.skip, cand.end, 1.0), cand.end, True
        bases = [h for h in hits if h.entry.type in q.base_types]
        if q.role == "type" or not bases:
            return None
        base, confidence = self.g.choose(bases, cand, cues, prefer=q.base_types)
        end, suffix = cand.end, q.id_suffix
        if q.role == "area":
            end, direction = self.direction_after(cand.end)
            suffix += direction
        text, begin, stop, sentence = self.span(start, skip, end)
        mention = PlaceMention(text=text, start=begin, end=stop, sentence=sentence,
                               extractor=f"gazetteer:places:{q.derive_type}", confidence=confidence,
                               canonical=base.id + suffix, place_type=q.derive_type, parent=base.id,
                               country=base.country)
        self.seen.add(base.id)
        return mention, end, True

    def listed_facility(self, cand: Candidate, q: Qualifier) -> Entry | None:
        """The lexicon facility named by the singular qualifier plus this name
        (``قاعدتي تل بيدر`` → the entry of ``قاعدة تل بيدر``), if there is one."""
        singular = self.g.singular.get((q.role, q.id_suffix))
        for hit in self.g.names.get((singular,) + cand.key) if singular else ():
            if hit.entry.type in q.types and not hit.contextual:
                return hit.entry
        return None

    def direction_after(self, end: int) -> tuple[int, str]:
        """``(new end, id suffix)`` of a direction right after a sub-area (الشرقي, الشمالي الشرقي)."""
        if end < len(self.tokens) and self.tokens[end].sentence == self.tokens[end - 1].sentence:
            found = self.g.directions.longest(self.tokens, self.nameable, end, self.tokens[end].norm)
            if found:
                return found[0], found[1][0].id_suffix
        return end, ""

    def span_start(self, cand: Candidate, context: Context) -> tuple[int, int]:
        """First token and peeled characters of a span: a singular context word is part of
        it, a plural or carried one is not."""
        if context.qualifier.plural or context.carried:
            return cand.first, cand.skip
        return context.index, context.skip

    def span(self, first: int, skip: int, end: int) -> tuple[str, int, int, int]:
        """``(text, start, end, sentence)`` of tokens ``[first, end)``. Quotes stay balanced: a
        quote left open inside the span takes the quote touching its end, or else the one
        touching its start (``“حزب الله” العراقية``)."""
        tokens = self.tokens
        nstart, nend = tokens[first].nstart + skip, tokens[end - 1].nend
        if sum(1 for t in tokens[first:end] if t.norm in QUOTES) % 2:
            if end < len(tokens) and tokens[end].norm in QUOTES and tokens[end].nstart == nend:
                nend = tokens[end].nend
            elif first > 0 and tokens[first - 1].norm in QUOTES and tokens[first - 1].nend == nstart:
                nstart = tokens[first - 1].nstart
        start, stop = self.doc.original_span(nstart, nend)
        while stop > start and unicodedata.category(self.doc.text[stop - 1]) == "Cf":
            stop -= 1  # a direction mark (RLM) folded into the last letter is not part of the name
        return self.doc.text[start:stop], start, stop, tokens[first].sentence

    def mention(self, entry: Entry, first: int, skip: int, end: int, confidence: float) -> Span:
        """The typed mention of a lexicon entry over tokens ``[first, end)``."""
        text, start, stop, sentence = self.span(first, skip, end)
        self.seen.add(entry.id)
        common: dict[str, Any] = dict(text=text, start=start, end=stop, sentence=sentence, confidence=confidence,
                                      canonical=entry.id, extractor=f"gazetteer:{_LAYER[entry.kind]}")
        if entry.kind == "actor":
            return ActorMention(**common, actor_type=entry.type, country=entry.country, parent=entry.parent)
        if entry.kind == "place":
            return PlaceMention(**common, place_type=entry.type, parent=entry.parent, country=entry.country,
                                lat=entry.lat, lon=entry.lon)
        return CrossingMention(**common, crossing_type=entry.type, countries=list(entry.countries),
                               parent=entry.parent, lat=entry.lat, lon=entry.lon)


@cache
def compiled(directory: str | None = None) -> Gazetteer:
    """The compiled gazetteer for a lexicon folder (default: the shipped one), once per process."""
    return Gazetteer(load_lexicons(directory))


@register_component("gazetteer", requires=("doc.tokens",), assigns=("doc.actors", "doc.places", "doc.crossings"))
class GazetteerMatcher:
    """Pipeline stage: fills ``doc.actors``, ``doc.places`` and ``doc.crossings``.

    ``lexicon_dir`` points at another folder of lexicon files (same names as the shipped ones).
    With ``propose=True`` (the default pipeline, where the decision stage follows) bare plural
    crossing words (``المنافذ``) are crossing candidates too, for that stage to weigh.
    """

    name = "gazetteer"

    def __init__(self, lexicon_dir: str | Path | None = None, propose: bool = False):
        self.gazetteer = compiled(str(lexicon_dir) if lexicon_dir else None)
        self.propose = propose
        self.signature = f"gazetteer[{self.gazetteer.lexicons.fingerprint}{',propose' if propose else ''}]"

    def __call__(self, doc: Document) -> Document:
        layers: dict[str, list[Any]] = {"actors": [], "places": [], "crossings": []}  # of Actor-, Place-, CrossingMention
        for mention in self.gazetteer.match(doc):
            layers[_layer_of(mention)].append(mention)
        for entity in self.unlisted_entities(doc, [m for layer in layers.values() for m in layer]):
            layers[_layer_of(entity)].append(entity)
        listed = [m for m in layers["crossings"] + layers["actors"] if not m.extractor.startswith("ner")]
        unlisted = crossing_phrases(doc, listed, self.propose)
        if unlisted:
            for layer in ("places", "actors"):
                layers[layer] = [m for m in layers[layer] if not any(c.overlaps(m) for c in unlisted)]
        layers["crossings"] = [c for c in layers["crossings"] + unlisted if not _after_sector(doc, c)]
        self.longest_organisations(doc, layers)
        self.titled_persons(doc, layers)
        self.whole_persons(doc, layers)
        facilities(doc, layers)
        _sector_names(doc, layers)
        self.quoted_outlets(doc, layers)
        self.dateline_agency(doc, layers)
        for layer in ("places", "actors"):
            layers[layer] = outside_team_names(doc, layers[layer])
        layers["actors"] = [a for a in layers["actors"] if not (a.actor_type == "person" and _in_lineage(doc, a))]
        layers["actors"], layers["places"] = outside_sports_clubs(doc, layers["actors"], layers["places"],
                                                                  lambda m: self.placed(doc, m))
        layers["places"], states = states_as_agents(doc, layers["places"])
        layers["actors"] += states + [m for m in state_sides(doc, self.gazetteer.countries)
                                      if not any(a.overlaps(m) for a in layers["actors"])]
        _generic_names_abroad(layers)
        layers["places"] = [p for p in layers["places"] if not (_blocked(doc, p) or _titled_event(doc, p))]
        self.contextual_names(layers)
        _surnames_of_listed(doc, layers["actors"])
        self.national_bodies(layers)
        for mentions in layers.values():
            for mention in mentions:
                mention.key = mention.canonical or name_key(mention.text)
        doc.actors, doc.places, doc.crossings = (sorted(layers[k], key=lambda m: (m.start, m.end))
                                                 for k in ("actors", "places", "crossings"))
        return doc

    def quoted_outlets(self, doc: Document, layers: dict[str, list[Span]]) -> None:
        """A place name in quotes right after the preposition لـ is the newspaper or channel
        spoken to (``قال لـ«الشرق الأوسط»``, ``في استطلاع ل"الرياض"``; not one opening with a place
        word, ``لـ«مدينة الشمس»``), and an unlisted one right after مراسل the agency of the
        correspondent (``مراسل الأناضول``): a media actor, with the id of the outlet a lexicon
        names as ``صحيفة X`` / ``وكالة X``, not a place."""
        tokens = doc.tokens
        for place in list(layers["places"]):
            i = _token_at(tokens, place.start)
            j = _token_at(tokens, place.end - 1) + 1
            whole = i >= 1 and tokens[i].start == place.start and tokens[j - 1].end == place.end
            quoted = whole and i >= 2 and j < len(tokens) and tokens[i - 1].norm in _OPENING_MARKS \
                and tokens[i - 2].norm == "ل" and tokens[j].norm in _CLOSING_MARKS \
                and tokens[i - 2].sentence == tokens[j].sentence \
                and self.gazetteer.qualifier_of(tokens[i]) is None  # لـ«مدينة الشمس» is a place
            reporter = whole and place.canonical is None and tokens[i - 1].sentence == tokens[i].sentence \
                and any(stem in _REPORTER for _, stem in lookup_forms(tokens[i - 1].norm))
            if not (quoted or reporter):
                continue
            layers["places"].remove(place)
            outlet = self.gazetteer.outlets.get(tuple(t.norm for t in tokens[i:j]))
            layers["actors"].append(ActorMention(
                text=place.text, start=place.start, end=place.end, sentence=place.sentence, confidence=place.confidence,
                canonical=outlet.id if outlet else None, extractor="gazetteer:actors:outlet", actor_type="media",
                country=outlet.country if outlet else None))

    @staticmethod
    def longest_organisations(doc: Document, layers: dict[str, list[Span]]) -> None:
        """Add the organisations a head noun opens (:mod:`extract.rules.organisations`); the
        longest name wins: one covers the shorter actors and places inside it (``شرطة محافظة
        دهوك`` takes ``محافظة دهوك``), yields to a mention reaching beyond it or as long, to a
        listed name that ends it (``قوات الجيش السوري الحر`` stays the listed FSA), and never
        takes a crossing."""
        named = layers["places"] + [m for m in layers["actors"] if m.canonical]
        for org in organisations(doc, named):
            if any(c.overlaps(org) for c in layers["crossings"]):
                continue
            inside = {k: [m for m in layers[k] if org.overlaps(m)] for k in ("places", "actors")}
            if any(m.start < org.start or m.end > org.end or m.end - m.start >= org.end - org.start
                   for m in inside["places"] + inside["actors"]) \
                    or any(m.canonical and m.end == org.end for m in inside["actors"]):
                continue
            for k, ms in inside.items():
                layers[k] = [m for m in layers[k] if m not in ms]
            layers["actors"].append(_named_by_listed(doc, org, inside["actors"]))

    def placed(self, doc: Document, mention: Span) -> bool:
        """Whether a name stands after a locative preposition or a context word, or opens with
        one (``في برشلونة``, ``بمدينة ميلانو``, ``بحي الجزيرة``, ``ملعب الكامب نو``)."""
        tokens = doc.tokens
        i = _token_at(tokens, mention.start)
        if i < 0:
            return False
        first = tokens[i]
        if "ب" in doc.text[first.start:mention.start] or self.gazetteer.qualifier_of(first) is not None \
                or any(stem in _VENUES for _, stem in lookup_forms(first.norm)):
            return True
        j = i - 1
        while j >= 0 and tokens[j].sentence == first.sentence and tokens[j].norm in _OPENING_MARKS:
            j -= 1  # إلى ( لندن )
        if j >= 1 and tokens[j].norm.startswith("ال") and tokens[j].norm.endswith(("ي", "يه")) \
                and _is_capital(tokens[j - 1]):
            j -= 1  # بالعاصمة البريطانية لندن
        before = tokens[j] if j >= 0 and tokens[j].sentence == first.sentence else None
        return before is not None and (before.norm in _PLACE_WORDS or _is_capital(before)
                                       or self.gazetteer.qualifier_of(before) is not None)

    def national_bodies(self, layers: dict[str, list[Span]]) -> None:
        """An unlisted state body named with its country, by a nationality adjective or the
        country's name (``وزارة الخارجية القطرية``, ``سفارة المملكة العربية السعودية``), is that
        country's: ``country`` is set and the id is the country's place id, ``/`` and the body's
        other words without the article (``qatar/وزاره_خارجيه``), so that ``وزارة خارجية قطر``
        groups with it; lexicon ids never hold a ``/``. One named without its country
        (``وزارة الصحة``) is the country of the article (:func:`article_country`), if it has one."""
        actors = layers["actors"]
        heads = chain_words().heads
        home = article_country(layers)
        for k, actor in enumerate(actors):
            if actor.canonical or not isinstance(actor, ActorMention):
                continue
            words = name_key(actor.text).removeprefix("name:").split("_")
            head = head_noun(words[0]) if words else None
            if head is None or heads[head] not in _STATE_BODIES:
                continue
            codes, rest = set(), []
            for j, word in enumerate(words):
                country = next((e.country for h in self.gazetteer.names.get(tuple(words[j:]))
                                if (e := h.entry).kind == "place" and e.type == "country"), None) if j else None
                if country:
                    codes.add(country)
                    break
                found = demonym_countries().get(word, frozenset())
                codes |= found
                if not found:
                    rest.append(word.removeprefix("ال") if j else head)
            if not codes and home and not any(map(not_national, words[1:])):
                codes.add(home)
            if len(codes) == 1 and (code := next(iter(codes))) in self.gazetteer.countries:
                actors[k] = replace(actor, country=code, actor_type=actor.actor_type or heads[head],
                                    canonical=f"{self.gazetteer.countries[code]}/{'_'.join(rest)}")

    @staticmethod
    def titled_persons(doc: Document, layers: dict[str, list[Span]]) -> None:
        """Add the persons named after a title (:mod:`extract.rules.persons`); one takes the
        place of the unlisted (NER) names it overlaps (``اللواء محمد`` → ``محمد الشعار``), never
        of a listed name, a crossing or an organisation named after the person (``مؤسسة الملك
        عبدالله بن عبدالعزيز العالمية``)."""
        every = [m for layer in layers.values() for m in layer]
        known = [m for m in every if m.canonical and getattr(m, "actor_type", None) != "person"]
        for person in persons(doc, known, nameable_tokens(doc)):
            tokens = _name_without_trailing_words(_trimmed(GazetteerMatcher.entity_tokens(doc, person)))
            if not tokens:
                continue
            tokens = _with_lineage(doc, tokens)
            person = cast(ActorMention, _spanning(doc, person, tokens))  # فهد حمزة بالمهرجان → فهد حمزة
            overlapping = [m for m in every if m.overlaps(person)]
            if any(m.canonical or isinstance(m, CrossingMention) or (
                    m.extractor == "rules:organisations" and m.start <= person.start and person.end <= m.end)
                   for m in overlapping):
                continue  # a listed name, a crossing, or an organisation named after the person
            for k in ("places", "actors"):
                layers[k] = [m for m in layers[k] if m not in overlapping]
            layers["actors"].append(person)

    @staticmethod
    def whole_persons(doc: Document, layers: dict[str, list[Span]]) -> None:
        """Unlisted persons with the first name NER or the title rule left before them (``وعمر
        هوساوي``, also when NER made it a person of its own) and the family name after a given
        or father's name (``العقيد ناصر بن سلطان الشريف``) or a one-word person NER put right
        after (``فواز الخيبري``), where no other mention holds those words."""
        tokens = doc.tokens
        merged: set[int] = set()
        for k, person in enumerate(layers["actors"]):
            own = [t for t in _tokens_over(tokens, person) if t.norm[:1].isalpha()]  # with وفواز's token
            if getattr(person, "actor_type", None) != "person" or person.canonical or not own or id(person) in merged:
                continue
            first, last = own[0].index, own[-1].index
            start, end = person.start, person.end
            before = tokens[first - 1] if first else None
            if before is not None and person.start == own[0].start and _first_name_before(before, own[0]):
                start = before.start + (1 if before.norm[0] == "و" and before.norm not in first_names() else 0)
            after = tokens[last + 1] if last + 1 < len(tokens) else None
            if after is not None and after.sentence == own[-1].sentence and doc.text[own[-1].end:after.start].isspace() and (
                    any(_lone_person(m) and (m.start, m.end) == (after.start, after.end) for m in layers["actors"])
                    or not own[-1].norm.startswith("ال") and _family_name_after(doc, own, after)):
                end = after.end  # فواز الخيبري, معتز هوساوي: NER's two persons are one
            others = [m for ms in layers.values() for m in ms if m is not person and m.start < end and start < m.end]
            lone = [m for m in others if _lone_person(m) and (m.end <= person.start or m.start >= person.end)]
            if (start, end) == (person.start, person.end) or len(others) > len(lone):
                continue
            layers["actors"][k] = replace(person, text=doc.text[start:end], start=start, end=end)
            merged |= {id(m) for m in lone}  # وعمر هوساوي read as two persons is one
        layers["actors"] = [m for m in layers["actors"] if id(m) not in merged]

    @staticmethod
    def dateline_agency(doc: Document, layers: dict[str, list[Span]]) -> None:
        """Add the mentions of the agency named in the dateline (:mod:`extract.rules.datelines`)
        in place of the places and unlisted names on the same words; a listed name keeps them.
        The dateline must open with a place, and a listed place in the agency's slot is none."""
        agencies = dateline_sources(doc)
        opening = doc.text[:len(doc.text) - len(doc.text.lstrip())]
        if not agencies or not any(p.start == len(opening) and p.end <= agencies[0].start for p in layers["places"]):
            return  # a dateline opens with its place (عمان 3 شباط (بترا)); (تايلور) is no agency
        if any(p.canonical and p.overlaps(agencies[0]) for p in layers["places"]):
            return  # دمشق/ ريف دمشق: a listed place in the dateline is no agency
        for agency in agencies:
            overlapping = [m for layer in layers.values() for m in layer if m.overlaps(agency)]
            if any(m.canonical and not isinstance(m, PlaceMention) or isinstance(m, CrossingMention) for m in overlapping):
                continue
            for k in ("places", "actors"):
                layers[k] = [m for m in layers[k] if m not in overlapping]
            layers["actors"].append(agency)

    def unlisted_entities(self, doc: Document, matched: list[Span]) -> list[Span]:
        """NER ORG/LOC/PER spans no lexicon match overlaps, as mentions with ``canonical=None``
        (a person is an actor of type ``person``); not a span ending in a word with tanween,
        nor a place name read as an adjective (``adjective_names.tsv``), nor a one-word
        function word (``على``)."""
        out: list[Span] = []
        context = _DocumentMatch(self.gazetteer, doc) if doc.entities else None
        name_ends = {m.end for m in matched} | {e.end for e in doc.entities}
        for entity in doc.entities:
            if entity.label not in ("ORG", "LOC", "PER") or any(m.overlaps(entity) for m in matched):
                continue
            tokens = before_relative_date(doc.tokens, _trimmed(self.entity_tokens(doc, entity)))
            if not tokens or all(self.is_generic(t) for t in tokens) or _function_word(entity.text) \
                    or (entity.label == "ORG" and is_title(tokens[0])):
                continue  # المبعوث الأممي, وزير الخارجية: a title NER read as a body
            for run in _separated(doc, tokens):
                for part in _coordinated_persons(run) if entity.label == "PER" else [run]:
                    out += self.unlisted(doc, context, _spanning(doc, entity, part), part, name_ends)
        return out

    def unlisted(self, doc: Document, context: _DocumentMatch, entity: Span, tokens: list[Token],
                 name_ends: set[int]) -> list[Span]:
        """The mention (none or one) an NER entity cut to ``tokens`` makes."""
        if entity.label == "PER":
            while tokens and (is_title(tokens[0]) or len(tokens) > 1 and tokens[0].norm.startswith("ال")
                              and tokens[0].norm in demonyms()):
                tokens = tokens[1:]  # الكابتن مبارك عبدالكريم, السعودي عبد المجيد عبد الله; العريف alone is none
            if not tokens:
                return []
            tokens = _name_without_trailing_words(tokens)
            tokens = _with_lineage(doc, tokens)  # عبدالله بن ناصر → عبدالله بن ناصر بن خليفة آل ثاني
        entity = _without_clitic(doc, _spanning(doc, entity, tokens), tokens[0], name_ends,
                                 lambda word: self.gazetteer.qualifier_of_form(word) is not None)  # رأى العايد → العايد
        if not context.nameable[tokens[-1].index] or (entity.label == "LOC" and context.adjective_reading(entity)):
            return []  # تركياً، جندياً روسياً: an adverb or adjective; مصادر سورية: an adjective
        if entity.label == "LOC" and len(tokens) == 1 and common_word(tokens[0].norm) \
                and not (tokens[0].index and self.gazetteer.qualifier_of(doc.tokens[tokens[0].index - 1])):
            return []  # بالصور، الحاضر: a common word, no place (بلدة الكبر is one)
        if entity.label in ("ORG", "PER") and len(tokens) == 1 and tokens[0].norm not in first_names() \
                and (tokens[0].norm in common_words() or tokens[0].norm.endswith("ا") and tokens[0].norm[:-1] in common_words()):
            return []  # دينارا، قلبي: a common word as written (also in the accusative), no actor
        common: dict[str, Any] = dict(text=entity.text, start=entity.start, end=entity.end, label=entity.label,
                                      sentence=entity.sentence if entity.sentence is not None
                                      else doc.sentence_index(entity.start),
                                      extractor=entity.extractor or "ner", confidence=entity.confidence, canonical=None)
        if entity.label == "ORG":
            return [ActorMention(**common)]
        if entity.label == "PER":
            return [ActorMention(**common, actor_type="person")]
        if self.is_crossing_trigger(tokens[0]):
            return [CrossingMention(**common)]
        return [PlaceMention(**common)]

    def contextual_names(self, layers: dict[str, list[Span]]) -> None:
        """An unlisted NER name that is the context alias of exactly one lexicon entry of its
        layer takes its id (NER's reading stands for the context word: ``في الفجيرة``, ``والنيجر
        وبنين``, ``طالبان``) where the name is no common word (``الشجرة``) and the entry is a
        country, lies in a country the article names otherwise (``الحمراء`` of Hama is no quarter
        of a Saudi town), or is a body of no country (``مجلس التعاون``); a person (NER's or the
        lexicon's) takes an id only after the full name (:func:`_surnames_of_listed`)."""
        named = {getattr(m, "country", None) for k in ("actors", "places") for m in layers[k] if m.canonical}
        for layer, kind in (("places", "place"), ("actors", "actor")):
            for k, mention in enumerate(layers[layer]):
                if mention.canonical or not mention.extractor.startswith("ner") or common_word(fold(mention.text)) \
                        or getattr(mention, "actor_type", None) == "person":
                    continue
                hits = self.gazetteer.names.get(alias_key(mention.text))
                entries = {hit.entry.id: hit.entry for hit in hits}
                if len(entries) != 1 or not all(hit.contextual and hit.entry.kind == kind for hit in hits):
                    continue
                entry = next(iter(entries.values()))
                if entry.type != "person" and (entry.type in ("country", "state") or entry.country in named
                                               or kind == "actor" and not entry.country):
                    layers[layer][k] = _with_entry(mention, entry)

    @staticmethod
    def entity_tokens(doc: Document, entity: Span) -> list[Token]:
        nstart, nend = doc.normalized.from_original(entity.start, entity.end)
        return [t for t in doc.tokens_between(nstart, nend) if t.norm[:1].isalpha()]

    def is_generic(self, token: Token) -> bool:
        generic = self.gazetteer.lexicons.generic_terms
        return any(stem in generic for _, stem in lookup_forms(token.norm))

    def is_crossing_trigger(self, token: Token) -> bool:
        """A crossing word, not written with a shadda (``معبّر`` is "expressive", a name)."""
        found = self.gazetteer.qualifier_of(token)
        return found is not None and found[1].role == "crossing" and _SHADDA not in token.text


_NOT_NAME = regex.compile(r"[^\p{L}\p{N}]+")
_ACRONYM_TYPES = frozenset({"igo", "sports_body"})  # their one-word names also take the article
_ARABIC_WORD = regex.compile(r"\p{Arabic}{3,}")
_NO_CROSSING_AT = frozenset({"country", "region"})  # places too large to name a crossing after them
_SHADDA = "\u0651"
_POSSESSED = regex.compile(r"ت(?:ها|هم|هما|هن|نا|كم)$")  # ة + a possessive pronoun
_PLACE_WORDS = frozenset({"في", "الي", "من", "داخل", "نحو", "بين"})  # a name after one is a place
_CAPITAL = frozenset({"العاصمه"})  # as is one after the capital (and its adjective)


def _is_capital(token: Token) -> bool:
    return any(stem in _CAPITAL for _, stem in lookup_forms(token.norm))


_OPENING_MARKS = QUOTES | {"(", "«", "“"}
_CLOSING_MARKS = QUOTES | {")", "»", "”"}
_REPORTER = frozenset({"مراسل", "مراسله"})  # مراسل الأناضول: the correspondent of an agency
_OUTLET_HEADS = frozenset({"صحيفه", "جريده", "مجله", "قناه", "وكاله"})  # صحيفة الشرق الأوسط: the outlet's own name follows
_VENUES = frozenset({"ملعب", "استاد", "ستاد", "الملعب", "الاستاد"})  # a name opening with one is a place


@cache
def _sector_words() -> frozenset[str]:
    return frozenset(read_lines("sector_words.txt"))


def _sector_names(doc: Document, layers: dict[str, list[Span]]) -> None:
    """A place right before a sector word (``sector_words.txt``: للطيران، للتأمين) opens the name of
    a company or body (``مصر للطيران``, ``دبي للتأمين``): an organisation without id, no place."""
    tokens = doc.tokens
    for place in list(layers["places"]):
        after = _token_at(tokens, place.end - 1) + 1
        if after >= len(tokens) or tokens[after].norm not in _sector_words() \
                or tokens[after].sentence != tokens[after - 1].sentence or tokens[after - 1].end != place.end:
            continue
        end = tokens[after].end
        if any(a.start < end and place.start < a.end for a in layers["actors"]):
            continue
        layers["places"].remove(place)
        layers["actors"].append(ActorMention(text=doc.text[place.start:end], start=place.start, end=end, label="ORG",
                                             sentence=place.sentence, extractor="gazetteer:actors:sector_name",
                                             confidence=place.confidence))


def _generic_names_abroad(layers: dict[str, list[Span]]) -> None:
    """A body named by common words only (``الجيش الوطني``, ``الأمن العام``, ``قوات النظام``) is
    the lexicon's one of a country only where the article names something of that country: in
    a Yemeni story ``الجيش الوطني`` is not the Syrian National Army; it keeps its span, not the id."""
    generic = [a for a in layers["actors"] if isinstance(a, ActorMention) and a.canonical and a.country
               and a.actor_type not in _PROPER_TYPES | _MULTINATIONAL and common_words_only(a.text)]
    if not generic:
        return
    own = {id(a) for a in generic}
    named = {getattr(m, "country", None) for layer in ("actors", "places") for m in layers[layer] if id(m) not in own}
    named |= {c for m in layers["crossings"] for c in getattr(m, "countries", [])}
    for actor in generic:
        if actor.country not in named:
            actor.canonical, actor.parent = None, None


@cache
def _place_blockers() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Folded place name → (words before, words after) that make it a common word
    (``place_blockers.tsv``)."""
    return {fold(row["name"]): (frozenset(fold(w) for w in row["before"].split("|") if w),
                                frozenset(fold(w) for w in row["after"].split("|") if w))
            for row in read_tsv("place_blockers.tsv")}


def _blocked(doc: Document, place: Span) -> bool:
    """A listed place name that the word before or after it shows to be a common word
    (``النيل من``, ``باليمن والبركات``, ``اللون الرمادي``)."""
    found = next((b for _, stem in lookup_forms(fold(place.text)) if (b := _place_blockers().get(stem))), None)
    if found is None or not place.canonical:
        return False
    tokens = doc.tokens
    first, last = _token_range(tokens, place)
    before, after = found

    def near(j: int, words: frozenset[str]) -> bool:
        return 0 <= j < len(tokens) and tokens[j].sentence == tokens[first].sentence and (
            tokens[j].norm in words or any(stem in words for _, stem in lookup_forms(tokens[j].norm)))
    return near(first - 1, before) or near(last + 1, after)


def _with_entry(mention: Span, entry: Entry) -> Span:
    """An unlisted mention given a lexicon entry's id and attributes."""
    if isinstance(mention, PlaceMention):
        return replace(mention, canonical=entry.id, place_type=entry.type, parent=entry.parent,
                       country=entry.country, lat=entry.lat, lon=entry.lon)
    return replace(cast(ActorMention, mention), canonical=entry.id, actor_type=entry.type, country=entry.country,
                   parent=entry.parent)


def _titled_event(doc: Document, place: Span) -> bool:
    """A place quoted or bracketed with a number after it names an event, not the place
    (``«جنيف 3»``, ``(بلجيكا 2015)``)."""
    tokens = doc.tokens
    first, last = _token_range(tokens, place)
    return 0 < first and last + 2 < len(tokens) and tokens[first - 1].norm in _OPENING_MARKS \
        and tokens[last + 1].norm.isdigit() and tokens[last + 2].norm in _CLOSING_MARKS \
        and tokens[first - 1].sentence == tokens[last + 2].sentence


def _surnames_of_listed(doc: Document, actors: list[Span]) -> None:
    """A one-word unlisted person (NER's) that is the family name of exactly one listed person
    of the article is that person (``صالح`` after ``علي عبدالله صالح``), unlike a father's name
    (``سلمان`` of ``محمد بن سلمان``): it takes the person's id."""
    listed: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
    for actor in actors:
        if isinstance(actor, ActorMention) and actor.canonical and actor.actor_type == "person":
            words = [t for t in _tokens_over(doc.tokens, actor) if t.norm.isalpha()]
            if len(words) > 1 and words[-2].norm not in _LINEAGE | _NAME_LINKS:
                listed[words[-1].norm].add((actor.canonical, actor.country))
    for actor in actors:
        if not _lone_person(actor):
            continue
        found = {person for _, stem in lookup_forms(fold(actor.text.strip())) for person in listed.get(stem, ())}
        if len(found) == 1:
            cast(ActorMention, actor).canonical, cast(ActorMention, actor).country = next(iter(found))


def _named_by_listed(doc: Document, org: ActorMention, inside: list[Span]) -> ActorMention:
    """An organisation named by a listed actor, perhaps after its head, and adjectives
    (``جماعة أنصار الله الحوثية``, ``حزب الله اللبناني``) is that actor: it takes its id,
    unless a nationality other than the actor's or an international word makes it another
    (``حزب الله العراقي``, ``التحالف الإقليمي``)."""
    listed = [m for m in inside if m.canonical and isinstance(m, ActorMention)]
    if len(listed) != 1:
        return org
    actor, tokens = listed[0], doc.tokens
    (first, last), (start, end) = _token_range(tokens, org), _token_range(tokens, actor)
    after = tokens[end + 1:last + 1]
    if start - first > 1 or not all(adjective(t.norm) and not not_national(t.norm) for t in after) or any(
            (countries := demonym_countries().get(t.norm)) and actor.country not in countries for t in after):
        return org  # التحالف الإقليمي is another coalition
    return replace(org, canonical=actor.canonical, actor_type=actor.actor_type, country=actor.country)


def article_country(layers: dict[str, list[Span]]) -> str | None:
    """The country an article is about: the one its identified places and actors belong to
    (:func:`dominant`)."""
    return dominant(Counter(c for ms in layers.values() for m in ms
                            if m.canonical and (c := getattr(m, "country", None))))


def dominant(counts: Counter[str]) -> str | None:
    """The country counted at least twice and at least twice as often as any other.

    >>> dominant(Counter({"SA": 3, "EG": 1})), dominant(Counter({"SA": 3, "EG": 2}))
    ('SA', None)
    """
    ranked = counts.most_common(2) + [("", 0)] * 2
    (top, n), (_, second) = ranked[0], ranked[1]
    return top if n >= 2 and n >= 2 * second else None


_STATE_BODIES = frozenset({"government", "military", "security"})  # the heads of a state's own bodies
_PROPER_TYPES = frozenset({"state", "person", "media", "company", "igo", "monitor"})  # names, however common their words (الشرق الأوسط)
_MULTINATIONAL = frozenset({"coalition"})  # bodies of no one country (التحالف, Saudi-led, is no Saudi body)


def _peel_makes_common(norm: str) -> bool:
    """A one-word name read behind a clitic where the word is a common one as written, or ل +
    the article + a common one (``للحج`` is for the Hajj, not to Lahij)."""
    return norm in common_words() or norm.startswith("لل") and "ال" + norm[2:] in common_words()


def common_word(norm: str) -> bool:
    """A word the NER corpora use almost only outside names (``common_words.txt``), under any
    of its clitic-peeled forms (``بالصور``)."""
    return any(stem in common_words() for _, stem in lookup_forms(norm))


@cache
def _function_words() -> frozenset[str]:
    """The function words of ``name_stops.txt`` as written (``على`` with its alif maqsura, so
    that the name ``علي`` is not one)."""
    return frozenset(read_lines("name_stops.txt"))


def _name_without_trailing_words(tokens: list[Token]) -> list[Token]:
    """A person's name without the nationality or indefinite common words NER or the title rule
    took in after it (``محمد العتيبي السعودي``, ``فؤاد معصوم بشكل``, ``سعود دور``)."""
    while len(tokens) > 1 and (tokens[-1].norm in nationalities() or _common_after_name(tokens[-1])):
        tokens = tokens[:-1]
    return tokens


def _common_after_name(token: Token) -> bool:
    """An indefinite common word NER took in after a person's name, as written or behind one
    preposition (``بشكل``, ``دور``); no first name (``صالح``), definite word (``الجديد`` is a
    family name as often) or Gulf family name in بو (``بوخمسين``)."""
    norm = token.norm
    if norm in first_names() or norm.startswith(("ال", "بو")):
        return False
    return norm in common_words() or norm[0] in "بلك" and norm[1:] in common_words()


def _trimmed(tokens: list[Token]) -> list[Token]:
    """An NER span's words without a verb or function word NER took in at its start (``رأى
    العايد``, ``أن مليباري``) or a function word or preposition + article word at its end
    (``لويس إنريكي بشأن``, ``فهد حمزة بالمهرجان``)."""
    loose = _loose_words()
    while tokens and tokens[0].text in loose:
        tokens = tokens[1:]
    while tokens and (tokens[-1].text in loose
                      or len(tokens) > 1 and tokens[-1].norm.startswith(_JOINING) and len(tokens[-1].norm) > 5):
        tokens = tokens[:-1]
    return tokens


def _lone_person(mention: Span) -> bool:
    """An unlisted one-word person."""
    return isinstance(mention, ActorMention) and mention.actor_type == "person" and not mention.canonical \
        and " " not in mention.text.strip()


def _in_lineage(doc: Document, mention: Span) -> bool:
    """A name right after بن/ابن/بنت is a father's in a longer name (``الأمير فيصل بن عبدالله بن
    عبدالعزيز`` is not King Abdullah)."""
    i = _token_at(doc.tokens, mention.start)
    return i > 0 and doc.tokens[i].start == mention.start and doc.tokens[i - 1].norm in _LINEAGE


_LINEAGE = frozenset({"بن", "ابن", "بنت"})


def _with_lineage(doc: Document, tokens: list[Token]) -> list[Token]:
    """A person's name with the lineage that follows it: ``بن``/``ابن``/``بنت``/``آل`` and a
    name, as often as they come (``سعد بن عوضة بن سابر``, ``عبدالله بن ناصر بن خليفة آل ثاني``);
    a link the name was cut after goes on to its name (``عبد اللطيف بن`` → ``عبد اللطيف بن
    عبدالملك آل الشيخ``, ``زينب أبو`` → ``زينب أبو طالب``) or, with no name after it, is left
    out (``احمد ابن (الاربع سنوات)``)."""
    every = doc.tokens
    j = tokens[-1].index + 1
    if tokens[-1].norm in _NAME_LINKS and j < len(every) and every[j].norm.isalpha() \
            and every[j].sentence == tokens[-1].sentence and every[j].start - tokens[-1].end <= 1:
        tokens = [*tokens, every[j]]  # زينب أبو → زينب أبو طالب
    while len(tokens) > 1 and tokens[-1].norm in _LINEAGE:
        tokens = tokens[:-1]
    out = list(tokens)
    j = out[-1].index + 1
    while (j + 1 < len(every) and every[j].norm in _LINEAGE_LINKS and every[j + 1].norm.isalpha()
           and not _number_word(every[j + 1].norm) and every[j].sentence == every[j + 1].sentence == out[-1].sentence):
        out += [every[j], every[j + 1]]
        j += 2
    return out


_LINEAGE_LINKS = _LINEAGE | {"ال"}  # آل folds to ال
_NAME_LINKS = frozenset({"ابو", "ابي", "عبد"})  # a name never ends in them (أبو طالب, عبد الله)


def _number_word(norm: str) -> bool:
    """``الاربع`` in ``ابن الاربع سنوات``: an age, no father's name."""
    words = number_words()
    return norm in words or (norm.startswith("ال") and norm[2:] in words)


def _inner_hamza(token: Token) -> bool:
    """A word with a hamza on alif after its first letter is no head written without one
    (``وأدى`` is "and performed", not ``وادي``)."""
    return any(c in "أإ" for c in token.text[1:])


def _after_sector(doc: Document, crossing: Span) -> bool:
    """A crossing's name right after قطاع names a border guard sector (``بقطاع حالة عمار``)."""
    i = _token_at(doc.tokens, crossing.start)
    if i < 1 or doc.tokens[i].start != crossing.start:
        return False
    before = doc.tokens[i - 1]
    return before.sentence == doc.tokens[i].sentence and any(stem == "قطاع" for _, stem in lookup_forms(before.norm))


def _separated(doc: Document, tokens: list[Token]) -> list[list[Token]]:
    """An NER span cut where a dash drawn with the tatweel stands between two words, as lists
    and asides are set off (``عبدالعزيز الجبرين ـ شايع شراحيلي``, ``فيصل بن عبدالعزيز ـ غفر
    الله له ـ``), and at a word that opens a clause (``وزارة التجارة أن الشركة``: two names);
    a hyphen stays inside a name (``أوكسلايد - تشامبرلاين``)."""
    runs: list[list[Token]] = [[tokens[0]]]
    for k, (before, token) in enumerate(zip(tokens, tokens[1:]), 1):
        if token.text in _CLAUSE_WORDS or token.text == "ان" and tokens[k + 1:k + 2] \
                and tokens[k + 1].norm.startswith("ال"):  # not the ان of سي ان ان
            runs.append([])
        elif _TATWEEL_DASH.fullmatch(doc.text[before.end:token.start]) or not runs[-1]:
            runs.append([token])
        else:
            runs[-1].append(token)
    return [run for run in runs if run]


_CLAUSE_WORDS = frozenset({"أن", "إن", "أنه", "إنه", "أنها", "إنها", "التي", "الذي", "الذين", "حيث", "بينما"})


_TATWEEL_DASH = regex.compile(r"\s*\u0640+\s*")


def _coordinated_persons(tokens: list[Token]) -> list[list[Token]]:
    """An NER person span cut where a word opens with the conjunction و and is not itself a
    first name (``سانتي وثيو``, ``نبيل وجابر``; ``محمد وليد`` stays one name)."""
    parts = [[tokens[0]]]
    for token in tokens[1:]:
        if token.norm.startswith("و") and len(token.norm) > 3 and token.norm not in first_names():
            parts.append([token])
        else:
            parts[-1].append(token)
    return parts


def _first_name_before(before: Token, first: Token) -> bool:
    """A known first name (or و and one) right before a name's first word, in its sentence."""
    norm = before.norm
    name = norm if norm in first_names() else norm[1:] if norm[:1] == "و" else ""
    return (before.sentence == first.sentence and before.end < first.start and name in first_names()
            and not first.norm.startswith("ال") and before.text not in _loose_words() and not name_stop(before))


def _family_name_after(doc: Document, own: list[Token], after: Token) -> bool:
    """A definite word right after a name's given or father's name that can be a name word
    (not a title, stop, verb, nationality or feminine adjective): a nisba (``الزهراني``), or
    after a lineage a word that is no participle and opens no coordination (``أحمد بن محمد
    السالم``; not ``تشارلز برونسون المفترض``, ``فهد الشكر والتقدير``); after a lineage also an
    indefinite name word that is neither a common word nor a first name (``سعيد بن محمد مخايش``)."""
    norm, last = after.norm, own[-1]
    lineage = any(t.norm in _LINEAGE for t in own[1:])
    if lineage and after.sentence == last.sentence and not norm.startswith(("ال", "و", "ف", "كال") + _JOINING) \
            and len(norm) > 2 and not after.text.endswith("ه") and not _TANWEEN.search(after.text) \
            and norm.isalpha() and last.norm not in _LINEAGE and name_word(after) \
            and not common_word(norm) and norm not in first_names():
        return True  # سعيد بن محمد مخايش: a family name without the article after a lineage (not ابن بطوطة مول,
        # عبدالرحمن بن مساعد شكره, فهد بن خالد لاستقالته, … تعميماً)
    if not (after.sentence == last.sentence and norm.startswith("ال") and len(norm) > 4 and norm.isalpha()
            and not norm.endswith("يه") and name_word(after) and norm not in nationalities()
            and last.norm not in _LINEAGE and not _number_word(norm)):
        return False
    if norm.endswith("ي"):
        return True
    following = doc.tokens[after.index + 1] if after.index + 1 < len(doc.tokens) else None
    coordinated = following is not None and following.norm.startswith("وال")
    return any(t.norm in _LINEAGE for t in own) and not norm.startswith("الم") and not coordinated


def _spanning(doc: Document, mention: Span, tokens: list[Token]) -> Span:
    """``mention`` cut or stretched to exactly ``tokens`` (a clitic before it stays out)."""
    start, end = max(tokens[0].start, mention.start), tokens[-1].end
    if (start, end) == (mention.start, mention.end):
        return mention
    return replace(mention, text=doc.text[start:end], start=start, end=end)


def _without_clitic(doc: Document, entity: Span, first: Token, name_ends: set[int],
                    context_word: Callable[[str], bool]) -> Span:
    """An NER span without the و/ف/ب/ل it took in with its first word: و/ف/ب before the article
    (``بالخفجي`` → ``الخفجي``; not ك: ``كاليفورنيا``), و/ل before a first name and any of them
    before a head noun or a place context word that the whole word is not (``ومحمد``, ``لشبكة``,
    ``لمدينة الملك سعود``; ``بسام``, ``برمل``
    stay), or و after another name (``بنغازي وطبرق``); a tatweel after the clitic goes too."""
    norm, previous = first.norm, doc.tokens[first.index - 1] if first.index else None
    if entity.start != first.start or len(norm) < 4 or norm[0] not in "وفبل" \
            or doc.text[first.start] != first.text[0] or not first.text[1:2].isalpha():
        return entity
    rest = norm[1:]
    before_article = rest.startswith("ال") and len(rest) > 4 and norm[0] != "ل"
    before_word = norm not in first_names() and head_noun(norm) != norm and (
        (rest in first_names() and norm[0] in "ول") or head_noun(rest) == rest or opens_name(rest) or context_word(rest))
    if previous is not None and previous.norm in "،," and previous.index:
        previous = doc.tokens[previous.index - 1]  # بنغازي، وطبرق
    after_name = norm[0] == "و" and previous is not None and previous.sentence == first.sentence \
        and previous.end in name_ends
    if not (before_article or before_word or after_name):
        return entity
    cut = 1 + len(first.text[1:]) - len(first.text[1:].lstrip("ـ"))  # بـالديرة
    return replace(entity, text=entity.text[cut:], start=entity.start + cut)


_JOINING = ("بال", "لل", "وبال", "ولل", "فال")  # a preposition + article opens no name's last word


@cache
def _loose_words() -> frozenset[str]:
    """Function words and verbs of saying and acting that never begin or end a name, as written
    (``على`` with its alif maqsura: the name ``علي`` is none)."""
    return _function_words() | frozenset(read_lines("agent_verbs.txt"))


def _function_word(text: str) -> bool:
    """A one-word name NER found that is a function word as written (``على``)."""
    word = text.strip()
    return word in _function_words() or word[:1] in "وف" and word[1:] in _function_words()


def name_key(text: str) -> str:
    """A name no lexicon knows, folded so that its spellings group: ``name:`` + the normalized
    letters and digits, words joined by ``_``; a fused ل + article is the article.

    >>> name_key("«مولود جاويش أوغلو»"), name_key("مولود  جاويش اوغلو"), name_key("للأناضول")
    ('name:مولود_جاويش_اوغلو', 'name:مولود_جاويش_اوغلو', 'name:الاناضول')
    """
    words = _NOT_NAME.sub(" ", fold(text)).split()
    if words and words[0].startswith("لل") and len(words[0]) > 4:
        words[0] = "ال" + words[0][2:]  # للأناضول: ل + الأناضول
    return "name:" + "_".join(words)


def _layer_of(mention: Span) -> str:
    if isinstance(mention, ActorMention):
        return "actors"
    return "places" if isinstance(mention, PlaceMention) else "crossings"
