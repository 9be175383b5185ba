"""Convoy mentions and their sizes, on the tokens of the normalized text.

Small rules that compose (number → quantity → vehicles → convoy), read from three lexicons
(numbers inside the date mentions of the dates stage are never counts):
``vehicles.tsv`` (vehicle nouns → kind), ``convoy_words.tsv`` (convoy nouns, the words that link
a convoy to its size, the cues around a bare vehicle count) and ``cargo_words.tsv``.

* ``convoys:convoy_with_size`` — a convoy noun with its size right after it:
  ``قافلة تضم أكثر من 100 شاحنة``, ``رتلاً عسكرياً مؤلفاً من نحو 30 آلية`` (one item, the whole phrase);
* ``convoys:convoy_size_apart`` — a size linked by تتألف من/تضم… to a convoy noun earlier in the
  sentence (or to a sizeless convoy of the sentence before): ``دخلت قافلة … ، وتتألف من 75 شاحنة``
  is one item, ``75 شاحنة``, carrying the convoy word;
* ``convoys:vehicles_on_the_move`` — a vehicle count with no convoy noun, when its clause says the
  vehicles move (``عبرت 18 شاحنة``, ``استقدم التحالف مئات الشاحنات``) or it carries cargo
  (``40 صهريجا محملا بالنفط``); never when the clause counts a cumulative total (``ارتفع عدد``) or
  vehicles hit, destroyed or seized (``استهداف 3 آليات``);
* ``convoys:convoy_count`` — a number of convoys (``دخول 3 قوافل``, ``قافلتين``): ``counts="convoys"``;
* ``convoys:convoy_without_size`` — an indefinite convoy noun with no size (``قافلة مساعدات``);
  a definite one (``القافلة``, ``الرتل``) points back to a convoy already listed.

>>> from extract import Pipeline
>>> from extract.normalize import Normalizer
>>> from extract.tokenize import Tokenizer
>>> doc = Pipeline([Normalizer(), Tokenizer(), ConvoyMatcher()])("دخلت قافلة تضم نحو 30 شاحنة محملة بالطحين")
>>> [(c.text, c.size_min, c.size_max, c.approximate, c.vehicle, c.cargo) for c in doc.convoys]
[('قافلة تضم نحو 30 شاحنة', 30, 30, True, 'truck', ['food'])]
"""

from __future__ import annotations

import logging
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any, NamedTuple

import regex

from ..doc import ConvoyMention, Document, Token
from ..lexicons import alternation, read_tsv
from ..normalize import fold
from ..registry import register_component
from ..tokenize import lookup_forms
from .numbers import Quantity, find_quantities
from .wordstarts import WordStartPattern, opening_runs

log = logging.getLogger(__name__)

_GAP_WORDS = 4  # words allowed between a convoy noun and its linker (رتلاً عسكرياً مؤلفاً من …)
_GAP_TOKENS = 12  # tokens (linkers and quotes too) allowed between a convoy noun and its size
_MAX_ITEMS = 8  # nouns or counts in one coordinated list (longer runs are not news prose)
_MAX_MODIFIERS = 3  # adjectives after one vehicle noun
_CUE_WINDOW = 25  # tokens looked back for a movement, hostile or total cue, inside the clause
_RATE_WINDOW = 8  # tokens after a vehicle count looked at for a rate word, inside the clause
_CUE_AFTER = 12  # tokens looked ahead, within the clause, for a movement or hostile cue (18 شاحنة عبرت …)
_CARGO_AFTER_CARRY = 1  # a number this close after a carry word is cargo (تحمل 20 دبابة، محملة بـ20 طنا)
_BOUNDARIES = frozenset(",;:.?!()[]-")
_CONJUNCTION = "و"
_OF = "من"
_CUE_ROLES = ("movement", "hostile", "total", "linker", "rate", "contrast")
_OTHER = frozenset({"اخري", "اخر", "اضافيه"})  # "20 شاحنة أخرى" is another convoy
_ONE_OF = frozenset({"احدي", "احد"})


@dataclass(frozen=True, slots=True)
class _Entry:
    """One lexicon phrase: its words, role and the row it came from."""

    words: tuple[str, ...]
    role: str
    row: dict[str, str]


@dataclass(frozen=True, slots=True)
class _Hit:
    """A lexicon phrase found at tokens ``[first, last)``; ``nstart`` is after a peeled clitic."""

    entry: _Entry
    first: int
    last: int
    nstart: int
    nend: int
    definite: bool

    @property
    def row(self) -> dict[str, str]:
        return self.entry.row


def _entries() -> list[_Entry]:
    out = [_Entry(tuple(fold(row["form"]).split()), "modifier" if row["number"] == "mod" else "vehicle", row)
           for row in read_tsv("vehicles.tsv")]
    out += [_Entry(tuple(fold(row["phrase"]).split()), row["role"], row) for row in read_tsv("convoy_words.tsv")]
    out += [_Entry(tuple(fold(row["word"]).split()), "cargo", row) for row in read_tsv("cargo_words.tsv")]
    return out


@lru_cache(maxsize=100_000)
def _names_vehicle_or_convoy(norm: str) -> bool:
    """Whether a token can begin a vehicle or convoy phrase: a sentence with no such token
    names no convoy and is skipped before its tokens are looked up."""
    return any(e.role in ("vehicle", "convoy") for _, _, e in _candidates(norm))


@cache
def _index() -> dict[str, list[_Entry]]:
    """First word → lexicon entries starting with it, longest first."""
    index: dict[str, list[_Entry]] = {}
    for entry in _entries():
        index.setdefault(entry.words[0], []).append(entry)
    for entries in index.values():
        entries.sort(key=lambda e: -len(e.words))
    return index


def _stems(norm: str) -> tuple[tuple[int, str, bool], ...]:
    """``(skip, stem, definite)`` forms of a token: clitics (و ف ب ك ل) and the article peeled.

    >>> _stems("والشاحنات")[-1]
    (1, 'شاحنات', True)
    """
    out = []
    for skip, stem in lookup_forms(norm):
        out.append((skip, stem, False))
        if stem.startswith("ال") and len(stem) > 3:
            out.append((skip, stem[2:], True))
    return tuple(out)


def _word_matches(token: Token, word: str) -> bool:
    return token.norm == word or token.norm == "ال" + word


@lru_cache(maxsize=200_000)  # per word form, bounded like the other per-word caches
def _candidates(norm: str) -> tuple[tuple[int, bool, _Entry], ...]:
    """``(skip, definite, entry)`` for every lexicon phrase whose first word a token's forms are."""
    index = _index()
    return tuple((skip, definite, entry) for skip, stem, definite in _stems(norm) for entry in index.get(stem, ()))


_NO_HITS: dict[str, _Hit] = {}  # shared by every token without hits; never written to


def _hits_at(tokens: list[Token], i: int, end: int) -> dict[str, _Hit]:
    """The longest lexicon phrase of each role starting at token ``i``."""
    candidates = _candidates(tokens[i].norm)
    if not candidates:
        return _NO_HITS
    hits: dict[str, _Hit] = {}
    for skip, definite, entry in candidates:
        last = i + len(entry.words)
        if entry.role in hits and len(entry.words) <= hits[entry.role].last - i or last > end:
            continue
        if all(_word_matches(tokens[i + k], w) for k, w in enumerate(entry.words[1:], 1)):
            hits[entry.role] = _Hit(entry, i, last, tokens[i].nstart + skip, tokens[last - 1].nend, definite)
    return hits


@dataclass(slots=True)
class _Size:
    """A vehicle count: ``[nstart, nend)``, the token after it, bounds and the vehicle kinds."""

    nstart: int
    nend: int
    next: int
    low: int | None
    high: int | None
    approximate: bool
    kinds: list[str]
    vehicle_tokens: set[int]

    def add(self, other: _Size) -> None:
        """Coordinated counts add up: ``20 شاحنة و10 صهاريج`` is 30 vehicles."""
        self.low = None if self.low is None or other.low is None else self.low + other.low
        self.high = None if self.high is None or other.high is None else self.high + other.high
        self.approximate = self.approximate or other.approximate
        self.kinds += other.kinds
        self.vehicle_tokens |= other.vehicle_tokens
        self.nend, self.next = other.nend, other.next


@dataclass(slots=True)
class _Vehicles:
    """Vehicle nouns with their modifiers and unnumbered coordinated nouns (سيارة عسكرية وشاحنة)."""

    nstart: int
    nend: int
    next: int
    kinds: list[str]
    dual: bool
    tokens: set[int]


@dataclass(slots=True)
class _Convoy:
    """A convoy noun waiting for a size later in the sentence, or to be listed without one
    (``mention`` is None for a definite noun, which points back to a convoy already listed)."""

    convoy_word: str | None
    mention: ConvoyMention | None
    cargo: list[str] = field(default_factory=list)


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


class _NormSpan(NamedTuple):
    nstart: int
    nend: int


class _Reader:
    """The convoy rules applied to one document, sentence by sentence."""

    def __init__(self, doc: Document, propose: bool = False):
        self.doc = doc
        self.propose = propose
        self.tokens = doc.tokens
        self.hits: list[dict[str, _Hit]] = [_NO_HITS] * len(self.tokens)
        self._with_hits: list[int] = []  # tokens with lexicon hits, in order
        self.after_linker: set[int] = set()
        self.quantities: dict[int, tuple[Quantity, int]] = {}
        self.clause_start: list[int] = [0] * len(self.tokens)
        self.found: list[ConvoyMention] = []
        self._nstarts = [t.nstart for t in self.tokens]
        self.date_spans = [_NormSpan(*doc.normalized.from_original(d.start, d.end)) for d in doc.dates]
        naming = {t.sentence for t in self.tokens if _names_vehicle_or_convoy(t.norm)}
        self.sentences = [s for s in doc.sentences if s.index in naming and self._tag(s.token_start, s.token_end)]
        for sentence in self.sentences:
            self._quantify(sentence.nstart, sentence.nend)
        self.cue_positions = self._cue_positions()

    def _tag(self, first: int, end: int) -> bool:
        """Lexicon hits and clause starts of a sentence's tokens; whether it names a vehicle or convoy."""
        clause, named = first, False
        for i in range(first, end):
            self.hits[i] = _hits_at(self.tokens, i, end)
            if self.hits[i]:
                self._with_hits.append(i)
            self.clause_start[i] = clause
            if self._is_boundary(i):
                clause = i + 1
            if linker := self.hits[i].get("linker"):
                self.after_linker.update(range(linker.first + 1, linker.last + 1))
            named = named or "vehicle" in self.hits[i] or "convoy" in self.hits[i]
        return named

    def _quantify(self, nstart: int, nend: int) -> None:
        try:
            quantities = find_quantities(self.doc.norm_text[nstart:nend])
        except TimeoutError:
            log.warning("doc %s: quantity search timed out in a sentence at %d; sizes there skipped",
                        self.doc.doc_id, nstart)
            return
        for q in quantities:
            q = Quantity(q.start + nstart, q.end + nstart, q.low, q.high, q.approximate, q.kind)
            if any(d.nstart < q.end and q.start < d.nend for d in self.date_spans):
                continue  # the 2022 of "في 3/3/2022 قافلتين" is part of a date, not a count
            first = bisect_right(self._nstarts, q.start) - 1
            self.quantities[first] = (q, bisect_left(self._nstarts, q.end))

    # -- token tests ------------------------------------------------------------------------

    def _is_boundary(self, i: int) -> bool:
        return self.tokens[i].norm in _BOUNDARIES

    def _is_word(self, i: int) -> bool:
        return self.tokens[i].norm.isalpha()

    def _hit(self, i: int, role: str) -> _Hit | None:
        return self.hits[i].get(role) if i < len(self.tokens) else None

    def _cue_positions(self) -> dict[str, list[int]]:
        """Role → the tokens with a cue of that role, in order."""
        positions: dict[str, list[int]] = {role: [] for role in _CUE_ROLES}
        for i in self._with_hits:
            for role in self.hits[i].keys() & positions.keys():
                positions[role].append(i)
        return positions

    def _sentence_start(self, i: int) -> int:
        return self.doc.sentences[self.tokens[i].sentence].token_start

    def _last_cue(self, role: str, start: int, end: int) -> int:
        """The last token in ``[start, end)`` with a ``role`` cue, or -1."""
        positions = self.cue_positions[role]
        k = bisect_left(positions, end) - 1
        return positions[k] if k >= 0 and positions[k] >= start else -1

    def _conjoined(self, i: int, end: int) -> int | None:
        """Where the item after a conjunction at token ``i`` starts (``و 30``, ``وشاحنة``)."""
        if i >= end:
            return None
        if self.tokens[i].norm == _CONJUNCTION:
            return i + 1 if i + 1 < end else None
        token = self.tokens[i]
        if token.norm.startswith(_CONJUNCTION):
            vehicle = self._hit(i, "vehicle")
            quantity = self.quantities.get(i)
            if (vehicle and vehicle.nstart > token.nstart) or (quantity and quantity[0].start > token.nstart):
                return i
        return None

    # -- vehicles and sizes -----------------------------------------------------------------

    def _vehicles(self, i: int, end: int) -> _Vehicles | None:
        """Vehicle nouns at token ``i``: ``سيارة عسكرية وشاحنة`` → [military_vehicle, truck]."""
        hit = self._hit(i, "vehicle") if i < end else None
        if hit is None:
            return None
        phrase = _Vehicles(hit.nstart, hit.nend, hit.last, [], hit.row["number"] == "du", set())
        while True:
            kind, j = hit.row["kind"], hit.last
            for _ in range(_MAX_MODIFIERS):
                modifier = self._hit(j, "modifier") if j < end else None
                if modifier is None or modifier.nstart != self.tokens[j].nstart:  # no و before an adjective
                    break
                if kind in modifier.row["refines"].split("|"):
                    kind = modifier.row["kind"]
                j = modifier.last
            phrase.kinds.append(kind)
            phrase.tokens.update(range(hit.first, j))
            phrase.nend, phrase.next = self.tokens[j - 1].nend, j
            after = self._conjoined(j, end)
            hit = self._hit(after, "vehicle") if after is not None else None
            if hit is None or hit.row["number"] == "du" or after in self.quantities \
                    or len(phrase.kinds) >= _MAX_ITEMS:
                return phrase

    def _size_part(self, i: int, end: int) -> _Size | None:
        """One counted vehicle noun: ``نحو 30 آلية``, ``30 من الآليات``, ``شاحنتين``."""
        if i in self.quantities:
            quantity, j = self.quantities[i]
            start = quantity.start
            if j < end and self.tokens[j].norm == ")" and i > 0 and self.tokens[i - 1].norm == "(":
                j, start = j + 1, self.tokens[i - 1].nstart  # "(7) شاحنات": a count in brackets
            if j < end and self.tokens[j].norm == _OF:
                j += 1
            vehicles = self._vehicles(j, end)
            if vehicles is None:
                return None
            size = _Size(start, vehicles.nend, vehicles.next, quantity.low, quantity.high,
                         quantity.approximate, vehicles.kinds, vehicles.tokens)
        else:
            vehicles = self._vehicles(i, end)
            if vehicles is None or not vehicles.dual:
                return None
            size = _Size(vehicles.nstart, vehicles.nend, vehicles.next, 2, 2, False, vehicles.kinds, vehicles.tokens)
        if trailing := self._hit(size.next, "trailing"):
            size.approximate = True
            if trailing.row["canonical"] == "at_least":
                size.high = None
            size.nend, size.next = trailing.nend, trailing.last
        return size

    def _size(self, i: int, end: int) -> _Size | None:
        """A vehicle count with the counts coordinated after it (``20 شاحنة و10 صهاريج``)."""
        size = self._size_part(i, end)
        for _ in range(_MAX_ITEMS - 1):
            if size is None:
                break
            after = self._conjoined(size.next, end)
            more = self._size_part(after, end) if after is not None else None
            if more is None:
                break
            size.add(more)
        return size

    def _members(self, i: int, end: int) -> tuple[list[str], int]:
        """Vehicle kinds listed after بينها/منها (part of the convoy just named) and the token after."""
        j = i + 1 if i < end and self.tokens[i].norm == "," else i
        member = self._hit(j, "member")
        if member is None:
            return [], i
        kinds: list[str] = []
        j = member.last
        for _ in range(_MAX_ITEMS):
            item = self._size(j, end) or self._vehicles(j, end)
            if item is None:
                break
            kinds += item.kinds
            j = item.next
            after = self._conjoined(j, end)
            if after is None:
                break
            j = after
        return kinds, (j if kinds else i)

    # -- cargo ------------------------------------------------------------------------------

    def _cargo(self, i: int, end: int, own: set[int]) -> tuple[list[str], int]:
        """Cargo classes named from token ``i`` to the end of the clause, and where that stops.

        Stops at punctuation, a convoy noun, a word that ends the phrase (إلى, في…) or a number,
        unless the number is what a carry word carries (``تحمل 20 دبابة``, not ``محملة بالقمح و5
        صهاريج``). Vehicle nouns after a carry word are the cargo "vehicles".
        """
        cargo: list[str] = []
        carried_from: int | None = None
        j = i
        while j < end and not self._is_boundary(j) and not self.hits[j].keys() & {"convoy", "breaks"}:
            if j in self.quantities and not self._carried(carried_from, j, end):
                break
            hits = self.hits[j]
            step = 1
            if "carry" in hits:
                carried_from, step = hits["carry"].last, hits["carry"].last - j
            elif "cargo" in hits and j not in own:
                cargo.append(hits["cargo"].row["cargo"])
                step = hits["cargo"].last - j
            elif "vehicle" in hits and carried_from is not None:
                cargo.append("vehicles")
            j += step
        return cargo, j

    def _carried(self, carried_from: int | None, j: int, end: int) -> bool:
        """Whether a number at token ``j`` is the object of the carry word ending at ``carried_from``."""
        return carried_from is not None and j - carried_from <= _CARGO_AFTER_CARRY \
            and all(self._conjoined(k, end) is None for k in range(carried_from, j + 1))

    # -- convoy nouns -----------------------------------------------------------------------

    def _genitive(self, i: int, end: int) -> tuple[int, list[str], set[int]]:
        """Vehicle and cargo nouns right after a convoy noun (قافلة مساعدات، قافلات شاحنات، رتل من الآليات)."""
        kinds: list[str] = []
        tokens: set[int] = set()
        j = i
        while j < end:
            start = j + 1 if self.tokens[j].norm == _OF else j
            vehicles = self._vehicles(start, end)
            if vehicles is not None:
                kinds += vehicles.kinds
                tokens |= vehicles.tokens
                j = vehicles.next
            elif cargo := self._hit(j, "cargo"):
                j = cargo.last
            else:
                break
        return j, kinds, tokens

    def _size_after_convoy(self, i: int, end: int) -> _Size | None:
        """A size right after a convoy noun, or after a linker within a few words of it
        (the linker's last word may open the quantity: ``مؤلفة من 20-30 شاحنة``)."""
        words, linked = 0, False
        for j in range(i, min(end, i + _GAP_TOKENS)):
            if (j == i or linked) and (size := self._size(j, end)):
                return size
            if self.hits[j].keys() & {"linker", "adjacent"}:
                linked = True
                continue
            if self._is_boundary(j) or j in self.quantities or self.hits[j].keys() & {"convoy", "breaks"}:
                return None
            words += self._is_word(j)
            if words > _GAP_WORDS:
                return None
        return None

    # -- emitting ---------------------------------------------------------------------------

    def _mention(self, nstart: int, nend: int, rule: str, **values: Any) -> ConvoyMention:
        start, end = self.doc.original_span(nstart, nend)
        return ConvoyMention(text=self.doc.text[start:end], start=start, end=end,
                             sentence=self.doc.sentence_index(start), extractor=f"convoys:{rule}", **values)

    def _sized_mention(self, nstart: int, size: _Size, rule: str, convoy_word: str | None,
                       cargo: list[str], end: int) -> tuple[ConvoyMention, int]:
        """The mention of a convoy with a vehicle count, its member vehicles and cargo; and the token after."""
        kinds, j = self._members(size.next, end)
        more_cargo, j = self._cargo(j, end, size.vehicle_tokens)
        kinds = _dedupe(size.kinds + kinds)
        mention = self._mention(nstart, size.nend, rule, size_min=size.low, size_max=size.high,
                                approximate=size.approximate, vehicle=kinds[0], vehicles=kinds,
                                convoy_word=convoy_word, cargo=_dedupe(cargo + more_cargo))
        return mention, j

    def _absorb_previous(self, sentence: int) -> _Convoy | None:
        """The sizeless convoy listed last in the sentence before, which a size here describes."""
        if self.found and self.found[-1].extractor == "convoys:convoy_without_size" \
                and self.found[-1].sentence == sentence - 1:
            previous = self.found.pop()
            return _Convoy(previous.convoy_word, previous, previous.cargo)
        return None

    # -- the sentence loop ------------------------------------------------------------------

    def read(self) -> list[ConvoyMention]:
        for sentence in self.sentences:
            self._read_sentence(sentence.index, sentence.token_start, sentence.token_end)
        return sorted(self.found, key=lambda m: m.start)

    def _read_sentence(self, index: int, start: int, end: int) -> None:
        pending: _Convoy | None = None
        i = start
        while i < end:
            if "convoy" in self.hits[i]:
                pending, i = self._convoy(index, i, end, pending, None)
                continue
            if (counted := self._counted_convoy(i, end)) is not None:
                pending, i = self._convoy(index, counted, end, pending, self.quantities[i][0])
                continue
            size = self._size(i, end)
            if size is not None:
                pending, i = self._bare_size(index, i, size, end, pending)
            elif self.propose and (vehicles := self._plural_vehicles(i, end)) is not None:
                i = self._propose_plural(vehicles, end)
            else:
                i += 1
        self._flush(pending)

    def _counted_convoy(self, i: int, end: int) -> int | None:
        """The convoy noun a number at token ``i`` counts (``3 قوافل``, ``3 من القوافل``)."""
        if i not in self.quantities:
            return None
        j = self.quantities[i][1]
        if j < end and self.tokens[j].norm == _OF:
            j += 1
        if j >= end or "convoy" not in self.hits[j]:
            return None
        if self.hits[j]["convoy"].definite and self.quantities[i][0].high == 1:
            return None  # إحدى القوافل is "one of the convoys", not a count
        return j

    def _one_of(self, i: int) -> bool:
        """``إحدى القوافل``: one convoy among those already known, not a new plural."""
        return i > 0 and self.tokens[i - 1].norm in _ONE_OF

    def _flush(self, pending: _Convoy | None) -> None:
        """List a sizeless convoy no size was found for; a plural (``دخلت أرتال عسكرية``) is one
        item of unknown size counting convoys."""
        if pending and pending.mention is not None:
            self.found.append(pending.mention)

    def _convoy(self, index: int, i: int, end: int, pending: _Convoy | None,
                count: Quantity | None) -> tuple[_Convoy | None, int]:
        """A convoy noun at token ``i`` (``count`` convoys when a number precedes it)."""
        hit = self.hits[i]["convoy"]
        canonical, number = hit.row["canonical"], hit.row["number"]
        if hit.definite and count is None and (number != "pl" or self._one_of(i)):
            return self._anaphor(index, hit, end, pending)
        if hit.definite and count is None and self._last_cue("total", max(self.clause_start[i], i - _CUE_WINDOW), i) >= 0:
            return pending, hit.last  # "يرتفع عدد القوافل التي دخلت": a total, not a convoy
        named_here = (pending and pending.mention) or (self.found and self.found[-1].sentence == index)
        if count is None and named_here and i > 0 and self._hit(i - 1, "ordinal"):
            return pending, hit.last  # "قافلة مساعدات …، في ثاني قافلة تدخل المخيم": the same convoy
        if count is None and i > 0 and self._hit(i - 1, "any"):
            return pending, hit.last  # "لم تدخل أي قافلة": no convoy
        nstart = count.start if count else hit.nstart
        size = self._size_after_convoy(hit.last, end)
        if size is not None:
            self._flush(pending)
            gap_cargo, _ = self._cargo(hit.last, end, size.vehicle_tokens)
            mention, j = self._sized_mention(nstart, size, "convoy_with_size", canonical, gap_cargo, end)
            self.found.append(mention)
            return None, j
        self._flush(pending)
        chain_end, kinds, own = self._genitive(hit.last, end)
        cargo, j = self._cargo(hit.last, end, own)
        nend = self.tokens[chain_end - 1].nend
        values: dict[str, Any] = dict(vehicle=kinds[0] if kinds else None, vehicles=_dedupe(kinds),
                                      convoy_word=canonical, cargo=_dedupe(cargo))
        if count is not None or number == "du":
            low, high, approximate = (count.low, count.high, count.approximate) if count else (2, 2, False)
            if count is None or self._last_cue("total", max(self.clause_start[i], i - _CUE_WINDOW), i) < 0:
                self.found.append(self._mention(nstart, nend, "convoy_count", size_min=low, size_max=high,
                                                approximate=approximate, counts="convoys", **values))
            return None, j
        if hit.row["weak"] and chain_end == hit.last:
            return None, j
        if chain_end == hit.last and self._hit(hit.last, "time_reference"):
            return pending, j  # "وبدخول قافلة اليوم": the convoy reported today, already listed
        mention = self._mention(nstart, nend, "convoy_without_size",
                                counts="convoys" if number == "pl" else "vehicles", **values)
        return _Convoy(canonical, mention, values["cargo"]), j

    def _anaphor(self, index: int, hit: _Hit, end: int, pending: _Convoy | None) -> tuple[_Convoy | None, int]:
        """A definite convoy noun (القافلة، الرتل) names a convoy already listed — the sizeless one
        before it in the sentence, or ending the sentence before: a size after it is that convoy's."""
        named = pending if pending and pending.mention is not None else self._absorb_previous(index)
        size = self._size_after_convoy(hit.last, end)
        if size is not None:
            return None, self._size_apart(size, _Convoy(hit.row["canonical"], None, named.cargo if named else []), end)
        return named or pending or _Convoy(hit.row["canonical"], None), hit.last

    def _size_apart(self, size: _Size, convoy: _Convoy, end: int) -> int:
        """The size of a convoy named earlier: the item is the size (``75 شاحنة``) with the convoy's word."""
        mention, j = self._sized_mention(size.nstart, size, "convoy_size_apart", convoy.convoy_word, convoy.cargo, end)
        self.found.append(mention)
        return j

    def _bare_size(self, index: int, i: int, size: _Size, end: int,
                   pending: _Convoy | None) -> tuple[_Convoy | None, int]:
        """A vehicle count with no convoy noun before it: linked to one, or moving, or not a convoy."""
        if self._rate(i, size, end):
            # "عبور نحو 300 شاحنة يومياً", "يستقبل يومياً نحو 150 شاحنة": a rate, a statistic, no convoy
            return pending, size.next
        linked = pending and self._last_cue("linker", self._sentence_start(i), i) >= 0
        if i in self.after_linker or linked or (pending and pending.mention and self._same_convoy(pending, i, size)):
            # "وتضم القافلة، وهي الدفعة الثالثة من نوعها، 14 شاحنة", "قافلة مساعدات … عالقة، إذ ينتظر
            # مئتا صهريج": the size of the convoy just named
            return None, self._size_apart(size, pending or self._absorb_previous(index) or _Convoy(None, None), end)
        if not self._on_the_move(i, size, end):
            return pending, self._propose_size(size, "vehicles_counted", end)
        mention, j = self._sized_mention(size.nstart, size, "vehicles_on_the_move", None, [], end)
        self.found.append(mention)
        return pending, j


    def _propose_size(self, size: _Size, rule: str, end: int) -> int:
        """In proposal mode, a vehicle count the rules do not take becomes a candidate for the
        decision stage; the token after it."""
        if not self.propose:
            return size.next
        mention, j = self._sized_mention(size.nstart, size, rule, None, [], end)
        self.found.append(mention)
        return j

    def _plural_vehicles(self, i: int, end: int) -> _Vehicles | None:
        """Uncounted plural vehicle nouns at token ``i`` (``عربات عسكرية``, ``الشاحنات``)."""
        hit = self._hit(i, "vehicle")
        if hit is None or hit.row["number"] != "pl" or (i > 0 and (i - 1 in self.quantities or self._hit(i - 1, "category"))):
            return None  # عشرات الشاحنات is counted; حركة الشاحنات, أصحاب الشاحنات name a category
        return self._vehicles(i, end)

    def _propose_plural(self, vehicles: _Vehicles, end: int) -> int:
        """A candidate of unknown size for uncounted plural vehicles; the token after it."""
        cargo, j = self._cargo(vehicles.next, end, vehicles.tokens)
        kinds = _dedupe(vehicles.kinds)
        self.found.append(self._mention(vehicles.nstart, vehicles.nend, "vehicles_plural", vehicle=kinds[0],
                                        vehicles=kinds, cargo=_dedupe(cargo)))
        return max(j, vehicles.next)

    def _rate(self, i: int, size: _Size, end: int) -> bool:
        """A rate (يومياً, في اليوم) right after the count, or a one-word rate elsewhere in its
        clause: just before it, or after it (``نحو 7 آلاف شاحنة كانت تعبر مركز جابر الحدودي
        أسبوعياً``)."""
        if self._last_cue("rate", size.next, min(size.next + 2, end)) >= 0:
            return True  # right after it, also a phrase: 300 شاحنة في اليوم
        after = size.next
        while after < min(size.next + _RATE_WINDOW, end) and self.clause_start[after] == self.clause_start[i]:
            after += 1
        return any(self.hits[k]["rate"].last - self.hits[k]["rate"].first == 1  # one word: not في اليوم الأول
                   for k in self.cue_positions["rate"] if max(self.clause_start[i], i - 2) <= k < i or size.next <= k < after)

    def _same_convoy(self, pending: _Convoy, i: int, size: _Size) -> bool:
        """Whether a count after a sizeless convoy of the same sentence is its size: nothing
        from the convoy to the count says "another" or contrasts (أخرى, في حين, كما: ``قافلة
        مدرعات … لتعزيز وحدة أخرى تدخلت بعد احتراق ثلاث آليات`` are two), and the count is
        not joined to it by و (``رتل عسكري وعدد من الآليات``)."""
        after_noun = self.doc.normalized.from_original(pending.mention.end, pending.mention.end)[0]
        start = bisect_left(self._nstarts, after_noun)
        coordinated = size.nstart > self.tokens[i].nstart and self.tokens[i].norm.startswith("و")
        return (not coordinated and self._last_cue("contrast", start, i) < 0
                and not any(tok.norm in _OTHER for tok in self.tokens[start:size.next]))

    def _on_the_move(self, i: int, size: _Size, end: int) -> bool:
        """Whether a bare vehicle count at token ``i`` is a convoy: more than one vehicle (``إحدى
        الحافلات القادمة`` is a single bus), its clause has no total before it, no hostile word
        nearer than a movement word, and a movement word or a carry word around it."""
        clause = max(self.clause_start[i], i - _CUE_WINDOW)
        if size.high == 1 or self._last_cue("total", clause, i) >= 0:
            return False
        movement, hostile = self._last_cue("movement", clause, i), self._last_cue("hostile", clause, i)
        if movement >= 0 or hostile >= 0:
            return movement > hostile
        limit = min(size.next + _CUE_AFTER, end)
        after = next((j for j in range(size.next, limit) if self._is_boundary(j)), limit)
        if self._last_cue("hostile", size.next, after) >= 0:
            return False
        carried = size.next < end and "carry" in self.hits[size.next]
        return carried or self._last_cue("movement", size.next, after) >= 0


@cache
def _member_cue() -> WordStartPattern:
    phrases = [fold(row["phrase"]) for row in read_tsv("convoy_words.tsv") if row["role"] == "member"]
    pattern = regex.compile(rf"(?<!\p{{L}})(?:{alternation(phrases)})(?!\p{{L}})")
    return WordStartPattern(pattern, opening_runs(phrases))


def _without_umbrellas(doc: Document, found: list[ConvoyMention]) -> list[ConvoyMention]:
    """Drop a sizeless plural (``دخول قافلات شاحنات …``) whose convoys the sentence goes on to detail
    (``… من بينها قافلة تضم أكثر من 100 شاحنة``): the detailed convoy is the item, not both."""
    kept = []
    for mention, following in zip(found, [*found[1:], None]):
        umbrella = (mention.extractor == "convoys:convoy_without_size" and mention.counts == "convoys"
                    and following is not None and following.sentence == mention.sentence)
        if umbrella:
            gap_start = doc.normalized.from_original(mention.end, mention.end)[0]
            gap_end = doc.normalized.from_original(following.start, following.start)[0]
            if _member_cue().search(doc.norm_text, gap_start, gap_end):
                continue
        kept.append(mention)
    return kept


def _without_headline_echo(doc: Document, found: list[ConvoyMention]) -> list[ConvoyMention]:
    """Drop a sizeless convoy of the headline (``رتل تركي جديد يدخل إدلب``) when the body reports
    convoys: the headline announces what the body details, and one convoy is not two."""
    title_end = doc.title_end
    if not any(m.start >= title_end for m in found):
        return found
    return [m for m in found if not (m.end <= title_end and m.size_min is None and m.size_max is None)]


@register_component("convoys", requires=("doc.tokens",), assigns=("doc.convoys",))
class ConvoyMatcher:
    """Pipeline stage: fills ``doc.convoys`` with :class:`~extract.doc.ConvoyMention` items.

    With ``propose=True`` (the default pipeline, where the decision stage follows) it also
    lists what the rules alone would not take — vehicle counts with no movement word or as a
    rate, uncounted plural vehicles — as candidates for that stage to weigh.
    """

    name = "convoys"

    def __init__(self, propose: bool = False):
        self.propose = propose

    def __call__(self, doc: Document) -> Document:
        found = _Reader(doc, self.propose).read() if doc.tokens else []
        doc.convoys = _without_headline_echo(doc, _without_umbrellas(doc, found))
        return doc
