"""Article records → pandas DataFrames (``articles``, ``mentions``, ``events``) and CSV/Parquet files.

Works on Documents straight from the Python API or on records read from ``articles.jsonl``:

>>> frames = to_frames(nlp.pipe(texts))                        # doctest: +SKIP
>>> frames.mentions.query("kind == 'actor'").canonical.value_counts()  # doctest: +SKIP

List fields (``cargo``, ``countries``, event ``destinations``) become ``|``-joined strings so
that every column is a scalar and CSV and Parquet round-trip to equal frames.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any, NamedTuple

import orjson
import pandas as pd

from .doc import ActorMention, ConvoyMention, CrossingMention, DateMention, Document, PlaceMention, Span
from .events import ConvoyEvent, SlotFiller
from .labels import english_name, granularity

MENTION_LAYERS: dict[str, tuple[str, type]] = {
    "entities": ("entity", Span),
    "dates": ("date", DateMention),
    "actors": ("actor", ActorMention),
    "places": ("place", PlaceMention),
    "crossings": ("crossing", CrossingMention),
    "convoys": ("convoy", ConvoyMention),
}
ARTICLE_COLUMNS = {
    "doc_id": "string", "source": "string", "title": "string", "published": "string", "url": "string",
    "schema_version": "string", "checksum": "string", "pipeline": "string",
    **{f"n_{layer}": "Int64" for layer in [*MENTION_LAYERS, "events"]},
}
FORMATS = ("csv", "parquet")


class Frames(NamedTuple):
    """The three tables of an extraction: one row per article, per mention, per event."""

    articles: pd.DataFrame
    mentions: pd.DataFrame
    events: pd.DataFrame


def _dtype(hint: Any) -> str:
    """Pandas nullable dtype for a dataclass field's type hint."""
    text = str(hint)
    if "list" in text:
        return "string"
    for name, dtype in (("bool", "boolean"), ("int", "Int64"), ("float", "Float64")):
        if name in text:
            return dtype
    return "string"


def _mention_columns() -> dict[str, str]:
    columns = {"doc_id": "string", "kind": "string", "index": "Int64"}
    for _, cls in MENTION_LAYERS.values():
        hints = typing.get_type_hints(cls)
        for f in fields(cls):
            columns.setdefault(f.name, _dtype(hints[f.name]))
    return columns


def _event_columns() -> dict[str, str]:
    """The event's article (id, date, title, url, source), its fields, each slot as id, text and
    English name, the convoy mention's own text and offsets, and the date's granularity."""
    columns = {"doc_id": "string", "published": "string", "title": "string", "url": "string",
               "source": "string", "index": "Int64"}
    hints = typing.get_type_hints(ConvoyEvent)
    for f in fields(ConvoyEvent):
        if "SlotFiller" in str(hints[f.name]):
            columns.update({f.name: "string", f"{f.name}_text": "string", f"{f.name}_en": "string"})
        else:
            columns[f.name] = _dtype(hints[f.name])
        if f.name == "convoy":
            columns.update(convoy_text="string", convoy_start="Int64", convoy_end="Int64")
        if f.name == "date_end":
            columns["granularity"] = "string"
    return columns


MENTION_COLUMNS = _mention_columns()
EVENT_COLUMNS = _event_columns()
SLOTS = frozenset(name for name in EVENT_COLUMNS if f"{name}_en" in EVENT_COLUMNS)


def _scalar(value: Any) -> Any:
    if isinstance(value, list):
        return "|".join(str(v) for v in value) or None
    return value


def _slot(value: Any) -> tuple[Any, Any, Any]:
    """(canonical ids, texts, English names) of a slot filler or a list of them; the text stands in
    for a missing id or name."""
    items = value if isinstance(value, list) else [value] if value else []
    items = [v.to_dict() if isinstance(v, SlotFiller) else v for v in items]
    ids = "|".join(v.get("canonical") or v["text"] for v in items) or None
    texts = "|".join(v["text"] for v in items) or None
    names = "|".join(english_name(v.get("layer"), v.get("canonical")) or v["text"] for v in items) or None
    return ids, texts, names


def _event_row(record: dict, index: int, event: dict) -> dict[str, Any]:
    """One events-table row: the article's metadata, the event's fields, its convoy mention."""
    row: dict[str, Any] = {name: record.get(name) for name in ("doc_id", "published", "title", "url", "source")}
    row["index"] = index
    for key, value in event.items():
        if key in SLOTS:
            row[key], row[f"{key}_text"], row[f"{key}_en"] = _slot(value)
        else:
            row[key] = _scalar(value)
    convoys = record.get("convoys") or []
    convoy = convoys[event["convoy"]] if isinstance(event.get("convoy"), int) and event["convoy"] < len(convoys) else {}
    row.update(convoy_text=convoy.get("text"), convoy_start=convoy.get("start"), convoy_end=convoy.get("end"),
               granularity=granularity(event.get("date")))
    return row


def _records(items: Iterable[dict | Document]) -> Iterator[dict]:
    for item in items:
        yield item.to_dict(include_text=False) if isinstance(item, Document) else item


def to_frames(records: Iterable[dict | Document]) -> Frames:
    """Tables of articles, mentions and events from Documents or article records."""
    articles: list[dict] = []
    mentions: list[dict] = []
    events: list[dict] = []
    for record in _records(records):
        doc_id = record.get("doc_id")
        row = {name: record.get(name) for name in ARTICLE_COLUMNS if not name.startswith("n_")}
        for layer in [*MENTION_LAYERS, "events"]:
            row[f"n_{layer}"] = len(record.get(layer) or [])
        articles.append(row)
        for layer, (kind, _) in MENTION_LAYERS.items():
            for index, item in enumerate(record.get(layer) or []):
                mentions.append({"doc_id": doc_id, "kind": kind, "index": index,
                                 **{k: _scalar(v) for k, v in item.items()}})
        events.extend(_event_row(record, index, event) for index, event in enumerate(record.get("events") or []))
    return Frames(_frame(articles, ARTICLE_COLUMNS), _frame(mentions, MENTION_COLUMNS), _frame(events, EVENT_COLUMNS))


def _frame(rows: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=list(columns))
    return frame.astype(columns)


def read_records(out_dir: str | Path) -> Iterator[dict]:
    """Records of ``OUT/articles.jsonl`` one at a time."""
    with open(Path(out_dir) / "articles.jsonl", "rb") as stream:
        for line in stream:
            if line.strip():
                yield orjson.loads(line)


def write_frames(frames: Frames, to_dir: str | Path, fmt: str = "csv", excel: bool = False) -> list[Path]:
    """Write each table as ``to_dir/NAME.csv`` or ``.parquet``; returns the paths. ``excel`` writes
    CSV as UTF-8 with a byte-order mark, so that Excel reads the Arabic right."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {FORMATS}")
    to_dir = Path(to_dir)
    to_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in frames._asdict().items():
        path = to_dir / f"{name}.{fmt}"
        if fmt == "csv":
            frame.to_csv(path, index=False, encoding="utf-8-sig" if excel else "utf-8")
        else:
            frame.to_parquet(path, index=False, engine="pyarrow")
        paths.append(path)
    return paths


def read_frames(from_dir: str | Path, fmt: str = "csv") -> Frames:
    """Read tables written by :func:`write_frames` back, with the same dtypes."""
    from_dir = Path(from_dir)
    specs = {"articles": ARTICLE_COLUMNS, "mentions": MENTION_COLUMNS, "events": EVENT_COLUMNS}
    tables = {}
    for name, columns in specs.items():
        path = from_dir / f"{name}.{fmt}"
        if fmt == "csv":
            tables[name] = pd.read_csv(path, dtype=columns, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
        else:
            tables[name] = pd.read_parquet(path, engine="pyarrow").astype(columns)
    return Frames(**tables)
