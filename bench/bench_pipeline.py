"""End-to-end benchmark of `extract run` on a synthetic archive (see make_archive.py).

Measures, on the same archive:
* articles/s with 1 and 2 worker processes, and the 2/1 speed-up; and with 1 worker and no NER;
* peak resident memory of the whole process tree (sampled every 50 ms);
* the share of time per pipeline stage (one in-process pass over a sample);
* error records produced vs bad items planted (must be equal) and that every readable
  article produced a record.

usage: python bench/bench_pipeline.py [--articles 20000] [--workers 1 2]
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
    """Seconds per stage over a sample of the archive's articles, in this process."""
    from extract import Pipeline
    from extract.io.readers import Article, read_inputs

    nlp = Pipeline.default()
    articles = []
    for item in read_inputs([archive / "jsonl"]):
        if isinstance(item, Article):
            articles.append(item)
        if len(articles) == STAGE_SAMPLE:
            break
    nlp(articles[0].text)
    nlp.timings.clear()
    started = time.perf_counter()
    size = 0
    for article in articles:
        nlp(article.text, published=article.published).to_dict()
        size += len(article.text.encode())
    total = time.perf_counter() - started
    stages = sum(nlp.timings.values())
    return {
        "articles": len(articles), "mean_bytes": round(size / len(articles)),
        "ms_per_article": round(1000 * total / len(articles), 2),
        "stages_ms_per_article": {k: round(1000 * v / len(articles), 3) for k, v in nlp.timings.items()},
        "stages_share": {k: round(v / stages, 3) for k, v in nlp.timings.items()},
    }


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
        f"Speed-up 2 workers / 1 worker: **{result.get('speedup', 'n/a')}×**. "
        f"Error records = bad items planted: **{result['errors_match']}**; "
        f"every readable article has a record: **{result['records_match']}**.",
        "",
        f"Time per stage (one process, {result['stages']['articles']} articles, "
        f"{result['stages']['ms_per_article']} ms per article in all):",
        "",
        "| stage | ms / article | share |",
        "|---|---|---|",
        *[f"| {k} | {v} | {result['stages']['stages_share'][k]:.1%} |"
          for k, v in result["stages"]["stages_ms_per_article"].items()],
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--archive", type=Path, default=ROOT / "bench" / "archive")
    args = parser.parse_args()
    manifest = build(args.articles, args.archive, seed=13)
    runs = [run_extract(args.archive, ROOT / "bench" / "runs" / f"w{w}", w) for w in args.workers]
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
    by_workers = {r["workers"]: r for r in runs if r["ner"] == "crf"}
    if 1 in by_workers and 2 in by_workers:
        result["speedup"] = round(by_workers[2]["articles_per_s"] / by_workers[1]["articles_per_s"], 2)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pipeline.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (RESULTS / "pipeline.md").write_text(write_markdown(result), encoding="utf-8")
    print(write_markdown(result))


if __name__ == "__main__":
    main()
