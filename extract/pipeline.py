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

# The default stages' modules: importing them registers their factories.
from . import __version__, calibrate, decide, events, normalize, tokenize  # noqa: F401
from . import ner as _ner  # noqa: F401  (registers the NER stage; ``ner`` is also an argument name below)
from .doc import Document, headline, parse_published
from .errors import ArticleTypeError, ExtractWarning, MetadataError, PipelineError
from .fingerprint import fingerprint
from .registry import ComponentSpec, create, factory_names, factory_of, get_factory, spec_of
from .rules import convoys, dates, gazetteer  # noqa: F401
from .timelimit import time_limit

_FINGERPRINTED = frozenset({".py", ".tsv", ".txt", ".json"})
METADATA = frozenset({"doc_id", "title", "published", "url", "source"})


class Component(Protocol):
    """A pipeline stage: reads the layers earlier stages set on the document, adds its own."""

    name: str

    def __call__(self, doc: Document) -> Document: ...


DEFAULT_NAMES = ("normalize", "tokenize", "ner", "gazetteer", "dates", "convoys", "decide", "calibrate", "events")


@dataclass(frozen=True)
class PipelineConfig:
    """What it takes to build the same pipeline again (in a worker process, on a cluster).

    Either the default pipeline's options — NER backend and model directory, a lexicon folder
    layered over the shipped one, the decision threshold, stages left out — or, when
    ``components`` is given, exactly those components in order (``Pipeline.config`` gives this
    form, custom components included).
    """

    ner: str | None = "crf"
    ner_model: str | None = None
    lexicons: str | None = None
    min_confidence: float | None = None
    min_mention_confidence: float | None = None
    disable: tuple[str, ...] = field(default_factory=tuple)
    components: tuple[ComponentSpec, ...] | None = None

    def __post_init__(self) -> None:
        options = (self.ner, self.ner_model, self.lexicons, self.min_confidence, self.min_mention_confidence,
                   self.disable)
        if self.components is not None and options != ("crf", None, None, None, None, ()):
            raise PipelineError("a PipelineConfig with components takes no default-pipeline options "
                                "(ner, ner_model, lexicons, min_confidence, min_mention_confidence, disable): "
                                "set them in the specs")

    def specs(self) -> tuple[ComponentSpec, ...]:
        """The components this config makes, in order."""
        return self.components if self.components is not None else default_specs(self)


@cache
def package_fingerprint() -> str:
    """Short hash of the package's code and language data (any change makes old records stale)."""
    root = Path(__file__).parent
    return fingerprint(sorted(p for p in root.rglob("*")
                              if p.suffix in _FINGERPRINTED and "__pycache__" not in p.parts))


def default_specs(config: PipelineConfig) -> tuple[ComponentSpec, ...]:
    """The default stages in order: normalize → tokenize → NER → matchers → decide → calibrate → events."""
    unknown = [name for name in config.disable if name not in DEFAULT_NAMES]
    if unknown:
        raise PipelineError(f"cannot disable {', '.join(map(repr, unknown))}: the default pipeline has "
                            f"{', '.join(DEFAULT_NAMES)}")
    arguments: dict[str, dict[str, Any]] = {
        "normalize": {},
        "tokenize": {},
        "ner": {"backend": config.ner, "model": config.ner_model},
        "gazetteer": {"lexicon_dir": config.lexicons, "propose": "decide" not in config.disable},
        "dates": {},
        "convoys": {"propose": "decide" not in config.disable},  # proposals only for the decision stage
        "decide": {"min_confidence": config.min_confidence},
        "calibrate": {"min_confidence": config.min_mention_confidence},
        "events": {},
    }
    return tuple(ComponentSpec(name, tuple(arguments[name].items())) for name in DEFAULT_NAMES
                 if name not in config.disable and not (name == "ner" and config.ner is None))


def check_order(components: Iterable[Component]) -> None:
    """Refuse an order or a ``disable`` that leaves a stage without a layer it reads (its
    factory's ``requires``, assigned by no stage before it)."""
    assigned: set[str] = set()
    for component in components:
        factory = factory_of(component)
        if factory is None:
            continue
        missing = [need for need in factory.requires if need not in assigned]
        if missing:
            wanted = " and ".join(f"{need} (from {_providers(need, factory.name)})" for need in missing)
            raise PipelineError(f"{factory.name!r} needs {wanted} before it: keep that stage before "
                                f"{factory.name!r}, or leave {factory.name!r} out too")
        assigned.update(factory.assigns)


def _providers(layer: str, besides: str) -> str:
    names = [name for name in factory_names() if name != besides and layer in get_factory(name).assigns]
    return " or ".join(map(repr, names)) or "no registered component"


class Pipeline:
    """Runs components in order over documents; ``pipe`` streams.

    Without ``components``, the default stages, built from the options (``ner``, ``ner_model``,
    ``lexicons``: a folder layered over the shipped gazetteer lexicons, ``min_confidence`` for
    convoys and crossings, ``min_mention_confidence`` for dates, actors and places, ``disable``).
    ``config`` rebuilds the same pipeline elsewhere (:meth:`from_config`).
    ``timings`` accumulates the seconds spent in each component (for benchmarks). With
    ``max_seconds``, a document that takes longer raises :class:`~extract.errors.DocumentTimeout`.
    """

    def __init__(self, components: Iterable[Component] | None = None, *,
                 ner: str | None = "crf", ner_model: str | None = None, lexicons: str | Path | None = None,
                 disable: Iterable[str] = (), min_confidence: float | None = None,
                 min_mention_confidence: float | None = None, max_seconds: float | None = None):
        if components is None:
            options = PipelineConfig(ner=ner, ner_model=ner_model, lexicons=str(lexicons) if lexicons else None,
                                     disable=tuple(disable), min_confidence=min_confidence,
                                     min_mention_confidence=min_mention_confidence)
            components = [create(spec) for spec in options.specs()]
        self.components: list[Component] = list(components)
        check_order(self.components)
        self.max_seconds = max_seconds
        self.timings: dict[str, float] = defaultdict(float)

    @property
    def config(self) -> PipelineConfig:
        """Every component's factory and arguments, in order: ``Pipeline.from_config(nlp.config)``
        builds the same pipeline in another process. A PipelineError names a component that
        cannot be made again there (see :func:`extract.registry.spec_of`)."""
        return PipelineConfig(components=tuple(spec_of(c) for c in self.components))

    @property
    def signature(self) -> str:
        """Version, a hash of the package's code and data, and the components (with their model
        fingerprints): records made by an equal signature are interchangeable, so a resumed run
        may reuse them."""
        parts = [getattr(c, "signature", c.name) for c in self.components]
        return f"extract {__version__}+{package_fingerprint()}: " + " > ".join(parts)

    @classmethod
    def default(cls, **options: Any) -> Pipeline:
        """The standard pipeline; options as in :class:`Pipeline` (``ner=``, ``ner_model=``, ``lexicons=``)."""
        return cls(**options)

    @classmethod
    def from_config(cls, config: PipelineConfig) -> Pipeline:
        """Build the pipeline a :class:`PipelineConfig` describes (custom components included)."""
        return cls([create(spec) for spec in config.specs()])

    @property
    def names(self) -> list[str]:
        """Component names in order."""
        return [c.name for c in self.components]

    def add(self, component: Component | str, *, before: str | None = None,
            config: Mapping[str, Any] | None = None) -> Component:
        """Append a component, or insert it before the named one; returns it.

        ``component`` is a component, or the name of a registered factory (or a dotted path,
        ``package.module:Class``) made with the keyword arguments ``config``. A component that
        ``config`` could not make again in a worker is added with an
        :class:`~extract.errors.ExtractWarning` saying why."""
        if isinstance(component, str):
            made: Component = create(ComponentSpec(component, tuple((config or {}).items())))
        elif config is not None:
            raise PipelineError("config= goes with a factory name, not with a component already made")
        else:
            made = component
        if made.name in self.names:
            raise PipelineError(f"the pipeline already has a component {made.name!r}; give the new one "
                                "another name")
        index = self._index(before) if before else len(self.components)
        check_order([*self.components[:index], made, *self.components[index:]])
        self.components.insert(index, made)
        try:
            spec_of(made)
        except PipelineError as exc:
            warnings.warn(f"{exc} (it runs in this process)", ExtractWarning, stacklevel=2)
        return made

    def _index(self, name: str) -> int:
        self.get(name)
        return self.names.index(name)

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
