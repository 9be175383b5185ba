"""Convoys and crossings on a real news archive that is mostly not about them.

Gold: ``bench/quality/archive/gold.jsonl`` — every sentence of 8,340 SaudiNewsNet articles
(every third of the shared archive) that a broad keyword net or the frozen rules flagged, its
convoys and crossings labelled by annotators who never read the rules
(``bench/quality/archive/README.md``). Articles of 2015-07-21..27 are dev, 2015-07-31..08-07 test.

A predicted mention is right when it overlaps a gold mention of its sentence (one to one); a
prediction outside every labelled sentence is counted wrong (and listed). Crossing recall is
also given for named crossings alone.

``--calibration`` also runs the pipeline keeping every candidate (``min_confidence=0``) and
compares the confidence of the candidates inside labelled sentences with how often they are
right: a reliability table per kind (10 bins) and the expected calibration error (ECE).

usage: python bench/bench_archive.py [--pred OUT/articles.jsonl] [--label NAME] [--calibration] [--test2] [--write]
       without --pred the pipeline runs in-process over the articles.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.quality.archive.build_candidates import archive_articles  # noqa: E402

GOLD = ROOT / "bench" / "quality" / "archive" / "gold.jsonl"
GOLD_EXTRA = ROOT / "bench" / "quality" / "archive" / "gold_extra.jsonl"  # training only
GOLD_TEST2 = ROOT / "bench" / "quality" / "archive" / "gold_test2.jsonl"  # the second test set (session 9)
RESULTS = ROOT / "bench" / "results"
LAYERS = ("convoys", "crossings")


def load_gold(path: Path = GOLD) -> dict[str, list[dict]]:
    """doc_id → its labelled sentences."""
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        by_doc[row["doc_id"]].append(row)
    return by_doc


def split_of(doc_id: str) -> str:
    return "test" if doc_id[:10] >= "2015-07-31" else "dev"


def predict(doc_ids: set[str] | None = None, nlp=None, part: str = "sample"):
    """Records of the archive articles of ``part`` (only ``doc_ids`` when given), from the
    default pipeline."""
    from extract import Pipeline

    nlp = nlp or Pipeline.default()
    for doc_id, published, text in archive_articles(part):
        if text and (doc_ids is None or doc_id in doc_ids):
            yield nlp(text, doc_id=doc_id, published=published).to_dict()


def score(records, gold: dict[str, list[dict]], splits: tuple[str, ...] = ("dev", "test")) -> dict:
    """Per split and layer: tp/fp/fn, P/R/F1, named-crossing recall, emitted per 1,000 articles
    (``splits``: ``("test2",)`` for the second test set, whose articles all belong to it)."""
    counts: dict = {s: {layer: defaultdict(int) for layer in LAYERS} for s in splits}
    articles = defaultdict(int)
    outside: list[tuple[str, str]] = []
    for rec in records:
        split = split_of(rec["doc_id"]) if len(splits) > 1 else splits[0]
        articles[split] += 1
        sentences = gold.get(rec["doc_id"], [])
        for layer in LAYERS:
            c = counts[split][layer]
            golds = [g for s in sentences for g in s[layer]]
            used: set[int] = set()
            for m in rec.get(layer) or []:
                c["emitted"] += 1
                if not any(s["start"] <= m["start"] < s["end"] for s in sentences):
                    c["fp"] += 1
                    c["outside"] += 1
                    outside.append((rec["doc_id"], m["text"]))
                    continue
                hit = next((k for k, g in enumerate(golds)
                            if k not in used and g["start"] < m["end"] and m["start"] < g["end"]), None)
                if hit is None:
                    c["fp"] += 1
                else:
                    used.add(hit)
                    c["tp"] += 1
                    c["named_tp"] += golds[hit].get("named", True) is not False
            c["fn"] += len(golds) - len(used)
            c["gold"] += len(golds)
            c["named_gold"] += sum(g.get("named", True) is not False for g in golds)
    out: dict = {}
    for split in splits:
        for layer in LAYERS:
            c = counts[split][layer]
            p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
            r = c["tp"] / c["gold"] if c["gold"] else 1.0
            row = {**c, "precision": round(p, 3), "recall": round(r, 3),
                   "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
                   "per_1000_articles": round(1000 * c["emitted"] / max(1, articles[split]), 1),
                   "articles": articles[split]}
            if layer == "crossings":
                row["named_recall"] = round(c["named_tp"] / c["named_gold"], 3) if c["named_gold"] else 1.0
            out.setdefault(split, {})[layer] = row
    out["outside_examples"] = outside[:20]
    return out


def calibration(gold: dict[str, list[dict]], split: str, bins: int = 10) -> dict:
    """Reliability of the confidence of every candidate in the labelled sentences of ``split``."""
    from extract import Pipeline

    nlp = Pipeline.default(min_confidence=0.0)
    pairs: dict[str, list[tuple[float, bool]]] = {layer: [] for layer in LAYERS}
    for rec in predict({d for d in gold if split_of(d) == split}, nlp):
        sentences = gold[rec["doc_id"]]
        for layer in LAYERS:
            golds = [g for s in sentences for g in s[layer]]
            for m in rec[layer]:
                if any(s["start"] <= m["start"] < s["end"] for s in sentences):
                    right = any(g["start"] < m["end"] and m["start"] < g["end"] for g in golds)
                    pairs[layer].append((m["confidence"], right))
    return {layer: reliability(items, bins) for layer, items in pairs.items()}


def reliability(items: list[tuple[float, bool]], bins: int = 10) -> dict:
    """Expected calibration error of (confidence, right) pairs, with the table of its bins."""
    table, ece = [], 0.0
    for k in range(bins):
        low, high = k / bins, (k + 1) / bins
        inside = [(p, r) for p, r in items if low <= p < high or (k == bins - 1 and p == 1.0)]
        if inside:
            confidence = sum(p for p, _ in inside) / len(inside)
            accuracy = sum(r for _, r in inside) / len(inside)
            ece += len(inside) / len(items) * abs(confidence - accuracy)
            table.append({"bin": f"{low:.1f}-{high:.1f}", "n": len(inside),
                          "confidence": round(confidence, 3), "right": round(accuracy, 3)})
    return {"candidates": len(items), "ece": round(ece, 3), "bins": table}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pred", type=Path, help="articles.jsonl of an extract run over the archive articles")
    ap.add_argument("--label", default="current code")
    ap.add_argument("--write", action="store_true", help="add the result to bench/results/archive.json")
    ap.add_argument("--calibration", action="store_true", help="reliability of the confidence on the test split")
    ap.add_argument("--test2", action="store_true", help="score the second test set (→ archive_test2.json)")
    args = ap.parse_args()
    gold = load_gold(GOLD_TEST2 if args.test2 else GOLD)
    records = (json.loads(line) for line in args.pred.open(encoding="utf-8")) if args.pred else predict(part="test2" if args.test2 else "sample")
    result = score(records, gold, ("test2",) if args.test2 else ("dev", "test"))
    if args.calibration and not args.test2:
        result["calibration_test"] = calibration(gold, "test")
    print(json.dumps({k: v for k, v in result.items() if k != "outside_examples"}, indent=1, ensure_ascii=False))
    if args.write:
        path = RESULTS / ("archive_test2.json" if args.test2 else "archive.json")
        runs = json.loads(path.read_text()) if path.exists() else {}
        runs[args.label] = result
        path.write_text(json.dumps(runs, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
