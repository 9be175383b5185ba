"""Input readers: files and folders of ``.txt``, ``.jsonl(.gz)``, ``.csv`` and ``.html``.

Every reader yields :class:`Article` items, or a :class:`BadItem` (source, line,
reason) for anything that cannot become an article; a bad item never stops the
others from being read.
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..doc import headline
from .encodings import DecodeError, decode, open_text

SUFFIXES = (".txt", ".jsonl", ".jsonl.gz", ".ndjson", ".csv", ".html", ".htm")
SIDECAR_SUFFIX = ".meta.json"
_MAX_BYTES_PER_CHAR = 4  # UTF-8 and UTF-16 never take more


@dataclass(slots=True)
class Article:
    """One article as read from the input, before any processing."""

    doc_id: str
    text: str
    source: str
    line: int | None = None
    title: str | None = None
    published: str | None = None
    url: str | None = None


@dataclass(slots=True)
class BadItem:
    """An input item that could not be read; becomes one record in ``errors.jsonl``."""

    source: str
    line: int | None
    reason: str
    doc_id: str | None = None

    def to_dict(self) -> dict:
        return {"source": self.source, "line": self.line, "doc_id": self.doc_id, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Column names for tabular input and size limits."""

    text_field: str = "text"
    id_field: str = "id"
    date_field: str = "published"
    title_field: str = "title"
    url_field: str = "url"
    max_chars: int = 1_000_000


def read_inputs(paths: Iterable[str | Path], options: ReadOptions = ReadOptions()) -> Iterator[Article | BadItem]:
    """Articles from files and folders (recursive, sorted), with bad items in between."""
    for raw in paths:
        root = Path(raw)
        if not root.exists():
            yield BadItem(str(raw), None, "no such file or directory")
            continue
        for path in _files_under(root):
            base = root if root.is_dir() else root.parent
            yield from read_file(path, options, base=base)


def estimate_count(paths: Iterable[str | Path]) -> int | None:
    """Roughly how many items ``read_inputs`` will yield (for a progress ETA); None if unknown.

    One per .txt/.html file, one per non-empty line of .jsonl and .csv files (a CSV cell with
    line breaks makes it an overestimate); compressed files make the count unknown.
    """
    total = 0
    for raw in paths:
        root = Path(raw)
        if not root.exists():
            continue
        for path in _files_under(root):
            suffix = _suffix(path)
            if suffix == ".jsonl.gz":
                return None
            if suffix in (".jsonl", ".ndjson", ".csv"):
                with open(path, "rb") as stream:
                    lines = sum(1 for line in stream if line.strip())
                total += lines - (suffix == ".csv")
            else:
                total += 1
    return total


def _files_under(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    files = [p for p in root.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)]
    return sorted(p for p in files if not p.name.endswith(SIDECAR_SUFFIX))


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return next((s for s in sorted(SUFFIXES, key=len, reverse=True) if name.endswith(s)), path.suffix.lower())


def _stem_id(path: Path, base: Path) -> str:
    """Stable id from the path below the input folder, without the file suffix."""
    rel = path.relative_to(base).as_posix() if path.is_relative_to(base) else path.name
    return rel[: len(rel) - len(_suffix(path))] if rel.lower().endswith(_suffix(path)) else rel


def read_file(path: Path, options: ReadOptions = ReadOptions(), base: Path | None = None) -> Iterator[Article | BadItem]:
    """Articles in one file, dispatched on its suffix."""
    base = base or path.parent
    suffix = _suffix(path)
    source = str(path)
    try:
        if suffix == ".txt":
            yield from _read_txt(path, source, _stem_id(path, base), options)
        elif suffix in (".jsonl", ".ndjson", ".jsonl.gz"):
            yield from _read_jsonl(path, source, _stem_id(path, base), options)
        elif suffix == ".csv":
            yield from _read_csv(path, source, _stem_id(path, base), options)
        elif suffix in (".html", ".htm"):
            yield from _read_html(path, source, _stem_id(path, base), options)
        else:
            yield BadItem(source, None, f"unsupported file type {suffix or '(none)'}; expected one of {', '.join(SUFFIXES)}")
    except (OSError, DecodeError, EOFError, UnicodeDecodeError) as exc:
        yield BadItem(source, None, f"cannot read file: {exc}")


def _read_text_file(path: Path, options: ReadOptions) -> str:
    size = path.stat().st_size
    if size > _MAX_BYTES_PER_CHAR * options.max_chars:  # too large whatever the encoding: not read at all
        raise DecodeError(f"too large: {size:,} bytes (limit {options.max_chars:,} characters)")
    data = path.read_bytes()
    if not data.strip():
        raise DecodeError("empty file")
    text, _ = decode(data)
    if len(text) > options.max_chars:
        raise DecodeError(f"too large: {len(text):,} characters (limit {options.max_chars:,})")
    return text


def _sidecar(path: Path) -> dict:
    side = path.with_name(path.name[: len(path.name) - len(_suffix(path))] + SIDECAR_SUFFIX)
    if not side.exists():
        return {}
    meta = json.loads(side.read_text(encoding="utf-8"))
    return meta if isinstance(meta, dict) else {}


def _read_txt(path: Path, source: str, doc_id: str, options: ReadOptions) -> Iterator[Article | BadItem]:
    try:
        text = _read_text_file(path, options)
        meta = _sidecar(path)
    except (DecodeError, json.JSONDecodeError) as exc:
        yield BadItem(source, None, str(exc), doc_id)
        return
    if not text.strip():
        yield BadItem(source, None, "no text after decoding", doc_id)
        return
    yield Article(
        doc_id=str(meta.get("id") or doc_id), text=text, source=source,
        title=meta.get("title") or headline(text), published=meta.get("published"), url=meta.get("url"),
    )


def _row_article(row: dict, source: str, line: int, stem: str, options: ReadOptions) -> Article | BadItem:
    """An article from a JSONL object or CSV row, or the reason it is not one."""
    fallback_id = f"{stem}:{line}"
    if not isinstance(row, dict):
        return BadItem(source, line, f"expected a JSON object, got {type(row).__name__}", fallback_id)
    text = row.get(options.text_field)
    doc_id = row.get(options.id_field)
    doc_id = str(doc_id) if doc_id not in (None, "") else fallback_id
    if not isinstance(text, str) or not text.strip():
        return BadItem(source, line, f"missing or empty '{options.text_field}' field", doc_id)
    if len(text) > options.max_chars:
        return BadItem(source, line, f"too large: {len(text):,} characters (limit {options.max_chars:,})", doc_id)
    return Article(
        doc_id=doc_id, text=text, source=source, line=line,
        title=_optional_str(row.get(options.title_field)) or headline(text),
        published=_optional_str(row.get(options.date_field) or row.get("date")),
        url=_optional_str(row.get(options.url_field)),
    )


def _optional_str(value) -> str | None:
    return None if value in (None, "") else str(value)


def _read_jsonl(path: Path, source: str, stem: str, options: ReadOptions) -> Iterator[Article | BadItem]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as raw:
        for line_no, data in enumerate(raw, start=1):
            if not data.strip():
                continue
            try:
                text, _ = decode(data)
                row = json.loads(text)
            except (DecodeError, json.JSONDecodeError) as exc:
                yield BadItem(source, line_no, f"malformed JSON line: {exc}", f"{stem}:{line_no}")
                continue
            yield _row_article(row, source, line_no, stem, options)


def _read_csv(path: Path, source: str, stem: str, options: ReadOptions) -> Iterator[Article | BadItem]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with open_text(path) as stream:
        yield from _csv_rows(csv.DictReader(stream), source, stem, options)


def _csv_rows(reader: csv.DictReader, source: str, stem: str, options: ReadOptions) -> Iterator[Article | BadItem]:
    if reader.fieldnames is None or options.text_field not in reader.fieldnames:
        yield BadItem(source, 1, f"CSV has no '{options.text_field}' column (columns: {reader.fieldnames}); use --text-col")
        return
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield BadItem(source, reader.line_num, f"malformed CSV row: {exc}")
            continue
        if None in row:
            yield BadItem(source, reader.line_num, "malformed CSV row: more cells than columns")
            continue
        yield _row_article(row, source, reader.line_num, stem, options)


def _read_html(path: Path, source: str, doc_id: str, options: ReadOptions) -> Iterator[Article | BadItem]:
    from .html import html_to_article

    try:
        html = _read_text_file(path, options)
    except DecodeError as exc:
        yield BadItem(source, None, str(exc), doc_id)
        return
    yield html_to_article(html, doc_id=doc_id, source=source)
