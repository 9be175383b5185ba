"""Training a CRF model directory from CoNLL / Wojood files, reproducibly from one seed:
word clusters from the training text, then CRFsuite L-BFGS with elastic-net penalties,
then a dev-set score; everything the run used is recorded in ``config.json``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import NER
from .augment import lexicon_names, replace_mentions
from .clusters import CLUSTERS_FILE, build_clusters, write_clusters
from .conll import sentences_of
from .crf import CONFIG_FILE, MODEL_FILE, CRFTagger, make_featurizer
from .evaluate import evaluate
from .features import TRIGGERS_FILE, available_lexicons
from .model_dir import fingerprint


def train(train_files: Sequence[str | Path], dev_file: str | Path | None, out_dir: str | Path, *,
          seed: int = 13, c1: float = 0.03, c2: float = 0.01, max_iterations: int = 120,
          min_freq: int = 1, augment: bool = True, name: str | None = None) -> dict[str, Any]:
    """Train a CRF on ``train_files`` into ``out_dir``; returns the config written there."""
    import pycrfsuite

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sentences = [([t.norm for t in tokens], tags) for tokens, tags in sentences_of(train_files)]
    sources = ", ".join(Path(p).name for p in train_files)
    clusters = build_clusters([norms for norms, _ in sentences], seed=seed)
    write_clusters(clusters, out / CLUSTERS_FILE, sources)
    augmented = replace_mentions(sentences, lexicon_names(), seed) if augment else []
    featurizer = make_featurizer(clusters)
    trainer = pycrfsuite.Trainer(verbose=False)
    for norms, tags in sentences + augmented:
        trainer.append(featurizer.sentence(norms), tags)
    params = {"c1": c1, "c2": c2, "max_iterations": max_iterations, "feature.minfreq": min_freq,
              "feature.possible_transitions": True}
    trainer.set_params(params)
    trainer.train(str(out / MODEL_FILE))
    config: dict[str, Any] = {
        "name": name or out.name.removeprefix("ner-"),
        "backend": "crf",
        "seed": seed,
        "crfsuite": params,
        "train_files": {Path(p).name: fingerprint([p]) for p in train_files},
        "train_sentences": len(sentences),
        "augmented_sentences": len(augmented),
        "clusters": len(clusters),
        "lexicons": [TRIGGERS_FILE, *available_lexicons()],
        "features": len(featurizer_weights(out / MODEL_FILE)),
    }
    write_config(out, config)
    if dev_file is not None:
        config["dev"] = {"file": Path(dev_file).name, **evaluate(NER(tagger=CRFTagger(out)), dev_file).to_dict()}
        write_config(out, config)
    return config


def write_config(model_dir: Path, config: dict[str, Any]) -> None:
    """Write a model directory's ``config.json``."""
    (model_dir / CONFIG_FILE).write_text(json.dumps(config, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def featurizer_weights(model_file: str | Path) -> dict[tuple[str, str], float]:
    """Non-zero state-feature weights of a trained model, ``(attribute, label) -> weight``."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_file))
    return tagger.info().state_features
