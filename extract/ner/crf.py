"""The default NER backend: a linear-chain CRF (CRFsuite) over :mod:`.features`.

A model directory holds ``model.crfsuite``, ``clusters.tsv`` and ``config.json``
(name, feature settings, training record), and may hold ``names.txt`` (person-name words,
:mod:`.names`) and ``gazetteer.tsv`` (the lexicon names it was trained with, so that its
features stay put when the lexicons grow; without it, today's lexicons);
``extract/models/ner-anercorp`` is shipped as package data.
"""

from __future__ import annotations

import json
from collections.abc import Container, Sequence
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from ..doc import Token
from ..fingerprint import fingerprint
from ..lexicons import lexicon_path
from .clusters import CLUSTERS_FILE, read_clusters
from .conll import EntityRun, scored_runs
from .features import (
    BOUNDARY,
    DOMAIN_MARK,
    OFFSETS,
    TRIGGERS_FILE,
    Featurizer,
    Gazetteer,
    WordFeatures,
    available_lexicons,
    bigram_pairs,
    lent_to_neighbours,
    read_triggers,
)
from .model_dir import NERModelError, require_files
from .names import NAMES_FILE, read_names
from .rowcache import RowCache
from .viterbi import decode

MODEL_FILE = "model.crfsuite"
GAZETTEER_FILE = "gazetteer.tsv"
CONFIG_FILE = "config.json"
MODEL_FILES = (MODEL_FILE, CLUSTERS_FILE, CONFIG_FILE)
DEFAULT_MODEL = Path(str(resources.files("extract").joinpath("models", "ner-anercorp")))  # package data
_HINT = "train one with `extract ner train`, or use the shipped extract/models/ner-anercorp"
_SLOTS = 1 + len(OFFSETS)  # a word's scores for itself and for each neighbour it lends features to


def make_featurizer(clusters: dict[str, tuple[str, str]], known: Container[str] | None = None,
                    cached_words: int = 200_000, names: frozenset[str] = frozenset(),
                    gazetteer: Gazetteer | None = None) -> Featurizer:
    """The featurizer of a model with these clusters, person names and gazetteer (default: the
    package's current lexicons)."""
    return Featurizer(clusters, gazetteer or Gazetteer.from_lexicons(), read_triggers(), known, cached_words, names)


def lexicon_fingerprint() -> bytes:
    """Content of the lexicons the features read (a changed lexicon changes the output)."""
    names = [TRIGGERS_FILE, *available_lexicons()]
    return b"".join(lexicon_path(name).read_bytes() for name in names)


class CRFWeights:
    """A CRFsuite model as arrays: a weight row per attribute (one column per label) and
    the label-to-label transition weights. A model trained with domain copies of its
    attributes (:func:`.features.in_domain`) is read for one ``domain``: each attribute's
    row is its shared weights plus those of its copy for that domain (other domains' copies
    are left out), so tagging costs what it costs without domains."""

    def __init__(self, model_file: str | Path, domain: str | None = None):
        self.labels, attributes, features = read_model(model_file)
        mark = f"{DOMAIN_MARK}{domain}:" if domain else None
        self.row: dict[str, int] = {}
        target = np.empty(len(attributes), dtype=np.int64)  # the row of each attribute; -1: left out
        for k, attribute in enumerate(attributes):
            if attribute.startswith(DOMAIN_MARK):
                if mark is None or not attribute.startswith(mark):
                    target[k] = -1
                    continue
                attribute = attribute[len(mark):]
            target[k] = self.row.setdefault(attribute, len(self.row))
        # To six decimals, as CRFsuite's text dump prints them (and its info() reads them).
        weights = np.round(features["weight"], 6)
        state, transition = features["type"] == _STATE, features["type"] == _TRANSITION
        rows, labels = target[features["source"][state]], features["label"][state]
        kept = rows >= 0
        self.states = np.zeros((len(self.row), len(self.labels)))
        np.add.at(self.states, (rows[kept], labels[kept]), weights[state][kept])
        self.transitions = np.zeros((len(self.labels), len(self.labels)))
        self.transitions[features["source"][transition], features["label"][transition]] = weights[transition]


# CRFsuite's model file (crf1d_model.c): a header of 4-byte fields, the features as
# (type, source, label, weight) records, and the label and attribute strings in CQDB chunks.
_STATE, _TRANSITION = 0, 1
_FEATURE = np.dtype([("type", "<u4"), ("source", "<u4"), ("label", "<u4"), ("weight", "<f8")])


def read_model(model_file: str | Path) -> tuple[list[str], list[str], np.ndarray]:
    """The labels, attributes (both in id order) and feature records of a CRFsuite model
    file, read directly (its text dump takes ten times as long)."""
    data = Path(model_file).read_bytes()
    if data[:4] != b"lCRF" or len(data) < 40:
        raise NERModelError(f"{model_file}: not a CRFsuite model")
    _, _, _, _, _, labels, attributes, features, label_db, attribute_db = np.frombuffer(data, "<u4", 10).tolist()
    count = int.from_bytes(data[features + 8:features + 12], "little")
    records = np.frombuffer(data, _FEATURE, count, features + 12)
    return _strings(data, label_db, labels), _strings(data, attribute_db, attributes), records


def _strings(data: bytes, chunk: int, count: int) -> list[str]:
    """The strings of a CQDB chunk in id order (its backward array points at each
    ``id, size, bytes + NUL`` record)."""
    backward = int.from_bytes(data[chunk + 20:chunk + 24], "little")
    starts = (np.frombuffer(data, "<u4", count, chunk + backward) + chunk).tolist()
    sizes = [int.from_bytes(data[s + 4:s + 8], "little") for s in starts]
    return [data[s + 8:s + 7 + size].decode("utf-8") for s, size in zip(starts, sizes)]


class CRFTagger:
    """Tags sentences of normalized tokens with a CRFsuite model directory.

    Scores are summed in numpy from per-word rows computed once per distinct word (its own
    features, and those it lends to each neighbour), then decoded by :mod:`.viterbi`; this
    gives CRFsuite's tags and marginals without building feature strings per token."""

    backend = "crf"

    def __init__(self, model_dir: str | Path | None = None, domain: str | None = None):
        """``domain``: the training domain to tag as, for a model trained with domains
        (default: the one its ``config.json`` names, ``domains.tag_as``)."""
        path = require_files(model_dir or DEFAULT_MODEL, MODEL_FILES, "crf", _HINT)
        self.config = json.loads((path / CONFIG_FILE).read_text(encoding="utf-8"))
        self.name = self.config.get("name", path.name)
        self.domain = domain or self.config.get("domains", {}).get("tag_as")
        self.weights = CRFWeights(path / MODEL_FILE, self.domain)
        # Words' scores are cached (below), so their feature strings need not be.
        names_file = path / NAMES_FILE
        names = read_names(names_file) if names_file.is_file() else frozenset()
        gazetteer_file = path / GAZETTEER_FILE  # the names it was trained with; else today's lexicons
        gazetteer = Gazetteer.read(gazetteer_file) if gazetteer_file.is_file() else None
        self.featurizer = make_featurizer(read_clusters(path / CLUSTERS_FILE), self.weights.row,
                                          cached_words=0, names=names, gazetteer=gazetteer)
        self._no_scores = np.zeros(len(self.weights.labels))
        self._outside = self.weights.labels.index("O")
        self._bigrams = {pair: [(offset, self.weights.row[a]) for offset, a in features]
                         for pair, features in bigram_pairs(self.weights.row).items()}
        self._gazetteer_cache: dict[tuple[str, ...], tuple[list[int], list[int], list[int]]] = {}
        self._word_rows = RowCache(lambda words: self._rows([self.featurizer.word(w) for w in words]))
        self._boundary = self._rows([WordFeatures((), {off: BOUNDARY[off] if off < 0 else () for off in OFFSETS}),
                                     WordFeatures((), {off: BOUNDARY[off] if off > 0 else () for off in OFFSETS})])
        digest = fingerprint([path / MODEL_FILE, path / CLUSTERS_FILE, *([names_file] if names else []),
                              *([gazetteer_file] if gazetteer else []), lexicon_fingerprint()])
        self.signature = f"crf:{self.name}@{digest}" + (f":{self.domain}" if self.domain else "")

    def _rows(self, words: Sequence[WordFeatures]) -> np.ndarray:
        """``(words, 5, labels)``: the scores each word adds to itself, then to the tokens 2
        and 1 after it and 1 and 2 before it (it is their neighbour at offset -2, -1, +1, +2)."""
        slots, attributes = [], []
        for k, features in enumerate(words):
            for slot, names in enumerate((features.own, *(features.as_context[off] for off in OFFSETS))):
                found = [self.weights.row[name] for name in names if name in self.weights.row]
                slots += [_SLOTS * k + slot] * len(found)
                attributes += found
        rows = np.zeros((_SLOTS * len(words), len(self.weights.labels)))
        np.add.at(rows, slots, self.weights.states[attributes])
        return rows.reshape(len(words), _SLOTS, -1)

    def scores(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Label scores ``(tokens, labels)`` of each sentence: the sum of the weights of
        every feature :meth:`.Featurizer.sentence` would give each token."""
        scores = self._word_scores(sentences)
        tokens, attributes = self._pair_features(sentences)
        np.add.at(scores, tokens, self.weights.states[attributes])
        ends = np.cumsum([len(norms) for norms in sentences]).tolist()
        return [scores[end - len(norms):end] for norms, end in zip(sentences, ends)]

    def _word_scores(self, sentences: Sequence[Sequence[str]]) -> np.ndarray:
        """``(all tokens, labels)``: each token's own row plus what its neighbours (or the
        sentence boundaries) lend it."""
        rows = np.concatenate([self._boundary, self._word_rows.rows([w for norms in sentences for w in norms])])
        index: list[int] = []  # into rows: each sentence between two begin (0) and two end (1) rows
        positions: list[int] = []
        for norms, first in zip(sentences, np.cumsum([2, *map(len, sentences)]).tolist()):
            positions += range(len(index) + 2, len(index) + 2 + len(norms))
            index += [0, 0, *range(first, first + len(norms)), 1, 1]
        padded, p = rows[index], np.array(positions)
        return padded[p, 0] + padded[p - 2, 1] + padded[p - 1, 2] + padded[p + 1, 3] + padded[p + 2, 4]

    def _pair_features(self, sentences: Sequence[Sequence[str]]) -> tuple[list[int], list[int]]:
        """The features that depend on two words (gazetteer matches, bigrams) as parallel
        lists of token positions (over all sentences) and attribute rows; a token's rows
        come in the order :meth:`.Featurizer.dynamic` lists its features."""
        tokens: list[int] = []
        attributes: list[int] = []
        first = 0
        matches, bigrams = self.featurizer.gazetteer.matches, self._bigrams
        for norms in sentences:
            last = first + len(norms) - 1
            for i, found in [(i, found) for i, found in enumerate(matches(norms), first) if found]:
                for j, rows in zip((i - 1, i, i + 1), self._gazetteer_rows(found)):
                    if first <= j <= last:
                        tokens += [j] * len(rows)
                        attributes += rows
            for i, pair in [(i, pair) for i, pair in enumerate(zip(norms, norms[1:]), first + 1) if pair in bigrams]:
                for offset, row in bigrams[pair]:
                    tokens.append(i + offset)
                    attributes.append(row)
            first = last + 1
        return tokens, attributes

    def _gazetteer_rows(self, features: tuple[str, ...]) -> tuple[list[int], list[int], list[int]]:
        """The attribute rows a token's gazetteer features give the token before it
        (``gaz=…[+1]``), itself, and the token after it (``gaz=…[-1]``); cached."""
        rows = self._gazetteer_cache.get(features)
        if rows is None:
            known = self.weights.row
            to_previous, to_next = lent_to_neighbours(features)
            previous, own, following = ([known[f] for f in names if f in known] for names in (to_previous, features, to_next))
            rows = (previous, own, following)
            self._gazetteer_cache[features] = rows
        return rows

    def tag_sentences(self, sentences: Sequence[Sequence[Token]]) -> list[list[EntityRun]]:
        """Entity runs of each sentence of pipeline tokens; confidence is the lowest tag
        marginal in the run."""
        present = [[t.norm for t in tokens] for tokens in sentences if tokens]
        if not present:
            return [[] for _ in sentences]
        decoded = iter(decode(self.scores(present), self.weights.transitions, self._no_scores, self._no_scores,
                              self._outside))
        out = []
        for tokens in sentences:
            path, probabilities = next(decoded) if tokens else ([], [])
            out.append(scored_runs([self.weights.labels[k] for k in path], probabilities))
        return out


@cache
def load_crf(model_dir: str | None = None) -> CRFTagger:
    """The CRF tagger of ``model_dir`` (default: the shipped model), loaded once per process."""
    return CRFTagger(model_dir)
