"""Decoding a linear-chain CRF from its scores, for all sentences of an article at once:
the best tag path (Viterbi), and the posterior probability of the tags of its entities
(forward-backward over each entity and a few tokens around it). Shared by the CRF and
the neural backends; numpy only.

>>> import numpy as np
>>> transitions = np.array([[0.0, 0.0], [0.0, 2.0]])  # 1 -> 1 outweighs token 1's liking for 0
>>> emissions = [np.array([[1.0, 0.0], [0.0, 0.5]]), np.array([[0.0, 1.0]])]
>>> [path for path, _ in decode(emissions, transitions, np.zeros(2), np.zeros(2), outside=0)]
[[1, 1], [1]]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


# Tokens either side of an entity that its posterior is computed over: the Viterbi tags
# beyond them are taken as given (further context hardly moves the probability).
CONTEXT = 3


def decode(emissions: Sequence[np.ndarray], transitions: np.ndarray, start: np.ndarray, end: np.ndarray,
           outside: int) -> list[tuple[list[int], list[float | None]]]:
    """Per sentence (``emissions``: ``(tokens, tags)`` scores each), the Viterbi tag path
    and the posterior probability of each of its tags that is not ``outside`` (``O``), and
    of the :data:`CONTEXT` tokens around them; None for the other tokens."""
    paths = _viterbi(emissions, transitions, start, end)
    windows = [(b, lo, hi) for b, path in enumerate(paths) for lo, hi in _windows(path, outside)]
    probabilities: list[list[float | None]] = [[None] * len(path) for path in paths]
    if windows:
        starts = np.stack([start if lo == 0 else transitions[paths[b][lo - 1]] for b, lo, _ in windows])
        ends = np.stack([end if hi == len(paths[b]) else transitions[:, paths[b][hi]] for b, _, hi in windows])
        posteriors = _posteriors([emissions[b][lo:hi] for b, lo, hi in windows], transitions, starts, ends)
        for (b, lo, hi), posterior in zip(windows, posteriors):
            probabilities[b][lo:hi] = posterior[np.arange(hi - lo), paths[b][lo:hi]].tolist()
    return list(zip(paths, probabilities))


def _windows(path: Sequence[int], outside: int) -> list[tuple[int, int]]:
    """Token ranges covering the path's non-``outside`` tags and :data:`CONTEXT` tokens
    either side, overlapping ranges merged."""
    out: list[tuple[int, int]] = []
    for i, tag in enumerate(path):
        if tag == outside:
            continue
        lo, hi = max(0, i - CONTEXT), min(len(path), i + 1 + CONTEXT)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _padded(sequences: Sequence[np.ndarray]) -> tuple[list[int], np.ndarray, list[int]]:
    """The sequences longest first (their original indices), zero-padded into one array,
    and how many of them are still running at each position."""
    order = sorted(range(len(sequences)), key=lambda b: -len(sequences[b]))
    lengths = [len(sequences[b]) for b in order]
    padded = np.zeros((len(order), lengths[0], sequences[0].shape[1]))
    for row, b in enumerate(order):
        padded[row, :lengths[row]] = sequences[b]
    return order, padded, (np.array(lengths)[:, None] > np.arange(lengths[0])).sum(axis=0).tolist()


def _viterbi(emissions: Sequence[np.ndarray], transitions: np.ndarray, start: np.ndarray,
             end: np.ndarray) -> list[list[int]]:
    order, padded, active = _padded(emissions)
    score = start + padded[:, 0]
    pointers = np.zeros(padded.shape, dtype=np.int64)
    for t in range(1, padded.shape[1]):
        k = active[t]
        candidates = score[:k, :, None] + transitions
        pointers[:k, t] = candidates.argmax(axis=1)
        score[:k] = candidates.max(axis=1) + padded[:k, t]
    lengths = np.array([len(emissions[b]) for b in order])
    tags = np.zeros(padded.shape[:2], dtype=np.int64)
    rows = np.arange(len(order))
    tags[rows, lengths - 1] = (score + end).argmax(axis=1)
    for t in range(padded.shape[1] - 1, 0, -1):  # back along every row still running at t
        k = active[t]
        tags[:k, t - 1] = pointers[rows[:k], t, tags[:k, t]]
    tag_lists = tags.tolist()
    paths: list[list[int]] = [[] for _ in order]
    for row, b in enumerate(order):
        paths[b] = tag_lists[row][:lengths[row]]
    return paths


def _posteriors(emissions: Sequence[np.ndarray], transitions: np.ndarray, starts: np.ndarray,
                ends: np.ndarray) -> list[np.ndarray]:
    """Tag marginals ``(tokens, tags)`` of each sequence by scaled forward-backward in the
    probability domain; ``starts``/``ends``: one row of scores per sequence."""
    order, padded, active = _padded(emissions)
    starts, ends = starts[order], ends[order]
    step = np.exp(transitions - transitions.max())
    local = np.exp(padded - padded.max(axis=2, keepdims=True))
    alpha = np.ones(padded.shape)  # padding positions stay 1: their posteriors are never read
    alpha[:, 0] = np.exp(starts - starts.max(axis=1, keepdims=True)) * local[:, 0]
    alpha[:, 0] /= alpha[:, 0].sum(axis=1, keepdims=True)
    for t in range(1, padded.shape[1]):
        k = active[t]
        a = (alpha[:k, t - 1] @ step) * local[:k, t]
        alpha[:k, t] = a / a.sum(axis=1, keepdims=True)
    beta = np.ones(padded.shape)
    for row, b in enumerate(order):
        beta[row, len(emissions[b]) - 1] = np.exp(ends[row] - ends[row].max())
    for t in range(padded.shape[1] - 2, -1, -1):
        k = active[t + 1]
        b = (local[:k, t + 1] * beta[:k, t + 1]) @ step.T
        beta[:k, t] = b / b.sum(axis=1, keepdims=True)
    posterior = alpha * beta
    posterior /= posterior.sum(axis=2, keepdims=True)
    out: list[np.ndarray] = [posterior[0, :0]] * len(order)
    for row, b in enumerate(order):
        out[b] = posterior[row, :len(emissions[b])]
    return out
