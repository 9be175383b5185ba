"""The neural NER backend: a network of :mod:`.network` (CNN or BiLSTM encoder, CRF or
softmax head) trained in this repository with ``extract ner train --arch neural``.

A model directory holds ``model.pt`` (the network's weights), ``vocab.json`` (the input
vocabularies and tags), ``clusters.tsv`` and ``config.json`` (architecture, sizes, training
record). This module imports torch, so the stage loads it only for ``ner="neural"``.
Tagging uses one thread (pipeline workers are processes), runs an article's sentences as
one batch, and computes each distinct word's vector once per process.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import torch

from ..doc import Token
from ..fingerprint import fingerprint
from .clusters import CLUSTERS_FILE, read_clusters
from .conll import EntityRun, scored_runs
from .crf import lexicon_fingerprint
from .encoding import InputEncoder, WordIds
from .features import Gazetteer, read_triggers
from .model_dir import require_files
from .network import TaggerNet
from .rowcache import RowCache
from .viterbi import decode

WEIGHTS_FILE = "model.pt"
VOCAB_FILE = "vocab.json"
CONFIG_FILE = "config.json"
MODEL_FILES = (WEIGHTS_FILE, VOCAB_FILE, CLUSTERS_FILE, CONFIG_FILE)
_HINT = "train one with `extract ner train --arch neural` (none is shipped: the CRF is the default)"


def word_tensors(words: Sequence[Sequence[WordIds]]):
    """Padded word ids ``(b, t, 7)`` and character ids ``(b, t, c)`` of encoded sentences."""
    longest = max(len(s) for s in words)
    chars = max(len(w.chars) for s in words for w in s)
    word_ids = torch.zeros(len(words), longest, len(WordIds._fields) - 1, dtype=torch.long)
    char_ids = torch.zeros(len(words), longest, chars, dtype=torch.long)
    for b, sentence in enumerate(words):
        word_ids[b, :len(sentence)] = torch.tensor([w[:-1] for w in sentence])
        for t, w in enumerate(sentence):
            char_ids[b, t, :len(w.chars)] = torch.tensor(w.chars)
    return word_ids, char_ids


def gaz_tensor(gaz: Sequence[Sequence[tuple[int, ...]]]):
    """Padded gazetteer ids ``(b, t, k)`` of sentences (:meth:`.InputEncoder.gaz`)."""
    per_token = max((len(g) for s in gaz for g in s), default=0) or 1
    gaz_ids = torch.zeros(len(gaz), max(len(s) for s in gaz), per_token, dtype=torch.long)
    for b, matches in enumerate(gaz):
        for t, g in enumerate(matches):
            if g:
                gaz_ids[b, t, :len(g)] = torch.tensor(g)
    return gaz_ids


class NeuralTagger:
    """Tags sentences of normalized tokens with a :class:`.network.TaggerNet` and its input encoder."""

    backend = "neural"

    def __init__(self, net: TaggerNet, encoder: InputEncoder, tags: Sequence[str], name: str, signature: str):
        self.net = net.eval()
        self.encoder = encoder
        self.tags = list(tags)
        self.name = name
        self.signature = signature
        self._word_vectors = RowCache(self._compute_word_vectors)
        self._crf = net.crf_scores()

    @classmethod
    def load(cls, model_dir: str | Path | None) -> NeuralTagger:
        """The tagger of a model directory."""
        torch.set_num_threads(1)
        path = require_files(model_dir, MODEL_FILES, "neural", _HINT)
        config = json.loads((path / CONFIG_FILE).read_text(encoding="utf-8"))
        vocab = json.loads((path / VOCAB_FILE).read_text(encoding="utf-8"))
        tags = vocab.pop("tags")
        encoder = InputEncoder(vocab, read_clusters(path / CLUSTERS_FILE), Gazetteer.from_lexicons(), read_triggers())
        net = TaggerNet({k: len(v) for k, v in vocab.items()}, tags, config["dims"],
                        encoder=config["encoder"], head=config["head"])
        state = torch.load(path / WEIGHTS_FILE, map_location="cpu", weights_only=True)
        net.load_state_dict({k: v.float() for k, v in state.items()})
        digest = fingerprint([path / WEIGHTS_FILE, path / VOCAB_FILE, path / CLUSTERS_FILE, lexicon_fingerprint()])
        name = config.get("name", path.name)
        return cls(net, encoder, tags, name, f"neural:{name}@{digest}")

    def _compute_word_vectors(self, words: list[str]):
        word_ids, char_ids = word_tensors([[self.encoder.word(w) for w in words]])
        return self.net.word_vectors(word_ids, char_ids)[0].numpy()

    def tag_sentences(self, sentences: Sequence[Sequence[Token]]) -> list[list[EntityRun]]:
        """Entity runs of each sentence; confidence is the lowest tag probability in the run."""
        norms = [[t.norm for t in tokens] for tokens in sentences]
        present = [s for s in norms if s]
        if not present:
            return [[] for _ in sentences]
        lengths = [len(s) for s in present]
        with torch.inference_mode():
            flat = torch.from_numpy(self._word_vectors.rows([w for s in present for w in s]))
            words = torch.zeros(len(present), max(lengths), flat.shape[1])
            words[torch.arange(max(lengths))[None, :] < torch.tensor(lengths)[:, None]] = flat
            emissions = self.net.emissions(words, gaz_tensor([self.encoder.gaz(s) for s in present]), lengths)
            decoded = self._decode(emissions, lengths)
        found = iter(scored_runs([self.tags[i] for i in path], probabilities) for path, probabilities in decoded)
        return [next(found) if s else [] for s in norms]

    def _decode(self, emissions: torch.Tensor, lengths: Sequence[int]) -> list[tuple[list[int], list[float | None]]]:
        """Tag ids and their probabilities per sentence: Viterbi and posteriors under the CRF,
        or each token's most probable tag under the softmax head."""
        if self.net.head == "crf":
            scores = emissions.double().numpy()
            return decode([scores[b, :n] for b, n in enumerate(lengths)], *self._crf, self.tags.index("O"))
        probabilities, tags = torch.softmax(emissions, dim=2).max(dim=2)
        return [(tags[b, :n].tolist(), probabilities[b, :n].tolist()) for b, n in enumerate(lengths)]


@cache
def load_neural(model_dir: str | None) -> NeuralTagger:
    """The neural tagger of ``model_dir``, loaded once per process."""
    return NeuralTagger.load(model_dir)
