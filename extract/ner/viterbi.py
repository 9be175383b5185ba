"""Decoding a linear-chain CRF from its scores, for all sentences of an article at once:
the best tag path (Viterbi), and the posterior probability of the tags of its entities
(forward-backward over each entity and a few tokens around it). Shared by the CRF and
the neural backends.

The loops are compiled with numba (cached on disk after the first run): per token they
do a few dozen additions, which Python or per-position numpy calls would make the
slowest part of tagging.

>>> import numpy as np
>>> transitions = np.array([[0.0, 0.0], [0.0, 2.0]])  # 1 -> 1 outweighs token 1's liking for 0
>>> emissions = [np.array([[1.0, 0.0], [0.0, 0.5]]), np.array([[0.0, 1.0]])]
>>> [path for path, _ in decode(emissions, transitions, np.zeros(2), np.zeros(2), outside=0)]
[[1, 1], [1]]
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import numpy as np
from numba import njit

log = logging.getLogger(__name__)

# Tokens either side of an entity that its posterior is computed over: the Viterbi tags
# beyond them are taken as given (further context hardly moves the probability).
CONTEXT = 3


def _compiled(function: Callable) -> Callable:
    """``function`` compiled with numba, the machine code cached on disk; where numba finds no
    writable cache directory (a read-only install without a home directory), compiled anew
    in each process instead."""
    try:
        return njit(cache=True)(function)
    except RuntimeError as exc:
        log.warning("%s; compiling in every process instead (set NUMBA_CACHE_DIR to a writable folder)", exc)
        return njit(function)


def decode(emissions: Sequence[np.ndarray], transitions: np.ndarray, start: np.ndarray, end: np.ndarray,
           outside: int) -> list[tuple[list[int], list[float | None]]]:
    """Per sentence (``emissions``: ``(tokens, tags)`` scores each), the Viterbi tag path
    and the posterior probability of each of its tags that is not ``outside`` (``O``), and
    of the :data:`CONTEXT` tokens around them; None for the other tokens."""
    lengths = np.array([len(e) for e in emissions], dtype=np.int64)
    if not lengths.sum():
        return [([], []) for _ in emissions]
    flat = np.ascontiguousarray(np.concatenate(emissions), dtype=np.float64)
    transitions, start, end = (np.ascontiguousarray(a, dtype=np.float64) for a in (transitions, start, end))
    tags = _viterbi(flat, lengths, transitions, start, end)
    probabilities = _posteriors(flat, lengths, tags, transitions, start, end, outside, CONTEXT)
    paths, found = tags.tolist(), [None if p != p else p for p in probabilities.tolist()]  # NaN: outside every window
    ends = np.cumsum(lengths).tolist()
    return [(paths[end - n:end], found[end - n:end]) for n, end in zip(lengths.tolist(), ends)]


@_compiled
def _viterbi(emissions, lengths, transitions, start, end):
    """The best tag of every token: ``emissions`` are the sentences' rows one after another."""
    labels = transitions.shape[0]
    tags = np.empty(emissions.shape[0], np.int64)
    pointers = np.empty(emissions.shape, np.int64)
    score = np.empty(labels)
    following = np.empty(labels)
    first = 0
    for n in lengths:
        if n == 0:
            continue
        for j in range(labels):
            score[j] = start[j] + emissions[first, j]
        for t in range(first + 1, first + n):
            for j in range(labels):
                best, value = 0, score[0] + transitions[0, j]
                for i in range(1, labels):
                    candidate = score[i] + transitions[i, j]
                    if candidate > value:
                        best, value = i, candidate
                pointers[t, j] = best
                following[j] = value + emissions[t, j]
            score[:] = following
        best, value = 0, score[0] + end[0]
        for j in range(1, labels):
            if score[j] + end[j] > value:
                best, value = j, score[j] + end[j]
        last = first + n - 1
        tags[last] = best
        for t in range(last, first, -1):
            tags[t - 1] = pointers[t, tags[t]]
        first += n
    return tags


@_compiled
def _posteriors(emissions, lengths, tags, transitions, start, end, outside, context):
    """The marginal probability of each token's Viterbi tag, by scaled forward-backward over
    windows of ``context`` tokens around the tags that are not ``outside`` (the tags beyond
    a window taken as given); NaN for tokens outside every window."""
    out = np.full(emissions.shape[0], np.nan)
    step = np.exp(transitions - transitions.max())
    first = 0
    for n in lengths:
        t = first
        while t < first + n:
            if tags[t] == outside:
                t += 1
                continue
            lo = max(first, t - context)
            hi = min(first + n, t + 1 + context)
            k = t + 1  # an entity whose own window would touch this one joins it
            while k < first + n and k <= hi + context:
                if tags[k] != outside:
                    hi = min(first + n, k + 1 + context)
                k += 1
            before = start if lo == first else transitions[tags[lo - 1]]
            after = end if hi == first + n else transitions[:, tags[hi]]
            _window(emissions[lo:hi], tags[lo:hi], step, before, after, out[lo:hi])
            t = hi
        first += n
    return out


@_compiled
def _window(emissions, tags, step, before, after, out):
    """Forward-backward in the probability domain over one window, each step rescaled."""
    n, labels = emissions.shape
    local = np.empty((n, labels))
    for t in range(n):
        local[t] = np.exp(emissions[t] - emissions[t].max())
    alpha = np.empty((n, labels))
    alpha[0] = np.exp(before - before.max()) * local[0]
    alpha[0] /= alpha[0].sum()
    for t in range(1, n):
        for j in range(labels):
            total = 0.0
            for i in range(labels):
                total += alpha[t - 1, i] * step[i, j]
            alpha[t, j] = total * local[t, j]
        alpha[t] /= alpha[t].sum()
    beta = np.empty((n, labels))
    beta[n - 1] = np.exp(after - after.max())
    for t in range(n - 2, -1, -1):
        for i in range(labels):
            total = 0.0
            for j in range(labels):
                total += local[t + 1, j] * beta[t + 1, j] * step[i, j]
            beta[t, i] = total
        beta[t] /= beta[t].sum()
    for t in range(n):
        posterior = alpha[t] * beta[t]
        out[t] = posterior[tags[t]] / posterior.sum()
