"""CAMeL Tools NER (``camel_tools.ner.NERecognizer``) from a local model directory: a
BERT token-classification model as ``save_pretrained`` writes it (``config.json`` with
``id2label``, the weights, ``vocab.txt``), e.g. CAMeL's ``ner-arabert`` data package.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from ..doc import Token
from ..fingerprint import fingerprint
from .conll import EntityRun, bio_runs, mapped_runs
from .model_dir import NERModelError, require_files

CONFIG_FILE = "config.json"
VOCAB_FILE = "vocab.txt"
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
_HINT = (f"give a directory with a fine-tuned BERT token classifier: {CONFIG_FILE}, {VOCAB_FILE} "
         f"and {' or '.join(WEIGHT_FILES)}")


def _offline_catalogue() -> None:
    """Importing ``camel_tools.ner`` loads the camel-tools data catalogue and downloads it
    when it is missing. Without one, point camel-tools at an empty catalogue instead: the
    NER model is read from its own directory and needs nothing from the catalogue."""
    data_dir = Path(os.environ.get("CAMELTOOLS_DATA") or Path.home() / ".camel_tools").expanduser()
    if (data_dir / "catalogue.json").is_file():
        return
    scratch = Path(tempfile.mkdtemp(prefix="extract-camel-"))
    empty = {"version": "0", "packages": {}, "components": {}}
    (scratch / "catalogue.json").write_text(json.dumps(empty), encoding="utf-8")
    os.environ["CAMELTOOLS_DATA"] = str(scratch)


class CamelTagger:
    """Tags sentences with a local CAMeL Tools NER model."""

    backend = "camel"

    def __init__(self, model_dir: str | Path | None):
        path = require_files(model_dir, (CONFIG_FILE, VOCAB_FILE), "camel", _HINT)
        weights = [path / name for name in WEIGHT_FILES if (path / name).is_file()]
        if not weights:
            raise NERModelError(f"camel NER model directory {path} lacks {' or '.join(WEIGHT_FILES)}; {_HINT}")
        _offline_catalogue()
        from camel_tools.ner import NERecognizer

        self.name = path.name
        self._recognizer = NERecognizer(str(path), use_gpu=False)
        self.signature = f"camel:{self.name}@{fingerprint(weights)}"

    def tag_sentences(self, sentences: Sequence[Sequence[Token]]) -> list[list[EntityRun]]:
        """Entity runs of each sentence (no confidence). Words BERT cannot cut into word
        pieces get no prediction from camel-tools, so they are left out and tagged ``O``."""
        tokenize = self._recognizer.tokenizer.tokenize
        kept = [[i for i, t in enumerate(tokens) if tokenize(t.text)] for tokens in sentences]
        words = [[tokens[i].text for i in keep] for tokens, keep in zip(sentences, kept)]
        predicted = self._recognizer.predict([w for w in words if w]) if any(words) else []
        tagged = iter(predicted)
        out = []
        for tokens, keep, sentence_words in zip(sentences, kept, words):
            tags = ["O"] * len(tokens)
            if sentence_words:
                for i, tag in zip(keep, next(tagged)):
                    tags[i] = tag
            out.append(mapped_runs(bio_runs(tags)))
        return out


@cache
def load_camel(model_dir: str | None) -> CamelTagger:
    """The CAMeL tagger of ``model_dir``, loaded once per process."""
    return CamelTagger(model_dir)
