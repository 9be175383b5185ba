"""Language data files (TSV/TXT/JSON) read by the matchers; see README.md in this folder."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources

import regex


def lexicon_path(name: str):
    """Path-like handle of a data file shipped in this package."""
    return resources.files(__name__).joinpath(name)


@cache
def read_lines(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of a text lexicon."""
    lines = lexicon_path(name).read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))


@cache
def read_tsv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a TSV lexicon as dicts keyed by its header; ``#`` lines are comments."""
    lines = [line for line in lexicon_path(name).read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    header = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        cells = line.split("\t")
        cells += [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, (c.strip() for c in cells))))
    return tuple(rows)


def verb_forms(entry: str) -> tuple[str, ...]:
    """The third-person forms of a verb written ``perfect/imperfect`` (its masculine singular
    forms), or the entry itself when it is a single word: past he/she/they/both, present
    he/she/they/both.

    >>> verb_forms("غادر/يغادر")
    ('غادر', 'غادرت', 'غادروا', 'غادرا', 'غادرتا', 'يغادر', 'تغادر', 'يغادرون', 'يغادران', 'تغادران')
    """
    if "/" not in entry:
        return (entry,)
    perfect, imperfect = entry.split("/")
    stem = imperfect[1:]
    return (perfect, perfect + "ت", perfect + "وا", perfect + "ا", perfect + "تا",
            imperfect, "ت" + stem, imperfect + "ون", imperfect + "ان", "ت" + stem + "ان")


def alternation(phrases: Iterable[str]) -> str:
    r"""Regex source matching any of ``phrases`` literally, longest first so that the longest
    phrase wins at a position (ties in alphabetical order, for a stable pattern).

    >>> alternation(["من", "من بينها"])
    'من\\ بينها|من'
    """
    return "|".join(regex.escape(p) for p in sorted(set(phrases), key=lambda p: (-len(p), p)))
