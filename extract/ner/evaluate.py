"""Entity-level scoring, CoNLL style: an entity counts only when its type and exact token
span both match a gold entity. Precision, recall and F1 per type, micro-averaged over all
types, and over PER, LOC and ORG alone (the figure reported for AQMAR, whose MISC differs).

>>> gold = [[EntityRun("LOC", 0, 1), EntityRun("ORG", 2, 4)]]
>>> pred = [[EntityRun("LOC", 0, 1), EntityRun("ORG", 2, 3)]]
>>> report = score(gold, pred)
>>> report.overall.precision, report.overall.recall
(0.5, 0.5)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .conll import EntityRun, bio_runs, sentences_of

DOCUMENT_SIZE = 20
NAMES = ("PER", "LOC", "ORG")
NAMES_ROW = "+".join(NAMES)


@dataclass
class Counts:
    """Entity counts of one type: exact matches, spurious and missed entities."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0

    def summary(self) -> dict[str, Any]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class Report:
    """Counts per entity type and over all types."""

    by_type: dict[str, Counts] = field(default_factory=dict)
    overall: Counts = field(default_factory=Counts)

    @property
    def names(self) -> Counts:
        """Counts summed over PER, LOC and ORG."""
        found = [self.by_type[label] for label in NAMES if label in self.by_type]
        return Counts(*(sum(getattr(c, k) for c in found) for k in ("tp", "fp", "fn")))

    def to_dict(self) -> dict[str, Any]:
        return {"overall": self.overall.summary(), NAMES_ROW: self.names.summary(),
                **{label: c.summary() for label, c in sorted(self.by_type.items())}}

    def table(self) -> str:
        """A plain-text table: one row per type, then the overall and the PER+LOC+ORG rows."""
        rows = [f"{'type':<12}{'prec':>8}{'rec':>8}{'f1':>8}{'gold':>7}{'pred':>7}"]
        for label, c in [*sorted(self.by_type.items()), ("overall", self.overall), (NAMES_ROW, self.names)]:
            rows.append(f"{label:<12}{c.precision:>8.4f}{c.recall:>8.4f}{c.f1:>8.4f}"
                        f"{c.tp + c.fn:>7}{c.tp + c.fp:>7}")
        return "\n".join(rows)


def score(gold: Iterable[Sequence[EntityRun]], predicted: Iterable[Sequence[EntityRun]]) -> Report:
    """Compare gold and predicted entity runs, sentence by sentence."""
    report = Report()
    for gold_runs, pred_runs in zip(gold, predicted, strict=True):
        gold_set = {(r.label, r.first, r.last) for r in gold_runs}
        pred_set = {(r.label, r.first, r.last) for r in pred_runs}
        for outcome, items in (("tp", gold_set & pred_set), ("fp", pred_set - gold_set),
                               ("fn", gold_set - pred_set)):
            for kind, _, _ in items:
                for counts in (report.by_type.setdefault(kind, Counts()), report.overall):
                    setattr(counts, outcome, getattr(counts, outcome) + 1)
    return report


def evaluate(tagger, path: str | Path, document_size: int = DOCUMENT_SIZE) -> Report:
    """Score a tagger (any backend, or the :class:`~extract.ner.NER` stage) on a CoNLL or
    Wojood file, on the pipeline's tokens. The file's sentences go to the tagger
    ``document_size`` at a time, standing in for the articles they came from."""
    sentences = list(sentences_of([path]))
    gold = [bio_runs(tags) for _, tags in sentences]
    predicted = []
    for first in range(0, len(sentences), document_size):
        predicted += tagger.tag_sentences([tokens for tokens, _ in sentences[first:first + document_size]])
    return score(gold, predicted)
