"""Bring the probe1/probe2 gold to the convoy and crossing definition of bench/quality/archive/
GUIDELINES.md (issue 12): plural and sizeless convoys, generic convoys, patrols and generic
crossings are mentions now. An annotator who never read the rules listed what the new
definition adds (``definition_update.jsonl``, notes in ``DEFINITION_UPDATE_NOTES.md``); this
applies it once to each set's gold.jsonl (items already present are skipped).

usage: python bench/quality/apply_definition_update.py
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent


def main() -> None:
    changes = [json.loads(line) for line in (HERE / "definition_update.jsonl").open(encoding="utf-8")]
    for name in ("probe1", "probe2"):
        path = HERE / name / "gold.jsonl"
        records = [json.loads(line) for line in path.open(encoding="utf-8")]
        by_id = {r["doc_id"]: r for r in records}
        for change in (c for c in changes if c["set"] == name):
            items = by_id[change["doc_id"]].setdefault(change["layer"], [])
            present = [i for i in items if i["text"] == change["item"]["text"]]
            if change["action"] == "add" and not present:
                items.append(change["item"])
            elif change["action"] == "remove":
                for item in present:
                    items.remove(item)
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


if __name__ == "__main__":
    main()
