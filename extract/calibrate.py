"""Calibration stage: ``confidence`` on dates, actors and places as the probability of being right.

The matchers give these layers rule-set scores (1.0 for a lexicon name, 0.6 for a rule, the
lowest token marginal for an NER name, none for a date). This stage replaces them with the
probability that the mention's span and its value (dates) or id (actors, places) are right,
from a logistic model per layer (``calibration_model.json``, trained by
``bench/train_calibration.py`` on real-archive items judged by annotators who never read the
rules, see ``bench/quality/archive_items*``). Its features are what the record itself shows:
the extractor, the type, whether an id or value was found, the rule's own score, the length,
a common word, a headline, a name repeated in the article, and whether the article speaks of
armed actors, convoys or crossings (the domain the conflict lexicons were written for).
Nothing is dropped unless ``min_confidence`` is given: a cut buys precision on an archive with
right names no lexicon knows (villages, companies, universities), see ``docs/record.md``.

>>> from extract import Pipeline
>>> doc = Pipeline.default()("قال وزير الخارجية السوري وليد المعلم في دمشق أمس", published="2015-07-21")
>>> [(p.text, 0.5 < p.confidence < 1.0) for p in doc.places]
[('دمشق', True)]
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from .decide import ARMED_TYPES, logistic
from .doc import ActorMention, DateMention, Document, PlaceMention, Span
from .normalize import fold
from .registry import register_component
from .rules.gazetteer import common_word

MODEL_FILE = "calibration_model.json"
LAYERS = ("dates", "actors", "places")
_MAX_WORDS = 4  # longer mentions share one length feature


@cache
def load_model() -> dict[str, Any]:
    """The shipped model: per layer, its feature weights and bias."""
    return json.loads(resources.files("extract").joinpath(MODEL_FILE).read_text(encoding="utf-8"))


@lru_cache(maxsize=100_000)
def _folded(text: str) -> str:
    """A mention's normalized text (names recur across an archive)."""
    return fold(text)


def _score_bucket(confidence: float | None) -> str:
    return "none" if confidence is None else f"{min(int(confidence * 10), 9)}"


class Evidence:
    """The features of a document's date, actor and place mentions (before this stage scores them)."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.repeats = {layer: Counter(_folded(m.text) for m in getattr(doc, layer)) for layer in LAYERS}
        self.article = [name for name, on in (("doc:armed", any(a.actor_type in ARMED_TYPES for a in doc.actors)),
                                              ("doc:convoy", doc.convoys), ("doc:crossing", doc.crossings)) if on]

    def common(self, layer: str, m: Span) -> list[str]:
        folded = _folded(m.text)
        words = folded.split()
        out = [f"ext={m.extractor}", f"raw={_score_bucket(m.confidence)}", f"words={min(len(words), _MAX_WORDS)}",
               "id" if m.canonical or m.value else "no_id"]
        if len(words) == 1 and common_word(words[0]):
            out.append("common_word")
        if any(ch.isdigit() for ch in m.text):
            out.append("digit")
        if self.repeats[layer][folded] > 1:
            out.append("repeated")
        if m.end <= self.doc.title_end:
            out.append("title")
        return out

    def features(self, layer: str, m: Span) -> tuple[str, ...]:
        """The features of one mention of ``layer``; in an article about armed actors, convoys or
        crossings, the mention's own features once more as conflict reporting's (an unknown
        village is news there, an unknown one-word place in a society story seldom is)."""
        out = self.own(layer, m)
        return tuple(out + self.article + ([f"conflict:{f}" for f in out] if self.article else []))

    def own(self, layer: str, m: Span) -> list[str]:
        out = self.common(layer, m)
        if isinstance(m, DateMention):
            out += [f"granularity={m.granularity or 'none'}", f"calendar={m.calendar}"]
            out += [name for name, on in (("relative", m.relative), ("range", m.range_end), ("part", m.part)) if on]
        elif isinstance(m, ActorMention):
            out += [f"type={m.actor_type or 'none'}", f"label={m.label}"]
            out += ["country"] if m.country else []
        elif isinstance(m, PlaceMention):
            out += [f"type={m.place_type or 'none'}", f"label={m.label}"]
            out += ["country"] if m.country else []
            out += ["parent"] if m.parent else []
        return out


@lru_cache(maxsize=65_536)
def probability(layer: str, features: tuple[str, ...]) -> float:
    """The model's probability that a mention of ``layer`` with ``features`` is right (mentions
    share feature sets, so it is cached)."""
    return logistic(load_model()[layer], features)


@register_component("calibrate", requires=("doc.dates", "doc.actors", "doc.places"),
                    assigns=("doc.dates", "doc.actors", "doc.places"))
class Calibrator:
    """Pipeline stage: calibrated ``confidence`` on dates, actors and places; with
    ``min_confidence``, drops those under it."""

    name = "calibrate"

    def __init__(self, min_confidence: float | None = None):
        self.min_confidence = min_confidence
        self.signature = f"calibrate[{min_confidence if min_confidence is not None else 'all'}]"

    def __call__(self, doc: Document) -> Document:
        evidence = Evidence(doc)
        for layer in LAYERS:
            mentions = getattr(doc, layer)
            scores = [round(probability(layer, evidence.features(layer, m)), 4) for m in mentions]
            for m, score in zip(mentions, scores, strict=True):
                m.confidence = score
            if self.min_confidence is not None:
                setattr(doc, layer, [m for m in mentions if m.confidence >= self.min_confidence])
        return doc
