"""Training-data augmentation by mention replacement: copies of corpus sentences in which
ORG and LOC names are swapped for names from the package lexicons (armed groups,
organisations, Syrian towns, governorates…). The CRF then sees the conflict-domain names
in real news contexts, and learns to trust the gazetteer features on them.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence

from ..lexicons import lexicon_path, read_tsv
from ..normalize import fold
from ..tokenize import token_spans
from .conll import bio_runs

# Lexicon file -> {row type: entity label}; rows of other types are not used.
NAME_SOURCES = {
    "actors.tsv": {t: "ORG" for t in ("armed_group", "militia", "coalition", "igo", "ngo", "monitor", "media",
                                       "political")},
    "places.tsv": {t: "LOC" for t in ("city", "town", "village", "subdistrict")},
    "places_curated.tsv": {t: "LOC" for t in ("country", "governorate", "province", "district", "region",
                                               "town", "village", "city")},
}

Sentence = tuple[list[str], list[str]]


def lexicon_names() -> dict[str, list[tuple[str, ...]]]:
    """Entity label -> normalized token tuples of the names and aliases in :data:`NAME_SOURCES`."""
    names: dict[str, set[tuple[str, ...]]] = {}
    for file, labels in NAME_SOURCES.items():
        if not lexicon_path(file).is_file():
            continue
        for row in read_tsv(file):
            label = labels.get(row.get("type", ""))
            if label is None:
                continue
            for alias in {row.get("name_ar", ""), *row.get("aliases", "").split("|")}:
                norm = fold(alias.strip())
                tokens = tuple(norm[a:b] for a, b in token_spans(norm))
                if tokens and all(any(ch.isalpha() for ch in t) for t in tokens):
                    names.setdefault(label, set()).add(tokens)
    return {label: sorted(found) for label, found in names.items()}


def replace_mentions(sentences: Sequence[Sentence], names: dict[str, list[tuple[str, ...]]],
                     seed: int) -> list[Sentence]:
    """One copy of each sentence that has an ORG or LOC entity, every such entity replaced
    by a random lexicon name of its label (seeded, so training stays reproducible)."""
    return [copy for _, copy in mention_copies(sentences, names, seed)]


def mention_copies(sentences: Sequence[Sentence], names: dict[str, list[tuple[str, ...]]],
                   seed: int) -> Iterator[tuple[int, Sentence]]:
    """The copies of :func:`replace_mentions`, each with the index of the sentence it copies."""
    rng = random.Random(seed)
    for k, (norms, tags) in enumerate(sentences):
        runs = [r for r in bio_runs(tags) if names.get(r.label)]
        if not runs:
            continue
        new_norms, new_tags, position = [], [], 0
        for run in runs:
            name = rng.choice(names[run.label])
            new_norms += [*norms[position:run.first], *name]
            new_tags += [*tags[position:run.first], f"B-{run.label}", *[f"I-{run.label}"] * (len(name) - 1)]
            position = run.last
        yield k, (new_norms + norms[position:], new_tags + tags[position:])
