"""Per-word arrays computed once per process and gathered per article in one indexing step
(both backends score a word's own part the same way wherever it occurs).

>>> cache = RowCache(lambda words: np.array([[len(w)] for w in words], dtype=float))
>>> cache.rows(["قال", "دمشق", "قال"]).ravel().tolist()
[3.0, 4.0, 3.0]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

MAX_WORDS = 100_000


class RowCache:
    """``compute(words)`` -> one row per word (any trailing shape), cached by word; the
    cache starts over when it would exceed ``limit`` words."""

    def __init__(self, compute: Callable[[list[str]], np.ndarray], limit: int = MAX_WORDS):
        self.compute = compute
        self.limit = limit
        self._index: dict[str, int] = {}
        self._rows: np.ndarray | None = None

    def rows(self, words: Sequence[str]) -> np.ndarray:
        """The rows of ``words``, stacked in their order."""
        index = self._index
        missing = list(dict.fromkeys(w for w in words if w not in index))
        if len(index) + len(missing) > self.limit:
            index.clear()
            missing = list(dict.fromkeys(words))
        if missing:
            self._add(missing, self.compute(missing))
        return self._rows[[index[w] for w in words]]

    def _add(self, words: list[str], rows: np.ndarray) -> None:
        first = len(self._index)
        if self._rows is None or first + len(words) > len(self._rows):
            grown = np.zeros((max(2 * first, first + len(words), 1024), *rows.shape[1:]), dtype=rows.dtype)
            if self._rows is not None:
                grown[:first] = self._rows[:first]
            self._rows = grown
        self._rows[first:first + len(words)] = rows
        self._index.update((w, first + i) for i, w in enumerate(words))
