"""Per-document time limits, in the main thread (SIGALRM) or any other (an async exception).

The limit keeps firing every ``_REPEAT`` seconds until the block is left, so an exception
swallowed where Python cannot raise it (a ``__del__``, a callback) does not lose it.
"""

from __future__ import annotations

import ctypes
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import DocumentTimeout

_REPEAT = 0.05


class _Limit:
    """The state of one time-limited block: still inside it or not."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.inside = True

    def error(self) -> DocumentTimeout:
        return DocumentTimeout(f"timeout: processing took longer than {self.seconds:g} s")


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`~extract.errors.DocumentTimeout` in this thread after ``seconds`` (None or 0: no limit)."""
    if not seconds:
        yield
        return
    limit = _Limit(seconds)
    if threading.current_thread() is threading.main_thread():
        with _alarm(limit):
            yield
    else:
        with _watchdog(limit):
            yield


@contextmanager
def _alarm(limit: _Limit) -> Iterator[None]:
    def expire(signum, frame):
        if limit.inside:
            raise limit.error()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, limit.seconds, _REPEAT)
    try:
        yield
    finally:
        limit.inside = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _watchdog(limit: _Limit) -> Iterator[None]:
    thread_id = threading.get_ident()
    stop = threading.Event()

    def watch() -> None:
        if stop.wait(limit.seconds):
            return
        while limit.inside:
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(DocumentTimeout))
            if stop.wait(_REPEAT):
                return

    watcher = threading.Thread(target=watch, daemon=True, name="extract-time-limit")
    watcher.start()
    try:
        yield
    except DocumentTimeout as exc:
        raise limit.error() from exc
    finally:
        limit.inside = False
        stop.set()
        watcher.join()
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), None)
