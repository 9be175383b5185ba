"""Extraction quality on annotated articles: per field P/R/F1, value and event-slot accuracy.

Datasets (each a folder with ``gold.jsonl`` and ``articles/DOC_ID.txt``, the gold format of
``../shared/data/gold``):
* ``dev``: the project's seed and dev articles in ../shared/data/gold (6 articles);
* ``probe1``, ``probe2``: articles written and annotated for this project by annotators who
  did not see the rules (``bench/quality/``, 30 articles each). probe1 was used to find and
  mend errors; probe2 was scored after the rules were frozen and only measures;
* ``outlets``: 60 articles in ten outlet styles other than monitor reports (agency wires, Kurdish,
  Turkish, UN, analysis, Jordanian, Lebanese, Iraqi, Gulf, Egyptian), written and annotated
  independently with actor kinds; first scored with the rules of f137564 frozen. Its actors are
  also scored by kind, and states/countries by role (agent → actor, location → place). Its two
  annotator sets are also scored apart (``outlets A``, ``outlets B``: doc ids ``A-…``/``B-…``);
  errors are mended on set A only, set B is held out and only measures.

usage: python bench/bench_quality.py     → bench/results/quality.md and quality.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract import Pipeline  # noqa: E402
from extract.evaluate import FIELDS, score_records  # noqa: E402
from tests.conftest import GOLD  # noqa: E402

RESULTS = ROOT / "bench" / "results"
SPLITS = {"outlets": ("A", "B")}  # doc-id prefixes scored apart as well
DATASETS = {
    "dev": [GOLD / "seed.jsonl", GOLD / "dev.jsonl"],
    "probe1": [ROOT / "bench" / "quality" / "probe1" / "gold.jsonl"],
    "probe2": [ROOT / "bench" / "quality" / "probe2" / "gold.jsonl"],
    "outlets": [ROOT / "bench" / "quality" / "outlets" / "gold.jsonl"],
}


def load(gold_files: list[Path]) -> list[tuple[dict, str]]:
    """(gold record, article text) pairs of a dataset."""
    out = []
    for path in gold_files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                gold = json.loads(line)
                out.append((gold, (path.parent / "articles" / f"{gold['doc_id']}.txt").read_text(encoding="utf-8")))
    return out


def predict(nlp: Pipeline, pairs: list[tuple[dict, str]]) -> list[dict]:
    """The pipeline's records of the dataset's articles."""
    return [nlp(text, doc_id=gold["doc_id"], published=gold.get("published")).to_dict() for gold, text in pairs]


def evaluate(golds: list[dict], predicted: list[dict]) -> dict:
    """Scores of the pipeline's records against the gold records (plus actor kinds and roles
    where the gold gives kinds)."""
    scores = {"articles": len(golds),
              **{name: score.summary() for name, score in score_records(golds, predicted).items()}}
    if any("kind" in a for g in golds for a in g.get("actors", [])):
        scores["actor_kinds"], scores["roles"] = kinds_and_roles(golds, predicted)
    return scores


def _found(gold_text: str, items: list[dict]) -> bool:
    return any(gold_text in m["text"] or m["text"] in gold_text for m in items if len(m["text"]) > 1)


def kinds_and_roles(golds: list[dict], predicted: list[dict]) -> tuple[dict, dict]:
    """Recall of gold actors by kind; and for states as agents and countries as locations, the
    share the pipeline puts in the right layer (actors vs places)."""
    kinds: dict[str, list[int]] = {}
    roles = {"state_as_actor": [0, 0], "country_as_place": [0, 0]}
    for gold, pred in zip(golds, predicted):
        for actor in gold.get("actors", []):
            found = _found(actor["text"], pred["actors"])
            kinds.setdefault(actor.get("kind", "?"), [0, 0])
            kinds[actor.get("kind", "?")][0] += found
            kinds[actor.get("kind", "?")][1] += 1
            if actor.get("kind") == "state":
                roles["state_as_actor"][0] += found and not _found(actor["text"], pred["places"])
                roles["state_as_actor"][1] += 1
        for place in gold.get("places", []):
            if place.get("type") == "country":
                roles["country_as_place"][0] += _found(place["text"], pred["places"]) and not _found(place["text"], pred["actors"])
                roles["country_as_place"][1] += 1
    share = {k: {"recall": round(v[0] / v[1], 3), "gold": v[1]} for k, v in sorted(kinds.items())}
    return share, {k: {"right_layer": round(v[0] / v[1], 3) if v[1] else None, "gold": v[1]} for k, v in roles.items()}


def markdown(results: dict) -> str:
    lines = ["# Extraction quality", "",
             "Per field: precision / recall / F1 of mention detection; value accuracy (date value, "
             "convoy size) where the gold states values; for actors, places and crossings, id agreement "
             "(over pairs of found gold items: do the predicted ids agree that they are the same thing or "
             "not — independent of the gold's id names); for events, the accuracy of each slot the gold "
             "states. Produced by `bench/bench_quality.py`.", ""]
    for name, scores in results.items():
        lines += [f"## {name} ({scores.pop('articles')} articles)", "",
                  "| field | P | R | F1 | values / ids | slots |", "|---|---|---|---|---|---|"]
        kinds, roles = scores.pop("actor_kinds", None), scores.pop("roles", None)
        for field in FIELDS:
            s = scores[field]
            value = (f"ids {s['id_agreement']:.3f}" if "id_agreement" in s
                     else f"{s['value_accuracy']:.3f}" if "value_accuracy" in s else "–")
            slots = ", ".join(f"{k} {v:.2f}" for k, v in s.get("slot_accuracy", {}).items()) or "–"
            lines.append(f"| {field} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {value} | {slots} |")
        if kinds:
            lines += ["", "Actor recall by kind: " + ", ".join(f"{k} {v['recall']:.2f} ({v['gold']})" for k, v in kinds.items()),
                      "", "Role typing (mention in the right layer): " + ", ".join(
                          f"{k} {v['right_layer']:.2f} ({v['gold']})" for k, v in roles.items() if v["gold"])]
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    nlp = Pipeline.default()
    results = {}
    for name, files in DATASETS.items():
        if all(f.exists() for f in files):
            pairs = load(files)
            golds, predicted = [g for g, _ in pairs], predict(nlp, pairs)
            results[name] = evaluate(golds, predicted)
            for prefix in SPLITS.get(name, ()):
                part = [k for k, g in enumerate(golds) if g["doc_id"].startswith(prefix + "-")]
                results[f"{name} {prefix}"] = evaluate([golds[k] for k in part], [predicted[k] for k in part])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "quality.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    text = markdown(json.loads(json.dumps(results)))
    (RESULTS / "quality.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
