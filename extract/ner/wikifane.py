"""WikiFANE Gold (Alotaibi and Lee 2014): Arabic Wikipedia annotated with 50 fine classes
under a two-level taxonomy, read as PER/LOC/ORG/MISC sentences in the text's own words.

The file (optionally gzipped) is UTF-8 with a BOM, CRLF lines ``token<TAB>B-Class``, an
LRM mark before each token, and a line holding only a tab between sentences. Its clitics
are split off (``و مصر``, ``كتاب ها``); they are glued back (``ومصر``, ``كتابها``) so the
words are those the pipeline tokenizer sees, the word keeping its host's tag.
"""

from __future__ import annotations

import gzip
from pathlib import Path

# Fine class -> our label; None: not a name ANERcorp or AQMAR tag.
FINE_CLASSES: dict[str, str | None] = {
    # PER. "Group" (العرب, المسلمين, اليهود) is left untagged, as ANERcorp and AQMAR mostly do.
    **dict.fromkeys(("Politician", "Religious_PER", "Artist", "Other_PER", "Scientist", "Police", "Athlete",
                     "Businessperson", "Engineer", "Lawyer"), "PER"),
    "Group": None,
    # ORG
    **dict.fromkeys(("Commercial", "Non-Governmental", "Government", "Educational", "Media", "Sports",
                     "Religious_ORG", "Medical-Science", "Entertainment"), "ORG"),
    # GPE, LOC and FAC -> LOC. "Celestial" (الشمس, الارض, عطارد) is left untagged.
    **dict.fromkeys(("Population-Center", "Nation", "State-or-Province", "Continent", "GPE-Cluster",
                     "County-or-District", "Water-Body", "Land-Region-Natural", "Building-Grounds", "Path",
                     "Airport", "Subarea-Facility", "Plant"), "LOC"),
    "Celestial": None,
    # PRO and VEH (named products, aircraft, ships) -> MISC
    **dict.fromkeys(("Book", "Software", "Hardware", "Movie", "Sound", "Food", "Drug", "Air", "Water", "Land"),
                    "MISC"),
    # WEA: mostly common nouns (الهاون, مدافع, البازوكا), left untagged
    **dict.fromkeys(("Projectile", "Nuclear", "Shooting", "Blunt", "Exploding", "Chemical", "Sharp"), None),
}
PROCLITICS = frozenset({"و", "ف", "ب", "ل", "ك"})
ENCLITICS = frozenset({"ه", "ها", "هم", "هما", "هن", "نا"})
_MARKS = "\u200e\ufeff"

Tagged = list[tuple[str, str]]


def coarse_tag(tag: str) -> str:
    """A WikiFANE tag as ours.

    >>> [coarse_tag(t) for t in ("B-Politician", "I-Population-Center", "B-Group", "O")]
    ['B-PER', 'I-LOC', 'O', 'O']
    """
    prefix, _, fine = tag.partition("-")
    if prefix not in ("B", "I"):
        return "O"
    if fine not in FINE_CLASSES:
        raise ValueError(f"unknown WikiFANE class {fine!r}")
    label = FINE_CLASSES[fine]
    return f"{prefix}-{label}" if label else "O"


def glue_clitics(sentence: Tagged) -> Tagged:
    """Clitic tokens joined to their host word (a proclitic to the next word, an enclitic
    to the word before), with the host's tag, or the proclitic's when it begins a name.

    >>> glue_clitics([("و", "O"), ("مصر", "B-LOC"), ("و", "O"), ("ل", "O"), ("ها", "O"), ("،", "O")])
    [('ومصر', 'B-LOC'), ('ولها', 'O'), ('،', 'O')]
    >>> glue_clitics([("عاصمة", "O"), ("ها", "O"), ("و", "B-MISC"), ("ي", "I-MISC")])
    [('عاصمتها', 'O'), ('وي', 'B-MISC')]
    """
    out: Tagged = []
    pending, pending_tag = "", "O"  # proclitics waiting for their word, and the first one's tag
    for i, (token, tag) in enumerate(sentence):
        if token in PROCLITICS and i + 1 < len(sentence) and sentence[i + 1][0][:1].isalpha():
            pending, pending_tag = pending + token, pending_tag if pending else tag
        elif token in ENCLITICS and out and not pending and out[-1][0][-1:].isalpha():
            out[-1] = (_before_suffix(out[-1][0]) + token, out[-1][1])
        else:
            out.append((pending + token, tag if pending_tag == "O" else pending_tag))
            pending, pending_tag = "", "O"
    return out


def _before_suffix(word: str) -> str:
    """A word as it is spelled before a suffix: a final ة becomes ت (``عاصمة`` + ``ها``)."""
    return word[:-1] + "ت" if word.endswith("ة") else word


def read_wikifane(path: str | Path) -> list[Tagged]:
    """Sentences of WikiFANE Gold (plain or ``.gz``) with our tags, clitics glued back."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    sentences: list[Tagged] = []
    current: Tagged = []
    for number, line in enumerate(lines, 1):
        token, _, tag = line.strip(_MARKS + "\r\n").partition("\t")
        token = token.strip(_MARKS + " ")
        if not token:
            if current:
                sentences.append(glue_clitics(current))
            current = []
            continue
        if not tag.strip():
            raise ValueError(f"{path}:{number}: expected 'token<TAB>tag', got {line!r}")
        current.append((token, coarse_tag(tag.strip())))
    if current:
        sentences.append(glue_clitics(current))
    return sentences
