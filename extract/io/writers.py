"""Output folder: ``articles.jsonl`` and ``errors.jsonl``, written atomically and resumably.

While a run goes, each finished chunk lands as its own part file under
``.parts/<run>/`` (temp file + rename), so an interrupted run leaves only whole
parts behind. At the end the parts are merged into ``articles.jsonl`` and
``errors.jsonl`` (again temp file + rename) and removed. A later run reads the
finished records of both the old output and any leftover parts and skips them.
One run at a time holds the folder (a lock on it); another is refused.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

import orjson

from ..errors import OutputError

ARTICLES = "articles.jsonl"
ERRORS = "errors.jsonl"
PARTS = ".parts"
_OUTPUT_RATIO = 3  # bytes of record (text, mentions, events) per byte of article text, about
_REUSED = "reused"  # a part's line {"reused": doc_id}: that record of an earlier run, unchanged
_REUSED_PREFIX = '{"reused":'
# The fields of a record that, besides the extraction itself, decide whether it can be reused.
REUSE_FIELDS = ("doc_id", "source", "title", "published", "url", "checksum", "pipeline", "warnings")
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

    key: tuple
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


def space_shortfall(out_dir: Path, input_bytes: int) -> str | None:
    """A warning if the disk of ``out_dir`` looks too small for a run over ``input_bytes`` of input:
    records take about ``_OUTPUT_RATIO`` times their text, held twice while the parts are merged."""
    probe = next((p for p in (out_dir, *out_dir.parents) if p.exists()), Path("."))
    free = shutil.disk_usage(probe).free
    needed = 2 * _OUTPUT_RATIO * input_bytes
    if free >= needed:
        return None
    return (f"only {free / 1e6:,.0f} MB free on the disk of {out_dir}; a run over {input_bytes / 1e6:,.1f} MB of "
            f"input may need about {needed / 1e6:,.0f} MB (records and, while they are merged, a second copy)")


def reuse_key(record: dict[str, Any]) -> tuple:
    """What a record was made from, besides the pipeline's work: equal keys, interchangeable records."""
    return tuple(record.get(name) for name in REUSE_FIELDS)


def lock_folder(out_dir: Path) -> int:
    """Create ``out_dir`` if needed and lock it for this process (released when the process ends,
    however it ends); OutputError if it cannot be written or another run holds it."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"--out {out_dir} is a file, not a folder; choose a folder for the output")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {out_dir}: {exc.strerror}; choose another --out") from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise OutputError(f"another `extract run` is writing to {out_dir}; wait until it has finished, "
                          "or give this run another --out") from None
    return fd


class OutputStore:
    """The output folder of one run: finished records of earlier runs, this run's parts, the merge.

    Holds the folder's lock from creation to :meth:`close`.
    """

    def __init__(self, out_dir: Path, run_name: str):
        self.out_dir = Path(out_dir)
        self._lock: int | None = lock_folder(self.out_dir)
        self.articles = self.out_dir / ARTICLES
        self.errors = self.out_dir / ERRORS
        self.parts_root = self.out_dir / PARTS
        self.run_parts = self.parts_root / run_name
        try:
            self.run_parts.mkdir(parents=True, exist_ok=True)
            probe = self.run_parts / ".probe"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            self.close()
            raise OutputError(f"cannot write to the output folder {self.out_dir}: {exc.strerror}; "
                              "fix its permissions or choose another --out") from exc
        for stale in self.out_dir.glob(".*.jsonl.*.tmp"):  # left by a run killed while writing
            stale.unlink(missing_ok=True)
        self.done: dict[str, DoneRecord] = {}
        self.written: set[str] = set()
        self.failed: set[str] = set()
        self._part_count = 0

    def close(self) -> None:
        """Release the folder's lock."""
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

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
                self.done[doc_id] = DoneRecord(reuse_key(record), "text" in record, path, offset, order)
                order += 1
        return len(self.done)

    def is_done(self, doc_id: str, head: dict[str, Any], include_text: bool) -> bool:
        """Whether an identical record is already out: same text, metadata, pipeline and options
        (``head`` is the new record without what the pipeline extracts)."""
        done = self.done.get(doc_id)
        return done is not None and done.key == reuse_key(head) and done.has_text == include_text

    def reused_line(self, doc_id: str) -> str:
        """What a part holds for a record reused from an earlier run: a reference to it, resolved at the
        merge (the file it is in stays until then), so that re-runs do not copy records again and again."""
        return orjson.dumps({_REUSED: doc_id}).decode("utf-8")

    def write_part(self, records: list[tuple[str, str]], errors: list[tuple[str | None, str]]) -> None:
        """Store one finished chunk, ``(doc_id, line)`` pairs of records and of errors, as a whole part."""
        name = f"part-{self._part_count:07d}"
        self._part_count += 1
        atomic_write_lines(self.run_parts / f"{name}.errors.jsonl", (line for _, line in errors))
        atomic_write_lines(self.run_parts / f"{name}.jsonl", (line for _, line in records))
        self.written.update(doc_id for doc_id, _ in records)
        self.failed.update(doc_id for doc_id, _ in errors if doc_id is not None)

    def finish(self) -> int:
        """Merge this run's parts, then earlier records this run did not see, into the final files.

        Earlier records of ids that are error records now are dropped; returns how many.
        """
        part_files = sorted(self.run_parts.glob("part-*.jsonl"))
        records = [p for p in part_files if not p.name.endswith(".errors.jsonl")]
        error_parts = [p for p in part_files if p.name.endswith(".errors.jsonl")]
        unseen = {i: d for i, d in self.done.items() if i not in self.written}
        kept = sorted((d for i, d in unseen.items() if i not in self.failed), key=lambda d: d.order)
        atomic_write_lines(self.articles, chain(self._resolved(_lines_of(records)), (d.read() for d in kept)))
        atomic_write_lines(self.errors, _lines_of(error_parts))
        shutil.rmtree(self.parts_root, ignore_errors=True)
        return len(unseen) - len(kept)


    def _resolved(self, lines: Iterator[str]) -> Iterator[str]:
        """Record lines with references to earlier records replaced by the records."""
        for line in lines:
            yield self.done[orjson.loads(line)[_REUSED]].read() if line.startswith(_REUSED_PREFIX) else line


def _lines_of(paths: list[Path]) -> Iterator[str]:
    for path in paths:
        for _, line in _record_lines(path):
            yield line.rstrip("\n")
