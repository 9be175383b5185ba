"""Stanza NER from a local directory (never the downloader).

``ner_model`` is either a Stanza resources directory (as ``stanza.download`` leaves it:
``resources.json``, ``ar/ner/…``, ``ar/pretrain/…``) or a flat directory holding
``ner.pt`` and ``pretrain.pt`` (plus ``forward_charlm.pt``/``backward_charlm.pt`` when
the model uses a character LM), e.g. one trained with ``stanza.models.ner_tagger``.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from ..doc import Token
from ..fingerprint import fingerprint
from .conll import EntityRun, bio_runs, mapped_runs
from .model_dir import NERModelError, require_files

NER_FILE = "ner.pt"
PRETRAIN_FILE = "pretrain.pt"
CHARLM_FILES = {"ner_forward_charlm_path": "forward_charlm.pt", "ner_backward_charlm_path": "backward_charlm.pt"}
RESOURCES_FILE = "resources.json"
_HINT = (f"give a Stanza resources directory (with {RESOURCES_FILE} and ar/ner/) or a directory "
         f"holding {NER_FILE} and {PRETRAIN_FILE}")


def bioes_to_bio(tag: str) -> str:
    """``S-X`` -> ``B-X``, ``E-X`` -> ``I-X`` (Stanza tags in BIOES).

    >>> [bioes_to_bio(t) for t in ("S-LOC", "B-ORG", "E-ORG", "O")]
    ['B-LOC', 'B-ORG', 'I-ORG', 'O']
    """
    prefix, _, kind = tag.partition("-")
    return {"S": "B-", "E": "I-"}.get(prefix, prefix + "-") + kind if kind else "O"


class StanzaTagger:
    """Tags pre-tokenized sentences with a local Stanza NER model."""

    backend = "stanza"

    def __init__(self, model_dir: str | Path | None):
        path = require_files(model_dir, (), "stanza", _HINT)
        self.name = path.name
        if (path / RESOURCES_FILE).is_file():
            model_files = sorted((path / "ar" / "ner").glob("*.pt"))
            if not model_files:
                raise NERModelError(f"stanza resources directory {path} has no ar/ner/*.pt model; {_HINT}")
            self._pipeline = self._build(dir=str(path))
        else:
            require_files(path, (NER_FILE, PRETRAIN_FILE), "stanza", _HINT)
            model_files = [path / NER_FILE]
            self._pipeline = self._flat(path)
        self.signature = f"stanza:{self.name}@{fingerprint(model_files)}"

    @staticmethod
    def _build(**options):
        import stanza

        return stanza.Pipeline(lang="ar", processors="tokenize,ner", tokenize_pretokenized=True,
                               download_method=None, use_gpu=False, logging_level="ERROR", **options)

    def _flat(self, path: Path):
        """A pipeline over explicit model files; Stanza still reads a resources file, so it
        gets an empty one and is told the language need not be listed in it."""
        charlm = {option: str(path / name) for option, name in CHARLM_FILES.items() if (path / name).is_file()}
        with tempfile.TemporaryDirectory() as scratch:
            resources = Path(scratch) / RESOURCES_FILE
            resources.write_text(json.dumps({}), encoding="utf-8")
            return self._build(dir=str(path), resources_filepath=str(resources), allow_unknown_language=True,
                               ner_model_path=str(path / NER_FILE), ner_pretrain_path=str(path / PRETRAIN_FILE),
                               **charlm)

    def tag_sentences(self, sentences: Sequence[Sequence[Token]]) -> list[list[EntityRun]]:
        """Entity runs of each sentence of pipeline tokens (no confidence: Stanza gives none)."""
        batch = [[t.text for t in tokens] for tokens in sentences if tokens]
        tagged = iter(self._pipeline(batch).sentences if batch else ())
        out: list[list[EntityRun]] = []
        for tokens in sentences:
            if not tokens:
                out.append([])
                continue
            tags = [bioes_to_bio(t.ner) for t in next(tagged).tokens]
            out.append(mapped_runs(bio_runs(tags)))
        return out


@cache
def load_stanza(model_dir: str | None) -> StanzaTagger:
    """The Stanza tagger of ``model_dir``, loaded once per process."""
    return StanzaTagger(model_dir)
