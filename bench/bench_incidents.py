"""Benchmark the incident grouping: quality on the annotated sets, speed on a synthetic archive.

``quality``: reads an `extract run` output folder of a set's articles and the set's gold
(``{"article", "convoy_text", "incident"}`` per convoy mention), matches each event to the gold
mention of its article that its convoy text overlaps most (one event per mention), and scores
the grouping of the matched events: pairwise precision/recall and B-cubed F1.
``speed``: groups a synthetic archive of N events (movements reported 1–4 times with the
variations of real reports), streamed, and reports time and peak memory (RSS of the process).

usage (from the project root):
  .venv/bin/extract run bench/quality/incidents/setA/articles.jsonl --out /tmp/setA
  .venv/bin/python bench/bench_incidents.py quality bench/quality/incidents/setA /tmp/setA [--json]
  nice -n 10 .venv/bin/python bench/bench_incidents.py speed --events 1000000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import resource
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract.export import read_records  # noqa: E402
from extract.incidents import iter_incidents  # noqa: E402


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def gold_mentions(set_dir: Path) -> list[dict]:
    """Gold convoy mentions with their offsets (repeated texts take successive occurrences)."""
    texts = {a["id"]: a["text"] for a in read_jsonl(set_dir / "articles.jsonl")}
    seen: Counter = Counter()
    out = []
    for row in read_jsonl(set_dir / "gold.jsonl"):
        text, start = texts[row["article"]], -1
        for _ in range(seen[(row["article"], row["convoy_text"])] + 1):
            start = text.find(row["convoy_text"], start + 1)
        seen[(row["article"], row["convoy_text"])] += 1
        if start < 0:
            raise ValueError(f"{row['article']}: gold convoy text {row['convoy_text']!r} not in the article")
        out.append({**row, "start": start, "end": start + len(row["convoy_text"])})
    return out


def match(gold: list[dict], found: list[dict]) -> dict[int, str]:
    """Gold mention index → predicted incident id, pairing each event with the gold mention of
    its article that it overlaps most (greedy by overlap, one to one)."""
    candidates = []
    for incident in found:
        for report in incident["reports"]:
            for g, mention in enumerate(gold):
                overlap = min(report["end"], mention["end"]) - max(report["start"], mention["start"])
                if mention["article"] == report["doc_id"] and overlap > 0:
                    candidates.append((-overlap, g, report["doc_id"], report["start"], incident["id"]))
    matched: dict[int, str] = {}
    used: set[tuple[str, int]] = set()
    for _, g, doc_id, start, incident_id in sorted(candidates):
        if g not in matched and (doc_id, start) not in used:
            matched[g] = incident_id
            used.add((doc_id, start))
    return matched


def cluster_scores(truth: dict, predicted: dict) -> dict:
    """Pairwise precision/recall/F1 and B-cubed precision/recall/F1 of ``predicted`` labels
    against ``truth`` labels over the same items (counted from cluster sizes, not pair by pair)."""
    cells = Counter((predicted[i], truth[i]) for i in truth)
    pred_sizes = Counter(predicted[i] for i in truth)
    gold_sizes = Counter(truth.values())
    def pairs(sizes):
        return sum(n * (n - 1) // 2 for n in sizes.values())

    both, pred_pairs, gold_pairs = pairs(cells), pairs(pred_sizes), pairs(gold_sizes)
    n = max(len(truth), 1)
    bp = sum(k * k / pred_sizes[p] for (p, g), k in cells.items()) / n
    br = sum(k * k / gold_sizes[g] for (p, g), k in cells.items()) / n
    p, r = both / pred_pairs if pred_pairs else 1.0, both / gold_pairs if gold_pairs else 1.0
    return {"items": len(truth), "pairwise_precision": round(p, 3), "pairwise_recall": round(r, 3),
            "pairwise_f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "bcubed_precision": round(bp, 3), "bcubed_recall": round(br, 3),
            "bcubed_f1": round(2 * bp * br / (bp + br), 3) if bp + br else 0.0}


def quality(set_dir: Path, out_dir: Path) -> dict:
    """Scores of the grouping of one set's events, with the gold mentions no event found."""
    gold = gold_mentions(set_dir)
    found = list(iter_incidents(read_records(out_dir)))
    matched = match(gold, found)
    scores = cluster_scores({g: gold[g]["incident"] for g in matched}, matched)
    events = sum(i["n_reports"] for i in found)
    scores.update({"gold_mentions": len(gold), "gold_incidents": len({g["incident"] for g in gold}),
                   "gold_without_event": len(gold) - len(matched), "events": events,
                   "events_not_in_gold": events - len(matched), "incidents": len(found)})
    return scores


# --- synthetic archive ------------------------------------------------------------------

CROSSINGS = [("bab_al_hawa", "idlib_governorate"), ("kafr_lusin_crossing", "idlib_governorate"),
             ("bab_al_salama", "azaz"), ("jarabulus_crossing", "jarabulus"), ("al_rai_crossing", "al_rai"),
             ("tal_abyad_crossing", "tal_abyad"), ("ras_al_ain_crossing", "ras_al_ain"),
             ("al_walid_iraq", "al_hasakah_governorate"), ("semalka", "al_hasakah_governorate"),
             ("al_yarubiyah", "al_hasakah_governorate"), ("al_bukamal_al_qaim", "abu_kamal"),
             ("nasib_jaber", "daraa_governorate"), ("jdeidet_yabous_masnaa", "rif_dimashq_governorate")]
DESTINATIONS = ["idlib", "al_bab", "azaz", "jarabulus", "al_hasakah", "deir_ez_zor", "qamishli", "raqqa", "tal_tamr",
                "daraa", "damascus", "aleppo", "manbij", "ayn_issa"]
OUTLETS = ["syriahr.com", "enabbaladi.net", "npasyria.com", "sana.sy", "aa.com.tr", "hawarnews.com", "rudaw.net"]
ACTORS = ["turkish_army", "international_coalition", "russia", "un_ocha", "syrian_gov_forces", None]


def synthetic_records(n_events: int, seed: int = 7) -> Iterator[tuple[dict, str]]:
    """(record, movement id) of articles each reporting one convoy event; movements happen over ten
    years at 13 crossings and are reported 1–4 times by different outlets, up to a day late,
    with sizes stated as exact, approximate or lower bounds, and slots sometimes left out."""
    rnd = random.Random(seed)
    start = dt.date(2014, 1, 1).toordinal()
    made = movement = 0
    while made < n_events:
        movement += 1
        crossing, parent = rnd.choice(CROSSINGS)
        day = start + rnd.randrange(3650)
        size = rnd.choice([5, 8, 12, 15, 20, 25, 30, 40, 50, 60, 75, 100, 150, 200, 300])
        actor, destination = rnd.choice(ACTORS), rnd.choice(DESTINATIONS)
        direction = rnd.choice(["entering", "entering", "leaving", None])
        for n in range(min(rnd.choice([1, 2, 2, 3, 3, 4]), n_events - made)):
            made += 1
            reported = day + (n > 0 and rnd.random() < 0.5)
            size_min, size_max = rnd.choice([(size, size), (size, size), (int(size * 0.85) + 1, None), (None, None)])
            record = _record(f"syn-{made}", reported, day, rnd.random() < 0.8 or n == 0, crossing, parent, size_min,
                             size_max, actor if rnd.random() < 0.7 else None,
                             destination if rnd.random() < 0.6 else None, direction, rnd.choice(OUTLETS))
            yield record, f"m{movement}"


def _record(doc_id: str, published: int, day: int, with_crossing: bool, crossing: str, parent: str,
            size_min: int | None, size_max: int | None, actor: str | None, destination: str | None,
            direction: str | None, outlet: str) -> dict:
    text = f"دخل رتل يضم {size_min or 'عدة'} آلية عبر المعبر."
    def slot(layer, ident):
        return {"layer": layer, "index": 0, "text": ident, "start": 0, "end": 3, "canonical": ident}

    return {
        "doc_id": doc_id, "published": dt.date.fromordinal(published).isoformat(),
        "url": f"https://www.{outlet}/{doc_id}", "text": text,
        "crossings": [{"canonical": crossing, "parent": parent}], "places": [],
        "convoys": [{"text": text[4:-11], "start": 4, "end": len(text) - 11}],
        "events": [{"convoy": 0, "size_min": size_min, "size_max": size_max, "counts": "vehicles",
                    "actor": slot("actors", actor) if actor else None,
                    "crossing": slot("crossings", crossing) if with_crossing else None, "origin": None,
                    "destinations": [slot("places", destination)] if destination else [],
                    "date": dt.date.fromordinal(day).isoformat(), "date_end": None, "direction": direction,
                    "evidence_text": text, "evidence_start": 0, "evidence_end": len(text)}],
    }


def speed(n_events: int) -> dict:
    """Group a synthetic archive of ``n_events`` (streamed, never held whole); time, peak RSS, scores."""
    truth: dict[str, str] = {}

    def records() -> Iterator[dict]:
        for record, movement in synthetic_records(n_events):
            truth[record["doc_id"]] = movement
            yield record

    started = time.perf_counter()
    predicted = {}
    count = 0
    for incident in iter_incidents(records()):
        count += 1
        for report in incident["reports"]:
            predicted[report["doc_id"]] = incident["id"]
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"events": n_events, "movements": len(set(truth.values())), "incidents": count,
            "seconds": round(seconds, 1), "events_per_s": round(n_events / seconds),
            "peak_rss_mb": round(peak_mb), "python": platform.python_version(),
            "scores_against_the_synthetic_movements": cluster_scores(truth, predicted)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    q = commands.add_parser("quality")
    q.add_argument("set_dir", type=Path)
    q.add_argument("out_dir", type=Path)
    s = commands.add_parser("speed")
    s.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    result = quality(args.set_dir, args.out_dir) if args.command == "quality" else speed(args.events)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
