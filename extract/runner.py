"""Batch runs over archives: stream articles through the pipeline in chunks, in
parallel (processes or a Dask cluster), resumably, with one error record per bad item.

Output order follows input order whatever the number of workers, so the same
input and version give byte-identical ``articles.jsonl``.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, cast

import orjson

from .doc import Document
from .errors import DocumentTimeout, OutputError
from .io.encodings import escape_surrogates
from .io.readers import Article, BadItem
from .io.writers import OutputStore
from .pipeline import Pipeline, PipelineConfig
from .timelimit import time_limit


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
    removed: int = 0
    seconds: float = 0.0
    first_errors: list[str] = field(default_factory=list)

    def note_error(self, source: str, reason: str, keep: int = 20) -> None:
        """Count an error record; the first few are kept for the CLI to show."""
        self.errors += 1
        if len(self.first_errors) < keep:
            self.first_errors.append(f"{source}: {reason}")


def checksum(text: str) -> str:
    """Short content hash of an article text (decides whether a record can be reused)."""
    return hashlib.sha1(text.encode("utf-8", errors="surrogatepass")).hexdigest()[:16]


_local = threading.local()


def _pipeline(config: PipelineConfig) -> Pipeline:
    """One pipeline per worker thread and config, built on first use."""
    cache = _local.__dict__.setdefault("pipelines", {})
    if config not in cache:
        cache[config] = Pipeline.from_config(config)
    return cache[config]


def article_record(nlp: Pipeline, article: Article, include_text: bool = True) -> dict[str, Any]:
    """Run the pipeline over one article and return its output record."""
    record = nlp(_document(nlp, article)).to_dict(include_text=include_text)
    return _stamp(record, article, nlp.signature)


def reuse_key(nlp: Pipeline, article: Article, signature: str) -> dict[str, Any]:
    """The fields a record of ``article`` would have besides what the pipeline extracts (metadata,
    checksum, pipeline, warnings): an earlier record with the same ones can be reused."""
    return _stamp(_document(nlp, article).to_dict(include_text=False), article, signature)


def _document(nlp: Pipeline, article: Article) -> Document:
    return nlp.make_doc(article.text, doc_id=article.doc_id, title=article.title, published=article.published,
                        url=article.url, source=_source(article))


def _stamp(record: dict[str, Any], article: Article, signature: str) -> dict[str, Any]:
    warnings = [*article.warnings, *record.pop("warnings", [])]
    record["checksum"] = checksum(article.text)
    record["pipeline"] = signature
    if warnings:
        record["warnings"] = warnings
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
    """One error record; text that cannot be written as UTF-8 (lone surrogates) is escaped."""
    return _dumps({"source": escape_surrogates(item.source), "line": item.line,
                   "doc_id": None if item.doc_id is None else escape_surrogates(item.doc_id),
                   "reason": escape_surrogates(reason)})


@dataclass(slots=True)
class _Entry:
    """One input item in a chunk: to process, reused from an earlier run, or bad."""

    kind: str
    item: Article | BadItem


def _plan(items: Iterable[Article | BadItem], store: OutputStore, nlp: Pipeline | None, signature: str,
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
        if nlp is not None and store.is_done(item.doc_id, reuse_key(nlp, item, signature), options.include_text):
            yield _Entry("reuse", item)
        else:
            yield _Entry("todo", item)


def _chunks(entries: Iterator[_Entry], size: int) -> Iterator[list[_Entry]]:
    while chunk := list(islice(entries, size)):
        yield chunk


class _Executor:
    """Submits chunk jobs to this process, a process pool, or a Dask cluster.

    A job that fails as a whole (a worker process died: out of memory, killed) is run again one
    article at a time in a process of its own; an article that kills that one too becomes an
    error record. A dead pool is replaced.
    """

    def __init__(self, options: RunOptions, client: Any = None):
        self.options = options
        self._pool: ProcessPoolExecutor | None = None
        self._solo: ProcessPoolExecutor | None = None
        self._client = client
        self._own_client = False
        if options.engine == "dask":
            if client is None:
                self._client = _dask_client(options)
                self._own_client = True
        elif options.workers > 1:
            self._pool = _process_pool(options.workers)

    @property
    def window(self) -> int:
        """How many chunks may be in flight at once (bounded, so memory stays flat)."""
        if self._client is not None:
            return max(2, 2 * sum(self._client.nthreads().values()))
        return 2 * self.options.workers if self._pool is not None else 0

    def submit(self, config: PipelineConfig, articles: list[Article]) -> _Job:
        args = (config, articles, self.options.include_text, self.options.timeout)
        if self._client is not None:
            return _Job(self._client.submit(process_chunk, *args, pure=False), config, articles)
        if self._pool is not None:
            try:
                return _Job(self._pool.submit(process_chunk, *args), config, articles)
            except BrokenProcessPool:
                self._replace_pool()
                return _Job(self._pool.submit(process_chunk, *args), config, articles)
        return _Job(_Done(process_chunk(*args)), config, articles)

    def result(self, job: _Job) -> list[tuple[str, str]]:
        """The results of a job; a job whose worker died is run again article by article."""
        try:
            return job.future.result()
        except BrokenProcessPool:
            self._replace_pool()
        except Exception:  # a worker lost on a cluster, a chunk that failed outside any article
            pass
        return [self._alone(job.config, article) for article in job.articles]

    def _alone(self, config: PipelineConfig, article: Article) -> tuple[str, str]:
        """One article in a worker process of its own; if that process dies too, an error record."""
        if self._solo is None:
            self._solo = _process_pool(1)
        try:
            (result,) = self._solo.submit(process_chunk, config, [article], self.options.include_text,
                                          self.options.timeout).result()
            return result
        except BrokenProcessPool:
            self._solo.shutdown(wait=False, cancel_futures=True)
            self._solo = None
            return "error", _error_line(article, "worker process died while processing this article, twice "
                                                 "(killed, e.g. for using too much memory); check the article, "
                                                 "or give the workers more memory")
        except Exception as exc:  # the worker could not even build its pipeline
            return "error", _error_line(article, f"pipeline failed: {type(exc).__name__}: {exc}")

    def _replace_pool(self) -> None:
        if self._pool is not None and self._pool._broken:  # private: the pool has no public flag
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = _process_pool(self.options.workers)

    def close(self, cancel: bool = False) -> None:
        for pool in (self._pool, self._solo):
            if pool is not None:
                pool.shutdown(wait=not cancel, cancel_futures=cancel)
        if self._own_client:
            cluster = getattr(self._client, "cluster", None)
            self._client.close()
            if cluster is not None:
                cluster.close()


@dataclass(slots=True)
class _Job:
    """A submitted chunk: its future, and what it was submitted with (to run it again)."""

    future: Any
    config: PipelineConfig
    articles: list[Article]


@dataclass(slots=True)
class _Done:
    value: Any

    def result(self) -> Any:
        return self.value


def _process_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(os.getpid(),))


_PR_SET_PDEATHSIG = 1


def _init_worker(parent: int) -> None:
    """In a worker: ignore Ctrl-C (the parent handles it) and die with the parent, however it ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


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
    ``on_progress(done, errors)`` is called after every chunk. Raises
    :class:`~extract.errors.OutputError` when ``out_dir`` is used by another run or cannot be
    written (earlier output is then left as it was).
    """
    started = time.perf_counter()
    summary = RunSummary(Path(out_dir))
    store = OutputStore(Path(out_dir), run_name=f"run-{time.time_ns()}-{os.getpid()}")
    try:
        nlp = None
        if options.resume:
            store.load_done()
            nlp = Pipeline.from_config(config)
        _run_chunks(items, store, nlp, config, options, client, summary, on_progress)
        summary.removed = store.finish()
    except OSError as exc:
        raise OutputError(f"cannot write to {out_dir}: {exc.strerror or exc} ({escape_surrogates(str(exc.filename))}); "
                          f"earlier output is unchanged and finished chunks are kept in {out_dir}/.parts: "
                          "free some space (or fix the permissions) and run the same command again") from exc
    finally:
        store.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _run_chunks(items: Iterable[Article | BadItem], store: OutputStore, nlp: Pipeline | None,
                config: PipelineConfig, options: RunOptions, client: Any, summary: RunSummary,
                on_progress: Callable[[int, int], None] | None) -> None:
    """Stream chunks through the executor, writing each chunk's part in input order."""
    signature = nlp.signature if nlp is not None else ""
    executor = _Executor(options, client)
    pending: deque[tuple[list[_Entry], _Job | None]] = deque()
    try:
        for chunk in _chunks(_plan(items, store, nlp, signature, options), options.chunk_size):
            todo = [cast(Article, e.item) for e in chunk if e.kind == "todo"]
            pending.append((chunk, executor.submit(config, todo) if todo else None))
            while len(pending) > executor.window:
                _write_chunk(store, executor, *pending.popleft(), summary, on_progress)
        while pending:
            _write_chunk(store, executor, *pending.popleft(), summary, on_progress)
    except BaseException:
        executor.close(cancel=True)
        raise
    executor.close()


def _write_chunk(store: OutputStore, executor: _Executor, chunk: list[_Entry], job: _Job | None,
                 summary: RunSummary, on_progress: Callable[[int, int], None] | None) -> None:
    """Put one chunk's results, in input order, into a part file."""
    results = iter(executor.result(job) if job is not None else [])
    records: list[tuple[str, str]] = []
    errors: list[tuple[str | None, str]] = []
    for entry in chunk:
        if entry.kind == "bad":
            bad = cast(BadItem, entry.item)
            errors.append((bad.doc_id, _error_line(bad, bad.reason)))
            summary.note_error(_source(bad), bad.reason)
        elif entry.kind == "reuse":
            reused = cast(Article, entry.item)
            records.append((reused.doc_id, store.reused_line(reused.doc_id)))
            summary.reused += 1
        else:
            kind, line = next(results)
            if kind == "record":
                records.append((cast(Article, entry.item).doc_id, line))
                summary.processed += 1
            else:
                errors.append((entry.item.doc_id, line))
                summary.note_error(_source(entry.item), json.loads(line)["reason"])
    store.write_part(records, errors)
    if on_progress:
        on_progress(summary.processed + summary.reused, summary.errors)
