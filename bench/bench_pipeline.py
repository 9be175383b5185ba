"""End-to-end benchmark of `extract run` on a synthetic archive (see make_archive.py).

Measures, on the same archive:
* articles/s with 1 and 2 worker processes, and the 2/1 speed-up; and with 1 worker and no NER
  (each run ``--repeat`` times, interleaved; the best run of each counts);
* peak resident memory of the whole process tree (sampled every 50 ms);
* the share of time per pipeline stage (in-process, over the first articles of a fresh process
  and over the next ones);
* error records produced vs bad items planted (must be equal) and that every readable
  article produced a record.

usage: python bench/bench_pipeline.py [--articles 20000] [--workers 1 2] [--repeat 2]
Writes bench/results/pipeline.json and bench/results/pipeline.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from make_archive import build  # noqa: E402

RESULTS = ROOT / "bench" / "results"
EXTRACT = Path(sys.executable).with_name("extract")
STAGE_SAMPLE = 500


def peak_rss_during(process: subprocess.Popen) -> int:
    """Peak summed RSS (bytes) of a process and its children, sampled until it exits."""
    peak = 0
    root = psutil.Process(process.pid)
    while process.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.05)
    return peak


def run_extract(archive: Path, out: Path, workers: int, ner: str = "crf") -> dict:
    if out.exists():
        shutil.rmtree(out)
    command = [str(EXTRACT), "run", str(archive), "--out", str(out), "--workers", str(workers), "--no-resume",
               "--ner", ner]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak: list[int] = []
    sampler = threading.Thread(target=lambda: peak.append(peak_rss_during(process)))
    sampler.start()
    _, stderr = process.communicate()
    sampler.join()
    seconds = time.perf_counter() - started
    records = sum(1 for _ in open(out / "articles.jsonl", encoding="utf-8"))
    errors = sum(1 for _ in open(out / "errors.jsonl", encoding="utf-8"))
    return {"workers": workers, "ner": ner, "seconds": round(seconds, 2), "records": records, "errors": errors,
            "articles_per_s": round(records / seconds, 1), "peak_rss_mb": round(peak[0] / 2**20, 1),
            "exit_code": process.returncode, "stderr_tail": stderr.strip().splitlines()[-1:]}


def stage_shares(archive: Path) -> dict:
    """Milliseconds per article and share of each stage, in this process: over the first
    :data:`STAGE_SAMPLE` articles of a fresh process (caches cold: every word is new), and
    over the next :data:`STAGE_SAMPLE` (the words of news recur, so the per-word caches warm up)."""
    from extract import Pipeline
    from extract.io.readers import Article, read_inputs

    nlp = Pipeline.default()
    articles = []
    for item in read_inputs([archive / "jsonl"]):
        if isinstance(item, Article):
            articles.append(item)
        if len(articles) == 2 * STAGE_SAMPLE:
            break
    nlp(articles[0].text)
    passes = {}
    for name, sample in (("fresh", articles[:STAGE_SAMPLE]), ("warm", articles[STAGE_SAMPLE:])):
        nlp.timings.clear()
        started = time.perf_counter()
        for article in sample:
            nlp(article.text, published=article.published).to_dict()
        total = time.perf_counter() - started
        stages = sum(nlp.timings.values())
        passes[name] = {
            "ms_per_article": round(1000 * total / len(sample), 2),
            "stages_ms_per_article": {k: round(1000 * v / len(sample), 3) for k, v in nlp.timings.items()},
            "stages_share": {k: round(v / stages, 3) for k, v in nlp.timings.items()},
        }
    size = sum(len(a.text.encode()) for a in articles) / len(articles)
    return {"articles": STAGE_SAMPLE, "mean_bytes": round(size), **passes}


def write_markdown(result: dict) -> str:
    runs = result["runs"]
    lines = [
        "# Pipeline benchmark",
        "",
        f"Archive: {result['archive']['articles']} articles of {result['stages']['mean_bytes']} bytes (UTF-8) on average, "
        f"{result['archive']['bad_total']} bad items planted, messy-but-readable items: {result['archive']['messy']}.",
        f"Machine: {result['machine']}.",
        "",
        "| workers | NER | seconds | records | error records | articles/s | peak RSS (MB, whole process tree) |",
        "|---|---|---|---|---|---|---|",
        *[f"| {r['workers']} | {r['ner']} | {r['seconds']} | {r['records']} | {r['errors']} | {r['articles_per_s']} "
          f"| {r['peak_rss_mb']} |" for r in runs],
        "",
        "Best run of each configuration (quoted in the README): "
        + "; ".join(f"{r['workers']} worker(s), NER {r['ner']}: **{r['articles_per_s']} articles/s**"
                    for r in result["best"]) + ".",
        "",
        f"Speed-up 2 workers / 1 worker (best runs): **{result.get('speedup', 'n/a')}×**. "
        f"Error records = bad items planted: **{result['errors_match']}**; "
        f"every readable article has a record: **{result['records_match']}**.",
        "",
        f"Time per stage in one process: articles 1–{result['stages']['articles']} of a fresh process "
        f"({result['stages']['fresh']['ms_per_article']} ms per article in all; the per-word caches start "
        f"empty) and the next {result['stages']['articles']} "
        f"({result['stages']['warm']['ms_per_article']} ms per article):",
        "",
        "| stage | fresh: ms / article | share | next: ms / article | share |",
        "|---|---|---|---|---|",
        *[f"| {k} | {v} | {result['stages']['fresh']['stages_share'][k]:.1%} "
          f"| {result['stages']['warm']['stages_ms_per_article'][k]} | {result['stages']['warm']['stages_share'][k]:.1%} |"
          for k, v in result["stages"]["fresh"]["stages_ms_per_article"].items()],
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--archive", type=Path, default=ROOT / "bench" / "archive")
    parser.add_argument("--repeat", type=int, default=2,
                        help="Runs of each configuration, interleaved (a shared machine only ever slows a run down, "
                             "so the best of them is the one quoted).")
    args = parser.parse_args()
    manifest = build(args.articles, args.archive, seed=13)
    runs = []
    for _ in range(args.repeat):
        runs += [run_extract(args.archive, ROOT / "bench" / "runs" / f"w{w}", w) for w in args.workers]
        runs.append(run_extract(args.archive, ROOT / "bench" / "runs" / "w1-no-ner", 1, ner="none"))
    result = {
        "archive": manifest,
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
                   f"{round(psutil.virtual_memory().total / 2**30)} GiB, Python {platform.python_version()}",
        "runs": runs,
        "stages": stage_shares(args.archive),
        "errors_match": all(r["errors"] == manifest["bad_total"] for r in runs),
        "records_match": all(r["records"] == manifest["articles"] for r in runs),
    }
    best: dict[tuple[int, str], dict] = {}
    for r in runs:
        key = (r["workers"], r["ner"])
        if key not in best or r["articles_per_s"] > best[key]["articles_per_s"]:
            best[key] = r
    result["best"] = list(best.values())
    if (1, "crf") in best and (2, "crf") in best:
        result["speedup"] = round(best[2, "crf"]["articles_per_s"] / best[1, "crf"]["articles_per_s"], 2)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pipeline.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (RESULTS / "pipeline.md").write_text(write_markdown(result), encoding="utf-8")
    print(write_markdown(result))


if __name__ == "__main__":
    main()
