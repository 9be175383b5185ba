"""Build ``org_heads.tsv``, the nouns that open organisation names (وزارة، مجلس، هيئة…),
``person_names.txt``, the words that open person names, ``common_words.txt``, the words
used almost only outside names, and ``sector_words.txt``, the ل + article nouns that go on an
organisation name after its first word (مصر للطيران), from the entity spans of annotated corpora:
``python -m extract.lexicons.build_org_heads``.

A word is a head when, in WikiFANE Gold 2014 and the ANERcorp training split (``../shared/data/ner``),
it opens at least ``MIN_STARTS`` organisation spans (of the classes in ``ORG_TYPES``) going on
with at least ``MIN_FOLLOWERS`` different words, and is also used outside any entity (``MIN_PLAIN``
of its occurrences at least: a common noun, not a name such as ``سوني``). Words are folded,
with the article (and the ل of ``لل``) peeled. The rows of ``org_heads_curated.tsv`` (heads
these corpora are too small to show) are added with their own source, its ``not_head`` rows
(names, places, clubs the counts let through) taken out.

A word opens person names when it opens a PER span of the same corpora in at least
``MIN_PERSON_SHARE`` of its uses, or is a one-word entry of ANERgazet's person list
(``../shared/data/gazetteers/anergazet/pers.txt``) without the article.
"""

from __future__ import annotations

import argparse
import gzip
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import regex

from ..normalize import fold
from . import read_tsv
from .build_places import HERE

# WikiFANE fine classes (and ANERcorp's ORG) → the actor type a head's names take; sports
# clubs, schools, churches, hospitals and bands are not actors of conflict reporting.
# (WikiFANE's "Police" spans are mostly person names, left out too.)
ORG_TYPES = {"Government": "government", "Non-Governmental": "ngo", "Media": "media", "Commercial": "company",
             "ORG": ""}
MIN_STARTS, MIN_FOLLOWERS, MIN_PLAIN = 4, 3, 0.15
# WikiFANE facility classes → the place type of the names their heads open (مسجد، طريق، جسر).
FACILITY_TYPES = {"Path": "road", "Building-Grounds": "building", "Airport": "airport", "Plant": "plant",
                  "Subarea-Facility": "building"}
PERSON_CLASSES = frozenset({"PER", "Politician", "Artist", "Athlete", "Scientist", "Other_PER", "Religious_PER",
                            "Businessperson", "Engineer", "Lawyer"})
MIN_PERSON_SHARE = 0.3
# a common word: used this many times at least, and outside any entity this share of them
MIN_COMMON_USES, COMMON_PLAIN_SHARE = 3, 0.9
MIN_SECTOR_USES = 3
SECTOR_HEADER = """\
# Sector words: ل + the article + a noun inside organisation names of the annotated corpora at
# least 3 times (مصر للطيران، شركة أبوظبي للإعلام، المنظمة العالمية للملكية الفكرية),
# read by extract/rules/gazetteer.py: a country or city right before one opens a company's or
# body's name and is no place there. Built by extract/lexicons/build_org_heads.py — do not edit
# by hand. Folded (extract.normalize.fold).
# Sources: WikiFANE Gold 2014 (CC BY-SA 3.0) and ANERcorp train (research use), ../shared/data/ner.
"""
COMMON_HEADER = """\
# Words the annotated corpora use at least 3 times and at least 9 times in 10 outside any
# entity (الصور، الحاضر، الكريمة), read by extract/rules/gazetteer.py: a one-word place NER
# finds that no lexicon knows is none when it is one of them. Built by
# extract/lexicons/build_org_heads.py — do not edit by hand. Folded (extract.normalize.fold).
# Sources: WikiFANE Gold 2014 (CC BY-SA 3.0) and ANERcorp train (research use), ../shared/data/ner.
"""
_CLITICS = "وفبكل"
NAMES_HEADER = """\
# Words that open person names (first names, kunyas: محمد، خلوصي، أبو), read by
# extract/rules/persons.py: a name after a title must open with one. Built by
# extract/lexicons/build_org_heads.py — do not edit by hand. Folded (extract.normalize.fold).
# Sources: first words of PER spans in WikiFANE Gold 2014 (CC BY-SA 3.0) and ANERcorp train
# (research use), ../shared/data/ner; one-word names of ANERgazet (pers.txt, research use).
"""
FACILITY_HEADER = """\
# Nouns that open facility names (مستشفى، طريق، مسجد: the head and the name after it are one
# place), names of events and bodies (مهرجان، كأس، جامعة: the place or person in the name is
# not mentioned as such), and adjectives of facility names, read by extract/rules/facilities.py. Built by
# extract/lexicons/build_org_heads.py — do not edit by hand: add rows to
# facility_heads_curated.tsv and rebuild. Columns: head (folded, without clitics and article),
# kind (facility, name, adjective), place_type, starts (facility spans it opens in the
# source), plain (its uses outside any entity), source.
# Sources: WikiFANE Gold 2014 (CC BY-SA 3.0), ../shared/data/ner/wikifane, classes Path,
# Building-Grounds, Airport, Plant, Subarea-Facility; curated rows: facility_heads_curated.tsv.
"""
_WORD = regex.compile(r"^\p{Arabic}{3,}$")
HEADER = """\
# Nouns that open organisation names (وزارة الزراعة اللبنانية، مجلس الأمن الدولي), read by
# extract/rules/organisations.py. Built by extract/lexicons/build_org_heads.py — do not edit by
# hand: add heads to org_heads_curated.tsv and rebuild.
# Columns: head (folded, without clitics and article), type (the actor type its names take;
# empty: unknown), starts (organisation spans it opens in the sources), plain (its uses outside
# any entity), source.
# Sources: WikiFANE Gold 2014 (CC BY-SA 3.0) and ANERcorp train (research use), in
# ../shared/data/ner; curated rows: org_heads_curated.tsv.
"""


def head_key(word: str) -> str:
    """A word folded, with the article (also fused after ل) peeled: ``للوزارة`` → ``وزاره``."""
    form = fold(word)
    form = "ال" + form[2:] if form.startswith("لل") else form
    return form[2:] if form.startswith("ال") and len(form) > 4 else form


def _wikifane(path: Path) -> Iterator[list[tuple[str, str]]]:
    sentence: list[tuple[str, str]] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            line = line.strip("\ufeff\u200e\r\n")
            token, _, tag = line.rpartition("\t")
            if token.strip("\u200e"):
                sentence.append((token.strip("\u200e"), tag))
            elif sentence:
                yield sentence
                sentence = []


def _conll(path: Path) -> Iterator[list[tuple[str, str]]]:
    sentence: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            token, tag = line.split("\t")[:2]
            sentence.append((token, tag))
        elif sentence:
            yield sentence
            sentence = []


def count(sentences: Iterator[list[tuple[str, str]]], starts: dict, followers: dict, plain: Counter,
          total: Counter, classes: dict[str, str] = ORG_TYPES) -> None:
    """Add a corpus's counts: spans of ``classes`` (organisations by default) each head opens
    (by type), the words after it inside them, and its uses outside any entity."""
    for sentence in sentences:
        for i, (token, tag) in enumerate(sentence):
            key = head_key(token)
            total[key] += 1
            plain[key] += tag == "O"
            label = tag[2:]
            if tag.startswith("B-") and label in classes:
                starts[key][classes[label]] += 1
                if i + 1 < len(sentence) and sentence[i + 1][1] == "I-" + label:
                    followers[key].add(head_key(sentence[i + 1][0]))


def tagged_words(ner_dir: Path) -> Iterator[tuple[str, str]]:
    """(folded word, tag) of every token of WikiFANE Gold and the ANERcorp training split."""
    for sentences in (_wikifane(ner_dir / "wikifane" / "WikiFANE_Gold_2014_500K.txt.gz"),
                      _conll(ner_dir / "anercorp.train.conll")):
        for sentence in sentences:
            for token, tag in sentence:
                yield fold(token), tag


def build_person_names(ner_dir: Path, gazetteer: Path, out: Path = HERE / "person_names.txt") -> int:
    """Write the first-name list; returns its number of words."""
    opens: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for word, tag in tagged_words(ner_dir):
        total[word] += 1
        opens[word] += tag.startswith("B-") and tag[2:] in PERSON_CLASSES
    names = {w for w, n in opens.items() if n and n >= MIN_PERSON_SHARE * total[w] and _WORD.match(w)}
    names |= {fold(line.strip()) for line in gazetteer.read_text(encoding="utf-8").splitlines()
              if _WORD.match(line.strip()) and not line.strip().startswith("ال")}
    # ANERcorp's spans keep a clitic on (ومحمد، لعلي): a form whose rest is a name used more
    # often is that name with a clitic (بسام and وليد stay)
    names = {w for w in names if not (w[0] in _CLITICS and w[1:] in names and total[w[1:]] > total[w])}
    out.write_text(NAMES_HEADER + "\n".join(sorted(names)) + "\n", encoding="utf-8")
    return len(names)


def heads(corpora: list[Iterator[list[tuple[str, str]]]], classes: dict[str, str], source: str) -> dict[str, tuple]:
    """Head → (type, starts, plain uses, source) for the words that open at least ``MIN_STARTS``
    spans of ``classes`` going on with ``MIN_FOLLOWERS`` different words, and are common nouns too."""
    starts: dict[str, Counter] = defaultdict(Counter)
    followers: dict[str, set[str]] = defaultdict(set)
    plain: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for sentences in corpora:
        count(sentences, starts, followers, plain, total, classes)
    rows = {}
    for key, types in starts.items():
        n = sum(types.values())
        if _WORD.match(key) and n >= MIN_STARTS and len(followers[key]) >= MIN_FOLLOWERS \
                and plain[key] >= MIN_PLAIN * total[key]:
            typed = [t for t, _ in types.most_common() if t]
            rows[key] = (typed[0] if typed else "", str(n), str(plain[key]), source)
    return rows


def build(ner_dir: Path, out: Path = HERE / "org_heads.tsv") -> int:
    """Write the head lexicon; returns its number of rows."""
    rows = heads([_wikifane(ner_dir / "wikifane" / "WikiFANE_Gold_2014_500K.txt.gz"),
                  _conll(ner_dir / "anercorp.train.conll")], ORG_TYPES, "WikiFANE+ANERcorp ORG spans")
    for row in read_tsv("org_heads_curated.tsv"):
        if row["type"] == "not_head":
            rows.pop(head_key(row["head"]), None)
        else:
            rows.setdefault(head_key(row["head"]), (row["type"], "", "", row["source"]))
    lines = [HEADER.rstrip("\n"), "head\ttype\tstarts\tplain\tsource"]
    lines += ["\t".join((key, *cells)) for key, cells in sorted(rows.items())]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(rows)


def build_facility_heads(ner_dir: Path, out: Path = HERE / "facility_heads.tsv") -> int:
    """Write the facility and name heads (``facility_heads_curated.tsv`` over the heads of
    WikiFANE's facility spans); returns its number of rows."""
    corpus = heads([_wikifane(ner_dir / "wikifane" / "WikiFANE_Gold_2014_500K.txt.gz")], FACILITY_TYPES,
                   "WikiFANE facility spans")
    rows = {key: ("facility", *cells) for key, cells in corpus.items()}
    for row in read_tsv("facility_heads_curated.tsv"):
        key = fold(row["head"]) if row["kind"] == "adjective" else head_key(row["head"])
        if row["kind"] == "not_head":
            rows.pop(key, None)
        else:
            starts, plain = rows.get(key, ("", "", "", ""))[2:4]
            rows[key] = (row["kind"], row["place_type"], starts, plain, row["source"])
    lines = [FACILITY_HEADER.rstrip("\n"), "head\tkind\tplace_type\tstarts\tplain\tsource"]
    lines += ["\t".join((key, *cells)) for key, cells in sorted(rows.items())]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(rows)


def build_sector_words(ner_dir: Path, out: Path = HERE / "sector_words.txt") -> int:
    """Write the sector words (ل + the article + a noun inside organisation names: مصر للطيران،
    شركة أبوظبي للإعلام); returns their number."""
    uses: Counter[str] = Counter()
    for sentence in (*_wikifane(ner_dir / "wikifane" / "WikiFANE_Gold_2014_500K.txt.gz"),
                     *_conll(ner_dir / "anercorp.train.conll")):
        for token, tag in sentence:
            word = fold(token)
            if tag.startswith("I-") and tag[2:] in ORG_TYPES and word.startswith("لل") and _WORD.match(word) \
                    and len(word) > 4:
                uses[word] += 1
    words = sorted(w for w, n in uses.items() if n >= MIN_SECTOR_USES)
    out.write_text(SECTOR_HEADER + "\n".join(words) + "\n", encoding="utf-8")
    return len(words)


def build_common_words(ner_dir: Path, out: Path = HERE / "common_words.txt") -> int:
    """Write the common-word list; returns its number of words."""
    plain: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for word, tag in tagged_words(ner_dir):
        total[word] += 1
        plain[word] += tag == "O"
    words = sorted(w for w, n in plain.items()
                   if n >= MIN_COMMON_USES and n >= COMMON_PLAIN_SHARE * total[w] and _WORD.match(w))
    out.write_text(COMMON_HEADER + "\n".join(words) + "\n", encoding="utf-8")
    return len(words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    shared = HERE.parents[1] / ".." / "shared" / "data"
    parser.add_argument("--ner", type=Path, default=shared / "ner",
                        help="the shared NER data folder (wikifane/, anercorp.train.conll)")
    parser.add_argument("--persons", type=Path, default=shared / "gazetteers" / "anergazet" / "pers.txt",
                        help="ANERgazet's person list")
    args = parser.parse_args()
    print(build(args.ner), "heads,", build_facility_heads(args.ner), "facility heads,",
          build_person_names(args.ner, args.persons), "person names,", build_common_words(args.ner), "common words,",
          build_sector_words(args.ner), "sector words")


if __name__ == "__main__":
    main()
