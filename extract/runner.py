"""Batch runs over archives: stream articles through the pipeline in chunks, in
parallel (processes or a Dask cluster), resumably, with one error record per bad item.

Output order follows input order whatever the number of workers, so the same
input and version give byte-identical ``articles.jsonl``.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import orjson

from .io.readers import Article, BadItem
from .io.writers import OutputStore
from .pipeline import Pipeline, PipelineConfig


@dataclass(frozen=True)
class RunOptions:
    """How a batch run goes: parallelism, chunking, resuming, per-document limits."""

    workers: int = 1
    chunk_size: int = 32
    resume: bool = True
    include_text: bool = True
    timeout: float = 60.0
    engine: str = "local"
    scheduler: str | None = None


@dataclass
class RunSummary:
    """What a run did: records written fresh, reused from earlier runs, error records."""

    out_dir: Path
    processed: int = 0
    reused: int = 0
    errors: int = 0
    seconds: float = 0.0
    first_errors: list[str] = field(default_factory=list)

    def note_error(self, source: str, reason: str, keep: int = 20) -> None:
        """Count an error record; the first few are kept for the CLI to show."""
        self.errors += 1
        if len(self.first_errors) < keep:
            self.first_errors.append(f"{source}: {reason}")


class DocumentTimeout(Exception):
    """A document took longer than the per-document time limit."""


def checksum(text: str) -> str:
    """Short content hash of an article text (decides whether a record can be reused)."""
    return hashlib.sha1(text.encode("utf-8", errors="surrogatepass")).hexdigest()[:16]


@contextmanager
def time_limit(seconds: float | None):
    """Raise :class:`DocumentTimeout` after ``seconds`` (main thread of a process only)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _expire(signum, frame):
        raise DocumentTimeout(f"timeout: processing took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_local = threading.local()


def _pipeline(config: PipelineConfig) -> Pipeline:
    """One pipeline per worker thread and config, built on first use."""
    cache = _local.__dict__.setdefault("pipelines", {})
    if config not in cache:
        cache[config] = Pipeline.from_config(config)
    return cache[config]


def article_record(nlp: Pipeline, article: Article, include_text: bool = True) -> dict[str, Any]:
    """Run the pipeline over one article and return its output record."""
    doc = nlp(article.text, doc_id=article.doc_id, title=article.title, published=article.published,
              url=article.url, source=_source(article))
    record = doc.to_dict(include_text=include_text)
    record["checksum"] = checksum(article.text)
    record["pipeline"] = nlp.signature
    return record


def _source(item: Article | BadItem) -> str:
    return f"{item.source}:{item.line}" if item.line is not None else item.source


def process_chunk(config: PipelineConfig, articles: list[Article], include_text: bool,
                  timeout: float | None) -> list[tuple[str, str]]:
    """Process a chunk of articles (in a worker); ``("record"|"error", json line)`` each."""
    nlp = _pipeline(config)
    results = []
    for article in articles:
        try:
            with time_limit(timeout):
                record = article_record(nlp, article, include_text)
            results.append(("record", _dumps(record)))
        except DocumentTimeout as exc:
            results.append(("error", _error_line(article, str(exc))))
        except Exception as exc:  # a bad document must never stop the batch
            results.append(("error", _error_line(article, f"pipeline failed: {type(exc).__name__}: {exc}")))
    return results


def _dumps(obj: Any) -> str:
    """One JSON line: compact, UTF-8, keys in the order the record has them (orjson: fast)."""
    return orjson.dumps(obj).decode("utf-8")


def _error_line(item: Article | BadItem, reason: str) -> str:
    return _dumps({"source": item.source, "line": item.line, "doc_id": item.doc_id, "reason": reason})


@dataclass(slots=True)
class _Entry:
    """One input item in a chunk: to process, reused from an earlier run, or bad."""

    kind: str
    item: Article | BadItem


def _plan(items: Iterable[Article | BadItem], store: OutputStore, signature: str,
          options: RunOptions) -> Iterator[_Entry]:
    """Classify input items; duplicate ids become bad items pointing at the first occurrence."""
    first_seen: dict[str, str] = {}
    for item in items:
        if isinstance(item, BadItem):
            yield _Entry("bad", item)
            continue
        if item.doc_id in first_seen:
            reason = (f"duplicate doc_id '{item.doc_id}' (first seen at {first_seen[item.doc_id]}); "
                      "give each article a unique id")
            yield _Entry("bad", BadItem(item.source, item.line, reason, item.doc_id))
            continue
        first_seen[item.doc_id] = _source(item)
        if options.resume and store.is_done(item.doc_id, checksum(item.text), signature, options.include_text):
            yield _Entry("reuse", item)
        else:
            yield _Entry("todo", item)


def _chunks(entries: Iterator[_Entry], size: int) -> Iterator[list[_Entry]]:
    while chunk := list(islice(entries, size)):
        yield chunk


class _Executor:
    """Submits chunk jobs to this process, a process pool, or a Dask cluster."""

    def __init__(self, options: RunOptions, client: Any = None):
        self.options = options
        self._pool = None
        self._client = client
        self._own_client = False
        if options.engine == "dask":
            if client is None:
                self._client = _dask_client(options)
                self._own_client = True
        elif options.workers > 1:
            self._pool = ProcessPoolExecutor(max_workers=options.workers, initializer=_ignore_sigint)

    @property
    def window(self) -> int:
        """How many chunks may be in flight at once (bounded, so memory stays flat)."""
        if self._client is not None:
            return max(2, 2 * sum(self._client.nthreads().values()))
        return 2 * self.options.workers if self._pool is not None else 0

    def submit(self, config: PipelineConfig, articles: list[Article]):
        args = (config, articles, self.options.include_text, self.options.timeout)
        if self._client is not None:
            return self._client.submit(process_chunk, *args, pure=False)
        if self._pool is not None:
            return self._pool.submit(process_chunk, *args)
        return _Done(process_chunk(*args))

    def close(self, cancel: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=not cancel, cancel_futures=cancel)
        if self._own_client:
            cluster = getattr(self._client, "cluster", None)
            self._client.close()
            if cluster is not None:
                cluster.close()


@dataclass(slots=True)
class _Done:
    value: Any

    def result(self) -> Any:
        return self.value


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _dask_client(options: RunOptions):
    from dask.distributed import Client, LocalCluster

    if options.scheduler:
        return Client(options.scheduler)
    cluster = LocalCluster(n_workers=max(1, options.workers), threads_per_worker=1, processes=True,
                           dashboard_address=None)
    return Client(cluster)


def run(items: Iterable[Article | BadItem], out_dir: str | Path, config: PipelineConfig = PipelineConfig(),
        options: RunOptions = RunOptions(), *, client: Any = None,
        on_progress: Callable[[int, int], None] | None = None) -> RunSummary:
    """Process ``items`` into ``out_dir``; returns a summary. Interrupting leaves a resumable state.

    ``client`` is an existing ``dask.distributed.Client`` for ``engine="dask"``;
    ``on_progress(done, errors)`` is called after every chunk.
    """
    started = time.perf_counter()
    summary = RunSummary(Path(out_dir))
    store = OutputStore(Path(out_dir), run_name=f"run-{os.getpid()}-{time.time_ns()}")
    if options.resume:
        store.load_done()
    signature = Pipeline.from_config(config).signature if options.resume else ""
    executor = _Executor(options, client)
    pending: deque = deque()
    try:
        for chunk in _chunks(_plan(items, store, signature, options), options.chunk_size):
            todo = [e.item for e in chunk if e.kind == "todo"]
            pending.append((chunk, executor.submit(config, todo) if todo else _Done([])))
            while len(pending) > executor.window:
                _write_chunk(store, *pending.popleft(), summary, on_progress)
        while pending:
            _write_chunk(store, *pending.popleft(), summary, on_progress)
        store.finish()
    except BaseException:
        executor.close(cancel=True)
        raise
    executor.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _write_chunk(store: OutputStore, chunk: list[_Entry], future: Any, summary: RunSummary,
                 on_progress: Callable[[int, int], None] | None) -> None:
    """Put one chunk's results, in input order, into a part file."""
    results = iter(future.result())
    records: list[tuple[str, str]] = []
    errors: list[str] = []
    for entry in chunk:
        if entry.kind == "bad":
            errors.append(_error_line(entry.item, entry.item.reason))
            summary.note_error(_source(entry.item), entry.item.reason)
        elif entry.kind == "reuse":
            records.append((entry.item.doc_id, store.old_line(entry.item.doc_id)))
            summary.reused += 1
        else:
            kind, line = next(results)
            if kind == "record":
                records.append((entry.item.doc_id, line))
                summary.processed += 1
            else:
                errors.append(line)
                summary.note_error(_source(entry.item), json.loads(line)["reason"])
    store.write_part(records, errors)
    if on_progress:
        on_progress(summary.processed + summary.reused, summary.errors)
