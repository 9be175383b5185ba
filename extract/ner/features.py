"""CRF features of normalized tokens: form, clitic-peeled stem, affixes, shape, word
cluster, trigger class, person-name word, gazetteer membership, and the same of
neighbouring words.

Per-word features are computed once per distinct word (cached); a sentence only glues
them together with its neighbours' and adds the multi-word gazetteer matches.

>>> f = Featurizer(clusters={}, gazetteer=Gazetteer({}), triggers={"قوات": "ORG"})
>>> [x for x in f.sentence(["قوات", "سوريا"])[1] if x.startswith(("w[-", "tr"))]
['w[-2]=<S>', 'w[-1]=قوات', 'tr[-1]=ORG', 'w[-1]|w=قوات|سوريا']
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ..lexicons import lexicon_path, read_tsv
from ..normalize import fold
from ..tokenize import lookup_forms, token_spans

TRIGGERS_FILE = "ner_triggers.tsv"
# Lexicon file -> gazetteer class; files absent from the package are skipped.
GAZETTEER_FILES = {
    "actors.tsv": "ACTOR",
    "places.tsv": "PLACE",
    "places_curated.tsv": "PLACE",
    "crossings.tsv": "CROSSING",
}
_TYPE_COLUMNS = ("actor_type", "place_type", "crossing_type", "type")
_NAME_COLUMNS = ("name", "name_ar", "aliases")
_ARTICLE = "ال"
_NEAR = (-1, 1)
OFFSETS = (-2, -1, 1, 2)
# Word-pair features: ``w[-1]|w=A|B`` on B, ``w|w[+1]=A|B`` on A.
BIGRAM_WITH_PREVIOUS = "w[-1]|w="
BIGRAM_WITH_NEXT = "w|w[+1]="
_BIGRAM_PREFIXES = (BIGRAM_WITH_PREVIOUS, BIGRAM_WITH_NEXT)
DOMAIN_MARK = "@"  # ``@news:w=…``: the copy of an attribute learned on one domain's corpora
# What a word lends its neighbours: its form, stem, shape, cluster, trigger class, name
# flag and affixes to the next and previous word, fewer to those two away (``w[-2]=…``).
_CONTEXT_PREFIXES = {
    off: tuple((k, f"{k}[{off:+d}]=") for k in (("w", "st", "sh", "c", "cc", "tr", "nm", "s3", "p3") if off in _NEAR
                                                 else ("w", "c", "tr")))
    for off in OFFSETS
}
# The features a missing neighbour lends (before the first or after the last token).
BOUNDARY = {off: (f"w[{off:+d}]=<S>" if off < 0 else f"w[{off:+d}]=</S>",) for off in OFFSETS}


class WordFeatures(NamedTuple):
    """A word's own features and the ones it lends to its neighbours, by offset."""

    own: tuple[str, ...]
    as_context: dict[int, tuple[str, ...]]


class Gazetteer:
    """Longest-match lookup of multi-word lexicon names over normalized tokens; a
    name's first token may carry clitics (``وقوات`` matches ``قوات …``)."""

    def __init__(self, entries: Mapping[tuple[str, ...], frozenset[str]]):
        # first word -> (the other words, begin features, inside features), longest first
        self._by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]] = {}
        for tokens, classes in entries.items():
            ordered = sorted(classes)
            self._by_first.setdefault(tokens[0], []).append(
                (tokens[1:], tuple(f"gaz={c}-B" for c in ordered), tuple(f"gaz={c}-I" for c in ordered)))
        for candidates in self._by_first.values():
            candidates.sort(key=lambda c: -len(c[0]))
        self._candidates = lru_cache(maxsize=200_000)(self._word_candidates)

    @classmethod
    def from_lexicons(cls, files: Mapping[str, str] = GAZETTEER_FILES) -> Gazetteer:
        """Names and aliases of the lexicon files that exist, each with its class
        (and ``CLASS:type`` when the file has a type column)."""
        entries: dict[tuple[str, ...], set[str]] = {}
        for name, gaz_class in files.items():
            for row in _rows(name):
                classes = {gaz_class}
                kind = next((row[c] for c in _TYPE_COLUMNS if row.get(c)), None)
                if kind:
                    classes.add(f"{gaz_class}:{kind}")
                for alias in _aliases(row):
                    norm = fold(alias)
                    tokens = tuple(norm[a:b] for a, b in token_spans(norm))
                    if tokens:
                        entries.setdefault(tokens, set()).update(classes)
        return cls({tokens: frozenset(classes) for tokens, classes in entries.items()})

    @classmethod
    def read(cls, path: str | Path) -> Gazetteer:
        """The gazetteer a model was trained with, as :meth:`write` stored it."""
        entries = {}
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                name, classes = line.split("\t")
                entries[tuple(name.split(" "))] = frozenset(classes.split("|"))
        return cls(entries)

    def write(self, path: str | Path) -> None:
        """Store the names and their classes (a model's features must not move when the
        lexicons grow after it was trained)."""
        rows = sorted((" ".join((first, *rest)), "|".join(c.removeprefix("gaz=").removesuffix("-B") for c in begin))
                      for first, candidates in self._by_first.items() for rest, begin, _ in candidates)
        header = "# The gazetteer a model was trained with: normalized name, its classes (written by extract ner train)\n"
        Path(path).write_text(header + "".join(f"{name}\t{classes}\n" for name, classes in rows), encoding="utf-8")

    def __len__(self) -> int:
        return sum(len(c) for c in self._by_first.values())

    def matches(self, norms: Sequence[str]) -> list[tuple[str, ...]]:
        """Per token, its gazetteer features (``gaz=PLACE-B``, ``gaz=PLACE-I``…): longest
        match first, left to right."""
        out: list[tuple[str, ...]] = [()] * len(norms)
        candidates = self._candidates
        free = 0  # the first token not inside an earlier match
        for i in [i for i, w in enumerate(norms) if candidates(w)]:
            if i < free:
                continue
            for rest, begin, inside in candidates(norms[i]):
                end = i + 1 + len(rest)
                if tuple(norms[i + 1:end]) == rest:
                    out[i] = begin
                    out[i + 1:end] = [inside] * len(rest)
                    free = end
                    break
        return out

    def _word_candidates(self, word: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...]:
        """The names that may start at ``word`` (under any of its lookup forms): their other
        words and features, in lookup-form order, longest first within a form."""
        return tuple(c for _, form in lookup_forms(word) for c in self._by_first.get(form, ()))


def _rows(name: str) -> tuple[dict[str, str], ...]:
    if not lexicon_path(name).is_file():
        return ()
    return read_tsv(name)


def _aliases(row: Mapping[str, str]) -> Iterable[str]:
    for column in _NAME_COLUMNS:
        yield from (a.strip() for a in row.get(column, "").split("|") if a.strip())


def available_lexicons(files: Iterable[str] = GAZETTEER_FILES) -> list[str]:
    """The gazetteer lexicon files present in the package."""
    return [name for name in files if lexicon_path(name).is_file()]


def read_triggers() -> dict[str, str]:
    """Trigger word (normalized) -> class of the name it tends to precede (``محافظه`` -> LOC)."""
    return {fold(row["word"]): row["class"] for row in read_tsv(TRIGGERS_FILE)}


def bigram_pairs(attributes: Iterable[str]) -> dict[tuple[str, str], list[tuple[int, str]]]:
    """The word pairs ``(A, B)`` of the bigram features among ``attributes``, each with its
    features as ``(token offset from B, attribute)``: 0 for ``w[-1]|w=A|B``, -1 for
    ``w|w[+1]=A|B``. (A token may be ``|``, so every split of the pair text is listed.)

    >>> bigram_pairs(["w[-1]|w=قوات|سوريا", "sh=ar"])
    {('قوات', 'سوريا'): [(0, 'w[-1]|w=قوات|سوريا')]}
    """
    pairs: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for attribute in attributes:
        if not attribute.startswith(_BIGRAM_PREFIXES):
            continue
        prefix, offset = (BIGRAM_WITH_PREVIOUS, 0) if attribute.startswith(BIGRAM_WITH_PREVIOUS) else (BIGRAM_WITH_NEXT, -1)
        text = attribute[len(prefix):]
        cut = text.find("|")
        while cut >= 0:
            pairs.setdefault((text[:cut], text[cut + 1:]), []).append((offset, attribute))
            cut = text.find("|", cut + 1)
    return pairs


def lent_to_neighbours(gazetteer_features: Sequence[str]) -> tuple[list[str], list[str]]:
    """What a token's gazetteer features give the token before it and the one after it.

    >>> lent_to_neighbours(["gaz=PLACE-B"])
    (['gaz=PLACE-B[+1]'], ['gaz=PLACE-B[-1]'])
    """
    return [f"{g}[+1]" for g in gazetteer_features], [f"{g}[-1]" for g in gazetteer_features]


def in_domain(features: Sequence[str], domain: str) -> list[str]:
    """A token's features, each also as a copy of ``domain`` (Daumé's feature augmentation,
    "Frustratingly easy domain adaptation", 2007): the shared copy learns what holds in every
    training corpus, the domain copy what holds in that one. (Attributes never start with ``@``.)

    >>> in_domain(["w=دمشق"], "news")
    ['w=دمشق', '@news:w=دمشق']
    """
    return [*features, *(f"{DOMAIN_MARK}{domain}:{f}" for f in features)]


def shape(word: str) -> str:
    """Coarse character class of a token: ``ar``, ``latin``, ``digit``, ``punct`` or ``mixed``.

    >>> [shape(w) for w in ("سوريا", "isis", "2019", ",", "f16")]
    ['ar', 'latin', 'digit', 'punct', 'mixed']
    """
    if word.isdigit() or word.replace(",", "").replace(".", "").isdigit():
        return "digit"
    if not any(ch.isalnum() for ch in word):
        return "punct"
    if all("\u0600" <= ch <= "\u06ff" for ch in word):
        return "ar"
    if word.isascii() and word.isalpha():
        return "latin"
    return "mixed"


def bare(stem: str) -> str:
    """A stem without its article; short words keep it.

    >>> bare("الحسكه"), bare("الي"), bare("دمشق")
    ('حسكه', 'الي', 'دمشق')
    """
    return stem[len(_ARTICLE):] if stem.startswith(_ARTICLE) and len(stem) > 3 else stem


def _length_bucket(word: str) -> str:
    n = len(word)
    return str(n) if n <= 3 else "4-5" if n <= 5 else "6+"


def _trigrams(word: str) -> list[str]:
    """Character trigrams of a word with boundary marks (``^دم``, ``دمش``, ``مشق``, ``شق$``)."""
    padded = f"^{word}$"
    return [padded[i:i + 3] for i in range(len(padded) - 2)] if len(word) > 3 else []


class Featurizer:
    """Turns a sentence of normalized tokens into CRF feature lists."""

    def __init__(self, clusters: Mapping[str, tuple[str, str]], gazetteer: Gazetteer,
                 triggers: Mapping[str, str], known: Container[str] | None = None,
                 cached_words: int = 200_000, names: frozenset[str] = frozenset()):
        """``known``: the attributes a trained model has weights for; others are dropped
        early (they cannot change a tag), which keeps tagging fast. ``cached_words``: how
        many words' features are kept (0 when the caller caches what it derives from them).
        ``names``: person-name words (``nm=1`` on a word any of whose lookup forms is one)."""
        self.clusters = clusters
        self.gazetteer = gazetteer
        self.triggers = triggers
        self.names = names
        self.known = known
        self.word = lru_cache(maxsize=cached_words)(self._word_features)

    def sentence(self, norms: Sequence[str]) -> list[list[str]]:
        """Feature lists, one per token of the sentence."""
        words = [self.word(w) for w in norms]
        n = len(norms)
        out = []
        for i, (word, dynamic) in enumerate(zip(words, self.dynamic(norms))):
            features = list(word.own)
            for off in OFFSETS:
                j = i + off
                features.extend(words[j].as_context[off] if 0 <= j < n else BOUNDARY[off])
            features.extend(dynamic)
            out.append(features)
        return out

    def dynamic(self, norms: Sequence[str]) -> list[list[str]]:
        """Per token, the features that depend on a pair of words (bigrams, multi-word
        gazetteer matches) rather than on one word and its position."""
        out = self.gazetteer_features(norms)
        for i in range(1, len(norms)):
            out[i].append(f"{BIGRAM_WITH_PREVIOUS}{norms[i - 1]}|{norms[i]}")
            out[i - 1].append(f"{BIGRAM_WITH_NEXT}{norms[i - 1]}|{norms[i]}")
        return out if self.known is None else [[f for f in fs if f in self.known] for fs in out]

    def gazetteer_features(self, norms: Sequence[str]) -> list[list[str]]:
        """Per token, its gazetteer matches and those of its neighbours (``gaz=PLACE-B[-1]``)."""
        n = len(norms)
        out: list[list[str]] = [[] for _ in range(n)]
        gaz = self.gazetteer.matches(norms)
        for i in (i for i, found in enumerate(gaz) if found):
            to_previous, to_next = lent_to_neighbours(gaz[i])
            out[i].extend(gaz[i])
            if i > 0:
                out[i - 1].extend(to_previous)
            if i + 1 < n:
                out[i + 1].extend(to_next)
        return out

    def _word_features(self, w: str) -> WordFeatures:
        forms = lookup_forms(w)
        stem = forms[-1][1]
        core = bare(stem)
        cluster = next((self.clusters[f] for _, f in forms if f in self.clusters), None)
        trigger = next((self.triggers[f] for _, f in forms if f in self.triggers), None)
        kind = shape(w)
        context = {"w": w, "st": stem, "sh": kind, "s3": w[-3:], "p3": core[:3]}
        context.update({"c": cluster[1], "cc": cluster[0]} if cluster else {"c": "-"})
        if trigger:
            context["tr"] = trigger
        if any(f in self.names for _, f in forms):
            context["nm"] = "1"
        own = [f"{k}={v}" for k, v in context.items()]
        own += [f"core={core}", f"len={_length_bucket(w)}", f"al={core != stem}",
                *(f"p{k}={core[:k]}" for k in (1, 2, 4) if len(core) > k),
                *(f"s{k}={w[-k:]}" for k in (1, 2, 4) if len(w) > k),
                *dict.fromkeys(f"g3={g}" for g in _trigrams(core))]
        as_context = {off: tuple(prefix + context[k] for k, prefix in prefixes if k in context)
                      for off, prefixes in _CONTEXT_PREFIXES.items()}
        if self.known is not None:
            known = self.known
            own = [f for f in own if f in known]
            as_context = {off: tuple(f for f in fs if f in known) for off, fs in as_context.items()}
        return WordFeatures(tuple(own), as_context)
