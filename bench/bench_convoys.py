"""Benchmark the convoy matcher: throughput on the gold articles repeated, and its gold check.

Reports articles/s for the convoy stage alone (its share of ``Pipeline.timings``) and for
normalize + tokenize + convoys, plus the gold convoys found with the exact gold text and
size (seed + dev) and the items listed beyond the gold.

usage (from the project root):
  .venv/bin/python bench/bench_convoys.py             # print
  .venv/bin/python bench/bench_convoys.py --write     # … and write bench/results/convoys.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract import Pipeline  # noqa: E402
from extract.normalize import Normalizer  # noqa: E402
from extract.rules.convoys import ConvoyMatcher  # noqa: E402
from extract.tokenize import Tokenizer  # noqa: E402
from tests.conftest import gold_articles  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "convoys.md"


def gold_check(nlp: Pipeline, articles: list[tuple[dict, str]]) -> dict:
    """Gold convoys found with their exact text and size; items listed beyond the gold."""
    found = extra = total = 0
    for gold, text in articles:
        predicted = {c.text: (c.size_min, c.size_max) for c in nlp(text).convoys}
        listed = {g["text"] for g in gold["convoys"]}
        total += len(gold["convoys"])
        found += sum(predicted.get(g["text"]) == (g["size_min"], g["size_max"]) for g in gold["convoys"])
        extra += sum(t not in listed for t in predicted)
    return {"gold": total, "found": found, "extra": extra}


def throughput(nlp: Pipeline, texts: list[str], rounds: int, runs: int = 3) -> dict:
    """Articles per second for the whole small pipeline and for the convoy stage alone: the best
    of ``runs`` runs (the machine is shared, the best run is the least disturbed)."""
    for text in texts:  # warm the lexicon caches
        nlp(text)
    n = rounds * len(texts)
    best = {"articles": n, "pipeline_per_s": 0.0, "convoys_per_s": 0.0}
    for _ in range(runs):
        nlp.timings.clear()
        started = time.perf_counter()
        for _ in range(rounds):
            for text in texts:
                nlp(text)
        wall = time.perf_counter() - started
        best["pipeline_per_s"] = max(best["pipeline_per_s"], round(n / wall, 1))
        best["convoys_per_s"] = max(best["convoys_per_s"], round(n / nlp.timings["convoys"], 1))
    return best


def report(check: dict, speed: dict) -> str:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    return "\n".join([
        "# Convoy matcher benchmark",
        "",
        f"Gold articles (seed + dev) repeated: {speed['articles']} articles, best of 3 runs. Produced by "
        f"`bench/bench_convoys.py`; {machine}, {dt.date.today().isoformat()}.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| convoy stage alone, articles/s | {speed['convoys_per_s']} |",
        f"| normalize + tokenize + convoys, articles/s | {speed['pipeline_per_s']} |",
        f"| gold convoys found with exact text and size | {check['found']} / {check['gold']} |",
        f"| items listed beyond the gold | {check['extra']} |",
        "",
        "Items beyond the gold are convoy mentions the gold does not list (README, Convoys and "
        "quantities, says what counts as a convoy).",
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300, help="times the gold articles are processed")
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS.relative_to(ROOT)}")
    args = parser.parse_args()
    nlp = Pipeline([Normalizer(), Tokenizer(), ConvoyMatcher()])
    articles = gold_articles()
    text = report(gold_check(nlp, articles), throughput(nlp, [t for _, t in articles], args.rounds))
    print(text)
    if args.write:
        RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
