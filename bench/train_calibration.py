"""Train the calibration stage's model (extract/calibration_model.json) on judged mentions.

Training data, run through the default pipeline without this stage:
* the judged real-archive items of ``bench/quality/archive_items*`` (300 dates, actors and
  places per sample, drawn from what the rules emitted on SaudiNewsNet articles and judged by
  annotators who never read the rules): an item counts where today's pipeline emits the judged
  mention (the same span and value/id, or a mention judged again, ``rejudged_*.jsonl``), and it
  is right when its span and its value/id were judged right;
* every date, actor and place the pipeline emits on the curated gold articles (``../shared``
  seed + dev gold, ``bench/quality/probe1``, ``probe2``, ``outlets``): right when it matches a
  gold mention (``extract.evaluate.same_mention``; these golds' ids follow other schemes, so
  the span is what is checked), so that conflict reporting is calibrated as well as the archive.

A logistic regression per layer (scikit-learn, L2) on the features of
``extract.calibrate.Evidence``; C by 5-fold cross-validation (log-loss) grouped by article.
First the held-out check: trained on every source but the held-out ones (the newest archive
sample s11, probe2 and the outlets' held-out half B), scored on each of them (expected
calibration error, Brier score, and what ``--min-mention-confidence`` cuts would keep) against
the rules' own scores; then the shipped model is trained on every source.
Deterministic (fixed folds, lbfgs).

usage: python bench/train_calibration.py → extract/calibration_model.json,
       bench/results/calibration.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sklearn.feature_extraction import DictVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import log_loss  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402

from bench.bench_archive import reliability  # noqa: E402
from bench.bench_archive_items import LAYERS, SAMPLES, load, locate, rejudged  # noqa: E402
from bench.bench_quality import DATASETS  # noqa: E402
from bench.bench_quality import load as load_gold  # noqa: E402
from bench.quality.archive.build_candidates import archive_articles  # noqa: E402
from extract import Pipeline  # noqa: E402
from extract.calibrate import MODEL_FILE, Evidence  # noqa: E402
from extract.evaluate import same_mention  # noqa: E402

MODEL = ROOT / "extract" / MODEL_FILE
RESULT = ROOT / "bench" / "results" / "calibration.json"
CS = (0.03, 0.1, 0.3, 1.0, 3.0)
CURATED = {"dev": ("dev", ""), "probe1": ("probe1", ""), "probe2": ("probe2", ""),
           "outlets A": ("outlets", "A-"), "outlets B": ("outlets", "B-")}  # source → dataset, doc-id prefix
HELD_OUT = ("s11", "probe2", "outlets B")
CUTS = (0.3, 0.5, 0.7)  # what ``--min-mention-confidence`` would keep and drop, reported on the held-out sources


def examples(sample: str, nlp: Pipeline):
    """(layer, features, rule score, right, article) for every judged item of ``sample`` that
    today's pipeline emits."""
    folder, every = SAMPLES[sample]
    items = {layer: load(layer, folder) for layer in LAYERS}
    wanted = {item["doc_id"] for rows in items.values() for item in rows}
    docs = {doc_id: nlp(text, doc_id=doc_id, published=published)
            for doc_id, published, text in archive_articles(every=every) if doc_id in wanted}
    for layer, rows in items.items():
        field, ok_field = LAYERS[layer]
        verdicts = rejudged(layer, folder)
        for item in rows:
            doc = docs.get(item["doc_id"])
            start = locate(doc.text, item) if doc else None
            if start is None:
                continue
            end = start + len(item["text"])
            for m in getattr(doc, layer):
                if not (m.start < end and start < m.end):
                    continue
                same = m.start == start and m.end == end and getattr(m, field) == item.get(field)
                verdict = item["judged"] if same else verdicts.get((item["item"], m.text, getattr(m, field)))
                if verdict:
                    yield (layer, Evidence(doc).features(layer, m), m.confidence,
                           bool(verdict["span_ok"] and verdict[ok_field]), f"{sample}:{item['doc_id']}")
                break


def curated_examples(source: str, nlp: Pipeline):
    """(layer, features, rule score, right, article) for every mention the pipeline emits on a
    curated gold set: right when it matches a gold mention."""
    dataset, prefix = CURATED[source]
    for gold, text in load_gold(DATASETS[dataset]):
        if not gold["doc_id"].startswith(prefix):
            continue
        doc = nlp(text, doc_id=gold["doc_id"], published=gold.get("published"))
        evidence = Evidence(doc)
        for layer in LAYERS:
            for m in getattr(doc, layer):
                right = any(same_mention(g, m.to_dict()) for g in gold.get(layer, []))
                yield layer, evidence.features(layer, m), m.confidence, right, f"{source}:{gold['doc_id']}"


def out_of_fold(x, y, groups, c):
    probs = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=5).split(x, y, groups):
        probs[test] = LogisticRegression(C=c, max_iter=2000).fit(x[train], y[train]).predict_proba(x[test])[:, 1]
    return probs


def fit(data: list[tuple]) -> tuple[DictVectorizer, LogisticRegression, float]:
    """The model for one layer from (features, rule score, right, article) rows, C chosen by
    grouped cross-validation."""
    vec = DictVectorizer(sort=True)
    x = vec.fit_transform([{f: 1 for f in d[0]} for d in data])
    y = np.array([d[2] for d in data])
    groups = [d[3] for d in data]
    probs = {c: out_of_fold(x, y, groups, c) for c in CS}
    c = min(CS, key=lambda k: (round(log_loss(y, probs[k], labels=[False, True]), 4), k))
    return vec, LogisticRegression(C=c, max_iter=2000).fit(x, y), c


def held_out_scores(probs: np.ndarray, raw: list[float | None], y: np.ndarray) -> dict:
    """Calibration of the model and of the rules' own scores, and what cuts would keep."""
    rules = [(r, bool(v)) for r, v in zip(raw, y, strict=True) if r is not None]
    return {"items": len(y), "right": round(float(y.mean()), 3),
            "model": {"ece": reliability(list(zip(probs.tolist(), y.tolist(), strict=True)))["ece"],
                      "brier": round(float(((probs - y) ** 2).mean()), 3)},
            "rule_scores": {"items": len(rules), "ece": reliability(rules)["ece"] if rules else None,
                            "brier": round(float(np.mean([(r - v) ** 2 for r, v in rules])), 3) if rules else None},
            "cuts": [{"at": cut, "kept": round(float((probs >= cut).mean()), 3),
                      "right_among_kept": round(float(y[probs >= cut].mean()), 3) if (probs >= cut).any() else None,
                      "right_items_kept": round(float((probs >= cut)[y].mean()), 3) if y.any() else None}
                     for cut in CUTS]}


def main() -> None:
    nlp = Pipeline.default(disable=("calibrate",))
    sources = {**{s: examples(s, nlp) for s in SAMPLES}, **{s: curated_examples(s, nlp) for s in CURATED}}
    rows: dict[str, dict[str, list]] = {layer: {s: [] for s in sources} for layer in LAYERS}
    for source, found in sources.items():
        for layer, features, raw, right, group in found:
            rows[layer][source].append((features, raw, right, group))
    model_out: dict = {"trained_on": "judged SaudiNewsNet items (CC BY-NC-SA 4.0) of bench/quality/archive_items* "
                                     "+ shared seed/dev gold + bench/quality/probe1, probe2, outlets; "
                                     "bench/train_calibration.py"}
    result: dict = {"held_out": list(HELD_OUT)}
    for layer, by_source in rows.items():
        vec, model, _ = fit([d for source, data in by_source.items() if source not in HELD_OUT for d in data])
        result[layer] = {}
        for source in HELD_OUT:
            test = by_source[source]
            probs = model.predict_proba(vec.transform([{f: 1 for f in d[0]} for d in test]))[:, 1]
            result[layer][source] = held_out_scores(probs, [d[1] for d in test], np.array([d[2] for d in test]))
            print(layer, source, json.dumps(result[layer][source]))
        everything = [d for data in by_source.values() for d in data]
        vec, model, c = fit(everything)
        weights = {name: round(float(w), 4) for name, w in zip(vec.get_feature_names_out(), model.coef_[0], strict=True)
                   if abs(w) >= 1e-4}
        model_out[layer] = {"bias": round(float(model.intercept_[0]), 4), "C": c,
                            "examples": len(everything), "right": sum(1 for d in everything if d[2]),
                            "weights": dict(sorted(weights.items()))}
    MODEL.write_text(json.dumps(model_out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    RESULT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
