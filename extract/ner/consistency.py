"""One name, one label per document: a name the tagger found in one sentence, each of its
tags more likely than not (:data:`MIN_CONFIDENCE`), is also tagged where it recurs
untagged (news repeat names: ``انرون`` tagged once is ``انرون`` everywhere in the
article). The first word may carry clitics (``للبنك التجاري`` repeats ``البنك التجاري``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from ..doc import Token
from ..tokenize import lookup_forms
from .conll import EntityRun

MIN_CONFIDENCE = 0.5  # chosen on the ANERcorp dev split (0.8: 0.696 F1, 0.5: 0.704)
MAX_WORDS = 4


def propagate(sentences: Sequence[Sequence[Token]], runs: Sequence[Sequence[EntityRun]],
              min_confidence: float = MIN_CONFIDENCE) -> list[list[EntityRun]]:
    """``runs`` plus the untagged recurrences of confidently tagged names, each with the
    majority label and the highest confidence of that name's tagged mentions."""
    index = _name_index(sentences, runs, min_confidence)
    if not index:
        return [list(r) for r in runs]
    keys = index.keys()
    out = []
    for tokens, found in zip(sentences, runs):
        found = list(found)
        taken = {i for run in found for i in range(run.first, run.last)}
        norms = [t.norm for t in tokens]
        for i in [i for i, norm in enumerate(norms) if not keys.isdisjoint(_forms(norm))]:
            if i in taken:
                continue
            match = _longest(norms, i, index, taken)
            if match is not None:
                found.append(match)
                taken.update(range(match.first, match.last))
        out.append(sorted(found, key=lambda r: r.first))
    return out


_Index = dict[str, list[tuple[tuple[str, ...], str, float]]]


def _name_index(sentences, runs, min_confidence) -> _Index:
    """Lookup form of a name's first word -> (the other words, label, confidence), longest first."""
    labels: dict[tuple[str, ...], Counter[str]] = {}
    best: dict[tuple[str, ...], float] = {}
    for tokens, found in zip(sentences, runs):
        for run in found:
            if run.confidence is None or run.confidence < min_confidence or run.last - run.first > MAX_WORDS:
                continue
            name = tuple(t.norm for t in tokens[run.first:run.last])
            labels.setdefault(name, Counter())[run.label] += 1
            best[name] = max(best.get(name, 0.0), run.confidence)
    index: _Index = {}
    for name, counts in labels.items():
        for _, form in lookup_forms(name[0]):
            index.setdefault(form, []).append((name[1:], counts.most_common(1)[0][0], best[name]))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return index


@lru_cache(maxsize=200_000)
def _forms(norm: str) -> frozenset[str]:
    return frozenset(form for _, form in lookup_forms(norm))


def _longest(norms: Sequence[str], i: int, index: _Index, taken: set[int]) -> EntityRun | None:
    """The longest indexed name starting at token ``i`` on untagged tokens."""
    for _, form in lookup_forms(norms[i]):
        for rest, label, confidence in index.get(form, ()):
            last = i + 1 + len(rest)
            if tuple(norms[i + 1:last]) == rest and taken.isdisjoint(range(i, last)):
                return EntityRun(label, i, last, confidence)
    return None
