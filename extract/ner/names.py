"""Person-name words as a CRF feature: the Arabic spellings of the JRC-Names name tokens
that the ``arabnamer`` package ships (``arabnamer/data/dict_FINAL.json``, English ->
Arabic, CC BY 4.0), folded as the pipeline normalizes them. A model directory keeps the
list it was trained with as ``names.txt``, so nothing outside the repo is read at run time.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..normalize import fold

NAMES_FILE = "names.txt"
_MIN_LENGTH = 2


def names_from_json(path: str | Path) -> frozenset[str]:
    """The folded Arabic words of a ``{english: arabic}`` name dictionary (multi-word
    spellings give each word; words shorter than two letters are left out)."""
    table = json.loads(Path(path).read_text(encoding="utf-8"))
    words = (word for arabic in table.values() for word in fold(arabic).split())
    return frozenset(w for w in words if len(w) >= _MIN_LENGTH and w.isalpha())


def prune(names: frozenset[str], sentences: Iterable[tuple[Sequence[str], Sequence[str]]], *,
          min_count: int = 20, min_share: float = 0.05) -> frozenset[str]:
    """The names less those that the tagged ``sentences`` show to be common words: seen
    ``min_count`` times or more, inside a person's name less than ``min_share`` of them.

    >>> prune(frozenset({"في", "محمد"}), [(["في", "محمد"], ["O", "B-PER"])] * 20)
    frozenset({'محمد'})
    """
    seen: Counter[str] = Counter()
    in_person: Counter[str] = Counter()
    for norms, tags in sentences:
        for word, tag in zip(norms, tags):
            seen[word] += 1
            in_person[word] += tag.endswith("-PER")
    return frozenset(w for w in names if seen[w] < min_count or in_person[w] >= min_share * seen[w])


def write_names(names: frozenset[str], path: str | Path, source: str) -> None:
    """Write a names list, one word a line, under a ``#`` header naming its source."""
    lines = [f"# Person-name words from {source}", *sorted(names)]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_names(path: str | Path) -> frozenset[str]:
    """A names list written by :func:`write_names`."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))
