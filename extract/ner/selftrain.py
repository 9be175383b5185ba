"""Self-training data: unlabeled news sentences tagged by a model, kept when every entity
the model finds there is confident, written as CoNLL to train the next model on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from ..doc import Document, Token
from ..normalize import Normalizer
from ..tokenize import Tokenizer
from .conll import runs_to_bio


def confident_sentences(tagger, texts: Iterable[str], *, threshold: float = 0.9, limit: int = 5000,
                        min_tokens: int = 6, max_tokens: int = 60) -> list[tuple[list[Token], list[str]]]:
    """Up to ``limit`` sentences of ``texts`` (in order) with at least one entity, all of
    whose entities have a confidence of at least ``threshold``, with the tagger's tags."""
    normalizer, tokenizer = Normalizer(), Tokenizer()
    kept: list[tuple[list[Token], list[str]]] = []
    for text in texts:
        doc = tokenizer(normalizer(Document(text)))
        sentences = [doc.tokens[s.token_start:s.token_end] for s in doc.sentences]
        for tokens, runs in zip(sentences, tagger.tag_sentences(sentences)):
            if runs and min_tokens <= len(tokens) <= max_tokens and min(r.confidence for r in runs) >= threshold:
                kept.append((tokens, runs_to_bio(len(tokens), runs)))
                if len(kept) == limit:
                    return kept
    return kept


def write_conll(sentences: Sequence[tuple[Sequence[Token], Sequence[str]]], path: str | Path) -> None:
    """Write tagged sentences as ``token<TAB>tag`` lines, a blank line between sentences."""
    blocks = ["\n".join(f"{t.text}\t{tag}" for t, tag in zip(tokens, tags)) for tokens, tags in sentences]
    Path(path).write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
