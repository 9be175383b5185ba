"""Integer inputs of the neural tagger (:mod:`.network`) for sentences of normalized tokens.

Per word: its form, its bare stem (clitics and article peeled), its characters, shape,
article flag, trigger class and word clusters, all as vocabulary ids; per token in a
sentence: the gazetteer matches (multi-word, so they depend on the neighbours).
The vocabularies are saved with the model (``vocab.json``), so a model directory
encodes its input exactly as it was trained.

>>> enc = InputEncoder.build([["قوات", "سوريا"]], clusters={}, gazetteer=Gazetteer({}),
...                          triggers={"قوات": "ORG"}, min_count=1)
>>> w = enc.word("وقوات")
>>> enc.vocab["core"][w.core], enc.vocab["trigger"][w.trigger]
('قوات', 'ORG')
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple

from ..tokenize import lookup_forms
from .features import Gazetteer, bare, shape

PAD, UNK = "<pad>", "<unk>"
MAX_CHARS = 16
# Vocabulary name -> the attribute of :class:`WordIds` it encodes (``gaz`` is per token).
WORD_VOCABS = ("word", "core", "shape", "article", "trigger", "coarse", "fine")
VOCABS = (*WORD_VOCABS, "char", "gaz")


class WordIds(NamedTuple):
    """A word's vocabulary ids (0 = padding, 1 = unknown) and its character ids."""

    word: int
    core: int
    shape: int
    article: int
    trigger: int
    coarse: int
    fine: int
    chars: tuple[int, ...]


def _index(items: Iterable[str]) -> dict[str, int]:
    return {item: i for i, item in enumerate(items)}


class InputEncoder:
    """Maps normalized tokens to :class:`WordIds` and gazetteer ids with fixed vocabularies."""

    def __init__(self, vocab: Mapping[str, Sequence[str]], clusters: Mapping[str, tuple[str, str]],
                 gazetteer: Gazetteer, triggers: Mapping[str, str]):
        self.vocab = {name: list(items) for name, items in vocab.items()}
        self._ids = {name: _index(items) for name, items in self.vocab.items()}
        self.clusters = clusters
        self.gazetteer = gazetteer
        self.triggers = triggers
        self.word = lru_cache(maxsize=200_000)(self._word_ids)

    @classmethod
    def build(cls, sentences: Iterable[Sequence[str]], clusters: Mapping[str, tuple[str, str]],
              gazetteer: Gazetteer, triggers: Mapping[str, str], *, min_count: int = 2,
              extra_words: Iterable[str] = ()) -> InputEncoder:
        """An encoder whose vocabularies cover the training ``sentences``: forms and stems
        seen ``min_count`` times (plus ``extra_words``, e.g. the pretrained ones), every
        character, and the feature values the words and gazetteer produce."""
        sentences = [list(s) for s in sentences]
        empty = cls({name: [PAD, UNK] for name in VOCABS}, clusters, gazetteer, triggers)
        raw = [empty.attributes(w) for s in sentences for w in s]
        vocab = {}
        for position, name in enumerate(WORD_VOCABS):
            counts = Counter(attrs[position] for attrs in raw)
            threshold = min_count if name in ("word", "core") else 1
            keep = {v for v, c in counts.items() if c >= threshold}
            if name == "word":
                keep |= set(extra_words)
            vocab[name] = [PAD, UNK, *sorted(keep)]
        vocab["char"] = [PAD, UNK, *sorted({ch for s in sentences for w in s for ch in w[:MAX_CHARS]})]
        vocab["gaz"] = [PAD, UNK, *sorted({g for s in sentences for gs in gazetteer.matches(s) for g in gs})]
        return cls(vocab, clusters, gazetteer, triggers)

    def index(self, name: str) -> Mapping[str, int]:
        """Value -> id of one vocabulary."""
        return self._ids[name]

    def attributes(self, w: str) -> tuple[str, ...]:
        """The string values behind a word's ids, in :data:`WORD_VOCABS` order."""
        forms = [f for _, f in lookup_forms(w)]
        stem = forms[-1]
        core = bare(stem)
        cluster = next((self.clusters[f] for f in forms if f in self.clusters), ("-", "-"))
        trigger = next((self.triggers[f] for f in forms if f in self.triggers), "-")
        return (w, core, shape(w), str(core != stem), trigger, *cluster)

    def _word_ids(self, w: str) -> WordIds:
        ids = [self._ids[name].get(value, 1) for name, value in zip(WORD_VOCABS, self.attributes(w))]
        chars = tuple(self._ids["char"].get(ch, 1) for ch in w[:MAX_CHARS]) or (1,)
        return WordIds._make([*ids, chars])

    def gaz(self, norms: Sequence[str]) -> list[tuple[int, ...]]:
        """Per token, the ids of its gazetteer matches (an empty tuple for none)."""
        ids = self._ids["gaz"]
        return [tuple(ids.get(g, 1) for g in gs) for gs in self.gazetteer.matches(norms)]
