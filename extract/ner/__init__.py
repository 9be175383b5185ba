"""The NER stage: tags each sentence's tokens with PER/LOC/ORG/MISC and adds the entities
to ``doc.entities`` as :class:`~extract.doc.Span` items with original offsets.

Backends: ``crf`` (default; the shipped ``extract/models/ner-anercorp`` or a directory trained
with ``extract ner train``), ``neural`` (a directory trained with ``extract ner train
--arch neural``), ``stanza`` and ``camel`` (a local model directory each). The last three
import torch, so they are loaded only when asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ..doc import Document, Span, Token
from ..registry import register_component
from .conll import EntityRun
from .consistency import propagate
from .model_dir import NERModelError

BACKENDS = ("crf", "neural", "stanza", "camel")

__all__ = ["BACKENDS", "NER", "NERModelError", "load_tagger"]


class Tagger(Protocol):
    """What a backend provides: entity runs per sentence of pipeline tokens."""

    backend: str
    name: str
    signature: str

    def tag_sentences(self, sentences: Sequence[Sequence[Token]]) -> list[list[EntityRun]]: ...


def load_tagger(backend: str = "crf", model: str | None = None) -> Tagger:
    """The tagger of ``backend`` for the model directory ``model`` (None: the shipped CRF)."""
    if backend == "crf":
        from .crf import load_crf
        return load_crf(model)
    if backend == "neural":
        from .neural import load_neural
        return load_neural(model)
    if backend == "stanza":
        from .stanza_backend import load_stanza
        return load_stanza(model)
    if backend == "camel":
        from .camel_backend import load_camel
        return load_camel(model)
    raise NERModelError(f"unknown NER backend {backend!r}; use one of {', '.join(BACKENDS)}")


@register_component("ner", requires=("doc.tokens",), assigns=("doc.entities",))
class NER:
    """Pipeline stage: named entities from a tagger, as Spans in ``doc.entities``."""

    name = "ner"

    def __init__(self, backend: str = "crf", model: str | None = None, *, tagger: Tagger | None = None):
        self.tagger = tagger or load_tagger(backend, model)
        self.signature = f"ner:{self.tagger.signature}"
        self.extractor = f"ner:{self.tagger.backend}:{self.tagger.name}"

    def tag_sentences(self, sentences: Sequence[Sequence[Token]]) -> list[list[EntityRun]]:
        """Entity runs of a document's sentences: the tagger's, made consistent across the
        document (:func:`.consistency.propagate`)."""
        return propagate(sentences, self.tagger.tag_sentences(sentences))

    def __call__(self, doc: Document) -> Document:
        sentences = [doc.tokens[s.token_start:s.token_end] for s in doc.sentences]
        for sentence, tokens, runs in zip(doc.sentences, sentences, self.tag_sentences(sentences)):
            doc.entities.extend(self._span(doc, sentence.index, tokens, run) for run in runs)
        return doc

    def _span(self, doc: Document, sentence: int, tokens: Sequence[Token], run: EntityRun) -> Span:
        start, end = tokens[run.first].start, tokens[run.last - 1].end
        confidence = None if run.confidence is None else round(run.confidence, 4)
        return Span(text=doc.text[start:end], start=start, end=end, label=run.label, sentence=sentence,
                    extractor=self.extractor, confidence=confidence)

