"""Reading NER corpora: CoNLL (``token<TAB>BIO`` or ``token BIO``: ANERcorp, AQMAR, the
CAMeL split), the Wojood nested format (``token TAG [TAG…]``) and WikiFANE
(:mod:`.wikifane`), as sentences of ``(token, tag)`` with PER/LOC/ORG/MISC labels.

Corpus tokens are re-cut with the pipeline's own tokenizer (:func:`runtime_tokens`), so a
model is trained on exactly the token forms it will see at run time.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from ..doc import Document, Token
from ..normalize import Normalizer
from ..tokenize import Tokenizer

LABELS = ("PER", "LOC", "ORG", "MISC")
# Entity types of other tag sets (Wojood, OntoNotes, CAMeL, Stanza models) -> ours.
LABEL_MAP = {"PER": "PER", "PERS": "PER", "PERSON": "PER",
             "LOC": "LOC", "GPE": "LOC", "FAC": "LOC", "LOCATION": "LOC",
             "ORG": "ORG", "ORGANIZATION": "ORG",
             "MISC": "MISC", "MIS": "MISC", "NORP": "MISC", "EVENT": "MISC"}
_WOJOOD_LINE_BREAK = "$#$"

Tagged = list[tuple[str, str]]


class EntityRun(NamedTuple):
    """An entity as a run of tokens ``[first, last)`` of one sentence."""

    label: str
    first: int
    last: int
    confidence: float | None = None


def mapped_runs(runs: Iterable[EntityRun]) -> list[EntityRun]:
    """Runs relabelled with :data:`LABEL_MAP`; types it does not know are dropped."""
    return [run._replace(label=LABEL_MAP[run.label]) for run in runs if run.label in LABEL_MAP]


def bio_runs(tags: Sequence[str]) -> list[EntityRun]:
    """Entity runs of a BIO tag sequence, read as conlleval does (an ``I-X`` after
    ``O`` or after another type starts a new entity).

    >>> bio_runs(["B-ORG", "I-ORG", "O", "I-LOC", "B-LOC"])
    [EntityRun(label='ORG', first=0, last=2, confidence=None), EntityRun(label='LOC', first=3, last=4, confidence=None), EntityRun(label='LOC', first=4, last=5, confidence=None)]
    """
    runs: list[EntityRun] = []
    label, first = None, 0
    for i, tag in enumerate((*tags, "O")):
        prefix, _, kind = tag.partition("-")
        if label is not None and (prefix != "I" or kind != label):
            runs.append(EntityRun(label, first, i))
            label = None
        if prefix in ("B", "I") and label is None:
            label, first = kind, i
    return runs


def scored_runs(tags: Sequence[str], probabilities: Sequence[float | None]) -> list[EntityRun]:
    """Entity runs of a tag sequence, each with the lowest probability of its tags as confidence.

    >>> scored_runs(["B-LOC", "I-LOC", "O"], [0.9, 0.7, None])
    [EntityRun(label='LOC', first=0, last=2, confidence=0.7)]
    """
    return [run._replace(confidence=min(probabilities[run.first:run.last])) for run in bio_runs(tags)]


def runs_to_bio(length: int, runs: Iterable[EntityRun]) -> list[str]:
    """BIO tags of ``length`` tokens holding the (non-overlapping) ``runs``."""
    tags = ["O"] * length
    for run in runs:
        tags[run.first] = f"B-{run.label}"
        for i in range(run.first + 1, run.last):
            tags[i] = f"I-{run.label}"
    return tags


def mapped_tag(tag: str) -> str:
    """A BIO tag with its type mapped by :data:`LABEL_MAP` (``B-MIS`` -> ``B-MISC``,
    ``I-PERS`` -> ``I-PER``); a type without a mapping becomes ``O``.

    >>> [mapped_tag(t) for t in ("B-MIS", "I-PERS", "O", "B-DATE")]
    ['B-MISC', 'I-PER', 'O', 'O']
    """
    prefix, _, kind = tag.partition("-")
    return f"{prefix}-{LABEL_MAP[kind]}" if prefix in ("B", "I") and kind in LABEL_MAP else "O"


def read_conll(path: str | Path) -> list[Tagged]:
    """Sentences of a CoNLL file: ``token<TAB>tag`` (or ``token tag``) lines, a blank line
    between sentences; tag types mapped by :func:`mapped_tag`."""
    sentences: list[Tagged] = []
    current: Tagged = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            if current:
                sentences.append(current)
                current = []
            continue
        cells = line.rsplit("\t", 1) if "\t" in line else line.rsplit(None, 1)
        if len(cells) != 2:
            raise ValueError(f"{path}:{number}: expected 'token<TAB>tag', got {line!r}")
        current.append((cells[0], mapped_tag(cells[1].strip())))
    if current:
        sentences.append(current)
    return sentences


def read_wojood(path: str | Path) -> list[Tagged]:
    """Sentences of a Wojood nested file mapped to PER/LOC/ORG/MISC (:data:`LABEL_MAP`).

    Nested entities are flattened keeping the outermost mapped one; types without a
    mapping (DATE, OCC, …) become ``O``. The ``$#$`` line-break token ends a sentence.
    """
    sentences: list[Tagged] = []
    tokens: list[str] = []
    layers: list[list[str]] = []

    def flush() -> None:
        if tokens:
            sentences.append(list(zip(tokens, _flatten(layers))))
        tokens.clear()
        layers.clear()

    for line in Path(path).read_text(encoding="utf-8").splitlines():
        cells = line.split()
        if not cells or cells[0] == _WOJOOD_LINE_BREAK:
            flush()
            continue
        tokens.append(cells[0])
        layers.append(cells[1:])
    flush()
    return sentences


def _flatten(token_tags: list[list[str]]) -> list[str]:
    """BIO tags keeping, among overlapping mapped entities, the longest (outermost)."""
    spans = []
    for kind in {tag[2:] for tags in token_tags for tag in tags if tag[1:2] == "-"}:
        one_type = [next((t for t in tags if t[2:] == kind), "O") for tags in token_tags]
        spans += mapped_runs(bio_runs(one_type))
    spans.sort(key=lambda r: (r.first - r.last, r.first))
    taken = [False] * len(token_tags)
    kept = []
    for run in spans:
        if not any(taken[run.first:run.last]):
            taken[run.first:run.last] = [True] * (run.last - run.first)
            kept.append(run)
    return runs_to_bio(len(token_tags), kept)


def read_corpus(path: str | Path) -> list[Tagged]:
    """Sentences of a CoNLL file, of a Wojood file when its name ends ``.nested.txt``, or of
    WikiFANE when its name starts ``WikiFANE``."""
    from .wikifane import read_wikifane

    name = Path(path).name
    if name.endswith(".nested.txt"):
        return read_wojood(path)
    return read_wikifane(path) if name.lower().startswith("wikifane") else read_conll(path)


def runtime_tokens(sentence: Tagged) -> tuple[list[Token], list[str]]:
    """The sentence as the pipeline tokenizes it (its tokens joined by spaces), with the
    corpus tags carried over: a corpus token that the tokenizer splits (``و6``, ``30%``)
    gives its tag to the first piece and ``I-`` to the rest.

    >>> tokens, tags = runtime_tokens([("وقال", "O"), ("30%", "O"), ("الأمم", "B-ORG")])
    >>> [(t.text, t.norm, tag) for t, tag in zip(tokens, tags)]
    [('وقال', 'وقال', 'O'), ('30', '30', 'O'), ('%', '%', 'O'), ('الأمم', 'الامم', 'B-ORG')]
    """
    doc = Tokenizer()(Normalizer()(Document(" ".join(token for token, _ in sentence))))
    starts, position = [], 0
    for token, _ in sentence:
        starts.append(position)
        position += len(token) + 1
    tags, previous = [], -1
    for tok in doc.tokens:
        k = bisect_right(starts, tok.start) - 1
        tag = sentence[k][1]
        tags.append(tag if k != previous or tag == "O" else "I-" + tag[2:])
        previous = k
    return doc.tokens, tags


def sentences_of(paths: Iterable[str | Path]) -> Iterator[tuple[list[Token], list[str]]]:
    """Runtime tokens and tags of every sentence of the corpus files in ``paths``."""
    for path in paths:
        for sentence in read_corpus(path):
            tokens, tags = runtime_tokens(sentence)
            if tokens:
                yield tokens, tags
