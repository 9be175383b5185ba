"""Input readers: files and folders of ``.txt``, ``.jsonl(.gz)``, ``.csv`` and ``.html``.

Every reader yields :class:`Article` items, or a :class:`BadItem` (source, line,
reason) for anything that cannot become an article; a bad item never stops the
others from being read.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from ..doc import headline
from .encodings import REPLACED, DecodeError, decode, escape_surrogates, open_text, wide_encoding

SUFFIXES = (".txt", ".jsonl", ".jsonl.gz", ".ndjson", ".csv", ".html", ".htm")
SIDECAR_SUFFIX = ".meta.json"
_MAX_BYTES_PER_CHAR = 4  # UTF-8 and UTF-16 never take more
_GZIP_RATIO = 4  # how much larger Arabic news JSONL is uncompressed, about


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
    warnings: tuple[str, ...] = ()


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
    """Column names for tabular input and size limits; with ``id_required`` a row without
    ``id_field`` is an error instead of getting ``FILE:LINE``."""

    text_field: str = "text"
    id_field: str = "id"
    id_required: bool = False
    date_field: str = "published"
    title_field: str = "title"
    url_field: str = "url"
    max_chars: int = 1_000_000


def read_inputs(paths: Iterable[str | Path], options: ReadOptions = ReadOptions(),
                exclude: str | Path | None = None) -> Iterator[Article | BadItem]:
    """Articles from files and folders (recursive, sorted), with bad items in between.

    Nothing under ``exclude`` (the output folder) is read.
    """
    for raw in paths:
        root = Path(raw)
        if not root.exists():
            yield BadItem(_name(raw), None, "no such file or directory")
            continue
        base = root if root.is_dir() else root.parent
        for path in _files_under(root, exclude):
            if isinstance(path, BadItem):
                yield path
            else:
                yield from read_file(path, options, base=base)


def estimate_count(paths: Iterable[str | Path], exclude: str | Path | None = None) -> int | None:
    """Roughly how many items ``read_inputs`` will yield (for a progress ETA); None if unknown.

    One per .txt/.html file, one per non-empty line of .jsonl and .csv files (a CSV cell with
    line breaks makes it an overestimate); compressed files make the count unknown.
    """
    total = 0
    for path in _input_files(paths, exclude):
        suffix = _suffix(path)
        if suffix == ".jsonl.gz":
            return None
        if suffix in (".jsonl", ".ndjson", ".csv"):
            try:
                with open(path, "rb") as stream:
                    lines = sum(1 for line in stream if line.strip())
            except OSError:
                continue
            total += lines - (suffix == ".csv")
        else:
            total += 1
    return total


def input_bytes(paths: Iterable[str | Path], exclude: str | Path | None = None) -> int:
    """The size of the input files, uncompressed sizes guessed (a free-space estimate)."""
    total = 0
    for path in _input_files(paths, exclude):
        with suppress(OSError):
            total += path.stat().st_size * (_GZIP_RATIO if _suffix(path) == ".jsonl.gz" else 1)
    return total


def _input_files(paths: Iterable[str | Path], exclude: str | Path | None) -> Iterator[Path]:
    for raw in paths:
        if Path(raw).exists():
            yield from (p for p in _files_under(Path(raw), exclude) if isinstance(p, Path))


def _name(path: str | Path) -> str:
    """A path as text that can be written as UTF-8 (undecodable bytes as escapes)."""
    return escape_surrogates(str(path))


def _files_under(root: Path, exclude: str | Path | None = None) -> Iterator[Path | BadItem]:
    """Input files under ``root`` in sorted order, skipping hidden names, sidecars and ``exclude``;
    a folder that cannot be listed, a symlink loop or a broken link is a bad item."""
    skip = Path(exclude).resolve() if exclude is not None else None
    if exclude is not None and skip is not None and root.resolve().is_relative_to(skip):
        yield BadItem(_name(root), None, f"inside the output folder {_name(exclude)}; not read as input")
        return
    if not root.is_dir():
        yield root
        return
    found: list[Path | BadItem] = []
    seen: set[tuple[int, int]] = set()

    def unreadable(error: OSError) -> None:
        found.append(BadItem(_name(error.filename), None, f"cannot read folder: {error.strerror}"))

    for folder, dirs, files in os.walk(root, onerror=unreadable, followlinks=True):
        here = Path(folder)
        try:
            stat = here.stat()
        except OSError as exc:
            unreadable(exc)
            continue
        if (stat.st_dev, stat.st_ino) in seen:
            found.append(BadItem(_name(here), None, "symbolic link loop: this folder was already read"))
            dirs[:] = []
            continue
        seen.add((stat.st_dev, stat.st_ino))
        dirs[:] = [d for d in dirs if not d.startswith(".") and (skip is None or not (here / d).resolve().is_relative_to(skip))]
        for name in files:
            path = here / name
            if name.startswith(".") or name.endswith(SIDECAR_SUFFIX):
                continue
            found.append(path if path.is_file() else BadItem(_name(path), None, "not a readable file (a broken link?)"))
    yield from sorted(found, key=_sort_key)


def _sort_key(item: Path | BadItem) -> str:
    return str(item) if isinstance(item, Path) else item.source


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return next((s for s in sorted(SUFFIXES, key=len, reverse=True) if name.endswith(s)), path.suffix.lower())


def _stem_id(path: Path, base: Path) -> str:
    """Stable id from the path below the input folder, without the file suffix."""
    rel = path.relative_to(base).as_posix() if path.is_relative_to(base) else path.name
    rel = rel[: len(rel) - len(_suffix(path))] if rel.lower().endswith(_suffix(path)) else rel
    return escape_surrogates(rel)


def read_file(path: Path, options: ReadOptions = ReadOptions(), base: Path | None = None) -> Iterator[Article | BadItem]:
    """Articles in one file, dispatched on its suffix; whatever goes wrong reading it becomes a bad item."""
    base = base or path.parent
    suffix = _suffix(path)
    source = _name(path)
    readers = {".txt": _read_txt, ".jsonl": _read_jsonl, ".ndjson": _read_jsonl, ".jsonl.gz": _read_jsonl,
               ".csv": _read_csv, ".html": _read_html, ".htm": _read_html}
    if suffix not in readers:
        yield BadItem(source, None, f"unsupported file type {suffix or '(none)'}; expected one of {', '.join(SUFFIXES)}")
        return
    try:
        yield from readers[suffix](path, source, _stem_id(path, base), options)
    except (OSError, DecodeError, EOFError, UnicodeDecodeError) as exc:
        yield BadItem(source, None, f"cannot read file: {escape_surrogates(str(exc))}")
    except Exception as exc:  # a broken file must never stop the others: zlib.error, RecursionError …
        yield BadItem(source, None, f"cannot read file: {type(exc).__name__}: {escape_surrogates(str(exc))}")


def _read_text_file(path: Path, options: ReadOptions) -> tuple[str, tuple[str, ...]]:
    size = path.stat().st_size
    if size > _MAX_BYTES_PER_CHAR * options.max_chars:  # too large whatever the encoding: not read at all
        raise DecodeError(f"too large: {size:,} bytes (limit {options.max_chars:,} characters)")
    data = path.read_bytes()
    if not data.strip():
        raise DecodeError("empty file")
    text, _, warnings = decode(data)
    if len(text) > options.max_chars:
        raise DecodeError(f"too large: {len(text):,} characters (limit {options.max_chars:,})")
    return text, warnings


def _sidecar(path: Path) -> dict:
    """The metadata of ``NAME.meta.json`` beside ``path`` ({} without one); DecodeError if it is not
    a JSON object."""
    side = path.with_name(path.name[: len(path.name) - len(_suffix(path))] + SIDECAR_SUFFIX)
    if not side.exists():
        return {}
    try:
        meta = json.loads(side.read_bytes().decode("utf-8"))
    except ValueError as exc:
        raise DecodeError(f"unreadable sidecar {side.name}: {exc}") from exc
    except RecursionError as exc:
        raise DecodeError(f"unreadable sidecar {side.name}: nested too deeply") from exc
    if not isinstance(meta, dict):
        raise DecodeError(f"sidecar {side.name} holds {type(meta).__name__}, expected a JSON object")
    return meta


def _read_txt(path: Path, source: str, doc_id: str, options: ReadOptions) -> Iterator[Article | BadItem]:
    try:
        text, warnings = _read_text_file(path, options)
        meta = _sidecar(path)
    except DecodeError as exc:
        yield BadItem(source, None, str(exc), doc_id)
        return
    if not text.strip():
        yield BadItem(source, None, "no text after decoding", doc_id)
        return
    yield Article(
        doc_id=_optional_str(meta.get("id")) or doc_id, text=text, source=source,
        title=_optional_str(meta.get("title")) or headline(text), published=_optional_str(meta.get("published")),
        url=_optional_str(meta.get("url")), warnings=warnings,
    )


def _row_article(row: dict, source: str, line: int, stem: str, options: ReadOptions,
                 warnings: tuple[str, ...] = ()) -> Article | BadItem:
    """An article from a JSONL object or CSV row, or the reason it is not one."""
    fallback_id = f"{stem}:{line}"
    if not isinstance(row, dict):
        return BadItem(source, line, f"expected a JSON object, got {type(row).__name__}", fallback_id)
    doc_id = _optional_str(row.get(options.id_field))
    if doc_id is None and options.id_required:
        return BadItem(source, line, f"no '{options.id_field}' field (the id column named by --id-col)", fallback_id)
    doc_id = doc_id or fallback_id
    text = row.get(options.text_field)
    if not isinstance(text, str) or not text.strip():
        return BadItem(source, line, f"missing or empty '{options.text_field}' field", doc_id)
    if len(text) > options.max_chars:
        return BadItem(source, line, f"too large: {len(text):,} characters (limit {options.max_chars:,})", doc_id)
    safe = escape_surrogates(text)
    if safe is not text:
        warnings = (*warnings, "lone surrogate code point(s) in the text written as \\u escapes")
    return Article(
        doc_id=doc_id, text=safe, source=source, line=line,
        title=_optional_str(row.get(options.title_field)) or headline(safe),
        published=_optional_str(row.get(options.date_field) or row.get("date")),
        url=_optional_str(row.get(options.url_field)), warnings=warnings,
    )


def _optional_str(value) -> str | None:
    """A metadata value as text that can be written (None when absent or empty)."""
    return None if value in (None, "") else escape_surrogates(str(value))


def _read_jsonl(path: Path, source: str, stem: str, options: ReadOptions) -> Iterator[Article | BadItem]:
    for line_no, data in _jsonl_lines(path):
        if not data.strip():
            continue
        try:
            text, _, warnings = decode(data) if isinstance(data, bytes) else (data, None, ())
            row = json.loads(text)
        except ValueError as exc:
            yield BadItem(source, line_no, f"malformed JSON line: {exc}", f"{stem}:{line_no}")
            continue
        except RecursionError:
            yield BadItem(source, line_no, "malformed JSON line: nested too deeply", f"{stem}:{line_no}")
            continue
        yield _row_article(row, source, line_no, stem, options, warnings)


def _jsonl_lines(path: Path) -> Iterator[tuple[int, bytes | str]]:
    """Numbered lines of a JSONL file: bytes (each line's encoding is detected on its own), or
    text for a UTF-16/32 file, whose lines cannot be split as bytes."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as raw:
        encoding = wide_encoding(raw.peek(4096)[:4096])
        yield from enumerate(io.TextIOWrapper(raw, encoding=encoding) if encoding else raw, start=1)


def _read_csv(path: Path, source: str, stem: str, options: ReadOptions) -> Iterator[Article | BadItem]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with open_text(path) as stream:
        yield from _csv_rows(csv.DictReader(stream), source, stem, options)


def _csv_rows(reader: csv.DictReader, source: str, stem: str, options: ReadOptions) -> Iterator[Article | BadItem]:
    columns = reader.fieldnames
    for field, flag, required in ((options.text_field, "--text-col", True), (options.id_field, "--id-col", options.id_required)):
        if required and (columns is None or field not in columns):
            yield BadItem(source, 1, f"CSV has no '{field}' column (columns: {columns}); use {flag}")
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
        text = row.get(options.text_field) or ""
        yield _row_article(row, source, reader.line_num, stem, options, (REPLACED,) if "\ufffd" in text else ())


def _read_html(path: Path, source: str, doc_id: str, options: ReadOptions) -> Iterator[Article | BadItem]:
    from .html import html_to_article

    try:
        html, warnings = _read_text_file(path, options)
    except DecodeError as exc:
        yield BadItem(source, None, str(exc), doc_id)
        return
    item = html_to_article(html, doc_id=doc_id, source=source)
    if isinstance(item, Article):
        item.warnings = warnings
    yield item
