"""Decision stage: how likely each convoy and crossing candidate is right, and what passes.

The matchers propose candidates; this stage scores each with a logistic model
(``decide_model.json``, trained by ``bench/train_decision.py`` on real-archive sentences
annotated by people who never read the rules, see ``bench/quality/archive``). Its features are
the evidence around a candidate: the rule that found it, vehicle kind, size, cargo, the
classes of cue words (``lexicons/decision_cues.tsv``: military, aid, border, movement,
sea, traffic, commerce, sports, tech…) in its sentence and, repeated, in its article, and
the word clusters (the shipped NER model's, learned from unlabeled news) of the three words on
each side of it, which carry evidence no cue list names.
``confidence`` becomes the model's probability; candidates under the threshold (chosen on
the dev split, ``min_confidence`` to change it) are dropped, so events are built only from
convoys that pass. A convoy is ``specific`` unless its sentence speaks of a habit or a
norm (``بشكل دوري``, ``يجب السماح``).

>>> from extract import Pipeline
>>> nlp = Pipeline.default()
>>> [(c.text, c.confidence > 0.5) for c in nlp("دخلت قافلة تضم 30 شاحنة محملة بالمساعدات عبر معبر باب الهوى").convoys]
[('قافلة تضم 30 شاحنة', True)]
>>> nlp("عبرت قافلة تضم ثلاث سفن حاويات قناة السويس الجديدة").convoys
[]
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import regex

from .doc import ConvoyMention, CrossingMention, Document, Span
from .lexicons import read_tsv, verb_forms
from .ner.clusters import read_clusters
from .normalize import fold
from .registry import register_component
from .rules.wordstarts import WordStartPattern, whole_words
from .tokenize import lookup_forms

MODEL_FILE = "decide_model.json"
_NOT_SPECIFIC = frozenset({"habitual", "modal"})
ARMED_TYPES = frozenset({"armed_group", "military", "militia", "coalition", "security"})
_DEFINITE = regex.compile(r"(?:[وفب]?ال|[وف]?لل)")  # الشاحنات، للقوافل: a definite noun
_WINDOW = 40  # characters of normalized text read on each side of a candidate for near cues
_ADJACENT = 1  # words on each side read for the ``adj:`` cues
_WORD = regex.compile(r"\p{L}+")
_CLUSTER_WORDS = 3  # words on each side of a candidate whose word clusters are features
CLUSTERS = ("models", "ner-anercorp", "clusters.tsv")  # the shipped NER model's word2vec clusters


@cache
def _cues() -> tuple[WordStartPattern, dict[str, str]]:
    """One pattern of every cue form as a whole word (its form captured), and form → class:
    the rows of ``decision_cues.tsv`` (a verb's third-person forms from its ``perfect/imperfect``
    row) and the one-word movement and hostile cues of the convoy matcher (``convoy_words.tsv``)."""
    classes = {fold(row["phrase"]): row["role"] for row in read_tsv("convoy_words.tsv")
               if row["role"] in ("movement", "hostile") and " " not in row["phrase"]}
    classes |= {fold(form): row["class"] for row in read_tsv("decision_cues.tsv") for form in verb_forms(row["form"])}
    return whole_words(classes, capture=True), classes


def cue_classes(text: str) -> Counter[str]:
    """How often each cue class occurs in a normalized text."""
    pattern, classes = _cues()
    return Counter(classes[match.group(1)] for match in pattern.finditer(text))


@cache
def _clusters() -> dict[str, str]:
    """Word → its cluster id in the shipped NER model's word clusters (learned from unlabeled
    news text): words used alike share an id, so the model weighs words no cue list names."""
    path = resources.files(__package__).joinpath(*CLUSTERS)
    return {word: fine for word, (_, fine) in read_clusters(str(path)).items()}


@lru_cache(maxsize=100_000)  # per word form, bounded like the other per-word caches
def cluster_of(norm: str) -> str | None:
    """The cluster of a normalized word, its clitics peeled if the whole form has none."""
    clusters = _clusters()
    return next((clusters[f] for _, f in lookup_forms(norm) if f in clusters), None)


@cache
def load_model() -> dict[str, Any]:
    """The shipped decision model (weights, bias and threshold per kind)."""
    return json.loads(resources.files(__package__).joinpath(MODEL_FILE).read_text(encoding="utf-8"))


def _size_bucket(low: int | None, high: int | None) -> str:
    n = low if low is not None else high
    if n is None:
        return "none"
    return next(label for bound, label in ((1, "1"), (9, "2-9"), (99, "10-99"), (999, "100-999"))
                if n <= bound) if n <= 999 else "1000+"


class Evidence:
    """Cue classes of a document's sentences and of the whole article, computed once."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.article = cue_classes(doc.norm_text)
        self._sentences: dict[int, Counter[str]] = {}
        self.armed_actor = any(a.actor_type in ARMED_TYPES for a in doc.actors)
        self.named_crossing = any(c.canonical for c in doc.crossings)
        self._nstarts = [t.nstart for t in doc.tokens]

    def sentence(self, index: int | None) -> Counter[str]:
        if index is None:
            return Counter()
        if index not in self._sentences:
            s = self.doc.sentences[index]
            self._sentences[index] = cue_classes(self.doc.norm_text[s.nstart:s.nend])
        return self._sentences[index]

    def near(self, mention: Span) -> list[str]:
        """Cue classes just before (``b:``) and after (``f:``) the mention, inside it (``i:``) and
        in the word right next to it on either side (``adj:``, the verb whose subject or object
        it is: ``خرجت مئات الدبابات``), within its sentence."""
        nstart, nend = self.doc.normalized.from_original(mention.start, mention.end)
        s = self.doc.sentences[mention.sentence] if mention.sentence is not None else None
        low, high = (s.nstart, s.nend) if s else (0, len(self.doc.norm_text))
        text = self.doc.norm_text
        before, after = text[max(low, nstart - _WINDOW):nstart], text[nend:min(high, nend + _WINDOW)]
        adjacent = _WORD.findall(before)[-_ADJACENT:] + _WORD.findall(after)[:_ADJACENT]
        parts = (("b", before), ("i", text[nstart:nend]), ("f", after), ("adj", " ".join(adjacent)))
        return [f"{side}:{cls}" for side, part in parts for cls in sorted(cue_classes(part))]

    def clusters(self, mention: Span) -> list[str]:
        """Word clusters of the few words before (``cb:``) and after (``cf:``) the mention in its
        sentence."""
        tokens = self.doc.tokens
        nstart, nend = self.doc.normalized.from_original(mention.start, mention.end)
        first, last = bisect_left(self._nstarts, nstart), bisect_right(self._nstarts, nend - 1)
        sentence = tokens[first].sentence if first < len(tokens) else None
        before = [t for t in tokens[max(0, first - 2 * _CLUSTER_WORDS):first] if t.sentence == sentence and t.norm.isalpha()]
        after = [t for t in tokens[last:last + 2 * _CLUSTER_WORDS] if t.sentence == sentence and t.norm.isalpha()]
        out = {f"{side}:{c}" for side, words in (("cb", before[-_CLUSTER_WORDS:]), ("cf", after[:_CLUSTER_WORDS]))
               for t in words if (c := cluster_of(t.norm)) is not None}
        return sorted(out)

    def context(self, mention: Span) -> list[str]:
        """Features shared by both kinds: cue classes near the mention, in its sentence and,
        repeated, in its article; word clusters around it."""
        sentence = self.sentence(mention.sentence)
        out = self.near(mention) + self.clusters(mention) + [f"s:{cls}" for cls in sorted(sentence)]
        out += [f"a:{cls}" for cls, n in sorted(self.article.items()) if n - sentence.get(cls, 0) >= 2]
        if self.armed_actor:
            out.append("doc:armed_actor")
        if mention.end <= self.doc.title_end:
            out.append("title")
        return out

    def convoy(self, m: ConvoyMention) -> list[str]:
        """Features of a convoy candidate."""
        out = [f"rule={m.extractor.split(':')[-1]}", f"vehicle={m.vehicle or 'none'}",
               f"word={m.convoy_word or 'none'}", f"counts={m.counts}",
               f"size={_size_bucket(m.size_min, m.size_max)}"]
        out += [f"kind={k}" for k in sorted(set(m.vehicles))] + [f"cargo={c}" for c in sorted(set(m.cargo))]
        if m.size_min is None and m.size_max is None and _DEFINITE.match(fold(m.text)):
            out.append("definite")
        if self.named_crossing:
            out.append("doc:crossing")
        return out + self.context(m)

    def crossing(self, m: CrossingMention) -> list[str]:
        """Features of a crossing candidate."""
        head = fold(m.text.split()[0]) if m.text.split() else ""
        out = [f"rule={m.extractor.split(':')[-1]}", f"type={m.crossing_type or 'none'}",
               "named" if m.named else "generic", "known" if m.canonical else "unknown",
               f"head={head.removeprefix('ال') if head in _HEADS or head.removeprefix('ال') in _HEADS else 'other'}"]
        if self.trigger_before(m):
            out.append("trigger_before")
        return out + self.context(m)

    def trigger_before(self, m: Span) -> bool:
        """A crossing word (also dual or plural) among the few words before the mention in its
        sentence: ``منفذي الخفجي والنويصيب``, ``عبر معبري باب الهوى وباب السلامة``."""
        nstart, _ = self.doc.normalized.from_original(m.start, m.end)
        s = self.doc.sentences[m.sentence] if m.sentence is not None else None
        before = self.doc.norm_text[max(s.nstart if s else 0, nstart - _TRIGGER_WINDOW):nstart]
        return bool(_TRIGGERS.search(before))

    def specific(self, m: ConvoyMention) -> bool:
        """A reported movement, not a habit or a norm."""
        return not (self.sentence(m.sentence).keys() & _NOT_SPECIFIC)


_HEADS = frozenset(fold(w) for w in ("معبر", "منفذ", "بوابة", "جسر", "مركز", "نقطة", "معابر", "منافذ"))
_TRIGGER_WINDOW = 30  # characters of normalized text looked back for a crossing word
_TRIGGERS = whole_words(fold(w) for w in ("معبر", "معبري", "معبرا", "منفذ", "منفذي", "منفذا", "معابر", "منافذ"))


def logistic(part: dict[str, Any], features: Iterable[str]) -> float:
    """A logistic model's probability (``bias`` and feature ``weights``) for a set of features."""
    weights = part["weights"]
    return 1.0 / (1.0 + math.exp(-(part["bias"] + sum(weights.get(f, 0.0) for f in features))))


def probability(kind: str, features: list[str]) -> float:
    """The model's probability that a candidate of ``kind`` with ``features`` is right."""
    return logistic(load_model()[kind], features)


@register_component("decide", requires=("doc.convoys", "doc.crossings"), assigns=("doc.convoys", "doc.crossings"))
class Decider:
    """Pipeline stage: calibrated ``confidence`` on convoys and crossings; drops those under
    the threshold (the model's, chosen on dev, unless ``min_confidence`` is given)."""

    name = "decide"

    def __init__(self, min_confidence: float | None = None):
        self.min_confidence = min_confidence
        self.signature = f"decide[{min_confidence if min_confidence is not None else 'default'}]"

    def threshold(self, kind: str) -> float:
        return self.min_confidence if self.min_confidence is not None else load_model()[kind]["threshold"]

    def __call__(self, doc: Document) -> Document:
        if not (doc.convoys or doc.crossings):
            return doc
        evidence = Evidence(doc)
        for m in doc.convoys:
            m.confidence = round(probability("convoy", evidence.convoy(m)), 4)
            m.specific = evidence.specific(m)
        for c in doc.crossings:
            c.confidence = round(probability("crossing", evidence.crossing(c)), 4)
        doc.convoys = [m for m in doc.convoys if m.confidence >= self.threshold("convoy")]
        doc.crossings = [c for c in doc.crossings if c.confidence >= self.threshold("crossing")]
        return doc
