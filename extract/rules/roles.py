"""Role typing: a country or capital named as the agent of a verb of action or speech is a state actor.

``أعلنت تركيا إغلاق حدودها``: Turkey decides, so the mention moves from ``places`` to
``actors`` (``actor_type="state"``, the country's id as ``canonical``, as the place had);
``طالبت أنقرة`` is the Turkish state too (``capitals.tsv``); ``وصلت القافلة إلى تركيا`` keeps
Turkey a place. The verbs are data (``agent_verbs.txt``); the agent is the country right after
one (verb–subject order) or right before one (``تركيا تعلن``). A name right after a club or team word (``team_words.txt``:
``منتخب الإمارات``) is neither a place nor an actor.

>>> from extract import Pipeline
>>> doc = Pipeline.default(ner=None)("أعلنت تركيا إغلاق معبر باب الهوى، ووصلت القافلة إلى تركيا أمس")
>>> [(a.text, a.actor_type, a.canonical) for a in doc.actors], [p.text for p in doc.places]
([('تركيا', 'state', 'turkey')], ['تركيا'])
"""

from __future__ import annotations

from bisect import bisect_left
from functools import cache

from ..doc import ActorMention, Document, PlaceMention, Span
from ..lexicons import read_lines, read_tsv
from ..normalize import fold
from ..tokenize import lookup_forms

_STATE_TYPES = frozenset({"country"})


@cache
def agent_verbs() -> frozenset[str]:
    return frozenset(map(fold, read_lines("agent_verbs.txt")))


@cache
def team_words() -> frozenset[str]:
    return frozenset(map(fold, read_lines("team_words.txt")))


@cache
def capitals() -> dict[str, str]:
    """Capital place id → the id of the state it stands for."""
    return {row["place"]: row["state"] or row["place"] for row in read_tsv("capitals.tsv")}


def _word_forms(doc: Document, mention: Span, after: bool = False) -> set[str]:
    """The forms (clitics and article peeled) of the word right before (or after) a mention in
    its sentence."""
    nstart, nend = doc.normalized.from_original(mention.start, mention.end)
    i = bisect_left(doc.tokens, nend, key=lambda t: t.nstart) if after \
        else bisect_left(doc.tokens, nstart, key=lambda t: t.nstart) - 1
    inside = bisect_left(doc.tokens, nstart, key=lambda t: t.nstart)
    if not 0 <= i < len(doc.tokens) or inside >= len(doc.tokens) or doc.tokens[i].sentence != doc.tokens[inside].sentence:
        return set()
    forms = {stem for _, stem in lookup_forms(doc.tokens[i].norm)}
    return forms | {f[2:] for f in forms if f.startswith("ال")}


def outside_team_names(doc: Document, mentions: list) -> list:
    """``mentions`` without the names right after a club or team word (``منتخب الإمارات``
    names the team)."""
    if not any(word in doc.norm_text for word in team_words()):
        return mentions
    return [m for m in mentions if not _word_forms(doc, m) & team_words()]


def _agent_of_verb(doc: Document, place: PlaceMention) -> bool:
    """The subject of a verb of action or speech right before it (أعلنت تركيا) or after it (تركيا تعلن)."""
    return bool((_word_forms(doc, place) | _word_forms(doc, place, after=True)) & agent_verbs())


def states_as_agents(doc: Document, places: list[PlaceMention]) -> tuple[list[PlaceMention], list[ActorMention]]:
    """``places`` without the countries that act, and those countries as state actors."""
    kept, states = [], []
    for place in places:
        state = place.canonical if place.place_type in _STATE_TYPES else capitals().get(place.canonical or "")
        if not state:
            kept.append(place)
            continue
        if state and _agent_of_verb(doc, place):
            states.append(ActorMention(text=place.text, start=place.start, end=place.end, sentence=place.sentence,
                                       extractor="gazetteer:actors:state_as_agent", confidence=place.confidence,
                                       canonical=state, actor_type="state", country=place.country))
        else:
            kept.append(place)
    return kept, states
