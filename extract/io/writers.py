"""Output folder: ``articles.jsonl`` and ``errors.jsonl``, written atomically and resumably.

While a run goes, each finished chunk lands as its own part file under
``.parts/<run>/`` (temp file + rename), so an interrupted run leaves only whole
parts behind. At the end the parts are merged into ``articles.jsonl`` and
``errors.jsonl`` (again temp file + rename) and removed. A later run reads the
finished records of both the old output and any leftover parts and skips them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from itertools import chain
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

ARTICLES = "articles.jsonl"
ERRORS = "errors.jsonl"
PARTS = ".parts"
_UMASK = os.umask(0)
os.umask(_UMASK)


def atomic_write_lines(path: Path, lines: Iterable[str]) -> None:
    """Write ``lines`` (each without newline) to ``path`` via a temp file and rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            for line in lines:
                out.write(line)
                out.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True, slots=True)
class DoneRecord:
    """Where a finished record of an earlier run lies, and what it was made from."""

    checksum: str | None
    pipeline: str | None
    has_text: bool
    path: Path
    offset: int
    order: int

    def read(self) -> str:
        """The record line itself."""
        with open(self.path, "rb") as stream:
            stream.seek(self.offset)
            return stream.readline().decode("utf-8").rstrip("\n")


def _record_lines(path: Path) -> Iterator[tuple[int, str]]:
    with open(path, "rb") as stream:
        offset = 0
        for raw in stream:
            yield offset, raw.decode("utf-8", errors="replace")
            offset += len(raw)


class OutputStore:
    """The output folder of one run: finished records of earlier runs, this run's parts, the merge."""

    def __init__(self, out_dir: Path, run_name: str):
        self.out_dir = Path(out_dir)
        self.articles = self.out_dir / ARTICLES
        self.errors = self.out_dir / ERRORS
        self.parts_root = self.out_dir / PARTS
        self.run_parts = self.parts_root / run_name
        self.run_parts.mkdir(parents=True, exist_ok=True)
        self.done: dict[str, DoneRecord] = {}
        self.written: set[str] = set()
        self._part_count = 0

    def load_done(self) -> int:
        """Index the records already finished (old output, then leftover parts of interrupted runs)."""
        sources = [self.articles] if self.articles.exists() else []
        sources += sorted(p for p in self.parts_root.glob("*/part-*.jsonl")
                          if p.parent != self.run_parts and not p.name.endswith(".errors.jsonl"))
        order = 0
        for path in sources:
            for offset, line in _record_lines(path):
                try:
                    record = orjson.loads(line)
                    doc_id = record["doc_id"]
                except (orjson.JSONDecodeError, KeyError, TypeError):
                    continue
                self.done[doc_id] = DoneRecord(record.get("checksum"), record.get("pipeline"),
                                               "text" in record, path, offset, order)
                order += 1
        return len(self.done)

    def is_done(self, doc_id: str, checksum: str, pipeline: str, include_text: bool) -> bool:
        """Whether an identical record (same text, same pipeline, same options) is already out."""
        done = self.done.get(doc_id)
        return (done is not None and done.checksum == checksum and done.pipeline == pipeline
                and done.has_text == include_text)

    def old_line(self, doc_id: str) -> str:
        """The finished record line of ``doc_id`` from an earlier run."""
        return self.done[doc_id].read()

    def write_part(self, records: list[tuple[str, str]], errors: list[str]) -> None:
        """Store one finished chunk, ``(doc_id, record line)`` pairs and error lines, as a whole part."""
        name = f"part-{self._part_count:07d}"
        self._part_count += 1
        atomic_write_lines(self.run_parts / f"{name}.errors.jsonl", errors)
        atomic_write_lines(self.run_parts / f"{name}.jsonl", (line for _, line in records))
        self.written.update(doc_id for doc_id, _ in records)

    def finish(self) -> None:
        """Merge this run's parts, then earlier records this run did not see, into the final files."""
        part_files = sorted(self.run_parts.glob("part-*.jsonl"))
        records = [p for p in part_files if not p.name.endswith(".errors.jsonl")]
        error_parts = [p for p in part_files if p.name.endswith(".errors.jsonl")]
        kept = sorted((d for i, d in self.done.items() if i not in self.written), key=lambda d: d.order)
        atomic_write_lines(self.articles, chain(_lines_of(records), (d.read() for d in kept)))
        atomic_write_lines(self.errors, _lines_of(error_parts))
        shutil.rmtree(self.parts_root, ignore_errors=True)


def _lines_of(paths: list[Path]) -> Iterator[str]:
    for path in paths:
        for _, line in _record_lines(path):
            yield line.rstrip("\n")
