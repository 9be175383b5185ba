"""Benchmark the gazetteer stage: speed per article and mention quality on the gold articles.

Measures:
  (a) compile time — reading the lexicons and building the token tries, once per process;
  (b) matching time of the stage alone (documents normalized and tokenized beforehand) on the
      seed article (about 5 KB) and on every gold article, repeated: median, p95, per KB;
  (c) on the gold articles (seed + dev): actors/places/crossings precision and recall with the
      shared scorer's lenient text match (``../shared/tools/score.py``), and the share of
      found gold mentions that carry a canonical id.

usage (from the project root):
  .venv/bin/python bench/bench_gazetteer.py            # print
  .venv/bin/python bench/bench_gazetteer.py --write    # … and write bench/results/gazetteer.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract import Pipeline  # noqa: E402
from extract.normalize import Normalizer  # noqa: E402
from extract.rules.gazetteer import Gazetteer, GazetteerMatcher  # noqa: E402
from extract.rules.lexicon import load_lexicons  # noqa: E402
from extract.tokenize import Tokenizer  # noqa: E402
from tests.conftest import SHARED, gold_articles  # noqa: E402

RESULT = ROOT / "bench" / "results" / "gazetteer.md"
LAYERS = ("actors", "places", "crossings")


def compile_seconds() -> float:
    """Seconds to read the lexicons and build the gazetteer (caches bypassed)."""
    started = time.perf_counter()
    Gazetteer(load_lexicons.__wrapped__(None))
    return time.perf_counter() - started


def timings_ms(stage: GazetteerMatcher, doc, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        started = time.perf_counter()
        stage(doc)
        out.append((time.perf_counter() - started) * 1000)
    return out


def speed(repeats: int) -> list[dict]:
    prepare = Pipeline([Normalizer(), Tokenizer()])
    stage = GazetteerMatcher()
    rows = []
    for gold, text in gold_articles():
        doc = prepare(text)
        ms = timings_ms(stage, doc, repeats)
        kb = len(text.encode("utf-8")) / 1024
        rows.append({"article": gold["doc_id"], "kb": round(kb, 1), "tokens": len(doc.tokens),
                     "median_ms": statistics.median(ms), "p95_ms": sorted(ms)[int(0.95 * len(ms)) - 1],
                     "ms_per_kb": statistics.median(ms) / kb})
    return rows


def load_scorer():
    path = SHARED / "tools" / "score.py"
    spec = importlib.util.spec_from_file_location("shared_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def quality() -> dict[str, dict]:
    scorer = load_scorer()
    nlp = Pipeline([Normalizer(), Tokenizer(), GazetteerMatcher()])
    totals = {layer: {"gold": 0, "found": 0, "with_id": 0, "pred": 0, "correct": 0} for layer in LAYERS}
    for gold, text in gold_articles():
        doc = nlp(text, published=gold["published"])
        for layer in LAYERS:
            predicted = getattr(doc, layer)
            t = totals[layer]
            for item in gold[layer]:
                hits = [m for m in predicted if scorer.match(item["text"], m.text)]
                t["gold"] += 1
                t["found"] += bool(hits)
                t["with_id"] += any(m.canonical for m in hits)
            texts = {scorer.norm(m.text): m for m in predicted}
            t["pred"] += len(texts)
            t["correct"] += sum(any(scorer.match(g["text"], m.text) for g in gold[layer]) for m in texts.values())
    return totals


def report(compile_s: float, rows: list[dict], totals: dict, repeats: int) -> str:
    lines = [
        "# Gazetteer benchmark",
        "",
        f"{dt.date.today().isoformat()} · Python {platform.python_version()} · {platform.machine()} · "
        f"{os.cpu_count()} CPU(s) · `bench/bench_gazetteer.py`",
        "",
        f"Lexicons compiled in **{compile_s * 1000:.0f} ms** (once per process).",
        "",
        f"## Matching time (stage alone, documents pre-tokenized, {repeats} runs each)",
        "",
        "| article | KB | tokens | median ms | p95 ms | ms/KB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['article']} | {r['kb']} | {r['tokens']} | {r['median_ms']:.3f} | "
                     f"{r['p95_ms']:.3f} | {r['ms_per_kb']:.3f} |")
    lines += [
        "",
        "## Gold articles (seed + dev), lenient text match of the shared scorer",
        "",
        "| layer | gold | recall | with canonical id | predicted | precision |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for layer, t in totals.items():
        recall = t["found"] / t["gold"] if t["gold"] else 0.0
        precision = t["correct"] / t["pred"] if t["pred"] else 0.0
        lines.append(f"| {layer} | {t['gold']} | {recall:.3f} | {t['with_id']}/{t['found']} | {t['pred']} | "
                     f"{precision:.3f} |")
    lines += ["", "The gold articles are development data: the lexicons are built by general rules and "
              "sourced entries, not tuned to them.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=500)
    parser.add_argument("--write", action="store_true", help=f"write {RESULT.relative_to(ROOT)}")
    args = parser.parse_args()
    text = report(compile_seconds(), speed(args.repeats), quality(), args.repeats)
    print(text)
    if args.write:
        RESULT.parent.mkdir(parents=True, exist_ok=True)
        RESULT.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
