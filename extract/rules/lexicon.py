"""The gazetteer lexicons — actors, places, crossings — as :class:`Entry` rows, the context
words and rules around them, and their validation (``extract lexicon check``).

All files are TSV under ``extract/lexicons/`` with ``#`` header lines naming sources:

* ``actors.tsv`` — id, name_ar, name_en, type, country, parent, aliases, context_aliases, source
* ``places.tsv`` (built from GeoNames by ``build_places.py``) and ``places_curated.tsv`` —
  id, name_ar, name_en, type, parent, country, lat, lon, approximate, aliases, context_aliases, source
* ``crossings.tsv`` — id, name_ar, name_en, type, countries, sides, parent, lat, lon,
  approximate, aliases, context_aliases, source
* ``place_qualifiers.tsv`` — context words (محافظة, ريف, قاعدة, معبر, شرق, الشرقي …) and their role
* ``disambiguation.tsv`` — which entry an alias shared by several entries resolves to
* ``generic_terms.txt`` — words that never make a name on their own (الأراضي, المناطق …)

``aliases`` (``|``-separated) match anywhere; ``context_aliases`` of places and crossings only
after a context word (a place qualifier or cue, a crossing trigger), those of actors once the
actor was named by a full alias earlier in the document (``المرصد`` after ``المرصد السوري``).

A user's lexicon folder (``extract run --lexicons DIR``, ``GazetteerMatcher(lexicon_dir=DIR)``)
is layered over the shipped files: a file there replaces the shipped one of the same name, and
``actors_*.tsv``, ``places_*.tsv``, ``crossings_*.tsv`` add entries (same columns).
"""

from __future__ import annotations

import csv
import warnings
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import regex

from ..errors import ExtractError, ExtractWarning
from ..fingerprint import fingerprint
from ..normalize import fold
from ..tokenize import token_spans

KINDS = ("actor", "place", "crossing")
FILES = {
    "actor": ("actors.tsv", "actors_world.tsv"),
    "place": ("places.tsv", "places_curated.tsv", "places_countries.tsv", "places_world.tsv"),
    "crossing": ("crossings.tsv", "crossings_regional.tsv"),
}
TYPES = {
    "actor": frozenset({
        "state", "government", "military", "security", "armed_group", "militia", "coalition",
        "political", "igo", "ngo", "monitor", "media", "person", "company", "sports_body",
    }),
    "place": frozenset({
        "country", "province", "governorate", "district", "subdistrict", "city", "town", "village",
        "neighbourhood", "camp", "region", "desert", "plain", "mountain", "river", "countryside",
        "base", "airbase", "airport", "port", "oil_field", "gas_field", "field", "dam", "bridge", "prison", "canal", "sea",
    }),
    "crossing": frozenset({"official", "informal", "internal"}),
}
DATA_FILES = (*(name for kind in KINDS for name in FILES[kind]), "place_qualifiers.tsv", "disambiguation.tsv",
              "generic_terms.txt")
ROLES = frozenset({"type", "area", "facility", "crossing", "cue", "direction"})
QUOTES = frozenset("\"'")
SYRIA_BOX = (32.2, 37.4, 35.5, 42.5)  # lat min/max, lon min/max, with a small margin
_ID = regex.compile(r"[a-z][a-z0-9_]*")
_ISO2 = regex.compile(r"[A-Z]{2}")


class LexiconError(ExtractError, ValueError):
    """A lexicon file cannot be read; the message names the file, line and fix."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One actor, place or crossing with its canonical id and surface forms."""

    kind: str
    id: str
    name_ar: str
    name_en: str
    type: str
    parent: str | None = None
    country: str | None = None
    countries: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    approximate: bool = False
    aliases: tuple[str, ...] = ()
    context_aliases: tuple[str, ...] = ()
    source: str = ""
    where: str = ""


@dataclass(frozen=True, slots=True)
class Qualifier:
    """A context word: ``role`` says what it does to the name after it (before, for directions).

    ``type`` picks an entry of ``types`` (محافظة → governorate); ``area`` makes a sub-area of
    a place of ``base_types`` (ريف الحسكة → ``al_hasakah_countryside``); ``facility`` picks an
    entry of ``types`` or makes a facility (قاعدة الشدادي → ``al_shaddadi_base``); ``crossing``
    marks a crossing name (معبر); ``cue`` only licenses context aliases (شرق, أطراف);
    ``direction`` follows an area (الشمالي الشرقي → ``_northeast``). ``plural`` words
    (محافظتي, قواعد) distribute over coordinated names and stay out of the span.
    """

    word: str
    plural: bool
    role: str
    types: tuple[str, ...] = ()
    base_types: tuple[str, ...] = ()
    derive_type: str | None = None
    id_suffix: str = ""


@dataclass(frozen=True, slots=True)
class Rule:
    """``alias`` resolves to ``id`` when one of ``cues`` is in the sentence (no cues: default)."""

    alias: tuple[str, ...]
    id: str
    cues: frozenset[str]


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding of the check: ``error`` fails it, ``warning`` does not."""

    severity: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class Lexicons:
    """Everything the gazetteer reads, plus the problems met while reading it."""

    entries: tuple[Entry, ...]
    qualifiers: tuple[Qualifier, ...]
    rules: tuple[Rule, ...]
    generic_terms: frozenset[str]
    problems: tuple[Problem, ...]
    fingerprint: str


def alias_key(alias: str) -> tuple[str, ...]:
    """The normalized tokens an alias is matched by (quotes dropped).

    >>> alias_key('تنظيم "داعش"')
    ('تنظيم', 'داعش')
    """
    text = fold(alias)
    return tuple(text[a:b] for a, b in token_spans(text) if text[a:b] not in QUOTES)


def split_cell(cell: str) -> tuple[str, ...]:
    """The ``|``-separated values of a cell, stripped, empty ones left out."""
    return tuple(v.strip() for v in cell.split("|") if v.strip())


def default_directory():
    """The lexicon folder shipped in the package."""
    return resources.files("extract.lexicons")


def lexicon_files(directory: str | None = None) -> dict[str, Any]:
    """The gazetteer's data files by name: the shipped ones, each replaced by the file of the same
    name in ``directory`` if it has one, then the extra entry files there (``actors_*.tsv``,
    ``places_*.tsv``, ``crossings_*.tsv``: more rows of that kind). Other lexicon files in
    ``directory`` that differ from the shipped ones are not read, with a warning naming them."""
    shipped = default_directory()
    files: dict[str, Any] = {name: shipped.joinpath(name) for name in DATA_FILES}
    if not directory:
        return files
    folder = Path(directory)
    if not folder.is_dir():
        raise LexiconError(f"{folder} is not a folder: give a folder of lexicon files (e.g. actors.tsv)")
    unread = []
    for path in sorted(folder.iterdir()):
        if path.name in files or _EXTRA.fullmatch(path.name):
            files[path.name] = path
        elif path.suffix in (".tsv", ".txt") and not _as_shipped(path):
            unread.append(path.name)
    if unread:
        warnings.warn(f"{folder}: {', '.join(unread)} not read: a lexicon folder replaces only the gazetteer "
                      f"files ({', '.join(DATA_FILES)}) and adds actors_*.tsv, places_*.tsv, crossings_*.tsv",
                      ExtractWarning, stacklevel=2)
    return files


_EXTRA = regex.compile(r"(?P<kind>actor|place|crossing)s_[\w.-]+\.tsv")


def _as_shipped(path: Path) -> bool:
    shipped = default_directory().joinpath(path.name)
    return shipped.is_file() and shipped.read_bytes() == path.read_bytes()


def _entry_files(files: dict[str, Any], kind: str) -> list[str]:
    """The files holding entries of ``kind``: the shipped names, then the extra ones."""
    extra = [name for name in files if name not in DATA_FILES and _EXTRA.fullmatch(name)["kind"] == kind]
    return [*FILES[kind], *extra]


def read_rows(files: dict[str, Any], name: str) -> list[tuple[str, dict[str, str]]]:
    """``(file:line, row)`` for each data row of the TSV file ``name``; ``#`` lines are comments."""
    path = files[name]
    if not path.is_file():
        raise LexiconError(f"{name}: file missing ({path}); restore it or build it "
                           "(places.tsv: extract lexicon build-places --geonames PATH)")
    numbered = [(i, line) for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if line.strip() and not line.startswith("#")]
    if not numbered:
        return []
    reader = csv.DictReader((line for _, line in numbered), delimiter="\t", quoting=csv.QUOTE_NONE,
                            restval="")
    return [(f"{name}:{number}", {k: (v or "").strip() for k, v in row.items() if k})
            for (number, _), row in zip(numbered[1:], reader)]


def _number(cell: str, what: str, where: str, problems: list[Problem]) -> float | None:
    if not cell:
        return None
    try:
        return float(cell)
    except ValueError:
        problems.append(Problem("error", where, f"{what} {cell!r} is not a number"))
        return None


def _entry(kind: str, where: str, row: dict[str, str], problems: list[Problem]) -> Entry:
    countries = split_cell(row.get("countries", ""))
    return Entry(
        kind=kind, id=row.get("id", ""), name_ar=row.get("name_ar", ""), name_en=row.get("name_en", ""),
        type=row.get("type", ""), parent=row.get("parent") or None,
        country=row.get("country") or (countries[0] if len(countries) == 1 else None),
        countries=countries,
        lat=_number(row.get("lat", ""), "lat", where, problems),
        lon=_number(row.get("lon", ""), "lon", where, problems),
        approximate=row.get("approximate", "").lower() in ("yes", "true", "1"),
        aliases=split_cell(row.get("aliases", "")),
        context_aliases=split_cell(row.get("context_aliases", "")),
        source=row.get("source", ""), where=where,
    )


def _qualifier(row: dict[str, str]) -> Qualifier:
    return Qualifier(word=row["word"], plural=row.get("number", "one") != "one", role=row["role"],
                     types=split_cell(row.get("types", "")), base_types=split_cell(row.get("base_types", "")),
                     derive_type=row.get("derive_type") or None, id_suffix=row.get("id_suffix", ""))


@cache
def load_lexicons(directory: str | None = None) -> Lexicons:
    """Read all gazetteer files, from ``directory`` layered over the shipped ones
    (:func:`lexicon_files`), once per process."""
    files = lexicon_files(directory)
    problems: list[Problem] = []
    entries = [_entry(kind, where, row, problems)
               for kind in KINDS for name in _entry_files(files, kind) for where, row in read_rows(files, name)]
    qualifiers = [_qualifier(row) for _, row in read_rows(files, "place_qualifiers.tsv")]
    rules = [Rule(alias_key(row["alias"]), row["id"], frozenset(fold(c) for c in split_cell(row.get("cues", ""))))
             for _, row in read_rows(files, "disambiguation.tsv")]
    generic = frozenset(fold(line.strip()) for line in
                        files["generic_terms.txt"].read_text(encoding="utf-8").splitlines()
                        if line.strip() and not line.startswith("#"))
    return Lexicons(tuple(entries), tuple(qualifiers), tuple(rules), generic, tuple(problems),
                    fingerprint(files.values(), length=12))


def check(lex: Lexicons) -> list[Problem]:
    """Every problem in the lexicons: parse errors, then ids, types, parents, coordinates,
    aliases, shared aliases without a rule, qualifiers and rules."""
    problems = list(lex.problems)
    ids = _check_ids(lex.entries, problems)
    for entry in lex.entries:
        _check_entry(entry, ids, lex.generic_terms, problems)
    _check_shared_aliases(lex, ids, problems)
    for q in lex.qualifiers:
        if q.role not in ROLES:
            problems.append(Problem("error", "place_qualifiers.tsv", f"{q.word}: role {q.role!r} not in {sorted(ROLES)}"))
        unknown = [t for t in q.types + q.base_types + ((q.derive_type,) if q.derive_type else ())
                   if t not in TYPES["place"]]
        if unknown:
            problems.append(Problem("error", "place_qualifiers.tsv", f"{q.word}: unknown place types {unknown}"))
    return problems


def _check_ids(entries: tuple[Entry, ...], problems: list[Problem]) -> dict[str, Entry]:
    ids: dict[str, Entry] = {}
    for entry in entries:
        if not _ID.fullmatch(entry.id):
            problems.append(Problem("error", entry.where, f"id {entry.id!r} is not lower_snake_case"))
        elif entry.id in ids:
            problems.append(Problem("error", entry.where, f"id {entry.id!r} already used at {ids[entry.id].where}"))
        else:
            ids[entry.id] = entry
    return ids


def _check_entry(entry: Entry, ids: dict[str, Entry], generic: frozenset[str], problems: list[Problem]) -> None:
    def error(message: str) -> None:
        problems.append(Problem("error", entry.where, f"{entry.id}: {message}"))

    if entry.type not in TYPES[entry.kind]:
        error(f"type {entry.type!r} not in {sorted(TYPES[entry.kind])}")
    parent_kind = "actor" if entry.kind == "actor" else "place"
    if entry.parent and (entry.parent not in ids or ids[entry.parent].kind != parent_kind):
        error(f"parent {entry.parent!r} is not a known {parent_kind} id")
    if entry.parent == entry.id:
        error("is its own parent")
    for code in entry.countries or ((entry.country,) if entry.country else ()):
        if not _ISO2.fullmatch(code):
            error(f"country {code!r} is not an ISO 3166-1 alpha-2 code")
    if not entry.source:
        error("no source")
    if not entry.aliases and not entry.context_aliases:
        error("no aliases: nothing can match it")
    _check_coordinates(entry, error)
    for alias in entry.aliases + entry.context_aliases:
        key = alias_key(alias)
        if not key:
            error(f"alias {alias!r} is empty after normalization")
        elif len(key) == 1 and key[0] in generic and alias in entry.aliases:
            error(f"alias {alias!r} is a generic word (generic_terms.txt); make it a context alias")


def _check_coordinates(entry: Entry, error) -> None:
    if (entry.lat is None) != (entry.lon is None):
        error("has only one of lat/lon")
        return
    if entry.lat is None:
        if entry.kind != "actor":
            error("has no coordinates")
        return
    if not (-90 <= entry.lat <= 90 and -180 <= entry.lon <= 180):
        error(f"coordinates ({entry.lat}, {entry.lon}) out of range")
    elif "SY" in (entry.countries or (entry.country,)) and entry.type != "country" and entry.kind != "actor":
        lat_min, lat_max, lon_min, lon_max = SYRIA_BOX
        if not (lat_min <= entry.lat <= lat_max and lon_min <= entry.lon <= lon_max):
            error(f"coordinates ({entry.lat}, {entry.lon}) lie outside Syria")


def alias_owners(entries: tuple[Entry, ...]) -> dict[tuple[str, bool, str, tuple[str, ...]], set[str]]:
    """Ids per (kind, contextual, type, alias key). A free alias is keyed across kinds and
    types (kind and type ``*``): only context words tell entries sharing it apart."""
    owners: dict[tuple[str, bool, str, tuple[str, ...]], set[str]] = defaultdict(set)
    for entry in entries:
        for alias in entry.aliases:
            owners["*", False, "*", alias_key(alias)].add(entry.id)
        for alias in entry.context_aliases:
            owners[entry.kind, True, entry.type, alias_key(alias)].add(entry.id)
    return owners


def _check_shared_aliases(lex: Lexicons, ids: dict[str, Entry], problems: list[Problem]) -> None:
    ruled: dict[tuple[str, ...], list[Rule]] = defaultdict(list)
    for rule in lex.rules:
        ruled[rule.alias].append(rule)
        if rule.id not in ids:
            problems.append(Problem("error", "disambiguation.tsv", f"{' '.join(rule.alias)}: unknown id {rule.id!r}"))
    for alias, rules in ruled.items():
        if sum(1 for r in rules if not r.cues) != 1:
            problems.append(Problem("error", "disambiguation.tsv", f"{' '.join(alias)}: needs exactly one default row (no cues)"))
    for (_, _, _, key), owners in alias_owners(lex.entries).items():
        if len(owners) < 2:
            continue
        covered = {r.id for r in ruled.get(key, ())}
        if not owners <= covered:
            where = ", ".join(sorted(f"{i} ({ids[i].where})" for i in owners if i in ids))
            problems.append(Problem("error", "disambiguation.tsv",
                                    f"alias {' '.join(key)!r} maps to {len(owners)} ids without a rule: {where}"))
