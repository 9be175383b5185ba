"""The default NER backend: a linear-chain CRF (CRFsuite) over :mod:`.features`.

A model directory holds ``model.crfsuite``, ``clusters.tsv`` and ``config.json``
(name, feature settings, training record); ``models/ner-anercorp`` is shipped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from ..doc import Token
from ..lexicons import lexicon_path
from .clusters import CLUSTERS_FILE, read_clusters
from .conll import EntityRun, bio_runs
from .features import TRIGGERS_FILE, Featurizer, Gazetteer, available_lexicons, read_triggers
from .model_dir import fingerprint, require_files

MODEL_FILE = "model.crfsuite"
CONFIG_FILE = "config.json"
MODEL_FILES = (MODEL_FILE, CLUSTERS_FILE, CONFIG_FILE)
DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "models" / "ner-anercorp"
_HINT = "train one with `extract ner train`, or use the shipped models/ner-anercorp"


def make_featurizer(clusters: dict[str, tuple[str, str]], known: frozenset[str] | None = None) -> Featurizer:
    """The featurizer of a model with these clusters and the package's current lexicons."""
    return Featurizer(clusters, Gazetteer.from_lexicons(), read_triggers(), known)


def lexicon_fingerprint() -> bytes:
    """Content of the lexicons the features read (a changed lexicon changes the output)."""
    names = [TRIGGERS_FILE, *available_lexicons()]
    return b"".join(lexicon_path(name).read_bytes() for name in names)


class CRFTagger:
    """Tags sentences of normalized tokens with a CRFsuite model directory."""

    backend = "crf"

    def __init__(self, model_dir: str | Path | None = None):
        import pycrfsuite

        path = require_files(model_dir or DEFAULT_MODEL, MODEL_FILES, "crf", _HINT)
        self.config = json.loads((path / CONFIG_FILE).read_text(encoding="utf-8"))
        self.name = self.config.get("name", path.name)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path / MODEL_FILE))
        known = frozenset(attribute for attribute, _ in self._tagger.info().state_features)
        self.featurizer = make_featurizer(read_clusters(path / CLUSTERS_FILE), known)
        digest = fingerprint([path / MODEL_FILE, path / CLUSTERS_FILE, lexicon_fingerprint()])
        self.signature = f"crf:{self.name}@{digest}"

    def tag(self, norms: Sequence[str]) -> list[str]:
        """BIO tags of one sentence of normalized tokens."""
        return self._tagger.tag(self.featurizer.sentence(norms)) if norms else []

    def entities(self, norms: Sequence[str]) -> list[EntityRun]:
        """Entity runs of one sentence; confidence is the lowest token marginal in the run."""
        tags = self.tag(norms)
        return [run._replace(confidence=min(self._tagger.marginal(tags[i], i) for i in range(run.first, run.last)))
                for run in bio_runs(tags)]

    def tag_sentences(self, sentences: Sequence[Sequence[Token]]) -> list[list[EntityRun]]:
        """Entity runs of each sentence of pipeline tokens."""
        return [self.entities([t.norm for t in tokens]) for tokens in sentences]


@cache
def load_crf(model_dir: str | None = None) -> CRFTagger:
    """The CRF tagger of ``model_dir`` (default: the shipped model), loaded once per process."""
    return CRFTagger(model_dir)
