"""Convoy events: each convoy mention tied to who sent it, through which crossing, from
where to where, and when — from the mentions earlier stages found in its clause.

A slot is filled only when a cue word in ``lexicons/event_words.tsv`` links a mention
to the convoy; unknown slots stay None, never guessed.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any, cast

import regex

from .doc import ConvoyMention, DateMention, Document, Sentence, Span, field_names, headline
from .lexicons import alternation, read_tsv
from .normalize import fold
from .registry import register_component
from .rules.dates_calendar import GRANULARITY_RANK
from .rules.wordstarts import ONE_CLITIC, WordStartPattern, opening_runs

_MAX_GAP_TOKENS = 4
_NEAR_TOKENS = 3
_NOUN_ROLES = ("convoy_noun", "convoy_reference")  # read from the convoy and vehicle lexicons
_SINCE_GAP = 2  # منذ زلزال السادس من شباط: the date still starts a period
_WORD_OR_MARK = regex.compile(r"[\p{L}\d]+|[^\s\p{L}\d\"']")
# Clitics before a cue phrase (و/ف then ب/ل, each optional), and the strings they can spell.
_CUE_PREFIX = r"(?:[وف](?=\p{L}))?(?:[بل](?=\p{L}))?"
_CUE_CLITICS = [a + b for a in ("", "و", "ف") for b in ("", "ب", "ل")]
_LAM_BEFORE = regex.compile(r"(?:^|[^\p{L}]|[وف])ل$")
_DESTINATION_STOPS = ("origin", "via", "destination", "clause_break", "destination_stop")
_DESTINATION_SCAN_TOKENS = 12
_NON_SENDER_TYPES = frozenset({"monitor", "media"})
_SLOTS = ("actor", "beneficiary", "crossing", "origin")  # the single-mention slots of an event


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
        return {name: getattr(self, name) for name in field_names(type(self))}  # type: ignore[arg-type]


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

    @classmethod
    def from_dict(cls, item: dict[str, Any]) -> ConvoyEvent:
        """The event a :meth:`to_dict` dict describes (slot fillers from their nested dicts)."""
        slots = {name: SlotFiller(**item[name]) for name in _SLOTS if isinstance(item.get(name), dict)}
        destinations = [SlotFiller(**d) for d in item.get("destinations", [])]
        return cls(**{**item, **slots, "destinations": destinations})

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; slot fillers become nested dicts."""
        out = {}
        for name in field_names(type(self)):  # type: ignore[arg-type]
            value = getattr(self, name)
            if isinstance(value, SlotFiller):
                value = value.to_dict()
            elif name == "destinations":
                value = [d.to_dict() for d in value]
            out[name] = value
        return out


@cache
def _cue_patterns() -> dict[str, WordStartPattern]:
    """role → pattern matching any of its phrases (normalized, word-bounded, optional و/ف then ب/ل).

    Besides the roles of ``event_words.tsv``, ``convoy_noun`` matches the convoy nouns of
    ``convoy_words.tsv`` (with an optional article or preposition) and ``convoy_reference`` the
    definite ones and definite vehicle plurals of ``vehicles.tsv`` (القافلة, الرتل, الشاحنات)."""
    phrases: dict[str, list[str]] = {}
    for row in read_tsv("event_words.tsv"):
        phrases.setdefault(row["role"], []).append(fold(row["phrase"]))
    patterns = {role: _word_pattern(words, _CUE_PREFIX, _CUE_CLITICS) for role, words in phrases.items()}
    nouns = [fold(row["phrase"]) for row in read_tsv("convoy_words.tsv") if row["role"] == "convoy"]
    patterns["convoy_noun"] = _word_pattern(nouns, r"(?:[وفبل](?=\p{L}))?(?:ال)?",
                                            [c + a for c in ONE_CLITIC for a in ("", "ال")])
    plurals = [fold(row["form"]) for row in read_tsv("vehicles.tsv") if row["number"] == "pl"]
    patterns["convoy_reference"] = _word_pattern(nouns + plurals, r"(?:[وفبل](?=\p{L}))?(?:ال|ل(?=ل))",
                                                 [c + a for c in ONE_CLITIC for a in ("ال", "ل")])
    return patterns


@cache
def _all_cues() -> tuple[WordStartPattern, dict[str, tuple[str, ...]]]:
    """All cue phrases of ``event_words.tsv`` in one pattern (the longest phrase wins at a
    position), and the roles of each phrase: a clause is scanned once."""
    roles: dict[str, list[str]] = defaultdict(list)
    for row in read_tsv("event_words.tsv"):
        roles[fold(row["phrase"])].append(row["role"])
    pattern = regex.compile(rf"(?<!\p{{L}}){_CUE_PREFIX}(?P<cue>{alternation(roles)})(?!\p{{L}})")
    return (WordStartPattern(pattern, opening_runs(roles, _CUE_CLITICS)),
            {phrase: tuple(dict.fromkeys(r)) for phrase, r in roles.items()})


def _word_pattern(words: list[str], prefix: str, clitics: list[str]) -> WordStartPattern:
    """Word-bounded ``words`` after ``prefix`` (a regex), whose literal spellings are ``clitics``."""
    pattern = regex.compile(rf"(?<!\p{{L}}){prefix}(?:{alternation(words)})(?!\p{{L}})")
    return WordStartPattern(pattern, opening_runs(words, clitics))


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
        self.mentions = {layer: _starting_in(items, nstart, nend) for layer, items in mentions.items()}
        self.destinations: dict[int | None, list[SlotFiller]] = {}  # by origin index, see _destinations
        self.cues: dict[str, list[tuple[int, int]]] = defaultdict(list)
        pattern, roles = _all_cues()
        for match in pattern.finditer(self.text, nstart, nend):
            for role in roles[match["cue"]]:
                self.cues[role].append(match.span())
        for role in _NOUN_ROLES:
            self.cues[role] = [m.span() for m in _cue_patterns()[role].finditer(self.text, nstart, nend)]

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


def _starting_in(mentions: list[_Mention], start: int, end: int) -> list[_Mention]:
    """The mentions (sorted by start, as every layer is) that start in ``[start, end)``: a bisection,
    not a scan, so that a clause costs the log of the document's mentions."""
    return mentions[bisect_left(mentions, start, key=_nstart):bisect_left(mentions, end, key=_nstart)]


def _nstart(mention: _Mention) -> int:
    return mention.nstart


def _nend(mention: _Mention) -> int:
    return mention.nend


def _mention_index(doc: Document) -> dict[str, list[_Mention]]:
    layers: dict[str, Sequence[Span]] = {"actors": doc.actors, "places": doc.places, "crossings": doc.crossings,
                                         "dates": doc.dates, "convoys": doc.convoys}
    out: dict[str, list[_Mention]] = {}
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


@register_component("events", requires=("doc.convoys",), assigns=("doc.events",))
class EventAssembler:
    """Pipeline stage: one :class:`ConvoyEvent` per convoy mention, in ``doc.events``.

    An event is read from its convoy's clause. Where that clause points back to a convoy of
    the sentence before (``ضم الرتل قرابة 20 آلية``), or the next sentence, naming no convoy of
    its own, goes on about it (``واتجه الرتل نحو …``), the slots still empty are filled from
    that neighbouring clause."""

    name = "events"

    def __call__(self, doc: Document) -> Document:
        if not doc.convoys:
            return doc
        mentions = _mention_index(doc)
        events: list[ConvoyEvent] = []
        before: tuple[Sentence, int, int] | None = None  # the clause read last
        before_events: list[ConvoyEvent] = []  # its events, if it is in the sentence before
        for sentence in doc.sentences:
            for nstart, nend in _clause_bounds(doc, sentence):
                has_convoy = bool(_starting_in(mentions["convoys"], nstart, nend))
                if has_convoy or before_events:
                    clause = _Clause(doc, sentence, nstart, nend, mentions)
                    found = []
                    for convoy in clause.mentions["convoys"]:
                        found.append(self._event(clause, convoy, events, mentions))
                        events.append(found[-1])
                    reference = _reference(clause)
                    refers_back = found and reference and reference.nstart < clause.mentions["convoys"][0].nstart
                    if found and before and (refers_back or _continues(clause)):
                        previous = _Clause(doc, *before, mentions)
                        for event in found:
                            _complete(event, previous, _anchor(previous), mentions, events)
                    elif not found and reference and before and before[0] is not sentence:
                        for event in before_events:
                            _complete(event, clause, reference, mentions, events)
                    before_events = found
                else:
                    before_events = []
                before = (sentence, nstart, nend)
        doc.events = _fold_headline(doc, events)
        return doc

    def _event(self, clause: _Clause, convoy: _Mention, earlier: list[ConvoyEvent],
               mentions: dict[str, list[_Mention]]) -> ConvoyEvent:
        span: ConvoyMention = convoy.span  # type: ignore[assignment]
        event = ConvoyEvent(
            convoy=convoy.index, size_min=span.size_min, size_max=span.size_max, approximate=span.approximate,
            vehicle=span.vehicle, cargo=list(span.cargo), counts=span.counts, sentence=clause.sentence.index,
            evidence_text=clause.sentence.text, evidence_start=clause.sentence.start, evidence_end=clause.sentence.end,
        )
        event.part_of = _part_of(clause, convoy, earlier)
        if event.part_of is not None:
            _inherit_slots(event, earlier[event.part_of])
        _complete(event, clause, convoy, mentions, earlier)
        if event.date is None:
            _date_from_context(event, clause, mentions["dates"])
        return event


def _complete(event: ConvoyEvent, clause: _Clause, anchor: _Mention, mentions: dict[str, list[_Mention]],
              earlier: list[ConvoyEvent]) -> None:
    """Fill the slots still empty from ``clause``, reading around ``anchor`` (the convoy, or the
    word that refers to it)."""
    if event.actor is None:
        event.actor, beneficiary = _sender_and_beneficiary(clause, anchor)
        event.beneficiary = event.beneficiary or beneficiary
    event.crossing = event.crossing or _crossing(clause, anchor, mentions["crossings"])
    event.origin = event.origin or _origin(clause, anchor)
    event.destinations = event.destinations or _destinations(clause, anchor, event.origin)
    if event.date_source in (None, "paragraph", "published"):
        date = _clause_date(clause, anchor)
        same_day = clause.cues.get("same_day") and earlier and earlier[-1] is not event
        if same_day and (date is None or date.nstart > anchor.nstart):  # وفي اليوم ذاته، عبرت …
            event.date, event.date_end, event.date_source = earlier[-1].date, earlier[-1].date_end, "previous"
        elif date is not None:
            _set_date(event, date, "sentence")
    event.direction = event.direction or _direction(clause, event)


def _reference(clause: _Clause) -> _Mention | None:
    """A definite convoy or vehicle noun (القافلة, الرتل, الشاحنات) that stands for a convoy named before."""
    cues = clause.cues.get("convoy_reference")
    return _Mention("reference", -1, None, *cues[0]) if cues else None


def _continues(clause: _Clause) -> bool:
    """The clause opens with a word that carries the report before on (``كما دخلت …``)."""
    return any(start <= clause.nstart + 1 for start, _ in clause.cues.get("continues", []))


def _anchor(clause: _Clause) -> _Mention:
    """Where a clause names its convoy: its last convoy noun, else its start."""
    nouns = clause.cues.get("convoy_noun")
    start, end = nouns[-1] if nouns else (clause.nstart, clause.nstart)
    return _Mention("reference", -1, None, start, end)


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
        after = bisect_left(inside, convoy.nstart, key=_nstart)
        return inside[after if after < len(inside) else 0].filler()
    if clause.cues.get("same_crossing"):
        before = [c for c in all_crossings if c.nstart < clause.nstart]
        return before[-1].filler() if before else None
    return None


def _origin(clause: _Clause, convoy: _Mention) -> SlotFiller | None:
    """The place after ``قادمة من``…; else right after a bare ``من`` (one word may stand between:
    ``من حقول رميلان``) that follows the convoy in a clause that says it moved
    (``انسحب رتل … من قاعدة صرين``)."""
    for _, end in clause.cues.get("origin", []):
        place = clause.mention_after("places", end)
        if place is not None:
            return place.filler()
    if any(clause.cues.get(role) for role in ("entering", "leaving", "moving")):
        for start, end in clause.cues.get("bare_origin", []):
            place = clause.mention_after("places", end, max_gap=1) if start >= convoy.nend else None
            if place is not None:
                return place.filler()
    return None


def _destinations(clause: _Clause, convoy: _Mention, origin: SlotFiller | None) -> list[SlotFiller]:
    """The destinations of the clause's convoys (the same for each with the same origin: found once)."""
    key = None if origin is None else origin.index
    if key not in clause.destinations:
        clause.destinations[key] = _find_destinations(clause, origin)
    return [replace(d) for d in clause.destinations[key]]


def _find_destinations(clause: _Clause, origin: SlotFiller | None) -> list[SlotFiller]:
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
        started = bisect_right(convoys, cue_start, key=_nstart)
        if started and cue_start < convoys[started - 1].nend:
            continue  # نحو in "نحو 250 شاحنة" is "about", not "towards"
        stop = bisect_left(stops, cue_end)
        limit = stops[stop] if stop < len(stops) else clause.nend
        position, first = cue_end, True
        for place in _starting_in(clause.mentions["places"], cue_end, limit):
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


def _clause_date(clause: _Clause, anchor: _Mention) -> _Mention | None:
    """The date governing the clause: of its dates with a value (not the start point of ``منذ``
    unless a range follows: ``منذ 23 ديسمبر 2019 وحتى 23 أبريل 2020``),
    the finest (a day before a month before a year), then the nearest before the convoy, then
    the nearest after it: ``في ابريل الماضي أكبر قافلة له هذا العام`` → April."""
    dates = [d for d in clause.mentions["dates"] if d.span.value is not None
             and (cast(DateMention, d.span).range_end is not None or not clause.preceded_by(d, "since", _SINCE_GAP))]

    def rank(d: _Mention) -> tuple[int, int, int]:
        before = d.nstart < anchor.nstart
        return GRANULARITY_RANK.get(cast(DateMention, d.span).granularity, 9), not before, abs(anchor.nstart - d.nstart)

    return min(dates, key=rank, default=None)


def _date_from_context(event: ConvoyEvent, clause: _Clause, all_dates: list[_Mention]) -> None:
    """No date in the clause: the last one earlier in the paragraph (not a ``منذ`` start point),
    else the publication date."""
    paragraph_start = clause.text.rfind("\n", 0, clause.nstart) + 1
    before = [d for d in all_dates if paragraph_start <= d.nstart < clause.nstart and d.span.value is not None
              and not _after_since(clause.text, d)]
    if before:
        _set_date(event, before[-1], "paragraph")
    elif clause.doc.published is not None:
        event.date, event.date_source = clause.doc.published.isoformat(), "published"


def _after_since(text: str, date: _Mention) -> bool:
    return _cue_patterns()["since"].search(text, max(0, date.nstart - 20), date.nstart) is not None


def _set_date(event: ConvoyEvent, date: _Mention, source: str) -> None:
    span: DateMention = date.span  # type: ignore[assignment]
    event.date, event.date_end, event.date_source, event.date_mention = span.value, span.range_end, source, date.index


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


def _fold_headline(doc: Document, events: list[ConvoyEvent]) -> list[ConvoyEvent]:
    """A convoy in the headline is the story's convoy told again (``قافلة جديدة تدخل إدلب`` over
    ``دخلت قافلة تضم 20 شاحنة …``): its event is dropped when the body reports a convoy it agrees
    with (no size or the same size, the same vehicle kind or none), and gives that event the
    slots it lacks."""
    line = headline(doc.text)
    if not line or len(events) < 2:
        return events
    end = doc.text.index(line) + len(line)
    body = [e for e in events if doc.convoys[e.convoy].start >= end]
    dropped: set[int] = set()
    for index, event in enumerate(events):
        if doc.convoys[event.convoy].end > end or event.part_of is not None:
            continue
        same = next((b for b in body if _agree(event, b)), None)
        if same is not None:
            _inherit_slots(same, event)
            dropped.add(index)
    if not dropped:
        return events
    new_index = {old: new for new, old in enumerate(i for i in range(len(events)) if i not in dropped)}
    kept = [events[i] for i in new_index]
    for event in kept:
        event.part_of = new_index.get(event.part_of) if event.part_of is not None else None
    return kept


def _agree(headline_event: ConvoyEvent, event: ConvoyEvent) -> bool:
    """Whether a headline's convoy may be the body's: sizes and vehicle kinds do not differ."""
    sized = headline_event.size_min is not None or headline_event.size_max is not None
    return ((not sized or (headline_event.size_min, headline_event.size_max) == (event.size_min, event.size_max))
            and headline_event.vehicle in (None, event.vehicle))


def _inherit_slots(event: ConvoyEvent, whole: ConvoyEvent) -> None:
    """A convoy that is part of another (``من بينها``) shares the slots it does not state."""
    for slot in _SLOTS:
        if getattr(event, slot) is None:
            setattr(event, slot, getattr(whole, slot))
    if not event.destinations:
        event.destinations = list(whole.destinations)


def _part_of(clause: _Clause, convoy: _Mention, earlier: list[ConvoyEvent]) -> int | None:
    """``… قافلات شاحنات …، من بينها قافلة تضم …``: the second convoy is part of the first."""
    convoys = clause.mentions["convoys"]
    ended = bisect_right(convoys, convoy.nstart, key=_nend)  # convoys never nest: sorted by end too
    if not ended:
        return None
    previous = convoys[ended - 1]
    cue = any(previous.nend <= start and end <= convoy.nstart for start, end in clause.cues.get("part_of", []))
    if not cue:
        return None
    return next((i for i, e in enumerate(earlier) if e.convoy == previous.index), None)
