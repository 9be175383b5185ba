"""Convoy events: each convoy mention tied to who sent it, through which crossing, from
where to where, and when — from the mentions earlier stages found in its clause.

A slot is filled only when a cue word in ``lexicons/event_words.tsv`` links a mention
to the convoy; unknown slots stay None, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any

import regex

from .doc import ConvoyMention, DateMention, Document, Sentence, Span
from .lexicons import read_tsv
from .normalize import fold

_MAX_GAP_TOKENS = 4
_NEAR_TOKENS = 3
_WORD_OR_MARK = regex.compile(r"[\p{L}\d]+|[^\s\p{L}\d\"']")
_LAM_BEFORE = regex.compile(r"(?:^|[^\p{L}]|[وف])ل$")
_DESTINATION_STOPS = ("origin", "via", "destination", "clause_break", "destination_stop")
_DESTINATION_SCAN_TOKENS = 12
_NON_SENDER_TYPES = frozenset({"monitor", "media"})


@dataclass(slots=True, kw_only=True)
class SlotFiller:
    """The mention filling an event slot: where it is (layer and index) and what it says."""

    layer: str
    index: int
    text: str
    start: int
    end: int
    canonical: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(slots=True, kw_only=True)
class ConvoyEvent:
    """One convoy: its size and the slots found around it (None = not stated)."""

    type: str = "convoy"
    convoy: int
    size_min: int | None = None
    size_max: int | None = None
    approximate: bool = False
    vehicle: str | None = None
    cargo: list[str] = field(default_factory=list)
    counts: str = "vehicles"
    actor: SlotFiller | None = None
    beneficiary: SlotFiller | None = None
    crossing: SlotFiller | None = None
    origin: SlotFiller | None = None
    destinations: list[SlotFiller] = field(default_factory=list)
    date: str | None = None
    date_end: str | None = None
    date_source: str | None = None
    date_mention: int | None = None
    direction: str | None = None
    part_of: int | None = None
    sentence: int | None = None
    evidence_text: str = ""
    evidence_start: int = 0
    evidence_end: int = 0
    extractor: str = "events:convoy_rules"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; slot fillers become nested dicts."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, SlotFiller):
                value = value.to_dict()
            elif f.name == "destinations":
                value = [d.to_dict() for d in value]
            out[f.name] = value
        return out


@cache
def _cue_patterns() -> dict[str, regex.Pattern]:
    """role → pattern matching any of its phrases (normalized, word-bounded, optional و/ف then ب/ل).

    Besides the roles of ``event_words.tsv``, ``convoy_noun`` matches the convoy nouns of
    ``convoy_words.tsv`` (with an optional article or preposition)."""
    phrases: dict[str, list[str]] = {}
    for row in read_tsv("event_words.tsv"):
        phrases.setdefault(row["role"], []).append(fold(row["phrase"]))
    patterns = {role: _word_pattern(words, r"(?:[وف](?=\p{L}))?(?:[بل](?=\p{L}))?") for role, words in phrases.items()}
    nouns = [fold(row["phrase"]) for row in read_tsv("convoy_words.tsv") if row["role"] == "convoy"]
    patterns["convoy_noun"] = _word_pattern(nouns, r"(?:[وفبل](?=\p{L}))?(?:ال)?")
    return patterns


def _word_pattern(words: list[str], prefix: str) -> regex.Pattern:
    alternatives = "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return regex.compile(rf"(?<!\p{{L}}){prefix}(?:{alternatives})(?!\p{{L}})")


@dataclass(slots=True)
class _Mention:
    """A mention seen by the assembler: its layer, index, span and normalized offsets."""

    layer: str
    index: int
    span: Span
    nstart: int
    nend: int

    def filler(self) -> SlotFiller:
        return SlotFiller(layer=self.layer, index=self.index, text=self.span.text, start=self.span.start,
                          end=self.span.end, canonical=self.span.canonical)


class _Clause:
    """The stretch of a sentence that reports one thing, with the cues and mentions inside it."""

    def __init__(self, doc: Document, sentence: Sentence, nstart: int, nend: int, mentions: dict[str, list[_Mention]]):
        self.doc, self.sentence, self.nstart, self.nend = doc, sentence, nstart, nend
        self.text = doc.norm_text
        self.mentions = {layer: [m for m in items if nstart <= m.nstart < nend] for layer, items in mentions.items()}
        self.cues = {role: [(m.start(), m.end()) for m in pattern.finditer(self.text, nstart, nend)]
                     for role, pattern in _cue_patterns().items()}

    def tokens_between(self, start: int, end: int) -> list[str]:
        return _WORD_OR_MARK.findall(self.text, start, end) if end > start else []

    def mention_after(self, layer: str, position: int, max_gap: int = _MAX_GAP_TOKENS) -> _Mention | None:
        """The first ``layer`` mention starting within ``max_gap`` tokens after ``position``."""
        for mention in self.mentions[layer]:
            if mention.nstart >= position:
                return mention if len(self.tokens_between(position, mention.nstart)) <= max_gap else None
        return None

    def preceded_by(self, mention: _Mention, role: str, max_gap: int = 0) -> bool:
        """Whether a ``role`` cue ends at most ``max_gap`` tokens before the mention."""
        return any(end <= mention.nstart and len(self.tokens_between(end, mention.nstart)) <= max_gap
                   for _, end in self.cues.get(role, []))

    def has_lam_clitic(self, mention: _Mention) -> bool:
        """``لـ"التحالف"``, ``للتحالف``, ``لقوات…``: the mention is introduced by the preposition ل."""
        if self.text.startswith("لل", mention.nstart):
            return True
        before = self.text[max(self.nstart, mention.nstart - 3):mention.nstart].rstrip("\"'")
        return bool(_LAM_BEFORE.search(before))


def _mention_index(doc: Document) -> dict[str, list[_Mention]]:
    layers = {"actors": doc.actors, "places": doc.places, "crossings": doc.crossings, "dates": doc.dates,
              "convoys": doc.convoys}
    out = {}
    for layer, items in layers.items():
        out[layer] = []
        for index, span in enumerate(items):
            nstart, nend = doc.normalized.from_original(span.start, span.end)
            out[layer].append(_Mention(layer, index, span, nstart, nend))
    return out


def _clause_bounds(doc: Document, sentence: Sentence) -> list[tuple[int, int]]:
    """Sentence split at clause-break cues (``وكان المرصد قد رصد …``)."""
    breaks = [m.start() for m in _cue_patterns()["clause_break"].finditer(doc.norm_text, sentence.nstart, sentence.nend)]
    edges = [sentence.nstart, *[b for b in breaks if b > sentence.nstart], sentence.nend]
    return list(zip(edges, edges[1:]))


class EventAssembler:
    """Pipeline stage: one :class:`ConvoyEvent` per convoy mention, in ``doc.events``."""

    name = "events"

    def __call__(self, doc: Document) -> Document:
        if not doc.convoys:
            return doc
        mentions = _mention_index(doc)
        events: list[ConvoyEvent] = []
        for sentence in doc.sentences:
            for nstart, nend in _clause_bounds(doc, sentence):
                if not any(nstart <= c.nstart < nend for c in mentions["convoys"]):
                    continue
                clause = _Clause(doc, sentence, nstart, nend, mentions)
                for convoy in clause.mentions["convoys"]:
                    events.append(self._event(clause, convoy, events, mentions))
        doc.events = events
        return doc

    def _event(self, clause: _Clause, convoy: _Mention, earlier: list[ConvoyEvent],
               mentions: dict[str, list[_Mention]]) -> ConvoyEvent:
        span: ConvoyMention = convoy.span  # type: ignore[assignment]
        event = ConvoyEvent(
            convoy=convoy.index, size_min=span.size_min, size_max=span.size_max, approximate=span.approximate,
            vehicle=span.vehicle, cargo=list(span.cargo), counts=span.counts, sentence=clause.sentence.index,
            evidence_text=clause.sentence.text, evidence_start=clause.sentence.start, evidence_end=clause.sentence.end,
        )
        event.actor, event.beneficiary = _sender_and_beneficiary(clause, convoy)
        event.crossing = _crossing(clause, convoy, mentions["crossings"])
        event.origin = _origin(clause, convoy)
        event.destinations = _destinations(clause, convoy, event.origin)
        event.part_of = _part_of(clause, convoy, earlier)
        if event.part_of is not None:
            _inherit_slots(event, earlier[event.part_of])
        _set_date(event, clause, convoy, mentions["dates"])
        event.direction = _direction(clause, event)
        return event


def _senders(clause: _Clause) -> list[_Mention]:
    """Actors in the clause that can send or receive a convoy (not monitors, not 'bases of X')."""
    return [a for a in clause.mentions["actors"]
            if getattr(a.span, "actor_type", None) not in _NON_SENDER_TYPES
            and not clause.preceded_by(a, "non_actor_head")]


def _sender_and_beneficiary(clause: _Clause, convoy: _Mention) -> tuple[SlotFiller | None, SlotFiller | None]:
    """Provider (``مقدمة من X``) with the ``لـY`` it serves as beneficiary; else the owner
    (``تابعة لـX``, or ``لـX`` close after the convoy or its noun: ``قافلة جديدة لـ«التحالف»``),
    else the subject of a sending verb (``استقدم X``; a country acts as a state: ``أرسلت روسيا``)."""
    senders = _senders(clause)
    provided = next((a for a in senders if clause.preceded_by(a, "provider", 1)), None)
    for_whom = [a for a in senders if a is not provided and a.nstart >= convoy.nstart and clause.has_lam_clitic(a)]
    if provided is not None:
        return provided.filler(), for_whom[0].filler() if for_whom else None
    owned = next((a for a in senders if clause.preceded_by(a, "owner", 1) and clause.has_lam_clitic(a)), None)
    near = next((a for a in senders if clause.has_lam_clitic(a) and (
        a in for_whom and _close(clause.tokens_between(convoy.nend, a.nstart))
        or clause.preceded_by(a, "convoy_noun", _MAX_GAP_TOKENS))), None)
    if owned or near:
        return (owned or near).filler(), None
    states = [p for p in clause.mentions["places"] if getattr(p.span, "place_type", None) == "country"]
    subject = next((a for a in [*senders, *states]
                    if a.nend <= convoy.nstart and clause.preceded_by(a, "sender_verb", 1)), None)
    return (subject.filler() if subject else None), None


def _close(tokens: list[str]) -> bool:
    """A few words apart, with no punctuation between (``… والجنود، وسط انتشار للشرطة`` is not)."""
    return len(tokens) <= _NEAR_TOKENS and not any(not t.isalnum() for t in tokens)


def _crossing(clause: _Clause, convoy: _Mention, all_crossings: list[_Mention]) -> SlotFiller | None:
    inside = clause.mentions["crossings"]
    if inside:
        after = [c for c in inside if c.nstart >= convoy.nstart]
        return (after or inside)[0].filler()
    if clause.cues.get("same_crossing"):
        before = [c for c in all_crossings if c.nstart < clause.nstart]
        return before[-1].filler() if before else None
    return None


def _origin(clause: _Clause, convoy: _Mention) -> SlotFiller | None:
    """The place after ``قادمة من``…; else right after a bare ``من`` that follows the convoy in a
    clause that says it moved (``انسحب رتل … من قاعدة صرين``)."""
    for _, end in clause.cues.get("origin", []):
        place = clause.mention_after("places", end)
        if place is not None:
            return place.filler()
    if clause.cues.get("entering") or clause.cues.get("leaving"):
        for start, end in clause.cues.get("bare_origin", []):
            place = clause.mention_after("places", end, max_gap=0) if start >= convoy.nend else None
            if place is not None:
                return place.filler()
    return None


def _destinations(clause: _Clause, convoy: _Mention, origin: SlotFiller | None) -> list[SlotFiller]:
    """Places after a destination cue: ``إلى إعزاز``, ``نحو بلدة النيرب``,
    ``إلى قواعد التحالف في محافظتي الحسكة ودير الزور``; a place after one already taken
    belongs to it only through و or a noun like بلدتي (``في ريف حلب`` locates, it is no destination).
    The scan stops at the next cue, a crossing or ``مع`` (``إلى معبر اليعربية الحدودي مع العراق``)."""
    stops = sorted([*(s for role in _DESTINATION_STOPS for s, _ in clause.cues.get(role, [])),
                    *(c.nstart for c in clause.mentions["crossings"])])
    nouns = _phrases("destination_noun")
    convoys = clause.mentions["convoys"]
    taken: list[SlotFiller] = []
    for cue_start, cue_end in clause.cues.get("destination", []):
        if any(c.nstart <= cue_start < c.nend for c in convoys):
            continue  # نحو in "نحو 250 شاحنة" is "about", not "towards"
        limit = next((s for s in stops if s >= cue_end), clause.nend)
        position, first = cue_end, True
        for place in (p for p in clause.mentions["places"] if cue_end <= p.nstart < limit):
            between = clause.tokens_between(position, place.nstart)
            joined = all(tok in nouns or tok == "و" for tok in between)
            if first and (len(between) > _DESTINATION_SCAN_TOKENS or "," in between):
                break
            if not first and not joined:
                break
            if origin is None or place.index != origin.index:
                taken.append(place.filler())
            position, first = place.nend, False
    return list({(d.index): d for d in taken}.values())


@cache
def _phrases(role: str) -> frozenset[str]:
    """Normalized phrases of one role of ``event_words.tsv``."""
    return frozenset(fold(row["phrase"]) for row in read_tsv("event_words.tsv") if row["role"] == role)


def _set_date(event: ConvoyEvent, clause: _Clause, convoy: _Mention, all_dates: list[_Mention]) -> None:
    """The date governing the clause, else the last one earlier in the paragraph, else publication."""
    inside = clause.mentions["dates"]
    before_convoy = [d for d in inside if d.nstart < convoy.nstart]
    chosen, source = None, None
    if inside:
        chosen, source = (before_convoy[-1] if before_convoy else inside[0]), "sentence"
    else:
        paragraph_start = clause.text.rfind("\n", 0, clause.nstart) + 1
        earlier = [d for d in all_dates if paragraph_start <= d.nstart < clause.nstart]
        if earlier:
            chosen, source = earlier[-1], "paragraph"
    if chosen is not None:
        date: DateMention = chosen.span  # type: ignore[assignment]
        if date.value is not None:
            event.date, event.date_end, event.date_source = date.value, date.range_end, source
            event.date_mention = chosen.index
            return
    if clause.doc.published is not None:
        event.date, event.date_source = clause.doc.published.isoformat(), "published"


def _direction(clause: _Clause, event: ConvoyEvent) -> str | None:
    """entering/leaving Syria, only when a border crossing or the country's territory is named."""
    border = event.crossing is not None and _crossing_type(clause, event.crossing) != "internal"
    if clause.cues.get("abroad_phrase"):
        return "leaving"
    grounded = border or bool(clause.cues.get("syria_phrase"))
    if grounded and clause.cues.get("leaving"):
        return "leaving"
    if grounded and clause.cues.get("entering"):
        return "entering"
    return None


def _crossing_type(clause: _Clause, filler: SlotFiller) -> str | None:
    return getattr(clause.doc.crossings[filler.index], "crossing_type", None) if filler.layer == "crossings" else None


def _inherit_slots(event: ConvoyEvent, whole: ConvoyEvent) -> None:
    """A convoy that is part of another (``من بينها``) shares the slots it does not state."""
    for slot in ("actor", "beneficiary", "crossing", "origin"):
        if getattr(event, slot) is None:
            setattr(event, slot, getattr(whole, slot))
    if not event.destinations:
        event.destinations = list(whole.destinations)


def _part_of(clause: _Clause, convoy: _Mention, earlier: list[ConvoyEvent]) -> int | None:
    """``… قافلات شاحنات …، من بينها قافلة تضم …``: the second convoy is part of the first."""
    previous = [c for c in clause.mentions["convoys"] if c.nend <= convoy.nstart]
    if not previous:
        return None
    cue = any(previous[-1].nend <= start and end <= convoy.nstart for start, end in clause.cues.get("part_of", []))
    if not cue:
        return None
    return next((i for i, e in enumerate(earlier) if e.convoy == previous[-1].index), None)
