"""Unlabeled text for word vectors: SaudiNewsNet's daily zips (each a JSON array of
articles) and the text of any corpus file, as the pipeline tokenizes it: one list of
normalized tokens per sentence."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..doc import Document
from ..normalize import Normalizer
from ..tokenize import Tokenizer
from .conll import sentences_of


def read_saudinewsnet(path: str | Path) -> list[str]:
    """The articles of a SaudiNewsNet zip, each as its title and content."""
    with zipfile.ZipFile(path) as archive:
        articles = [article for name in sorted(archive.namelist()) for article in json.loads(archive.read(name))]
    return [f"{article.get('title') or ''}\n{article.get('content') or ''}" for article in articles]


def tokenized_sentences(texts: Iterable[str]) -> Iterator[list[str]]:
    """Normalized tokens of each sentence of each text, as the pipeline cuts them."""
    normalizer, tokenizer = Normalizer(), Tokenizer()
    for text in texts:
        doc = tokenizer(normalizer(Document(text)))
        for sentence in doc.sentences:
            norms = [t.norm for t in doc.tokens[sentence.token_start:sentence.token_end]]
            if norms:
                yield norms


def text_of(paths: Iterable[str | Path]) -> Iterator[list[str]]:
    """Sentences of normalized tokens of SaudiNewsNet zips (``.zip``) and corpus files (tags ignored)."""
    for path in paths:
        if str(path).endswith(".zip"):
            yield from tokenized_sentences(read_saudinewsnet(path))
        else:
            yield from ([t.norm for t in tokens] for tokens, _ in sentences_of([path]))
