"""The judged real-archive items (``bench/quality/archive_items``) against today's pipeline.

The 900 items (300 dates, actors, places) were sampled from what the frozen rules (f137564)
emitted on the SaudiNewsNet archive and judged by an annotator who never read the rules. This
re-runs the articles and sorts each item by what the pipeline now emits at its place:

* ``kept``: the same span with the same value (dates) or id (actors, places): its judgement holds;
* ``dropped``: nothing of the layer overlaps it any more (a judged-wrong span dropped is a fix,
  a judged-right one a loss);
* ``changed``: another span or value/id there: it needs judging again (``--changed FILE`` writes
  these with their context; a judge's verdicts on the mention now there, in
  ``rejudged_{layer}.jsonl``, make them ``rejudged``).

Span precision and value/id accuracy are then given over the items whose judgement holds (kept
and rejudged; a dropped wrong span no longer counts against precision, a dropped right one is
listed as lost). This measures the sample of what the frozen rules emitted, not what the
pipeline newly emits.

usage: python bench/bench_archive_items.py [--sample f137564|s5|s6|s7|s8|s9|s10] [--write] [--changed FILE]
       → bench/results/archive_items.json (archive_items_s5.json … _s10.json)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.quality.archive.build_candidates import archive_articles  # noqa: E402

ITEMS = ROOT / "bench" / "quality" / "archive_items"
# Each judged sample: its folder and the archive articles it was drawn from.
SAMPLES = {"f137564": (ITEMS, None), "s5": (ROOT / "bench" / "quality" / "archive_items_s5", slice(2, 25_000, 25)),
           "s6": (ROOT / "bench" / "quality" / "archive_items_s6", slice(19, 25_000, 25)),
           "s7": (ROOT / "bench" / "quality" / "archive_items_s7", slice(11, 25_000, 25)),
           "s8": (ROOT / "bench" / "quality" / "archive_items_s8", slice(23, 25_000, 25)),
           "s9": (ROOT / "bench" / "quality" / "archive_items_s9", slice(16, 25_000, 25)),
           "s10": (ROOT / "bench" / "quality" / "archive_items_s10", slice(9, 25_000, 25)),
           "s11": (ROOT / "bench" / "quality" / "archive_items_s11", slice(13, 25_000, 25))}
LAYERS = {"dates": ("value", "value_ok"), "actors": ("canonical", "id_ok"), "places": ("canonical", "id_ok")}
SHOWN = ("range_end", "granularity", "actor_type", "place_type")  # also shown to a judge of a changed item
CONTEXT = 40  # characters of the item's left context used to find it in its article


def load(layer: str, folder: Path = ITEMS) -> list[dict]:
    """The items of a layer with their judgement."""
    items = [json.loads(line) for line in (folder / f"items_{layer}.jsonl").open(encoding="utf-8")]
    judged = {row["item"]: row for row in map(json.loads, (folder / f"judged_{layer}.jsonl").open(encoding="utf-8"))}
    return [{**item, "judged": judged[item["item"]]} for item in items]


def rejudged(layer: str, folder: Path = ITEMS) -> dict[tuple, dict]:
    """Verdicts on the mentions now at changed items: (item, text, value or id) → verdict."""
    path = folder / f"rejudged_{layer}.jsonl"
    if not path.is_file():
        return {}
    field = LAYERS[layer][0]
    return {(row["item"], row["text"], row.get(field)): row for row in map(json.loads, path.open(encoding="utf-8"))}


def locate(text: str, item: dict) -> int | None:
    """The item's start offset in its article, from its left context."""
    anchor = item["before"][-CONTEXT:] + item["text"]
    at = text.find(anchor)
    return None if at < 0 else at + len(anchor) - len(item["text"])


def status(item: dict, start: int, record: dict, layer: str) -> tuple[str, list[dict]]:
    """kept, dropped or changed (see the module doc), with the mentions now overlapping the item."""
    field = LAYERS[layer][0]
    end = start + len(item["text"])
    overlapping = [m for m in record[layer] if m["start"] < end and start < m["end"]]
    if not overlapping:
        return "dropped", []
    same = [m for m in overlapping if m["start"] == start and m["end"] == end]
    return ("kept" if same and same[0].get(field) == item.get(field) else "changed"), overlapping


def score(rows: list[tuple[dict, str]], layer: str) -> dict:
    """Counts and the figures over the items whose judgement holds."""
    ok_field = LAYERS[layer][1]
    counts = Counter(s for _, s in rows)
    kept = [item["judged"] for item, s in rows if s in ("kept", "rejudged")]
    dropped = [item["judged"] for item, s in rows if s == "dropped"]
    right_spans = [j for j in kept if j["span_ok"]]
    return {
        "items": len(rows), **{k: counts[k] for k in ("kept", "rejudged", "dropped", "changed", "unlocated")},
        "wrong_spans_dropped": sum(1 for j in dropped if not j["span_ok"]),
        "right_spans_dropped": sum(1 for j in dropped if j["span_ok"]),
        "span_precision_kept": round(len(right_spans) / len(kept), 3) if kept else None,
        f"{ok_field}_kept": round(sum(1 for j in right_spans if j[ok_field]) / len(right_spans), 3) if right_spans else None,
    }


def run(sample: str, changed: list[dict] | None = None) -> dict:
    """Score the judged items of ``sample`` against today's pipeline; the items that changed
    (with their context, to judge again) are appended to ``changed`` when given."""
    from extract import Pipeline

    folder, every = SAMPLES[sample]
    items = {layer: load(layer, folder) for layer in LAYERS}
    wanted = {item["doc_id"] for rows in items.values() for item in rows}
    nlp = Pipeline.default()
    records, texts = {}, {}
    for doc_id, published, text in archive_articles(every=every):
        if doc_id in wanted:
            records[doc_id] = nlp(text, doc_id=doc_id, published=published).to_dict()
            texts[doc_id] = text
    result = {}
    for layer, rows in items.items():
        verdicts, field = rejudged(layer, folder), LAYERS[layer][0]
        sorted_rows = []
        for item in rows:
            start = locate(texts.get(item["doc_id"], ""), item)
            state, now = ("unlocated", []) if start is None else status(item, start, records[item["doc_id"]], layer)
            verdict = verdicts.get((item["item"], now[0]["text"], now[0].get(field))) if state == "changed" else None
            if verdict:
                state, item = "rejudged", {**item, "judged": verdict}
            sorted_rows.append((item, state))
            if state == "changed" and changed is not None:
                changed.append({"item": item["item"], "layer": layer, "doc_id": item["doc_id"], "published": item["published"],
                                "context": texts[item["doc_id"]][max(0, start - 150):start + len(item["text"]) + 150],
                                "text": now[0]["text"], field: now[0].get(field), "name_en": now[0].get("name_en"),
                                **{k: now[0][k] for k in SHOWN if k in now[0]},
                                "start_in_context": now[0]["start"] - max(0, start - 150)})
        result[layer] = score(sorted_rows, layer)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--changed", type=Path, help="write the changed items (to judge again) to this JSONL file")
    parser.add_argument("--sample", choices=SAMPLES, default="f137564",
                        help="the judged sample: of the frozen rules' output (archive_items) or a session's (archive_items_s5 … _s10)")
    args = parser.parse_args()
    changed: list[dict] = []
    result = run(args.sample, changed)
    print(json.dumps(result, indent=2))
    if args.changed:
        args.changed.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in changed), encoding="utf-8")
    if args.write:
        name = "archive_items.json" if args.sample == "f137564" else f"archive_items_{args.sample}.json"
        (ROOT / "bench" / "results" / name).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
