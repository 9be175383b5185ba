"""A fresh random sample of what ``extract run`` emits on real archive articles, for judges.

``sample``: from an ``articles.jsonl`` of an ``extract run`` over archive articles, draw ``N``
items per layer (dates, actors, places) at random (fixed seed) and write them with 150
characters of context on each side, the value or id, and the id's English name and type from
the lexicons (``OUT/items_{layer}.jsonl``), the form the judges of ``bench/quality/archive_items``
saw. ``score``: span precision and value/id accuracy from ``OUT/judged_{layer}.jsonl`` (lines
``{"item", "span_ok", "id_ok" | "value_ok", "note"}``) → ``OUT/scores.json``.

usage: python bench/sample_archive_items.py sample RUN/articles.jsonl OUT [--n 300] [--seed 5]
       python bench/sample_archive_items.py score OUT
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract.lexicons import read_tsv  # noqa: E402
from extract.rules.lexicon import FILES  # noqa: E402

LAYERS = {"dates": "value", "actors": "canonical", "places": "canonical"}
CONTEXT = 150


def names() -> dict[str, tuple[str, str]]:
    """Lexicon id → (English name, type)."""
    return {row["id"]: (row.get("name_en", ""), row.get("type", ""))
            for files in FILES.values() for name in files for row in read_tsv(name)}


def sample(run: Path, out: Path, n: int, seed: int) -> None:
    records = [json.loads(line) for line in run.open(encoding="utf-8")]
    known = names()
    out.mkdir(parents=True, exist_ok=True)
    for layer, field in LAYERS.items():
        mentions = [(r, m) for r in records for m in r.get(layer) or []]
        chosen = random.Random(f"{seed}:{layer}").sample(mentions, min(n, len(mentions)))
        chosen.sort(key=lambda rm: (rm[0]["doc_id"], rm[1]["start"]))
        with (out / f"items_{layer}.jsonl").open("w", encoding="utf-8") as fh:
            for k, (record, m) in enumerate(chosen, 1):
                text = record["text"]
                item = {"item": f"{layer[0]}{k:03d}", "doc_id": record["doc_id"], "published": record.get("published"),
                        "before": text[max(0, m["start"] - CONTEXT):m["start"]], "text": m["text"],
                        "after": text[m["end"]:m["end"] + CONTEXT], field: m.get(field)}
                if layer == "dates":
                    item.update({k2: m.get(k2) for k2 in ("range_end", "granularity")})
                else:
                    name_en, kind = known.get(m.get("canonical") or "", (None, None))
                    item.update({"name_en": name_en, "type": m.get("actor_type") or m.get("place_type") or kind})
                fh.write(json.dumps(item, ensure_ascii=False) + "\n")
        print(layer, len(chosen), "of", len(mentions))


def score(out: Path) -> dict:
    result = {}
    for layer, field in LAYERS.items():
        path = out / f"judged_{layer}.jsonl"
        if not path.exists():
            continue
        rows = [json.loads(line) for line in path.open(encoding="utf-8")]
        ok = "value_ok" if field == "value" else "id_ok"
        right = [r for r in rows if r.get("span_ok")]
        result[layer] = {"items": len(rows), "span_precision": round(len(right) / len(rows), 3),
                         f"{ok[:-3]}_accuracy": round(sum(bool(r.get(ok)) for r in right) / max(1, len(right)), 3),
                         "both_right": round(sum(bool(r.get(ok)) for r in right) / len(rows), 3)}
    (out / "scores.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample")
    s.add_argument("run", type=Path)
    s.add_argument("out", type=Path)
    s.add_argument("--n", type=int, default=300)
    s.add_argument("--seed", type=int, default=5)
    c = sub.add_parser("score")
    c.add_argument("out", type=Path)
    args = ap.parse_args()
    if args.command == "sample":
        sample(args.run, args.out, args.n, args.seed)
    else:
        print(json.dumps(score(args.out), indent=1))


if __name__ == "__main__":
    main()
