"""The document model: one :class:`Document` owns the original text; everything
else (sentences, tokens, mentions) is a view with character offsets into it.

Invariant, for every span any stage emits: ``doc.text[span.start:span.end] == span.text``.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from functools import cache, partial
from typing import Any

from .errors import RecordError
from .normalize import NormalizedText

SCHEMA_VERSION = "1.0"


@cache
def field_names(cls: type) -> tuple[str, ...]:
    """A dataclass's field names in declaration order (looked up once per class)."""
    return tuple(f.name for f in fields(cls))


@dataclass(slots=True, kw_only=True)
class Span:
    """A stretch of the original text with a label and what a stage found out about it."""

    text: str
    start: int
    end: int
    label: str
    sentence: int | None = None
    extractor: str = ""
    confidence: float | None = None
    canonical: str | None = None
    value: Any = None

    def overlaps(self, other: Span) -> bool:
        """Whether the two spans share at least one character."""
        return self.start < other.end and other.start < self.end

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict, fields in declaration order."""
        return {name: getattr(self, name) for name in field_names(type(self))}  # type: ignore[arg-type]


@dataclass(slots=True, kw_only=True)
class DateMention(Span):
    """A date expression; ``value`` is ISO ``YYYY-MM-DD``/``YYYY-MM``/``YYYY`` or None.

    ``part`` narrows the value: early/mid/late (مطلع العام), dawn…night (صباح اليوم), a season.
    """

    label: str = "DATE"
    granularity: str | None = None
    relative: bool = False
    range_end: str | None = None
    calendar: str = "gregorian"
    part: str | None = None


@dataclass(slots=True, kw_only=True)
class ActorMention(Span):
    """An armed group, state, organisation, person…; ``canonical`` is the lexicon id; ``key``
    groups mentions of one thing: the id, or for a name no lexicon knows its normalized form."""

    label: str = "ACTOR"
    actor_type: str | None = None
    country: str | None = None
    parent: str | None = None
    key: str | None = None


@dataclass(slots=True, kw_only=True)
class PlaceMention(Span):
    """A place; ``canonical`` is the lexicon id, ``place_type`` e.g. governorate, village."""

    label: str = "PLACE"
    place_type: str | None = None
    parent: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    key: str | None = None


@dataclass(slots=True, kw_only=True)
class CrossingMention(Span):
    """A border or internal crossing; ``countries`` lists what it joins; ``named`` is False for a
    generic mention (``المنافذ الحدودية``)."""

    label: str = "CROSSING"
    named: bool = True
    crossing_type: str | None = None
    countries: list[str] = field(default_factory=list)
    parent: str | None = None
    lat: float | None = None
    lon: float | None = None
    key: str | None = None


@dataclass(slots=True, kw_only=True)
class ConvoyMention(Span):
    """A convoy and its size: ``size_min``/``size_max`` vehicles (None when unknown or open)."""

    label: str = "CONVOY"
    size_min: int | None = None
    size_max: int | None = None
    approximate: bool = False
    vehicle: str | None = None
    vehicles: list[str] = field(default_factory=list)
    convoy_word: str | None = None
    cargo: list[str] = field(default_factory=list)
    counts: str = "vehicles"
    specific: bool | None = None


@dataclass(slots=True)
class Token:
    """A word, number or punctuation mark; ``norm`` is its normalized form."""

    index: int
    start: int
    end: int
    text: str
    norm: str
    nstart: int
    nend: int
    sentence: int


@dataclass(slots=True)
class Sentence:
    """A sentence with original (``start``/``end``) and normalized offsets and its token range."""

    index: int
    start: int
    end: int
    text: str
    nstart: int
    nend: int
    token_start: int = 0
    token_end: int = 0


@dataclass(slots=True)
class Document:
    """One article: the original text, its metadata, and the layers stages add; ``extra`` keeps
    the keys of a record read back that the pipeline does not make (``checksum``, ``pipeline``)."""

    text: str
    doc_id: str | None = None
    title: str | None = None
    published: dt.date | None = None
    url: str | None = None
    source: str | None = None
    normalized: NormalizedText | None = None
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    entities: list[Span] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    convoys: list[ConvoyMention] = field(default_factory=list)
    crossings: list[CrossingMention] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        """Short: id, the text's start and the size of each layer (the full record is ``to_dict()``)."""
        head = self.text[:40].replace("\n", " ") + ("…" if len(self.text) > 40 else "")
        layers = ", ".join(f"{layer}={len(getattr(self, layer))}" for layer in LAYERS)
        return f"Document(doc_id={self.doc_id!r}, text={head!r}, {layers})"

    def _repr_html_(self) -> str:
        """The right-to-left entity view that notebooks show (:func:`extract.view.render`)."""
        from .view import render

        return render(self)

    @property
    def title_end(self) -> int:
        """Where the title the text opens with ends (0 when the text does not open with one)."""
        return len(self.title) if self.title and self.text.startswith(self.title) else 0

    @property
    def norm_text(self) -> str:
        """The normalized text matchers search (set by the normalize stage)."""
        assert self.normalized is not None, "the normalize stage has not run"
        return self.normalized.text

    def original_span(self, nstart: int, nend: int) -> tuple[int, int]:
        """Original offsets of the normalized span ``[nstart, nend)``."""
        assert self.normalized is not None, "the normalize stage has not run"
        return self.normalized.to_original(nstart, nend)

    def sentence_index(self, start: int) -> int | None:
        """Index of the sentence holding original offset ``start``."""
        if not self.sentences:
            return None
        i = bisect_right(self.sentences, start, key=lambda s: s.start) - 1
        return self.sentences[max(i, 0)].index

    def tokens_between(self, nstart: int, nend: int) -> list[Token]:
        """Tokens lying inside the normalized range ``[nstart, nend)``."""
        first = bisect_right(self.tokens, nstart - 1, key=lambda t: t.nstart)
        out = []
        for tok in self.tokens[first:]:
            if tok.nstart >= nend:
                break
            out.append(tok)
        return out

    def to_dict(self, include_text: bool = True) -> dict[str, Any]:
        """The article record of the output contract (schema ``SCHEMA_VERSION``)."""
        record: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "doc_id": self.doc_id,
            "source": self.source,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "url": self.url,
        }
        if include_text:
            record["text"] = self.text
        for layer in LAYERS:
            record[layer] = [item.to_dict() for item in getattr(self, layer)]
        record.update(self.extra)
        if self.warnings:
            record["warnings"] = list(self.warnings)
        return record

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> Document:
        """The document an article record describes (a line of ``articles.jsonl``, a ``to_dict()``),
        with its layers as mentions and events: ``Document.from_dict(r).to_dict() == r``. Keys
        the pipeline does not make (the runner's ``checksum`` and ``pipeline``) are kept in
        ``extra``. Sentences and tokens are not in a record: the normalize and tokenize stages
        make them again. Raises :class:`~extract.errors.RecordError` for a record without text
        (written with ``--no-text``), of another schema version, with a field this version does
        not know, or with a span whose offsets do not hold its text."""
        rest: dict[str, Any] = copy.deepcopy(dict(record))
        where = f"record {rest.get('doc_id')!r}"
        if not isinstance(rest.get("text"), str):
            raise RecordError(f"{where} has no text (written with --no-text?): a Document needs the text its "
                              "offsets index; run again with --text")
        version = rest.pop("schema_version", SCHEMA_VERSION)
        if version != SCHEMA_VERSION:
            raise RecordError(f"{where} has schema_version {version!r}; this version of extract reads {SCHEMA_VERSION!r}")
        doc = cls(text=rest.pop("text"), doc_id=rest.pop("doc_id", None), source=rest.pop("source", None),
                  title=rest.pop("title", None), published=_iso_date(rest.pop("published", None), where),
                  url=rest.pop("url", None), warnings=rest.pop("warnings", []))
        for layer, make in _layer_readers().items():
            setattr(doc, layer, [_item(make, item, f"{where}: {layer}[{i}]", doc.text)
                                 for i, item in enumerate(rest.pop(layer, []))])
        doc.extra = rest
        return doc

    @classmethod
    def from_json(cls, line: str | bytes) -> Document:
        """The document of one JSON line of ``articles.jsonl`` (see :meth:`from_dict`)."""
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise RecordError(f"not a JSON line: {exc}") from None
        if not isinstance(record, dict):
            raise RecordError(f"a record is a JSON object, not {type(record).__name__}")
        return cls.from_dict(record)


LAYERS = ("entities", "dates", "actors", "places", "convoys", "crossings", "events")
_MENTIONS = {"entities": Span, "dates": DateMention, "actors": ActorMention, "places": PlaceMention,
             "convoys": ConvoyMention, "crossings": CrossingMention}


@cache
def _layer_readers() -> dict[str, Callable[[dict[str, Any]], Any]]:
    """How each layer's items are made from their dicts (events read by :mod:`extract.events`)."""
    from .events import ConvoyEvent

    readers: dict[str, Callable[[dict[str, Any]], Any]] = {layer: partial(_construct, cls) for layer, cls in _MENTIONS.items()}
    return {**readers, "events": ConvoyEvent.from_dict}


def _construct(cls: type, item: dict[str, Any]) -> Any:
    return cls(**item)


def _item(make: Callable[[dict[str, Any]], Any], item: Any, where: str, text: str) -> Any:
    """One layer item from its dict; its offsets must hold its text."""
    if not isinstance(item, dict):
        raise RecordError(f"{where} is a {type(item).__name__}, not an object")
    try:
        made = make(item)
    except TypeError as exc:
        raise RecordError(f"{where}: {exc}".replace(".__init__()", "")) from None
    start, end, said = ((made.start, made.end, made.text) if isinstance(made, Span)
                        else (made.evidence_start, made.evidence_end, made.evidence_text))
    if text[start:end] != said:
        raise RecordError(f"{where}: text {said!r} is not at [{start}, {end}) of the article text")
    return made


def _iso_date(value: Any, where: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise RecordError(f"{where}: published {value!r} is not an ISO date (YYYY-MM-DD)") from None


def headline(text: str) -> str | None:
    """The first line when it reads as a headline: short, not ending a sentence, more text below.

    >>> headline("قافلة جديدة تدخل إدلب\\nدخلت قافلة جديدة.")
    'قافلة جديدة تدخل إدلب'
    """
    first, _, rest = text.lstrip("\ufeff").partition("\n")
    first = first.strip()
    if not rest.strip() or not first or len(first) > 200 or first[-1] in ".!؟?،,":
        return None
    return first


def parse_published(value: Any) -> dt.date | None:
    """Parse a publication date: a date, ISO date/datetime text (time and zone ignored),
    ``YYYY/MM/DD`` or day-first ``DD/MM/YYYY`` (also with ``-`` or ``.``); None if unreadable.

    >>> parse_published("2020-04-24T08:15:00Z"), parse_published("24/04/2020"), parse_published("٢٠٢٠/٠٤/٢٤")
    (datetime.date(2020, 4, 24), datetime.date(2020, 4, 24), datetime.date(2020, 4, 24))
    >>> parse_published("next Friday") is None
    True
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().translate(_ARABIC_DIGITS)
    match = _DAY_FIRST.fullmatch(text) or _YEAR_FIRST.match(text)
    if match is None:
        return None
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# 2020-04-24, 2020/04/24, 2020-04-24T08:15:00+03:00 (time and zone ignored); 24/04/2020, 24-04-2020, 24.04.2020
_YEAR_FIRST = re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:$|[T ])")
_DAY_FIRST = re.compile(r"(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})")
