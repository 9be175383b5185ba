"""The pipeline: an ordered list of named components, each a callable ``doc -> doc``.

>>> nlp = Pipeline.default()
>>> doc = nlp("دخلت قافلة عبر معبر الوليد.", published="2020-04-23")
>>> [s.text for s in doc.sentences]
['دخلت قافلة عبر معبر الوليد.']
"""

from __future__ import annotations

import time
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from . import __version__
from .decide import Decider
from .doc import Document, headline, parse_published
from .errors import ArticleTypeError, ExtractWarning, MetadataError, PipelineError
from .events import EventAssembler
from .fingerprint import fingerprint
from .ner import ner_stages
from .normalize import Normalizer
from .rules.convoys import ConvoyMatcher
from .rules.dates import DateMatcher
from .rules.gazetteer import GazetteerMatcher
from .timelimit import time_limit
from .tokenize import Tokenizer


_FINGERPRINTED = frozenset({".py", ".tsv", ".txt", ".json"})
METADATA = frozenset({"doc_id", "title", "published", "url", "source"})


class Component(Protocol):
    """A pipeline stage: reads the layers earlier stages set on the document, adds its own."""

    name: str

    def __call__(self, doc: Document) -> Document: ...


@dataclass(frozen=True)
class PipelineConfig:
    """What it takes to build the same pipeline again (in a worker process, on a cluster)."""

    ner: str | None = "crf"
    ner_model: str | None = None
    disable: tuple[str, ...] = field(default_factory=tuple)
    min_confidence: float | None = None


@cache
def package_fingerprint() -> str:
    """Short hash of the package's code and language data (any change makes old records stale)."""
    root = Path(__file__).parent
    return fingerprint(sorted(p for p in root.rglob("*")
                              if p.suffix in _FINGERPRINTED and "__pycache__" not in p.parts))


def default_components(config: PipelineConfig) -> list[Component]:
    """The default stages in order: normalize → tokenize → NER → matchers → decide → events."""
    components: list[Component] = [
        Normalizer(),
        Tokenizer(),
        *ner_stages(config.ner, config.ner_model, config.disable),
        GazetteerMatcher(propose="decide" not in config.disable),  # proposals only for the decision stage
        DateMatcher(),
        ConvoyMatcher(propose="decide" not in config.disable),  # proposals only for the decision stage
        Decider(config.min_confidence),
        EventAssembler(),
    ]
    unknown = [name for name in config.disable if name not in DEFAULT_NAMES]
    if unknown:
        raise PipelineError(f"cannot disable {', '.join(map(repr, unknown))}: the default pipeline has "
                            f"{', '.join(DEFAULT_NAMES)}")
    kept = [c for c in components if c.name not in config.disable]
    _check_requirements([c.name for c in kept])
    return kept


DEFAULT_NAMES = ("normalize", "tokenize", "ner", "gazetteer", "dates", "convoys", "decide", "events")
# What each default stage needs an earlier stage to have done (by component name).
REQUIRES = {"tokenize": ("normalize",), "ner": ("tokenize",), "gazetteer": ("tokenize",), "dates": ("tokenize",),
            "convoys": ("tokenize",), "decide": ("convoys", "gazetteer"), "events": ("convoys",)}


def _check_requirements(names: list[str]) -> None:
    """Refuse an order or a ``disable`` that leaves a stage without what it reads."""
    for k, name in enumerate(names):
        missing = [need for need in REQUIRES.get(name, ()) if need not in names[:k]]
        if missing:
            raise PipelineError(f"{name!r} needs {', '.join(map(repr, missing))} before it: "
                                f"enable it or disable {name!r} too")


class Pipeline:
    """Runs components in order over documents; ``pipe`` streams.

    ``timings`` accumulates the seconds spent in each component (for benchmarks). With
    ``max_seconds``, a document that takes longer raises :class:`~extract.errors.DocumentTimeout`.
    """

    def __init__(self, components: Iterable[Component] | None = None, *,
                 ner: str | None = "crf", ner_model: str | None = None,
                 disable: Iterable[str] = (), min_confidence: float | None = None,
                 max_seconds: float | None = None):
        self.config = PipelineConfig(ner=ner, ner_model=ner_model, disable=tuple(disable),
                                     min_confidence=min_confidence)
        self.max_seconds = max_seconds
        self.components: list[Component] = (
            list(components) if components is not None else default_components(self.config)
        )
        self.timings: dict[str, float] = defaultdict(float)

    @property
    def signature(self) -> str:
        """Version, a hash of the package's code and data, and the components (with their model
        fingerprints): records made by an equal signature are interchangeable, so a resumed run
        may reuse them."""
        parts = [getattr(c, "signature", c.name) for c in self.components]
        return f"extract {__version__}+{package_fingerprint()}: " + " > ".join(parts)

    @classmethod
    def default(cls, **options: Any) -> Pipeline:
        """The standard pipeline; options as in :class:`Pipeline` (``ner=``, ``ner_model=``)."""
        return cls(**options)

    @classmethod
    def from_config(cls, config: PipelineConfig) -> Pipeline:
        """Rebuild a pipeline from its :class:`PipelineConfig`."""
        return cls(ner=config.ner, ner_model=config.ner_model, disable=config.disable,
                   min_confidence=config.min_confidence)

    @property
    def names(self) -> list[str]:
        """Component names in order."""
        return [c.name for c in self.components]

    def add(self, component: Component, *, before: str | None = None) -> None:
        """Append a component, or insert it before the named one."""
        index = self.names.index(before) if before else len(self.components)
        self.components.insert(index, component)

    def get(self, name: str) -> Component:
        """The component called ``name``."""
        if name not in self.names:
            raise PipelineError(f"no component {name!r} in this pipeline; it has {', '.join(self.names)}")
        return self.components[self.names.index(name)]

    def make_doc(self, text: str, **meta: Any) -> Document:
        """A fresh document (no layers yet) from text and metadata (``doc_id``, ``title``,
        ``published``, ``url``, ``source``); without a ``title``, a headline line opening the text
        is taken as the title. A publication date that cannot be read is left empty with a
        warning, on the document and as an :class:`~extract.errors.ExtractWarning`."""
        unknown = sorted(set(meta) - METADATA)
        if unknown:
            raise MetadataError(f"unknown article metadata {', '.join(map(repr, unknown))}: "
                                f"use {', '.join(sorted(METADATA))}")
        doc = Document(
            text=text,
            doc_id=meta.get("doc_id"),
            title=meta.get("title") or headline(text),
            published=parse_published(meta.get("published")),
            url=meta.get("url"),
            source=meta.get("source"),
        )
        if doc.published is None and meta.get("published") not in (None, ""):
            message = (f"published {meta['published']!r} is not a date extract reads (YYYY-MM-DD, YYYY/MM/DD, "
                       "DD/MM/YYYY, ISO with time): relative dates are left without values")
            doc.warnings.append(message)
            warnings.warn(message, ExtractWarning, stacklevel=3)
        return doc

    def __call__(self, text: str | Document, **meta: Any) -> Document:
        """Process one article given as text (plus metadata) or as a Document."""
        if not isinstance(text, (str, Document)):
            hint = " (decode the bytes first, e.g. extract.io.encodings.decode(data).text)" if isinstance(text, bytes) else ""
            raise ArticleTypeError(f"the pipeline takes article text as str or a Document, not {type(text).__name__}{hint}")
        doc = text if isinstance(text, Document) else self.make_doc(text, **meta)
        with time_limit(self.max_seconds):
            for component in self.components:
                started = time.perf_counter()
                doc = component(doc)
                self.timings[component.name] += time.perf_counter() - started
        return doc

    def pipe(self, items: Iterable[str | Document | Mapping[str, Any]]) -> Iterator[Document]:
        """Process a stream of texts, Documents or dicts (``text`` plus metadata keys)."""
        for item in items:
            if isinstance(item, Mapping):
                meta = dict(item)
                yield self(meta.pop("text"), **meta)
            else:
                yield self(item)
