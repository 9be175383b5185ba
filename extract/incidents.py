"""Incidents: the convoy events of many articles grouped into one row per real-world movement.

An archive reports one convoy many times (a monitor the same evening, an agency and a
Kurdish or Turkish outlet the next morning). Two events may join when

- their dates are compatible: the day intervals the events stage resolved against each
  article's publication date overlap or lie at most ``date_tolerance_days`` apart;
- they name the same crossing (one canonical id for aliases and both sides' names), or,
  when one of them names none, their routes share a place (crossing, origin, destinations
  and the places above them up to the governorate);
- their sizes are compatible: the intervals overlap once widened by ``size_tolerance``;
- actors (an actor, its parents and its state are one family) and direction do not contradict;
- they are not two convoys of one article, and not a convoy marked as another one
  (``قافلة ثانية``, ``رتل آخر``: ``lexicons/incident_words.tsv``) and the unmarked convoy
  of an article that marks one.

Events are blocked by the region (governorate) of their main place and swept in date order;
candidate pairs merge in order of similarity (ties by their keys) when every pair across the
two groups is compatible (complete link). The result does not depend on the input order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import pickle
import tempfile
import zlib
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from statistics import median_low
from typing import Any
from urllib.parse import urlparse

import regex

from .doc import Document, parse_published
from .lexicons import read_tsv
from .normalize import fold

_STATE_TYPES = frozenset({"country", "government", "military", "security"})
_REGION_TYPES = frozenset({"governorate", "province"})
_WORD = regex.compile(r"\p{L}+")
_WORDS_AFTER = 2  # marker words looked for right after the convoy mention (رتل عسكري آخر)
_fold_word = lru_cache(maxsize=1 << 16)(fold)  # convoy phrases repeat the same few words


@dataclass(frozen=True)
class IncidentRules:
    """Tolerances of the grouping (defaults chosen on hand-made examples, see docs/incidents.md).

    ``date_tolerance_days``: days allowed between two reports' date intervals (1: next-day reports).
    ``max_date_span_days``: an event dated more vaguely (a year, a long period) joins nothing.
    ``size_tolerance``/``size_slack``: each size interval [lo, hi] is widened to
    [lo / (1 + t) - slack, hi · (1 + t) + slack] before testing overlap (``نحو 50``,
    ``أكثر من 40`` and ``50 آلية`` join; 15 and 200 do not).
    ``same_article``: whether two convoys of one article may be one incident.
    """

    date_tolerance_days: int = 1
    max_date_span_days: int = 31
    size_tolerance: float = 0.1
    size_slack: int = 2
    same_article: bool = False


@dataclass(slots=True)
class Report:
    """One convoy event of one article, reduced to what the grouping compares and reports."""

    key: tuple[str, int]
    url: str | None
    outlet: str | None
    published: str | None
    text: str
    start: int
    end: int
    evidence_text: str
    evidence_start: int
    evidence_end: int
    date: str | None
    date_end: str | None
    day_lo: int | None
    day_hi: int | None
    crossing: str | None
    origin: str | None
    destinations: tuple[str, ...]
    places: frozenset[str]
    region: str | None
    actor: str | None
    actor_family: str | None
    direction: str | None
    size_min: int | None
    size_max: int | None
    another: bool
    order: str | None = None  # "first"/"another" when its article marks a convoy as another

    @property
    def doc_id(self) -> str:
        return self.key[0]

    def size_point(self) -> int | None:
        """One number for the size: the stated count, a range's middle, an open bound."""
        if self.size_min is None and self.size_max is None:
            return None
        if self.size_min is None or self.size_max is None:
            return self.size_min if self.size_max is None else self.size_max
        return (self.size_min + self.size_max) // 2

    def member(self) -> dict[str, Any]:
        """The report as listed in its incident."""
        return {
            "doc_id": self.doc_id, "event": self.key[1], "url": self.url, "outlet": self.outlet,
            "published": self.published, "text": self.text, "start": self.start, "end": self.end,
            "evidence_text": self.evidence_text, "evidence_start": self.evidence_start,
            "evidence_end": self.evidence_end, "date": self.date, "date_end": self.date_end,
            "crossing": self.crossing, "origin": self.origin, "destinations": list(self.destinations),
            "actor": self.actor, "direction": self.direction,
            "size_min": self.size_min, "size_max": self.size_max,
        }


# --- language data and place hierarchy -------------------------------------------------

@cache
def _incident_words(role: str) -> dict[str, str]:
    """Rows of ``incident_words.tsv`` with this role: folded phrase → value."""
    return {fold(row["phrase"]) if role != "family" else row["phrase"]: row["value"]
            for row in read_tsv("incident_words.tsv") if row["role"] == role}


@cache
def _hierarchy() -> dict[str, tuple[str, str]]:
    """id → (parent, type) for every place, crossing and actor of the lexicons."""
    out: dict[str, tuple[str, str]] = {}
    for name in ("places.tsv", "places_curated.tsv", "actors.tsv", "actors_world.tsv"):
        for row in read_tsv(name):
            out[row["id"]] = (row.get("parent", ""), row.get("type", ""))
    for name in ("crossings.tsv", "crossings_regional.tsv"):
        for row in read_tsv(name):
            out[row["id"]] = (row["parent"], "crossing")
    return out


@cache
def _countries() -> dict[str, str]:
    """id → ISO country code of the actors and places that have one."""
    return {row["id"]: row["country"] for name in ("actors.tsv", "actors_world.tsv", "places_curated.tsv", "places.tsv")
            for row in read_tsv(name) if row.get("country")}


def _ancestors(place: str, local_parents: dict[str, str]) -> list[str]:
    """The place and the places above it, up to its governorate (never a country)."""
    chain, seen = [], set()
    while place and place not in seen:
        seen.add(place)
        parent, kind = _hierarchy().get(place, (local_parents.get(place, ""), ""))
        if kind == "country":
            break
        chain.append(place)
        if kind in _REGION_TYPES:
            break
        place = parent or local_parents.get(place, "")
    return chain


def _actor_family(actor: str | None) -> str | None:
    """A state actor (a country, its government or forces) → its country; else its top parent."""
    if actor is None:
        return None
    hierarchy = _hierarchy()
    seen = set()
    while actor not in seen:
        seen.add(actor)
        if actor in _incident_words("family"):
            return _incident_words("family")[actor]
        parent, kind = hierarchy.get(actor, ("", ""))
        if kind in _STATE_TYPES and actor in _countries():
            return _countries()[actor]
        if not parent:
            break
        actor = parent
    return actor


# --- events → reports ------------------------------------------------------------------

def _day_interval(date: str | None, date_end: str | None) -> tuple[int | None, int | None]:
    """Ordinal days covered by an ISO date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) up to ``date_end``."""
    if not date:
        return None, None
    lo, hi = _period(date)
    if date_end:
        hi = max(hi, _period(date_end)[1])
    return lo, hi


def _period(value: str) -> tuple[int, int]:
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts).toordinal()
        return day, day
    year, month = parts[0], parts[1] if len(parts) == 2 else None
    first = dt.date(year, month or 1, 1)
    last = dt.date(year + (month or 12) // 12, (month or 12) % 12 + 1, 1) - dt.timedelta(days=1)
    return first.toordinal(), last.toordinal()


@cache
def _crossing_names() -> dict[str, str]:
    """Folded crossing name without head words (نصيب, جديدة يابوس) → crossing id."""
    names: dict[str, str] = {}
    for name in ("crossings.tsv", "crossings_regional.tsv"):
        for row in read_tsv(name):
            for alias in (row["name_ar"], *row["aliases"].split("|"), *row["context_aliases"].split("|")):
                if alias and (bare := _bare_crossing_name(alias)):
                    names.setdefault(bare, row["id"])
    return names


def _bare_crossing_name(text: str) -> str:
    """A crossing's name without head and border words, folded: مركز حدود جابر → جابر."""
    heads = _incident_words("crossing_head")
    words = [w.strip('"') for w in fold(text).split()]
    words = [w for w in words if w not in heads and w.removeprefix("ال") not in heads]
    return "" if all(w in _incident_words("crossing_generic") for w in words) else " ".join(words)


def _crossing_id(slot: dict | None) -> str | None:
    """A crossing slot's id; a name the gazetteer left without one is looked up without its
    head words, else kept as that bare name; a generic one (المعبر الحدودي) is None."""
    if not slot or slot.get("canonical"):
        return _slot_id(slot)
    bare = _bare_crossing_name(slot["text"])
    return _crossing_names().get(bare, bare) or None


def _slot_id(slot: dict | None) -> str | None:
    """A slot's canonical id, or its folded text when the id is unknown."""
    if not slot:
        return None
    return slot.get("canonical") or fold(slot["text"])


def _outlet(url: str | None) -> str | None:
    """The outlet of an article: its URL host without ``www.``."""
    host = urlparse(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _words_after(convoy: dict, event: dict, text: str | None) -> list[str]:
    """Folded words right after the convoy mention (رتل عسكري آخر → آخر)."""
    source = text if text is not None else event["evidence_text"]
    offset = 0 if text is not None else event["evidence_start"]
    return [_fold_word(w) for w in _WORD.findall(source[convoy["end"] - offset:])[:_WORDS_AFTER]]


def reports_of_record(record: dict | Document) -> list[Report]:
    """The convoy events of one article record (or Document) as reports."""
    if isinstance(record, Document):
        record = record.to_dict()
    local_parents = {item["canonical"]: item["parent"] for layer in ("places", "crossings")
                     for item in record.get(layer) or [] if item.get("canonical") and item.get("parent")}
    published = parse_published(record.get("published"))
    crossings = {c["canonical"] for c in record.get("crossings") or [] if c.get("canonical")}
    article_crossing = crossings if len(crossings) == 1 else set()  # the route of events that name no place
    reports = [_report(record, index, event, local_parents, published, article_crossing)
               for index, event in enumerate(record.get("events") or [])]
    if any(r.another for r in reports):
        for r in reports:
            r.order = "another" if r.another else "first"
    return reports


def _report(record: dict, index: int, event: dict, local_parents: dict[str, str],
            published: dt.date | None, article_crossings: set[str]) -> Report:
    convoy = record["convoys"][event["convoy"]]
    crossing, origin = _crossing_id(event.get("crossing")), _slot_id(event.get("origin"))
    destinations = tuple(_slot_id(d) for d in event.get("destinations") or [])
    route = [p for p in (crossing, *destinations, origin) if p] or list(article_crossings)
    chains = [chain for p in route if (chain := _ancestors(p, local_parents))]  # a country is no route place
    places = frozenset(a for chain in chains for a in chain)
    region = chains[0][-1] if chains else None
    actor = _slot_id(event.get("actor"))
    mention = [_fold_word(w) for w in _WORD.findall(convoy["text"])]
    after = _words_after(convoy, event, record.get("text"))
    nationalities = _incident_words("nationality")
    nationality = next((nationalities[w] for w in mention + after[:1] if w in nationalities), None)
    by_convoys = event.get("counts") == "convoys"
    day_lo, day_hi = _day_interval(event.get("date"), event.get("date_end"))
    return Report(
        key=(str(record.get("doc_id")), index), url=record.get("url"), outlet=_outlet(record.get("url")),
        published=published.isoformat() if published else None,
        text=convoy["text"], start=convoy["start"], end=convoy["end"],
        evidence_text=event["evidence_text"], evidence_start=event["evidence_start"],
        evidence_end=event["evidence_end"], date=event.get("date"), date_end=event.get("date_end"),
        day_lo=day_lo, day_hi=day_hi, crossing=crossing, origin=origin, destinations=destinations,
        places=places, region=region, actor=actor, actor_family=_actor_family(actor) or nationality,
        direction=event.get("direction"),
        size_min=None if by_convoys else event.get("size_min"),
        size_max=None if by_convoys else event.get("size_max"),
        another=any(w in _incident_words("another") for w in mention + after),
    )


# --- comparing two reports -------------------------------------------------------------

def compatible(a: Report, b: Report, rules: IncidentRules = IncidentRules()) -> bool:
    """Whether two reports may describe the same movement."""
    if a.doc_id == b.doc_id and not rules.same_article:
        return False
    if {a.order, b.order} == {"first", "another"}:
        return False
    return (_dates_compatible(a, b, rules) and _places_compatible(a, b) and _sizes_compatible(a, b, rules)
            and _agree(a.actor_family, b.actor_family) and _agree(a.direction, b.direction))


def _agree(x: str | None, y: str | None) -> bool:
    return x is None or y is None or x == y


def _dates_compatible(a: Report, b: Report, rules: IncidentRules) -> bool:
    if a.day_lo is None or b.day_lo is None:
        return False
    if max(a.day_hi - a.day_lo, b.day_hi - b.day_lo) >= rules.max_date_span_days:
        return False
    return max(a.day_lo, b.day_lo) - min(a.day_hi, b.day_hi) <= rules.date_tolerance_days


def _places_compatible(a: Report, b: Report) -> bool:
    if a.crossing and b.crossing:
        return a.crossing == b.crossing
    return bool(a.places & b.places)


def _widened(r: Report, rules: IncidentRules) -> tuple[float, float]:
    lo = r.size_min if r.size_min is not None else 1
    hi = r.size_max if r.size_max is not None else float("inf")
    stretch = 1 + rules.size_tolerance
    return lo / stretch - rules.size_slack, hi * stretch + rules.size_slack


def _sizes_compatible(a: Report, b: Report, rules: IncidentRules) -> bool:
    if a.size_point() is None or b.size_point() is None:
        return True
    (alo, ahi), (blo, bhi) = _widened(a, rules), _widened(b, rules)
    return alo <= bhi and blo <= ahi


def similarity(a: Report, b: Report) -> float:
    """How much two compatible reports agree: shared crossing and places, same day, size, actor."""
    score = 3.0 if a.crossing and a.crossing == b.crossing else 0.0
    score += min(2, len(set((a.origin, *a.destinations)) & set((b.origin, *b.destinations)) - {None}))
    score += 0.5 * bool(a.places & b.places)
    score += 1.0 if (a.day_lo, a.day_hi) == (b.day_lo, b.day_hi) else 0.0
    if a.size_point() is not None and a.size_point() == b.size_point():
        score += 1.0
    score += 1.0 if a.actor_family and a.actor_family == b.actor_family else 0.0
    score += 0.5 if a.direction and a.direction == b.direction else 0.0
    return score


# --- grouping --------------------------------------------------------------------------

def group_block(reports: Iterable[Report], rules: IncidentRules = IncidentRules()) -> list[dict]:
    """Incidents of the reports of one block (any order in, the same incidents out)."""
    reports = sorted(reports, key=lambda r: r.key)
    pairs = _candidate_pairs(reports, rules)
    parent = list(range(len(reports)))
    members = {i: [i] for i in range(len(reports))}
    allowed = {(i, j) for _, i, j in pairs}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _, i, j in sorted(pairs, key=lambda p: (-p[0], reports[p[1]].key, reports[p[2]].key)):
        ri, rj = root(i), root(j)
        if ri == rj or not all((min(x, y), max(x, y)) in allowed for x in members[ri] for y in members[rj]):
            continue
        parent[rj] = ri
        members[ri] += members.pop(rj)
    return [_incident([reports[i] for i in group], rules) for group in members.values()]


def _candidate_pairs(reports: list[Report], rules: IncidentRules) -> list[tuple[float, int, int]]:
    """Compatible pairs (similarity, i, j) with i < j, found by a sweep over dates that compares a
    report naming a crossing only with later reports of that crossing and of none."""
    order = sorted((i for i, r in enumerate(reports) if r.day_lo is not None and r.places),
                   key=lambda i: (reports[i].day_lo, i))
    rank = {i: n for n, i in enumerate(order)}
    lanes: dict[str | None, list[int]] = defaultdict(list)  # crossing (None: none named) → reports by date
    for i in order:
        lanes[reports[i].crossing].append(i)
    pairs = []
    for i in order:
        a = reports[i]
        for crossing, lane in lanes.items():
            if a.crossing is not None and crossing not in (a.crossing, None):
                continue
            for k in range(bisect_right(lane, rank[i], key=rank.__getitem__), len(lane)):
                b = reports[lane[k]]
                if b.day_lo > a.day_hi + rules.date_tolerance_days:
                    break
                if compatible(a, b, rules):
                    pairs.append((similarity(a, b), min(i, lane[k]), max(i, lane[k])))
    return pairs


def _most_common(values: Iterable[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    return min(counts, key=lambda v: (-counts[v], v)) if counts else None


def _iso(day: int) -> str:
    return dt.date.fromordinal(day).isoformat()


def _incident(members: list[Report], rules: IncidentRules) -> dict:
    """The incident record of a group of reports."""
    members = sorted(members, key=lambda r: (r.published or "", r.key))
    dated = [r for r in members if r.day_lo is not None]
    date = date_end = None
    if dated:
        lo, hi = max(r.day_lo for r in dated), min(r.day_hi for r in dated)
        if lo > hi:
            lo, hi = min(r.day_lo for r in dated), max(r.day_hi for r in dated)
        date, date_end = _iso(lo), (_iso(hi) if hi != lo else None)
    points = [p for p in (r.size_point() for r in members) if p is not None]
    destinations = Counter(d for r in members for d in dict.fromkeys(r.destinations))
    outlets = sorted({r.outlet for r in members if r.outlet})
    ident = hashlib.sha1("|".join(f"{d}#{i}" for d, i in sorted(r.key for r in members)).encode()).hexdigest()
    return {
        "id": f"inc-{ident[:12]}",
        "date": date, "date_end": date_end,
        "crossing": _most_common(r.crossing for r in members),
        "origin": _most_common(r.origin for r in members),
        "destinations": sorted(destinations, key=lambda d: (-destinations[d], d)),
        "actors": sorted({r.actor for r in members if r.actor}),
        "direction": _most_common(r.direction for r in members),
        "size_min": min((r.size_min for r in members if r.size_min is not None), default=None),
        "size_max": max((r.size_max for r in members if r.size_max is not None), default=None),
        "size": median_low(points) if points else None,
        "n_reports": len(members),
        "n_outlets": len(outlets),
        "outlets": outlets,
        "reports": [r.member() for r in members],
        "conflicts": _conflicts(members),
    }


def _conflicts(members: list[Report]) -> list[dict]:
    """Fields on which the reports of one incident differ, with the values each gives."""
    values: dict[str, list[Any]] = {
        "size": [r.size_point() for r in members],
        "date": [r.date if not r.date_end else f"{r.date}/{r.date_end}" for r in members],
        "crossing": [r.crossing for r in members],
        "origin": [r.origin for r in members],
        "actor": [r.actor for r in members],
    }
    return [{"field": name, "values": sorted(set(v for v in found if v is not None))}
            for name, found in values.items() if len(set(v for v in found if v is not None)) > 1]


def incident_order(incident: dict) -> tuple:
    """Sort key of incidents: date, crossing, id."""
    return incident["date"] or "", incident["crossing"] or "", incident["id"]


def iter_incidents(records: Iterable[dict | Document], rules: IncidentRules = IncidentRules(),
                   partitions: int = 64, spill_dir: str | Path | None = None) -> Iterator[dict]:
    """Incidents of an archive of any size: reports are spilled to ``partitions`` files by region,
    then each partition is grouped in memory (memory bounded by the largest partition).
    Partitions come in a fixed order, each partition's incidents sorted by :func:`incident_order`."""
    with tempfile.TemporaryDirectory(dir=spill_dir, prefix="incidents-") as tmp:
        paths = [Path(tmp) / f"part-{n:04d}.pkl" for n in range(partitions)]
        files = [open(p, "wb") for p in paths]
        try:
            for record in records:
                for report in reports_of_record(record):
                    n = zlib.crc32((report.region or "").encode()) % partitions
                    pickle.dump(report, files[n], protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            for f in files:
                f.close()
        for path in paths:
            yield from sorted(_group_partition(_load(path), rules), key=incident_order)


def _load(path: Path) -> Iterator[Report]:
    with open(path, "rb") as stream:
        while True:
            try:
                yield pickle.load(stream)
            except EOFError:
                return


def _group_partition(reports: Iterable[Report], rules: IncidentRules) -> list[dict]:
    blocks: dict[str, list[Report]] = defaultdict(list)
    for report in reports:
        blocks[report.region or ""].append(report)
    return [incident for region in sorted(blocks) for incident in group_block(blocks[region], rules)]


def incidents(records: Iterable[dict | Document], rules: IncidentRules = IncidentRules()) -> list[dict]:
    """Incidents of article records or Documents, sorted by date, crossing and id."""
    return sorted(_group_partition((r for rec in records for r in reports_of_record(rec)), rules),
                  key=incident_order)


def incidents_bag(records, rules: IncidentRules = IncidentRules()):
    """The same grouping on a Dask bag of article records: a bag of incidents."""
    return (records.map(reports_of_record).flatten()
            .groupby(lambda r: r.region or "")
            .map(lambda item: group_block(item[1], rules)).flatten())


# --- tables ----------------------------------------------------------------------------

_LISTS = ("destinations", "actors", "outlets")


def incident_row(incident: dict) -> dict[str, Any]:
    """One flat row: lists ``|``-joined, the document ids, reports and conflicts as JSON."""
    row = {k: ("|".join(v) or None) if k in _LISTS else v
           for k, v in incident.items() if k not in ("reports", "conflicts")}
    row["doc_ids"] = "|".join(dict.fromkeys(r["doc_id"] for r in incident["reports"]))
    row["conflicts"] = json.dumps(incident["conflicts"], ensure_ascii=False)
    row["reports"] = json.dumps(incident["reports"], ensure_ascii=False)
    return row


INCIDENT_FORMATS = (".jsonl", ".csv", ".parquet")


def write_incidents(found: Iterable[dict], path: str | Path) -> int:
    """Write incidents as JSONL (one incident a line), CSV or Parquet (one row each); returns the count."""
    path = Path(path)
    if path.suffix not in INCIDENT_FORMATS:
        raise ValueError(f"{path}: write incidents to a file ending in {', '.join(INCIDENT_FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    if path.suffix == ".jsonl":
        with open(path, "w", encoding="utf-8") as out:
            for count, incident in enumerate(found, 1):  # noqa: B007 (count is returned after the loop)
                out.write(json.dumps(incident, ensure_ascii=False) + "\n")
        return count
    import pandas as pd

    frame = pd.DataFrame.from_records([incident_row(i) for i in found])
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False, engine="pyarrow")
    return len(frame)

