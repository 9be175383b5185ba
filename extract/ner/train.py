"""Training a CRF model directory from CoNLL / Wojood files, reproducibly from one seed:
word clusters from the training text (and any unlabeled text), then CRFsuite L-BFGS with
elastic-net penalties, then a dev-set score; everything the run used is recorded in
``config.json``. :func:`prepare` and :class:`TrainingData` serve the neural trainer too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ..fingerprint import fingerprint
from . import NER
from .augment import lexicon_names, replace_mentions
from .clusters import CLUSTERS_FILE, build_clusters, write_clusters
from .conll import sentences_of
from .crf import CONFIG_FILE, MODEL_FILE, CRFTagger, make_featurizer
from .evaluate import evaluate
from .features import TRIGGERS_FILE, available_lexicons


def train(train_files: Sequence[str | Path], dev_file: str | Path | None, out_dir: str | Path, *,
          unlabeled_files: Sequence[str | Path] = (), seed: int = 13, c1: float = 0.03, c2: float = 0.01,
          max_iterations: int = 120, min_freq: int = 1, augment: bool = True,
          name: str | None = None) -> dict[str, Any]:
    """Train a CRF on ``train_files`` into ``out_dir``; returns the config written there.
    ``unlabeled_files`` (CoNLL or Wojood; their tags are ignored) add text for the word clusters."""
    import pycrfsuite

    data = prepare(train_files, unlabeled_files, out_dir, seed)
    out, sentences = data.out, data.sentences
    augmented = replace_mentions(sentences, lexicon_names(), seed) if augment else []
    featurizer = make_featurizer(data.clusters)
    trainer = pycrfsuite.Trainer(verbose=False)
    for norms, tags in sentences + augmented:
        trainer.append(featurizer.sentence(norms), tags)
    params = {"c1": c1, "c2": c2, "max_iterations": max_iterations, "feature.minfreq": min_freq,
              "feature.possible_transitions": True}
    trainer.set_params(params)
    trainer.train(str(out / MODEL_FILE))
    config = {**data.record(name, "crf", seed, len(augmented)), "crfsuite": params,
              "features": len(featurizer_weights(out / MODEL_FILE))}
    write_config(out, config)
    if dev_file is not None:
        config["dev"] = {"file": Path(dev_file).name, **evaluate(NER(tagger=CRFTagger(out)), dev_file).to_dict()}
        write_config(out, config)
    return config


class TrainingData(NamedTuple):
    """What every architecture trains from: the training sentences (normalized tokens and
    BIO tags), and the word clusters of their text and the unlabeled text."""

    out: Path
    sentences: list[tuple[list[str], list[str]]]
    text: list[list[str]]
    clusters: dict[str, tuple[str, str]]
    train_files: Sequence[str | Path]
    unlabeled_files: Sequence[str | Path]

    def record(self, name: str | None, backend: str, seed: int, augmented: int) -> dict[str, Any]:
        """The training record every model's ``config.json`` starts with."""
        return {
            "name": name or self.out.name.removeprefix("ner-"),
            "backend": backend,
            "seed": seed,
            "train_files": {Path(p).name: fingerprint([p]) for p in self.train_files},
            "unlabeled_files": {Path(p).name: fingerprint([p]) for p in self.unlabeled_files},
            "train_sentences": len(self.sentences),
            "augmented_sentences": augmented,
            "clusters": len(self.clusters),
            "lexicons": [TRIGGERS_FILE, *available_lexicons()],
        }


def prepare(train_files: Sequence[str | Path], unlabeled_files: Sequence[str | Path], out_dir: str | Path,
            seed: int) -> TrainingData:
    """Read the corpora, create the model directory and write the word clusters into it."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sentences = [([t.norm for t in tokens], tags) for tokens, tags in sentences_of(train_files)]
    text = [norms for norms, _ in sentences] + [[t.norm for t in tokens] for tokens, _ in sentences_of(unlabeled_files)]
    clusters = build_clusters(text, seed=seed)
    write_clusters(clusters, out / CLUSTERS_FILE, ", ".join(Path(p).name for p in [*train_files, *unlabeled_files]))
    return TrainingData(out, sentences, text, clusters, train_files, unlabeled_files)


def write_config(model_dir: Path, config: dict[str, Any]) -> None:
    """Write a model directory's ``config.json``."""
    (model_dir / CONFIG_FILE).write_text(json.dumps(config, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def featurizer_weights(model_file: str | Path) -> dict[tuple[str, str], float]:
    """Non-zero state-feature weights of a trained model, ``(attribute, label) -> weight``."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_file))
    return tagger.info().state_features
