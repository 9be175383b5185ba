"""Training a neural model directory (``extract ner train --arch neural``), on CPU and
reproducibly from one seed: word vectors and clusters from the training text plus any
unlabeled text, mention-replacement copies of the training sentences, then Adam over
shuffled mini-batches; the epoch with the best dev F1 is kept.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .augment import lexicon_names, replace_mentions
from .clusters import word_vectors
from .conll import LABELS
from .encoding import InputEncoder
from .evaluate import evaluate
from .features import Gazetteer, read_triggers
from .neural import VOCAB_FILE, WEIGHTS_FILE, NeuralTagger, gaz_tensor, word_tensors
from .train import prepare, write_config

TAGS = ("O", *(f"{prefix}-{label}" for label in sorted(LABELS) for prefix in "BI"))


def train_neural(train_files: Sequence[str | Path], dev_file: str | Path | None, out_dir: str | Path, *,
               unlabeled_files: Sequence[str | Path] = (), seed: int = 13, epochs: int = 15,
               batch_size: int = 16, learning_rate: float = 1e-3, dropout: float = 0.3,
               encoder: str = "lstm", head: str = "crf",
               dims: dict[str, int] | None = None, augment: bool = True, name: str | None = None,
               log: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    """Train a :class:`.network.TaggerNet` on ``train_files`` into ``out_dir``; returns the config written there.
    ``unlabeled_files`` (CoNLL or Wojood; their tags are ignored) only add text for the word
    vectors and clusters."""
    import torch

    from .network import DEFAULT_DIMS, TaggerNet

    torch.manual_seed(seed)
    rng = random.Random(seed)
    dims = {**DEFAULT_DIMS, **(dims or {})}
    data = prepare(train_files, unlabeled_files, out_dir, seed)
    out, sentences = data.out, data.sentences
    pretrained, vectors = word_vectors(data.text, seed=seed, dim=dims["word"] + 1)
    examples = sentences + (replace_mentions(sentences, lexicon_names(), seed) if augment else [])
    inputs = InputEncoder.build([norms for norms, _ in examples], data.clusters, Gazetteer.from_lexicons(),
                                read_triggers(), extra_words=pretrained)
    net = TaggerNet({k: len(v) for k, v in inputs.vocab.items()}, TAGS, dims, encoder=encoder, head=head,
                    dropout=dropout)
    _initialise_words(net, inputs, pretrained, vectors)
    tag_ids = {tag: i for i, tag in enumerate(TAGS)}
    encoded = [([inputs.word(w) for w in norms], inputs.gaz(norms), [tag_ids[t] for t in tags])
               for norms, tags in examples]
    optimizer = torch.optim.Adam(net.parameters(), lr=learning_rate)
    vocab = {**inputs.vocab, "tags": list(TAGS)}
    (out / VOCAB_FILE).write_text(json.dumps(vocab, ensure_ascii=False) + "\n", encoding="utf-8")
    config = {**data.record(name, "neural", seed, len(examples) - len(sentences)),
              "encoder": encoder, "head": head, "dims": dims, "dropout": dropout, "epochs": epochs,
              "batch_size": batch_size, "learning_rate": learning_rate, "pretrained_words": len(pretrained),
              "vocabulary": {k: len(v) for k, v in inputs.vocab.items()}}
    best = -1.0
    for epoch in range(1, epochs + 1):
        loss = _epoch(net, optimizer, encoded, batch_size, rng)
        score = _dev_f1(net, inputs, dev_file) if dev_file is not None else float(epoch)
        log(f"epoch {epoch}: loss {loss:.1f}" + (f", dev F1 {score:.4f}" if dev_file is not None else ""))
        if score > best:
            best = score
            config["best_epoch"] = epoch
            torch.save({k: v.half() if v.is_floating_point() else v for k, v in net.state_dict().items()},
                       out / WEIGHTS_FILE)
    write_config(out, config)
    if dev_file is not None:
        stage_scores = evaluate(_stage(NeuralTagger.load(out)), dev_file).to_dict()
        config["dev"] = {"file": Path(dev_file).name, **stage_scores}
        write_config(out, config)
    return config


def _initialise_words(net, inputs: InputEncoder, words: Sequence[str], vectors) -> None:
    """Copy the pretrained vectors into the word embedding (scaled like its random rows)."""
    import torch

    if not len(words):
        return
    ids = inputs.index("word")
    weight = net.embeddings["word"].weight
    scale = weight.detach().std().item() / max(float(vectors.std()), 1e-6)
    with torch.no_grad():
        for w, vector in zip(words, vectors):
            if w in ids:
                weight[ids[w], :len(vector)] = torch.tensor(vector[:weight.shape[1]] * scale, dtype=weight.dtype)


def _epoch(net, optimizer, encoded, batch_size: int, rng: random.Random) -> float:
    """One pass over the training batches (sentences of similar length, in random order);
    returns the summed loss."""
    import torch

    net.train()
    order = sorted(range(len(encoded)), key=lambda i: (len(encoded[i][0]), rng.random()))
    batches = [order[first:first + batch_size] for first in range(0, len(order), batch_size)]
    rng.shuffle(batches)
    total = 0.0
    for indices in batches:
        batch = [encoded[i] for i in indices]
        word_ids, char_ids = word_tensors([words for words, _, _ in batch])
        lengths = [len(words) for words, _, _ in batch]
        tags = torch.zeros(word_ids.shape[:2], dtype=torch.long)
        for b, (_, _, gold) in enumerate(batch):
            tags[b, :len(gold)] = torch.tensor(gold)
        mask = torch.arange(word_ids.shape[1]) < torch.tensor(lengths)[:, None]
        emissions = net.emissions(net.word_vectors(word_ids, char_ids), gaz_tensor([g for _, g, _ in batch]), lengths)
        loss = net.loss(emissions, tags, mask) / len(batch)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
        optimizer.step()
        total += loss.item() * len(batch)
    return total


def _stage(tagger):
    from . import NER

    return NER(tagger=tagger)


def _dev_f1(net, inputs: InputEncoder, dev_file: str | Path) -> float:
    tagger = NeuralTagger(net, inputs, TAGS, "dev", "dev")
    f1 = evaluate(_stage(tagger), dev_file).overall.f1
    net.train()
    return f1
