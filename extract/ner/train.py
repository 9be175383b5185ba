"""Training a CRF model directory from CoNLL / Wojood files, reproducibly from one seed:
word clusters from the training text (and any unlabeled text), then CRFsuite L-BFGS with
elastic-net penalties, then a dev-set score; everything the run used is recorded in
``config.json``. :func:`prepare` and :class:`TrainingData` serve the neural trainer too.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ..fingerprint import fingerprint
from . import NER
from .augment import lexicon_names, mention_copies
from .clusters import CLUSTERS_FILE, build_clusters, read_clusters, write_clusters
from .conll import sentences_of
from .crf import CONFIG_FILE, GAZETTEER_FILE, MODEL_FILE, CRFTagger, make_featurizer
from .evaluate import evaluate
from .features import TRIGGERS_FILE, available_lexicons, in_domain
from .names import NAMES_FILE, names_from_json, prune, write_names
from .newstext import text_of


def train(train_files: Sequence[str | Path], dev_file: str | Path | None, out_dir: str | Path, *,
          unlabeled_files: Sequence[str | Path] = (), seed: int = 13, c1: float = 0.03, c2: float = 0.01,
          max_iterations: int = 120, min_freq: int = 1, augment: bool = True, vectors: str = "ppmi",
          clusters_file: str | Path | None = None, exclude_files: Sequence[str | Path] = (),
          names_file: str | Path | None = None, name: str | None = None,
          domains: Sequence[str] = ()) -> dict[str, Any]:
    """Train a CRF on ``train_files`` into ``out_dir``; returns the config written there.
    ``unlabeled_files`` (corpus files, tags ignored, or SaudiNewsNet zips) add text for the
    word clusters (``vectors``: ``ppmi`` or ``word2vec``); ``clusters_file`` reuses clusters
    learned before instead. Training sentences that share 8 consecutive tokens with a
    sentence of ``exclude_files`` are left out. ``names_file``: a ``{english: arabic}``
    person-name dictionary (arabnamer's ``dict_FINAL.json``) for the ``nm`` feature.
    ``domains``: the domain of each training file (``news``, ``wiki``…), for a model whose
    features are learned shared and per domain (:func:`.features.in_domain`); it tags as the
    first file's domain."""
    import pycrfsuite

    if domains and len(domains) != len(train_files):
        raise ValueError(f"{len(domains)} domains for {len(train_files)} training files: give one per file")
    data = prepare(train_files, unlabeled_files, out_dir, seed, vectors=vectors, clusters_file=clusters_file,
                   exclude_files=exclude_files)
    out, sentences = data.out, data.sentences
    names = prune(names_from_json(names_file), sentences) if names_file else frozenset()
    if names:
        write_names(names, out / NAMES_FILE, f"{Path(names_file).name} (arabnamer, JRC-Names, CC BY 4.0), "
                                             "less words the training text shows to be common words")
    copies = list(mention_copies(sentences, lexicon_names(), seed)) if augment else []
    origins = data.origins + [data.origins[k] for k, _ in copies]
    featurizer = make_featurizer(data.clusters, names=names)
    featurizer.gazetteer.write(out / GAZETTEER_FILE)
    trainer = pycrfsuite.Trainer(verbose=False)
    for (norms, tags), origin in zip(sentences + [copy for _, copy in copies], origins):
        features = featurizer.sentence(norms)
        trainer.append([in_domain(f, domains[origin]) for f in features] if domains else features, tags)
    params = {"c1": c1, "c2": c2, "max_iterations": max_iterations, "feature.minfreq": min_freq,
              "feature.possible_transitions": True}
    trainer.set_params(params)
    trainer.train(str(out / MODEL_FILE))
    config = {**data.record(name, "crf", seed, len(copies)), "names": len(names), "crfsuite": params,
              "features": len(featurizer_weights(out / MODEL_FILE))}
    if domains:
        config["domains"] = {"files": {Path(p).name: d for p, d in zip(train_files, domains)}, "tag_as": domains[0]}
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
    source: dict[str, Any]
    excluded: int
    origins: list[int]  # the index in train_files of each sentence's file

    def record(self, name: str | None, backend: str, seed: int, augmented: int) -> dict[str, Any]:
        """The training record every model's ``config.json`` starts with."""
        return {
            "name": name or self.out.name.removeprefix("ner-"),
            "backend": backend,
            "seed": seed,
            "train_files": {Path(p).name: fingerprint([p]) for p in self.train_files},
            **self.source,
            "train_sentences": len(self.sentences),
            "excluded_sentences": self.excluded,
            "augmented_sentences": augmented,
            "clusters": len(self.clusters),
            "lexicons": [TRIGGERS_FILE, *available_lexicons()],
        }


def prepare(train_files: Sequence[str | Path], unlabeled_files: Sequence[str | Path], out_dir: str | Path,
            seed: int, *, vectors: str = "ppmi", clusters_file: str | Path | None = None,
            exclude_files: Sequence[str | Path] = ()) -> TrainingData:
    """Read the corpora (less the sentences of ``exclude_files``), create the model
    directory and write the word clusters into it (learned, or copied from ``clusters_file``)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    excluded = {gram for tokens, _ in sentences_of(exclude_files) for gram in ngrams([t.norm for t in tokens])}
    read = [(k, [t.norm for t in tokens], tags) for k, path in enumerate(train_files)
            for tokens, tags in sentences_of([path])]
    kept = [(k, norms, tags) for k, norms, tags in read if excluded.isdisjoint(ngrams(norms))]
    sentences = [(norms, tags) for _, norms, tags in kept]
    text = [norms for norms, _ in sentences]
    if clusters_file is not None:
        clusters = read_clusters(clusters_file)
        shutil.copyfile(clusters_file, out / CLUSTERS_FILE)
        source: dict[str, Any] = {"clusters_file": _header(clusters_file)}
    else:
        text += text_of(unlabeled_files)
        clusters = build_clusters(text, seed=seed, method=vectors)
        write_clusters(clusters, out / CLUSTERS_FILE, ", ".join(Path(p).name for p in [*train_files, *unlabeled_files]),
                       method=vectors)
        source = {"unlabeled_files": {Path(p).name: fingerprint([p]) for p in unlabeled_files}, "vectors": vectors}
    if exclude_files:
        source["exclude_files"] = {Path(p).name: fingerprint([p]) for p in exclude_files}
    return TrainingData(out, sentences, text, clusters, train_files, unlabeled_files, source, len(read) - len(sentences),
                        [k for k, _, _ in kept])


def ngrams(norms: Sequence[str], n: int = 8) -> set[tuple[str, ...]]:
    """The ``n``-token runs of a sentence (the whole sentence when it is shorter): two
    sentences sharing one are taken as the same text, however the corpora cut sentences.

    >>> sorted(ngrams(["a", "b", "c"], n=2)), ngrams(["a"], n=2)
    ([('a', 'b'), ('b', 'c')], {('a',)})
    """
    return {tuple(norms[i:i + n]) for i in range(max(1, len(norms) - n + 1))}


def _header(path: str | Path) -> str:
    """The first line of a clusters file (it names the text they were learned from)."""
    with open(path, encoding="utf-8") as handle:
        return handle.readline().strip()


def write_config(model_dir: Path, config: dict[str, Any]) -> None:
    """Write a model directory's ``config.json``."""
    (model_dir / CONFIG_FILE).write_text(json.dumps(config, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def featurizer_weights(model_file: str | Path) -> dict[tuple[str, str], float]:
    """Non-zero state-feature weights of a trained model, ``(attribute, label) -> weight``."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_file))
    return tagger.info().state_features
