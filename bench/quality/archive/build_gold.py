"""Merge the annotators' sentence labels into the real-archive gold (``gold.jsonl``).

Each annotator labelled one chunk of ``candidates.jsonl`` (``labels_K.jsonl``: per sentence, its
convoys and crossings as exact substrings); this adds article offsets (the k-th label with the
same text takes the k-th occurrence in the sentence) and the split.

usage: python bench/quality/archive/build_gold.py LABELS_DIR [--extra | --test2]
       (``--extra``: the training-only candidates_extra.jsonl → gold_extra.jsonl; ``--test2``:
       the second test set, candidates_test2.jsonl → gold_test2.jsonl)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).parent


def located(items: list[dict], sentence: str, offset: int) -> list[dict]:
    """``items`` with ``start``/``end`` in the article."""
    out, seen = [], {}
    for item in items:
        k = seen.get(item["text"], 0)
        at = -1
        for _ in range(k + 1):
            at = sentence.find(item["text"], at + 1)
        if at < 0:
            raise ValueError(f"{item['text']!r} not found {k + 1} times in {sentence!r}")
        seen[item["text"]] = k + 1
        out.append({"text": item["text"], "start": offset + at, "end": offset + at + len(item["text"]),
                    **{key: value for key, value in item.items() if key != "text"}})
    return out


def main(labels_dir: Path, suffix: str = "") -> None:
    labels = {}
    for path in sorted(labels_dir.glob("labels_*.jsonl")):
        for line in path.open(encoding="utf-8"):
            row = json.loads(line)
            labels[row["id"]] = row
    n = 0
    with (HERE / f"gold{suffix}.jsonl").open("w", encoding="utf-8") as w:
        for line in (HERE / f"candidates{suffix}.jsonl").open(encoding="utf-8"):
            cand = json.loads(line)
            row = labels[cand["id"]]
            w.write(json.dumps({
                "id": cand["id"], "doc_id": cand["doc_id"], "split": cand["split"],
                "start": cand["start"], "end": cand["end"],
                "convoys": located(row.get("convoys", []), cand["sentence"], cand["start"]),
                "crossings": located(row.get("crossings", []), cand["sentence"], cand["start"]),
            }, ensure_ascii=False) + "\n")
            n += 1
    print(n, "sentences")


if __name__ == "__main__":
    main(Path(sys.argv[1]), "_extra" if "--extra" in sys.argv[2:] else "_test2" if "--test2" in sys.argv[2:] else "")
